//! The UTF-8 gate for everything archivists hand to Disan, and the diagnosis
//! given when something does not pass it.
//!
//! Metadata spreadsheets (`metadata.csv`, exported from Excel or LibreOffice)
//! and Markdown text records must be UTF-8. A file in any other encoding is
//! refused, never decoded into garbled Vietnamese that would then be archived
//! as if it were what the archivist typed. The refusal has to tell the
//! archivist what went wrong, so it names the encoding the file most likely
//! uses, chosen among those still found in Vietnamese offices:
//!
//! * UTF-16 and UTF-32 (Excel's "Unicode text"), recognised by byte-order mark
//!   or by the NUL bytes that ASCII characters leave behind;
//! * Windows-1258, Microsoft's Vietnamese code page, which writes most tone
//!   marks as separate combining bytes after the vowel;
//! * TCVN3 (ABC), a font-based encoding with precomposed lowercase letters in
//!   the upper half of the byte range;
//! * VNI-Windows, a font-based encoding writing a base letter followed by a
//!   mark byte.
//!
//! The three 8-bit encodings share byte values, so no single byte identifies
//! them. Instead every word containing a non-ASCII byte is read under each
//! code table and checked against the shape of a Vietnamese syllable (onset,
//! vowel nucleus, final consonant, at most one tone, stop finals only with the
//! sắc or nặng tone). The table under which the words make sense wins; when
//! none clearly does, the guess is [`LikelyEncoding::Unknown`].
//!
//! This module owns [`decode_utf8`], [`guess_encoding`] and their types.
//! It converts nothing: a guess is good enough to tell someone how to fix a
//! file, not to rewrite a heritage record on their behalf.

use std::fmt;

use crate::model::Message;
use crate::msg;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of the head of a file is inspected for the NUL pattern of
/// BOM-less UTF-16/32; the head is representative and the scan stays cheap
/// on large Markdown records.
const NUL_SAMPLE: usize = 4096;

/// Decodes metadata bytes as UTF-8, stripping one leading BOM.
///
/// UTF-16 and UTF-32 input is refused even when every byte happens to be
/// valid UTF-8 (ASCII-only UTF-16 is, NULs and all).
///
/// # Errors
///
/// [`NotUtf8`] when the bytes are not UTF-8, naming the encoding they most
/// likely use. Its line and column count bytes of the text after the BOM, as
/// an editor would show them.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    if let Some(likely) = wide_encoding(bytes) {
        return Err(NotUtf8 {
            likely,
            line: 1,
            column: 1,
            byte: None,
        });
    }
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(text).map_err(|error| {
        let at = error.valid_up_to();
        let (line, column) = line_and_column(text, at);
        NotUtf8 {
            likely: guess_encoding(bytes),
            line,
            column,
            byte: Some(text[at]),
        }
    })
}

/// Metadata or a text record that is not UTF-8.
///
/// Its message starts with "is not UTF-8", ready to follow the file's name,
/// then names the likely encoding and what the archivist should do, e.g.
/// `is not UTF-8 (byte 0xEA at line 3, column 12); it looks like Windows-1258
/// (Vietnamese). Save it as UTF-8 (in Excel: "CSV UTF-8") and ingest again`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not UTF-8{}; it looks like {likely}. {}", self.position(), likely.remedy())]
pub struct NotUtf8 {
    /// The encoding the bytes most likely use.
    pub likely: LikelyEncoding,
    /// 1-based line of the first invalid byte; 1 for UTF-16/32.
    pub line: usize,
    /// 1-based column, in bytes, of the first invalid byte; 1 for UTF-16/32.
    pub column: usize,
    /// The first invalid byte; `None` when the whole file is UTF-16/32, where
    /// no single byte is at fault.
    pub byte: Option<u8>,
}

impl NotUtf8 {
    /// What is wrong, as words either language can say: the same English as its `Display`.
    pub fn message(&self) -> Message {
        let likely = self.likely.name();
        let remedy = self.likely.remedy_message();
        match self.byte {
            Some(byte) => msg!(
                "encoding-not-utf8-at",
                "is not UTF-8 (byte 0x{byte} at line {line}, column {column}); it looks like {likely}. {remedy}",
                byte = format!("{byte:02X}"),
                line = self.line,
                column = self.column,
                likely = likely,
                remedy = remedy
            ),
            None => msg!(
                "encoding-not-utf8",
                "is not UTF-8; it looks like {likely}. {remedy}",
                likely = likely,
                remedy = remedy
            ),
        }
    }

    fn position(&self) -> String {
        self.byte.map_or_else(String::new, |byte| {
            format!(
                " (byte 0x{byte:02X} at line {}, column {})",
                self.line, self.column
            )
        })
    }
}

