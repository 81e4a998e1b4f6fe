//! `metadata/products.csv`: `id,name,name@en,village,craft,producer,ocop_group,ocop_stars,
//! ocop_score,ocop_certificate,ocop_issued,ocop_expires,ocop_level`, and optionally `access`
//! (default `public`).
//!
//! The OCOP columns follow Decision 148/QĐ-TTg of 24/02/2023 ([`crate::model::product`]): 1 to 5
//! stars; a score out of 100 that earns exactly those stars ([`ocop_stars_for_score`]); a level
//! that recognises them ([`OcopLevel::stars`]); issue and expiry days written `YYYY-MM-DD`, the
//! expiry not before the issue.

use std::collections::BTreeMap;

use super::{Columns, Parsed, Row, once, repeated, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::ingest::report::Problem;
use crate::model::edtf::CalendarDate;
use crate::model::product::{OCOP_STAR_FLOORS, ocop_stars_for_score};
use crate::model::{Access, Ocop, OcopGroup, OcopLevel, Product, ProductId, SCHEMA_VERSION};

/// The columns of this file.
const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &[
        "name@en",
        "village",
        "craft",
        "producer",
        "ocop_group",
        "ocop_stars",
        "ocop_score",
        "ocop_certificate",
        "ocop_issued",
        "ocop_expires",
        "ocop_level",
        "access",
    ],
};

/// The OCOP columns: when any is filled, the product has a rating and `ocop_stars` is needed.
const OCOP_COLUMNS: [&str; 7] = [
    "ocop_group",
    "ocop_stars",
    "ocop_score",
    "ocop_certificate",
    "ocop_issued",
    "ocop_expires",
    "ocop_level",
];

/// Parses `products.csv`. `known` gives the villages and crafts a row may name (by id or name)
/// and the communities `access` may name.
pub fn parse_products(file: &str, text: &str, known: &Authorities) -> Parsed<Product, ProductId> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let (rows, broken) = rows_and_broken(file, text, &COLUMNS, &mut parsed.problems);
    let repeated = repeated(&rows, &broken, |id| ProductId::parse(id).ok());
    for row in &broken {
        if let Some(id) = row.optional("id").and_then(|id| ProductId::parse(id).ok()) {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    for row in rows {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            ProductId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
        let name = row.required("name", &mut errors).map(str::to_string);
        let village = row.optional("village").and_then(|text| {
            known
                .village(text)
                .map_err(|message| errors.push(row.error("village", message)))
                .ok()
        });
        let craft = row.optional("craft").and_then(|text| {
            known
                .craft(text)
                .map_err(|message| errors.push(row.error("craft", message)))
                .ok()
        });
        let ocop = ocop(&row, &mut errors);
        let access = row.access(&known.communities, &mut errors);
        parsed.problems.extend(errors.iter().cloned());
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => parsed.items.push(Product {
                schema: SCHEMA_VERSION,
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
                village,
                craft,
                producer: row.optional("producer").map(str::to_string),
                ocop,
                access: access.unwrap_or(Access::Public),
            }),
            (Some(id), _, _) => {
                parsed.refused.entry(id).or_insert(row.line);
            }
            _ => {}
        }
    }
    parsed
}

