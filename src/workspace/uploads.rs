//! Files sent from the browser (issue 15, upload): the staging area where uploads arrive before
//! anything of them becomes a record, under the archive's `extensions/disan-uploads/`
//! ([`DIR`]), beside the archive's other extension folders and never inside an OCFL object.
//!
//! This module owns what the resumable upload protocol (tus 1.0, served by
//! `crate::web::workspace::tus`) stores: per upload, its bytes (`<id>.part`, appended in
//! order, so the file's length **is** the upload's offset: nothing else to keep in step after a
//! dropped connection) and what it is (`<id>.json`: owner, declared length, the client's
//! metadata, when it was created and last received bytes). It also owns the rules:
//!
//! - a **size limit** ([`Limits::max_size`]) stated before an upload starts and refused at
//!   creation ([`UploadError::TooLarge`]);
//! - a **quota** of unfinished uploads per account, in number and in bytes still to come
//!   ([`Limits::max_unfinished`], [`Limits::quota_bytes`]);
//! - **expiry**: an unfinished upload that received nothing for [`Limits::expiry`] is removed
//!   (swept at every creation and listing; asked for after, it no longer exists);
//! - one writer per upload at a time ([`Uploads::receive`]).
//!
//! An upload belongs to the account that created it: to anyone else it does not exist.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The staging folder, relative to the archive's storage root.
pub const DIR: &str = "extensions/disan-uploads";

/// One gibibyte, in bytes.
pub const GIB: u64 = 1024 * 1024 * 1024;

/// What the staging area accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes one upload may hold at most (the protocol's `Tus-Max-Size`).
    pub max_size: u64,
    /// Unfinished uploads one account may have at once.
    pub max_unfinished: usize,
    /// Bytes still to come, summed over one account's unfinished uploads, at most.
    pub quota_bytes: u64,
    /// How long an unfinished upload is kept after it last received bytes.
    pub expiry: Duration,
    /// How long a finished upload not made a batch is kept after it finished (its last bytes).
    pub finished: Duration,
    /// How long a batch is kept, files and all, after it was checked (made, or its sheet
    /// corrected) without being confirmed, or after its run failed: then the staging cleanup
    /// removes its files and it reads `expired` (a failed one stays `failed`, its reason kept).
    pub unconfirmed: Duration,
    /// How long an ingested batch's staged files are kept after its ingest ended; its report
    /// (`batch.json`) is kept for good.
    pub ingested: Duration,
}

/// One day.
const DAY: Duration = Duration::from_secs(24 * 3600);

impl Default for Limits {
    /// 20 GiB an upload (a long film in production quality), 20 unfinished uploads and 64 GiB
    /// still to come per account, and 24 hours for an abandoned upload to be resumed; a finished
    /// upload not made a batch kept 7 days, a batch not confirmed (or failed) 14 days, and an
    /// ingested batch's files 7 days (time to compare them with what the archive holds; the
    /// archive has its own copy, checked by digest).
    fn default() -> Self {
        Limits {
            max_size: 20 * GIB,
            max_unfinished: 20,
            quota_bytes: 64 * GIB,
            expiry: DAY,
            finished: 7 * DAY,
            unconfirmed: 14 * DAY,
            ingested: 7 * DAY,
        }
    }
}

