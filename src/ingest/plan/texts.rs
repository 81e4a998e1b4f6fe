//! Markdown texts in a plan: their front matter and body, the translation that joins them, and
//! every place that may state their access (the row, the front matter of the text and of its
//! `.en.md` translation, the row of a folder they lie in), which must agree.

use std::collections::BTreeSet;

use super::{Draft, PlannedFile, english_original, is_markdown, logical_path};
use crate::ingest::batch::{BatchFile, Listing};
use crate::ingest::metadata::{self, Cell, Column, Description};
use crate::ingest::report::{Problem, Report};
use crate::ingest::{frontmatter, read_utf8};
use crate::model::{Lang, Message};
use crate::msg;

/// Whether `file` is a Markdown text whose own front matter gives its `access`: it describes
/// itself, so no broken row elsewhere can have been meant for it.
pub(super) fn describes_itself(file: &BatchFile) -> bool {
    if !is_markdown(&file.relative) || english_original(&file.relative).is_some() {
        return false;
    }
    read_utf8(&file.path)
        .ok()
        .and_then(|text| frontmatter::split(&text).ok())
        .is_some_and(|text| {
            text.fields.iter().any(|(key, values)| {
                key.trim().eq_ignore_ascii_case("access")
                    && values.iter().any(|v| !v.trim().is_empty())
            })
        })
}

pub(super) fn attach_text(
    listing: &Listing,
    draft: &mut Draft,
    claimed: &mut BTreeSet<String>,
    report: &mut Report,
) {
    let mut texts = vec![(draft.source.clone(), Lang::Vi)];
    let english = {
        let (stem, extension) = draft
            .source
            .rsplit_once('.')
            .unwrap_or((&draft.source, "md"));
        format!("{stem}.en.{extension}")
    };
    if let Some(file) = listing.files.get(&english)
        && !draft.files.iter().any(|f| f.batch.relative == english)
        && !claimed.contains(&english)
    {
        claimed.insert(english.clone());
        draft.files.push(PlannedFile {
            logical: logical_path("", &english),
            batch: file.clone(),
        });
        texts.push((english, Lang::En));
    }
    let mut front: Vec<Description> = Vec::new();
    for (relative, lang) in texts {
        let Some(file) = listing.files.get(&relative) else {
            continue;
        };
        let parsed = read_utf8(&file.path)
            .and_then(|text| frontmatter::split(&text))
            .map_err(|m| Problem::error(&relative, m));
        match parsed {
            Ok(text) => {
                let (mut description, problems) =
                    metadata::from_front_matter(&relative, &text.fields, lang == Lang::En);
                report.problems.extend(problems);
                refuse_files_rule(&mut description);
                front.push(description);
                if !text.body.is_empty() {
                    draft.body.insert(lang, text.body);
                }
            }
            Err(problem) => {
                // A text that cannot be read must not be ingested without its metadata.
                front.push(Description {
                    file: relative.clone(),
                    row: None,
                    cells: Vec::new(),
                });
                draft.refuse(&problem.message, report);
                report.problems.push(problem);
                draft.files.clear();
            }
        }
    }
    // The spreadsheet row, if any, overrides the front matter column by column, except `access`:
    // any disagreement about who may see the record refuses it.
    let row = draft.descriptions.pop();
    if let Some(problem) = disagreement(&front, row.as_ref()) {
        draft.refuse(&format!("not ingested: {}", problem.message), report);
        report.problems.push(problem);
        draft.files.clear();
    }
    let mut merged = front.into_iter().reduce(|mut a, b| {
        let known: Vec<Cell> = a.cells.clone();
        a.cells.extend(b.cells.into_iter().filter(|cell| {
            // One value per record, or one rule (both sources agree, checked above).
            let once =
                is_single(&cell.column) || RULES.iter().any(|(rule, _)| *rule == cell.column);
            !(once && known.iter().any(|k| k.column == cell.column))
        }));
        a
    });
    if let (Some(base), Some(row)) = (&merged, &row) {
        merged = Some(metadata::overlay(base, row));
    } else if merged.is_none() {
        merged = row;
    }
    draft.descriptions = merged.into_iter().collect();
}

