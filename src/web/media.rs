//! Media: originals from the archive and derivatives from the index, with content types, caching
//! headers and HTTP Range requests (tower-http's `ServeFile`), so films and sound seek.
//!
//! URLs name the record (`/media/{id}/display/0`, `/media/{id}/files/phim.mp4`), never a digest,
//! so every request passes the record's access check for the request's viewer
//! ([`Site::record_for`]: [`crate::model::access::Viewer::may_see`] for the record,
//! [`crate::model::access::Viewer::may_see_files`] for its files). A viewer who may not gets the
//! byte-identical 404 of a file that never existed. Originals are served under a sandboxing
//! Content-Security-Policy: an SVG or HTML file with a script cannot run it in the site's origin.
//!
//! Derivatives of files the public may see are read from the public store, those of other files
//! from the private store ([`crate::index::derivatives::Stores`]), which is read only here, after
//! that check. A signed-in viewer's answers are `Cache-Control: private, no-store` with
//! `Vary: Cookie, Authorization`, and each non-public file sent is in the view log
//! ([`super::auth::views::log_view`], Range requests of one film coalesced).
//!
//! Which bytes of an original a viewer receives is decided in one place, [`original_for`], per
//! [`Audience`]:
//! - anonymous visitors, researchers and admins: the preserved original when it holds no
//!   location metadata, else its public copy with the location removed, else nothing (404);
//!   see [`crate::index::location`]. An account that may see a record's files may still not
//!   learn where an artisan lives from a phone's GPS: positions are for archivists;
//! - archivists: the preserved original, always (they keep the archive, positions included).
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::Site;
use super::auth::SignedIn;
use super::error::WebError;
use super::text_names::{original_is_public, text_kind};
use crate::archive::Inventory;
use crate::index::derivatives::{DerivativeStore, Rendition};
use crate::index::location::{self, PublicCopy, Status};
use crate::index::search::has_derivative;
use crate::model::access::{Access, Viewer};
use crate::model::{FileEntry, Record, Role, Sha256};

/// The policy of originals: no script, no plugin, no network; styles inline only (SVG needs them).
const ORIGINAL_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'";

/// A record as a viewer may see it, for its media: the record ([`Site::record_for`]: no file
/// when the viewer may not see them), its inventory, and the rule its files are under as the
/// view log counts it ([`Access::Public`] when the public may see them).
pub struct Shown {
    /// Who it is shown to.
    pub viewer: Viewer,
    /// The record as `viewer` may see it.
    pub record: Record,
    /// Its inventory.
    pub inventory: Inventory,
    /// Whether the public may see its files: their derivatives are in the public store.
    pub files_public: bool,
    /// The rule of what the viewer sees of its files: [`Access::Public`] when the public may
    /// see them, else the narrower of the record's rule and its files rule that keeps them from
    /// the public (for the view log).
    pub files_rule: Access,
}

/// [`Shown`] for `viewer`, or `NotFound` exactly as for an unknown id. An anonymous viewer is
/// given files only when they are public; a signed-in viewer's record is read once more for its
/// files rule (which [`Site::record_for`] leaves out of what it returns: it names communities).
///
/// # Errors
/// `NotFound` for a record `viewer` may not see; `Internal` when the archive cannot be read.
pub fn shown_to(site: &Site, viewer: &Viewer, id: &str) -> Result<Shown, WebError> {
    let (record, inventory, _) = site.record_for(viewer, id)?;
    let (files_public, files_rule) = if *viewer == Viewer::Anonymous {
        (true, Access::Public)
    } else {
        let full = site
            .archive
            .record_from(&inventory)
            .map_err(WebError::internal)?;
        let public = Viewer::Anonymous.may_see_files(&full);
        let rule = if public {
            Access::Public
        } else if full.access != Access::Public {
            full.access.clone()
        } else {
            full.files_rule().clone()
        };
        (public, rule)
    };
    Ok(Shown {
        viewer: viewer.clone(),
        record,
        inventory,
        files_public,
        files_rule,
    })
}

