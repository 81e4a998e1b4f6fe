//! `metadata/honours.csv`: `artisan,title,scheme,awarded_by,decision,date`, one row per award.
//!
//! The `scheme` is one of [`HonourScheme`]'s words. The four State schemes (Decrees 93/2023,
//! 62/2014, 43/2024, 123/2014) award only *Nghệ nhân Nhân dân* and *Nghệ nhân Ưu tú*: such a
//! title is matched in any Unicode form, case and spacing, and kept in its canonical spelling;
//! any other title under a State scheme is an error. A date after today (in Vietnam) is an
//! error; an award under a State scheme dated before that decree ([`scheme_start`]), and the
//! same title twice for one artisan under one scheme, are warnings.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::{Columns, Parsed, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::ingest::report::Problem;
use crate::model::edtf::CalendarDate;
use crate::model::text::nfc;
use crate::model::{ArtisanId, Honour, HonourScheme};

/// The columns of this file.
pub(super) const COLUMNS: Columns = Columns {
    required: &["artisan", "title", "scheme"],
    optional: &["awarded_by", "decision", "date"],
};

/// The two State titles, as the decrees spell them.
pub const STATE_TITLES: [&str; 2] = ["Nghệ nhân Nhân dân", "Nghệ nhân Ưu tú"];

/// One accepted row of `honours.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HonourRow {
    /// The artisan honoured.
    pub artisan: ArtisanId,
    /// The award.
    pub honour: Honour,
    /// The row, as the spreadsheet shows it.
    pub row: Option<usize>,
}

/// The canonical spelling of a State title written in any Unicode form, case or spacing.
pub fn state_title(text: &str) -> Option<&'static str> {
    let wanted = title_key(text);
    STATE_TITLES
        .into_iter()
        .find(|title| title_key(title) == wanted)
}

