//! Which items OAI-PMH lists, in what order, with which datestamps and sets: the [`Listing`],
//! made once per search-index generation and shared by every request until the index changes.
//!
//! Items are of two kinds:
//! - **public records**: those of the public search index ([`SearchIndex::public_headers`], the
//!   filter every listing of the site uses, so nothing a visitor may not see is listed), with
//!   their sets (kind, village, craft) from the same documents and their datestamp the
//!   `created` of their object's OCFL head version;
//! - **deleted records** (`deletedRecord` `transient`): records that were public in an earlier
//!   version and are not now (withdrawn, restricted, narrowed to researchers or a community).
//!   Each is a bare identifier and datestamp, the `created` of the version that took it out of
//!   the public, with no set: its sets would tell its village and craft as they are now. A
//!   record that was never public is no item at all.
//!
//! Finding the deleted ones means walking the archive's objects. Each object's summary is kept
//! with its root inventory's modification time, size and inode (a new version replaces the
//! file), so a new listing reads only the objects that changed; earlier versions' records are
//! read only for records that are not public now.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use rayon::prelude::*;

use super::xml::parse_created;
use crate::archive::{Archive, Inventory, RECORD_URN, read_inventory};
use crate::index::search::{PublicHeader, SearchIndex};
use crate::model::access::Viewer;
use crate::web::Site;
use crate::web::error::WebError;

/// What a list request selects (OAI-PMH 2.0 §2.7.1, §3.3): datestamps within `from..=until`
/// (seconds since 1970) and membership of `set`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The earliest datestamp, inclusive.
    pub from: Option<i64>,
    /// The latest datestamp, inclusive.
    pub until: Option<i64>,
    /// A set spec (`village:nha-xa`).
    pub set: Option<String>,
}

impl Selection {
    /// Whether `entry` is selected.
    pub fn admits(&self, entry: &Entry) -> bool {
        self.from.is_none_or(|from| entry.stamp >= from)
            && self.until.is_none_or(|until| entry.stamp <= until)
            && self
                .set
                .as_deref()
                .is_none_or(|set| entry.sets.as_ref().is_some_and(|sets| sets.member_of(set)))
    }
}

/// Whether `spec` is a set spec in the protocol's syntax (OAI-PMH.xsd `setSpecType`):
/// colon-separated parts of `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn is_set_spec(spec: &str) -> bool {
    spec.split(':').all(|part| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c))
    })
}

/// The sets of a public record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sets {
    /// Its kind's keyword.
    pub kind: String,
    /// Its village's id.
    pub village: Option<String>,
    /// Its craft's id.
    pub craft: Option<String>,
}

impl Sets {
    /// The set specs it belongs to, leaves only (`kind:photo`, `village:nha-xa`,
    /// `craft:det-lua`); it belongs to their parents (`kind`, `village`, `craft`) too.
    pub fn specs(&self) -> Vec<String> {
        let mut specs = vec![format!("kind:{}", self.kind)];
        specs.extend(self.village.iter().map(|v| format!("village:{v}")));
        specs.extend(self.craft.iter().map(|c| format!("craft:{c}")));
        specs.retain(|spec| is_set_spec(spec));
        specs
    }

    /// Whether it belongs to `set` (a leaf or a parent).
    fn member_of(&self, set: &str) -> bool {
        let (top, leaf) = match set.split_once(':') {
            Some((top, leaf)) => (top, Some(leaf)),
            None => (set, None),
        };
        let value = match top {
            "kind" => Some(self.kind.as_str()),
            "village" => self.village.as_deref(),
            "craft" => self.craft.as_deref(),
            _ => None,
        };
        match (value, leaf) {
            (Some(value), Some(leaf)) => value == leaf,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// One item: a record id, its datestamp, and its sets (`None`: a deleted record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Seconds since 1970, UTC.
    pub stamp: i64,
    /// The record id.
    pub id: String,
    /// Its sets when public; `None` when deleted.
    pub sets: Option<Sets>,
}

/// One page of a list.
#[derive(Debug)]
pub struct Page<'a> {
    /// The items, in `(datestamp, id)` order.
    pub items: Vec<&'a Entry>,
    /// Whether selected items follow the page.
    pub more: bool,
    /// How many items the selection holds in all.
    pub total: usize,
}

/// Every item, ordered by `(datestamp, id)`.
#[derive(Debug, Default)]
pub struct Listing {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
}

impl Listing {
    fn new(mut entries: Vec<Entry>) -> Self {
        entries.sort_unstable_by(|a, b| (a.stamp, &a.id).cmp(&(b.stamp, &b.id)));
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(n, entry)| (entry.id.clone(), n))
            .collect();
        Listing { entries, by_id }
    }

