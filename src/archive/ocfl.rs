//! The OCFL 1.1 storage root: objects, inventories, the hashed n-tuple layout, atomic versions.
//!
//! OCFL (Oxford Common File Layout) is why Disan's archive outlives Disan: any OCFL tool, or a
//! person with a text editor and `sha256sum`, can read it. This module owns the on-disk format and
//! nothing about what the files mean.
//!
//! Crash safety. A new object is built in a staging folder and renamed into place. A new version
//! of an existing object is built as a complete copy of the object in staging (hard links for the
//! existing, immutable content; fresh files for the inventories), then swapped with the live object
//! in one `renameat2(RENAME_EXCHANGE)`. At every instant the live object is either the old valid
//! object or the new valid one. Leftover staging folders are removed when the next writer opens
//! the archive.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::portable::ContentPaths;
use crate::model::Sha256;

/// The storage root's conformance declaration file.
const ROOT_NAMASTE: &str = "0=ocfl_1.1";
/// An object's conformance declaration file.
pub(crate) const OBJECT_NAMASTE: &str = "0=ocfl_object_1.1";
const LAYOUT_EXTENSION: &str = "0004-hashed-n-tuple-storage-layout";
const INVENTORY_TYPE: &str = "https://ocfl.io/1.1/spec/#inventory";
/// Where writers build objects before swapping them in. It lives under `extensions/`, which
/// validators do not walk as part of the storage hierarchy, and is removed when the writer is done.
const STAGING_DIR: &str = "extensions/disan-staging";
/// The single-writer lock. A plain file directly in the storage root is allowed by OCFL; a file
/// directly under `extensions/` is not.
const LOCK_FILE: &str = ".disan.lock";
/// Tuple size and count of the 0004 layout: 3 levels of 3 hex digits, 4096 folders a level.
const TUPLE_SIZE: usize = 3;
const TUPLE_COUNT: usize = 3;

/// Errors of the archive's storage layer.
#[derive(Debug, thiserror::Error)]
pub enum OcflError {
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The folder exists but is not an OCFL storage root that Disan can use.
    #[error("{path} is not an OCFL 1.1 storage root ({reason})")]
    NotAStorageRoot {
        /// The folder.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// An inventory could not be read.
    #[error("{path}: invalid inventory: {reason}")]
    BadInventory {
        /// The inventory file.
        path: PathBuf,
        /// Why it is invalid.
        reason: String,
    },
    /// A file changed between being hashed and being stored.
    #[error(
        "{path} changed while it was being archived (expected SHA-256 {expected}, read {found})"
    )]
    ChangedWhileCopying {
        /// The source file.
        path: PathBuf,
        /// The digest it had when first read.
        expected: Sha256,
        /// The digest of what was copied.
        found: Sha256,
    },
    /// Another process holds the archive's write lock.
    #[error("another Disan process is writing to {0}; wait for it to finish")]
    Locked(PathBuf),
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OcflError + '_ {
    move |source| OcflError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An OCFL inventory (`inventory.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    /// The object id.
    pub id: String,
    /// Always the OCFL 1.1 inventory type URI.
    #[serde(rename = "type")]
    pub inventory_type: String,
    /// Always `sha256`.
    pub digest_algorithm: String,
    /// The latest version, `v1`, `v2`, …
    pub head: String,
    /// Content folder name inside each version, when not `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_directory: Option<String>,
    /// Digest to content paths (relative to the object root).
    pub manifest: BTreeMap<String, Vec<String>>,
    /// Every version.
    pub versions: BTreeMap<String, Version>,
}

/// One version of an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// When it was made (RFC 3339).
    pub created: String,
    /// Digest to logical paths.
    pub state: BTreeMap<String, Vec<String>>,
    /// Why it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Who made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// The agent that made a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// A name.
    pub name: String,
    /// A URI (e.g. `mailto:`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl Inventory {
    /// The head version.
    pub fn head_version(&self) -> Option<&Version> {
        self.versions.get(&self.head)
    }

    /// The head version's logical paths with their digests.
    pub fn head_state(&self) -> BTreeMap<String, String> {
        let mut state = BTreeMap::new();
        if let Some(version) = self.head_version() {
            for (digest, paths) in &version.state {
                for path in paths {
                    state.insert(path.clone(), digest.clone());
                }
            }
        }
        state
    }

    /// The first content path that holds `digest`.
    pub fn content_path(&self, digest: &str) -> Option<&str> {
        self.manifest.get(digest)?.first().map(String::as_str)
    }

    fn head_number(&self) -> Result<u32, String> {
        self.head
            .strip_prefix('v')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("head '{}' is not a version name", self.head))
    }
}

