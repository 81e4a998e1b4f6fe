//! The kin guard: an undescribed file that seems to belong with a record that is not public never
//! becomes a new public record.
//!
//! An archivist re-sending a corrected note of record `anh-a` (access `community:cong-dong-a`)
//! as `objects/anh-a/ghi-chu.txt`, without a row, would otherwise make a new record
//! `anh-a-ghi-chu` with no access stated, which is `public`: the community's note readable and
//! searchable by anyone. Deny by default: an undescribed record that would be public (record or
//! files rule) is refused when the archive holds a record that is not public (its access or its
//! files rule) and that the file is kin to:
//!
//! - a folder of the file's path is named like that record (`objects/anh-a/…`, or a folder whose
//!   own name, or whose path, makes the id `anh-a`);
//! - the record's id is the start of the derived id, up to a hyphen (`anh-a-2.jpg`, `anh-a-ghi-chu`:
//!   a name pattern of that record);
//! - a file beside it in the same folder was set aside because that record already holds its
//!   bytes (the unchanged photo re-sent with the corrected note).
//!
//! The refusal names the record and its access and says what to do: give the file a row with its
//! access. `--replace-descriptions` does not change this (it is about descriptions, not access).
//! Records the archive already holds under the same id keep their access anyway
//! ([`super::guard::keep_access`]); this guard is about new ids. The records the batch itself
//! describes with a non-public access or files rule count as much as archived ones: a rowless
//! `objects/anh-a/ghi-chu.txt` beside the row of a restricted `anh-a` in the same batch is
//! refused too.

use std::collections::BTreeMap;

use super::plan::derived_id;
use super::report::{FileFate, Problem, Report};
use super::store::Ready;
use crate::archive::{Archive, Catalogue};
use crate::model::text::slug;
use crate::model::{Access, Message, RecordId};
use crate::msg;

/// `access {rule}` or `files_access {rule}`, as words either language can say.
fn rule_words(column: &str, rule: &Access) -> Message {
    msg!(
        "ingest-kin-rule",
        "{column} {rule}",
        column = column,
        rule = rule.to_string()
    )
}

/// The folders (batch-relative, without the file name) holding `relative`, innermost last:
/// `objects/a/b/c.jpg` → `objects/a`, `objects/a/b`. The `objects` root itself is left out.
fn folders(relative: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (at, _) in relative.match_indices('/') {
        let folder = &relative[..at];
        if folder != "objects" {
            found.push(folder);
        }
    }
    found
}

