//! Ingest: from an archivist's batch folder to records in the archive.
//!
//! The run is a flat list of steps, each reporting into one [`Report`]:
//!
//! 1. **list** the batch ([`batch`]), NFC-normalising names, skipping hidden and system files,
//!    and refusing unsafe links and names written in two Unicode forms;
//! 2. **describe**: read `metadata.csv`, the authority files and Markdown front matter
//!    ([`metadata`], [`authority`], [`frontmatter`]), refusing text that is not UTF-8 ([`encoding`]);
//! 3. **plan** one record per row, per Markdown text and per undescribed file or group of files
//!    sharing a name, holding back every file a broken row may describe (`plan`);
//! 4. **hash** every file (SHA-256, streamed) and identify its format from its content
//!    ([`format`](mod@format));
//! 5. **check and deduplicate**: refuse empty or mismatched content, and set aside undescribed
//!    files whose bytes the archive already holds (`dedup`);
//! 6. **guard** described records against being replaced by undescribed files (`guard`);
//! 7. **analyse and store** each record: decode photos (EXIF, derivatives), probe films and audio
//!    ([`media`]), and commit an OCFL version (in a dry run, predict the commit: `dry_run`);
//!    the per-record work lives in `store`;
//! 8. **close the ledger**: every file of the batch has exactly one fate (`ledger`).
//!
//! Between 6 and 7, records the archive already holds keep their access unless the batch states
//! one (`guard::keep_access`), an undescribed file that seems to belong with a record that is
//! not public is refused rather than made a new public record (`kin`), and a visit naming a
//! record stop that neither the archive nor the batch holds is refused (`stops`).
//!
//! A problem with one file or row rejects that record only; the rest of the batch goes in.
//! Steps 4 and 7 run on every core.

pub mod authority;
pub mod batch;
pub mod cells;
pub mod communities;
mod dedup;
mod dry_run;
pub mod encoding;
pub mod exif;
pub mod format;
pub mod frontmatter;
mod guard;
mod kin;
mod ledger;
pub mod media;
pub mod metadata;
mod photo;
mod plan;
pub mod report;
mod stops;
mod store;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use self::batch::{BatchFile, Listing};
use self::format::Format;
use self::metadata::Authorities;
use self::plan::Plan;
use self::report::{Outcomes, Problem, Report};
use self::store::{Context, Outcome};
use crate::archive::{Archive, ArchiveError, Catalogue, Commit, User, VersionInfo};
use crate::index::IndexDir;
use crate::model::{Access, Message, RecordId, Sha256};

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
    /// holds (`--replace-descriptions`; see the module `guard`).
    pub replace_descriptions: bool,
    /// The communities rows may name (`community:<id>`): the groups of the accounts database
    /// ([`communities`]); a row naming another is an error and is not ingested.
    pub communities: communities::Communities,
    /// Counts the records as they are analysed and stored, for a progress bar elsewhere (the
    /// workspace's ingest page); `None` for none.
    pub counter: Option<std::sync::Arc<Counter>>,
}

/// How far a run is: records planned (`total`, set once planning is done) and records analysed
/// and stored so far (`done`). Read at any time from another thread.
#[derive(Debug, Default)]
pub struct Counter {
    /// Records planned; 0 until planning is done.
    pub total: std::sync::atomic::AtomicUsize,
    /// Records analysed and stored (or rejected) so far.
    pub done: std::sync::atomic::AtomicUsize,
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
    let info = VersionInfo::new(
        format!("Ingested from batch '{}'", listing.name),
        options.user.clone(),
    );