/// `GET /media/{id}/{display|thumb}/{n}` and `GET /media/{id}/files/{path}`, answered for the
/// request's viewer.
pub async fn media(
    State(site): State<Arc<Site>>,
    Path((id, rendition, path)): Path<(String, String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let viewer = request
        .extensions()
        .get::<Viewer>()
        .cloned()
        .unwrap_or_default();
    let signed = request.extensions().get::<SignedIn>().cloned();
    let shown = shown_to(&site, &viewer, &id)?;
    let record = &shown.record;
    let stores = site.index.stores();
    // `tag` is the ETag's opaque value: never a digest of an original that is not sent as it is.
    let (file_path, mime, is_original, tag, logged) = match rendition.as_str() {
        "display" | "thumb" => {
            let n: usize = path.parse().map_err(|_| WebError::NotFound)?;
            let file = record.files.get(n).ok_or(WebError::NotFound)?;
            if !has_derivative(&file.format.mime) {
                return Err(WebError::NotFound);
            }
            // The preview of a text-like original (an SVG) absent for the viewer is absent too.
            if Audience::of(&viewer) != Audience::Archivist && text_kind(file).is_some() {
                let stored = site
                    .archive
                    .file_path(&shown.inventory, &file.path)
                    .map_err(WebError::internal)?
                    .ok_or(WebError::NotFound)?;
                if !original_is_public(&site, &viewer, file, stored).await {
                    return Err(WebError::NotFound);
                }
            }
            let which = if rendition == "display" {
                Rendition::Display
            } else {
                Rendition::Thumbnail
            };
            let derived = stores
                .find_derivative(&file.sha256, which, shown.files_public)
                .ok_or(WebError::NotFound)?;
            let tag = derivative_tag(&derived).ok_or(WebError::NotFound)?;
            (
                derived,
                "image/jpeg".to_string(),
                false,
                tag,
                file.path.clone(),
            )
        }
        "files" => {
            let logical = format!("{}/{path}", crate::archive::FILES_DIR);
            let file = record
                .files
                .iter()
                .find(|f| f.path == logical)
                .ok_or(WebError::NotFound)?;
            let audience = Audience::of(&viewer);
            let (sent, sha) = original_for(&site, audience, &shown, file).await?;
            (
                sent,
                file.format.mime.clone(),
                true,
                sha.to_hex(),
                file.path.clone(),
            )
        }
        _ => return Err(WebError::NotFound),
    };
    if !file_path.exists() {
        return Err(WebError::NotFound);
    }
    // Logged before anything of a non-public file is sent (a 304 too: it confirms the copy the
    // viewer holds); a view that cannot be logged is not served.
    let address = super::auth::views::address_of(&site, request.headers(), request.extensions());
    super::auth::views::log_view(
        &site,
        signed.as_ref(),
        &shown.files_rule,
        &record.id,
        Some(&logged),
        address,
    )
    .await?;
    let mime: mime::Mime = if mime == "text/vtt" || mime.starts_with("text/") {
        format!("{mime}; charset=utf-8")
            .parse()
            .unwrap_or(mime::TEXT_PLAIN_UTF_8)
    } else {
        mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM)
    };
    // The bytes behind an ETag never change (an original's is the digest of what is sent, a
    // derivative's its own size and time of making), so a matching If-None-Match is answered
    // without reading the file.
    let etag = HeaderValue::from_str(&format!("\"{tag}\"")).map_err(WebError::internal)?;
    let matches = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.to_str().unwrap_or_default()
        });
    if matches {
        let mut response = axum::http::StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, etag);
        return Ok(super::for_viewer(&viewer, response));
    }
    let mut request = request;
    if !if_range_holds(request.headers(), &etag, &file_path) || asks_several_ranges(&request) {
        // RFC 9110 §13.1.5: a range of a representation the client does not hold would be
        // spliced into the wrong bytes; the whole representation is sent instead. Several ranges
        // at once are answered the same way (a server may ignore Range, §14.2): `ServeFile`
        // refuses them with 416, which tells a client its request cannot be satisfied.
        request.headers_mut().remove(header::RANGE);
    }
    let response = ServeFile::new_with_mime(&file_path, &mime)
        .oneshot(request)
        .await
        .map_err(WebError::internal)?;
    let mut response = response.map(Body::new).into_response();
    response.extensions_mut().insert(super::compress::Preserved);
    let headers = response.headers_mut();
    headers.insert(header::ETAG, etag);
    // Stored but revalidated on every use: a record restricted later must stop being served by
    // any cache at once (the ETag makes revalidation a bodiless 304).
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(super::RECORD_CACHE_CONTROL),
    );
    if is_original {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(ORIGINAL_CSP),
        );
        let essence = mime.essence_str();
        if essence == "text/html" || essence.ends_with("xml") {
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            );
        }
    }
    Ok(super::for_viewer(&viewer, response))
}

