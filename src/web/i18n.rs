//! The interface in two languages: every string a page shows that does not come from a record.
//!
//! Vietnamese pages live at `/…`, English ones at `/en/…`; the switch keeps the visitor on the same
//! page. Templates read strings as `t.key`; a key missing from the table fails the render (the
//! templates run with strict undefined values), and a test renders every page in both languages,
//! so no page ships half translated. Record content is never translated here: a record without an
//! English value shows its Vietnamese one, marked as such ([`shown`]).

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::Lang;

/// `(key, Vietnamese, English)`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("site_name", "Di sản làng nghề", "Craft-village heritage"),
    ("brand_sub", "Disan", "Disan"),
    (
        "site_description",
        "Kho lưu trữ số di sản các làng nghề Việt Nam: ảnh, phim, âm thanh, hoa văn, kỹ thuật và lễ hội.",
        "A digital archive of Vietnam's craft-village heritage: photos, films, sound, patterns, techniques and festivals.",
    ),
    ("skip", "Bỏ qua điều hướng", "Skip to content"),
    ("nav_main", "Điều hướng chính", "Main navigation"),
    ("nav_villages", "Làng nghề", "Villages"),
    ("nav_stories", "Câu chuyện", "Stories"),
    ("nav_festivals", "Lễ hội", "Festivals"),
    ("nav_techniques", "Kỹ thuật", "Techniques"),
    ("nav_patterns", "Hoa văn", "Patterns"),
    ("search", "Tìm kiếm", "Search"),
    ("search_button", "Tìm", "Search"),
    (
        "search_placeholder",
        "Tìm: trống, det lua, Nha Xá…",
        "Search: drum, silk, Nha Xa…",
    ),
    ("switch_language", "English", "Tiếng Việt"),
    (
        "switch_language_label",
        "Read this page in English",
        "Đọc trang này bằng tiếng Việt",
    ),
    (
        "footer",
        "Disan — kho lưu trữ di sản làng nghề. Mọi nội dung mẫu đều được ghi rõ là tư liệu mẫu.",
        "Disan — an archive of craft-village heritage. All sample content is labelled as sample material.",
    ),
    ("in_vietnamese", "", "(in Vietnamese)"),
    ("home", "Trang chủ", "Home"),
    (
        "home_lead",
        "Ảnh, phim, âm thanh, hoa văn, kỹ thuật và lễ hội của các làng nghề — lưu giữ cho mai sau.",
        "Photos, films, sound, patterns, techniques and festivals of craft villages, kept for the future.",
    ),
    ("public_records", "tư liệu công khai", "public records"),
    ("records", "Tư liệu", "Records"),
    ("records_count", "tư liệu", "records"),
    ("browse_by_kind", "Duyệt theo loại", "Browse by kind"),
    ("villages", "Làng nghề", "Craft villages"),
    ("stories", "Câu chuyện", "Stories"),
    ("upcoming_festivals", "Lễ hội sắp tới", "Upcoming festivals"),
    ("results", "kết quả", "results"),
    ("results_for", "cho", "for"),
    ("narrow", "Thu hẹp kết quả", "Narrow the results"),
    ("sort", "Sắp xếp", "Sort"),
    ("no_results", "Không có kết quả.", "No results."),
    ("page", "Trang", "Page"),
    ("previous", "← Trước", "← Previous"),
    ("next", "Sau →", "Next →"),
    ("pages", "Các trang kết quả", "Result pages"),
    ("search_tips", "Cách tìm", "Search tips"),
    (
        "tip_diacritics",
        "gõ có dấu hay không dấu đều được",
        "with or without Vietnamese diacritics",
    ),
    ("tip_phrase", "cụm từ", "a phrase"),
    ("tip_fields", "theo trường", "by field"),
    ("commune", "Xã", "Commune"),
    ("district", "Huyện", "District"),
    ("province", "Tỉnh", "Province"),
    (
        "decree_status",
        "Phân loại theo Nghị định 52/2018/NĐ-CP",
        "Class under Decree 52/2018/NĐ-CP",
    ),
    ("crafts", "Nghề", "Crafts"),
    ("craft", "Nghề", "Craft"),
    ("village", "Làng", "Village"),
    ("villages_of_craft", "Làng nghề", "Villages"),
    ("map", "Bản đồ", "Map"),
    (
        "map_caption",
        "Bản đồ tỉnh Hà Nam (đường viền giản lược từ Natural Earth, phạm vi công cộng); mỗi chấm là một làng, màu theo phân loại.",
        "Hà Nam province (outline simplified from Natural Earth, public domain); each dot is a village, coloured by its class.",
    ),
    ("not_on_map", "Chưa có toạ độ", "Not yet located"),
    ("legend", "Chú giải", "Legend"),
    (
        "open_original",
        "Nhấn vào ảnh để phóng to; bản gốc:",
        "Select the image to zoom; original:",
    ),
    ("zoom_in", "Phóng to", "Zoom in"),
    ("zoom_out", "Thu nhỏ", "Zoom out"),
    ("zoom_reset", "Vừa khung", "Fit"),
    ("close", "Đóng", "Close"),
    (
        "viewer_help",
        "Phím + và − để phóng to, thu nhỏ; phím mũi tên để di chuyển; 0 để vừa khung; Esc để đóng.",
        "Keys + and − zoom, arrow keys pan, 0 fits, Esc closes.",
    ),
    ("view_large", "Xem ảnh lớn", "View large image"),
    ("metadata", "Siêu dữ liệu", "Metadata (Dublin Core)"),
    ("field", "Trường", "Field"),
    ("vietnamese", "Tiếng Việt", "Vietnamese"),
    ("english", "Tiếng Anh", "English"),
    ("files", "Tệp", "Files"),
    ("file", "Tệp", "File"),
    ("format", "Định dạng", "Format"),
    ("size", "Kích thước", "Size"),
    (
        "location_removed",
        "Bản tải về đã được gỡ thông tin vị trí (GPS, địa danh) nên khác với bản gốc được lưu trữ; bản gốc được giữ nguyên trong kho. Chỉ công bố mã kiểm tra của bản tải về: mã của bản gốc sẽ cho phép dò ra vị trí.",
        "The download has its location data (GPS, place names) removed, so it differs from the preserved original, which the archive keeps untouched. Only the download's checksum is published: the original's would let anyone recover the location.",
    ),
    (
        "location_removed_short",
        "đã gỡ thông tin vị trí",
        "location data removed",
    ),
    (
        "file_withheld",
        "Tệp này không được cung cấp công khai: siêu dữ liệu của nó có thể chứa vị trí.",
        "This file is not offered publicly: its metadata may hold a location.",
    ),
    ("download", "Bản tải về", "Download"),
    ("related", "Tư liệu liên quan", "Related records"),
    ("cite", "Trích dẫn tư liệu này", "Cite this record"),
    ("cite_plain", "Văn bản", "Plain text"),
    ("cite_bibtex", "BibTeX", "BibTeX"),
    ("stable_url", "Địa chỉ ổn định", "Stable URL"),
    ("accessed", "truy cập", "accessed"),
    ("subtitles", "Phụ đề", "Subtitles"),
    ("transcript", "Lời thoại", "Transcript"),
    ("date", "Thời gian", "Date"),
    ("kind", "Loại", "Kind"),
    ("lunar_date", "Ngày âm lịch", "Lunar date"),
    (
        "lunar_day_month",
        "ngày {day} tháng {month} âm lịch",
        "day {day} of lunar month {month}",
    ),
    (
        "next_dates",
        "Dương lịch năm nay và năm sau",
        "Solar dates this year and next",
    ),
    (
        "in_ordinary_month",
        "tháng {month} thường: năm {year} âm lịch không có tháng {month} nhuận",
        "in ordinary month {month}: lunar year {year} has no leap month {month}",
    ),
    (
        "on_29th",
        "ngày 29: tháng {month} âm lịch năm {year} chỉ có 29 ngày",
        "on the 29th: lunar month {month} of {year} has 29 days",
    ),
    (
        "no_leap_month_until",
        "Không có tháng {month} nhuận nào đến hết năm {year} âm lịch.",
        "No leap month {month} comes before the end of lunar year {year}.",
    ),
    (
        "next_leap_month",
        "Tháng {month} nhuận tiếp theo: năm {year} âm lịch.",
        "The next leap month {month}: lunar year {year}.",
    ),
    (
        "no_solar_dates",
        "Không tính được ngày dương lịch cho năm nay và năm sau (lịch chỉ tính từ năm 1900 đến 2199).",
        "No solar date can be computed for this year or next (the calendar covers 1900 to 2199).",
    ),
    ("festivals", "Lễ hội", "Festivals"),
    (
        "festivals_lead",
        "Ngày dương lịch tính theo âm lịch Việt Nam (múi giờ UTC+7).",
        "Solar dates computed from the Vietnamese lunar calendar (UTC+7).",
    ),
    (
        "no_festivals",
        "Chưa có lễ hội nào có ngày âm lịch.",
        "No festival has a lunar date yet.",
    ),
    (
        "story_embeds",
        "Tư liệu trong câu chuyện",
        "Records in this story",
    ),
    ("read_story", "Đọc câu chuyện", "Read the story"),
    ("not_found", "Không tìm thấy trang", "Page not found"),
    ("back_home", "Về trang chủ", "Back to the home page"),
    ("all_records", "Mọi tư liệu", "All records"),
    ("yes", "Có", "Yes"),
    ("products", "Sản phẩm", "Products"),
    ("artisans", "Nghệ nhân", "Artisans"),
    ("no", "Không", "No"),
];

