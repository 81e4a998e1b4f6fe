//! `metadata/honours.csv`: `artisan,title,scheme,awarded_by,decision,date`, one row per award.
//!
//! The `scheme` is one of [`HonourScheme`]'s words. The four State schemes (Decrees 93/2023,
//! 62/2014, 43/2024, 123/2014) award only *Nghệ nhân Nhân dân* and *Nghệ nhân Ưu tú*: such a
//! title is matched in any Unicode form, case and spacing, and kept in its canonical spelling;
//! any other title under a State scheme is an error.

use std::collections::BTreeMap;

use super::{Columns, Parsed, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::model::text::nfc;
use crate::model::{ArtisanId, Honour, HonourScheme};

/// The columns of this file.
const COLUMNS: Columns = Columns {
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
    let key = |s: &str| {
        nfc(s)
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let wanted = key(text);
    STATE_TITLES.into_iter().find(|title| key(title) == wanted)
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
        parsed.problems.extend(errors.iter().cloned());
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
