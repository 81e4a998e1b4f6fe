//! Keeping the search index in step with the archive, at every moment and after any crash.
//!
//! The archive is the truth; the index is a copy that may lag, but only on the safe side. Three
//! rules make that hold:
//!
//! 1. **Hide first.** An ingest deletes from the index (and commits) every record of its batch
//!    whose new description the audience may not see, *before* its first archive write
//!    ([`Updater::begin`]). Killed at any later point, the index holds nothing the archive hides.
//! 2. **Say what the index reflects.** Every document carries the archive versions it was made
//!    from (its *stamp*: the record's OCFL head and those of its village and craft), and every
//!    commit carries a payload: either the fingerprint of the archive state the index reflects
//!    (SHA-256 over every object id and head version), or "ingest in progress".
//! 3. **Check on start.** `ingest`, `serve` and `verify` compare the payload with the archive's
//!    fingerprint ([`check`]); when they differ, [`reconcile`] re-indexes exactly the records
//!    whose stamps are stale, removes documents of records gone or hidden, and commits the
//!    right fingerprint.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use super::authorities::Authorities;
use super::file_text::{FileTexts, PdfReading};
use super::search::{Indexer, SearchIndex};
use super::{Holders, IndexDir, IndexError, faults};
use crate::archive::{Archive, Catalogue, Commit};
use crate::model::{Record, RecordId, Sha256};

/// Starts every payload this version of Disan writes; anything else is an unknown state.
const PAYLOAD_PREFIX: &str = "disan-index/2 ";
/// The payload of an ingest that has begun and not finished.
const IN_PROGRESS: &str = "ingest-in-progress";
/// The payload of an index from which a server removed records an ingest through another index
/// hid (see [`super::hiding`]).
const WITHDRAWN: &str = "withdrawn-for-another-index";

/// What the index says it reflects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// The archive state with this fingerprint.
    Reflects(String),
    /// An ingest began and did not finish (it was killed, or is running now).
    InProgress,
    /// A server removed from it records that an ingest through another index over the same
    /// archive hid ([`super::hiding`]); records that ingest added or changed are missing.
    Withdrawn,
    /// No payload this version wrote (a new index, or one from before payloads).
    Unknown,
}

impl IndexState {
    /// Reads a commit payload.
    pub fn from_payload(payload: Option<&str>) -> Self {
        match payload.and_then(|p| p.strip_prefix(PAYLOAD_PREFIX)) {
            Some(IN_PROGRESS) => IndexState::InProgress,
            Some(WITHDRAWN) => IndexState::Withdrawn,
            Some(state) => match state.strip_prefix("archive sha256:") {
                Some(fingerprint) => IndexState::Reflects(fingerprint.to_string()),
                None => IndexState::Unknown,
            },
            None => IndexState::Unknown,
        }
    }

    /// The payload that says it.
    pub fn payload(&self) -> String {
        match self {
            IndexState::Reflects(fingerprint) => {
                format!("{PAYLOAD_PREFIX}archive sha256:{fingerprint}")
            }
            IndexState::InProgress => format!("{PAYLOAD_PREFIX}{IN_PROGRESS}"),
            IndexState::Withdrawn => format!("{PAYLOAD_PREFIX}{WITHDRAWN}"),
            IndexState::Unknown => String::new(),
        }
    }
}

/// The head version of every object in the archive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveState {
    /// Record id → head version (`v3`).
    records: BTreeMap<String, String>,
    /// Authority object id (`urn:disan:village:nha-xa`) → head version.
    authorities: BTreeMap<String, String>,
}

fn village_object(id: &str) -> String {
    format!("urn:disan:village:{id}")
}

fn craft_object(id: &str) -> String {
    format!("urn:disan:craft:{id}")
}

