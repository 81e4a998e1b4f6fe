//! The state every handler shares ([`Site`]): the archive, the search index and the caches
//! kept over them (rendered record pages, authorities, public ids), opened and brought in step
//! with the archive once at start.
//!
//! Split by concern: [`reads`] decides what a viewer may see and reads the index safely;
//! [`lookups`] answers searches, suggestions and related records for a viewer; [`spliced`]
//! serves a page kept for an audience with each viewer's own header; [`versions`] reads a record
//! as an earlier OCFL version held it, for whoever may see that version.

mod lookups;
mod reads;
mod spliced;
mod versions;

pub(crate) use spliced::Spliced;
pub use versions::{AtVersion, CitedVersion, looks_like_version};

pub(super) use reads::quiet_index_panics;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use anyhow::Context;

use super::templates::Templates;
use super::{auth, compress, i18n};
use crate::archive::{Archive, Inventory};
use crate::index::IndexDir;
use crate::index::authorities::Authorities;
use crate::index::search::SearchIndex;
use crate::model::{Record, RecordId};

/// Everything the handlers share.
pub struct Site {
    pub(super) archive: Archive,
    pub(super) index: IndexDir,
    pub(super) search: SearchIndex,
    pub(super) templates: Templates,
    authorities: RwLock<(Option<SystemTime>, Arc<Authorities>)>,
    pages: RwLock<HashMap<String, CachedPage>>,
    origin: String,
    /// The site's own address as links in texts are judged against it ([`Site::own_site`]).
    own_site: crate::index::site_links::OwnSite,
    public_ids: RwLock<(u64, Arc<Vec<String>>)>,
    /// Records an ingest through another index is about to hide (see [`crate::index::hiding`]).
    pub(super) hiding: crate::index::hiding::Notice,
    /// Tells the request layer when nothing changed in the index or the hidden-ids folder, so
    /// it need not look ([`crate::index::watch`]).
    pub(super) watch: crate::index::watch::FolderWatch,
    /// The authorities file's modification time as last looked at (with the index, by the
    /// request layer): part of every record page's [`Stamp`].
    authorities_mark: RwLock<Option<SystemTime>>,
    /// Each record's root inventory file, by id (its OCFL path takes a SHA-256 of the id):
    /// asked at every record page. Only ids that may be seen reach it; emptied past
    /// [`PAGE_CACHE_LIMIT`] × 16 entries.
    inventory_paths: RwLock<HashMap<String, Arc<Path>>>,
    /// The last warning logged for each lasting fault (`"index"`, `"authorities"`), so a fault
    /// is logged once when it appears, not at every request.
    warned: std::sync::Mutex<HashMap<&'static str, String>>,
    /// The accounts database and session settings, when the site lets people sign in
    /// ([`Site::with_accounts`]); without it every request is anonymous.
    pub(super) auth: Option<Arc<auth::Auth>>,
    /// Signed-in headers rendered (see [`Site::account_fragment`]), by language, login and
    /// session token; emptied when [`FRAGMENT_LIMIT`] is reached.
    fragments: RwLock<HashMap<String, Arc<str>>>,
    /// Every record's row for the workspace's staff list, kept between requests
    /// ([`crate::workspace::catalogue::Cache`]).
    pub(super) staff: crate::workspace::catalogue::Cache,
    /// OAI-PMH's settings and the items it lists (issue 16).
    pub(in crate::web) oai: crate::web::oai::Settings,
    /// Files arriving from the workspace's upload page, beside the archive
    /// ([`crate::workspace::uploads`]).
    pub(super) uploads: Arc<crate::workspace::uploads::Uploads>,
    /// Batches made of those uploads ([`crate::workspace::batches`]).
    pub(super) batches: Arc<crate::workspace::batches::Batches>,
}

/// A rendered record page and what it was rendered from.
struct CachedPage {
    stamp: Stamp,
    html: Kept,
}

/// A rendered page as kept: whole, for anonymous visitors (with its compressed forms), or with a
/// hole for each signed-in viewer's header ([`Spliced`]).
#[derive(Debug, Clone)]
pub(crate) enum Kept {
    /// The whole page.
    Whole(Arc<compress::Encodings>),
    /// The page without its signed-in header.
    Spliced(Arc<Spliced>),
}

/// Signed-in headers kept rendered at most (one per session and language in use).
const FRAGMENT_LIMIT: usize = 4096;

