//! Walking a batch folder: which files it holds, under which normalised names, and which of its
//! paths are unsafe.
//!
//! File names are NFC-normalised here, once, so that a `metadata.csv` row typed in NFC finds a file
//! that macOS named in NFD. A symbolic link may point anywhere inside the batch but never outside
//! it, and a path written in the spreadsheet may not climb out with `../`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::report::Problem;
use crate::model::text::nfc;

/// Batch-relative paths of the files that describe the batch rather than belong to it.
pub const METADATA_DIR: &str = "metadata";

/// A file of the batch.
#[derive(Debug, Clone)]
pub struct BatchFile {
    /// Batch-relative path, NFC, `/`-separated.
    pub relative: String,
    /// Where to read it (the link target for symbolic links).
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// What a batch folder holds.
#[derive(Debug, Default)]
pub struct Listing {
    /// The batch folder's name.
    pub name: String,
    /// Object files by batch-relative path (excluding `metadata/` and the root `metadata.csv`).
    pub files: BTreeMap<String, BatchFile>,
    /// Every folder that holds object files, by batch-relative path.
    pub dirs: BTreeSet<String>,
    /// Files under `metadata/`, and `metadata.csv` at the root, by batch-relative path.
    pub metadata: BTreeMap<String, PathBuf>,
    /// Unsafe or unreadable entries.
    pub problems: Vec<Problem>,
    /// System files skipped (`.DS_Store`, `Thumbs.db`, …).
    pub ignored: Vec<String>,
}

/// Lists the batch at `root`. Fails only when `root` is not a readable folder.
pub fn list(root: &Path) -> std::io::Result<Listing> {
    let canonical_root = fs::canonicalize(root)?;
    if !canonical_root.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{} is not a folder", root.display()),
        ));
    }
    let mut listing = Listing {
        name: canonical_root
            .file_name()
            .map(|name| nfc(&name.to_string_lossy()).into_owned())
            .unwrap_or_default(),
        ..Listing::default()
    };
    for entry in walkdir::WalkDir::new(&canonical_root)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .and_then(|p| p.strip_prefix(&canonical_root).ok())
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                listing
                    .problems
                    .push(Problem::error(path, format!("cannot read: {error}")));
                continue;
            }
        };
        let relative_path = entry
            .path()
            .strip_prefix(&canonical_root)
            .unwrap_or(entry.path());
        let Some(relative) = relative_path.to_str() else {
            listing.problems.push(Problem::error(
                relative_path.to_string_lossy(),
                "the file name is not valid Unicode; rename it",
            ));
            continue;
        };
        let relative = nfc(&relative.replace(std::path::MAIN_SEPARATOR, "/")).into_owned();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') || name == "Thumbs.db" || name == "desktop.ini" {
            listing.ignored.push(relative);
            continue;
        }
        let file_type = entry.file_type();
        let (path, metadata) = if file_type.is_symlink() {
            match fs::canonicalize(entry.path()) {
                Ok(target) if !target.starts_with(&canonical_root) => {
                    listing.problems.push(Problem::error(
                        relative,
                        "this symbolic link points outside the batch; copy the file into the batch instead",
                    ));
                    continue;
                }
                Ok(target) => match fs::metadata(&target) {
                    Ok(metadata) if metadata.is_file() => (target, metadata),
                    _ => {
                        listing.problems.push(Problem::warning(
                            relative,
                            "symbolic link to a folder skipped; its files are ingested where they really are",
                        ));
                        continue;
                    }
                },
                Err(_) => {
                    listing.problems.push(Problem::error(
                        relative,
                        "this symbolic link is broken (its target does not exist)",
                    ));
                    continue;
                }
            }
        } else if file_type.is_file() {
            match entry.metadata() {
                Ok(metadata) => (entry.path().to_path_buf(), metadata),
                Err(error) => {
                    listing
                        .problems
                        .push(Problem::error(relative, format!("cannot read: {error}")));
                    continue;
                }
            }
        } else {
            continue;
        };
        let is_metadata =
            relative == "metadata.csv" || relative.starts_with(&format!("{METADATA_DIR}/"));
        if is_metadata {
            listing.metadata.insert(relative, path);
            continue;
        }
        let mut parent = relative.as_str();
        while let Some((dir, _)) = parent.rsplit_once('/') {
            listing.dirs.insert(dir.to_string());
            parent = dir;
        }
        listing.files.insert(
            relative.clone(),
            BatchFile {
                relative,
                path,
                size: metadata.len(),
            },
        );
    }
    Ok(listing)
}

/// Turns a path written in `metadata.csv` into a batch-relative key, refusing any that would
/// leave the batch. Backslashes (Windows) become slashes; `./` and a trailing `/` are dropped.
pub fn clean_relative_path(written: &str) -> Result<String, String> {
    let unified = nfc(written.trim()).replace('\\', "/");
    if unified.is_empty() {
        return Err("the filename is empty".to_string());
    }
    let path = Path::new(&unified);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "'{}' leads outside the batch; write a path relative to the batch folder, without '..'",
                    written.trim()
                ));
            }
        }
    }
    if unified.contains(':') && cfg!(windows) {
        return Err(format!("'{}' is not a relative path", written.trim()));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths_are_cleaned_or_refused() {
        assert_eq!(
            clean_relative_path("./objects\\anh\\a.jpg").unwrap(),
            "objects/anh/a.jpg"
        );
        assert_eq!(
            clean_relative_path("objects/film/").unwrap(),
            "objects/film"
        );
        assert!(
            clean_relative_path("objects/../../etc/passwd")
                .unwrap_err()
                .contains("outside the batch")
        );
        assert!(clean_relative_path("/etc/passwd").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn nfd_names_become_nfc_and_outside_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let batch = dir.path().join("batch");
        fs::create_dir_all(batch.join("objects")).unwrap();
        fs::write(batch.join("objects").join("de\u{0302}\u{0323}t.txt"), "x").unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            batch.join("objects/link.txt"),
        )
        .unwrap();
        fs::write(batch.join(".DS_Store"), "").unwrap();
        let listing = list(&batch).unwrap();
        assert!(listing.files.contains_key("objects/dệt.txt"));
        assert!(!listing.files.contains_key("objects/link.txt"));
        assert_eq!(listing.problems[0].file, "objects/link.txt");
        assert!(listing.problems[0].message.contains("outside the batch"));
        assert_eq!(listing.ignored, [".DS_Store"]);
        assert!(listing.dirs.contains("objects"));
    }
}
