//! The staff catalogue (issue 15): every record of the archive — public, for researchers,
//! restricted, of a community, withdrawn — as one row each, for the workspace's list at
//! `/workspace`, with the filters it offers (access, kind, village, changed since, has
//! problems, words) and its order (by the head version's time).
//!
//! Where the rows come from: the archive, not the search indexes. The public index holds public
//! records only, and the everyone index (`index/search-all/`) leaves withdrawn records out and
//! knows neither a record's head time nor its problems; the archive knows all of it. Reading
//! every object's inventory and `record.json` for each request would cost seconds at 100,000
//! records, so [`Cache`] keeps the rows in memory and refreshes them only when something may have
//! changed (the search index's generation moved, which every Disan writer causes, or
//! [`MAX_AGE`] passed): a refresh walks the storage root and `stat`s each object's root
//! inventory (replaced, never modified, by every new version), and reads again only the objects
//! whose inventory changed. A request between refreshes filters and sorts the rows in memory.
//!
//! Who sees which rows is not decided here: [`select`] takes the caller's rule, so the list,
//! its counts and its pages hold only what the viewer may work on.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::archive::{Archive, ArchiveError, OcflError, read_inventory, record_id_of};
use crate::index::derivatives::Stores;
use crate::model::text::fold;
use crate::model::{Access, Kind, Lang, Record, RecordId, Sha256, VillageId};

/// Rows shown on one page of the list.
pub const PAGE_SIZE: usize = 50;

/// The longest a list may be served from memory without looking at the archive again, for an
/// archive written by a process that does not write this site's index.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// Something an archivist should look at in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Problem {
    /// No `dc.description` in any language, and no text body.
    NoDescription,
    /// No village.
    NoVillage,
    /// No `dc.title@en`.
    NoEnglishTitle,
    /// A file whose format Disan makes previews of (an image, an SVG) has none in the index's
    /// derivative stores: drawing it failed at ingest or reindex (the ingest report and the
    /// record's PREMIS validation event say why, as a "no preview" warning).
    FailedPreview,
}

impl Problem {
    /// Every problem, in the order the list shows them.
    pub const ALL: [Problem; 4] = [
        Problem::NoDescription,
        Problem::NoVillage,
        Problem::NoEnglishTitle,
        Problem::FailedPreview,
    ];

    /// The word a filter names it by in a URL (`?problem=no-village`).
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::NoDescription => "no-description",
            Problem::NoVillage => "no-village",
            Problem::NoEnglishTitle => "no-english-title",
            Problem::FailedPreview => "failed-preview",
        }
    }

    /// The problem named `word`.
    pub fn parse(word: &str) -> Option<Problem> {
        Problem::ALL.into_iter().find(|p| p.as_str() == word)
    }
}

/// One record as the staff list shows it, read from its object's head.
#[derive(Debug, Clone)]
pub struct Row {
    /// The record's id.
    pub id: RecordId,
    /// Its title in Vietnamese (falling back to English, then the id).
    pub title_vi: String,
    /// Its title in English (falling back to Vietnamese, then the id).
    pub title_en: String,
    /// Who may see it.
    pub access: Access,
    /// Who may see its files, when narrower.
    pub files_access: Option<Access>,
    /// What it is.
    pub kind: Kind,
    /// Its village.
    pub village: Option<VillageId>,
    /// Its head version (`v3`).
    pub head: String,
    /// When the head version was made, as the inventory says (RFC 3339).
    pub changed: String,
    /// [`Row::changed`] read as a time (`None` when it does not read as RFC 3339).
    pub changed_at: Option<SystemTime>,
    /// Whether it is withdrawn.
    pub withdrawn: bool,
    /// What is missing from it, in [`Problem::ALL`]'s order.
    pub problems: Vec<Problem>,
    /// The folded words a search matches: id, titles, descriptions and subjects
    /// ([`crate::model::text::fold`]).
    words: String,
    /// The digests of its files Disan makes previews of.
    previewed: Vec<Sha256>,
}