/// The ETag value of a display image or thumbnail: its own size and modification time (as nginx
/// does: `d-{size:x}-{nanoseconds since 1970:x}`), never the original's digest, which for a file
/// whose location was removed would let anyone test guessed positions against it. `None` when
/// the derivative does not exist.
fn derivative_tag(derived: &std::path::Path) -> Option<String> {
    let metadata = std::fs::metadata(derived).ok()?;
    let made = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    Some(format!("d-{:x}-{made:x}", metadata.len()))
}

/// Whether the request's `Range` asks for more than one range (`bytes=0-1,5-6`).
fn asks_several_ranges(request: &Request) -> bool {
    request
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains(','))
}

/// Whether a `Range` may be honoured under the request's `If-Range` (RFC 9110 §13.1.5): true
/// without an `If-Range`; with one, only when it names this representation — an entity tag by
/// strong comparison (a weak tag never matches), or an HTTP date exactly equal to the
/// `Last-Modified` sent for `file` (its modification time as an IMF-fixdate, as `ServeFile`
/// sends it). Anything else (another tag, another or unparsable date) is false.
fn if_range_holds(
    headers: &axum::http::HeaderMap,
    etag: &HeaderValue,
    file: &std::path::Path,
) -> bool {
    let Some(condition) = headers.get(header::IF_RANGE) else {
        return true;
    };
    let Ok(condition) = condition.to_str() else {
        return false;
    };
    let condition = condition.trim();
    if condition.starts_with('"') || condition.starts_with("W/") {
        return condition.as_bytes() == etag.as_bytes();
    }
    std::fs::metadata(file)
        .and_then(|metadata| metadata.modified())
        .is_ok_and(|modified| httpdate::fmt_http_date(modified) == condition)
}

/// Who is asking for an original, as far as which of its bytes they receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A visitor without an account: only what the location rules let anyone receive.
    Anonymous,
    /// A researcher or an admin admitted to the record's files: the preserved original when it
    /// holds no position, else its public copy (positions are for archivists).
    Account,
    /// An archivist: the preserved original, whatever it holds.
    Archivist,
}

impl Audience {
    /// The audience of `viewer`.
    pub fn of(viewer: &Viewer) -> Self {
        match viewer.role() {
            None => Audience::Anonymous,
            Some(Role::Archivist) => Audience::Archivist,
            Some(Role::Researcher | Role::Admin) => Audience::Account,
        }
    }
}

/// The one decision of which bytes of an archived original `audience` receives: the file to send
/// and the SHA-256 of its bytes (the ETag). The caller has checked that the viewer may see the
/// record's files (`shown`, [`shown_to`]).
/// - [`Audience::Archivist`]: the preserved original as it is.
/// - [`Audience::Anonymous`] and [`Audience::Account`]: the preserved original when it holds no
///   location metadata, its public copy when the location had to be removed, and `NotFound`
///   when it cannot be checked with certainty, exactly as for an unknown path; a text-like
///   original (Markdown, plain text, PDF…) only when its text names nothing the viewer may not
///   see ([`super::text_names`]), else `NotFound`.
pub async fn original_for(
    site: &Arc<Site>,
    audience: Audience,
    shown: &Shown,
    file: &FileEntry,
) -> Result<(std::path::PathBuf, Sha256), WebError> {
    let stored = || {
        site.archive
            .file_path(&shown.inventory, &file.path)
            .map_err(WebError::internal)?
            .ok_or(WebError::NotFound)
    };
    if audience == Audience::Archivist {
        return Ok((stored()?, file.sha256));
    }
    let check = location_of(site, shown.files_public, &shown.inventory, file).await?;
    // A text-like original naming what the viewer may not see is no file for them, whatever
    // copy of it they would otherwise receive (`text_names`).
    if text_kind(file).is_some() && !original_is_public(site, &shown.viewer, file, stored()?).await
    {
        return Err(WebError::NotFound);
    }
    match (check.copy.status, check.copy.sha256) {
        (Status::Clean, _) => Ok((stored()?, file.sha256)),
        (Status::Scrubbed, Some(sha)) => Ok((check.store.public_copy_path(&file.sha256), sha)),
        _ => Err(WebError::NotFound),
    }
}

