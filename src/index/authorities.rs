//! A copy of the village and craft authority records, kept beside the search index so the site
//! can name villages and crafts without walking the archive.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::IndexError;
use super::search::AuthorityNames;
use crate::archive::Catalogue;
use crate::model::{Craft, CraftId, Village, VillageId};

/// Every village and craft, by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Authorities {
    /// Villages by id.
    pub villages: BTreeMap<String, Village>,
    /// Crafts by id.
    pub crafts: BTreeMap<String, Craft>,
}

impl Authorities {
    /// Copies the authorities of an archive catalogue.
    pub fn from_catalogue(catalogue: &Catalogue) -> Self {
        Self::from_maps(&catalogue.villages, &catalogue.crafts)
    }

    /// Copies villages and crafts keyed by their ids.
    pub fn from_maps(
        villages: &BTreeMap<VillageId, Village>,
        crafts: &BTreeMap<CraftId, Craft>,
    ) -> Self {
        Authorities {
            villages: villages
                .iter()
                .map(|(id, v)| (id.to_string(), v.clone()))
                .collect(),
            crafts: crafts
                .iter()
                .map(|(id, c)| (id.to_string(), c.clone()))
                .collect(),
        }
    }

    /// Reads the copy; an absent file is an empty copy.
    pub fn load(path: &Path) -> Self {
        Self::read(path).unwrap_or_default()
    }

    /// Reads the copy, saying why it cannot be used (missing, unreadable, not the expected JSON).
    ///
    /// # Errors
    /// The I/O or JSON error, as text.
    pub fn read(path: &Path) -> Result<Self, String> {
        let bytes = std::fs::read(path).map_err(|error| error.to_string())?;
        serde_json::from_slice(&bytes).map_err(|error| error.to_string())
    }

    /// Writes the copy atomically.
    pub fn save(&self, path: &Path) -> Result<(), IndexError> {
        let error = |reason: String| IndexError::Write {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| error(e.to_string()))?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| error(e.to_string()))?;
        let temp = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&temp, json).map_err(|e| error(e.to_string()))?;
        std::fs::rename(&temp, path).map_err(|e| error(e.to_string()))
    }
}

impl AuthorityNames for Authorities {
    fn village_names(&self, id: &str) -> Vec<String> {
        self.villages
            .get(id)
            .map(|v| {
                [Some(v.name.clone()), v.name_en.clone()]
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn village_district(&self, id: &str) -> Option<String> {
        self.villages.get(id)?.district.clone()
    }

    fn village_status(&self, id: &str) -> Option<crate::model::RiskStatus> {
        self.villages.get(id)?.status
    }

    fn craft_names(&self, id: &str) -> Vec<String> {
        self.crafts
            .get(id)
            .map(|c| {
                [Some(c.name.clone()), c.name_en.clone()]
                    .into_iter()
                    .flatten()
                    .collect()
            })
            .unwrap_or_default()
    }
}