/// What to put at one logical path of a new version.
#[derive(Debug)]
pub enum NewContent {
    /// Bytes made in memory (metadata JSON).
    Bytes(Vec<u8>),
    /// A file already hashed; it is copied and its digest checked again while copying.
    File {
        /// Where it is now.
        path: PathBuf,
        /// Its SHA-256 when it was hashed.
        sha256: Sha256,
    },
}

impl NewContent {
    /// The SHA-256 of what would be stored.
    pub fn digest(&self) -> Sha256 {
        match self {
            NewContent::Bytes(bytes) => Sha256::of(bytes),
            NewContent::File { sha256, .. } => *sha256,
        }
    }
}

/// What committing a version did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commit {
    /// A new object was created (version 1).
    Created,
    /// A new version was added to an existing object.
    Updated {
        /// The new head, e.g. `v3`.
        version: String,
    },
    /// The head version already had exactly this state; nothing was written.
    Unchanged,
}

/// How the caller describes a version it commits.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    /// Why the version is made.
    pub message: String,
    /// Who makes it.
    pub user: User,
    /// What happened, as PREMIS events ([`super::premis`]): the archive appends them to the
    /// object's event log (`premis.xml`) in the new version, giving each its identifier and the
    /// object version. None when the version is unchanged (nothing is written).
    pub events: Vec<super::premis::Event>,
}

impl VersionInfo {
    /// A version made by `user` for `message`, with no events yet.
    pub fn new(message: impl Into<String>, user: User) -> VersionInfo {
        VersionInfo {
            message: message.into(),
            user,
            events: Vec::new(),
        }
    }

    /// The same description with `events` as this version's events.
    pub fn with_events(&self, events: Vec<super::premis::Event>) -> VersionInfo {
        VersionInfo {
            message: self.message.clone(),
            user: self.user.clone(),
            events,
        }
    }
}

/// An open OCFL storage root.
#[derive(Debug, Clone)]
pub struct StorageRoot {
    root: PathBuf,
}

/// The exclusive right to write to a storage root, released on drop.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    staging: PathBuf,
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Only removes the folder when no staged object is left in it; a leftover is cleared by
        // the next writer's `lock`.
        let _ = fs::remove_dir(&self.staging);
    }
}

impl StorageRoot {
    /// Opens an existing storage root.
    pub fn open(root: &Path) -> Result<Self, OcflError> {
        let namaste = root.join(ROOT_NAMASTE);
        let declared = fs::read_to_string(&namaste).map_err(|_| OcflError::NotAStorageRoot {
            path: root.to_path_buf(),
            reason: format!("{ROOT_NAMASTE} is missing; run `disan ingest` to create an archive"),
        })?;
        if declared != "ocfl_1.1\n" {
            return Err(OcflError::NotAStorageRoot {
                path: root.to_path_buf(),
                reason: format!("{ROOT_NAMASTE} does not contain 'ocfl_1.1'"),
            });
        }
        let layout = fs::read_to_string(root.join("ocfl_layout.json")).unwrap_or_default();
        if !layout.contains(LAYOUT_EXTENSION) {
            return Err(OcflError::NotAStorageRoot {
                path: root.to_path_buf(),
                reason: format!("its ocfl_layout.json does not name {LAYOUT_EXTENSION}"),
            });
        }
        Ok(StorageRoot {
            root: root.to_path_buf(),
        })
    }

