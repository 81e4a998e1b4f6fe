//! `metadata/villages.csv`: a craft village's names, address as documented and after the reform
//! of 1 July 2025, position, crafts, Decree 52/2018 class (with the date it was set),
//! activity and recognition.

use std::collections::BTreeMap;

use super::{Columns, Parsed, list, once, repeated, rows_and_broken};
use crate::ingest::metadata::Authorities;
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
/// `crafts` holds craft ids separated by `;` or spaces, each one `known` holds
/// ([`Authorities::craft_id`]). `artisans` and `products` are lists separated by `;` (names may
/// hold spaces and commas). An id given by two rows refuses both ([`super::once`]);
/// [`Parsed::refused`] lists the ids of the refused rows. A recognition or `status_date` after
/// today (in Vietnam) is an error.
///
/// A village the archive holds (`known.villages` holds the archive's) keeps every field whose
/// column the file does not have, so a `villages.csv` written before a column existed changes
/// nothing it does not mention; an empty cell in a column the file has clears the field, as a
/// record's row does.
pub fn parse_villages(file: &str, text: &str, known: &Authorities) -> Parsed<Village, VillageId> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let today = super::today();
    let (rows, broken) = rows_and_broken(file, text, &COLUMNS, &mut parsed.problems);
    let repeated = repeated(&rows, &broken, |id| VillageId::parse(id).ok());
    for row in &broken {
        if let Some(id) = row.optional("id").and_then(|id| VillageId::parse(id).ok()) {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    for row in rows {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            VillageId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
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
                Ok(craft) => match known.craft_id(&craft) {
                    Ok(()) => crafts.push(craft),
                    Err(message) => errors.push(row.error("crafts", message)),
                },
                Err(error) => errors.push(row.error("crafts", error.0)),
            }
        }
        if let Some(recognised) = &recognised {
            row.not_future("recognised", recognised.date.as_ref(), today, &mut errors);
        }
        row.not_future("status_date", status_date.as_ref(), today, &mut errors);
        parsed.problems.extend(errors.iter().cloned());
        // The archive's village of this id: `known.villages` holds the archive's until the
        // batch's accepted rows join it, after this file is read.
        let archived = id.as_ref().and_then(|id| known.villages.get(id));
        let text = |column: &str, old: fn(&Village) -> &Option<String>| {
            row.kept(
                column,
                row.optional(column).map(str::to_string),
                archived.map(|v| old(v).clone()),
            )
        };
        let names = |column: &str, old: fn(&Village) -> &Vec<String>| {
            row.kept(
                column,
                list(row.optional(column)),
                archived.map(|v| old(v).clone()),
            )
        };
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => parsed.items.push(Village {
                schema: SCHEMA_VERSION,
                name_en: text("name@en", |v| &v.name_en),
                commune: text("commune", |v| &v.commune),
                district: text("district", |v| &v.district),
                province: text("province", |v| &v.province),
                latitude: row.kept("latitude", latitude, archived.map(|v| v.latitude)),
                longitude: row.kept("longitude", longitude, archived.map(|v| v.longitude)),
                crafts: row.kept("crafts", crafts, archived.map(|v| v.crafts.clone())),
                status: row.kept("status", status, archived.map(|v| v.status)),
                artisans: names("artisans", |v| &v.artisans),
                products: names("products", |v| &v.products),
                products_en: names("products@en", |v| &v.products_en),
                activity: row.kept("activity", activity, archived.map(|v| v.activity)),
                recognised: row.kept(
                    "recognised",
                    recognised,
                    archived.map(|v| v.recognised.clone()),
                ),
                status_date: row.kept(
                    "status_date",
                    status_date,
                    archived.map(|v| v.status_date.clone()),
                ),
                commune_2025: text("commune_2025", |v| &v.commune_2025),
                province_2025: text("province_2025", |v| &v.province_2025),
                id,
                name,
            }),
            (Some(id), _, _) => {
                parsed.refused.entry(id).or_insert(row.line);
            }
            _ => {}
        }
    }
    parsed
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
    use crate::model::Craft;

    /// Authorities holding the craft `trong`, with `nghe-bi-tu-choi` refused at row 4.
    fn known() -> Authorities {
        let mut known = Authorities::default();
        let craft = Craft {
            schema: SCHEMA_VERSION,
            id: CraftId::parse("trong").unwrap(),
            name: "Trống".into(),
            name_en: None,
        };
        known.crafts.insert(craft.id.clone(), craft);
        known
            .refused_crafts
            .insert(CraftId::parse("nghe-bi-tu-choi").unwrap(), Some(4));
        known
    }

    #[test]
    fn villages_are_parsed_and_checked() {
        let text = "id,name,name@en,commune,district,province,latitude,longitude,crafts,status,artisans,products,products@en\n\
            doi-tam,Đọi Tam,Doi Tam,Đọi Sơn,Duy Tiên,Hà Nam,20.6,105.9,trong,developing,\"Nguyễn Văn A; Trần Thị B, thợ cả\",trống; tang trống,drums\n\
            bad,Bad,,,,,95,10,trong xyz,dying,,,\n";
        let parsed = parse_villages("metadata/villages.csv", text, &known());
        let (villages, problems) = (parsed.items, parsed.problems);
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
                "error: metadata/villages.csv, row 3, column crafts: unknown craft 'xyz': it is neither in the archive nor in the batch's metadata/crafts.csv",
            ]
        );
        assert_eq!(
            parsed
                .refused
                .keys()
                .map(VillageId::as_str)
                .collect::<Vec<_>>(),
            ["bad"]
        );
    }

    /// Two rows giving one id (compared NFC and trimmed) are both refused, each error naming the
    /// other row; a third row elsewhere goes in. A craft whose row was refused says so.
    #[test]
    fn a_repeated_id_refuses_every_row_giving_it() {
        let text = "id,name,crafts\n\
            lang-a,Làng A,trong\n\
            lang-b,Làng B,\n\
            \" lang-a \",Làng A (lần hai),\n\
            lang-c,Làng C,nghe-bi-tu-choi\n\
            lang-a,Làng A (lần ba),\n";
        let parsed = parse_villages("metadata/villages.csv", text, &known());
        let kept: Vec<&str> = parsed.items.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(kept, ["lang-b"]);
        let refused: Vec<(&str, Option<usize>)> = parsed
            .refused
            .iter()
            .map(|(id, row)| (id.as_str(), *row))
            .collect();
        assert_eq!(refused, [("lang-a", Some(2)), ("lang-c", Some(5))]);
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/villages.csv, row 2, column id: 'lang-a' is described again at rows 4, 6: give each id one row; none of its rows is ingested until then",
                "error: metadata/villages.csv, row 4, column id: 'lang-a' is already described at row 2: give each id one row; none of its rows is ingested until then",
                "error: metadata/villages.csv, row 5, column crafts: craft 'nghe-bi-tu-choi' is not in the archive and its row (metadata/crafts.csv, row 4) was refused: correct that row, then ingest the batch again",
                "error: metadata/villages.csv, row 6, column id: 'lang-a' is already described at row 2: give each id one row; none of its rows is ingested until then",
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
