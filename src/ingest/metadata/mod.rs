//! Reading the archivist's description of a batch: `metadata.csv` rows and Markdown front matter,
//! turned into validated record descriptions by pure functions.
//!
//! The conventions are Archivematica's: the first column is `filename`, Dublin Core columns are
//! `dc.*`/`dcterms.*` and repeat for several values, `@en` tags the English value. Disan adds
//! the heritage columns `kind`, `village`, `craft`, `artisan`, `product` and `access`, and checks
//! `lunar_date`.
//! `sheet` reads the spreadsheet itself (separators, header, row numbers); this module says what
//! each column means; `validate` checks each value of a description, and `authorities` resolves
//! the villages, crafts, artisans and products a cell names. Nothing here touches the file system, so every rule is tested on
//! strings.

mod authorities;
mod sheet;
mod validate;

pub use authorities::{Authorities, Described, authority_word};
pub use sheet::{BrokenRow, ParsedCsv, parse_csv};
pub(crate) use sheet::{RowNumbers, without_separator_line};
pub use validate::{Validated, validate};

use super::report::Problem;
use crate::model::Lang;
use crate::model::Message;
use crate::model::text::nfc;
use crate::msg;

/// Dublin Core elements and the DCMI terms archivists commonly use.
const DC_TERMS: &[&str] = &[
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
    "alternative",
    "abstract",
    "tableOfContents",
    "created",
    "issued",
    "modified",
    "spatial",
    "temporal",
    "extent",
    "medium",
    "isPartOf",
    "hasPart",
    "isVersionOf",
    "hasVersion",
    "isFormatOf",
    "hasFormat",
    "references",
    "isReferencedBy",
    "license",
    "rightsHolder",
    "accessRights",
    "provenance",
    "audience",
    "bibliographicCitation",
    "available",
    "valid",
    "dateCopyrighted",
    "dateAccepted",
    "dateSubmitted",
    "conformsTo",
    "replaces",
    "isReplacedBy",
    "requires",
    "isRequiredBy",
    "mediator",
    "educationLevel",
    "instructionalMethod",
];

/// What a column (or front-matter key) means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// `filename`: the batch-relative path described.
    Filename,
    /// A Dublin Core term in a language.
    Dc {
        /// The term (`title`).
        term: String,
        /// The language (`@en` → English; otherwise Vietnamese).
        lang: Lang,
    },
    /// `kind`.
    Kind,
    /// `village`.
    Village,
    /// `craft`.
    Craft,
    /// `artisan` (repeated to name several): an artisan the record shows or whose work it is.
    Artisan,
    /// `product` (repeated to name several): a product the record shows.
    Product,
    /// `access` (repeated to name several communities).
    Access,
    /// `access_need`: `any` (the default) or `all` of the communities `access` names.
    AccessNeed,
    /// `files_access`: who may see the record's files, when narrower than `access`.
    FilesAccess,
    /// `files_access_need`: `any` or `all` of the communities `files_access` names.
    FilesAccessNeed,
    /// `stop` (repeated, in order): a stop of a visit, `village:<id>` or `record:<id>`.
    Stop,
    /// Any other column, kept verbatim.
    Extra(String),
    /// A column whose name cannot be read with certainty (a language tag Disan does not keep):
    /// every value in it is an error naming its row and column, and an empty cell is no harm.
    Invalid(Message),
}

