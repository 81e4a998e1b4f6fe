//! Hiding across indexes: an archive may be indexed by more than one index (`--index`), and an
//! ingest updates only its own. So that a server reading another index never lists a record the
//! archive has just restricted, an ingest publishes the ids it is about to hide (those whose
//! access or files rule changes: one re-sent under its archived rules is shown under them by
//! every index already, and is not announced) in the archive's
//! storage root (`extensions/disan-hidden/ids.txt`, replaced atomically) after hiding them in its
//! own index and before its first archive write. A server stats that file before every request
//! ([`Notice::changed`]) and, when it changed, removes those records from its own index at once
//! ([`crate::index::search::SearchIndex::hide`]), marking the index as no longer reflecting the
//! archive so the next `serve` or `ingest` over it reconciles it. The order is the one of the
//! ingest's own index: hidden everywhere first, then written to the archive.
//!
//! Each line also says which version of the record the hiding is about: `id<TAB>v3` means "the
//! archive's record was at `v3` when it was hidden; a document made from `v3` or earlier may show
//! what the archive no longer shows". A server removes only documents made from that version or
//! an earlier one; a document made from a later version was written by an ingest, reconcile or
//! reindex that read the record's new access, and is left alone (the server never undoes what a
//! later commit decided, in particular the ingest's own commit when the server reads the very
//! index that ingest wrote). A record the archive did not hold yet gets no line (no document can
//! be older than it; a `id<TAB>-` line is read as covering nothing); a line with an id alone
//! (written by an older Disan) removes every document of the record.
//!
//! The notice accumulates: a new ingest keeps the lines of earlier ones (a server that answered
//! no request between two ingests still learns of both), dropping only lines whose hiding never
//! reached the archive (the record's head is still the version the line names, so the ingest
//! that announced it stopped before writing it) and lines it replaces; a line without a version
//! is given the version before the record's head. It therefore holds at most one line per
//! record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::archive::Archive;
use crate::model::RecordId;

/// The folder, under the storage root, holding the notice (OCFL allows only folders directly
/// under `extensions/`).
pub const DIR: &str = "extensions/disan-hidden";

/// The notice file in [`DIR`]: one record a line, `id<TAB>version` (see the module doc).
pub const FILE: &str = "ids.txt";

/// The notice file of `archive`.
pub fn path(archive: &Archive) -> PathBuf {
    archive.storage().path().join(DIR).join(FILE)
}

/// One line of the notice: a record an ingest hid, and which of its documents that hiding
/// removes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hidden {
    /// The record id.
    pub id: String,
    /// Documents made from this version number of the record or an earlier one are removed
    /// (`Some(0)`: the archive did not hold the record when it was hidden, so no document is
    /// older); `None`: every document of the record is removed (a line without a version).
    pub through: Option<u64>,
}

impl Hidden {
    /// Whether a document carrying `stamp` (`v3|v1|-`, see
    /// [`crate::index::sync::ArchiveState::stamp`]) must go: it was made from a version this
    /// hiding covers, or its version cannot be read (deny by default).
    pub fn covers(&self, stamp: &str) -> bool {
        match (self.through, stamp_version(stamp)) {
            (Some(through), Some(version)) => version <= through,
            _ => true,
        }
    }

    /// Reads one line of the notice; `None` for a blank one.
    fn parse(line: &str) -> Option<Self> {
        let mut parts = line.split('\t');
        let id = parts.next()?.trim();
        if id.is_empty() {
            return None;
        }
        let through = match parts.next().map(str::trim) {
            Some("-") => Some(0),
            Some(version) => parse_version(version),
            None => None,
        };
        Some(Hidden {
            id: id.to_string(),
            through,
        })
    }

    /// The line that says it.
    fn line(&self) -> String {
        match self.through {
            Some(0) => format!("{}\t-\n", self.id),
            Some(version) => format!("{}\tv{version}\n", self.id),
            None => format!("{}\n", self.id),
        }
    }
}

/// `v3` → 3; anything else `None`.
fn parse_version(version: &str) -> Option<u64> {
    version.strip_prefix('v')?.parse().ok()
}

/// The record version a document's stamp (`v3|v1|-`) was made from.
fn stamp_version(stamp: &str) -> Option<u64> {
    parse_version(stamp.split('|').next()?)
}

