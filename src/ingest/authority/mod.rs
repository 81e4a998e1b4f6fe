//! Reading the batch's authority files, one module per file: `metadata/crafts.csv`,
//! `metadata/villages.csv`, `metadata/artisans.csv`, `metadata/honours.csv` and
//! `metadata/products.csv`; and the free-text lists of villages.csv checked against the products
//! described ([`products_named_in_free_text`]).
//!
//! Villages carry the facts the province's plan asks for (commune, district, coordinates, the
//! crafts practised, the Decree 52/2018 class, activity, recognition, the 2025 address); crafts
//! carry their names in both languages; artisans their honours; products their OCOP rating.
//! Every bad cell is one [`Problem`] naming the file, the row as a spreadsheet shows it and the
//! column (always one the file has: a check against values archived for columns it lacks is
//! placed at one it has, [`Row::locate`]); a cell over its column's size limit
//! ([`super::cells`]) is one too; a row with a problem is refused whole and the other rows go
//! in. Cells and headers are read as NFC, whatever form the file was written in.

mod artisans;
mod crafts;
mod free_text;
mod honours;
mod products;
mod villages;

pub use artisans::parse_artisans;
pub use crafts::parse_crafts;
pub use free_text::products_named_in_free_text;
pub use honours::{HonourRow, dropped_honours, parse_honours};
pub use products::parse_products;
pub use villages::{parse_recognition, parse_villages};

use std::collections::BTreeMap;
use std::rc::Rc;
use std::str::FromStr;

use super::cells::CellKind;
use super::report::Problem;
use crate::model::Message;
use crate::model::edtf::CalendarDate;
use crate::model::text::nfc;
use crate::model::{Access, Edtf, InvalidValue};
use crate::msg;

/// The columns authority file `file` reads (`metadata/villages.csv`, `metadata/crafts.csv`,
/// `metadata/artisans.csv`, `metadata/honours.csv`, `metadata/products.csv`), those it requires
/// first, then the others, in the order this module documents them; empty for any other file.
/// The workspace's edit forms ([`crate::workspace::authority`]) name their fields so.
pub fn columns_of(file: &str) -> Vec<&'static str> {
    let columns = match file {
        "metadata/villages.csv" => &villages::COLUMNS,
        "metadata/crafts.csv" => &crafts::COLUMNS,
        "metadata/artisans.csv" => &artisans::COLUMNS,
        "metadata/honours.csv" => &honours::COLUMNS,
        "metadata/products.csv" => &products::COLUMNS,
        _ => return Vec::new(),
    };
    columns
        .required
        .iter()
        .chain(columns.optional)
        .copied()
        .collect()
}

/// What one authority file gave: the rows accepted, the problems, and the ids of the rows
/// refused (with their row numbers), so that naming one elsewhere in the batch says why it is
/// unknown.
#[derive(Debug)]
pub struct Parsed<T, Id> {
    /// The accepted rows, in file order.
    pub items: Vec<T>,
    /// Every problem, in file order.
    pub problems: Vec<Problem>,
    /// The id of each refused row whose id could be read, with its row.
    pub refused: BTreeMap<Id, Option<usize>>,
}

