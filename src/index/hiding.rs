//! Hiding across indexes: an archive may be indexed by more than one index (`--index`), and an
//! ingest updates only its own. So that a server reading another index never lists a record the
//! archive has just restricted, an ingest publishes the ids it is about to hide in the archive's
//! storage root (`extensions/disan-hidden/ids.txt`, replaced atomically) after hiding them in its
//! own index and before its first archive write. A server stats that file before every request
//! ([`Notice::changed`]) and, when it changed, removes those ids from its own index at once
//! ([`crate::index::search::SearchIndex::hide`]), marking the index as no longer reflecting the
//! archive so the next `serve` or `ingest` over it reconciles it. The order is the one of the
//! ingest's own index: hidden everywhere first, then written to the archive.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::archive::Archive;
use crate::model::RecordId;

/// The folder, under the storage root, holding the notice (OCFL allows only folders directly
/// under `extensions/`).
pub const DIR: &str = "extensions/disan-hidden";

/// The notice file in [`DIR`]: one record id a line.
pub const FILE: &str = "ids.txt";

/// The notice file of `archive`.
pub fn path(archive: &Archive) -> PathBuf {
    archive.storage().path().join(DIR).join(FILE)
}

/// Publishes `ids` as the records about to be hidden (nothing when `ids` is empty): written to a
/// temporary file and renamed over the notice, so a reader sees all of it or the previous one.
///
/// # Errors
/// The I/O error of creating the folder, writing or renaming, with the path.
pub fn publish(
    archive: &Archive,
    ids: &BTreeSet<RecordId>,
) -> Result<(), (PathBuf, std::io::Error)> {
    if ids.is_empty() {
        return Ok(());
    }
    let target = path(archive);
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let temporary = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
    std::fs::write(&temporary, text).map_err(|e| (temporary.clone(), e))?;
    std::fs::rename(&temporary, &target).map_err(|e| (target.clone(), e))
}

/// Identifies one version of a file from outside: modification time, length and inode (files
/// replaced by rename get a new inode). `None` for a file that does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMark {
    modified: Option<std::time::SystemTime>,
    len: u64,
    inode: u64,
}

impl FileMark {
    /// The mark of `file` now (one `stat`); `None` when it cannot be read.
    pub fn of(file: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(file).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileMark {
            modified: metadata.modified().ok(),
            len: metadata.len(),
            inode,
        })
    }
}

/// A reader's view of an archive's notice: which version it has acted on.
#[derive(Debug)]
pub struct Notice {
    file: PathBuf,
    seen: Mutex<Option<FileMark>>,
}

impl Notice {
    /// Watches `archive`'s notice, taking its present version as acted on.
    pub fn new(archive: &Archive) -> Self {
        let file = path(archive);
        let seen = Mutex::new(FileMark::of(&file));
        Notice { file, seen }
    }

    /// The ids of a version not acted on yet (one `stat` when there is none), marking it acted
    /// on; `None` when nothing changed. A notice that cannot be read after it changed is
    /// returned as no ids.
    pub fn changed(&self) -> Option<Vec<String>> {
        let now = FileMark::of(&self.file);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *seen == now {
            return None;
        }
        *seen = now;
        Some(Self::ids(&self.file))
    }

    /// Forgets that the last version was acted on (acting on it failed): the next
    /// [`Notice::changed`] returns it again.
    pub fn retry(&self) {
        *self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The ids the notice holds now, whatever was acted on.
    pub fn current(&self) -> Vec<String> {
        Self::ids(&self.file)
    }

    fn ids(file: &Path) -> Vec<String> {
        std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect()
    }
}
