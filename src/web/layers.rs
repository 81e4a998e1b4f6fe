//! The layers every request passes: the index brought up to date before a handler reads it,
//! request bodies refused except small sign-in forms, and the security headers of every answer.

use std::sync::Arc;

use axum::http::{HeaderValue, header};

use super::{PAGE_CSP, RECORD_CACHE_CONTROL, Site, auth, error, i18n};
use crate::model::Lang;

/// Before any handler reads the index, removes from it the records an ingest through another
/// index announced it hides ([`crate::index::hiding`]; only documents made from the versions it
/// hid, never those a later commit wrote), loads the index's latest commit if it has one not
/// yet loaded ([`SearchIndex::refresh`]) and looks at the authorities file again. An ingest
/// removes a record from every index before its archive commit, so a request that arrives after
/// the archive says "restricted" never sees the record listed.
///
/// All of this is done only when something in the index folder or the archive's hidden-ids
/// folder may have changed since the last look ([`crate::index::watch::FolderWatch`]: one read
/// of the kernel's event queue per request on Linux, as exact as looking); elsewhere, or when
/// the watch cannot promise it, at every request (four `stat`s when nothing changed).
pub(super) async fn fresh_index(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // CSS, fonts, scripts and robots.txt do not read the index.
    let path = request.uri().path();
    if path.starts_with("/static/") || path == "/robots.txt" {
        return next.run(request).await;
    }
    let looked = site.watch.look_if_changed(|| {
        let hidden = site.hiding.changed();
        site.look_at_authorities();
        match &hidden {
            Some(ids) => site.search.hide(ids).map(|_| ()),
            None => site.search.refresh(),
        }
    });
    match looked {
        Ok(None) => {}
        Ok(Some(())) => site.fault_over("index"),
        Err(error) => {
            // The reader keeps the last commit it loaded: record pages, media and search go on
            // from it. Its newest commit may have removed records an ingest hides: those are
            // left out at query time (deny by default). The next request looks again.
            site.search.suppress_covered(&site.hiding.current());
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
pub(super) async fn english_home(uri: axum::http::Uri) -> axum::response::Redirect {
    match uri.query() {
        Some(query) => axum::response::Redirect::permanent(&format!("/en?{query}")),
        None => axum::response::Redirect::permanent("/en"),
    }
}

/// The site reads no request bodies except the forms of the sign-in routes and of the workspace:
/// a request that announces one (`Content-Length` above 0, or `Transfer-Encoding`) is answered
/// 413 before any handler runs, and its body is never read (a page in both languages; JSON with
/// the code `body_refused` under `/api/`). A `POST` to a form ([`auth::form_limit`]: those of
/// [`auth::FORM_PATHS`] and the workspace's):
/// - must say `Content-Type: application/x-www-form-urlencoded` (what every browser sends for
///   these forms): anything else, or none, is a 415 page saying so in both languages;
/// - may carry at most its limit ([`auth::BODY_LIMIT`]; the workspace's edit form
///   [`crate::web::workspace::EDIT_BODY_LIMIT`]), announced (`Content-Length`) or sent in
///   chunks (`Transfer-Encoding: chunked`, read here up to the limit and handed on whole);
///   a larger one is a 413 page saying how large a form may be.
///
/// Both come before any anti-forgery check, so an odd or oversized form is never reported as
/// forged (issue 13: "upload limits that surface as CSRF errors"; review finding L1).
///
/// The one other body taken is a resumable upload's `PATCH` ([`super::workspace::tus`]), passed
/// on untouched: its handler streams it to disk and enforces the upload's limits itself.
pub(super) async fn refuse_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if super::workspace::tus::streams_body(request.method(), request.uri().path()) {
        // A resumable upload's bytes: streamed to disk by its handler, within the upload's
        // declared length (`crate::workspace::uploads`), never held whole.
        return next.run(request).await;
    }
    let headers = request.headers();
    let chunked = headers.contains_key(header::TRANSFER_ENCODING);
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .map(|length| length.trim().parse::<u64>());
    let first = first_language(request.uri().path());
    let limit = auth::form_limit(request.uri().path());
    if let (true, Some(limit)) = (request.method() == axum::http::Method::POST, limit) {
        if !is_form(headers) {
            return refused_form(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &both(first, |lang| i18n::text(lang, "auth_form_unsupported_type")),
            );
        }
        if matches!(length, Some(Ok(length)) if length > limit) || matches!(length, Some(Err(_))) {
            return form_too_large(first, limit);
        }
        let (mut parts, body) = request.into_parts();
        // The extractor after this compares the type exactly: hand it the canonical spelling.
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let body = if chunked {
            // Read the chunks up to the limit, then hand the form on as if announced.
            let Ok(bytes) = axum::body::to_bytes(body, limit as usize).await else {
                return form_too_large(first, limit);
            };
            parts.headers.remove(header::TRANSFER_ENCODING);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            axum::body::Body::from(bytes)
        } else {
            body
        };
        return next
            .run(axum::extract::Request::from_parts(parts, body))
            .await;
    }
    let announces_body = chunked || length.is_some_and(|length| length != Ok(0));
    if announces_body {
        let status = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
        if error::is_api(request.uri().path()) {
            let error::ApiLang(lang) = error::ApiLang::of(request.uri(), headers);
            let message = i18n::text(lang, "error_body_refused");
            return error::api_error(status, "body_refused", message, None);
        }
        return refused_form(
            status,
            &both(first, |lang| i18n::text(lang, "error_body_refused")),
        );
    }
    next.run(request).await
}

/// Whether the request's `Content-Type` is `application/x-www-form-urlencoded` (any case, any
/// parameters such as `charset`).
fn is_form(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The language a refusal page of a request for `path` speaks first: English under `/en` and
/// `/en/…`, Vietnamese elsewhere (break-13b nit: `/en/` pages gave Vietnamese first).
pub(super) fn first_language(path: &str) -> Lang {
    if path == "/en" || path.starts_with("/en/") {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// One message in both languages, `first` first and the other in brackets:
/// `Vietnamese (English)` or `English (Vietnamese)`.
pub(super) fn both<S: std::fmt::Display>(first: Lang, message: impl Fn(Lang) -> S) -> String {
    let second = match first {
        Lang::En => Lang::Vi,
        _ => Lang::En,
    };
    format!("{} ({})", message(first), message(second))
}

/// The 413 page of a form past its `limit` (bytes; [`auth::form_limit`]), in both languages,
/// `first` first.
fn form_too_large(first: Lang, limit: u64) -> axum::response::Response {
    let message = |lang| {
        i18n::message(
            lang,
            "auth_body_too_large",
            &[("kib", fluent_bundle::FluentValue::from(limit / 1024))],
        )
    };
    refused_form(
        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        &both(first, message),
    )
}

/// The site's error page with `status` and `message`, never stored.
pub(super) fn refused_form(
    status: axum::http::StatusCode,
    message: &str,
) -> axum::response::Response {
    let mut response = super::pages::error_page(status, message.to_string());
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Every response gets the page CSP unless its handler chose a stricter one, and never sniffs;
/// it may be cached only as [`RECORD_CACHE_CONTROL`] says unless its handler chose otherwise
/// (static assets).
pub(super) async fn security_headers(
    mut response: axum::response::Response,
) -> axum::response::Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Break-13b nit: the 415 and 413 pages of `/en/` paths give English first.
    #[test]
    fn refusals_speak_the_paths_language_first() {
        let en = i18n::text(Lang::En, "auth_form_unsupported_type");
        let vi = i18n::text(Lang::Vi, "auth_form_unsupported_type");
        let text = |path: &str| {
            both(first_language(path), |lang| {
                i18n::text(lang, "auth_form_unsupported_type")
            })
        };
        assert_eq!(text("/en/account/tokens"), format!("{en} ({vi})"));
        assert_eq!(text("/en"), format!("{en} ({vi})"));
        assert_eq!(text("/account/tokens"), format!("{vi} ({en})"));
        assert_eq!(text("/english"), format!("{vi} ({en})"));
    }
}
