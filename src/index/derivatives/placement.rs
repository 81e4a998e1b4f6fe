//! Which of the two stores ([`Stores`]) holds the derivatives and location decisions of each
//! record's files, and keeping that true as records change: made in the store they belong in
//! ([`ensure_derivatives`]), moved between the stores when a record's `access` or
//! `files_access` turns public or not ([`settle_derivatives`]), and removed from the private
//! store once no record the public may not see holds those bytes ([`prune_private`], at
//! `reindex`).
//!
//! The rule it keeps: `index/derivatives/` holds only what anonymous visitors may be sent, so a
//! copy of a withheld file never outlives the change that withheld it (an ingest, a reconcile);
//! `index/derivatives-private/` holds the rest, read by the site only for a viewer admitted to
//! the record's files.

use std::collections::{BTreeMap, BTreeSet};

use super::{DeriveError, Stores};
use crate::archive::Archive;
use crate::index::audience::Audience;
use crate::index::{location, sandbox, search};
use crate::model::{Record, RecordId, Sha256};

/// Which records hold each file's bytes, so that moving the previews of a withheld file out of
/// the public store spares bytes that a record with public files holds too (a photo described
/// twice, once for a community). Made from the inventories an ingest or a reconcile has read, and told of every
/// record stored since ([`Holders::note`]).
#[derive(Debug, Default)]
pub(crate) struct Holders(std::sync::Mutex<BTreeMap<Sha256, BTreeSet<RecordId>>>);

impl Holders {
    /// The holders of every file in the head versions of `catalogue`'s records.
    pub(crate) fn of(catalogue: &crate::archive::Catalogue) -> Self {
        let mut held: BTreeMap<Sha256, BTreeSet<RecordId>> = BTreeMap::new();
        for (id, inventory) in &catalogue.records {
            for (path, digest) in inventory.head_state() {
                if path.starts_with(crate::archive::FILES_DIR)
                    && let Ok(digest) = digest.parse()
                {
                    held.entry(digest).or_default().insert(id.clone());
                }
            }
        }
        Holders(std::sync::Mutex::new(held))
    }

    /// Notes that `record` (as just stored) holds its files.
    pub(crate) fn note(&self, record: &Record) {
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for file in &record.files {
            held.entry(file.sha256)
                .or_default()
                .insert(record.id.clone());
        }
    }

    /// Whether a record other than `except` holds `sha256` among files the public may see, as
    /// the archive holds it now. Reads those records only (bytes are rarely held twice); a
    /// record that cannot be read counts as showing them (previews are kept: the safe side
    /// here is a page that keeps its picture, which a visitor may see anyway).
    fn shown_elsewhere(&self, archive: &Archive, sha256: &Sha256, except: &RecordId) -> bool {
        let others: Vec<RecordId> = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(sha256)
            .map(|ids| ids.iter().filter(|id| *id != except).cloned().collect())
            .unwrap_or_default();
        others.iter().any(|id| match archive.record(id) {
            Ok(Some(other)) => {
                Audience::Public.admits_files(&other)
                    && other.files.iter().any(|file| file.sha256 == *sha256)
            }
            Ok(None) => false,
            Err(_) => true,
        })
    }
}

/// Puts what the stores keep of `record`'s files where it belongs now, and notes `record` in
/// `holders`:
/// - files the public may see: whatever the private store keeps of them moves to the public
///   store (a record made public keeps its previews without drawing them again);
/// - files the public may not see: whatever the public store keeps of them moves to the private
///   store, but for bytes that another record with public files holds too (`holders`: a photo
///   described twice keeps the previews its public record shows; the private record reads them
///   there).
///
/// # Errors
/// The I/O error of moving or removing a folder.
pub(crate) fn settle_derivatives(
    archive: &Archive,
    stores: &Stores,
    record: &Record,
    holders: &Holders,
) -> std::io::Result<()> {
    holders.note(record);
    if Audience::Public.admits_files(record) {
        for file in &record.files {
            stores.private.move_to(&file.sha256, &stores.public)?;
        }
        return Ok(());
    }
    for file in &record.files {
        if stores.public.holds(&file.sha256)
            && !holders.shown_elsewhere(archive, &file.sha256, &record.id)
        {
            stores.public.move_to(&file.sha256, &stores.private)?;
        }
    }
    Ok(())
}

