//! `metadata/products.csv`: `id,name,name@en,village,craft,producer,ocop_group,ocop_stars,
//! ocop_score,ocop_certificate,ocop_issued,ocop_expires,ocop_level`, and optionally `access`
//! (default `public`).
//!
//! The OCOP columns follow Decision 148/QĐ-TTg of 24/02/2023 ([`crate::model::product`]): 1 to 5
//! stars; a score out of 100 that earns exactly those stars ([`ocop_stars_for_score`]); a level
//! that recognises them ([`OcopLevel::stars`]); issue and expiry days written `YYYY-MM-DD`, the
//! expiry not before the issue, the issue not after today. A certificate valid longer than
//! [`OCOP_VALID_MONTHS`], or given to a 1★ or 2★ rating, is a warning. A product already
//! archived keeps its access, and each field whose column the file lacks, when the file does not
//! state them.

use super::{Columns, Parsed, Row, once};
use crate::ingest::metadata::Authorities;
use crate::ingest::report::Problem;
use crate::model::edtf::CalendarDate;
use crate::model::product::{OCOP_STAR_FLOORS, OCOP_VALID_MONTHS, ocop_stars_for_score};
use crate::model::{Access, Ocop, OcopGroup, OcopLevel, Product, ProductId, SCHEMA_VERSION};

/// The columns of this file.
pub(super) const COLUMNS: Columns = Columns {
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

/// Parses `products.csv`. `known` gives the villages and crafts a row may name (by id or name),
/// the communities `access` may name, and in `known.products` the archive's products.
///
/// A product the archive holds keeps every field whose column the file does not have (each OCOP
/// column on its own; [`Row::kept`]; an empty cell in a column the file has clears the field)
/// and keeps its archived access when the row gives none ([`Row::kept_access`]); a new one is
/// `public` unless the row says otherwise.
pub fn parse_products(file: &str, text: &str, known: &Authorities) -> Parsed<Product, ProductId> {
    let today = super::today();
    let (mut parsed, rows, repeated) =
        super::start_by_id(file, text, &COLUMNS, |id| ProductId::parse(id).ok());
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
        // The archive's product of this id: `known.products` holds the archive's until the
        // batch's accepted rows join it, after this file is read.
        let archived = id.as_ref().and_then(|id| known.products.get(id));
        let village = row.resolved_one("village", |text| known.village(text), &mut errors);
        let village = row.kept("village", village, archived.map(|p| p.village.clone()));
        let craft = row.resolved_one("craft", |text| known.craft(text), &mut errors);
        let craft = row.kept("craft", craft, archived.map(|p| p.craft.clone()));
        let mut warnings = Vec::new();
        let ocop = ocop(
            &row,
            archived.and_then(|p| p.ocop.as_ref()),
            today,
            &mut errors,
            &mut warnings,
        );
        let stated = row.access(&known.communities, &mut errors);
        let name_en = row.kept(
            "name@en",
            row.optional("name@en").map(str::to_string),
            archived.map(|p| p.name_en.clone()),
        );
        let producer = row.kept(
            "producer",
            row.optional("producer").map(str::to_string),
            archived.map(|p| p.producer.clone()),
        );
        parsed.problems.extend(errors.iter().cloned());
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => {
                parsed.problems.extend(warnings);
                let access = row.kept_access(
                    ("product", &id),
                    stated,
                    archived.map(|p| &p.access),
                    || Access::Public,
                    &mut parsed.problems,
                );
                parsed.items.push(Product {
                    schema: SCHEMA_VERSION,
                    id,
                    name,
                    name_en,
                    village,
                    craft,
                    producer,
                    ocop,
                    access,
                })
            }
            (Some(id), _, _) => {
                parsed.refused.entry(id).or_insert(row.line);
            }
            _ => {}
        }
    }
    parsed
}

/// One OCOP column's value: what the row says when the file has `column` (`fresh`), otherwise
/// the archived rating's (`archived`), as [`Row::kept`].
fn kept_part<T>(
    row: &Row,
    column: &str,
    fresh: Option<T>,
    archived: Option<&Ocop>,
    part: impl FnOnce(&Ocop) -> Option<T>,
) -> Option<T> {
    row.kept(column, fresh, archived.map(part))
}