/// Publishes the records in `hidden` as about to be hidden, each with the head version the
/// archive holds now (`heads`, `None` for a record not in the archive yet), keeping the lines
/// of earlier ingests (see the module doc): written to a temporary file and renamed over the
/// notice, so a reader sees all of it or the previous one. Nothing is written when `hidden` is
/// empty and no line is dropped.
///
/// # Errors
/// The I/O error of creating the folder, writing or renaming, with the path.
pub fn publish(
    archive: &Archive,
    hidden: &BTreeSet<RecordId>,
    heads: &dyn Fn(&str) -> Option<String>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let target = path(archive);
    let earlier = read(&target);
    let notice = merge(&earlier, hidden, heads);
    if notice == earlier {
        return Ok(());
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let temporary = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let text: String = notice.iter().map(Hidden::line).collect();
    std::fs::write(&temporary, text).map_err(|e| (temporary.clone(), e))?;
    std::fs::rename(&temporary, &target).map_err(|e| (target.clone(), e))
}

/// The notice an ingest hiding `hidden` leaves after `earlier`: the new lines, and the earlier
/// lines of other records whose hiding reached the archive (their head moved past the version
/// the line names, see the module doc).
fn merge(
    earlier: &[Hidden],
    hidden: &BTreeSet<RecordId>,
    heads: &dyn Fn(&str) -> Option<String>,
) -> Vec<Hidden> {
    let head = |id: &str| heads(id).and_then(|head| parse_version(&head)).unwrap_or(0);
    let mut notice: BTreeMap<String, Hidden> = earlier
        .iter()
        .map(|line| Hidden {
            id: line.id.clone(),
            // A line without a version (an older Disan's, whose ingest is over since this one
            // holds the archive): documents older than the record's head are stale anyway.
            through: Some(
                line.through
                    .unwrap_or_else(|| head(&line.id).saturating_sub(1)),
            ),
        })
        .filter(|line| line.through != Some(head(&line.id)))
        .map(|line| (line.id.clone(), line))
        .collect();
    for id in hidden {
        notice.insert(
            id.to_string(),
            Hidden {
                id: id.to_string(),
                through: Some(head(id.as_str())),
            },
        );
    }
    // A record the archive did not hold when it was hidden has no document such a line covers
    // (`-`): nothing to say.
    notice
        .into_values()
        .filter(|line| line.through != Some(0))
        .collect()
}

/// The lines of the notice `file` (none when it cannot be read).
fn read(file: &Path) -> Vec<Hidden> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(Hidden::parse)
        .collect()
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

    /// The lines of a version not acted on yet (one `stat` when there is none), marking it
    /// acted on; `None` when nothing changed. A notice that cannot be read after it changed is
    /// returned as no lines.
    pub fn changed(&self) -> Option<Vec<Hidden>> {
        let now = FileMark::of(&self.file);
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *seen == now {
            return None;
        }
        *seen = now;
        Some(read(&self.file))
    }

    /// Forgets that the last version was acted on (acting on it failed): the next
    /// [`Notice::changed`] returns it again.
    pub fn retry(&self) {
        *self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// The lines the notice holds now, whatever was acted on.
    pub fn current(&self) -> Vec<Hidden> {
        read(&self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, through: Option<u64>) -> Hidden {
        Hidden {
            id: id.to_string(),
            through,
        }
    }

    fn ids(ids: &[&str]) -> BTreeSet<RecordId> {
        ids.iter().map(|id| RecordId::parse(id).unwrap()).collect()
    }

    #[test]
    fn lines_read_back_as_written_and_old_lines_cover_everything() {
        for hidden in [
            line("tep-a", Some(3)),
            line("moi", Some(0)),
            line("cu", None),
        ] {
            assert_eq!(Hidden::parse(hidden.line().trim_end()), Some(hidden));
        }
        assert_eq!(Hidden::parse("  "), None);
        // A version that cannot be read removes every document (deny by default).
        assert_eq!(Hidden::parse("x\tv?"), Some(line("x", None)));
    }

    #[test]
    fn a_hiding_covers_documents_of_its_version_and_earlier_only() {
        let hidden = line("tep-a", Some(2));
        assert!(hidden.covers("v1|-|-"));
        assert!(hidden.covers("v2|v1|-"));
        assert!(!hidden.covers("v3|v1|-"), "a later ingest wrote v3");
        assert!(hidden.covers(""), "a stamp that cannot be read");
        assert!(!line("moi", Some(0)).covers("v1|-|-"));
        assert!(line("cu", None).covers("v9|-|-"));
    }

    #[test]
    fn the_notice_keeps_earlier_hidings_that_reached_the_archive() {
        let heads = |id: &str| match id {
            "da-viet" | "cu" => Some("v2".to_string()),
            "chua-viet" | "lai" => Some("v1".to_string()),
            _ => None,
        };
        let earlier = [
            // Hidden at v1, now at v2: a server may still hold v1.
            line("da-viet", Some(1)),
            // Hidden at v1, still v1: that ingest stopped before writing it.
            line("chua-viet", Some(1)),
            // Hidden again now.
            line("lai", Some(0)),
            // An older Disan's line: documents before the head (v2) are stale.
            line("cu", None),
        ];
        let notice = merge(&earlier, &ids(&["lai", "moi"]), &heads);
        // "moi" is new: no document can be older than it, no line.
        assert_eq!(
            notice,
            [
                line("cu", Some(1)),
                line("da-viet", Some(1)),
                line("lai", Some(1)),
            ]
        );
        // After the ingest: records it left as they were ("lai", still v1) leave the notice.
        assert_eq!(
            merge(&notice, &BTreeSet::new(), &heads),
            [line("cu", Some(1)), line("da-viet", Some(1))]
        );
    }
}
