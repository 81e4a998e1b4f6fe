//! The wrong-folder guard: an undescribed file never silently replaces a described record.
//!
//! Ingesting a folder with no metadata (an older copy, the camera's card, the wrong delivery)
//! would give every file whose derived id the archive already holds a new version with a title
//! made from its file name, `public` access and no subjects. Before anything is stored, each
//! undescribed record is compared with the archive's: when the archive's says more (any Dublin
//! Core value, access, village, craft, other columns, kind or text that the new one would not
//! have), the record is refused, and a batch with no `metadata.csv` at all is refused whole, with
//! a message asking whether it is the right folder. `--replace-descriptions`
//! ([`super::Options::replace_descriptions`]) lets them through, each with a warning.
//!
//! Access is never loosened implicitly ([`keep_access`]): a record of the archive that this batch
//! changes keeps its access unless the batch states one, and a stated access that opens the record
//! to more people is reported as a warning. A record losing files in its new version says which.
//! A record with versions withheld from the public (issue 16) keeps them withheld, and one whose
//! new description would give back text removed from such a version is refused ([`keep_access`]).

use super::report::{FileFate, Problem, Report, Severity};
use super::store::{Ready, fallback_title, infer_kind};
use crate::archive::{Archive, Catalogue};
use crate::model::{Access, Lang, LangValue, Message, Record};
use crate::msg;
use std::collections::BTreeSet;

/// What the archive's record says that an undescribed `ready` record would not: the names of the
/// fields its description would lose (empty when nothing is lost).
fn lost_fields(old: &Record, ready: &Ready) -> Vec<String> {
    let plan = &ready.plan;
    let mut lost = Vec::new();
    let title = vec![LangValue {
        value: fallback_title(&plan.source),
        lang: Lang::Vi,
    }];
    for (term, values) in &old.dc {
        let same = if term == "title" {
            *values == title
        } else {
            values.is_empty()
        };
        if !same {
            lost.push(format!("dc.{term}"));
        }
    }
    if old.village.is_some() {
        lost.push("village".to_string());
    }
    if old.craft.is_some() {
        lost.push("craft".to_string());
    }
    lost.extend(old.extra.keys().cloned());
    let kind = infer_kind(&ready.facts, !plan.body.is_empty());
    if old.kind != kind {
        lost.push(format!("kind {}", old.kind));
    }
    if old.body != plan.body {
        lost.push("text".to_string());
    }
    lost
}