/// The encoding a non-UTF-8 file most likely uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikelyEncoding {
    /// UTF-16, little-endian (Excel's "Unicode text" on Windows).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
    /// Windows-1258, Microsoft's Vietnamese code page.
    Windows1258,
    /// TCVN3, also called ABC: the `.Vn` font encoding.
    Tcvn3,
    /// VNI-Windows: the `VNI-` font encoding.
    Vni,
    /// Some 8-bit encoding that does not read as Vietnamese in any of the
    /// above, such as Latin-1; also the answer for valid UTF-8.
    Unknown,
}

impl LikelyEncoding {
    /// Its name, as words either language can say (as its `Display` writes it in English).
    fn name(self) -> Message {
        match self {
            Self::Utf16Le => msg!("encoding-utf16-le", "UTF-16 (little-endian)"),
            Self::Utf16Be => msg!("encoding-utf16-be", "UTF-16 (big-endian)"),
            Self::Utf32Le => msg!("encoding-utf32-le", "UTF-32 (little-endian)"),
            Self::Utf32Be => msg!("encoding-utf32-be", "UTF-32 (big-endian)"),
            Self::Windows1258 => msg!("encoding-windows-1258", "Windows-1258 (Vietnamese)"),
            Self::Tcvn3 => msg!("encoding-tcvn3", "TCVN3 (ABC)"),
            Self::Vni => msg!("encoding-vni", "VNI-Windows"),
            Self::Unknown => msg!("encoding-unknown", "an unknown 8-bit encoding"),
        }
    }

    /// What to do, as words either language can say (see [`LikelyEncoding::remedy`]).
    fn remedy_message(self) -> Message {
        match self {
            Self::Utf16Le | Self::Utf16Be | Self::Utf32Le | Self::Utf32Be => msg!(
                "encoding-remedy-wide",
                "Save it as UTF-8 (in Excel: \"CSV UTF-8\", not \"Unicode Text\") and ingest again"
            ),
            Self::Tcvn3 | Self::Vni => msg!(
                "encoding-remedy-font",
                "Convert it to Unicode first (for example with UniKey's converter), then save it as UTF-8 and ingest again"
            ),
            Self::Windows1258 | Self::Unknown => msg!(
                "encoding-remedy",
                "Save it as UTF-8 (in Excel: \"CSV UTF-8\") and ingest again"
            ),
        }
    }

    fn remedy(self) -> &'static str {
        match self {
            Self::Utf16Le | Self::Utf16Be | Self::Utf32Le | Self::Utf32Be => {
                "Save it as UTF-8 (in Excel: \"CSV UTF-8\", not \"Unicode Text\") and ingest again"
            }
            // Re-saving font-encoded text as UTF-8 only preserves the wrong
            // letters; it has to be converted first.
            Self::Tcvn3 | Self::Vni => {
                "Convert it to Unicode first (for example with UniKey's converter), \
                 then save it as UTF-8 and ingest again"
            }
            Self::Windows1258 | Self::Unknown => {
                "Save it as UTF-8 (in Excel: \"CSV UTF-8\") and ingest again"
            }
        }
    }
}

impl fmt::Display for LikelyEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Utf16Le => "UTF-16 (little-endian)",
            Self::Utf16Be => "UTF-16 (big-endian)",
            Self::Utf32Le => "UTF-32 (little-endian)",
            Self::Utf32Be => "UTF-32 (big-endian)",
            Self::Windows1258 => "Windows-1258 (Vietnamese)",
            Self::Tcvn3 => "TCVN3 (ABC)",
            Self::Vni => "VNI-Windows",
            Self::Unknown => "an unknown 8-bit encoding",
        })
    }
}

/// Guesses the encoding of bytes that [`decode_utf8`] refuses.
///
/// Byte-order marks decide first (UTF-32 before UTF-16, whose mark is a
/// prefix of UTF-32's little-endian one), then the NUL pattern of BOM-less
/// UTF-16/32, then which Vietnamese 8-bit encoding reads as Vietnamese.
/// Valid UTF-8 needs no guess and yields [`LikelyEncoding::Unknown`].
#[must_use]
pub fn guess_encoding(bytes: &[u8]) -> LikelyEncoding {
    if let Some(wide) = wide_encoding(bytes) {
        return wide;
    }
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if std::str::from_utf8(text).is_ok() {
        return LikelyEncoding::Unknown;
    }
    guess_legacy(text)
}

fn line_and_column(text: &[u8], at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, at - line_start + 1)
}

fn wide_encoding(bytes: &[u8]) -> Option<LikelyEncoding> {
    use LikelyEncoding::{Utf16Be, Utf16Le, Utf32Be, Utf32Le};
    if bytes.starts_with(b"\xFF\xFE\0\0") {
        Some(Utf32Le)
    } else if bytes.starts_with(b"\0\0\xFE\xFF") {
        Some(Utf32Be)
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some(Utf16Le)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(Utf16Be)
    } else {
        nul_pattern(&bytes[..bytes.len().min(NUL_SAMPLE)])
    }
}

