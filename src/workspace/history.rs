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
    /// When it was made as read in Vietnam (UTC+7, no daylight saving): `2026-12-02 15:04:05`;
    /// `created` as written when it is not RFC 3339.
    pub created_in_vietnam: String,
    /// Who may see it in this version ([`Object::rule`]): restoring a version whose rule is not
    /// the head's changes who may see it, which the history page says beside its button.
    pub rule: Option<String>,
    /// Who made it (the version's `user.name`: a login, or the ingest's `--user`).
    pub user: Option<String>,
    /// Why (the version's `message`).
    pub message: Option<String>,
    /// What changed from the version before (for `v1`: nothing listed, it is the first).
    pub changes: Vec<Change>,
}

/// `created` (RFC 3339, any offset) as a clock in Vietnam reads it (UTC+7, which has no
/// daylight saving): `2026-12-02T08:04:05Z` → `2026-12-02 15:04:05`; `created` itself when it
/// cannot be read.
pub fn in_vietnam(created: &str) -> String {
    read_utc(created)
        .map(|utc| {
            let local = utc + std::time::Duration::from_secs(7 * 3600);
            humantime::format_rfc3339_seconds(local)
                .to_string()
                .trim_end_matches('Z')
                .replacen('T', " ", 1)
        })
        .unwrap_or_else(|| created.to_string())
}

/// The instant RFC 3339 text `text` names (`Z` or a `±hh:mm` offset, fractions of a second
/// allowed); `None` when it is not such a text.
fn read_utc(text: &str) -> Option<std::time::SystemTime> {
    let (local, offset) = if let Some(local) = text.strip_suffix(['Z', 'z']) {
        (local, 0i64)
    } else {
        let split = text.len().checked_sub(6)?;
        let (local, zone) = (text.get(..split)?, text.get(split..)?);
        let sign = match zone.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let (hours, minutes) = zone[1..].split_once(':')?;
        let seconds = hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60;
        (local, sign * seconds)
    };
    // The clock reading as if it were UTC, then moved by the offset.
    let clock = humantime::parse_rfc3339_weak(local).ok()?;
    let shift = std::time::Duration::from_secs(offset.unsigned_abs());
    if offset >= 0 {
        clock.checked_sub(shift)
    } else {
        clock.checked_add(shift)
    }
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
            created_in_vietnam: in_vietnam(&version.created),
            rule: described.rule(),
            user: version.user.as_ref().map(|user| user.name.clone()),
            message: version.message.clone(),
            changes,
        });
        previous = Some((described, state));
    }
    entries.reverse();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::in_vietnam;

    #[test]
    fn versions_are_dated_as_read_in_vietnam() {
        assert_eq!(in_vietnam("2026-12-02T08:04:05Z"), "2026-12-02 15:04:05");
        assert_eq!(
            in_vietnam("2026-12-02T20:30:00.123456Z"),
            "2026-12-03 03:30:00"
        );
        assert_eq!(
            in_vietnam("2026-12-02T15:04:05+07:00"),
            "2026-12-02 15:04:05"
        );
        assert_eq!(
            in_vietnam("2026-12-02T01:04:05-05:30"),
            "2026-12-02 13:34:05"
        );
        for unreadable in [
            "",
            "yesterday",
            "2026-12-02T08:04:05+7",
            "2026-13-02T08:04:05Z",
        ] {
            assert_eq!(in_vietnam(unreadable), unreadable);
        }
    }
}
