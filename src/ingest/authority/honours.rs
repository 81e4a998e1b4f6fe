//! `metadata/honours.csv`: `artisan,title,scheme,awarded_by,decision,date`, one row per award.
//!
//! The `scheme` is one of [`HonourScheme`]'s words. The four State schemes (Decrees 93/2023,
//! 62/2014, 43/2024, 123/2014) award only *Nghệ nhân Nhân dân* and *Nghệ nhân Ưu tú*: such a
//! title is matched in any Unicode form, case and spacing, and kept in its canonical spelling;
//! any other title under a State scheme is an error. A date after today (in Vietnam) is an
//! error; an award under a State scheme dated before that decree ([`scheme_start`]) is a
//! warning. The same title twice for one artisan under one scheme is one award: stored once, as
//! its first row gives it, with a warning naming both rows.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::{Columns, Parsed, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::ingest::report::Problem;
use crate::model::edtf::CalendarDate;
use crate::model::text::nfc;
use crate::model::{ArtisanId, Honour, HonourScheme, Message};
use crate::msg;

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

/// What happened on the day a scheme began ([`scheme_start`]'s words), as words either language
/// can say.
fn event_words(scheme: HonourScheme, english: &str) -> Message {
    match scheme {
        HonourScheme::Decree93_2023 => {
            msg!(
                "ingest-decree-93-effect",
                "Decree 93/2023/NĐ-CP took effect"
            )
        }
        HonourScheme::Decree43_2024 => {
            msg!(
                "ingest-decree-43-effect",
                "Decree 43/2024/NĐ-CP took effect"
            )
        }
        HonourScheme::Decree62_2014 => {
            msg!("ingest-decree-62-issued", "Decree 62/2014/NĐ-CP was issued")
        }
        HonourScheme::Decree123_2014 => {
            msg!(
                "ingest-decree-123-issued",
                "Decree 123/2014/NĐ-CP was issued"
            )
        }
        _ => Message::english(english),
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
    // Each artisan's titles by scheme, with the row first giving it and what it gives.
    let mut awarded: BTreeMap<(ArtisanId, HonourScheme, String), (Option<usize>, Honour)> =
        BTreeMap::new();
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
                // Only the State President awards the State titles, under the four decrees
                // (`../shared/REFERENCE.md` §4): an association or a province awards its own
                // titles, never these (break14 finding 6), and counting one with the State's
                // would overstate the artisan.
                Some(canonical) if !scheme.is_state() => {
                    errors.push(row.error(
                        "scheme",
                        msg!(
                            "ingest-state-title-wrong-scheme",
                            "'{title}' is a State title, awarded only by the State President under decree-93-2023 or decree-62-2014 (intangible cultural heritage) or decree-43-2024 or decree-123-2014 (handicrafts), never under {scheme}: write the decree it was awarded under, or the title the {scheme} scheme gave",
                            title = canonical,
                            scheme = scheme.to_string()
                        ),
                    ));
                    None
                }
                Some(canonical) => Some(canonical.to_string()),
                None if scheme.is_state() => {
                    errors.push(row.error(
                        "title",
                        msg!(
                            "ingest-not-a-state-title",
                            "'{title}' is not a State title: the scheme {scheme} awards only {first} or {second}; write one of them, or choose a scheme for other titles (association, provincial, other)",
                            title = title,
                            scheme = scheme.to_string(),
                            first = STATE_TITLES[0],
                            second = STATE_TITLES[1]
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
        let honour = match (&artisan, &title, scheme, errors.is_empty()) {
            (Some(_), Some(title), Some(scheme), true) => Some(Honour {
                title: title.clone(),
                scheme,
                awarded_by: row.optional("awarded_by").map(str::to_string),
                decision: row.optional("decision").map(str::to_string),
                date: date.clone(),
            }),
            _ => None,
        };
        if let Some(Honour {
            date: Some(date),
            scheme,
            ..
        }) = &honour
            && let Some((day, event)) = scheme_start(*scheme)
            && date.latest().is_some_and(|latest| latest < day)
        {
            parsed.problems.push(
                Problem::warning(
                    file,
                    msg!(
                        "ingest-honour-before-scheme",
                        "the award is dated {date}, before {event} ({day}): an honour under {scheme} cannot be older; check the date or the scheme",
                        date = date.as_str(),
                        event = event_words(*scheme, event),
                        day = day.to_string(),
                        scheme = scheme.to_string()
                    ),
                )
                .at_row(row.line)
                .in_column("date"),
            );
        }
        if let (Some(artisan), Some(honour)) = (&artisan, &honour) {
            match awarded.entry((artisan.clone(), honour.scheme, title_key(&honour.title))) {
                // Issue 15: a repeated award is one award. The first row stands; the later
                // one is not stored, and the warning names both rows so the archivist can
                // delete the copy (or correct it when it meant another award).
                Entry::Occupied(first) => {
                    let (first_row, kept) = first.get();
                    parsed.problems.push(repeated_award(
                        file, artisan, honour, *first_row, kept, row.line,
                    ));
                    continue;
                }
                Entry::Vacant(slot) => {
                    slot.insert((row.line, honour.clone()));
                }
            }
        }
        match (artisan, honour) {
            (Some(artisan), Some(honour)) => parsed.items.push(HonourRow {
                artisan,
                honour,
                row: row.line,
            }),
            (artisan, _) => {
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

/// The warning for a row repeating an award an earlier row of the file gives (the same title,
/// in any case, spacing or Unicode form, for the same artisan under the same scheme): a title
/// is awarded once under a scheme, so the award is stored once, as the `first` row gives it
/// (`kept`), and `this` row is not stored (issue 15: it was stored twice). Names the file and
/// both rows as the spreadsheet numbers them, and the cells of `this` row that differ from the
/// kept ones, which are then lost unless the archivist moves them.
fn repeated_award(
    file: &str,
    artisan: &ArtisanId,
    honour: &Honour,
    first: Option<usize>,
    kept: &Honour,
    this: Option<usize>,
) -> Problem {
    let row = |line: Option<usize>| match line {
        Some(row) => msg!("ingest-row-number", "row {row}", row = row),
        None => msg!("ingest-a-row", "a row"),
    };
    let (first_row, this_row) = (row(first), row(this));
    let differing: Vec<&str> = [
        ("awarded_by", honour.awarded_by != kept.awarded_by),
        ("decision", honour.decision != kept.decision),
        (
            "date",
            honour.date.as_ref().map(|d| d.as_str()) != kept.date.as_ref().map(|d| d.as_str()),
        ),
    ]
    .into_iter()
    .filter_map(|(column, differs)| differs.then_some(column))
    .collect();
    // English says "is" or "are" by the number of columns, which the sentence does not print,
    // so the two numbers are two messages (as `ingest-row-number` and `ingest-rows-numbers`).
    let differ = match differing.split_last() {
        None => Message::english(""),
        Some((last, [])) => msg!(
            "ingest-honour-repeated-differs-one",
            "; {this_row} gives another {listed} than {first_row}, and only {first_row}'s is stored: check which is right",
            this_row = this_row,
            listed = *last,
            first_row = first_row
        ),
        Some((last, others)) => msg!(
            "ingest-honour-repeated-differs-many",
            "; {this_row} gives another {listed} than {first_row}, and only {first_row}'s are stored: check which are right",
            this_row = this_row,
            listed = msg!(
                "ingest-list-and",
                "{others} and {last}",
                others = others.join(", "),
                last = *last
            ),
            first_row = first_row
        ),
    };
    Problem::warning(
        file,
        msg!(
            "ingest-honour-repeated",
            "'{artisan}' holds '{title}' under {scheme} in {first_row} already: {first_row} and {this_row} are one award (a title is awarded once under a scheme), so it is stored once, as {first_row} gives it, and {this_row} is not stored{differ}; delete {this_row}, or correct its title or scheme if it is another award",
            artisan = artisan.to_string(),
            title = kept.title,
            scheme = kept.scheme.to_string(),
            first_row = first_row,
            this_row = this_row,
            differ = differ
        ),
    )
    .at_row(this)
    .in_column("title")
}

/// A warning for each honour `artisan` holds that `given` (its rows in `file`, the first at
/// row `first`) leaves out, naming the artisan, the title, the scheme and the decision. An
/// artisan named in `honours.csv` gets exactly the honours its rows give (README, "Updating an
/// authority": honours are a list per artisan), so a file written as "the new award only" would
/// otherwise drop the earlier ones without a word (break14 finding 4). An honour counts as kept
/// when `given` holds its title (compared in any case, spacing or Unicode form) under its scheme.
pub fn dropped_honours(
    file: &str,
    first: Option<usize>,
    artisan: &crate::model::Artisan,
    given: &[Honour],
) -> Vec<Problem> {
    artisan
        .honours
        .iter()
        .filter(|old| {
            !given.iter().any(|new| {
                new.scheme == old.scheme && title_key(&new.title) == title_key(&old.title)
            })
        })
        .map(|old| {
            let decision = match old.decision.as_deref() {
                Some(decision) => msg!(
                    "ingest-honour-decision",
                    ", decision {decision}",
                    decision = decision
                ),
                None => msg!("ingest-nothing", ""),
            };
            Problem::warning(
                file,
                msg!(
                    "ingest-honour-dropped",
                    "'{artisan}' held '{title}' ({scheme}{decision}), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it",
                    artisan = artisan.id.to_string(),
                    title = old.title,
                    scheme = old.scheme.to_string(),
                    decision = decision
                ),
            )
            .at_row(first)
            .in_column("artisan")
        })
        .collect()
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

    /// Break14 finding 4: an award the file leaves out of an artisan's rows is named in a
    /// warning; one it gives again (in another case) is not.
    #[test]
    fn honours_left_out_are_named() {
        let award = |title: &str, scheme, decision: Option<&str>| Honour {
            title: title.into(),
            scheme,
            awarded_by: None,
            decision: decision.map(str::to_string),
            date: None,
        };
        let mut artisan: crate::model::Artisan = serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "nn-mot", "name": "Bà Một", "access": "public"
        }))
        .unwrap();
        artisan.honours = vec![
            award(
                "Nghệ nhân Nhân dân",
                HonourScheme::Decree62_2014,
                Some("1/QĐ-CTN"),
            ),
            award(
                "Nghệ nhân làng nghề Việt Nam",
                HonourScheme::Association,
                None,
            ),
        ];
        let given = [award(
            "nghệ nhân làng nghề việt nam",
            HonourScheme::Association,
            None,
        )];
        let warnings: Vec<String> =
            dropped_honours("metadata/honours.csv", Some(3), &artisan, &given)
                .iter()
                .map(ToString::to_string)
                .collect();
        assert_eq!(
            warnings,
            [
                "warning: metadata/honours.csv, row 3, column artisan: 'nn-mot' held 'Nghệ nhân Nhân dân' (decree-62-2014, decision 1/QĐ-CTN), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it"
            ]
        );
        assert!(dropped_honours("f", None, &artisan, &artisan.honours).is_empty());
    }

    /// Issue 15: a repeated award is parsed into one item, the first row's, and the repeat is a
    /// warning naming both rows; the same title under another scheme is another award.
    #[test]
    fn a_repeated_award_is_one_item() {
        let mut known = Authorities::default();
        let artisan: crate::model::Artisan = serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "nn-sau", "name": "Bà Sáu", "access": "public"
        }))
        .unwrap();
        known.artisans.insert(artisan.id.clone(), artisan);
        let text = "artisan,title,scheme,decision
            nn-sau,Nghệ nhân thử,provincial,A
            nn-sau,Nghệ nhân thử,association,B
            nn-sau, nghệ nhân  THỬ ,provincial,A
";
        let parsed = parse_honours("metadata/honours.csv", text, &known);
        let rows: Vec<Option<usize>> = parsed.items.iter().map(|item| item.row).collect();
        assert_eq!(rows, [Some(2), Some(3)]);
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        let warning = parsed.problems[0].to_string();
        assert!(
            warning.starts_with("warning: metadata/honours.csv, row 4, column title: 'nn-sau' holds 'Nghệ nhân thử' under provincial in row 2 already: row 2 and row 4 are one award"),
            "{warning}"
        );
    }

    /// Break14 finding 6: a State title under a scheme that is not the State's is refused at its
    /// scheme cell; the artisan keeps its archived honours (it is listed as refused).
    #[test]
    fn a_state_title_under_a_non_state_scheme_is_refused() {
        let mut known = Authorities::default();
        let artisan: crate::model::Artisan = serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "nn-nam", "name": "Ông Năm", "access": "public"
        }))
        .unwrap();
        known.artisans.insert(artisan.id.clone(), artisan);
        for scheme in ["provincial", "association", "other"] {
            let text = format!(
                "artisan,title,scheme\nnn-nam,nghệ nhân ưu tú,{scheme}\nnn-nam,Nghệ nhân cấp tỉnh,{scheme}\n"
            );
            let parsed = parse_honours("metadata/honours.csv", &text, &known);
            assert_eq!(parsed.items.len(), 1, "{scheme}");
            assert_eq!(parsed.items[0].honour.title, "Nghệ nhân cấp tỉnh");
            assert!(
                parsed
                    .refused
                    .contains_key(&ArtisanId::parse("nn-nam").unwrap())
            );
            assert_eq!(
                parsed.problems[0].to_string(),
                format!(
                    "error: metadata/honours.csv, row 2, column scheme: 'Nghệ nhân Ưu tú' is a State title, awarded only by the State President under decree-93-2023 or decree-62-2014 (intangible cultural heritage) or decree-43-2024 or decree-123-2014 (handicrafts), never under {scheme}: write the decree it was awarded under, or the title the {scheme} scheme gave"
                )
            );
        }
    }
}