/// Where a page kept for an audience has its hole for the signed-in header: an HTML comment
/// holding 128 random bits drawn when the process starts, so no text of a record can forge it.
pub(crate) fn account_marker() -> &'static str {
    static MARKER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    MARKER.get_or_init(|| {
        let bits: [u8; 16] = crate::accounts::random_bytes();
        let hex: String = bits.iter().map(|byte| format!("{byte:02x}")).collect();
        format!("<!--disan-account-{hex}-->")
    })
}

/// Identifies one state of a record: its object's root inventory file (replaced, never
/// modified, on every new version), the authorities copy it was rendered with, and the index
/// generation its related records came from (so a record restricted since is never shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    inventory: (Option<SystemTime>, u64, u64),
    authorities: Option<SystemTime>,
    index_generation: u64,
}

/// Suggestions offered at most.
const SUGGESTIONS: usize = 8;
/// Of [`SUGGESTIONS`], villages, crafts, artisans and products at most (the rest are records).
const PLACE_SUGGESTIONS: usize = 4;

/// Pages kept rendered at most; the cache is emptied when it is full.
const PAGE_CACHE_LIMIT: usize = 4096;

impl Site {
    /// Opens the site over an archive and its index; `templates` is the folder curators edit.
    pub fn open(archive: &Path, index: &Path, templates: Option<PathBuf>) -> anyhow::Result<Self> {
        // The interface strings are compiled in; reading them now makes a broken file a startup
        // error rather than a failing first page.
        i18n::load().map_err(|error| anyhow::anyhow!("translation files: {error}"))?;
        let archive = Archive::open(archive)
            .with_context(|| format!("cannot open the archive {}", archive.display()))?;
        let index = IndexDir::new(index);
        let search = crate::index::open_current(&archive, &index)?;
        let reconciled = Self::catch_up(&archive, &index, &search)?;
        let hiding = crate::index::hiding::Notice::new(&archive);
        let storage = archive.storage().path().to_path_buf();
        let watch = crate::index::watch::FolderWatch::new(vec![
            storage.clone(),
            storage.join("extensions"),
            storage.join(crate::index::hiding::DIR),
            index.root().to_path_buf(),
            index
                .root()
                .join(crate::index::audience::Audience::Public.dir_name()),
            index
                .root()
                .join(crate::index::audience::Audience::Everyone.dir_name()),
        ]);
        let authorities_mark = RwLock::new(modified(&index.authorities_path()));
        if !reconciled {
            // An ingest holds the archive: what it announced it hides may not be written yet.
            search.hide(&hiding.current())?;
        }
        let uploads = Arc::new(crate::workspace::uploads::Uploads::new(
            archive.root(),
            crate::workspace::uploads::Limits::default(),
        ));
        let batches = Arc::new(crate::workspace::batches::Batches::new(&uploads));
        Ok(Site {
            uploads,
            batches,
            archive,
            search,
            templates: Templates::new(templates),
            authorities: RwLock::new((None, Arc::new(Authorities::default()))),
            pages: RwLock::new(HashMap::new()),
            index,
            origin: "http://127.0.0.1:8080".to_string(),
            own_site: crate::index::site_links::OwnSite::at(&["http://127.0.0.1:8080"]),
            public_ids: RwLock::new((u64::MAX, Arc::new(Vec::new()))),
            hiding,
            watch,
            authorities_mark,
            inventory_paths: RwLock::new(HashMap::new()),
            warned: std::sync::Mutex::new(HashMap::new()),
            auth: None,
            fragments: RwLock::new(HashMap::new()),
            staff: crate::workspace::catalogue::Cache::default(),
            oai: crate::web::oai::Settings::default(),
        })
    }