/// The items of a `;`-separated cell.
fn list(cell: Option<&str>) -> Vec<String> {
    cell.unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// One data row of an authority file: its cells by (lowercase, NFC) header.
struct Row {
    file: String,
    line: Option<usize>,
    cells: Vec<(String, String)>,
    /// The file's header (lowercase, NFC): which columns the file has, whether or not this row
    /// fills them (a short row has fewer cells).
    header: Rc<[String]>,
}

impl Row {
    /// Whether the file has the column `column` (its header names it), filled in this row or not.
    fn has(&self, column: &str) -> bool {
        self.header.iter().any(|name| name == column)
    }

    /// One field of an authority the archive may already hold: `fresh` (what the row says,
    /// an empty cell included) when the file has `column`; otherwise what the archive holds
    /// (`archived`, `None` for a new authority, which then takes `fresh`). A file written before
    /// a column existed, or a sheet that leaves one out, changes nothing it does not mention;
    /// as for records, an empty cell in a column the file has clears the field (except
    /// `access`: [`Row::kept_access`]).
    fn kept<T>(&self, column: &str, fresh: T, archived: Option<T>) -> T {
        match archived {
            Some(old) if !self.has(column) => old,
            _ => fresh,
        }
    }

    /// The access of an authority, as a record's is kept (`guard::keep_access`): the row's
    /// `stated` access when it gives one; otherwise, for one the archive holds, its archived
    /// access (a file without the column, or an emptied cell, never opens it to more people),
    /// and for a new one `default`. A stated access that opens an archived one to more people
    /// is taken with a warning at the `access` cell (`access changes from restricted to public
    /// for product 'x', as stated`) pushed to `warnings`.
    fn kept_access(
        &self,
        (what, id): (&str, &dyn std::fmt::Display),
        stated: Option<Access>,
        archived: Option<&Access>,
        default: impl FnOnce() -> Access,
        warnings: &mut Vec<Problem>,
    ) -> Access {
        match (stated, archived) {
            (Some(new), Some(old)) => {
                if !old.admits_all_of(&new) {
                    warnings.push(
                        Problem::warning(
                            self.file.clone(),
                            msg!(
                                "ingest-authority-access-changes",
                                "access changes from {old} to {new} for {what} '{id}', as stated",
                                old = old.to_string(),
                                new = new.to_string(),
                                what = crate::ingest::metadata::authority_word(what),
                                id = id.to_string()
                            ),
                        )
                        .at_row(self.line)
                        .in_column("access"),
                    );
                }
                new
            }
            (Some(new), None) => new,
            (None, Some(old)) => old.clone(),
            (None, None) => default(),
        }
    }

    /// An error at `column` when `date` lies wholly after `today` (Vietnam's day, UTC+7): a
    /// birth, a death, an award or a recognition cannot be in the future.
    fn not_future(
        &self,
        column: &str,
        date: Option<&Edtf>,
        today: CalendarDate,
        errors: &mut Vec<Problem>,
    ) {
        if let Some(date) = date
            && date.earliest().is_some_and(|earliest| earliest > today)
        {
            errors.push(self.error(column, future(date.as_str(), today)));
        }
    }

    /// The cell of `column`, `None` when the column is absent or the cell empty.
    fn optional(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(name, value)| name == column && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// The cell of `column`; an empty one is an error.
    fn required(&self, column: &str, errors: &mut Vec<Problem>) -> Option<&str> {
        let value = self.optional(column);
        if value.is_none() {
            errors.push(self.error(
                column,
                msg!(
                    "ingest-column-must-not-be-empty",
                    "this column must not be empty"
                ),
            ));
        }
        value
    }

    /// The cell of `column` read as a keyword (`T::from_str`, whose error lists the words).
    fn keyword<T: FromStr<Err = InvalidValue>>(
        &self,
        column: &str,
        errors: &mut Vec<Problem>,
    ) -> Option<T> {
        let text = self.optional(column)?;
        text.parse::<T>()
            .map_err(|e| errors.push(self.error(column, e.message())))
            .ok()
    }

    /// The cell of `column` read as an EDTF date.
    fn edtf(&self, column: &str, errors: &mut Vec<Problem>) -> Option<Edtf> {
        let text = self.optional(column)?;
        Edtf::parse(text)
            .map_err(|e| errors.push(self.error(column, e.message())))
            .ok()
    }

    /// An error at this row and `column`.
    fn error(&self, column: &str, message: impl Into<Message>) -> Problem {
        self.locate(Problem::error(self.file.clone(), message), &[column])
    }

    /// A warning at this row and the first of `columns` the file has ([`Row::locate`]).
    fn warning(&self, columns: &[&str], message: impl Into<Message>) -> Problem {
        self.locate(Problem::warning(self.file.clone(), message), columns)
    }

    /// An error at this row and the first of `columns` the file has ([`Row::locate`]).
    fn error_at(&self, columns: &[&str], message: impl Into<Message>) -> Problem {
        self.locate(Problem::error(self.file.clone(), message), columns)
    }

    /// `problem` at this row and at the first of `columns` the file's header names. A check
    /// across columns of an authority the archive holds compares what the row says with what
    /// the archive keeps for the columns the file lacks ([`Row::kept`]): the problem is placed
    /// at a column the archivist can find in their file, never at one it does not have (the
    /// row alone when it has none of them; the message says which values are archived).
    fn locate(&self, problem: Problem, columns: &[&str]) -> Problem {
        let problem = problem.at_row(self.line);
        match columns.iter().find(|column| self.has(column)) {
            Some(column) => problem.in_column(*column),
            None => problem,
        }
    }

    /// How a message names the value of `column` (`what`: "score", "birth"): as it is (`the
    /// score`) when the file has the column, as the archive's (`the archived score`) when the
    /// value was kept from the archive ([`Row::kept`]), so a message never passes an archived
    /// value off as one the file says.
    fn named(&self, column: &str, what: &str) -> Message {
        match (self.has(column), what) {
            (true, "death") => msg!("ingest-the-death", "the death"),
            (false, "death") => msg!("ingest-the-archived-death", "the archived death"),
            (true, "birth") => msg!("ingest-the-birth", "the birth"),
            (false, "birth") => msg!("ingest-the-archived-birth", "the archived birth"),
            (true, _) => Message::english(format!("the {what}")),
            (false, _) => Message::english(format!("the archived {what}")),
        }
    }
}

/// The message for a date written in a cell that lies after `today` (Vietnam's day).
fn future(date: &str, today: CalendarDate) -> Message {
    msg!(
        "ingest-date-in-future",
        "{date} is in the future (today is {today} in Vietnam): check the date",
        date = date,
        today = today.to_string()
    )
}

/// Today in Vietnam (UTC+7), the day a date in an authority file is checked against.
fn today() -> CalendarDate {
    crate::web::today_in_vietnam()
}

/// The message for a cell that is not EDTF (it gives the forms to write), as for `dc.date`.
fn edtf_error(error: &crate::model::edtf::EdtfError) -> Message {
    error.message()
}

/// The separators Excel writes "CSV" with, by locale: `,` (English), `;` (Vietnamese and most
/// European locales), tab ("Text (tab delimited)"), with what the report says of the last two.
const SEPARATORS: [(u8, Option<&str>); 3] = [
    (b',', None),
    (
        b';',
        Some(
            "the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the file was read that way",
        ),
    ),
    (
        b'\t',
        Some(
            "the columns are separated by tabs (as Excel saves 'Text (tab delimited)'); the file was read that way",
        ),
    ),
];

/// Why the cells of `record` cannot be matched to `headers`, as the metadata sheet judges it: more
/// cells than columns (a stray separator, a quote left open), or fewer with `access` among the
/// missing ones while another cell holds an access level (a cell left out before it, which
/// moved the rule into a column that restricts nothing). Excel leaves out the separators of
/// empty cells at a row's end, so a short row is otherwise read with its last cells empty.
fn misaligned(record: &csv::StringRecord, headers: &[String]) -> Option<Message> {
    if record.len() > headers.len() {
        return Some(msg!(
            "ingest-row-stray-comma",
            " (a stray comma, or a quote left open?)"
        ));
    }
    let access_missing = headers[record.len()..].iter().any(|h| h == "access");
    let moved = record.iter().any(|cell| {
        cell.trim().parse::<crate::model::Access>().is_ok()
            || crate::ingest::metadata::access_word(cell).is_some()
    });
    (access_missing && moved).then(|| {
        msg!(
            "ingest-row-rule-shifted",
            ", and an earlier cell holds {what} while the {name} cell is missing (a cell left out, or a quote left open?)",
            what = msg!("ingest-an-access-level", "an access level"),
            name = "access"
        )
    })
}

/// The access level the cell of `column` states when it holds nothing else, read in any case,
/// width and lookalike letters: an access value other than `public` (`restricted`,
/// `ＲＥＳＴＲＩＣＴＥＤ`, `community:a`) in any column, and in a column that is not a name an
/// access word of the metadata sheet's list besides (`hạn chế`, `confidential`), which a name
/// may be (`Mật`, honey, is a product). `None` for `public`, an empty cell and any other text.
fn access_level_in(column: &str, value: &str) -> Option<String> {
    let read = crate::model::text::search_form(value.trim()).to_lowercase();
    if let Ok(access) = read.parse::<Access>() {
        return (access != Access::Public).then(|| value.trim().to_string());
    }
    if matches!(column, "id" | "name" | "name@en") {
        return None;
    }
    crate::ingest::metadata::access_word(&read)
        .filter(|word| read == *word)
        .map(|_| value.trim().to_string())
}

/// An error for each cell of `row` outside the `access` column that holds nothing but an access
/// level ([`access_level_in`]) while the row does not restrict (its `access` cell is empty or
/// `public`, or the file has no `access` column: villages, crafts and honours describe what
/// is public), as the metadata sheet refuses the same row (`'ａｃｃｅｓｓ' says 'restricted', an
/// access level, but access is not stated`). Such a cell sits in a column nobody reads as a
/// rule (`ａｃｃｅｓｓ` in full-width letters, `аccess` with a Cyrillic `а`), or a cell left out
/// before it shifted the rule into `producer` (break14 finding 2): what it meant to restrict
/// would otherwise be published. The row is refused; the archivist states access or removes it.
fn stray_access(row: &Row, columns: &Columns) -> Vec<Problem> {
    let takes_access = columns.knows("access");
    let open = row
        .optional("access")
        .is_none_or(|access| access.parse::<Access>().is_ok_and(|a| a == Access::Public));
    if !open {
        return Vec::new();
    }
    row.cells
        .iter()
        .filter(|(column, _)| column != "access")
        .filter_map(|(column, value)| {
            let level = access_level_in(column, value)?;
            let (access, fix) = if takes_access {
                (
                    match row.optional("access") {
                        Some(stated) => msg!(
                            "ingest-access-says",
                            "access says {access}",
                            access = stated
                        ),
                        None => msg!("ingest-access-not-stated", "access is not stated"),
                    },
                    msg!(
                        "ingest-authority-write-access",
                        "write public, researchers, restricted or community:<group-id> in the access column (a cell left out before it moves the rest of the row)"
                    ),
                )
            } else {
                (
                    msg!(
                        "ingest-authority-no-access-column",
                        "this file has no access column: what it describes is public"
                    ),
                    msg!(
                        "ingest-authority-remove-or-restrict",
                        "remove it, or restrict the records that need it"
                    ),
                )
            };
            Some(row.error(
                column,
                msg!(
                    "ingest-authority-stray-access",
                    "'{column}' says '{level}', an access level, but {access}: {fix}; the row is not ingested until it is fixed",
                    column = column,
                    level = level,
                    access = access,
                    fix = fix
                ),
            ))
        })
        .collect()
}

/// A header cell as compared with column names: trimmed, NFC, lowercase.
fn header_name(cell: &str) -> String {
    nfc(cell.trim()).to_lowercase()
}

/// The columns of an authority file: those it must have, and the others it reads.
struct Columns {
    /// Columns the header must hold.
    required: &'static [&'static str],
    /// Columns it may hold besides.
    optional: &'static [&'static str],
}