impl ArchiveState {
    /// The state of `archive`, whose records `catalogue` lists (read once by the caller); the
    /// heads of villages, crafts, artisans and products are read from their inventories.
    pub fn of(archive: &Archive, catalogue: &Catalogue) -> Result<Self, IndexError> {
        let mut state = ArchiveState {
            records: catalogue
                .records
                .iter()
                .map(|(id, inventory)| (id.to_string(), inventory.head.clone()))
                .collect(),
            authorities: BTreeMap::new(),
        };
        let objects = catalogue
            .villages
            .keys()
            .map(|id| village_object(id.as_str()))
            .chain(catalogue.crafts.keys().map(|id| craft_object(id.as_str())))
            .chain(
                catalogue
                    .artisans
                    .keys()
                    .map(|id| format!("{}{id}", crate::archive::ARTISAN_URN)),
            )
            .chain(
                catalogue
                    .products
                    .keys()
                    .map(|id| format!("{}{id}", crate::archive::PRODUCT_URN)),
            );
        for object in objects {
            state.refresh_authority(archive, &object)?;
        }
        Ok(state)
    }

    /// Reads the archive's catalogue and state.
    pub fn read(archive: &Archive) -> Result<(Self, Catalogue), IndexError> {
        let catalogue = archive.catalogue()?;
        Ok((Self::of(archive, &catalogue)?, catalogue))
    }

    /// Re-reads one authority object's head.
    fn refresh_authority(&mut self, archive: &Archive, object: &str) -> Result<(), IndexError> {
        match archive
            .storage()
            .inventory(object)
            .map_err(|e| IndexError::Archive(crate::archive::ArchiveError::Ocfl(e)))?
        {
            Some(inventory) => self.authorities.insert(object.to_string(), inventory.head),
            None => self.authorities.remove(object),
        };
        Ok(())
    }

    /// Re-reads one record's head.
    fn refresh_record(&mut self, archive: &Archive, id: &RecordId) -> Result<(), IndexError> {
        match archive.record_inventory(id)? {
            Some(inventory) => self.records.insert(id.to_string(), inventory.head),
            None => self.records.remove(id.as_str()),
        };
        Ok(())
    }

    /// The head version (`v3`) of record `id`; `None` when the archive has no such record.
    pub fn head(&self, id: &str) -> Option<String> {
        self.records.get(id).cloned()
    }

    /// SHA-256 (hex) over every object id and head version, in order.
    pub fn fingerprint(&self) -> String {
        let mut text = String::new();
        for (id, head) in &self.records {
            text.push_str(&format!("urn:disan:record:{id} {head}\n"));
        }
        for (object, head) in &self.authorities {
            text.push_str(&format!("{object} {head}\n"));
        }
        Sha256::of(text.as_bytes()).to_hex()
    }

    /// The stamp a document of record `id` made now carries: its head and those of the
    /// authorities it cites (see [`ArchiveState::stamp_at`]); `None` when the archive has no
    /// such record.
    pub fn stamp(&self, id: &str, cited: &Cited<'_>) -> Option<String> {
        let head = self.records.get(id)?;
        Some(self.stamp_at(head, cited))
    }

    /// The stamp of a document made from version `head` of a record citing `cited`: the heads
    /// of the record, its village and its craft (`v3|v1|-`), then, when it names artisans or
    /// products (issue 14), theirs in the order named (`v3|v1|-|a:v2,v1|p:v4`). A document
    /// made before an artisan's honours or a product's stars or access changed so has a stale
    /// stamp, and [`reconcile`] makes it again.
    pub fn stamp_at(&self, head: &str, cited: &Cited<'_>) -> String {
        let of = |object: Option<String>| {
            object
                .and_then(|o| self.authorities.get(&o).cloned())
                .unwrap_or_else(|| "-".to_string())
        };
        let mut stamp = format!(
            "{head}|{}|{}",
            of(cited.village.map(village_object)),
            of(cited.craft.map(craft_object))
        );
        if !cited.artisans.is_empty() || !cited.products.is_empty() {
            let heads = |prefix: &str, ids: &[&str]| {
                ids.iter()
                    .map(|id| of(Some(format!("{prefix}{id}"))))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            stamp.push_str(&format!(
                "|a:{}|p:{}",
                heads(ARTISAN_OBJECT, &cited.artisans),
                heads(PRODUCT_OBJECT, &cited.products)
            ));
        }
        stamp
    }

    /// The stamp of `record` in this state.
    pub fn stamp_of(&self, record: &Record) -> Option<String> {
        self.stamp(record.id.as_str(), &Cited::of(record))
    }
}

/// Prefix of an artisan's object id (`crate::archive` names its objects so).
const ARTISAN_OBJECT: &str = "urn:disan:artisan:";
/// Prefix of a product's object id.
const PRODUCT_OBJECT: &str = "urn:disan:product:";

/// The authority objects a record cites, whose heads its document's stamp carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited<'a> {
    /// Its village's id.
    pub village: Option<&'a str>,
    /// Its craft's id.
    pub craft: Option<&'a str>,
    /// The artisans it names, in order.
    pub artisans: Vec<&'a str>,
    /// Every product it names (shown or not), in order.
    pub products: Vec<&'a str>,
}

