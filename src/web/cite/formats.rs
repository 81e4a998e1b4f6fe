//! The citation formats of a record at one OCFL version, as pure functions of the record (already
//! projected for the viewer), the version and the site's public origin: plain text (APA-like,
//! Vietnamese and English), BibTeX, RIS and CSL-JSON.
//!
//! Every format names the version cited (`v3`) and its URL (`{origin}/records/{id}/v3`, which
//! keeps showing that version while the record is visible), and the record's stable URL (the
//! current version). Text stays UTF-8 with Vietnamese diacritics as written: biblatex, Zotero,
//! EndNote and citeproc read it so; only each format's own special characters are escaped.
//! Sources: APA 7th edition §10.1 (author, date, title [description], source, URL) and §10.10
//! (versions); RIS as Research Information Systems specify it (`TAG  - value`, CRLF lines);
//! CSL-JSON as the Citation Style Language 1.0.2 schema (`csl-data.json`) defines it.

use serde_json::{Value, json};

use crate::model::{Kind, Lang, Record};
use crate::web::i18n::{message, prefix, text};
use crate::web::site::CitedVersion;
use crate::web::views::kind_label;

/// What every format is made from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The record as the viewer may see it (the projection of [`crate::web::Site::record_for`]
    /// or [`crate::web::Site::record_at_for`]).
    pub record: &'a Record,
    /// The version cited.
    pub version: &'a CitedVersion,
    /// The site's public origin (`https://disan.example`), never a request's Host.
    pub origin: &'a str,
}

impl Source<'_> {
    /// The record's stable URL (its current version) in `lang`.
    pub fn stable_url(&self, lang: Lang) -> String {
        format!("{}{}/records/{}", self.origin, prefix(lang), self.record.id)
    }

    /// The URL of the version cited in `lang` (`…/records/{id}/v3`).
    pub fn version_url(&self, lang: Lang) -> String {
        format!("{}/{}", self.stable_url(lang), self.version.name)
    }

    /// The Vietnamese title (the English one when there is none).
    fn title(&self) -> &str {
        self.record.title(Lang::Vi)
    }

    /// The English title, when the record has a Vietnamese one too.
    fn english_title(&self) -> Option<&str> {
        self.record.dc_value("title", Lang::Vi)?;
        self.record
            .dc_value("title", Lang::En)
            .filter(|english| *english != self.title())
    }

    /// `dc.creator`, every value, in order.
    fn creators(&self) -> Vec<&str> {
        self.record
            .dc
            .get("creator")
            .into_iter()
            .flatten()
            .map(|value| value.value.as_str())
            .collect()
    }

    /// The year the record's date begins in, when it has one.
    fn year(&self) -> Option<i32> {
        self.record
            .date
            .as_ref()
            .and_then(|date| date.earliest())
            .map(|day| day.year)
    }

    /// The BibTeX key, RIS `ID` and CSL `id`: `disan-{id}-{version}`.
    pub fn key(&self) -> String {
        let id: String = self
            .record
            .id
            .as_str()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("disan-{id}-{}", self.version.name)
    }

    /// The note every machine format carries, in Vietnamese then English (`… — …`): the record
    /// id, the version and its day, the current version's URL, and the English title when there
    /// is one.
    fn note(&self) -> String {
        // The files are language-neutral: the stable URL without a language prefix.
        let args = [
            ("id", self.record.id.as_str().to_string().into()),
            ("version", self.version.name.clone().into()),
            ("day", self.version.day.clone().into()),
            ("url", self.stable_url(Lang::Vi).into()),
        ];
        let mut vi = message(Lang::Vi, "cite_note", &args);
        let mut en = message(Lang::En, "cite_note", &args);
        if let Some(english) = self.english_title() {
            let title = [("title", english.to_string().into())];
            vi.push_str(&format!(
                "; {}",
                message(Lang::Vi, "cite_note_english_title", &title)
            ));
            en.push_str(&format!(
                "; {}",
                message(Lang::En, "cite_note_english_title", &title)
            ));
        }
        format!("{vi} — {en}")
    }
}

