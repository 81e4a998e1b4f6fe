//! Purging a record: the one operation that destroys preserved content, for what must legally
//! be destroyed (a court order, a withdrawn consent under a community protocol). Disan never
//! deletes anything in normal operation — a withdrawal keeps every version — so this is an
//! administrator's command (`disan purge`), never a page of the site.
//!
//! Under the archive's write lock, in the order that keeps every reader safe:
//!
//! 1. the record leaves both search indexes (committed) and is announced to servers on other
//!    indexes ([`crate::index::sync::Updater::begin`], as for a record made non-public), before
//!    anything of the archive changes;
//! 2. its OCFL object (every version) leaves the storage hierarchy in one `rename` into
//!    `extensions/disan-purge/` (outside the hierarchy OCFL validators walk), and the storage
//!    hierarchy's folders it leaves empty are removed — OCFL 1.1 §4.3 requires every folder of
//!    the hierarchy to end in an object root;
//! 3. a PREMIS `deletion` event (who, when, why, the object id and last version, the SHA-256 of
//!    its last root inventory and how many versions went; never any of its content) is appended
//!    to the storage root's log ([`crate::archive::premis::log`], `extensions/disan-premis/`),
//!    which `disan audit` and the workspace's audit pages read; when it cannot be, the object is
//!    renamed back and the index takes it again: nothing is destroyed without its event;
//! 4. the moved folder is deleted, and the previews, public copies and location decisions kept
//!    for bytes no other record holds are removed from both derivative stores;
//! 5. the index commits the archive's new fingerprint ([`crate::index::sync::Updater::finish`]):
//!    stories that embedded the record lose its caption.
//!
//! After it, the id is unknown on every route. Copies of the archive elsewhere (backups,
//! mirrors) are the operator's to purge: Disan cannot reach them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::WorkspaceError;
use super::save::{Writer, lock};
use crate::archive::premis::{self, Event, ObjectVersion};
use crate::archive::{ArchiveError, OcflError, record_object_id};
use crate::model::{RecordId, Sha256};

/// The folder of the storage root an object passes through while it is deleted.
pub const PURGE_DIR: &str = "extensions/disan-purge";

/// What a purge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    /// The event recorded in the storage root's log.
    pub event: Event,
    /// How many files' previews (and public copies) were removed.
    pub previews_removed: usize,
}

/// Who purges and why.
#[derive(Debug, Clone)]
pub struct Order<'a> {
    /// The administrator's login.
    pub by: &'a str,
    /// Why (required; kept in the event: a court order's reference, a protocol's request).
    pub reason: &'a str,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WorkspaceError + '_ {
    move |source| {
        WorkspaceError::Archive(ArchiveError::Ocfl(OcflError::Io {
            path: path.to_path_buf(),
            source,
        }))
    }
}