/// Recognises BOM-less UTF-16/32 by where NULs fall: every ASCII character
/// (spaces, digits, punctuation, most Vietnamese consonants) has NUL high
/// bytes, and UTF-32 text in the Basic Multilingual Plane always has two.
fn nul_pattern(sample: &[u8]) -> Option<LikelyEncoding> {
    let mut nuls = [0usize; 4];
    for (i, _) in sample.iter().enumerate().filter(|&(_, &b)| b == 0) {
        nuls[i % 4] += 1;
    }
    if nuls == [0; 4] {
        return None;
    }
    let quads = sample.len() / 4;
    let nearly_all = |n: usize| quads > 0 && n >= quads - quads / 10;
    let hardly_any = |n: usize| n <= quads / 10;
    if nearly_all(nuls[2]) && nearly_all(nuls[3]) && hardly_any(nuls[0]) {
        return Some(LikelyEncoding::Utf32Le);
    }
    if nearly_all(nuls[0]) && nearly_all(nuls[1]) && hardly_any(nuls[3]) {
        return Some(LikelyEncoding::Utf32Be);
    }
    // A stray NUL in UTF-8 text must not pass for UTF-16: demand that a
    // quarter of the characters be ASCII and the other parity nearly clean.
    let enough = (sample.len() / 2 / 4).max(1);
    let (even, odd) = (nuls[0] + nuls[2], nuls[1] + nuls[3]);
    if odd >= enough && even <= odd / 8 {
        Some(LikelyEncoding::Utf16Le)
    } else if even >= enough && odd <= even / 8 {
        Some(LikelyEncoding::Utf16Be)
    } else {
        None
    }
}

/// The five Vietnamese tones besides the unmarked one: huyền, hỏi, ngã, sắc,
/// nặng. Only sắc and nặng may fall on syllables ending in c, ch, p or t.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Grave,
    Hook,
    Tilde,
    Acute,
    Dot,
}

/// What a vowel mark byte does to the letter before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Adds a tone only.
    Keep,
    /// Turns a, e, o into â, ê, ô.
    Circumflex,
    /// Turns a into ă.
    Breve,
}

/// One non-ASCII byte as a Vietnamese 8-bit code table reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glyph {
    /// A letter, lowercased, with its tone if precomposed.
    Letter(char, Option<Tone>),
    /// A mark that modifies the preceding letter.
    Mark(Shape, Option<Tone>),
    /// Punctuation or a symbol: ends a word.
    Separator,
    /// A letter Vietnamese does not use, or a byte the table leaves undefined.
    Foreign,
    /// A byte whose meaning in this table is not known for certain; words
    /// containing it are left out rather than counted either way.
    Unsure,
}

type CodeTable = fn(u8) -> Glyph;

const LEGACY: [(LikelyEncoding, CodeTable); 3] = [
    (LikelyEncoding::Windows1258, windows_1258),
    (LikelyEncoding::Tcvn3, tcvn3),
    (LikelyEncoding::Vni, vni),
];

fn guess_legacy(text: &[u8]) -> LikelyEncoding {
    let scores = LEGACY.map(|(encoding, table)| (encoding, tally(text, table).score()));
    let best = scores.iter().filter_map(|&(_, score)| score).max();
    let mut winners = scores
        .iter()
        .filter(|&&(_, score)| best.is_some() && score == best);
    match (winners.next(), winners.next()) {
        (Some(&(encoding, _)), None) => encoding,
        // Nothing reads as Vietnamese, or two tables read equally well.
        _ => LikelyEncoding::Unknown,
    }
}

/// Windows-1258 is an official code page, so every byte is known: it is
/// Windows-1252 with Vietnamese letters and five combining tone marks
/// (0xCC, 0xEC, 0xD2, 0xDE, 0xF2) in place of some Western letters.
fn windows_1258(byte: u8) -> Glyph {
    use Glyph::{Foreign, Letter, Mark, Separator};
    use Tone::{Acute, Dot, Grave, Hook, Tilde};
    match byte {
        0xCC => Mark(Shape::Keep, Some(Grave)),
        0xD2 => Mark(Shape::Keep, Some(Hook)),
        0xDE => Mark(Shape::Keep, Some(Tilde)),
        0xEC => Mark(Shape::Keep, Some(Acute)),
        0xF2 => Mark(Shape::Keep, Some(Dot)),
        0xC0 | 0xE0 => Letter('a', Some(Grave)),
        0xC1 | 0xE1 => Letter('a', Some(Acute)),
        0xC2 | 0xE2 => Letter('â', None),
        0xC3 | 0xE3 => Letter('ă', None),
        0xC8 | 0xE8 => Letter('e', Some(Grave)),
        0xC9 | 0xE9 => Letter('e', Some(Acute)),
        0xCA | 0xEA => Letter('ê', None),
        0xCD | 0xED => Letter('i', Some(Acute)),
        0xD0 | 0xF0 => Letter('đ', None),
        0xD3 | 0xF3 => Letter('o', Some(Acute)),
        0xD4 | 0xF4 => Letter('ô', None),
        0xD5 | 0xF5 => Letter('ơ', None),
        0xD9 | 0xF9 => Letter('u', Some(Grave)),
        0xDA | 0xFA => Letter('u', Some(Acute)),
        0xDD | 0xFD => Letter('ư', None),
        // Undefined bytes, ƒ Œ œ Ÿ ª º µ, and the soft hyphen, which would
        // sit invisibly inside a word. TCVN3's commonest letters (ư = 0xAD,
        // à = 0xB5) land here, and must not read as word breaks.
        0x81 | 0x83 | 0x8A | 0x8C..=0x90 | 0x9A | 0x9C..=0x9F | 0xAA | 0xAD | 0xB5 | 0xBA => {
            Foreign
        }
        // Punctuation and symbols, including ×, ÷ and ₫.
        0x80..=0xBF | 0xD7 | 0xF7 | 0xFE => Separator,
        _ => Foreign,
    }
}

