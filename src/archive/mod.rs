//! The preservation store: records and authorities kept as OCFL objects on disk.
//!
//! This stage owns what is true forever. Each record is one OCFL object whose logical state is
//! `record.json` (the descriptive metadata, see [`crate::model::Record`]) plus its original files
//! under `files/`. Villages, crafts, artisans (with their honours) and products are objects too
//! (`urn:disan:village:<id>`, `urn:disan:craft:<id>`, `urn:disan:artisan:<id>`,
//! `urn:disan:product:<id>`), so that the archive alone is enough to rebuild everything else
//! Disan shows; a village's earlier Decree 52 classes are its object's earlier versions
//! ([`history`]). The files' original names are
//! their OCFL logical paths; where their bytes lie (content paths) is made portable to Windows,
//! exFAT, NTFS and S3 by [`portable`]. Every version also carries the object's PREMIS event log,
//! `premis.xml` ([`premis`]): what happened to it, when, by whom, with what outcome.

pub mod history;
mod ocfl;
pub mod portable;
pub mod premis;
pub mod verify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub(crate) use ocfl::lock_exclusive;
pub use ocfl::{
    Commit, Inventory, NewContent, OcflError, StorageRoot, User, Version, VersionInfo, WriteLock,
    hash_file, object_relative_path, read_inventory,
};

pub use history::ClassChange;

use crate::model::{
    Artisan, ArtisanId, Craft, CraftId, Product, ProductId, Record, RecordId, Sha256, Village,
    VillageId,
};

/// OCFL object ids are URIs (as OCFL recommends): `urn:disan:record:<id>`,
/// `urn:disan:village:<id>`, `urn:disan:craft:<id>`, `urn:disan:artisan:<id>`,
/// `urn:disan:product:<id>`.
pub const RECORD_URN: &str = "urn:disan:record:";
/// Prefix of a village object's id.
pub const VILLAGE_URN: &str = "urn:disan:village:";
/// Prefix of a craft object's id.
pub const CRAFT_URN: &str = "urn:disan:craft:";
/// Prefix of an artisan object's id.
pub const ARTISAN_URN: &str = "urn:disan:artisan:";
/// Prefix of a product object's id.
pub const PRODUCT_URN: &str = "urn:disan:product:";

/// The OCFL object id of a record.
pub fn record_object_id(id: &RecordId) -> String {
    format!("{RECORD_URN}{id}")
}

/// The record id an OCFL object id names (`urn:disan:record:<id>`); `None` for any other
/// object (an authority) or an id that is not a record id.
pub fn record_id_of(object: &str) -> Option<RecordId> {
    object
        .strip_prefix(RECORD_URN)
        .and_then(|id| RecordId::parse(id).ok())
}

/// Logical path of a record's descriptive metadata inside its object.
pub const RECORD_JSON: &str = "record.json";
/// Logical folder of a record's original files inside its object.
pub const FILES_DIR: &str = "files";
/// Logical path of a village's description inside its object.
pub const VILLAGE_JSON: &str = "village.json";
/// Logical path of a craft's description inside its object.
pub const CRAFT_JSON: &str = "craft.json";
/// Logical path of an artisan's description (with its honours) inside its object.
pub const ARTISAN_JSON: &str = "artisan.json";
/// Logical path of a product's description inside its object.
pub const PRODUCT_JSON: &str = "product.json";

/// Errors of the archive stage.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The OCFL layer failed.
    #[error(transparent)]
    Ocfl(#[from] OcflError),
    /// A metadata JSON file in an object does not parse.
    #[error("{path}: {reason}")]
    BadMetadata {
        /// The content file.
        path: PathBuf,
        /// The parse error.
        reason: String,
    },
}

/// What the archive holds, read once: used to resolve authorities and spot duplicate content.
#[derive(Debug, Default)]
pub struct Catalogue {
    /// Every record's inventory, by record id.
    pub records: BTreeMap<RecordId, Inventory>,
    /// Every village.
    pub villages: BTreeMap<VillageId, Village>,
    /// Every craft.
    pub crafts: BTreeMap<CraftId, Craft>,
    /// Every artisan, honours included.
    pub artisans: BTreeMap<ArtisanId, Artisan>,
    /// Every product.
    pub products: BTreeMap<ProductId, Product>,
    /// Each village's Decree 52/2018 class changes, oldest first ([`history::class_history`]);
    /// villages never classed have none.
    pub village_history: BTreeMap<VillageId, Vec<ClassChange>>,
    /// For each file digest in a record's head version, the record holding it.
    pub holders: BTreeMap<Sha256, RecordId>,
}