    /// Brings an index left behind the archive (an interrupted ingest, an archive restored or
    /// edited by hand) in step before anything is served. When an ingest holds the archive it is
    /// left to that ingest, which does the same before its first archive write: the index only
    /// ever lags on the safe side (records the archive hides are removed before the archive
    /// hides them), so serving it meanwhile shows nothing hidden. When the archive cannot be
    /// locked at all (mounted read-only), an index behind it is refused rather than served.
    /// Returns whether the index now reflects the archive (false while an ingest holds it).
    fn catch_up(archive: &Archive, index: &IndexDir, search: &SearchIndex) -> anyhow::Result<bool> {
        let _lock = match archive.lock() {
            Ok(lock) => lock,
            Err(crate::archive::ArchiveError::Ocfl(crate::archive::OcflError::Locked(_))) => {
                eprintln!("An ingest is running: the search index is brought up to date by it.");
                return Ok(false);
            }
            Err(error) => {
                // A read-only archive: serve only an index that reflects it.
                let (state, _) = crate::index::sync::ArchiveState::read(archive)?;
                if let Some(reason) = crate::index::sync::check(search, &state)? {
                    anyhow::bail!(
                        "the search index is behind the archive ({reason}) and cannot be brought up to date ({error}); run `disan reindex` where the archive is writable"
                    );
                }
                return Ok(true);
            }
        };
        let (state, catalogue) = crate::index::sync::ArchiveState::read(archive)?;
        let behind = crate::index::sync::check(search, &state)?;
        let report = match crate::index::sync::reconcile(archive, index, search, &catalogue, &state)
        {
            Ok(report) => report,
            Err(error) if behind.is_some() && is_read_only(&error) => anyhow::bail!(
                "the search index {} is behind the archive ({}) and cannot be brought up to date because it is read-only ({error}); serve a writable copy instead: copy the index folder somewhere writable, run `disan --index COPY reindex`, then `disan --index COPY serve`",
                index.root().display(),
                behind.unwrap_or_default(),
            ),
            Err(error) => return Err(error.into()),
        };
        if report.summary() != crate::index::sync::SyncReport::UP_TO_DATE {
            eprintln!("{}", report.summary());
        }
        Ok(true)
    }

    /// Lets people sign in against `auth`'s accounts database (issue 13): [`app`] then adds the
    /// session layer, the viewer layer and the sign-in routes ([`auth`]).
    pub fn with_accounts(mut self, auth: auth::Auth) -> Self {
        self.auth = Some(Arc::new(auth));
        self
    }

    /// Sets what the workspace's upload staging area accepts (its size limit, quota and expiry;
    /// [`crate::workspace::uploads::Limits::default`] otherwise).
    pub fn with_upload_limits(mut self, limits: crate::workspace::uploads::Limits) -> Self {
        self.uploads = Arc::new(crate::workspace::uploads::Uploads::new(
            self.archive.root(),
            limits,
        ));
        self.batches = Arc::new(crate::workspace::batches::Batches::new(&self.uploads));
        self
    }

    /// Cleans the workspace's upload staging area as at `now` (the real clock when serving;
    /// another in tests): every upload past its lifetime, and the files of every batch past
    /// its own ([`crate::workspace::staging`]); logs each removal to the server's log and
    /// returns what was done. `disan serve` runs it at start and every
    /// [`crate::workspace::staging::SWEEP_EVERY`].
    pub fn sweep_staging(&self, now: SystemTime) -> crate::workspace::staging::Swept {
        let swept = self.batches.sweep(&self.uploads, now);
        crate::workspace::staging::log(&swept);
        swept
    }

    /// Sets the public origin (`https://disan.example`) that stable URLs, citations, sitemaps
    /// and link previews name. Configured, never taken from a request's Host header: pages are
    /// cached and shared.
    pub fn with_origin(mut self, origin: &str) -> Self {
        self.origin = origin.trim_end_matches('/').to_string();
        self.own_site = crate::index::site_links::OwnSite::at(&[&self.origin]);
        self
    }

    /// The site's own address as a link in a record's text is judged against it: an absolute
    /// link to it names a record or product exactly as the same link written relative
    /// ([`crate::index::site_links`]).
    pub fn own_site(&self) -> &crate::index::site_links::OwnSite {
        &self.own_site
    }

    /// Offers OAI-PMH at `/oai` with `email` as `Identify`'s administrator's address (the
    /// protocol requires one; without it `/oai` is not found).
    ///
    /// # Errors
    /// `email` is not an address of the form the OAI-PMH schema requires
    /// (`\S+@(\S+\.)+\S+`), or holds `< > & " '`.
    pub fn with_admin_email(mut self, email: &str) -> anyhow::Result<Self> {
        let email = email.trim();
        if !crate::web::oai::is_admin_email(email) {
            anyhow::bail!(
                "'{email}' is not an e-mail address OAI-PMH accepts (name@example.org, with no spaces or < > & \" ')"
            );
        }
        self.oai.admin_email = Some(email.to_string());
        Ok(self)
    }

    /// Sets how many records a page of OAI-PMH's `ListRecords` holds and how many headers a page
    /// of `ListIdentifiers` holds (at least 1 each; [`crate::web::oai::RECORDS_PER_PAGE`] and
    /// [`crate::web::oai::IDENTIFIERS_PER_PAGE`] unless set). For tests and benchmarks, which
    /// page a small collection.
    pub fn with_oai_page_sizes(mut self, records: usize, identifiers: usize) -> Self {
        self.oai.records_per_page = records.max(1);
        self.oai.identifiers_per_page = identifiers.max(1);
        self
    }