const TONES: [Tone; 5] = [Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Acute, Tone::Dot];

/// TCVN3 toned lowercase letters, in [`TONES`] order. Capitals with tones come
/// from a separate "H" font that reuses these same bytes.
const TCVN3_TONED: [(char, [u8; 5]); 12] = [
    ('a', [0xB5, 0xB6, 0xB7, 0xB8, 0xB9]),
    ('ă', [0xBB, 0xBC, 0xBD, 0xBE, 0xC6]),
    ('â', [0xC7, 0xC8, 0xC9, 0xCA, 0xCB]),
    ('e', [0xCC, 0xCE, 0xCF, 0xD0, 0xD1]),
    ('ê', [0xD2, 0xD3, 0xD4, 0xD5, 0xD6]),
    ('i', [0xD7, 0xD8, 0xDC, 0xDD, 0xDE]),
    ('o', [0xDF, 0xE1, 0xE2, 0xE3, 0xE4]),
    ('ô', [0xE5, 0xE6, 0xE7, 0xE8, 0xE9]),
    ('ơ', [0xEA, 0xEB, 0xEC, 0xED, 0xEE]),
    ('u', [0xEF, 0xF1, 0xF2, 0xF3, 0xF4]),
    ('ư', [0xF5, 0xF6, 0xF7, 0xF8, 0xF9]),
    ('y', [0xFA, 0xFB, 0xFC, 0xFD, 0xFE]),
];

/// TCVN3 (ABC). The gaps between its letters are not reliably documented,
/// so they are [`Glyph::Unsure`] rather than evidence against it.
fn tcvn3(byte: u8) -> Glyph {
    match byte {
        0x80..=0xA0 => Glyph::Separator,
        // Ă Â Ê Ô Ơ Ư Đ, then the same seven in lowercase.
        0xA1..=0xAE => Glyph::Letter(
            ['ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ'][usize::from(byte - 0xA1) % 7],
            None,
        ),
        _ => TCVN3_TONED
            .iter()
            .find_map(|&(base, codes)| {
                let tone = codes.iter().position(|&code| code == byte)?;
                Some(Glyph::Letter(base, Some(TONES[tone])))
            })
            .unwrap_or(Glyph::Unsure),
    }
}

/// VNI-Windows. Toned vowels are an ASCII base letter plus a mark byte that
/// may also add a circumflex or breve; ơ, ư, đ and the toned i's are single
/// bytes. Bytes outside those are [`Glyph::Unsure`].
fn vni(byte: u8) -> Glyph {
    use Glyph::{Letter, Mark, Separator, Unsure};
    use Shape::{Breve, Circumflex, Keep};
    use Tone::{Acute, Dot, Grave, Hook, Tilde};
    // Capital marks and letters sit exactly 0x20 below the small ones.
    let small = if (0xC0..0xE0).contains(&byte) {
        byte + 0x20
    } else {
        byte
    };
    match small {
        0x80..=0xA0 => Separator,
        0xF8 => Mark(Keep, Some(Grave)),
        0xFB => Mark(Keep, Some(Hook)),
        0xF5 => Mark(Keep, Some(Tilde)),
        0xF9 => Mark(Keep, Some(Acute)),
        0xEF => Mark(Keep, Some(Dot)),
        0xE2 => Mark(Circumflex, None),
        0xE0 => Mark(Circumflex, Some(Grave)),
        0xE5 => Mark(Circumflex, Some(Hook)),
        0xE3 => Mark(Circumflex, Some(Tilde)),
        0xE1 => Mark(Circumflex, Some(Acute)),
        0xE4 => Mark(Circumflex, Some(Dot)),
        0xEA => Mark(Breve, None),
        0xE8 => Mark(Breve, Some(Grave)),
        0xFA => Mark(Breve, Some(Hook)),
        0xFC => Mark(Breve, Some(Tilde)),
        0xE9 => Mark(Breve, Some(Acute)),
        0xEB => Mark(Breve, Some(Dot)),
        0xF4 => Letter('ơ', None),
        0xF6 => Letter('ư', None),
        0xF1 => Letter('đ', None),
        0xEC => Letter('i', Some(Grave)),
        0xE6 => Letter('i', Some(Hook)),
        0xF3 => Letter('i', Some(Tilde)),
        0xED => Letter('i', Some(Acute)),
        0xF2 => Letter('i', Some(Dot)),
        _ => Unsure,
    }
}