impl Column {
    /// Interprets a header cell; the second value is a warning for likely typos.
    pub fn parse(header: &str) -> (Column, Option<Message>) {
        let header = nfc(header.trim()).into_owned();
        let header: String = header.chars().filter(|c| !is_invisible(*c)).collect();
        let header = header.trim().to_string();
        let squeezed: String = header.chars().filter(|c| !c.is_whitespace()).collect();
        let (name, lang) = match squeezed.rsplit_once('@') {
            Some((name, tag)) if looks_like_language_tag(tag) || tag.is_empty() => {
                match language(tag) {
                    Some(lang) => (name.to_string(), lang),
                    None => {
                        let what = if tag.is_empty() {
                            msg!("ingest-tag-empty", "ends in '@' without a language")
                        } else {
                            msg!(
                                "ingest-tag-other-language",
                                "is tagged with the language '{tag}'",
                                tag = tag
                            )
                        };
                        return (
                            Column::Invalid(msg!(
                                "ingest-column-language",
                                "'{header}' {what}, but Disan keeps values in Vietnamese (no tag, or @vi) and English (@en, @en-GB…); tag the column with one of them",
                                header = header,
                                what = what
                            )),
                            None,
                        );
                    }
                }
            }
            _ => (squeezed.clone(), Lang::Vi),
        };
        // Omeka and Tropy export Dublin Core as `dc:title`, the XML prefix; Disan's columns
        // are Archivematica's `dc.title`.
        let mut lower = name.to_lowercase();
        let mut name = name;
        let colon = lower.starts_with("dc:") || lower.starts_with("dcterms:");
        if colon {
            lower = lower.replacen(':', ".", 1);
            name = name.replacen(':', ".", 1);
        }
        let term = lower
            .strip_prefix("dc.")
            .or_else(|| lower.strip_prefix("dcterms."))
            .map(|_| name.split_once('.').map_or("", |(_, term)| term));
        if let Some(term) = term {
            let known = DC_TERMS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(term));
            let warning = match known {
                None => Some(msg!(
                    "ingest-not-dublin-core",
                    "'{header}' is not a Dublin Core term; its values are kept but not shown",
                    header = header
                )),
                Some(known) if colon => Some(msg!(
                    "ingest-dublin-core-colon",
                    "'{header}' was read as the column {column} (Disan writes Dublin Core columns with a dot)",
                    header = header,
                    column = format!(
                        "{}.{known}",
                        lower.split_once('.').map_or("dc", |(prefix, _)| prefix)
                    )
                )),
                Some(_) => None,
            };
            let term = known.map_or(term.to_string(), |known| (*known).to_string());
            return (Column::Dc { term, lang }, warning);
        }
        let key = column_key(&name);
        let column = match key.as_str() {
            "filename" => Column::Filename,
            "kind" => Column::Kind,
            "village" => Column::Village,
            "craft" => Column::Craft,
            "artisan" => Column::Artisan,
            "product" => Column::Product,
            "access" => Column::Access,
            "accessneed" => Column::AccessNeed,
            "filesaccess" => Column::FilesAccess,
            "filesaccessneed" => Column::FilesAccessNeed,
            "stop" => Column::Stop,
            "lunardate" | "ngayamlich" | "amlich" => Column::Extra(LUNAR_DATE.to_string()),
            key if key.contains("lunar") || key.contains("amlich") => {
                return (
                    Column::Invalid(msg!(
                        "ingest-column-lunar-date",
                        "'{header}' is not a column Disan knows; did you mean lunar_date (a festival's day in the lunar calendar, like 1-7)? Name the column lunar_date",
                        header = header
                    )),
                    None,
                );
            }
            _ => Column::Extra(header.clone()),
        };
        let canonical = match &column {
            Column::Filename => Some("filename"),
            Column::Kind => Some("kind"),
            Column::Village => Some("village"),
            Column::Craft => Some("craft"),
            Column::Artisan => Some("artisan"),
            Column::Product => Some("product"),
            Column::Access => Some("access"),
            Column::AccessNeed => Some("access_need"),
            Column::FilesAccess => Some("files_access"),
            Column::FilesAccessNeed => Some("files_access_need"),
            Column::Stop => Some("stop"),
            Column::Extra(name) if name == LUNAR_DATE => Some(LUNAR_DATE),
            _ => None,
        };
        if let Some(canonical) = canonical.filter(|canonical| lower != *canonical) {
            return (
                column,
                Some(msg!(
                    "ingest-read-as-column",
                    "'{header}' was read as the column {canonical}",
                    header = header,
                    canonical = canonical
                )),
            );
        }
        let warning = match &column {
            Column::Extra(_) if crate::index::location::columns::is_location_column(&header) => {
                Some(msg!(
                    "ingest-location-column",
                    "'{header}' holds locations; its values are kept in the archive but not published",
                    header = header
                ))
            }
            // Named so that a column meant as one of Disan's, misspelt, is seen (the values of a
            // column named like access are refused instead: see `meant_column`).
            Column::Extra(name) if !is_lunar_date(name) => {
                let meant = DC_TERMS.iter().find(|term| column_key(term) == key);
                Some(match meant {
                    Some(term) => msg!(
                        "ingest-unknown-column-did-you-mean",
                        "'{header}' is not a column Disan knows (did you mean dc.{term}?); its values are kept as written and shown with the record, and say nothing about who may see it",
                        header = header,
                        term = *term
                    ),
                    None => msg!(
                        "ingest-unknown-column",
                        "'{header}' is not a column Disan knows; its values are kept as written and shown with the record, and say nothing about who may see it",
                        header = header
                    ),
                })
            }
            _ => None,
        };
        (column, warning)
    }
}

/// A column's name as compared with Disan's own column names: folded (case, diacritics, `đ`) and
/// without spaces, dots, hyphens or underscores, so `Lunar-Date`, `lunar date`, `LUNAR_DATE` and
/// the site's own label `Ngày âm lịch` all give `lunardate`/`ngayamlich`, and `File_Name` gives
/// `filename`.
fn column_key(name: &str) -> String {
    crate::model::text::fold(name)
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '_')))
        .collect()
}