impl Columns {
    fn knows(&self, header: &str) -> bool {
        self.required.contains(&header) || self.optional.contains(&header)
    }

    fn all(&self) -> String {
        self.required
            .iter()
            .chain(self.optional)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Problems with the header's columns that the file does not read: a warning for each, and an
/// error for one whose name says who may see something (`quyền truy cập`, `visibility`,
/// `protocol`; [`crate::ingest::metadata::meant_column`]), which refuses the whole file: what it
/// meant to restrict would otherwise be published. `true` when the file is refused.
fn unknown_columns(
    file: &str,
    headers: &[String],
    columns: &Columns,
    problems: &mut Vec<Problem>,
) -> bool {
    let mut refused = false;
    for header in headers {
        if header.is_empty() || columns.knows(header) {
            continue;
        }
        let column = crate::ingest::metadata::Column::Extra(header.clone());
        match crate::ingest::metadata::meant_column(&column) {
            Some(meant) => {
                let hint = if columns.knows("access") && meant == "access" {
                    crate::ingest::metadata::rename_hint(meant)
                } else if columns.knows("access") {
                    msg!(
                        "ingest-authority-one-access-column",
                        "this file takes one access column (values: public, researchers, restricted, community:<group-id>)"
                    )
                } else {
                    msg!(
                        "ingest-authority-public-remove-column",
                        "what this file describes is public: remove the column"
                    )
                };
                problems.push(
                    Problem::error(
                        file,
                        msg!(
                            "ingest-authority-rule-column",
                            "the column '{header}' is not one this file reads, and it may say who may see what it describes: {hint}; nothing in the file was ingested",
                            header = header,
                            hint = hint
                        ),
                    )
                    .at_row(Some(1))
                    .in_column(header.clone()),
                );
                refused = true;
            }
            None => problems.push(
                Problem::warning(
                    file,
                    msg!(
                        "ingest-authority-unknown-column",
                        "'{header}' is not a column this file reads; its values are ignored (its columns: {columns})",
                        header = header,
                        columns = columns.all().to_string()
                    ),
                )
                .at_row(Some(1))
                .in_column(header.clone()),
            ),
        }
    }
    refused
}

/// The column letter a spreadsheet shows for the column at `index` (0-based): `A` to `Z`, then
/// `AA`, `AB` and so on.
fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// An error for each column this file reads that its header names more than once (compared as
/// [`header_name`] reads them: `Access` and `access` are one column), at row 1 and that column,
/// naming the columns (as letters, as the spreadsheet shows them) that hold it. Every column of
/// an authority file holds one value, so which of the cells was meant cannot be told: keeping
/// the first silently published a product whose second `access` said `restricted` (break-14
/// finding 3). `true` when the file is refused; nothing in it is then read. Columns the file
/// does not read (warned of by [`unknown_columns`]) and empty header cells may repeat.
fn repeated_columns(
    file: &str,
    headers: &[String],
    columns: &Columns,
    problems: &mut Vec<Problem>,
) -> bool {
    let mut refused = false;
    for (first, header) in headers.iter().enumerate() {
        if !columns.knows(header) || headers[..first].contains(header) {
            continue;
        }
        let at: Vec<String> = headers
            .iter()
            .enumerate()
            .filter(|(_, other)| *other == header)
            .map(|(index, _)| column_letter(index))
            .collect();
        let Some((last, others)) = at.split_last() else {
            continue;
        };
        if others.is_empty() {
            continue;
        }
        let times = match at.len() {
            2 => msg!("ingest-twice", "twice"),
            n => msg!("ingest-n-times", "{count} times", count = n),
        };
        problems.push(
            Problem::error(
                file,
                msg!(
                    "ingest-authority-repeated-column",
                    "the header names '{header}' {times}, in columns {others} and {last}: this file takes one value for it, and which one was meant cannot be told; keep one of these columns; nothing in the file was ingested",
                    header = header,
                    times = times,
                    others = others.join(", "),
                    last = last
                ),
            )
            .at_row(Some(1))
            .in_column(header.clone()),
        );
        refused = true;
    }
    refused
}

/// The rows of an authority file, with the `required` columns checked in its header (a column
/// named twice, [`repeated_columns`], or one that may restrict, [`unknown_columns`], refuses
/// the whole file: no row is returned), and the
/// rows refused because their cells do not line up with the header ([`misaligned`]), each with
/// its cells as read, so that the id it seems to name can be noted as refused; nothing else in
/// such a row is trusted. Cells and headers are trimmed and NFC; header names are lowercase.
///
/// Read as the metadata sheet is ([`crate::ingest::metadata::parse_csv`]): the separator is the
/// one (`,`, `;` or tab) under which the header holds the required columns, with a note when it
/// is not the comma; Excel's `sep=` line is hidden; rows are numbered as a spreadsheet shows
/// them (a cell holding line breaks is one row, CRLF and LF alike, the header is row 1).
fn rows_and_broken(
    file: &str,
    text: &str,
    columns: &Columns,
    problems: &mut Vec<Problem>,
) -> (Vec<Row>, Vec<Row>) {
    let required = columns.required;
    let text = crate::ingest::metadata::without_separator_line(text);
    let reader = |separator: u8| {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator)
            .from_reader(text.as_bytes())
    };
    let (separator, note) = SEPARATORS
        .into_iter()
        .find(|(separator, _)| {
            reader(*separator)
                .records()
                .next()
                .and_then(Result::ok)
                .is_some_and(|header| {
                    let names: Vec<String> = header.iter().map(header_name).collect();
                    required
                        .iter()
                        .all(|column| names.iter().any(|h| h == column))
                })
        })
        .unwrap_or(SEPARATORS[0]);
    let mut numbers = crate::ingest::metadata::RowNumbers::new(text);
    let mut records = reader(separator).into_records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(header)) => {
            if let Some(position) = header.position() {
                numbers.at(position.byte() as usize);
            }
            header.iter().map(header_name).collect()
        }
        Some(Err(error)) => {
            problems.push(Problem::error(
                file,
                format!("cannot read the header row: {error}"),
            ));
            return (Vec::new(), Vec::new());
        }
        None => {
            problems.push(Problem::error(
                file,
                msg!("ingest-file-empty", "the file is empty"),
            ));
            return (Vec::new(), Vec::new());
        }
    };
    if let Some(note) = note {
        problems.push(Problem::warning(file, note).at_row(Some(1)));
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|column| !headers.iter().any(|h| h == column))
        .collect();
    if !missing.is_empty() {
        problems.push(
            Problem::error(
                file,
                msg!(
                    "ingest-header-lacks-columns",
                    "the header lacks the column(s) {columns}",
                    columns = missing.join(", ")
                ),
            )
            .at_row(Some(1)),
        );
        return (Vec::new(), Vec::new());
    }
    let unknown = unknown_columns(file, &headers, columns, problems);
    if repeated_columns(file, &headers, columns, problems) || unknown {
        return (Vec::new(), Vec::new());
    }
    let header: Rc<[String]> = headers.clone().into();
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    for record in records {
        match record {
            Ok(record) => {
                let line = record.position().map(|p| numbers.at(p.byte() as usize));
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                let row = Row {
                    file: file.to_string(),
                    line,
                    cells: headers
                        .iter()
                        .cloned()
                        .zip(record.iter().map(|cell| nfc(cell.trim()).into_owned()))
                        .collect(),
                    header: header.clone(),
                };
                if let Some(why) = misaligned(&record, &headers) {
                    problems.push(
                        Problem::error(
                            file,
                            msg!(
                                "ingest-authority-row-misaligned",
                                "the row has {cells} but the header names {columns} columns{why}; the row is not ingested until it is fixed",
                                cells = if record.len() == 1 {
                                    msg!("ingest-one-cell", "{count} cell", count = record.len())
                                } else {
                                    msg!("ingest-cells", "{count} cells", count = record.len())
                                },
                                columns = headers.len(),
                                why = why
                            ),
                        )
                        .at_row(line),
                    );
                    broken.push(row);
                    continue;
                }
                let mut row = row;
                if oversized(&mut row, columns, problems) {
                    broken.push(row);
                    continue;
                }
                let stray = stray_access(&row, columns);
                if !stray.is_empty() {
                    problems.extend(stray);
                    broken.push(row);
                    continue;
                }
                rows.push(row);
            }
            Err(error) => problems.push(
                Problem::error(file, format!("unreadable row: {error}"))
                    .at_row(error.position().map(|p| numbers.at(p.byte() as usize))),
            ),
        }
    }
    (rows, broken)
}