/// The row's OCOP rating; `None` when no OCOP column is filled (or when one is wrong, with the
/// errors pushed).
fn ocop(row: &Row, errors: &mut Vec<Problem>) -> Option<Ocop> {
    if OCOP_COLUMNS
        .iter()
        .all(|column| row.optional(column).is_none())
    {
        return None;
    }
    let before = errors.len();
    let group = row.keyword::<OcopGroup>("ocop_group", errors);
    let stars = match row.optional("ocop_stars") {
        None => {
            errors.push(row.error(
                "ocop_stars",
                "this column must not be empty when the row gives an OCOP rating: write its stars, 1 to 5",
            ));
            None
        }
        Some(text) => match text.parse::<u8>() {
            Ok(stars @ 1..=5) => Some(stars),
            Ok(_) => {
                errors.push(row.error(
                    "ocop_stars",
                    format!("'{text}' stars do not exist: an OCOP rating has 1 to 5 stars"),
                ));
                None
            }
            Err(_) => {
                errors.push(row.error(
                    "ocop_stars",
                    format!("'{text}' is not a number of stars: write 1, 2, 3, 4 or 5"),
                ));
                None
            }
        },
    };
    let score = row.optional("ocop_score").and_then(|text| {
        match text.parse::<u8>().ok().filter(|score| *score <= 100) {
            Some(score) => Some(score),
            None => {
                errors.push(row.error(
                    "ocop_score",
                    format!("'{text}' is not an OCOP score: write the points out of 100, a whole number from 0 to 100"),
                ));
                None
            }
        }
    });
    if let (Some(score), Some(stars)) = (score, stars)
        && let Some(earned) = ocop_stars_for_score(score)
        && earned != stars
    {
        errors.push(row.error(
            "ocop_score",
            format!(
                "a score of {score} earns {earned} stars, not {stars} (Decision 148/QĐ-TTg: {} stars from {} points, {} from {}, {} from {}): correct the stars or the score",
                3, OCOP_STAR_FLOORS[2], 4, OCOP_STAR_FLOORS[3], 5, OCOP_STAR_FLOORS[4]
            ),
        ));
    }
    let level = row.keyword::<OcopLevel>("ocop_level", errors);
    if let (Some(level), Some(stars)) = (level, stars)
        && level.stars() != stars
    {
        errors.push(row.error(
            "ocop_level",
            format!(
                "a rating recognised by the {level} level has {} stars, not {stars} (Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5)",
                level.stars()
            ),
        ));
    }
    let mut day = |column: &str| {
        let text = row.optional(column)?;
        CalendarDate::parse_day(text)
            .map_err(|message| errors.push(row.error(column, message)))
            .ok()
    };
    let issued = day("ocop_issued");
    let expires = day("ocop_expires");
    if let (Some(issued), Some(expires)) = (issued, expires)
        && expires < issued
    {
        errors.push(row.error(
            "ocop_expires",
            format!("the certificate expires on {expires}, before it was issued on {issued}"),
        ));
    }
    (errors.len() == before).then(|| Ocop {
        group,
        stars: stars.unwrap_or_default(),
        score,
        certificate: row.optional("ocop_certificate").map(str::to_string),
        issued,
        expires,
        level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_checked_against_decision_148() {
        let text = "id,name,ocop_group,ocop_stars,ocop_score,ocop_issued,ocop_expires,ocop_level,access\n\
            a,Sản phẩm thử A,handicrafts,4,72,2023-02-28,,province,\n\
            b,Sản phẩm thử B,,0,,,,,\n\
            c,Sản phẩm thử C,,6,,,,,\n\
            d,Sản phẩm thử D,,bốn,,,,,\n\
            e,Sản phẩm thử E,,4,65,,,,\n\
            f,Sản phẩm thử F,,3,,,,province,\n\
            g,Sản phẩm thử G,,3,,2024-01-10,2023-01-10,,\n\
            h,Sản phẩm thử H,toys,3,101,28/02/2023,,,restricted\n\
            i,Sản phẩm thử I,,,,,,,restricted\n";
        let parsed = parse_products("metadata/products.csv", text, &Authorities::default());
        let kept: Vec<&str> = parsed.items.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(kept, ["a", "i"]);
        assert_eq!(parsed.items[0].ocop.as_ref().unwrap().stars, 4);
        assert_eq!(parsed.items[1].ocop, None);
        assert_eq!(parsed.items[1].access, Access::Restricted);
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/products.csv, row 3, column ocop_stars: '0' stars do not exist: an OCOP rating has 1 to 5 stars",
                "error: metadata/products.csv, row 4, column ocop_stars: '6' stars do not exist: an OCOP rating has 1 to 5 stars",
                "error: metadata/products.csv, row 5, column ocop_stars: 'bốn' is not a number of stars: write 1, 2, 3, 4 or 5",
                "error: metadata/products.csv, row 6, column ocop_score: a score of 65 earns 3 stars, not 4 (Decision 148/QĐ-TTg: 3 stars from 50 points, 4 from 70, 5 from 90): correct the stars or the score",
                "error: metadata/products.csv, row 7, column ocop_level: a rating recognised by the province level has 4 stars, not 3 (Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5)",
                "error: metadata/products.csv, row 8, column ocop_expires: the certificate expires on 2023-01-10, before it was issued on 2024-01-10",
                "error: metadata/products.csv, row 9, column ocop_group: 'toys' is not an OCOP product group; use one of: food, drinks, herbal, handicrafts, ornamental, tourism",
                "error: metadata/products.csv, row 9, column ocop_score: '101' is not an OCOP score: write the points out of 100, a whole number from 0 to 100",
                "error: metadata/products.csv, row 9, column ocop_issued: '28/02/2023' is not a day written YYYY-MM-DD",
            ]
        );
    }
}
