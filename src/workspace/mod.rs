//! The archivists' workspace (issue 15, slice 1): correct a record, read its history, restore an
//! earlier version, withdraw and reinstate it — each change a new OCFL version of the record's
//! object with the archivist as its `user` and their "what changed" message as its `message`.
//! Nothing is overwritten, nothing deleted.
//!
//! This module is the part outside the web (the site's pages are `crate::web::workspace`):
//!
//! - [`form`]: a record as the edit form holds it (the batch's column names) and back, checked by
//!   ingest's own [`crate::ingest::metadata::validate`];
//! - [`diff`]: what changed between two versions, field by field and file by file;
//! - [`history`]: every version of a record, who made it, when and why;
//! - [`save`]: the single write path: lock, conflict check, hide first, commit, index;
//! - [`object`]: what all of these work on, a record or an authority;
//! - [`authority`]: villages, crafts, artisans (with their honours) and products, edited the
//!   same way as records, their forms being rows of their files;
//! - [`catalogue`]: every record as one row, for the staff list (`/workspace`);
//! - [`purge`]: the one way content leaves the archive, for what must legally be destroyed
//!   (`disan purge`, administrators, command line only);
//! - [`uploads`]: files arriving from the browser, staged beside the archive (size limit, quota,
//!   expiry) until they become a batch;
//! - [`batches`]: uploads made a batch folder, checked like a dry run, then ingested in the
//!   background once confirmed, cancelled, or run again after a failure; [`unzip`]: a zip
//!   uploaded as a batch, opened with limits; [`staging`]: the cleanup removing uploads and
//!   batches' files past their stated lifetimes.
//!
//! The operations [`edit`], [`restore`], [`withdraw`], [`reinstate`], [`withhold`] and
//! [`release`] are [`save::save`] with the new record made six ways.

pub mod authority;
pub mod batches;
pub mod catalogue;
pub mod diff;
pub mod form;
pub mod history;
pub mod object;
pub mod purge;
pub mod save;
pub mod staging;
pub mod unzip;
pub mod uploads;

use crate::archive::{ArchiveError, Catalogue};
use crate::index::IndexError;
use crate::ingest::communities::Communities;
use crate::ingest::metadata::Authorities;
use crate::model::{Record, RecordId, Withdrawal, WithheldVersion};

pub use diff::Change;
pub use form::{Checked, Fields};
pub use object::Object;
pub use save::{Author, LOCK_WAIT, Saved, Writer};

/// Why a workspace operation wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The archive has no such record (or authority).
    #[error("there is no such record")]
    NoSuchRecord,
    /// The object has no such version.
    #[error("the record has no version {0}")]
    NoSuchVersion(String),
    /// The form does not name a version of the object as the one it was made from (`base`
    /// missing, empty or not one of its versions): nothing was written, since without it a
    /// save could not tell whether it would overwrite someone else's change.
    #[error("the form does not say which version of the record it was made from ('{0}')")]
    NoBase(String),
    /// The required "what changed" message (or reason) is empty.
    #[error("say in a few words what changed and why")]
    NoMessage,
    /// The message or reason holds a control or invisible format character (an escape
    /// sequence, a direction override such as U+202E): it would be kept in the version, the
    /// history and the audit log, where it can reorder or hide what is shown around it.
    #[error(
        "the message holds a control or invisible character (such as a direction override): write it as plain text"
    )]
    MessageCharacters,
    /// The form does not describe a valid record: every problem under its field.
    #[error("the form has errors")]
    Invalid(Checked),
    /// Another writer (an ingest) held the archive's write lock for longer than the save waits.
    #[error("an ingest is writing the archive; try again in a minute")]
    Busy,
    /// The record's head moved since the form was made (another archivist saved, or an ingest
    /// wrote it): nothing was written; both changes are listed.
    #[error("record changed by someone else since {base} (now {head}): nothing was saved")]
    Conflict {
        /// The version the form was made from.
        base: String,
        /// The head now.
        head: String,
        /// What the other change did, from `base` to `head`.
        theirs: Vec<Change>,
        /// What this change would do, from `base`.
        yours: Vec<Change>,
    },
    /// Withdrawing a withdrawn record, or reinstating one that is not withdrawn; withholding a
    /// version withheld already, or publishing again one that is not withheld.
    #[error("{0}")]
    State(&'static str),
    /// Withholding the record's current version: an archivist edits or withdraws it instead.
    #[error("the current version cannot be withheld: edit or withdraw the record instead")]
    CurrentVersion,
    /// A restore would give back text (in `field`) removed from an earlier version withheld from
    /// the public: that version must be published again first.
    #[error(
        "restoring it would give back text ({0}) removed from an earlier version withheld from the public: publish that version again first"
    )]
    Resurfacing(String),
    /// A purge's deletion event could not be written to the storage root's log (the text says
    /// why, and whether the object was put back: a purge is done logged or not at all).
    #[error("{0}")]
    NotLogged(String),
    /// The archive failed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The index failed (the version is in the archive; the next start reconciles the index).
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// The authorities a form is checked against: the archive's villages, crafts, artisans and
/// products, and the accounts database's groups (`community:<id>`).
pub fn authorities(catalogue: &Catalogue, communities: &Communities) -> Authorities {
    Authorities {
        villages: catalogue.villages.clone(),
        crafts: catalogue.crafts.clone(),
        artisans: catalogue.artisans.clone(),
        products: catalogue.products.clone(),
        communities: communities.clone(),
        ..Authorities::default()
    }
}

