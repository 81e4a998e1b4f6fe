//! How the site says no.
//!
//! Policy: a 4xx tells the visitor, in plain words, what was wrong with their request; a 5xx says
//! only that something failed on our side and logs the cause, never showing internals. A record
//! that is not public is answered exactly like one that does not exist (404), so nothing reveals
//! that it exists.
//!
//! Every text is in the translation files (`templates/locales`, through [`super::i18n`]): an
//! error page speaks both languages (it may answer before a language is known), and the JSON API
//! answers in the request's language ([`ApiLang`]) with a machine code scripts can test:
//!
//! ```json
//! {"error": {"code": "page_out_of_range", "message": "…", "parameter": "page"}}
//! ```
//!
//! `parameter` is there only when one parameter is at fault. The codes ([`ApiError`]):
//! `too_many_parameters`, `repeated_parameter`, `invalid_parameter`, `too_long`,
//! `page_out_of_range` (400); `invalid_token` (401); `totp_required` (403, from
//! [`super::auth`]'s viewer layer); `not_found` (404);
//! `body_refused` (413); `internal` (500).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;

use super::i18n;
use crate::model::Lang;

/// An error a handler returns.
#[derive(Debug)]
pub enum WebError {
    /// Unknown page or id, or a record the visitor may not see.
    NotFound,
    /// A malformed request: which parameter, and what it must be.
    BadRequest(Refusal),
    /// Something failed on the server; the detail is logged, not shown.
    Internal(String),
}

/// What is wrong with a request's parameters. Each names the parameter at fault (when one is)
/// and the value given, has a machine code ([`Refusal::code`]) and is worded in the translation
/// files ([`Refusal::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// More parameters than a search takes.
    TooManyParameters {
        /// The most a search takes.
        max: usize,
        /// How many were given.
        given: usize,
    },
    /// A search parameter given twice.
    Repeated {
        /// Its name.
        parameter: String,
    },
    /// A page past the result window (`MAX_PAGE`), which is not paged.
    PageTooDeep {
        /// The page asked for, as written.
        page: String,
    },
    /// `page` is not a whole number from 1 to `MAX_PAGE`.
    BadPage {
        /// As written.
        value: String,
    },
    /// `kind` names no kind.
    BadKind {
        /// As written.
        value: String,
    },
    /// An id or facet key (`village`, `craft`, `artisan`, `product`, `district`, `commune`,
    /// `province`, `title`) that is not a lowercase slug.
    BadId {
        /// The parameter.
        parameter: String,
        /// As written.
        value: String,
    },
    /// `sort` is not one of the orders.
    BadSort {
        /// As written.
        value: String,
    },
    /// `status` is not a Decree 52/2018 status.
    BadStatus {
        /// As written.
        value: String,
    },
    /// `decade` is not a year ending in 0.
    BadDecade {
        /// As written.
        value: String,
    },
    /// `media` is not `yes` or `no`.
    BadMedia {
        /// As written.
        value: String,
    },
    /// `stars` is not a number of OCOP stars, 1 to 5 (issue 14).
    BadStars {
        /// As written.
        value: String,
    },
    /// `format` is not `html` or `csv` (the `/province` dashboard; issue 14).
    BadFormat {
        /// As written.
        value: String,
    },
    /// `lang` is not `vi` or `en`.
    BadLang {
        /// As written.
        value: String,
    },
    /// An export of a search finding more records than a search lists
    /// ([`crate::index::search::MAX_RESULT_WINDOW`]): never cut short.
    ExportTooLarge {
        /// How many the search finds.
        found: usize,
    },
    /// A text longer than the parameter takes.
    TooLong {
        /// `q`.
        parameter: String,
        /// The most it takes, in characters.
        max: usize,
    },
}

