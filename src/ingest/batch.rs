//! Walking a batch folder: which files it holds, under which normalised names, and which of its
//! paths are unsafe.
//!
//! File names are NFC-normalised here, once, so that a `metadata.csv` row typed in NFC finds a file
//! that macOS named in NFD. Symbolic links are refused (they may point at a hidden file, the
//! metadata sheet or outside the batch), and so are named pipes, sockets and devices; a path
//! written in the spreadsheet may not climb out with `../`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use super::report::Problem;
use crate::model::Message;
use crate::model::text::nfc;
use crate::msg;

/// Batch-relative paths of the files that describe the batch rather than belong to it.
pub const METADATA_DIR: &str = "metadata";

/// A file of the batch.
#[derive(Debug, Clone)]
pub struct BatchFile {
    /// Batch-relative path, NFC, `/`-separated.
    pub relative: String,
    /// Where to read it.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
}

/// What a batch folder holds.
///
/// Every file met while walking the batch lands in exactly one of `files`, `metadata`, `ignored`
/// and `refused`; [`Listing::every_entry`] lists them all, so a run can prove at its end that it
/// accounted for each one.
#[derive(Debug, Default)]
pub struct Listing {
    /// The batch folder's name.
    pub name: String,
    /// The batch folder, canonical.
    pub root: PathBuf,
    /// Object files by batch-relative path (excluding `metadata/` and the root `metadata.csv`).
    pub files: BTreeMap<String, BatchFile>,
    /// Every folder that holds object files, by batch-relative path.
    pub dirs: BTreeSet<String>,
    /// Files under `metadata/`, and `metadata.csv` at the root, by batch-relative path.
    pub metadata: BTreeMap<String, PathBuf>,
    /// Unsafe or unreadable entries (their problems); warnings about skipped folder links.
    pub problems: Vec<Problem>,
    /// Hidden and system files skipped, by path as written, with the reason.
    pub ignored: BTreeMap<String, &'static str>,
    /// Files that cannot be ingested whatever the metadata says (a link out of the batch, a name
    /// shared with another file once normalised), by path as written, with the reason.
    pub refused: BTreeMap<String, String>,
    /// NFC paths written twice under different Unicode spellings (files or folders), with the
    /// spellings: a row naming one of them cannot say which it means.
    pub ambiguous: BTreeMap<String, Vec<String>>,
}

impl Listing {
    /// Every file met, by the key the run's report uses for it (NFC path for files the run may
    /// ingest or read, the path as written for ignored and refused ones).
    pub fn every_entry(&self) -> impl Iterator<Item = &str> {
        self.files
            .keys()
            .chain(self.metadata.keys())
            .chain(self.ignored.keys())
            .chain(self.refused.keys())
            .map(String::as_str)
    }

    /// Every file that looks like a metadata sheet (see [`is_metadata_sheet`]), anywhere in the
    /// batch, `objects/` included.
    pub fn metadata_sheets(&self) -> Vec<&str> {
        self.files
            .keys()
            .chain(self.metadata.keys())
            .map(String::as_str)
            .filter(|path| is_metadata_sheet(path))
            .collect()
    }

    /// The one sheet the batch is described by: `Ok(None)` when there is none, `Err` with every
    /// sheet found when there are several, or one Disan does not read (the wrong name, place or
    /// format), since rows in it would otherwise be passed over and their files published.
    pub fn the_metadata_sheet(&self) -> Result<Option<&str>, Vec<&str>> {
        match self.metadata_sheets().as_slice() {
            [] => Ok(None),
            [one] if METADATA_SHEETS.contains(one) => Ok(Some(one)),
            found => Err(found.to_vec()),
        }
    }

    /// Files that may hold rows describing the batch but that Disan does not read, so that
    /// rows in them (an `access` of `restricted`) would be passed over and their files published:
    /// every sheet-like file (see [`is_sheet_like`]) under `metadata/` other than the ones Disan
    /// reads ([`READ_METADATA`]), and, when the batch keeps its material under `objects/` and
    /// has no `metadata.csv`, every sheet-like file outside `objects/` (`danh-muc.csv`,
    /// `metadata.txt` at the root). Files inside `objects/` are material, never listed here, and
    /// sheets named like the metadata sheet are [`Listing::the_metadata_sheet`]'s to refuse.
    pub fn unread_sheets(&self) -> Vec<&str> {
        let no_sheet = !METADATA_SHEETS
            .iter()
            .any(|sheet| self.metadata.contains_key(*sheet));
        let in_metadata = self.metadata.keys().map(String::as_str).filter(|path| {
            path.starts_with(&format!("{METADATA_DIR}/"))
                && !READ_METADATA.contains(path)
                && is_sheet_like(path)
        });
        let outside_objects = self.files.keys().map(String::as_str).filter(|path| {
            no_sheet
                && self.has_objects_folder()
                && !path.starts_with(&format!("{OBJECTS_DIR}/"))
                && is_sheet_like(path)
        });
        in_metadata
            .chain(outside_objects)
            .filter(|path| !is_metadata_sheet(path))
            .collect()
    }

