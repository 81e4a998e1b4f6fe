//! Editing the archive's authorities in the workspace (issue 15): villages, crafts, artisans
//! (with their honours) and products, each one OCFL object (`urn:disan:village:<id>`…) like a
//! record, edited the same way: a form whose fields are the authority file's columns
//! ([`Sheet`]), checked by ingest's own parser of that file ([`sheets`]), saved through the
//! single write path ([`super::save::save_object`]: lock, conflict check, a new version with the
//! archivist as `user`, the message as `message` and its PREMIS events), with a history and a
//! restore ([`super::history::history_of`]).
//!
//! What a save does besides ([`write`]), in ingest's order: under the archive's write lock the
//! index is brought in step; when the new version lets fewer people see the authority (an
//! artisan's description and dates, a product), the site's copy of the authorities
//! ([`crate::index::authorities`]) takes the narrower version and every record citing it leaves
//! the index (committed) *before* the archive write; then the version is committed; then the
//! copy is written from the archive and the records citing the authority are indexed again with
//! it. When the save returns, every page, search, facet, count, export and API answer follows.

pub mod sheets;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::form::{Checked, Fields};
use super::object::Object;
use super::save::{Author, Saved, Writer, save_object, version_info};
use super::{WorkspaceError, history};
use crate::archive::{
    ARTISAN_JSON, ARTISAN_URN, Archive, ArchiveError, CRAFT_JSON, CRAFT_URN, Catalogue, Commit,
    PRODUCT_JSON, PRODUCT_URN, VILLAGE_JSON, VILLAGE_URN, VersionInfo, WriteLock,
};
use crate::ingest::communities::Communities;
use crate::ingest::metadata::Authorities;
use crate::model::Access;
use crate::model::access::Viewer;

/// The kinds of authority the workspace edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A craft village (`metadata/villages.csv`).
    Village,
    /// A craft (`metadata/crafts.csv`).
    Craft,
    /// An artisan with their honours (`metadata/artisans.csv`, `metadata/honours.csv`).
    Artisan,
    /// A product (`metadata/products.csv`).
    Product,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [Kind::Village, Kind::Craft, Kind::Artisan, Kind::Product];

    /// The site's path segment of its pages (`villages`: `/villages/{id}`).
    pub fn path(self) -> &'static str {
        match self {
            Kind::Village => "villages",
            Kind::Craft => "crafts",
            Kind::Artisan => "artisans",
            Kind::Product => "products",
        }
    }

    /// The kind whose pages are under `/{path}/`.
    pub fn from_path(path: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.path() == path)
    }

    /// The batch file that describes it.
    pub fn file(self) -> &'static str {
        match self {
            Kind::Village => "metadata/villages.csv",
            Kind::Craft => "metadata/crafts.csv",
            Kind::Artisan => "metadata/artisans.csv",
            Kind::Product => "metadata/products.csv",
        }
    }

    /// That file's columns, as the form's fields ([`crate::ingest::authority::columns_of`]).
    pub fn columns(self) -> Vec<&'static str> {
        crate::ingest::authority::columns_of(self.file())
    }

    /// The logical path of its description inside its object (`village.json`).
    pub const fn json(self) -> &'static str {
        match self {
            Kind::Village => VILLAGE_JSON,
            Kind::Craft => CRAFT_JSON,
            Kind::Artisan => ARTISAN_JSON,
            Kind::Product => PRODUCT_JSON,
        }
    }

    /// The OCFL object id of the authority `id` of this kind (`urn:disan:village:nha-xa`).
    pub fn object(self, id: &str) -> String {
        let urn = match self {
            Kind::Village => VILLAGE_URN,
            Kind::Craft => CRAFT_URN,
            Kind::Artisan => ARTISAN_URN,
            Kind::Product => PRODUCT_URN,
        };
        format!("{urn}{id}")
    }
}

/// The file an artisan's honours come from; its columns but `artisan` are the fields of each
/// honour on the artisan's form.
pub const HONOURS_FILE: &str = "metadata/honours.csv";

/// An authority as its edit form holds it: one row of its file, column → cell as the file would
/// hold it (`crafts` = `trong; det-lua`, `recognised` = `1234/QĐ-UBND; 2006-05-12`), and for an
/// artisan their rows of `honours.csv` (column → cell, without `artisan`), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    /// The row: column → cell (empty cells kept, so the form shows every column).
    pub row: BTreeMap<String, String>,
    /// An artisan's honours, each column → cell.
    pub honours: Vec<BTreeMap<String, String>>,
}