/// Saves the edit form `fields`, made from version `base` of record `id`, as a new version. A
/// visit's record stops must name records of the archive ([`form::check_record_stops`]).
///
/// # Errors
/// [`WorkspaceError::Invalid`] with every problem under its field, and those of [`save::save`].
pub fn edit(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    fields: &Fields,
    communities: &Communities,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, catalogue| {
        let authorities = authorities(catalogue, communities);
        let (record, _) =
            form::to_record(head, fields, &authorities).map_err(WorkspaceError::Invalid)?;
        form::check_record_stops(&record, |id| catalogue.records.contains_key(id))
            .map_err(WorkspaceError::Invalid)?;
        if let Some(field) = resurfacing(writer, id, head, &record)? {
            // Beside the field, as ingest refuses the same text (break round 2, F2).
            let field = if field == "text" { form::BODY } else { &field };
            return Err(WorkspaceError::Invalid(form::Checked::refusing(
                field,
                crate::msg!(
                    "workspace-withheld-text",
                    "this text was removed from an earlier version withheld from the public; it cannot come back while that version is withheld (publish that version again first, or write it otherwise)"
                ),
            )));
        }
        Ok(record)
    })
}

/// The field of `record` (a new version of `head`, record `id`) that would give back text
/// removed from an earlier version `head` withholds from the public, or `None`
/// ([`crate::model::withdrawal::removed_texts`]): edits and restores refuse it as ingest does.
///
/// # Errors
/// Archive errors when a withheld version cannot be read.
fn resurfacing(
    writer: &Writer<'_>,
    id: &RecordId,
    head: &Record,
    record: &Record,
) -> Result<Option<String>, WorkspaceError> {
    if head.withheld_versions.is_empty() {
        return Ok(None);
    }
    let inventory = inventory(writer, id)?;
    let withheld = head
        .withheld_versions
        .iter()
        .map(|withheld| history::record_at(writer.archive, &inventory, &withheld.version))
        .collect::<Result<Vec<_>, _>>()?;
    let removed = crate::model::withdrawal::removed_texts(head, &withheld);
    Ok(crate::model::withdrawal::resurfacing(&removed, record))
}

/// Writes a new version of record `id` whose description is version `version`'s
/// ([`form::with_description_of`]); its files and withdrawal stay the head's.
///
/// # Errors
/// [`WorkspaceError::NoSuchVersion`], and those of [`save::save`].
pub fn restore(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    version: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, _| {
        let inventory = inventory(writer, id)?;
        let old = history::record_at(writer.archive, &inventory, version)?;
        let record = form::with_description_of(head, &old);
        // A withheld version, or another holding its removed text, is not restored while
        // withheld (break round 2, F1).
        if let Some(field) = resurfacing(writer, id, head, &record)? {
            return Err(WorkspaceError::Resurfacing(field));
        }
        Ok(record)
    })
}

