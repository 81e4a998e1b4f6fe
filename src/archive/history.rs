//! A village's Decree 52/2018 class over time, read from its object's OCFL versions.
//!
//! `villages.csv` holds a village's class now (`status`, with `status_date`); the archive keeps
//! every earlier one, since each ingest that changes a village adds a version to its object
//! (`urn:disan:village:<id>`). [`class_history`] reads those versions back, oldest first, and
//! keeps the versions where the class or its date changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ocfl::{Inventory, OcflError, StorageRoot};
use super::{ArchiveError, VILLAGE_JSON};
use crate::model::{Edtf, RiskStatus, Village};

/// One change of a village's Decree 52/2018 class: the class and its date as of an OCFL
/// version of the village's object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassChange {
    /// The class from this version on; `None` when this version removed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RiskStatus>,
    /// When the class was set (EDTF), as `villages.csv` gave it in this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<Edtf>,
    /// The OCFL version that made the change (`v1`, `v2`, …).
    pub version: String,
    /// When that version was made (RFC 3339, the inventory's `created`): when the archive
    /// learnt of the change, not when the class was set.
    pub created: String,
}

/// The number of an OCFL version name (`v12` → 12).
fn number(version: &str) -> u32 {
    version
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The class changes of the village object `inventory`, oldest first: each version whose
/// `(status, status_date)` differs from the version before (the first one when it has either).
/// A village never classed has none.
///
/// # Errors
/// A version's `village.json` that is missing, unreadable or not a village.
pub fn class_history(
    storage: &StorageRoot,
    inventory: &Inventory,
) -> Result<Vec<ClassChange>, ArchiveError> {
    let mut versions: Vec<(&String, &super::ocfl::Version)> = inventory.versions.iter().collect();
    versions.sort_by_key(|(name, _)| number(name));
    let object = storage.object_path(&inventory.id);
    let mut read: BTreeMap<&str, (Option<RiskStatus>, Option<Edtf>)> = BTreeMap::new();
    let mut changes: Vec<ClassChange> = Vec::new();
    let mut last: (Option<RiskStatus>, Option<Edtf>) = (None, None);
    for (name, version) in versions {
        let Some(digest) = version
            .state
            .iter()
            .find(|(_, paths)| paths.iter().any(|path| path == VILLAGE_JSON))
            .map(|(digest, _)| digest.as_str())
        else {
            continue;
        };
        if !read.contains_key(digest) {
            let content =
                inventory
                    .content_path(digest)
                    .ok_or_else(|| ArchiveError::BadMetadata {
                        path: object.clone(),
                        reason: format!("{name}'s {VILLAGE_JSON} has no content in the manifest"),
                    })?;
            let path = object.join(content);
            let bytes = std::fs::read(&path).map_err(|source| OcflError::Io {
                path: path.clone(),
                source,
            })?;
            let village: Village =
                serde_json::from_slice(&bytes).map_err(|error| ArchiveError::BadMetadata {
                    path,
                    reason: error.to_string(),
                })?;
            read.insert(digest, (village.status, village.status_date));
        }
        let class = read[digest].clone();
        if class != last {
            changes.push(ClassChange {
                status: class.0,
                status_date: class.1.clone(),
                version: name.clone(),
                created: version.created.clone(),
            });
            last = class;
        }
    }
    Ok(changes)
}