    /// Whether the batch keeps its material under `objects/` (Archivematica's convention).
    pub fn has_objects_folder(&self) -> bool {
        self.dirs.contains(OBJECTS_DIR)
    }
}

/// Where the metadata sheet may be, by batch-relative path.
pub const METADATA_SHEETS: [&str; 2] = ["metadata/metadata.csv", "metadata.csv"];

/// The metadata files Disan reads, by batch-relative path: the sheet (in `metadata/` or at the
/// root) and the authority files of villages, crafts, artisans, their honours and products.
pub const READ_METADATA: [&str; 7] = [
    "metadata/metadata.csv",
    "metadata.csv",
    "metadata/villages.csv",
    "metadata/crafts.csv",
    "metadata/artisans.csv",
    "metadata/honours.csv",
    "metadata/products.csv",
];

/// The authority files' names, as Disan reads them under `metadata/`.
pub const AUTHORITY_FILES: [&str; 5] = [
    "villages.csv",
    "crafts.csv",
    "artisans.csv",
    "honours.csv",
    "products.csv",
];

/// Why the file at batch-relative `relative`, found outside `metadata/`, is refused: its name,
/// read in any case, width and lookalike letters ([`crate::model::text::search_form`], then
/// lowercase: `Products.csv`, `ｐｒｏｄｕｃｔｓ.csv`, `prоducts.csv` with a Cyrillic `о`), is an
/// authority file's ([`AUTHORITY_FILES`]). Such a file lists villages, crafts, artisans, honours
/// or products, restricted ones among them; ingested as material it became a public record whose
/// file served the raw rows (break14 finding 1: `products.csv` beside a root `metadata.csv`).
/// Authority files are read only as `metadata/<name>`; anywhere else the file is refused, never
/// published. `None` for any other name.
pub fn authority_out_of_place(relative: &str) -> Option<Message> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let read = crate::model::text::search_form(name).to_lowercase();
    let authority = AUTHORITY_FILES.iter().find(|file| **file == read)?;
    Some(msg!(
        "ingest-authority-file-out-of-place",
        "'{name}' is named like an authority file, which is never ingested as material (it may list restricted rows): Disan reads it only as {metadata}/{authority} (the batch's metadata.csv then goes in {metadata}/ too, and the material in {objects}/); move it there, or rename it if it is material; the file was not ingested",
        name = name,
        metadata = METADATA_DIR,
        authority = *authority,
        objects = OBJECTS_DIR
    ))
}

/// Extensions (lower case, without the dot) of files a spreadsheet program or a text editor
/// saves a table as: CSV and its variants, plain text (Notepad's `metadata.csv.txt`), Excel,
/// LibreOffice (`.ods`, flat `.fods`) and Apple Numbers.
const SHEET_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "tab", "psv", "txt", "text", "prn", "dif", "slk", "xls", "xlsx", "xlsm", "xlsb",
    "xlt", "xltx", "xltm", "ods", "fods", "ots", "numbers",
];

/// Whether the file at `relative` is spreadsheet-like or text by its extension, in any case
/// (`Book1.csv`, `danh muc.xlsx`, `metadata.csv.txt`, `Bang.NUMBERS`).
pub fn is_sheet_like(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    name.rsplit_once('.').is_some_and(|(stem, extension)| {
        !stem.is_empty() && SHEET_EXTENSIONS.contains(&extension.to_lowercase().as_str())
    })
}

