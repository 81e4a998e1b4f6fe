//! Ingest: from an archivist's batch folder to records in the archive.
//!
//! The run is a flat list of steps, each reporting into one [`Report`]:
//!
//! 1. **list** the batch ([`batch`]), NFC-normalising names and refusing unsafe links;
//! 2. **describe**: read `metadata.csv`, the authority files and Markdown front matter
//!    ([`metadata`], [`authority`], [`frontmatter`]), refusing text that is not UTF-8 ([`encoding`]);
//! 3. **plan** one record per row, per Markdown text and per undescribed file;
//! 4. **hash** every file (SHA-256, streamed) and identify its format from its content ([`format`]);
//! 5. **deduplicate** against content the archive already holds;
//! 6. **analyse and store** each record: decode photos (EXIF, derivatives), probe films and audio
//!    ([`media`]), and commit an OCFL version.
//!
//! A problem with one file or row rejects that record only; the rest of the batch goes in.
//! Steps 4 and 6 run on every core.

pub mod authority;
pub mod batch;
pub mod encoding;
pub mod exif;
pub mod format;
pub mod frontmatter;
pub mod media;
pub mod metadata;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use self::batch::{BatchFile, Listing};
use self::format::{Family, Format};
use self::metadata::{Authorities, Description, Validated};
use self::report::{Outcomes, Problem, Report};
use crate::archive::{Archive, ArchiveError, Catalogue, Commit, NewContent, User, VersionInfo};
use crate::index::IndexDir;
use crate::index::derivatives::{self, DerivativeStore};
use crate::model::text::{slug, title_from_file_stem};
use crate::model::{
    Access, Edtf, FileEntry, FileFormat, Kind, Lang, LangValue, Provenance, Record, RecordId,
    SCHEMA_VERSION, Sha256,
};

/// Errors that stop a whole run (as opposed to [`Problem`]s, which reject one record).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The batch folder cannot be read.
    #[error("cannot read the batch {path}: {source}")]
    Batch {
        /// The folder given.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The archive cannot be opened, locked or read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The index cannot be updated.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
}

/// How a run reports progress while it works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar (on a terminal).
    Bar,
    /// One line per record on standard error.
    Log,
    /// Nothing.
    Quiet,
}

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Validate everything, write nothing.
    pub dry_run: bool,
    /// Who is ingesting (recorded in each OCFL version).
    pub user: User,
    /// How to show progress.
    pub progress: Progress,
}