/// How many words containing non-ASCII bytes read as Vietnamese syllables
/// under one code table, and how many do not.
#[derive(Debug, Default)]
struct Tally {
    plausible: usize,
    implausible: usize,
}

impl Tally {
    fn count(&mut self, verdict: Option<bool>) {
        match verdict {
            Some(true) => self.plausible += 1,
            Some(false) => self.implausible += 1,
            None => {}
        }
    }

    /// Under the right table nearly every word is a syllable; names, typos
    /// and foreign words are tolerated up to one word in four.
    fn score(&self) -> Option<usize> {
        (self.plausible > 0 && self.plausible >= 3 * self.implausible)
            .then(|| self.plausible - self.implausible)
    }
}

fn tally(text: &[u8], table: CodeTable) -> Tally {
    let mut tally = Tally::default();
    let mut word = Word::default();
    for &byte in text {
        let glyph = if byte.is_ascii_alphabetic() {
            Glyph::Letter(char::from(byte.to_ascii_lowercase()), None)
        } else if byte.is_ascii() {
            Glyph::Separator
        } else {
            table(byte)
        };
        if glyph == Glyph::Separator {
            tally.count(word.finish());
        } else {
            word.push(glyph, !byte.is_ascii());
        }
    }
    tally.count(word.finish());
    tally
}

/// A word being read under one code table.
#[derive(Debug, Default)]
struct Word {
    letters: Vec<char>,
    tone: Option<Tone>,
    tones: usize,
    last_toned: bool,
    /// Contains a non-ASCII byte; pure ASCII words say nothing about the table.
    legacy: bool,
    broken: bool,
    unsure: bool,
}

impl Word {
    fn push(&mut self, glyph: Glyph, legacy: bool) {
        self.legacy |= legacy;
        match glyph {
            Glyph::Letter(letter, tone) => {
                self.letters.push(letter);
                self.last_toned = false;
                self.add_tone(tone);
            }
            Glyph::Mark(shape, tone) => self.apply(shape, tone),
            Glyph::Foreign => self.broken = true,
            Glyph::Unsure => self.unsure = true,
            Glyph::Separator => unreachable!("separators end words"),
        }
    }

    fn apply(&mut self, shape: Shape, tone: Option<Tone>) {
        let shaped = match (self.letters.last(), shape) {
            (Some(_), _) if tone.is_some() && self.last_toned => None,
            (Some(&base), Shape::Keep) if is_vowel(base) => Some(base),
            (Some('a'), Shape::Circumflex) => Some('â'),
            (Some('e'), Shape::Circumflex) => Some('ê'),
            (Some('o'), Shape::Circumflex) => Some('ô'),
            (Some('a'), Shape::Breve) => Some('ă'),
            _ => None,
        };
        match (shaped, self.letters.last_mut()) {
            (Some(shaped), Some(last)) => {
                *last = shaped;
                self.add_tone(tone);
            }
            _ => self.broken = true,
        }
    }

    fn add_tone(&mut self, tone: Option<Tone>) {
        if let Some(tone) = tone {
            self.tone = Some(tone);
            self.tones += 1;
            self.last_toned = true;
        }
    }

    /// Whether the word reads as a Vietnamese syllable, or `None` when it
    /// says nothing about the table; then starts the next word.
    fn finish(&mut self) -> Option<bool> {
        let verdict = (self.legacy && !self.unsure)
            .then(|| !self.broken && self.tones <= 1 && is_syllable(&self.letters, self.tone));
        let mut letters = std::mem::take(&mut self.letters);
        letters.clear();
        *self = Self {
            letters,
            ..Self::default()
        };
        verdict
    }
}

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Vowel nuclei that may end a syllable or be followed by a final consonant.
const FREE_NUCLEI: &[&str] = &[
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy",
];

/// Vowel nuclei that always take a final consonant: "ia" becomes "iê" before
/// one, "ua" becomes "uô", "ưa" becomes "ươ".
const CLOSED_NUCLEI: &[&str] = &["ă", "â", "iê", "yê", "uô", "ươ", "uyê", "uâ", "oă", "oo"];

/// Vowel nuclei that never take a final consonant, mostly because they
/// already end in a glide (i, y, o, u).
const OPEN_NUCLEI: &[&str] = &[
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "uơ",
    "ưa", "ưi", "ưu", "iêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
    "yêu",
];