/// Refuses undescribed records that would replace richer descriptions (see the module doc);
/// returns the records that may go on.
pub(super) fn keep_descriptions(
    ready: Vec<Ready>,
    archive: Option<&Archive>,
    catalogue: &Catalogue,
    has_metadata: bool,
    replace: bool,
    report: &mut Report,
) -> Vec<Ready> {
    let Some(archive) = archive else {
        return ready;
    };
    let mut verdicts: Vec<(Ready, Option<String>)> = Vec::new();
    for item in ready {
        let lost = match catalogue.records.get(&item.plan.id) {
            Some(inventory) if !item.plan.described => match archive.record_from(inventory) {
                Ok(old) => lost_fields(&old, &item),
                Err(error) => vec![format!("(its description cannot be read: {error})")],
            },
            _ => Vec::new(),
        };
        let lost = (!lost.is_empty()).then(|| lost.join(", "));
        verdicts.push((item, lost));
    }
    let threatened = verdicts.iter().filter(|(_, lost)| lost.is_some()).count();
    if threatened == 0 {
        return verdicts.into_iter().map(|(item, _)| item).collect();
    }
    if replace {
        for (item, lost) in &verdicts {
            if let Some(lost) = lost {
                report.problems.push(
                    Problem::warning(
                        &item.plan.source,
                        msg!(
                            "ingest-description-replaced",
                            "replaces the description of record '{id}' (it loses: {lost}), as --replace-descriptions asked",
                            id = item.plan.id.to_string(),
                            lost = lost
                        ),
                    )
                    .for_record(item.plan.id.as_str()),
                );
            }
        }
        return verdicts.into_iter().map(|(item, _)| item).collect();
    }
    let whole = !has_metadata;
    report.refused_whole |= whole;
    if whole {
        let example = verdicts
            .iter()
            .find_map(|(item, lost)| {
                Some(msg!(
                    "ingest-record-would-lose",
                    "'{id}' would lose: {lost}",
                    id = item.plan.id.to_string(),
                    lost = lost.as_ref()?
                ))
            })
            .unwrap_or_else(|| Message::english(""));
        // One id, two English sentences: en.ftl chooses between them by the number.
        let words = if threatened == 1 {
            msg!(
                "ingest-no-sheet-would-replace",
                "nothing was ingested: this batch has no metadata.csv, and its files would replace the descriptions of {threatened} record the archive already holds ({example}); is it the right folder? To replace those descriptions with ones made from file names, ingest again with --replace-descriptions",
                threatened = threatened,
                example = example
            )
        } else {
            msg!(
                "ingest-no-sheet-would-replace",
                "nothing was ingested: this batch has no metadata.csv, and its files would replace the descriptions of {threatened} records the archive already holds ({example}, …); is it the right folder? To replace those descriptions with ones made from file names, ingest again with --replace-descriptions",
                threatened = threatened,
                example = example
            )
        };
        report.problems.push(Problem::error(".", words));
    }
    let mut kept = Vec::new();
    for (item, lost) in verdicts {
        let reason = match (&lost, whole) {
            (Some(lost), _) => msg!(
                "ingest-description-would-be-lost",
                "not ingested: record '{id}' already exists with a description this batch does not give (it would lose: {lost}); describe it in metadata.csv, or ingest again with --replace-descriptions",
                id = item.plan.id.to_string(),
                lost = lost
            ),
            (None, true) => msg!(
                "ingest-batch-refused-whole",
                "not ingested: the batch was refused as a whole (see the error about '.')"
            ),
            (None, false) => {
                kept.push(item);
                continue;
            }
        };
        if lost.is_some() {
            report.problems.push(
                Problem::error(&item.plan.source, reason.clone()).for_record(item.plan.id.as_str()),
            );
        }
        item.plan.refuse_files(&reason.english, report);
    }
    kept
}