/// The APA-like plain-text citation in `lang`: `Creators. (Year). Title [English title]
/// [kind; version v3, 2026-12-02]. Site (Disan). {version URL} (current version: {stable})`.
pub fn plain(source: &Source<'_>, lang: Lang) -> String {
    let creators = source.creators();
    let year = source
        .year()
        .map(|year| year.to_string())
        .unwrap_or_else(|| text(lang, "undated").to_string());
    let english = source
        .english_title()
        .map(|english| format!(" [{english}]"))
        .unwrap_or_default();
    let version = message(
        lang,
        "cite_version_phrase",
        &[
            ("version", source.version.name.clone().into()),
            ("day", source.version.day.clone().into()),
        ],
    );
    let described = format!(
        "{}{english} [{}; {version}]",
        source.title(),
        kind_label(source.record.kind.as_str(), lang)
    );
    let current = message(
        lang,
        "cite_current_phrase",
        &[("url", source.stable_url(lang).into())],
    );
    let site = text(lang, "site_name");
    let url = source.version_url(lang);
    if creators.is_empty() {
        format!("{described}. ({year}). {site} (Disan). {url} ({current})")
    } else {
        format!(
            "{}. ({year}). {described}. {site} (Disan). {url} ({current})",
            creators.join("; ")
        )
    }
}

/// The BibTeX entry (`@misc`, biblatex's `version` field included).
pub fn bibtex(source: &Source<'_>) -> String {
    let mut entry = format!("@misc{{{},\n", source.key());
    let mut field = |name: &str, value: String| {
        entry.push_str(&format!("  {name:<12} = {{{value}}},\n"));
    };
    let creators = source.creators();
    if !creators.is_empty() {
        let authors: Vec<String> = creators
            .iter()
            .map(|name| format!("{{{}}}", bibtex_escape(name)))
            .collect();
        field("author", authors.join(" and "));
    }
    // Double braces keep the title's capitals as written.
    field("title", format!("{{{}}}", bibtex_escape(source.title())));
    if let Some(year) = source.year() {
        field("year", year.to_string());
    }
    field(
        "howpublished",
        format!(
            "{} (Disan), {}",
            bibtex_escape(text(Lang::Vi, "site_name")),
            bibtex_escape(kind_label(source.record.kind.as_str(), Lang::Vi))
        ),
    );
    field("version", source.version.name.clone());
    field("url", bibtex_url(&source.version_url(Lang::Vi)));
    field("language", "vietnamese".to_string());
    field("note", bibtex_escape(&source.note()));
    // The last field without its comma.
    entry.truncate(entry.len() - 2);
    entry.push_str("\n}\n");
    entry
}

/// Escapes the characters BibTeX treats specially; Vietnamese letters stay as they are (UTF-8,
/// as biblatex and Zotero read them).
pub fn bibtex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '$' | '_' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '~' => escaped.push_str("\\textasciitilde{}"),
            '^' => escaped.push_str("\\textasciicircum{}"),
            // A field is one line: a line break in a value would only confuse readers.
            '\r' | '\n' | '\t' => escaped.push(' '),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A URL for BibTeX's `url` field, read verbatim by biblatex and the `url` package: only braces
/// (which would end the field) and `%` (a comment) are percent-encoded, and only those.
fn bibtex_url(url: &str) -> String {
    url.replace('%', "%25")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

/// The RIS reference type of a kind.
fn ris_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo | Kind::Pattern => "ART",
        Kind::Film => "VIDEO",
        Kind::Audio => "SOUND",
        Kind::Document => "GEN",
        Kind::Technique | Kind::Story | Kind::Festival | Kind::Visit => "ELEC",
    }
}

/// The RIS record: `TAG  - value` lines ending in CRLF, `TY` first and `ER` last.
pub fn ris(source: &Source<'_>) -> String {
    let mut lines: Vec<(&str, String)> = vec![
        ("TY", ris_type(source.record.kind).to_string()),
        ("TI", source.title().to_string()),
    ];
    if let Some(english) = source.english_title() {
        lines.push(("TT", english.to_string()));
    }
    for creator in source.creators() {
        lines.push(("AU", creator.to_string()));
    }
    if let Some(year) = source.year() {
        lines.push(("PY", year.to_string()));
    }
    // RIS's `DA` is `YYYY/MM/DD/other`: a plain EDTF day, month or year fills it, anything else
    // (`193X`, `1930~`, an interval) is left to `PY`.
    if let Some(date) = &source.record.date
        && let Some(parts) = plain_date_parts(date.as_str())
    {
        let mut fields: Vec<String> = parts.iter().map(|n| format!("{n:02}")).collect();
        fields.resize(3, String::new());
        lines.push(("DA", format!("{}/", fields.join("/"))));
    }
    lines.push(("ET", source.version.name.clone()));
    lines.push((
        "M3",
        kind_label(source.record.kind.as_str(), Lang::Vi).to_string(),
    ));
    lines.push(("PB", format!("{} (Disan)", text(Lang::Vi, "site_name"))));
    lines.push(("LA", "vi".to_string()));
    lines.push(("UR", source.version_url(Lang::Vi)));
    lines.push(("ID", source.key()));
    lines.push(("N1", source.note()));
    let mut ris = String::new();
    for (tag, value) in lines {
        ris.push_str(&format!("{tag}  - {}\r\n", ris_value(&value)));
    }
    ris.push_str("ER  - \r\n");
    ris
}