// protocols: moved to Fluent at merge
/// Strings added with community protocols (issue 13), `(key, Vietnamese, English)`; read with
/// [`protocol_text`] (views put them into the page data: `record.files_reserved_note`).
const NEW_STRINGS: &[(&str, &str, &str)] = &[
    (
        "files_reserved",
        "Các tệp của tư liệu này được dành riêng: phần mô tả được công khai, còn ảnh, phim, âm thanh và các tệp gốc chỉ dành cho những người được phép xem.",
        "The files of this record are reserved: its description is public, but its pictures, films, sound and original files are only for those allowed to see them.",
    ),
    (
        "files_reserved_short",
        "Tệp không công khai",
        "Files not public",
    ),
];

/// One of [`NEW_STRINGS`] in `lang` (empty for an unknown key).
pub fn protocol_text(lang: Lang, key: &str) -> &'static str {
    NEW_STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, vi, en)| if lang == Lang::En { en } else { vi })
}

/// The strings of `lang`, as a JSON object for templates.
pub fn strings(lang: Lang) -> &'static Value {
    static VI: OnceLock<Value> = OnceLock::new();
    static EN: OnceLock<Value> = OnceLock::new();
    let build = |english: bool| {
        let map: Map<String, Value> = STRINGS
            .iter()
            .map(|(key, vi, en)| {
                let text = if english { en } else { vi };
                ((*key).to_string(), Value::String((*text).to_string()))
            })
            .collect();
        Value::Object(map)
    };
    match lang {
        Lang::En => EN.get_or_init(|| build(true)),
        _ => VI.get_or_init(|| build(false)),
    }
}

