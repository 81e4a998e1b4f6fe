//! Reading what a Vietnamese input method would have written from the keys it was given: a visitor
//! whose Telex or VNI input method was switched off types `deejt luaj` or `de65t lu5a` for
//! `dệt lụa`, `ddan lats` or `d9an la1t` for `đan lát`. Search reads such words as the Vietnamese
//! syllable (see `index::search::understand`), only when the word as typed is found nowhere.
//!
//! The keys are those of Unikey's Telex and VNI tables: Telex `aa ee oo` (â ê ô), `aw ow uw`
//! (ă ơ ư, `uow` ươ, `w` alone ư), `dd` (đ), tones `s f r x j`; VNI `6` (â ê ô), `7` (ơ ư, `uo7`
//! ươ), `8` (ă), `9` (đ), tones `1 2 3 4 5`. A result is kept only when it is one well-formed
//! Vietnamese syllable (an initial consonant, one to three vowels, a final consonant).

use unicode_normalization::UnicodeNormalization;

use super::standard_tone_placement;

/// Circumflex, breve, horn (combining).
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31b}';

/// One letter being built: its base and the vowel mark keys gave it.
#[derive(Clone)]
struct Letter {
    base: char,
    mark: Option<char>,
}

impl Letter {
    fn plain(base: char) -> Self {
        Letter { base, mark: None }
    }

    fn is_vowel(&self) -> bool {
        matches!(self.base, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
    }
}

/// The word a switched-off Telex input method was given, written as Telex would have written
/// it; `None` when no key of it is a Telex key or the result is no Vietnamese syllable.
///
/// `from_telex("deejt")` is `Some("dệt")`; `from_telex("ddan")` is `Some("đan")`;
/// `from_telex("weaving")` is `None`.
pub fn from_telex(word: &str) -> Option<String> {
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let chars: Vec<char> = word.to_ascii_lowercase().chars().collect();
    let mut letters: Vec<Letter> = Vec::new();
    let mut tone = None;
    let mut keyed = false;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let has_vowel = letters.iter().any(Letter::is_vowel);
        if c == 'd' && chars.get(at + 1) == Some(&'d') && letters.is_empty() {
            letters.push(Letter::plain('đ'));
            keyed = true;
            at += 2;
            continue;
        }
        if has_vowel && let Some(mark) = telex_tone(c) {
            if tone.replace(mark).is_some() {
                return None;
            }
            keyed = true;
        } else if c == 'w' {
            if !horn_or_breve(&mut letters, true) {
                letters.push(Letter {
                    base: 'u',
                    mark: Some(HORN),
                });
            }
            keyed = true;
        } else if matches!(c, 'a' | 'e' | 'o')
            && letters
                .last()
                .is_some_and(|last| last.base == c && last.mark.is_none())
        {
            if let Some(last) = letters.last_mut() {
                last.mark = Some(CIRCUMFLEX);
            }
            keyed = true;
        } else {
            letters.push(Letter::plain(c));
        }
        at += 1;
    }
    keyed.then(|| written(&letters, tone)).flatten()
}

/// The word a switched-off VNI input method was given (letters and the digits 1 to 9), written
/// as VNI would have written it; `None` when it has no such digit or the result is no
/// Vietnamese syllable. `from_vni("de65t")` is `Some("dệt")`.
pub fn from_vni(word: &str) -> Option<String> {
    if !word.chars().all(|c| c.is_ascii_alphanumeric())
        || !word.chars().any(|c| c.is_ascii_alphabetic())
        || !word.chars().any(|c| matches!(c, '1'..='9'))
    {
        return None;
    }
    let mut letters: Vec<Letter> = Vec::new();
    let mut tone = None;
    for c in word.to_ascii_lowercase().chars() {
        match c {
            '1'..='5' => {
                if !letters.iter().any(Letter::is_vowel) {
                    return None;
                }
                let mark = ['\u{301}', '\u{300}', '\u{309}', '\u{303}', '\u{323}']
                    [usize::from(c as u8 - b'1')];
                if tone.replace(mark).is_some() {
                    return None;
                }
            }
            '6' => {
                let last = letters
                    .iter_mut()
                    .rev()
                    .find(|l| matches!(l.base, 'a' | 'e' | 'o') && l.mark.is_none())?;
                last.mark = Some(CIRCUMFLEX);
            }
            '7' => {
                if !horn_or_breve(&mut letters, false) {
                    return None;
                }
            }
            '8' => {
                let last = letters
                    .iter_mut()
                    .rev()
                    .find(|l| l.base == 'a' && l.mark.is_none())?;
                last.mark = Some(BREVE);
            }
            '9' => {
                let d = letters.iter_mut().rev().find(|l| l.base == 'd')?;
                d.base = 'đ';
            }
            '0' => return None,
            letter => letters.push(Letter::plain(letter)),
        }
    }
    written(&letters, tone)
}