/// Gives every record the archive already holds the access it has there unless this batch states
/// one (a sheet without an `access` column, an emptied cell, an undescribed file never makes a
/// restricted record public), warns when a stated access opens a record to more people
/// (`access changes from restricted to public`), and warns when a record's new version drops
/// files of the archived one, naming them.
pub(super) fn keep_access(
    mut ready: Vec<Ready>,
    archive: Option<&Archive>,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Vec<Ready> {
    let Some(archive) = archive else {
        return ready;
    };
    // Records whose new version would show text removed from a withheld version, with where.
    let mut resurfaced: Vec<(crate::model::RecordId, String)> = Vec::new();
    for item in &mut ready {
        let plan = &mut item.plan;
        let Some(inventory) = catalogue.records.get(&plan.id) else {
            continue;
        };
        let old = match archive.record_from(inventory) {
            Ok(old) => old,
            Err(_) => {
                // Unreadable: never loosen what cannot be read.
                plan.validated.access.get_or_insert(Access::Restricted);
                continue;
            }
        };
        let row = plan.described_in.as_ref().and_then(|(_, row)| *row);
        let at = |problem: Problem, column: &str| match row {
            Some(_) => problem.at_row(row).in_column(column),
            None => problem,
        };
        let file = plan
            .described_in
            .as_ref()
            .map_or(plan.source.clone(), |(file, _)| file.clone());
        let loosens = |old: &Access, new: &Access| !old.admits_all_of(new);
        match &plan.validated.access {
            None => plan.validated.access = Some(old.access.clone()),
            Some(new) if loosens(&old.access, new) => report.problems.push(
                at(
                    Problem::warning(
                        &file,
                        msg!(
                            "ingest-record-access-changes",
                            "access changes from {old} to {new} for record '{id}', as stated",
                            old = old.access.to_string(),
                            new = new.to_string(),
                            id = plan.id.to_string()
                        ),
                    ),
                    "access",
                )
                .for_record(plan.id.as_str()),
            ),
            Some(_) => {}
        }
        // A files rule is never dropped by a description that does not mention it (Mukurtu's
        // users lost protocols on save): the archived one stays unless files_access is given.
        match (&plan.validated.files_access, &old.files_access) {
            (None, Some(kept)) => plan.validated.files_access = Some(kept.clone()),
            (Some(new), _) if loosens(old.files_rule(), new) && new != old.files_rule() => {
                report.problems.push(
                    at(
                        Problem::warning(
                            &file,
                            msg!(
                                "ingest-record-files-access-changes",
                                "files_access changes from {old} to {new} for record '{id}', as stated",
                                old = old.files_rule().to_string(),
                                new = new.to_string(),
                                id = plan.id.to_string()
                            ),
                        ),
                        "files_access",
                    )
                    .for_record(plan.id.as_str()),
                )
            }
            _ => {}
        }
        plan.archived_rules = Some((old.access.clone(), old.files_access.clone()));
        if let Some(withdrawal) = &old.withdrawal {
            report.problems.push(
                Problem::warning(
                    &file,
                    msg!(
                        "ingest-record-withdrawn",
                        "record '{id}' is withdrawn ({reason}, by {by} on {at}): its new version stays withdrawn, on no page; reinstate it in the archivists' workspace to show it again",
                        id = plan.id.to_string(),
                        reason = withdrawal.reason,
                        by = withdrawal.by,
                        at = withdrawal.at.to_string()
                    ),
                )
                .for_record(plan.id.as_str()),
            );
            plan.archived_withdrawal = Some(withdrawal.clone());
        }
        if !old.withheld_versions.is_empty() {
            let versions: Vec<&str> = old
                .withheld_versions
                .iter()
                .map(|w| w.version.as_str())
                .collect();
            report.problems.push(
                Problem::warning(
                    &file,
                    format!(
                        "record '{}' has earlier versions withheld from the public ({}): they stay withheld; if this batch gives back text that was removed from them, edit the new version in the archivists' workspace",
                        plan.id,
                        versions.join(", ")
                    ),
                )
                .for_record(plan.id.as_str()),
            );
            plan.archived_withheld = old.withheld_versions.clone();
            if let Some(field) = resurfacing(archive, inventory, &old, plan) {
                resurfaced.push((plan.id.clone(), field));
            }
        }
        let kept: BTreeSet<&str> = plan.files.iter().map(|f| f.logical.as_str()).collect();
        let dropped: Vec<&str> = old
            .files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|path| !kept.contains(path))
            .collect();
        if !dropped.is_empty() {
            report.problems.push(
                Problem::warning(
                    &plan.source,
                    {
                        let id = plan.id.to_string();
                        let files = dropped
                            .iter()
                            .map(|p| format!("'{p}'"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        if dropped.len() == 1 {
                            msg!(
                                "ingest-record-drops-file",
                                "record '{id}' no longer holds {files} in its new version (earlier versions of the archive keep it)",
                                id = id,
                                files = files
                            )
                        } else {
                            msg!(
                                "ingest-record-drops-files",
                                "record '{id}' no longer holds {files} in its new version (earlier versions of the archive keep them)",
                                id = id,
                                files = files
                            )
                        }
                    },
                )
                .for_record(plan.id.as_str()),
            );
        }
    }
    if resurfaced.is_empty() {
        return ready;
    }
    let mut kept = Vec::new();
    for item in ready {
        let Some((_, field)) = resurfaced.iter().find(|(id, _)| *id == item.plan.id) else {
            kept.push(item);
            continue;
        };
        let reason = format!(
            "not ingested: record '{}' would show again text ({field}) removed from an earlier version withheld from the public; remove it from the batch, or publish that version again in the archivists' workspace",
            item.plan.id
        );
        report.problems.push(
            Problem::error(&item.plan.source, reason.clone()).for_record(item.plan.id.as_str()),
        );
        item.plan.refuse_files(&reason, report);
    }
    kept
}

/// Where `plan` would give back text that a version withheld by `head` (the archived record,
/// whose object's inventory is `inventory`) held and `head` no longer does: the first such
/// field (`dc.description`, `text`, an extra column's name), or `None`. A version that cannot be
/// read counts as giving nothing back (the withholding itself still stands).
fn resurfacing(
    archive: &Archive,
    inventory: &crate::archive::Inventory,
    head: &Record,
    plan: &super::plan::Plan,
) -> Option<String> {
    let withheld: Vec<Record> = head
        .withheld_versions
        .iter()
        .filter_map(|withheld| {
            archive
                .record_at(inventory, &withheld.version)
                .ok()
                .flatten()
        })
        .collect();
    let removed = crate::model::withdrawal::removed_texts(head, &withheld);
    let validated = &plan.validated;
    validated
        .dc
        .iter()
        .flat_map(|(term, values)| values.iter().map(move |v| (format!("dc.{term}"), &v.value)))
        .chain(plan.body.values().map(|body| ("text".to_string(), body)))
        .chain(
            validated
                .extra
                .iter()
                .flat_map(|(column, values)| values.iter().map(move |v| (column.clone(), v))),
        )
        .find(|(_, text)| removed.contains(text.trim()))
        .map(|(field, _)| field)
}

/// Says, for each refused file whose record the archive already holds and this run did not
/// change, that the archived record stays as it was and with which access: a refusal must not
/// read as if the record were gone, nor leave the archivist guessing who can see it.
pub(super) fn note_kept_records(
    archive: Option<&Archive>,
    catalogue: &Catalogue,
    report: &mut Report,
) {
    let Some(archive) = archive else {
        return;
    };
    let touched: BTreeSet<String> = [
        &report.records.added,
        &report.records.updated,
        &report.records.unchanged,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    let mut notes: Vec<(String, Message)> = Vec::new();
    for (path, fate) in &report.files {
        if !matches!(fate, FileFate::Refused { .. }) {
            continue;
        }
        let Ok(id) = super::plan::derived_id(path, true) else {
            continue;
        };
        if touched.contains(id.as_str()) {
            continue;
        }
        let Some(inventory) = catalogue.records.get(&id) else {
            continue;
        };
        let access = archive
            .record_from(inventory)
            .map_or("unknown".to_string(), |record| record.access.to_string());
        notes.push((
            path.clone(),
            msg!(
                "ingest-archive-keeps-record",
                "; the archive keeps record '{id}' as it was, with access {access}",
                id = id.to_string(),
                access = access
            ),
        ));
    }
    for (path, note) in notes {
        if let Some(FileFate::Refused { reason }) = report.files.get_mut(&path) {
            reason.push_str(&note.english);
        }
        if let Some(problem) = report
            .problems
            .iter_mut()
            .find(|p| p.file == path && p.severity == Severity::Error)
        {
            if problem.words.is_some() {
                // The note joins the problem's words, so a page says both in its language.
                let joined = msg!(
                    "ingest-problem-with-note",
                    "{problem}{note}",
                    problem = problem.said(),
                    note = note
                );
                *problem = Problem {
                    message: joined.english.clone(),
                    words: super::report::Words::of(joined),
                    ..problem.clone()
                };
            } else {
                problem.message.push_str(&note.english);
            }
        }
    }
}