/// Purges record `id` as `order` says (see the module's documentation for the order of steps).
///
/// # Errors
/// [`WorkspaceError::NoMessage`] when the reason or the login is empty,
/// [`WorkspaceError::NoSuchRecord`], [`WorkspaceError::Busy`] when another writer holds the
/// archive longer than `writer.wait`, [`WorkspaceError::NotLogged`] when the event could not be
/// logged (nothing purged), and archive or index errors. An error after step 2 says what is
/// left to do by hand (the moved folder's path).
pub fn purge(
    writer: &Writer<'_>,
    id: &RecordId,
    order: &Order<'_>,
) -> Result<Purged, WorkspaceError> {
    if order.reason.trim().is_empty() || order.by.trim().is_empty() {
        return Err(WorkspaceError::NoMessage);
    }
    let (archive, index) = (writer.archive, writer.index);
    let lock = lock(archive, writer.wait)?;
    let catalogue = archive.catalogue()?;
    let inventory = catalogue
        .records
        .get(id)
        .ok_or(WorkspaceError::NoSuchRecord)?
        .clone();
    let object = archive.record_path(id);
    let inventory_file = object.join("inventory.json");
    let bytes = std::fs::read(&inventory_file).map_err(io(&inventory_file))?;
    let inventory_digest = format!("sha256:{}", Sha256::of(&bytes).to_hex());
    // Bytes of this object that no other record's object holds: their previews go with it.
    let held_elsewhere: BTreeSet<&String> = catalogue
        .records
        .iter()
        .filter(|(other, _)| *other != id)
        .flat_map(|(_, other)| other.manifest.keys())
        .collect();
    let own: Vec<Sha256> = inventory
        .manifest
        .keys()
        .filter(|digest| !held_elsewhere.contains(digest))
        .filter_map(|digest| digest.parse().ok())
        .collect();

    // 1. Out of the index first.
    let hidden = BTreeSet::from([id.clone()]);
    let (updater, _) =
        crate::index::sync::Updater::begin(archive, index, &catalogue, hidden.clone(), &hidden)?;

    // 2. Out of the storage hierarchy in one rename.
    let root = archive.root().to_path_buf();
    let parking = root.join(PURGE_DIR);
    std::fs::create_dir_all(&parking).map_err(io(&parking))?;
    let parked = parking.join(format!("{id}-{}", std::process::id()));
    std::fs::rename(&object, &parked).map_err(io(&object))?;
    remove_empty_parents(&root, &object);

    // 3. The event, in the storage root's log.
    let event = Event::deletion(
        order.by.trim(),
        order.reason.trim(),
        ObjectVersion {
            id: record_object_id(id),
            version: inventory.head.clone(),
        },
        &inventory_digest,
        inventory.versions.len(),
    );
    let names = crate::index::authorities::Authorities::from_catalogue(&catalogue);
    if let Err(error) = premis::log::append(&root, std::slice::from_ref(&event)) {
        // Nothing is destroyed unless it is logged: the object goes back where it was, and the
        // index takes the record again.
        let back = object
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::rename(&parked, &object));
        let _ = std::fs::remove_dir(&parking);
        return Err(match back {
            Ok(()) => {
                updater.finish(archive, index, &names, std::slice::from_ref(id))?;
                WorkspaceError::NotLogged(format!(
                    "the deletion could not be written to the audit log ({error}); nothing was purged"
                ))
            }
            Err(again) => WorkspaceError::NotLogged(format!(
                "the deletion could not be written to the audit log ({error}), and the object could not be put back ({again}): move {} back to {} by hand, then run disan reindex",
                parked.display(),
                object.display()
            )),
        });
    }

    // 4. The content itself, and what the index kept of it.
    let left = |error: std::io::Error| {
        WorkspaceError::Archive(ArchiveError::BadMetadata {
            path: parked.clone(),
            reason: format!(
                "the record is purged from the archive and logged, but its folder could not be deleted ({error}); delete it by hand"
            ),
        })
    };
    std::fs::remove_dir_all(&parked).map_err(left)?;
    let _ = std::fs::remove_dir(&parking);
    let stores = index.stores();
    let mut previews_removed = 0;
    for sha in &own {
        let had = stores.public.holds(sha) || stores.private.holds(sha);
        let public = stores.public.remove(sha);
        let private = stores.private.remove(sha);
        if let Err(error) = public.and(private) {
            return Err(WorkspaceError::Index(crate::index::IndexError::Write {
                path: index.root().to_path_buf(),
                reason: format!(
                    "the previews of {} could not be removed: {error}",
                    sha.to_hex()
                ),
            }));
        }
        previews_removed += usize::from(had);
    }

    // 5. The index reflects the archive without it.
    updater.finish(archive, index, &names, std::slice::from_ref(id))?;
    drop(lock);
    Ok(Purged {
        event,
        previews_removed,
    })
}

/// Removes the folders between `root` and `object` (its parents) that are empty now, deepest
/// first; stops at the first that is not (or cannot be removed).
fn remove_empty_parents(root: &Path, object: &Path) {
    let mut folder: Option<PathBuf> = object.parent().map(Path::to_path_buf);
    while let Some(dir) = folder {
        if dir == root || !dir.starts_with(root) || std::fs::remove_dir(&dir).is_err() {
            return;
        }
        folder = dir.parent().map(Path::to_path_buf);
    }
}
