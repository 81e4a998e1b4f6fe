//! `metadata/villages.csv`: a craft village's names, address as documented and after the reform
//! of 1 July 2025, position, crafts, Decree 52/2018 class (with the date it was set),
//! activity and recognition.

use std::collections::BTreeMap;

use super::{Columns, Parsed, list, once, repeated, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::ingest::report::Problem;
use crate::model::Message;
use crate::model::edtf::Edtf;
use crate::model::{
    Activity, CraftId, Recognition, RiskStatus, SCHEMA_VERSION, Village, VillageId,
};
use crate::msg;

/// The columns of this file.
pub(super) const COLUMNS: Columns = Columns {
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
/// `status_date` (when the Decree 52 class was set) is EDTF. `latitude` and `longitude` are
/// decimal degrees within Vietnam, written with a point, both or neither ([`coordinate`],
/// [`half_position`]).
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
                .map_err(|e| errors.push(row.error("id", e.message())))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
        let name = row.required("name", &mut errors).map(str::to_string);
        let before = errors.len();
        let latitude = coordinate(&row, LATITUDE, &mut errors);
        let longitude = coordinate(&row, LONGITUDE, &mut errors);
        let position_read = errors.len() == before;
        let status = row.optional("status").and_then(|text| {
            text.parse::<RiskStatus>()
                .map_err(|e| errors.push(row.error("status", e.message())))
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
                Err(error) => errors.push(row.error("crafts", error.message())),
            }
        }
        let archived = id.as_ref().and_then(|id| known.villages.get(id));
        let position = (
            row.kept("latitude", latitude, archived.map(|v| v.latitude)),
            row.kept("longitude", longitude, archived.map(|v| v.longitude)),
        );
        if position_read {
            half_position(&row, position, &mut errors);
        }
        if let Some(recognised) = &recognised {
            row.not_future("recognised", recognised.date.as_ref(), today, &mut errors);
        }
        row.not_future("status_date", status_date.as_ref(), today, &mut errors);
        parsed.problems.extend(errors.iter().cloned());
        // `archived`, the archive's village of this id: `known.villages` holds the archive's
        // until the batch's accepted rows join it, after this file is read.
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
        let status_date = match archived {
            // A new class without its date, from a file that has no `status_date` column: the
            // archived date was the old class's, so it is cleared (unknown), never carried over
            // to the new class (break14 finding 5).
            Some(old)
                if errors.is_empty()
                    && row.has("status")
                    && !row.has("status_date")
                    && status != old.status
                    && old.status_date.is_some() =>
            {
                let said = |class: Option<RiskStatus>| {
                    class.map_or_else(
                        || msg!("ingest-no-class", "no class"),
                        |class| Message::english(class.to_string()),
                    )
                };
                parsed.problems.push(
                    Problem::warning(
                        file,
                        msg!(
                            "ingest-village-class-changes",
                            "the Decree 52/2018 class of '{id}' changes from {from} to {to}, and the file has no status_date column: the date {date} was the old class's, so the new class's date is left unknown; add a status_date column to give it",
                            id = old.id.to_string(),
                            from = said(old.status),
                            to = said(status),
                            date = old.status_date.as_ref().map(Edtf::as_str).unwrap_or_default()
                        ),
                    )
                    .at_row(row.line)
                    .in_column("status"),
                );
                None
            }
            _ => row.kept(
                "status_date",
                status_date,
                archived.map(|v| v.status_date.clone()),
            ),
        };
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => parsed.items.push(Village {
                schema: SCHEMA_VERSION,
                name_en: text("name@en", |v| &v.name_en),
                commune: text("commune", |v| &v.commune),
                district: text("district", |v| &v.district),
                province: text("province", |v| &v.province),
                latitude: position.0,
                longitude: position.1,
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
                status_date,
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

/// One axis of a village's position: its column, the other axis's column, and the extent of
/// Vietnam along it in decimal degrees (WGS 84), south to north or west to east.
struct Axis {
    column: &'static str,
    other: &'static str,
    extent: (f64, f64),
    /// The other axis's extent (to tell a position written the wrong way round).
    other_extent: (f64, f64),
    /// How the extent is said in a message (`north`, `east`).
    unit: &'static str,
}

/// Latitudes of Vietnam ([`crate::model::VIETNAM_LATITUDES`]): 6.5°N to 23.5°N. The mainland runs from Đất Mũi, Cà Mau (8°34′N) to
/// the northernmost point at Lũng Cú (23°22′59″N, the marker at Séo Lủng); the islands reach
/// south to the Trường Sa archipelago, whose extent as Vietnam describes it (Trường Sa district,
/// Khánh Hòa) begins at 6°50′N (An Bang, the southernmost feature Vietnam holds, is at 7°52′N).
/// Sources: the extreme points of Vietnam (Vietnamese Wikipedia "Điểm cực của Việt Nam";
/// vietnamnet.vn, "Four furthermost points of Vietnam"), rounded out to the next half degree.
const LATITUDE: Axis = Axis {
    column: "latitude",
    other: "longitude",
    extent: crate::model::VIETNAM_LATITUDES,
    other_extent: crate::model::VIETNAM_LONGITUDES,
    unit: "north",
};

/// Longitudes of Vietnam ([`crate::model::VIETNAM_LONGITUDES`]): 102.0°E to 117.5°E. The westernmost point is A Pa Chải, Điện Biên
/// (102°08′E, the Vietnam–Laos–China tripoint), the easternmost on the mainland Mũi Đôi, Khánh
/// Hòa (109°28′E); the Hoàng Sa archipelago lies within 111°11′–112°53′E (Tri Tôn to Gò Nổi) and
/// the Trường Sa archipelago, as Vietnam describes it, reaches 117°20′E. Sources as for
/// [`LATITUDE`]; the Hoàng Sa figures from Hoàng Sa district's extreme features (biendong.net,
/// "Vị trí địa lý và điều kiện tự nhiên quần đảo Hoàng Sa").
const LONGITUDE: Axis = Axis {
    column: "longitude",
    other: "latitude",
    extent: crate::model::VIETNAM_LONGITUDES,
    other_extent: crate::model::VIETNAM_LATITUDES,
    unit: "east",
};

/// The cell of `axis.column` read as decimal degrees within Vietnam ([`LATITUDE`],
/// [`LONGITUDE`]); `None` when empty, or when not such a number (an error at the cell). A
/// decimal comma (`20,5`, as Excel writes a number under a Vietnamese locale) is refused with
/// the number written with a point; a number outside Vietnam (`0`, which a blank position often
/// becomes, once made the whole province map unreadable) is refused naming the extent.
fn coordinate(
    row: &super::Row,
    axis: Axis,
    errors: &mut Vec<crate::ingest::report::Problem>,
) -> Option<f64> {
    let Axis {
        column,
        extent: (low, high),
        unit,
        ..
    } = axis;
    let text = row.optional(column)?;
    let message = match text.parse::<f64>() {
        Ok(value) if (low..=high).contains(&value) => return Some(value),
        Ok(value) if value.is_finite() => {
            let (other_low, other_high) = axis.other_extent;
            let other_fits = row
                .optional(axis.other)
                .and_then(|other| other.parse::<f64>().ok())
                .is_some_and(|other| (low..=high).contains(&other));
            let swapped = if other_fits && (other_low..=other_high).contains(&value) {
                msg!(
                    "ingest-coordinates-swapped",
                    "; it would be a {other} in Vietnam: are latitude and longitude swapped?",
                    other = axis_word(axis.other)
                )
            } else {
                msg!("ingest-nothing", "")
            };
            msg!(
                "ingest-coordinate-outside-vietnam",
                "{text} is outside Vietnam, whose {column}s run from {low} to {high} (degrees {unit}): check the position{swapped}",
                text = text,
                column = axis_word(column),
                low = low.to_string(),
                high = high.to_string(),
                unit = if unit == "north" {
                    msg!("ingest-north", "north")
                } else {
                    msg!("ingest-east", "east")
                },
                swapped = swapped
            )
        }
        _ => match text.replacen(',', ".", 1).parse::<f64>() {
            Ok(value) if value.is_finite() && !text.contains('.') => msg!(
                "ingest-coordinate-decimal-comma",
                "'{text}' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write {value} with a point; a {column} is in decimal degrees, {low} to {high} in Vietnam",
                text = text,
                value = value.to_string(),
                column = axis_word(column),
                low = low.to_string(),
                high = high.to_string()
            ),
            _ => msg!(
                "ingest-coordinate-not-number",
                "'{text}' is not a {column} in decimal degrees: write a number such as {example} ({low} to {high} in Vietnam)",
                text = text,
                example = if column == "latitude" {
                    "20.5"
                } else {
                    "105.9"
                },
                column = axis_word(column),
                low = low.to_string(),
                high = high.to_string()
            ),
        },
    };
    errors.push(row.error(column, message));
    None
}

/// An error when a village's position, as it will be stored (`position`: latitude and
/// longitude, each as the row gives it or, for a column the file lacks, as archived), has one
/// half without the other: a village with a latitude alone is never drawn on the map. The error
/// is at the empty column when the file has it, otherwise at the one the row fills. A row that
/// touches neither column changes nothing and is not judged.
fn half_position(
    row: &super::Row,
    position: (Option<f64>, Option<f64>),
    errors: &mut Vec<crate::ingest::report::Problem>,
) {
    let (given, missing) = match position {
        (Some(_), None) => (LATITUDE, LONGITUDE),
        (None, Some(_)) => (LONGITUDE, LATITUDE),
        _ => return,
    };
    if !row.has(given.column) && !row.has(missing.column) {
        return;
    }
    let at = if row.has(missing.column) {
        missing.column
    } else {
        given.column
    };
    errors.push(row.error(
        at,
        msg!(
            "ingest-half-position",
            "a {given} without a {missing}: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the {missing} or leave both empty",
            given = axis_word(given.column),
            missing = axis_word(missing.column)
        ),
    ));
}

/// `latitude` or `longitude` as a word either language can say.
fn axis_word(column: &str) -> Message {
    if column == "latitude" {
        msg!("ingest-latitude", "latitude")
    } else {
        msg!("ingest-longitude", "longitude")
    }
}

/// What a `recognised` cell takes, said by every error about one.
fn recognition_form() -> Message {
    msg!(
        "ingest-recognition-form",
        "write the decision that recognised the village, ';', then its EDTF date (1234/QĐ-UBND; 2006-05-12), or either alone"
    )
}

/// Reads a `recognised` cell: the decision's number and its EDTF date separated by `;`
/// (`1234/QĐ-UBND; 2006-05-12`), or either part alone (`1234/QĐ-UBND`, `2006-05-12`, `2006`).
/// A single part that reads as EDTF is the date, any other the decision.
///
/// A decision is named by its number and the body that issued it (`1234/QĐ-UBND`: a decision,
/// `QĐ`, of a people's committee, `UBND`), so a decision holds a letter: a part without one is
/// a date written in a form EDTF does not read (`12/05/2006`), or a second date (`2006; 2007`
/// was stored as the decision "2006" dated 2007; break-14 finding 9).
///
/// # Errors
/// A decision part holding no letter (two dates, or a date not in EDTF), a second part that is
/// not EDTF, or more than two parts, as a message for the cell that says what the cell takes.
pub fn parse_recognition(text: &str) -> Result<Recognition, Message> {
    let parts: Vec<&str> = text.split(';').map(str::trim).collect();
    let decision = |part: &str| -> Result<Option<String>, Message> {
        if part.is_empty() {
            return Ok(None);
        }
        if part.chars().any(char::is_alphabetic) {
            return Ok(Some(part.to_string()));
        }
        Err(match (Edtf::parse(part), parts.len()) {
            (Ok(_), 2) => msg!(
                "ingest-recognition-two-dates",
                "'{text}' gives two dates, and a village is recognised once: {form}",
                text = text,
                form = recognition_form()
            ),
            (Ok(_), _) => msg!(
                "ingest-recognition-unreadable",
                "'{text}' cannot be read: {form}",
                text = text,
                form = recognition_form()
            ),
            (Err(e), _) => msg!(
                "ingest-recognition-neither",
                "'{part}' is neither a decision (its number and issuer, like 1234/QĐ-UBND) nor an EDTF date ({error}): {form}",
                part = part,
                error = super::edtf_error(&e),
                form = recognition_form()
            ),
        })
    };
    match parts.as_slice() {
        [one] => Ok(match Edtf::parse(one) {
            Ok(date) => Recognition {
                decision: None,
                date: Some(date),
            },
            Err(_) => Recognition {
                decision: decision(one)?,
                date: None,
            },
        }),
        [number, date] => {
            let decision = decision(number)?;
            let date = if date.is_empty() {
                None
            } else {
                Some(Edtf::parse(date).map_err(|e| {
                    msg!(
                        "ingest-recognition-date-not-edtf",
                        "the date after ';' is not EDTF: {error} (write the decision, ';', then its date: 1234/QĐ-UBND; 2006-05-12)",
                        error = super::edtf_error(&e)
                    )
                })?)
            };
            Ok(Recognition { decision, date })
        }
        _ => Err(msg!(
            "ingest-recognition-too-many-parts",
            "'{text}' holds more than a decision and a date: write the decision, ';', then its date (1234/QĐ-UBND; 2006-05-12), or either alone",
            text = text
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
                "error: metadata/villages.csv, row 3, column latitude: 95 is outside Vietnam, whose latitudes run from 6.5 to 23.5 (degrees north): check the position",
                "error: metadata/villages.csv, row 3, column longitude: 10 is outside Vietnam, whose longitudes run from 102 to 117.5 (degrees east): check the position",
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

    /// Break-14 finding 6: half a position, a position outside Vietnam (`0,0` made the whole
    /// map unreadable) and a decimal comma are refused, each at its cell; an archived village
    /// keeps the half a file does not mention.
    #[test]
    fn a_position_is_whole_within_vietnam_and_written_with_a_point() {
        let text = "id,name,latitude,longitude\n\
            ok,Ok,20.621,105.987\n\
            nua,Nửa,20.5,\n\
            nua-kia,Nửa kia,,105.9\n\
            khong,Không,0,0\n\
            dao,Đảo,105.9,20.6\n\
            phay,Phẩy,\"20,5\",\"105,9\"\n\
            chu,Chữ,hai mươi,105.9\n\
            truong-sa,Trường Sa,8.6447,111.92\n";
        let parsed = parse_villages("metadata/villages.csv", text, &known());
        let kept: Vec<(&str, Option<f64>, Option<f64>)> = parsed
            .items
            .iter()
            .map(|v| (v.id.as_str(), v.latitude, v.longitude))
            .collect();
        assert_eq!(
            kept,
            [
                ("ok", Some(20.621), Some(105.987)),
                ("truong-sa", Some(8.6447), Some(111.92))
            ]
        );
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/villages.csv, row 3, column longitude: a latitude without a longitude: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the longitude or leave both empty",
                "error: metadata/villages.csv, row 4, column latitude: a longitude without a latitude: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the latitude or leave both empty",
                "error: metadata/villages.csv, row 5, column latitude: 0 is outside Vietnam, whose latitudes run from 6.5 to 23.5 (degrees north): check the position",
                "error: metadata/villages.csv, row 5, column longitude: 0 is outside Vietnam, whose longitudes run from 102 to 117.5 (degrees east): check the position",
                "error: metadata/villages.csv, row 6, column latitude: 105.9 is outside Vietnam, whose latitudes run from 6.5 to 23.5 (degrees north): check the position; it would be a longitude in Vietnam: are latitude and longitude swapped?",
                "error: metadata/villages.csv, row 6, column longitude: 20.6 is outside Vietnam, whose longitudes run from 102 to 117.5 (degrees east): check the position; it would be a latitude in Vietnam: are latitude and longitude swapped?",
                "error: metadata/villages.csv, row 7, column latitude: '20,5' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write 20.5 with a point; a latitude is in decimal degrees, 6.5 to 23.5 in Vietnam",
                "error: metadata/villages.csv, row 7, column longitude: '105,9' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write 105.9 with a point; a longitude is in decimal degrees, 102 to 117.5 in Vietnam",
                "error: metadata/villages.csv, row 8, column latitude: 'hai mươi' is not a latitude in decimal degrees: write a number such as 20.5 (6.5 to 23.5 in Vietnam)",
            ]
        );

        // A file with a latitude column alone changes that half of an archived village's
        // position; a new village so described is refused at the column the file has.
        let mut known = known();
        let archived = parse_villages(
            "metadata/villages.csv",
            "id,name,latitude,longitude\nok,Ok,20.6,105.9\n",
            &known,
        );
        for village in archived.items {
            known.villages.insert(village.id.clone(), village);
        }
        let parsed = parse_villages(
            "metadata/villages.csv",
            "id,name,latitude\nok,Ok,20.7\nmoi,Mới,20.7\n",
            &known,
        );
        let kept: Vec<(&str, Option<f64>, Option<f64>)> = parsed
            .items
            .iter()
            .map(|v| (v.id.as_str(), v.latitude, v.longitude))
            .collect();
        assert_eq!(kept, [("ok", Some(20.7), Some(105.9))]);
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/villages.csv, row 3, column latitude: a latitude without a longitude: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the longitude or leave both empty"
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
        // Break-14 finding 9: two dates, or a date EDTF does not read, are no decision.
        assert_eq!(
            parse_recognition("2006; 2007").unwrap_err().english,
            "'2006; 2007' gives two dates, and a village is recognised once: write the decision that recognised the village, ';', then its EDTF date (1234/QĐ-UBND; 2006-05-12), or either alone"
        );
        assert_eq!(
            parse_recognition("12/05/2006").unwrap_err().english,
            "'12/05/2006' is neither a decision (its number and issuer, like 1234/QĐ-UBND) nor an EDTF date (\"12/05/2006\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X): write the decision that recognised the village, ';', then its EDTF date (1234/QĐ-UBND; 2006-05-12), or either alone"
        );
        assert_eq!(
            parse_recognition("Quyết định 52; 2006")
                .unwrap()
                .decision
                .as_deref(),
            Some("Quyết định 52")
        );
    }

    /// Break14 finding 5: a new class from a file without `status_date` clears the old class's
    /// date with a warning naming the row; the same class, or a file with the column, keeps or
    /// sets the date as written.
    #[test]
    fn a_class_change_without_its_date_leaves_the_date_unknown() {
        let mut known = known();
        let mut old = Village::new(VillageId::parse("lang-a").unwrap(), "Làng A");
        old.status = Some(RiskStatus::Developing);
        old.status_date = Edtf::parse("2021").ok();
        known.villages.insert(old.id.clone(), old);
        let parsed = parse_villages(
            "metadata/villages.csv",
            "id,name,status\nlang-a,Làng A,at-risk-revivable\n",
            &known,
        );
        assert_eq!(parsed.items[0].status, Some(RiskStatus::AtRiskRevivable));
        assert_eq!(parsed.items[0].status_date, None);
        assert_eq!(
            parsed
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "warning: metadata/villages.csv, row 2, column status: the Decree 52/2018 class of 'lang-a' changes from developing to at-risk-revivable, and the file has no status_date column: the date 2021 was the old class's, so the new class's date is left unknown; add a status_date column to give it"
            ]
        );
        for text in [
            "id,name,status\nlang-a,Làng A,developing\n",
            "id,name\nlang-a,Làng A\n",
        ] {
            let parsed = parse_villages("metadata/villages.csv", text, &known);
            assert_eq!(
                parsed.items[0].status_date.as_ref().map(Edtf::as_str),
                Some("2021")
            );
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        }
        let parsed = parse_villages(
            "metadata/villages.csv",
            "id,name,status,status_date\nlang-a,Làng A,at-risk-revivable,2026\n",
            &known,
        );
        assert_eq!(
            parsed.items[0].status_date.as_ref().map(Edtf::as_str),
            Some("2026")
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    }
}
