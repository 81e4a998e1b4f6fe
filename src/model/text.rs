//! Vietnamese-aware text handling shared by every stage.
//!
//! Vietnamese arrives both precomposed (NFC, what most keyboards type) and decomposed (NFD, what
//! macOS writes into file names). Every boundary of Disan — file names, CSV cells, front matter,
//! queries — passes text through [`nfc`] so that two spellings of "dệt lụa" are one string.
//! [`fold`] removes tones and vowel marks (and maps `đ` and its look-alikes `Ð`, `Ɖ` to `d`, which
//! have no Unicode decomposition) so that "Ngoc Dong" matches "Ngọc Động";
//! [`standard_tone_placement`] writes a tone typed on any vowel of a syllable where the rule puts
//! it; [`input_method`] reads Telex and VNI keys typed with the input method switched off; [`slug`] builds stable, readable ids from titles and
//! paths; [`printable`] writes the control and format characters of a name so that it stays
//! one visible line of a terminal report.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

pub mod input_method;
pub mod lookalike;

/// Returns `text` in Unicode Normalisation Form C, borrowing when it already is.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect()),
    }
}

/// Text as search reads it, in the index and in the query alike: format characters removed
/// ([`is_format_char`]: soft hyphen U+00AD, zero-width space and joiners, byte-order mark),
/// hyphen look-alikes (U+2010–U+2015, U+2212 minus) read as `-`, then compatibility-composed
/// (NFKC), which folds fullwidth letters, digits and punctuation (`ＶＩỆＴ`, `１９９５`, `：`)
/// to their usual forms and composes Vietnamese as [`nfc`] does. Text copied from a PDF or a
/// word processor is so found like text typed (break-12 finding 2). Before that, look-alike
/// characters are read as the letters meant ([`lookalike`]: Cyrillic and Greek letters inside
/// Latin words, marks in legacy order, spacing accents after a letter, small capitals;
/// break-12c finding 6).
pub fn search_form(text: &str) -> std::borrow::Cow<'_, str> {
    let odd = |c: char| is_format_char(c) || is_hyphen_lookalike(c);
    let lookalikes = lookalike::has_lookalikes(text);
    if !lookalikes
        && !text.chars().any(odd)
        && is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let read;
    let text = if lookalikes {
        read = lookalike::read_lookalikes(text);
        read.as_str()
    } else {
        text
    };
    text.chars()
        .filter(|&c| !is_format_char(c))
        .map(|c| if is_hyphen_lookalike(c) { '-' } else { c })
        .nfkc()
        .collect::<String>()
        .into()
}

/// Whether `c` is a dash or hyphen that copy-paste puts where `-` was meant: U+2010 hyphen to
/// U+2015 horizontal bar (non-breaking hyphen, figure dash, en and em dash) and U+2212 minus.
pub fn is_hyphen_lookalike(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Lowercases `text` and strips every diacritic: tones, circumflex, breve and horn, and `đ` → `d`
/// (its look-alikes `ð`, `ɖ` too, see [`is_d_lookalike`]).
///
/// The result is what a visitor typing without Vietnamese input types: `fold("Đọi Tam")` is
/// `"doi tam"`.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => folded.push('d'),
            _ if is_d_lookalike(c) => folded.push('d'),
            _ => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// Folds one character the way [`fold`] folds text, always into exactly one character, so a
/// folded text lines up character by character with its original.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == 'đ' || c == 'Đ' || is_d_lookalike(c) {
        return 'd';
    }
    let mut base = c;
    unicode_normalization::char::decompose_canonical(c, |part| {
        if base == c && !is_combining_mark(part) {
            base = part;
        }
    });
    let mut lower = base.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(single), None) => single,
        _ => base,
    }
}

/// The five tone marks, decomposed: huyền, sắc, ngã, hỏi, nặng.
pub const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Whether `c` is one of the look-alikes of `đ`/`Đ` (U+0111/U+0110) that legacy converters,
/// OCR and copy-paste produce: the eth `ð`/`Ð` (U+00F0/U+00D0) and the African D `ɖ`/`Ɖ`
/// (U+0256/U+0189). No Vietnamese text means them, so Disan reads them as `đ` everywhere text
/// is compared (charabia issue #245 is the same fault in Meilisearch).
pub fn is_d_lookalike(c: char) -> bool {
    matches!(c, 'ð' | 'Ð' | 'ɖ' | 'Ɖ')
}

/// `text` with every look-alike of `đ` ([`is_d_lookalike`]) written as `đ` or `Đ`, borrowing
/// when there is none.
pub fn standard_d(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_d_lookalike) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            'ð' | 'ɖ' => 'đ',
            'Ð' | 'Ɖ' => 'Đ',
            other => other,
        })
        .collect::<String>()
        .into()
}

