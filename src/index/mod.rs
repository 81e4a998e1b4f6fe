//! Everything derived from the archive, kept under `index/` and never preserved.
//!
//! Deleting `index/` loses nothing: [`reindex`] rebuilds it from `archive/` alone. It holds the
//! image derivatives the site shows ([`derivatives`]), the full-text index ([`search`]) of what
//! an [`audience`] may see, and a copy of the village and craft authorities ([`authorities`]) so
//! the site need not scan the archive. [`sync`] keeps the index in step with the archive through
//! ingests, crashes and restarts; [`public_text`] owns what of a body a visitor may read.

pub mod analysis;
pub mod audience;
pub mod authorities;
pub mod derivatives;
pub mod faults;
pub mod file_text;
pub mod heif;
pub mod hiding;
pub mod image_structure;
pub mod location;
pub mod public_text;
pub mod query;
pub mod sandbox;
pub mod search;
pub mod site_links;
pub mod snippet;
pub mod sync;
pub mod watch;

use std::path::{Path, PathBuf};

use crate::archive::{Archive, ArchiveError};
use crate::model::Record;

use self::authorities::Authorities;
pub(crate) use self::derivatives::placement::{
    Holders, ensure_derivatives, ensure_derivatives_noting, settle_derivatives,
};
use self::derivatives::{DerivativeStore, Stores};
use self::search::{SearchError, SearchIndex};

/// Errors of the index stage.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Reading the archive failed.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// Writing a derivative or the authorities file failed.
    #[error("{path}: {reason}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// The folders inside `index/`.
#[derive(Debug, Clone)]
pub struct IndexDir {
    root: PathBuf,
}

impl IndexDir {
    /// The index folder at `root`.
    pub fn new(root: &Path) -> Self {
        IndexDir {
            root: root.to_path_buf(),
        }
    }

    /// The public derivative store (`derivatives/`): previews and location decisions of files
    /// the public may see, and nothing else.
    pub fn derivatives(&self) -> DerivativeStore {
        DerivativeStore::new(&self.root)
    }

    /// Both derivative stores, the public one and the private one (`derivatives-private/`).
    pub fn stores(&self) -> Stores {
        Stores::new(&self.root)
    }

    /// Opens (or creates) the public search index, with the everyone index (`search-all/`) kept
    /// in step beside it ([`SearchIndex::open_pair`]).
    pub fn search(&self) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_pair(
            &self.root.join(audience::Audience::Public.dir_name()),
            &self.root.join(audience::Audience::Everyone.dir_name()),
        )
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the authorities copy lives.
    pub fn authorities_path(&self) -> PathBuf {
        self.root.join("authorities.json")
    }
}

/// Text worth indexing from a record's files: plain-text documents (not the Markdown bodies,
/// which the record already carries) up to 1 MB, and the text layer of PDFs up to 100 MB.
/// A PDF whose text cannot be read (scanned pages, unusual font encodings, encrypted, over a
/// budget) adds nothing; [`extracted_text_noting`] also says why. Each call reads the files
/// again: a run that needs a record's text more than once uses one [`file_text::FileTexts`].
pub fn extracted_text(archive: &Archive, record: &Record) -> String {
    extracted_text_noting(archive, record).0
}

/// [`extracted_text`], with a warning per file whose text was left out for a reason an
/// archivist may act on ("bomb.pdf: text not extracted: …", "encrypted: text not extracted").
///
/// PDF text is read in a worker process within the budgets of [`sandbox`]
/// ([`sandbox::MAX_PDF_PAGE_CONTENT`], [`sandbox::MAX_PDF_TEXT`], memory and time), so no PDF,
/// once archived, can stop a rebuild.
pub fn extracted_text_noting(archive: &Archive, record: &Record) -> (String, Vec<String>) {
    file_text::FileTexts::new().of_record(archive, record, &[])
}