/// Whether `row` has a cell over its column's limit ([`CellKind`]): each such cell is an error
/// naming the row, the column and the limit, and is emptied, so that the row is refused whole
/// (the caller notes it as broken, its id as refused). Columns the file does not read are not
/// judged: their values are ignored.
fn oversized(row: &mut Row, columns: &Columns, problems: &mut Vec<Problem>) -> bool {
    let mut refused = false;
    for (column, value) in &mut row.cells {
        if !columns.knows(column.as_str()) {
            continue;
        }
        if let Some(message) = CellKind::of_authority_column(column.as_str()).refusal(value) {
            problems.push(
                Problem::error(row.file.clone(), message)
                    .at_row(row.line)
                    .in_column(column.clone()),
            );
            value.clear();
            refused = true;
        }
    }
    refused
}

/// The start of reading a file whose rows each describe one thing by its `id` (read by
/// `parse`), as `artisans.csv` and `products.csv` do: an empty [`Parsed`] whose `refused` already
/// names the ids of rows whose cells do not line up, the rows that do, and the ids more than one
/// row gives ([`repeated`]).
#[allow(clippy::type_complexity)]
fn start_by_id<T, Id: Ord>(
    file: &str,
    text: &str,
    columns: &Columns,
    parse: impl Fn(&str) -> Option<Id>,
) -> (Parsed<T, Id>, Vec<Row>, BTreeMap<Id, Vec<Option<usize>>>) {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let (rows, broken) = rows_and_broken(file, text, columns, &mut parsed.problems);
    let repeated = repeated(&rows, &broken, &parse);
    for row in &broken {
        if let Some(id) = row.optional("id").and_then(&parse) {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    (parsed, rows, repeated)
}

impl Row {
    /// The `access` cell: one value (`public`, `researchers`, `restricted`,
    /// `community:<group-id>`); a community the accounts database lacks is an error, as in a
    /// record's row.
    fn access(
        &self,
        communities: &crate::ingest::communities::Communities,
        errors: &mut Vec<Problem>,
    ) -> Option<crate::model::Access> {
        let access = self.keyword::<crate::model::Access>("access", errors)?;
        let refusals: Vec<Message> = access
            .groups()
            .filter_map(|group| communities.refusal(group))
            .collect();
        for refusal in &refusals {
            errors.push(self.error("access", refusal.clone()));
        }
        refusals.is_empty().then_some(access)
    }

    /// The one item of the cell of `column`, resolved by `resolve` (an id or a name); `None`
    /// when the cell is empty, or when it does not resolve (an error at the cell).
    fn resolved_one<Id>(
        &self,
        column: &str,
        resolve: impl Fn(&str) -> Result<Id, Message>,
        errors: &mut Vec<Problem>,
    ) -> Option<Id> {
        let text = self.optional(column)?;
        resolve(text)
            .map_err(|message| errors.push(self.error(column, message)))
            .ok()
    }

    /// The items of the `;`- or `,`-separated cell of `column`, each resolved by `resolve` (an
    /// id or a name); each that does not resolve is an error.
    fn resolved<Id: PartialEq>(
        &self,
        column: &str,
        resolve: impl Fn(&str) -> Result<Id, Message>,
        errors: &mut Vec<Problem>,
    ) -> Vec<Id> {
        let mut ids = Vec::new();
        for item in self
            .optional(column)
            .unwrap_or_default()
            .split([';', ','])
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            match resolve(item) {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(message) => errors.push(self.error(column, message)),
            }
        }
        ids
    }
}

/// The ids that more than one row of a file gives, each with those rows (as the spreadsheet
/// shows them) in file order. Ids are compared as `parse` reads them (NFC, trimmed). Rows whose
/// cells do not line up with the header count too: which of the descriptions was meant cannot
/// be told, so none is taken.
fn repeated<Id: Ord>(
    rows: &[Row],
    broken: &[Row],
    parse: impl Fn(&str) -> Option<Id>,
) -> BTreeMap<Id, Vec<Option<usize>>> {
    let mut lines: BTreeMap<Id, Vec<Option<usize>>> = BTreeMap::new();
    for row in rows.iter().chain(broken) {
        if let Some(id) = row.optional("id").and_then(&parse) {
            lines.entry(id).or_default().push(row.line);
        }
    }
    lines.retain(|_, lines| lines.len() > 1);
    for lines in lines.values_mut() {
        lines.sort();
    }
    lines
}

/// When another row of the file gives `row`'s id ([`repeated`]), the error at its `id` cell
/// naming the row where the id first appears (or, at that first row, the rows that repeat it):
/// every row giving a repeated id is refused, so that neither is taken for the other and what
/// the archive holds stays.
fn once<Id: Ord + std::fmt::Display>(
    repeated: &BTreeMap<Id, Vec<Option<usize>>>,
    id: &Id,
    row: &Row,
    errors: &mut Vec<Problem>,
) {
    let Some(lines) = repeated.get(id) else {
        return;
    };
    let numbers = |lines: &[Option<usize>]| {
        lines
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = match lines.split_first() {
        Some((first, others)) if *first == row.line && others.len() == 1 => msg!(
            "ingest-id-described-again-row",
            "'{id}' is described again at row {rows}: give each id one row; none of its rows is ingested until then",
            id = id.to_string(),
            rows = numbers(others)
        ),
        Some((first, others)) if *first == row.line => msg!(
            "ingest-id-described-again-rows",
            "'{id}' is described again at rows {rows}: give each id one row; none of its rows is ingested until then",
            id = id.to_string(),
            rows = numbers(others)
        ),
        Some((Some(first), _)) => msg!(
            "ingest-id-already-described",
            "'{id}' is already described at row {first}: give each id one row; none of its rows is ingested until then",
            id = id.to_string(),
            first = first
        ),
        _ => msg!(
            "ingest-id-given-twice",
            "this id is given by another row too: give each id one row; none of its rows is ingested until then"
        ),
    };
    errors.push(row.error("id", message));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of `text` with the row each is numbered.
    fn numbered(text: &str) -> (Vec<(Option<usize>, String)>, Vec<String>) {
        let mut problems = Vec::new();
        let columns = Columns {
            required: &["id", "name"],
            optional: &["description", "crafts", "access"],
        };
        let rows = rows_and_broken("metadata/artisans.csv", text, &columns, &mut problems)
            .0
            .into_iter()
            .map(|row| (row.line, row.optional("id").unwrap_or_default().to_string()))
            .collect();
        (rows, problems.iter().map(ToString::to_string).collect())
    }

    /// The problems of `text`, of which no row may be read (asserted).
    fn refused_whole(text: &str) -> Vec<String> {
        let (rows, problems) = numbered(text);
        assert!(rows.is_empty(), "{rows:?}");
        problems
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        // CRLF line ends, a description holding line breaks (Alt+Enter), a blank row.
        let text = "id,name,description\r\na,A,\"one\r\ntwo\r\nthree\"\r\n\r\nb,B,\r\nc,C,x\r\n";
        let (rows, problems) = numbered(text);
        assert_eq!(
            rows,
            [
                (Some(2), "a".to_string()),
                (Some(4), "b".to_string()),
                (Some(5), "c".to_string())
            ]
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn semicolons_tabs_and_the_sep_line_of_excel_are_read_with_a_note() {
        let (rows, problems) = numbered("sep=;\nid;name;crafts\na;A;x, y\nb;B;\n");
        assert_eq!(
            rows,
            [(Some(2), "a".to_string()), (Some(3), "b".to_string())]
        );
        assert_eq!(
            problems,
            [
                "warning: metadata/artisans.csv, row 1: the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the file was read that way"
            ]
        );
        let (rows, _) = numbered("id\tname\na\tA\n");
        assert_eq!(rows, [(Some(2), "a".to_string())]);
        // A stray comma, and a cell left out before access: neither row is trusted.
        let (rows, problems) = numbered(
            "id,name,description,access\na,A,Hợp tác xã X, Y,restricted\nb,B,restricted\nc,C\n",
        );
        assert_eq!(rows, [(Some(4), "c".to_string())]);
        assert_eq!(
            problems,
            [
                "error: metadata/artisans.csv, row 2: the row has 5 cells but the header names 4 columns (a stray comma, or a quote left open?); the row is not ingested until it is fixed",
                "error: metadata/artisans.csv, row 3: the row has 3 cells but the header names 4 columns, and an earlier cell holds an access level while the access cell is missing (a cell left out, or a quote left open?); the row is not ingested until it is fixed",
            ]
        );
        assert_eq!(
            refused_whole("id,name,ghi chú,quyền truy cập\na,A,,restricted\n"),
            [
                "warning: metadata/artisans.csv, row 1, column ghi chú: 'ghi chú' is not a column this file reads; its values are ignored (its columns: id, name, description, crafts, access)",
                "error: metadata/artisans.csv, row 1, column quyền truy cập: the column 'quyền truy cập' is not one this file reads, and it may say who may see what it describes: did you mean access? Name it access (values: public, researchers, restricted, community:<group-id>); nothing in the file was ingested",
            ]
        );
        // Break-14 finding 3: a column read once, named twice, refuses the file (the second
        // `access` was dropped silently); a column the file does not read may repeat.
        assert_eq!(
            refused_whole("id,name,Access,ghi chú,ghi chú,access\na,A,public,,,restricted\n"),
            [
                "warning: metadata/artisans.csv, row 1, column ghi chú: 'ghi chú' is not a column this file reads; its values are ignored (its columns: id, name, description, crafts, access)",
                "warning: metadata/artisans.csv, row 1, column ghi chú: 'ghi chú' is not a column this file reads; its values are ignored (its columns: id, name, description, crafts, access)",
                "error: metadata/artisans.csv, row 1, column access: the header names 'access' twice, in columns C and F: this file takes one value for it, and which one was meant cannot be told; keep one of these columns; nothing in the file was ingested",
            ]
        );
        assert_eq!(
            refused_whole("name,id,name,name\nA,a,B,C\n"),
            [
                "error: metadata/artisans.csv, row 1, column name: the header names 'name' 3 times, in columns A, C and D: this file takes one value for it, and which one was meant cannot be told; keep one of these columns; nothing in the file was ingested",
            ]
        );
        assert_eq!(
            (
                column_letter(0),
                column_letter(25),
                column_letter(26),
                column_letter(701),
                column_letter(702)
            ),
            (
                "A".to_string(),
                "Z".to_string(),
                "AA".to_string(),
                "ZZ".to_string(),
                "AAA".to_string()
            )
        );
        assert_eq!(
            refused_whole("id|name\na|A\n"),
            ["error: metadata/artisans.csv, row 1: the header lacks the column(s) id, name"]
        );
    }
}
