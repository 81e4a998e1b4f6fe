//! Writing a new version from the workspace: an edit, a restore, a withdrawal or a
//! reinstatement of a record, and an edit or a restore of an authority (a village, a craft, an
//! artisan, a product), all go through [`save_object`]: lock, conflict check, write.
//!
//! For a record ([`save`]) the order is ingest's (see [`crate::index::sync`]): under the archive's
//! write lock, the index is brought in step with the archive and, when the new version is not
//! public (or its files are not, or it is withdrawn), the record leaves the index (committed, and
//! announced to servers on other indexes: [`crate::index::hiding`]) *before* the archive write;
//! then the version is committed (never an overwrite: a new OCFL version); then the record's new
//! document is indexed and the index commits the archive's new fingerprint. When [`save`]
//! returns, every reader of the index sees the new state. An authority is written by
//! [`super::authority`] in the same order.
//!
//! No lost update: the caller says which head version its change was made from (`base`); when
//! another version was written since, nothing is written and both changes come back
//! ([`WorkspaceError::Conflict`]). A change that changes nothing writes nothing
//! ([`Saved::Unchanged`]).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::WorkspaceError;
use super::diff::{WITHDRAWN, metadata_changes};
use super::history::{inventory_of, object_at};
use super::object::Object;
use crate::archive::{
    Archive, ArchiveError, Catalogue, Commit, FILES_DIR, Inventory, NewContent, OcflError, User,
    VersionInfo, WriteLock, premis, record_object_id,
};
use crate::index::IndexDir;
use crate::index::audience::Audience;
use crate::model::{Record, RecordId};

/// How long a save waits for the archive's write lock (an ingest may hold it) before it is
/// refused with [`WorkspaceError::Busy`].
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Who made a version from the workspace, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The archivist's login.
    pub login: String,
    /// The required "what changed" message, trimmed, never empty.
    pub message: String,
}

/// The URI naming an account as the `address` of the OCFL versions it makes: the archive's
/// objects are `urn:disan:record:<id>`, its people `urn:disan:user:<login>`.
pub fn user_address(login: &str) -> String {
    format!("urn:disan:user:{login}")
}

/// The version info of a workspace version: the archivist (name = login, address =
/// [`user_address`]), the message, and the PREMIS events of the change ([`events`]). Every
/// workspace version, of a record or an authority, is described by this one function.
pub fn version_info<T: Object>(author: &Author, before: &T, after: &T) -> VersionInfo {
    let user = User {
        name: author.login.clone(),
        address: Some(user_address(&author.login)),
    };
    VersionInfo::new(author.message.clone(), user).with_events(events(author, before, after))
}

/// The PREMIS events of a change from `before` to `after` by `author`, read from the change
/// itself, so an edit, a restore, a withdrawal and a reinstatement say what they did: a
/// metadata modification when the description changed (the message as its detail, with the
/// fields), a policy assignment when who may see it changed (`old → new`: a record's access or
/// files rule, an artisan's or a product's access), a deaccession when a record was withdrawn and
/// an accession when it was reinstated (the reason as detail).
pub fn events<T: Object>(author: &Author, before: &T, after: &T) -> Vec<premis::Event> {
    let login = author.login.as_str();
    let mut events = Vec::new();
    let fields: Vec<String> = metadata_changes(before, after)
        .into_iter()
        .filter_map(|change| match change {
            super::Change::FieldAdded { field, .. }
            | super::Change::FieldRemoved { field, .. }
            | super::Change::FieldChanged { field, .. } => Some(field),
            _ => None,
        })
        .filter(|field| field != WITHDRAWN)
        .collect();
    if !fields.is_empty() {
        events.push(premis::Event::metadata_modification(
            login,
            format!("{} (fields: {})", author.message, fields.join(", ")),
        ));
    }
    if before.rule_changed(after) {
        let rule = |object: &T| object.rule().unwrap_or_else(|| "public".to_string());
        events.push(premis::Event::access_change(
            login,
            format!("{} → {}", rule(before), rule(after)),
        ));
    }
    match (before.withdrawal(), after.withdrawal()) {
        (None, Some(withdrawal)) => {
            events.push(premis::Event::withdrawal(login, withdrawal.reason.clone()))
        }
        (Some(_), None) => {
            events.push(premis::Event::reinstatement(login, author.message.clone()));
        }
        _ => {}
    }
    events
}