/// The tone mark a Telex key types after a vowel: s sắc, f huyền, r hỏi, x ngã, j nặng.
fn telex_tone(key: char) -> Option<char> {
    match key {
        's' => Some('\u{301}'),
        'f' => Some('\u{300}'),
        'r' => Some('\u{309}'),
        'x' => Some('\u{303}'),
        'j' => Some('\u{323}'),
        _ => None,
    }
}

/// Applies Telex `w` / VNI `7` to the last unmarked `a`, `o` or `u` (`uo` together become `ươ`);
/// `a` takes a breve only in Telex (`aw`), VNI writing `ă` with `8`. Whether one was found.
fn horn_or_breve(letters: &mut [Letter], telex: bool) -> bool {
    let Some(at) = letters.iter().rposition(|l| {
        l.mark.is_none() && (matches!(l.base, 'o' | 'u') || (telex && l.base == 'a'))
    }) else {
        return false;
    };
    let base = letters[at].base;
    letters[at].mark = Some(if base == 'a' { BREVE } else { HORN });
    if base == 'o' && at > 0 && letters[at - 1].base == 'u' && letters[at - 1].mark.is_none() {
        letters[at - 1].mark = Some(HORN);
    }
    true
}

/// The letters as text, the tone placed by [`standard_tone_placement`]; `None` unless they
/// make one Vietnamese syllable.
fn written(letters: &[Letter], tone: Option<char>) -> Option<String> {
    let last_vowel = letters.iter().rposition(Letter::is_vowel)?;
    if !is_syllable(letters) {
        return None;
    }
    let mut text = String::with_capacity(letters.len() * 3);
    for (n, letter) in letters.iter().enumerate() {
        text.push(letter.base);
        text.extend(letter.mark);
        if n == last_vowel {
            text.extend(tone);
        }
    }
    let text: String = text.nfc().collect();
    Some(standard_tone_placement(&text).into_owned())
}

/// Initial consonants of Vietnamese syllables, longest first.
const INITIALS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Final consonants of Vietnamese syllables.
const FINALS: [&str; 8] = ["c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Whether the letters are an initial consonant (or none), one to three vowels and a final
/// consonant (or none).
fn is_syllable(letters: &[Letter]) -> bool {
    let plain: String = letters.iter().map(|l| l.base).collect();
    let Some(first_vowel) = letters.iter().position(Letter::is_vowel) else {
        return false;
    };
    let vowels_end = letters[first_vowel..]
        .iter()
        .position(|l| !l.is_vowel())
        .map_or(letters.len(), |n| first_vowel + n);
    let initial: String = plain.chars().take(first_vowel).collect();
    let last: String = plain.chars().skip(vowels_end).collect();
    let initial_ok = initial.is_empty()
        || INITIALS.contains(&initial.as_str())
        // `gi` and `qu` before another vowel: their vowel is part of the consonant.
        || (initial == "g" || initial == "q");
    let vowels = vowels_end - first_vowel;
    // Consonant marks are never keyed: only vowels carry a mark.
    let marks_ok = letters.iter().all(|l| l.mark.is_none() || l.is_vowel());
    initial_ok
        && (1..=3).contains(&vowels)
        && (last.is_empty() || FINALS.contains(&last.as_str()))
        && marks_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telex_leftovers_are_read_as_vietnamese() {
        for (typed, meant) in [
            ("deejt", "dệt"),
            ("luaj", "lụa"),
            ("ddan", "đan"),
            ("lats", "lát"),
            ("nguowif", "người"),
            ("truwowngf", "trường"),
            ("ddaays", "đấy"),
            ("Vieetj", "việt"),
            ("hoaf", "hòa"),
            ("toans", "toán"),
            ("thuyeenf", "thuyền"),
            ("gioongs", "giống"),
            ("quys", "quý"),
            ("w", "ư"),
        ] {
            assert_eq!(from_telex(typed).as_deref(), Some(meant), "{typed}");
        }
    }

    #[test]
    fn words_without_telex_keys_or_syllables_are_left_alone() {
        for typed in [
            "weaving", "lacquer", "dress", "trong", "det", "lua", "strong", "ddd", "xyz", "h2o",
            "dệt", "",
        ] {
            assert_eq!(from_telex(typed), None, "{typed}");
        }
    }

    #[test]
    fn vni_leftovers_are_read_as_vietnamese() {
        for (typed, meant) in [
            ("de65t", "dệt"),
            ("lu5a", "lụa"),
            ("lua5", "lụa"),
            ("d9an", "đan"),
            ("la1t", "lát"),
            ("ngu7o72i", "người"),
            ("nguo72i", "người"),
            ("a8n", "ăn"),
            ("Vie65t", "việt"),
        ] {
            assert_eq!(from_vni(typed).as_deref(), Some(meant), "{typed}");
        }
        for typed in ["1995", "hn", "344", "a0", "mp3", "x7", "covid19"] {
            assert_eq!(from_vni(typed), None, "{typed}");
        }
    }
}
