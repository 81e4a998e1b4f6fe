//! Batches made from uploads (issue 15, upload): a folder sent from the browser (its files
//! uploaded with their relative paths) becomes a batch folder as `disan ingest` reads it, staged
//! under the upload staging area (`extensions/disan-uploads/batches/<id>/content/<name>/`); it is
//! **checked like `disan ingest --dry-run`** at once, and nothing is written to the archive until
//! the archivist confirms; then it is ingested in the background, one batch at a time, and its
//! report is kept with it (`batch.json`).
//!
//! A batch's life ([`State`]): `checked` (the dry run's report waits for the archivist) →
//! `queued` (confirmed; another web ingest runs) → `waiting` (another process, a command-line
//! ingest, holds the archive's write lock: this one starts when it ends) → `ingesting` (records
//! counted as they are stored) → `done` (the report kept) or `failed` (why, kept). A command-line
//! ingest started while a web ingest runs is refused by the same lock with "another Disan
//! process is writing". A `failed` batch whose files are kept can be confirmed again (run
//! again); so can a `done` one whose run did not archive every record its check planned
//! ([`Batch::not_archived`]); any other `done` one never runs twice. A batch not confirmed (`checked`) or `failed` can be
//! cancelled by its archivist ([`Batches::cancel`]): its staged files are removed and it reads
//! `cancelled`; one left unconfirmed too long reads `expired` once the staging cleanup
//! ([`super::staging`]) removed its files. Cancelling or expiring never touches the archive.
//!
//! A run that stopped with its server (a crash, a restart) never reads "being ingested" for
//! ever: the confirmed batch's run holds a lock on its folder (`run.lock`, `flock`) from the
//! confirmation to its last save, and reading a batch that says it runs when nobody holds that
//! lock puts it back to `checked`, marked [`Batch::interrupted`], for the archivist to confirm
//! again (records already stored are then unchanged; the archive's own lock keeps it valid).
//!
//! A batch's folder `<id>/` holds what the staging area writes (`batch.json`, its temporary
//! `batch.json.new`, `run.lock`, a corrected sheet's temporary `sheet.new`) and `content/`,
//! where the uploaded batch folder goes: no uploaded name can clash with the staging area's own
//! (issue 15's break round: a folder named `batch.json` or `run.lock` answered 500 and stayed
//! for ever). A batch made before keeps its folder directly in `<id>/` ([`Batch::in_content`]
//! false) and is read there; one of those named like a staging file (`run.lock`, the only
//! such name that made a batch at all) is moved into `content/` when it is next confirmed,
//! cancelled, corrected or cleaned ([`Batches::settle_layout`]).
//!
//! Paths from the browser are not trusted: every component must be a plain name (no `..`, no
//! absolute path, no backslash, no control character), or the batch is refused naming the file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::uploads::{Limits, UploadError, Uploads, is_id};
use crate::archive::{Archive, ArchiveError, OcflError};
use crate::index::IndexDir;
use crate::ingest::{Counter, IngestError, Options};

/// Where a batch's sheet may be, as `disan ingest` looks for it: first found wins.
const SHEETS: [&str; 2] = ["metadata/metadata.csv", "metadata.csv"];

/// Bytes a sheet corrected on the batch's page may hold at most: 1 MiB (thousands of rows; a
/// larger sheet is corrected in a spreadsheet and the batch uploaded again).
pub const SHEET_LIMIT: u64 = 1024 * 1024;

/// The batches folder, inside the upload staging area.
pub const DIR: &str = "batches";

/// The file a confirmed batch's run locks in the batch's folder ([`RunLock`]).
pub(super) const RUN_LOCK: &str = "run.lock";

/// The subfolder of a batch's folder its uploaded batch folder is staged in (`<id>/content/<name>`).
pub(super) const CONTENT: &str = "content";

/// The names the staging area writes in a batch's folder, beside [`CONTENT`]: a batch made
/// before the `content/` layout and named one of these cannot be run or cancelled where it is.
const STAGING_NAMES: [&str; 4] = ["batch.json", "batch.json.new", RUN_LOCK, SHEET_TEMPORARY];

/// The temporary file a sheet corrected on the batch's page is written to, in the batch's
/// folder (never beside the sheet, where an uploaded file may have its name).
const SHEET_TEMPORARY: &str = "sheet.new";

/// How long a confirmed batch waits for another process's ingest before it fails.
pub const LOCK_WAIT: Duration = Duration::from_secs(3600);