impl Row {
    /// The row of `record`, whose head is `head`, made at `changed`; `stores` says which
    /// previews exist.
    pub fn of(record: &Record, head: &str, changed: &str, stores: &Stores) -> Row {
        let dc = |term: &str, lang: Option<Lang>| {
            record
                .dc
                .get(term)
                .is_some_and(|values| values.iter().any(|v| lang.is_none_or(|l| v.lang == l)))
        };
        let mut words = record.id.to_string();
        for term in ["title", "description", "subject"] {
            for value in record.dc.get(term).into_iter().flatten() {
                words.push(' ');
                words.push_str(&value.value);
            }
        }
        let previewed: Vec<Sha256> = record
            .files
            .iter()
            .filter(|file| crate::index::search::has_derivative(&file.format.mime))
            .map(|file| file.sha256)
            .collect();
        let mut problems = Vec::new();
        if !dc("description", None) && record.body.values().all(|b| b.trim().is_empty()) {
            problems.push(Problem::NoDescription);
        }
        if record.village.is_none() {
            problems.push(Problem::NoVillage);
        }
        if !dc("title", Some(Lang::En)) {
            problems.push(Problem::NoEnglishTitle);
        }
        let mut row = Row {
            id: record.id.clone(),
            title_vi: record.title(Lang::Vi).to_string(),
            title_en: record.title(Lang::En).to_string(),
            access: record.access.clone(),
            files_access: record.files_access.clone(),
            kind: record.kind,
            village: record.village.clone(),
            head: head.to_string(),
            changed: changed.to_string(),
            changed_at: humantime::parse_rfc3339_weak(changed).ok(),
            withdrawn: record.withdrawal.is_some(),
            problems,
            words: fold(&words),
            previewed,
        };
        row.look_at_previews(stores);
        row
    }

    /// The rule of its files: [`Row::files_access`] when given, else its own.
    pub fn files_rule(&self) -> &Access {
        self.files_access.as_ref().unwrap_or(&self.access)
    }

    /// Its title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.title_vi,
            Lang::En => &self.title_en,
        }
    }

    /// Sets or clears [`Problem::FailedPreview`] from what `stores` hold now.
    fn look_at_previews(&mut self, stores: &Stores) {
        let failed = self.previewed.iter().any(|sha| !stores.has(sha));
        self.problems.retain(|p| *p != Problem::FailedPreview);
        if failed {
            self.problems.push(Problem::FailedPreview);
        }
    }
}

/// Which access a filter asks for (`?access=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFilter {
    /// `public`.
    Public,
    /// `researchers`.
    Researchers,
    /// `restricted`.
    Restricted,
    /// `community`: any community rule.
    Community,
    /// `withdrawn`: withdrawn records, whatever their rule.
    Withdrawn,
}

impl AccessFilter {
    /// Every filter, in the order the form offers them.
    pub const ALL: [AccessFilter; 5] = [
        AccessFilter::Public,
        AccessFilter::Researchers,
        AccessFilter::Restricted,
        AccessFilter::Community,
        AccessFilter::Withdrawn,
    ];

    /// The word in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessFilter::Public => "public",
            AccessFilter::Researchers => "researchers",
            AccessFilter::Restricted => "restricted",
            AccessFilter::Community => "community",
            AccessFilter::Withdrawn => "withdrawn",
        }
    }

    /// The filter named `word`.
    pub fn parse(word: &str) -> Option<AccessFilter> {
        AccessFilter::ALL.into_iter().find(|f| f.as_str() == word)
    }

    fn admits(self, row: &Row) -> bool {
        match self {
            AccessFilter::Public => row.access == Access::Public,
            AccessFilter::Researchers => row.access == Access::Researchers,
            AccessFilter::Restricted => row.access == Access::Restricted,
            AccessFilter::Community => matches!(row.access, Access::Community { .. }),
            AccessFilter::Withdrawn => row.withdrawn,
        }
    }
}

/// What the list is asked for: every filter optional.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Words every one of which a row's id, titles, descriptions or subjects must hold (folded:
    /// case and diacritics ignored).
    pub words: String,
    /// Access.
    pub access: Option<AccessFilter>,
    /// Kind.
    pub kind: Option<Kind>,
    /// Village.
    pub village: Option<VillageId>,
    /// Rows whose head version was made at or after this time.
    pub since: Option<SystemTime>,
    /// Rows with this problem; [`Query::any_problem`] for rows with any.
    pub problem: Option<Problem>,
    /// Rows with at least one problem.
    pub any_problem: bool,
    /// Oldest change first (default: newest first).
    pub oldest_first: bool,
    /// The page, from 1.
    pub page: usize,
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The rows of this page.
    pub rows: Vec<Arc<Row>>,
    /// How many rows match, on every page.
    pub total: usize,
    /// This page, from 1 (at most [`Listing::pages`]).
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
}