/// The folder holding `relative` (`""` at the top of the batch).
fn parent(relative: &str) -> &str {
    relative.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Why an undescribed record is taken to belong with an archived record, and which.
struct Kin {
    record: RecordId,
    why: Message,
}

/// The archived records `ready` may belong with (see the module doc), each with why, before
/// their access is known. Its own id is left out.
fn candidates(ready: &Ready, set_aside: &BTreeMap<&str, Vec<(&str, &str)>>) -> Vec<Kin> {
    let plan = &ready.plan;
    let mut found: Vec<Kin> = Vec::new();
    let mut push = |id: &str, why: Message| {
        if let Ok(record) = RecordId::parse(id)
            && record != plan.id
            && !found.iter().any(|kin| kin.record == record)
        {
            found.push(Kin { record, why });
        }
    };
    for file in &plan.files {
        let relative = file.batch.relative.as_str();
        for folder in folders(relative) {
            let name = folder.rsplit('/').next().unwrap_or(folder);
            let why = msg!(
                "ingest-kin-folder",
                "it lies in the folder '{folder}', named like that record",
                folder = folder
            );
            push(&slug(name), why.clone());
            if let Ok(id) = derived_id(folder, false) {
                push(id.as_str(), why);
            }
        }
        for &(beside, holder) in set_aside.get(parent(relative)).into_iter().flatten() {
            push(
                holder,
                msg!(
                    "ingest-kin-same-bytes",
                    "'{beside}' beside it holds the same bytes as that record",
                    beside = beside
                ),
            );
        }
    }
    let id = plan.id.as_str();
    for (at, _) in id.match_indices('-') {
        push(
            &id[..at],
            msg!(
                "ingest-kin-id-prefix",
                "its record id '{id}' begins with that record's id",
                id = id
            ),
        );
    }
    found
}

/// Refuses every undescribed record that would be public while it seems to belong with a record
/// of the archive, or described by the batch, that is not public (see the module doc); returns
/// the records that may go on.
///
/// Runs after [`super::guard::keep_access`], so a record the archive holds under the same id has
/// its access already. A record whose archived kin cannot be read is refused too (never loosen
/// what cannot be read).
pub(super) fn keep_kin_closed(
    ready: Vec<Ready>,
    archive: Option<&Archive>,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Vec<Ready> {
    // The non-public records this batch itself describes: a rowless file beside one of them
    // is kin to it as much as to an archived one.
    let mut closed: BTreeMap<RecordId, Option<Message>> = BTreeMap::new();
    for item in &ready {
        let validated = &item.plan.validated;
        let narrowed = match (&validated.access, &validated.files_access) {
            (Some(access), _) if *access != Access::Public => Some(rule_words("access", access)),
            (_, Some(files)) if *files != Access::Public => Some(rule_words("files_access", files)),
            _ => None,
        };
        if item.plan.described && narrowed.is_some() {
            closed.insert(item.plan.id.clone(), narrowed);
        }
    }
    // Files set aside because an archived record holds their bytes, by folder: (file, record).
    let mut set_aside: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (path, fate) in &report.files {
        if let FileFate::Deduplicated { record } = fate {
            set_aside
                .entry(parent(path))
                .or_default()
                .push((path.as_str(), record.as_str()));
        }
    }
    let mut refusals: Vec<(usize, Message)> = Vec::new();
    for (index, item) in ready.iter().enumerate() {
        let validated = &item.plan.validated;
        let public = |access: Option<&Access>| access.is_none_or(|a| *a == Access::Public);
        if item.plan.described
            || !public(validated.access.as_ref())
            || !public(validated.files_access.as_ref())
        {
            continue;
        }
        for kin in candidates(item, &set_aside) {
            let archived = archive.zip(catalogue.records.get(&kin.record));
            if archived.is_none() && !closed.contains_key(&kin.record) {
                continue;
            }
            let access = closed.entry(kin.record.clone()).or_insert_with(|| {
                let (archive, inventory) = archived?;
                match archive.record_from(inventory) {
                    Ok(record) if record.access != Access::Public => {
                        Some(rule_words("access", &record.access))
                    }
                    Ok(record) if *record.files_rule() != Access::Public => {
                        Some(rule_words("files_access", record.files_rule()))
                    }
                    Ok(_) => None,
                    Err(_) => Some(msg!(
                        "ingest-kin-unreadable",
                        "a description that cannot be read"
                    )),
                }
            });
            if let Some(access) = access {
                refusals.push((index, msg!(
                    "ingest-kin-refused",
                    "not ingested: no row gives its access, so it would be a new public record '{id}', but it seems to belong with record '{kin}', which has {access} ({why}); give it a row in metadata.csv with its access (the record's own, or public if it is meant for everyone)",
                    id = item.plan.id.to_string(),
                    kin = kin.record.to_string(),
                    access = access.clone(),
                    why = kin.why
                )));
                break;
            }
        }
    }
    let mut refused: BTreeMap<usize, Message> = refusals.into_iter().collect();
    let mut kept = Vec::new();
    for (index, item) in ready.into_iter().enumerate() {
        match refused.remove(&index) {
            Some(reason) => {
                report.problems.push(
                    Problem::error(&item.plan.source, reason.clone())
                        .for_record(item.plan.id.as_str()),
                );
                item.plan.refuse_files(&reason.english, report);
            }
            None => kept.push(item),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_every_enclosing_folder_below_objects() {
        assert_eq!(
            folders("objects/a/b/c.jpg"),
            vec!["objects/a", "objects/a/b"]
        );
        assert_eq!(folders("objects/c.jpg"), Vec::<&str>::new());
        assert_eq!(folders("x/c.jpg"), vec!["x"]);
        assert_eq!(parent("objects/a/c.jpg"), "objects/a");
        assert_eq!(parent("c.jpg"), "");
    }
}
