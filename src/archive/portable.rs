//! Content paths that survive a copy to any disk an archive is likely to be backed up on.
//!
//! OCFL separates what a file is called from where its bytes lie: the inventory's `state` gives
//! each version's *logical paths* (the names the archivist gave, kept exactly), and its
//! `manifest` gives the *content paths* under the object root where the bytes are (OCFL 1.1
//! §3.5.2–3.5.3; the two are joined by the digest, so they need not be equal). Disan's logical
//! paths come from Linux folders and may hold anything but `/` and NUL, while a provincial
//! archive's second copy lives on an exFAT or NTFS USB disk, a Windows share or S3. On those, `:`
//! `?` `"` `<` `>` `|` `*` `\` and control characters are refused, trailing dots and spaces are
//! silently dropped, `CON.txt` names a device, and `a.jpg` and `A.jpg` are one file. A copy then
//! loses files without a word and `verify` fails on it.
//!
//! So the content path of each new file is its logical path made portable, element by element:
//!
//! * the characters Windows refuses (`: ? " < > | * \`), control characters (U+0000–U+001F,
//!   U+007F–U+009F) and `%` itself are percent-encoded as their UTF-8 bytes (`:` → `%3A`),
//!   as ocfl-java's percent-encoding content path mapper does; encoding `%` keeps the mapping
//!   one-to-one, so two logical names never share a content path;
//! * a trailing run of dots and spaces is encoded (`ghi chú.` → `ghi chú%2E`);
//! * a name Windows reserves for a device (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
//!   `LPT0`–`LPT9` and their superscript-digit forms, in any case, with any extension, per
//!   Microsoft's "Naming Files, Paths, and Namespaces") gets its first letter encoded
//!   (`CON.txt` → `%43ON.txt`);
//! * an element longer than 255 bytes of UTF-8 (the limit of ext4 and, in UTF-16 units, of
//!   NTFS and exFAT) is cut on a character boundary and ends in `~` and 16 hex digits of the
//!   SHA-256 of the whole element, keeping its extension;
//! * a content path longer than [`MAX_CONTENT_PATH`] bytes keeps only its last element under a
//!   folder named by the hash of the rest, so that the storage root, its 0004 object folders and
//!   the path stay under S3's 1,024-byte key limit;
//! * within one version, names that differ only in case (which FAT, exFAT and NTFS hold as one)
//!   share the spelling of the first folder, and a later file takes `~2`, `~3`… before its
//!   extension.
//!
//! Vietnamese letters, spaces and everything else are kept, so a content path stays readable:
//! `v1/content/files/Lễ rước%3A ngày 15%3F.jpg`. The mapping is deterministic (paths are
//! assigned in logical-path order). Objects written before it, whose content paths equal their
//! logical paths, are read, verified and extended exactly as before: readers follow the
//! manifest, never the logical path.

use std::collections::BTreeMap;

use crate::model::Sha256;

/// The longest content path (bytes of UTF-8, relative to the object root) Disan writes: S3 keys
/// hold 1,024 bytes, and the storage root prefix and the 0004 layout's object folder (78 bytes)
/// come before it.
pub const MAX_CONTENT_PATH: usize = 800;

/// The longest path element (bytes of UTF-8): ext4's limit, and within NTFS's and exFAT's 255
/// UTF-16 units.
pub const MAX_ELEMENT: usize = 255;

/// Whether `c` is refused (or silently altered) in a file name by Windows, exFAT or NTFS, or is
/// the escape character itself.
fn must_escape(c: char) -> bool {
    matches!(c, ':' | '?' | '"' | '<' | '>' | '|' | '*' | '\\' | '%')
        || (c as u32) < 0x20
        || (0x7F..=0x9F).contains(&(c as u32))
}

/// `c` as percent-encoded UTF-8 bytes (`:` → `%3A`).
fn escape(c: char, out: &mut String) {
    let mut buffer = [0u8; 4];
    for byte in c.encode_utf8(&mut buffer).bytes() {
        out.push_str(&format!("%{byte:02X}"));
    }
}

