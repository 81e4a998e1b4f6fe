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
kind-visit = Chuyến tham quan
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
map-caption = Bản đồ tỉnh Hà Nam (đường viền giản lược từ Natural Earth, phạm vi công cộng); mỗi chấm là một làng, màu theo phân loại; vòng tròn có số là nhiều làng gần nhau. Trên màn hình hẹp, vuốt ngang để xem cả bản đồ.
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
cite-bibtex = BibTeX
cite-plain-vi = Văn bản (tiếng Việt)
cite-plain-en = Văn bản (tiếng Anh)
cite-ris = RIS
# In the note of a citation file: $id a record id, $version (v3) and $day the OCFL version cited,
# $url the record's stable URL.
cite-note = Tư liệu Disan { $id }, phiên bản OCFL { $version } ({ $day }); bản hiện hành: { $url }
# In the note of a citation file: $title the record's English title.
cite-note-english-title = tên tiếng Anh: { $title }
cite-files = Tải trích dẫn
cite-file-ris = RIS (Zotero, EndNote, Mendeley)
cite-file-bib = BibTeX
cite-file-json = CSL-JSON
# $version: an OCFL version name such as v3; $day: the day it was made (yyyy-mm-dd).
cite-version-phrase = phiên bản { $version }, { $day }
# $url: the record's stable URL, which always shows its current version.
cite-current-phrase = bản hiện hành: { $url }
# Beside the URL of the version a citation names.
cite-version-url = Địa chỉ của phiên bản được trích dẫn
# On the page of an earlier version: $version and $day name it, $head the current version.
version-earlier = Đây là phiên bản { $version } (ngày { $day }) của tư liệu này, một phiên bản cũ; phiên bản hiện hành là { $head }.
version-see-current = Xem phiên bản hiện hành
# On an earlier version's page, when files it had were changed or removed since.
version-files-left-out = Các tệp của phiên bản này đã được thay đổi hoặc gỡ bỏ sau đó không được hiển thị ở đây.
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
error-form-unreadable = Không đọc được biểu mẫu (một trường bị gửi hai lần, hoặc thiếu một trường). Hãy mở lại trang rồi gửi biểu mẫu từ đó.
back-home = Về trang chủ

## Community protocols: a record whose files are narrower than its description.
files-reserved = Các tệp của tư liệu này được dành riêng: phần mô tả được công khai, còn ảnh, phim, âm thanh và các tệp gốc chỉ dành cho những người được phép xem.
files-reserved-short = Tệp không công khai

## Đăng nhập và tài khoản (issue 13)

auth-sign-in = Đăng nhập
auth-sign-out = Đăng xuất
# $login: the signed-in account's login.
auth-signed-in-as = Đang đăng nhập với tên { $login }: tài khoản của bạn
auth-login = Tên đăng nhập
auth-password = Mật khẩu
auth-code = Mã từ ứng dụng xác thực
auth-code-help = Chỉ khi tài khoản của bạn dùng yếu tố thứ hai; mã khôi phục cũng dùng được ở đây.
auth-token-refused = Mã API không hợp lệ: không tồn tại, đã bị thu hồi hoặc tài khoản đã bị khoá.
auth-totp-required = Tài khoản này phải đăng ký xác thực hai bước trước khi dùng API hoặc mã API: hãy đăng nhập bằng trình duyệt, đăng ký tại /account/totp, rồi gửi lại yêu cầu.
auth-cross-site = Biểu mẫu này được gửi từ một trang web khác nên đã bị từ chối. Hãy mở trang trên trang web này và gửi lại.
auth-form-expired = Biểu mẫu này đã hết hạn hoặc không do trang web này tạo. Hãy tải lại trang và gửi lại.
# $kib: the largest form accepted, in KiB.
auth-body-too-large = Biểu mẫu quá lớn: trang web này nhận tối đa { $kib } KiB. Hãy rút ngắn nội dung và gửi lại.
login-refused = Tên đăng nhập, mật khẩu hoặc mã không đúng.
# $seconds: how long to wait before trying again.
login-try-later = Quá nhiều lần thử sai: hãy đợi { $seconds } giây rồi thử lại.
login-unavailable = Hiện không thể đăng nhập; hãy thử lại sau.
login-no-accounts = Trang web này không có tài khoản: không ai đăng nhập được ở đây.
account-title = Tài khoản của bạn
# $login: the account's login; $role: admin, archivist or researcher.
account-who = Đang đăng nhập với tên { $login } ({ $role }).
account-password = Mật khẩu
account-current-password = Mật khẩu hiện tại
account-new-password = Mật khẩu mới
account-password-help = Ít nhất 8 ký tự; vài từ bạn nhớ được là một mật khẩu tốt. Đổi mật khẩu sẽ đăng xuất bạn ở mọi nơi khác và thu hồi mọi mã API của bạn.
account-change-password = Đổi mật khẩu
# $ended: how many other sessions were ended; $tokens: how many API tokens were revoked.
account-password-changed = Đã đổi mật khẩu; { $ended } phiên khác đã kết thúc và { $tokens } mã API đã bị thu hồi.
account-second-factor = Yếu tố thứ hai (ứng dụng xác thực)
# $left: recovery codes not used yet.
account-totp-on = Tài khoản của bạn yêu cầu mã từ ứng dụng xác thực; còn { $left } mã khôi phục.
account-totp-off = Tài khoản của bạn không dùng yếu tố thứ hai.
account-totp-manage = Thiết lập hoặc thay yếu tố thứ hai
account-sessions = Các phiên của bạn
account-session-address = Địa chỉ
account-session-agent = Trình duyệt
account-session-created = Bắt đầu
account-session-last-seen = Lần cuối
account-session-end = Kết thúc phiên này
account-session-this = Phiên này
account-sessions-end-others = Đăng xuất ở mọi nơi khác
# $ended: how many sessions were ended.
account-sessions-ended = Đã kết thúc { $ended } phiên.
account-tokens = Mã API
account-tokens-help = Mã cho phép một chương trình đọc API với tư cách của bạn: gửi nó dưới dạng "Authorization: Bearer …".
account-token-label = Mã này dùng để làm gì
account-token-last-used = Dùng lần cuối
account-token-create = Tạo mã
account-token-revoke = Thu hồi
account-token-revoked = Đã thu hồi
account-token-shown-once = Đây là mã mới của bạn. Hãy sao chép ngay: mã sẽ không hiện lại.
account-error-invalid-login = Tên đăng nhập không hợp lệ: dùng chữ cái, chữ số, ".", "_", "-" và "@".
# $login: the login typed.
account-error-login-taken = Đã có tài khoản tên { $login }.
# $login: the login typed.
account-error-unknown-login = Không có tài khoản nào tên { $login }.
# $chars: the password's length; $min: the shortest allowed.
account-error-password-short = Mật khẩu mới quá ngắn ({ $chars } ký tự); hãy dùng ít nhất { $min }.
# $chars: the password's length; $max: the longest allowed.
account-error-password-long = Mật khẩu mới quá dài ({ $chars } ký tự); hãy dùng tối đa { $max }.
account-error-password-common = Mật khẩu mới là một trong những mật khẩu phổ biến nhất; hãy chọn mật khẩu không ai khác dùng.
account-error-wrong-password = Mật khẩu hiện tại không đúng.
account-error-invalid-group = Mã nhóm không hợp lệ: dùng chữ thường, chữ số và "-".
# $group: the group id typed.
account-error-unknown-group = Không có nhóm nào có mã { $group }.
# $group: the group id typed.
account-error-group-taken = Đã có nhóm mang mã { $group }.
account-error-wrong-code = Mã không đúng, đã hết hạn hoặc đã được dùng.
account-error-totp-required = Vai trò của bạn bắt buộc có yếu tố thứ hai: không thể tắt.
account-error-not-found = Không tìm thấy mục này trong tài khoản.
totp-must-enrol = Vai trò của bạn bắt buộc có yếu tố thứ hai. Hãy thiết lập ngay: trước đó bạn không xem được gì khác.
totp-scan = Quét mã này bằng ứng dụng xác thực, rồi nhập mã 6 chữ số mà ứng dụng hiện ra.
totp-or-type = Hoặc nhập khoá này:
totp-qr-label = Mã QR chứa khoá cho ứng dụng xác thực
totp-confirm = Xác nhận
totp-enrolled-now = Đã thiết lập yếu tố thứ hai.
totp-recovery-shown-once = Các mã khôi phục này cho phép bạn đăng nhập khi không có điện thoại, mỗi mã một lần. Hãy cất giữ cẩn thận: chúng sẽ không hiện lại.
totp-is-on = Yếu tố thứ hai đang bật. Để thay (điện thoại mới), hãy nhập mật khẩu.
totp-is-off = Tài khoản của bạn không dùng yếu tố thứ hai. Để thiết lập, hãy nhập mật khẩu.
totp-begin = Thiết lập yếu tố thứ hai
totp-replace = Thay yếu tố thứ hai
admin-title = Tài khoản và nhóm
admin-role = Vai trò
admin-groups = Nhóm
admin-actions = Thao tác
admin-disabled = đã khoá
admin-disable = Khoá
admin-end-sessions = Đăng xuất khỏi mọi nơi (các phiên và mã API)
admin-role-new = Vai trò mới
admin-role-change = Đổi vai trò
# $login: the account.
admin-role-confirm = Đổi vai trò của { $login }: các phiên của tài khoản kết thúc và các mã API bị thu hồi
admin-role-handover = Vai trò mới cần xác thực hai lớp. Hãy trao khoá này cho chủ tài khoản ngay (khoá chỉ hiện một lần); họ thêm khoá vào ứng dụng xác thực trước lần đăng nhập tới:
admin-group-id = Mã nhóm
admin-group-name = Tên nhóm
admin-group-add = Tạo nhóm
admin-member-add = Thêm vào nhóm
admin-done = Đã xong.
# $record: the record's id.
views-title = Ai đã xem { $record }
views-when = Lúc
views-file = Tệp
views-none = Chưa ai mở hồ sơ này khi đã đăng nhập.

audience-researchers = Dành cho nhà nghiên cứu
audience-restricted = Hạn chế: chỉ lưu trữ viên được xem
audience-community = Chỉ cộng đồng: { $groups }

# A search page past the result window (break-12c finding 9).
error-page-too-deep = Trang: không hiển thị các kết quả sau kết quả thứ { $window } (trang { $max } là trang cuối); hãy thu hẹp tìm kiếm bằng thêm từ hoặc bộ lọc, thay vì trang '{ $page }'.

