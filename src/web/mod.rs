//! The public site and JSON API (axum), reading the index and the archive, never writing.
//!
//! [`app`] builds the router from a [`Site`], so tests drive it directly and through a real
//! socket; [`serve`] binds it. Every route goes through [`Site::public_record`] or the public
//! search index, which holds public records only: a record that is not public does not exist
//! here, and whether it exists is decided by one lookup in that index before anything of the
//! record is read, so a hidden id answers exactly as fast as an unknown one.

mod api;
pub mod auth;
mod compress;
pub mod error;
pub mod i18n;
mod linked;
mod media;
pub mod notices;
mod pages;
pub mod server;
mod sitemap;
pub mod templates;
pub use pages::today_in_vietnam;
mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;

use self::error::{Refusal, WebError};
use self::templates::Templates;
use crate::archive::{Archive, Inventory};
use crate::index::IndexDir;
use crate::index::authorities::Authorities;
use crate::index::search::{SearchIndex, SearchQuery, Sort, Suggestion};
use crate::model::access::Viewer;
use crate::model::text::{fold, nfc};
use crate::model::{Kind, Lang, Record, RecordId};

/// The Content-Security-Policy of every page: nothing from another origin, no inline script.
pub const PAGE_CSP: &str = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `Cache-Control` of everything derived from a record (pages, the API, media, sitemaps): caches
/// may store it but must revalidate before each use, so a record restricted since is never
/// served from a cache. Only static assets (CSS, scripts, fonts) are cacheable for a day.
pub const RECORD_CACHE_CONTROL: &str = "no-cache";

/// The viewer of a request: the [`Viewer`] the sign-in layer put in the request's extensions,
/// anonymous when there is none.
pub type ViewerExtension = Option<axum::extract::Extension<Viewer>>;

/// The viewer a request's [`ViewerExtension`] names (anonymous when absent).
pub fn viewer_of(extension: ViewerExtension) -> Viewer {
    extension
        .map(|axum::extract::Extension(viewer)| viewer)
        .unwrap_or_default()
}

/// A key naming the audience a response is made for, for every server cache: `public` for
/// anonymous visitors, else the viewer's role and sorted communities (`researcher:a,b`), so two
/// viewers share a cached response only when every decision of [`Viewer::may_see`] is the same
/// for both.
pub fn audience_key(viewer: &Viewer) -> String {
    match viewer {
        Viewer::Anonymous => "public".to_string(),
        Viewer::Account { role, groups } => {
            let groups: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
            format!("{role}:{}", groups.join(","))
        }
    }
}

/// Marks a response made for a signed-in viewer as theirs alone: `Cache-Control: private,
/// no-store` and `Vary: Cookie, Authorization`, so no shared cache keeps or serves it to
/// anyone else. Anonymous responses are returned unchanged.
pub fn for_viewer(
    viewer: &Viewer,
    mut response: axum::response::Response,
) -> axum::response::Response {
    if *viewer != Viewer::Anonymous {
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("private, no-store"),
        );
        headers.insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("Cookie, Authorization"),
        );
    }
    response
}

/// Everything the handlers share.
pub struct Site {
    archive: Archive,
    index: IndexDir,
    search: SearchIndex,
    templates: Templates,
    authorities: RwLock<(Option<SystemTime>, Arc<Authorities>)>,
    pages: RwLock<HashMap<String, CachedPage>>,
    origin: String,
    public_ids: RwLock<(u64, Arc<Vec<String>>)>,
    /// Records an ingest through another index is about to hide (see [`crate::index::hiding`]).
    hiding: crate::index::hiding::Notice,
    /// The last warning logged for each lasting fault (`"index"`, `"authorities"`), so a fault
    /// is logged once when it appears, not at every request.
    warned: std::sync::Mutex<HashMap<&'static str, String>>,
    /// The accounts database and session settings, when the site lets people sign in
    /// ([`Site::with_accounts`]); without it every request is anonymous.
    auth: Option<Arc<auth::Auth>>,
}

