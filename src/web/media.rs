//! Media: originals from the archive and derivatives from the index, with content types, caching
//! headers and HTTP Range requests (tower-http's `ServeFile`), so films and sound seek.
//!
//! URLs name the record (`/media/{id}/display/0`, `/media/{id}/files/phim.mp4`), never a digest,
//! so every request passes the record's access check. Originals are served under a sandboxing
//! Content-Security-Policy: an SVG or HTML file with a script cannot run it in the site's origin.
//!
//! Which bytes of an original a visitor receives is decided in one place, [`original_for`]: an
//! anonymous visitor gets the original only when it holds no location metadata, else its public
//! copy with the location removed, else nothing (404) — see [`crate::index::location`]. Accounts
//! (researchers, archivists) will be a new [`Audience`] there, receiving the preserved file.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::Site;
use super::error::WebError;
use crate::archive::Inventory;
use crate::index::derivatives::Rendition;
use crate::index::location::{self, PublicCopy, Status};
use crate::index::search::has_derivative;
use crate::model::{FileEntry, Record, Sha256};

/// The policy of originals: no script, no plugin, no network; styles inline only (SVG needs them).
const ORIGINAL_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'";

/// `GET /media/{id}/{display|thumb}/{n}` and `GET /media/{id}/files/{path}`.
pub async fn media(
    State(site): State<Arc<Site>>,
    Path((id, rendition, path)): Path<(String, String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (record, inventory) = site.public_record(&id)?;
    // `tag` is the ETag's opaque value: never a digest of an original that is not sent as it is.
    let (file_path, mime, is_original, tag) = match rendition.as_str() {
        "display" | "thumb" => {
            let n: usize = path.parse().map_err(|_| WebError::NotFound)?;
            let file = record.files.get(n).ok_or(WebError::NotFound)?;
            if !has_derivative(&file.format.mime) {
                return Err(WebError::NotFound);
            }
            let which = if rendition == "display" {
                Rendition::Display
            } else {
                Rendition::Thumbnail
            };
            let derived = site.index.derivatives().path(&file.sha256, which);
            let tag = derivative_tag(&derived).ok_or(WebError::NotFound)?;
            (derived, "image/jpeg".to_string(), false, tag)
        }
        "files" => {
            let logical = format!("{}/{path}", crate::archive::FILES_DIR);
            let file = record
                .files
                .iter()
                .find(|f| f.path == logical)
                .ok_or(WebError::NotFound)?;
            let (sent, sha) = original_for(&site, Audience::Anonymous, &inventory, file).await?;
            (sent, file.format.mime.clone(), true, sha.to_hex())
        }
        _ => return Err(WebError::NotFound),
    };
    if !file_path.exists() {
        return Err(WebError::NotFound);
    }
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
        return Ok(response);
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
    Ok(response)
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

/// Who is asking for an original. Every visitor is anonymous today; accounts will add the roles
/// that receive the preserved file (researchers, archivists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A visitor without an account.
    Anonymous,
}

/// The one decision of which bytes of an archived original `audience` receives: the file to send
/// and the SHA-256 of its bytes (the ETag). For an anonymous visitor, the preserved original when
/// it holds no location metadata, its public copy when the location had to be removed, and
/// `NotFound` when it cannot be checked with certainty, exactly as for an unknown path.
pub async fn original_for(
    site: &Arc<Site>,
    audience: Audience,
    inventory: &Inventory,
    file: &FileEntry,
) -> Result<(std::path::PathBuf, Sha256), WebError> {
    match audience {
        Audience::Anonymous => {
            let check = public_copy(site, inventory, file).await?;
            match (check.status, check.sha256) {
                (Status::Clean, _) => {
                    let stored = site
                        .archive
                        .file_path(inventory, &file.path)
                        .map_err(WebError::internal)?
                        .ok_or(WebError::NotFound)?;
                    if is_markdown(file) && !markdown_is_public(site, &stored) {
                        return Err(WebError::NotFound);
                    }
                    Ok((stored, file.sha256))
                }
                (Status::Scrubbed, Some(sha)) => {
                    Ok((site.index.derivatives().public_copy_path(&file.sha256), sha))
                }
                _ => Err(WebError::NotFound),
            }
        }
    }
}

/// Whether `file` is a Markdown text (the source of a record's body and front matter).
fn is_markdown(file: &FileEntry) -> bool {
    let path = file.path.to_lowercase();
    file.format.mime == "text/markdown" || path.ends_with(".md") || path.ends_with(".markdown")
}

/// Markdown originals read at most, in bytes; a larger one is not sent to visitors as written.
const MARKDOWN_LIMIT: u64 = 4 * 1024 * 1024;

/// Whether the Markdown original at `path` may be sent to an anonymous visitor as written: only
/// when it embeds no record the visitor may not see (an embed's id and caption would leak, as
/// `[[id | caption]]` anywhere in it, [`crate::index::public_text`]) and none of its lines
/// states a position (a front-matter key that is a location column, or a value written as
/// coordinates: [`crate::index::location::columns`]). The record page and the API show its text
/// as the visitor may read it either way.
fn markdown_is_public(site: &Site, path: &std::path::Path) -> bool {
    use crate::index::location::columns;
    let fits = std::fs::metadata(path).is_ok_and(|m| m.len() <= MARKDOWN_LIMIT);
    let Some(text) = fits.then(|| std::fs::read_to_string(path).ok()).flatten() else {
        return false;
    };
    if crate::index::public_text::public_text(&text, &|id| site.is_visible(id)) != text {
        return false;
    }
    !text.lines().any(|line| {
        let (key, value) = line
            .split_once(':')
            .or_else(|| line.split_once('='))
            .unwrap_or(("", line));
        let key = key.trim().trim_matches('"');
        columns::is_location_column(key) || columns::looks_like_coordinates(value.trim())
    })
}

/// What anonymous visitors receive of `file`, checked now (off the async threads: a film is read
/// whole) when the index holds no answer yet, as after an upgrade before `reindex`.
pub async fn public_copy(
    site: &Arc<Site>,
    inventory: &Inventory,
    file: &FileEntry,
) -> Result<PublicCopy, WebError> {
    let store = site.index.derivatives();
    if let Some(kept) = location::kept(&store, &file.sha256) {
        return Ok(kept);
    }
    let (site, inventory, file) = (site.clone(), inventory.clone(), file.clone());
    tokio::task::spawn_blocking(move || {
        let path = location::archived_path(&site.archive, &inventory, &file)
            .map_err(WebError::internal)?;
        // An untrusted file is parsed in a worker within budgets (a PDF's streams, a ZIP), never
        // in the server itself.
        crate::index::sandbox::check_location(&store, &path, &file.sha256, &file.format.mime)
            .map_err(WebError::internal)?;
        location::kept(&store, &file.sha256).ok_or_else(|| {
            WebError::internal(format!("no location decision was kept for {}", file.path))
        })
    })
    .await
    .map_err(WebError::internal)?
}

/// [`public_copy`] of each of `record`'s files, in order.
pub async fn public_copies(
    site: &Arc<Site>,
    inventory: &Inventory,
    record: &Record,
) -> Result<Vec<PublicCopy>, WebError> {
    let mut copies = Vec::with_capacity(record.files.len());
    for file in &record.files {
        copies.push(public_copy(site, inventory, file).await?);
    }
    Ok(copies)
}