## Search notices (issue 13 item 9): what the index says about a query, worded here.
# $max: the most words a query searches.
query-words-cut = Chỉ tìm theo { $max } từ đầu tiên; phần còn lại của câu tìm bị bỏ qua.
# $name: a word typed before a colon; $fields: the field names, a list.
query-not-a-field = “{ $name }:” không phải là một trường (các trường: { $fields }): các từ được tìm như đã gõ.
# $example: query-field-example for the field.
query-heading = “{ $name }:” đứng sau một từ khác và viết hoa, như trong một tiêu đề, nên không được hiểu là một trường: các từ được tìm như đã gõ. Để tìm theo trường, hãy viết chữ thường, ví dụ { $example }.
# $reason: a sentence saying what is wrong with the value (query-no-value, unknown-kind, …).
query-field-not-read = { $reason } Vì vậy “{ $name }:” không được hiểu là một trường: các từ được tìm như đã gõ.
query-field-finds-nothing = { $reason } Vì vậy “{ $name }:” không tìm thấy gì: một trường không đọc được không bao giờ được tìm như các từ.
query-empty-range = Khoảng “{ $value }” không chứa ngày nào: hai đầu bị loại trừ không để lại gì ở giữa. Hãy viết date:[2026 TO 2026] cho cả năm
# An example of each field, as typed in the search box ($field: its English name).
query-field-example = { $field ->
    [village] village:"Nha Xá"
    [craft] craft:det-lua
    [district] district:"Duy Tiên"
    [kind] kind:film
    [date] date:[1990 TO 1999]
    [status] status:developing
   *[title] title:trống
}
query-no-value = “{ $field }:” cần một giá trị, ví dụ { $example }
# $kinds: the kinds, a list (photo, film, …).
unknown-kind = Loại “{ $value }” không tồn tại: { $kinds }
query-unknown-status = Tình trạng “{ $value }” không hợp lệ; hãy dùng một trong: { $statuses }
query-bad-date = Không hiểu ngày “{ $value }”: hãy viết date:1995, date:199X hoặc date:[1990 TO 1999]
# $word: an operator word as typed (OR, HOẶC, KHÔNG…); $lower: the same in lowercase.
query-read-as-or = “{ $word }” được hiểu là phép HOẶC: kết quả chứa từ đứng trước hoặc từ đứng sau. Để tìm chính từ này, hãy viết chữ thường (“{ $lower }”).
query-read-as-not = “{ $word }” được hiểu là phép loại trừ: kết quả không chứa từ đứng sau. Để tìm chính từ này, hãy viết chữ thường (“{ $lower }”).
query-read-as-and = “{ $word }” được hiểu là phép VÀ: kết quả chứa cả hai từ hai bên. Để tìm chính từ này, hãy viết chữ thường (“{ $lower }”).
query-operator-left-out = “{ $word }” không nối từ nào nên bị bỏ qua. Để tìm chính từ này, hãy viết chữ thường (“{ $lower }”).
search-identifier = Hiển thị kết quả cho mã số “{ $identifier }”.
search-read-as = Hiển thị kết quả cho “{ $query }”.
search-no-such-village = Không có hồ sơ nào thuộc làng tên “{ $name }”, nên các từ được tìm như đã gõ.
search-no-such-craft = Không có hồ sơ nào thuộc nghề tên “{ $name }”, nên các từ được tìm như đã gõ.
search-word-left-out-with-others = Không hồ sơ nào chứa “{ $word }” cùng các từ khác, nên từ này bị bỏ qua.
search-word-left-out = Không hồ sơ nào chứa “{ $word }”, nên từ này bị bỏ qua.
search-close-spellings = Không tìm thấy “{ $word }”; kết quả gồm cả các từ viết gần giống.
search-spellings-tried = Không tìm thấy “{ $word }”; đã thử cả các từ viết gần giống.
search-word-too-long = Không tìm thấy “{ $word }”; từ dài quá { $max } chữ cái nên không tìm các từ viết gần giống.
search-spellings-budget = Không tìm thấy “{ $word }”; chỉ { $max } từ đầu tiên của câu tìm được tìm theo cách viết gần giống.
# One word of a list named in a notice.
search-quoted = “{ $word }”
# $words: search-quoted of each word, joined by commas.
search-none-hold = Không có hồ sơ nào chứa { $words }.
search-no-field-match = Không có hồ sơ nào khớp với trường (ngày, làng, nghề, loại…) đã tìm.
# $filtered: yes when filters were chosen, no otherwise.
search-not-together = { $filtered ->
    [yes] Không có hồ sơ nào có đủ mọi từ cùng lúc với các lựa chọn lọc; hãy thử bớt từ hoặc bỏ bớt lựa chọn.
   *[no] Không có hồ sơ nào có đủ mọi từ cùng lúc; hãy thử bớt từ.
}
search-not-together-named = { $filtered ->
    [yes] Không có hồ sơ nào có đủ mọi từ { $words } cùng lúc với các lựa chọn lọc; hãy thử bớt từ hoặc bỏ bớt lựa chọn.
   *[no] Không có hồ sơ nào có đủ mọi từ { $words } cùng lúc; hãy thử bớt từ.
}
search-nothing-with-filters = Không có hồ sơ nào khớp với câu tìm và các lựa chọn lọc; hãy thử bỏ bớt lựa chọn.
search-excluded-leave-nothing = Không có hồ sơ nào khớp: các từ loại trừ đã loại hết kết quả.
search-no-records = Chưa có hồ sơ công khai nào.

## Refused requests (pages and the JSON API, issue 12): each names the parameter.
error-too-many-parameters = một lần tìm nhận nhiều nhất { $max } tham số, không phải { $given }
error-repeated-parameter = { $parameter } được đưa nhiều lần; hãy đưa một giá trị (mỗi trường chỉ lọc theo một giá trị)
error-bad-page = page phải là một số nguyên từ 1 đến { $max }, không phải '{ $value }'
error-bad-id = { $parameter } phải là một mã như 'doi-tam' (chữ thường không dấu, chữ số, '-'), không phải '{ $value }'
error-bad-sort = sort phải là relevance, title, date hoặc date-desc, không phải '{ $value }'
error-bad-status = status phải là at-risk-irreversible, at-risk-revivable hoặc developing, không phải '{ $value }'
error-bad-decade = decade phải là một năm tận cùng bằng 0, ví dụ 1930, không phải '{ $value }'
error-bad-media = media phải là yes hoặc no, không phải '{ $value }'
error-bad-lang = lang phải là vi hoặc en, không phải '{ $value }'
error-too-long = { $parameter } dài nhiều nhất { $max } ký tự
error-export-too-large = tìm thấy { $found } bản ghi, nhiều hơn { $max } bản ghi mà một lần xuất kết quả tìm kiếm chứa được: hãy thu hẹp tìm kiếm, hoặc tải toàn bộ bộ sưu tập (/export/metadata.csv không kèm tham số)
export-metadata = Tải các kết quả này dạng metadata.csv (định dạng lô)
export-authorities = kèm các tệp danh mục
export-jsonld = JSON-LD (theo schema.org)
# The JSON API's 404: no such record (or one the viewer may not see), or no such route.
error-api-not-found = Không tìm thấy: không có hồ sơ hoặc địa chỉ này.
iiif-bad-request = Yêu cầu ảnh IIIF không hợp lệ
iiif-not-implemented = Máy chủ này không hỗ trợ tính năng ảnh IIIF này
iiif-date = Ngày
iiif-kind = Loại
iiif-village = Làng
iiif-craft = Nghề
iiif-creator = Tác giả
iiif-rights = Quyền
iiif-manifest = Tệp kê khai IIIF
iiif-open-elsewhere = Mở trong trình xem IIIF khác (Mirador)

views-newest = Đang hiện { $shown } dòng mới nhất trong { $total } dòng.
views-kind-heading = Đã xem qua
# $kind: what a view-log line records (page, api, file, search; record for lines logged before kinds were kept).
views-kind =
    { $kind ->
        [page] trang hồ sơ
        [api] câu trả lời API
        [file] một tệp
        [search] kết quả tìm kiếm (nhan đề, đoạn trích, ảnh nhỏ)
       *[record] trang hồ sơ hoặc câu trả lời API
    }

## Đợt sửa sau rà soát issue 13: yếu tố thứ hai và quyền quản trị.
account-error-own-account = Quản trị viên không thể tự đổi vai trò, nhóm của mình hay tự khoá mình; một quản trị viên khác phải làm.
account-error-same-role = Tài khoản đã có vai trò này; không có gì thay đổi.
account-error-not-confirmed = Chưa có gì thay đổi: hãy đánh dấu ô để xác nhận.
admin-disable-confirm = Xác nhận khoá
admin-membership-changes = Thay đổi thành viên nhóm
admin-when = Lúc
admin-by = Người làm
admin-change = Thay đổi
admin-member-added = được thêm vào
admin-member-removed = bị gỡ khỏi
admin-no-membership-changes = Chưa có thay đổi thành viên nào.
# Mật khẩu mới chứa tên đăng nhập hoặc tên trang (ASVS 5 V6.2.11).
account-error-password-contextual = Mật khẩu mới chứa tên đăng nhập của bạn hoặc tên trang (Disan); hãy chọn mật khẩu khác.

admin-sessions = Phiên
role-researcher = nhà nghiên cứu
role-archivist = lưu trữ viên
role-admin = quản trị viên

## Đợt sửa sau rà soát issue 13 (fixsmall): biểu mẫu gửi lạ.
auth-form-unsupported-type = Biểu mẫu này không được gửi dưới dạng biểu mẫu web (Content-Type: application/x-www-form-urlencoded). Hãy mở lại trang trên trang web này rồi gửi lại từ đó.
# $login: an account's login; $group: a group id.
admin-member-remove = Gỡ { $login } khỏi { $group }
# $login: an account's login; $group: a group id.
admin-member-remove-confirm = Xác nhận gỡ { $login } khỏi { $group }

# issue 14: voc-b
nav-artisans = Nghệ nhân
nav-products = Sản phẩm
artisans-title = Nghệ nhân
artisans-lead = Những người giữ nghề của các làng, với danh hiệu được phong tặng và tác phẩm lưu trong kho.
artisans-none = Chưa có nghệ nhân nào trong kho.
artisan-born = Năm sinh
artisan-died = Năm mất
artisan-works = Tác phẩm và tư liệu
honours = Danh hiệu
honours-none = Chưa ghi nhận danh hiệu nào.
honour-scheme = Loại danh hiệu
honour-awarded-by = Cơ quan phong tặng
honour-decision = Quyết định
honour-date = Ngày
honour-scheme-decree-93-2023 = Danh hiệu Nhà nước về di sản văn hoá phi vật thể (Nghị định 93/2023/NĐ-CP)
honour-scheme-decree-62-2014 = Danh hiệu Nhà nước về di sản văn hoá phi vật thể (Nghị định 62/2014/NĐ-CP)
honour-scheme-decree-43-2024 = Danh hiệu Nhà nước về nghề thủ công mỹ nghệ (Nghị định 43/2024/NĐ-CP)
honour-scheme-decree-123-2014 = Danh hiệu Nhà nước về nghề thủ công mỹ nghệ (Nghị định 123/2014/NĐ-CP)
honour-scheme-association = Danh hiệu của Hiệp hội Làng nghề Việt Nam
honour-scheme-provincial = Danh hiệu cấp tỉnh
honour-scheme-other = Khen thưởng khác
products-title = Sản phẩm
products-lead = Sản phẩm của các làng nghề, với hạng sao OCOP và thời hạn chứng nhận tính theo ngày hôm nay ở Việt Nam.
products-none = Chưa có sản phẩm nào trong kho.
product-producer = Chủ thể sản xuất
product-records = Tư liệu về sản phẩm
# $stars: 1 to 5.
ocop-stars = { $stars } sao OCOP
ocop-rating = Xếp hạng OCOP
ocop-group = Nhóm sản phẩm
ocop-score = Điểm đánh giá
# $score: 0 to 100.
ocop-score-value = { $score }/100 điểm
ocop-level = Cấp công nhận
ocop-certificate = Số giấy chứng nhận
ocop-issued = Ngày cấp
ocop-validity = Hiệu lực
# $date: the last day of validity, in words.
ocop-valid-until = Còn hiệu lực đến hết ngày { $date }
# $date: the last day of validity, in words.
ocop-expired-on = Đã hết hạn (hiệu lực đến hết ngày { $date })
ocop-uncertified = Sản phẩm 1 hoặc 2 sao không được cấp giấy chứng nhận OCOP
ocop-source = Theo Quyết định 148/QĐ-TTg ngày 24/02/2023: giấy chứng nhận sản phẩm 3 đến 5 sao có hiệu lực 36 tháng.
ocop-group-food = Thực phẩm
ocop-group-drinks = Đồ uống
ocop-group-herbal = Thảo dược
ocop-group-handicrafts = Thủ công mỹ nghệ
ocop-group-ornamental = Sinh vật cảnh
ocop-group-tourism = Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch
ocop-level-commune = Cấp xã
ocop-level-district = Cấp huyện
ocop-level-province = Cấp tỉnh
ocop-level-national = Cấp Trung ương
activity-active = Đang hoạt động
activity-at-risk = Có nguy cơ mai một
activity-lost = Đã thất truyền
activity-none = Chưa ghi nhận
village-activity = Tình trạng hoạt động
village-recognised = Được công nhận
village-ocop-products = Hồ sơ sản phẩm
status-since = từ
address-documented = Địa chỉ theo tư liệu (trước 1/7/2025)
address-current = Địa chỉ hiện nay
record-artisans = Nghệ nhân
record-products = Sản phẩm
# A month of the solar calendar: $month (1 to 12), $year.
month-label = tháng { $month }/{ $year }
status-history = Lịch sử phân loại theo Nghị định 52/2018/NĐ-CP
# $version: the archive version (v1, v2…); $date: the day it was archived, in words.
status-recorded = lưu trong kho ở phiên bản { $version }, ngày { $date }