    /// Opens the storage root at `root`, creating it when the folder is missing or empty, and
    /// finishing it when an earlier creation was interrupted.
    pub fn open_or_create(root: &Path) -> Result<Self, OcflError> {
        // What may stand in a folder that is not yet a storage root: a README for people, and
        // the pieces `create_storage_root` writes before the declaration file that completes it.
        // (Temp files count too: `write_file` names them after their target.)
        const UNFINISHED: [&str; 6] = [
            "README.md",
            ".gitkeep",
            LOCK_FILE,
            "extensions",
            "ocfl_layout.json",
            ROOT_NAMASTE,
        ];
        let is_unfinished = match fs::read_dir(root) {
            Ok(mut entries) => entries.all(|entry| {
                entry.is_ok_and(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    UNFINISHED.iter().any(|known| name.starts_with(known))
                })
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => true,
            Err(error) => return Err(io_error(root)(error)),
        };
        if is_unfinished && !root.join(ROOT_NAMASTE).exists() {
            create_storage_root(root)?;
        }
        Self::open(root)
    }

    /// The storage root folder.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Takes the write lock and clears what an interrupted writer left in staging.
    pub fn lock(&self) -> Result<WriteLock, OcflError> {
        let path = self.root.join(LOCK_FILE);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        lock_exclusive(&file).map_err(|_| OcflError::Locked(self.root.clone()))?;
        let staging = self.root.join(STAGING_DIR);
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        Ok(WriteLock {
            _file: file,
            staging,
        })
    }

    /// The folder of the object `id`, as the 0004 layout places it.
    pub fn object_path(&self, id: &str) -> PathBuf {
        self.root.join(object_relative_path(id))
    }

    /// Reads the root inventory of object `id`, or `None` when there is no such object.
    pub fn inventory(&self, id: &str) -> Result<Option<Inventory>, OcflError> {
        let path = self.object_path(id);
        if !path.join(OBJECT_NAMASTE).exists() {
            return Ok(None);
        }
        read_inventory(&path).map(Some)
    }

    /// The folder of every object in the storage root, in no particular order.
    pub fn object_dirs(&self) -> impl Iterator<Item = Result<PathBuf, OcflError>> + '_ {
        let mut walker = walkdir::WalkDir::new(&self.root).min_depth(1).into_iter();
        std::iter::from_fn(move || {
            loop {
                let entry = match walker.next()? {
                    Ok(entry) => entry,
                    Err(error) => {
                        let path = error.path().unwrap_or(&self.root).to_path_buf();
                        return Some(Err(OcflError::Io {
                            path,
                            source: error.into(),
                        }));
                    }
                };
                if !entry.file_type().is_dir() {
                    continue;
                }
                if entry.depth() == 1 && entry.file_name() == "extensions" {
                    walker.skip_current_dir();
                    continue;
                }
                if entry.path().join(OBJECT_NAMASTE).exists() {
                    walker.skip_current_dir();
                    return Some(Ok(entry.into_path()));
                }
            }
        })
    }