impl Refusal {
    /// The machine code of the API's answer.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooManyParameters { .. } => "too_many_parameters",
            Refusal::Repeated { .. } => "repeated_parameter",
            Refusal::PageTooDeep { .. } => "page_out_of_range",
            Refusal::TooLong { .. } => "too_long",
            Refusal::ExportTooLarge { .. } => "export_too_large",
            Refusal::BadPage { .. }
            | Refusal::BadKind { .. }
            | Refusal::BadId { .. }
            | Refusal::BadSort { .. }
            | Refusal::BadStatus { .. }
            | Refusal::BadDecade { .. }
            | Refusal::BadMedia { .. }
            | Refusal::BadStars { .. }
            | Refusal::BadFormat { .. }
            | Refusal::BadLang { .. } => "invalid_parameter",
        }
    }

    /// The parameter at fault, if one is.
    pub fn parameter(&self) -> Option<&str> {
        Some(match self {
            Refusal::TooManyParameters { .. } | Refusal::ExportTooLarge { .. } => return None,
            Refusal::Repeated { parameter }
            | Refusal::BadId { parameter, .. }
            | Refusal::TooLong { parameter, .. } => parameter,
            Refusal::PageTooDeep { .. } | Refusal::BadPage { .. } => "page",
            Refusal::BadKind { .. } => "kind",
            Refusal::BadSort { .. } => "sort",
            Refusal::BadStatus { .. } => "status",
            Refusal::BadDecade { .. } => "decade",
            Refusal::BadMedia { .. } => "media",
            Refusal::BadStars { .. } => "stars",
            Refusal::BadFormat { .. } => "format",
            Refusal::BadLang { .. } => "lang",
        })
    }

    /// What the visitor is told, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let text = |value: &str| FluentValue::from(value.to_string());
        let number = |n: usize| FluentValue::from(n);
        match self {
            Refusal::TooManyParameters { max, given } => i18n::message(
                lang,
                "error_too_many_parameters",
                &[("max", number(*max)), ("given", number(*given))],
            ),
            Refusal::Repeated { parameter } => i18n::message(
                lang,
                "error_repeated_parameter",
                &[("parameter", text(parameter))],
            ),
            Refusal::PageTooDeep { page } => {
                let window = crate::index::search::MAX_RESULT_WINDOW.to_string();
                let max = crate::index::search::MAX_PAGE.to_string();
                let args = [
                    ("window", text(&window)),
                    ("max", text(&max)),
                    ("page", text(page)),
                ];
                i18n::message(lang, "error_page_too_deep", &args)
            }
            Refusal::BadPage { value } => {
                let max = crate::index::search::MAX_PAGE;
                let args = [("max", number(max)), ("value", text(value))];
                i18n::message(lang, "error_bad_page", &args)
            }
            Refusal::BadKind { value } => {
                let args = [("value", text(value)), ("kinds", text(&kinds()))];
                i18n::message(lang, "unknown_kind", &args)
            }
            Refusal::BadId { parameter, value } => {
                let args = [("parameter", text(parameter)), ("value", text(value))];
                i18n::message(lang, "error_bad_id", &args)
            }
            Refusal::BadSort { value } => {
                i18n::message(lang, "error_bad_sort", &[("value", text(value))])
            }
            Refusal::BadStatus { value } => {
                i18n::message(lang, "error_bad_status", &[("value", text(value))])
            }
            Refusal::BadDecade { value } => {
                i18n::message(lang, "error_bad_decade", &[("value", text(value))])
            }
            Refusal::BadMedia { value } => {
                i18n::message(lang, "error_bad_media", &[("value", text(value))])
            }
            Refusal::BadStars { value } => {
                i18n::message(lang, "error_bad_stars", &[("value", text(value))])
            }
            Refusal::BadFormat { value } => {
                i18n::message(lang, "error_bad_format", &[("value", text(value))])
            }
            Refusal::BadLang { value } => {
                i18n::message(lang, "error_bad_lang", &[("value", text(value))])
            }
            Refusal::TooLong { parameter, max } => {
                let args = [("parameter", text(parameter)), ("max", number(*max))];
                i18n::message(lang, "error_too_long", &args)
            }
            Refusal::ExportTooLarge { found } => {
                let max = crate::index::search::MAX_RESULT_WINDOW;
                let args = [("found", number(*found)), ("max", number(max))];
                i18n::message(lang, "error_export_too_large", &args)
            }
        }
    }
}

/// The kinds, as `kind` takes them: `photo, film, …`.
pub fn kinds() -> String {
    crate::model::Kind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl WebError {
    /// Wraps any server-side failure.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        WebError::Internal(error.to_string())
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The visitor-facing message in `lang` (never the detail of an internal error).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            WebError::NotFound => i18n::text(lang, "error_not_found").to_string(),
            WebError::BadRequest(refusal) => refusal.message(lang),
            WebError::Internal(_) => i18n::text(lang, "error_internal").to_string(),
        }
    }

    /// Logs the detail of an internal error (once per answer).
    fn log(&self) {
        if let WebError::Internal(detail) = self {
            eprintln!("disan serve: internal error: {detail}");
        }
    }

    /// Status code and the visitor-facing message in both languages, `Vietnamese (English)`,
    /// for pages answered before a language is known. An internal error is logged.
    pub fn status_and_message(&self) -> (StatusCode, String) {
        self.log();
        (
            self.status(),
            format!("{} ({})", self.message(Lang::Vi), self.message(Lang::En)),
        )
    }
}

/// The language the JSON API answers a request in: its `lang` parameter when that is `vi` or
/// `en`, else the first of them its `Accept-Language` header prefers (by `q`), else Vietnamese,
/// the site's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiLang(pub Lang);

impl ApiLang {
    /// The language of a request with `uri` and `headers`.
    pub fn of(uri: &Uri, headers: &HeaderMap) -> ApiLang {
        let asked = uri.query().unwrap_or_default().split('&').find_map(|pair| {
            match pair.split_once('=') {
                Some(("lang", "vi")) => Some(Lang::Vi),
                Some(("lang", "en")) => Some(Lang::En),
                _ => None,
            }
        });
        let accepted = || {
            let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            accept_language(header)
        };
        ApiLang(asked.or_else(accepted).unwrap_or(Lang::Vi))
    }
}