# issue 14: voc-d
facet-province = Tỉnh
facet-commune = Xã
facet-artisan = Nghệ nhân
facet-title = Danh hiệu nghệ nhân
facet-stars = Sao OCOP
# $stars: a number of OCOP stars, 1 to 5.
facet-stars-value = { $stars } sao
error-bad-stars = stars phải là số sao OCOP từ 1 đến 5, không phải '{ $value }'
search-no-such-artisan = Không có hồ sơ nào gắn với nghệ nhân tên “{ $name }”, nên các từ được tìm như đã gõ.
search-no-such-product = Không có hồ sơ nào gắn với sản phẩm tên “{ $name }”, nên các từ được tìm như đã gõ.
search-no-such-province = Không có hồ sơ nào thuộc tỉnh tên “{ $name }”, nên các từ được tìm như đã gõ.
search-no-such-commune = Không có hồ sơ nào thuộc xã tên “{ $name }”, nên các từ được tìm như đã gõ.
query-bad-stars = Không đọc được số sao “{ $value }”: hãy viết stars:4, stars:>=3, stars:3..5 hoặc stars:[3 TO *] (từ 1 đến 5 sao)
query-no-such-stars = Không có sản phẩm OCOP nào được xếp “{ $value }” sao: xếp hạng OCOP có từ 1 đến 5 sao, nên không có kết quả. Hãy viết stars:4, stars:>=3 hoặc stars:3..5.
# An example of each issue-14 field, as typed in the search box ($field: its English name).
query-vocabulary-example = { $field ->
    [artisan] artisan:"tên nghệ nhân"
    [product] product:"trống da trâu"
    [stars] stars:>=3
    [commune] commune:"Mộc Nam"
   *[province] province:"Hà Nam"
}
error-bad-format = format phải là html hoặc csv, không phải '{ $value }'
nav-province = Số liệu tỉnh
province-title = Số liệu làng nghề của tỉnh
province-intro = Số liệu đếm từ kho lưu trữ ngày { $today } (giờ Việt Nam), chỉ gồm những gì bạn được xem.
province-public-only = Bạn chưa đăng nhập: đây là số liệu công khai.
province-download = Tải về dạng CSV
province-villages-by-class = Làng nghề theo phân loại của Nghị định 52/2018/NĐ-CP
province-villages-by-activity = Làng nghề theo tình trạng hoạt động
province-artisans-by-title = Nghệ nhân theo danh hiệu
province-products-by-stars = Sản phẩm OCOP theo số sao
# $until: the last day of the window, YYYY-MM-DD.
province-expiring = Giấy chứng nhận OCOP hết hạn trong 6 tháng tới (đến { $until })
province-expiring-none = Không có giấy chứng nhận nào hết hạn trong 6 tháng tới.
# $count: how many certificates have ended.
province-expired = Giấy chứng nhận đã hết hạn: { $count }
province-records-by-village = Hồ sơ theo làng
province-records-by-kind = Hồ sơ theo loại
province-col-class = Phân loại
province-col-activity = Tình trạng
province-col-title = Danh hiệu
province-col-stars = Số sao
province-col-village = Làng
province-col-kind = Loại
province-col-product = Sản phẩm
province-col-expires = Hết hạn sau ngày
province-col-villages = Số làng
province-col-artisans = Số nghệ nhân
province-col-products = Số sản phẩm
province-col-records = Số hồ sơ
province-no-title = Chưa có danh hiệu
province-unrated = Chưa xếp hạng
province-no-village = Không thuộc làng nào
# $records, $villages, $artisans, $products: counts.
province-totals = { $records } hồ sơ, { $villages } làng nghề, { $artisans } nghệ nhân, { $products } sản phẩm.

# issue 14: voc-c
map-lost = đã thất truyền
map-legend-lost = Làng đã thất truyền (vòng tròn gạch chéo; màu vẫn theo phân loại)
# $count: villages drawn as one numbered circle; $names: their names, joined by commas.
map-bunch = { $count } làng gần nhau — { $names }; danh sách dưới bản đồ
map-legend-bunch = Vòng tròn có số: nhiều làng gần nhau (số là số làng), liệt kê dưới bản đồ
map-groups = Làng gần nhau trên bản đồ
# $count: villages in one numbered circle of the map.
map-group = { $count } làng gần nhau
# $count: villages on the map whose name has no room beside their dot.
map-unlabelled = { $count } làng không có chỗ ghi tên trên bản đồ; chấm của mỗi làng vẫn là liên kết, và mọi làng đều có trong danh sách bên dưới.
visit-stops = Các điểm dừng
visit-no-stops = Chuyến tham quan này chưa có điểm dừng nào.
visit-not-drawn = (chưa có toạ độ, không vẽ trên bản đồ)
visit-route = Lộ trình
visit-route-title = Lộ trình chuyến tham quan
visit-route-desc = Các điểm dừng có toạ độ, đánh số theo danh sách điểm dừng và nối bằng một đường theo thứ tự.
visit-route-caption = Mỗi vòng tròn đánh số là một điểm dừng, theo thứ tự trong danh sách; đường nối chỉ thứ tự, không phải đường đi thật.
visit-route-none = Chưa vẽ được lộ trình: chưa điểm dừng nào có toạ độ. Các điểm dừng được liệt kê ở trên.
# $count: stops without coordinates (Vietnamese needs no plural); $numbers: their numbers, joined by commas.
visit-route-missing = { $count ->
       *[other] Điểm dừng { $numbers } chưa có toạ độ nên không được vẽ.
    }
visit-festivals = Lễ hội sắp diễn ra ở các điểm dừng
# $days: the window in days; $today: today's date as written.
visit-festivals-lead = Lễ hội của các làng trên lộ trình trong { $days } ngày tới, tính từ hôm nay ({ $today }, giờ Việt Nam).
visit-no-festivals = Không có lễ hội nào ở các điểm dừng trong thời gian này.
# $days: days from today.
visit-festival-in-days = { $days ->
        [0] hôm nay
       *[other] còn { $days } ngày
    }

## Không gian làm việc của lưu trữ viên (issue 15).
workspace-edit = Sửa
workspace-history = Lịch sử
workspace-edit-title = Sửa hồ sơ { $record }
workspace-history-title = Lịch sử hồ sơ { $record }
workspace-field = Trường
workspace-vietnamese = Tiếng Việt
workspace-english = Tiếng Anh
workspace-other-fields = Các trường khác
workspace-add-value = giá trị mới
workspace-body = Văn bản (Markdown)
workspace-message = Đã sửa gì
workspace-message-hint = Bắt buộc: vài chữ nói đã sửa gì và vì sao; câu này được lưu cùng phiên bản mới.
workspace-save = Lưu thành phiên bản mới
workspace-based-on = Biểu mẫu này lập từ phiên bản { $version }.
workspace-edtf-help = Ngày viết theo EDTF: 1998 (một năm), 1998-05 (một tháng), 1998-05-14 (một ngày), 199X (thập niên 1990), 1998? (không chắc), 1998~ (khoảng), 1990/1999 (từ năm đến năm).
workspace-errors = Chưa lưu gì: biểu mẫu có lỗi, ghi bên cạnh từng trường.
workspace-warnings = Lưu ý
workspace-message-required = Hãy viết vài chữ nói đã sửa gì và vì sao.
workspace-message-characters = Lời ghi chú có ký tự điều khiển hoặc ký tự ẩn (như ký tự đảo chiều chữ): hãy viết bằng chữ thường.
workspace-busy = Một đợt nhập đang ghi vào kho lưu trữ; chưa lưu gì, hãy thử lại sau một phút.
workspace-vietnam-time = giờ Việt Nam, UTC+7
workspace-restore-changes-access = Khôi phục { $version } cũng đổi người được xem hồ sơ: { $then } ở { $version }, hiện nay là { $now }. Hãy kiểm tra trước khi khôi phục.
workspace-no-base = Chưa lưu gì: biểu mẫu không cho biết nó được lập từ phiên bản nào (có thể đã bị sửa tay). Biểu mẫu được hiện lại từ phiên bản hiện tại: hãy kiểm tra từng trường rồi lưu lại.
workspace-conflict = Chưa lưu gì: hồ sơ đã được người khác đổi từ { $base } thành { $head } sau khi biểu mẫu này được lập. Hãy xem cả hai thay đổi bên dưới; biểu mẫu giờ là phiên bản { $head } kèm các thay đổi của bạn, nên lưu lại sẽ giữ cả hai (trường nào cả hai cùng sửa thì giữ bản của bạn).
workspace-conflict-theirs = Thay đổi của người khác ({ $base } → { $head })
workspace-conflict-yours = Thay đổi của bạn (từ { $base })
workspace-saved = Đã lưu phiên bản { $version }.
workspace-unchanged = Không có gì thay đổi, nên không ghi phiên bản nào.
workspace-version = Phiên bản
workspace-when = Khi nào
workspace-who = Ai
workspace-why = Vì sao
workspace-changes = Thay đổi
workspace-first-version = Phiên bản đầu tiên.
workspace-no-change = Mô tả và tệp không đổi.
workspace-current = phiên bản hiện tại
workspace-restore = Khôi phục { $version }
workspace-restored = Khôi phục { $version }
workspace-restore-message = Lời ghi cho việc khôi phục { $version }
workspace-withdraw = Rút hồ sơ khỏi mọi trang
workspace-withdraw-hint = Hồ sơ bị rút không hiện ở đâu cả (trang, tìm kiếm, API, sơ đồ trang, tệp), kể cả với người đã đăng nhập; kho lưu trữ vẫn giữ mọi phiên bản.
workspace-reinstate = Đưa hồ sơ trở lại
workspace-reason = Lý do
workspace-withdrawn = Hồ sơ đã bị rút: { $reason } ({ $by }, { $at }).
workspace-field-added = thêm
workspace-field-removed = bỏ
workspace-field-changed = sửa
workspace-before = trước
workspace-after = sau
workspace-file-added = thêm tệp
workspace-file-removed = bỏ tệp
workspace-file-changed = tệp đổi nội dung
workspace-already-withdrawn = Hồ sơ đã bị rút rồi.
workspace-not-withdrawn = Hồ sơ không bị rút.
workspace-withhold = Không công bố phiên bản này
workspace-withhold-hint = Phiên bản không công bố là trang không tồn tại với mọi người trừ lưu trữ viên (trang của nó, trang tiếng Anh, các tệp trích dẫn); phiên bản hiện tại không đổi và kho lưu trữ vẫn giữ mọi phiên bản.
workspace-withhold-reason = Vì sao { $version } không được công bố
workspace-withheld = { $version } không được công bố: { $reason } ({ $by }, { $at }).
workspace-release = Công bố lại
workspace-release-reason = Vì sao { $version } được công bố lại
workspace-withhold-head = Không thể ẩn phiên bản hiện tại: hãy sửa hoặc rút hồ sơ.
workspace-restore-withheld = Không thể khôi phục phiên bản này: nó chứa nội dung đã bỏ khỏi một phiên bản trước không được công bố. Hãy công bố lại phiên bản đó trước.
workspace-withheld-text = nội dung này đã bị bỏ khỏi một phiên bản trước không được công bố; không thể đưa lại khi phiên bản đó còn bị ẩn (hãy công bố lại phiên bản đó trước, hoặc viết khác đi)
workspace-already-withheld = Phiên bản này đã không được công bố rồi.
workspace-not-withheld = Phiên bản này đang được công bố.
workspace-add-field = Thêm một trường
workspace-add-field-hint = Tên cột như trong bảng nhập (dc.creator, dc.rights@en, dc.spatial…) và giá trị của nó.
workspace-withdrawn-title = Hồ sơ đã rút
workspace-record = Hồ sơ
workspace-none-withdrawn = Chưa có hồ sơ nào bị rút.
workspace-edit-village = Sửa làng nghề { $id }
workspace-edit-craft = Sửa nghề { $id }
workspace-edit-artisan = Sửa nghệ nhân { $id }
workspace-edit-product = Sửa sản phẩm { $id }
workspace-history-village = Lịch sử làng nghề { $id }
workspace-history-craft = Lịch sử nghề { $id }
workspace-history-artisan = Lịch sử nghệ nhân { $id }
workspace-history-product = Lịch sử sản phẩm { $id }
workspace-public-page = Trang công khai
workspace-authority-file = Mỗi trường là một cột của { $file } (mã { $id } không đổi ở đây); các quy tắc và thông báo lỗi là của lệnh nhập.
workspace-day-help = Một ngày viết YYYY-MM-DD (2025-06-01).
workspace-list-help = Nhiều giá trị cách nhau bằng dấu chấm phẩy (;), như trong tệp.
workspace-honours = Danh hiệu (metadata/honours.csv)
workspace-honours-hint = Mỗi danh hiệu là một dòng của honours.csv: title, scheme (decree-93-2023, decree-62-2014, decree-43-2024, decree-123-2014, association, provincial, other), awarded_by, decision, date (EDTF).
workspace-honour = Danh hiệu { $number }
workspace-honour-new = Thêm một danh hiệu
workspace-honour-remove = Bỏ danh hiệu này
workspace-title = Không gian làm việc
workspace-filters = Bộ lọc
workspace-words = Từ khoá
workspace-access = Quyền xem
workspace-all = Tất cả
workspace-kind = Loại
workspace-village = Làng
workspace-since = Thay đổi từ ngày
workspace-problems = Vấn đề
workspace-sort = Thứ tự
workspace-newest-first = Thay đổi mới nhất trước
workspace-oldest-first = Thay đổi cũ nhất trước
workspace-apply = Hiển thị
workspace-found = { $count } hồ sơ.
workspace-changed = Thay đổi lần cuối
workspace-actions = Thao tác
workspace-files-badge = tệp: { $rule }
workspace-unreadable = Không đọc được { $count } đối tượng của kho lưu trữ; lệnh `disan verify` cho biết là những đối tượng nào.
workspace-filter-ignored = Bộ lọc { $field } = “{ $value }” không có nghĩa ở đây nên đã bị bỏ qua.
workspace-access-public = Công khai
workspace-access-researchers = Cho nhà nghiên cứu
workspace-access-restricted = Hạn chế
workspace-access-community = Của cộng đồng
workspace-access-withdrawn = Đã rút
workspace-problem-any = Có vấn đề bất kỳ
workspace-problem-no-description = Không có mô tả
workspace-problem-no-village = Không có làng
workspace-problem-no-english-title = Không có nhan đề tiếng Anh
workspace-problem-failed-preview = Không tạo được ảnh xem trước
workspace-audit = Nhật ký
workspace-audit-title = Nhật ký sự kiện (PREMIS)
workspace-audit-of = Nhật ký sự kiện của hồ sơ { $record }
workspace-audit-hint = Mọi sự kiện trong nhật ký bảo quản của kho: ai hoặc phần mềm nào làm, khi nào, kết quả ra sao. Nhật ký đi cùng kho lưu trữ (tệp premis.xml của từng đối tượng, và extensions/disan-premis/ cho các lần kiểm tra toàn vẹn và xoá hẳn); lệnh `disan audit` in ra đúng các sự kiện này.
workspace-event-type = Sự kiện
workspace-agent = Tác nhân
workspace-from = Từ ngày
workspace-until = Đến ngày
workspace-outcome = Kết quả
workspace-object = Đối tượng
workspace-detail = Chi tiết
workspace-export-csv = Xuất CSV
workspace-export-json = Xuất JSON
workspace-events-found = { $count } sự kiện.
workspace-event-ing = tiếp nhận
workspace-event-mem = sửa siêu dữ liệu
workspace-event-mes = tính mã băm
workspace-event-for = nhận dạng định dạng
workspace-event-val = kiểm tra hợp lệ
workspace-event-fix = kiểm tra toàn vẹn
workspace-event-poa = gán chính sách (quyền xem)
workspace-event-dea = rút khỏi kho (rút hồ sơ)
workspace-event-acc = tiếp nhận lại (khôi phục hồ sơ)
workspace-event-del = xoá hẳn (purge)
workspace-outcome-suc = thành công
workspace-outcome-war = cảnh báo
workspace-outcome-fai = thất bại
workspace-agent-per = người
workspace-agent-sof = phần mềm

