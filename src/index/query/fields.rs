//! The fields a visitor may type (`village:`, `làng:`, `xã:` …): their names in English and
//! Vietnamese, folded, the list the notices give, and reading a field's value into an atom.

use super::values::{DateRead, Stars, date_range, stars_range};
use super::{Atom, FieldProblem, Scope};
use crate::model::text::fold;
use crate::model::{Kind, RiskStatus};

/// Field names visitors may type, folded, and what they mean.
pub(super) const FIELDS: &[(&str, &str)] = &[
    ("village", "village"),
    ("lang", "village"),
    ("craft", "craft"),
    ("nghe", "craft"),
    ("district", "district"),
    ("huyen", "district"),
    ("kind", "kind"),
    ("loai", "kind"),
    ("date", "date"),
    ("year", "date"),
    ("nam", "date"),
    ("title", "title"),
    ("danh-hieu", "title"),
    ("danhhieu", "title"),
    ("status", "status"),
    ("artisan", "artisan"),
    ("nghe-nhan", "artisan"),
    ("nghenhan", "artisan"),
    ("product", "product"),
    ("san-pham", "product"),
    ("sanpham", "product"),
    ("stars", "stars"),
    ("sao", "stars"),
    ("province", "province"),
    ("tinh", "province"),
    ("commune", "commune"),
    ("xa", "commune"),
];

/// The field a typed name means, if any.
pub(super) fn field_named(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    FIELDS
        .iter()
        .find(|(typed, _)| *typed == folded)
        .map(|(_, field)| *field)
}

/// The field names visitors may type, in English, for notices: `village, craft, …`.
pub fn field_names() -> String {
    let mut names: Vec<&str> = FIELDS
        .iter()
        .filter(|(typed, field)| typed == field)
        .map(|(typed, _)| *typed)
        .collect();
    names.dedup();
    names.join(", ")
}

/// The atom of a `field:value` pair, or why the value means nothing.
pub(super) fn field_atom(field: &'static str, value: &str) -> Result<Atom, FieldProblem> {
    if value.is_empty() {
        return Err(FieldProblem::NoValue { field });
    }
    match field {
        "village" => Ok(Atom::Village(value.to_string())),
        "craft" => Ok(Atom::Craft(value.to_string())),
        "district" => Ok(Atom::District(value.to_string())),
        "title" => Ok(Atom::Text {
            text: value.to_string(),
            phrase: true,
            scope: Scope::Title,
            english: false,
        }),
        "kind" => value
            .parse::<Kind>()
            .map(Atom::Kind)
            .map_err(|_| FieldProblem::UnknownKind {
                value: value.to_string(),
            }),
        "status" => {
            value
                .parse::<RiskStatus>()
                .map(Atom::Status)
                .map_err(|_| FieldProblem::UnknownStatus {
                    value: value.to_string(),
                })
        }
        "date" => match date_range(value) {
            Some(DateRead::Range(atom)) => Ok(atom),
            Some(DateRead::Empty) => Err(FieldProblem::EmptyRange {
                value: value.to_string(),
            }),
            None => Err(FieldProblem::BadDate {
                value: value.to_string(),
            }),
        },
        "artisan" => Ok(Atom::Artisan(value.to_string())),
        "product" => Ok(Atom::Product(value.to_string())),
        "province" => Ok(Atom::Province(value.to_string())),
        "commune" => Ok(Atom::Commune(value.to_string())),
        "stars" => match stars_range(value) {
            Some(Stars::Within(from, to)) => Ok(Atom::Stars { from, to }),
            Some(Stars::NoRating) => Ok(Atom::Stars { from: 0, to: 0 }),
            None => Err(FieldProblem::BadStars {
                value: value.to_string(),
            }),
        },
        _ => unreachable!("FIELDS maps only to the fields handled here"),
    }
}
