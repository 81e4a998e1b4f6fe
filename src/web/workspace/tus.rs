//! Resumable upload for the workspace: the tus 1.0 protocol
//! (<https://tus.io/protocols/resumable-upload>), core plus the `creation`, `termination` and
//! `expiration` extensions, at [`PATH`] (`OPTIONS`, `POST`) and `PATH/{id}` (`HEAD`, `PATCH`,
//! `DELETE`, `OPTIONS`). What an upload is and the rules on it (size limit, quota, expiry) are
//! [`crate::workspace::uploads`]; this module speaks the protocol.
//!
//! Written here rather than taken from a library: the one axum server crate (`fileloft-axum`
//! 0.3, a few months old, one author) is young and owns its own storage and locking, where
//! Disan needs its own: uploads belong to an account, live beside the archive, and are
//! refused to anyone the workspace refuses. The protocol's core is five requests.
//!
//! Who may use it: an archivist signed in with a session ([`super::Editor::of`], and
//! [`super::batches::may_batch`]: uploads become batches, which are archivists' alone); anyone
//! else (admins, researchers, anonymous visitors, API tokens) gets the site's 404 on every
//! method. Requests
//! that change something (`POST`, `PATCH`, `DELETE`) carry the session's anti-forgery token in
//! the [`TOKEN_HEADER`] header (a tus client cannot put it in a form field) and must not come
//! from another site (`Sec-Fetch-Site`).
//!
//! Memory stays flat whatever the size: a `PATCH` body is never held whole. Its chunks, as they
//! arrive, go through a short queue to a writer on the blocking pool that appends them to the
//! upload's file, so an upload's offset is its file's length. The writer holds the upload
//! ([`crate::workspace::uploads::Receiving`]) until it has written the last chunk it was given,
//! even when the connection dropped and the request was abandoned: a resumed `PATCH` that
//! arrives meanwhile is answered `423` (try again), never appended at a stale offset.
//!
//! Refusals say why in both languages, as plain text: `413` names the limit, in words, before any
//! byte is sent (at creation) and when a `PATCH` would pass the declared length; never a
//! forgery or validation error for a size.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::options;
use fluent_bundle::FluentValue;

use super::{Editor, Posted, not_found};
use crate::model::Lang;
use crate::web::Site;
use crate::web::auth::forms;
use crate::web::i18n;
use crate::workspace::uploads::{Upload, UploadError, size_in_words};

/// Where uploads are created (`POST`); each upload is `PATH/{id}`.
pub const PATH: &str = "/workspace/tus";

/// The request header carrying the session's anti-forgery token.
pub const TOKEN_HEADER: &str = "x-csrf-token";

/// The protocol version spoken (`Tus-Resumable`, `Tus-Version`).
pub const VERSION: &str = "1.0.0";

/// The extensions supported (`Tus-Extension`).
pub const EXTENSIONS: &str = "creation,termination,expiration";

/// How long a `PATCH` may send nothing before it is ended (what arrived is kept).
const IDLE: Duration = Duration::from_secs(60);

/// Chunks queued between the connection and the writer at most.
const QUEUE: usize = 16;

/// The routes of the protocol (no language prefix: the protocol speaks headers).
pub fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route(
            PATH,
            options(discover)
                .post(create)
                .fallback(|| async { not_found() }),
        )
        .route(
            &format!("{PATH}/{{id}}"),
            options(discover)
                .head(status)
                .patch(append)
                .delete(terminate)
                .fallback(|| async { not_found() }),
        )
}

/// Whether a request to `path` with `method` is one whose body this module streams itself (a
/// `PATCH` to an upload), so the layer refusing bodies lets it through.
pub fn streams_body(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::PATCH
        && path
            .strip_prefix(PATH)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(crate::workspace::uploads::is_id)
}

/// A response with the protocol's `Tus-Resumable` header.
fn tus(status: StatusCode) -> axum::http::response::Builder {
    Response::builder()
        .status(status)
        .header("tus-resumable", VERSION)
        .header(header::CACHE_CONTROL, "no-store")
}

