//! Step 7, analyse and store: each record ready to go in is analysed file by file
//! (`analyse`), built from its plan and those facts, and committed as one OCFL version (in a
//! dry run, predicted: [`super::dry_run`]).
//!
//! It exists to keep the per-record work, which runs on every core, apart from the run's
//! sequence in [`super::ingest`]. It owns [`Context`] (what the threads share), the
//! [`Outcome`] of each record and how it enters the [`Report`], and the rules that make a
//! [`Record`] of a plan: the fallback title of an undescribed file and the kind inferred from
//! its files.

mod analyse;

use std::collections::{BTreeMap, BTreeSet};

pub(super) use self::analyse::Analysis;
use super::format::Family;
use super::plan::Plan;
use super::report::{FileFate, Problem, Report};
use super::{FileFacts, IngestError, dry_run, note};
use crate::archive::premis::Event;
use crate::archive::{Archive, ArchiveError, Catalogue, Commit, NewContent, VersionInfo};
use crate::index::derivatives::Stores;
use crate::model::text::title_from_file_stem;
use crate::model::{
    Access, Edtf, FileEntry, FileFormat, Kind, Lang, LangValue, Provenance, Record, RecordId,
    SCHEMA_VERSION, Sha256,
};

/// A plan whose files are hashed, ready to analyse and store.
pub(super) struct Ready {
    pub(super) plan: Plan,
    pub(super) facts: Vec<FileFacts>,
}

/// Everything the analyse-and-store step shares across threads.
pub(super) struct Context<'a> {
    /// The archive and its lock; `None` in a dry run.
    pub(super) writer: Option<(&'a Archive, &'a crate::archive::WriteLock)>,
    /// Both derivative stores: each record's previews and location decisions are made in the
    /// one its files belong in (the private store when the public may not see them).
    pub(super) stores: &'a Stores,
    /// The search index's side of the run; `None` in a dry run.
    pub(super) indexer: Option<&'a crate::index::sync::Updater>,
    /// Village and craft names, indexed with the records that cite them.
    pub(super) names: &'a crate::index::authorities::Authorities,
    pub(super) info: &'a VersionInfo,
    pub(super) catalogue: &'a Catalogue,
    pub(super) batch: &'a str,
    /// Digests whose derivatives a thread of this run is making or has made: two records
    /// sharing the same bytes must not write the same derivative files at once.
    pub(super) derived: std::sync::Mutex<BTreeSet<Sha256>>,
    /// Set once a write found the archive's disk full: the records after it are not tried.
    pub(super) archive_full: std::sync::atomic::AtomicBool,
    /// Files' text read in this run (the updater's, or the dry run's own), each file's once.
    pub(super) texts: &'a crate::index::file_text::FileTexts,
}

/// What happened to one planned record.
pub(super) struct Outcome {
    pub(super) id: RecordId,
    /// Batch-relative paths of its files.
    pub(super) files: Vec<String>,
    pub(super) result: Result<Stored, Vec<Problem>>,
    pub(super) warnings: Vec<Problem>,
}

pub(super) struct Stored {
    pub(super) commit: Commit,
    pub(super) files_stored: usize,
    pub(super) bytes_stored: u64,
    pub(super) file_count: usize,
}