/// What a rebuild did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReindexReport {
    /// Records indexed.
    pub records: usize,
    /// Derivatives made (sources that had none).
    pub derivatives_made: usize,
    /// Problems (a record that cannot be read is skipped, not fatal).
    pub problems: Vec<String>,
    /// Warnings: archived files whose text or derivatives could not be made (the record is
    /// indexed without them).
    pub warnings: Vec<String>,
    /// What of the old `index/` could not be used and was removed or set aside, one line each.
    pub discarded: Vec<String>,
}

/// Makes `index/` a folder whose parts can be rebuilt: creates it when missing, and discards a
/// derivative folder or authorities copy of the wrong type (see [`make_room`]).
fn prepare(dir: &IndexDir, discarded: &mut Vec<String>) -> Result<(), IndexError> {
    let write_error = |path: &Path, reason: String| IndexError::Write {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::metadata(&dir.root) {
        Ok(metadata) if !metadata.is_dir() => {
            return Err(write_error(
                &dir.root,
                "this is not a folder, and Disan deletes only what it made: move it away or choose another --index".to_string(),
            ));
        }
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(target) = std::fs::read_link(&dir.root) {
                return Err(write_error(
                    &dir.root,
                    format!(
                        "this is a link to {}, which does not exist: create that folder, or choose another --index",
                        target.display()
                    ),
                ));
            }
            std::fs::create_dir_all(&dir.root)
                .map_err(|error| write_error(&dir.root, error.to_string()))?;
        }
        Err(error) => return Err(write_error(&dir.root, error.to_string())),
    }
    for (path, folder) in [
        (dir.root.join(derivatives::PUBLIC_DIR), true),
        (dir.root.join(derivatives::PRIVATE_DIR), true),
        (dir.root.join("search"), true),
        (dir.root.join("search-all"), true),
        (dir.authorities_path(), false),
    ] {
        if let Ok(metadata) = std::fs::symlink_metadata(&path)
            && (metadata.is_dir() != folder || metadata.file_type().is_symlink())
        {
            let reason = if metadata.file_type().is_symlink() {
                LINK
            } else if folder {
                "not a folder"
            } else {
                "a folder, not a file"
            };
            make_room(&path, folder, reason, discarded)?;
        }
    }
    // Links inside a derivative store (`derivatives/xx` or `derivatives/xx/<sha256>`) would
    // send derivative writes anywhere: set aside like any foreign entry.
    for store in [derivatives::PUBLIC_DIR, derivatives::PRIVATE_DIR] {
        for shard in std::fs::read_dir(dir.root.join(store))
            .into_iter()
            .flatten()
            .flatten()
        {
            let shard = shard.path();
            if is_link(&shard) {
                make_room(&shard, false, LINK, discarded)?;
                continue;
            }
            for folder in std::fs::read_dir(&shard).into_iter().flatten().flatten() {
                let folder = folder.path();
                if is_link(&folder) {
                    make_room(&folder, false, LINK, discarded)?;
                }
            }
        }
    }
    Ok(())
}

/// Why a symbolic link inside `index/` is set aside.
const LINK: &str = "a symbolic link: Disan follows no link inside the index";

/// Whether `path` is a symbolic link (itself, not what it points at).
fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Discards `path`, a part of `index/` that cannot be used (`reason` says why), so it can be
/// made again. Only what is certainly Disan's is deleted: a search index folder holding nothing
/// but tantivy's files. Anything else (a file where a folder should be, a folder holding files
/// Disan does not write) is renamed beside it, to `NAME.damaged-SECONDS`, and left for a person
/// to look at. One line per thing discarded goes to `discarded`.
///
/// # Errors
/// [`IndexError::Write`] when it can be neither deleted nor renamed.
pub fn make_room(
    path: &Path,
    search_index: bool,
    reason: &str,
    discarded: &mut Vec<String>,
) -> Result<(), IndexError> {
    let write_error = |error: std::io::Error| IndexError::Write {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    let only_tantivy = search_index
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && std::fs::read_dir(path).is_ok_and(|entries| {
            entries.into_iter().all(|entry| {
                entry.is_ok_and(|entry| {
                    entry.file_type().is_ok_and(|t| t.is_file())
                        && search::is_tantivy_file(&entry.file_name().to_string_lossy())
                })
            })
        });
    if only_tantivy {
        std::fs::remove_dir_all(path).map_err(write_error)?;
        discarded.push(format!("{}: deleted ({reason})", path.display()));
        return Ok(());
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".damaged-{seconds}"));
    let aside = PathBuf::from(aside);
    std::fs::rename(path, &aside).map_err(write_error)?;
    discarded.push(format!(
        "{}: moved to {} ({reason}; it holds what Disan did not write: delete it once you have looked)",
        path.display(),
        aside.display()
    ));
    Ok(())
}