/// A refusal: `status` with `text` (both languages) as a plain-text body.
fn refusal(status: StatusCode, text: String) -> Response {
    tus(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("a valid response")
}

/// A message in both languages, Vietnamese first: `Vietnamese (English)`.
fn both(name: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    format!(
        "{} ({})",
        i18n::message(Lang::Vi, name, args),
        i18n::message(Lang::En, name, args)
    )
}

/// The answer to an [`UploadError`].
fn refused(site: &Site, error: &UploadError) -> Response {
    let limits = site.uploads.limits();
    match error {
        UploadError::TooLarge { length, max } => {
            let mut response = refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                both(
                    "upload_too_large",
                    &[
                        ("size", size_in_words(*length).into()),
                        ("max", size_in_words(*max).into()),
                    ],
                ),
            );
            response
                .headers_mut()
                .insert("tus-max-size", HeaderValue::from(*max));
            response
        }
        UploadError::Quota => refusal(
            StatusCode::FORBIDDEN,
            both(
                "upload_quota",
                &[
                    ("count", (limits.max_unfinished as u64).into()),
                    ("bytes", size_in_words(limits.quota_bytes).into()),
                ],
            ),
        ),
        UploadError::NotFound => refusal(StatusCode::NOT_FOUND, both("upload_not_found", &[])),
        UploadError::Busy => refusal(StatusCode::LOCKED, both("upload_busy", &[])),
        UploadError::Io { source, .. } if source.kind() == std::io::ErrorKind::StorageFull => {
            refusal(
                StatusCode::INSUFFICIENT_STORAGE,
                both("upload_disk_full", &[]),
            )
        }
        UploadError::Io { .. } => {
            eprintln!("disan: upload: {error}");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                both("upload_failed", &[]),
            )
        }
    }
}

/// The editor of this request when they may upload: an archivist ([`super::batches::may_batch`]:
/// uploads become batches, which are archivists' alone).
fn uploader(posted: &Posted) -> Option<Editor> {
    Editor::of(&posted.visit, &posted.viewer).filter(super::batches::may_batch)
}

/// The editor of a protocol request, its `Tus-Resumable` header checked, and, when `changes`,
/// its anti-forgery token ([`TOKEN_HEADER`]) and origin; `Err` is the answer to send.
async fn editor(posted: &Posted, changes: bool) -> Result<Editor, Response> {
    let (Some(editor), Some(session)) = (uploader(posted), &posted.session) else {
        return Err(not_found());
    };
    if header_text(&posted.headers, "tus-resumable") != Some(VERSION) {
        let mut response = refusal(
            StatusCode::PRECONDITION_FAILED,
            both("upload_version", &[("version", VERSION.into())]),
        );
        response
            .headers_mut()
            .insert("tus-version", HeaderValue::from_static(VERSION));
        return Err(response);
    }
    if changes {
        let token = header_text(&posted.headers, TOKEN_HEADER).unwrap_or_default();
        if let Err(refusal_) = forms::check(&posted.headers, session, token).await {
            return Err(refusal(
                StatusCode::FORBIDDEN,
                i18n::both_languages(refusal_.message()),
            ));
        }
    }
    Ok(editor)
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<Result<u64, ()>> {
    header_text(headers, name).map(|text| text.trim().parse::<u64>().map_err(|_| ()))
}

/// `Upload-Expires` of `upload`, `offset` bytes received (an HTTP date).
fn expires(site: &Site, upload: &Upload, offset: u64) -> String {
    httpdate::fmt_http_date(upload.expires(site.uploads.limits(), offset))
}

/// `OPTIONS`: what the server supports, the size limit first of all.
pub async fn discover(posted: Posted) -> Response {
    if uploader(&posted).is_none() || posted.session.is_none() {
        return not_found();
    }
    tus(StatusCode::NO_CONTENT)
        .header("tus-version", VERSION)
        .header("tus-extension", EXTENSIONS)
        .header("tus-max-size", posted.site.uploads.limits().max_size)
        .body(Body::empty())
        .expect("a valid response")
}

/// Reads `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent);
/// `None` for a value that is not Base64 of UTF-8 text, a key twice, or more than 32 pairs.
pub fn parse_metadata(header: &str) -> Option<BTreeMap<String, String>> {
    use base64::Engine as _;
    let mut metadata = BTreeMap::new();
    for pair in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .ok()?;
        let value = String::from_utf8(bytes).ok()?;
        if key.is_empty() || metadata.insert(key.to_string(), value).is_some() {
            return None;
        }
    }
    (metadata.len() <= 32).then_some(metadata)
}