/// A location decision and the store that keeps it (and the public copy it names).
pub struct Located {
    /// What anyone but an archivist receives of the file.
    pub copy: PublicCopy,
    /// The store holding the decision.
    pub store: DerivativeStore,
}

/// What anyone but an archivist receives of `file` (a file of a record whose files the public
/// may see, `files_public`, or not), and the store keeping that decision: the file's home store
/// ([`crate::index::derivatives::Stores::home`]), else the other (the same bytes held by a record
/// of the other kind). The caller has checked that the viewer may see the record's files. When neither keeps an answer yet, as after an upgrade before
/// `reindex`, the file is checked now (off the async threads: a film is read whole) and the
/// answer kept in its home store.
///
/// # Errors
/// `Internal` when the archive cannot be read or the check fails.
pub async fn location_of(
    site: &Arc<Site>,
    files_public: bool,
    inventory: &Inventory,
    file: &FileEntry,
) -> Result<Located, WebError> {
    let stores = site.index.stores();
    let home = stores.home(files_public).clone();
    for store in [home.clone(), stores.home(!files_public).clone()] {
        if let Some(copy) = location::kept(&store, &file.sha256) {
            return Ok(Located { copy, store });
        }
    }
    let (site, inventory, file) = (site.clone(), inventory.clone(), file.clone());
    tokio::task::spawn_blocking(move || {
        let path = location::archived_path(&site.archive, &inventory, &file)
            .map_err(WebError::internal)?;
        // An untrusted file is parsed in a worker within budgets (a PDF's streams, a ZIP), never
        // in the server itself.
        crate::index::sandbox::check_location(&home, &path, &file.sha256, &file.format.mime)
            .map_err(WebError::internal)?;
        let copy = location::kept(&home, &file.sha256).ok_or_else(|| {
            WebError::internal(format!("no location decision was kept for {}", file.path))
        })?;
        Ok(Located { copy, store: home })
    })
    .await
    .map_err(WebError::internal)?
}

/// What a record page or API answer shows of each file of a record, in the order of its
/// `files` (positions are kept, so `/media/{id}/display/{n}` names the same file on every route).
#[derive(Debug, Default)]
pub struct Listing {
    /// What the viewer receives of each file ([`original_for`]'s decision).
    pub copies: Vec<PublicCopy>,
    /// Whether each file has a display image and thumbnail to show.
    pub previews: Vec<bool>,
    /// Whether each file does not exist for the viewer: listed nowhere, with no URL, size or
    /// digest, preview or transcript, and answered as an unknown path (a text-like original
    /// naming something the viewer may not see, [`super::text_names`]).
    pub absent: Vec<bool>,
}

/// For a record page or API answer made for `viewer` (`record` as [`Site::record_for`] gave
/// it): what `viewer` receives of each file ([`original_for`]'s decision: an archivist the
/// preserved original, anyone else the original or its public copy), whether each has a
/// display image and thumbnail to show, looked up in the store that holds them, and whether
/// each is absent for the viewer (the same rule as [`original_for`]'s for text-like originals).
///
/// # Errors
/// As [`location_of`].
pub async fn copies_and_previews(
    site: &Arc<Site>,
    viewer: &Viewer,
    inventory: &Inventory,
    record: &Record,
) -> Result<Listing, WebError> {
    let files_public = if record.files.is_empty() || *viewer == Viewer::Anonymous {
        true
    } else {
        let full = site
            .archive
            .record_from(inventory)
            .map_err(WebError::internal)?;
        Viewer::Anonymous.may_see_files(&full)
    };
    let stores = site.index.stores();
    let audience = Audience::of(viewer);
    let mut listing = Listing::default();
    for file in &record.files {
        let copy = if audience == Audience::Archivist {
            PublicCopy {
                rules: location::RULES_VERSION,
                status: Status::Clean,
                sha256: Some(file.sha256),
                size: Some(file.size),
                reason: None,
            }
        } else {
            location_of(site, files_public, inventory, file).await?.copy
        };
        // Deny by default: a text-like original that cannot be found is absent too.
        let absent = audience != Audience::Archivist
            && text_kind(file).is_some()
            && match site.archive.file_path(inventory, &file.path).ok().flatten() {
                Some(path) => !original_is_public(site, viewer, file, path).await,
                None => true,
            };
        listing.copies.push(copy);
        listing.previews.push(stores.has(&file.sha256));
        listing.absent.push(absent);
    }
    Ok(listing)
}