impl<'a> Cited<'a> {
    /// What `record` cites.
    pub fn of(record: &'a Record) -> Self {
        Cited {
            village: record.village.as_ref().map(|v| v.as_str()),
            craft: record.craft.as_ref().map(|c| c.as_str()),
            artisans: record.artisans.iter().map(|a| a.as_str()).collect(),
            products: record.products.iter().map(|p| p.as_str()).collect(),
        }
    }

    /// What the record a live document was made from cited.
    pub fn of_document(doc: &'a super::search::IndexedDoc) -> Self {
        Cited {
            village: doc.village.as_deref(),
            craft: doc.craft.as_deref(),
            artisans: doc.artisans.iter().map(String::as_str).collect(),
            products: doc.products.iter().map(String::as_str).collect(),
        }
    }
}

/// How the index stood against the archive.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SyncReport {
    /// Whether the index already reflected the archive.
    pub up_to_date: bool,
    /// Why it did not: `an ingest was interrupted`, `the index records no archive state`,
    /// `the archive changed since the index was written`, `records an ingest through another
    /// index hid were removed from it`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Public records added to the index.
    pub added: Vec<String>,
    /// Records whose documents were made again from a newer version.
    pub updated: Vec<String>,
    /// Documents removed: records gone from the archive or no longer public.
    pub removed: Vec<String>,
    /// Records that could not be read (left out of the index).
    pub problems: Vec<String>,
}

impl SyncReport {
    /// What [`SyncReport::summary`] says when nothing had to change.
    pub const UP_TO_DATE: &str = "search index: up to date with the archive";

    /// One line for people.
    pub fn summary(&self) -> String {
        let changed = !(self.added.is_empty()
            && self.updated.is_empty()
            && self.removed.is_empty()
            && self.problems.is_empty());
        if self.up_to_date || !changed {
            return Self::UP_TO_DATE.to_string();
        }
        format!(
            "search index: was behind the archive ({}); brought up to date: {} added, {} updated, {} removed{}",
            self.reason.as_deref().unwrap_or("unknown state"),
            self.added.len(),
            self.updated.len(),
            self.removed.len(),
            if self.problems.is_empty() {
                String::new()
            } else {
                format!(", {} records unreadable", self.problems.len())
            }
        )
    }
}

/// Whether the index reflects the archive (`Ok(None)`), or why not.
pub fn check(search: &SearchIndex, state: &ArchiveState) -> Result<Option<String>, IndexError> {
    Ok(match search.state()? {
        IndexState::Reflects(fingerprint) if fingerprint == state.fingerprint() => None,
        IndexState::Reflects(_) => Some("the archive changed since the index was written".into()),
        IndexState::InProgress => Some("an ingest was interrupted".into()),
        IndexState::Withdrawn => {
            Some("records an ingest through another index hid were removed from it".into())
        }
        IndexState::Unknown => Some("the index records no archive state".into()),
    })
}

/// Brings the index in step with the archive when [`check`] says it is not: documents whose
/// stamps are stale are made again, documents of records gone or hidden are removed, missing
/// public records are added; then commits the archive's fingerprint. The caller holds the
/// archive's write lock (nothing may change the archive meanwhile) and no index writer.
pub fn reconcile(
    archive: &Archive,
    dir: &IndexDir,
    search: &SearchIndex,
    catalogue: &Catalogue,
    state: &ArchiveState,
) -> Result<SyncReport, IndexError> {
    reconcile_reading(archive, dir, search, catalogue, state, &FileTexts::new())
}