## OAI-PMH (/oai): set names and error messages, written "Tiếng Việt / English" in responses.
oai-set-kinds = Loại tư liệu
oai-bad-verb = Thiếu tham số verb, verb bị lặp lại, hoặc không phải một trong sáu verb của OAI-PMH.
oai-argument-missing = Thiếu tham số bắt buộc { $name }.
oai-argument-repeated = Tham số { $name } được gửi nhiều lần.
oai-argument-unknown = Verb này không nhận tham số { $name }.
oai-argument-malformed = Giá trị của tham số { $name } không đúng dạng.
oai-token-not-alone = resumptionToken phải được gửi một mình (chỉ kèm verb).
oai-from-after-until = Ngày from muộn hơn ngày until.
oai-mixed-granularity = from và until phải cùng độ chi tiết: cùng là ngày (YYYY-MM-DD), hoặc cùng đến giây (YYYY-MM-DDThh:mm:ssZ).
oai-bad-resumption-token = resumptionToken không hợp lệ: hỏng, bị sửa, hoặc thuộc về một verb khác.
oai-cannot-disseminate-format = Kho này chỉ cung cấp định dạng oai_dc.
oai-id-does-not-exist = Kho này không có mục nào với định danh đó.
oai-no-records-match = Không có bản ghi nào khớp với lựa chọn này.

## Uploads in the workspace (issue 15, upload).
upload-title = Tải tệp lên
upload-limit = Mỗi tệp tối đa { $max }. Một lượt tải chưa xong được giữ { $hours } giờ kể từ lần cuối nhận dữ liệu, nên khi mất kết nối có thể tải tiếp từ chỗ đã dừng; mỗi người được có cùng lúc { $count } lượt tải chưa xong.
upload-choose = Các tệp cần tải lên
upload-start = Tải lên
upload-needs-script = Tải lên có thể tiếp tục cần bật JavaScript trong trình duyệt này.
upload-yours = Các lượt tải của bạn
upload-none = Bạn chưa tải gì lên.
upload-file = Tệp
upload-received = Đã nhận
upload-expires = Giữ đến
upload-done = xong
upload-progress = Tiến độ tải lên
upload-js-failed = thất bại
upload-js-resuming = mất kết nối, đang tải tiếp
# $max: a size in words.
upload-js-too-large = quá lớn: tối đa { $max }; chưa gửi gì
# $size, $max: sizes in words (20 GiB).
upload-too-large = Tệp quá lớn: tệp có { $size }, mà mỗi lượt tải chỉ nhận tối đa { $max }. Chưa có gì được gửi.
# $count: number of uploads; $bytes: a size in words.
upload-quota = Bạn có quá nhiều lượt tải chưa xong: tối đa { $count } lượt, và tối đa { $bytes } còn phải gửi. Hãy hoàn tất hoặc huỷ bớt trước.
upload-not-found = Không có lượt tải này; một lượt tải chưa xong bị xoá khi không nhận được gì trong một ngày. Hãy tải lại từ đầu.
upload-busy = Lượt tải này vẫn đang nhận dữ liệu từ một yêu cầu trước; hãy thử lại sau vài giây.
upload-disk-full = Ổ đĩa của máy chủ đã đầy: lượt tải đã dừng. Phần đã nhận được giữ lại; hãy báo cho quản trị viên.
upload-failed = Máy chủ không lưu được lượt tải; phần đã nhận được giữ lại. Hãy thử lại hoặc báo cho quản trị viên.
# $version: the protocol version.
upload-version = Máy chủ này dùng giao thức tải lên tiếp tục được tus, phiên bản { $version } (tiêu đề Tus-Resumable).
upload-no-length = Hãy cho biết kích thước tệp (tiêu đề Upload-Length).
upload-bad-metadata = Không đọc được mô tả của lượt tải (tiêu đề Upload-Metadata): các cặp tên và văn bản Base64.
upload-content-type = Hãy gửi dữ liệu tệp dưới dạng application/offset+octet-stream.
upload-no-offset = Hãy cho biết các byte này thuộc vị trí nào (tiêu đề Upload-Offset).
# $claimed, $offset: byte counts.
upload-wrong-offset = Các byte này được gửi cho vị trí { $claimed }, nhưng máy chủ đã nhận { $offset } byte: hãy hỏi vị trí tiếp tục (HEAD) rồi gửi từ đó.
# $length: a size in words.
upload-past-length = Số byte gửi nhiều hơn kích thước đã báo của tệp ({ $length }); phần thừa không được giữ.
upload-past-length-nothing-kept = Yêu cầu này báo nhiều byte hơn kích thước đã báo của tệp ({ $length }), nên không byte nào của nó được giữ: bản tải lên vẫn ở byte { $offset }. Hãy gửi phần còn lại của tệp, không hơn.
upload-batch-hint = Một lô là một thư mục như `disan ingest` đọc: các tệp và metadata/metadata.csv. Hãy chọn thư mục (hoặc các tệp của nó), tải lên, rồi lập lô từ các lượt tải: lô được kiểm tra trước, và không có gì vào kho cho đến khi bạn xác nhận.
upload-choose-folder = Cả một thư mục (một lô)
upload-in-batch = Trong lô
upload-make-batch = Kiểm tra các tệp này thành một lô
batch-list = Các lô của bạn
batch-none = Bạn chưa có lô nào.
batch-name = Lô
batch-state = Trạng thái
batch-state-checked = đã kiểm tra, chờ bạn xác nhận
batch-state-queued = đã xác nhận, chờ một lượt nhập khác xong
batch-state-waiting = đã xác nhận, chờ một tiến trình khác đang ghi vào kho
batch-state-ingesting = đang nhập
batch-state-done = đã nhập
batch-state-failed = thất bại
# $done, $total: numbers of records.
batch-interrupted = Việc nhập lô này đã dừng cùng máy chủ trước khi xong ({ $done } trên { $total } hồ sơ đã được lưu; kho vẫn hợp lệ). Hãy xác nhận lại để nhập phần còn lại: các hồ sơ đã lưu sẽ không đổi.
# $name: the batch folder's name.
batch-title = Lô { $name }
batch-progress = Tiến độ nhập
# $done, $total: numbers of records.
batch-count = { $done } trên { $total } hồ sơ
batch-reload = Tải lại trang này để xem tiến độ
batch-checked = Kiểm tra (chưa ghi gì)
batch-report = Báo cáo nhập
# $added, $updated, $unchanged, $errors: numbers.
batch-summary = Hồ sơ thêm: { $added }, cập nhật: { $updated }, không đổi: { $unchanged }; lỗi: { $errors }.
batch-problems = Các vấn đề, theo tệp, dòng (như bảng tính hiển thị) và cột
batch-severity = Mức độ
batch-row = Dòng
batch-column = Cột
batch-problem = Vấn đề
batch-error = lỗi
batch-warning = cảnh báo
batch-no-problems = Không có vấn đề nào.
batch-added = Hồ sơ được thêm
batch-updated = Hồ sơ được cập nhật
batch-confirm-hint = Các dòng có lỗi sẽ bị bỏ qua; phần còn lại vào kho như liệt kê ở trên. Muốn sửa một dòng, hãy sửa bảng tính ở trên rồi kiểm tra lại (hoặc sửa trong phần mềm bảng tính rồi tải lô lên lại).
# $path: the sheet's path in the batch.
batch-sheet = Sửa bảng tính ({ $path })
batch-sheet-hint = Bảng tính của lô như khi tải lên, mỗi dòng một hàng, các cột cách nhau bằng dấu phẩy. Hãy sửa các dòng được nêu ở trên rồi kiểm tra lại: không có gì vào kho cho đến khi bạn xác nhận.
batch-sheet-save = Lưu bảng tính và kiểm tra lại
batch-confirm = Xác nhận: nhập lô này
batch-refused = Không lập được lô:
batch-sheet-too-large = Bảng đã sửa { $path } nặng { $size }: bảng sửa trên trang này chứa tối đa { $max }. Không có gì bị thay đổi; hãy sửa bảng lớn như vậy bằng phần mềm bảng tính rồi tải lô lên lại.
# $finished, $unconfirmed, $ingested: whole days.
upload-lifetimes = Khu tạm giữ các tệp trong thời hạn ghi rõ: một lượt tải đã xong mà chưa lập thành lô được giữ { $finished } ngày kể từ khi xong; một lô đã kiểm tra mà chưa xác nhận (hoặc nhập thất bại) được giữ { $unconfirmed } ngày kể từ lần kiểm tra hay lần chạy cuối; các tệp của một lô đã nhập được giữ { $ingested } ngày kể từ khi nhập xong, còn báo cáo của lô được giữ mãi. Hết hạn thì các tệp tạm bị xoá; những gì đã vào kho không bao giờ bị xoá.
upload-cancel-column = Huỷ
upload-cancel = Huỷ
# $name: the upload's file name or path.
upload-cancelled = Đã huỷ lượt tải { $name }: tệp của nó đã bị xoá.
batch-state-cancelled = đã huỷ, các tệp đã bị xoá
batch-state-expired = hết hạn khi chưa được xác nhận, các tệp đã bị xoá
# $when: a date and time (UTC).
batch-cancelled = Bạn đã huỷ lô này ({ $when }): các tệp tải lên của nó đã bị xoá khỏi khu tạm. Việc huỷ không thay đổi gì trong kho. Báo cáo kiểm tra bên dưới được giữ lại.
# $when: a date and time (UTC).
batch-expired = Lô này không được xác nhận trong thời hạn nên các tệp tải lên của nó đã bị xoá ({ $when }). Kho không thay đổi. Báo cáo kiểm tra bên dưới được giữ lại; muốn nhập, hãy tải lô lên lại.
# $when: a date and time (UTC).
batch-files-removed = Các tệp tải lên của lô này đã bị xoá khỏi khu tạm ({ $when }); báo cáo bên dưới được giữ lại, và những gì đã vào kho vẫn còn nguyên.
# $when: a date and time (UTC).
batch-files-until = Các tệp tải lên của lô này được giữ trong khu tạm đến { $when }.
batch-rerun-hint = Lần nhập lô này đã thất bại (lý do ở trên). Khi nguyên nhân đã được khắc phục, hãy chạy lại: các hồ sơ đã lưu sẽ không đổi.
batch-rerun = Chạy lại: nhập lô này
batch-rerun-missing-hint = Lần nhập đã xong, nhưng các hồ sơ sau mà bước kiểm tra đã dự kiến chưa được lưu trữ (lý do ở báo cáo trên). Khi nguyên nhân đã được khắc phục, hãy chạy lại lô: các hồ sơ đã lưu sẽ không đổi. Chưa lưu trữ:
batch-cancel-hint = Huỷ lô sẽ xoá các tệp tải lên của nó khỏi khu tạm; không có gì trong kho bị thay đổi.
batch-cancel = Huỷ lô này
batch-conflict-done = Lô này đã được nhập xong: một lô không bao giờ được nhập hai lần. Muốn nhập lại các tệp của nó, hãy tải chúng lên thành một lô mới.
batch-conflict-running = Lô này đã được xác nhận và đang được nhập (hoặc đang chờ): lúc này không thể xác nhận lại, sửa hay huỷ nó.
batch-conflict-removed = Các tệp tải lên của lô này đã bị xoá (lô đã bị huỷ hoặc hết hạn): không thể xác nhận, sửa hay huỷ nó nữa. Hãy tải các tệp lên thành một lô mới.
batch-conflict-failed = Lần nhập lô này đã thất bại: bảng tính không còn sửa được ở đây. Hãy chạy lại lô, hoặc huỷ nó rồi tải lên một lô đã sửa.