/// Whether `error` (of any stage, as displayed) is a full disk (`ENOSPC`). Tantivy passes some
/// I/O errors on as text only, so the text is what is compared, with the operating system's
/// own message for that error.
pub fn is_disk_full(error: &dyn std::fmt::Display) -> bool {
    let full = std::io::Error::from_raw_os_error(libc::ENOSPC).to_string();
    error.to_string().contains(&full)
}

/// What to tell a person when the index in `dir` could not be brought up to date after the
/// archive changed (`error`): the archive holds everything, where the problem is, and what to
/// do next (free space when the disk is full, then `disan reindex`).
pub fn lagging(dir: &IndexDir, error: &dyn std::fmt::Display) -> String {
    let first = if is_disk_full(error) {
        format!(
            "the disk holding the index folder {} is full ({error}): free space on it",
            dir.root.display()
        )
    } else {
        format!(
            "the index folder {} could not be updated ({error}): fix that",
            dir.root.display()
        )
    };
    format!(
        "{first}, then run `disan reindex`. Everything this report lists as added or updated is safely in the archive; until then search does not show all of it."
    )
}

/// Opens the search index, first rebuilding `index/` from the archive when the index was written
/// by an incompatible version of Disan (after an upgrade), so that neither an ingest nor the
/// site ever works from a silently emptied index.
pub fn open_current(archive: &Archive, dir: &IndexDir) -> Result<SearchIndex, IndexError> {
    let search = dir.search()?;
    if !search.was_recreated() {
        return Ok(search);
    }
    drop(search);
    eprintln!(
        "The search index in {} was written by another version of Disan; rebuilding it from the archive.",
        dir.root.display()
    );
    let report = reindex(archive, dir)?;
    eprintln!("Rebuilt: {} records.", report.records);
    Ok(dir.search()?)
}

