//! A copy of the authority records (villages, crafts, artisans, products), kept beside the search
//! index so the site can name them without walking the archive.
//!
//! The copy holds everything, guarded parts included; the site reads artisans and products
//! through [`Authorities::artisan`], [`Authorities::product`] and their lists, which apply the
//! viewer's access (`crate::model::artisan`, `crate::model::product`), never the maps directly.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::IndexError;
use super::search::AuthorityNames;
use crate::archive::{Catalogue, ClassChange};
use crate::model::access::Viewer;
use crate::model::{Artisan, ArtisanId, Craft, CraftId, Product, ProductId, Village, VillageId};

/// Every village, craft, artisan and product, by id, with each village's class history.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Authorities {
    /// Villages by id.
    pub villages: BTreeMap<String, Village>,
    /// Crafts by id.
    pub crafts: BTreeMap<String, Craft>,
    /// Artisans by id, guarded parts included (issue 14; absent in older copies).
    #[serde(default)]
    pub artisans: BTreeMap<String, Artisan>,
    /// Products by id, hidden ones included (issue 14; absent in older copies).
    #[serde(default)]
    pub products: BTreeMap<String, Product>,
    /// Each village's Decree 52/2018 class changes by village id, oldest first: one entry per
    /// OCFL version of the village's object whose `status` or `status_date` differs from the
    /// version before (see [`crate::archive::history`]); the last entry is the class now. A
    /// village never classed has no entry. Public, like the village (issue 14; absent in older
    /// copies).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub village_history: BTreeMap<String, Vec<ClassChange>>,
}

impl Authorities {
    /// Copies the authorities of an archive catalogue: villages with their class history,
    /// crafts, artisans and products.
    pub fn from_catalogue(catalogue: &Catalogue) -> Self {
        Self::from_maps(&catalogue.villages, &catalogue.crafts)
            .with_people_and_products(&catalogue.artisans, &catalogue.products)
            .with_history(&catalogue.village_history)
    }

    /// The same copy with these artisans and products (keyed by their ids).
    pub fn with_people_and_products(
        mut self,
        artisans: &BTreeMap<ArtisanId, Artisan>,
        products: &BTreeMap<ProductId, Product>,
    ) -> Self {
        self.artisans = keyed(artisans);
        self.products = keyed(products);
        self
    }

    /// The same copy with these villages' class histories ([`Authorities::village_history`]).
    pub fn with_history(mut self, history: &BTreeMap<VillageId, Vec<ClassChange>>) -> Self {
        self.village_history = keyed(history);
        self
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
            artisans: BTreeMap::new(),
            products: BTreeMap::new(),
            village_history: BTreeMap::new(),
        }
    }

    /// What `viewer` may see of artisan `id` ([`Artisan::shown_to`]); `None` when unknown.
    /// Every artisan exists for every viewer: only birth, death and description are guarded.
    pub fn artisan(&self, id: &str, viewer: &Viewer) -> Option<Artisan> {
        self.artisans
            .get(id)
            .map(|artisan| artisan.shown_to(viewer))
    }

    /// Every artisan as `viewer` may see them, by id.
    pub fn artisans_shown(&self, viewer: &Viewer) -> Vec<Artisan> {
        self.artisans.values().map(|a| a.shown_to(viewer)).collect()
    }

    /// Product `id` when `viewer` may see it; a product it may not see is `None`, exactly as
    /// an unknown one.
    pub fn product(&self, id: &str, viewer: &Viewer) -> Option<&Product> {
        self.products
            .get(id)
            .filter(|product| viewer.may_see(&product.access))
    }

    /// The products `viewer` may see, by id.
    pub fn products_shown<'a>(&'a self, viewer: &'a Viewer) -> impl Iterator<Item = &'a Product> {
        self.products
            .values()
            .filter(move |product| viewer.may_see(&product.access))
    }

    /// The entries of a free-text list (a village's legacy `products`, `products@en` or
    /// `artisans` column) that `viewer` may read: every entry but those naming a product
    /// ([`Product::is_named_by`]: id or name, case and diacritics ignored) the viewer may not
    /// see. Such lists were written by hand, often before the product was restricted; they
    /// must not name what [`Authorities::product`] hides (break14b finding 3).
    pub fn free_text_shown<'a>(&self, entries: &'a [String], viewer: &Viewer) -> Vec<&'a str> {
        entries
            .iter()
            .filter(|entry| {
                !self
                    .products
                    .values()
                    .any(|product| !viewer.may_see(&product.access) && product.is_named_by(entry))
            })
            .map(String::as_str)
            .collect()
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

/// A map keyed by ids, keyed by their text.
fn keyed<K: std::fmt::Display, V: Clone>(map: &BTreeMap<K, V>) -> BTreeMap<String, V> {
    map.iter()
        .map(|(id, v)| (id.to_string(), v.clone()))
        .collect()
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

    fn village_provinces(&self, id: &str) -> Vec<String> {
        let Some(village) = self.villages.get(id) else {
            return Vec::new();
        };
        let mut provinces: Vec<String> = Vec::new();
        for province in [&village.province, &village.province_2025]
            .into_iter()
            .flatten()
        {
            if !provinces.contains(province) {
                provinces.push(province.clone());
            }
        }
        provinces
    }

    fn village_communes(&self, id: &str) -> Vec<String> {
        let Some(village) = self.villages.get(id) else {
            return Vec::new();
        };
        let mut communes: Vec<String> = Vec::new();
        for commune in [&village.commune, &village.commune_2025]
            .into_iter()
            .flatten()
        {
            if !communes.contains(commune) {
                communes.push(commune.clone());
            }
        }
        communes
    }

    fn artisan_record(&self, id: &str) -> Option<&Artisan> {
        self.artisans.get(id)
    }

    fn product_record(&self, id: &str) -> Option<&Product> {
        self.products.get(id)
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