/// An open archive.
#[derive(Debug, Clone)]
pub struct Archive {
    storage: StorageRoot,
}

impl Archive {
    /// The storage root folder.
    pub fn root(&self) -> &Path {
        self.storage.path()
    }

    /// Opens an existing archive.
    pub fn open(root: &Path) -> Result<Self, ArchiveError> {
        Ok(Archive {
            storage: StorageRoot::open(root)?,
        })
    }

    /// Opens the archive, creating an empty one when `root` is missing or empty.
    pub fn open_or_create(root: &Path) -> Result<Self, ArchiveError> {
        Ok(Archive {
            storage: StorageRoot::open_or_create(root)?,
        })
    }

    /// The OCFL storage root underneath.
    pub fn storage(&self) -> &StorageRoot {
        &self.storage
    }

    /// Takes the single-writer lock.
    pub fn lock(&self) -> Result<WriteLock, ArchiveError> {
        Ok(self.storage.lock()?)
    }

    /// Reads every object's inventory and the authority records.
    pub fn catalogue(&self) -> Result<Catalogue, ArchiveError> {
        let mut catalogue = Catalogue::default();
        for dir in self.storage.object_dirs() {
            let dir = dir?;
            let inventory = read_inventory(&dir)?;
            if inventory.id.starts_with(VILLAGE_URN) {
                let village: Village = self.read_json(&inventory, VILLAGE_JSON)?;
                let history = history::class_history(&self.storage, &inventory)?;
                if !history.is_empty() {
                    catalogue
                        .village_history
                        .insert(village.id.clone(), history);
                }
                catalogue.villages.insert(village.id.clone(), village);
            } else if inventory.id.starts_with(CRAFT_URN) {
                let craft: Craft = self.read_json(&inventory, CRAFT_JSON)?;
                catalogue.crafts.insert(craft.id.clone(), craft);
            } else if inventory.id.starts_with(ARTISAN_URN) {
                let artisan: Artisan = self.read_json(&inventory, ARTISAN_JSON)?;
                catalogue.artisans.insert(artisan.id.clone(), artisan);
            } else if inventory.id.starts_with(PRODUCT_URN) {
                let product: Product = self.read_json(&inventory, PRODUCT_JSON)?;
                catalogue.products.insert(product.id.clone(), product);
            } else if let Some(Ok(id)) = inventory.id.strip_prefix(RECORD_URN).map(RecordId::parse)
            {
                for (path, digest) in inventory.head_state() {
                    if path.starts_with(FILES_DIR)
                        && let Ok(digest) = digest.parse()
                    {
                        catalogue.holders.insert(digest, id.clone());
                    }
                }
                catalogue.records.insert(id, inventory);
            }
        }
        Ok(catalogue)
    }

    /// The head inventory of a record's object.
    pub fn record_inventory(&self, id: &RecordId) -> Result<Option<Inventory>, ArchiveError> {
        Ok(self.storage.inventory(&record_object_id(id))?)
    }

    /// The folder of a record's object.
    pub fn record_path(&self, id: &RecordId) -> PathBuf {
        self.storage.object_path(&record_object_id(id))
    }

    /// Loads a record's head metadata.
    pub fn record(&self, id: &RecordId) -> Result<Option<Record>, ArchiveError> {
        match self.storage.inventory(&record_object_id(id))? {
            Some(inventory) => self.read_json(&inventory, RECORD_JSON).map(Some),
            None => Ok(None),
        }
    }

    /// Loads a record's metadata from its inventory.
    pub fn record_from(&self, inventory: &Inventory) -> Result<Record, ArchiveError> {
        self.read_json(inventory, RECORD_JSON)
    }