/// Whether the file at `relative` looks like a metadata sheet: its name, ignoring case, contains
/// `metadata` and ends in `.csv`, `.tsv`, `.xlsx`, `.xls` or `.ods` (`Metadata.csv`,
/// `metadata (1).csv`, `Copy of metadata.csv`, `metadata.xlsx`).
pub fn is_metadata_sheet(relative: &str) -> bool {
    let name = relative
        .rsplit('/')
        .next()
        .unwrap_or(relative)
        .to_lowercase();
    name.contains("metadata")
        && [".csv", ".tsv", ".xlsx", ".xls", ".ods"]
            .iter()
            .any(|extension| name.ends_with(extension))
}

/// The folder that holds the material in Archivematica's convention.
pub const OBJECTS_DIR: &str = "objects";

/// Why a folder is skipped with everything in it, or `None` when it is not.
///
/// Hidden folders (`.Trashes`, `.Spotlight-V100`, `.fseventsd`, `.thumbnails`, …) and the folders
/// Windows, macOS and NAS boxes write onto every disk they touch are never part of a delivery.
pub fn ignored_folder(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if name.starts_with('.') {
        Some("hidden folder")
    } else if lower == "$recycle.bin" || lower == "recycler" || lower == "recycled" {
        Some("Windows recycle bin")
    } else if lower == "system volume information" {
        Some("Windows system folder")
    } else if lower == "__macosx" {
        Some("macOS archive residue (__MACOSX)")
    } else if lower == "@eadir" || lower == "#recycle" {
        Some("NAS system folder")
    } else {
        None
    }
}

/// Why a file is skipped, or `None` when it is not.
///
/// Hidden files (`.DS_Store`, `._*` resource forks), Office lock files (`~$*`) and Windows'
/// thumbnail caches are made by machines, not archivists.
pub fn ignored_file(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    if name.starts_with("._") {
        Some("macOS resource fork (._*)")
    } else if name.starts_with('.') {
        Some("hidden file")
    } else if name.starts_with("~$") {
        Some("Office lock file (~$*)")
    } else if matches!(
        lower.as_str(),
        "thumbs.db" | "ehthumbs.db" | "ehthumbs_vista.db" | "desktop.ini"
    ) {
        Some("Windows system file")
    } else if name == "Icon\r" {
        Some("macOS folder icon")
    } else {
        None
    }
}

/// A file found by the walk, before NFC collisions are resolved.
struct Found {
    /// The path as written on disk (`/`-separated).
    written: String,
    /// The same path in NFC.
    relative: String,
    path: PathBuf,
    size: u64,
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
        root: canonical_root.clone(),
        ..Listing::default()
    };
    // Every spelling met of each NFC path (files and folders).
    let mut spellings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut found: Vec<Found> = Vec::new();
    // Ignored folders met so far, with their reasons (the walk is depth first).
    let mut ignored_dirs: Vec<(String, &'static str)> = Vec::new();
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
                    .push(Problem::error(&path, format!("cannot read: {error}")));
                listing
                    .refused
                    .insert(path, format!("cannot read: {error}"));
                continue;
            }
        };
        let relative_path = entry
            .path()
            .strip_prefix(&canonical_root)
            .unwrap_or(entry.path());
        let file_type = entry.file_type();
        let Some(written) = relative_path.to_str() else {
            let lossy = relative_path.to_string_lossy().into_owned();
            if !file_type.is_dir() {
                let reason = msg!(
                    "ingest-name-not-unicode",
                    "the file name is not valid Unicode; rename it"
                );
                listing
                    .problems
                    .push(Problem::error(&lossy, reason.clone()));
                listing.refused.insert(lossy, reason.english);
            }
            continue;
        };
        let written = written.replace(std::path::MAIN_SEPARATOR, "/");
        if let Some((_, reason)) = ignored_dirs
            .iter()
            .find(|(dir, _)| written.starts_with(&format!("{dir}/")))
        {
            if !file_type.is_dir() {
                listing.ignored.insert(written, reason);
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if file_type.is_dir() {
            if let Some(reason) = ignored_folder(&name) {
                ignored_dirs.push((written, reason));
                continue;
            }
        } else if let Some(reason) = ignored_file(&name) {
            listing.ignored.insert(written, reason);
            continue;
        }
        let relative = nfc(&written).into_owned();
        spellings
            .entry(relative.clone())
            .or_default()
            .insert(written.clone());
        let (path, metadata) = if file_type.is_symlink() {
            // A link may point at a hidden file, the metadata sheet or outside the batch: what
            // it would publish is not what the archivist sees in the folder.
            let reason = msg!(
                "ingest-symbolic-link",
                "a symbolic link; copy the file itself into the batch"
            );
            listing
                .problems
                .push(Problem::error(&relative, reason.clone()));
            listing.refused.insert(written, reason.english);
            continue;
        } else if file_type.is_file() {
            match entry.metadata() {
                Ok(metadata) => (entry.path().to_path_buf(), metadata),
                Err(error) => {
                    let reason = format!("cannot read: {error}");
                    listing.problems.push(Problem::error(&relative, &reason));
                    listing.refused.insert(written, reason);
                    continue;
                }
            }
        } else if file_type.is_dir() {
            continue;
        } else {
            let reason = msg!(
                "ingest-not-regular-file",
                "not a regular file (a named pipe, socket or device); it has no content to ingest"
            );
            listing
                .problems
                .push(Problem::error(&relative, reason.clone()));
            listing.refused.insert(written, reason.english);
            continue;
        };
        found.push(Found {
            written,
            relative,
            path,
            size: metadata.len(),
        });
    }
    listing.ambiguous = spellings
        .into_iter()
        .filter(|(_, written)| written.len() > 1)
        .map(|(relative, written)| (relative, written.into_iter().collect()))
        .collect();
    for file in found {
        if let Some(reason) = ambiguity(&listing.ambiguous, &file.relative) {
            listing
                .problems
                .push(Problem::error(&file.written, reason.clone()));
            listing.refused.insert(file.written, reason.english);
            continue;
        }
        let is_metadata = file.relative == "metadata.csv"
            || file.relative.starts_with(&format!("{METADATA_DIR}/"));
        if !is_metadata && let Some(reason) = authority_out_of_place(&file.relative) {
            listing
                .problems
                .push(Problem::error(&file.written, reason.clone()));
            listing.refused.insert(file.written, reason.english);
            continue;
        }
        if is_metadata {
            listing.metadata.insert(file.relative, file.path);
            continue;
        }
        let mut parent = file.relative.as_str();
        while let Some((dir, _)) = parent.rsplit_once('/') {
            listing.dirs.insert(dir.to_string());
            parent = dir;
        }
        listing.files.insert(
            file.relative.clone(),
            BatchFile {
                relative: file.relative,
                path: file.path,
                size: file.size,
            },
        );
    }
    Ok(listing)
}