    /// Adds a version to object `id` whose state is exactly `content` (logical path → content),
    /// creating the object if needed. Unchanged files are not copied again.
    ///
    /// The caller must hold the [`WriteLock`].
    pub fn commit(
        &self,
        _lock: &WriteLock,
        id: &str,
        content: BTreeMap<String, NewContent>,
        info: &VersionInfo,
    ) -> Result<Commit, OcflError> {
        let object_dir = self.object_path(id);
        let existing = self.inventory(id)?;
        let digests: BTreeMap<&str, Sha256> = content
            .iter()
            .map(|(path, new)| (path.as_str(), new.digest()))
            .collect();
        if let Some(inventory) = &existing {
            let head = inventory.head_state();
            let same = head.len() == digests.len()
                && digests
                    .iter()
                    .all(|(path, digest)| head.get(*path) == Some(&digest.to_hex()));
            if same {
                return Ok(Commit::Unchanged);
            }
        }

        let staging_parent = self.root.join(STAGING_DIR);
        fs::create_dir_all(&staging_parent).map_err(io_error(&staging_parent))?;
        let staged = staging_parent.join(Sha256::of(id.as_bytes()).to_hex());
        if staged.exists() {
            fs::remove_dir_all(&staged).map_err(io_error(&staged))?;
        }
        fs::create_dir(&staged).map_err(io_error(&staged))?;

        let (mut inventory, number) = match &existing {
            Some(inventory) => {
                link_tree_except_root_inventory(&object_dir, &staged)?;
                let head = inventory
                    .head_number()
                    .map_err(|reason| OcflError::BadInventory {
                        path: object_dir.join("inventory.json"),
                        reason,
                    })?;
                (inventory.clone(), head + 1)
            }
            None => {
                write_file(&staged.join(OBJECT_NAMASTE), b"ocfl_object_1.1\n")?;
                let inventory = Inventory {
                    id: id.to_string(),
                    inventory_type: INVENTORY_TYPE.to_string(),
                    digest_algorithm: "sha256".to_string(),
                    head: String::new(),
                    content_directory: None,
                    manifest: BTreeMap::new(),
                    versions: BTreeMap::new(),
                };
                (inventory, 1)
            }
        };
        let version_name = format!("v{number}");
        let version_dir = staged.join(&version_name);
        fs::create_dir(&version_dir).map_err(io_error(&version_dir))?;

        let mut state: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut content_paths = ContentPaths::new();
        for (logical_path, new) in &content {
            let digest = digests[logical_path.as_str()].to_hex();
            if !inventory.manifest.contains_key(&digest) {
                let content_path = format!(
                    "{version_name}/content/{}",
                    content_paths.assign(logical_path)
                );
                let target = staged.join(&content_path);
                store_content(new, &target, &self.root)?;
                inventory
                    .manifest
                    .insert(digest.clone(), vec![content_path]);
            }
            state.entry(digest).or_default().push(logical_path.clone());
        }
        inventory.head = version_name.clone();
        inventory.versions.insert(
            version_name.clone(),
            Version {
                created: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                    .to_string(),
                state,
                message: Some(info.message.clone()),
                user: Some(info.user.clone()),
            },
        );
        let inventory_json =
            serde_json::to_vec_pretty(&inventory).map_err(|error| OcflError::BadInventory {
                path: object_dir.join("inventory.json"),
                reason: error.to_string(),
            })?;
        let sidecar = format!("{}  inventory.json\n", Sha256::of(&inventory_json).to_hex());
        for dir in [&version_dir, &staged] {
            write_file(&dir.join("inventory.json"), &inventory_json)?;
            write_file(&dir.join("inventory.json.sha256"), sidecar.as_bytes())?;
            sync_dir(dir)?;
        }

        match existing {
            None => {
                let parent = object_dir.parent().unwrap_or(&self.root);
                fs::create_dir_all(parent).map_err(io_error(parent))?;
                fs::rename(&staged, &object_dir).map_err(io_error(&object_dir))?;
                sync_dir(parent)?;
                Ok(Commit::Created)
            }
            Some(_) => {
                exchange(&staged, &object_dir)?;
                sync_dir(object_dir.parent().unwrap_or(&self.root))?;
                fs::remove_dir_all(&staged).map_err(io_error(&staged))?;
                Ok(Commit::Updated {
                    version: version_name,
                })
            }
        }
    }

    /// Opens the content of `logical_path` in the head version of object `id`.
    pub fn open_file(
        &self,
        inventory: &Inventory,
        logical_path: &str,
    ) -> Result<Option<PathBuf>, OcflError> {
        let state = inventory.head_state();
        let Some(digest) = state.get(logical_path) else {
            return Ok(None);
        };
        Ok(inventory
            .content_path(digest)
            .map(|content| self.object_path(&inventory.id).join(content)))
    }
}

/// The object folder of `id` relative to the storage root, per the 0004 hashed n-tuple layout.
pub fn object_relative_path(id: &str) -> PathBuf {
    let digest = Sha256::of(id.as_bytes()).to_hex();
    let mut path = PathBuf::new();
    for tuple in 0..TUPLE_COUNT {
        path.push(&digest[tuple * TUPLE_SIZE..(tuple + 1) * TUPLE_SIZE]);
    }
    path.push(&digest);
    path
}

/// Reads and checks an object's root inventory against its sidecar digest.
pub fn read_inventory(object_dir: &Path) -> Result<Inventory, OcflError> {
    let path = object_dir.join("inventory.json");
    let bytes = fs::read(&path).map_err(io_error(&path))?;
    let sidecar_path = object_dir.join("inventory.json.sha256");
    let sidecar = fs::read_to_string(&sidecar_path).map_err(io_error(&sidecar_path))?;
    let recorded = sidecar.split_whitespace().next().unwrap_or_default();
    if recorded != Sha256::of(&bytes).to_hex() {
        return Err(OcflError::BadInventory {
            path,
            reason: "its SHA-256 does not match inventory.json.sha256".to_string(),
        });
    }
    serde_json::from_slice(&bytes).map_err(|error| OcflError::BadInventory {
        path,
        reason: error.to_string(),
    })
}