/// Withdraws record `id` (see [`crate::model::withdrawal`]): a new version with a withdrawal
/// naming `author.login`, now and `author.message` as the reason.
///
/// # Errors
/// [`WorkspaceError::State`] when it is withdrawn already, and those of [`save::save`].
pub fn withdraw(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, _| {
        if head.withdrawal.is_some() {
            return Err(WorkspaceError::State("the record is withdrawn already"));
        }
        let mut record = head.clone();
        record.withdrawal = Some(Withdrawal {
            reason: author.message.trim().to_string(),
            by: author.login.clone(),
            at: now(),
        });
        Ok(record)
    })
}

/// Record `id`'s OCFL inventory.
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`] when the archive holds no such object, archive errors.
fn inventory(
    writer: &Writer<'_>,
    id: &RecordId,
) -> Result<crate::archive::Inventory, WorkspaceError> {
    writer
        .archive
        .record_inventory(id)?
        .ok_or(WorkspaceError::NoSuchRecord)
}

/// Now, as a withdrawal or a withheld version is dated: RFC 3339, UTC, seconds.
fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Reinstates record `id`: a new version without its withdrawal.
///
/// # Errors
/// [`WorkspaceError::State`] when it is not withdrawn, and those of [`save::save`].
pub fn reinstate(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, _| {
        if head.withdrawal.is_none() {
            return Err(WorkspaceError::State("the record is not withdrawn"));
        }
        let mut record = head.clone();
        record.withdrawal = None;
        Ok(record)
    })
}

/// Withholds the earlier version `version` (`v3`) of record `id` from everyone but archivists
/// (see [`crate::model::WithheldVersion`]): a new version whose `withheld_versions` names it,
/// `author.login`, now and `author.message` as the reason. The version's own content is kept.
///
/// # Errors
/// [`WorkspaceError::NoSuchVersion`] when the record has no such version,
/// [`WorkspaceError::CurrentVersion`] when it is the head, [`WorkspaceError::State`] when it is
/// withheld already, and those of [`save::save`].
pub fn withhold(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    version: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, _| {
        let inventory = inventory(writer, id)?;
        if !inventory.versions.contains_key(version) {
            return Err(WorkspaceError::NoSuchVersion(version.to_string()));
        }
        if inventory.head == version {
            return Err(WorkspaceError::CurrentVersion);
        }
        if head.withholds(version).is_some() {
            return Err(WorkspaceError::State("the version is withheld already"));
        }
        let mut record = head.clone();
        record.withheld_versions.push(WithheldVersion {
            version: version.to_string(),
            reason: author.message.trim().to_string(),
            by: author.login.clone(),
            at: now(),
        });
        Ok(record)
    })
}

/// Publishes again the earlier version `version` of record `id` that [`withhold`] withheld: a new
/// version whose `withheld_versions` no longer names it.
///
/// # Errors
/// [`WorkspaceError::State`] when it is not withheld, and those of [`save::save`].
pub fn release(
    writer: &Writer<'_>,
    id: &RecordId,
    base: &str,
    version: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save::save(writer, id, base, author, |head, _| {
        if head.withholds(version).is_none() {
            return Err(WorkspaceError::State("the version is not withheld"));
        }
        let mut record = head.clone();
        record.withheld_versions.retain(|w| w.version != version);
        Ok(record)
    })
}

/// Every withdrawn record of the archive, by id: what the workspace lists as withdrawn (they are
/// on no other surface). Reads every record's head description.
///
/// # Errors
/// The archive cannot be read.
pub fn withdrawn(archive: &crate::archive::Archive) -> Result<Vec<Record>, WorkspaceError> {
    let catalogue = archive.catalogue()?;
    let mut found = Vec::new();
    for inventory in catalogue.records.values() {
        let record = archive.record_from(inventory)?;
        if record.withdrawal.is_some() {
            found.push(record);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