/// A RIS value: one line (line breaks and tabs become spaces, other control characters go), so
/// that no value can end its record or start a tag of its own.
pub fn ris_value(value: &str) -> String {
    let one_line: String = value
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    one_line.trim().to_string()
}

/// The CSL type of a kind.
fn csl_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo | Kind::Pattern => "graphic",
        Kind::Film => "motion_picture",
        Kind::Audio => "song",
        Kind::Document => "document",
        Kind::Technique | Kind::Story => "article",
        Kind::Festival => "event",
        Kind::Visit => "webpage",
    }
}

/// The CSL-JSON item (one; [`csl_document`] wraps it in the array a `.json` file holds).
pub fn csl(source: &Source<'_>) -> Value {
    let mut item = json!({
        "id": source.key(),
        "type": csl_type(source.record.kind),
        "title": source.title(),
        "version": source.version.name,
        "URL": source.version_url(Lang::Vi),
        "publisher": format!("{} (Disan)", text(Lang::Vi, "site_name")),
        "genre": kind_label(source.record.kind.as_str(), Lang::Vi),
        "language": "vi",
        "note": source.note(),
    });
    let creators = source.creators();
    if !creators.is_empty() {
        // Names as written: a Vietnamese name is family name first, which CSL's given/family
        // split would reorder, so each is a literal.
        item["author"] = json!(
            creators
                .iter()
                .map(|name| json!({"literal": name}))
                .collect::<Vec<_>>()
        );
    }
    if let Some(date) = &source.record.date {
        item["issued"] = csl_date(date.as_str());
    }
    item
}

/// The CSL-JSON file: an array of one item.
pub fn csl_document(source: &Source<'_>) -> Value {
    json!([csl(source)])
}

/// The year, month and day of a plain EDTF year, month or day (`2020`, `2020-08`,
/// `2020-08-27`); `None` for anything else (`193X`, `1930~`, `1990/1999`, `-0100`).
fn plain_date_parts(edtf: &str) -> Option<Vec<u32>> {
    let parts: Vec<&str> = edtf.split('-').collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()?;
    ((1..=3).contains(&numbers.len()) && parts[0].len() == 4).then_some(numbers)
}

/// A CSL date from EDTF: `date-parts` for a plain year, month or day, a `literal` for anything
/// else.
fn csl_date(edtf: &str) -> Value {
    match plain_date_parts(edtf) {
        Some(numbers) => json!({"date-parts": [numbers]}),
        None => json!({"literal": edtf}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bibtex_specials_are_escaped_and_vietnamese_kept() {
        assert_eq!(
            bibtex_escape("Lụa 100% {tơ} & #1_a\nb"),
            "Lụa 100\\% \\{tơ\\} \\& \\#1\\_a b"
        );
        assert_eq!(bibtex_url("https://x/a%20{b}"), "https://x/a%2520%7Bb%7D");
    }

    #[test]
    fn a_ris_value_cannot_end_its_record() {
        assert_eq!(
            ris_value("Đọi Tam\r\nER  - \r\nTY  - GEN"),
            "Đọi Tam  ER  -   TY  - GEN"
        );
        assert_eq!(ris_value(" a\u{0}b\u{2028}c "), "ab c");
    }

    #[test]
    fn csl_dates_are_parts_when_plain_and_literal_otherwise() {
        assert_eq!(csl_date("2020"), json!({"date-parts": [[2020]]}));
        assert_eq!(
            csl_date("2020-08-27"),
            json!({"date-parts": [[2020, 8, 27]]})
        );
        assert_eq!(csl_date("193X"), json!({"literal": "193X"}));
        assert_eq!(csl_date("1990/1999"), json!({"literal": "1990/1999"}));
        assert_eq!(csl_date("1930~"), json!({"literal": "1930~"}));
        assert_eq!(csl_date("-0100"), json!({"literal": "-0100"}));
    }
}