    /// The item of record `id`.
    pub fn find(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|n| &self.entries[*n])
    }

    /// The earliest datestamp of any item.
    pub fn earliest(&self) -> Option<i64> {
        self.entries.first().map(|entry| entry.stamp)
    }

    /// The selected items after `after` (a `(datestamp, id)` position), `size` at most.
    pub fn page(&self, selection: &Selection, after: Option<(i64, &str)>, size: usize) -> Page<'_> {
        let start = after.map_or(0, |(stamp, id)| {
            self.entries
                .partition_point(|entry| (entry.stamp, entry.id.as_str()) <= (stamp, id))
        });
        let total = self
            .entries
            .iter()
            .filter(|entry| selection.admits(entry))
            .count();
        let mut selected = self.entries[start..]
            .iter()
            .filter(|entry| selection.admits(entry));
        let items: Vec<&Entry> = selected.by_ref().take(size).collect();
        let more = selected.next().is_some();
        Page { items, more, total }
    }
}

/// An inventory file's state: modification time, size and inode.
type Mark = (Option<SystemTime>, u64, u64);

fn mark_of(dir: &Path) -> Option<Mark> {
    let metadata = std::fs::metadata(dir.join("inventory.json")).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some((metadata.modified().ok(), metadata.len(), inode))
}

/// What is kept of one object between listings.
#[derive(Debug, Clone)]
struct Known {
    mark: Mark,
    /// `None` for an object that is not a record (a village, craft, artisan, product).
    record: Option<Object>,
}

#[derive(Debug, Clone)]
struct Object {
    id: String,
    /// The head version's `created`.
    stamp: i64,
    /// When it left the public (the `created` of the version after its last public one), once
    /// looked for: `Some(None)` when it was never public or its head is public.
    gone: Option<Option<i64>>,
}

/// The listing and what it was made from, kept by [`Site`].
#[derive(Debug, Default)]
pub struct Cache {
    built: Mutex<Option<(u64, Arc<Listing>)>>,
    objects: Mutex<HashMap<PathBuf, Known>>,
}

impl Cache {
    /// The listing for the search index as it is now: the one kept when the index has not
    /// changed since, else a new one (one request makes it; others wait for it).
    pub fn listing(&self, site: &Site) -> Result<Arc<Listing>, WebError> {
        let generation = site.search.generation();
        let mut built = self.built.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((kept, listing)) = built.as_ref()
            && *kept == generation
        {
            return Ok(listing.clone());
        }
        let listing = Arc::new(self.build(site)?);
        *built = Some((generation, listing.clone()));
        Ok(listing)
    }

    fn build(&self, site: &Site) -> Result<Listing, WebError> {
        let headers = site.read_index(SearchIndex::public_headers)?;
        let public: HashMap<&str, &PublicHeader> =
            headers.iter().map(|h| (h.id.as_str(), h)).collect();
        let dirs: Vec<PathBuf> = site
            .archive
            .storage()
            .object_dirs()
            .collect::<Result<_, _>>()
            .map_err(WebError::internal)?;
        let previous =
            std::mem::take(&mut *self.objects.lock().unwrap_or_else(PoisonError::into_inner));
        let archive = &site.archive;
        let known: Vec<(PathBuf, Known)> = dirs
            .into_par_iter()
            .filter_map(|dir| {
                let mark = mark_of(&dir)?;
                let mut known = match previous.get(&dir) {
                    Some(known) if known.mark == mark => known.clone(),
                    _ => read(&dir, mark)?,
                };
                if let Some(object) = &mut known.record
                    && object.gone.is_none()
                    && !public.contains_key(object.id.as_str())
                {
                    object.gone = Some(gone(archive, &dir));
                }
                Some((dir, known))
            })
            .collect();
        let entries = known
            .iter()
            .filter_map(|(_, known)| {
                let object = known.record.as_ref()?;
                match public.get(object.id.as_str()) {
                    Some(header) => Some(Entry {
                        stamp: object.stamp,
                        id: object.id.clone(),
                        sets: Some(Sets {
                            kind: header.kind.clone(),
                            village: header.village.clone(),
                            craft: header.craft.clone(),
                        }),
                    }),
                    None => Some(Entry {
                        stamp: object.gone.flatten()?,
                        id: object.id.clone(),
                        sets: None,
                    }),
                }
            })
            .collect();
        *self.objects.lock().unwrap_or_else(PoisonError::into_inner) = known.into_iter().collect();
        Ok(Listing::new(entries))
    }
}