/// The row's OCOP rating, with the `archived` one's value for each OCOP column the file does not
/// have ([`kept_part`]); `None` when no part is left (or when one is wrong, with the errors
/// pushed). Checked against Decision 148/QĐ-TTg: errors for stars outside 1–5, a score that
/// does not earn the stars, a level that does not recognise them, an expiry before the issue,
/// an issue after `today`; warnings (in `warnings`) for a certificate valid longer than
/// [`OCOP_VALID_MONTHS`] and for a certificate given to a 1★ or 2★ rating (certificates are for
/// 3–5★).
fn ocop(
    row: &Row,
    archived: Option<&Ocop>,
    today: CalendarDate,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<Ocop> {
    if !OCOP_COLUMNS.iter().any(|column| row.has(column)) {
        return archived.cloned();
    }
    let before = errors.len();
    let group = row.keyword::<OcopGroup>("ocop_group", errors);
    let group = kept_part(row, "ocop_group", group, archived, |o| o.group);
    let stars = row
        .optional("ocop_stars")
        .and_then(|text| match text.parse::<u8>() {
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
        });
    let stars = kept_part(row, "ocop_stars", stars, archived, |o| Some(o.stars));
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
    let score = kept_part(row, "ocop_score", score, archived, |o| o.score);
    let level = row.keyword::<OcopLevel>("ocop_level", errors);
    let level = kept_part(row, "ocop_level", level, archived, |o| o.level);
    let mut day = |column: &str| {
        let text = row.optional(column)?;
        CalendarDate::parse_day(text)
            .map_err(|message| errors.push(row.error(column, message)))
            .ok()
    };
    let issued = day("ocop_issued");
    let expires = day("ocop_expires");
    if let Some(issued) = issued
        && issued > today
    {
        errors.push(row.error("ocop_issued", super::future(&issued.to_string(), today)));
    }
    let issued = kept_part(row, "ocop_issued", issued, archived, |o| o.issued);
    let expires = kept_part(row, "ocop_expires", expires, archived, |o| o.expires);
    let certificate = kept_part(
        row,
        "ocop_certificate",
        row.optional("ocop_certificate").map(str::to_string),
        archived,
        |o| o.certificate.clone(),
    );
    if errors.len() > before {
        return None;
    }
    if group.is_none()
        && stars.is_none()
        && score.is_none()
        && level.is_none()
        && issued.is_none()
        && expires.is_none()
        && certificate.is_none()
    {
        return None;
    }
    let Some(stars) = stars else {
        let message = if row.has("ocop_stars") {
            "this column must not be empty when the row gives an OCOP rating: write its stars, 1 to 5"
        } else {
            "the row gives an OCOP rating but no stars: add the column ocop_stars with its stars, 1 to 5"
        };
        errors.push(row.error("ocop_stars", message));
        return None;
    };
    if let Some(score) = score
        && let Some(earned) = ocop_stars_for_score(score)
        && earned != stars
    {
        errors.push(row.error(
            "ocop_score",
            format!(
                "a score of {score} earns {earned} star{}, not {stars} (Decision 148/QĐ-TTg: {} stars from {} points, {} from {}, {} from {}): correct the stars or the score",
                if earned == 1 { "" } else { "s" },
                3, OCOP_STAR_FLOORS[2], 4, OCOP_STAR_FLOORS[3], 5, OCOP_STAR_FLOORS[4]
            ),
        ));
    }
    if let Some(level) = level
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
    if let (Some(issued), Some(expires)) = (issued, expires) {
        if expires < issued {
            errors.push(row.error(
                "ocop_expires",
                format!("the certificate expires on {expires}, before it was issued on {issued}"),
            ));
        } else if expires > issued.plus_months(OCOP_VALID_MONTHS) {
            warnings.push(
                Problem::warning(
                    row.file.clone(),
                    format!(
                        "the certificate runs from {issued} to {expires}, longer than the {OCOP_VALID_MONTHS} months an OCOP certificate is valid (Decision 148/QĐ-TTg; from {issued} it ends on {}): check the dates",
                        issued.plus_months(OCOP_VALID_MONTHS)
                    ),
                )
                .at_row(row.line)
                .in_column("ocop_expires"),
            );
        }
    }
    if stars < 3 {
        let given = [
            ("ocop_certificate", certificate.is_some()),
            ("ocop_issued", issued.is_some()),
            ("ocop_expires", expires.is_some()),
        ];
        if let Some((column, _)) = given.iter().find(|(_, given)| *given) {
            warnings.push(
                Problem::warning(
                    row.file.clone(),
                    format!(
                        "a {stars}-star rating has no OCOP certificate (Decision 148/QĐ-TTg certifies products of 3 to 5 stars): check the stars, or leave ocop_certificate, ocop_issued and ocop_expires empty"
                    ),
                )
                .at_row(row.line)
                .in_column(*column),
            );
        }
    }
    (errors.len() == before).then_some(Ocop {
        group,
        stars,
        score,
        certificate,
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
