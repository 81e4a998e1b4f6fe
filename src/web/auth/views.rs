//! Who saw what (issue 13): every view of a non-public record or file by a signed-in person is
//! logged ([`record_view`], called by the record page, the record API and the media route through
//! [`log_view`]), and archivists read the log per record at `/record/{id}/views` (and `/en/…`).
//! To anyone else that page does not exist (the same 404 as an unknown path).
//!
//! A film is fetched as many Range requests, a page shows a file's thumbnail and display image,
//! and a harvester reads a record's API answer many times: repeated requests by the same account
//! for the same file of the same record, or for the same record's description (its page in
//! either language, its API answer), each within [`FILE_VIEW_WINDOW`] of the previous one, from
//! the same client address, are one line (the first request's time), so that nobody can flood
//! the log and the log stays readable. The address is part of the coalescing key: the same
//! account (a stolen cookie or token) from another address gets its own line at once, even while
//! the owner keeps the window open. The log page shows the newest [`VIEW_LOG_SHOWN`] lines and how many
//! there are in all, each with its kind (page, API, file, search hit).
//!
//! Search exposure: a search page, `/api/search` or `/api/suggest` answer that shows a signed-in
//! account a non-public record (its title, snippet, thumbnail) is one line of kind `search` per
//! (account, record, address) within the same window ([`exposed`]). These lines are gathered in memory
//! and written by a background task in one transaction every [`EXPOSURE_FLUSH`]: a request never
//! waits for the database, and twenty hidden hits cost no write on its path. A batch that cannot
//! be written is reported on standard error (the answer was already sent).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::account::blocking;
use super::{Proof, SignedIn, forms};
use crate::accounts::{SearchExposure, StoreError, ViewKind};
use crate::model::access::{Access, Viewer};
use crate::model::{RecordId, Role};
use crate::web::Site;
use crate::web::error::WebError;
use crate::web::pages::Visit;

/// Logs that `signed` saw `record` (or one of its files, `file` as named in the record) from
/// `address`, when what was shown is not public (`access`: the record's access for the
/// description, its files' access for a file). Anonymous requests and public material are not
/// logged. Call it before sending a 200 for non-public material: an `Err` means the view could
/// not be logged, and the caller answers 500 rather than show a secret unlogged.
///
/// # Errors
/// The accounts database failed.
pub fn record_view(
    site: &Site,
    signed: Option<&SignedIn>,
    access: &Access,
    record: &RecordId,
    kind: ViewKind,
    file: Option<&str>,
    address: Option<&str>,
) -> Result<(), StoreError> {
    let (Some(auth), Some(signed)) = (&site.auth, signed) else {
        return Ok(());
    };
    if Viewer::Anonymous.may_see(access) {
        return Ok(());
    }
    let key = recent_key(&auth.accounts, signed, record, kind, file, address);
    let now = auth.accounts.now();
    if seen_recently(&key, now) {
        return Ok(());
    }
    auth.accounts
        .log_view_as(signed.user, record, kind, file, address)?;
    remember(key, now);
    Ok(())
}

/// Whether `key` was logged within [`FILE_VIEW_WINDOW`] before `now` (moving its window on when
/// so).
fn seen_recently(key: &RecentKey, now: i64) -> bool {
    let mut recent = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    match recent.get_mut(key) {
        Some(last) if now.saturating_sub(*last) < FILE_VIEW_WINDOW => {
            *last = now;
            true
        }
        _ => false,
    }
}

/// Notes that `key` was logged at `now`.
fn remember(key: RecentKey, now: i64) {
    let mut recent = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    if recent.len() >= RECENT_LIMIT {
        recent.retain(|_, last| now.saturating_sub(*last) < FILE_VIEW_WINDOW);
    }
    recent.insert(key, now);
}

/// How long search exposures wait in memory before they are written, together, in one
/// transaction.
pub const EXPOSURE_FLUSH: std::time::Duration = std::time::Duration::from_millis(250);