impl Outcome {
    pub(super) fn log_line(&self) -> String {
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

    pub(super) fn merge_into(self, report: &mut Report) -> Result<(), IngestError> {
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

impl Context<'_> {
    pub(super) fn analyse_and_store(&self, ready: Ready) -> Outcome {
        let Ready { plan, facts } = ready;
        let files: Vec<String> = plan
            .files
            .iter()
            .map(|f| f.batch.relative.clone())
            .collect();
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut entries = Vec::new();
        // Whether the public may see this record's files, as stored (its access is final here):
        // their derivatives go in the public store, else in the private one.
        let files_public = {
            let public = crate::index::audience::Audience::Public;
            let validated = &plan.validated;
            public.admits(validated.access.as_ref().unwrap_or(&Access::Public))
                && validated
                    .files_access
                    .as_ref()
                    .is_none_or(|files| public.admits(files))
        };
        let mut texts = Vec::new();
        for (file, fact) in plan.files.iter().zip(&facts) {
            let extension = file.batch.relative.rsplit_once('.').map_or("", |(_, e)| e);
            if !extension.is_empty()
                && fact.format.family != Family::Other
                && !fact.format.matches_extension(extension)
            {
                warnings.push(
                    Problem::warning(
                        &file.batch.relative,
                        crate::msg!(
                            "ingest-content-not-extension",
                            "the content is {format} ({mime}) but the name ends in .{extension}",
                            format = fact.format.name,
                            mime = fact.format.mime,
                            extension = extension
                        ),
                    )
                    .for_record(plan.id.as_str()),
                );
            }
            match self.analyse(file, fact, files_public) {
                Ok(mut analysis) => {
                    texts.append(&mut analysis.texts);
                    warnings.extend(analysis.warnings.iter().map(|warning| {
                        Problem::warning(&file.batch.relative, warning.clone())
                            .for_record(plan.id.as_str())
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
            self.store(&plan, &record, &facts, &texts, &warnings)
                .map_err(|error| {
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

    fn store(
        &self,
        plan: &Plan,
        record: &Record,
        facts: &[FileFacts],
        texts: &[(Sha256, std::sync::Arc<crate::index::file_text::PdfReading>)],
        warnings: &[Problem],
    ) -> Result<Stored, ArchiveError> {
        let Some((archive, lock)) = self.writer else {
            return Ok(dry_run::predict_store(self.catalogue, plan, record, facts));
        };
        let previous = self.catalogue.records.get(&plan.id);
        let events = self.events(archive, previous, plan, record, facts, warnings);
        let info = self.info.with_events(events);
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
        let commit = archive.store_record(lock, record, files, &info)?;
        crate::index::faults::point("after-archive-commit");
        if let Some(indexer) = self.indexer {
            // The record is in the archive; a document that cannot be made now is made again at
            // the end of the run (and until then the index lags on the safe side).
            let _ = indexer.stored(archive, record, &commit, self.names, texts);
        }
        let (files_stored, bytes_stored) = new_content(previous, facts, &commit);
        Ok(Stored {
            commit,
            files_stored,
            bytes_stored,
            file_count: plan.files.len(),
        })
    }
}

impl Context<'_> {
    /// The PREMIS events of the version `record` would make (none are written when nothing
    /// changed): its ingestion; a metadata modification when the archive held another
    /// description (and a policy assignment when its access or files' access changed); for each
    /// file whose content is new to the record, its message digest calculation and format
    /// identification; the validation of its row and files, with its warnings.
    fn events(
        &self,
        archive: &Archive,
        previous: Option<&crate::archive::Inventory>,
        plan: &Plan,
        record: &Record,
        facts: &[FileFacts],
        warnings: &[Problem],
    ) -> Vec<Event> {
        let login = &self.info.user.name;
        let source = &plan.source;
        let batch = self.batch;
        let mut events = vec![Event::ingestion(
            login,
            format!("from {source} of batch '{batch}'"),
        )];
        let changed = previous.is_some_and(|inventory| {
            inventory.head_state().get(crate::archive::RECORD_JSON)
                != Some(&crate::archive::record_json_digest(record).to_hex())
        });
        if changed {
            events.push(Event::metadata_modification(
                login,
                format!("description replaced from {source} of batch '{batch}'"),
            ));
            let before = previous.and_then(|inventory| archive.record_from(inventory).ok());
            if let Some(before) = before {
                let rule = |access: &Access, files: &Option<Access>| match files {
                    Some(files) => format!("{access} (files: {files})"),
                    None => access.to_string(),
                };
                let (old, new) = (
                    rule(&before.access, &before.files_access),
                    rule(&record.access, &record.files_access),
                );
                if old != new {
                    events.push(Event::access_change(login, format!("{old} → {new}")));
                }
            }
        }
        for (file, fact) in plan.files.iter().zip(facts) {
            let known = previous
                .is_some_and(|inventory| inventory.manifest.contains_key(&fact.sha256.to_hex()));
            if !known {
                events.push(Event::message_digest(&file.logical, &fact.sha256));
                events.push(Event::format_identification(
                    &file.logical,
                    fact.format.name,
                    fact.format.mime,
                ));
            }
        }
        events.push(Event::validation(
            format!("row and files of {source} checked as ingest checks them"),
            warnings.iter().map(|w| w.to_string()).collect(),
        ));
        events
    }
}

/// The files (and their bytes) a commit adds to the archive: those whose content the record's
/// previous version (`previous`) did not hold, each content once; none when nothing changed.
/// The real run and the dry run count with this one function, so their reports agree.
pub(super) fn new_content(
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
    let access = validated.access.clone().unwrap_or(Access::Public);
    // A files rule no narrower than the record's is the record's (a wider one is pointless and
    // was warned about in validation): only a narrower one is kept.
    let files_access = validated
        .files_access
        .clone()
        .filter(|files| !files.admits_all_of(&access));
    // A date read from the files' EXIF describes the files: not when they are withheld from
    // those who see the description.
    let date = validated.date.clone().or_else(|| {
        if files_access.is_some() {
            return None;
        }
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
        access,
        files_access,
        village: validated.village.clone(),
        craft: validated.craft.clone(),
        artisans: validated.artisans.clone(),
        products: validated.products.clone(),
        date,
        dc,
        body: plan.body.clone(),
        extra: validated.extra.clone(),
        stops: validated.stops.clone(),
        files: entries,
        provenance: Provenance {
            batch: batch.to_string(),
            path: plan.source.clone(),
        },
        // Withdrawn and reinstated only in the archivists' workspace (`crate::workspace`), never
        // by a batch: a withdrawn record stays withdrawn (`guard::keep_access`).
        withdrawal: plan.archived_withdrawal.clone(),
        // Likewise the versions withheld from the public: a batch never republishes one.
        withheld_versions: plan.archived_withheld.clone(),
    }
}

/// The title of a record nothing names: its file name, without extension, spaced
/// (`objects/anh/khung-cui.jpg` → `khung cui`).
pub(super) fn fallback_title(source: &str) -> String {
    let name = source.rsplit('/').next().unwrap_or(source);
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.rsplit_once('.').map(|(stem, _)| stem))
        .unwrap_or(name);
    title_from_file_stem(stem)
}

/// The kind of an undescribed record, from the commonest family among its files.
pub(super) fn infer_kind(facts: &[FileFacts], has_text: bool) -> Kind {
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
