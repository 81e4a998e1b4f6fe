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
use crate::model::{
    Access, Message, Ocop, OcopGroup, OcopLevel, Product, ProductId, SCHEMA_VERSION,
};
use crate::msg;

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
                .map_err(|e| errors.push(row.error("id", e.message())))
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
/// does not earn the stars, a level that does not recognise them, an expiry without an issue
/// day, an expiry before the issue, an issue after `today`; warnings (in `warnings`) for a
/// certificate valid longer than [`OCOP_VALID_MONTHS`] and for a certificate given to a 1★ or
/// 2★ rating (certificates are for 3–5★).
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
        .and_then(|text| match whole_number(text) {
            Some(stars @ 1..=5) => Some(stars),
            Some(_) => {
                errors.push(row.error(
                    "ocop_stars",
                    msg!(
                        "ingest-ocop-stars-range",
                        "'{text}' stars do not exist: an OCOP rating has 1 to 5 stars",
                        text = text
                    ),
                ));
                None
            }
            None => {
                errors.push(row.error(
                    "ocop_stars",
                    msg!(
                        "ingest-ocop-stars-not-number",
                        "'{text}' is not a number of stars: write 1, 2, 3, 4 or 5",
                        text = text
                    ),
                ));
                None
            }
        });
    let stars = kept_part(row, "ocop_stars", stars, archived, |o| Some(o.stars));
    let score = row.optional("ocop_score").and_then(|text| {
        match whole_number(text).filter(|score| *score <= 100) {
            Some(score) => Some(score),
            None => {
                errors.push(row.error(
                    "ocop_score",
                    msg!(
                        "ingest-ocop-score",
                        "'{text}' is not an OCOP score: write the points out of 100, a whole number from 0 to 100",
                        text = text
                    ),
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
        if row.has("ocop_stars") {
            errors.push(row.error(
                "ocop_stars",
                msg!(
                    "ingest-ocop-stars-empty",
                    "this column must not be empty when the row gives an OCOP rating: write its stars, 1 to 5"
                ),
            ));
        } else {
            // At the first OCOP column the row fills: the file has no ocop_stars to point at.
            let filled: Vec<&str> = OCOP_COLUMNS
                .into_iter()
                .filter(|column| row.optional(column).is_some())
                .collect();
            errors.push(row.error_at(
                &filled,
                msg!(
                    "ingest-ocop-no-stars-column",
                    "the row gives an OCOP rating but no stars: add the column ocop_stars with its stars, 1 to 5"
                ),
            ));
        }
        return None;
    };
    // Checks across two columns: either may hold the archive's value when the file lacks it
    // (`Row::kept`); each problem is at a column the file has, and its message says which
    // value is archived and which column would give a new one (`contradiction`).
    if let Some(score) = score
        && let Some(earned) = ocop_stars_for_score(score)
        && earned != stars
    {
        let earned_stars = if earned == 1 {
            msg!("ingest-one-star", "{count} star", count = earned)
        } else {
            msg!("ingest-stars", "{count} stars", count = earned)
        };
        let rule = msg!(
            "ingest-ocop-score-rule",
            "Decision 148/QĐ-TTg: 3 stars from {three} points, 4 from {four}, 5 from {five}",
            three = OCOP_STAR_FLOORS[2],
            four = OCOP_STAR_FLOORS[3],
            five = OCOP_STAR_FLOORS[4]
        );
        errors.push(contradiction(
            row,
            ("ocop_score", "score"),
            ("ocop_stars", "stars"),
            msg!(
                "ingest-ocop-score-stars",
                "a score of {score} earns {earned}, not {stars} ({rule}): correct the stars or the score",
                score = score,
                earned = earned_stars,
                stars = stars,
                rule = rule
            ),
            msg!(
                "ingest-ocop-stars-archived-score",
                "{stars} stars contradict the archived score of {score}, which earns {earned} ({rule})",
                stars = stars,
                score = score,
                earned = earned_stars,
                rule = rule
            ),
            msg!(
                "ingest-ocop-score-archived-stars",
                "a score of {score} earns {earned}, not the archived {stars} ({rule})",
                score = score,
                earned = earned_stars,
                stars = stars,
                rule = rule
            ),
        ));
    }
    if let Some(level) = level
        && level.stars() != stars
    {
        let rule = msg!(
            "ingest-ocop-level-rule",
            "Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5"
        );
        let recognised = level.stars();
        let level = level.to_string();
        errors.push(contradiction(
            row,
            ("ocop_level", "level"),
            ("ocop_stars", "stars"),
            msg!(
                "ingest-ocop-level-stars",
                "a rating recognised by the {level} level has {recognised} stars, not {stars} ({rule})",
                level = level,
                recognised = recognised,
                stars = stars,
                rule = rule
            ),
            msg!(
                "ingest-ocop-stars-archived-level",
                "{stars} stars contradict the archived {level} level, which recognises {recognised} stars ({rule})",
                stars = stars,
                level = level,
                recognised = recognised,
                rule = rule
            ),
            msg!(
                "ingest-ocop-level-archived-stars",
                "a rating recognised by the {level} level has {recognised} stars, not the archived {stars} ({rule})",
                level = level,
                recognised = recognised,
                stars = stars,
                rule = rule
            ),
        ));
    }
    // Issue 15: an expiry without an issue day was taken. A certificate's validity runs from
    // its issue (Decision 148/QĐ-TTg: 36 months), so an expiry alone cannot be checked, nor
    // shown as a certificate's term: refused at the expiry the row gives, or, when the expiry
    // is the archive's and the row empties the issue day, at that issue day.
    if let (Some(expires), None) = (expires, issued) {
        let message = if row.optional("ocop_expires").is_some() {
            format!(
                "the certificate expires on {expires} but has no issue day: write the day it was issued in an ocop_issued column (a certificate is valid {OCOP_VALID_MONTHS} months from its issue), or leave the expiry empty"
            )
        } else {
            format!(
                "the row leaves ocop_issued empty, but the archived certificate expires on {expires}: write the day it was issued, or empty ocop_expires too"
            )
        };
        let at = if row.optional("ocop_expires").is_some() {
            ["ocop_expires", "ocop_issued"]
        } else {
            ["ocop_issued", "ocop_expires"]
        };
        errors.push(row.error_at(&at, message));
        return None;
    }
    if let (Some(issued), Some(expires)) = (issued, expires) {
        if expires < issued {
            let (issued, expires) = (issued.to_string(), expires.to_string());
            errors.push(contradiction(
                row,
                ("ocop_expires", "expiry"),
                ("ocop_issued", "issue day"),
                msg!(
                    "ingest-ocop-expires-before-issued",
                    "the certificate expires on {expires}, before it was issued on {issued}",
                    expires = expires,
                    issued = issued
                ),
                msg!(
                    "ingest-ocop-issued-after-archived-expiry",
                    "the certificate was issued on {issued}, after the archived expiry, {expires}",
                    issued = issued,
                    expires = expires
                ),
                msg!(
                    "ingest-ocop-expires-before-archived-issue",
                    "the certificate expires on {expires}, before the archived issue day, {issued}",
                    expires = expires,
                    issued = issued
                ),
            ));
        } else if expires > issued.plus_months(OCOP_VALID_MONTHS) {
            let archived: Vec<&str> = [("ocop_issued", "issue day"), ("ocop_expires", "expiry")]
                .into_iter()
                .filter(|(column, _)| !row.has(column))
                .map(|(_, what)| what)
                .collect();
            let note = match archived.as_slice() {
                [] => msg!("ingest-nothing", ""),
                [one] => msg!(
                    "ingest-ocop-as-archived",
                    " (the {what} as archived)",
                    what = ocop_word(one)
                ),
                _ => msg!(
                    "ingest-ocop-both-as-archived",
                    " (the issue day and expiry as archived)"
                ),
            };
            warnings.push(row.warning(
                &["ocop_expires", "ocop_issued"],
                msg!(
                    "ingest-ocop-certificate-too-long",
                    "the certificate runs from {issued} to {expires}{note}, longer than the {months} months an OCOP certificate is valid (Decision 148/QĐ-TTg; from {issued} it ends on {ends}): check the dates",
                    issued = issued.to_string(),
                    expires = expires.to_string(),
                    note = note,
                    months = OCOP_VALID_MONTHS,
                    ends = issued.plus_months(OCOP_VALID_MONTHS).to_string()
                ),
            ));
        }
    }
    if stars < 3 {
        // The certificate's columns that hold a value, as the row gives them or as archived.
        let given: Vec<&str> = [
            ("ocop_certificate", certificate.is_some()),
            ("ocop_issued", issued.is_some()),
            ("ocop_expires", expires.is_some()),
        ]
        .into_iter()
        .filter_map(|(column, given)| given.then_some(column))
        .collect();
        if !given.is_empty() {
            let rule = msg!(
                "ingest-ocop-certificate-rule",
                "Decision 148/QĐ-TTg certifies products of 3 to 5 stars"
            );
            let message = if given.iter().all(|column| row.has(column)) {
                // The certificate's columns this file has, each of which may be emptied.
                let had: Vec<&str> = ["ocop_certificate", "ocop_issued", "ocop_expires"]
                    .into_iter()
                    .filter(|column| row.has(column))
                    .collect();
                let listed = match had.split_last() {
                    Some((last, [])) => Message::english(last.to_string()),
                    Some((last, others)) => msg!(
                        "ingest-list-and",
                        "{others} and {last}",
                        others = others.join(", "),
                        last = *last
                    ),
                    None => Message::english(""),
                };
                msg!(
                    "ingest-ocop-low-stars-certificate",
                    "a {stars}-star rating has no OCOP certificate ({rule}): check the stars, or leave {listed} empty",
                    stars = stars,
                    rule = rule,
                    listed = listed
                )
            } else {
                msg!(
                    "ingest-ocop-low-stars-archived-certificate",
                    "a {stars}-star rating has no OCOP certificate ({rule}), but the archive holds certificate data for this product ({columns}): check the stars, or clear that data with those columns left empty",
                    stars = stars,
                    rule = rule,
                    columns = given.join(", ")
                )
            };
            let mut at = given.clone();
            at.push("ocop_stars");
            at.extend(OCOP_COLUMNS);
            warnings.push(row.warning(&at, message));
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

/// The error of two columns that contradict each other, `(column, what)` each: at `first`
/// when the file has it, else at `second`. `both` is the message when the row gives both;
/// `first_archived` when the file lacks `first` (its value is the archive's, the error at
/// `second`), `second_archived` when it lacks `second`; either of these then says which column
/// would give a new value. The archive's values agree with each other, so the row gives one
/// at least.
fn contradiction(
    row: &Row,
    first: (&str, &str),
    second: (&str, &str),
    both: Message,
    first_archived: Message,
    second_archived: Message,
) -> Problem {
    let ((first, first_what), (second, second_what)) = (first, second);
    match (row.has(first), row.has(second)) {
        (true, true) => row.error(first, both),
        (false, _) => row.error_at(
            &[second],
            msg!(
                "ingest-ocop-contradiction-archived",
                "{archived}: correct the {what}, or give the new {other} in an {column} column",
                archived = first_archived,
                what = ocop_word(second_what),
                other = ocop_word(first_what),
                column = first
            ),
        ),
        (true, false) => row.error(
            first,
            msg!(
                "ingest-ocop-contradiction-archived",
                "{archived}: correct the {what}, or give the new {other} in an {column} column",
                archived = second_archived,
                what = ocop_word(first_what),
                other = ocop_word(second_what),
                column = second
            ),
        ),
    }
}

/// What an OCOP column holds (`score`, `stars`, `level`, `expiry`, `issue day`), as a word
/// either language can say.
fn ocop_word(what: &str) -> Message {
    match what {
        "score" => msg!("ingest-ocop-word-score", "score"),
        "stars" => msg!("ingest-ocop-word-stars", "stars"),
        "level" => msg!("ingest-ocop-word-level", "level"),
        "expiry" => msg!("ingest-ocop-word-expiry", "expiry"),
        "issue day" => msg!("ingest-ocop-word-issue-day", "issue day"),
        other => Message::english(other),
    }
}

/// A whole number written in digits alone, ASCII or full-width (`4`, `４`, read as NFKC), up to
/// 255; `None` for a sign (`+4`, `-4`), a fraction or a word. Rust's `u8` parse took `+4` while
/// `４` was refused (break14 finding 7); stars and scores are now read one way.
fn whole_number(text: &str) -> Option<u8> {
    let read = crate::model::text::search_form(text.trim());
    if read.is_empty() || !read.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    read.parse().ok()
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

    /// The archive's product `sp-an`: 4 stars, 75 points, recognised by the province, certified
    /// from 2024-01-01 to 2026-12-31.
    fn archived() -> Authorities {
        let mut known = Authorities::default();
        let day = |text: &str| CalendarDate::parse_day(text).unwrap();
        let product = Product {
            schema: SCHEMA_VERSION,
            id: ProductId::parse("sp-an").unwrap(),
            name: "Sản phẩm thử".into(),
            name_en: None,
            village: None,
            craft: None,
            producer: None,
            ocop: Some(Ocop {
                group: Some(OcopGroup::Handicrafts),
                stars: 4,
                score: Some(75),
                certificate: Some("CERT-1".into()),
                issued: Some(day("2024-01-01")),
                expires: Some(day("2026-12-31")),
                level: Some(OcopLevel::Province),
            }),
            access: Access::Public,
        };
        known.products.insert(product.id.clone(), product);
        known
    }

    /// fix14 point 1: a partial update (a file with some OCOP columns) is checked against the
    /// archived values of the others, and every problem is at a column the file has, its message
    /// naming the archived value as archived and the column that would give a new one. Before,
    /// `3 stars` over an archived score of 75 was an error "at column ocop_score" of a file
    /// without that column.
    #[test]
    fn a_partial_update_is_reported_at_the_columns_the_file_has() {
        let known = archived();
        let messages = |text: &str| -> Vec<String> {
            let parsed = parse_products("metadata/products.csv", text, &known);
            parsed.problems.iter().map(ToString::to_string).collect()
        };
        let rule = "Decision 148/QĐ-TTg: 3 stars from 50 points, 4 from 70, 5 from 90";
        assert_eq!(
            messages("id,name,ocop_stars\nsp-an,Sản phẩm thử,3\n"),
            [
                format!("error: metadata/products.csv, row 2, column ocop_stars: 3 stars contradict the archived score of 75, which earns 4 stars ({rule}): correct the stars, or give the new score in an ocop_score column"),
                "error: metadata/products.csv, row 2, column ocop_stars: 3 stars contradict the archived province level, which recognises 4 stars (Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5): correct the stars, or give the new level in an ocop_level column".to_string(),
            ]
        );
        assert_eq!(
            messages("id,name,ocop_score\nsp-an,Sản phẩm thử,60\n"),
            [format!(
                "error: metadata/products.csv, row 2, column ocop_score: a score of 60 earns 3 stars, not the archived 4 ({rule}): correct the score, or give the new stars in an ocop_stars column"
            )]
        );
        assert_eq!(
            messages("id,name,ocop_expires\nsp-an,Sản phẩm thử,2023-06-01\n"),
            [
                "error: metadata/products.csv, row 2, column ocop_expires: the certificate expires on 2023-06-01, before the archived issue day, 2024-01-01: correct the expiry, or give the new issue day in an ocop_issued column"
            ]
        );
        assert_eq!(
            messages("id,name,ocop_issued\nsp-an,Sản phẩm thử,2021-01-01\n"),
            [
                "warning: metadata/products.csv, row 2, column ocop_issued: the certificate runs from 2021-01-01 to 2026-12-31 (the expiry as archived), longer than the 36 months an OCOP certificate is valid (Decision 148/QĐ-TTg; from 2021-01-01 it ends on 2024-01-01): check the dates"
            ]
        );
        assert_eq!(
            messages("id,name,ocop_stars,ocop_score,ocop_level\nsp-an,Sản phẩm thử,2,40,\n"),
            [
                "warning: metadata/products.csv, row 2, column ocop_stars: a 2-star rating has no OCOP certificate (Decision 148/QĐ-TTg certifies products of 3 to 5 stars), but the archive holds certificate data for this product (ocop_certificate, ocop_issued, ocop_expires): check the stars, or clear that data with those columns left empty"
            ]
        );
        // Every combination of OCOP columns, each holding a value that contradicts the others
        // or the archive: no problem is ever at a column the file does not have.
        let values = [
            ("ocop_group", "handicrafts"),
            ("ocop_stars", "2"),
            ("ocop_score", "95"),
            ("ocop_certificate", "C-9"),
            ("ocop_issued", "2025-06-01"),
            ("ocop_expires", "2020-01-01"),
            ("ocop_level", "national"),
        ];
        for mask in 1..(1u32 << values.len()) {
            let chosen: Vec<(&str, &str)> = values
                .iter()
                .enumerate()
                .filter(|(n, _)| mask & (1 << n) != 0)
                .map(|(_, pair)| *pair)
                .collect();
            let header: Vec<&str> = chosen.iter().map(|(column, _)| *column).collect();
            let cells: Vec<&str> = chosen.iter().map(|(_, value)| *value).collect();
            let text = format!(
                "id,name,{}\nsp-an,Sản phẩm thử,{}\n",
                header.join(","),
                cells.join(",")
            );
            let parsed = parse_products("metadata/products.csv", &text, &known);
            for problem in &parsed.problems {
                let column = problem.column.as_deref().unwrap_or("id");
                assert!(
                    column == "id" || column == "name" || header.contains(&column),
                    "{header:?}: {problem}"
                );
            }
        }
    }

    /// Break14 finding 7: stars and scores are digits alone, ASCII or full-width; a sign is not.
    #[test]
    fn stars_and_scores_are_digits_in_any_width_without_a_sign() {
        assert_eq!(whole_number("４"), Some(4));
        assert_eq!(whole_number(" 72 "), Some(72));
        for text in ["+4", "-4", "4.0", "", "bốn", "256"] {
            assert_eq!(whole_number(text), None, "{text}");
        }
        let text = "id,name,ocop_stars,ocop_score\na,A,４,７２\nb,B,+4,\nc,C,4,+72\n";
        let parsed = parse_products("metadata/products.csv", text, &Authorities::default());
        assert_eq!(parsed.items.len(), 1, "{:?}", parsed.problems);
        assert_eq!(parsed.items[0].ocop.as_ref().unwrap().stars, 4);
        assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
    }

    /// Break14 finding 2: an access level in a column that is not `access` (one nobody reads as
    /// a rule, full-width or with a Cyrillic letter, or `producer` after a cell left out) while
    /// the row does not restrict refuses the row, as the metadata sheet refuses it.
    #[test]
    fn an_access_level_outside_the_access_column_refuses_the_row() {
        let known = Authorities::default();
        for (header, row) in [
            (
                "id,name,ocop_stars,ａｃｃｅｓｓ",
                "pe-2,Sản phẩm,3,restricted",
            ),
            (
                "id,name,ocop_stars,\u{430}ccess",
                "pe-3,Sản phẩm,3,restricted",
            ),
            (
                "id,name,ocop_stars,ghi chú",
                "pe-4,Sản phẩm,3,ＲＥＳＴＲＩＣＴＥＤ",
            ),
            (
                "id,name,name@en,producer,access",
                "pk-1,Trống kín,,restricted,",
            ),
            (
                "id,name,name@en,producer,access",
                "pk-2,Trống kín,,hạn chế,public",
            ),
        ] {
            let text = format!("{header}\n{row}\n");
            let parsed = parse_products("metadata/products.csv", &text, &known);
            assert!(parsed.items.is_empty(), "{row}: {:?}", parsed.items);
            let id = row.split(',').next().unwrap();
            assert_eq!(
                parsed
                    .refused
                    .keys()
                    .map(|id| id.as_str())
                    .collect::<Vec<_>>(),
                [id]
            );
            let errors: Vec<String> = parsed
                .problems
                .iter()
                .filter(|p| p.severity == crate::ingest::report::Severity::Error)
                .map(ToString::to_string)
                .collect();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert!(
                errors[0].starts_with("error: metadata/products.csv, row 2, column "),
                "{errors:?}"
            );
            assert!(
                errors[0].contains("an access level, but access"),
                "{errors:?}"
            );
        }
        // The same word where it restricts, or as part of a longer text, is no stray rule.
        let text = "id,name,producer,access\na,A,HTX restricted tools,restricted\nb,B,Public,\n";
        let parsed = parse_products("metadata/products.csv", text, &known);
        assert_eq!(parsed.items.len(), 2, "{:?}", parsed.problems);
    }
}