/// Where a save writes: the archive, its index, and how long it waits for the archive's write
/// lock ([`LOCK_WAIT`]).
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    /// The archive.
    pub archive: &'a Archive,
    /// Its index (derivatives, search).
    pub index: &'a IndexDir,
    /// How long to wait while another writer holds the lock.
    pub wait: Duration,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new version was written (its name, `v4`).
    Version(String),
    /// The new description is the head's: nothing was written.
    Unchanged,
}

/// Takes the archive's write lock, waiting up to `wait` while another writer (an ingest) holds
/// it.
///
/// # Errors
/// [`WorkspaceError::Busy`] when it is still held after `wait`; other archive errors as they are.
pub fn lock(archive: &Archive, wait: Duration) -> Result<WriteLock, WorkspaceError> {
    let started = Instant::now();
    loop {
        match archive.lock() {
            Ok(lock) => return Ok(lock),
            Err(ArchiveError::Ocfl(OcflError::Locked(_))) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(ArchiveError::Ocfl(OcflError::Locked(_))) => return Err(WorkspaceError::Busy),
            Err(error) => return Err(error.into()),
        }
    }
}

/// Writes `make(head)` as the new head version of OCFL object `object` (whose description is a
/// `T`), when the head is still `base`: takes the archive's write lock ([`lock`]), reads the
/// head, makes the new description, refuses when the head moved, writes nothing when nothing
/// changed, and otherwise hands both to `write`, which writes the version (and keeps the index in
/// step) under the lock.
///
/// `make` receives the description as the head holds it and the archive's catalogue (its
/// authorities, to validate against) and returns the new description (or refuses); it runs
/// under the lock, so it sees exactly what it replaces. `write` receives the lock, the
/// catalogue, the head's inventory, the head and the new description.
///
/// # Errors
/// [`WorkspaceError::NoMessage`], [`WorkspaceError::MessageCharacters`],
/// [`WorkspaceError::Busy`] (an ingest writes the archive),
/// [`WorkspaceError::NoSuchRecord`] (no such object), [`WorkspaceError::Conflict`] (the head is
/// no longer `base`: both changes listed), what `make` and `write` return, and archive errors.
pub fn save_object<T: Object>(
    writer: &Writer<'_>,
    object: &str,
    base: &str,
    author: &Author,
    make: impl FnOnce(&T, &Catalogue) -> Result<T, WorkspaceError>,
    write: impl FnOnce(&WriteLock, &Catalogue, &Inventory, &T, &T) -> Result<Commit, WorkspaceError>,
) -> Result<Saved, WorkspaceError> {
    if author.message.trim().is_empty() {
        return Err(WorkspaceError::NoMessage);
    }
    // Line breaks and tabs are text; other controls, U+2028/2029 and format characters are not
    // (group names refuse the same, `accounts::admin`).
    if author.message.chars().any(|c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{2028}' | '\u{2029}')
            || crate::model::text::is_format_char(c)
    }) {
        return Err(WorkspaceError::MessageCharacters);
    }
    let archive = writer.archive;
    let lock = lock(archive, writer.wait)?;
    let catalogue = archive.catalogue()?;
    let inventory = inventory_of(archive, object)?;
    if !inventory.versions.contains_key(base) {
        return Err(WorkspaceError::NoBase(base.to_string()));
    }
    let head: T = object_at(archive, &inventory, &inventory.head)?;
    let new = make(&head, &catalogue)?;
    if inventory.head != base {
        // Another version was written since the form was made: show both changes, write nothing.
        let at_base: T = object_at(archive, &inventory, base)?;
        return Err(WorkspaceError::Conflict {
            base: base.to_string(),
            head: inventory.head.clone(),
            theirs: metadata_changes(&at_base, &head),
            yours: metadata_changes(&at_base, &new),
        });
    }
    if new == head {
        return Ok(Saved::Unchanged);
    }
    let commit = write(&lock, &catalogue, &inventory, &head, &new)?;
    drop(lock);
    Ok(match commit {
        Commit::Updated { version } => Saved::Version(version),
        Commit::Created => Saved::Version("v1".to_string()),
        Commit::Unchanged => Saved::Unchanged,
    })
}