/// One letter of a decomposed word: its base and its marks other than the tone.
struct Letter {
    base: char,
    marks: Vec<char>,
}

impl Letter {
    fn lower(&self) -> char {
        self.base.to_lowercase().next().unwrap_or(self.base)
    }

    fn is_vowel(&self) -> bool {
        matches!(self.lower(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }
}

/// Puts the tone of a Vietnamese syllable on the vowel where the standard rule puts it, wherever
/// in the vowel cluster it was typed: `vịêt` → `việt`, `tóan` → `toán`, `hoà` → `hòa`,
/// `khoẻ` → `khỏe`, `thuý` → `thúy` (`quý` is unchanged: its `u` belongs to `qu`, as the `i`
/// of `giá` belongs to `gi`).
///
/// The rule (Vietnamese orthography as taught, and as Unikey's "old style" writes it): the tone
/// goes on the vowel with a mark (`â ă ê ô ơ ư`; on `ơ` in `ươ`); else on the only vowel; else,
/// before a final consonant, on the last vowel (`toán`); else on the middle one of three
/// (`ngoài`), the first of two (`hòa`, `múa`). Both `hoà` and `hòa` are correct and occur in
/// the same archive; search indexes and queries this one.
///
/// Words that are not one Vietnamese syllable (no tone, several tones, two vowel clusters as
/// in `café`, other letters) are returned unchanged, borrowed.
pub fn standard_tone_placement(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let mut letters: Vec<Letter> = Vec::with_capacity(word.len());
    let mut tone = None;
    for c in word.nfd() {
        if TONE_MARKS.contains(&c) {
            if tone.is_some() || letters.is_empty() {
                return Cow::Borrowed(word);
            }
            tone = Some((c, letters.len() - 1));
        } else if is_combining_mark(c) {
            match letters.last_mut() {
                Some(letter) => letter.marks.push(c),
                None => return Cow::Borrowed(word),
            }
        } else if c.is_alphabetic() {
            letters.push(Letter {
                base: c,
                marks: Vec::new(),
            });
        } else {
            return Cow::Borrowed(word);
        }
    }
    let Some((tone, toned)) = tone else {
        return Cow::Borrowed(word);
    };
    let Some(mut start) = letters.iter().position(Letter::is_vowel) else {
        return Cow::Borrowed(word);
    };
    let end = letters[start..]
        .iter()
        .position(|l| !l.is_vowel())
        .map_or(letters.len(), |n| start + n);
    if letters[end..].iter().any(Letter::is_vowel) {
        return Cow::Borrowed(word);
    }
    // `qu` and `gi` (before another vowel) are consonants.
    if end - start > 1 && start > 0 {
        let before = letters[start - 1].lower();
        let first = &letters[start];
        if (before == 'q' && first.lower() == 'u')
            || (before == 'g' && first.lower() == 'i' && first.marks.is_empty())
        {
            start += 1;
        }
    }
    let cluster = start..end;
    if cluster.len() > 3 {
        return Cow::Borrowed(word);
    }
    let closed = end < letters.len();
    let target = match cluster
        .clone()
        .rev()
        .find(|&n| !letters[n].marks.is_empty())
    {
        Some(marked) => marked,
        None if cluster.len() == 1 || closed => end - 1,
        None if cluster.len() == 3 => start + 1,
        None => start,
    };
    if target == toned {
        return Cow::Borrowed(word);
    }
    let mut placed = String::with_capacity(word.len() + 2);
    for (n, letter) in letters.iter().enumerate() {
        placed.push(letter.base);
        placed.extend(&letter.marks);
        if n == target {
            placed.push(tone);
        }
    }
    Cow::Owned(placed.nfc().collect())
}

/// Whether the tone of `word` stands where no convention puts it (`vịêt`, `tóan`), as opposed
/// to the two placements both in use for an open `oa`, `oe` or `uy` (`hoà`, `hòa`).
pub fn tone_misplaced(word: &str) -> bool {
    let standard = standard_tone_placement(word);
    if standard == word {
        return false;
    }
    // The other accepted placement: the tone on the last letter of an open oa/oe/uy.
    let folded = fold(word);
    let open_glide = ["oa", "oe", "uy"].iter().any(|end| folded.ends_with(end));
    let last_toned = word.nfd().last().is_some_and(|c| TONE_MARKS.contains(&c));
    !(open_glide && last_toned)
}

/// The letters of the Vietnamese alphabet in dictionary order, digits first.
const ALPHABET: &str = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// A key that sorts text in Vietnamese dictionary order: a ă â b c d đ e ê … ư v x y, then by
/// tone (none, huyền, hỏi, ngã, sắc, nặng), ignoring case and punctuation. Byte order of the key
/// is that order, so it can live in a string fast field of the search index.
pub fn sort_key(text: &str) -> String {
    let mut letters = String::new();
    let mut tones = String::new();
    for c in nfc(text).chars() {
        let mut base = None;
        let mut tone = 0u8;
        let lower = c.to_lowercase().next().unwrap_or(c);
        for part in lower.nfd() {
            match part {
                '\u{300}' => tone = 1,
                '\u{309}' => tone = 2,
                '\u{303}' => tone = 3,
                '\u{301}' => tone = 4,
                '\u{323}' => tone = 5,
                _ if is_combining_mark(part) => {
                    // Circumflex, breve and horn make distinct letters: recompose them.
                    base = base.and_then(|b: char| {
                        unicode_normalization::char::compose(b, part).or(Some(b))
                    });
                }
                _ => base = Some(part),
            }
        }
        let Some(letter) = base else { continue };
        let Some(rank) = ALPHABET.chars().position(|a| a == letter) else {
            if letter.is_whitespace() && !letters.ends_with(' ') && !letters.is_empty() {
                letters.push(' ');
            }
            continue;
        };
        letters.push(char::from(b'!' + rank as u8));
        tones.push(char::from(b'0' + tone));
    }
    // The tones break ties only after every letter: "ma" < "mà" < "mả" < "mã" < "má" < "mạ".
    format!("{}\u{1}{tones}", letters.trim_end())
}

/// Whether two names are the same once case and diacritics are ignored, with runs of white space
/// treated as one space ("Ngoc  Dong" is Ngọc Động).
pub fn same_name(a: &str, b: &str) -> bool {
    let normal = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    normal(a) == normal(b)
}

/// The key two free-text names are compared by: [`fold`]ed (case, tones, other diacritics and
/// `đ` ignored, NFC and NFD alike), words of letters and digits (any script) joined by single
/// hyphens, everything else a separator. `name_key("Trống  Đọi-Tam!")` is `"trong-doi-tam"`,
/// as is `name_key("trong-doi-tam")`: a slug id and the name it was made from share a key.
/// Empty when the text holds no letter or digit.
pub fn name_key(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Builds a URL-safe id from free text: folded, lowercase ASCII letters and digits, words joined by
/// single hyphens. `slug("Trống Đọi Tam / 2020")` is `"trong-doi-tam-2020"`.
pub fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Turns a file stem such as `khung_cui-nha_xa` into a readable title (`khung cui nha xa`).
pub fn title_from_file_stem(stem: &str) -> String {
    let spaced: String = stem
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `c` is a Unicode format character (general category Cf: byte-order mark, zero-width
/// characters, direction marks and embeddings such as U+202E, invisible operators, tags).
///
/// The ranges are those of Cf in Unicode 15.1 (`DerivedGeneralCategory.txt`).
pub fn is_format_char(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// `text` with control characters (line breaks, escape sequences), the line and paragraph
/// separators U+2028 and U+2029 (which terminals and editors may show as line breaks) and format
/// characters (direction overrides such as U+202E, zero-width characters) written as `\u{…}`,
/// so that a file name cannot forge, reorder or hide lines of the terminal report.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_format_char(c);
    if text.chars().any(hidden) {
        text.chars()
            .map(|c| {
                if hidden(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_whatever_could_break_or_reorder_a_line() {
        for (name, shown) in [
            ("a\nb.jpg", "a\\u{a}b.jpg"),
            ("a\u{2028}b.jpg", "a\\u{2028}b.jpg"),
            ("a\u{2029}b.jpg", "a\\u{2029}b.jpg"),
            ("a\u{85}b.jpg", "a\\u{85}b.jpg"),
            ("gpj.\u{202e}b", "gpj.\\u{202e}b"),
            ("Lễ hội.jpg", "Lễ hội.jpg"),
        ] {
            assert_eq!(printable(name), shown);
        }
    }

    const NFD_DET_LUA: &str = "de\u{0302}\u{0323}t lu\u{0323}a";

    #[test]
    fn search_form_removes_invisibles_and_folds_width_and_dashes() {
        assert_eq!(search_form("Việ\u{ad}t"), "Việt");
        assert_eq!(search_form("Vi\u{200b}ệt"), "Việt");
        assert_eq!(search_form("\u{feff}trống"), "trống");
        assert_eq!(search_form("ＶＩỆＴ １９９５"), "VIỆT 1995");
        assert_eq!(search_form("Hà Nam：trống"), "Hà Nam:trống");
        assert_eq!(
            search_form("HN\u{2011}1995\u{2013}012\u{2212}1"),
            "HN-1995-012-1"
        );
        assert_eq!(search_form(NFD_DET_LUA), "dệt lụa");
        assert!(matches!(
            search_form("dệt lụa"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        assert_eq!(nfc(NFD_DET_LUA), "dệt lụa");
        assert!(matches!(nfc("dệt lụa"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn fold_strips_tones_marks_and_d_stroke() {
        assert_eq!(fold("Đọi Tam"), "doi tam");
        assert_eq!(fold("dệt lụa"), "det lua");
        assert_eq!(fold(NFD_DET_LUA), "det lua");
        assert_eq!(fold("Sừng Đô Hai"), "sung do hai");
    }

    #[test]
    fn fold_char_matches_fold_and_keeps_one_char() {
        let text = "Đọi Tam, Ngọc Động, dệt lụa, Sừng Đô Hai, Thêu ren Thanh Hà";
        let folded: String = text.chars().map(fold_char).collect();
        assert_eq!(folded, fold(text));
        assert_eq!(folded.chars().count(), text.chars().count());
    }

    #[test]
    fn old_and_new_tone_placement_meet() {
        for (old, new) in [
            ("hoà", "hòa"),
            ("khoẻ", "khỏe"),
            ("thuý", "thúy"),
            ("HOÀ", "HÒA"),
            ("tuý", "túy"),
        ] {
            assert_eq!(standard_tone_placement(old), new);
            assert_eq!(standard_tone_placement(new), new);
            assert!(!tone_misplaced(old) && !tone_misplaced(new), "{old}");
        }
        for unchanged in [
            "quý", "hoàn", "thuyền", "lụa", "trống", "hoa", "giữ", "gìn", "người", "khuỷu",
            "ngoài", "quốc", "của", "café", "résumé", "naïve", "1995",
        ] {
            assert_eq!(standard_tone_placement(unchanged), unchanged);
        }
    }

    #[test]
    fn a_tone_on_any_vowel_of_the_cluster_moves_to_its_standard_vowel() {
        for (typed, standard) in [
            ("vịêt", "việt"),
            ("VỊÊT", "VIỆT"),
            ("tóan", "toán"),
            ("thúyên", "thuyến"),
            ("ngừơi", "người"),
            ("ngoaì", "ngoài"),
            ("múôn", "muốn"),
            ("qúy", "quý"),
            ("gíư", "giứ"),
            ("kíêu", "kiếu"),
            ("hoạch", "hoạch"),
        ] {
            assert_eq!(standard_tone_placement(typed), standard, "{typed}");
            let nfd: String = typed.nfd().collect();
            assert_eq!(
                nfc(&standard_tone_placement(&nfd)),
                standard,
                "{typed} in NFD"
            );
        }
        assert!(tone_misplaced("vịêt") && tone_misplaced("tóan"));
        assert!(!tone_misplaced("việt") && !tone_misplaced("dệt"));
    }

    #[test]
    fn every_lookalike_of_d_folds_and_reads_as_d_stroke() {
        for typed in ["Đọi", "Ðọi", "Ɖọi", "đọi", "ðọi", "ɖọi"] {
            assert_eq!(fold(typed), "doi", "{typed}");
            assert_eq!(fold_char(typed.chars().next().unwrap()), 'd');
            assert_eq!(standard_d(typed).to_lowercase(), "đọi");
        }
        assert!(matches!(standard_d("Đọi"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn sort_key_follows_the_vietnamese_alphabet_then_tones() {
        let mut words = vec![
            "Ê-đê", "em", "đá", "da", "bò", "âm", "ăn", "an", "mạ", "má", "mã", "mả", "mà", "ma",
            "Ư", "ưa", "vân",
        ];
        words.sort_by_key(|w| sort_key(w));
        assert_eq!(
            words,
            [
                "an", "ăn", "âm", "bò", "da", "đá", "em", "Ê-đê", "ma", "mà", "mả", "mã", "má",
                "mạ", "Ư", "ưa", "vân"
            ]
        );
        assert_eq!(sort_key("de\u{0302}\u{0323}t"), sort_key("dệt"));
    }

    #[test]
    fn same_name_ignores_case_diacritics_and_spacing() {
        assert!(same_name("Ngoc  Dong", "Ngọc Động"));
        assert!(!same_name("Ngoc Dong", "Ngọc Lâm"));
    }

    #[test]
    fn slug_is_ascii_and_hyphenated() {
        assert_eq!(slug("Trống Đọi Tam / 2020"), "trong-doi-tam-2020");
        assert_eq!(slug("  --ảnh__khung cửi--  "), "anh-khung-cui");
        assert_eq!(slug("!!!"), "");
    }
}
