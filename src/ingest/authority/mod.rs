//! Reading the batch's authority files, one module per file: `metadata/crafts.csv`,
//! `metadata/villages.csv`, `metadata/artisans.csv`, `metadata/honours.csv` and
//! `metadata/products.csv`.
//!
//! Villages carry the facts the province's plan asks for (commune, district, coordinates, the
//! crafts practised, the Decree 52/2018 class, activity, recognition, the 2025 address); crafts
//! carry their names in both languages; artisans their honours; products their OCOP rating.
//! Every bad cell is one [`Problem`] naming the file, the row as a spreadsheet shows it and the
//! column; a row with a problem is refused whole and the other rows go in. Cells and headers are
//! read as NFC, whatever form the file was written in.

mod artisans;
mod crafts;
mod honours;
mod products;
mod villages;

pub use artisans::parse_artisans;
pub use crafts::parse_crafts;
pub use honours::{HonourRow, parse_honours};
pub use products::parse_products;
pub use villages::{parse_recognition, parse_villages};

use std::collections::BTreeMap;
use std::str::FromStr;

use super::report::Problem;
use crate::model::text::nfc;
use crate::model::{Edtf, InvalidValue};

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
}

impl Row {
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
            errors.push(self.error(column, "this column must not be empty"));
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
            .map_err(|e| errors.push(self.error(column, e.0)))
            .ok()
    }

    /// The cell of `column` read as an EDTF date.
    fn edtf(&self, column: &str, errors: &mut Vec<Problem>) -> Option<Edtf> {
        let text = self.optional(column)?;
        Edtf::parse(text)
            .map_err(|e| errors.push(self.error(column, edtf_error(&e))))
            .ok()
    }

    /// A problem at this row and `column`.
    fn error(&self, column: &str, message: impl Into<String>) -> Problem {
        Problem::error(self.file.clone(), message)
            .at_row(self.line)
            .in_column(column)
    }
}

/// The message for a cell that is not EDTF (it gives the forms to write), as for `dc.date`.
fn edtf_error(error: &crate::model::edtf::EdtfError) -> String {
    error.to_string()
}

/// The rows of an authority file, with the `required` columns checked in its header. Cells and
/// headers are trimmed and NFC; header names are lowercase.
fn rows(file: &str, text: &str, required: &[&str], problems: &mut Vec<Problem>) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers
            .iter()
            .map(|h| nfc(h.trim()).to_lowercase())
            .collect(),
        Err(error) => {
            problems.push(Problem::error(
                file,
                format!("cannot read the header row: {error}"),
            ));
            return Vec::new();
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|column| !headers.iter().any(|h| h == column))
        .collect();
    if !missing.is_empty() {
        problems.push(
            Problem::error(
                file,
                format!("the header lacks the column(s) {}", missing.join(", ")),
            )
            .at_row(Some(1)),
        );
        return Vec::new();
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                rows.push(Row {
                    file: file.to_string(),
                    line: record.position().map(|p| p.line() as usize),
                    cells: headers
                        .iter()
                        .cloned()
                        .zip(record.iter().map(|cell| nfc(cell.trim()).into_owned()))
                        .collect(),
                });
            }
            Err(error) => problems.push(
                Problem::error(file, format!("unreadable row: {error}"))
                    .at_row(error.position().map(|p| p.line() as usize)),
            ),
        }
    }
    rows
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
        let refusals: Vec<String> = access
            .groups()
            .filter_map(|group| communities.refusal(group))
            .collect();
        for refusal in &refusals {
            errors.push(self.error("access", refusal.clone()));
        }
        refusals.is_empty().then_some(access)
    }

    /// The items of the `;`- or `,`-separated cell of `column`, each resolved by `resolve` (an
    /// id or a name); each that does not resolve is an error.
    fn resolved<Id: PartialEq>(
        &self,
        column: &str,
        resolve: impl Fn(&str) -> Result<Id, String>,
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

/// Notes a row's id as seen; a second row with the same id is an error at its `id` cell.
fn first_time<Id: Ord + Clone + std::fmt::Display>(
    seen: &mut BTreeMap<Id, Option<usize>>,
    id: &Id,
    row: &Row,
    errors: &mut Vec<Problem>,
) {
    if let Some(first) = seen.get(id) {
        let at = first.map(|n| format!(" at row {n}")).unwrap_or_default();
        errors.push(row.error(
            "id",
            format!("'{id}' is already described{at}: give each id one row"),
        ));
    } else {
        seen.insert(id.clone(), row.line);
    }
}