    /// A record's metadata as version `version` (`v3`) of its object holds it: `None` when the
    /// object has no such version. What a versioned citation names (`/records/{id}/v3`): the
    /// caller decides who may see it, as for the head.
    ///
    /// # Errors
    /// The version's `record.json` is missing from the manifest, unreadable or not a record.
    pub fn record_at(
        &self,
        inventory: &Inventory,
        version: &str,
    ) -> Result<Option<Record>, ArchiveError> {
        let Some(state) = inventory.versions.get(version) else {
            return Ok(None);
        };
        let object = self.storage.object_path(&inventory.id);
        let bad = |reason: String| ArchiveError::BadMetadata {
            path: object.clone(),
            reason,
        };
        let digest = state
            .state
            .iter()
            .find(|(_, paths)| paths.iter().any(|path| path == RECORD_JSON))
            .map(|(digest, _)| digest)
            .ok_or_else(|| bad(format!("{version} has no {RECORD_JSON}")))?;
        let content = inventory
            .content_path(digest)
            .ok_or_else(|| bad(format!("{version}'s {RECORD_JSON} is not in the manifest")))?;
        let path = object.join(content);
        let bytes = std::fs::read(&path).map_err(|source| OcflError::Io {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| ArchiveError::BadMetadata {
                path,
                reason: error.to_string(),
            })
    }

    /// The path of a record file's content in the head version.
    pub fn file_path(
        &self,
        inventory: &Inventory,
        logical_path: &str,
    ) -> Result<Option<PathBuf>, ArchiveError> {
        Ok(self.storage.open_file(inventory, logical_path)?)
    }

    /// Stores a record and its files (logical path under `files/` → source file) as a new version.
    pub fn store_record(
        &self,
        lock: &WriteLock,
        record: &Record,
        files: Vec<(String, NewContent)>,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let mut content: BTreeMap<String, NewContent> = files.into_iter().collect();
        content.insert(RECORD_JSON.to_string(), NewContent::Bytes(to_json(record)));
        self.commit(lock, &record_object_id(&record.id), content, info)
    }

    /// Stores `description` as the new version of authority object `object`
    /// (`urn:disan:village:nha-xa`), its only file being `path` (`village.json`), as every
    /// `store_*` of an authority does: the workspace writes villages, crafts, artisans and
    /// products through it.
    pub fn store_description(
        &self,
        lock: &WriteLock,
        object: &str,
        path: &str,
        description: &impl serde::Serialize,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let content = BTreeMap::from([(path.to_string(), NewContent::Bytes(to_json(description)))]);
        self.commit(lock, object, content, info)
    }

    /// Stores a village authority record.
    pub fn store_village(
        &self,
        lock: &WriteLock,
        village: &Village,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let object = format!("{VILLAGE_URN}{}", village.id);
        self.store_description(lock, &object, VILLAGE_JSON, village, info)
    }

    /// Stores a craft authority record.
    pub fn store_craft(
        &self,
        lock: &WriteLock,
        craft: &Craft,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let object = format!("{CRAFT_URN}{}", craft.id);
        self.store_description(lock, &object, CRAFT_JSON, craft, info)
    }

    /// Stores an artisan authority record, honours included (`urn:disan:artisan:<id>`).
    pub fn store_artisan(
        &self,
        lock: &WriteLock,
        artisan: &Artisan,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let object = format!("{ARTISAN_URN}{}", artisan.id);
        self.store_description(lock, &object, ARTISAN_JSON, artisan, info)
    }

    /// Stores a product authority record (`urn:disan:product:<id>`).
    pub fn store_product(
        &self,
        lock: &WriteLock,
        product: &Product,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let object = format!("{PRODUCT_URN}{}", product.id);
        self.store_description(lock, &object, PRODUCT_JSON, product, info)
    }

    /// The Decree 52/2018 class changes of each village in `ids`, oldest first, read from
    /// their objects' versions ([`history::class_history`]); villages with none are left out.
    ///
    /// # Errors
    /// An inventory or a version's `village.json` that cannot be read.
    pub fn village_histories<'a>(
        &self,
        ids: impl Iterator<Item = &'a VillageId>,
    ) -> Result<BTreeMap<VillageId, Vec<ClassChange>>, ArchiveError> {
        let mut histories = BTreeMap::new();
        for id in ids {
            if let Some(inventory) = self.storage.inventory(&format!("{VILLAGE_URN}{id}"))? {
                let history = history::class_history(&self.storage, &inventory)?;
                if !history.is_empty() {
                    histories.insert(id.clone(), history);
                }
            }
        }
        Ok(histories)
    }