/// Where a batch is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Checked like a dry run; the report waits for the archivist to confirm.
    Checked,
    /// Confirmed; waits for another web ingest to end.
    Queued,
    /// Confirmed; waits for another process (a command-line ingest) to release the archive.
    Waiting,
    /// Being ingested.
    Ingesting,
    /// Ingested; the report is kept.
    Done,
    /// The ingest could not run; `error` says why. It may be confirmed again while its files
    /// are kept.
    Failed,
    /// Cancelled by its archivist before it was ingested: its files were removed.
    Cancelled,
    /// Not confirmed within its lifetime: the staging cleanup removed its files.
    Expired,
}

impl State {
    /// Whether the batch is confirmed and not yet finished (its page refreshes itself).
    pub fn is_running(self) -> bool {
        matches!(self, State::Queued | State::Waiting | State::Ingesting)
    }

    /// The state's name, as stored (`checked`, `queued`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Checked => "checked",
            State::Queued => "queued",
            State::Waiting => "waiting",
            State::Ingesting => "ingesting",
            State::Done => "done",
            State::Failed => "failed",
            State::Cancelled => "cancelled",
            State::Expired => "expired",
        }
    }
}

/// A batch (its `batch.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// 32 lowercase hexadecimal digits.
    pub id: String,
    /// The login of the account that made it.
    pub owner: String,
    /// The batch folder's name (the uploaded folder's, or `batch`).
    pub name: String,
    /// When it was made, seconds since 1970.
    pub created: u64,
    /// Where it is.
    pub state: State,
    /// The dry run's report (`disan ingest --dry-run --json`'s shape).
    pub checked: serde_json::Value,
    /// The real run's report, once done.
    #[serde(default)]
    pub report: Option<serde_json::Value>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<String>,
    /// Records planned by the real run (0 until planned).
    #[serde(default)]
    pub total: usize,
    /// Records stored so far by the real run.
    #[serde(default)]
    pub done: usize,
    /// Whether a run of it stopped with its server before it ended (then it is `checked`
    /// again, `done` of `total` records stored, to be confirmed again).
    #[serde(default)]
    pub interrupted: bool,
    /// When it last reached its state (made, checked again, put back to `checked`, its run
    /// ended), seconds since 1970: its lifetime in the staging area counts from then. `None` in
    /// a `batch.json` written before this was kept; then `created` stands in.
    #[serde(default)]
    pub settled: Option<u64>,
    /// When its staged files were removed (cancelled, or by the staging cleanup), seconds since
    /// 1970; `None` while they are kept. Its `batch.json`, with its reports, is kept either way.
    #[serde(default)]
    pub files_removed: Option<u64>,
    /// Whether its batch folder is staged in `content/` of its folder (every batch made since
    /// issue 15's break round); `false` in a `batch.json` written before, whose batch folder is
    /// directly in its folder.
    #[serde(default)]
    pub in_content: bool,
}

impl Batch {
    /// When it last reached its state ([`Batch::settled`], else `created`), seconds since 1970.
    pub fn settled_at(&self) -> u64 {
        self.settled.unwrap_or(self.created)
    }

    /// Whether its staged files are still there (not cancelled, expired nor cleaned up).
    pub fn has_files(&self) -> bool {
        self.files_removed.is_none() && !matches!(self.state, State::Cancelled | State::Expired)
    }

    /// Whether it may be confirmed now, with its files: `checked`; `failed` (run again); or
    /// `done` with records its check planned but its run did not archive
    /// ([`Batch::not_archived`]: run again for those; the records already archived come out
    /// unchanged, since an ingest of the same files and metadata makes no new version).
    pub fn may_confirm(&self) -> bool {
        let state = match self.state {
            State::Checked | State::Failed => true,
            State::Done => !self.not_archived().is_empty(),
            _ => false,
        };
        state && self.has_files()
    }

    /// The records its check planned to add, update or find unchanged that its last run did
    /// not archive (one whose place in the archive could not be written, say), sorted; empty
    /// before a run ends `done`. A record the check already refused is not among them: running
    /// again would refuse it again.
    pub fn not_archived(&self) -> Vec<String> {
        let Some(report) = &self.report else {
            return Vec::new();
        };
        let records = |report: &serde_json::Value| -> BTreeSet<String> {
            ["added", "updated", "unchanged"]
                .iter()
                .filter_map(|outcome| report["records"][outcome].as_array())
                .flatten()
                .filter_map(|id| id.as_str().map(str::to_string))
                .collect()
        };
        let archived = records(report);
        records(&self.checked)
            .into_iter()
            .filter(|id| !archived.contains(id))
            .collect()
    }

    /// When the staging cleanup removes its files under `limits` ([`super::staging`]): `None`
    /// while it runs or once they are gone.
    pub fn files_expire(&self, limits: &Limits) -> Option<SystemTime> {
        let lifetime = match self.state {
            State::Checked | State::Failed => limits.unconfirmed,
            State::Done => limits.ingested,
            _ => return None,
        };
        self.has_files()
            .then(|| UNIX_EPOCH + Duration::from_secs(self.settled_at()) + lifetime)
    }
}

