//! Where tantivy reads and writes the index's files: a [`Directory`] that reads segments with
//! positioned reads instead of memory maps, and serves from a folder it may not write.
//!
//! Why not tantivy's `MmapDirectory` as it is: a memory-mapped file that shrinks under the map
//! (a disk error, a restore or a copy over the live index, one `truncate`) turns the next read
//! of a vanished page into `SIGBUS`, which kills the whole server with no log line. A positioned
//! read (`pread`, [`FileExt::read_exact_at`]) of the same bytes returns an error instead, which
//! becomes one failed search (500, logged) while record pages and media keep being served. The
//! operating system's page cache still caches the files; each read costs a system call and a
//! copy (measured in the README's Performance section).
//!
//! Everything else (writing, deleting, watching `meta.json`, the writer's lock) is delegated to
//! `MmapDirectory`, except one thing: tantivy takes a lock file (`.tantivy-meta.lock`) while it
//! opens the segments of a commit, and creating it fails on a read-only index (read-only media
//! in a village cultural house, `chmod -R a-w index`). There the lock is taken on the existing
//! file opened for reading (an advisory lock needs no write access), or skipped when the file
//! does not exist and cannot be created: in a folder nobody can write, no writer can delete
//! the segments being opened.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::HasLen;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// The index folder, read with positioned reads (see the module documentation).
#[derive(Clone, Debug)]
pub struct ReadAtDirectory {
    root: PathBuf,
    inner: MmapDirectory,
}

impl ReadAtDirectory {
    /// The index in folder `root`, which must exist.
    ///
    /// # Errors
    /// When `root` does not exist or is not a folder.
    pub fn open(root: &Path) -> Result<Self, tantivy::directory::error::OpenDirectoryError> {
        Ok(ReadAtDirectory {
            root: root.to_path_buf(),
            inner: MmapDirectory::open(root)?,
        })
    }
}

/// One open segment file: its descriptor and its length when it was opened (tantivy's files
/// are written once and never change; one that shrank since is damaged, and reading past its
/// new end is an error).
#[derive(Debug)]
struct ReadAtFile {
    file: File,
    len: usize,
    path: PathBuf,
}

impl FileHandle for ReadAtFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start >= range.end {
            return Ok(OwnedBytes::empty());
        }
        if range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "{}: bytes {}..{} asked of a {}-byte file",
                    self.path.display(),
                    range.start,
                    range.end,
                    self.len
                ),
            ));
        }
        let mut buffer = vec![0; range.end - range.start];
        self.file
            .read_exact_at(&mut buffer, range.start as u64)
            .map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!(
                        "{}: cannot read bytes {}..{}: {error}",
                        self.path.display(),
                        range.start,
                        range.end
                    ),
                )
            })?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl HasLen for ReadAtFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl Directory for ReadAtDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|error| {
            if error.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(error, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|error| OpenReadError::wrap_io_error(error, path.to_path_buf()))?
            .len() as usize;
        Ok(Arc::new(ReadAtFile {
            file,
            len,
            path: full,
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(error)) if lock.is_blocking && is_read_only(&error) => {
                // Only readers take blocking locks (the meta lock); the writer's is not blocking
                // and a read-only folder refuses it, as it must.
                read_only_lock(&self.root.join(&lock.filepath))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Whether an error says the folder cannot be written (permissions or a read-only mount).
fn is_read_only(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// A reader's lock in a folder it cannot write: the existing lock file opened for reading and
/// locked (writers lock the same file), or none when there is no such file to lock.
fn read_only_lock(path: &Path) -> Result<DirectoryLock, LockError> {
    match File::open(path) {
        Ok(file) => {
            lock_blocking(&file).map_err(LockError::wrap_io_error)?;
            // Dropping the file releases the lock.
            Ok(DirectoryLock::from(Box::new(file)))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Ok(DirectoryLock::from(Box::new(())))
        }
        Err(error) => Err(LockError::wrap_io_error(error)),
    }
}

/// Waits for an exclusive advisory lock (`flock`) on `file`, as tantivy's own lock does
/// (`File::lock` would do, but is newer than the crate's minimum Rust version).
#[allow(unsafe_code)]
fn lock_blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the lifetime of `file`.
    let result = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_shrank_is_an_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg.term");
        std::fs::write(&path, vec![7u8; 10_000]).unwrap();
        let directory = ReadAtDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("seg.term")).unwrap();
        assert_eq!(
            handle.read_bytes(9_000..9_010).unwrap().as_slice(),
            &[7; 10]
        );
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(100)
            .unwrap();
        let error = handle.read_bytes(9_000..9_010).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("seg.term"), "{error}");
        assert_eq!(handle.read_bytes(5..5).unwrap().len(), 0);
        assert!(handle.read_bytes(9_000..20_000).is_err());
    }
}