    /// Commits `content` as the next version of object `id`, unless its state (the event log
    /// aside) is the head's: then nothing is written. The object's event log so far, with
    /// `info.events` appended (each given its identifier `<id>#<version>/e<n>` and linked to
    /// the new version), is written into the version as [`premis::PREMIS_XML`].
    fn commit(
        &self,
        lock: &WriteLock,
        id: &str,
        mut content: BTreeMap<String, NewContent>,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let existing = self.storage.inventory(id)?;
        if let Some(inventory) = &existing {
            let digests: BTreeMap<&str, String> = content
                .iter()
                .map(|(path, new)| (path.as_str(), new.digest().to_hex()))
                .collect();
            if same_state(inventory, &digests) {
                return Ok(Commit::Unchanged);
            }
        }
        let version = next_version(existing.as_ref());
        let mut events = match &existing {
            Some(inventory) => self.events(inventory)?,
            None => Vec::new(),
        };
        for (n, event) in info.events.iter().enumerate() {
            let object = premis::ObjectVersion {
                id: id.to_string(),
                version: version.clone(),
            };
            let mut event = event.clone();
            event.id = format!("{}/e{}", object.identifier(), n + 1);
            event.object = Some(object);
            events.push(event);
        }
        if !events.is_empty() {
            content.insert(
                premis::PREMIS_XML.to_string(),
                NewContent::Bytes(premis::xml::write(&[id], &events)),
            );
        }
        Ok(self.storage.commit(lock, id, content, info)?)
    }

    /// The PREMIS event log of an object's head version (every event of every version so far),
    /// oldest first; empty for an object written before Disan kept one.
    ///
    /// # Errors
    /// The log cannot be read or is not a PREMIS 3 document Disan wrote.
    pub fn events(&self, inventory: &Inventory) -> Result<Vec<premis::Event>, ArchiveError> {
        self.version_events(inventory, &inventory.head)
    }

    /// The PREMIS event log as it stood in `version` of an object (the events up to and with
    /// that version), read from that version's own `premis.xml`.
    ///
    /// # Errors
    /// As [`Archive::events`].
    pub fn version_events(
        &self,
        inventory: &Inventory,
        version: &str,
    ) -> Result<Vec<premis::Event>, ArchiveError> {
        let digest = inventory.versions.get(version).and_then(|v| {
            v.state
                .iter()
                .find(|(_, paths)| paths.iter().any(|p| p == premis::PREMIS_XML))
                .map(|(digest, _)| digest)
        });
        let Some(content) = digest.and_then(|d| inventory.content_path(d)) else {
            return Ok(Vec::new());
        };
        let path = self.storage.object_path(&inventory.id).join(content);
        let bytes = std::fs::read(&path).map_err(|source| OcflError::Io {
            path: path.clone(),
            source,
        })?;
        premis::xml::read(&bytes).map_err(|reason| ArchiveError::BadMetadata { path, reason })
    }

    /// Every event of the archive, oldest first (ties by identifier): each object's log, and the
    /// storage root's ([`premis::log`]), with a note for each log that could not be read.
    /// `object`, when given, keeps the events of that OCFL object id only.
    ///
    /// # Errors
    /// The storage root cannot be walked or its root log read.
    pub fn audit(
        &self,
        object: Option<&str>,
    ) -> Result<(Vec<premis::Event>, Vec<String>), ArchiveError> {
        let mut events = Vec::new();
        let mut notes = Vec::new();
        let mut inventories = Vec::new();
        match object {
            Some(id) => inventories.extend(self.storage.inventory(id)?),
            None => {
                for dir in self.storage.object_dirs() {
                    match read_inventory(&dir?) {
                        Ok(inventory) => inventories.push(inventory),
                        Err(error) => notes.push(error.to_string()),
                    }
                }
            }
        }
        for inventory in &inventories {
            match self.events(inventory) {
                Ok(found) => events.extend(found),
                Err(error) => notes.push(error.to_string()),
            }
        }
        let (logged, unreadable) = premis::log::read(self.root())?;
        notes.extend(unreadable);
        events.extend(
            logged
                .into_iter()
                .filter(|e| object.is_none_or(|id| e.object.as_ref().is_some_and(|o| o.id == id))),
        );
        events.sort_by(|a, b| (&a.date_time, &a.id).cmp(&(&b.date_time, &b.id)));
        Ok((events, notes))
    }

    fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        inventory: &Inventory,
        logical_path: &str,
    ) -> Result<T, ArchiveError> {
        let path = self
            .storage
            .open_file(inventory, logical_path)?
            .ok_or_else(|| ArchiveError::BadMetadata {
                path: self.storage.object_path(&inventory.id),
                reason: format!("object '{}' has no {logical_path}", inventory.id),
            })?;
        let bytes = std::fs::read(&path).map_err(|source| OcflError::Io {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|error| ArchiveError::BadMetadata {
            path,
            reason: error.to_string(),
        })
    }
}