/// The rows of `rows` that `admits` lets the viewer see and `query` asks for, in its order, cut
/// to its page. `admits` runs first: nothing it refuses counts anywhere.
pub fn select(rows: &[Arc<Row>], query: &Query, admits: impl Fn(&Row) -> bool) -> Listing {
    let words: Vec<String> = fold(&query.words)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut found: Vec<&Arc<Row>> = rows
        .iter()
        .filter(|row| admits(row))
        .filter(|row| query.access.is_none_or(|a| a.admits(row)))
        .filter(|row| query.kind.is_none_or(|k| row.kind == k))
        .filter(|row| {
            query
                .village
                .as_ref()
                .is_none_or(|v| row.village.as_ref() == Some(v))
        })
        .filter(|row| {
            query
                .since
                .is_none_or(|since| row.changed_at.is_some_and(|at| at >= since))
        })
        .filter(|row| query.problem.is_none_or(|p| row.problems.contains(&p)))
        .filter(|row| !query.any_problem || !row.problems.is_empty())
        .filter(|row| words.iter().all(|word| row.words.contains(word.as_str())))
        .collect();
    // Newest first, ties by id; the rows come sorted by id.
    found.sort_by(|a, b| match query.oldest_first {
        true => a.changed_at.cmp(&b.changed_at),
        false => b.changed_at.cmp(&a.changed_at),
    });
    let total = found.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let rows = found
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect();
    Listing {
        rows,
        total,
        page,
        pages,
    }
}

/// A root inventory file's state: what changes when a new version replaces it.
type FileStamp = (Option<SystemTime>, u64, u64);

fn stamp_of(path: &std::path::Path) -> Option<FileStamp> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some((metadata.modified().ok(), metadata.len(), inode))
}

/// What the cache holds between requests.
#[derive(Default)]
struct Kept {
    /// The index generation and time of the last refresh.
    seen: Option<(u64, Instant)>,
    /// Each object folder's inventory stamp and its row (`None`: not a record).
    objects: HashMap<PathBuf, (FileStamp, Option<Arc<Row>>)>,
    /// Every row, by id.
    rows: Arc<Vec<Arc<Row>>>,
    /// Objects that could not be read at the last refresh, each with why.
    unreadable: Arc<Vec<String>>,
}

/// The staff catalogue's rows, kept in memory (see the module's documentation).
#[derive(Default)]
pub struct Cache {
    kept: Mutex<Kept>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("staff catalogue cache")
    }
}

/// What [`Cache::rows`] hands out: every record's row (sorted by id), and the objects that
/// could not be read, each shared with the cache until its next refresh.
pub type Snapshot = (Arc<Vec<Arc<Row>>>, Arc<Vec<String>>);

impl Cache {
    /// Every record's row (sorted by id) and the objects that could not be read, refreshed
    /// first when `generation` (the search index's) is not the one last seen or [`MAX_AGE`]
    /// passed. Blocks while another request refreshes.
    ///
    /// # Errors
    /// The storage root cannot be walked.
    pub fn rows(
        &self,
        archive: &Archive,
        stores: &Stores,
        generation: u64,
    ) -> Result<Snapshot, ArchiveError> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let fresh = kept
            .seen
            .is_some_and(|(seen, at)| seen == generation && at.elapsed() < MAX_AGE);
        if !fresh {
            refresh(&mut kept, archive, stores)?;
            kept.seen = Some((generation, Instant::now()));
        }
        Ok((kept.rows.clone(), kept.unreadable.clone()))
    }
}

/// Walks the storage root: objects whose root inventory changed are read again, those gone are
/// dropped, and rows flagged for a failed preview look at the stores again (a reindex may have
/// made it since).
fn refresh(kept: &mut Kept, archive: &Archive, stores: &Stores) -> Result<(), ArchiveError> {
    let mut objects = HashMap::with_capacity(kept.objects.len());
    let mut unreadable = Vec::new();
    for dir in archive.storage().object_dirs() {
        let dir = dir?;
        let Some(stamp) = stamp_of(&dir.join("inventory.json")) else {
            unreadable.push(format!("{}: no inventory.json", dir.display()));
            continue;
        };
        let row = match kept.objects.remove(&dir) {
            Some((old, row)) if old == stamp => match row {
                Some(row) if row.problems.contains(&Problem::FailedPreview) => {
                    let mut again = (*row).clone();
                    again.look_at_previews(stores);
                    Some(Arc::new(again))
                }
                other => other,
            },
            _ => match read_row(archive, &dir, stores) {
                Ok(row) => row.map(Arc::new),
                Err(error) => {
                    unreadable.push(error.to_string());
                    continue;
                }
            },
        };
        objects.insert(dir, (stamp, row));
    }
    let mut rows: Vec<Arc<Row>> = objects
        .values()
        .filter_map(|(_, row)| row.clone())
        .collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    kept.objects = objects;
    kept.rows = Arc::new(rows);
    kept.unreadable = Arc::new(unreadable);
    Ok(())
}