/// A title as compared with another: NFC, lowercase, single spaces.
fn title_key(text: &str) -> String {
    nfc(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first day an award under a State scheme can bear, with what happened that day; `None` for
/// the other schemes. Decrees 93/2023/NĐ-CP and 43/2024/NĐ-CP: the day they took effect
/// (15/02/2024 and 06/06/2024, `../shared/REFERENCE.md` §4). Decrees 62/2014/NĐ-CP and
/// 123/2014/NĐ-CP: the day they were issued (25/06/2014 and 25/12/2014, as their headings
/// read), since the day each took effect was not confirmed from two sources; an award cannot
/// predate the decree it was made under either way.
pub fn scheme_start(scheme: HonourScheme) -> Option<(CalendarDate, &'static str)> {
    let day = |year, month, day| CalendarDate::new(year, month, day).expect("a real day");
    match scheme {
        HonourScheme::Decree93_2023 => Some((day(2024, 2, 15), "Decree 93/2023/NĐ-CP took effect")),
        HonourScheme::Decree43_2024 => Some((day(2024, 6, 6), "Decree 43/2024/NĐ-CP took effect")),
        HonourScheme::Decree62_2014 => Some((day(2014, 6, 25), "Decree 62/2014/NĐ-CP was issued")),
        HonourScheme::Decree123_2014 => {
            Some((day(2014, 12, 25), "Decree 123/2014/NĐ-CP was issued"))
        }
        HonourScheme::Association | HonourScheme::Provincial | HonourScheme::Other => None,
    }
}

/// Parses `honours.csv`. `known` gives the artisans a row may name (the archive's and the
/// batch's accepted `artisans.csv` rows, by id or name) and those whose row was refused.
/// [`Parsed::refused`] lists the artisans with at least one refused row (the first such row).
pub fn parse_honours(file: &str, text: &str, known: &Authorities) -> Parsed<HonourRow, ArtisanId> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let today = super::today();
    // Each artisan's titles by scheme, with the row first giving it.
    let mut awarded: BTreeMap<(ArtisanId, HonourScheme, String), Option<usize>> = BTreeMap::new();
    let (rows, broken) = rows_and_broken(file, text, &COLUMNS, &mut parsed.problems);
    // An honours row that cannot be read still keeps its artisan's archived honours.
    for row in &broken {
        if let Some(id) = row
            .optional("artisan")
            .and_then(|text| known.artisan(text).ok())
        {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    for row in rows {
        let mut errors = Vec::new();
        let artisan = row.required("artisan", &mut errors).and_then(|text| {
            known
                .artisan(text)
                .map_err(|message| errors.push(row.error("artisan", message)))
                .ok()
        });
        let title = row.required("title", &mut errors);
        let scheme = match row.required("scheme", &mut errors) {
            Some(_) => row.keyword::<HonourScheme>("scheme", &mut errors),
            None => None,
        };
        let title = match (title, scheme) {
            (Some(title), Some(scheme)) => match state_title(title) {
                Some(canonical) => Some(canonical.to_string()),
                None if scheme.is_state() => {
                    errors.push(row.error(
                        "title",
                        format!(
                            "'{title}' is not a State title: the scheme {scheme} awards only {} or {}; write one of them, or choose a scheme for other titles (association, provincial, other)",
                            STATE_TITLES[0], STATE_TITLES[1]
                        ),
                    ));
                    None
                }
                None => Some(title.to_string()),
            },
            _ => None,
        };
        let date = row.edtf("date", &mut errors);
        row.not_future("date", date.as_ref(), today, &mut errors);
        parsed.problems.extend(errors.iter().cloned());
        if errors.is_empty()
            && let (Some(artisan), Some(title), Some(scheme)) = (&artisan, &title, scheme)
        {
            if let (Some(date), Some((day, event))) = (&date, scheme_start(scheme))
                && date.latest().is_some_and(|latest| latest < day)
            {
                parsed.problems.push(
                    Problem::warning(
                        file,
                        format!(
                            "the award is dated {}, before {event} ({day}): an honour under {scheme} cannot be older; check the date or the scheme",
                            date.as_str()
                        ),
                    )
                    .at_row(row.line)
                    .in_column("date"),
                );
            }
            match awarded.entry((artisan.clone(), scheme, title_key(title))) {
                Entry::Occupied(first) => parsed.problems.push(
                    Problem::warning(
                        file,
                        format!(
                            "'{artisan}' holds '{title}' under {scheme} already{}: is this row a copy? A title is awarded once under a scheme",
                            first.get().map(|n| format!(" (row {n})")).unwrap_or_default()
                        ),
                    )
                    .at_row(row.line)
                    .in_column("title"),
                ),
                Entry::Vacant(slot) => {
                    slot.insert(row.line);
                }
            }
        }
        match (artisan, title, scheme, errors.is_empty()) {
            (Some(artisan), Some(title), Some(scheme), true) => parsed.items.push(HonourRow {
                artisan,
                honour: Honour {
                    title,
                    scheme,
                    awarded_by: row.optional("awarded_by").map(str::to_string),
                    decision: row.optional("decision").map(str::to_string),
                    date,
                },
                row: row.line,
            }),
            (artisan, ..) => {
                // The artisan the row meant, even when the row was refused for another cell.
                let meant = artisan.or_else(|| {
                    row.optional("artisan")
                        .and_then(|text| ArtisanId::parse(text).ok())
                });
                if let Some(id) = meant {
                    parsed.refused.entry(id).or_insert(row.line);
                }
            }
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_titles_match_in_any_form_and_keep_their_spelling() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "nghệ  nhân ưu tú".nfd().collect();
        assert_eq!(state_title(&nfd), Some("Nghệ nhân Ưu tú"));
        assert_eq!(
            state_title("NGHỆ NHÂN NHÂN DÂN"),
            Some("Nghệ nhân Nhân dân")
        );
        assert_eq!(state_title("Nghệ nhân làng nghề Việt Nam"), None);
    }
}