/// Writes `make(head record)` as the new head version of record `id`, when the head is still
/// `base` ([`save_object`]), in the order described in the module's documentation.
///
/// # Errors
/// As [`save_object`], and index errors.
pub fn save(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    author: &Author,
    make: impl FnOnce(&Record, &Catalogue) -> Result<Record, WorkspaceError>,
) -> Result<Saved, WorkspaceError> {
    save_object(
        writer,
        &record_object_id(id),
        base,
        author,
        make,
        |lock, catalogue, inventory, head, new| {
            write_record(writer, lock, catalogue, inventory, head, new, author)
        },
    )
}

/// Writes record `new` (replacing `head`, whose object's head inventory is `inventory`) as a new
/// version and keeps the index in step: hidden first when not public, indexed after.
fn write_record(
    writer: &Writer<'_>,
    lock: &WriteLock,
    catalogue: &Catalogue,
    inventory: &Inventory,
    head: &Record,
    new: &Record,
    author: &Author,
) -> Result<Commit, WorkspaceError> {
    let (archive, index) = (writer.archive, writer.index);
    let id = &new.id;
    let public = Audience::Public;
    let hidden: BTreeSet<RecordId> = if public.admits_files(new) {
        BTreeSet::new()
    } else {
        BTreeSet::from([id.clone()])
    };
    // Announced to servers on other indexes only when who may see it changes (ingest's rule).
    let rules_change =
        new.rule_changed(head) || new.withdrawal.is_some() != head.withdrawal.is_some();
    let announced: BTreeSet<RecordId> = if rules_change {
        hidden.clone()
    } else {
        BTreeSet::new()
    };
    let (updater, _) =
        crate::index::sync::Updater::begin(archive, index, catalogue, hidden, &announced)?;
    if !updater.may_store(new) {
        return Err(WorkspaceError::Archive(ArchiveError::BadMetadata {
            path: archive.record_path(id),
            reason: "the record was not hidden before a narrower version was written".into(),
        }));
    }
    // The object's files as they are: their content is in the manifest already, so nothing is
    // copied (the commit only names it again).
    let object = archive.record_path(id);
    let mut files = Vec::new();
    // Only the record's files: `record.json` is the new description, and the archive writes the
    // event log (`premis.xml`) itself.
    for (path, digest) in inventory.head_state() {
        if !path.starts_with(&format!("{FILES_DIR}/")) {
            continue;
        }
        let content = inventory.content_path(&digest).ok_or_else(|| {
            WorkspaceError::Archive(ArchiveError::BadMetadata {
                path: object.clone(),
                reason: format!("{path} is not in the manifest"),
            })
        })?;
        let sha256 = digest.parse().map_err(|_| {
            WorkspaceError::Archive(ArchiveError::BadMetadata {
                path: object.clone(),
                reason: format!("{path} has the digest '{digest}', not a SHA-256"),
            })
        })?;
        files.push((
            path,
            NewContent::File {
                path: object.join(content),
                sha256,
            },
        ));
    }
    let commit = archive.store_record(lock, new, files, &version_info(author, head, new))?;
    let names = crate::index::authorities::Authorities::from_catalogue(catalogue);
    // A document that cannot be made now is made again by `finish`.
    let _ = updater.stored(archive, new, &commit, &names, &[]);
    updater.finish(archive, index, &names, std::slice::from_ref(id))?;
    Ok(commit)
}
