//! Ingest: from an archivist's batch folder to records in the archive.
//!
//! The run is a flat list of steps, each reporting into one [`Report`]:
//!
//! 1. **list** the batch ([`batch`]), NFC-normalising names, skipping hidden and system files,
//!    and refusing unsafe links and names written in two Unicode forms;
//! 2. **describe**: read `metadata.csv`, the authority files and Markdown front matter
//!    ([`metadata`], [`authority`], [`frontmatter`]), refusing text that is not UTF-8 ([`encoding`]);
//! 3. **plan** one record per row, per Markdown text and per undescribed file or group of files
//!    sharing a name, holding back every file a broken row may describe ([`plan`]);
//! 4. **hash** every file (SHA-256, streamed) and identify its format from its content ([`format`]);
//! 5. **check and deduplicate**: refuse empty or mismatched content, and set aside undescribed
//!    files whose bytes the archive already holds ([`dedup`]);
//! 6. **guard** described records against being replaced by undescribed files ([`guard`]);
//! 7. **analyse and store** each record: decode photos (EXIF, derivatives), probe films and audio
//!    ([`media`]), and commit an OCFL version (in a dry run, predict the commit: [`dry_run`]);
//! 8. **close the ledger**: every file of the batch has exactly one fate ([`ledger`]).
//!
//! Between 6 and 7, records the archive already holds keep their access unless the batch states
//! one ([`guard::keep_access`]).
//!
//! A problem with one file or row rejects that record only; the rest of the batch goes in.
//! Steps 4 and 7 run on every core.