/// Removes from the private store everything kept for bytes that no record in `needed` holds
/// (`needed`: the digests of every file of every record whose files the public may not see):
/// the previews of a record deleted, or of one made public whose bytes moved, go with it.
/// Returns how many were removed.
///
/// # Errors
/// The I/O error of removing a folder.
pub(crate) fn prune_private(stores: &Stores, needed: &BTreeSet<Sha256>) -> std::io::Result<usize> {
    let mut removed = 0;
    for sha in stores.private.digests() {
        if !needed.contains(&sha) {
            stores.private.remove(&sha)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Makes the derivatives a record's images lack, and the location decision of each of its files,
/// in the store they belong in ([`Stores::home`]: the private store for files the public may
/// not see); returns how many sources needed derivatives. An image that cannot be drawn is left
/// without derivatives (see [`ensure_derivatives_noting`]).
pub(crate) fn ensure_derivatives(
    archive: &Archive,
    stores: &Stores,
    inventory: &crate::archive::Inventory,
    record: &Record,
) -> Result<usize, String> {
    ensure_derivatives_noting(archive, stores, inventory, record).map(|(made, _)| made)
}

/// [`ensure_derivatives`], with a warning per archived image that could not be drawn (damaged,
/// unsupported, over a budget): an archived file can always be indexed, with or without its
/// preview. Errors are for the archive itself (a file missing, the location check failing).
///
/// Each image is decoded and drawn in a worker process ([`sandbox::draw`]).
pub(crate) fn ensure_derivatives_noting(
    archive: &Archive,
    stores: &Stores,
    inventory: &crate::archive::Inventory,
    record: &Record,
) -> Result<(usize, Vec<String>), String> {
    let files_public = Audience::Public.admits_files(record);
    let store = stores.home(files_public);
    let mut made = 0;
    let mut warnings = Vec::new();
    for file in &record.files {
        // Bytes a public record shows too keep their previews and decision in the public store
        // ([`settle_derivatives`]); the site finds them there ([`Stores::find`]).
        if !files_public
            && stores.public.complete(&file.sha256)
            && location::kept(&stores.public, &file.sha256).is_some()
        {
            continue;
        }
        let path = || location::archived_path(archive, inventory, file).map_err(|e| e.to_string());
        if sandbox::checks_location_in_worker(&file.format.mime) {
            if location::kept(store, &file.sha256).is_none() {
                sandbox::check_location(store, &path()?, &file.sha256, &file.format.mime)?;
            }
        } else {
            location::ensure_archived(archive, store, inventory, file)
                .map_err(|e| e.to_string())?;
        }
        if !search::has_derivative(&file.format.mime) || store.complete(&file.sha256) {
            continue;
        }
        let path = path()?;
        let derive = sandbox::Derive {
            store_root: store.root(),
            sha256: file.sha256,
            orientation: file.exif.as_ref().and_then(|e| e.orientation),
        };
        let drawn = if file.format.mime == "image/svg+xml" {
            sandbox::draw(sandbox::Drawing::Svg, &path, Some(derive))
        } else {
            let too_large =
                std::fs::metadata(&path).is_ok_and(|m| m.len() > sandbox::held::HELD_BYTES);
            if too_large {
                // Kept without a preview at ingest; nothing new to say.
                continue;
            }
            sandbox::held::read(&path)
                .map_err(|source| DeriveError::Io {
                    path: path.clone(),
                    source,
                })
                .and_then(|bytes| super::inspect(&bytes))
                .and_then(
                    |inspection| match (&inspection.unsupported, &inspection.over_budget) {
                        (Some(what), _) | (None, Some(what)) => {
                            Err(DeriveError::Unsupported(what.clone()))
                        }
                        (None, None) => sandbox::draw(
                            sandbox::Drawing::Raster {
                                pixels: inspection.pixels(),
                            },
                            &path,
                            Some(derive),
                        ),
                    },
                )
        };
        match drawn {
            Ok(_) => made += 1,
            // Kept at ingest with a "no preview" warning (e.g. a HEIF coding libheif lacks, a
            // CCITT fax TIFF, a picture over the preview budget): nothing new to say.
            Err(DeriveError::Unsupported(_)) => {}
            Err(error) => warnings.push(format!("{}: {error}", file.path)),
        }
    }
    Ok((made, warnings))
}