/// Whether `element` is a device name Windows reserves, whatever follows its first dot.
fn is_reserved(element: &str) -> bool {
    let stem = element.split('.').next().unwrap_or_default();
    let stem = stem.trim_end_matches(' ').to_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let prefix: String = stem.chars().take(3).collect();
            let digit: String = stem.chars().skip(3).collect();
            (prefix == "COM" || prefix == "LPT")
                && matches!(
                    digit.as_str(),
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

/// One path element made portable (without the length rule).
fn portable_element(element: &str) -> String {
    let kept = element.trim_end_matches(['.', ' ']);
    let trailing = &element[kept.len()..];
    let mut out = String::with_capacity(element.len() + 8);
    let mut chars = kept.chars();
    if is_reserved(element)
        && let Some(first) = chars.next()
    {
        escape(first, &mut out);
    }
    for c in chars {
        if must_escape(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    for c in trailing.chars() {
        escape(c, &mut out);
    }
    out
}

/// The extension of `name` (`.jpg`), when it has a short one that is not the whole name.
fn extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= 16 => &name[dot..],
        _ => "",
    }
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a character boundary.
fn cut(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `name` within [`MAX_ELEMENT`] bytes: cut, then `~` and 16 hex digits of the SHA-256 of
/// `original`, then the extension.
fn fit(name: String, original: &str) -> String {
    if name.len() <= MAX_ELEMENT {
        return name;
    }
    let ext = extension(&name).to_string();
    let tag = format!("~{}", &Sha256::of(original.as_bytes()).to_hex()[..16]);
    let room = MAX_ELEMENT - tag.len() - ext.len();
    let stem = cut(&name[..name.len() - ext.len()], room);
    // Do not end the cut on a half-written escape or on a dot or space.
    let stem = stem.trim_end_matches(['%', '.', ' ']);
    let stem = match stem.rfind('%') {
        Some(at) if stem.len() - at < 3 => &stem[..at],
        _ => stem,
    };
    format!("{stem}{tag}{ext}")
}

/// How names are compared on FAT, exFAT and NTFS: without regard to case.
fn folded(path: &str) -> String {
    path.to_lowercase()
}

/// `name` with `~n` before its extension.
fn numbered(name: &str, n: usize) -> String {
    let ext = extension(name);
    let stem = &name[..name.len() - ext.len()];
    let tag = format!("~{n}");
    let stem = cut(stem, MAX_ELEMENT.saturating_sub(tag.len() + ext.len()));
    format!("{stem}{tag}{ext}")
}

/// Assigns the content paths of one new version: one per logical path, each portable and none
/// equal to another when case is ignored.
///
/// Paths are relative to the version's content folder (`files/a.jpg`, not `v2/content/…`).
/// Asked in logical-path order, the answers are deterministic.
#[derive(Debug, Default)]
pub struct ContentPaths {
    /// Case-folded path → the spelling given (folders and files alike).
    taken: BTreeMap<String, (String, bool)>,
}

impl ContentPaths {
    /// An empty assignment for a new version.
    pub fn new() -> Self {
        Self::default()
    }

    /// The portable content path for `logical` (an OCFL logical path: `/`-separated, no empty,
    /// `.` or `..` element).
    pub fn assign(&mut self, logical: &str) -> String {
        let elements: Vec<&str> = logical.split('/').collect();
        let mut path = String::new();
        let last = elements.len() - 1;
        for (i, element) in elements.iter().enumerate() {
            let is_file = i == last;
            let name = fit(portable_element(element), element);
            let mut candidate = name.clone();
            let mut n = 1;
            loop {
                let full = join(&path, &candidate);
                match self.taken.get(&folded(&full)) {
                    None => {
                        self.taken.insert(folded(&full), (full.clone(), is_file));
                        path = full;
                        break;
                    }
                    // A folder already spelled so (or in another case): join it.
                    Some((spelled, false)) if !is_file => {
                        path = spelled.clone();
                        break;
                    }
                    Some(_) => {
                        n += 1;
                        candidate = numbered(&name, n);
                    }
                }
            }
        }
        if path.len() > MAX_CONTENT_PATH {
            let (folders, file) = path.rsplit_once('/').unwrap_or(("", &path));
            let short = format!("{}/{file}", &Sha256::of(folders.as_bytes()).to_hex()[..16]);
            self.taken.insert(folded(&short), (short.clone(), true));
            return short;
        }
        path
    }
}

/// Why a content path already in an archive would not survive a copy to FAT, exFAT, NTFS or S3,
/// or `None` when it would. Objects written before portable content paths (issue 11) may hold
/// such paths; they stay as written, since OCFL never rewrites a version's content. Case
/// collisions between two paths are a matter of the whole object and are not seen here.
pub fn unportable(content_path: &str) -> Option<&'static str> {
    if content_path.len() > MAX_CONTENT_PATH {
        return Some("longer than 800 bytes, past what an S3 key leaves for it");
    }
    for element in content_path.split('/') {
        if element.len() > MAX_ELEMENT {
            return Some("a name longer than 255 bytes");
        }
        if element.chars().any(|c| c != '%' && must_escape(c)) {
            return Some(
                "a character Windows, exFAT and NTFS refuse (: ? \" < > | * \\ or a control character)",
            );
        }
        if element.ends_with(['.', ' ']) {
            return Some("a name ending in a dot or a space, which Windows drops");
        }
        if is_reserved(element) {
            return Some("a device name Windows reserves (CON, PRN, AUX, NUL, COM1, LPT1…)");
        }
    }
    None
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(logical: &str) -> String {
        ContentPaths::new().assign(logical)
    }

    #[test]
    fn paths_written_before_are_judged_as_a_copy_would_treat_them() {
        for (path, portable) in [
            ("v1/content/files/Lễ rước%3A ngày 15%3F.jpg", true),
            ("v1/content/files/CONCERT.jpg", true),
            ("v1/content/files/Lễ rước: ngày 15.jpg", false),
            ("v1/content/files/ghi chú.", false),
            ("v1/content/files/con.txt", false),
            ("v1/content/files/a\u{7}b.jpg", false),
        ] {
            assert_eq!(unportable(path).is_none(), portable, "{path}");
            let assigned = one(path.strip_prefix("v1/content/").unwrap());
            assert!(unportable(&assigned).is_none(), "{assigned}");
        }
        assert!(unportable(&format!("v1/content/{}.jpg", "ạ".repeat(90))).is_some());
    }

    #[test]
    fn characters_windows_refuses_are_percent_encoded() {
        assert_eq!(
            one("files/Lễ rước: ngày 15?.jpg"),
            "files/Lễ rước%3A ngày 15%3F.jpg"
        );
        assert_eq!(
            one("files/trống \"đại\" <mẫu>.png"),
            "files/trống %22đại%22 %3Cmẫu%3E.png"
        );
        assert_eq!(one("files/a|b*.txt"), "files/a%7Cb%2A.txt");
        assert_eq!(one("a\\b\tc\nd\u{7f}\u{85}"), "a%5Cb%09c%0Ad%7F%C2%85");
        assert_eq!(one("100%.txt"), "100%25.txt");
        // What needs nothing is left alone, Vietnamese and spaces included.
        assert_eq!(one("anh/Mặt trống đồng.jpg"), "anh/Mặt trống đồng.jpg");
    }

    #[test]
    fn trailing_dots_and_spaces_are_kept_visible() {
        assert_eq!(one("files/ghi chú."), "files/ghi chú%2E");
        assert_eq!(one("files/a. . "), "files/a%2E%20%2E%20");
        assert_eq!(one("thư mục ./x.jpg"), "thư mục%20%2E/x.jpg");
        assert_eq!(one(".hidden"), ".hidden");
    }

    #[test]
    fn device_names_are_escaped_in_any_case_with_any_extension() {
        for (name, portable) in [
            ("CON.txt", "%43ON.txt"),
            ("con", "%63on"),
            ("Nul.tar.gz", "%4Eul.tar.gz"),
            ("aux .md", "%61ux .md"),
            ("COM1.jpg", "%43OM1.jpg"),
            ("lpt9", "%6Cpt9"),
            ("COM¹.txt", "%43OM¹.txt"),
            ("prn.", "%70rn%2E"),
        ] {
            assert_eq!(one(name), portable, "{name}");
        }
        for name in [
            "CONSOLE.txt",
            "COM10.txt",
            "LPT.txt",
            "icon.png",
            "nullable.md",
        ] {
            assert_eq!(one(name), name);
        }
    }

    #[test]
    fn the_mapping_is_one_to_one() {
        let names = ["a:b", "a%3Ab", "CON", "%43ON", "x.", "x%2E", "a%25", "a%"];
        let mut paths = ContentPaths::new();
        let mapped: std::collections::BTreeSet<String> =
            names.iter().map(|n| paths.assign(n)).collect();
        assert_eq!(mapped.len(), names.len());
    }

    #[test]
    fn names_equal_but_for_case_stay_apart() {
        let mut paths = ContentPaths::new();
        let assigned: Vec<String> = [
            "Anh/A.jpg",
            "Anh/a.jpg",
            "anh/b.jpg",
            "anh/A.JPG",
            "Ảnh/x.jpg",
            "ảnh/y.jpg",
        ]
        .iter()
        .map(|p| paths.assign(p))
        .collect();
        assert_eq!(
            assigned,
            [
                "Anh/A.jpg",
                "Anh/a~2.jpg",
                "Anh/b.jpg",
                "Anh/A~3.JPG",
                "Ảnh/x.jpg",
                "Ảnh/y.jpg"
            ]
        );
        // A file and a folder of the same name in another case.
        let mut paths = ContentPaths::new();
        assert_eq!(paths.assign("Notes"), "Notes");
        assert_eq!(paths.assign("notes/a.txt"), "notes~2/a.txt");
    }

    #[test]
    fn long_names_and_paths_are_shortened_deterministically() {
        let long = format!("{}.jpg", "đ".repeat(120));
        let escaped = format!("{}.jpg", ":".repeat(100));
        for name in [&long, &escaped] {
            let path = one(name);
            assert!(path.len() <= MAX_ELEMENT, "{}", path.len());
            assert!(path.ends_with(".jpg"));
            assert_eq!(path, one(name));
            assert!(!path.contains(':'));
        }
        assert_ne!(one(&long), one(&format!("{}x.jpg", "đ".repeat(120))));
        let deep = vec!["thư mục rất dài".repeat(10); 6].join("/") + "/a.jpg";
        let path = one(&deep);
        assert!(path.len() <= MAX_CONTENT_PATH);
        assert!(path.ends_with("/a.jpg"));
    }
}
