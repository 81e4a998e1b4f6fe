//! Letters that look like the ones meant, read as them before search analyses text (break-12c
//! finding 6). It exists because text pasted from other keyboards, fonts and old input methods
//! reaches the index and the search box with characters that look identical to a reader but are
//! other code points, so "trống" typed with a Cyrillic `о` found nothing of "trống".
//!
//! It owns four readings, applied by [`crate::model::text::search_form`] in this order:
//! - spacing accents typed after a letter (`´` U+00B4, `` ` `` U+0060, `ˋ` U+02CB, `˜` U+02DC,
//!   `ˆ` U+02C6, `ˀ` U+02C0) are the combining mark they look like (acute, grave, tilde,
//!   circumflex, hook above);
//! - small capitals (`ᴛʀống`) are the lowercase letters;
//! - inside a word that also holds Latin letters, Cyrillic and Greek letters that look like
//!   Latin ones are the Latin letters (a small table after Unicode's confusables, UTS #39); a
//!   wholly Cyrillic or Greek word stays itself; Turkish `İ` is `I`;
//! - marks typed in legacy order (tone before circumflex, breve or horn: `o` U+0301 U+0302) are
//!   put in Vietnamese order (shape mark first), which NFC does not do since both marks have the
//!   same combining class.

use unicode_normalization::char::is_combining_mark;

/// A spacing accent and the combining mark it stands for after a letter.
fn spacing_accent(c: char) -> Option<char> {
    Some(match c {
        '\u{00B4}' => '\u{0301}',
        '\u{0060}' | '\u{02CB}' => '\u{0300}',
        '\u{02DC}' => '\u{0303}',
        '\u{02C6}' => '\u{0302}',
        '\u{02C0}' => '\u{0309}',
        _ => return None,
    })
}

/// A small capital and its lowercase letter.
fn small_capital(c: char) -> Option<char> {
    Some(match c {
        'ᴀ' => 'a',
        'ʙ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' => 'd',
        'ᴇ' => 'e',
        'ғ' => 'f',
        'ɢ' => 'g',
        'ʜ' => 'h',
        'ɪ' => 'i',
        'ᴊ' => 'j',
        'ᴋ' => 'k',
        'ʟ' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' => 'o',
        'ᴘ' => 'p',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' => 't',
        'ᴜ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        _ => return None,
    })
}

/// A Cyrillic or Greek letter that looks like a Latin one, and that Latin letter.
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic.
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        // Greek.
        'ο' => 'o',
        'α' => 'a',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'Ζ' => 'Z',
        _ => return None,
    })
}

/// Whether `c` is a Latin letter (ASCII, Latin-1, Latin Extended, Vietnamese precomposed).
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic())
}

/// Vietnamese shape marks (circumflex, breve, horn), which go before a tone mark.
fn is_shape_mark(c: char) -> bool {
    matches!(c, '\u{0302}' | '\u{0306}' | '\u{031B}')
}

/// Whether `text` holds anything [`read_lookalikes`] would change (a quick test that lets
/// ordinary text pass untouched).
pub fn has_lookalikes(text: &str) -> bool {
    let mut previous_mark = false;
    for c in text.chars() {
        if spacing_accent(c).is_some()
            || small_capital(c).is_some()
            || latin_lookalike(c).is_some()
            || c == 'İ'
        {
            return true;
        }
        let mark = is_combining_mark(c);
        if mark && previous_mark {
            return true;
        }
        previous_mark = mark;
    }
    false
}

/// `text` with look-alike characters read as the letters meant (see the module). Only
/// characters change; it is not normalised (the caller composes it).
pub fn read_lookalikes(text: &str) -> String {
    // Spacing accents after a letter and small capitals, character by character.
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        let after_letter = chars
            .last()
            .is_some_and(|p| p.is_alphabetic() || is_combining_mark(*p));
        match (spacing_accent(c), small_capital(c)) {
            (Some(mark), _) if after_letter => chars.push(mark),
            (_, Some(letter)) => chars.push(letter),
            _ if c == 'İ' => chars.push('I'),
            _ => chars.push(c),
        }
    }
    // Look-alikes inside words that also hold Latin letters.
    let mut start = 0;
    while start < chars.len() {
        let in_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
        if !in_word(chars[start]) {
            start += 1;
            continue;
        }
        let end = (start..chars.len())
            .find(|&i| !in_word(chars[i]))
            .unwrap_or(chars.len());
        let word = &mut chars[start..end];
        if word.iter().any(|&c| is_latin_letter(c)) {
            for c in word.iter_mut() {
                if let Some(latin) = latin_lookalike(*c) {
                    *c = latin;
                }
            }
        }
        start = end;
    }
    // Shape marks before tone marks in each run of marks.
    let mut i = 0;
    while i < chars.len() {
        if !is_combining_mark(chars[i]) {
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| !is_combining_mark(chars[j]))
            .unwrap_or(chars.len());
        chars[i..end].sort_by_key(|&c| !is_shape_mark(c));
        i = end;
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use crate::model::text::search_form;

    #[test]
    fn look_alike_letters_are_read_as_the_letters_meant() {
        // Cyrillic о and Greek ο inside a Latin word.
        assert_eq!(search_form("tr\u{043E}\u{0301}\u{0302}ng"), "trống");
        assert_eq!(search_form("tr\u{043E}̂́ng"), "trống");
        assert_eq!(search_form("tr\u{03BF}̂́ng"), "trống");
        assert_eq!(
            search_form("\u{0420}ар\u{0435}r"),
            "PapeR".replace('R', "r")
        );
        // A wholly Cyrillic or Greek word stays itself.
        assert_eq!(search_form("рос"), "рос");
        assert_eq!(search_form("τονος"), "τονος");
        // Turkish İ.
        assert_eq!(search_form("VİỆT"), "VIỆT");
        // Legacy order of marks: tone before circumflex, breve or horn.
        assert_eq!(search_form("tro\u{0301}\u{0302}ng"), "trống");
        assert_eq!(search_form("a\u{0300}\u{0306}n"), "ằn");
        assert_eq!(search_form("o\u{0323}\u{031B}"), "ợ");
        // Spacing accents after a letter.
        assert_eq!(search_form("trô\u{00B4}ng"), "trống");
        assert_eq!(search_form("tro\u{02C6}\u{0301}ng"), "trống");
        assert_eq!(search_form("ho\u{02CB}a"), "hòa");
        assert_eq!(search_form("lu\u{02DC}"), "lũ");
        assert_eq!(search_form("a ` b"), "a ` b", "not after a letter");
        // Small capitals.
        assert_eq!(search_form("ᴛʀống"), "trống");
        // Ordinary text is untouched.
        assert_eq!(search_form("Đọi Tam, trống đồng"), "Đọi Tam, trống đồng");
    }
}