## Ngày EDTF (dates in dc.date and other date columns, issue 15)
edtf-error = "{ $input }": { $problem }
edtf-part-year = năm
edtf-part-month = tháng
edtf-part-day = ngày
edtf-empty = chưa có ngày; hãy viết như 2020-08-27, 2019, 1990/1999, 1930~, 1930? hoặc 193X
edtf-not-edtf = không phải ngày EDTF; hãy viết như 2020-08-27, 2019, 1990/1999, 1930~, 1930? hoặc 193X
edtf-range-needs-slash = khoảng thời gian viết bằng dấu gạch chéo, như { $suggestion }
edtf-needs-hyphens = năm, tháng và ngày cách nhau bằng dấu gạch ngang, như { $suggestion }
edtf-long-year-needs-y = năm có hơn bốn chữ số thì bắt đầu bằng Y, như { $suggestion }
edtf-short-year-with-y = chỉ năm có hơn bốn chữ số mới bắt đầu bằng Y; hãy viết { $suggestion }
edtf-year-too-far = năm { $year } cách hiện tại quá xa nên không lưu được
edtf-negative-zero = năm 0 không có dấu trừ; hãy viết 0000
edtf-year-digits-x = chỉ một hoặc hai chữ số cuối của năm mới được là X, như 193X hoặc 19XX
edtf-known-after-x = { $part } đã biết không thể đứng sau { $after } chưa rõ; hãy viết cả { $part } là XX
edtf-month-does-not-exist = không có tháng { $month }
edtf-month-or-season-does-not-exist = không có tháng { $month }; tháng viết từ 01 đến 12, mùa từ 21 (xuân) đến 24 (đông)
edtf-season-with-day = mùa (21 đến 24) không đi kèm ngày
edtf-day-zero = không có ngày 00
edtf-day-beyond-month = { $month } năm { $year } có { $days } ngày
edtf-time-needs-day = giờ trong ngày phải đứng sau một ngày đầy đủ, như 2020-08-27T10:30:00
edtf-qualified-time = ngày có giờ không được đánh dấu ?, ~ hay %
edtf-field-hour = giờ
edtf-field-minute = phút
edtf-field-second = giây
edtf-time-field = không có { $field } { $value }
edtf-time-zone = không có múi giờ { $zone }; hãy viết Z, hoặc độ lệch như +07:00
edtf-interval-without-date = khoảng thời gian cần ngày ở ít nhất một đầu, như 1990/.. hoặc /1999
edtf-backwards = khoảng thời gian bắt đầu ({ $start }) sau khi kết thúc ({ $end }); hãy đặt ngày sớm hơn lên trước
edtf-month-1 = tháng 1
edtf-month-2 = tháng 2
edtf-month-3 = tháng 3
edtf-month-4 = tháng 4
edtf-month-5 = tháng 5
edtf-month-6 = tháng 6
edtf-month-7 = tháng 7
edtf-month-8 = tháng 8
edtf-month-9 = tháng 9
edtf-month-10 = tháng 10
edtf-month-11 = tháng 11
edtf-month-12 = tháng 12

## Nhập: ô của bảng tính (ingest: cells of metadata.csv and the edit form, issue 15)
ingest-column-may-mean-access = '{ $header }' không phải cột Disan biết, và nó có thể nói ai được xem hồ sơ: { $hint }
ingest-second-lunar-date = ngày âm lịch thứ hai '{ $value }' sau '{ $first }': lịch lễ hội chỉ hiện một ngày cho mỗi hồ sơ; hãy giữ một ngày, hoặc mô tả mỗi ngày lễ thành một hồ sơ riêng
ingest-column-only-once = cột này chỉ được có một lần
ingest-stop-not-visit = stop chỉ dùng cho chuyến tham quan: hãy ghi kind: visit (hoặc bỏ các điểm dừng)
ingest-too-many-stops = một chuyến tham quan có nhiều nhất { $limit } điểm dừng; chuyến này có { $count }: hãy chia thành nhiều chuyến
ingest-visit-without-stop = chuyến tham quan không có điểm dừng nào: trang của nó không có nơi nào để đến; hãy thêm stop: village:<id> hoặc record:<id>, mỗi điểm dừng một lần
ingest-files-access-wider = files_access { $files } rộng hơn access { $access }: tệp không bao giờ được nhiều người xem hơn hồ sơ, nên tệp theo access
ingest-access-says = access ghi { $access }
ingest-access-not-stated = access không được ghi
ingest-access-not-stated-public = access không được ghi, nên hồ sơ công khai
ingest-access-word-outside-access = '{ $header }' ghi '{ $word }', một mức quyền xem, nhưng { $access }: hãy ghi public, researchers, restricted hoặc community:<group-id> vào cột access
ingest-access-rights-restrict-no-one = '{ $header }' được hiện như văn bản mô tả và không hạn chế ai ({ $access }): nếu ý là chỉ một số người được xem hồ sơ, hãy ghi public, researchers, restricted hoặc community:<group-id> vào cột access
ingest-a-community-protocol = một quy ước của cộng đồng
ingest-a-community-group-id = mã của một nhóm cộng đồng
ingest-protocol-outside-rules = '{ $header }' chứa '{ $value }', { $what }, nhưng chỉ cột access mới nói ai được xem hồ sơ (files_access: ai được xem tệp của nó): hãy ghi community:<group-id> vào access (hoặc files_access), và bỏ nó khỏi '{ $header }'
ingest-need-without-rule = có ghi need nhưng không có { $name }: hãy ghi các cộng đồng vào cột { $name }
ingest-authority-row-refused = { $what } '{ $id }' không có trong kho và dòng của nó ({ $file }, dòng { $row }) đã bị từ chối: hãy sửa dòng đó rồi nhập lại lô
ingest-authority-refused = { $what } '{ $id }' không có trong kho và dòng của nó ({ $file }) đã bị từ chối: hãy sửa dòng đó rồi nhập lại lô
ingest-authority-unknown = không tìm thấy { $what } '{ $id }': không có trong kho, cũng không có trong { $file } của lô
ingest-word-village = làng
ingest-word-craft = nghề
ingest-word-artisan = nghệ nhân
ingest-word-product = sản phẩm
ingest-authority-ambiguous = '{ $text }' có thể là { $what } nào trong số { $ids }; hãy ghi mã thay vì tên
ingest-rename-hint-need = có phải ý bạn là { $meant }? Hãy đặt tên cột là { $meant } (giá trị: any hoặc all: người xem phải thuộc một trong các cộng đồng hay thuộc tất cả)
ingest-rename-hint = có phải ý bạn là { $meant }? Hãy đặt tên cột là { $meant } (giá trị: public, researchers, restricted, community:<group-id>)
ingest-cell-too-long-text = ô này chứa { $size } byte, quá giới hạn { $limit } byte của một đoạn mô tả (văn bản dài hơn thuộc về phần thân của một hồ sơ Markdown): hãy rút ngắn; dòng này chưa được nhập cho đến khi sửa xong
ingest-cell-too-long-name = ô này chứa { $size } ký tự, quá giới hạn { $limit } ký tự của một tên, tiêu đề, mã hay từ khóa: hãy rút ngắn; dòng này chưa được nhập cho đến khi sửa xong
ingest-cell-too-long-list = ô này chứa { $size } ký tự, quá giới hạn { $limit } ký tự của một danh sách, đường dẫn hay ghi chú: hãy rút ngắn; dòng này chưa được nhập cho đến khi sửa xong

ingest-group-does-not-exist = community:{ $id } chỉ đến nhóm '{ $id }', nhưng nhóm này không tồn tại: nhóm do quản trị viên tạo; hãy kiểm tra chính tả, hoặc đề nghị tạo nhóm trước
ingest-group-not-in-database = community:{ $id } chỉ đến nhóm '{ $id }', nhưng cơ sở dữ liệu tài khoản { $database } không có nhóm này: hãy tạo nhóm trước bằng `{ $create }`, rồi nhập lại
ingest-no-accounts-database = community:{ $id } chỉ đến nhóm '{ $id }', nhưng không có cơ sở dữ liệu tài khoản ở { $database } (--accounts, DISAN_ACCOUNTS): hãy tạo nhóm trước bằng `{ $create }` (lệnh này tạo luôn cơ sở dữ liệu), rồi nhập lại
ingest-tag-empty = kết thúc bằng '@' mà không có ngôn ngữ
ingest-tag-other-language = được gắn ngôn ngữ '{ $tag }'
ingest-column-language = '{ $header }' { $what }, nhưng Disan chỉ giữ giá trị tiếng Việt (không gắn thẻ, hoặc @vi) và tiếng Anh (@en, @en-GB…); hãy gắn cột với một trong hai
ingest-column-lunar-date = '{ $header }' không phải cột Disan biết; có phải ý bạn là lunar_date (ngày lễ hội theo âm lịch, như 1-7)? Hãy đặt tên cột là lunar_date
ingest-files-rule-in-text = '{ $header }' dành cho tệp của hồ sơ, nhưng một văn bản Markdown không có tệp nào ngoài chính nó, và phần thân của nó là mô tả của hồ sơ, hiện cho bất kỳ ai được xem hồ sơ: hãy ghi quy tắc vào access (access: { $value }), và bỏ { $header }

ingest-not-dublin-core = '{ $header }' không phải thuật ngữ Dublin Core; giá trị của nó được giữ nhưng không hiện
ingest-dublin-core-colon = '{ $header }' đã được đọc là cột { $column } (Disan viết cột Dublin Core bằng dấu chấm)
ingest-read-as-column = '{ $header }' đã được đọc là cột { $canonical }
ingest-location-column = '{ $header }' chứa vị trí; giá trị của nó được giữ trong kho nhưng không công bố
ingest-unknown-column-did-you-mean = '{ $header }' không phải cột Disan biết (có phải ý bạn là dc.{ $term }?); giá trị của nó được giữ nguyên và hiện cùng hồ sơ, và không nói gì về việc ai được xem
ingest-unknown-column = '{ $header }' không phải cột Disan biết; giá trị của nó được giữ nguyên và hiện cùng hồ sơ, và không nói gì về việc ai được xem

## Biểu mẫu sửa hồ sơ (the edit forms: their own rules, issue 15)
workspace-form-describes-nothing = biểu mẫu không mô tả điều gì mà việc nhập sẽ nhận
workspace-form-filename = tệp của hồ sơ không được đổi tên ở đây; filename không phải một trường của biểu mẫu
workspace-form-unknown-field = '{ $name }' không phải một trường của hồ sơ: hãy dùng các trường biểu mẫu hiện ra (các cột metadata.csv của một lô)
workspace-form-too-many-values = { $count } giá trị, quá giới hạn { $limit } của một trường: hãy giữ những giá trị mô tả hồ sơ
workspace-form-access-required = hãy cho biết ai được xem hồ sơ: public, researchers, restricted hoặc community:<group-id>
workspace-form-title-required = hồ sơ cần có tiêu đề (dc.title, hoặc dc.title@en bằng tiếng Anh)