/// A rendered record page and what it was rendered from.
struct CachedPage {
    stamp: Stamp,
    html: Arc<compress::Encodings>,
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

/// Suggestions offered at most, and of them villages and crafts at most.
const SUGGESTIONS: usize = 8;
const PLACE_SUGGESTIONS: usize = 3;

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
        if !reconciled {
            // An ingest holds the archive: what it announced it hides may not be written yet.
            search.hide(&hiding.current())?;
        }
        Ok(Site {
            archive,
            search,
            templates: Templates::new(templates),
            authorities: RwLock::new((None, Arc::new(Authorities::default()))),
            pages: RwLock::new(HashMap::new()),
            index,
            origin: "http://127.0.0.1:8080".to_string(),
            public_ids: RwLock::new((u64::MAX, Arc::new(Vec::new()))),
            hiding,
            warned: std::sync::Mutex::new(HashMap::new()),
            auth: None,
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

    /// Sets the public origin (`https://disan.example`) that stable URLs, citations, sitemaps
    /// and link previews name. Configured, never taken from a request's Host header: pages are
    /// cached and shared.
    pub fn with_origin(mut self, origin: &str) -> Self {
        self.origin = origin.trim_end_matches('/').to_string();
        self
    }

    /// The public origin.
    pub fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The subtitle files of a record read as transcripts: one per language, cue by cue.
    pub fn transcripts(&self, record: &Record, inventory: &Inventory) -> Vec<serde_json::Value> {
        record
            .files
            .iter()
            .filter(|f| f.format.mime == "text/vtt" && f.size <= 512 * 1024)
            .filter_map(|file| {
                let path = self.archive.file_path(inventory, &file.path).ok()??;
                let text = std::fs::read_to_string(path).ok()?;
                let name = file.path.rsplit('/').next().unwrap_or(&file.path);
                let lang = views::subtitle_lang(name);
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
        let id = RecordId::parse(id).ok()?;
        let metadata =
            std::fs::metadata(self.archive.record_path(&id).join("inventory.json")).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
        #[cfg(not(unix))]
        let inode = 0;
        let authorities = std::fs::metadata(self.index.authorities_path())
            .and_then(|m| m.modified())
            .ok();
        Some(Stamp {
            inventory: (metadata.modified().ok(), metadata.len(), inode),
            authorities,
            index_generation: self.search.generation(),
        })
    }

    /// A page rendered earlier from exactly this state.
    pub(crate) fn cached_page(&self, id: &str, stamp: &Stamp) -> Option<Arc<compress::Encodings>> {
        let pages = self.pages.read().ok()?;
        pages
            .get(id)
            .filter(|page| page.stamp == *stamp)
            .map(|page| page.html.clone())
    }

    /// Keeps a rendered page of a public record.
    pub(crate) fn keep_page(
        &self,
        id: &str,
        stamp: Stamp,
        html: axum::body::Bytes,
    ) -> Arc<compress::Encodings> {
        let html = Arc::new(compress::Encodings::new(html));
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
        html
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
    fn warn_once(&self, what: &'static str, message: String) {
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
    fn fault_over(&self, what: &'static str) {
        self.warned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(what);
    }

    /// Whether an anonymous visitor may see record `id`: it has a document in the public index.
    /// Nothing of the record is read, so a hidden id costs what an unknown id costs.
    ///
    /// When the index cannot be read (a damaged segment), the archive decides instead, so record
    /// pages and media keep being served while search answers 500: the record must be public in
    /// the archive and not among the ids an ingest announced it hides ([`crate::index::hiding`],
    /// published before the archive changes). This costs a read of the record, and is logged.
    pub fn is_visible(&self, id: &str) -> bool {
        self.is_visible_for(&Viewer::Anonymous, id)
    }

    /// The everyone index as `viewer` may see it; `None` for an anonymous viewer, who is
    /// answered by the public index and never touches the everyone index.
    ///
    /// # Errors
    /// [`WebError::Internal`] when the everyone index cannot be read.
    fn scoped(&self, viewer: &Viewer) -> Result<Option<SearchIndex>, WebError> {
        if *viewer == Viewer::Anonymous {
            return Ok(None);
        }
        self.search
            .for_viewer(viewer)
            .map_err(|error| WebError::Internal(self.index_damaged(&error)))
    }

    /// [`Site::is_visible`] for `viewer`: a signed-in viewer's scope of the everyone index
    /// decides (see [`crate::index::search::SearchIndex::for_viewer`]); when it cannot be read,
    /// the archive decides for that viewer as for the public.
    pub fn is_visible_for(&self, viewer: &Viewer, id: &str) -> bool {
        let Ok(id) = RecordId::parse(id) else {
            return false;
        };
        let answer = match self.scoped(viewer) {
            Ok(None) => self.search.visible(id.as_str()),
            Ok(Some(scoped)) => scoped.visible(id.as_str()),
            Err(_) => Err(crate::index::search::SearchError::Damaged {
                path: self.search.path().to_path_buf(),
                reason: "the everyone index cannot be read".to_string(),
            }),
        };
        match answer {
            Ok(visible) => visible,
            Err(error) => {
                eprintln!("disan serve: {}", self.index_damaged(&error));
                let public = matches!(self.archive.record(&id), Ok(Some(record)) if viewer.may_see(&record.access));
                public
                    && !self
                        .hiding
                        .current()
                        .iter()
                        .any(|hidden| hidden == id.as_str())
            }
        }
    }

    /// The log line for an index that cannot be read.
    fn index_damaged(&self, error: &dyn std::fmt::Display) -> String {
        format!(
            "the search index {} cannot be read ({error}); search answers 500 until `disan reindex` rebuilds it (record pages and media are served from the archive meanwhile)",
            self.search.path().display()
        )
    }

    /// Runs `read` against the search index: an error or a panic (a corrupt segment can make
    /// tantivy's decoders panic) becomes a 500, logged naming the index and `disan reindex`,
    /// and never takes the server down.
    fn read_index<T>(
        &self,
        read: impl FnOnce(&SearchIndex) -> Result<T, crate::index::search::SearchError>,
    ) -> Result<T, WebError> {
        self.read_index_for(&Viewer::Anonymous, read)
    }

    /// [`Site::read_index`] as `viewer` may see the index: the public index for an anonymous
    /// viewer, the viewer's scope of the everyone index otherwise.
    fn read_index_for<T>(
        &self,
        viewer: &Viewer,
        read: impl FnOnce(&SearchIndex) -> Result<T, crate::index::search::SearchError>,
    ) -> Result<T, WebError> {
        let scoped = self.scoped(viewer)?;
        let index = scoped.as_ref().unwrap_or(&self.search);
        let caught = READING_INDEX.with(|reading| {
            reading.set(true);
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(index)));
            reading.set(false);
            caught
        });
        match caught {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(WebError::Internal(self.index_damaged(&error))),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                Err(WebError::Internal(self.index_damaged(&message)))
            }
        }
    }

    /// A record an anonymous visitor may see, with its inventory; anything else is `NotFound`.
    /// See [`Site::public_record_withheld`], which also says whether its files were withheld.
    pub fn public_record(&self, id: &str) -> Result<(Record, Inventory), WebError> {
        self.public_record_withheld(id)
            .map(|(record, inventory, _)| (record, inventory))
    }

    /// A record an anonymous visitor may see, with its inventory and whether its files are
    /// withheld; anything else is `NotFound`.
    /// Its texts are those a visitor may read ([`crate::index::public_text::public_record`]).
    /// Positions written in its description (location columns, coordinates in `spatial` or
    /// `coverage`) are removed: see [`crate::index::location::columns`].
    ///
    /// A record whose files a visitor may not see ([`Viewer::may_see_files`]: `files_access`
    /// narrower than its public description) comes without them: no file, so no file URL,
    /// derivative, file name, size, technical metadata or EXIF reaches any route, and every
    /// media URL of it answers exactly as one of a record without that file. Its provenance path
    /// (a file name) is left out too, and so is its files rule (which would name the community):
    /// the third value says only that its files are reserved.
    ///
    /// Visibility is decided first, by [`Site::is_visible`], before the archive is touched; the
    /// record read is then checked again (the index may lag a change by a moment, and only ever
    /// towards showing less).
    pub fn public_record_withheld(&self, id: &str) -> Result<(Record, Inventory, bool), WebError> {
        self.record_for(&Viewer::Anonymous, id)
    }

    /// [`Site::public_record_withheld`] for `viewer`: the record when `viewer` may see it, its
    /// files when `viewer` may see them ([`Viewer::may_see_files`]), embeds of records `viewer`
    /// may see; anything else is `NotFound`, as for an id that never existed.
    pub fn record_for(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<(Record, Inventory, bool), WebError> {
        if !self.is_visible_for(viewer, id) {
            return Err(WebError::NotFound);
        }
        let id = RecordId::parse(id).map_err(|_| WebError::NotFound)?;
        let inventory = self
            .archive
            .record_inventory(&id)
            .map_err(WebError::internal)?
            .ok_or(WebError::NotFound)?;
        let record = self
            .archive
            .record_from(&inventory)
            .map_err(WebError::internal)?;
        if !viewer.may_see(&record.access) {
            return Err(WebError::NotFound);
        }
        let withheld = !viewer.may_see_files(&record);
        // Every text as a visitor may read it: embeds of records that are not public leave no
        // id and no caption in anything made from it (page, API, JSON-LD, Open Graph, citation).
        let mut record = crate::index::public_text::public_record(&record, &|embedded| {
            self.is_visible_for(viewer, embedded)
        });
        if withheld {
            record.files.clear();
            record.provenance.path.clear();
        }
        record.files_access = None;
        // Positions written in the sheet are kept in the archive, never sent.
        crate::index::location::columns::withhold_written_positions(&mut record);
        Ok((record, inventory, withheld))
    }

    /// Search-as-you-type: villages and crafts whose names (Vietnamese or English) begin with the
    /// words typed, then titles of public records in either language; each labelled in `lang`
    /// where it has a name in it, and linked to the page in `lang`.
    pub fn suggest(&self, typed: &str, lang: Lang) -> Result<Vec<Suggestion>, WebError> {
        self.suggest_for(&Viewer::Anonymous, typed, lang)
    }

    /// [`Site::suggest`] with the titles of records `viewer` may see (villages and crafts are
    /// public to everyone).
    pub fn suggest_for(
        &self,
        viewer: &Viewer,
        typed: &str,
        lang: Lang,
    ) -> Result<Vec<Suggestion>, WebError> {
        let typed_words = words_of(typed);
        if typed_words.is_empty() {
            return Ok(Vec::new());
        }
        let begins = |names: &[Option<&String>]| {
            names.iter().flatten().any(|name| {
                let name_words = words_of(name);
                typed_words.iter().all(|typed| {
                    name_words
                        .iter()
                        .any(|word| word.starts_with(typed.as_str()))
                })
            })
        };
        let prefix = if lang == Lang::En { "/en" } else { "" };
        let named = |name: &String, english: Option<&String>| match (lang, english) {
            (Lang::En, Some(english)) => (english.clone(), "en"),
            _ => (name.clone(), "vi"),
        };
        let authorities = self.authorities();
        // A village or craft whose name begins with the words typed, labelled in `lang`.
        let place = |kind: &'static str,
                     folder: &str,
                     id: &str,
                     name: &String,
                     english: Option<&String>| {
            begins(&[Some(name), english]).then(|| {
                let (label, label_lang) = named(name, english);
                Suggestion {
                    label,
                    kind,
                    lang: label_lang,
                    url: format!("{prefix}/{folder}/{id}"),
                }
            })
        };
        let villages = authorities.villages.values().filter_map(|v| {
            place(
                "village",
                "villages",
                v.id.as_str(),
                &v.name,
                v.name_en.as_ref(),
            )
        });
        let crafts = authorities.crafts.values().filter_map(|c| {
            place(
                "craft",
                "crafts",
                c.id.as_str(),
                &c.name,
                c.name_en.as_ref(),
            )
        });
        let mut suggestions: Vec<Suggestion> =
            villages.chain(crafts).take(PLACE_SUGGESTIONS).collect();
        // More candidates than shown, so those written with the very tones typed come first
        // (break-12 finding 12: `Đọi` lists "… Đọi Tam" before "Đôi …"); the index's order is
        // kept among equals.
        let room = SUGGESTIONS - suggestions.len();
        let mut records =
            self.read_index_for(viewer, |search| search.suggest_in(typed, room * 4, lang))?;
        let typed_exact = exact_words(typed);
        records.sort_by_cached_key(|record| {
            let label = exact_words(&record.label);
            let exact = typed_exact
                .iter()
                .filter(|typed| label.iter().any(|word| word.starts_with(typed.as_str())))
                .count();
            (record.kind != "identifier", std::cmp::Reverse(exact))
        });
        records.truncate(room);
        suggestions.extend(records.into_iter().map(|mut record| {
            record.url = format!("{prefix}{}", record.url);
            record
        }));
        Ok(suggestions)
    }

    /// The ids of every public record, kept until the index changes.
    pub fn public_ids(&self) -> Result<Arc<Vec<String>>, WebError> {
        let generation = self.search.generation();
        if let Ok(cached) = self.public_ids.read()
            && cached.0 == generation
        {
            return Ok(cached.1.clone());
        }
        let ids = Arc::new(self.read_index(SearchIndex::public_ids)?);
        if let Ok(mut cached) = self.public_ids.write() {
            *cached = (generation, ids.clone());
        }
        Ok(ids)
    }

    /// Makes the index's latest commit visible now; every request does so itself first.
    pub fn reload_index(&self) {
        if let Err(error) = self.search.reload() {
            eprintln!("warning: cannot reload the search index: {error}");
        }
    }

    /// Public records like a public record; none (logged) when the index cannot be read, so the
    /// record page is still served.
    pub fn related(&self, id: &str) -> Result<Vec<crate::index::search::Hit>, WebError> {
        self.related_for(&Viewer::Anonymous, id)
    }

    /// [`Site::related`]: records `viewer` may see like one it may see, ranked from what it
    /// may see alone.
    pub fn related_for(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<Vec<crate::index::search::Hit>, WebError> {
        match self.read_index_for(viewer, |search| search.related(id, 6)) {
            Ok(hits) => Ok(hits),
            Err(error) => {
                eprintln!("disan serve: no related records: {error:?}");
                Ok(Vec::new())
            }
        }
    }

    /// Searches public records.
    pub fn search(
        &self,
        query: &SearchQuery,
    ) -> Result<crate::index::search::SearchResults, WebError> {
        self.search_for(&Viewer::Anonymous, query)
    }

    /// [`Site::search`] among the records `viewer` may see: results, totals, facet counts,
    /// orders, close spellings and pages computed from them alone.
    pub fn search_for(
        &self,
        viewer: &Viewer,
        query: &SearchQuery,
    ) -> Result<crate::index::search::SearchResults, WebError> {
        // One rule for every facet value: a value the site cannot name (a kind that is not a
        // kind, a village or craft id not in the authorities) is a 400 naming it; a known value
        // no visible record has is 200 with no results. Authority entries are public (the
        // /villages and /crafts pages list them all), so this tells nothing of hidden records.
        let authorities = self.authorities();
        for (name, value, known) in [
            (
                "village",
                &query.village,
                query
                    .village
                    .as_ref()
                    .is_none_or(|v| authorities.villages.contains_key(v)),
            ),
            (
                "craft",
                &query.craft,
                query
                    .craft
                    .as_ref()
                    .is_none_or(|c| authorities.crafts.contains_key(c)),
            ),
        ] {
            if !known {
                return Err(WebError::BadRequest(Refusal::UnknownId {
                    parameter: name.to_string(),
                    value: value.clone().unwrap_or_default(),
                }));
            }
        }
        self.read_index_for(viewer, |search| search.search(query))
    }
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

/// The words of `text` with their diacritics, lowercase NFC (the Icelandic `ð`, typed for `đ`
/// on some keyboards, read as `đ`), for comparing tones exactly.
fn exact_words(text: &str) -> Vec<String> {
    nfc(&text.to_lowercase())
        .replace('ð', "đ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// The folded words of `text`.
fn words_of(text: &str) -> Vec<String> {
    fold(&nfc(text))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// The most parameters a search URL may carry (its own eleven and a few tracking tags).
pub const MAX_PARAMETERS: usize = 32;

/// The longest query text a search takes, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// The parameters a search reads, each at most once.
const SEARCH_PARAMETERS: [&str; 11] = [
    "q", "kind", "village", "craft", "page", "sort", "lang", "district", "status", "decade",
    "media",
];

/// Reads `q`, `kind`, `village`, `craft`, `page` and `sort`, refusing malformed values with a message
/// that names the parameter.
///
/// `pairs` are the URL's parameters in order. Each search parameter may be given once: a
/// repeated one (`kind=festival&kind=story`) is refused with 400 naming it rather than one of
/// its values being kept silently (there is no multi-select within a field), and more than
/// [`MAX_PARAMETERS`] parameters are refused (break-12 finding 11). Unknown parameter names are
/// ignored, as before (tracking tags in shared links).
pub fn parse_query(pairs: &[(String, String)]) -> Result<SearchQuery, WebError> {
    if pairs.len() > MAX_PARAMETERS {
        return Err(WebError::BadRequest(Refusal::TooManyParameters {
            max: MAX_PARAMETERS,
            given: pairs.len(),
        }));
    }
    let mut params: HashMap<String, String> = HashMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        if params.insert(name.clone(), value.clone()).is_some()
            && SEARCH_PARAMETERS.contains(&name.as_str())
        {
            return Err(WebError::BadRequest(Refusal::Repeated {
                parameter: name.clone(),
            }));
        }
    }
    let params = &params;
    let page = match params
        .get("page")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        None => 1,
        Some(text) => match text.parse::<usize>().ok().filter(|page| *page >= 1) {
            // Results past the window are not paged (see `MAX_RESULT_WINDOW`).
            Some(page) if page <= crate::index::search::MAX_PAGE => page,
            Some(_) => {
                return Err(WebError::BadRequest(Refusal::PageTooDeep {
                    page: text.to_string(),
                }));
            }
            None => {
                return Err(WebError::BadRequest(Refusal::BadPage {
                    value: text.to_string(),
                }));
            }
        },
    };
    let kind = match params
        .get("kind")
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(text) => Some(
            text.parse::<Kind>()
                .map_err(|_| {
                    WebError::BadRequest(Refusal::BadKind {
                        value: text.to_string(),
                    })
                })?
                .as_str()
                .to_string(),
        ),
    };
    let slug = |name: &str| -> Result<Option<String>, WebError> {
        match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text)
                if text.len() <= 100
                    && text
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                Ok(Some(text.to_string()))
            }
            Some(text) => Err(WebError::BadRequest(Refusal::BadId {
                parameter: name.to_string(),
                value: text.to_string(),
            })),
        }
    };
    let sort = match params
        .get("sort")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => Sort::Relevance,
        Some(text) => Sort::parse(text).ok_or_else(|| {
            WebError::BadRequest(Refusal::BadSort {
                value: text.to_string(),
            })
        })?,
    };
    let mut facet_filters = Vec::new();
    for name in ["district", "status", "decade", "media"] {
        let Some(text) = params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let valid = match name {
            "district" => slug(name)?.is_some(),
            "status" => text.parse::<crate::model::RiskStatus>().is_ok(),
            "decade" => text.parse::<i32>().is_ok_and(|year| year % 10 == 0),
            _ => matches!(text, "yes" | "no"),
        };
        if !valid {
            let value = text.to_string();
            return Err(WebError::BadRequest(match name {
                "status" => Refusal::BadStatus { value },
                "decade" => Refusal::BadDecade { value },
                _ => Refusal::BadMedia { value },
            }));
        }
        facet_filters.push((name.to_string(), text.to_string()));
    }
    let text = params.get("q").cloned().unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(WebError::BadRequest(Refusal::TooLong {
            parameter: "q".to_string(),
            max: MAX_QUERY_CHARS,
        }));
    }
    // The language snippets prefer (the API's `lang`; a page's own language overrides it).
    let lang = match params.get("lang").map(|l| l.trim()).unwrap_or_default() {
        "" | "vi" => crate::model::Lang::Vi,
        "en" => crate::model::Lang::En,
        other => {
            return Err(WebError::BadRequest(Refusal::BadLang {
                value: other.to_string(),
            }));
        }
    };
    Ok(SearchQuery {
        text,
        kind,
        village: slug("village")?,
        craft: slug("craft")?,
        page,
        sort,
        facet_filters,
        lang,
    })
}

/// The pages, the same in both languages (the language comes from the path).
fn pages() -> Router<Arc<Site>> {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/records/{id}", get(pages::record))
        .route("/villages", get(pages::villages))
        .route("/villages/{id}", get(pages::village))
        .route("/crafts/{id}", get(pages::craft))
        .route("/festivals", get(pages::festivals))
        .route("/stories", get(pages::stories))
}

/// The router.
pub fn app(site: Arc<Site>) -> Router {
    // Only the routes that read the index pay for its freshness check; CSS, fonts, scripts,
    // robots.txt and the 404 page do not read it.
    let reads_index = Router::new()
        .merge(pages())
        .nest("/en", pages())
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemaps/{name}", get(sitemap::part))
        .route("/media/{id}/{rendition}/{*path}", get(media::media))
        .route("/api/search", get(api::search))
        .route("/api/suggest", get(api::suggest))
        .route("/api/records/{id}", get(api::record))
        .route("/api/{*rest}", axum::routing::any(error::api_not_found))
        .route_layer(axum::middleware::from_fn_with_state(
            site.clone(),
            fresh_index,
        ));
    let router = Router::new()
        .merge(reads_index)
        .merge(auth::routes())
        .route("/en/", get(english_home))
        .route("/static/{*file}", get(pages::static_file))
        .route("/robots.txt", get(sitemap::robots))
        .fallback(pages::not_found)
        // Every request learns its viewer (anonymous without an accounts database).
        .layer(axum::middleware::from_fn_with_state(
            site.clone(),
            auth::viewer::resolve,
        ));
    // The session layer wraps the viewer layer, which reads the session it provides.
    let router = match &site.auth {
        Some(auth) => router.layer(crate::accounts::sessions::layer(
            &auth.accounts,
            &auth.sessions,
        )),
        None => router,
    };
    router
        .layer(axum::middleware::from_fn(refuse_bodies))
        .layer(axum::middleware::map_response(security_headers))
        .layer(compress::layer())
        .with_state(site)
}

/// Whether `error` (as displayed) is a write refused by a read-only file system (`EROFS`) or by
/// permissions (`EACCES`): I/O errors reach here as text.
fn is_read_only(error: &dyn std::fmt::Display) -> bool {
    let text = error.to_string();
    [libc::EROFS, libc::EACCES]
        .into_iter()
        .any(|code| text.contains(&std::io::Error::from_raw_os_error(code).to_string()))
}

/// Before any handler reads the index, removes from it the records an ingest through another
/// index announced it hides ([`crate::index::hiding`]), and loads the index's latest commit if it
/// has one not yet loaded ([`SearchIndex::refresh`]); two `stat`s per request when nothing
/// changed. An ingest removes a record from every index before its archive commit, so a request
/// that arrives after the archive says "restricted" never sees the record listed.
async fn fresh_index(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let hidden = site.hiding.changed();
    let refreshed = match &hidden {
        Some(ids) => site.search.hide(ids).map(|_| ()),
        None => site.search.refresh(),
    };
    match refreshed {
        Ok(()) => site.fault_over("index"),
        Err(error) => {
            // The reader keeps the last commit it loaded: record pages, media and search go on
            // from it. Its newest commit may have removed records an ingest hides: those are
            // left out at query time (deny by default).
            site.search.suppress(&site.hiding.current());
            site.warn_once(
                "index",
                format!(
                    "warning: the search index {} changed on disk and cannot be loaded ({error}); \
                     serving its last good state until `disan reindex` rebuilds it",
                    site.search.path().display()
                ),
            );
        }
    }
    next.run(request).await
}

/// `/en/` is the English home page, `/en`: a permanent redirect, keeping the query.
async fn english_home(uri: axum::http::Uri) -> axum::response::Redirect {
    match uri.query() {
        Some(query) => axum::response::Redirect::permanent(&format!("/en?{query}")),
        None => axum::response::Redirect::permanent("/en"),
    }
}

/// The site reads no request bodies except the small forms of the sign-in routes: a request that
/// announces one (`Content-Length` above 0, or `Transfer-Encoding`) is answered 413 before any
/// handler runs, and its body is never read. A `POST` to a form of [`auth::FORM_PATHS`] may carry
/// a body of at most [`auth::BODY_LIMIT`] bytes with its `Content-Length` announced (browsers
/// always announce form bodies); a larger one gets a 413 page saying how large a form may be, before any anti-forgery
/// check (so an oversized form is never reported as forged).
async fn refuse_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let headers = request.headers();
    if request.method() == axum::http::Method::POST
        && auth::takes_form(request.uri().path())
        && !headers.contains_key(header::TRANSFER_ENCODING)
    {
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|length| length.to_str().ok())
            .and_then(|length| length.parse::<u64>().ok());
        return match length {
            None => next.run(request).await,
            Some(length) if length <= auth::BODY_LIMIT => next.run(request).await,
            _ => {
                let message = |lang| {
                    i18n::message(
                        lang,
                        "auth_body_too_large",
                        &[(
                            "kib",
                            fluent_bundle::FluentValue::from(auth::BODY_LIMIT / 1024),
                        )],
                    )
                };
                axum::response::IntoResponse::into_response((
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    [(header::CACHE_CONTROL, "no-store")],
                    format!("{} ({})", message(Lang::Vi), message(Lang::En)),
                ))
            }
        };
    }
    let announces_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0");
    if announces_body {
        let status = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
        if error::is_api(request.uri().path()) {
            let error::ApiLang(lang) = error::ApiLang::of(request.uri(), headers);
            let message = i18n::text(lang, "error_body_refused");
            return error::api_error(status, "body_refused", message, None);
        }
        return axum::response::IntoResponse::into_response((
            status,
            i18n::both_languages("error_body_refused"),
        ));
    }
    next.run(request).await
}

