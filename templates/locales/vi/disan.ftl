# Giao diện Disan bằng tiếng Việt (Vietnamese interface strings of Disan).
#
# How to edit: change the text after `=`; keep the name before `=` and every `{ $name }`
# (a value the site fills in, such as a count or a year). A long text may continue on the next
# lines if they are indented. Every name here must also be in ../en/disan.ftl, and the other way
# round: `cargo test` names any that is missing. See README, "Translating the interface".
# Text is plain: the site escapes it for HTML, so write `&` and `<` as they are.

## Khung trang (every page)

site-name = Di sản làng nghề
site-description = Kho lưu trữ số di sản các làng nghề Việt Nam: ảnh, phim, âm thanh, hoa văn, kỹ thuật và lễ hội.
skip = Bỏ qua điều hướng
nav-main = Điều hướng chính
nav-villages = Làng nghề
nav-stories = Câu chuyện
nav-festivals = Lễ hội
nav-techniques = Kỹ thuật
nav-patterns = Hoa văn
search = Tìm kiếm
search-button = Tìm
search-placeholder = Tìm: trống, det lua, Nha Xá…
# The link to the other language: its name in that language.
switch-language = English
switch-language-label = Read this page in English
footer = Disan — kho lưu trữ di sản làng nghề. Mọi nội dung mẫu đều được ghi rõ là tư liệu mẫu.
# Beside a record's value shown in Vietnamese for want of an English one: never needed on a
# Vietnamese page, so empty here.
in-vietnamese = {""}
# The name of this language in itself (subtitle tracks and transcripts).
language-name = Tiếng Việt

## Trang chủ (home)

home = Trang chủ
home-lead = Ảnh, phim, âm thanh, hoa văn, kỹ thuật và lễ hội của các làng nghề — lưu giữ cho mai sau.
# $count: how many public records the archive holds.
public-records-count = { $count } tư liệu công khai
records = Tư liệu
# $count: how many records a village has.
records-count = { $count } tư liệu
browse-by-kind = Duyệt theo loại
villages = Làng nghề
stories = Câu chuyện
upcoming-festivals = Lễ hội sắp tới

## Tìm kiếm (search)

# $count: how many records were found.
results-count = { $count } kết quả
# $count: how many records were found; $query: what the visitor typed.
results-count-for = { $count } kết quả cho “{ $query }”
narrow = Thu hẹp kết quả
sort = Sắp xếp
sort-relevance = Phù hợp nhất
sort-title = Tên (A–Z)
sort-date = Cũ nhất
sort-date-desc = Mới nhất
no-results = Không có kết quả.
# $page: this page's number; $pages: how many pages there are.
page-of = Trang { $page } / { $pages }
previous = ← Trước
next = Sau →
pages = Các trang kết quả
search-tips = Cách tìm
tip-diacritics = gõ có dấu hay không dấu đều được
tip-phrase = cụm từ
tip-fields = theo trường
# $page: the page asked for; $last: the last page there is (the search API's answer).
page-past-end = trang { $page } nằm sau trang cuối của các kết quả này, trang { $last }

## Bộ lọc (facets of the search page)

facet-kind = Loại
facet-village = Làng nghề
facet-craft = Nghề
facet-district = Huyện
facet-status = Phân loại (NĐ 52/2018)
facet-decade = Thập niên
facet-media = Có ảnh, phim, âm thanh
# $decade: a year ending in 0, such as 1930.
decade-value = Thập niên { $decade }
yes = Có
no = Không

## Loại tư liệu (kinds of record)

kind-photo = Ảnh
kind-film = Phim
kind-audio = Âm thanh
kind-pattern = Hoa văn
kind-technique = Kỹ thuật
kind-festival = Lễ hội
kind-document = Tài liệu
kind-story = Câu chuyện
kind-other = Khác

## Làng nghề (villages and crafts)

commune = Xã
district = Huyện
province = Tỉnh
decree-status = Phân loại theo Nghị định 52/2018/NĐ-CP
status-at-risk-irreversible = Có nguy cơ mai một, khó khôi phục
status-at-risk-revivable = Có nguy cơ mai một, có thể khôi phục
status-developing = Đang phát triển
status-none = Chưa phân loại
crafts = Nghề
craft = Nghề
village = Làng
villages-of-craft = Làng nghề
products = Sản phẩm
artisans = Nghệ nhân
map = Bản đồ
map-caption = Bản đồ tỉnh Hà Nam (đường viền giản lược từ Natural Earth, phạm vi công cộng); mỗi chấm là một làng, màu theo phân loại.
not-on-map = Chưa có toạ độ
legend = Chú giải

