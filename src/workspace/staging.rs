//! Cleaning the upload staging area (issue 15, upload): what arrives from the browser
//! ([`super::uploads`]) and the batches made of it ([`super::batches`]) are kept for stated
//! lifetimes ([`Limits`]), then removed by [`Batches::sweep`], which `disan serve` runs when it
//! starts and every [`SWEEP_EVERY`] after, logging each thing it removes.
//!
//! What goes, and when (the defaults of [`Limits::default`]):
//!
//! - an **unfinished upload** that received nothing for [`Limits::expiry`] (24 hours);
//! - a **finished upload** not made a batch, [`Limits::finished`] (7 days) after it finished;
//! - a batch **checked but never confirmed**, [`Limits::unconfirmed`] (14 days) after it was
//!   checked (made, its sheet corrected, or put back to checked after its server stopped): its
//!   files go and it reads `expired`; a **failed** batch not run again, the same lifetime after
//!   its run failed: its files go and it stays `failed`, its reason kept;
//! - an **ingested** batch's staged files, [`Limits::ingested`] (7 days) after its ingest ended.
//!
//! What never goes: a batch's `batch.json` (its state, the check's report, the real run's
//! report or reason), so its archivist can still read it; a batch being ingested or confirmed
//! (its run holds `run.lock`, which the cleanup must take first); an upload receiving bytes
//! (the cleanup must take its one-writer right first); anything the archive holds (the cleanup
//! works only under `extensions/disan-uploads/`, never in the archive's objects). A
//! `batch.json` that cannot be read is left alone, not guessed at.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::batches::{
    Batch, BatchError, Batches, RUN_LOCK, State, folder_size, is_batch_folder, try_lock,
};
use super::uploads::{Limits, Upload, UploadError, Uploads, is_id, size_in_words};

/// How often `disan serve` cleans the staging area after the cleanup at its start: hourly, so
/// nothing outlives its lifetime by more than an hour.
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// What one removal was, by the rule that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// An unfinished upload that received nothing for [`Limits::expiry`].
    UnfinishedUpload,
    /// A finished upload not made a batch within [`Limits::finished`].
    FinishedUpload,
    /// A batch not confirmed within [`Limits::unconfirmed`]: its files; it reads `expired`.
    UnconfirmedBatch,
    /// A failed batch not run again within [`Limits::unconfirmed`]: its files.
    FailedBatchFiles,
    /// An ingested batch's files, [`Limits::ingested`] after its ingest ended.
    IngestedBatchFiles,
    /// A batch folder without a `batch.json` file (its making stopped with its server, or
    /// failed) older than [`Limits::unconfirmed`]: removed whatever it holds.
    Leftover,
}

/// One thing the cleanup removed, for the server's log and the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// By which rule.
    pub what: What,
    /// The upload's or batch's id (32 hexadecimal digits).
    pub id: String,
    /// The account it was of (empty for a leftover folder).
    pub owner: String,
    /// The upload's file name or path, or the batch's name.
    pub name: String,
    /// Bytes removed.
    pub bytes: u64,
}

impl Removed {
    /// The removal of `upload`, `offset` bytes received.
    pub fn upload(upload: &Upload, offset: u64) -> Removed {
        let name = upload
            .metadata
            .get("relativePath")
            .filter(|path| !path.is_empty())
            .or_else(|| upload.metadata.get("filename"))
            .cloned()
            .unwrap_or_default();
        Removed {
            what: if offset < upload.length {
                What::UnfinishedUpload
            } else {
                What::FinishedUpload
            },
            id: upload.id.clone(),
            owner: upload.owner.clone(),
            name,
            bytes: offset,
        }
    }

    fn batch(what: What, batch: &Batch, bytes: u64) -> Removed {
        Removed {
            what,
            id: batch.id.clone(),
            owner: batch.owner.clone(),
            name: batch.name.clone(),
            bytes,
        }
    }
}

impl std::fmt::Display for Removed {
    /// One line of the server's log: `unfinished upload 3f… of thu ('phim.mp4', 1 GiB):
    /// nothing arrived within its lifetime`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (id, owner, name, size) =
            (&self.id, &self.owner, &self.name, size_in_words(self.bytes));
        match self.what {
            What::UnfinishedUpload => write!(
                f,
                "unfinished upload {id} of {owner} ('{name}', {size} received): nothing arrived within its lifetime"
            ),
            What::FinishedUpload => write!(
                f,
                "finished upload {id} of {owner} ('{name}', {size}): not made a batch within its lifetime"
            ),
            What::UnconfirmedBatch => write!(
                f,
                "the files of batch {id} of {owner} ('{name}', {size}): not confirmed within its lifetime; it reads expired, its check's report kept"
            ),
            What::FailedBatchFiles => write!(
                f,
                "the files of failed batch {id} of {owner} ('{name}', {size}): not run again within its lifetime; why it failed is kept"
            ),
            What::IngestedBatchFiles => write!(
                f,
                "the staged files of ingested batch {id} of {owner} ('{name}', {size}): the archive holds them; the report is kept"
            ),
            What::Leftover => write!(
                f,
                "batches/{id} ({size}): a batch whose making never finished (no batch.json)"
            ),
        }
    }
}