/// The lock a confirmed batch's run holds on `run.lock` in its folder, from the confirmation
/// ([`Batches::confirm`]) to the run's last save ([`Batches::ingest`]); released on drop (and by
/// the system when the process ends).
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
}

/// Takes the lock on `path` without waiting: `None` while another holder has it.
pub(super) fn try_lock(path: &Path) -> std::io::Result<Option<RunLock>> {
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    if let Err(error) = crate::archive::lock_exclusive(&file) {
        return if error.kind() == std::io::ErrorKind::WouldBlock {
            Ok(None)
        } else {
            Err(error)
        };
    }
    Ok(Some(RunLock { _file: file }))
}

/// Why a batch was not made, or cannot be found.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The uploads do not make a batch: each reason names its file.
    #[error("the uploads do not make a batch: {}", .0.join("; "))]
    Refused(Vec<String>),
    /// A sheet corrected on the batch's page is over [`SHEET_LIMIT`]: nothing was changed.
    #[error(
        "the corrected sheet {path} is {size} bytes; a sheet corrected on the page holds at most {limit} bytes"
    )]
    SheetTooLarge {
        /// The sheet, relative to the batch folder (`metadata/metadata.csv`).
        path: String,
        /// Bytes sent.
        size: u64,
        /// [`SHEET_LIMIT`].
        limit: u64,
    },
    /// No such batch for this account.
    #[error("there is no such batch")]
    NotFound,
    /// The batch is not in a state this allows (confirming a batch twice, running a batch that
    /// was ingested, cancelling one being ingested): the state it is in.
    #[error("the batch is {} already", .0.as_str())]
    State(State),
    /// The batch's files were removed (cancelled, expired, or cleaned after its run): it can
    /// no longer be confirmed, corrected nor cancelled.
    #[error("the batch's files were removed")]
    FilesRemoved,
    /// An upload of it failed.
    #[error(transparent)]
    Upload(#[from] UploadError),
    /// The dry run could not run.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The staging area cannot be read or written.
    #[error("the batch staging area {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BatchError + '_ {
    move |source| BatchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The batches of one archive's staging area, and the one web ingest running at a time.
#[derive(Debug)]
pub struct Batches {
    pub(super) dir: PathBuf,
    running: Arc<Mutex<()>>,
    saving: Mutex<()>,
    /// Held while a batch's state is read and changed by a request (confirming, correcting
    /// its sheet, cancelling) or by the staging cleanup, so two never both see `checked`: a
    /// batch is ingested once, its sheet never changes once confirmed, and its files are never
    /// removed once confirmed.
    pub(super) changing: Mutex<()>,
    /// Held while uploads become a batch (and while the staging cleanup runs), so two requests
    /// making a batch of the same uploads do not both move them (the second finds them gone),
    /// and the cleanup never removes an upload being moved.
    pub(super) staging: Mutex<()>,
}

/// The components of a path sent by a browser (`/`-separated), when every one is a plain name.
pub fn safe_components(path: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = path.split('/').collect();
    // Not a name: empty, `.` or `..`, a Windows separator or drive (`C:`), a control
    // character, or longer than a file system takes.
    let plain = |part: &&str| {
        let drive = part.len() >= 2 && part.as_bytes()[1] == b':';
        let odd = part.is_empty()
            || *part == "."
            || *part == ".."
            || part.contains('\\')
            || part.chars().any(char::is_control)
            || drive;
        !odd && part.len() <= 255
    };
    (parts.iter().all(plain) && parts.len() <= 32).then_some(parts)
}

/// The folder every one of `paths` (`(as given, components)`) is in, when they share one, and
/// each one's path inside it; a path given twice is added to `refused`.
fn targets(
    paths: &[(&str, &[String])],
    refused: &mut Vec<String>,
) -> (Option<String>, Vec<String>) {
    let shared = paths
        .first()
        .filter(|(_, parts)| parts.len() > 1)
        .map(|(_, parts)| parts[0].clone())
        .filter(|first| {
            paths
                .iter()
                .all(|(_, parts)| parts.len() > 1 && &parts[0] == first)
        });
    let skip = usize::from(shared.is_some());
    let mut seen = BTreeSet::new();
    let mut targets = Vec::new();
    for (given, parts) in paths {
        let inside = parts[skip..].join("/");
        if !seen.insert(inside.clone()) {
            refused.push(format!("{given}: two files have the path {inside}"));
        }
        targets.push(inside);
    }
    (shared, targets)
}

/// Seconds since 1970, now.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// A new batch of `owner` named `name`, checked (its report to come).
fn new_batch(owner: &str, name: String) -> Batch {
    let bits: [u8; 16] = crate::accounts::random_bytes();
    let created = now();
    Batch {
        id: bits.iter().map(|byte| format!("{byte:02x}")).collect(),
        owner: owner.to_string(),
        name,
        created,
        state: State::Checked,
        checked: serde_json::Value::Null,
        report: None,
        error: None,
        total: 0,
        done: 0,
        interrupted: false,
        settled: Some(created),
        files_removed: None,
        in_content: true,
    }
}

impl Batches {
    /// The batches beside `uploads`.
    pub fn new(uploads: &Uploads) -> Self {
        Batches {
            dir: uploads.dir().join(DIR),
            running: Arc::default(),
            saving: Mutex::default(),
            changing: Mutex::default(),
            staging: Mutex::default(),
        }
    }

    /// The folder of batch `id` (its `batch.json`, `run.lock` and `content/`, the batch folder's).
    pub(super) fn folder(&self, id: &str) -> PathBuf {
        self.dir.join(id)
    }

    /// The batch folder `disan ingest` reads for `batch`: `<id>/content/<name>` (directly
    /// `<id>/<name>` for a batch made before that layout, [`Batch::in_content`]).
    pub fn batch_dir(&self, batch: &Batch) -> PathBuf {
        let folder = self.folder(&batch.id);
        if batch.in_content {
            folder.join(CONTENT).join(&batch.name)
        } else {
            folder.join(&batch.name)
        }
    }

    /// Moves the batch folder of `batch`, made before the `content/` layout and named like a
    /// file the staging area writes (`run.lock`), into `content/` and saves it so: there its run
    /// can take its lock and its files can be removed. Nothing for any other batch. The caller
    /// holds `changing`; such a batch never ran (its lock could not be taken), so nothing reads
    /// its folder meanwhile.
    ///
    /// # Errors
    /// [`BatchError::Io`].
    pub(super) fn settle_layout(&self, batch: &mut Batch) -> Result<(), BatchError> {
        if batch.in_content || !STAGING_NAMES.contains(&batch.name.as_str()) {
            return Ok(());
        }
        let old = self.batch_dir(batch);
        batch.in_content = true;
        let new = self.batch_dir(batch);
        if batch.has_files() && old.is_dir() {
            let content = self.folder(&batch.id).join(CONTENT);
            std::fs::create_dir_all(&content).map_err(io_error(&content))?;
            std::fs::rename(&old, &new).map_err(io_error(&old))?;
        }
        self.save(batch)
    }

    /// Makes a batch of `owner`'s finished uploads `ids`: one zip file is opened
    /// ([`super::unzip`], with its limits); otherwise each upload goes to the path it was
    /// uploaded with (`relativePath`, else `filename`). The folder every file shares (the folder
    /// picked in the browser, or zipped) is left out and names the batch. The uploads are moved,
    /// not copied, and removed.
    ///
    /// # Errors
    /// [`BatchError::Refused`] naming each unfinished upload, unsafe path, path given twice or
    /// zip entry at fault; [`BatchError::Upload`] for an unknown upload.
    pub fn stage(
        &self,
        uploads: &Uploads,
        owner: &str,
        ids: &[String],
    ) -> Result<Batch, BatchError> {
        let _staging = self.staging.lock();
        if let [only] = ids {
            let (upload, offset) = uploads.get(owner, only)?;
            let name = upload.metadata.get("filename").cloned().unwrap_or_default();
            if offset == upload.length && name.to_lowercase().ends_with(".zip") {
                return self.stage_zip(uploads, owner, &upload.id, &name);
            }
        }
        let mut found = Vec::new();
        let mut refused = Vec::new();
        for id in ids.iter().collect::<BTreeSet<_>>() {
            let (upload, offset) = uploads.get(owner, id)?;
            let path = upload
                .metadata
                .get("relativePath")
                .filter(|path| !path.is_empty())
                .or_else(|| upload.metadata.get("filename"))
                .cloned()
                .unwrap_or_default();
            let path = crate::model::text::nfc(&path).into_owned();
            if offset < upload.length {
                refused.push(format!("{path}: the upload is not finished"));
                continue;
            }
            match safe_components(&path) {
                Some(parts) => {
                    let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
                    found.push((upload.id.clone(), path, parts));
                }
                None => refused.push(format!(
                    "{path}: not a plain relative path (no .., no absolute path, no backslash)"
                )),
            }
        }
        if found.is_empty() && refused.is_empty() {
            refused.push("no file was chosen".to_string());
        }
        let paths: Vec<(&str, &[String])> = found
            .iter()
            .map(|(_, path, parts)| (path.as_str(), parts.as_slice()))
            .collect();
        let (shared, targets) = targets(&paths, &mut refused);
        if !refused.is_empty() {
            return Err(BatchError::Refused(refused));
        }
        let batch = new_batch(owner, shared.unwrap_or_else(|| "batch".to_string()));
        let root = self.batch_dir(&batch);
        for ((upload, _, _), target) in found.iter().zip(&targets) {
            let target = root.join(target);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            let data = uploads.data_path(upload);
            std::fs::rename(&data, &target).map_err(io_error(&data))?;
            uploads.remove(owner, upload)?;
        }
        std::fs::create_dir_all(&root).map_err(io_error(&root))?;
        self.save(&batch)?;
        Ok(batch)
    }

    /// [`Batches::stage`] for one zip upload `id` named `file_name`.
    fn stage_zip(
        &self,
        uploads: &Uploads,
        owner: &str,
        id: &str,
        file_name: &str,
    ) -> Result<Batch, BatchError> {
        let zip = uploads.data_path(id);
        let entries = super::unzip::entries(&zip, &super::unzip::ZipLimits::default())
            .map_err(BatchError::Refused)?;
        let parts: Vec<Vec<String>> = entries
            .iter()
            .map(|entry| entry.name.split('/').map(str::to_string).collect())
            .collect();
        let paths: Vec<(&str, &[String])> = entries
            .iter()
            .zip(&parts)
            .map(|(entry, parts)| (entry.name.as_str(), parts.as_slice()))
            .collect();
        let mut refused = Vec::new();
        let (shared, targets) = targets(&paths, &mut refused);
        if entries.is_empty() {
            refused.push(format!("{file_name}: the zip holds no file"));
        }
        if !refused.is_empty() {
            return Err(BatchError::Refused(refused));
        }
        let stem = file_name[..file_name.len() - 4].to_string();
        let name = shared
            .or_else(|| {
                safe_components(&stem)
                    .filter(|p| p.len() == 1)
                    .map(|_| stem.clone())
            })
            .unwrap_or_else(|| "batch".to_string());
        let batch = new_batch(owner, name);
        let root = self.batch_dir(&batch);
        for (entry, target) in entries.iter().zip(&targets) {
            if let Err(reason) = super::unzip::extract(&zip, entry, &root.join(target)) {
                let _ = std::fs::remove_dir_all(self.folder(&batch.id));
                return Err(BatchError::Refused(vec![reason]));
            }
        }
        std::fs::create_dir_all(&root).map_err(io_error(&root))?;
        self.save(&batch)?;
        uploads.remove(owner, id)?;
        Ok(batch)
    }

    /// Writes `batch.json` (whole, then renamed into place).
    ///
    /// # Errors
    /// [`BatchError::Io`].
    pub fn save(&self, batch: &Batch) -> Result<(), BatchError> {
        let _saving = self.saving.lock();
        let folder = self.folder(&batch.id);
        std::fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        let path = folder.join("batch.json");
        let temporary = folder.join("batch.json.new");
        let text = serde_json::to_vec_pretty(batch).expect("a batch serialises");
        std::fs::write(&temporary, text).map_err(io_error(&temporary))?;
        std::fs::rename(&temporary, &path).map_err(io_error(&path))
    }

    /// Batch `id` of `owner`.
    ///
    /// # Errors
    /// [`BatchError::NotFound`] (another account's too); [`BatchError::Io`].
    pub fn get(&self, owner: &str, id: &str) -> Result<Batch, BatchError> {
        if !is_id(id) {
            return Err(BatchError::NotFound);
        }
        let path = self.folder(id).join("batch.json");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(BatchError::NotFound);
            }
            Err(error) => return Err(io_error(&path)(error)),
        };
        match serde_json::from_slice::<Batch>(&bytes) {
            Ok(batch) if batch.owner == owner && batch.state.is_running() => {
                self.unless_interrupted(batch)
            }
            Ok(batch) if batch.owner == owner => Ok(batch),
            _ => Err(BatchError::NotFound),
        }
    }

    /// `batch`, read saying it runs, as it is: unchanged while its run holds its [`RunLock`];
    /// else (its server stopped) read again under that lock and, still saying it runs, put back
    /// to `checked` and marked [`Batch::interrupted`].
    fn unless_interrupted(&self, batch: Batch) -> Result<Batch, BatchError> {
        let path = self.folder(&batch.id).join(RUN_LOCK);
        let Some(_lock) = try_lock(&path).map_err(io_error(&path))? else {
            return Ok(batch);
        };
        let json = self.folder(&batch.id).join("batch.json");
        let bytes = std::fs::read(&json).map_err(io_error(&json))?;
        let Ok(mut batch) = serde_json::from_slice::<Batch>(&bytes) else {
            return Err(BatchError::NotFound);
        };
        if batch.state.is_running() {
            batch.state = State::Checked;
            batch.interrupted = true;
            batch.settled = Some(now());
            self.save(&batch)?;
        }
        Ok(batch)
    }

    /// `owner`'s batches, newest first.
    ///
    /// # Errors
    /// [`BatchError::Io`].
    pub fn list(&self, owner: &str) -> Result<Vec<Batch>, BatchError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(io_error(&self.dir)(error)),
        };
        let mut found = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io_error(&self.dir))?;
            if let Some(id) = entry.file_name().to_str()
                && let Ok(batch) = self.get(owner, id)
            {
                found.push(batch);
            }
        }
        found.sort_by(|a, b| (b.created, &b.id).cmp(&(a.created, &a.id)));
        Ok(found)
    }

    /// Runs the dry run of `batch` and keeps its report (`checked`).
    ///
    /// # Errors
    /// [`BatchError::Ingest`] when the run cannot start; [`BatchError::Io`].
    pub fn check(
        &self,
        batch: &mut Batch,
        archive: &Archive,
        index: &IndexDir,
        options: &Options,
    ) -> Result<(), BatchError> {
        let options = Options {
            dry_run: true,
            counter: None,
            ..options.clone()
        };
        let report = crate::ingest::ingest(&self.batch_dir(batch), Some(archive), index, &options)?;
        batch.checked = report.to_json_with_words();
        batch.state = State::Checked;
        batch.settled = Some(now());
        self.save(batch)
    }

    /// Where `batch`'s sheet is, relative to the batch folder: `metadata/metadata.csv`, else
    /// `metadata.csv` (the two places `disan ingest` reads it from); `None` when it has neither.
    pub fn sheet_path(&self, batch: &Batch) -> Option<&'static str> {
        let dir = self.batch_dir(batch);
        SHEETS.into_iter().find(|path| dir.join(path).is_file())
    }

    /// The text of `batch`'s sheet, for correcting it on the batch's page: `None` when it has
    /// none, it is over [`SHEET_LIMIT`] bytes or it is not UTF-8 (then it is corrected in a
    /// spreadsheet and the batch uploaded again).
    pub fn sheet(&self, batch: &Batch) -> Option<(&'static str, String)> {
        let path = self.sheet_path(batch)?;
        let file = self.batch_dir(batch).join(path);
        let size = std::fs::metadata(&file).ok()?.len();
        if size > SHEET_LIMIT {
            return None;
        }
        let text = String::from_utf8(std::fs::read(&file).ok()?).ok()?;
        Some((path, text))
    }

    /// Replaces the sheet of the `checked` `batch` with `text` (written whole, then renamed into
    /// place), then checks the batch again like a dry run ([`Batches::check`]): how an archivist
    /// fixes a row the report named without uploading the batch again. Nothing is written to
    /// the archive.
    ///
    /// # Errors
    /// [`BatchError::State`] unless the batch is `checked`; [`BatchError::FilesRemoved`];
    /// [`BatchError::Refused`] when it has no sheet; [`BatchError::SheetTooLarge`] when `text`
    /// is over [`SHEET_LIMIT`] bytes; [`BatchError::Ingest`],
    /// [`BatchError::Io`].
    pub fn correct_sheet(
        &self,
        batch: &mut Batch,
        text: &str,
        archive: &Archive,
        index: &IndexDir,
        options: &Options,
    ) -> Result<(), BatchError> {
        let _changing = self.changing.lock();
        *batch = self.get(&batch.owner, &batch.id)?;
        self.settle_layout(batch)?;
        if !batch.has_files() {
            return Err(BatchError::FilesRemoved);
        }
        if batch.state != State::Checked {
            return Err(BatchError::State(batch.state));
        }
        let Some(path) = self.sheet_path(batch) else {
            return Err(BatchError::Refused(vec![
                "the batch has no metadata/metadata.csv".to_string(),
            ]));
        };
        if text.len() as u64 > SHEET_LIMIT {
            return Err(BatchError::SheetTooLarge {
                path: path.to_string(),
                size: text.len() as u64,
                limit: SHEET_LIMIT,
            });
        }
        // A textarea sends CRLF line ends; the sheet keeps them (CSV allows both).
        let file = self.batch_dir(batch).join(path);
        // Beside batch.json, never beside the sheet: an uploaded `metadata.csv.new` is the
        // batch's file, not a temporary one.
        let temporary = self.folder(&batch.id).join(SHEET_TEMPORARY);
        std::fs::write(&temporary, text).map_err(io_error(&temporary))?;
        std::fs::rename(&temporary, &file).map_err(io_error(&file))?;
        self.check(batch, archive, index, options)
    }

    /// Confirms `batch` (read again from its `batch.json` first): marks it queued, for
    /// [`Batches::ingest`] to run. Of two requests confirming the same batch at once, one wins
    /// and the other is refused. A `failed` batch whose files are kept is confirmed the same
    /// way (run again: the records its failed run stored come out unchanged); a `done` one is
    /// never run twice.
    ///
    /// The [`RunLock`] returned is the run's, to hand to [`Batches::ingest`].
    ///
    /// # Errors
    /// [`BatchError::FilesRemoved`]; [`BatchError::State`] unless it is `checked` or `failed`
    /// ([`Batch::may_confirm`]); [`BatchError::Io`].
    pub fn confirm(&self, batch: &mut Batch) -> Result<RunLock, BatchError> {
        let _changing = self.changing.lock();
        let run = self.runnable(batch)?;
        batch.state = State::Queued;
        batch.interrupted = false;
        batch.error = None;
        self.save(batch)?;
        Ok(run)
    }

    /// `batch` read again from its `batch.json` (in the current layout) and its run's lock, when
    /// it may be run or cancelled: its files are kept and it is `checked` or `failed`. The
    /// caller holds `changing`.
    ///
    /// # Errors
    /// [`BatchError::FilesRemoved`]; [`BatchError::State`] ([`State::Queued`] when another
    /// process holds the run's lock at this instant); [`BatchError::Io`].
    fn runnable(&self, batch: &mut Batch) -> Result<RunLock, BatchError> {
        *batch = self.get(&batch.owner, &batch.id)?;
        self.settle_layout(batch)?;
        if !batch.has_files() {
            return Err(BatchError::FilesRemoved);
        }
        if !batch.may_confirm() {
            return Err(BatchError::State(batch.state));
        }
        let path = self.folder(&batch.id).join(RUN_LOCK);
        try_lock(&path)
            .map_err(io_error(&path))?
            .ok_or(BatchError::State(State::Queued))
    }

    /// Cancels `batch` (read again from its `batch.json` first) for its archivist: its staged
    /// files are removed and it reads `cancelled`; its `batch.json` (with the check's report and
    /// any failed run's reason) is kept, so its page says what happened. Only a batch not being
    /// ingested nor ingested: `checked`, or `failed`. The archive is not touched (records a
    /// failed or interrupted run stored stay).
    ///
    /// # Errors
    /// [`BatchError::State`] for a batch confirmed and running, or ingested;
    /// [`BatchError::FilesRemoved`] for one whose files are gone already; [`BatchError::Io`].
    pub fn cancel(&self, batch: &mut Batch) -> Result<(), BatchError> {
        let _changing = self.changing.lock();
        let _run = self.runnable(batch)?;
        self.remove_files(batch)?;
        batch.state = State::Cancelled;
        self.save(batch)
    }

    /// Removes `batch`'s staged files (the batch folder inside its folder) and notes when in
    /// [`Batch::files_removed`] (not saved here); the bytes removed. The caller holds
    /// `changing` and the batch's [`RunLock`].
    pub(super) fn remove_files(&self, batch: &mut Batch) -> Result<u64, BatchError> {
        // The name came from safe_components: one plain name. Checked again, since
        // remove_dir_all must never leave the batch's folder.
        let mut bytes = 0;
        if is_batch_folder(batch, &batch.id) {
            // All of `content/` is the batch's: removed whole, not left empty.
            let dir = if batch.in_content {
                self.folder(&batch.id).join(CONTENT)
            } else {
                self.batch_dir(batch)
            };
            bytes = folder_size(&dir);
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(io_error(&dir)(error)),
            }
        }
        batch.files_removed = Some(now());
        Ok(bytes)
    }

    /// Ingests the confirmed `batch` for real, holding its `run` lock until the last state is
    /// saved, on the calling thread (a background one): after
    /// any other web ingest of this staging area, and, while another process holds the
    /// archive's write lock, retrying every 2 s for up to [`LOCK_WAIT`]. The batch's state and
    /// counts are saved as it goes; the report is kept when done, the reason when it fails.
    pub fn ingest(
        &self,
        mut batch: Batch,
        run: RunLock,
        archive: &Archive,
        index: &IndexDir,
        options: &Options,
    ) -> Batch {
        let running = self.running.clone();
        let _one_at_a_time = running.lock();
        let counter = Arc::new(Counter::default());
        let options = Options {
            dry_run: false,
            counter: Some(counter.clone()),
            ..options.clone()
        };
        let started = std::time::Instant::now();
        let dir = self.batch_dir(&batch);
        let outcome = loop {
            batch.state = State::Ingesting;
            let _ = self.save(&batch);
            let run = std::thread::scope(|scope| {
                let worker =
                    scope.spawn(|| crate::ingest::ingest(&dir, Some(archive), index, &options));
                // The counts, saved every half second while the run works.
                while !worker.is_finished() {
                    std::thread::sleep(Duration::from_millis(500));
                    let (total, done) = (
                        counter.total.load(Ordering::Relaxed),
                        counter.done.load(Ordering::Relaxed),
                    );
                    if (total, done) != (batch.total, batch.done) {
                        batch.total = total;
                        batch.done = done;
                        let _ = self.save(&batch);
                    }
                }
                worker.join()
            });
            match run {
                Ok(Err(IngestError::Archive(ArchiveError::Ocfl(OcflError::Locked(_)))))
                    if started.elapsed() < LOCK_WAIT =>
                {
                    batch.state = State::Waiting;
                    let _ = self.save(&batch);
                    std::thread::sleep(Duration::from_secs(2));
                }
                other => break other,
            }
        };
        batch.settled = Some(now());
        match outcome {
            Ok(Ok(report)) => {
                batch.state = State::Done;
                batch.total = counter.total.load(Ordering::Relaxed);
                batch.done = batch.total;
                batch.report = Some(report.to_json_with_words());
            }
            Ok(Err(error)) => {
                batch.state = State::Failed;
                batch.error = Some(error.to_string());
            }
            Err(_) => {
                batch.state = State::Failed;
                batch.error = Some("the ingest stopped unexpectedly (see the server's log)".into());
            }
        }
        let _ = self.save(&batch);
        // Released once the last state is saved: a reader never takes a finished run for an
        // interrupted one.
        drop(run);
        batch
    }
}