/// The summary of the object in `dir`; `None` (logged) when its inventory cannot be read or
/// its head version's time is not RFC 3339: an object nobody can vouch for is not listed.
fn read(dir: &Path, mark: Mark) -> Option<Known> {
    let inventory = match read_inventory(dir) {
        Ok(inventory) => inventory,
        Err(error) => {
            eprintln!("disan serve: OAI-PMH leaves out {}: {error}", dir.display());
            return None;
        }
    };
    let Some(id) = inventory.id.strip_prefix(RECORD_URN) else {
        return Some(Known { mark, record: None });
    };
    let stamp = inventory
        .head_version()
        .and_then(|version| parse_created(&version.created));
    let Some(stamp) = stamp else {
        eprintln!(
            "disan serve: OAI-PMH leaves out {}: its head version has no RFC 3339 time",
            dir.display()
        );
        return None;
    };
    Some(Known {
        mark,
        record: Some(Object {
            id: id.to_string(),
            stamp,
            gone: None,
        }),
    })
}

/// The number of an OCFL version name (`v12` → 12).
fn number(version: &str) -> u64 {
    version
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// When the record object in `dir` left the public: the `created` of the first version after
/// its last public one. `None` when no version was public, when its head is (the index has not
/// caught up yet), or when a version cannot be read (never listed rather than guessed).
fn gone(archive: &Archive, dir: &Path) -> Option<i64> {
    let inventory: Inventory = read_inventory(dir).ok()?;
    let mut versions: Vec<(&String, &crate::archive::Version)> =
        inventory.versions.iter().collect();
    versions.sort_by_key(|(name, _)| number(name));
    if versions.len() < 2 {
        return None;
    }
    let mut last_public = None;
    for (n, (name, _)) in versions.iter().enumerate() {
        let record = crate::workspace::history::record_at(archive, &inventory, name).ok()?;
        if Viewer::Anonymous.may_see_record(&record) {
            last_public = Some(n);
        }
    }
    let (_, out) = versions.get(last_public? + 1)?;
    parse_created(&out.created)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(stamp: i64, id: &str, village: Option<&str>) -> Entry {
        Entry {
            stamp,
            id: id.to_string(),
            sets: village.map(|village| Sets {
                kind: "photo".to_string(),
                village: Some(village.to_string()),
                craft: None,
            }),
        }
    }

    #[test]
    fn pages_follow_datestamp_then_id_and_count_the_whole_selection() {
        let listing = Listing::new(vec![
            entry(20, "b", Some("x")),
            entry(10, "z", Some("y")),
            entry(20, "a", None),
            entry(30, "c", Some("x")),
        ]);
        let all = Selection::default();
        let first = listing.page(&all, None, 2);
        let ids: Vec<&str> = first.items.iter().map(|e| e.id.as_str()).collect();
        assert_eq!((ids, first.more, first.total), (vec!["z", "a"], true, 4));
        let next = listing.page(&all, Some((20, "a")), 2);
        let ids: Vec<&str> = next.items.iter().map(|e| e.id.as_str()).collect();
        assert_eq!((ids, next.more), (vec!["b", "c"], false));
        let village = Selection {
            set: Some("village:x".to_string()),
            ..Selection::default()
        };
        let page = listing.page(&village, None, 10);
        assert_eq!(page.total, 2, "a deleted record is in no set");
        let dated = Selection {
            from: Some(20),
            until: Some(20),
            set: Some("village".to_string()),
        };
        assert_eq!(listing.page(&dated, None, 10).total, 1);
    }

    #[test]
    fn set_specs_follow_the_protocol_syntax() {
        for good in ["village", "village:nha-xa", "kind:photo", "a.b:c(d)"] {
            assert!(is_set_spec(good), "{good}");
        }
        for bad in ["", "village:", ":x", "làng", "a b", "a/b"] {
            assert!(!is_set_spec(bad), "{bad}");
        }
    }
}