impl Sheet {
    /// The columns of an honour on an artisan's form: `honours.csv`'s but `artisan`.
    pub fn honour_columns() -> Vec<&'static str> {
        crate::ingest::authority::columns_of(HONOURS_FILE)
            .into_iter()
            .filter(|column| *column != "artisan")
            .collect()
    }

    /// Reads a posted form of `kind` (name/value pairs): the file's columns but `id` (the id is
    /// the page's), each once, its value trimmed; for an artisan, the honours, the n-th value of
    /// each honour column making the n-th honour, without those listed in `remove_honour`
    /// (1-based) and those left wholly empty. Other names (`base`, `message`, `csrf`) are the
    /// caller's.
    pub fn from_pairs<'a>(
        kind: Kind,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Sheet {
        let columns = kind.columns();
        let honour_columns = Sheet::honour_columns();
        let mut sheet = Sheet::default();
        let mut honours: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut removed = BTreeSet::new();
        for (name, value) in pairs {
            let name = name.trim();
            let value = crate::model::text::nfc(value.trim()).replace("\r\n", "\n");
            if kind == Kind::Artisan && name == "remove_honour" {
                removed.extend(value.parse::<usize>().ok());
            } else if kind == Kind::Artisan
                && let Some(column) = honour_columns.iter().find(|column| **column == name)
            {
                honours.entry(*column).or_default().push(value);
            } else if name != "id" && columns.contains(&name) {
                sheet.row.entry(name.to_string()).or_insert(value);
            }
        }
        let count = honours.values().map(Vec::len).max().unwrap_or(0);
        for index in 0..count {
            if removed.contains(&(index + 1)) {
                continue;
            }
            let honour: BTreeMap<String, String> = honour_columns
                .iter()
                .map(|column| {
                    let value = honours
                        .get(column)
                        .and_then(|values| values.get(index))
                        .cloned()
                        .unwrap_or_default();
                    (column.to_string(), value)
                })
                .collect();
            if honour.values().any(|value| !value.is_empty()) {
                sheet.honours.push(honour);
            }
        }
        sheet
    }

    /// The cell of `column` (empty when absent).
    pub fn cell(&self, column: &str) -> &str {
        self.row.get(column).map_or("", String::as_str)
    }
}

/// An authority the workspace edits: its kind, its form ([`Sheet`]) and back (through ingest's
/// parser), who may see it, and how the archive stores it. Every authority is an [`Object`]
/// (its description is `KIND.json()`, compared as its form).
pub trait Authority: Clone + PartialEq + DeserializeOwned + Serialize + Send + 'static {
    /// Its kind.
    const KIND: Kind;

    /// Its id as text.
    fn id_text(&self) -> String;

    /// Its form: every column of its file, as the file would hold it.
    fn sheet(&self) -> Sheet;

    /// The authority `sheet` describes, as authority `id`, read by ingest's own parser of its
    /// file against `known` (the archive's villages, crafts, artisans and products, and the
    /// groups `community:<id>` may name), with ingest's warnings.
    ///
    /// # Errors
    /// [`Checked`] with every problem (ingest's message) under its field.
    fn from_sheet(id: &str, sheet: &Sheet, known: &Authorities)
    -> Result<(Self, Checked), Checked>;

    /// Who may see it (its guarded parts): `None` for villages and crafts, which are public.
    fn access(&self) -> Option<&Access> {
        None
    }

    /// Writes it as its object's new version ([`Archive::store_description`]), as ingest does.
    ///
    /// # Errors
    /// The archive's.
    fn store(
        &self,
        archive: &Archive,
        lock: &WriteLock,
        info: &VersionInfo,
    ) -> Result<Commit, ArchiveError> {
        let object = Self::KIND.object(&self.id_text());
        archive.store_description(lock, &object, Self::KIND.json(), self, info)
    }

    /// Puts it into the site's copy of the authorities, replacing the one of its id.
    fn put_into(&self, names: &mut crate::index::authorities::Authorities);

    /// Whether `viewer` may work on it besides being an archivist: it may see all of it (an
    /// admin does not bypass a community's protocol).
    fn visible_to(&self, viewer: &Viewer) -> bool {
        self.access().is_none_or(|access| viewer.may_see(access))
    }
}

impl<T: Authority> Object for T {
    const JSON: &'static str = T::KIND.json();