    /// The public origin.
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The subtitle files of a record read as transcripts: one per language, cue by cue; not
    /// those `absent` for the viewer (in the order of `record.files`,
    /// [`super::media::Listing::absent`]: a transcript naming what the viewer may not see).
    pub fn transcripts(
        &self,
        record: &Record,
        inventory: &Inventory,
        absent: &[bool],
    ) -> Vec<serde_json::Value> {
        record
            .files
            .iter()
            .enumerate()
            .filter(|(n, _)| !absent.get(*n).copied().unwrap_or(false))
            .map(|(_, file)| file)
            .filter(|f| f.format.mime == "text/vtt" && f.size <= 512 * 1024)
            .filter_map(|file| {
                let path = self.archive.file_path(inventory, &file.path).ok()??;
                let text = std::fs::read_to_string(path).ok()?;
                let name = file.path.rsplit('/').next().unwrap_or(&file.path);
                let lang = super::views::subtitle_lang(name);
                let cues: Vec<serde_json::Value> = vtt_cues(&text)
                    .into_iter()
                    .map(|(start, text)| serde_json::json!({"start": start, "text": text}))
                    .collect();
                (!cues.is_empty()).then(|| {
                    serde_json::json!({"lang": lang.tag(),
                        "label": i18n::text(lang, "language_name"),
                        "cues": cues})
                })
            })
            .collect()
    }

    /// The current state of a record's object, or `None` when there is no such object.
    ///
    /// One `stat` per request: this is what lets a rendered page be reused safely, since a new
    /// version (an edit, a change of access) replaces the inventory file.
    pub fn record_stamp(&self, id: &str) -> Option<Stamp> {
        let id = RecordId::parse_exact(id).ok()?;
        let metadata = std::fs::metadata(self.inventory_path(&id)).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
        #[cfg(not(unix))]
        let inode = 0;
        let authorities = *self
            .authorities_mark
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(Stamp {
            inventory: (metadata.modified().ok(), metadata.len(), inode),
            authorities,
            index_generation: self.search.generation(),
        })
    }