/// Whether `column` holds one value per record (so two sources must agree on it). The access
/// columns are compared as whole rules instead ([`RULES`]).
fn is_single(column: &Column) -> bool {
    matches!(column, Column::Kind | Column::Village | Column::Craft)
}

/// The columns of a record's access rules, with their names: each compared as a whole between
/// two sources (a list of communities is one rule, in any order).
const RULES: [(Column, &str); 4] = [
    (Column::Access, "access"),
    (Column::AccessNeed, "access_need"),
    (Column::FilesAccess, "files_access"),
    (Column::FilesAccessNeed, "files_access_need"),
];

/// The values `description` gives `column`, as written and joined (`community:a, community:b`),
/// with the set they are compared by (trimmed, case-folded); `None` when it gives none.
fn rule_values(description: &Description, column: &Column) -> Option<(String, BTreeSet<String>)> {
    let cells: Vec<&Cell> = description
        .cells
        .iter()
        .filter(|cell| &cell.column == column)
        .collect();
    if cells.is_empty() {
        return None;
    }
    let written = cells
        .iter()
        .map(|cell| cell.value.trim())
        .collect::<Vec<_>>()
        .join(", ");
    let compared = cells
        .iter()
        .map(|cell| cell.value.trim().to_lowercase())
        .collect();
    Some((written, compared))
}