/// `POST PATH`: creates an upload of `Upload-Length` bytes (creation extension; deferred
/// lengths are not supported) and answers `201` with its `Location`.
pub async fn create(posted: Posted) -> Response {
    let editor = match editor(&posted, true).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    let length = match header_number(&posted.headers, "upload-length") {
        Some(Ok(length)) => length,
        _ => return refusal(StatusCode::BAD_REQUEST, both("upload_no_length", &[])),
    };
    let metadata = match header_text(&posted.headers, "upload-metadata").map(parse_metadata) {
        None => BTreeMap::new(),
        Some(Some(metadata)) => metadata,
        Some(None) => return refusal(StatusCode::BAD_REQUEST, both("upload_bad_metadata", &[])),
    };
    let site = posted.site.clone();
    let made =
        tokio::task::spawn_blocking(move || site.uploads.create(&editor.login, length, metadata))
            .await;
    match made {
        Ok(Ok(upload)) => tus(StatusCode::CREATED)
            .header(header::LOCATION, format!("{PATH}/{}", upload.id))
            .header("upload-expires", expires(&posted.site, &upload, 0))
            .body(Body::empty())
            .expect("a valid response"),
        Ok(Err(error)) => refused(&posted.site, &error),
        Err(_) => refused(&posted.site, &io_failure()),
    }
}

fn io_failure() -> UploadError {
    UploadError::Io {
        path: std::path::PathBuf::from(crate::workspace::uploads::DIR),
        source: std::io::Error::other("the worker stopped"),
    }
}

/// Upload `id` of `editor` and its offset, read off the runtime.
async fn find(site: &Arc<Site>, editor: &Editor, id: String) -> Result<(Upload, u64), UploadError> {
    let (site, login) = (site.clone(), editor.login.clone());
    tokio::task::spawn_blocking(move || site.uploads.get(&login, &id))
        .await
        .unwrap_or_else(|_| Err(io_failure()))
}

/// `HEAD PATH/{id}`: the offset to resume from (`Upload-Offset`) and the declared length; `423`
/// while a request still sends bytes to it (a cut connection's writer finishing), when the
/// offset is not final: the client asks again.
pub async fn status(
    posted: Posted,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let editor = match editor(&posted, false).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    match find(&posted.site, &editor, id.clone()).await {
        Ok(_) if posted.site.uploads.is_receiving(&id) => refused(&posted.site, &UploadError::Busy),
        Ok((upload, offset)) => tus(StatusCode::OK)
            .header("upload-offset", offset)
            .header("upload-length", upload.length)
            .header("upload-expires", expires(&posted.site, &upload, offset))
            .body(Body::empty())
            .expect("a valid response"),
        Err(error) => refused(&posted.site, &error),
    }
}

/// `DELETE PATH/{id}`: the upload and its bytes removed (termination extension).
pub async fn terminate(
    posted: Posted,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    let editor = match editor(&posted, true).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    let site = posted.site.clone();
    let removed = tokio::task::spawn_blocking(move || site.uploads.remove(&editor.login, &id))
        .await
        .unwrap_or_else(|_| Err(io_failure()));
    match removed {
        Ok(()) => tus(StatusCode::NO_CONTENT)
            .body(Body::empty())
            .expect("a valid response"),
        Err(error) => refused(&posted.site, &error),
    }
}

/// Why a `PATCH` stopped receiving before its body ended.
enum Stop {
    /// The body ended: everything announced arrived.
    Ended,
    /// The connection failed or sent nothing for [`IDLE`]: what arrived is kept.
    Cut,
    /// The body holds more than the upload's declared length.
    TooLong,
}

