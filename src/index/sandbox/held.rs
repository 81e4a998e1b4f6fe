//! A budget on the bytes of untrusted files this process holds in memory at once.
//!
//! Some checks read a whole file in the parent process: the structure walk of a raster image and
//! its EXIF ([`crate::index::derivatives::inspect`]), a HEIF file's boxes, the location check of
//! a JPEG, PNG, WebP or TIFF ([`crate::index::location`]). Ingest runs them on every core at
//! once, so two 600 MB scans read side by side would take 1.2 GB on their own. Each such read
//! first reserves the file's size from [`HELD_BYTES`] and waits while other reads hold it; a file
//! larger than the whole budget waits until it is alone. With the workers' own budget
//! ([`super::ALL_WORKERS_MEMORY`]) this bounds an ingest's memory by the largest single file
//! rather than by the sum of the files being checked.
//!
//! Reservations must not nest (a thread holding one never asks for another), or two threads
//! could wait on each other; [`read`] returns the bytes with their reservation, dropped together.

use std::ops::Deref;
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// Bytes of untrusted files held in memory at once by one process: 384 MiB.
pub const HELD_BYTES: u64 = 384 << 20;

/// One budget: bytes counted as held, and a signal for those waiting when some are given back.
struct Budget {
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

    /// Waits until `size` bytes may be held, then counts them as held.
    fn reserve(&self, size: u64) {
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
        self.reserve(size);
        // From here `Held` owns the reservation, so it is given back if reading fails.
        let mut held = Held {
            bytes: Vec::new(),
            reserved: size,
            budget: self,
        };
        held.bytes = std::fs::read(path)?;
        Ok(held)
    }
}

static BUDGET: Budget = Budget::new(HELD_BYTES);

/// A file's bytes, read whole, and their share of [`HELD_BYTES`], given back when dropped.
pub struct Held {
    bytes: Vec<u8>,
    reserved: u64,
    budget: &'static Budget,
}

impl Deref for Held {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.budget.give_back(self.reserved);
    }
}

/// Reads the file at `path` whole, once its size fits in what [`HELD_BYTES`] has left (or, for a
/// file larger than the budget, once nothing else is held).
///
/// # Errors
/// Those of reading the file.
pub fn read(path: &Path) -> std::io::Result<Held> {
    BUDGET.read(path)
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
}