    /// The root inventory file of record `id` (see `inventory_paths`).
    fn inventory_path(&self, id: &RecordId) -> Arc<Path> {
        let kept = self
            .inventory_paths
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id.as_str())
            .cloned();
        if let Some(path) = kept {
            return path;
        }
        let path: Arc<Path> = self.archive.record_path(id).join("inventory.json").into();
        let mut paths = self
            .inventory_paths
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if paths.len() >= PAGE_CACHE_LIMIT * 16 {
            paths.clear();
        }
        paths.insert(id.as_str().to_string(), path.clone());
        path
    }

    /// Looks at the authorities file again (one `stat`), for the next [`Site::record_stamp`]s;
    /// the request layer calls it when the index folder may have changed.
    pub(crate) fn look_at_authorities(&self) {
        let mark = modified(&self.index.authorities_path());
        *self
            .authorities_mark
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = mark;
    }

    /// A page rendered earlier from exactly this state.
    pub(crate) fn cached_page(&self, id: &str, stamp: &Stamp) -> Option<Kept> {
        let pages = self.pages.read().ok()?;
        pages
            .get(id)
            .filter(|page| page.stamp == *stamp)
            .map(|page| page.html.clone())
    }

    /// Keeps a rendered record page: whole, or, when `hole` is given (the page was rendered for
    /// a signed-in audience with [`account_marker`] where the header goes), cut there.
    pub(crate) fn keep_page(
        &self,
        id: &str,
        stamp: Stamp,
        html: axum::body::Bytes,
        hole: Option<&str>,
    ) -> Result<Kept, super::error::WebError> {
        let html = match hole {
            None => Kept::Whole(Arc::new(compress::Encodings::new(html))),
            Some(marker) => {
                Kept::Spliced(Arc::new(Spliced::cut(&html, marker).ok_or_else(|| {
                    super::error::WebError::internal("the page template has no account header")
                })?))
            }
        };
        if let Ok(mut pages) = self.pages.write() {
            if pages.len() >= PAGE_CACHE_LIMIT {
                pages.clear();
            }
            pages.insert(
                id.to_string(),
                CachedPage {
                    stamp,
                    html: html.clone(),
                },
            );
        }
        Ok(html)
    }

    /// The signed-in header `render` makes for `key` (language, login and session token: all
    /// it shows), rendered once and kept.
    ///
    /// # Errors
    /// Whatever `render` returns (a template error).
    pub(crate) fn account_fragment(
        &self,
        key: String,
        render: impl FnOnce() -> Result<String, super::error::WebError>,
    ) -> Result<Arc<str>, super::error::WebError> {
        if let Ok(fragments) = self.fragments.read()
            && let Some(fragment) = fragments.get(&key)
        {
            return Ok(fragment.clone());
        }
        let fragment: Arc<str> = render()?.into();
        if let Ok(mut fragments) = self.fragments.write() {
            if fragments.len() >= FRAGMENT_LIMIT {
                fragments.clear();
            }
            fragments.insert(key, fragment.clone());
        }
        Ok(fragment)
    }

    /// The village and craft authorities, re-read when an ingest has rewritten them.
    pub fn authorities(&self) -> Arc<Authorities> {
        let path = self.index.authorities_path();
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        if let Ok(cached) = self.authorities.read()
            && cached.0 == modified
            && modified.is_some()
        {
            return cached.1.clone();
        }
        let fresh = match Authorities::read(&path) {
            Ok(fresh) => {
                self.fault_over("authorities");
                Arc::new(fresh)
            }
            Err(reason) => {
                let kept = self
                    .authorities
                    .read()
                    .map(|cached| cached.1.clone())
                    .unwrap_or_default();
                self.warn_once(
                    "authorities",
                    format!(
                        "warning: the village and craft names {} cannot be read ({reason}); \
                         serving the last good copy until `disan reindex` writes it again",
                        path.display()
                    ),
                );
                kept
            }
        };
        if let Ok(mut cached) = self.authorities.write() {
            *cached = (modified, fresh.clone());
        }
        fresh
    }

    /// Logs `message` for the lasting fault `what`, unless it is the one logged last for it.
    pub(in crate::web) fn warn_once(&self, what: &'static str, message: String) {
        let mut warned = self
            .warned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if warned.get(what) != Some(&message) {
            eprintln!("{message}");
            warned.insert(what, message);
        }
    }

    /// The fault `what` is over: the next one is logged again.
    pub(in crate::web) fn fault_over(&self, what: &'static str) {
        self.warned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(what);
    }

    /// Makes the index's latest commit visible now; every request does so itself first.
    pub fn reload_index(&self) {
        if let Err(error) = self.search.reload() {
            eprintln!("warning: cannot reload the search index: {error}");
        }
    }
}

/// Whether `error` (as displayed) is a write refused by a read-only file system (`EROFS`) or by
/// permissions (`EACCES`): I/O errors reach here as text.
fn is_read_only(error: &dyn std::fmt::Display) -> bool {
    let text = error.to_string();
    [libc::EROFS, libc::EACCES]
        .into_iter()
        .any(|code| text.contains(&std::io::Error::from_raw_os_error(code).to_string()))
}

/// The cues of a WebVTT file: start time (`00:01`) and text, markup tags removed.
fn vtt_cues(vtt: &str) -> Vec<(String, String)> {
    let mut cues = Vec::new();
    for block in vtt.replace("\r\n", "\n").split("\n\n") {
        let mut lines = block.lines().skip_while(|line| !line.contains("-->"));
        let Some(timing) = lines.next() else {
            continue;
        };
        let start = timing.split("-->").next().unwrap_or_default().trim();
        // 00:00:01.000 or 00:01.000, shown as 0:01.
        let parts: Vec<&str> = start
            .split(['.', ','])
            .next()
            .unwrap_or_default()
            .split(':')
            .collect();
        let shown = match parts.as_slice() {
            ["00", minutes, seconds] | [minutes, seconds] => {
                format!("{}:{seconds}", minutes.trim_start_matches('0').max("0"))
            }
            [hours, minutes, seconds] => {
                format!("{}:{minutes}:{seconds}", hours.trim_start_matches('0'))
            }
            _ => start.to_string(),
        };
        let mut text = String::new();
        for line in lines {
            let mut in_tag = false;
            for c in line.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.push(' ');
        }
        let text = text.trim().to_string();
        if !text.is_empty() {
            cues.push((shown, text));
        }
    }
    cues
}

/// The modification time of `file`, `None` when it cannot be read.
fn modified(file: &Path) -> Option<SystemTime> {
    std::fs::metadata(file).and_then(|m| m.modified()).ok()
}
