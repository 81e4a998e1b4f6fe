//! After hashing: refusing content that cannot be what its record claims, and deciding which
//! files are not stored again because the archive already holds their bytes.
//!
//! The rules:
//!
//! - **An empty file** is an error, unless its row states a `kind` that needs no content
//!   (`document`, `technique`, `festival`, `story`): then it goes in with a warning. A photo,
//!   film, sound or pattern with no bytes is a failed copy, never a record.
//! - **A stated kind needs matching content**: a `photo` needs an image, a `film` a video, an
//!   `audio` record a sound, a `pattern` an image or a drawing.
//! - **Deduplication never drops a description.** A file only becomes "deduplicated" (no record
//!   of its own) when nothing describes it and its bytes are already held by another record (in
//!   the archive, or described in this batch); the report names that record. A described file
//!   always makes its own record, even when another record holds the same bytes. Empty content is
//!   never deduplicated against anything. Holders are judged as the archive will be after this
//!   batch: a record given a new version holds only the bytes of its new files.
//! - **A copy of a file held back is held back**: a file whose bytes equal those of a file refused
//!   in this batch is refused, naming it; so is an undescribed file whose bytes a record of the
//!   archive held until this batch gives it a new version without them; and so is an undescribed
//!   record holding (besides other files) the bytes of a record that is not public.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use super::FileFacts;
use super::batch::Listing;
use super::format::Family;
use super::plan::Plan;
use super::report::{FileFate, Problem, Report};
use super::store::Ready;
use crate::archive::{Archive, Catalogue};
use crate::model::{Access, Kind, Message, RecordId, Sha256};
use crate::msg;

/// Whether a record of `kind` can be made of no bytes at all.
fn may_be_empty(kind: Kind) -> bool {
    !matches!(kind, Kind::Photo | Kind::Film | Kind::Audio | Kind::Pattern)
}

/// Whether content of `family` can carry a record of the stated `kind`.
fn carries(kind: Kind, family: Family) -> bool {
    match kind {
        Kind::Photo => family == Family::Image,
        Kind::Film => family == Family::Video,
        Kind::Audio => family == Family::Audio,
        Kind::Pattern => matches!(family, Family::Image | Family::Vector),
        _ => true,
    }
}

