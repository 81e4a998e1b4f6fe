//! Each authority as a row of its file and back: [`super::Authority`] for villages, crafts,
//! artisans (with their rows of `honours.csv`) and products.
//!
//! Back is never written here: the form becomes the one-row file it stands for (every column,
//! so nothing is kept from the archive that the form does not show) and is read by ingest's own
//! parser of that file ([`crate::ingest::authority`]), so every rule and every message is
//! ingest's; a problem's column is the field it is shown beside (an honour's, `honours.2.date`:
//! [`honour_field`]).

use std::collections::BTreeMap;

use super::{Authority, HONOURS_FILE, Kind, Sheet};
use crate::ingest::authority;
use crate::ingest::metadata::Authorities;
use crate::ingest::report::{Problem, Severity};
use crate::model::{Access, Artisan, Craft, Honour, Lang, Product, Village};
use crate::workspace::form::{Checked, Fields};

/// The form field of column `column` of the `number`-th honour (1-based) on an artisan's form,
/// under which its problems are shown (`honours.2.date`).
pub fn honour_field(number: usize, column: &str) -> String {
    format!("honours.{number}.{column}")
}

/// The form field an honour is compared under in the history (one value per honour).
pub const HONOUR: &str = "honour";

/// A text file of `columns` with one row per entry of `rows` (each the cells in column order),
/// quoted as a spreadsheet writes CSV.
fn csv_text(columns: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a cell cannot hold what CSV cannot quote.
    let _ = writer.write_record(columns);
    for row in rows {
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The cells of `sheet`'s row in the order of `columns`, `id` in its column.
fn cells(columns: &[&str], id: &str, sheet: &Sheet) -> Vec<String> {
    columns
        .iter()
        .map(|column| match *column {
            "id" => id.to_string(),
            column => sheet.cell(column).to_string(),
        })
        .collect()
}

/// Files `problems` under their fields: `field` names the field of a problem (its column, or
/// for an honour its [`honour_field`]); errors and warnings apart.
fn file_problems(checked: &mut Checked, problems: &[Problem], field: impl Fn(&Problem) -> String) {
    for problem in problems {
        let list = match problem.severity {
            Severity::Error => &mut checked.errors,
            Severity::Warning => &mut checked.warnings,
        };
        list.entry(field(problem)).or_default().push(problem.said());
    }
}

/// The one authority a one-row file gave, or every problem: `Err` when there is an error, or
/// when the row gave nothing.
fn the_one<T>(items: Vec<T>, mut checked: Checked) -> Result<(T, Checked), Checked> {
    match items.into_iter().next() {
        Some(item) if checked.errors.is_empty() => Ok((item, checked)),
        _ => {
            if checked.errors.is_empty() {
                checked
                    .errors
                    .entry(String::new())
                    .or_default()
                    .push(crate::msg!(
                        "workspace-form-describes-nothing",
                        "the form describes nothing ingest would take"
                    ));
            }
            Err(checked)
        }
    }
}

/// Reads the row of `sheet` as authority file `file` (`kind`'s) with ingest's `parse`, plus
/// problems `more` finds in that same text.
fn parse_row<T>(
    kind: Kind,
    id: &str,
    sheet: &Sheet,
    parse: impl FnOnce(&str, &str) -> (Vec<T>, Vec<Problem>),
    more: impl FnOnce(&str) -> Vec<Problem>,
) -> (Vec<T>, Checked) {
    let columns = kind.columns();
    let text = csv_text(&columns, &[cells(&columns, id, sheet)]);
    let (items, mut problems) = parse(kind.file(), &text);
    problems.extend(more(&text));
    let mut checked = Checked::default();
    file_problems(&mut checked, &problems, |problem| {
        problem.column.clone().unwrap_or_default()
    });
    (items, checked)
}

/// A sheet's row from `(column, cell)` pairs; every column of `kind` present, empty or not.
fn sheet_of(kind: Kind, pairs: Vec<(&str, String)>) -> Sheet {
    let mut row: BTreeMap<String, String> = kind
        .columns()
        .into_iter()
        .map(|column| (column.to_string(), String::new()))
        .collect();
    for (column, cell) in pairs {
        row.insert(column.to_string(), cell);
    }
    Sheet {
        row,
        honours: Vec::new(),
    }
}

/// The description of `sheet` as compared: each non-empty cell under its column, and each honour
/// as one value of [`HONOUR`] (`title — scheme: …; awarded_by: …`).
pub(super) fn compared_sheet(sheet: &Sheet) -> Fields {
    let mut fields = Fields::default();
    for (column, cell) in &sheet.row {
        fields.push(column, cell);
    }
    for honour in &sheet.honours {
        let title = honour.get("title").cloned().unwrap_or_default();
        let rest: Vec<String> = Sheet::honour_columns()
            .into_iter()
            .filter(|column| *column != "title")
            .filter_map(|column| {
                let cell = honour.get(column)?;
                (!cell.is_empty()).then(|| format!("{column}: {cell}"))
            })
            .collect();
        fields.push(HONOUR, &format!("{title} — {}", rest.join("; ")));
    }
    fields
}

/// A list cell as the files write it: items separated by `; `.
fn joined<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An optional value as a cell.
fn cell<T: ToString>(value: Option<&T>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

impl Authority for Village {
    const KIND: Kind = Kind::Village;

    fn id_text(&self) -> String {
        self.id.to_string()
    }

    fn sheet(&self) -> Sheet {
        let recognised = self.recognised.as_ref().map(|recognition| {
            let date = recognition
                .date
                .as_ref()
                .map(|date| date.as_str().to_string());
            [recognition.decision.clone(), date]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ")
        });
        sheet_of(
            Kind::Village,
            vec![
                ("id", self.id.to_string()),
                ("name", self.name.clone()),
                ("name@en", cell(self.name_en.as_ref())),
                ("commune", cell(self.commune.as_ref())),
                ("district", cell(self.district.as_ref())),
                ("province", cell(self.province.as_ref())),
                ("latitude", cell(self.latitude.as_ref())),
                ("longitude", cell(self.longitude.as_ref())),
                ("crafts", joined(&self.crafts)),
                ("status", cell(self.status.as_ref())),
                ("artisans", joined(&self.artisans)),
                ("products", joined(&self.products)),
                ("products@en", joined(&self.products_en)),
                ("activity", cell(self.activity.as_ref())),
                ("recognised", recognised.unwrap_or_default()),
                (
                    "status_date",
                    cell(self.status_date.as_ref().map(|date| date.as_str()).as_ref()),
                ),
                ("commune_2025", cell(self.commune_2025.as_ref())),
                ("province_2025", cell(self.province_2025.as_ref())),
            ],
        )
    }

    /// Read by [`authority::parse_villages`], and its free-text lists checked against the
    /// products by [`authority::products_named_in_free_text`], as ingest does.
    fn from_sheet(
        id: &str,
        sheet: &Sheet,
        known: &Authorities,
    ) -> Result<(Self, Checked), Checked> {
        let (items, checked) = parse_row(
            Kind::Village,
            id,
            sheet,
            |file, text| {
                let parsed = authority::parse_villages(file, text, known);
                (parsed.items, parsed.problems)
            },
            |text| {
                authority::products_named_in_free_text(Kind::Village.file(), text, &known.products)
            },
        );
        the_one(items, checked)
    }

    fn put_into(&self, names: &mut crate::index::authorities::Authorities) {
        names.villages.insert(self.id.to_string(), self.clone());
    }
}

impl Authority for Craft {
    const KIND: Kind = Kind::Craft;

    fn id_text(&self) -> String {
        self.id.to_string()
    }

    fn sheet(&self) -> Sheet {
        sheet_of(
            Kind::Craft,
            vec![
                ("id", self.id.to_string()),
                ("name", self.name.clone()),
                ("name@en", cell(self.name_en.as_ref())),
            ],
        )
    }

    /// Read by [`authority::parse_crafts`].
    fn from_sheet(id: &str, sheet: &Sheet, _: &Authorities) -> Result<(Self, Checked), Checked> {
        let (items, checked) = parse_row(
            Kind::Craft,
            id,
            sheet,
            |file, text| {
                let parsed = authority::parse_crafts(file, text);
                (parsed.items, parsed.problems)
            },
            |_| Vec::new(),
        );
        the_one(items, checked)
    }

    fn put_into(&self, names: &mut crate::index::authorities::Authorities) {
        names.crafts.insert(self.id.to_string(), self.clone());
    }
}

/// An honour as the cells of its row of `honours.csv` (without `artisan`).
fn honour_cells(honour: &Honour) -> BTreeMap<String, String> {
    Sheet::honour_columns()
        .into_iter()
        .map(|column| {
            let value = match column {
                "title" => honour.title.clone(),
                "scheme" => honour.scheme.to_string(),
                "awarded_by" => cell(honour.awarded_by.as_ref()),
                "decision" => cell(honour.decision.as_ref()),
                "date" => cell(honour.date.as_ref().map(|date| date.as_str()).as_ref()),
                _ => String::new(),
            };
            (column.to_string(), value)
        })
        .collect()
}

impl Authority for Artisan {
    const KIND: Kind = Kind::Artisan;

    fn id_text(&self) -> String {
        self.id.to_string()
    }

    fn sheet(&self) -> Sheet {
        let description = |lang| self.description.get(&lang).cloned().unwrap_or_default();
        let mut sheet = sheet_of(
            Kind::Artisan,
            vec![
                ("id", self.id.to_string()),
                ("name", self.name.clone()),
                ("name@en", cell(self.name_en.as_ref())),
                ("village", cell(self.village.as_ref())),
                ("crafts", joined(&self.crafts)),
                (
                    "born",
                    cell(self.born.as_ref().map(|date| date.as_str()).as_ref()),
                ),
                (
                    "died",
                    cell(self.died.as_ref().map(|date| date.as_str()).as_ref()),
                ),
                ("description", description(Lang::Vi)),
                ("description@en", description(Lang::En)),
                ("access", self.access.to_string()),
            ],
        );
        sheet.honours = self.honours.iter().map(honour_cells).collect();
        sheet
    }

    /// The row read by [`authority::parse_artisans`], the honours as this artisan's rows of
    /// `honours.csv` by [`authority::parse_honours`] (a problem of the n-th honour is shown
    /// under [`honour_field`]`(n, column)`).
    fn from_sheet(
        id: &str,
        sheet: &Sheet,
        known: &Authorities,
    ) -> Result<(Self, Checked), Checked> {
        let (items, mut checked) = parse_row(
            Kind::Artisan,
            id,
            sheet,
            |file, text| {
                let parsed = authority::parse_artisans(file, text, known);
                (parsed.items, parsed.problems)
            },
            |_| Vec::new(),
        );
        let mut columns = vec!["artisan"];
        columns.extend(Sheet::honour_columns());
        let rows: Vec<Vec<String>> = sheet
            .honours
            .iter()
            .map(|honour| {
                columns
                    .iter()
                    .map(|column| match *column {
                        "artisan" => id.to_string(),
                        column => honour.get(column).cloned().unwrap_or_default(),
                    })
                    .collect()
            })
            .collect();
        let mut honours = Vec::new();
        if !rows.is_empty() {
            let parsed = authority::parse_honours(HONOURS_FILE, &csv_text(&columns, &rows), known);
            // Row 2 is the first honour (row 1 the header); a cell holding line breaks is one
            // row, as a spreadsheet numbers them.
            file_problems(&mut checked, &parsed.problems, |problem| {
                match (problem.row, &problem.column) {
                    (Some(row), Some(column)) if row >= 2 => honour_field(row - 1, column),
                    _ => String::new(),
                }
            });
            honours = parsed.items.into_iter().map(|row| row.honour).collect();
        }
        let (mut artisan, checked) = the_one(items, checked)?;
        artisan.honours = honours;
        Ok((artisan, checked))
    }

    fn access(&self) -> Option<&Access> {
        Some(&self.access)
    }

    fn put_into(&self, names: &mut crate::index::authorities::Authorities) {
        names.artisans.insert(self.id.to_string(), self.clone());
    }
}

impl Authority for Product {
    const KIND: Kind = Kind::Product;

    fn id_text(&self) -> String {
        self.id.to_string()
    }

    fn sheet(&self) -> Sheet {
        let ocop = self.ocop.as_ref();
        sheet_of(
            Kind::Product,
            vec![
                ("id", self.id.to_string()),
                ("name", self.name.clone()),
                ("name@en", cell(self.name_en.as_ref())),
                ("village", cell(self.village.as_ref())),
                ("craft", cell(self.craft.as_ref())),
                ("producer", cell(self.producer.as_ref())),
                ("ocop_group", cell(ocop.and_then(|o| o.group.as_ref()))),
                ("ocop_stars", cell(ocop.map(|o| &o.stars))),
                ("ocop_score", cell(ocop.and_then(|o| o.score.as_ref()))),
                (
                    "ocop_certificate",
                    cell(ocop.and_then(|o| o.certificate.as_ref())),
                ),
                ("ocop_issued", cell(ocop.and_then(|o| o.issued.as_ref()))),
                ("ocop_expires", cell(ocop.and_then(|o| o.expires.as_ref()))),
                ("ocop_level", cell(ocop.and_then(|o| o.level.as_ref()))),
                ("access", self.access.to_string()),
            ],
        )
    }

    /// Read by [`authority::parse_products`].
    fn from_sheet(
        id: &str,
        sheet: &Sheet,
        known: &Authorities,
    ) -> Result<(Self, Checked), Checked> {
        let (items, checked) = parse_row(
            Kind::Product,
            id,
            sheet,
            |file, text| {
                let parsed = authority::parse_products(file, text, known);
                (parsed.items, parsed.problems)
            },
            |_| Vec::new(),
        );
        the_one(items, checked)
    }

    fn access(&self) -> Option<&Access> {
        Some(&self.access)
    }

    fn put_into(&self, names: &mut crate::index::authorities::Authorities) {
        names.products.insert(self.id.to_string(), self.clone());
    }
}