/// Why an upload was refused or cannot be found.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The declared length is above [`Limits::max_size`].
    #[error("the file is {length} bytes; an upload may hold at most {max} bytes")]
    TooLarge {
        /// The declared length.
        length: u64,
        /// The limit.
        max: u64,
    },
    /// The account has [`Limits::max_unfinished`] unfinished uploads, or this one would bring
    /// the bytes still to come past [`Limits::quota_bytes`].
    #[error("too many unfinished uploads: finish, or cancel, some first")]
    Quota,
    /// No such upload for this account (or it expired).
    #[error("there is no such upload")]
    NotFound,
    /// Another request is sending bytes to this upload.
    #[error("this upload is receiving bytes in another request")]
    Busy,
    /// The staging area cannot be read or written.
    #[error("the upload staging area {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> UploadError + '_ {
    move |source| UploadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What an upload is (its `<id>.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    /// 32 lowercase hexadecimal digits (128 random bits).
    pub id: String,
    /// The login of the account that created it.
    pub owner: String,
    /// Its declared length, bytes (`Upload-Length`).
    pub length: u64,
    /// The client's metadata (`Upload-Metadata`: `filename`, `relativePath`, …), as text.
    pub metadata: BTreeMap<String, String>,
    /// When it was created, seconds since 1970.
    pub created: u64,
    /// When it last received bytes (or was created), seconds since 1970.
    pub touched: u64,
}

impl Upload {
    /// When it expires, `offset` bytes received: unfinished, `touched` + [`Limits::expiry`]
    /// unless it receives bytes; finished, `touched` (its last bytes) + [`Limits::finished`]
    /// unless it is made a batch (the staging cleanup removes it then).
    pub fn expires(&self, limits: &Limits, offset: u64) -> SystemTime {
        let lifetime = if offset < self.length {
            limits.expiry
        } else {
            limits.finished
        };
        UNIX_EPOCH + Duration::from_secs(self.touched) + lifetime
    }
}

/// The staging area of one archive, shared by every request.
#[derive(Debug)]
pub struct Uploads {
    dir: PathBuf,
    limits: Limits,
    receiving: Arc<Mutex<HashSet<String>>>,
}

/// The right to append to one upload, held while a request sends its bytes; released on drop.
#[derive(Debug)]
pub struct Receiving {
    id: String,
    receiving: Arc<Mutex<HashSet<String>>>,
}

impl Drop for Receiving {
    fn drop(&mut self) {
        if let Ok(mut set) = self.receiving.lock() {
            set.remove(&self.id);
        }
    }
}

/// Seconds since 1970, now.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Whether `id` is an upload id: 32 lowercase hexadecimal digits.
pub fn is_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Uploads {
    /// The staging area of the archive whose storage root is `root`, with `limits`. Nothing is
    /// created until the first upload.
    pub fn new(root: &Path, limits: Limits) -> Self {
        Uploads {
            dir: root.join(DIR),
            limits,
            receiving: Arc::default(),
        }
    }

    /// What this staging area accepts.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn info_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// The file holding upload `id`'s bytes so far.
    pub fn data_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.part"))
    }

    /// Creates an empty upload of `length` bytes for `owner`, after removing expired ones.
    ///
    /// # Errors
    /// [`UploadError::TooLarge`], [`UploadError::Quota`], [`UploadError::Io`].
    pub fn create(
        &self,
        owner: &str,
        length: u64,
        metadata: BTreeMap<String, String>,
    ) -> Result<Upload, UploadError> {
        if length > self.limits.max_size {
            return Err(UploadError::TooLarge {
                length,
                max: self.limits.max_size,
            });
        }
        let mine = self.list(owner)?;
        let unfinished: Vec<&(Upload, u64)> = mine
            .iter()
            .filter(|(upload, offset)| *offset < upload.length)
            .collect();
        let to_come: u64 = unfinished
            .iter()
            .map(|(upload, offset)| upload.length - offset)
            .fold(0u64, u64::saturating_add);
        if unfinished.len() >= self.limits.max_unfinished
            || to_come.saturating_add(length) > self.limits.quota_bytes
        {
            return Err(UploadError::Quota);
        }
        std::fs::create_dir_all(&self.dir).map_err(io_error(&self.dir))?;
        let bits: [u8; 16] = crate::accounts::random_bytes();
        let id: String = bits.iter().map(|byte| format!("{byte:02x}")).collect();
        let at = now();
        let upload = Upload {
            id: id.clone(),
            owner: owner.to_string(),
            length,
            metadata,
            created: at,
            touched: at,
        };
        let data = self.data_path(&id);
        std::fs::File::create(&data).map_err(io_error(&data))?;
        self.write_info(&upload)?;
        Ok(upload)
    }

    fn write_info(&self, upload: &Upload) -> Result<(), UploadError> {
        let path = self.info_path(&upload.id);
        let temporary = self.dir.join(format!("{}.json.new", upload.id));
        let text = serde_json::to_vec_pretty(upload).expect("an upload serialises");
        std::fs::write(&temporary, text).map_err(io_error(&temporary))?;
        std::fs::rename(&temporary, &path).map_err(io_error(&path))
    }

    /// Upload `id` of `owner` and its offset (bytes received so far).
    ///
    /// # Errors
    /// [`UploadError::NotFound`] when there is none, it is another account's, or it expired
    /// (then it is removed); [`UploadError::Io`].
    pub fn get(&self, owner: &str, id: &str) -> Result<(Upload, u64), UploadError> {
        if !is_id(id) {
            return Err(UploadError::NotFound);
        }
        let upload = self.read(id)?.ok_or(UploadError::NotFound)?;
        if upload.owner != owner {
            return Err(UploadError::NotFound);
        }
        let offset = self.offset(id)?;
        if offset < upload.length
            && upload.expires(&self.limits, offset) <= SystemTime::now()
            && !self.is_receiving(id)
        {
            self.remove_files(id)?;
            log_removed(&upload, offset);
            return Err(UploadError::NotFound);
        }
        Ok((upload, offset))
    }

    fn read(&self, id: &str) -> Result<Option<Upload>, UploadError> {
        let path = self.info_path(id);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(io_error(&path)(error)),
        }
    }

    fn offset(&self, id: &str) -> Result<u64, UploadError> {
        let data = self.data_path(id);
        match std::fs::metadata(&data) {
            Ok(meta) => Ok(meta.len()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(error) => Err(io_error(&data)(error)),
        }
    }

    /// `owner`'s uploads with their offsets, oldest first, after removing every expired
    /// upload (of any account).
    ///
    /// # Errors
    /// [`UploadError::Io`].
    pub fn list(&self, owner: &str) -> Result<Vec<(Upload, u64)>, UploadError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(io_error(&self.dir)(error)),
        };
        let mut found = Vec::new();
        let at = SystemTime::now();
        for entry in entries {
            let entry = entry.map_err(io_error(&self.dir))?;
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|name| name.strip_suffix(".json")) else {
                continue;
            };
            if !is_id(id) {
                continue;
            }
            let Some(upload) = self.read(id)? else {
                continue;
            };
            let offset = self.offset(id)?;
            if offset < upload.length && upload.expires(&self.limits, offset) <= at {
                if !self.is_receiving(id) {
                    self.remove_files(id)?;
                    log_removed(&upload, offset);
                }
                continue;
            }
            if upload.owner == owner {
                found.push((upload, offset));
            }
        }
        found.sort_by(|a, b| (a.0.created, &a.0.id).cmp(&(b.0.created, &b.0.id)));
        Ok(found)
    }

    /// Whether a request is sending bytes to upload `id` now (its offset is not final yet).
    pub fn is_receiving(&self, id: &str) -> bool {
        self.receiving
            .lock()
            .map(|set| set.contains(id))
            .unwrap_or(true)
    }

    /// The right to append to upload `id` (one request at a time).
    ///
    /// # Errors
    /// [`UploadError::Busy`] while another request holds it.
    pub fn receive(&self, id: &str) -> Result<Receiving, UploadError> {
        let mut set = self.receiving.lock().map_err(|_| UploadError::Busy)?;
        if !set.insert(id.to_string()) {
            return Err(UploadError::Busy);
        }
        Ok(Receiving {
            id: id.to_string(),
            receiving: self.receiving.clone(),
        })
    }

    /// Notes that `upload` received bytes now (its expiry starts again).
    ///
    /// # Errors
    /// [`UploadError::Io`].
    pub fn touch(&self, upload: &mut Upload) -> Result<(), UploadError> {
        upload.touched = now();
        self.write_info(upload)
    }

    /// Removes upload `id` of `owner` (the protocol's termination).
    ///
    /// # Errors
    /// [`UploadError::NotFound`], [`UploadError::Busy`] while it receives bytes,
    /// [`UploadError::Io`].
    pub fn remove(&self, owner: &str, id: &str) -> Result<(), UploadError> {
        self.get(owner, id)?;
        let _receiving = self.receive(id)?;
        self.remove_files(id)
    }

    /// Removes upload `id` when it is past its lifetime at `now` ([`Upload::expires`]); what
    /// was removed. The caller holds its one-writer right ([`Uploads::receive`]).
    pub(super) fn expired(
        &self,
        id: &str,
        now: SystemTime,
    ) -> Result<Option<super::staging::Removed>, UploadError> {
        let Some(upload) = self.read(id)? else {
            return Ok(None);
        };
        let offset = self.offset(id)?;
        if upload.expires(&self.limits, offset) > now {
            return Ok(None);
        }
        self.remove_files(id)?;
        Ok(Some(super::staging::Removed::upload(&upload, offset)))
    }

    fn remove_files(&self, id: &str) -> Result<(), UploadError> {
        for path in [self.info_path(id), self.data_path(id)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(io_error(&path)(error)),
            }
        }
        Ok(())
    }
}

/// Logs an unfinished upload removed when it was asked for past its lifetime (the cleanup's
/// removals are logged by [`super::staging::log`]).
fn log_removed(upload: &Upload, offset: u64) {
    eprintln!(
        "disan serve: staging cleanup removed {}",
        super::staging::Removed::upload(upload, offset)
    );
}

/// `bytes` in words a person reads: `20 GiB`, `512 MiB`, `3.5 KiB`, `700 B` (binary units, at
/// most one decimal, none when whole). Any `u64`, however large (a client's number), is read.
pub fn size_in_words(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (unit, size) in UNITS {
        if bytes >= size {
            // In 128 bits: a client's number (`Upload-Length: 18446744073709551615`) times ten
            // overflows 64 (issue 15's break round: a panic while writing the 413).
            let tenths = (u128::from(bytes) * 10 + u128::from(size / 2)) / u128::from(size);
            return if tenths % 10 == 0 {
                format!("{} {unit}", tenths / 10)
            } else {
                format!("{}.{} {unit}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            max_size: 1000,
            max_unfinished: 2,
            quota_bytes: 1500,
            expiry: Duration::from_secs(3600),
            ..Limits::default()
        }
    }

    #[test]
    fn an_upload_is_its_owners_alone_and_its_offset_is_its_files_length() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), small());
        let upload = uploads.create("thu", 10, BTreeMap::new()).unwrap();
        assert!(is_id(&upload.id));
        assert_eq!(uploads.get("thu", &upload.id).unwrap().1, 0);
        std::fs::write(uploads.data_path(&upload.id), b"abcd").unwrap();
        assert_eq!(uploads.get("thu", &upload.id).unwrap().1, 4);
        assert!(matches!(
            uploads.get("lan", &upload.id),
            Err(UploadError::NotFound)
        ));
        assert!(matches!(
            uploads.remove("lan", &upload.id),
            Err(UploadError::NotFound)
        ));
        uploads.remove("thu", &upload.id).unwrap();
        assert!(matches!(
            uploads.get("thu", &upload.id),
            Err(UploadError::NotFound)
        ));
    }

    #[test]
    fn limits_and_quota_are_enforced_at_creation() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), small());
        assert!(matches!(
            uploads.create("thu", 1001, BTreeMap::new()),
            Err(UploadError::TooLarge {
                length: 1001,
                max: 1000
            })
        ));
        uploads.create("thu", 1000, BTreeMap::new()).unwrap();
        // 1000 + 600 still to come is past the 1500 quota.
        assert!(matches!(
            uploads.create("thu", 600, BTreeMap::new()),
            Err(UploadError::Quota)
        ));
        uploads.create("thu", 500, BTreeMap::new()).unwrap();
        // Two unfinished uploads: the most.
        assert!(matches!(
            uploads.create("thu", 0, BTreeMap::new()),
            Err(UploadError::Quota)
        ));
        // Another account has its own quota.
        uploads.create("lan", 500, BTreeMap::new()).unwrap();
    }

    #[test]
    fn an_abandoned_upload_expires_and_a_busy_one_has_one_writer() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(
            dir.path(),
            Limits {
                expiry: Duration::ZERO,
                ..small()
            },
        );
        let upload = uploads.create("thu", 10, BTreeMap::new()).unwrap();
        let held = uploads.receive(&upload.id).unwrap();
        assert!(matches!(
            uploads.receive(&upload.id),
            Err(UploadError::Busy)
        ));
        drop(held);
        assert!(matches!(
            uploads.get("thu", &upload.id),
            Err(UploadError::NotFound)
        ));
        assert!(!uploads.data_path(&upload.id).exists());
        assert!(uploads.list("thu").unwrap().is_empty());
    }

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size_in_words(20 * GIB), "20 GiB");
        assert_eq!(size_in_words(1536 * 1024), "1.5 MiB");
        assert_eq!(size_in_words(700), "700 B");
        // Client numbers, read whole (a panic in debug, wrapped in release, before).
        assert_eq!(size_in_words(u64::MAX), "16777216 TiB");
        assert_eq!(size_in_words(1_844_674_407_370_955_161), "1677721.6 TiB");
    }
}