/// Whether `batch` (read from the folder `id`) names that folder and a plain batch folder name
/// inside it, so removing its files never leaves its folder.
pub(super) fn is_batch_folder(batch: &Batch, id: &str) -> bool {
    batch.id == id
        && matches!(
            Path::new(&batch.name)
                .components()
                .collect::<Vec<_>>()
                .as_slice(),
            [std::path::Component::Normal(_)]
        )
}

/// Bytes the files under `dir` hold (symbolic links not followed; 0 when it cannot be read).
pub(super) fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| entry.metadata().ok())
        .map(|meta| meta.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: two requests confirming the same batch at once both saw `checked`, and the
    /// batch would have been ingested twice.
    #[test]
    fn a_batch_confirmed_by_two_requests_at_once_is_confirmed_once() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), super::super::uploads::Limits::default());
        let batches = Batches::new(&uploads);
        let batch = new_batch("thu", "lo".to_string());
        batches.save(&batch).unwrap();
        let confirmed = std::thread::scope(|scope| {
            let requests: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        // Each request read the batch before any confirmed it; the runs'
                        // locks are held until every request has answered.
                        let mut read = batch.clone();
                        batches.confirm(&mut read).ok()
                    })
                })
                .collect();
            let runs: Vec<RunLock> = requests
                .into_iter()
                .filter_map(|request| request.join().unwrap())
                .collect();
            assert_eq!(batches.get("thu", &batch.id).unwrap().state, State::Queued);
            runs.len()
        });
        assert_eq!(confirmed, 1);
    }

    /// Regression for "being ingested for ever": a run that stopped with its server (its lock
    /// released without a last save) reads as checked again, marked interrupted; a run that
    /// holds its lock reads as running.
    #[test]
    fn a_run_that_stopped_with_its_server_is_checked_again_not_running_for_ever() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = Uploads::new(dir.path(), super::super::uploads::Limits::default());
        let batches = Batches::new(&uploads);
        let mut batch = new_batch("thu", "lo".to_string());
        batches.save(&batch).unwrap();
        let run = batches.confirm(&mut batch).unwrap();
        batch.state = State::Ingesting;
        batch.total = 4;
        batch.done = 2;
        batches.save(&batch).unwrap();
        let read = batches.get("thu", &batch.id).unwrap();
        assert_eq!((read.state, read.interrupted), (State::Ingesting, false));
        assert!(batches.confirm(&mut batch.clone()).is_err());
        drop(run);
        let read = batches.get("thu", &batch.id).unwrap();
        assert_eq!((read.state, read.interrupted), (State::Checked, true));
        assert_eq!((read.done, read.total), (2, 4));
        let mut again = read.clone();
        let _run = batches.confirm(&mut again).unwrap();
        assert_eq!((again.state, again.interrupted), (State::Queued, false));
    }

    #[test]
    fn only_plain_relative_paths_are_taken() {
        assert_eq!(
            safe_components("lo-gom/metadata/metadata.csv"),
            Some(vec!["lo-gom", "metadata", "metadata.csv"])
        );
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "a//b",
            "a/./b",
            "a\\..\\b",
            "C:/x",
            "a/b\u{0}",
            "",
        ] {
            assert_eq!(safe_components(bad), None, "{bad:?}");
        }
    }
}