## Nhập: bảng tính metadata.csv (ingest: reading the sheet, issue 15)
ingest-nothing = {""}
ingest-file-empty = tệp trống
ingest-sheet-other-separator = ; bảng tính có vẻ được phân cách bằng '{ $other }': hãy lưu lại thành CSV với dấu phẩy, dấu chấm phẩy hoặc dấu tab giữa các cột
ingest-header-below = ; dòng tiêu đề là dòng { $row }: nó phải là dòng đầu tiên, nên hãy xóa các dòng phía trên
ingest-first-column-not-filename = cột đầu tiên phải là 'filename' (đường dẫn của tệp hay thư mục được mô tả, tính từ lô), nhưng dòng { $row } bắt đầu bằng '{ $first }'{ $separated }{ $header_at }
ingest-unknown-rule-column = cột '{ $name }' không phải cột Disan biết, và nó có thể nói ai được xem tệp: { $hint }, hoặc bỏ cột đó; chưa có gì trong lô được nhập
ingest-row-repeats-header = dòng này lặp lại dòng tiêu đề; đã bỏ qua
ingest-second-header = dòng này là một dòng tiêu đề với các cột khác dòng { $row } (hai bảng tính dán nối nhau?), nên các dòng bên dưới không đọc được chắc chắn; hãy làm một bảng tính với một dòng tiêu đề; chưa có gì trong lô được nhập
ingest-an-access-level = một mức quyền xem
ingest-a-need = một giá trị need
ingest-row-rule-shifted = , và một ô phía trước chứa { $what } trong khi ô { $name } bị thiếu (bỏ sót một ô, hay một dấu ngoặc kép chưa đóng?)
ingest-row-stray-comma = {" "}(thừa một dấu phẩy, hay một dấu ngoặc kép chưa đóng?)
ingest-one-cell = { $count } ô
ingest-cells = { $count } ô
ingest-row-too-many-cells = dòng có { $cells } nhưng dòng tiêu đề có { $columns } cột{ $why }; những gì dòng này mô tả chưa được nhập cho đến khi sửa xong
ingest-separated-by-semicolons = các cột được phân cách bằng dấu chấm phẩy (như Excel lưu CSV theo thiết lập vùng Việt Nam hay châu Âu); bảng tính đã được đọc theo cách đó
ingest-separated-by-tabs = các cột được phân cách bằng dấu tab (như Excel lưu 'Text (tab delimited)'); bảng tính đã được đọc theo cách đó

## Nhập: dòng và tệp của lô (ingest: rows, files and the batch, issue 15)
ingest-row-number = dòng { $row }
ingest-rows-numbers = các dòng { $rows }
ingest-cell-swallowed-path = ô này có dấu xuống dòng rồi đến đường dẫn { $paths } của lô: có lẽ một dấu ngoặc kép chưa đóng đã nuốt mất dòng mô tả nó; những gì dòng này mô tả chưa được nhập cho đến khi sửa xong
ingest-cell-swallowed-paths = ô này có dấu xuống dòng rồi đến các đường dẫn { $paths } của lô: có lẽ một dấu ngoặc kép chưa đóng đã nuốt mất các dòng mô tả chúng; những gì dòng này mô tả chưa được nhập cho đến khi sửa xong
ingest-described-twice = '{ $target }' được mô tả ở { $rows }; hãy giữ một dòng cho nó
ingest-rows-claim-same-files = { $rows } cùng nhận một số tệp ({ $each }): mỗi tệp chỉ thuộc một hồ sơ, nên không dòng nào được nhập; hãy mô tả thư mục hoặc các tệp trong đó, không phải cả hai
ingest-filename-empty = ô filename để trống
ingest-never-ingested = '{ $target }' không bao giờ được nhập ({ $reason }); hãy đổi tên, hoặc chuyển nó ra khỏi thư mục đó
ingest-cannot-be-ingested = '{ $target }' không nhập được: { $reason }
ingest-no-such-path-did-you-mean = trong lô không có tệp hay thư mục '{ $target }'; có phải ý bạn là { $paths }? Những gì dòng này mô tả chưa được nhập cho đến khi sửa xong
ingest-no-such-path = trong lô không có tệp hay thư mục '{ $target }'
ingest-path-in-doubt = chưa nhập: '{ $path }' có thể cũng được mô tả ở { $rows } của { $sheet }, nơi không đọc được chắc chắn; hãy sửa dòng đó rồi nhập lại
ingest-path-claimed = '{ $path }' đã thuộc hồ sơ của một dòng khác
ingest-file-row-unusable = chưa nhập: { $rows } của { $sheet } có thể mô tả tệp này nhưng không dùng được (xem lỗi ở đó); hãy sửa rồi nhập lại
ingest-file-rows-unusable = chưa nhập: { $rows } của { $sheet } có thể mô tả tệp này nhưng không dùng được (xem các lỗi ở đó); hãy sửa rồi nhập lại
ingest-file-row-names-nothing = chưa nhập: { $rows } của { $sheet } không chỉ đến tệp nào của lô, và có thể dòng đó dành cho tệp này; hãy sửa cột filename rồi nhập lại
ingest-file-rows-name-nothing = chưa nhập: { $rows } của { $sheet } không chỉ đến tệp nào của lô, và có thể một trong số đó dành cho tệp này; hãy sửa cột filename rồi nhập lại
ingest-file-outside-objects = chưa nhập: tệp nằm ngoài { $objects }/ và không dòng nào của { $sheet } mô tả nó; hãy ghi nó vào cột filename hoặc chuyển nó vào { $objects }/ để nhập
ingest-authority-file-out-of-place = '{ $name }' được đặt tên như một tệp danh mục, loại tệp không bao giờ được nhập như tư liệu (nó có thể liệt kê các dòng hạn chế): Disan chỉ đọc nó ở { $metadata }/{ $authority } (khi đó metadata.csv của lô cũng nằm trong { $metadata }/, còn tư liệu nằm trong { $objects }/); hãy chuyển nó vào đó, hoặc đổi tên nếu nó là tư liệu; tệp chưa được nhập
ingest-name-not-unicode = tên tệp không phải Unicode hợp lệ; hãy đổi tên
ingest-symbolic-link = một liên kết tượng trưng (symbolic link); hãy chép chính tệp đó vào lô
ingest-not-regular-file = không phải tệp thông thường (một named pipe, socket hay thiết bị); không có nội dung để nhập
ingest-name-two-unicode-forms = chưa nhập: tên này được viết theo hai dạng Unicode bởi hai tệp khác nhau ({ $spelt }), vì Windows và macOS ghi dấu tiếng Việt khác nhau; hãy đổi tên hoặc gộp chúng rồi nhập lại
ingest-folder-two-unicode-forms = chưa nhập: thư mục chứa nó '{ $path }' được viết theo hai dạng Unicode bởi hai thư mục khác nhau ({ $spelt }), vì Windows và macOS ghi dấu tiếng Việt khác nhau; hãy đổi tên hoặc gộp chúng rồi nhập lại
ingest-path-leaves-batch = '{ $path }' dẫn ra ngoài lô; hãy viết đường dẫn tính từ thư mục của lô, không có '..'
ingest-path-not-relative = '{ $path }' không phải đường dẫn tương đối

ingest-empty-file-taken = tệp trống (0 byte); vẫn nhận vì dòng của nó ghi kind '{ $kind }'
ingest-empty-file-not-kind = tệp trống (0 byte), nên không thể là { $kind }; hãy chép lại từ bản gốc
ingest-empty-file = tệp trống (0 byte), có lẽ do chép bị lỗi; hãy chép lại, hoặc ghi kind của nó trong metadata.csv nếu đúng là một tệp trống
ingest-kind-only-texts = dòng của nó ghi kind '{ $kind }', nhưng hồ sơ chỉ có { $found } (không có { $kind } nào được giao); vẫn giữ như đã mô tả
ingest-kind-not-found = dòng của nó ghi kind '{ $kind }', nhưng không tệp nào của hồ sơ là loại đó (tìm thấy: { $found })
ingest-copy-of-refused = chưa nhập: tệp có cùng nội dung với '{ $original }', tệp chưa được nhập; bản sao của một tệp bị giữ lại cũng bị giữ lại
ingest-bytes-moved = chưa nhập: hồ sơ '{ $holder }' từng giữ nội dung này, nhưng lô này tạo cho nó một phiên bản mới không có nội dung đó; hãy mô tả tệp này trong metadata.csv (kèm access) để giữ nó thành một hồ sơ riêng
ingest-not-stored-again = không lưu lại lần nữa: kho đã có nội dung này trong hồ sơ '{ $holder }'
ingest-copy-of-restricted = chưa nhập: tệp có cùng nội dung với hồ sơ '{ $holder }', hồ sơ có quyền xem { $access }; không có gì mô tả bản sao này, nên nó sẽ thành công khai: hãy mô tả nó trong metadata.csv kèm access
ingest-same-content-described = cùng nội dung này cũng là hồ sơ '{ $holder }'; vẫn giữ thành một hồ sơ riêng với mô tả riêng
ingest-same-content-with-others = cùng nội dung này cũng là hồ sơ '{ $holder }'; vẫn giữ ở đây vì hồ sơ này còn có các tệp khác
encoding-not-utf8-at = không phải UTF-8 (byte 0x{ $byte } ở dòng { $line }, cột { $column }); có vẻ là { $likely }. { $remedy }
encoding-not-utf8 = không phải UTF-8; có vẻ là { $likely }. { $remedy }
encoding-utf16-le = UTF-16 (little-endian)
encoding-utf16-be = UTF-16 (big-endian)
encoding-utf32-le = UTF-32 (little-endian)
encoding-utf32-be = UTF-32 (big-endian)
encoding-windows-1258 = Windows-1258 (bảng mã tiếng Việt)
encoding-tcvn3 = TCVN3 (ABC)
encoding-vni = VNI-Windows
encoding-unknown = một bảng mã 8 bit không rõ
encoding-remedy-wide = Hãy lưu lại thành UTF-8 (trong Excel: "CSV UTF-8", không phải "Unicode Text") rồi nhập lại
encoding-remedy-font = Hãy chuyển sang Unicode trước (ví dụ bằng công cụ chuyển mã của UniKey), rồi lưu thành UTF-8 và nhập lại
encoding-remedy = Hãy lưu lại thành UTF-8 (trong Excel: "CSV UTF-8") rồi nhập lại

ingest-kin-folder = nó nằm trong thư mục '{ $folder }', được đặt tên giống hồ sơ đó
ingest-kin-same-bytes = '{ $beside }' nằm cạnh nó có cùng nội dung với hồ sơ đó
ingest-kin-id-prefix = mã hồ sơ '{ $id }' của nó bắt đầu bằng mã của hồ sơ đó
ingest-kin-unreadable = một mô tả không đọc được
ingest-kin-rule = { $column } { $rule }
ingest-kin-refused = chưa nhập: không dòng nào ghi access của nó, nên nó sẽ thành một hồ sơ công khai mới '{ $id }', nhưng nó có vẻ thuộc về hồ sơ '{ $kin }', hồ sơ có { $access } ({ $why }); hãy cho nó một dòng trong metadata.csv kèm access (access của hồ sơ đó, hoặc public nếu nó dành cho mọi người)
ingest-batch-holds-sheets = lô có { $count } bảng tính siêu dữ liệu ({ $names })
ingest-batch-holds-sheet = lô có bảng tính siêu dữ liệu { $names }
ingest-one-sheet-only = chưa có gì trong lô được nhập: { $why }, nhưng Disan chỉ đọc đúng một bảng, metadata/metadata.csv (hoặc metadata.csv ở gốc lô), lưu dạng CSV UTF-8; hãy giữ một bảng tính ở đó với tên ấy, để không dòng nào ở bảng khác bị bỏ sót
ingest-unread-sheet = { $path } không được đọc: Disan đọc metadata/metadata.csv; hãy đổi tên nó, hoặc chuyển nó vào objects/ để lưu như một tệp; chưa có gì trong lô được nhập, vì các dòng trong đó có thể nói ai được xem các tệp
ingest-sheet-unusable = chưa có gì trong lô được nhập vì không dùng được { $file } (xem lỗi ở đó); hãy sửa rồi nhập lại
ingest-file-row = { $file } dòng { $row }
ingest-joins-record = không dòng nào mô tả nó, nên nó nhập vào hồ sơ của '{ $source }' ({ $row }): cùng tên, khác định dạng (bản gốc và bản sao để xem là một hồ sơ)