/// Whether a file's name says it is a text (`.md`, `.markdown`, `.txt`), not a picture or a film.
fn named_as_text(relative: &str) -> bool {
    let lower = relative.to_lowercase();
    [".md", ".markdown", ".txt"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

/// Why `plan`'s content cannot make its record, with the file concerned; warnings go to
/// `warnings`.
fn content_problem(
    plan: &Plan,
    facts: &[FileFacts],
    warnings: &mut Vec<Problem>,
) -> Option<(String, Message)> {
    let kind = plan.validated.kind;
    for (file, fact) in plan.files.iter().zip(facts) {
        if fact.size > 0 {
            continue;
        }
        match kind {
            Some(kind) if may_be_empty(kind) => {
                let row = plan.described_in.as_ref().and_then(|(_, row)| *row);
                let mut warning = Problem::warning(
                    &file.batch.relative,
                    msg!(
                        "ingest-empty-file-taken",
                        "the file is empty (0 bytes); taken because its row says kind '{kind}'",
                        kind = kind.to_string()
                    ),
                )
                .for_record(plan.id.as_str());
                if row.is_some() {
                    warning = warning.at_row(row).in_column("kind");
                }
                warnings.push(warning);
            }
            Some(kind) => {
                return Some((
                    file.batch.relative.clone(),
                    msg!(
                        "ingest-empty-file-not-kind",
                        "the file is empty (0 bytes), so it cannot be a {kind}; copy it again from the original",
                        kind = kind.to_string()
                    ),
                ));
            }
            None => {
                return Some((
                    file.batch.relative.clone(),
                    msg!(
                        "ingest-empty-file",
                        "the file is empty (0 bytes), probably from a failed copy; copy it again, or say its kind in metadata.csv if an empty file is meant"
                    ),
                ));
            }
        }
    }
    if let Some(kind) = kind
        && !facts.iter().any(|fact| carries(kind, fact.format.family))
    {
        let first = plan.files.first().map(|f| f.batch.relative.clone());
        let found: Vec<&str> = facts.iter().map(|f| f.format.name).collect();
        // Texts named as texts (`ky-thuat.md`) describing a photo or a film not handed over:
        // what the archivist meant is plain, so the record is kept with a warning. A file
        // named as a picture or a film that holds none (`anh.jpg` of text) is a broken copy and
        // is refused below.
        if plan.files.iter().zip(facts).all(|(file, fact)| {
            fact.format.family == Family::Text && named_as_text(&file.batch.relative)
        }) {
            let row = plan.described_in.as_ref().and_then(|(_, row)| *row);
            let mut warning = Problem::warning(
                first.as_deref().unwrap_or_default(),
                msg!(
                    "ingest-kind-only-texts",
                    "its row says kind '{kind}', but the record holds only {found} (no {kind} was handed over); kept as described",
                    kind = kind.to_string(),
                    found = found.join(", ")
                ),
            )
            .for_record(plan.id.as_str());
            if row.is_some() {
                warning = warning.at_row(row).in_column("kind");
            }
            warnings.push(warning);
            return None;
        }
        return Some((
            first.unwrap_or_default(),
            msg!(
                "ingest-kind-not-found",
                "its row says kind '{kind}', but no file of the record holds one (found: {found})",
                kind = kind.to_string(),
                found = found.join(", ")
            ),
        ));
    }
    None
}

/// Joins each plan with its hashed files, refuses content that cannot make its record, and sets
/// aside undescribed files whose bytes another record already holds.
///
/// A kept file whose bytes an archived record already holds is read from that record's content
/// (same bytes, digest checked), so the archive can hard-link rather than copy it.
pub(super) fn deduplicate(
    plans: Vec<Plan>,
    mut hashed: BTreeMap<String, Result<FileFacts, String>>,
    listing: &Listing,
    archive: Option<&Archive>,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Vec<Ready> {
    let refused = refused_contents(listing, report);
    // The archive as it will be after this batch: a record this batch gives a new version holds
    // only the bytes of its new files.
    let replanned: BTreeSet<RecordId> = plans
        .iter()
        .map(|plan| plan.id.clone())
        .filter(|id| catalogue.records.contains_key(id))
        .collect();
    let kept_by_replanned: BTreeSet<Sha256> = plans
        .iter()
        .filter(|plan| replanned.contains(&plan.id))
        .flat_map(|plan| &plan.files)
        .filter_map(|file| hashed.get(&file.batch.relative)?.as_ref().ok())
        .map(|fact| fact.sha256)
        .collect();
    let mut holders: BTreeMap<Sha256, RecordId> = catalogue
        .holders
        .iter()
        .filter(|(sha, holder)| !replanned.contains(*holder) || kept_by_replanned.contains(*sha))
        .map(|(sha, holder)| (*sha, holder.clone()))
        .collect();
    let mut checked: Vec<(Plan, Vec<FileFacts>)> = Vec::new();
    'plans: for plan in plans {
        let mut facts = Vec::new();
        for file in &plan.files {
            match hashed.remove(&file.batch.relative) {
                Some(Ok(found)) => facts.push(found),
                other => {
                    let message = match other {
                        Some(Err(message)) => message,
                        _ => "cannot read".to_string(),
                    };
                    plan.refuse_files(&message, report);
                    report
                        .problems
                        .push(plan.problem(&file.batch.relative, message));
                    continue 'plans;
                }
            }
        }
        let copy = plan.files.iter().zip(&facts).find_map(|(file, fact)| {
            let original = refused.get(&fact.sha256).filter(|_| fact.size > 0)?;
            Some((file.batch.relative.clone(), msg!(
                "ingest-copy-of-refused",
                "not ingested: it holds the same bytes as '{original}', which was not ingested; a copy of a file held back is held back too",
                original = original
            )))
        });
        let moved = plan.files.iter().zip(&facts).find_map(|(file, fact)| {
            if plan.described || catalogue.records.contains_key(&plan.id) || fact.size == 0 {
                return None;
            }
            let holder = catalogue.holders.get(&fact.sha256)?;
            (replanned.contains(holder) && !kept_by_replanned.contains(&fact.sha256)).then(|| {
                (file.batch.relative.clone(), msg!(
                    "ingest-bytes-moved",
                    "not ingested: record '{holder}' held these bytes, but this batch gives it a new version without them; describe this file in metadata.csv (with its access) to keep it as a record of its own",
                    holder = holder.to_string()
                ))
            })
        });
        let mut warnings = Vec::new();
        if let Some((file, message)) = copy
            .or(moved)
            .or_else(|| content_problem(&plan, &facts, &mut warnings))
        {
            refuse_plan(&plan, &file, &message, report);
            continue;
        }
        report.problems.extend(warnings);
        checked.push((plan, facts));
    }
    // Described records first, and records of the archive this batch changes: their content is
    // theirs whatever else holds it.
    for (plan, facts) in checked
        .iter()
        .filter(|(plan, _)| plan.described || replanned.contains(&plan.id))
    {
        for fact in facts.iter().filter(|fact| fact.size > 0) {
            holders
                .entry(fact.sha256)
                .or_insert_with(|| plan.id.clone());
        }
    }
    // Who may see each holder's files (its files rule, else its access): a copy of content
    // that is not public must not go in public.
    let mut access_of: BTreeMap<RecordId, Access> = checked
        .iter()
        .filter_map(|(plan, _)| {
            let validated = &plan.validated;
            let rule = match (&validated.access, &validated.files_access) {
                (Some(access), _) if *access != Access::Public => access.clone(),
                (_, Some(files)) => files.clone(),
                (Some(access), None) => access.clone(),
                (None, None) => return None,
            };
            Some((plan.id.clone(), rule))
        })
        .collect();
    let mut holder_access = |holder: &RecordId| -> Access {
        if let Some(access) = access_of.get(holder) {
            return access.clone();
        }
        let access = match (archive, catalogue.records.get(holder)) {
            (Some(archive), Some(inventory)) => {
                archive
                    .record_from(inventory)
                    .map_or(Access::Restricted, |record| {
                        if record.files_rule() == &Access::Public {
                            record.access
                        } else {
                            record.files_rule().clone()
                        }
                    })
            }
            _ => Access::Public,
        };
        access_of.insert(holder.clone(), access.clone());
        access
    };
    let mut ready = Vec::new();
    for (mut plan, facts) in checked {
        let held_elsewhere: Vec<Option<RecordId>> = facts
            .iter()
            .map(|fact| {
                (fact.size > 0)
                    .then(|| holders.get(&fact.sha256))
                    .flatten()
                    .filter(|holder| **holder != plan.id)
                    .cloned()
            })
            .collect();
        let is_new = !catalogue.records.contains_key(&plan.id);
        if !plan.described && is_new && held_elsewhere.iter().all(Option::is_some) {
            for (file, holder) in plan.files.iter().zip(&held_elsewhere) {
                let holder = holder.as_ref().map(ToString::to_string).unwrap_or_default();
                report.problems.push(
                    Problem::warning(
                        &file.batch.relative,
                        msg!(
                            "ingest-not-stored-again",
                            "not stored again: the archive already holds this content as record '{holder}'",
                            holder = holder
                        ),
                    )
                    .for_record(holder.clone()),
                );
                report.account(
                    file.batch.relative.clone(),
                    FileFate::Deduplicated { record: holder },
                );
            }
            report.files_deduplicated += plan.files.len();
            continue;
        }
        if !plan.described {
            let closed = plan
                .files
                .iter()
                .zip(&held_elsewhere)
                .find_map(|(file, holder)| {
                    let holder = holder.as_ref()?;
                    let access = holder_access(holder);
                    (access != Access::Public)
                        .then(|| (file.batch.relative.clone(), holder, access))
                });
            if let Some((file, holder, access)) = closed {
                let message = msg!(
                    "ingest-copy-of-restricted",
                    "not ingested: it holds the same bytes as record '{holder}', whose access is {access}; nothing describes this copy, so it would be public: describe it in metadata.csv with its access",
                    holder = holder.to_string(),
                    access = access.to_string()
                );
                refuse_plan(&plan, &file, &message, report);
                continue;
            }
        }
        for (file, holder) in plan.files.iter().zip(&held_elsewhere) {
            if let Some(holder) = holder {
                let message = if plan.described {
                    msg!(
                        "ingest-same-content-described",
                        "the same content is also record '{holder}'; kept as a record of its own with its own description",
                        holder = holder.to_string()
                    )
                } else {
                    msg!(
                        "ingest-same-content-with-others",
                        "the same content is also record '{holder}'; kept here too because this record has other files",
                        holder = holder.to_string()
                    )
                };
                let row = plan.described_in.as_ref().and_then(|(_, row)| *row);
                let mut warning =
                    Problem::warning(&file.batch.relative, message).for_record(plan.id.as_str());
                if row.is_some() {
                    warning = warning.at_row(row).in_column("filename");
                }
                report.problems.push(warning);
            }
        }
        for fact in facts.iter().filter(|fact| fact.size > 0) {
            holders
                .entry(fact.sha256)
                .or_insert_with(|| plan.id.clone());
        }
        if let Some(archive) = archive {
            for ((file, fact), holder) in plan.files.iter_mut().zip(&facts).zip(&held_elsewhere) {
                let archived = holder
                    .as_ref()
                    .and_then(|holder| catalogue.records.get(holder))
                    .and_then(|inventory| {
                        let content = inventory.content_path(&fact.sha256.to_hex())?;
                        Some(archive.storage().object_path(&inventory.id).join(content))
                    });
                if let Some(path) = archived.filter(|path| path.is_file()) {
                    file.batch.path = path;
                }
            }
        }
        ready.push(Ready { plan, facts });
    }
    ready
}

/// Refuses every file of `plan` because of `file`: that file with `message`, the others naming it.
fn refuse_plan(plan: &Plan, file: &str, message: &Message, report: &mut Report) {
    for planned in &plan.files {
        let reason = if planned.batch.relative == file {
            message.english.clone()
        } else {
            format!(
                "not ingested: record '{}' was refused because of '{file}' ({message})",
                plan.id
            )
        };
        report.account(planned.batch.relative.clone(), FileFate::Refused { reason });
    }
    report.problems.push(plan.problem(file, message.clone()));
}

/// The digests of the batch's files refused so far (held back by a row, refused by the listing),
/// each with the path of one of them: a byte-identical copy must not go in in their place.
fn refused_contents(listing: &Listing, report: &Report) -> BTreeMap<Sha256, String> {
    let paths: Vec<(String, PathBuf)> = report
        .files
        .iter()
        .filter(|(_, fate)| matches!(fate, FileFate::Refused { .. }))
        .filter_map(|(key, _)| {
            let path = match listing.files.get(key) {
                Some(file) => file.path.clone(),
                None => listing.root.join(key),
            };
            let regular =
                std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_file() && meta.len() > 0);
            regular.then(|| (key.clone(), path))
        })
        .collect();
    paths
        .into_par_iter()
        .filter_map(|(key, path)| {
            let (sha256, _) = crate::archive::hash_file(&path).ok()?;
            Some((sha256, key))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_kinds_without_media_may_be_empty() {
        assert!(!may_be_empty(Kind::Photo));
        assert!(!may_be_empty(Kind::Pattern));
        assert!(may_be_empty(Kind::Document));
        assert!(may_be_empty(Kind::Story));
        assert!(carries(Kind::Pattern, Family::Vector));
        assert!(!carries(Kind::Photo, Family::Other));
        assert!(carries(Kind::Document, Family::Other));
    }
}