/// Every response gets the page CSP unless its handler chose a stricter one, and never sniffs;
/// it may be cached only as [`RECORD_CACHE_CONTROL`] says unless its handler chose otherwise
/// (static assets).
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(RECORD_CACHE_CONTROL));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(PAGE_CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

thread_local! {
    /// Set while [`Site::read_index`] runs a read it catches panics of.
    static READING_INDEX: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays silent for panics [`Site::read_index`] catches (a damaged
/// segment makes tantivy's decoders panic; the request logs one line naming the index and
/// `disan reindex`), instead of a message and, under `RUST_BACKTRACE`, a backtrace for every
/// request (3,148 lines for 16 requests, break-site finding 10). Other panics are reported by
/// the hook that was installed before.
fn quiet_index_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING_INDEX.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Serves the site on `listener` until interrupted, within the limits this process's
/// descriptor limit allows ([`server::Limits::for_this_process`]).
pub async fn serve(site: Arc<Site>, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_with(site, listener, server::Limits::for_this_process()).await
}

/// [`serve`] within the given limits.
pub async fn serve_with(
    site: Arc<Site>,
    listener: tokio::net::TcpListener,
    limits: server::Limits,
) -> anyhow::Result<()> {
    quiet_index_panics();
    println!("Disan is serving at http://{}/", listener.local_addr()?);
    server::serve(app(site), listener, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