    let authorities = describe_authorities(&listing, &catalogue, options, &mut report);
    let mut names = crate::index::authorities::Authorities::from_maps(
        &authorities.villages,
        &authorities.crafts,
    )
    .with_people_and_products(&authorities.artisans, &authorities.products)
    .with_history(&catalogue.village_history);
    let stores = index.stores();
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
    let plans = kin::keep_kin_closed(plans, archive, &catalogue, &mut report);
    let plans = stops::keep_stops_known(plans, &catalogue, &mut report);
    let authorities = if report.refused_whole {
        // The errors say nothing in the batch was ingested: its authority files neither.
        names = crate::index::authorities::Authorities::from_maps(
            &catalogue.villages,
            &catalogue.crafts,
        )
        .with_people_and_products(&catalogue.artisans, &catalogue.products)
        .with_history(&catalogue.village_history);
        Authorities {
            villages: catalogue.villages.clone(),
            crafts: catalogue.crafts.clone(),
            artisans: catalogue.artisans.clone(),
            products: catalogue.products.clone(),
            ..Authorities::default()
        }
    } else {
        authorities
    };
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
                // Records whose files become narrower are hidden first too: their file text
                // leaves the index before the archive says so. A withdrawn record stays
                // withdrawn (`guard::keep_access`): on no surface, so hidden too.
                if ready.plan.archived_withdrawal.is_some() {
                    return true;
                }
                let validated = &ready.plan.validated;
                let public = crate::index::audience::Audience::Public;
                let access = validated.access.as_ref().unwrap_or(&Access::Public);
                !public.admits(access)
                    || validated
                        .files_access
                        .as_ref()
                        .is_some_and(|files| !public.admits(files))
            })
            .map(|ready| ready.plan.id.clone())
            .collect();
        // Announced to servers on other indexes: those hidden here whose access or files rule
        // changes. One whose rules stay as archived is shown under those rules by every index
        // already; announcing it would take its unchanged public description off such a server
        // until that server restarts (issue 13's R5).
        let announced = plans
            .iter()
            .filter(|ready| {
                let validated = &ready.plan.validated;
                ready.plan.archived_withdrawal.is_some()
                    || !ready
                        .plan
                        .archived_rules
                        .as_ref()
                        .is_some_and(|(access, files)| {
                            validated.access.as_ref() == Some(access)
                                && validated.files_access.as_ref() == files.as_ref()
                        })
            })
            .map(|ready| ready.plan.id.clone())
            .collect();
        let (mut begun, synced) =
            crate::index::sync::Updater::begin(archive, index, &catalogue, hidden, &announced)?;
        if synced.summary() != crate::index::sync::SyncReport::UP_TO_DATE
            && options.progress != Progress::Quiet
        {
            eprintln!("{}", synced.summary());
        }
        store_authorities(archive, lock, &authorities, &catalogue, &info, &mut report);
        // The class history of the villages this batch wrote, read back from their versions.
        let mut history = catalogue.village_history.clone();
        let written = authorities
            .villages
            .keys()
            .filter(|id| catalogue.villages.get(*id) != authorities.villages.get(*id));
        match archive.village_histories(written) {
            Ok(fresh) => history.extend(fresh),
            Err(error) => report.problems.push(Problem::error(
                "metadata/villages.csv",
                format!("the villages' class history could not be read back: {error}"),
            )),
        }
        names = names.with_history(&history);
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
    if let Some(counter) = &options.counter {
        counter
            .total
            .store(plans.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let dry_run_texts = crate::index::file_text::FileTexts::new();
    let context = Context {
        texts: updater
            .as_ref()
            .map_or(&dry_run_texts, |updater| updater.texts()),
        writer: writer.as_ref().map(|(archive, lock)| (*archive, lock)),
        stores: &stores,
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
            if let Some(counter) = &options.counter {
                counter
                    .done
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
    Some(read_utf8(path).map_err(|message| Problem::error(relative, message)))
}

/// The text of the file at `path`, or why it cannot be read: not UTF-8, or unreadable.
fn read_utf8(path: &Path) -> Result<String, Message> {
    let bytes =
        std::fs::read(path).map_err(|error| Message::english(format!("cannot read: {error}")))?;
    encoding::decode_utf8(&bytes)
        .map(str::to_string)
        .map_err(|error| error.message())
}

/// Reads the authority files in dependency order (crafts, villages, artisans, honours,
/// products), each checked against the archive's authorities and the batch's accepted rows.
///
/// Honours: an artisan named in `honours.csv` gets exactly the honours its rows there give, in
/// order; one not named keeps the honours the archive holds. When any honours row naming an
/// artisan is refused, that artisan keeps the archive's honours (none for a new one), so a
/// mistake never drops an award already archived.
fn describe_authorities(
    listing: &Listing,
    catalogue: &Catalogue,
    options: &Options,
    report: &mut Report,
) -> Authorities {
    let mut authorities = Authorities {
        villages: catalogue.villages.clone(),
        crafts: catalogue.crafts.clone(),
        artisans: catalogue.artisans.clone(),
        products: catalogue.products.clone(),
        communities: options.communities.clone(),
        ..Authorities::default()
    };
    let read = |file: &str, report: &mut Report| match read_text(listing, file) {
        Some(Ok(text)) => Some(text),
        Some(Err(problem)) => {
            report.problems.push(problem);
            None
        }
        None => None,
    };
    let crafts_file = "metadata/crafts.csv";
    if let Some(text) = read(crafts_file, report) {
        let parsed = authority::parse_crafts(crafts_file, &text);
        report.problems.extend(parsed.problems);
        for craft in parsed.items {
            authorities.described.crafts.insert(craft.id.clone());
            authorities.crafts.insert(craft.id.clone(), craft);
        }
        authorities.refused_crafts = parsed
            .refused
            .into_iter()
            .filter(|(id, _)| !catalogue.crafts.contains_key(id))
            .collect();
    }
    let villages_file = "metadata/villages.csv";
    if let Some(text) = read(villages_file, report) {
        let parsed = authority::parse_villages(villages_file, &text, &authorities);
        report.problems.extend(parsed.problems);
        for village in parsed.items {
            authorities.described.villages.insert(village.id.clone());
            authorities.villages.insert(village.id.clone(), village);
        }
        authorities.refused_villages = parsed
            .refused
            .into_iter()
            .filter(|(id, _)| !catalogue.villages.contains_key(id))
            .collect();
    }
    let artisans_file = "metadata/artisans.csv";
    if let Some(text) = read(artisans_file, report) {
        let parsed = authority::parse_artisans(artisans_file, &text, &authorities);
        report.problems.extend(parsed.problems);
        for mut artisan in parsed.items {
            if let Some(archived) = catalogue.artisans.get(&artisan.id) {
                artisan.honours = archived.honours.clone();
            }
            authorities.described.artisans.insert(artisan.id.clone());
            authorities.artisans.insert(artisan.id.clone(), artisan);
        }
        authorities.refused_artisans = parsed
            .refused
            .into_iter()
            .filter(|(id, _)| !catalogue.artisans.contains_key(id))
            .collect();
    }
    let honours_file = "metadata/honours.csv";
    if let Some(text) = read(honours_file, report) {
        let parsed = authority::parse_honours(honours_file, &text, &authorities);
        report.problems.extend(parsed.problems);
        // Each artisan's honours, with the first row naming it.
        let mut honours: BTreeMap<crate::model::ArtisanId, (Option<usize>, Vec<_>)> =
            BTreeMap::new();
        for row in parsed.items {
            let entry = honours.entry(row.artisan).or_insert((row.row, Vec::new()));
            entry.1.push(row.honour);
        }
        for (id, (first, list)) in honours {
            if parsed.refused.contains_key(&id) {
                continue;
            }
            if let Some(artisan) = authorities.artisans.get_mut(&id) {
                report.problems.extend(authority::dropped_honours(
                    honours_file,
                    first,
                    artisan,
                    &list,
                ));
                artisan.honours = list;
                authorities.described.artisans.insert(id);
            }
        }
    }
    let products_file = "metadata/products.csv";
    if let Some(text) = read(products_file, report) {
        let parsed = authority::parse_products(products_file, &text, &authorities);
        report.problems.extend(parsed.problems);
        for product in parsed.items {
            authorities.described.products.insert(product.id.clone());
            authorities.products.insert(product.id.clone(), product);
        }
        authorities.refused_products = parsed
            .refused
            .into_iter()
            .filter(|(id, _)| !catalogue.products.contains_key(id))
            .collect();
    }
    // Once every product is known: villages.csv's free-text lists naming one (break14b F3).
    if let Some(Ok(text)) = read_text(listing, villages_file) {
        report
            .problems
            .extend(authority::products_named_in_free_text(
                villages_file,
                &text,
                &authorities.products,
            ));
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
    // (they name it by id either way). One unchanged is not written again (no new version), and
    // listed as unchanged only when the batch's files describe it.
    fn store<Id: Ord + std::fmt::Display, T: PartialEq>(
        report: &mut Report,
        file: &str,
        urn: &str,
        (items, described): (&BTreeMap<Id, T>, &std::collections::BTreeSet<Id>),
        archived: &BTreeMap<Id, T>,
        (info, batch): (&VersionInfo, &str),
        write: impl Fn(&T, &VersionInfo) -> Result<Commit, ArchiveError>,
    ) {
        for (id, item) in touched(items, described, archived) {
            let urn = format!("{urn}{id}");
            if archived.get(id) == Some(item) {
                report.authorities.unchanged.push(urn);
                continue;
            }
            let info = info.with_events(authority_events(
                &info.user.name,
                file,
                batch,
                archived.contains_key(id),
            ));
            match write(item, &info) {
                Ok(commit) => note(&mut report.authorities, urn, &commit),
                Err(error) => report.problems.push(Problem::error(
                    file,
                    format!("{urn} could not be archived: {error}"),
                )),
            }
        }
    }
    use crate::archive::{ARTISAN_URN, CRAFT_URN, PRODUCT_URN, VILLAGE_URN};
    let batch = report.batch.clone();
    let batch = batch.as_str();
    store(
        report,
        "metadata/crafts.csv",
        CRAFT_URN,
        (&authorities.crafts, &authorities.described.crafts),
        &catalogue.crafts,
        (info, batch),
        |craft, info| archive.store_craft(lock, craft, info),
    );
    store(
        report,
        "metadata/villages.csv",
        VILLAGE_URN,
        (&authorities.villages, &authorities.described.villages),
        &catalogue.villages,
        (info, batch),
        |village, info| archive.store_village(lock, village, info),
    );
    store(
        report,
        "metadata/artisans.csv",
        ARTISAN_URN,
        (&authorities.artisans, &authorities.described.artisans),
        &catalogue.artisans,
        (info, batch),
        |artisan, info| archive.store_artisan(lock, artisan, info),
    );
    store(
        report,
        "metadata/products.csv",
        PRODUCT_URN,
        (&authorities.products, &authorities.described.products),
        &catalogue.products,
        (info, batch),
        |product, info| archive.store_product(lock, product, info),
    );
}

/// The PREMIS events of an authority's new version, read from `file` of `batch` by `login`:
/// its ingestion, and a metadata modification when the archive held an earlier description.
fn authority_events(
    login: &str,
    file: &str,
    batch: &str,
    existed: bool,
) -> Vec<crate::archive::premis::Event> {
    use crate::archive::premis::Event;
    let mut events = vec![Event::ingestion(
        login,
        format!("from {file} of batch '{batch}'"),
    )];
    if existed {
        events.push(Event::metadata_modification(
            login,
            format!("description replaced by {file} of batch '{batch}'"),
        ));
    }
    events
}

/// The authorities of `items` a run reports: those the batch's files describe, and any other
/// that differs from the archive's (none does: the others are the archive's own).
fn touched<'a, Id: Ord, T: PartialEq>(
    items: &'a BTreeMap<Id, T>,
    described: &'a std::collections::BTreeSet<Id>,
    archived: &'a BTreeMap<Id, T>,
) -> impl Iterator<Item = (&'a Id, &'a T)> {
    items
        .iter()
        .filter(move |(id, item)| described.contains(*id) || archived.get(*id) != Some(*item))
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