/// What one cleanup did: what it removed, and what it could not look at or remove (each
/// reported, the rest cleaned all the same).
#[derive(Debug, Default)]
pub struct Swept {
    /// What was removed, uploads first.
    pub removed: Vec<Removed>,
    /// What could not be read or removed.
    pub errors: Vec<BatchError>,
}

/// Writes what `swept` removed, and could not, to the server's log (standard error), one line
/// each.
pub fn log(swept: &Swept) {
    for removed in &swept.removed {
        eprintln!("disan serve: staging cleanup removed {removed}");
    }
    for error in &swept.errors {
        eprintln!("disan serve: staging cleanup: {error}");
    }
}

/// Whether what settled at `settled` (seconds since 1970) has outlived `lifetime` at `now`.
fn outlived(settled: u64, lifetime: Duration, now: SystemTime) -> bool {
    UNIX_EPOCH + Duration::from_secs(settled) + lifetime <= now
}

impl Uploads {
    /// Removes every upload (of any account) past its lifetime at `now`
    /// ([`Upload::expires`]); an upload receiving bytes is left (its one-writer right is taken
    /// before anything is removed). What was removed.
    ///
    /// # Errors
    /// [`UploadError::Io`] when the staging folder cannot be read; an upload that cannot be
    /// removed is in the second list.
    pub fn sweep(&self, now: SystemTime) -> Result<(Vec<Removed>, Vec<UploadError>), UploadError> {
        let entries = match std::fs::read_dir(self.dir()) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Default::default());
            }
            Err(source) => {
                return Err(UploadError::Io {
                    path: self.dir().to_path_buf(),
                    source,
                });
            }
        };
        let (mut removed, mut errors) = (Vec::new(), Vec::new());
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|name| name.strip_suffix(".json")) else {
                continue;
            };
            if !is_id(id) {
                continue;
            }
            let Ok(_receiving) = self.receive(id) else {
                continue;
            };
            match self.expired(id, now) {
                Ok(Some(gone)) => removed.push(gone),
                Ok(None) => {}
                Err(error) => errors.push(error),
            }
        }
        Ok((removed, errors))
    }
}