const CODAS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

fn is_vowel(letter: char) -> bool {
    matches!(
        letter,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn is_syllable(letters: &[char], tone: Option<Tone>) -> bool {
    let Some(start) = letters.iter().position(|&c| is_vowel(c)) else {
        return false;
    };
    let end = letters[start..]
        .iter()
        .position(|&c| !is_vowel(c))
        .map_or(letters.len(), |n| start + n);
    let (mut onset, mut nucleus, coda) = (&letters[..start], &letters[start..end], &letters[end..]);
    // In "qu" and "gi" the second letter belongs to the onset ("quốc",
    // "giữa"), unless it is the only vowel ("gì").
    if nucleus.len() > 1 && matches!((onset, nucleus[0]), (['q'], 'u') | (['g'], 'i')) {
        onset = &letters[..=start];
        nucleus = &nucleus[1..];
    }
    let nucleus_fits = is_one_of(nucleus, FREE_NUCLEI)
        || if coda.is_empty() {
            is_one_of(nucleus, OPEN_NUCLEI)
        } else {
            is_one_of(nucleus, CLOSED_NUCLEI)
        };
    let stop_final = matches!(coda, ['c'] | ['c', 'h'] | ['p'] | ['t']);
    is_one_of(onset, ONSETS)
        && nucleus_fits
        && is_one_of(coda, CODAS)
        && (!stop_final || matches!(tone, Some(Tone::Acute | Tone::Dot)))
}

fn is_one_of(letters: &[char], set: &[&str]) -> bool {
    set.iter().any(|s| s.chars().eq(letters.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use LikelyEncoding::*;

    /// A phrase as written in each Vietnamese 8-bit encoding.
    struct Phrase(&'static str, &'static [u8], &'static [u8], &'static [u8]);

    // Hand-encoded through the code tables. Windows-1258 uses a precomposed
    // letter where the code page has one (à, á) and a combining tone byte
    // otherwise, as Windows' own converter does.
    const PHRASES: [Phrase; 7] = [
        Phrase(
            "Làng nghề dệt lụa Nha Xá",
            b"L\xE0ng ngh\xEA\xCC d\xEA\xF2t lu\xF2a Nha X\xE1",
            b"L\xB5ng ngh\xD2 d\xD6t l\xF4a Nha X\xB8",
            b"La\xF8ng nghe\xE0 de\xE4t lu\xEFa Nha Xa\xF9",
        ),
        Phrase(
            "Trống Đọi Tam",
            b"Tr\xF4\xECng \xD0o\xF2i Tam",
            b"Tr\xE8ng \xA7\xE4i Tam",
            b"Tro\xE1ng \xD1o\xEFi Tam",
        ),
        Phrase(
            "Mây tre đan Ngọc Động",
            b"M\xE2y tre \xF0an Ngo\xF2c \xD0\xF4\xF2ng",
            b"M\xA9y tre \xAEan Ng\xE4c \xA7\xE9ng",
            b"Ma\xE2y tre \xF1an Ngo\xEFc \xD1o\xE4ng",
        ),
        Phrase(
            "Sừng Đô Hai",
            b"S\xFD\xCCng \xD0\xF4 Hai",
            b"S\xF5ng \xA7\xAB Hai",
            b"S\xF6\xF8ng \xD1o\xE2 Hai",
        ),
        Phrase(
            "Gốm Bát Tràng, Hà Nội",
            b"G\xF4\xECm B\xE1t Tr\xE0ng, H\xE0 N\xF4\xF2i",
            b"G\xE8m B\xB8t Tr\xB5ng, H\xB5 N\xE9i",
            b"Go\xE1m Ba\xF9t Tra\xF8ng, Ha\xF8 No\xE4i",
        ),
        Phrase(
            "Tranh Đông Hồ, Bắc Ninh",
            b"Tranh \xD0\xF4ng H\xF4\xCC, B\xE3\xECc Ninh",
            b"Tranh \xA7\xABng H\xE5, B\xBEc Ninh",
            b"Tranh \xD1o\xE2ng Ho\xE0, Ba\xE9c Ninh",
        ),
        Phrase(
            "Lụa Vạn Phúc; người thợ Nguyễn Văn Trường",
            b"Lu\xF2a Va\xF2n Ph\xFAc; ng\xFD\xF5\xCCi th\xF5\xF2 Nguy\xEA\xDEn V\xE3n Tr\xFD\xF5\xCCng",
            b"L\xF4a V\xB9n Ph\xF3c; ng\xAD\xEAi th\xEE Nguy\xD4n V\xA8n Tr\xAD\xEAng",
            b"Lu\xEFa Va\xEFn Phu\xF9c; ng\xF6\xF4\xF8i th\xF4\xEF Nguye\xE3n Va\xEAn Tr\xF6\xF4\xF8ng",
        ),
    ];

    #[test]
    fn vietnamese_legacy_phrases_are_refused_and_recognised() {
        for Phrase(phrase, cp1258, tcvn3, vni) in PHRASES {
            for (bytes, expected) in [(cp1258, Windows1258), (tcvn3, Tcvn3), (vni, Vni)] {
                assert_eq!(guess_encoding(bytes), expected, "{phrase} in {expected}");
                let error = decode_utf8(bytes).unwrap_err();
                assert_eq!(error.likely, expected, "{phrase} in {expected}");
                assert_eq!(error.line, 1);
                assert!(error.byte.is_some_and(|b| b >= 0x80));
            }
        }
    }

    #[test]
    fn vni_capitals_are_recognised() {
        // LÀNG NGHỀ VIỆT NAM: capital marks sit 0x20 below the small ones.
        assert_eq!(guess_encoding(b"LA\xD8NG NGHE\xC0 VIE\xC4T NAM"), Vni);
    }

    #[test]
    fn whole_legacy_csv_is_recognised() {
        let cp1258: &[u8] = b"id,ten,lang,tinh\r\n\
            1,G\xF4\xECm B\xE1t Tr\xE0ng,B\xE1t Tr\xE0ng,H\xE0 N\xF4\xF2i\r\n\
            2,Tranh \xD0\xF4ng H\xF4\xCC,\xD0\xF4ng H\xF4\xCC,B\xE3\xECc Ninh\r\n";
        let tcvn3: &[u8] = b"id,ten,lang,tinh\r\n\
            1,G\xE8m B\xB8t Tr\xB5ng,B\xB8t Tr\xB5ng,H\xB5 N\xE9i\r\n\
            2,Tranh \xA7\xABng H\xE5,\xA7\xABng H\xE5,B\xBEc Ninh\r\n";
        let vni: &[u8] = b"id,ten,lang,tinh\r\n\
            1,Go\xE1m Ba\xF9t Tra\xF8ng,Ba\xF9t Tra\xF8ng,Ha\xF8 No\xE4i\r\n\
            2,Tranh \xD1o\xE2ng Ho\xE0,\xD1o\xE2ng Ho\xE0,Ba\xE9c Ninh\r\n";
        assert_eq!(guess_encoding(cp1258), Windows1258);
        assert_eq!(guess_encoding(tcvn3), Tcvn3);
        assert_eq!(guess_encoding(vni), Vni);
        let error = decode_utf8(cp1258).unwrap_err();
        assert_eq!((error.line, error.column, error.byte), (2, 4, Some(0xF4)));
    }

    #[test]
    fn error_names_position_encoding_and_remedy() {
        let error = decode_utf8(b"id,ten\n1,Gom\n2,Tranh ngh\xEA\xCC").unwrap_err();
        assert_eq!(
            error,
            NotUtf8 {
                likely: Windows1258,
                line: 3,
                column: 12,
                byte: Some(0xEA)
            }
        );
        let message = error.to_string();
        assert_eq!(
            message,
            "is not UTF-8 (byte 0xEA at line 3, column 12); it looks like Windows-1258 \
             (Vietnamese). Save it as UTF-8 (in Excel: \"CSV UTF-8\") and ingest again"
        );
        assert!(!message.to_lowercase().contains("mojibake"));
    }

    #[test]
    fn font_encodings_are_told_to_convert_first() {
        let error = decode_utf8(PHRASES[1].2).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("TCVN3 (ABC)"), "{message}");
        assert!(message.contains("Convert it to Unicode first"), "{message}");
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| {
                if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    }

    fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
        text.chars()
            .flat_map(|c| {
                if big_endian {
                    u32::from(c).to_be_bytes()
                } else {
                    u32::from(c).to_le_bytes()
                }
            })
            .collect()
    }

    const CSV: &str = "id,tên,làng\n1,Trống Đọi Tam,Đọi Tam\n2,Sừng Đô Hai,Thụy Ứng\n";

    #[test]
    fn utf16_and_utf32_are_refused_at_the_start() {
        let cases = [
            ([&[0xFF, 0xFE][..], &utf16(CSV, false)].concat(), Utf16Le),
            ([&[0xFE, 0xFF][..], &utf16(CSV, true)].concat(), Utf16Be),
            (utf16(CSV, false), Utf16Le),
            (utf16(CSV, true), Utf16Be),
            (utf16("id,name\n1,Dong Ho\n", false), Utf16Le),
            (utf16("a", true), Utf16Be),
            (
                [&[0xFF, 0xFE, 0, 0][..], &utf32(CSV, false)].concat(),
                Utf32Le,
            ),
            (
                [&[0, 0, 0xFE, 0xFF][..], &utf32(CSV, true)].concat(),
                Utf32Be,
            ),
            (utf32(CSV, false), Utf32Le),
            (utf32(CSV, true), Utf32Be),
        ];
        for (bytes, expected) in cases {
            assert_eq!(guess_encoding(&bytes), expected);
            let error = decode_utf8(&bytes).unwrap_err();
            assert_eq!(
                error,
                NotUtf8 {
                    likely: expected,
                    line: 1,
                    column: 1,
                    byte: None
                }
            );
            let message = error.to_string();
            assert!(message.starts_with(&format!("is not UTF-8; it looks like {expected}.")));
            assert!(message.contains("not \"Unicode Text\""), "{message}");
        }
    }

    #[test]
    fn utf8_with_bom_is_accepted_and_stripped_once() {
        assert_eq!(decode_utf8(format!("\u{FEFF}{CSV}").as_bytes()), Ok(CSV));
        assert_eq!(
            decode_utf8("\u{FEFF}\u{FEFF}id".as_bytes()),
            Ok("\u{FEFF}id")
        );
    }

    #[test]
    fn bom_is_not_counted_in_columns() {
        let error = decode_utf8(b"\xEF\xBB\xBFL\xE0ng").unwrap_err();
        assert_eq!((error.line, error.column), (1, 2));
    }

    #[test]
    fn utf8_and_ascii_are_accepted() {
        assert_eq!(decode_utf8(CSV.as_bytes()), Ok(CSV));
        let ascii = "id,name\n1,Dong Ho\n";
        assert_eq!(decode_utf8(ascii.as_bytes()), Ok(ascii));
        assert_eq!(decode_utf8(b""), Ok(""));
        assert_eq!(guess_encoding(ascii.as_bytes()), Unknown);
        assert_eq!(guess_encoding(CSV.as_bytes()), Unknown);
    }

    #[test]
    fn a_stray_nul_is_not_utf16() {
        let text = b"id,name\n1,Dong\0Ho Bat Trang\n";
        assert_eq!(decode_utf8(text), Ok("id,name\n1,Dong\0Ho Bat Trang\n"));
    }

    fn latin1(text: &str) -> Vec<u8> {
        text.chars().map(|c| u8::try_from(c).unwrap()).collect()
    }

    #[test]
    fn western_text_is_unknown() {
        for text in [
            "Le café « Chez Noël » : l'élève où l'été très doux à Paris. Ça coûte dix €uros.",
            "titre,lieu\nPoterie émaillée,Vallauris\nDentelle à l'aiguille,Alençon\n",
            "Größe,Straße\nMüller,Köln\n",
            "naïve café",
        ] {
            let bytes: Vec<u8> = text
                .chars()
                .map(|c| {
                    if c == '€' {
                        0x80
                    } else {
                        u8::try_from(c).unwrap()
                    }
                })
                .collect();
            assert_eq!(guess_encoding(&bytes), Unknown, "{text}");
            assert_eq!(decode_utf8(&bytes).unwrap_err().likely, Unknown, "{text}");
        }
    }

    #[test]
    fn a_lone_latin1_word_can_pass_for_vietnamese() {
        // "à" is a Vietnamese word in Windows-1258 too; only more text tells.
        assert_eq!(guess_encoding(&latin1("à")), Windows1258);
        assert_eq!(
            guess_encoding(&latin1("Voilà, c'est déjà l'été à Noël")),
            Unknown
        );
    }

    #[test]
    fn syllable_model_follows_vietnamese_spelling() {
        use Tone::{Acute, Dot, Grave, Hook, Tilde};
        let syllable = |base: &str, tone| is_syllable(&base.chars().collect::<Vec<_>>(), tone);
        for (base, tone) in [
            ("quyêt", Some(Acute)),
            ("giưa", Some(Tilde)),
            ("gi", Some(Grave)),
            ("khuyu", Some(Hook)),
            ("nguyên", Some(Tilde)),
            ("xoong", None),
            ("thuơ", Some(Hook)),
            ("khuya", None),
            ("ngươi", Some(Grave)),
            ("rươu", Some(Dot)),
            ("chuyên", Some(Dot)),
            ("khuây", Some(Acute)),
            ("hoăc", Some(Dot)),
            ("nghê", Some(Grave)),
            ("đông", None),
        ] {
            assert!(syllable(base, tone), "{base} {tone:?}");
        }
        for (base, tone) in [
            ("dêt", None),         // stop finals take only sắc or nặng
            ("lac", Some(Grave)),  // likewise
            ("ơing", Some(Grave)), // a glide-final nucleus takes no final consonant
            ("bâ", None),          // â always needs a final consonant
            ("cafe", None),        // two vowel groups
            ("ou", None),
            ("qa", None),
            ("đ", None),
        ] {
            assert!(!syllable(base, tone), "{base} {tone:?}");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        for len in 0..2000 {
            let bytes: Vec<u8> = (0..len % 97)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state.to_le_bytes()[0]
                })
                .collect();
            let _ = guess_encoding(&bytes);
            if let Err(error) = decode_utf8(&bytes) {
                assert!(error.line >= 1 && error.column >= 1);
                let _ = error.to_string();
            }
        }
    }
}