/// Search exposures waiting to be written to one accounts database: the database (to write
/// them with), the lines, and when their flush was scheduled.
struct Waiting {
    auth: Arc<super::Auth>,
    lines: Vec<SearchExposure>,
    /// When the task that writes them was spawned. A task whose runtime ended before it ran
    /// (a server stopping; each test has its own runtime) never clears this: a schedule older
    /// than [`LOST_FLUSH`] is taken as lost and made again, so lines never wait for ever.
    scheduled: std::time::Instant,
}

/// After this long, a scheduled flush that has not run is taken as lost ([`Waiting`]).
const LOST_FLUSH: std::time::Duration = std::time::Duration::from_secs(5);

/// The waiting exposures, by accounts database (each has its own flush).
static EXPOSURES: LazyLock<Mutex<HashMap<PathBuf, Waiting>>> = LazyLock::new(Mutex::default);

/// Logs that `witness`'s account was shown the records `ids` as search hits or suggestions:
/// those the public may not see (no document in the public index: one lookup each), each at
/// most once per (account, record, client address) within [`FILE_VIEW_WINDOW`]. Nothing for anonymous requests
/// or a site without accounts. No database write happens here: the lines are queued and written
/// in one transaction by a background task ([`EXPOSURE_FLUSH`] later).
pub fn exposed<'a>(site: &Arc<Site>, witness: &Witness, ids: impl IntoIterator<Item = &'a str>) {
    let (Some(auth), Some(signed)) = (&site.auth, &witness.signed) else {
        return;
    };
    let now = auth.accounts.now();
    let mut lines = Vec::new();
    for id in ids {
        if site.is_visible(id) {
            continue;
        }
        let Ok(record) = RecordId::parse_exact(id) else {
            continue;
        };
        let key = RecentKey {
            accounts: auth.accounts.path().to_path_buf(),
            user: signed.user.0,
            record: id.to_string(),
            kind: ViewKind::Search,
            file: None,
            address: witness.address.clone(),
        };
        if seen_recently(&key, now) {
            continue;
        }
        remember(key, now);
        lines.push(SearchExposure {
            user: signed.user,
            at: now,
            record,
            address: witness.address.clone(),
        });
    }
    if lines.is_empty() {
        return;
    }
    let path = auth.accounts.path().to_path_buf();
    let schedule = {
        let mut exposures = EXPOSURES.lock().unwrap_or_else(PoisonError::into_inner);
        let now = std::time::Instant::now();
        match exposures.get_mut(&path) {
            Some(waiting) => {
                waiting.lines.extend(lines);
                let lost = now.duration_since(waiting.scheduled) > LOST_FLUSH;
                if lost {
                    waiting.scheduled = now;
                }
                lost
            }
            None => {
                let waiting = Waiting {
                    auth: auth.clone(),
                    lines,
                    scheduled: now,
                };
                exposures.insert(path.clone(), waiting);
                true
            }
        }
    };
    if schedule {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    tokio::time::sleep(EXPOSURE_FLUSH).await;
                    let _ = tokio::task::spawn_blocking(move || flush_exposures(&path)).await;
                });
            }
            Err(_) => flush_exposures(&path),
        }
    }
}

/// Writes every search exposure waiting for the accounts database at `path`, in one
/// transaction.
fn flush_exposures(path: &std::path::Path) {
    let Some(waiting) = EXPOSURES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(path)
    else {
        return;
    };
    if let Err(error) = waiting.auth.accounts.log_search_exposures(&waiting.lines) {
        eprintln!(
            "warning: {} search exposure(s) could not be written to the view log in {}: {error}",
            waiting.lines.len(),
            path.display()
        );
    }
}