/// [`reconcile`], reading files' text through `texts` (the run's readings, see
/// [`FileTexts`]).
fn reconcile_reading(
    archive: &Archive,
    dir: &IndexDir,
    search: &SearchIndex,
    catalogue: &Catalogue,
    state: &ArchiveState,
    texts: &FileTexts,
) -> Result<SyncReport, IndexError> {
    let Some(reason) = check(search, state)? else {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    };
    let holders = Holders::of(catalogue);
    let mut report = SyncReport {
        reason: Some(reason),
        ..SyncReport::default()
    };
    let names = Authorities::from_catalogue(catalogue);
    names.save(&dir.authorities_path())?;
    let documents = search.documents()?;
    let indexer = search.indexer()?;
    // First what changes, then the writes: a story's captions depend on whether the records it
    // embeds are public after this, not before.
    let mut to_put: Vec<Record> = Vec::new();
    let mut to_remove: BTreeSet<String> = BTreeSet::new();
    // Records the audience may not see, for the everyone index kept in step beside it (they
    // have no document here, so each reconcile indexes them again there).
    let mut to_put_elsewhere: Vec<Record> = Vec::new();
    for (id, inventory) in &catalogue.records {
        let document = documents.get(id.as_str());
        if let Some(doc) = document
            && Some(&doc.stamp) == state.stamp(id.as_str(), &Cited::of_document(doc)).as_ref()
        {
            continue;
        }
        match archive.record_from(inventory) {
            Ok(record) if search.audience().admits_record(&record) => {
                let list = if document.is_some() {
                    &mut report.updated
                } else {
                    &mut report.added
                };
                list.push(id.to_string());
                to_put.push(record);
            }
            Ok(record) => {
                if document.is_some() {
                    report.removed.push(id.to_string());
                }
                to_remove.insert(id.to_string());
                // Its previews move to (or are made in) the private store.
                let stores = dir.stores();
                if let Err(error) = super::settle_derivatives(archive, &stores, &record, &holders) {
                    report.problems.push(format!("{id}: {error}"));
                } else if let Err(error) =
                    super::ensure_derivatives(archive, &stores, inventory, &record)
                {
                    report.problems.push(format!("{id}: {error}"));
                }
                to_put_elsewhere.push(record);
            }
            Err(error) => {
                report.problems.push(format!("{id}: {error}"));
                to_remove.insert(id.to_string());
            }
        }
    }
    for id in documents.keys() {
        if !state.records.contains_key(id) {
            report.removed.push(id.clone());
            to_remove.insert(id.clone());
        }
    }
    let added: BTreeSet<String> = to_put.iter().map(|r| r.id.to_string()).collect();
    let shown = |id: &str| added.contains(id) || (!to_remove.contains(id) && search.is_visible(id));
    // Stories embedding a record shown or hidden now are indexed again with its caption or
    // without it.
    let mut stories: BTreeSet<String> = BTreeSet::new();
    for id in added.iter().chain(&to_remove) {
        stories.extend(search.embedding(id)?);
    }
    for id in &to_remove {
        indexer.delete(id);
    }
    // Indexed where their audience admits them (the everyone index), nothing here; no
    // derivative is made for them on the public path.
    for record in &to_put_elsewhere {
        let id = &record.id;
        let indexed = state
            .stamp_of(record)
            .ok_or_else(|| "not in the archive".to_string())
            .and_then(|stamp| {
                indexer
                    .put_with_embeds(
                        record,
                        &stamp,
                        &names,
                        &texts.of_record(archive, record, &[]).0,
                        &shown,
                    )
                    .map_err(|e| e.to_string())
            });
        if let Err(problem) = indexed {
            report.problems.push(format!("{id}: {problem}"));
            indexer.delete(id.as_str());
        }
    }
    for record in &to_put {
        if let Err(problem) = put(
            archive, dir, &indexer, &names, state, record, &shown, texts, &holders,
        ) {
            report.problems.push(problem);
            indexer.delete(record.id.as_str());
        }
    }
    for story in stories.difference(&added) {
        if to_remove.contains(story) {
            continue;
        }
        reput(
            archive,
            dir,
            &indexer,
            &names,
            state,
            story,
            &shown,
            &mut report.problems,
            texts,
            &holders,
        );
    }
    indexer.finish(&IndexState::Reflects(state.fingerprint()).payload())?;
    search.reload()?;
    Ok(report)
}