/// `PATCH PATH/{id}`: appends the body at `Upload-Offset`, which must be the upload's offset
/// (else `409`), and answers `204` with the new offset.
pub async fn append(
    posted: Posted,
    axum::extract::Path(id): axum::extract::Path<String>,
    mut body: Body,
) -> Response {
    let editor = match editor(&posted, true).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    let site = posted.site.clone();
    let content_type = header_text(&posted.headers, header::CONTENT_TYPE.as_str());
    if content_type.map(str::trim) != Some("application/offset+octet-stream") {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            both("upload_content_type", &[]),
        );
    }
    let Some(Ok(claimed)) = header_number(&posted.headers, "upload-offset") else {
        return refusal(StatusCode::BAD_REQUEST, both("upload_no_offset", &[]));
    };
    // Holding the upload before reading its offset: a writer still finishing an abandoned
    // request is waited for by the client (423), never raced.
    let receiving = match site.uploads.receive(&id) {
        Ok(receiving) => receiving,
        Err(error) => return refused(&site, &error),
    };
    let (mut upload, offset) = match find(&site, &editor, id.clone()).await {
        Ok(found) => found,
        Err(error) => return refused(&site, &error),
    };
    if claimed != offset {
        return tus(StatusCode::CONFLICT)
            .header("upload-offset", offset)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from(both(
                "upload_wrong_offset",
                &[("claimed", claimed.into()), ("offset", offset.into())],
            )))
            .expect("a valid response");
    }
    let room = upload.length.saturating_sub(offset);
    if matches!(header_number(&posted.headers, header::CONTENT_LENGTH.as_str()), Some(Ok(n)) if n > room)
    {
        return nothing_kept(&upload, offset);
    }
    let (sender, mut queue) = tokio::sync::mpsc::channel::<Bytes>(QUEUE);
    let path = site.uploads.data_path(&id);
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<u64> {
        let _receiving = receiving;
        let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
        let mut written = 0u64;
        while let Some(chunk) = queue.blocking_recv() {
            file.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        file.sync_data()?;
        Ok(written)
    });
    let mut received = 0u64;
    let stop = loop {
        let frame = tokio::time::timeout(
            IDLE,
            std::future::poll_fn(|context| Pin::new(&mut body).poll_frame(context)),
        )
        .await;
        let data = match frame {
            Ok(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) => data,
                Err(_) => continue,
            },
            Ok(None) => break Stop::Ended,
            Ok(Some(Err(_))) | Err(_) => break Stop::Cut,
        };
        let keep = (room - received).min(data.len() as u64) as usize;
        received += keep as u64;
        if sender.send(data.slice(..keep)).await.is_err() {
            // The writer failed: its error is below.
            break Stop::Cut;
        }
        if keep < data.len() {
            break Stop::TooLong;
        }
    };
    drop(sender);
    let written = match writer.await {
        Ok(Ok(written)) => written,
        Ok(Err(source)) => {
            let error = UploadError::Io {
                path: site.uploads.data_path(&id),
                source,
            };
            return refused(&site, &error);
        }
        Err(_) => return refused(&site, &io_failure()),
    };
    let touched = {
        let site = site.clone();
        let mut touched = upload.clone();
        tokio::task::spawn_blocking(move || site.uploads.touch(&mut touched).map(|()| touched))
            .await
    };
    if let Ok(Ok(touched)) = touched {
        upload = touched;
    }
    match stop {
        Stop::TooLong => too_long(&upload),
        Stop::Ended | Stop::Cut => tus(StatusCode::NO_CONTENT)
            .header("upload-offset", offset.saturating_add(written))
            .header(
                "upload-expires",
                expires(&site, &upload, offset.saturating_add(written)),
            )
            .body(Body::empty())
            .expect("a valid response"),
    }
}

/// The `413` of a `PATCH` announcing (`Content-Length`) more than the upload's declared length:
/// refused before a byte is read, so nothing of it was kept and the offset is still `offset`
/// (issue 15's break round: it said "the extra bytes were not kept").
fn nothing_kept(upload: &Upload, offset: u64) -> Response {
    let mut response = refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        both(
            "upload_past_length_nothing_kept",
            &[
                ("length", size_in_words(upload.length).into()),
                ("offset", offset.into()),
            ],
        ),
    );
    response
        .headers_mut()
        .insert("upload-offset", HeaderValue::from(offset));
    response
}

/// The `413` of a `PATCH` whose body (sent without a length, or longer than it said) ran past
/// the upload's declared length: the bytes up to it were kept, the rest not.
fn too_long(upload: &Upload) -> Response {
    refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        both(
            "upload_past_length",
            &[("length", size_in_words(upload.length).into())],
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_base64_text_by_key() {
        let metadata =
            parse_metadata("filename cGjDrW0ubXA0, relativePath bMO0L3BoaW0ubXA0,empty").unwrap();
        assert_eq!(metadata["filename"], "phím.mp4");
        assert_eq!(metadata["relativePath"], "lô/phim.mp4");
        assert_eq!(metadata["empty"], "");
        assert!(parse_metadata("filename !!!").is_none());
        assert!(parse_metadata("a YQ==,a YQ==").is_none());
        assert!(streams_body(
            &axum::http::Method::PATCH,
            &format!("{PATH}/{}", "a".repeat(32))
        ));
        assert!(!streams_body(
            &axum::http::Method::PATCH,
            &format!("{PATH}/../x")
        ));
        assert!(!streams_body(
            &axum::http::Method::POST,
            &format!("{PATH}/{}", "a".repeat(32))
        ));
    }
}
