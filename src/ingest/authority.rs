//! Reading the batch's authority files, `metadata/villages.csv` and `metadata/crafts.csv`.
//!
//! Villages carry the facts the province's plan asks for (commune, district, coordinates, the
//! crafts practised, the Decree 52/2018 class); crafts carry their names in both languages.

use super::report::Problem;
use crate::model::text::nfc;
use crate::model::{Craft, CraftId, RiskStatus, SCHEMA_VERSION, Village, VillageId};

/// The items of a `;`-separated cell.
fn list(cell: Option<&str>) -> Vec<String> {
    cell.unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses `crafts.csv` (`id,name,name@en`).
pub fn parse_crafts(file: &str, text: &str) -> (Vec<Craft>, Vec<Problem>) {
    let mut crafts = Vec::new();
    let mut problems = Vec::new();
    for row in rows(file, text, &["id", "name"], &mut problems) {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            CraftId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        let name = row.required("name", &mut errors).map(str::to_string);
        problems.extend(errors.iter().cloned());
        if let (Some(id), Some(name), true) = (id, name, errors.is_empty()) {
            crafts.push(Craft {
                schema: SCHEMA_VERSION,
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
            });
        }
    }
    (crafts, problems)
}

/// Parses `villages.csv` (`id,name,name@en,commune,district,province,latitude,longitude,crafts,status`,
/// and optionally `artisans`, `products`, `products@en`).
///
/// `crafts` holds craft ids separated by `;` or spaces; `known_craft` says whether one exists.
/// `artisans` and `products` are lists separated by `;` (names may hold spaces and commas).
pub fn parse_villages(
    file: &str,
    text: &str,
    known_craft: impl Fn(&CraftId) -> bool,
) -> (Vec<Village>, Vec<Problem>) {
    let mut villages = Vec::new();
    let mut problems = Vec::new();
    for row in rows(file, text, &["id", "name"], &mut problems) {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            VillageId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        let name = row.required("name", &mut errors).map(str::to_string);
        let mut coordinate = |column: &str, limit: f64| {
            let text = row.optional(column)?;
            match text.parse::<f64>() {
                Ok(value) if value.abs() <= limit => Some(value),
                _ => {
                    errors.push(row.error(
                        column,
                        format!(
                            "'{text}' is not a {column} in decimal degrees (-{limit} to {limit})"
                        ),
                    ));
                    None
                }
            }
        };
        let latitude = coordinate("latitude", 90.0);
        let longitude = coordinate("longitude", 180.0);
        let status = row.optional("status").and_then(|text| {
            text.parse::<RiskStatus>()
                .map_err(|e| errors.push(row.error("status", e.0)))
                .ok()
        });
        let mut crafts = Vec::new();
        for word in row
            .optional("crafts")
            .unwrap_or_default()
            .split(|c: char| c == ';' || c == ',' || c.is_whitespace())
            .filter(|word| !word.is_empty())
        {
            match CraftId::parse(word) {
                Ok(craft) if known_craft(&craft) => crafts.push(craft),
                Ok(craft) => errors.push(row.error(
                    "crafts",
                    format!("unknown craft '{craft}': it is neither in the archive nor in metadata/crafts.csv"),
                )),
                Err(error) => errors.push(row.error("crafts", error.0)),
            }
        }
        problems.extend(errors.iter().cloned());
        if let (Some(id), Some(name), true) = (id, name, errors.is_empty()) {
            villages.push(Village {
                schema: SCHEMA_VERSION,
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
                commune: row.optional("commune").map(str::to_string),
                district: row.optional("district").map(str::to_string),
                province: row.optional("province").map(str::to_string),
                latitude,
                longitude,
                crafts,
                status,
                artisans: list(row.optional("artisans")),
                products: list(row.optional("products")),
                products_en: list(row.optional("products@en")),
                activity: None,
                recognised: None,
                status_date: None,
                commune_2025: None,
                province_2025: None,
            });
        }
    }
    (villages, problems)
}

struct Row {
    file: String,
    line: Option<usize>,
    cells: Vec<(String, String)>,
}

impl Row {
    fn optional(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(name, value)| name == column && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    fn required(&self, column: &str, errors: &mut Vec<Problem>) -> Option<&str> {
        let value = self.optional(column);
        if value.is_none() {
            errors.push(self.error(column, "this column must not be empty"));
        }
        value
    }

    fn error(&self, column: &str, message: impl Into<String>) -> Problem {
        Problem::error(self.file.clone(), message)
            .at_row(self.line)
            .in_column(column)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn villages_are_parsed_and_checked() {
        let text = "id,name,name@en,commune,district,province,latitude,longitude,crafts,status,artisans,products,products@en\n\
            doi-tam,Đọi Tam,Doi Tam,Đọi Sơn,Duy Tiên,Hà Nam,20.6,105.9,trong,developing,\"Nguyễn Văn A; Trần Thị B, thợ cả\",trống; tang trống,drums\n\
            bad,Bad,,,,,95,10,trong xyz,dying,,,\n";
        let (villages, problems) =
            parse_villages("metadata/villages.csv", text, |c| c.as_str() == "trong");
        assert_eq!(villages.len(), 1);
        assert_eq!(villages[0].status, Some(RiskStatus::Developing));
        assert_eq!(villages[0].crafts[0].as_str(), "trong");
        assert_eq!(villages[0].artisans, ["Nguyễn Văn A", "Trần Thị B, thợ cả"]);
        assert_eq!(villages[0].products, ["trống", "tang trống"]);
        assert_eq!(villages[0].products_en, ["drums"]);
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/villages.csv, row 3, column latitude: '95' is not a latitude in decimal degrees (-90 to 90)",
                "error: metadata/villages.csv, row 3, column status: 'dying' is not a Decree 52/2018 status; use one of: at-risk-irreversible, at-risk-revivable, developing",
                "error: metadata/villages.csv, row 3, column crafts: unknown craft 'xyz': it is neither in the archive nor in metadata/crafts.csv",
            ]
        );
    }

    #[test]
    fn crafts_need_id_and_name() {
        let (crafts, problems) = parse_crafts(
            "metadata/crafts.csv",
            "id,name,name@en\ndet-lua,Dệt lụa,Silk weaving\n,Không id,\n",
        );
        assert_eq!(crafts.len(), 1);
        assert_eq!(crafts[0].name_en.as_deref(), Some("Silk weaving"));
        assert_eq!(
            problems[0].to_string(),
            "error: metadata/crafts.csv, row 3, column id: this column must not be empty"
        );
    }
}
