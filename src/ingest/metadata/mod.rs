//! Reading the archivist's description of a batch: `metadata.csv` rows and Markdown front matter,
//! turned into validated record descriptions by pure functions.
//!
//! The conventions are Archivematica's: the first column is `filename`, Dublin Core columns are
//! `dc.*`/`dcterms.*` and repeat for several values, `@en` tags the English value. Disan adds
//! the heritage columns `kind`, `village`, `craft`, `artisan`, `product` and `access`, and checks
//! `lunar_date`.
//! `sheet` reads the spreadsheet itself (separators, header, row numbers); this module says what
//! each column and value means. Nothing here touches the file system, so every rule is tested on
//! strings.

use std::collections::{BTreeMap, BTreeSet};

mod sheet;

pub use sheet::{BrokenRow, ParsedCsv, parse_csv};
pub(crate) use sheet::{RowNumbers, without_separator_line};

use super::report::Problem;
use crate::model::Message;
use crate::model::lunar::LunarMonthDay;
use crate::model::text::{nfc, same_name};
use crate::model::{
    Access, Artisan, ArtisanId, Craft, CraftId, Edtf, Kind, Lang, LangValue, Need, Product,
    ProductId, RecordId, Village, VillageId,
};
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
    pub fn parse(header: &str) -> (Column, Option<String>) {
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
                None => Some(format!(
                    "'{header}' is not a Dublin Core term; its values are kept but not shown"
                )),
                Some(known) if colon => Some(format!(
                    "'{header}' was read as the column {}.{known} (Disan writes Dublin Core columns with a dot)",
                    lower.split_once('.').map_or("dc", |(prefix, _)| prefix)
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
                Some(format!("'{header}' was read as the column {canonical}")),
            );
        }
        let warning = match &column {
            Column::Extra(_) if crate::index::location::columns::is_location_column(&header) => {
                Some(format!(
                    "'{header}' holds locations; its values are kept in the archive but not published"
                ))
            }
            // Named so that a column meant as one of Disan's, misspelt, is seen (the values of a
            // column named like access are refused instead: see `meant_column`).
            Column::Extra(name) if !is_lunar_date(name) => {
                let dc = DC_TERMS
                    .iter()
                    .find(|term| column_key(term) == key)
                    .map(|term| format!(" (did you mean dc.{term}?)"))
                    .unwrap_or_default();
                Some(format!(
                    "'{header}' is not a column Disan knows{dc}; its values are kept as written and shown with the record, and say nothing about who may see it"
                ))
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

/// The villages, crafts, artisans and products a description may name (the archive's and the
/// batch's), and the communities (the accounts database's groups).
#[derive(Debug, Default)]
pub struct Authorities {
    /// Every known village.
    pub villages: BTreeMap<VillageId, Village>,
    /// Every known craft.
    pub crafts: BTreeMap<CraftId, Craft>,
    /// Every known artisan: the archive's, replaced or joined by the batch's accepted rows.
    pub artisans: BTreeMap<ArtisanId, Artisan>,
    /// Every known product, likewise.
    pub products: BTreeMap<ProductId, Product>,
    /// Villages whose `metadata/villages.csv` row this batch refused and the archive does not
    /// hold, with the row (as the spreadsheet shows it): naming one is an error saying so.
    pub refused_villages: BTreeMap<VillageId, Option<usize>>,
    /// Crafts whose `metadata/crafts.csv` row this batch refused and the archive does not hold,
    /// with the row.
    pub refused_crafts: BTreeMap<CraftId, Option<usize>>,
    /// Artisans whose `metadata/artisans.csv` row this batch refused and the archive does not
    /// hold, with the row (as the spreadsheet shows it): naming one is an error saying so.
    pub refused_artisans: BTreeMap<ArtisanId, Option<usize>>,
    /// Products whose `metadata/products.csv` row this batch refused and the archive does not
    /// hold, with the row.
    pub refused_products: BTreeMap<ProductId, Option<usize>>,
    /// The groups `community:<id>` values may name.
    pub communities: crate::ingest::communities::Communities,
    /// The authorities this batch's files describe.
    pub described: Described,
}

/// The authorities a batch's files describe: the accepted rows of its `crafts.csv`,
/// `villages.csv`, `artisans.csv` and `products.csv`, and the artisans whose honours
/// `honours.csv` sets. The report lists these (added, updated or unchanged); the archive's other
/// authorities were not touched by the batch and are not listed.
#[derive(Debug, Default)]
pub struct Described {
    /// Villages with an accepted row.
    pub villages: BTreeSet<VillageId>,
    /// Crafts with an accepted row.
    pub crafts: BTreeSet<CraftId>,
    /// Artisans with an accepted row, or whose honours the batch sets.
    pub artisans: BTreeSet<ArtisanId>,
    /// Products with an accepted row.
    pub products: BTreeSet<ProductId>,
}

impl Authorities {
    /// Resolves a village by id or by name (ignoring case and diacritics); a village whose row
    /// this batch refused is an error naming that row.
    pub fn village(&self, text: &str) -> Result<VillageId, Message> {
        if let Ok(id) = VillageId::parse(text)
            && let Some(row) = self.refused_villages.get(&id)
        {
            return Err(refused("village", &id, "metadata/villages.csv", *row));
        }
        resolve(
            text,
            "village",
            "metadata/villages.csv",
            self.villages
                .values()
                .map(|v| (&v.id, [Some(&v.name), v.name_en.as_ref()])),
        )
    }

    /// Checks a craft id (as `metadata/villages.csv` names crafts, by id only): known, or an
    /// error saying that its row was refused or that it is unknown.
    pub fn craft_id(&self, id: &CraftId) -> Result<(), Message> {
        if let Some(row) = self.refused_crafts.get(id) {
            Err(refused("craft", id, "metadata/crafts.csv", *row))
        } else if self.crafts.contains_key(id) {
            Ok(())
        } else {
            Err(unknown("craft", id, "metadata/crafts.csv"))
        }
    }

    /// Resolves a craft by id or by name (ignoring case and diacritics); a craft whose row this
    /// batch refused is an error naming that row.
    pub fn craft(&self, text: &str) -> Result<CraftId, Message> {
        if let Ok(id) = CraftId::parse(text)
            && let Some(row) = self.refused_crafts.get(&id)
        {
            return Err(refused("craft", &id, "metadata/crafts.csv", *row));
        }
        resolve(
            text,
            "craft",
            "metadata/crafts.csv",
            self.crafts
                .values()
                .map(|c| (&c.id, [Some(&c.name), c.name_en.as_ref()])),
        )
    }

    /// Resolves an artisan by id or by name (ignoring case and diacritics); an artisan whose row
    /// this batch refused is an error naming that row.
    pub fn artisan(&self, text: &str) -> Result<ArtisanId, Message> {
        if let Ok(id) = ArtisanId::parse(text)
            && let Some(row) = self.refused_artisans.get(&id)
        {
            return Err(refused("artisan", &id, "metadata/artisans.csv", *row));
        }
        resolve(
            text,
            "artisan",
            "metadata/artisans.csv",
            self.artisans
                .values()
                .map(|a| (&a.id, [Some(&a.name), a.name_en.as_ref()])),
        )
    }

    /// Resolves a product by id or by name (ignoring case and diacritics); a product whose row
    /// this batch refused is an error naming that row.
    pub fn product(&self, text: &str) -> Result<ProductId, Message> {
        if let Ok(id) = ProductId::parse(text)
            && let Some(row) = self.refused_products.get(&id)
        {
            return Err(refused("product", &id, "metadata/products.csv", *row));
        }
        resolve(
            text,
            "product",
            "metadata/products.csv",
            self.products
                .values()
                .map(|p| (&p.id, [Some(&p.name), p.name_en.as_ref()])),
        )
    }
}

/// The error for naming an authority whose row this batch refused (and the archive lacks).
fn refused(what: &str, id: &dyn std::fmt::Display, file: &str, row: Option<usize>) -> Message {
    let id = id.to_string();
    match row {
        Some(row) => msg!(
            "ingest-authority-row-refused",
            "{what} '{id}' is not in the archive and its row ({file}, row {row}) was refused: correct that row, then ingest the batch again",
            what = authority_word(what),
            id = id,
            file = file,
            row = row
        ),
        None => msg!(
            "ingest-authority-refused",
            "{what} '{id}' is not in the archive and its row ({file}) was refused: correct that row, then ingest the batch again",
            what = authority_word(what),
            id = id,
            file = file
        ),
    }
}

/// The error for naming an authority neither the archive nor the batch holds.
fn unknown(what: &str, id: &dyn std::fmt::Display, file: &str) -> Message {
    msg!(
        "ingest-authority-unknown",
        "unknown {what} '{id}': it is neither in the archive nor in the batch's {file}",
        what = authority_word(what),
        id = id.to_string(),
        file = file
    )
}

/// The word for an authority (`village`, `craft`, `artisan`, `product`) in either language.
pub fn authority_word(what: &str) -> Message {
    match what {
        "village" => msg!("ingest-word-village", "village"),
        "craft" => msg!("ingest-word-craft", "craft"),
        "artisan" => msg!("ingest-word-artisan", "artisan"),
        "product" => msg!("ingest-word-product", "product"),
        other => Message::english(other),
    }
}

fn resolve<'a, Id: Clone + PartialEq + std::fmt::Display + 'a>(
    text: &str,
    what: &str,
    file: &str,
    entries: impl Iterator<Item = (&'a Id, [Option<&'a String>; 2])> + Clone,
) -> Result<Id, Message> {
    if let Some((id, _)) = entries.clone().find(|(id, _)| id.to_string() == text) {
        return Ok(id.clone());
    }
    let matches: Vec<&Id> = entries
        .filter(|(_, names)| names.iter().flatten().any(|name| same_name(name, text)))
        .map(|(id, _)| id)
        .collect();
    match matches.as_slice() {
        [id] => Ok((*id).clone()),
        [] => Err(unknown(what, &text, file)),
        many => Err(msg!(
            "ingest-authority-ambiguous",
            "'{text}' could be any of the {what}s {ids}; write the id instead",
            text = text,
            what = authority_word(what),
            ids = many
                .iter()
                .map(|id| id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Reads a visit's stop (`village:<id or name>` or `record:<id>`, see [`crate::model::Stop`]):
/// the village must be known (by id or name, as in the `village` column); a record stop is
/// checked as an id only, since the record may come in a later batch (the visit's page leaves
/// out a stop it cannot show).
fn stop(value: &str, authorities: &Authorities) -> Result<crate::model::Stop, Message> {
    use crate::model::Stop;
    match value.split_once(':') {
        Some((prefix, village)) if prefix.trim().eq_ignore_ascii_case("village") => {
            authorities.village(village.trim()).map(Stop::Village)
        }
        _ => Stop::parse(value).map_err(|e| e.message()),
    }
}

/// The column holding a festival's recurring lunar date (`1-7`, `4L-15`), read by the site's
/// festival calendar ([`LunarMonthDay`]).
pub const LUNAR_DATE: &str = "lunar_date";

/// Whether an extra column is the lunar date, however it is capitalised (`Lunar_Date`).
pub fn is_lunar_date(name: &str) -> bool {
    name.eq_ignore_ascii_case(LUNAR_DATE)
}

/// A description checked against the catalogue's rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validated {
    /// `dc.identifier`, when given.
    pub identifier: Option<RecordId>,
    /// `kind`, when given.
    pub kind: Option<Kind>,
    /// `access` (with `access_need`), when given.
    pub access: Option<Access>,
    /// `files_access` (with `files_access_need`), when given: as written, even when it is not
    /// narrower than `access` (the record keeps only a narrower one; see
    /// [`crate::model::Record::files_access`]).
    pub files_access: Option<Access>,
    /// Warnings about the description (a `files_access` wider than `access`).
    pub warnings: Vec<Problem>,
    /// `village`, resolved.
    pub village: Option<VillageId>,
    /// `craft`, resolved.
    pub craft: Option<CraftId>,
    /// Every `artisan`, resolved, in column order, without repeats.
    pub artisans: Vec<ArtisanId>,
    /// Every `product`, resolved, in column order, without repeats.
    pub products: Vec<ProductId>,
    /// The first `dc.date`.
    pub date: Option<Edtf>,
    /// Every Dublin Core value.
    pub dc: BTreeMap<String, Vec<LangValue>>,
    /// Other columns.
    pub extra: BTreeMap<String, Vec<String>>,
    /// A visit's `stop`s, in order, each village resolved to its id.
    pub stops: Vec<crate::model::Stop>,
}

/// Checks every cell of `description`; each bad cell is one problem naming its row and column.
pub fn validate(
    description: &Description,
    authorities: &Authorities,
) -> Result<Validated, Vec<Problem>> {
    let mut validated = Validated::default();
    let mut problems = Vec::new();
    let mut seen_single: Vec<&Column> = Vec::new();
    for cell in &description.cells {
        let single = matches!(
            cell.column,
            Column::Kind
                | Column::Village
                | Column::Craft
                | Column::AccessNeed
                | Column::FilesAccessNeed
        );
        if single {
            if seen_single.contains(&&cell.column) {
                problems.push(description.problem(
                    cell,
                    msg!(
                        "ingest-column-only-once",
                        "this column may appear only once"
                    ),
                ));
                continue;
            }
            seen_single.push(&cell.column);
        }
        let outcome: Result<(), Message> = match &cell.column {
            column if let Some(meant) = meant_column(column) => Err(msg!(
                "ingest-column-may-mean-access",
                "'{header}' is not a column Disan knows, and it may say who may see the record: {hint}",
                header = cell.header,
                hint = rename_hint(meant)
            )),
            Column::Filename => Ok(()),
            Column::Kind => cell
                .value
                .parse()
                .map(|kind| validated.kind = Some(kind))
                .map_err(|e: crate::model::InvalidValue| e.message()),
            // Read together once every cell is seen (several communities, their need).
            Column::Access
            | Column::AccessNeed
            | Column::FilesAccess
            | Column::FilesAccessNeed => Ok(()),
            Column::Village => authorities
                .village(&cell.value)
                .map(|id| validated.village = Some(id)),
            Column::Craft => authorities
                .craft(&cell.value)
                .map(|id| validated.craft = Some(id)),
            Column::Artisan => authorities.artisan(&cell.value).map(|id| {
                if !validated.artisans.contains(&id) {
                    validated.artisans.push(id);
                }
            }),
            Column::Product => authorities.product(&cell.value).map(|id| {
                if !validated.products.contains(&id) {
                    validated.products.push(id);
                }
            }),
            Column::Dc { term, lang } => {
                let checked = match term.as_str() {
                    "date" => Edtf::parse(&cell.value)
                        .map(|date| {
                            validated.date.get_or_insert(date);
                        })
                        .map_err(|e| e.message()),
                    "identifier" if validated.identifier.is_none() => RecordId::parse(&cell.value)
                        .map(|id| validated.identifier = Some(id))
                        .map_err(|e| e.message()),
                    _ => Ok(()),
                };
                if checked.is_ok() {
                    validated
                        .dc
                        .entry(term.clone())
                        .or_default()
                        .push(LangValue {
                            value: cell.value.clone(),
                            lang: *lang,
                        });
                }
                checked
            }
            Column::Invalid(message) => Err(message.clone()),
            Column::Stop => stop(&cell.value, authorities).map(|stop| validated.stops.push(stop)),
            Column::Extra(name) if is_lunar_date(name) => cell
                .value
                .parse::<LunarMonthDay>()
                .map_err(|e| e.message())
                .and_then(|day| {
                    let dates = validated.extra.entry(LUNAR_DATE.to_string()).or_default();
                    match dates.first() {
                        None => {
                            dates.push(cell.value.clone());
                            Ok(())
                        }
                        Some(first) if first.parse::<LunarMonthDay>().ok() == Some(day) => Ok(()),
                        Some(first) => Err(msg!(
                            "ingest-second-lunar-date",
                            "a second lunar date '{value}' after '{first}': the festival calendar shows one date a record; keep one, or describe each festival day as a record of its own",
                            value = cell.value,
                            first = first
                        )),
                    }
                }),
            Column::Extra(name) => {
                validated
                    .extra
                    .entry(name.clone())
                    .or_default()
                    .push(cell.value.clone());
                Ok(())
            }
        };
        if let Err(message) = outcome {
            problems.push(description.problem(cell, message));
        }
    }
    // Stops make a visit; on anything else they would be kept and never shown.
    if validated.kind != Some(Kind::Visit)
        && let Some(cell) = description.first(&Column::Stop)
    {
        problems.push(description.problem(
            cell,
            msg!(
                "ingest-stop-not-visit",
                "stop is for visits: write kind: visit (or take the stops away)"
            ),
        ));
    }
    // A visit goes somewhere: none is a warning, more than the limit an error (break14 F9).
    let stops = description
        .cells
        .iter()
        .filter(|c| c.column == Column::Stop);
    if let Some(cell) = stops.clone().nth(crate::model::visit::MAX_STOPS) {
        let (count, limit) = (stops.count(), crate::model::visit::MAX_STOPS);
        let message = msg!(
            "ingest-too-many-stops",
            "a visit has at most {limit} stops; this one has {count}: split it into several visits",
            limit = limit,
            count = count
        );
        problems.push(description.problem(cell, message));
    } else if validated.kind == Some(Kind::Visit) && validated.stops.is_empty() {
        let message = msg!(
            "ingest-visit-without-stop",
            "a visit with no stop: its page lists no place to go; add stop: village:<id> or record:<id>, one per stop"
        );
        let warning = Problem::warning(description.file.clone(), message);
        validated.warnings.push(warning.at_row(description.row));
    }
    rule_of(
        description,
        Column::Access,
        Column::AccessNeed,
        &mut validated.access,
        &mut problems,
    );
    rule_of(
        description,
        Column::FilesAccess,
        Column::FilesAccessNeed,
        &mut validated.files_access,
        &mut problems,
    );
    // A community protocol written anywhere but in the rule columns (`dc.rights`, a `protocol`
    // column, a description) would be published without it: refused at its cell.
    for cell in &description.cells {
        if let Some(message) = protocol_outside_rules(cell, authorities) {
            problems.push(description.problem(cell, message));
        }
    }
    // Every community named must be a group of the accounts database, each refused at its cell.
    for cell in &description.cells {
        if !matches!(cell.column, Column::Access | Column::FilesAccess) {
            continue;
        }
        let Ok(access) = cell.value.parse::<Access>() else {
            continue;
        };
        for group in access.groups() {
            if let Some(refusal) = authorities.communities.refusal(group) {
                problems.push(description.problem(cell, refusal));
            }
        }
    }
    if let (Some(access), Some(files)) = (&validated.access, &validated.files_access)
        && files.admits_all_of(access)
        && files != access
        && let Some(cell) = description.first(&Column::FilesAccess)
    {
        validated.warnings.push(
            Problem::warning(
                description.file.clone(),
                msg!(
                    "ingest-files-access-wider",
                    "files_access {files} is wider than access {access}: files are never seen by more people than the record, so they follow access",
                    files = files.to_string(),
                    access = access.to_string()
                ),
            )
            .at_row(description.row)
            .in_column(cell.header.clone()),
        );
    }
    if validated
        .access
        .as_ref()
        .is_none_or(|access| *access == Access::Public)
    {
        for cell in &description.cells {
            // An access word in a rights column, or an unknown column holding nothing but one.
            let exact = matches!(cell.column, Column::Extra(_))
                && access_word(&cell.value).is_some_and(|word| {
                    crate::model::text::fold(cell.value.trim()) == crate::model::text::fold(word)
                });
            if let Some(word) =
                access_word(&cell.value).filter(|_| is_rights_column(&cell.column) || exact)
            {
                let access = match &validated.access {
                    Some(access) => msg!(
                        "ingest-access-says",
                        "access says {access}",
                        access = access.to_string()
                    ),
                    None => msg!("ingest-access-not-stated", "access is not stated"),
                };
                problems.push(description.problem(
                    cell,
                    msg!(
                        "ingest-access-word-outside-access",
                        "'{header}' says '{word}', an access level, but {access}: write public, researchers, restricted or community:<group-id> in the access column",
                        header = cell.header,
                        word = word,
                        access = access
                    ),
                ));
            } else if matches!(&cell.column, Column::Dc { term, .. } if term == "accessRights")
                && !cell.value.trim().is_empty()
            {
                // Free text about access ("community only", "chỉ dành cho cộng đồng") that no
                // word list can catch: never silently taken as a restriction (break-13b R7).
                let access = match &validated.access {
                    Some(access) => msg!(
                        "ingest-access-says",
                        "access says {access}",
                        access = access.to_string()
                    ),
                    None => msg!(
                        "ingest-access-not-stated-public",
                        "access is not stated, so it is public"
                    ),
                };
                validated.warnings.push(
                    Problem::warning(
                        description.file.clone(),
                        msg!(
                            "ingest-access-rights-restrict-no-one",
                            "'{header}' is shown as descriptive text and restricts no one ({access}): if it means that only some people may see the record, write public, researchers, restricted or community:<group-id> in the access column",
                            header = cell.header,
                            access = access
                        ),
                    )
                    .at_row(description.row)
                    .in_column(cell.header.clone()),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(validated)
    } else {
        // In the order of the columns, as the archivist reads the row.
        let position = |problem: &Problem| {
            description
                .cells
                .iter()
                .position(|cell| Some(&cell.header) == problem.column.as_ref())
        };
        problems.sort_by_key(position);
        Err(problems)
    }
}

/// Why `cell` may not hold what it holds, when it states a community protocol outside `access`
/// and `files_access`: a value of the form `community:…` (any case, spaces around the colon) in
/// any other column, or the id of one of the accounts database's groups as the whole value of a
/// column Disan does not know or of `dc.rights`/`dc.accessRights`/`dc.audience`. Such a record
/// would otherwise be published to everyone with its protocol written in a column nobody reads
/// as one (Mukurtu writes protocols in a `protocol` field).
fn protocol_outside_rules(cell: &Cell, authorities: &Authorities) -> Option<Message> {
    if matches!(
        cell.column,
        Column::Access | Column::FilesAccess | Column::Invalid(_)
    ) || may_mean_access(&cell.column)
    {
        return None;
    }
    let value = cell.value.trim();
    // `community:<one word>`, as the access column takes it, in any case and spacing; prose that
    // happens to begin with "Community:" goes on with several words.
    let community = value
        .get(.."community".len())
        .is_some_and(|head| head.eq_ignore_ascii_case("community"))
        && value["community".len()..]
            .trim_start()
            .strip_prefix(':')
            .map(str::trim)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
    let group = !community
        && match &cell.column {
            Column::Extra(name) => !is_lunar_date(name),
            Column::Dc { term, .. } => {
                matches!(term.as_str(), "rights" | "accessRights" | "audience")
            }
            _ => false,
        }
        && crate::model::GroupId::parse(cell.value.trim())
            .is_ok_and(|id| authorities.communities.holds(&id));
    (community || group).then(|| {
        let what = if community {
            msg!("ingest-a-community-protocol", "a community protocol")
        } else {
            msg!("ingest-a-community-group-id", "the id of a community group")
        };
        msg!(
            "ingest-protocol-outside-rules",
            "'{header}' holds '{value}', {what}, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of '{header}'",
            header = cell.header,
            value = cell.value,
            what = what
        )
    })
}

/// Reads the rule of the `values` column (`access` or `files_access`, repeated for several
/// communities) with its `need` column into `rule`; a bad value, a mix of a level with other
/// values, or a need without communities is one problem on the first cell concerned.
fn rule_of(
    description: &Description,
    values: Column,
    need: Column,
    rule: &mut Option<Access>,
    problems: &mut Vec<Problem>,
) {
    let cells: Vec<&Cell> = description
        .cells
        .iter()
        .filter(|cell| cell.column == values)
        .collect();
    let need_cell = description.first(&need);
    let parsed_need = match need_cell.map(|cell| cell.value.parse::<Need>()) {
        None => None,
        Some(Ok(need)) => Some(need),
        Some(Err(error)) => {
            if let Some(cell) = need_cell {
                problems.push(description.problem(cell, error.message()));
            }
            return;
        }
    };
    let Some(first) = cells.first() else {
        if let Some(cell) = need_cell {
            let name = if values == Column::Access {
                "access"
            } else {
                "files_access"
            };
            problems.push(description.problem(
                cell,
                msg!(
                    "ingest-need-without-rule",
                    "a need is given but no {name}: write the communities in the {name} column",
                    name = name
                ),
            ));
        }
        return;
    };
    let texts: Vec<&str> = cells.iter().map(|cell| cell.value.as_str()).collect();
    match Access::from_values(&texts, parsed_need) {
        Ok(access) => *rule = Some(access),
        Err(error) => {
            // The cell at fault: the need when it is, else the first value that does not
            // read, else the first one.
            let at = match need_cell {
                Some(cell) if error.0.starts_with("a need") => cell,
                _ => cells
                    .iter()
                    .find(|cell| cell.value.parse::<Access>().is_err())
                    .unwrap_or(first),
            };
            problems.push(description.problem(at, error.message()));
        }
    }
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