## Tư liệu (a record's page)

open-original = Nhấn vào ảnh để phóng to; bản gốc:
zoom-in = Phóng to
zoom-out = Thu nhỏ
zoom-reset = Vừa khung
close = Đóng
viewer-help = Phím + và − để phóng to, thu nhỏ; phím mũi tên để di chuyển; 0 để vừa khung; Esc để đóng.
metadata = Siêu dữ liệu
field = Trường
vietnamese = Tiếng Việt
english = Tiếng Anh
files = Tệp
file = Tệp
format = Định dạng
size = Kích thước
location-removed = Bản tải về đã được gỡ thông tin vị trí (GPS, địa danh) nên khác với bản gốc được lưu trữ; bản gốc được giữ nguyên trong kho. Chỉ công bố mã kiểm tra của bản tải về: mã của bản gốc sẽ cho phép dò ra vị trí.
location-removed-short = đã gỡ thông tin vị trí
file-withheld = Tệp này không được cung cấp công khai: siêu dữ liệu của nó có thể chứa vị trí.
download = Bản tải về
related = Tư liệu liên quan
transcript = Lời thoại

## Trích dẫn (citing a record)

cite = Trích dẫn tư liệu này
cite-plain = Văn bản
cite-bibtex = BibTeX
stable-url = Địa chỉ ổn định
# In a citation, for a record without a date.
undated = không rõ năm

## Lễ hội và âm lịch (festivals and the lunar calendar)

# A day of the solar calendar: $day, $month (1 to 12), $year.
date-label = { $day }/{ $month }/{ $year }

festivals = Lễ hội
festivals-lead = Ngày dương lịch tính theo âm lịch Việt Nam (múi giờ UTC+7).
no-festivals = Chưa có lễ hội nào có ngày âm lịch.
lunar-date = Ngày âm lịch
next-dates = Dương lịch năm nay và năm sau
# $month: a lunar month (1 to 12); $leap: yes for the leap (intercalary) month of that number.
lunar-month =
    { $leap ->
        [yes] { $month } nhuận
       *[no] { $month }
    }
# $day: the lunar day; $month: the month as lunar-month writes it.
lunar-day-month = ngày { $day } tháng { $month } âm lịch
# $month: a lunar month; $year: the lunar year without that leap month.
in-ordinary-month = tháng { $month } thường: năm { $year } âm lịch không có tháng { $month } nhuận
# $month: the month as lunar-month writes it; $year: the lunar year.
on-29th = ngày 29: tháng { $month } âm lịch năm { $year } chỉ có 29 ngày
# $month: a lunar month; $year: the last year the calendar covers.
no-leap-month-until = Không có tháng { $month } nhuận nào đến hết năm { $year } âm lịch.
# $month: a lunar month; $year: the lunar year it next comes as a leap month.
next-leap-month = Tháng { $month } nhuận tiếp theo: năm { $year } âm lịch.
# $first, $last: the years the calendar covers.
no-solar-dates = Không tính được ngày dương lịch cho năm nay và năm sau (lịch chỉ tính từ năm { $first } đến { $last }).

## Lỗi (error pages: shown in both languages at once)

error-not-found = Không tìm thấy trang này.
error-internal = Máy chủ gặp lỗi; xin thử lại sau.
error-body-refused = Trang này không nhận dữ liệu gửi lên.
back-home = Về trang chủ

## Community protocols: a record whose files are narrower than its description.
files-reserved = Các tệp của tư liệu này được dành riêng: phần mô tả được công khai, còn ảnh, phim, âm thanh và các tệp gốc chỉ dành cho những người được phép xem.
files-reserved-short = Tệp không công khai
# A search page past the result window (break-12c finding 9).
error-page-too-deep = Trang: không hiển thị các kết quả sau kết quả thứ { $window } (trang { $max } là trang cuối); hãy thu hẹp tìm kiếm bằng thêm từ hoặc bộ lọc, thay vì trang '{ $page }'.