/// Whether `tag` has the shape of a BCP 47 language tag (RFC 5646 §2.1): a primary language
/// subtag of 2 to 8 letters, then subtags of 1 to 8 letters or digits, separated by `-` (or `_`,
/// as some programs write `en_GB`). Text after an `@` that is not shaped so (`notes@2024`) is
/// part of the column's name.
fn looks_like_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The language a BCP 47 tag names among those Disan keeps: its primary subtag, in any case,
/// decides (`en`, `EN`, `en-GB`, `en-Latn-US` are English; `vi`, `vi-VN` Vietnamese). Tags
/// compare case-insensitively (RFC 5646 §2.1.1). `None` for any other language or an empty tag.
fn language(tag: &str) -> Option<Lang> {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    if primary.eq_ignore_ascii_case("en") || primary.eq_ignore_ascii_case("eng") {
        Some(Lang::En)
    } else if primary.eq_ignore_ascii_case("vi") || primary.eq_ignore_ascii_case("vie") {
        Some(Lang::Vi)
    } else {
        None
    }
}

/// Whether `c` is invisible in a spreadsheet cell: a byte-order mark, a zero-width or a
/// direction mark (Unicode category Cf), which must not hide a column's name.
pub fn is_invisible(c: char) -> bool {
    crate::ingest::report::is_format_char(c) || c.is_control()
}

/// Whether an unknown column or key may be meant to say who may see a record (`Access Level`,
/// `access_rights`, `Quyền truy cập`, `visibility`, `dc.access`, `dcterms.visibility`, `need`,
/// `protocol`, `community`): such a column is never passed over. See [`meant_column`].
pub fn may_mean_access(column: &Column) -> bool {
    meant_column(column).is_some()
}

/// The column of Disan's that an unknown column or key may mean when its name is about who may
/// see a record: `access`, `access_need`, `files_access` or `files_access_need`; `None` for
/// Disan's own columns, known Dublin Core terms (`dc.rights` and `dc.accessRights` are read by
/// their values instead) and columns about something else.
///
/// The name is folded (case, diacritics) and its separators (spaces, `.`, `-`, `_`) dropped, so
/// `Truy-cập`, `BẢO_MẬT`, `dc.Access` and `Files-Need` all count. It is about access when it
/// holds one of the access words of English and Vietnamese, names a protocol (`protocol`,
/// `Cultural Protocol`, Mukurtu's word) or is `community`/`communities`/`cộng đồng`, or ends in
/// `need`/`needs` (`need`, `files_need`, `access_needs`, `protocol_need`). A name ending in a
/// need means the need column; one beginning with `file` means the files' rule. Unknown Dublin
/// Core terms count like plain columns (deny by default).
pub fn meant_column(column: &Column) -> Option<&'static str> {
    let name = match column {
        Column::Extra(name) => name,
        Column::Dc { term, .. } if !DC_TERMS.contains(&term.as_str()) => term,
        _ => return None,
    };
    let folded: String = crate::model::text::fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let need = folded.ends_with("need") || folded.ends_with("needs");
    let about_access = need
        || ACCESS_NAME_WORDS.iter().any(|word| folded.contains(word))
        || folded.contains("protocol")
        || COMMUNITY_NAMES.contains(&folded.as_str());
    if !about_access {
        return None;
    }
    let files = folded.starts_with("file");
    Some(match (files, need) {
        (false, false) => "access",
        (false, true) => "access_need",
        (true, false) => "files_access",
        (true, true) => "files_access_need",
    })
}

/// What to write instead of an unknown column that [`meant_column`] reads as `meant`: the column's
/// name and its values, for the messages that refuse it.
pub fn rename_hint(meant: &str) -> Message {
    if meant.ends_with("need") {
        msg!(
            "ingest-rename-hint-need",
            "did you mean {meant}? Name it {meant} (values: any or all: whether a viewer must belong to any or to all of the communities)",
            meant = meant
        )
    } else {
        msg!(
            "ingest-rename-hint",
            "did you mean {meant}? Name it {meant} (values: public, researchers, restricted, community:<group-id>)",
            meant = meant
        )
    }
}

/// Whole column names (folded, without separators) that say which community a record is for.
const COMMUNITY_NAMES: &[&str] = &[
    "community",
    "communities",
    "communityid",
    "communityids",
    "congdong",
];

/// Words that make a column name an access column, folded and without spaces (see
/// [`may_mean_access`]): English, and Vietnamese as typed with or without diacritics.
const ACCESS_NAME_WORDS: &[&str] = &[
    "access",
    "visib",
    "privacy",
    "private",
    "permission",
    "restrict",
    "confidential",
    "embargo",
    "truycap",
    "baomat",
    "congkhai",
    "riengtu",
    "hanche",
    "quyenxem",
];