fn create_storage_root(root: &Path) -> Result<(), OcflError> {
    let config_dir = root.join("extensions").join(LAYOUT_EXTENSION);
    fs::create_dir_all(&config_dir).map_err(io_error(&config_dir))?;
    let config = serde_json::json!({
        "extensionName": LAYOUT_EXTENSION,
        "digestAlgorithm": "sha256",
        "tupleSize": TUPLE_SIZE,
        "numberOfTuples": TUPLE_COUNT,
        "shortObjectRoot": false,
    });
    write_file(
        &config_dir.join("config.json"),
        serde_json::to_string_pretty(&config)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    let layout = serde_json::json!({
        "extension": LAYOUT_EXTENSION,
        "description": "OCFL object identifiers are hashed with SHA-256 into three levels of three-digit folders, then a folder named by the whole digest.",
    });
    write_file(
        &root.join("ocfl_layout.json"),
        serde_json::to_string_pretty(&layout)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    // The declaration goes last: a root without it is not yet a root, so a crash here leaves
    // a folder that the next run simply completes.
    write_file(&root.join(ROOT_NAMASTE), b"ocfl_1.1\n")?;
    sync_dir(root)
}

/// Writes `bytes` to `path` atomically: temp file in the same folder, fsync, rename.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OcflError> {
    let temp = temp_path(path);
    let mut file = File::create(&temp).map_err(io_error(&temp))?;
    file.write_all(bytes).map_err(io_error(&temp))?;
    file.sync_all().map_err(io_error(&temp))?;
    fs::rename(&temp, path).map_err(io_error(path))
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

/// Puts `new` at `target`. A file that is already the content of another object in this storage
/// root (two records sharing the same bytes) is hard-linked rather than copied when the file
/// system allows, so the archive holds the bytes once while each object stays self-contained; its
/// digest is checked either way.
fn store_content(new: &NewContent, target: &Path, root: &Path) -> Result<(), OcflError> {
    let parent = target.parent().unwrap_or(target);
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    match new {
        NewContent::Bytes(bytes) => write_file(target, bytes),
        NewContent::File { path, sha256 } => {
            let linked = path.starts_with(root) && fs::hard_link(path, target).is_ok();
            let found = if linked {
                hash_file(target).map_err(io_error(target))?.0
            } else {
                copy_hashing(path, target)?
            };
            if found != *sha256 {
                let _ = fs::remove_file(target);
                return Err(OcflError::ChangedWhileCopying {
                    path: path.clone(),
                    expected: *sha256,
                    found,
                });
            }
            Ok(())
        }
    }
}

/// Copies `from` to `to` while hashing what it reads, and fsyncs the copy.
fn copy_hashing(from: &Path, to: &Path) -> Result<Sha256, OcflError> {
    let mut source = File::open(from).map_err(io_error(from))?;
    let mut target = File::create(to).map_err(io_error(to))?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = source.read(&mut buffer).map_err(io_error(from))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        target.write_all(&buffer[..read]).map_err(io_error(to))?;
    }
    target.sync_all().map_err(io_error(to))?;
    Ok(Sha256::from_bytes(hasher.finalize().into()))
}

/// Streams a file through SHA-256 with a fixed 1 MiB buffer, so memory stays flat for any size.
pub fn hash_file(path: &Path) -> io::Result<(Sha256, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((Sha256::from_bytes(hasher.finalize().into()), size))
}

/// Mirrors `from` into the empty folder `to` with hard links, except the root inventory and its
/// sidecar, which the new version rewrites (a hard link would let that rewrite reach the live
/// object).
fn link_tree_except_root_inventory(from: &Path, to: &Path) -> Result<(), OcflError> {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.map_err(|error| OcflError::Io {
            path: from.to_path_buf(),
            source: error.into(),
        })?;
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        if entry.depth() == 1
            && (relative == Path::new("inventory.json")
                || relative == Path::new("inventory.json.sha256"))
        {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir(&target).map_err(io_error(&target))?;
        } else {
            fs::hard_link(entry.path(), &target).map_err(io_error(&target))?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn exchange(a: &Path, b: &Path) -> Result<(), OcflError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let path_a = CString::new(a.as_os_str().as_bytes()).map_err(|e| io_error(a)(e.into()))?;
    let path_b = CString::new(b.as_os_str().as_bytes()).map_err(|e| io_error(b)(e.into()))?;
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            path_a.as_ptr(),
            libc::AT_FDCWD,
            path_b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io_error(b)(io::Error::last_os_error()))
    }
}

/// Without an atomic exchange the old object is moved aside for an instant; `lock` does not
/// repair that window, so this fallback is only for platforms Disan is not deployed on.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<(), OcflError> {
    let aside = temp_path(b);
    fs::rename(b, &aside).map_err(io_error(b))?;
    fs::rename(a, b).map_err(io_error(b))?;
    fs::rename(&aside, a).map_err(io_error(a))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), OcflError> {
    File::open(dir)
        .and_then(|file| file.sync_all())
        .map_err(io_error(dir))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), OcflError> {
    Ok(())
}

