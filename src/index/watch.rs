//! Knowing that nothing changed in a few folders without looking at their files on every
//! request.
//!
//! Before each request the site must see what another process committed: the index's latest
//! commit (`index/search/meta.json`, `index/search-all/meta.json`), the authorities
//! (`index/authorities.json`) and the hidden-ids notice of an ingest through another index
//! (`extensions/disan-hidden/ids.txt` in the archive). Looking is a `stat` of each, four per
//! request. A [`FolderWatch`] asks the kernel instead (Linux inotify): one read of its queue,
//! which says "nothing" without touching the files. inotify queues an event while the writing
//! call (the `rename` that puts a new `meta.json` in place, say) is still running, so a request
//! that starts after a writer's call returned always finds its event: as exact as the `stat`s.
//!
//! Deny by default: whenever the watch cannot promise that nothing changed (no inotify on this
//! system, a watch that could not be added, an event queue that overflowed, a read error, a
//! look that failed), the caller looks, as before. Watches are added again before every look,
//! so a folder made or replaced since (a new `search-all`, a first `disan-hidden`) is watched
//! from then on, and whatever changed before its watch was added is seen by that look.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

/// A watch over `folders` (see the module's documentation).
#[derive(Debug)]
pub struct FolderWatch {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    folders: Vec<PathBuf>,
    #[cfg(target_os = "linux")]
    inotify: Option<inotify::Inotify>,
    /// A look is owed: the last one failed, or none was made yet.
    owed: bool,
}

/// What happens to a folder that the watch is told about.
#[cfg(target_os = "linux")]
fn mask() -> inotify::WatchMask {
    use inotify::WatchMask;
    WatchMask::MODIFY
        | WatchMask::ATTRIB
        | WatchMask::CLOSE_WRITE
        | WatchMask::MOVED_FROM
        | WatchMask::MOVED_TO
        | WatchMask::CREATE
        | WatchMask::DELETE
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF
}

impl FolderWatch {
    /// A watch over `folders` (parents before children: a folder that does not exist yet is
    /// noticed when it appears in a watched parent). The first [`FolderWatch::look_if_changed`]
    /// always looks.
    pub fn new(folders: Vec<PathBuf>) -> Self {
        FolderWatch {
            state: Mutex::new(State {
                folders,
                #[cfg(target_os = "linux")]
                inotify: inotify::Inotify::init().ok(),
                owed: true,
            }),
        }
    }

    /// Whether this watch can ever skip a look (false: every call looks).
    pub fn is_active(&self) -> bool {
        #[cfg(target_os = "linux")]
        {
            self.lock().inotify.is_some()
        }
        #[cfg(not(target_os = "linux"))]
        {
            false
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `look` unless nothing in the watched folders changed since the last `look` that
    /// returned `Ok`; returns its answer, or `None` when it was not needed. Callers arriving
    /// while a look runs wait for it, so none of them goes on with what the look replaces.
    ///
    /// # Errors
    /// `look`'s error (the next call looks again).
    pub fn look_if_changed<T, E>(
        &self,
        look: impl FnOnce() -> Result<T, E>,
    ) -> Result<Option<T>, E> {
        let mut state = self.lock();
        if !state.changed() {
            return Ok(None);
        }
        // Watches first, then the look: a change after this point is an event for the next
        // call, one before it is seen by this look.
        state.watch();
        match look() {
            Ok(answer) => {
                state.owed = false;
                Ok(Some(answer))
            }
            Err(error) => {
                state.owed = true;
                Err(error)
            }
        }
    }
}

impl State {
    /// Whether a look is needed: owed, no watch, or an event (all queued events are read).
    #[cfg(target_os = "linux")]
    fn changed(&mut self) -> bool {
        let Some(inotify) = self.inotify.as_mut() else {
            return true;
        };
        let mut changed = self.owed;
        let mut buffer = [0u8; 4096];
        loop {
            match inotify.read_events(&mut buffer) {
                Ok(events) => {
                    // Any event, an overflow (`Q_OVERFLOW`) or a removed watch (`IGNORED`)
                    // included: look, and add the watches again.
                    if events.count() == 0 {
                        break;
                    }
                    changed = true;
                }
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    self.inotify = None;
                    return true;
                }
            }
        }
        changed
    }

    #[cfg(not(target_os = "linux"))]
    fn changed(&mut self) -> bool {
        true
    }

    /// Adds a watch on every folder that exists now (again: the kernel keeps one per folder).
    /// A folder that exists and cannot be watched (the per-user limit reached) ends watching:
    /// every call looks from then on.
    #[cfg(target_os = "linux")]
    fn watch(&mut self) {
        let Some(inotify) = self.inotify.as_mut() else {
            return;
        };
        for folder in &self.folders {
            if folder.is_dir() && inotify.watches().add(folder, mask()).is_err() {
                self.inotify = None;
                return;
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn watch(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn looks(watch: &FolderWatch) -> bool {
        watch.look_if_changed(|| Ok::<_, ()>(())).unwrap().is_some()
    }

    #[test]
    fn a_change_in_any_watched_folder_is_seen_by_the_next_call() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let later = root.join("later");
        let watch = FolderWatch::new(vec![root.clone(), later.clone()]);
        if !watch.is_active() {
            // Not Linux, or no inotify here: every call looks, which the other asserts show.
            assert!(looks(&watch) && looks(&watch));
            return;
        }
        assert!(looks(&watch), "the first call looks");
        assert!(!looks(&watch), "nothing changed");
        // A file replaced by rename, as tantivy and Disan write them.
        std::fs::write(root.join("meta.json.tmp"), b"1").unwrap();
        std::fs::rename(root.join("meta.json.tmp"), root.join("meta.json")).unwrap();
        assert!(looks(&watch));
        assert!(!looks(&watch));
        // A folder that did not exist is noticed when made, and watched from then on.
        std::fs::create_dir(&later).unwrap();
        assert!(looks(&watch));
        assert!(!looks(&watch));
        std::fs::write(later.join("ids.txt"), b"tep-a\tv1\n").unwrap();
        assert!(looks(&watch), "a change inside the folder made later");
        assert!(!looks(&watch));
        // Replaced by another folder: the new one is watched.
        let elsewhere = root.join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::remove_dir_all(&later).unwrap();
        std::fs::rename(&elsewhere, &later).unwrap();
        assert!(looks(&watch));
        assert!(!looks(&watch));
        std::fs::write(later.join("ids.txt"), b"tep-b\tv1\n").unwrap();
        assert!(looks(&watch), "a change inside the replacement");
    }

    #[test]
    fn a_failed_look_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let watch = FolderWatch::new(vec![dir.path().to_path_buf()]);
        assert_eq!(
            watch.look_if_changed(|| Err::<(), _>("damaged")),
            Err("damaged")
        );
        assert!(looks(&watch), "owed after a failure");
    }
}