/// The coalescing memory's key of a view (see [`RECENT`]).
fn recent_key(
    accounts: &crate::accounts::Accounts,
    signed: &SignedIn,
    record: &RecordId,
    kind: ViewKind,
    file: Option<&str>,
    address: Option<&str>,
) -> RecentKey {
    RecentKey {
        accounts: accounts.path().to_path_buf(),
        user: signed.user.0,
        record: record.as_str().to_string(),
        kind,
        file: file.map(str::to_string),
        address: address.map(str::to_string),
    }
}

/// Seconds within which a repeated request for the same file (or description) of a record by
/// the same account from the same client address is not logged again (each repeat moves the window on): 10 minutes, so one
/// film played through its Range requests, one page's thumbnail and display image, or a page
/// reloaded and its API answer read, are one line.
pub const FILE_VIEW_WINDOW: i64 = 10 * 60;

/// The most lines the log page shows (the newest); the page says how many there are in all.
pub const VIEW_LOG_SHOWN: u32 = 1000;

/// Entries of [`RECENT`] past which the stale ones are dropped.
const RECENT_LIMIT: usize = 10_000;

/// What makes two views one line of the log (see [`RECENT`]): the same accounts database,
/// account, record, kind, file (`None` for the description) and client address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RecentKey {
    /// The accounts database's path, so two sites in one process (tests) never share a key.
    accounts: PathBuf,
    /// The account's row id.
    user: i64,
    /// The record id.
    record: String,
    kind: ViewKind,
    /// The file as the record names it; `None` for the description.
    file: Option<String>,
    /// The client address ([`address_of`]): another address is another line (break-13b R10).
    address: Option<String>,
}

/// When each [`RecentKey`] was last requested, by the accounts database's clock: the memory of
/// [`record_view`]'s and [`exposed`]'s coalescing.
static RECENT: LazyLock<Mutex<HashMap<RecentKey, i64>>> = LazyLock::new(Mutex::default);

/// [`record_view`] off the async threads, for a handler about to answer 200 with `record`'s
/// description (`file` `None`) or one of its files, whose rule is `access`. The address is the
/// client's ([`super::viewer::client_address`]).
///
/// # Errors
/// [`WebError::Internal`] when the view cannot be logged: the handler answers it instead of the
/// non-public material, which is never shown unlogged.
pub async fn log_view(
    site: &Arc<Site>,
    signed: Option<&SignedIn>,
    access: &Access,
    record: &RecordId,
    file: Option<&str>,
    address: Option<String>,
) -> Result<(), WebError> {
    let kind = if file.is_some() {
        ViewKind::File
    } else {
        ViewKind::Page
    };
    log_view_as(site, signed, access, record, kind, file, address).await
}

/// [`log_view`] of a view of `kind`.
///
/// # Errors
/// As [`log_view`].
async fn log_view_as(
    site: &Arc<Site>,
    signed: Option<&SignedIn>,
    access: &Access,
    record: &RecordId,
    kind: ViewKind,
    file: Option<&str>,
    address: Option<String>,
) -> Result<(), WebError> {
    let (Some(signed), false) = (signed, Viewer::Anonymous.may_see(access)) else {
        return Ok(());
    };
    let Some(auth) = &site.auth else {
        return Ok(());
    };
    // A repeat within the window is not logged: known without a blocking thread.
    if seen_recently(
        &recent_key(
            &auth.accounts,
            signed,
            record,
            kind,
            file,
            address.as_deref(),
        ),
        auth.accounts.now(),
    ) {
        return Ok(());
    }
    let (site, signed, access, record) =
        (site.clone(), signed.clone(), access.clone(), record.clone());
    let file = file.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        record_view(
            &site,
            Some(&signed),
            &access,
            &record,
            kind,
            file.as_deref(),
            address.as_deref(),
        )
    })
    .await
    .map_err(WebError::internal)?
    .map_err(|error| WebError::internal(format!("the view could not be logged: {error}")))
}