/// Rebuilds the whole of `index/` from the archive, and records the archive state it reflects,
/// whatever state `index/` is in: missing, a search index that cannot be read (a missing,
/// truncated or corrupt segment, a garbled `meta.json`), or a file where one of its folders
/// should be. What cannot be used is discarded first (see [`make_room`]); what was discarded is
/// listed in [`ReindexReport::discarded`].
///
/// # Errors
/// [`IndexError::Write`] when the index folder itself is not a folder (Disan deletes only what it
/// made: it names the path instead) or cannot be written; [`IndexError::Archive`] when the
/// archive cannot be read.
pub fn reindex(archive: &Archive, dir: &IndexDir) -> Result<ReindexReport, IndexError> {
    use rayon::prelude::*;
    let catalogue = archive.catalogue()?;
    let state = sync::ArchiveState::of(archive, &catalogue)?;
    let mut discarded = Vec::new();
    prepare(dir, &mut discarded)?;
    let authorities = Authorities::from_catalogue(&catalogue);
    authorities.save(&dir.authorities_path())?;
    let search = match dir.search() {
        Err(SearchError::Damaged { path, reason }) => {
            make_room(&path, true, &reason, &mut discarded)?;
            dir.search()?
        }
        opened => opened?,
    };
    let indexer = search.indexer()?;
    indexer.clear()?;
    let stores = dir.stores();
    // Each file's text is read once, though stories are indexed twice.
    let texts = file_text::FileTexts::new();
    let stamp_of = |record: &Record| state.stamp_of(record).unwrap_or_default();
    // Every record first, stories without the captions of their embeds; then stories again,
    // with the captions of the records now known to be public.
    let warnings = std::sync::Mutex::new(Vec::new());
    let warn = |id: &crate::model::RecordId, found: Vec<String>| {
        if let Ok(mut warnings) = warnings.lock() {
            warnings.extend(found.into_iter().map(|w| format!("{id}: {w}")));
        }
    };
    // The files of each record the public may see, and of each it may not: each record's
    // derivatives are made in the store they belong in; once every record is seen, the public
    // store lets go of withheld bytes (but those a public record holds too), and the private
    // store of bytes no withheld record holds any more.
    let files_shown = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let files_withheld = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let results: Vec<Result<(usize, bool, bool), String>> = catalogue
        .records
        .par_iter()
        .map(|(id, inventory)| {
            let record = archive
                .record_from(inventory)
                .map_err(|e| format!("{id}: {e}"))?;
            let shown = search.audience().admits_files(&record);
            let shas = record.files.iter().map(|file| file.sha256);
            let set = if shown { &files_shown } else { &files_withheld };
            if let Ok(mut set) = set.lock() {
                set.extend(shas);
            }
            let (made, derive_warnings) =
                ensure_derivatives_noting(archive, &stores, inventory, &record)
                    .map_err(|e| format!("{id}: {e}"))?;
            warn(id, derive_warnings);
            let (text, text_warnings) = texts.of_record(archive, &record, &[]);
            warn(id, text_warnings);
            indexer
                .put(&record, &stamp_of(&record), &authorities, &text)
                .map_err(|e| format!("{id}: {e}"))?;
            let public = search.audience().admits_record(&record);
            Ok((
                made,
                public,
                public && record.kind == crate::model::Kind::Story,
            ))
        })
        .collect();
    let files_shown = files_shown.into_inner().unwrap_or_default();
    let files_withheld = files_withheld.into_inner().unwrap_or_default();
    let store_error = |store: &DerivativeStore, error: std::io::Error| IndexError::Write {
        path: store.root().to_path_buf(),
        reason: error.to_string(),
    };
    for sha in &files_withheld {
        if !files_shown.contains(sha) {
            stores
                .public
                .remove(sha)
                .map_err(|error| store_error(&stores.public, error))?;
        }
    }
    // Only when every record was read: a record that could not be keeps its previews.
    if results.iter().all(Result::is_ok) {
        derivatives::placement::prune_private(&stores, &files_withheld)
            .map_err(|error| store_error(&stores.private, error))?;
    }
    let ids: Vec<&crate::model::RecordId> = catalogue.records.keys().collect();
    let public: std::collections::BTreeSet<&str> = ids
        .iter()
        .zip(&results)
        .filter(|(_, result)| matches!(result, Ok((_, true, _))))
        .map(|(id, _)| id.as_str())
        .collect();
    let mut story_problems = Vec::new();
    for (id, result) in ids.iter().zip(&results) {
        if !matches!(result, Ok((_, _, true))) {
            continue;
        }
        let put_story = || -> Result<(), String> {
            let record = archive
                .record(id)
                .map_err(|e| e.to_string())?
                .ok_or("gone from the archive")?;
            indexer
                .put_with_embeds(
                    &record,
                    &stamp_of(&record),
                    &authorities,
                    &texts.of_record(archive, &record, &[]).0,
                    &|embedded| public.contains(embedded),
                )
                .map_err(|e| e.to_string())
        };
        if let Err(problem) = put_story() {
            story_problems.push(format!("{id}: {problem}"));
        }
    }
    // A record that could not be read leaves the index behind the archive: it says so.
    let reflects = if results.iter().all(Result::is_ok) && story_problems.is_empty() {
        sync::IndexState::Reflects(state.fingerprint())
    } else {
        sync::IndexState::Unknown
    };
    indexer.finish(&reflects.payload())?;
    let mut report = ReindexReport {
        problems: story_problems,
        warnings: warnings.into_inner().unwrap_or_default(),
        discarded,
        ..ReindexReport::default()
    };
    report.warnings.sort();
    for result in results {
        match result {
            Ok((made, _, _)) => {
                report.records += 1;
                report.derivatives_made += made;
            }
            Err(problem) => report.problems.push(problem),
        }
    }
    Ok(report)
}