impl Batches {
    /// Cleans the staging area at `now` (the clock given, so tests need not wait days): the
    /// uploads past their lifetime ([`Uploads::sweep`]), then each batch past its lifetime
    /// under `uploads`' [`Limits`] (see the module's doc). Uploads are not made batches
    /// meanwhile; a batch is never cleaned while it is confirmed, running or being changed by a
    /// request. One thing that cannot be removed is reported and the rest cleaned.
    pub fn sweep(&self, uploads: &Uploads, now: SystemTime) -> Swept {
        let _staging = self.staging.lock();
        let mut swept = Swept::default();
        match uploads.sweep(now) {
            Ok((removed, errors)) => {
                swept.removed.extend(removed);
                swept
                    .errors
                    .extend(errors.into_iter().map(BatchError::Upload));
            }
            Err(error) => swept.errors.push(BatchError::Upload(error)),
        }
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return swept,
            Err(source) => {
                swept.errors.push(BatchError::Io {
                    path: self.dir.clone(),
                    source,
                });
                return swept;
            }
        };
        for entry in entries.flatten() {
            let Some(id) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            if !is_id(&id) || !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                continue;
            }
            match self.sweep_batch(&id, uploads.limits(), now) {
                Ok(Some(removed)) => swept.removed.push(removed),
                Ok(None) => {}
                Err(error) => swept.errors.push(error),
            }
        }
        swept
    }

    /// [`Batches::sweep`] for the batch folder `id`.
    fn sweep_batch(
        &self,
        id: &str,
        limits: &Limits,
        now: SystemTime,
    ) -> Result<Option<Removed>, BatchError> {
        let folder = self.folder(id);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| BatchError::Io { path, source }
        };
        let _changing = self.changing.lock();
        let json = folder.join("batch.json");
        // No batch.json file (none, or a folder of that name: a batch folder uploaded as
        // `batch.json` before the `content/` layout, whose making failed): a leftover.
        if !std::fs::symlink_metadata(&json).is_ok_and(|meta| meta.is_file()) {
            return self.sweep_leftover(id, limits, now);
        }
        let bytes = std::fs::read(&json).map_err(io(&json))?;
        let Ok(mut batch) = serde_json::from_slice::<Batch>(&bytes) else {
            // Unreadable: left as it is, for a person to look at.
            return Ok(None);
        };
        if !batch.has_files() || !is_batch_folder(&batch, id) {
            return Ok(None);
        }
        self.settle_layout(&mut batch)?;
        // Confirmed and running (here or in another process): never touched.
        let path = folder.join(RUN_LOCK);
        let Some(_run) = try_lock(&path).map_err(io(&path))? else {
            return Ok(None);
        };
        let (lifetime, what) = match batch.state {
            // Running without its lock held: its server stopped mid-run; as checked again.
            State::Checked | State::Queued | State::Waiting | State::Ingesting => {
                (limits.unconfirmed, What::UnconfirmedBatch)
            }
            State::Failed => (limits.unconfirmed, What::FailedBatchFiles),
            State::Done => (limits.ingested, What::IngestedBatchFiles),
            State::Cancelled | State::Expired => return Ok(None),
        };
        if !outlived(batch.settled_at(), lifetime, now) {
            return Ok(None);
        }
        let bytes = self.remove_files(&mut batch)?;
        if what == What::UnconfirmedBatch {
            batch.interrupted |= batch.state.is_running();
            batch.state = State::Expired;
        }
        self.save(&batch)?;
        Ok(Some(Removed::batch(what, &batch, bytes)))
    }

    /// A batch folder `id` without a `batch.json` file (its making stopped with its server or
    /// failed: no request makes one now, the caller holds `staging`): removed, whatever it
    /// holds (folders where files were expected too), once older than [`Limits::unconfirmed`].
    fn sweep_leftover(
        &self,
        id: &str,
        limits: &Limits,
        now: SystemTime,
    ) -> Result<Option<Removed>, BatchError> {
        let folder = self.folder(id);
        let modified = std::fs::metadata(&folder)
            .and_then(|meta| meta.modified())
            .map_err(|source| BatchError::Io {
                path: folder.clone(),
                source,
            })?;
        if modified + limits.unconfirmed > now {
            return Ok(None);
        }
        let bytes = folder_size(&folder);
        std::fs::remove_dir_all(&folder).map_err(|source| BatchError::Io {
            path: folder.clone(),
            source,
        })?;
        Ok(Some(Removed {
            what: What::Leftover,
            id: id.to_string(),
            owner: String::new(),
            name: String::new(),
            bytes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const DAY: u64 = 24 * 3600;

    fn later(days: u64) -> SystemTime {
        SystemTime::now() + Duration::from_secs(days * DAY + 60)
    }

    /// A batch `batch.json` that cannot be read is left alone however old (it may hold a
    /// report nobody else has); a folder without one (its making stopped with its server) is
    /// removed once past the unconfirmed lifetime; a folder not named like a batch is never
    /// looked at.
    #[test]
    fn unreadable_batches_stay_and_leftovers_go() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), Limits::default());
        let batches = Batches::new(&uploads);
        let unreadable = batches.folder(&"a".repeat(32));
        std::fs::create_dir_all(unreadable.join("lo")).unwrap();
        std::fs::write(unreadable.join("batch.json"), b"{not json").unwrap();
        let leftover = batches.folder(&"b".repeat(32));
        std::fs::create_dir_all(leftover.join("lo/objects")).unwrap();
        std::fs::write(leftover.join("lo/objects/a.jpg"), b"1234").unwrap();
        let stranger = batches.folder("not-a-batch");
        std::fs::create_dir_all(&stranger).unwrap();

        let swept = batches.sweep(&uploads, later(13));
        assert!(
            swept.removed.is_empty() && swept.errors.is_empty(),
            "{swept:?}"
        );
        let swept = batches.sweep(&uploads, later(14));
        assert!(swept.errors.is_empty(), "{:?}", swept.errors);
        assert_eq!(
            swept.removed,
            vec![Removed {
                what: What::Leftover,
                id: "b".repeat(32),
                owner: String::new(),
                name: String::new(),
                bytes: 4,
            }]
        );
        assert!(!leftover.exists());
        assert!(unreadable.join("lo").is_dir() && stranger.is_dir());
    }

    /// An upload receiving bytes is never removed, however late; once it stops, it is.
    #[test]
    fn an_upload_receiving_bytes_is_never_swept() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), Limits::default());
        let batches = Batches::new(&uploads);
        let upload = uploads.create("thu", 10, BTreeMap::new()).unwrap();
        let receiving = uploads.receive(&upload.id).unwrap();
        assert!(batches.sweep(&uploads, later(30)).removed.is_empty());
        assert!(uploads.data_path(&upload.id).exists());
        drop(receiving);
        let swept = batches.sweep(&uploads, later(30));
        assert_eq!(swept.removed.len(), 1);
        assert_eq!(swept.removed[0].what, What::UnfinishedUpload);
        assert_eq!(
            swept.removed[0].to_string(),
            format!(
                "unfinished upload {} of thu ('', 0 B received): nothing arrived within its lifetime",
                upload.id
            )
        );
        assert!(!uploads.data_path(&upload.id).exists());
    }
}
