//! One budget on the memory untrusted files may take at once: the workers' address space and
//! the bytes of files the ingest process itself holds.
//!
//! Some checks read a whole file in the parent process: the structure walk of a raster image and
//! its EXIF ([`crate::index::derivatives::inspect`]), a HEIF file's boxes, the location check of
//! a JPEG, PNG, WebP or TIFF ([`crate::index::location`]). Ingest runs them on every core at
//! once, beside the workers other threads start, so with a budget of their own two 370 MB scans
//! read in the parent while a third is decoded in a 640 MiB worker took the tree past 1 GiB
//! (break-11b finding 5). So a held file and a worker draw from the same [`MEMORY`]
//! ([`super::UNTRUSTED_MEMORY`], 640 MiB): each read first reserves the file's size (at most
//! [`HELD_BYTES`]; larger files are never read whole in the parent), each worker its address
//! space, and each waits while the others hold too much. What untrusted files cost the process
//! tree is therefore at most 640 MiB, whatever the batch holds and however many threads run.
//!
//! Reservations must not nest (a thread holding one never asks for another), or two threads
//! could wait on each other; [`read`] returns the bytes with their reservation, dropped together.

use std::ops::Deref;
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// Bytes of the largest untrusted file the ingest process reads whole: 384 MiB. Larger files are
/// measured from their headers and kept unchecked.
pub const HELD_BYTES: u64 = 384 << 20;

/// One budget: bytes counted as held, and a signal for those waiting when some are given back.
pub(super) struct Budget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    const fn new(limit: u64) -> Self {
        Budget {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `size` bytes may be held (or, for more than the whole budget, until nothing
    /// else is), then counts them as held until the [`Reservation`] is dropped.
    pub(super) fn reserve(&'static self, size: u64) -> Reservation {
        self.wait_for(size);
        Reservation { size, budget: self }
    }

    fn wait_for(&self, size: u64) {
        let mut used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while *used > 0 && *used + size > self.limit {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *used += size;
    }

    fn give_back(&self, size: u64) {
        let mut used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *used -= size;
        self.freed.notify_all();
    }

    /// Reads `path` whole within this budget.
    fn read(&'static self, path: &Path) -> std::io::Result<Held> {
        let size = std::fs::metadata(path)?.len();
        // Given back when this returns an error, or with the bytes.
        let reservation = self.reserve(size);
        Ok(Held {
            bytes: std::fs::read(path)?,
            _reservation: reservation,
        })
    }
}

/// The memory of this process's workers and of the files it holds: [`super::UNTRUSTED_MEMORY`].
pub(super) static MEMORY: Budget = Budget::new(super::UNTRUSTED_MEMORY);

/// A share of a [`Budget`], given back when dropped.
pub(super) struct Reservation {
    size: u64,
    budget: &'static Budget,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.budget.give_back(self.size);
    }
}

/// A file's bytes, read whole, and their share of [`MEMORY`], given back when dropped.
pub struct Held {
    bytes: Vec<u8>,
    _reservation: Reservation,
}

impl Held {
    /// Hands the bytes to `use_them` (which may keep or drop them without copying), still
    /// counted as held until it returns.
    pub fn with_bytes<T>(self, use_them: impl FnOnce(Vec<u8>) -> T) -> T {
        let Held {
            bytes,
            _reservation,
        } = self;
        use_them(bytes)
    }
}

impl Deref for Held {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Reads the file at `path` whole, once its size fits in what [`MEMORY`] has left (or, for a
/// file larger than the budget, once nothing else is held). Callers read only files of at most
/// [`HELD_BYTES`].
///
/// # Errors
/// Those of reading the file.
pub fn read(path: &Path) -> std::io::Result<Held> {
    MEMORY.read(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Eight threads read 60-byte files under a 100-byte budget: at most one holds its bytes at
    /// a time, and every reservation is given back. A file larger than the budget is read alone.
    #[test]
    fn reads_wait_for_room_and_give_it_back() {
        static SMALL: Budget = Budget::new(100);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sixty");
        let huge = dir.path().join("huge");
        std::fs::write(&file, [7u8; 60]).unwrap();
        std::fs::write(&huge, [7u8; 150]).unwrap();
        let peak = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for i in 0..8 {
                let (file, huge, peak) = (&file, &huge, &peak);
                scope.spawn(move || {
                    let path = if i == 0 { huge } else { file };
                    let held = SMALL.read(path).unwrap();
                    peak.fetch_max(*SMALL.used.lock().unwrap(), Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    assert_eq!(held.len(), if i == 0 { 150 } else { 60 });
                });
            }
        });
        // One 60-byte file at a time (two would be 120), or the 150-byte one alone.
        assert!([60, 150].contains(&peak.load(Ordering::SeqCst)), "{peak:?}");
        assert_eq!(*SMALL.used.lock().unwrap(), 0);
    }

    /// break-11b finding 5: a worker's reservation and a file held by the process draw from one
    /// budget, so a held read waits while a worker holds the whole of it, and the two never
    /// count more than the budget together.
    #[test]
    fn held_files_wait_for_workers_of_the_same_budget() {
        static SHARED: Budget = Budget::new(100);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sixty");
        std::fs::write(&file, [7u8; 60]).unwrap();
        let worker = SHARED.reserve(100);
        let (read, done) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let held = SHARED.read(&file).unwrap();
                read.send(*SHARED.used.lock().unwrap()).unwrap();
                drop(held);
            });
            // The read waits while the worker's reservation is out.
            assert!(
                done.recv_timeout(std::time::Duration::from_millis(200))
                    .is_err()
            );
            drop(worker);
            assert_eq!(done.recv().unwrap(), 60);
        });
        assert_eq!(*SHARED.used.lock().unwrap(), 0);
    }
}