/// Takes an exclusive `flock` on `file` without waiting (`WouldBlock` while another open file
/// holds it): the archive's write lock, and a batch's run lock
/// ([`crate::workspace::batches::RunLock`]).
#[cfg(unix)]
#[allow(unsafe_code)]
pub(crate) fn lock_exclusive(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the lifetime of `file`.
    let result = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No lock where `flock` is not (the archive is written by one process there).
#[cfg(not(unix))]
pub(crate) fn lock_exclusive(_file: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> VersionInfo {
        VersionInfo::new(
            "test",
            User {
                name: "tester".into(),
                address: None,
            },
        )
    }

    fn bytes(text: &str) -> NewContent {
        NewContent::Bytes(text.as_bytes().to_vec())
    }

    #[test]
    fn layout_hashes_the_id_into_three_tuples() {
        let path = object_relative_path("ark:123/abc");
        let digest = Sha256::of(b"ark:123/abc").to_hex();
        let expected = format!(
            "{}/{}/{}/{}",
            &digest[0..3],
            &digest[3..6],
            &digest[6..9],
            digest
        );
        assert_eq!(path, PathBuf::from(expected));
    }

    #[test]
    fn versions_accumulate_and_unchanged_content_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let root = StorageRoot::open_or_create(&dir.path().join("archive")).unwrap();
        let lock = root.lock().unwrap();
        let first = BTreeMap::from([
            ("a.txt".to_string(), bytes("alpha")),
            ("b.txt".to_string(), bytes("beta")),
        ]);
        assert_eq!(
            root.commit(&lock, "obj", first, &info()).unwrap(),
            Commit::Created
        );
        let same = BTreeMap::from([
            ("a.txt".to_string(), bytes("alpha")),
            ("b.txt".to_string(), bytes("beta")),
        ]);
        assert_eq!(
            root.commit(&lock, "obj", same, &info()).unwrap(),
            Commit::Unchanged
        );
        let changed = BTreeMap::from([
            ("a.txt".to_string(), bytes("alpha")),
            ("b.txt".to_string(), bytes("beta, corrected")),
        ]);
        assert_eq!(
            root.commit(&lock, "obj", changed, &info()).unwrap(),
            Commit::Updated {
                version: "v2".into()
            }
        );
        let inventory = root.inventory("obj").unwrap().unwrap();
        assert_eq!(inventory.head, "v2");
        let object = root.object_path("obj");
        assert!(object.join("v1/content/a.txt").exists());
        assert!(
            !object.join("v2/content/a.txt").exists(),
            "unchanged file copied again"
        );
        assert_eq!(
            fs::read_to_string(object.join("v2/content/b.txt")).unwrap(),
            "beta, corrected"
        );
        assert_eq!(
            fs::read_to_string(object.join("v1/content/b.txt")).unwrap(),
            "beta"
        );
        assert_eq!(
            fs::read(object.join("inventory.json")).unwrap(),
            fs::read(object.join("v2/inventory.json")).unwrap()
        );
        let v1 = read_inventory(&object.join("v1")).unwrap();
        assert_eq!(v1.head, "v1", "the old version's inventory was overwritten");
        drop(lock);
        assert!(!dir.path().join("archive").join(STAGING_DIR).exists());
    }

    #[test]
    fn a_second_writer_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = StorageRoot::open_or_create(dir.path()).unwrap();
        let _lock = root.lock().unwrap();
        assert!(matches!(root.lock(), Err(OcflError::Locked(_))));
    }

    #[test]
    fn object_dirs_finds_every_object() {
        let dir = tempfile::tempdir().unwrap();
        let root = StorageRoot::open_or_create(dir.path()).unwrap();
        let lock = root.lock().unwrap();
        for id in ["a", "b", "c"] {
            let content = BTreeMap::from([("x".to_string(), bytes(id))]);
            root.commit(&lock, id, content, &info()).unwrap();
        }
        let mut found: Vec<String> = root
            .object_dirs()
            .map(|dir| read_inventory(&dir.unwrap()).unwrap().id)
            .collect();
        found.sort();
        assert_eq!(found, ["a", "b", "c"]);
    }
}