    /// Its form's cells ([`sheets::compared_sheet`]).
    fn compared(&self) -> Fields {
        sheets::compared_sheet(&self.sheet())
    }

    /// Its access, for artisans and products.
    fn rule(&self) -> Option<String> {
        self.access().map(ToString::to_string)
    }
}

/// The authority `id` of kind `T` as its head holds it, and that head (`v3`).
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`] when the archive has none; archive errors.
pub fn head<T: Authority>(archive: &Archive, id: &str) -> Result<(T, String), WorkspaceError> {
    let inventory = history::inventory_of(archive, &T::KIND.object(id))?;
    let described = history::object_at(archive, &inventory, &inventory.head)?;
    Ok((described, inventory.head))
}

/// Saves the edit form `sheet` of authority `id`, made from version `base`, as a new version
/// ([`write`]).
///
/// # Errors
/// [`WorkspaceError::Invalid`] with every problem under its field, and those of
/// [`save_object`].
pub fn edit<T: Authority>(
    writer: &Writer<'_>,
    id: &str,
    base: &str,
    sheet: &Sheet,
    communities: &Communities,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    save_object(
        writer,
        &T::KIND.object(id),
        base,
        author,
        |_, catalogue: &Catalogue| {
            let known = super::authorities(catalogue, communities);
            T::from_sheet(id, sheet, &known)
                .map(|(authority, _)| authority)
                .map_err(WorkspaceError::Invalid)
        },
        |lock, catalogue, _, head: &T, new: &T| write(writer, lock, catalogue, head, new, author),
    )
}

/// Writes a new version of authority `id` whose description is version `version`'s.
///
/// # Errors
/// [`WorkspaceError::NoSuchVersion`], and those of [`save_object`].
pub fn restore<T: Authority>(
    writer: &Writer<'_>,
    id: &str,
    base: &str,
    version: &str,
    author: &Author,
) -> Result<Saved, WorkspaceError> {
    let object = T::KIND.object(id);
    save_object(
        writer,
        &object,
        base,
        author,
        |_, _| {
            let inventory = history::inventory_of(writer.archive, &object)?;
            history::object_at(writer.archive, &inventory, version)
        },
        |lock, catalogue, _, head: &T, new: &T| write(writer, lock, catalogue, head, new, author),
    )
}

/// Every version of authority `id`, newest first ([`history::history_of`]).
///
/// # Errors
/// [`WorkspaceError::NoSuchRecord`]; archive errors.
pub fn versions<T: Authority>(
    archive: &Archive,
    id: &str,
) -> Result<Vec<history::Entry>, WorkspaceError> {
    history::history_of::<T>(archive, &T::KIND.object(id))
}

/// Whether `new` lets anyone who may see `head`'s guarded parts no longer see them.
fn narrows<T: Authority>(head: &T, new: &T) -> bool {
    match (head.access(), new.access()) {
        (Some(old), Some(now)) => !now.admits_all_of(old),
        _ => false,
    }
}

/// Writes authority `new` (replacing `head`) as a new version under `lock`, and keeps the site's
/// copy of the authorities and the index in step, in the order the module's documentation gives.
fn write<T: Authority>(
    writer: &Writer<'_>,
    lock: &WriteLock,
    catalogue: &Catalogue,
    head: &T,
    new: &T,
    author: &Author,
) -> Result<Commit, WorkspaceError> {
    let (archive, index) = (writer.archive, writer.index);
    let object = T::KIND.object(&new.id_text());
    let (mut updater, _) = crate::index::sync::Updater::begin(
        archive,
        index,
        catalogue,
        BTreeSet::new(),
        &BTreeSet::new(),
    )?;
    if narrows(head, new) {
        // Hide first: the pages read the copy, search reads the index.
        let mut names = crate::index::authorities::Authorities::from_catalogue(catalogue);
        new.put_into(&mut names);
        names.save(&index.authorities_path())?;
        updater.hide_citing(&object)?;
    }
    let commit = new.store(archive, lock, &version_info(author, head, new))?;
    updater.authorities_stored(archive, std::slice::from_ref(&object))?;
    // The copy as the archive now holds it (a village's class history read back from its
    // versions).
    let names = crate::index::authorities::Authorities::from_catalogue(&archive.catalogue()?);
    names.save(&index.authorities_path())?;
    updater.finish(archive, index, &names, &[])?;
    Ok(commit)
}

#[cfg(test)]
mod tests;