/// Indexes record `id` again as the archive holds it (a story whose embeds changed), or
/// removes it when it cannot be read.
#[allow(clippy::too_many_arguments)]
fn reput(
    archive: &Archive,
    dir: &IndexDir,
    indexer: &Indexer,
    names: &Authorities,
    state: &ArchiveState,
    id: &str,
    shown: &dyn Fn(&str) -> bool,
    problems: &mut Vec<String>,
    texts: &FileTexts,
    holders: &Holders,
) {
    let Ok(parsed) = RecordId::parse(id) else {
        return;
    };
    match archive.record(&parsed) {
        Ok(Some(record)) => {
            if let Err(problem) = put(
                archive, dir, indexer, names, state, &record, shown, texts, holders,
            ) {
                problems.push(problem);
                indexer.delete(id);
            }
        }
        Ok(None) => indexer.delete(id),
        Err(error) => {
            problems.push(format!("{id}: {error}"));
            indexer.delete(id);
        }
    }
}

/// Indexes one record as the archive holds it now (derivatives made when missing), its files'
/// text read through `texts`.
#[allow(clippy::too_many_arguments)]
fn put(
    archive: &Archive,
    dir: &IndexDir,
    indexer: &Indexer,
    names: &Authorities,
    state: &ArchiveState,
    record: &Record,
    shown: &dyn Fn(&str) -> bool,
    texts: &FileTexts,
    holders: &Holders,
) -> Result<(), String> {
    let id = &record.id;
    let stamp = state
        .stamp_of(record)
        .ok_or_else(|| format!("{id}: not in the archive"))?;
    // Moved first (a record whose access changed keeps its previews), then what is missing
    // is made, each in the store it belongs in.
    let stores = dir.stores();
    super::settle_derivatives(archive, &stores, record, holders)
        .map_err(|e| format!("{id}: {e}"))?;
    if let Ok(Some(inventory)) = archive.record_inventory(id) {
        super::ensure_derivatives(archive, &stores, &inventory, record)
            .map_err(|e| format!("{id}: {e}"))?;
    }
    indexer
        .put_with_embeds(
            record,
            &stamp,
            names,
            &texts.of_record(archive, record, &[]).0,
            shown,
        )
        .map_err(|e| format!("{id}: {e}"))
}

/// The index side of one ingest: begun before the archive is written, told of every record
/// stored, finished with the fingerprint of the archive it leaves.
pub struct Updater {
    indexer: Indexer,
    search: SearchIndex,
    state: ArchiveState,
    /// Records of the batch the audience may not see in their new description: hidden first.
    hidden: BTreeSet<RecordId>,
    /// Records whose document could not be made, and stories stored (whose embeds may be
    /// records of this batch): indexed again at the end.
    failed: Mutex<BTreeSet<RecordId>>,
    /// Villages and crafts written by this ingest.
    authorities_changed: BTreeSet<String>,
    /// Files' text read in this run, each file's once (see [`FileTexts`]).
    texts: FileTexts,
    /// Which records hold which bytes (those of the archive when it began, and those stored
    /// since), so previews shared with a record whose files are public are kept.
    holders: Holders,
}