/// The row of the object in `dir`, `None` when it is not a record.
fn read_row(
    archive: &Archive,
    dir: &std::path::Path,
    stores: &Stores,
) -> Result<Option<Row>, ArchiveError> {
    let inventory = read_inventory(dir)?;
    if record_id_of(&inventory.id).is_none() {
        return Ok(None);
    }
    let record = archive.record_from(&inventory)?;
    let created = inventory
        .head_version()
        .map(|v| v.created.clone())
        .ok_or_else(|| {
            ArchiveError::Ocfl(OcflError::BadInventory {
                path: dir.join("inventory.json"),
                reason: format!("the head version {} is not listed", inventory.head),
            })
        })?;
    Ok(Some(Row::of(&record, &inventory.head, &created, stores)))
}

/// The villages the rows name, for the filter's choices.
pub fn villages(rows: &[Arc<Row>], admits: impl Fn(&Row) -> bool) -> BTreeSet<VillageId> {
    rows.iter()
        .filter(|row| admits(row))
        .filter_map(|row| row.village.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, access: Access, changed: &str) -> Arc<Row> {
        Arc::new(Row {
            id: RecordId::parse(&format!("ban-ghi-{n:03}")).unwrap(),
            title_vi: format!("Bản ghi {n}"),
            title_en: format!("Record {n}"),
            access,
            files_access: None,
            kind: if n % 2 == 0 { Kind::Photo } else { Kind::Film },
            village: None,
            head: "v1".into(),
            changed: changed.to_string(),
            changed_at: humantime::parse_rfc3339_weak(changed).ok(),
            withdrawn: false,
            problems: vec![Problem::NoVillage],
            words: fold(&format!("ban-ghi-{n:03} Bản ghi {n} Record {n}")),
            previewed: Vec::new(),
        })
    }

    #[test]
    fn what_the_viewer_may_not_see_counts_nowhere_and_pages_follow_the_rest() {
        let mut rows = Vec::new();
        for n in 0..120 {
            let access = if n % 3 == 0 {
                Access::Restricted
            } else {
                Access::Public
            };
            let second = n % 60;
            let minute = n / 60;
            rows.push(row(
                n,
                access,
                &format!("2026-12-01T10:{minute:02}:{second:02}Z"),
            ));
        }
        let everything = select(&rows, &Query::default(), |_| true);
        assert_eq!((everything.total, everything.pages), (120, 3));
        assert_eq!(
            everything.rows[0].id.as_str(),
            "ban-ghi-119",
            "newest first"
        );
        let public = |row: &Row| row.access == Access::Public;
        let seen = select(&rows, &Query::default(), public);
        assert_eq!((seen.total, seen.pages), (80, 2));
        let query = Query {
            access: Some(AccessFilter::Restricted),
            ..Query::default()
        };
        assert_eq!(select(&rows, &query, public).total, 0);
        let last = Query {
            page: 99,
            oldest_first: true,
            ..Query::default()
        };
        let page = select(&rows, &last, public);
        assert_eq!(
            (page.page, page.rows.len()),
            (2, 30),
            "a page past the end is the last"
        );
        assert_eq!(page.rows.last().unwrap().id.as_str(), "ban-ghi-119");
        let words = Query {
            words: "BẢN-GHI-007".into(),
            kind: Some(Kind::Film),
            since: humantime::parse_rfc3339_weak("2026-12-01T10:00:07Z").ok(),
            problem: Some(Problem::NoVillage),
            ..Query::default()
        };
        let listing = select(&rows, &words, |_| true);
        let found: Vec<&str> = listing.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(found, ["ban-ghi-007"]);
        let later = Query {
            since: humantime::parse_rfc3339_weak("2026-12-01T10:00:08Z").ok(),
            ..words
        };
        assert_eq!(select(&rows, &later, |_| true).total, 0);
    }

    #[test]
    fn filter_and_problem_words_round_trip() {
        for filter in AccessFilter::ALL {
            assert_eq!(AccessFilter::parse(filter.as_str()), Some(filter));
        }
        for problem in Problem::ALL {
            assert_eq!(Problem::parse(problem.as_str()), Some(problem));
        }
        assert_eq!(Problem::parse("any"), None);
    }
}