/// The language of `vi` and `en` an `Accept-Language` value prefers (RFC 9110 section 12.5.4:
/// the highest `q`, the first on a tie; `q=0` refuses), if it names either.
pub fn accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or_default();
        let lang = match primary {
            "vi" => Lang::Vi,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(top, _)| q > top) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang::of(&parts.uri, &parts.headers))
    }
}

/// A JSON API error in the request's language: `{"error": {"code", "message", "parameter"?}}`
/// with its status (see the module's doc for the codes).
#[derive(Debug)]
pub struct ApiError {
    /// What went wrong.
    pub error: WebError,
    /// The language of the message.
    pub lang: Lang,
}

impl ApiError {
    /// `error`, answered in `lang`.
    pub fn new(error: WebError, ApiLang(lang): ApiLang) -> Self {
        ApiError { error, lang }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.error.log();
        let (code, parameter) = match &self.error {
            WebError::NotFound => ("not_found", None),
            WebError::BadRequest(refusal) => (refusal.code(), refusal.parameter()),
            WebError::Internal(_) => ("internal", None),
        };
        let message = match &self.error {
            // Not a page: whatever was asked for (a record, a route) is not there for this viewer.
            WebError::NotFound => i18n::text(self.lang, "error_api_not_found").to_string(),
            other => other.message(self.lang),
        };
        api_error(self.error.status(), code, &message, parameter)
    }
}

/// The JSON API's answer for an error: `status`, and `{"error": {"code": code, "message":
/// message, "parameter": parameter}}` (`parameter` left out when `None`); never stored by caches.
pub fn api_error(
    status: StatusCode,
    code: &str,
    message: &str,
    parameter: Option<&str>,
) -> Response {
    let mut error = serde_json::json!({ "code": code, "message": message });
    if let Some(parameter) = parameter {
        error["parameter"] = serde_json::json!(parameter);
    }
    let mut response = (status, axum::Json(serde_json::json!({ "error": error }))).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// Whether `path` is one of the JSON API's (`/api/…`), whose errors are JSON.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// `/api/…` that is no route: a JSON 404 in the request's language.
pub async fn api_not_found(lang: ApiLang) -> Response {
    ApiError::new(WebError::NotFound, lang).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_of_vi_and_en() {
        assert_eq!(accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(accept_language("fr, en;q=0.5, vi;q=0.8"), Some(Lang::Vi));
        assert_eq!(accept_language("vi-VN"), Some(Lang::Vi));
        assert_eq!(accept_language("en;q=0, vi;q=0.1"), Some(Lang::Vi));
        assert_eq!(accept_language("fr, de"), None);
        assert_eq!(accept_language("en, vi"), Some(Lang::En));
        let uri: Uri = "/api/search?q=x&lang=en".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, "vi".parse().unwrap());
        assert_eq!(ApiLang::of(&uri, &headers), ApiLang(Lang::En));
        let uri: Uri = "/api/records/x".parse().unwrap();
        assert_eq!(ApiLang::of(&uri, &headers), ApiLang(Lang::Vi));
        assert_eq!(ApiLang::of(&uri, &HeaderMap::new()), ApiLang(Lang::Vi));
    }

    #[test]
    fn every_refusal_has_a_code_a_parameter_and_a_message_in_both_languages() {
        let value = || "x y".to_string();
        let refusals = [
            Refusal::TooManyParameters { max: 32, given: 40 },
            Refusal::Repeated {
                parameter: "kind".into(),
            },
            Refusal::PageTooDeep { page: "501".into() },
            Refusal::BadPage { value: value() },
            Refusal::BadKind { value: value() },
            Refusal::BadId {
                parameter: "village".into(),
                value: value(),
            },
            Refusal::BadSort { value: value() },
            Refusal::BadStatus { value: value() },
            Refusal::BadDecade { value: value() },
            Refusal::BadMedia { value: value() },
            Refusal::BadStars { value: value() },
            Refusal::BadFormat { value: value() },
            Refusal::BadLang { value: value() },
            Refusal::TooLong {
                parameter: "q".into(),
                max: 500,
            },
        ];
        for refusal in refusals {
            let (vi, en) = (refusal.message(Lang::Vi), refusal.message(Lang::En));
            assert!(!vi.is_empty() && !en.is_empty() && vi != en, "{refusal:?}");
            if let Some(parameter) = refusal.parameter() {
                assert!(en.contains(parameter), "{en}");
            }
            assert!(!refusal.code().is_empty());
        }
        assert_eq!(
            Refusal::BadPage {
                value: "abc".into()
            }
            .message(Lang::En),
            "page must be a whole number from 1 to 500, not 'abc'"
        );
        assert_eq!(
            Refusal::BadId {
                parameter: "village".into(),
                value: "Đọi Tam".into()
            }
            .message(Lang::Vi),
            "village phải là một mã như 'doi-tam' (chữ thường không dấu, chữ số, '-'), không phải 'Đọi Tam'"
        );
    }
}