ingest-id-used-twice = mã hồ sơ '{ $id }' đã được '{ $previous }' dùng trong lô này; hãy ghi dc.identifier cho một trong hai
ingest-content-not-extension = nội dung là { $format } ({ $mime }) nhưng tên tệp kết thúc bằng .{ $extension }

ingest-record-access-changes = quyền xem của hồ sơ '{ $id }' đổi từ { $old } thành { $new }, theo như đã ghi
ingest-record-files-access-changes = files_access của hồ sơ '{ $id }' đổi từ { $old } thành { $new }, theo như đã ghi
ingest-record-withdrawn = hồ sơ '{ $id }' đã bị rút ({ $reason }, bởi { $by } lúc { $at }): phiên bản mới của nó vẫn bị rút, không hiện ở trang nào; hãy đưa nó trở lại trong không gian làm việc của lưu trữ viên để hiện lại
ingest-record-drops-file = phiên bản mới của hồ sơ '{ $id }' không còn { $files } (các phiên bản trước trong kho vẫn giữ tệp đó)
ingest-record-drops-files = phiên bản mới của hồ sơ '{ $id }' không còn { $files } (các phiên bản trước trong kho vẫn giữ các tệp đó)
ingest-archive-keeps-record = ; kho vẫn giữ hồ sơ '{ $id }' như cũ, với quyền xem { $access }
ingest-problem-with-note = { $problem }{ $note }
## Giá trị của trường (values of catalogue fields: ids, keywords, access, issue 15)
model-record-id = mã hồ sơ
model-village-id = mã làng
model-craft-id = mã nghề
model-group-id = mã nhóm
model-artisan-id = mã nghệ nhân
model-product-id = mã sản phẩm
model-a-kind = một loại tư liệu
model-a-role = một vai trò
model-a-village-activity = một tình trạng hoạt động của làng
model-a-decree-52-status = một mức theo Nghị định 52/2018
model-an-ocop-product-group = một nhóm sản phẩm OCOP
model-an-ocop-level = một cấp OCOP
model-an-honour-scheme = một loại danh hiệu
model-invalid-id-dotted = '{ $text }' không phải { $what } hợp lệ: hãy dùng từ 1 đến 100 chữ cái a-z, chữ số và '-', '.' hoặc '_' (không có dấu cách)
model-invalid-id = '{ $text }' không phải { $what } hợp lệ: hãy dùng từ 1 đến 100 chữ cái a-z, chữ số và '-' (không có dấu cách)
model-not-one-of = '{ $text }' không phải { $what }; hãy dùng một trong: { $words }
model-not-a-need = '{ $text }' không phải giá trị need; hãy dùng một trong: any, all
model-no-valid-community = '{ $trimmed }' không chỉ đến cộng đồng hợp lệ nào: { $why }
model-not-an-access-level = '{ $trimmed }' không phải một mức quyền xem; hãy dùng một trong: { $words }
model-access-level-with-others = '{ $value }' không thể ghi cùng các giá trị access khác ({ $values }): chỉ giá trị cộng đồng mới được lặp lại, và một hồ sơ hoặc là { $level } hoặc dành cho các cộng đồng
model-not-a-sha256 = '{ $text }' không phải một mã băm SHA-256 (64 chữ số thập lục phân)
model-need-without-communities = need ('{ $need }') chỉ dùng cho giá trị access là cộng đồng, nhưng access là { $level }
model-no-access-value = chưa có giá trị access nào; hãy dùng một trong: { $words }
model-not-a-stop = '{ $text }' không phải một điểm dừng: hãy ghi village:<mã làng> (một làng của metadata/villages.csv) hoặc record:<mã hồ sơ> (hồ sơ của một xưởng hay một lễ hội)

lunar-not-a-date = '{ $quoted }' không phải ngày âm lịch: { $problem }
lunar-examples = hãy viết tháng, dấu '-' rồi ngày, như 1-7 (ngày 7 tháng 1) hoặc 4L-15 (tháng 4 nhuận)
lunar-empty = ô trống; { $examples }
lunar-several = ô chứa nhiều ngày; mỗi ô chỉ ghi một ngày âm lịch, như 1-7
lunar-sign = hãy bỏ dấu trước tháng: ngày âm lịch là tháng, dấu '-' rồi ngày, như { $rest }
lunar-excel-date = Excel đã biến { $month }-{ $day } thành một ngày dương lịch; hãy định dạng cột là Text rồi viết lại { $month }-{ $day }
lunar-month-first = hãy viết tháng trước, rồi dấu '-' và ngày, như { $month }-{ $day } cho ngày { $day } tháng { $month }
lunar-no-year = chỉ viết tháng và ngày, không có năm, như 1-7; ngày âm lịch của lễ hội lặp lại hằng năm
lunar-leap-after-month = hãy viết L sau tháng, không phải sau ngày, như { $month }L-{ $day } cho ngày { $day } tháng { $month } nhuận
lunar-month-not-number = tháng phải là một số từ 1 đến 12, thêm L nếu là tháng nhuận, như 4L-15
lunar-month-range = tháng phải từ 1 đến 12, như 1-7
lunar-day-range = ngày phải từ 1 đến 30 (một tháng âm lịch có 29 hoặc 30 ngày), như 1-7

## Nhập: tệp danh mục (ingest: villages.csv, crafts.csv, artisans.csv, honours.csv, products.csv and the authority forms, issue 15)
ingest-authority-access-changes = quyền xem của { $what } '{ $id }' đổi từ { $old } thành { $new }, theo như đã ghi
ingest-column-must-not-be-empty = cột này không được để trống
ingest-date-in-future = { $date } nằm trong tương lai (hôm nay là { $today } theo giờ Việt Nam): hãy kiểm tra lại ngày
ingest-not-a-day = '{ $text }' không phải một ngày viết theo dạng YYYY-MM-DD (năm-tháng-ngày)
ingest-not-a-calendar-day = '{ $text }' không phải một ngày có trong lịch
ingest-authority-write-access = hãy ghi public, researchers, restricted hoặc community:<group-id> vào cột access (một ô bị bỏ sót phía trước sẽ làm lệch phần còn lại của dòng)
ingest-authority-no-access-column = tệp này không có cột access: những gì nó mô tả là công khai
ingest-authority-remove-or-restrict = hãy bỏ nó đi, hoặc hạn chế những hồ sơ cần hạn chế
ingest-authority-stray-access = '{ $column }' ghi '{ $level }', một mức quyền xem, nhưng { $access }: { $fix }; dòng này chưa được nhập cho đến khi sửa xong
ingest-authority-one-access-column = tệp này chỉ nhận một cột access (giá trị: public, researchers, restricted, community:<group-id>)
ingest-authority-public-remove-column = những gì tệp này mô tả là công khai: hãy bỏ cột đó
ingest-authority-rule-column = cột '{ $header }' không phải cột tệp này đọc, và nó có thể nói ai được xem những gì tệp mô tả: { $hint }; chưa có gì trong tệp được nhập
ingest-authority-unknown-column = '{ $header }' không phải cột tệp này đọc; các giá trị của nó bị bỏ qua (các cột của tệp: { $columns })
ingest-twice = hai lần
ingest-n-times = { $count } lần
ingest-authority-repeated-column = dòng tiêu đề ghi '{ $header }' { $times }, ở các cột { $others } và { $last }: tệp này chỉ nhận một giá trị cho cột đó, và không biết được giá trị nào là đúng ý; hãy giữ một trong các cột này; chưa có gì trong tệp được nhập
ingest-header-lacks-columns = dòng tiêu đề thiếu (các) cột { $columns }
ingest-authority-row-misaligned = dòng có { $cells } nhưng dòng tiêu đề có { $columns } cột{ $why }; dòng này chưa được nhập cho đến khi sửa xong
ingest-id-described-again-row = '{ $id }' được mô tả lại ở dòng { $rows }: mỗi mã chỉ một dòng; chưa dòng nào của nó được nhập cho đến khi sửa
ingest-id-described-again-rows = '{ $id }' được mô tả lại ở các dòng { $rows }: mỗi mã chỉ một dòng; chưa dòng nào của nó được nhập cho đến khi sửa
ingest-id-already-described = '{ $id }' đã được mô tả ở dòng { $first }: mỗi mã chỉ một dòng; chưa dòng nào của nó được nhập cho đến khi sửa
ingest-id-given-twice = một dòng khác cũng ghi mã này: mỗi mã chỉ một dòng; chưa dòng nào của nó được nhập cho đến khi sửa

ingest-no-class = không có mức nào
ingest-village-class-changes = mức theo Nghị định 52/2018 của '{ $id }' đổi từ { $from } thành { $to }, và tệp không có cột status_date: ngày { $date } là của mức cũ, nên ngày của mức mới được để trống; hãy thêm cột status_date để ghi ngày đó
ingest-coordinates-swapped = ; đó sẽ là { $other } ở Việt Nam: có phải vĩ độ và kinh độ bị đổi chỗ?
ingest-coordinate-outside-vietnam = { $text } nằm ngoài Việt Nam, nơi { $column } chạy từ { $low } đến { $high } (độ { $unit }): hãy kiểm tra vị trí{ $swapped }
ingest-north = vĩ bắc
ingest-east = kinh đông
ingest-coordinate-decimal-comma = '{ $text }' được viết với dấu phẩy thập phân (như Excel viết số theo thiết lập vùng Việt Nam): hãy viết { $value } với dấu chấm; { $column } tính bằng độ thập phân, từ { $low } đến { $high } ở Việt Nam
ingest-coordinate-not-number = '{ $text }' không phải { $column } tính bằng độ thập phân: hãy viết một số như { $example } (từ { $low } đến { $high } ở Việt Nam)
ingest-half-position = có { $given } mà không có { $missing }: vị trí của một làng cần cả hai, tính bằng độ thập phân (vĩ độ 20.5, kinh độ 105.9); hãy ghi { $missing } hoặc để trống cả hai
ingest-latitude = vĩ độ
ingest-longitude = kinh độ
ingest-recognition-form = hãy ghi quyết định công nhận làng, dấu ';', rồi ngày EDTF của quyết định (1234/QĐ-UBND; 2006-05-12), hoặc chỉ một trong hai
ingest-recognition-two-dates = '{ $text }' có hai ngày, mà một làng chỉ được công nhận một lần: { $form }
ingest-recognition-unreadable = không đọc được '{ $text }': { $form }
ingest-recognition-neither = '{ $part }' không phải một quyết định (số và cơ quan ban hành, như 1234/QĐ-UBND), cũng không phải ngày EDTF ({ $error }): { $form }
ingest-recognition-date-not-edtf = ngày sau dấu ';' không phải EDTF: { $error } (hãy ghi quyết định, dấu ';', rồi ngày của nó: 1234/QĐ-UBND; 2006-05-12)
ingest-recognition-too-many-parts = '{ $text }' chứa nhiều hơn một quyết định và một ngày: hãy ghi quyết định, dấu ';', rồi ngày của nó (1234/QĐ-UBND; 2006-05-12), hoặc chỉ một trong hai
ingest-ocop-stars-range = không có mức '{ $text }' sao: một xếp hạng OCOP có từ 1 đến 5 sao
ingest-ocop-stars-not-number = '{ $text }' không phải một số sao: hãy ghi 1, 2, 3, 4 hoặc 5
ingest-ocop-score = '{ $text }' không phải điểm OCOP: hãy ghi số điểm trên thang 100, một số nguyên từ 0 đến 100
ingest-state-title-wrong-scheme = '{ $title }' là danh hiệu Nhà nước, chỉ do Chủ tịch nước phong tặng theo decree-93-2023 hoặc decree-62-2014 (di sản văn hóa phi vật thể) hoặc decree-43-2024 hoặc decree-123-2014 (nghề thủ công mỹ nghệ), không bao giờ theo { $scheme }: hãy ghi nghị định đã dùng để phong tặng, hoặc danh hiệu mà { $scheme } đã trao
ingest-not-a-state-title = '{ $title }' không phải danh hiệu Nhà nước: { $scheme } chỉ phong tặng { $first } hoặc { $second }; hãy ghi một trong hai, hoặc chọn một loại danh hiệu khác (association, provincial, other)