pub mod authority;
pub mod batch;
mod dedup;
mod dry_run;
pub mod encoding;
pub mod exif;
pub mod format;
pub mod frontmatter;
mod guard;
mod ledger;
pub mod media;
pub mod metadata;
mod photo;
mod plan;
pub mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use self::batch::{BatchFile, Listing};
use self::format::{Family, Format};
use self::metadata::Authorities;
use self::plan::{Plan, PlannedFile};
use self::report::{FileFate, Outcomes, Problem, Report};
use crate::archive::{Archive, ArchiveError, Catalogue, Commit, NewContent, User, VersionInfo};
use crate::index::IndexDir;
use crate::index::derivatives::{self, DerivativeStore, DeriveError};
use crate::index::sandbox;
use crate::model::text::title_from_file_stem;
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
    /// Let undescribed files replace the richer descriptions of records the archive already
    /// holds (`--replace-descriptions`; see [`guard`]).
    pub replace_descriptions: bool,
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
    ledger::open(&listing, &mut report);
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
    let plans = plan::plan_records(&listing, &authorities, &mut report);
    let hashed = hash_files(&plans, options.progress);
    let plans = dedup::deduplicate(plans, hashed, &listing, archive, &catalogue, &mut report);
    let has_metadata = ["metadata/metadata.csv", "metadata.csv"]
        .iter()
        .any(|name| listing.metadata.contains_key(*name));
    let plans = guard::keep_descriptions(
        plans,
        archive,
        &catalogue,
        has_metadata,
        options.replace_descriptions,
        &mut report,
    );
    let plans = guard::keep_access(plans, archive, &catalogue, &mut report);
    // Before the first archive write, and once every record's access is final: the index is
    // brought in step with the archive, then every record this batch makes non-public leaves it
    // (see `index::sync`).
    let mut updater = None;
    if writer.is_none() {
        dry_run::predict_authorities(&authorities, &catalogue, &mut report);
    }
    if let Some((archive, lock)) = &writer {
        let hidden = plans
            .iter()
            .filter(|ready| {
                let access = ready.plan.validated.access.unwrap_or(Access::Public);
                !crate::index::audience::Audience::Public.admits(access)
            })
            .map(|ready| ready.plan.id.clone())
            .collect();
        let (mut begun, synced) =
            crate::index::sync::Updater::begin(archive, index, &catalogue, hidden)?;
        if synced.summary() != crate::index::sync::SyncReport::UP_TO_DATE
            && options.progress != Progress::Quiet
        {
            eprintln!("{}", synced.summary());
        }
        store_authorities(archive, lock, &authorities, &catalogue, &info, &mut report);
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

    let progress = progress_bar(options.progress, plans.len() as u64, "records");
    let context = Context {
        writer: writer.as_ref().map(|(archive, lock)| (*archive, lock)),
        store: &store,
        index_root: index.root(),
        indexer: updater.as_ref(),
        names: &names,
        info: &info,
        catalogue: &catalogue,
        batch: &listing.name,
        derived: std::sync::Mutex::default(),
        archive_full: std::sync::atomic::AtomicBool::new(false),
    };
    let outcomes: Vec<Outcome> = plans
        .into_par_iter()
        .map(|plan| {
            let outcome = context.analyse_and_store(plan);
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if options.progress == Progress::Log {
        // Sorted, so that a dry run and the real run print the same lines in the same order.
        let mut lines: Vec<(&str, String)> = outcomes
            .iter()
            .map(|outcome| (outcome.id.as_str(), outcome.log_line()))
            .collect();
        lines.sort();
        for (_, line) in lines {
            eprintln!("{}", report::printable(&line));
        }
    }
    if let Some((archive, _)) = &writer
        && context
            .archive_full
            .load(std::sync::atomic::Ordering::Relaxed)
    {
        report.problems.push(Problem::error(
            archive.root().display().to_string(),
            format!(
                "the disk holding the archive {} is full: every record listed as added or updated was stored whole, the others were not stored. Next: free space on that disk, then ingest this batch again (what was stored is recognised as unchanged)",
                archive.root().display()
            ),
        ));
    }
    let touched: Vec<RecordId> = outcomes.iter().map(|o| o.id.clone()).collect();
    for outcome in outcomes {
        outcome.merge_into(&mut report)?;
    }
    if let (Some(updater), Some((archive, _))) = (updater, &writer)
        && let Err(error) = updater.finish(archive, index, &names, &touched)
    {
        // Everything stored is in the archive already; only the index lags (and says so: the
        // next start reconciles it). The report, with its summary, still goes out.
        report.problems.push(Problem::error(
            index.root().display().to_string(),
            crate::index::lagging(index, &error),
        ));
    }
    guard::note_kept_records(archive, &catalogue, &mut report);
    ledger::close(&listing, &mut report);
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
) {
    // An authority that cannot be stored is reported under its file; the records still go in
    // (they name the village or craft by id either way).
    let failed = |report: &mut Report, file: &str, urn: String, error: ArchiveError| {
        report.problems.push(Problem::error(
            file,
            format!("{urn} could not be archived: {error}"),
        ));
    };
    for craft in authorities.crafts.values() {
        if catalogue.crafts.get(&craft.id) != Some(craft) {
            let commit = match archive.store_craft(lock, craft, info) {
                Ok(commit) => commit,
                Err(error) => {
                    let urn = format!("urn:disan:craft:{}", craft.id);
                    failed(report, "metadata/crafts.csv", urn, error);
                    continue;
                }
            };
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
            let commit = match archive.store_village(lock, village, info) {
                Ok(commit) => commit,
                Err(error) => {
                    let urn = format!("urn:disan:village:{}", village.id);
                    failed(report, "metadata/villages.csv", urn, error);
                    continue;
                }
            };
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
}

fn note(outcomes: &mut Outcomes, id: String, commit: &Commit) {
    match commit {
        Commit::Created => outcomes.added.push(id),
        Commit::Updated { .. } => outcomes.updated.push(id),
        Commit::Unchanged => outcomes.unchanged.push(id),
    }
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

/// Everything the analyse-and-store step shares across threads.
struct Context<'a> {
    /// The archive and its lock; `None` in a dry run.
    writer: Option<(&'a Archive, &'a crate::archive::WriteLock)>,
    store: &'a DerivativeStore,
    /// The index folder, where workers write derivatives.
    index_root: &'a Path,
    /// The search index's side of the run; `None` in a dry run.
    indexer: Option<&'a crate::index::sync::Updater>,
    /// Village and craft names, indexed with the records that cite them.
    names: &'a crate::index::authorities::Authorities,
    info: &'a VersionInfo,
    catalogue: &'a Catalogue,
    batch: &'a str,
    /// Digests whose derivatives a thread of this run is making or has made: two records
    /// sharing the same bytes must not write the same derivative files at once.
    derived: std::sync::Mutex<BTreeSet<Sha256>>,
    /// Set once a write found the archive's disk full: the records after it are not tried.
    archive_full: std::sync::atomic::AtomicBool,
}

/// What happened to one planned record.
struct Outcome {
    id: RecordId,
    /// Batch-relative paths of its files.
    files: Vec<String>,
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
                for file in self.files {
                    report.account(
                        file,
                        FileFate::Stored {
                            record: self.id.to_string(),
                        },
                    );
                }
                note(&mut report.records, self.id.to_string(), &stored.commit);
                report.files_stored += stored.files_stored;
                report.bytes_stored += stored.bytes_stored;
            }
            Err(problems) => {
                let reason = problems
                    .first()
                    .map(|p| format!("{}: {}", p.file, p.message))
                    .unwrap_or_default();
                for file in self.files {
                    report.account(
                        file,
                        FileFate::Refused {
                            reason: format!("record '{}' was rejected ({reason})", self.id),
                        },
                    );
                }
                report.problems.extend(problems);
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
    /// What the archivist should know about the file, which is kept all the same.
    warnings: Vec<String>,
}

impl Context<'_> {
    fn analyse_and_store(&self, ready: Ready) -> Outcome {
        let Ready { plan, facts } = ready;
        let files: Vec<String> = plan
            .files
            .iter()
            .map(|f| f.batch.relative.clone())
            .collect();
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
                Ok(analysis) => {
                    warnings.extend(analysis.warnings.iter().map(|warning| {
                        Problem::warning(&file.batch.relative, warning).for_record(plan.id.as_str())
                    }));
                    entries.push(FileEntry {
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
                    });
                }
                Err(message) => problems.push(plan.problem(&file.batch.relative, message)),
            }
        }
        if !problems.is_empty() {
            return Outcome {
                id: plan.id,
                files,
                result: Err(problems),
                warnings,
            };
        }
        let record = build_record(&plan, entries, &facts, self.batch);
        let full = &self.archive_full;
        let result = if full.load(std::sync::atomic::Ordering::Relaxed) {
            Err(vec![plan.problem(
                &plan.source,
                "not stored: the disk holding the archive is full".to_string(),
            )])
        } else {
            self.store(&plan, &record, &facts).map_err(|error| {
                if crate::index::is_disk_full(&error) {
                    full.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                vec![plan.problem(&plan.source, format!("could not be archived: {error}"))]
            })
        };
        Outcome {
            id: plan.id,
            files,
            result,
            warnings,
        }
    }

    /// Whether this thread is the first of the run to derive images from `sha256`.
    fn first_to_derive(&self, sha256: &Sha256) -> bool {
        self.derived
            .lock()
            .map_or(true, |mut derived| derived.insert(*sha256))
    }

    fn analyse(&self, file: &PlannedFile, fact: &FileFacts) -> Result<Analysis, String> {
        let mut analysis = Analysis::default();
        match fact.format.family {
            Family::Image if photo::is_heif(fact.format) => {
                let bytes = sandbox::held::read(&file.batch.path)
                    .map_err(|e| format!("cannot read: {e}"))?;
                let (found, drawable) = photo::analyse_heif(&bytes, fact.format)?;
                drop(bytes);
                analysis = found;
                if let Some(pixels) = drawable {
                    // libheif decodes in a worker, within its budgets, like every other decoder.
                    let drawing = sandbox::Drawing::Raster { pixels };
                    match sandbox::draw(drawing, &file.batch.path, self.derive_to(fact)) {
                        Ok(_) => {}
                        Err(DeriveError::Decode(reason)) => {
                            return Err(photo::corrupt(fact.format, &reason));
                        }
                        Err(other) => analysis
                            .warnings
                            .push(photo::no_preview(fact.format, &other.to_string())),
                    }
                }
            }
            Family::Image if !derivatives::can_decode(fact.format.mime) => {
                // Preserved as it is; the site shows it once a decoder for it is added.
            }
            Family::Image => {
                self.analyse_raster(file, fact, &mut analysis)?;
                photo::set_displayed(&mut analysis.media, analysis.exif.as_ref());
            }
            Family::Vector => {
                let derive = self.derive_to(fact);
                match sandbox::draw(sandbox::Drawing::Svg, &file.batch.path, derive) {
                    Ok(_) => {}
                    Err(error) if index_disk_full(&error) => {
                        analysis.warnings.push(derivatives_left(&error));
                    }
                    Err(error) => return Err(refusal(fact, error)),
                }
            }
            Family::Document if fact.format.mime == "application/pdf" => {
                match sandbox::pdf_text(&file.batch.path) {
                    Ok(text) if text.encrypted => analysis
                        .warnings
                        .push("encrypted (password-protected): text not extracted".to_string()),
                    Ok(text) => analysis.warnings.extend(
                        text.notes
                            .into_iter()
                            .map(|note| format!("not all text extracted: {note}")),
                    ),
                    Err(DeriveError::Budget(reason)) => analysis
                        .warnings
                        .push(format!("text not extracted: {reason}")),
                    // A PDF whose text cannot be read (scanned pages, unusual encodings) is kept
                    // and adds no text, as before.
                    Err(_) => {}
                }
            }
            Family::Video | Family::Audio => {
                analysis.media = media::probe(&file.batch.path, fact.format)
                    .map_err(|error| format!("{} {error}", fact.format.name))?;
            }
            _ => {}
        }
        if self.writer.is_some() {
            match sandbox::check_location(
                self.store,
                &file.batch.path,
                &fact.sha256,
                fact.format.mime,
            ) {
                Ok(()) => {}
                // The decision lives in the index, which is disposable: with no decision kept,
                // the original is sent to nobody until one is made (at `reindex`, or when a page
                // first needs it and the disk has room), so the file is archived.
                Err(error) if crate::index::is_disk_full(&error) => analysis.warnings.push(format!(
                    "location not checked yet: {error}; the file is archived, its original is sent to no visitor until `disan reindex` checks it once the index disk has room"
                )),
                Err(error) => {
                    return Err(format!("could not check for location metadata: {error}"));
                }
            }
        }
        Ok(analysis)
    }

    /// Where this run writes the derivatives of `fact`'s content: nowhere in a dry run, when
    /// they exist, or when another thread of the run is making them.
    fn derive_to(&self, fact: &FileFacts) -> Option<sandbox::Derive<'_>> {
        (self.writer.is_some()
            && !self.store.has(&fact.sha256)
            && self.first_to_derive(&fact.sha256))
        .then_some(sandbox::Derive {
            index_root: self.index_root,
            sha256: fact.sha256,
            orientation: None,
        })
    }

    /// A photo or scan: its structure is walked in process (size, damage, motion photo,
    /// unsupported variants), then it is decoded, proving it whole, and derived in a worker.
    fn analyse_raster(
        &self,
        file: &PlannedFile,
        fact: &FileFacts,
        analysis: &mut Analysis,
    ) -> Result<(), String> {
        if fact.size > sandbox::held::HELD_BYTES {
            // Too large to hold: measured from its header, kept without a preview.
            let (width, height) = derivatives::declared_size(&file.batch.path)
                .map_err(|error| refusal(fact, error))?;
            (analysis.media.width, analysis.media.height) = (Some(width), Some(height));
            analysis.warnings.push(format!(
                "no preview: at {} MiB the file is over the {} MiB budget for checking a picture in memory; the file is kept unchecked",
                fact.size >> 20,
                sandbox::held::HELD_BYTES >> 20
            ));
            return Ok(());
        }
        let bytes =
            sandbox::held::read(&file.batch.path).map_err(|e| format!("cannot read: {e}"))?;
        let inspection = derivatives::inspect(&bytes).map_err(|error| refusal(fact, error))?;
        analysis.media.width = Some(inspection.width);
        analysis.media.height = Some(inspection.height);
        let exif::Reading { exif, warnings } = exif::read(&bytes);
        (analysis.exif, analysis.warnings) = (exif, warnings);
        drop(bytes);
        if inspection.motion_photo {
            analysis.warnings.push(format!(
                "motion photo: the {} bytes after the picture (its video) are kept with the file; only the photo is shown",
                inspection.trailing
            ));
        }
        if let Some(what) = &inspection.unsupported {
            analysis.warnings.push(format!(
                "no preview: {what} not supported; the file is kept"
            ));
            return Ok(());
        }
        if let Some(why) = &inspection.over_budget {
            analysis
                .warnings
                .push(format!("no preview: {why}; the file is kept"));
            return Ok(());
        }
        let derive = self.derive_to(fact).map(|derive| sandbox::Derive {
            orientation: analysis.exif.as_ref().and_then(|e| e.orientation),
            ..derive
        });
        let drawing = sandbox::Drawing::Raster {
            pixels: inspection.pixels(),
        };
        match sandbox::draw(drawing, &file.batch.path, derive) {
            Ok((width, height)) => {
                analysis.media.width = Some(width);
                analysis.media.height = Some(height);
                Ok(())
            }
            Err(DeriveError::Unsupported(what)) => {
                analysis.warnings.push(format!(
                    "no preview: {what} not supported; the file is kept"
                ));
                Ok(())
            }
            Err(error) if index_disk_full(&error) => {
                analysis.warnings.push(derivatives_left(&error));
                Ok(())
            }
            // Its structure was walked whole above; a decode over a worker's budget (a 16-bit
            // picture near the pixel budget) or a decoder's failure costs the preview only.
            Err(DeriveError::Budget(reason)) => {
                analysis
                    .warnings
                    .push(format!("no preview: {reason}; the file is kept"));
                Ok(())
            }
            Err(error) => Err(refusal(fact, error)),
        }
    }

    fn store(
        &self,
        plan: &Plan,
        record: &Record,
        facts: &[FileFacts],
    ) -> Result<Stored, ArchiveError> {
        let Some((archive, lock)) = self.writer else {
            return Ok(dry_run::predict_store(self.catalogue, plan, record, facts));
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
        let (files_stored, bytes_stored) = new_content(previous, facts, &commit);
        Ok(Stored {
            commit,
            files_stored,
            bytes_stored,
            file_count: plan.files.len(),
        })
    }
}

/// The files (and their bytes) a commit adds to the archive: those whose content the record's
/// previous version (`previous`) did not hold, each content once; none when nothing changed.
/// The real run and the dry run count with this one function, so their reports agree.
fn new_content(
    previous: Option<&crate::archive::Inventory>,
    facts: &[FileFacts],
    commit: &Commit,
) -> (usize, u64) {
    let mut seen = BTreeSet::new();
    let (mut files, mut bytes) = (0, 0);
    if *commit != Commit::Unchanged {
        for fact in facts {
            let known =
                previous.is_some_and(|inv| inv.manifest.contains_key(&fact.sha256.to_hex()));
            if !known && seen.insert(fact.sha256) {
                files += 1;
                bytes += fact.size;
            }
        }
    }
    (files, bytes)
}

fn build_record(plan: &Plan, entries: Vec<FileEntry>, facts: &[FileFacts], batch: &str) -> Record {
    let validated = &plan.validated;
    let mut dc = validated.dc.clone();
    if !dc.contains_key("title") {
        dc.insert(
            "title".to_string(),
            vec![LangValue {
                value: fallback_title(&plan.source),
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

/// Why a file that cannot be decoded, drawn or derived is refused: "corrupt or truncated" only
/// for damage; a budget names itself ("too large to draw: …").
fn refusal(fact: &FileFacts, error: DeriveError) -> String {
    match error {
        DeriveError::Decode(_) => format!("corrupt or truncated {}: {error}", fact.format.name),
        DeriveError::Budget(reason) => reason,
        DeriveError::Unsupported(_) => error.to_string(),
        DeriveError::Io { .. } | DeriveError::Worker(_) | DeriveError::Encode { .. } => {
            format!("could not make derivatives: {error}")
        }
    }
}

/// Whether `error` is a failure to write derivatives into a full index disk: the index is
/// disposable, so the file is archived and its derivatives left to `disan reindex` (break-site
/// finding 7), instead of the file being refused.
fn index_disk_full(error: &DeriveError) -> bool {
    matches!(error, DeriveError::Io { .. } | DeriveError::Worker(_))
        && crate::index::is_disk_full(error)
}

/// The warning of a file archived without derivatives because the index disk is full.
fn derivatives_left(error: &DeriveError) -> String {
    format!(
        "no preview yet: {error}; the file is archived, and `disan reindex` makes its previews once the index disk has room"
    )
}

/// The title of a record nothing names: its file name, without extension, spaced
/// (`objects/anh/khung-cui.jpg` → `khung cui`).
fn fallback_title(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.rsplit_once('.').map(|(stem, _)| stem))
        .unwrap_or(name);
    title_from_file_stem(stem)
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
