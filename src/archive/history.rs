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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{Archive, User, VersionInfo};
    use crate::model::VillageId;

    #[test]
    fn changes_are_listed_oldest_first_past_version_nine_and_only_when_the_class_changes() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(&dir.path().join("archive")).unwrap();
        let lock = archive.lock().unwrap();
        let info = VersionInfo::new(
            "test",
            User {
                name: "tester".into(),
                address: None,
            },
        );
        let id = VillageId::parse("lang-thu-1").unwrap();
        let mut village = Village::new(id.clone(), "Làng thử 1");
        // v1: no class; v2..v11: the name changes each time, the class at v3 and v11 only.
        archive.store_village(&lock, &village, &info).unwrap();
        for n in 2..=11 {
            village.name = format!("Làng thử 1 ({n})");
            if n == 3 {
                village.status = Some(RiskStatus::Developing);
                village.status_date = Some(Edtf::parse("2010").unwrap());
            }
            if n == 11 {
                village.status = Some(RiskStatus::AtRiskRevivable);
                village.status_date = Some(Edtf::parse("2025-06").unwrap());
            }
            archive.store_village(&lock, &village, &info).unwrap();
        }
        let histories = archive.village_histories([&id].into_iter()).unwrap();
        let changes: Vec<(Option<RiskStatus>, Option<&str>, &str)> = histories[&id]
            .iter()
            .map(|c| {
                (
                    c.status,
                    c.status_date.as_ref().map(Edtf::as_str),
                    c.version.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                (Some(RiskStatus::Developing), Some("2010"), "v3"),
                (Some(RiskStatus::AtRiskRevivable), Some("2025-06"), "v11"),
            ]
        );
        let catalogue = archive.catalogue().unwrap();
        assert_eq!(catalogue.village_history[&id], histories[&id]);
    }
}
