//! How the site says no.
//!
//! Policy: a 4xx tells the visitor, in plain words, what was wrong with their request; a 5xx says
//! only that something failed on our side and logs the cause, never showing internals. A record
//! that is not public is answered exactly like one that does not exist (404), so nothing reveals
//! that it exists.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error a handler returns.
#[derive(Debug)]
pub enum WebError {
    /// Unknown page or id, or a record the visitor may not see.
    NotFound,
    /// A malformed request; the message names the parameter and what it must be.
    BadRequest(String),
    /// Something failed on the server; the detail is logged, not shown.
    Internal(String),
}

impl WebError {
    /// Wraps any server-side failure.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        WebError::Internal(error.to_string())
    }

    /// Status code and the visitor-facing message.
    pub fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                super::i18n::both_languages("error_not_found"),
            ),
            WebError::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
            WebError::Internal(detail) => {
                eprintln!("disan serve: internal error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    super::i18n::both_languages("error_internal"),
                )
            }
        }
    }
}

/// A JSON API error: `{"error": "…"}` with the status.
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(error: WebError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        let message = if status == StatusCode::NOT_FOUND {
            "not found".to_string()
        } else {
            message
        };
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    }
}