/// A value as compared between two descriptions: trimmed, case-folded.
fn same_value(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Where a description is, for messages: `row 2 of metadata/metadata.csv` or `the front matter
/// of objects/a.md`.
fn place(description: &Description) -> Message {
    match description.row {
        Some(row) => msg!(
            "ingest-place-row",
            "row {row} of {file}",
            row = row,
            file = description.file
        ),
        None => msg!(
            "ingest-place-front-matter",
            "the front matter of {file}",
            file = description.file
        ),
    }
}

/// The first disagreement between the front matter of a text and of its translation (on a
/// one-value column: `kind`, `village`, `craft`, `access`), or between any of them and the
/// spreadsheet row about `access`; the error names both places.
fn disagreement(front: &[Description], row: Option<&Description>) -> Option<Problem> {
    for (i, later) in front.iter().enumerate().skip(1) {
        for cell in later.cells.iter().filter(|cell| is_single(&cell.column)) {
            for earlier in &front[..i] {
                if let Some(first) = earlier.first(&cell.column)
                    && !same_value(&first.value, &cell.value)
                {
                    return Some(
                        Problem::error(
                            &later.file,
                            msg!(
                                "ingest-translation-disagrees",
                                "{later} says {column}: {value}, but {earlier} says {first_column}: {first_value}; a text and its translation are one record, so they must agree",
                                later = place(later),
                                column = cell.header,
                                value = cell.value,
                                earlier = place(earlier),
                                first_column = first.header,
                                first_value = first.value
                            ),
                        )
                        .in_column(cell.header.clone()),
                    );
                }
            }
        }
    }
    for (i, later) in front.iter().enumerate().skip(1) {
        for (column, name) in &RULES {
            let Some((theirs, their_set)) = rule_values(later, column) else {
                continue;
            };
            for earlier in &front[..i] {
                if let Some((mine, my_set)) = rule_values(earlier, column)
                    && my_set != their_set
                {
                    return Some(
                        Problem::error(
                            &later.file,
                            msg!(
                                "ingest-translation-disagrees",
                                "{later} says {column}: {value}, but {earlier} says {first_column}: {first_value}; a text and its translation are one record, so they must agree",
                                later = place(later),
                                column = *name,
                                value = theirs,
                                earlier = place(earlier),
                                first_column = *name,
                                first_value = mine
                            ),
                        )
                        .in_column(*name),
                    );
                }
            }
        }
    }
    let row = row?;
    for (column, name) in &RULES {
        let Some((stated, stated_set)) = rule_values(row, column) else {
            continue;
        };
        let header = row.first(column).map_or(*name, |cell| cell.header.as_str());
        for text in front {
            if let Some((said, said_set)) = rule_values(text, column)
                && said_set != stated_set
            {
                return Some(
                    Problem::error(
                        &row.file,
                        msg!(
                            "ingest-row-and-text-disagree",
                            "{row} says {name}: {stated}, but {text} says {name}: {said}; make them agree",
                            row = place(row),
                            name = *name,
                            stated = stated,
                            text = place(text),
                            said = said
                        ),
                    )
                    .at_row(row.row)
                    .in_column(header),
                );
            }
        }
    }
    None
}

/// Whether a Markdown text inside a folder record disagrees with the folder's row about access,
/// or has front matter that cannot be read: either refuses the whole folder record.
pub(super) fn folder_text_problem(
    listing: &Listing,
    row: &Description,
    members: &[String],
) -> Option<Problem> {
    let stated = row.first(&Column::Access);
    let folder_access = stated.map_or_else(
        || msg!("ingest-public-by-default", "public (by default)"),
        |cell| Message::english(cell.value.clone()),
    );
    for path in members.iter().filter(|path| is_markdown(path)) {
        let file = &listing.files[path];
        let text = match read_utf8(&file.path)
            .and_then(|text| frontmatter::split(&text))
            .map_err(|m| Problem::error(path, m))
        {
            Ok(text) => text,
            Err(problem) => {
                return Some(Problem::error(
                    path,
                    msg!(
                        "ingest-folder-text-unreadable",
                        "{problem}; it lies in the folder that {place} describes as one record, so that record is not ingested",
                        problem = problem.said(),
                        place = place(row)
                    ),
                ));
            }
        };
        if let Some((key, meant)) = text
            .fields
            .iter()
            .find_map(|(key, _)| metadata::meant_column(&Column::parse(key).0).map(|m| (key, m)))
        {
            return Some(
                Problem::error(
                    path,
                    msg!(
                        "ingest-folder-text-rule-key",
                        "'{key}' is not a key Disan knows, and it may say who may see the text: did you mean {meant}? It lies in the folder that {place} describes as one record, so that record is not ingested",
                        key = key,
                        meant = meant,
                        place = place(row)
                    ),
                )
                .in_column(key.clone()),
            );
        }
        // Each rule the text states must be the folder's (a text cannot open or close what the
        // folder record's row decides).
        let (described, _) = metadata::from_front_matter(path, &text.fields, false);
        for (column, name) in &RULES {
            let Some((said, said_set)) = rule_values(&described, column) else {
                continue;
            };
            let key = described
                .first(column)
                .map_or((*name).to_string(), |cell| cell.header.clone());
            let (folder, agrees) = match rule_values(row, column) {
                Some((stated, stated_set)) => (Message::english(stated), stated_set == said_set),
                None if *column == Column::Access => (
                    folder_access.clone(),
                    said_set.len() == 1 && said_set.contains("public"),
                ),
                None => (msg!("ingest-none", "none"), false),
            };
            if !agrees {
                return Some(
                    Problem::error(
                        path,
                        msg!(
                            "ingest-folder-text-disagrees",
                            "its front matter says {name}: {said}, but it lies in the folder that {place} describes as one record with {name} {folder}; make them agree, or move the text out of that folder and describe it on its own",
                            name = *name,
                            said = said,
                            place = place(row),
                            folder = folder
                        ),
                    )
                    .in_column(key),
                );
            }
        }
    }
    None
}

/// Makes a `files_access` (or `files_access_need`) key of a Markdown text's own front matter an
/// error at that key. A text record has no files apart from the text, and its body is its
/// description, shown to whoever may see the record: an author who writes `files_access`
/// means to protect the text, which only `access` does, so the record is refused rather than
/// published with its body open (finding F10 of the issue 13 review).
fn refuse_files_rule(description: &mut Description) {
    for cell in &mut description.cells {
        if matches!(cell.column, Column::FilesAccess | Column::FilesAccessNeed) {
            cell.column = Column::Invalid(crate::msg!(
                "ingest-files-rule-in-text",
                "'{header}' is for a record's files, but a Markdown text has none apart from itself, and its body is the record's description, shown to whoever may see the record: write the rule in access (access: {value}), and leave out {header}",
                header = cell.header,
                value = cell.value
            ));
        }
    }
}