/// One string in `lang`, for code that builds text outside templates.
pub fn text(lang: Lang, key: &str) -> &'static str {
    STRINGS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or("", |(_, vi, en)| if lang == Lang::En { en } else { vi })
}

/// The path prefix of `lang`'s pages.
pub fn prefix(lang: Lang) -> &'static str {
    if lang == Lang::En { "/en" } else { "" }
}

/// The language a page path belongs to, and the path without its language prefix.
pub fn split_path(path: &str) -> (Lang, &str) {
    match path.strip_prefix("/en") {
        Some("") => (Lang::En, "/"),
        Some(rest) if rest.starts_with('/') => (Lang::En, rest),
        _ => (Lang::Vi, path),
    }
}

/// A value of a record as shown in `lang`: the English value on English pages when there is one,
/// else the Vietnamese one, marked as a fallback.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The text.
    pub text: String,
    /// Its language tag.
    pub lang: &'static str,
    /// Shown in Vietnamese on an English page for want of an English value.
    pub fallback: bool,
}

/// See [`Shown`].
pub fn shown(lang: Lang, vi: &str, en: Option<&str>) -> Shown {
    match (lang, en.filter(|en| !en.trim().is_empty())) {
        (Lang::En, Some(en)) => Shown {
            text: en.to_string(),
            lang: "en",
            fallback: false,
        },
        (Lang::En, None) => Shown {
            text: vi.to_string(),
            lang: "vi",
            fallback: true,
        },
        _ => Shown {
            text: vi.to_string(),
            lang: "vi",
            fallback: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut keys = std::collections::HashSet::new();
        for (key, vi, en) in STRINGS {
            assert!(keys.insert(key), "{key} twice");
            // The fallback marker is empty in Vietnamese on purpose: nothing falls back there.
            assert!(!en.is_empty(), "{key} has no English");
            assert!(
                !vi.is_empty() || *key == "in_vietnamese",
                "{key} has no Vietnamese"
            );
        }
    }

    #[test]
    fn paths_split_into_language_and_page() {
        assert_eq!(split_path("/en"), (Lang::En, "/"));
        assert_eq!(split_path("/en/records/x"), (Lang::En, "/records/x"));
        assert_eq!(split_path("/records/x"), (Lang::Vi, "/records/x"));
        assert_eq!(split_path("/english"), (Lang::Vi, "/english"));
    }

    #[test]
    fn english_pages_fall_back_to_vietnamese_visibly() {
        let fallback = shown(Lang::En, "Trống", None);
        assert_eq!((fallback.lang, fallback.fallback), ("vi", true));
        let english = shown(Lang::En, "Trống", Some("Drum"));
        assert_eq!((english.text.as_str(), english.fallback), ("Drum", false));
        assert!(!shown(Lang::Vi, "Trống", Some("Drum")).fallback);
    }
}
