//! Media: originals from the archive and derivatives from the index, with content types, caching
//! headers and HTTP Range requests (tower-http's `ServeFile`), so films and sound seek.
//!
//! URLs name the record (`/media/{id}/display/0`, `/media/{id}/files/phim.mp4`), never a digest,
//! so every request passes the record's access check. Originals are served under a sandboxing
//! Content-Security-Policy: an SVG or HTML file with a script cannot run it in the site's origin.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::Site;
use super::error::WebError;
use crate::index::derivatives::Rendition;
use crate::index::search::has_derivative;

/// The policy of originals: no script, no plugin, no network; styles inline only (SVG needs them).
const ORIGINAL_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; media-src 'self'";

/// `GET /media/{id}/{display|thumb}/{n}` and `GET /media/{id}/files/{path}`.
pub async fn media(
    State(site): State<Arc<Site>>,
    Path((id, rendition, path)): Path<(String, String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (record, inventory) = site.public_record(&id)?;
    let (file_path, mime, is_original, sha) = match rendition.as_str() {
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
            (derived, "image/jpeg".to_string(), false, file.sha256)
        }
        "files" => {
            let logical = format!("{}/{path}", crate::archive::FILES_DIR);
            let file = record
                .files
                .iter()
                .find(|f| f.path == logical)
                .ok_or(WebError::NotFound)?;
            let stored = site
                .archive
                .file_path(&inventory, &logical)
                .map_err(WebError::internal)?
                .ok_or(WebError::NotFound)?;
            (stored, file.format.mime.clone(), true, file.sha256)
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
    let response = ServeFile::new_with_mime(&file_path, &mime)
        .oneshot(request)
        .await
        .map_err(WebError::internal)?;
    let mut response = response.map(Body::new).into_response();
    response.extensions_mut().insert(super::compress::Preserved);
    let headers = response.headers_mut();
    // Content-addressed: the bytes behind an ETag never change.
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", sha.to_hex())) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
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