/// Ingests the batch at `batch_dir` into `archive`, keeping `index` (derivatives, search,
/// authorities) up to date as records go in.
///
/// `archive` may be `None` only for a dry run before any archive exists.
pub fn ingest(
    batch_dir: &Path,
    archive: Option<&Archive>,
    index: &IndexDir,
    options: &Options,
) -> Result<Report, IngestError> {
    let listing = batch::list(batch_dir).map_err(|source| IngestError::Batch {
        path: batch_dir.to_path_buf(),
        source,
    })?;
    let writer = match archive {
        Some(archive) if !options.dry_run => Some((archive, archive.lock()?)),
        _ => None,
    };
    let catalogue = match archive {
        Some(archive) => archive.catalogue()?,
        None => Catalogue::default(),
    };
    let mut report = Report {
        batch: listing.name.clone(),
        dry_run: options.dry_run,
        ..Report::default()
    };
    report.problems.extend(listing.problems.iter().cloned());
    let info = VersionInfo {
        message: format!("Ingested from batch '{}'", listing.name),
        user: options.user.clone(),
    };

    let authorities = describe_authorities(&listing, &catalogue, &mut report);
    let names = crate::index::authorities::Authorities::from_maps(
        &authorities.villages,
        &authorities.crafts,
    );
    let store = index.derivatives();
    let plans = plan_records(&listing, &authorities, &mut report);
    // Before the first archive write: the index is brought in step with the archive, then
    // every record this batch makes non-public leaves it (see `index::sync`).
    let mut updater = None;
    if let Some((archive, lock)) = &writer {
        let hidden = plans
            .iter()
            .filter(|plan| {
                let access = plan.validated.access.unwrap_or(Access::Public);
                !crate::index::audience::Audience::Public.admits(access)
            })
            .map(|plan| plan.id.clone())
            .collect();
        let (mut begun, synced) =
            crate::index::sync::Updater::begin(archive, index, &catalogue, hidden)?;
        if synced.summary() != crate::index::sync::SyncReport::UP_TO_DATE
            && options.progress != Progress::Quiet
        {
            eprintln!("{}", synced.summary());
        }
        store_authorities(archive, lock, &authorities, &catalogue, &info, &mut report)?;
        names.save(&index.authorities_path())?;
        let written: Vec<String> = report
            .authorities
            .added
            .iter()
            .chain(&report.authorities.updated)
            .cloned()
            .collect();
        begun.authorities_stored(archive, &written)?;
        updater = Some(begun);
    }
    let hashed = hash_files(&plans, options.progress);
    let plans = deduplicate(plans, hashed, &catalogue, &mut report);

    let progress = progress_bar(options.progress, plans.len() as u64, "records");
    let context = Context {
        writer: writer.as_ref().map(|(archive, lock)| (*archive, lock)),
        store: &store,
        indexer: updater.as_ref(),
        names: &names,
        info: &info,
        catalogue: &catalogue,
        batch: &listing.name,
    };
    let outcomes: Vec<Outcome> = plans
        .into_par_iter()
        .map(|plan| {
            let outcome = context.analyse_and_store(plan);
            if let Some(bar) = &progress {
                bar.inc(1);
            } else if options.progress == Progress::Log {
                eprintln!("{}", outcome.log_line());
            }
            outcome
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let touched: Vec<RecordId> = outcomes.iter().map(|o| o.id.clone()).collect();
    for outcome in outcomes {
        outcome.merge_into(&mut report)?;
    }
    if let (Some(updater), Some((archive, _))) = (updater, &writer) {
        updater.finish(archive, index, &names, &touched)?;
    }
    report
        .problems
        .sort_by(|a, b| (a.severity, &a.file, a.row).cmp(&(b.severity, &b.file, b.row)));
    Ok(report)
}

fn progress_bar(progress: Progress, length: u64, unit: &str) -> Option<indicatif::ProgressBar> {
    (progress == Progress::Bar).then(|| {
        let bar = indicatif::ProgressBar::new(length);
        let template = format!("{{spinner}} {{bar:40}} {{pos}}/{{len}} {unit} {{elapsed}}");
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        bar
    })
}

/// Reads a metadata text file, refusing anything that is not UTF-8.
fn read_text(listing: &Listing, relative: &str) -> Option<Result<String, Problem>> {
    let path = listing.metadata.get(relative)?;
    Some(read_utf8(path, relative))
}

fn read_utf8(path: &Path, relative: &str) -> Result<String, Problem> {
    let bytes = std::fs::read(path)
        .map_err(|error| Problem::error(relative, format!("cannot read: {error}")))?;
    encoding::decode_utf8(&bytes)
        .map(str::to_string)
        .map_err(|error| Problem::error(relative, error.to_string()))
}

fn describe_authorities(
    listing: &Listing,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Authorities {
    let mut authorities = Authorities {
        villages: catalogue.villages.clone(),
        crafts: catalogue.crafts.clone(),
    };
    let crafts_file = "metadata/crafts.csv";
    match read_text(listing, crafts_file) {
        Some(Ok(text)) => {
            let (crafts, problems) = authority::parse_crafts(crafts_file, &text);
            report.problems.extend(problems);
            for craft in crafts {
                authorities.crafts.insert(craft.id.clone(), craft);
            }
        }
        Some(Err(problem)) => report.problems.push(problem),
        None => {}
    }
    let villages_file = "metadata/villages.csv";
    match read_text(listing, villages_file) {
        Some(Ok(text)) => {
            let (villages, problems) = authority::parse_villages(villages_file, &text, |craft| {
                authorities.crafts.contains_key(craft)
            });
            report.problems.extend(problems);
            for village in villages {
                authorities.villages.insert(village.id.clone(), village);
            }
        }
        Some(Err(problem)) => report.problems.push(problem),
        None => {}
    }
    authorities
}

fn store_authorities(
    archive: &Archive,
    lock: &crate::archive::WriteLock,
    authorities: &Authorities,
    catalogue: &Catalogue,
    info: &VersionInfo,
    report: &mut Report,
) -> Result<(), ArchiveError> {
    for craft in authorities.crafts.values() {
        if catalogue.crafts.get(&craft.id) != Some(craft) {
            let commit = archive.store_craft(lock, craft, info)?;
            note(
                &mut report.authorities,
                format!("urn:disan:craft:{}", craft.id),
                &commit,
            );
        } else {
            report
                .authorities
                .unchanged
                .push(format!("urn:disan:craft:{}", craft.id));
        }
    }
    for village in authorities.villages.values() {
        if catalogue.villages.get(&village.id) != Some(village) {
            let commit = archive.store_village(lock, village, info)?;
            note(
                &mut report.authorities,
                format!("urn:disan:village:{}", village.id),
                &commit,
            );
        } else {
            report
                .authorities
                .unchanged
                .push(format!("urn:disan:village:{}", village.id));
        }
    }
    Ok(())
}

fn note(outcomes: &mut Outcomes, id: String, commit: &Commit) {
    match commit {
        Commit::Created => outcomes.added.push(id),
        Commit::Updated { .. } => outcomes.updated.push(id),
        Commit::Unchanged => outcomes.unchanged.push(id),
    }
}

/// A record about to be made: its description, its files, its text.
#[derive(Debug)]
struct Plan {
    id: RecordId,
    /// Batch-relative path of the described file or folder.
    source: String,
    /// Where its description is, for messages.
    described_in: Option<(String, Option<usize>)>,
    validated: Validated,
    files: Vec<PlannedFile>,
    body: BTreeMap<Lang, String>,
}

#[derive(Debug)]
struct PlannedFile {
    batch: BatchFile,
    /// Logical path inside the object (`files/…`).
    logical: String,
}

impl Plan {
    fn problem(&self, file: &str, message: impl Into<String>) -> Problem {
        let problem = Problem::error(file, message).for_record(self.id.as_str());
        match &self.described_in {
            Some((_, row)) => problem.at_row(*row).in_column("filename"),
            None => problem,
        }
    }
}

/// A plan before its description is validated.
struct Draft {
    source: String,
    descriptions: Vec<Description>,
    files: Vec<PlannedFile>,
    body: BTreeMap<Lang, String>,
    is_file: bool,
}

fn is_markdown(path: &str) -> bool {
    let lower = path.to_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// `x.en.md` → `x.md`.
fn english_original(path: &str) -> Option<String> {
    let lower = path.to_lowercase();
    for suffix in [".en.md", ".en.markdown"] {
        if lower.ends_with(suffix) {
            let stem = &path[..path.len() - suffix.len()];
            return Some(format!("{stem}{}", &suffix[3..]));
        }
    }
    None
}

fn plan_records(listing: &Listing, authorities: &Authorities, report: &mut Report) -> Vec<Plan> {
    let Some((rows, metadata_file)) = read_rows(listing, report) else {
        return Vec::new();
    };
    let mut claimed: BTreeMap<String, String> = BTreeMap::new();
    let mut drafts: Vec<Draft> = Vec::new();
    let mut unmatched_rows: Vec<usize> = Vec::new();
    let mut described: BTreeSet<String> = BTreeSet::new();

    for row in rows {
        let Some(written) = row.filename() else {
            report.problems.push(
                Problem::error(&row.file, "the filename is empty")
                    .at_row(row.row)
                    .in_column("filename"),
            );
            continue;
        };
        let target = match batch::clean_relative_path(written) {
            Ok(target) => target,
            Err(message) => {
                unmatched_rows.extend(row.row);
                report.problems.push(
                    Problem::error(&row.file, message)
                        .at_row(row.row)
                        .in_column("filename"),
                );
                continue;
            }
        };
        if !described.insert(target.clone()) {
            report.problems.push(
                Problem::error(
                    &row.file,
                    format!("'{target}' is described by an earlier row too"),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        }
        let members: Vec<&BatchFile> = if let Some(file) = listing.files.get(&target) {
            vec![file]
        } else if listing.dirs.contains(&target) {
            let prefix = format!("{target}/");
            listing
                .files
                .range(prefix.clone()..)
                .take_while(|(path, _)| path.starts_with(&prefix))
                .map(|(_, file)| file)
                .collect()
        } else {
            unmatched_rows.extend(row.row);
            report.problems.push(
                Problem::error(
                    &row.file,
                    format!("there is no file or folder '{target}' in the batch"),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        };
        let location = match row.row {
            Some(line) => format!("{} row {line}", row.file),
            None => row.file.clone(),
        };
        if let Some(file) = members
            .iter()
            .find(|file| claimed.contains_key(&file.relative))
        {
            report.problems.push(
                Problem::error(
                    &row.file,
                    format!(
                        "'{}' already belongs to the record of {}",
                        file.relative, claimed[&file.relative]
                    ),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        }
        for file in &members {
            claimed.insert(file.relative.clone(), location.clone());
        }
        let is_file = listing.files.contains_key(&target);
        let base = if is_file { "" } else { target.as_str() };
        let files = members
            .into_iter()
            .map(|file| PlannedFile {
                logical: logical_path(base, &file.relative),
                batch: file.clone(),
            })
            .collect();
        drafts.push(Draft {
            source: target,
            descriptions: vec![row],
            files,
            body: BTreeMap::new(),
            is_file,
        });
    }

    // Markdown texts described by a row still contribute their front matter and body.
    for draft in &mut drafts {
        if draft.is_file && is_markdown(&draft.source) && english_original(&draft.source).is_none()
        {
            attach_text(listing, draft, &mut claimed, report);
        }
    }
    let undescribed: Vec<&BatchFile> = listing
        .files
        .values()
        .filter(|file| !claimed.contains_key(&file.relative))
        .collect();
    for file in undescribed {
        if claimed.contains_key(&file.relative) {
            continue;
        }
        if !unmatched_rows.is_empty() {
            report.problems.push(Problem::error(
                &file.relative,
                format!(
                    "not ingested: {} row(s) {} name files that do not exist, and one may have been meant for this file; correct the filename column and ingest again",
                    metadata_file,
                    unmatched_rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        claimed.insert(file.relative.clone(), file.relative.clone());
        let mut draft = Draft {
            source: file.relative.clone(),
            descriptions: Vec::new(),
            files: vec![PlannedFile {
                logical: logical_path("", &file.relative),
                batch: file.clone(),
            }],
            body: BTreeMap::new(),
            is_file: true,
        };
        if is_markdown(&file.relative) {
            if let Some(original) = english_original(&file.relative)
                && listing.files.contains_key(&original)
            {
                // Joined to its Vietnamese original when that one is planned.
                claimed.remove(&file.relative);
                continue;
            }
            attach_text(listing, &mut draft, &mut claimed, report);
        }
        drafts.push(draft);
    }
    validate_drafts(drafts, authorities, report)
}

/// The rows of the batch's `metadata.csv`; `None` when it exists but cannot be used, in which case
/// nothing may be ingested.
fn read_rows(listing: &Listing, report: &mut Report) -> Option<(Vec<Description>, String)> {
    let candidates = ["metadata/metadata.csv", "metadata.csv"];
    let present: Vec<&str> = candidates
        .into_iter()
        .filter(|name| listing.metadata.contains_key(*name))
        .collect();
    let Some(file) = present.first().copied() else {
        return Some((Vec::new(), candidates[0].to_string()));
    };
    if present.len() > 1 {
        report.problems.push(Problem::warning(
            "metadata.csv",
            "ignored: metadata/metadata.csv describes this batch",
        ));
    }
    match read_text(listing, file) {
        Some(Ok(text)) => {
            let (rows, problems) = metadata::parse_csv(file, &text);
            let fatal = problems
                .iter()
                .any(|p| p.row == Some(1) && p.severity == report::Severity::Error)
                || problems.iter().any(|p| p.row.is_none());
            report.problems.extend(problems);
            if fatal {
                refuse_everything(listing, file, report);
                return None;
            }
            Some((rows, file.to_string()))
        }
        Some(Err(problem)) => {
            report.problems.push(problem);
            refuse_everything(listing, file, report);
            None
        }
        None => Some((Vec::new(), file.to_string())),
    }
}

/// Without readable metadata, no file can be ingested safely: a row might have restricted it.
fn refuse_everything(listing: &Listing, metadata_file: &str, report: &mut Report) {
    report.problems.push(Problem::error(
        metadata_file,
        format!(
            "nothing in the batch was ingested because {metadata_file} cannot be read; fix it and ingest again"
        ),
    ));
    report.rejected.extend(listing.files.keys().cloned());
}

fn logical_path(base: &str, relative: &str) -> String {
    let inside = if base.is_empty() {
        relative.rsplit('/').next().unwrap_or(relative)
    } else {
        relative
            .strip_prefix(&format!("{base}/"))
            .unwrap_or(relative)
    };
    format!("{}/{inside}", crate::archive::FILES_DIR)
}

fn attach_text(
    listing: &Listing,
    draft: &mut Draft,
    claimed: &mut BTreeMap<String, String>,
    report: &mut Report,
) {
    let mut texts = vec![(draft.source.clone(), Lang::Vi)];
    let english = {
        let (stem, extension) = draft
            .source
            .rsplit_once('.')
            .unwrap_or((&draft.source, "md"));
        format!("{stem}.en.{extension}")
    };
    if let Some(file) = listing.files.get(&english)
        && !draft.files.iter().any(|f| f.batch.relative == english)
    {
        claimed.insert(english.clone(), draft.source.clone());
        draft.files.push(PlannedFile {
            logical: logical_path("", &english),
            batch: file.clone(),
        });
        texts.push((english, Lang::En));
    }
    let mut front: Vec<Description> = Vec::new();
    for (relative, lang) in texts {
        let Some(file) = listing.files.get(&relative) else {
            continue;
        };
        let parsed = read_utf8(&file.path, &relative)
            .and_then(|text| frontmatter::split(&text).map_err(|m| Problem::error(&relative, m)));
        match parsed {
            Ok(text) => {
                let (description, problems) =
                    metadata::from_front_matter(&relative, &text.fields, lang == Lang::En);
                report.problems.extend(problems);
                front.push(description);
                if !text.body.is_empty() {
                    draft.body.insert(lang, text.body);
                }
            }
            Err(problem) => {
                // A text that cannot be read must not be ingested without its metadata.
                front.push(Description {
                    file: relative.clone(),
                    row: None,
                    cells: Vec::new(),
                });
                report.problems.push(problem);
                draft.files.clear();
            }
        }
    }
    // The spreadsheet row, if any, overrides the front matter column by column.
    let row = draft.descriptions.pop();
    let mut merged = front.into_iter().reduce(|mut a, b| {
        a.cells.extend(b.cells);
        a
    });
    if let (Some(base), Some(row)) = (&merged, &row) {
        merged = Some(metadata::overlay(base, row));
    } else if merged.is_none() {
        merged = row;
    }
    draft.descriptions = merged.into_iter().collect();
}

fn validate_drafts(
    drafts: Vec<Draft>,
    authorities: &Authorities,
    report: &mut Report,
) -> Vec<Plan> {
    let mut ids: BTreeMap<RecordId, String> = BTreeMap::new();
    let mut plans = Vec::new();
    for draft in drafts {
        if draft.files.is_empty() {
            report.rejected.push(draft.source.clone());
            continue;
        }
        let description = draft.descriptions.first();
        let validated = match description.map(|d| metadata::validate(d, authorities)) {
            None => Validated::default(),
            Some(Ok(validated)) => validated,
            Some(Err(problems)) => {
                report.problems.extend(problems);
                report.rejected.push(draft.source.clone());
                continue;
            }
        };
        let id = match &validated.identifier {
            Some(id) => id.clone(),
            None => match derived_id(&draft.source, draft.is_file) {
                Ok(id) => id,
                Err(message) => {
                    report.problems.push(Problem::error(&draft.source, message));
                    report.rejected.push(draft.source.clone());
                    continue;
                }
            },
        };
        if let Some(previous) = ids.get(&id) {
            let mut problem = Problem::error(
                description.map_or(draft.source.clone(), |d| d.file.clone()),
                format!(
                    "record id '{id}' is already used by '{previous}' in this batch; give one of them a dc.identifier"
                ),
            );
            if let Some(d) = description {
                problem = problem
                    .at_row(d.row)
                    .in_column(if validated.identifier.is_some() {
                        "dc.identifier"
                    } else {
                        "filename"
                    });
            }
            report.problems.push(problem);
            report.rejected.push(draft.source.clone());
            continue;
        }
        ids.insert(id.clone(), draft.source.clone());
        plans.push(Plan {
            id,
            source: draft.source,
            described_in: description.map(|d| (d.file.clone(), d.row)),
            validated,
            files: draft.files,
            body: draft.body,
        });
    }
    plans
}

/// The id of a record without `dc.identifier`: its batch path, readable and stable, so ingesting
/// the same batch again finds the same records. `objects/ảnh/khung cửi.jpg` → `anh-khung-cui`.
fn derived_id(source: &str, is_file: bool) -> Result<RecordId, String> {
    let without_root = source.strip_prefix("objects/").unwrap_or(source);
    let without_extension = if is_file {
        let trimmed = without_root.strip_suffix(".en.md").unwrap_or(without_root);
        match trimmed.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() && !extension.contains('/') => stem,
            _ => trimmed,
        }
    } else {
        without_root
    };
    let candidate = slug(without_extension);
    let candidate = if candidate.len() > 100 {
        let digest = Sha256::of(source.as_bytes()).to_hex();
        format!(
            "{}-{}",
            candidate[..87].trim_end_matches('-'),
            &digest[..12]
        )
    } else {
        candidate
    };
    RecordId::parse(&candidate).map_err(|_| {
        format!("cannot derive a record id from the path '{source}'; give it a dc.identifier")
    })
}

/// What hashing found about one file.
#[derive(Debug, Clone)]
struct FileFacts {
    sha256: Sha256,
    size: u64,
    format: &'static Format,
}

fn hash_files(plans: &[Plan], progress: Progress) -> BTreeMap<String, Result<FileFacts, String>> {
    let files: Vec<&BatchFile> = plans
        .iter()
        .flat_map(|p| p.files.iter().map(|f| &f.batch))
        .collect();
    let total: u64 = files.iter().map(|f| f.size).sum();
    let bar = progress_bar(progress, total, "bytes hashed");
    let results = files
        .into_par_iter()
        .map(|file| {
            let facts = identify_and_hash(file);
            if let Some(bar) = &bar {
                bar.inc(file.size);
            }
            (file.relative.clone(), facts)
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results
}

fn identify_and_hash(file: &BatchFile) -> Result<FileFacts, String> {
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(&file.path)
        .and_then(|f| f.take(8192).read_to_end(&mut head))
        .map_err(|error| format!("cannot read: {error}"))?;
    let extension = file.relative.rsplit_once('.').map_or("", |(_, e)| e);
    let format = format::refine_text(format::sniff(&head), extension);
    let (sha256, size) =
        crate::archive::hash_file(&file.path).map_err(|error| format!("cannot read: {error}"))?;
    Ok(FileFacts {
        sha256,
        size,
        format,
    })
}

/// A plan whose files are hashed, ready to analyse and store.
struct Ready {
    plan: Plan,
    facts: Vec<FileFacts>,
}

fn deduplicate(
    plans: Vec<Plan>,
    mut hashed: BTreeMap<String, Result<FileFacts, String>>,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Vec<Ready> {
    let mut holders: BTreeMap<Sha256, RecordId> = catalogue.holders.clone();
    let mut ready = Vec::new();
    'plans: for plan in plans {
        let mut facts = Vec::new();
        for file in &plan.files {
            match hashed.remove(&file.batch.relative) {
                Some(Ok(found)) => facts.push(found),
                other => {
                    let message = match other {
                        Some(Err(message)) => message,
                        _ => "cannot read".to_string(),
                    };
                    report
                        .problems
                        .push(plan.problem(&file.batch.relative, message));
                    report.rejected.push(plan.id.to_string());
                    continue 'plans;
                }
            }
        }
        let is_new = !catalogue.records.contains_key(&plan.id);
        let held_elsewhere: Vec<Option<&RecordId>> = facts
            .iter()
            .map(|f| holders.get(&f.sha256).filter(|holder| **holder != plan.id))
            .collect();
        if is_new && held_elsewhere.iter().all(Option::is_some) {
            for (file, holder) in plan.files.iter().zip(&held_elsewhere) {
                let holder = holder.map(ToString::to_string).unwrap_or_default();
                report.problems.push(
                    Problem::warning(
                        &file.batch.relative,
                        format!("not stored again: the archive already holds this content as record '{holder}'"),
                    )
                    .for_record(holder),
                );
            }
            report.files_deduplicated += plan.files.len();
            continue;
        }
        for (file, holder) in plan.files.iter().zip(&held_elsewhere) {
            if let Some(holder) = holder {
                report.problems.push(
                    Problem::warning(
                        &file.batch.relative,
                        format!("the same content is also record '{holder}'; kept here too because this record has other files"),
                    )
                    .for_record(plan.id.as_str()),
                );
            }
        }
        for fact in &facts {
            holders
                .entry(fact.sha256)
                .or_insert_with(|| plan.id.clone());
        }
        ready.push(Ready { plan, facts });
    }
    ready
}

/// Everything the analyse-and-store step shares across threads.
struct Context<'a> {
    /// The archive and its lock; `None` in a dry run.
    writer: Option<(&'a Archive, &'a crate::archive::WriteLock)>,
    store: &'a DerivativeStore,
    /// The search index's side of the run; `None` in a dry run.
    indexer: Option<&'a crate::index::sync::Updater>,
    /// Village and craft names, indexed with the records that cite them.
    names: &'a crate::index::authorities::Authorities,
    info: &'a VersionInfo,
    catalogue: &'a Catalogue,
    batch: &'a str,
}

/// What happened to one planned record.
struct Outcome {
    id: RecordId,
    result: Result<Stored, Vec<Problem>>,
    warnings: Vec<Problem>,
}

struct Stored {
    commit: Commit,
    files_stored: usize,
    bytes_stored: u64,
    file_count: usize,
}

impl Outcome {
    fn log_line(&self) -> String {
        match &self.result {
            Ok(stored) => match &stored.commit {
                Commit::Created => format!(
                    "added     {} ({} file{})",
                    self.id,
                    stored.file_count,
                    if stored.file_count == 1 { "" } else { "s" }
                ),
                Commit::Updated { version } => format!("updated   {} ({version})", self.id),
                Commit::Unchanged => format!("unchanged {}", self.id),
            },
            Err(problems) => format!(
                "rejected  {}: {}",
                self.id,
                problems.first().map(|p| p.to_string()).unwrap_or_default()
            ),
        }
    }

    fn merge_into(self, report: &mut Report) -> Result<(), IngestError> {
        report.problems.extend(self.warnings);
        match self.result {
            Ok(stored) => {
                note(&mut report.records, self.id.to_string(), &stored.commit);
                report.files_stored += stored.files_stored;
                report.bytes_stored += stored.bytes_stored;
            }
            Err(problems) => {
                report.problems.extend(problems);
                report.rejected.push(self.id.to_string());
            }
        }
        Ok(())
    }
}

/// Facts learnt by analysing one file.
#[derive(Default)]
struct Analysis {
    /// Pixel size of images; everything a film's or sound's container states.
    media: media::MediaInfo,
    exif: Option<crate::model::Exif>,
}

impl Context<'_> {
    fn analyse_and_store(&self, ready: Ready) -> Outcome {
        let Ready { plan, facts } = ready;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut entries = Vec::new();
        for (file, fact) in plan.files.iter().zip(&facts) {
            let extension = file.batch.relative.rsplit_once('.').map_or("", |(_, e)| e);
            if !extension.is_empty()
                && fact.format.family != Family::Other
                && !fact.format.matches_extension(extension)
            {
                warnings.push(
                    Problem::warning(
                        &file.batch.relative,
                        format!(
                            "the content is {} ({}) but the name ends in .{extension}",
                            fact.format.name, fact.format.mime
                        ),
                    )
                    .for_record(plan.id.as_str()),
                );
            }
            match self.analyse(file, fact) {
                Ok(analysis) => entries.push(FileEntry {
                    path: file.logical.clone(),
                    source: file.batch.relative.clone(),
                    format: FileFormat {
                        mime: fact.format.mime.to_string(),
                        name: fact.format.name.to_string(),
                    },
                    size: fact.size,
                    sha256: fact.sha256,
                    technical: analysis.media,
                    exif: analysis.exif,
                }),
                Err(message) => problems.push(plan.problem(&file.batch.relative, message)),
            }
        }
        if !problems.is_empty() {
            return Outcome {
                id: plan.id,
                result: Err(problems),
                warnings,
            };
        }
        let record = build_record(&plan, entries, &facts, self.batch);
        let result = self.store(&plan, &record, &facts).map_err(|error| {
            vec![plan.problem(&plan.source, format!("could not be archived: {error}"))]
        });
        Outcome {
            id: plan.id,
            result,
            warnings,
        }
    }

    fn analyse(&self, file: &PlannedFile, fact: &FileFacts) -> Result<Analysis, String> {
        let mut analysis = Analysis::default();
        match fact.format.family {
            Family::Image if !derivatives::can_decode(fact.format.mime) => {
                // Preserved as it is; the site shows it once a decoder for it is added.
            }
            Family::Image => {
                let bytes =
                    std::fs::read(&file.batch.path).map_err(|e| format!("cannot read: {e}"))?;
                let decoded = derivatives::decode_bytes(&bytes).map_err(|error| {
                    format!("corrupt or truncated {}: {error}", fact.format.name)
                })?;
                analysis.media.width = Some(decoded.width());
                analysis.media.height = Some(decoded.height());
                analysis.exif = exif::read(&bytes);
                if self.writer.is_some() && !self.store.has(&fact.sha256) {
                    let orientation = analysis.exif.as_ref().and_then(|e| e.orientation);
                    self.store
                        .write(&fact.sha256, &decoded, orientation)
                        .map_err(|error| format!("could not make derivatives: {error}"))?;
                }
            }
            Family::Vector => {
                let bytes =
                    std::fs::read(&file.batch.path).map_err(|e| format!("cannot read: {e}"))?;
                let drawn = derivatives::rasterise_svg(&bytes).map_err(|error| {
                    format!("corrupt or truncated {}: {error}", fact.format.name)
                })?;
                if self.writer.is_some() && !self.store.has(&fact.sha256) {
                    self.store
                        .write(&fact.sha256, &drawn, None)
                        .map_err(|error| format!("could not make derivatives: {error}"))?;
                }
            }
            Family::Video | Family::Audio => {
                analysis.media = media::probe(&file.batch.path, fact.format)
                    .map_err(|error| format!("{} {error}", fact.format.name))?;
            }
            _ => {}
        }
        Ok(analysis)
    }

    fn store(
        &self,
        plan: &Plan,
        record: &Record,
        facts: &[FileFacts],
    ) -> Result<Stored, ArchiveError> {
        let Some((archive, lock)) = self.writer else {
            return Ok(Stored {
                commit: Commit::Created,
                files_stored: 0,
                bytes_stored: 0,
                file_count: plan.files.len(),
            });
        };
        let files = plan
            .files
            .iter()
            .zip(facts)
            .map(|(file, fact)| {
                (
                    file.logical.clone(),
                    NewContent::File {
                        path: file.batch.path.clone(),
                        sha256: fact.sha256,
                    },
                )
            })
            .collect();
        // A record the public may not see goes into the archive only once the index has let
        // it go (`Updater::begin`); the plan said so, this makes sure.
        if let Some(indexer) = self.indexer
            && !indexer.may_store(record)
        {
            return Err(ArchiveError::BadMetadata {
                path: archive.record_path(&record.id),
                reason: "not stored: it was not removed from the search index first".to_string(),
            });
        }
        let commit = archive.store_record(lock, record, files, self.info)?;
        crate::index::faults::point("after-archive-commit");
        if let Some(indexer) = self.indexer {
            // The record is in the archive; a document that cannot be made now is made again at
            // the end of the run (and until then the index lags on the safe side).
            let _ = indexer.stored(archive, record, &commit, self.names);
        }
        let previous = self.catalogue.records.get(&plan.id);
        let mut seen = BTreeSet::new();
        let (mut files_stored, mut bytes_stored) = (0, 0);
        if commit != Commit::Unchanged {
            for fact in facts {
                let known =
                    previous.is_some_and(|inv| inv.manifest.contains_key(&fact.sha256.to_hex()));
                if !known && seen.insert(fact.sha256) {
                    files_stored += 1;
                    bytes_stored += fact.size;
                }
            }
        }
        Ok(Stored {
            commit,
            files_stored,
            bytes_stored,
            file_count: plan.files.len(),
        })
    }
}

fn build_record(plan: &Plan, entries: Vec<FileEntry>, facts: &[FileFacts], batch: &str) -> Record {
    let validated = &plan.validated;
    let mut dc = validated.dc.clone();
    if !dc.contains_key("title") {
        let name = plan.source.rsplit('/').next().unwrap_or(&plan.source);
        let stem = name
            .strip_suffix(".md")
            .or_else(|| name.rsplit_once('.').map(|(stem, _)| stem))
            .unwrap_or(name);
        dc.insert(
            "title".to_string(),
            vec![LangValue {
                value: title_from_file_stem(stem),
                lang: Lang::Vi,
            }],
        );
    }
    let date = validated.date.clone().or_else(|| {
        entries
            .iter()
            .filter_map(|entry| entry.exif.as_ref()?.captured.as_deref())
            .find_map(|captured| {
                let (year, rest) = captured.split_once('-')?;
                let (month, rest) = rest.split_once('-')?;
                let day = rest.get(..2)?;
                let date = crate::model::edtf::CalendarDate::new(
                    year.parse().ok()?,
                    month.parse().ok()?,
                    day.parse().ok()?,
                )?;
                Some(Edtf::from_calendar_date(date))
            })
    });
    Record {
        schema: SCHEMA_VERSION,
        id: plan.id.clone(),
        kind: validated
            .kind
            .unwrap_or_else(|| infer_kind(facts, !plan.body.is_empty())),
        access: validated.access.unwrap_or(Access::Public),
        village: validated.village.clone(),
        craft: validated.craft.clone(),
        date,
        dc,
        body: plan.body.clone(),
        extra: validated.extra.clone(),
        files: entries,
        provenance: Provenance {
            batch: batch.to_string(),
            path: plan.source.clone(),
        },
    }
}

/// The kind of an undescribed record, from the commonest family among its files.
fn infer_kind(facts: &[FileFacts], has_text: bool) -> Kind {
    if has_text {
        return Kind::Document;
    }
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for fact in facts {
        let rank = match fact.format.family {
            Family::Video => 0,
            Family::Audio => 1,
            Family::Image => 2,
            Family::Vector => 3,
            _ => 4,
        };
        *counts.entry(rank).or_default() += 1;
    }
    let commonest = counts
        .iter()
        .max_by_key(|(rank, count)| (**count, std::cmp::Reverse(**rank)))
        .map(|(rank, _)| *rank);
    match commonest {
        Some(0) => Kind::Film,
        Some(1) => Kind::Audio,
        Some(2) => Kind::Photo,
        Some(3) => Kind::Pattern,
        _ => Kind::Document,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_readable_slugs_of_the_path() {
        assert_eq!(
            derived_id("objects/ảnh/khung cửi.jpg", true)
                .unwrap()
                .as_str(),
            "anh-khung-cui"
        );
        assert_eq!(
            derived_id("objects/le-hoi/doi-tam.md", true)
                .unwrap()
                .as_str(),
            "le-hoi-doi-tam"
        );
        assert_eq!(
            derived_id("objects/phim.v2", false).unwrap().as_str(),
            "phim-v2"
        );
        assert!(derived_id("objects/!!!.jpg", true).is_err());
    }

    #[test]
    fn english_translations_pair_with_their_original() {
        assert_eq!(
            english_original("objects/a.en.md").as_deref(),
            Some("objects/a.md")
        );
        assert_eq!(english_original("objects/a.md"), None);
    }

    #[test]
    fn logical_paths_keep_folder_structure_of_compound_records() {
        assert_eq!(logical_path("", "objects/anh/a.jpg"), "files/a.jpg");
        assert_eq!(
            logical_path("objects/phim", "objects/phim/sub/vi.vtt"),
            "files/sub/vi.vtt"
        );
    }
}
