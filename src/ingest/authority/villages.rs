//! `metadata/villages.csv`: a craft village's names, address as documented and after the reform
//! of 1 July 2025, position, crafts, Decree 52/2018 class (with the date it was set),
//! activity and recognition.

use super::{Columns, list, rows};
use crate::ingest::report::Problem;
use crate::model::edtf::Edtf;
use crate::model::{
    Activity, CraftId, Recognition, RiskStatus, SCHEMA_VERSION, Village, VillageId,
};

/// The columns of this file.
const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &[
        "name@en",
        "commune",
        "district",
        "province",
        "latitude",
        "longitude",
        "crafts",
        "status",
        "artisans",
        "products",
        "products@en",
        "activity",
        "recognised",
        "status_date",
        "commune_2025",
        "province_2025",
    ],
};

/// Parses `villages.csv` (`id,name,name@en,commune,district,province,latitude,longitude,crafts,status`,
/// and optionally `artisans`, `products`, `products@en`, `activity`, `recognised`, `status_date`,
/// `commune_2025`, `province_2025`).
///
/// `activity` is `active`, `at-risk` or `lost`; `recognised` is read by [`parse_recognition`];
/// `status_date` (when the Decree 52 class was set) is EDTF.
/// `crafts` holds craft ids separated by `;` or spaces; `known_craft` says whether one exists.
/// `artisans` and `products` are lists separated by `;` (names may hold spaces and commas).
pub fn parse_villages(
    file: &str,
    text: &str,
    known_craft: impl Fn(&CraftId) -> bool,
) -> (Vec<Village>, Vec<Problem>) {
    let mut villages = Vec::new();
    let mut problems = Vec::new();
    for row in rows(file, text, &COLUMNS, &mut problems) {
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
        let activity = row.keyword::<Activity>("activity", &mut errors);
        let recognised = row.optional("recognised").and_then(|text| {
            parse_recognition(text)
                .map_err(|message| errors.push(row.error("recognised", message)))
                .ok()
        });
        let status_date = row.edtf("status_date", &mut errors);
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
                activity,
                recognised,
                status_date,
                commune_2025: row.optional("commune_2025").map(str::to_string),
                province_2025: row.optional("province_2025").map(str::to_string),
            });
        }
    }
    (villages, problems)
}

/// Reads a `recognised` cell: the decision's number and its EDTF date separated by `;`
/// (`1234/QĐ-UBND; 2006-05-12`), or either part alone (`1234/QĐ-UBND`, `2006-05-12`, `2006`).
/// A single part that reads as EDTF is the date, any other the decision.
///
/// # Errors
/// A second part that is not EDTF, or more than two parts, as a message for the cell.
pub fn parse_recognition(text: &str) -> Result<Recognition, String> {
    let parts: Vec<&str> = text.split(';').map(str::trim).collect();
    let decision = |part: &str| (!part.is_empty()).then(|| part.to_string());
    match parts.as_slice() {
        [one] => Ok(match Edtf::parse(one) {
            Ok(date) => Recognition {
                decision: None,
                date: Some(date),
            },
            Err(_) => Recognition {
                decision: decision(one),
                date: None,
            },
        }),
        [number, date] => {
            let date = if date.is_empty() {
                None
            } else {
                Some(Edtf::parse(date).map_err(|e| {
                    format!(
                        "the date after ';' is not EDTF: {} (write the decision, ';', then its date: 1234/QĐ-UBND; 2006-05-12)",
                        super::edtf_error(&e)
                    )
                })?)
            };
            Ok(Recognition {
                decision: decision(number),
                date,
            })
        }
        _ => Err(format!(
            "'{text}' holds more than a decision and a date: write the decision, ';', then its date (1234/QĐ-UBND; 2006-05-12), or either alone"
        )),
    }
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
    fn a_recognition_is_a_decision_a_date_or_both() {
        let both = parse_recognition("1234/QĐ-UBND; 2006-05-12").unwrap();
        assert_eq!(both.decision.as_deref(), Some("1234/QĐ-UBND"));
        assert_eq!(both.date.unwrap().as_str(), "2006-05-12");
        let date = parse_recognition("2006").unwrap();
        assert_eq!(
            (date.decision, date.date.unwrap().as_str().to_string()),
            (None, "2006".to_string())
        );
        let number = parse_recognition("1234/QĐ-UBND").unwrap();
        assert_eq!(number.decision.as_deref(), Some("1234/QĐ-UBND"));
        assert_eq!(number.date, None);
        let date_only = parse_recognition("; 2006-05").unwrap();
        assert_eq!(date_only.decision, None);
        assert!(parse_recognition("1234/QĐ-UBND; 12/05/2006").is_err());
        assert!(parse_recognition("a; b; c").is_err());
    }
}