impl Updater {
    /// Reconciles the index with the archive, then hides every record in `hidden` (records of
    /// the batch whose new description or files are not public) and commits, then announces to
    /// servers on other indexes those of them also in `announced` (the ones whose access or
    /// files rule changes; see [`super::hiding`]), all before the caller's first archive write.
    /// The caller holds the archive's write lock; `catalogue` is what it read under it. Returns
    /// the updater and what reconciling did.
    pub fn begin(
        archive: &Archive,
        dir: &IndexDir,
        catalogue: &Catalogue,
        hidden: BTreeSet<RecordId>,
        announced: &BTreeSet<RecordId>,
    ) -> Result<(Self, SyncReport), IndexError> {
        let search = super::open_current(archive, dir)?;
        let state = ArchiveState::of(archive, catalogue)?;
        let texts = FileTexts::new();
        let report = reconcile_reading(archive, dir, &search, catalogue, &state, &texts)?;
        let mut indexer = search.indexer()?;
        for id in &hidden {
            indexer.delete(id.as_str());
        }
        // In the same commit, stories embedding them lose those captions.
        let hidden_ids: BTreeSet<String> = hidden.iter().map(|id| id.to_string()).collect();
        let shown = |id: &str| !hidden_ids.contains(id) && search.is_visible(id);
        let mut stories = BTreeSet::new();
        for id in &hidden_ids {
            stories.extend(search.embedding(id)?);
        }
        let names = Authorities::from_catalogue(catalogue);
        let holders = Holders::of(catalogue);
        let mut problems = Vec::new();
        for story in stories.difference(&hidden_ids) {
            reput(
                archive,
                dir,
                &indexer,
                &names,
                &state,
                story,
                &shown,
                &mut problems,
                &texts,
                &holders,
            );
        }
        faults::point("before-hide-commit");
        indexer.commit_with(&IndexState::InProgress.payload())?;
        search.reload()?;
        faults::point("after-hide-commit");
        // Servers reading another index over this archive hide them too, before the archive
        // changes (see `index::hiding`).
        // Each with the version it is at now: a server removes only documents made from it or
        // an earlier one, never those this ingest writes.
        let announced: BTreeSet<RecordId> = hidden.intersection(announced).cloned().collect();
        super::hiding::publish(archive, &announced, &|id| state.head(id)).map_err(
            |(path, error)| IndexError::Write {
                path,
                reason: error.to_string(),
            },
        )?;
        faults::point("after-hide-notice");
        Ok((
            Updater {
                indexer,
                search,
                state,
                hidden,
                failed: Mutex::new(BTreeSet::new()),
                authorities_changed: BTreeSet::new(),
                texts,
                holders,
            },
            report,
        ))
    }

    /// Removes from the index (and its companion) every record citing authority `object` (an
    /// OCFL object id, `urn:disan:product:…`), commits, and keeps them to be indexed again by
    /// [`Updater::finish`]: called before an authority whose access narrows is written (an
    /// archivist's edit in the workspace), so no document still shows what it hides once the
    /// archive says so. Returns how many were removed.
    pub fn hide_citing(&mut self, object: &str) -> Result<usize, IndexError> {
        let citing = self.search.citing_everywhere(object)?;
        for id in &citing {
            self.indexer.delete(id);
            if let Ok(parsed) = RecordId::parse(id) {
                self.hidden.insert(parsed);
            }
        }
        self.indexer
            .commit_with(&IndexState::InProgress.payload())?;
        self.search.reload()?;
        Ok(citing.len())
    }

    /// Notes villages and crafts (`urn:disan:village:…` object ids) this ingest wrote, so the
    /// records citing them are indexed again with their new names.
    pub fn authorities_stored(
        &mut self,
        archive: &Archive,
        objects: &[String],
    ) -> Result<(), IndexError> {
        for object in objects {
            self.state.refresh_authority(archive, object)?;
            self.authorities_changed.insert(object.clone());
        }
        Ok(())
    }

    /// Indexes a record just committed to the archive (`commit` says how), or removes it when
    /// the audience may not see it. Refuses (before anything is written) to let a record the
    /// audience may not see into the archive unless it was hidden first: call
    /// [`Updater::may_store`] before the archive write.
    ///
    /// `fresh` holds the readings of the record's PDFs this run made while analysing them
    /// ([`Updater::texts`]), so no file's text is read twice.
    pub fn stored(
        &self,
        archive: &Archive,
        record: &Record,
        commit: &Commit,
        names: &Authorities,
        fresh: &[(Sha256, Arc<PdfReading>)],
    ) -> Result<(), String> {
        let head = match commit {
            Commit::Created => Some("v1".to_string()),
            Commit::Updated { version } => Some(version.clone()),
            Commit::Unchanged => self.state.records.get(record.id.as_str()).cloned(),
        };
        let stamp = head.map(|head| self.state.stamp_at(&head, &Cited::of(record)));
        // Noted, so previews of bytes it shows are kept when a record of the batch that holds
        // them too is withheld: that record is hidden first and indexed again in `finish`,
        // after every record is stored, where its previews are removed.
        self.holders.note(record);
        // Text of its files naming other records counts as embeds do: indexed again at the end.
        let mut names_others = false;
        let result = match stamp {
            Some(stamp) => {
                let shown = |id: &str| {
                    RecordId::parse(id).is_ok_and(|parsed| !self.hidden.contains(&parsed))
                        && self.search.is_visible(id)
                };
                let extracted = self.texts.of_record(archive, record, fresh).0;
                names_others = !super::public_text::named_keys(&extracted).is_empty();
                self.indexer
                    .put_with_embeds(record, &stamp, names, &extracted, &shown)
                    .map_err(|e| e.to_string())
            }
            None => Err("its archive version is unknown".to_string()),
        };
        if (result.is_err()
            || names_others
            || !super::public_text::record_embeds(record).is_empty())
            && let Ok(mut failed) = self.failed.lock()
        {
            failed.insert(record.id.clone());
        }
        result
    }