/// Whether an unknown column's name says it is about rights (`rights`, `Quyền`, `license`):
/// an access word in it is read as an attempt to restrict the record.
fn is_rights_column(column: &Column) -> bool {
    match column {
        Column::Dc { term, .. } => term == "rights" || term == "accessRights",
        Column::Extra(name) => {
            let folded = crate::model::text::fold(name);
            folded.contains("right") || folded.contains("quyen")
        }
        _ => false,
    }
}

/// Words of an access level, in English and Vietnamese: a `dc.rights` value holding one of them
/// says the record is not for everyone.
const ACCESS_WORDS: &[&str] = &[
    "restricted",
    "researchers",
    "researcher",
    "confidential",
    "secret",
    "internal",
    "staff only",
    "hạn chế",
    "mật",
    "bí mật",
    "nội bộ",
    "không công khai",
];

/// Access words that are also common in rights statements ("Private collection"): they count
/// only as a whole value.
const WHOLE_VALUE_ACCESS_WORDS: &[&str] = &["private", "riêng tư"];

/// The access word `value` holds, if any (whole words, ignoring case).
pub(crate) fn access_word(value: &str) -> Option<&'static str> {
    let whole = value.trim().to_lowercase();
    if let Some(word) = WHOLE_VALUE_ACCESS_WORDS.iter().find(|word| **word == whole) {
        return Some(word);
    }
    let words: Vec<String> = value
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let spaced = format!(" {} ", words.join(" "));
    ACCESS_WORDS
        .iter()
        .find(|word| spaced.contains(&format!(" {word} ")))
        .copied()
}

/// One cell of a description: where it came from and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The header as written (for messages).
    pub header: String,
    /// Its meaning.
    pub column: Column,
    /// The value, NFC and trimmed; never empty.
    pub value: String,
}

/// What one CSV row or one Markdown front matter says about a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    /// The file the description is in (`metadata/metadata.csv`, `objects/ky-thuat.md`).
    pub file: String,
    /// The spreadsheet row, for CSV.
    pub row: Option<usize>,
    /// The non-empty cells, in column order.
    pub cells: Vec<Cell>,
}

impl Description {
    /// The first value of `column`.
    pub fn first(&self, column: &Column) -> Option<&Cell> {
        self.cells.iter().find(|cell| &cell.column == column)
    }

    /// The described path (`filename` column), NFC, with `/` separators.
    pub fn filename(&self) -> Option<&str> {
        self.first(&Column::Filename)
            .map(|cell| cell.value.as_str())
    }

    fn problem(&self, cell: &Cell, message: impl Into<Message>) -> Problem {
        Problem::error(self.file.clone(), message)
            .at_row(self.row)
            .in_column(cell.header.clone())
    }
}

/// Builds a description from front-matter keys and values (already NFC).
///
/// `english` marks an `x.en.md` translation, whose untagged Dublin Core values are English.
pub fn from_front_matter(
    file: &str,
    fields: &[(String, Vec<String>)],
    english: bool,
) -> (Description, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut cells = Vec::new();
    for (key, values) in fields {
        let (mut column, warning) = Column::parse(key);
        if let Some(warning) = warning.filter(|_| !may_mean_access(&column)) {
            problems.push(Problem::warning(file, warning).in_column(key.clone()));
        }
        if english && let Column::Dc { lang, .. } = &mut column {
            *lang = Lang::En;
        }
        for value in values {
            let value = nfc(value.trim()).into_owned();
            if !value.is_empty() {
                cells.push(Cell {
                    header: key.clone(),
                    column: column.clone(),
                    value,
                });
            }
        }
    }
    let description = Description {
        file: file.to_string(),
        row: None,
        cells,
    };
    (description, problems)
}

/// The column holding a festival's recurring lunar date (`1-7`, `4L-15`), read by the site's
/// festival calendar ([`LunarMonthDay`]).
pub const LUNAR_DATE: &str = "lunar_date";

/// Whether an extra column is the lunar date, however it is capitalised (`Lunar_Date`).
pub fn is_lunar_date(name: &str) -> bool {
    name.eq_ignore_ascii_case(LUNAR_DATE)
}

/// Merges `overlay` into `base`: a column present in `overlay` replaces that column of `base`.
///
/// Used when a Markdown file has front matter and also a CSV row: the spreadsheet wins.
pub fn overlay(base: &Description, overlay: &Description) -> Description {
    let replaced: Vec<&Column> = overlay.cells.iter().map(|cell| &cell.column).collect();
    let mut cells: Vec<Cell> = base
        .cells
        .iter()
        .filter(|cell| !replaced.contains(&&cell.column))
        .cloned()
        .collect();
    cells.extend(overlay.cells.iter().cloned());
    Description {
        file: overlay.file.clone(),
        row: overlay.row,
        cells,
    }
}

#[cfg(test)]
mod tests;