/// The client address of a request for the view log: its peer (or the proxy's
/// `X-Forwarded-For` under `--trust-forwarded-for`); `None` without an accounts database.
pub fn address_of(
    site: &Site,
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> Option<String> {
    let auth = site.auth.as_ref()?;
    let peer = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
    super::viewer::client_address(auth, headers, peer)
}

fn archivist(visit: &Visit) -> bool {
    visit.signed_in.as_ref().is_some_and(|signed| {
        signed.role == Role::Archivist && signed.by == Proof::Session && !signed.must_enrol
    })
}

/// `GET /record/{id}/views`: the record's view log, newest first, for archivists only: an admin manages accounts and does not bypass community protocols, so reads no record's log.
///
/// A record the archivist may not see, or that does not exist exactly as written (`HN.K1` is
/// not `hn.k1`, nor `HN.K1.`), answers the 404 of an unknown id, as every other id route
/// ([`Site::is_visible_for`]); issue 15's break round found this page saying "nobody opened
/// this record" for any id.
pub async fn page(
    State(site): State<Arc<Site>>,
    visit: Visit,
    viewer: crate::web::ViewerExtension,
    Path(id): Path<String>,
) -> Response {
    let (Some(auth), true) = (site.auth.clone(), archivist(&visit)) else {
        return WebError::NotFound.into_response();
    };
    if !site.is_visible_for(&crate::web::viewer_of(viewer), &id) {
        return WebError::NotFound.into_response();
    }
    let Ok(record) = RecordId::parse_exact(&id) else {
        return WebError::NotFound.into_response();
    };
    let shown = record.clone();
    let newest = blocking(&auth, move |accounts| {
        Ok(accounts.view_log_newest(&record, VIEW_LOG_SHOWN)?)
    })
    .await;
    let Ok((rows, total)) = newest else {
        return WebError::internal("the view log cannot be read").into_response();
    };
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "login": row.login,
                "at": super::account::date(row.at),
                "file": row.file,
                "address": row.address,
                // Lines logged before kinds were recorded: a file, or the page or API answer.
                "kind": row.kind.clone().unwrap_or_else(|| {
                    if row.file.is_some() { "file" } else { "record" }.to_string()
                }),
            })
        })
        .collect();
    let context = json!({
        "record": shown.as_str(),
        "views": rows,
        "total": total,
        "shown": VIEW_LOG_SHOWN.min(total as u32),
    });
    forms::render(&site, &visit, "record_views.html", context)
}

/// Who is looking, for the view log: the signed-in account (if any) and the client's address.
/// An extractor for the handlers that show non-public material (record page, record API).
#[derive(Debug, Clone, Default)]
pub struct Witness {
    /// The account signed in for this request.
    pub signed: Option<SignedIn>,
    /// The client's address ([`address_of`]).
    pub address: Option<String>,
}

impl axum::extract::FromRequestParts<Arc<Site>> for Witness {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        site: &Arc<Site>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Witness {
            signed: parts.extensions.get::<SignedIn>().cloned(),
            address: address_of(site, &parts.headers, &parts.extensions),
        })
    }
}

impl Witness {
    /// Logs that this request is shown record `id`'s description, when it is not public (it
    /// has no document in the public index: one lookup, so a page served from the cache is
    /// logged as one rendered now). Call it once the viewer is known to may see the record.
    ///
    /// # Errors
    /// As [`log_view`]: the view could not be logged, and is not shown.
    pub async fn saw_record(
        &self,
        site: &Arc<Site>,
        id: &str,
        kind: ViewKind,
    ) -> Result<(), WebError> {
        if self.signed.is_none() || site.is_visible(id) {
            return Ok(());
        }
        let record = RecordId::parse_exact(id).map_err(|_| WebError::NotFound)?;
        // Any rule the public may not see: what is logged is the record, not its rule.
        log_view_as(
            site,
            self.signed.as_ref(),
            &Access::Restricted,
            &record,
            kind,
            None,
            self.address.clone(),
        )
        .await
    }
}