/// What [`Archive::store_record`] would do with `record` and its `files` (logical path under
/// `files/` → digest), given the record object's head inventory (`None` when there is no such
/// object), without writing anything: what a dry run reports.
pub fn predict_record_commit(
    existing: Option<&Inventory>,
    record: &Record,
    files: &[(String, Sha256)],
) -> Commit {
    let Some(inventory) = existing else {
        return Commit::Created;
    };
    let mut state: BTreeMap<&str, String> = files
        .iter()
        .map(|(path, digest)| (path.as_str(), digest.to_hex()))
        .collect();
    state.insert(RECORD_JSON, record_json_digest(record).to_hex());
    if same_state(inventory, &state) {
        return Commit::Unchanged;
    }
    Commit::Updated {
        version: next_version(Some(inventory)),
    }
}

/// The SHA-256 of `record.json` as [`Archive::store_record`] writes it: what tells whether a
/// description changed.
pub fn record_json_digest(record: &Record) -> Sha256 {
    Sha256::of(&to_json(record))
}

/// Whether the head of `inventory` holds exactly `state` (logical path → hex digest), the
/// event log ([`premis::PREMIS_XML`]) aside: a version that would only add events is no
/// version, so an unchanged re-ingest writes nothing.
fn same_state(inventory: &Inventory, state: &BTreeMap<&str, String>) -> bool {
    let mut head = inventory.head_state();
    head.remove(premis::PREMIS_XML);
    head.len() == state.len()
        && state
            .iter()
            .all(|(path, digest)| head.get(*path) == Some(digest))
}

/// The name of the version a commit to the object `existing` would make (`v1` for a new one).
fn next_version(existing: Option<&Inventory>) -> String {
    let next = existing
        .and_then(|inventory| inventory.head.strip_prefix('v')?.parse::<u32>().ok())
        .map_or(1, |n| n + 1);
    format!("v{next}")
}

/// Serialises metadata the same way every time, so an unchanged record is byte-identical and
/// re-ingesting it adds no version.
fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(value).expect("catalogue types always serialise");
    json.push(b'\n');
    json
}

#[cfg(test)]
mod tests {
    use super::premis::{Event, EventType};
    use super::*;

    #[test]
    fn events_join_the_log_only_with_a_version_and_a_version_without_events_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(&dir.path().join("archive")).unwrap();
        let lock = archive.lock().unwrap();
        let user = User {
            name: "lan".into(),
            address: None,
        };
        let info = VersionInfo::new("test", user);
        let mut village = Village::new(VillageId::parse("lang-thu").unwrap(), "Làng thử");
        let first = info.with_events(vec![Event::ingestion("lan", "first")]);
        assert_eq!(
            archive.store_village(&lock, &village, &first).unwrap(),
            Commit::Created
        );
        // The same description with events: no version, so the events are not recorded.
        let edit = info.with_events(vec![Event::metadata_modification("lan", "a typo")]);
        assert_eq!(
            archive.store_village(&lock, &village, &edit).unwrap(),
            Commit::Unchanged
        );
        village.name = "Làng thử (sửa)".into();
        assert_eq!(
            archive.store_village(&lock, &village, &edit).unwrap(),
            Commit::Updated {
                version: "v2".into()
            }
        );
        let id = "urn:disan:village:lang-thu";
        let inventory = archive.storage().inventory(id).unwrap().unwrap();
        let log = archive.events(&inventory).unwrap();
        let seen: Vec<(&str, EventType)> =
            log.iter().map(|e| (e.id.as_str(), e.event_type)).collect();
        assert_eq!(
            seen,
            [
                ("urn:disan:village:lang-thu#v1/e1", EventType::Ingestion),
                (
                    "urn:disan:village:lang-thu#v2/e1",
                    EventType::MetadataModification
                ),
            ]
        );
        // A version given no events carries the log as it was: the same content, not stored
        // again.
        village.name = "Làng thử (lần 3)".into();
        archive.store_village(&lock, &village, &info).unwrap();
        let inventory = archive.storage().inventory(id).unwrap().unwrap();
        assert_eq!(inventory.head, "v3");
        assert_eq!(archive.events(&inventory).unwrap(), log);
        let object = archive.storage().object_path(id);
        assert!(object.join("v2/content/premis.xml").exists());
        assert!(!object.join("v3/content/premis.xml").exists());
    }
}