    /// The readings of files' text this run keeps: an ingest reads its PDFs through them.
    pub fn texts(&self) -> &FileTexts {
        &self.texts
    }

    /// Whether `record` may be written to the archive now: a record the audience may not see
    /// must have been hidden by [`Updater::begin`].
    pub fn may_store(&self, record: &Record) -> bool {
        self.search.audience().admits_files(record) || self.hidden.contains(&record.id)
    }

    /// Indexes again what this ingest could not index as it went (records hidden first but not
    /// stored, documents that failed, records citing a village or craft that changed), then
    /// commits the fingerprint of the archive as it now stands.
    pub fn finish(
        mut self,
        archive: &Archive,
        dir: &IndexDir,
        names: &Authorities,
        stored: &[RecordId],
    ) -> Result<(), IndexError> {
        // Whether each record of the batch is public now (for the others the index, which
        // reflected the archive when the run began, says).
        let mut batch_public: BTreeMap<String, bool> = BTreeMap::new();
        let mut again: BTreeSet<String> = BTreeSet::new();
        let mut complete = true;
        // Previews found in the other store (a record made public or not, or bytes another
        // record of the batch drew) move to the store they belong in now that every record is
        // stored; records hidden first are settled again when indexed below.
        let stores = dir.stores();
        let mut settle_problems = Vec::new();
        for id in stored.iter().chain(&self.hidden) {
            self.state.refresh_record(archive, id)?;
            let public = match archive.record(id) {
                Ok(Some(record)) => {
                    if let Err(error) =
                        super::settle_derivatives(archive, &stores, &record, &self.holders)
                    {
                        settle_problems.push(format!("{id}: {error}"));
                    }
                    self.search.audience().admits_record(&record)
                }
                Ok(None) => false,
                Err(_) => {
                    complete = false;
                    false
                }
            };
            batch_public.insert(id.to_string(), public);
            // Stories embedding a record of the batch: its caption follows its access.
            again.extend(self.search.embedding(id.as_str())?);
        }
        again.extend(self.hidden.iter().map(|id| id.to_string()));
        if let Ok(failed) = self.failed.lock() {
            again.extend(failed.iter().map(|id| id.to_string()));
        }
        for object in &self.authorities_changed {
            again.extend(self.search.citing_everywhere(object)?);
        }
        let shown = |id: &str| match batch_public.get(id) {
            Some(public) => *public,
            None => self.search.is_visible(id),
        };
        let mut problems = settle_problems;
        for id in &again {
            if let Ok(parsed) = RecordId::parse(id) {
                self.state.refresh_record(archive, &parsed)?;
            }
            reput(
                archive,
                dir,
                &self.indexer,
                names,
                &self.state,
                id,
                &shown,
                &mut problems,
                &self.texts,
                &self.holders,
            );
        }
        complete &= problems.is_empty();
        // A document that could not be made leaves the index behind the archive: say so, and
        // the next start reconciles it.
        let state = if complete {
            IndexState::Reflects(self.state.fingerprint())
        } else {
            IndexState::Unknown
        };
        // Records announced as hidden that this ingest left as they were (stored unchanged, or
        // not stored) leave the notice before their documents come back in this commit, so that
        // a server reading this very index never removes them again (see `index::hiding`).
        super::hiding::publish(archive, &BTreeSet::new(), &|id| self.state.head(id)).map_err(
            |(path, error)| IndexError::Write {
                path,
                reason: error.to_string(),
            },
        )?;
        faults::point("before-final-commit");
        self.indexer.finish(&state.payload())?;
        self.search.reload()?;
        Ok(())
    }
}