ingest-the-death = năm mất
ingest-the-archived-death = năm mất lưu trong kho
ingest-the-birth = năm sinh
ingest-the-archived-birth = năm sinh lưu trong kho
ingest-death-before-birth = { $death } ({ $died }) trước { $birth } ({ $born }): hãy kiểm tra cả hai năm
ingest-ocop-stars-empty = cột này không được để trống khi dòng có xếp hạng OCOP: hãy ghi số sao, từ 1 đến 5
ingest-ocop-no-stars-column = dòng có xếp hạng OCOP nhưng không có số sao: hãy thêm cột ocop_stars với số sao, từ 1 đến 5
ingest-one-star = { $count } sao
ingest-stars = { $count } sao
ingest-ocop-score-rule = Quyết định 148/QĐ-TTg: 3 sao từ { $three } điểm, 4 sao từ { $four }, 5 sao từ { $five }
ingest-ocop-score-stars = điểm { $score } được { $earned }, không phải { $stars } ({ $rule }): hãy sửa số sao hoặc điểm
ingest-ocop-stars-archived-score = { $stars } sao mâu thuẫn với điểm { $score } lưu trong kho, điểm này được { $earned } ({ $rule })
ingest-ocop-score-archived-stars = điểm { $score } được { $earned }, không phải { $stars } sao lưu trong kho ({ $rule })
ingest-ocop-level-rule = Quyết định 148/QĐ-TTg: cấp huyện hoặc xã 3 sao, cấp tỉnh 4 sao, cấp quốc gia 5 sao
ingest-ocop-level-stars = xếp hạng do cấp { $level } công nhận có { $recognised } sao, không phải { $stars } ({ $rule })
ingest-ocop-stars-archived-level = { $stars } sao mâu thuẫn với cấp { $level } lưu trong kho, cấp này công nhận { $recognised } sao ({ $rule })
ingest-ocop-level-archived-stars = xếp hạng do cấp { $level } công nhận có { $recognised } sao, không phải { $stars } sao lưu trong kho ({ $rule })
ingest-ocop-expires-before-issued = giấy chứng nhận hết hạn ngày { $expires }, trước ngày cấp { $issued }
ingest-ocop-issued-after-archived-expiry = giấy chứng nhận được cấp ngày { $issued }, sau ngày hết hạn lưu trong kho, { $expires }
ingest-ocop-expires-before-archived-issue = giấy chứng nhận hết hạn ngày { $expires }, trước ngày cấp lưu trong kho, { $issued }
ingest-ocop-contradiction-archived = { $archived }: hãy sửa { $what }, hoặc ghi { $other } mới vào cột { $column }
ingest-ocop-word-score = điểm
ingest-ocop-word-stars = số sao
ingest-ocop-word-level = cấp
ingest-ocop-word-expiry = ngày hết hạn
ingest-ocop-word-issue-day = ngày cấp

ingest-free-text-product-restricted = ; quyền xem của sản phẩm là { $access }, nên mục này bị ẩn với mọi người không được xem nó
ingest-free-text-names-product = '{ $entry }' chỉ đến sản phẩm { $id }, sản phẩm được mô tả trong metadata/products.csv hoặc trong kho; hãy gắn sản phẩm với làng của nó bằng cột village của metadata/products.csv, không phải bằng danh sách văn bản tự do này, danh sách mà trang làng hiện nguyên văn{ $restricted }
ingest-ocop-as-archived = {" "}({ $what } lấy từ kho)
ingest-ocop-both-as-archived = {" "}(ngày cấp và ngày hết hạn lấy từ kho)
ingest-ocop-certificate-too-long = giấy chứng nhận có hiệu lực từ { $issued } đến { $expires }{ $note }, dài hơn { $months } tháng mà một giấy chứng nhận OCOP có hiệu lực (Quyết định 148/QĐ-TTg; cấp ngày { $issued } thì hết hạn ngày { $ends }): hãy kiểm tra các ngày

ingest-ocop-certificate-rule = Quyết định 148/QĐ-TTg chỉ cấp giấy chứng nhận cho sản phẩm từ 3 đến 5 sao
ingest-list-and = { $others } và { $last }
ingest-description-replaced = thay mô tả của hồ sơ '{ $id }' (nó mất: { $lost }), theo yêu cầu của --replace-descriptions
ingest-record-would-lose = '{ $id }' sẽ mất: { $lost }
ingest-no-sheet-would-replace = không có gì được nhập: lô này không có metadata.csv, và các tệp của nó sẽ thay mô tả của { $threatened } hồ sơ mà kho đã lưu ({ $example }{ $threatened ->
        [1] {""}
       *[other] , …
    }); đây có đúng là thư mục cần nhập không? Để thay các mô tả ấy bằng mô tả lập từ tên tệp, hãy nhập lại với --replace-descriptions
ingest-description-would-be-lost = chưa được nhập: hồ sơ '{ $id }' đã có, với một mô tả mà lô này không ghi (nó sẽ mất: { $lost }); hãy mô tả nó trong metadata.csv, hoặc nhập lại với --replace-descriptions
ingest-batch-refused-whole = chưa được nhập: cả lô bị từ chối (xem lỗi ghi cho '.')

## Nhập: phân tích tệp ảnh và phương tiện (store/analyse.rs, photo.rs, issue 15)
ingest-file-cannot-read = không đọc được: { $error }
ingest-location-not-checked = chưa kiểm tra được thông tin vị trí: { $error }; tệp đã được lưu vào kho, nhưng bản gốc không gửi cho khách xem nào cho đến khi `disan reindex` kiểm tra nó, lúc ổ đĩa chỉ mục còn chỗ
ingest-location-check-failed = không kiểm tra được siêu dữ liệu vị trí: { $error }
ingest-picture-over-memory-budget = không có ảnh xem trước: tệp nặng { $size } MiB, vượt giới hạn { $budget } MiB để kiểm tra một bức ảnh trong bộ nhớ; tệp vẫn được giữ, chưa kiểm tra
ingest-motion-photo = ảnh động (motion photo): { $bytes } byte sau bức ảnh (phần video) được giữ cùng tệp; chỉ ảnh tĩnh được hiển thị
ingest-variant-not-supported = chưa hỗ trợ { $what }
ingest-kept-without-preview = không có ảnh xem trước: { $reason }; tệp vẫn được giữ
ingest-derivatives-left = chưa có ảnh xem trước: { $error }; tệp đã được lưu vào kho, và `disan reindex` sẽ tạo ảnh xem trước khi ổ đĩa chỉ mục còn chỗ
ingest-derivatives-failed = không tạo được ảnh xem trước: { $error }
ingest-corrupt-file = tệp { $format } bị hỏng hoặc bị cắt cụt: { $reason }
ingest-heif-no-preview = không có ảnh xem trước: ở đây chưa hỗ trợ { $format } này ({ $reason }); tệp vẫn được bảo quản
ingest-heif-orientation-disagrees = hướng EXIF { $orientation } không khớp với phép xoay riêng của tệp { $format }; ảnh được hiển thị { $width }×{ $height } theo phép xoay của tệp (trong HEIF, hướng EXIF chỉ để tham khảo)
ingest-exif-date-left-out = ngày EXIF '{ $date }' ({ $tag }) đã bị bỏ qua: { $reason }

ingest-a-row = một dòng
ingest-honour-repeated = '{ $artisan }' đã có danh hiệu '{ $title }' theo { $scheme } ở { $first_row }: { $first_row } và { $this_row } là cùng một lần phong tặng (mỗi danh hiệu chỉ được phong tặng một lần theo một loại danh hiệu), nên nó chỉ được lưu một lần, như { $first_row } ghi, còn { $this_row } không được lưu{ $differ }; hãy xoá { $this_row }, hoặc sửa danh hiệu hay loại danh hiệu của nó nếu đó là một lần phong tặng khác
ingest-honour-repeated-differs-one = ; { $this_row } ghi { $listed } khác với { $first_row }, và chỉ giá trị của { $first_row } được lưu: hãy kiểm tra giá trị nào đúng
ingest-honour-repeated-differs-many = ; { $this_row } ghi { $listed } khác với { $first_row }, và chỉ các giá trị của { $first_row } được lưu: hãy kiểm tra những giá trị nào đúng
ingest-ocop-low-stars-certificate = xếp hạng { $stars } sao không có giấy chứng nhận OCOP ({ $rule }): hãy kiểm tra số sao, hoặc để trống { $listed }
ingest-ocop-low-stars-archived-certificate = xếp hạng { $stars } sao không có giấy chứng nhận OCOP ({ $rule }), nhưng kho đang giữ dữ liệu giấy chứng nhận của sản phẩm này ({ $columns }): hãy kiểm tra số sao, hoặc xóa dữ liệu đó bằng cách để trống các cột ấy
ingest-honour-before-scheme = danh hiệu ghi ngày { $date }, trước khi { $event } ({ $day }): danh hiệu theo { $scheme } không thể sớm hơn; hãy kiểm tra ngày hoặc loại danh hiệu
ingest-decree-93-effect = Nghị định 93/2023/NĐ-CP có hiệu lực
ingest-decree-43-effect = Nghị định 43/2024/NĐ-CP có hiệu lực
ingest-decree-62-issued = Nghị định 62/2014/NĐ-CP được ban hành
ingest-decree-123-issued = Nghị định 123/2014/NĐ-CP được ban hành
ingest-honour-decision = , quyết định { $decision }
ingest-honour-dropped = '{ $artisan }' từng có '{ $title }' ({ $scheme }{ $decision }), nhưng các dòng của nghệ nhân ở đây bỏ mất danh hiệu này: nghệ nhân có tên trong tệp này chỉ giữ đúng các danh hiệu mà các dòng ghi, nên danh hiệu bị xóa; hãy thêm một dòng cho nó để giữ lại

## Văn bản Markdown (ingest: a text record's front matter and body, issue 15)
text-too-large = văn bản quá lớn: { $size } byte, vượt mức { $budget } MiB
text-quotations-too-deep = văn bản lồng nhau quá sâu: trích dẫn lồng nhau quá { $depth } tầng
text-brackets-too-deep = văn bản lồng nhau quá sâu: dấu ngoặc vuông lồng nhau quá { $depth } tầng
front-matter-not-closed = phần đầu (front matter) mở bằng '{ $fence }' nhưng không bao giờ đóng
front-matter-values-too-large = phần đầu (front matter) mở rộng thành { $values } byte giá trị, vượt mức { $budget } MiB
front-matter-misplaced = văn bản bắt đầu bằng '{ $line }', trông như phần đầu (front matter) nhưng không nằm giữa hai dòng '---' ở ngay trên cùng; hãy sửa phần đầu để siêu dữ liệu (và access) của nó được đọc, không bị đăng lên như văn bản
front-matter-too-large = phần đầu (front matter) quá lớn: { $size } byte, vượt mức { $budget } KiB
front-matter-too-deep = phần đầu (front matter) lồng nhau quá sâu: dấu ngoặc lồng nhau quá { $depth } tầng
front-matter-too-many-aliases = phần đầu (front matter) dùng { $used } bí danh YAML (*name), vượt mức { $budget }
front-matter-yaml-invalid = phần đầu YAML không hợp lệ: { $error }
front-matter-yaml-not-mapping = phần đầu YAML phải là các dòng 'khóa: giá trị'
front-matter-key-not-text = khóa của phần đầu (front matter) phải là văn bản thường
front-matter-toml-invalid = phần đầu TOML không hợp lệ: { $error }
front-matter-nested = khóa '{ $key }' của phần đầu (front matter) chứa một bảng lồng; hãy dùng giá trị thường hoặc một danh sách
ingest-place-row = dòng { $row } của { $file }
ingest-place-front-matter = phần đầu (front matter) của { $file }
ingest-translation-disagrees = { $later } ghi { $column }: { $value }, nhưng { $earlier } ghi { $first_column }: { $first_value }; một văn bản và bản dịch của nó là một hồ sơ, nên phải khớp nhau
ingest-row-and-text-disagree = { $row } ghi { $name }: { $stated }, nhưng { $text } ghi { $name }: { $said }; hãy làm chúng khớp nhau
ingest-folder-text-unreadable = { $problem }; văn bản nằm trong thư mục mà { $place } mô tả là một hồ sơ, nên hồ sơ đó chưa được nhập
ingest-folder-text-rule-key = '{ $key }' không phải khóa Disan biết, và nó có thể nói ai được xem văn bản: có phải ý bạn là { $meant }? Văn bản nằm trong thư mục mà { $place } mô tả là một hồ sơ, nên hồ sơ đó chưa được nhập
ingest-public-by-default = public (mặc định)
ingest-none = không có
ingest-folder-text-disagrees = phần đầu của nó ghi { $name }: { $said }, nhưng văn bản nằm trong thư mục mà { $place } mô tả là một hồ sơ với { $name } { $folder }; hãy làm chúng khớp nhau, hoặc chuyển văn bản ra khỏi thư mục đó và mô tả riêng