/// Why the file at NFC path `relative` is ambiguous: it, or a folder above it, is spelt in two
/// Unicode normal forms on disk. Both files are refused, never one picked.
pub fn ambiguity(ambiguous: &BTreeMap<String, Vec<String>>, relative: &str) -> Option<Message> {
    let mut prefix = Some(relative);
    while let Some(path) = prefix {
        if let Some(written) = ambiguous.get(path) {
            let spelt: Vec<String> = written.iter().map(|w| format!("'{}'", spell(w))).collect();
            let spelt = spelt.join(" and ");
            return Some(if path == relative {
                msg!(
                    "ingest-name-two-unicode-forms",
                    "not ingested: this name is written in two Unicode forms by two different files ({spelt}), as Windows and macOS spell accents differently; rename or merge them and ingest again",
                    spelt = spelt
                )
            } else {
                msg!(
                    "ingest-folder-two-unicode-forms",
                    "not ingested: its folder '{path}' is written in two Unicode forms by two different folders ({spelt}), as Windows and macOS spell accents differently; rename or merge them and ingest again",
                    path = path,
                    spelt = spelt
                )
            });
        }
        prefix = path.rsplit_once('/').map(|(dir, _)| dir);
    }
    None
}

/// `path` with every character outside ASCII written as its code point (`caf\u{e9}`), so that
/// two spellings that look the same on screen can be told apart.
pub fn spell(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

/// Turns a path written in `metadata.csv` into a batch-relative key, refusing any that would
/// leave the batch. Backslashes (Windows) become slashes; `./` and a trailing `/` are dropped.
pub fn clean_relative_path(written: &str) -> Result<String, Message> {
    let unified = nfc(written.trim()).replace('\\', "/");
    if unified.is_empty() {
        return Err(msg!("ingest-filename-empty", "the filename is empty"));
    }
    let path = Path::new(&unified);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(msg!(
                    "ingest-path-leaves-batch",
                    "'{path}' leads outside the batch; write a path relative to the batch folder, without '..'",
                    path = written.trim()
                ));
            }
        }
    }
    if unified.contains(':') && cfg!(windows) {
        return Err(msg!(
            "ingest-path-not-relative",
            "'{path}' is not a relative path",
            path = written.trim()
        ));
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
                .english
                .contains("outside the batch")
        );
        assert!(clean_relative_path("/etc/passwd").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn nfd_names_become_nfc_and_links_are_refused() {
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
        assert_eq!(
            listing.problems[0].message,
            "a symbolic link; copy the file itself into the batch"
        );
        assert_eq!(listing.ignored.keys().collect::<Vec<_>>(), [".DS_Store"]);
        assert!(listing.dirs.contains("objects"));
    }

    #[test]
    fn system_folders_and_files_are_recognised() {
        for folder in [
            ".Trashes",
            "$RECYCLE.BIN",
            "System Volume Information",
            "__MACOSX",
            ".fseventsd",
            "@eaDir",
        ] {
            assert!(ignored_folder(folder).is_some(), "{folder}");
        }
        for file in [
            "~$bien-ban.docx",
            "._a.jpg",
            "Thumbs.db",
            "desktop.ini",
            ".DS_Store",
        ] {
            assert!(ignored_file(file).is_some(), "{file}");
        }
        for sheet in [
            "metadata/metadata.csv",
            "metadata/Metadata.csv",
            "metadata/metadata.CSV",
            "metadata/metadata (1).csv",
            "objects/anh/METADATA.xlsx",
            "metadata.ods",
            "objects/Copy of metadata.csv",
        ] {
            assert!(is_metadata_sheet(sheet), "{sheet}");
        }
        assert!(!is_metadata_sheet("metadata/villages.csv"));
        assert!(!is_metadata_sheet("objects/metadata-notes.txt"));
        for name in [
            "metadata/Book1.csv",
            "metadata/danh muc.xlsx",
            "metadata/metadata.csv.txt",
            "danh-muc.ODS",
            "metadata.numbers",
            "a/b.fods",
        ] {
            assert!(is_sheet_like(name), "{name}");
        }
        for name in ["metadata/anh.jpg", "metadata/.csv", "notes", "a.csv/b"] {
            assert!(!is_sheet_like(name), "{name}");
        }
        assert_eq!(ignored_folder("objects"), None);
        assert_eq!(ignored_file("bien-ban.docx"), None);
        assert_eq!(spell("caf\u{e9}"), "caf\\u{e9}");
    }

    #[test]
    fn authority_files_outside_metadata_are_refused_in_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let batch = dir.path();
        fs::create_dir_all(batch.join("objects/tai-lieu")).unwrap();
        fs::write(batch.join("metadata.csv"), "filename,dc.title\n").unwrap();
        fs::write(batch.join("ghi-chu.txt"), "ghi chu").unwrap();
        for name in [
            "products.csv",
            "Villages.CSV",
            "objects/ｃｒａｆｔｓ.csv",
            "objects/tai-lieu/ARTISANS.csv",
            "objects/h\u{43e}nours.csv",
        ] {
            fs::write(batch.join(name), "id,name,access\nx,X,restricted\n").unwrap();
        }
        fs::write(batch.join("objects/products-2024.csv"), "a").unwrap();
        let listing = list(batch).unwrap();
        assert_eq!(
            listing.files.keys().collect::<Vec<_>>(),
            ["ghi-chu.txt", "objects/products-2024.csv"]
        );
        assert_eq!(listing.refused.len(), 5, "{:?}", listing.refused);
        assert!(
            listing.refused["products.csv"]
                .contains("Disan reads it only as metadata/products.csv")
        );
        assert!(listing.refused["objects/h\u{43e}nours.csv"].contains("metadata/honours.csv"));
        assert_eq!(listing.problems.len(), 5);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn every_file_met_is_listed_once_and_twins_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let batch = dir.path();
        fs::create_dir_all(batch.join("objects/.cache")).unwrap();
        fs::write(batch.join("objects/caf\u{e9}.txt"), "nfc").unwrap();
        fs::write(batch.join("objects/cafe\u{301}.txt"), "nfd").unwrap();
        fs::write(batch.join("objects/.cache/x"), "x").unwrap();
        fs::write(batch.join("objects/ok.txt"), "ok").unwrap();
        let listing = list(batch).unwrap();
        assert_eq!(listing.files.keys().collect::<Vec<_>>(), ["objects/ok.txt"]);
        assert_eq!(listing.refused.len(), 2);
        assert_eq!(listing.ignored["objects/.cache/x"], "hidden folder");
        assert_eq!(listing.every_entry().count(), 4);
    }
}
