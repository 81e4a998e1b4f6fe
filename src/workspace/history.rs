//! The history of a record or an authority: every OCFL version of its object (number, when,
//! who, why), the description as each version holds it, and what changed from the version
//! before ([`super::diff`]).
//!
//! Everything is read from the inventory and the version's description (`record.json`,
//! `village.json`…), as any OCFL reader would: the history survives without Disan.

use std::collections::BTreeMap;

use serde::Serialize;

use super::WorkspaceError;
use super::diff::{Change, file_changes, metadata_changes};
use super::object::Object;
use crate::archive::{Archive, Inventory, record_object_id};
use crate::model::{Record, RecordId};

/// One version of a record or an authority, as the history page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Its name (`v3`).
    pub version: String,
    /// Its number (3).
    pub number: u32,
    /// When it was made (RFC 3339, the inventory's `created`).
    pub created: String,
    /// Who made it (the version's `user.name`: a login, or the ingest's `--user`).
    pub user: Option<String>,
    /// Why (the version's `message`).
    pub message: Option<String>,
    /// What changed from the version before (for `v1`: nothing listed, it is the first).
    pub changes: Vec<Change>,
}

/// The number of version name `v12` (0 for anything else).
pub fn number(version: &str) -> u32 {
    version
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A version's state as logical path → SHA-256 hex.
pub fn state_of(inventory: &Inventory, version: &str) -> Option<BTreeMap<String, String>> {
    let version = inventory.versions.get(version)?;
    let mut state = BTreeMap::new();
    for (digest, paths) in &version.state {
        for path in paths {
            state.insert(path.clone(), digest.clone());
        }
    }
    Some(state)
}

/// The record as version `version` of its object holds it ([`object_at`]).
///
/// # Errors
/// As [`object_at`].
pub fn record_at(
    archive: &Archive,
    inventory: &Inventory,
    version: &str,
) -> Result<Record, WorkspaceError> {
    object_at(archive, inventory, version)
}

/// The description (`T::JSON`: a record, a village…) as version `version` of its object holds
/// it.
///
/// # Errors
/// [`WorkspaceError::NoSuchVersion`] when the object has no such version; archive errors when
/// its description cannot be read.
pub fn object_at<T: Object>(
    archive: &Archive,
    inventory: &Inventory,
    version: &str,
) -> Result<T, WorkspaceError> {
    let state = state_of(inventory, version)
        .ok_or_else(|| WorkspaceError::NoSuchVersion(version.to_string()))?;
    let object = archive.storage().object_path(&inventory.id);
    let bad = |reason: String| {
        WorkspaceError::Archive(crate::archive::ArchiveError::BadMetadata {
            path: object.clone(),
            reason,
        })
    };
    let digest = state
        .get(T::JSON)
        .ok_or_else(|| bad(format!("{version} has no {}", T::JSON)))?;
    let content = inventory
        .content_path(digest)
        .ok_or_else(|| bad(format!("{version}'s {} is not in the manifest", T::JSON)))?;
    let path = object.join(content);
    let bytes =
        std::fs::read(&path).map_err(|error| bad(format!("{}: {error}", path.display())))?;
    serde_json::from_slice(&bytes).map_err(|error| bad(format!("{}: {error}", path.display())))
}

/// The head inventory of OCFL object `object` (`urn:disan:village:nha-xa`).
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`] when the archive has no such object; archive errors.
pub fn inventory_of(archive: &Archive, object: &str) -> Result<Inventory, WorkspaceError> {
    archive
        .storage()
        .inventory(object)
        .map_err(|error| WorkspaceError::Archive(error.into()))?
        .ok_or(WorkspaceError::NoSuchRecord)
}

/// Every version of record `id`, newest first, each with what changed from the one before.
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`]; archive errors.
pub fn history(archive: &Archive, id: &RecordId) -> Result<Vec<Entry>, WorkspaceError> {
    history_of::<Record>(archive, &record_object_id(id))
}

/// Every version of OCFL object `object` (whose description is a `T`), newest first, each with
/// what changed from the one before: fields, and files under `files/`.
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`] when there is no such object; archive errors.
pub fn history_of<T: Object>(
    archive: &Archive,
    object: &str,
) -> Result<Vec<Entry>, WorkspaceError> {
    let inventory = inventory_of(archive, object)?;
    let mut names: Vec<&String> = inventory.versions.keys().collect();
    names.sort_by_key(|name| number(name));
    let mut entries = Vec::new();
    let mut previous: Option<(T, BTreeMap<String, String>)> = None;
    for name in names {
        let version = &inventory.versions[name];
        let described: T = object_at(archive, &inventory, name)?;
        let state = state_of(&inventory, name).unwrap_or_default();
        let changes = match &previous {
            Some((before, before_state)) => {
                let mut changes = metadata_changes(before, &described);
                changes.extend(file_changes(before_state, &state));
                changes
            }
            None => Vec::new(),
        };
        entries.push(Entry {
            version: name.clone(),
            number: number(name),
            created: version.created.clone(),
            user: version.user.as_ref().map(|user| user.name.clone()),
            message: version.message.clone(),
            changes,
        });
        previous = Some((described, state));
    }
    entries.reverse();
    Ok(entries)
}
