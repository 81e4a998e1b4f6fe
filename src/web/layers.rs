//! The layers every request passes: the index brought up to date before a handler reads it,
//! request bodies refused except small sign-in forms, and the security headers of every answer.

use std::sync::Arc;

use axum::http::{HeaderValue, header};

use super::{PAGE_CSP, RECORD_CACHE_CONTROL, Site, auth, error, i18n};
use crate::model::Lang;

/// Before any handler reads the index, removes from it the records an ingest through another
/// index announced it hides ([`crate::index::hiding`]; only documents made from the versions it
/// hid, never those a later commit wrote), and loads the index's latest commit if it
/// has one not yet loaded ([`SearchIndex::refresh`]); two `stat`s per request when nothing
/// changed. An ingest removes a record from every index before its archive commit, so a request
/// that arrives after the archive says "restricted" never sees the record listed.
pub(super) async fn fresh_index(
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

/// The site reads no request bodies except the small forms of the sign-in routes: a request that
/// announces one (`Content-Length` above 0, or `Transfer-Encoding`) is answered 413 before any
/// handler runs, and its body is never read. A `POST` to a form of [`auth::FORM_PATHS`] may carry
/// a body of at most [`auth::BODY_LIMIT`] bytes with its `Content-Length` announced (browsers
/// always announce form bodies); a larger one gets a 413 page saying how large a form may be, before any anti-forgery
/// check (so an oversized form is never reported as forged).
pub(super) async fn refuse_bodies(
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
