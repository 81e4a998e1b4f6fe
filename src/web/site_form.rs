//! The extractor of every form the site reads into a typed struct ([`SiteForm`]): axum's own
//! `Form`, whose refusals (a field posted twice, a missing field, bytes that are not UTF-8) were
//! the framework's English plain text ("Failed to deserialize form body: duplicate field
//! `csrf`"); here they are the site's error page in both languages, `400`, never stored.
//!
//! Body size and content type are checked before any handler by `layers::refuse_bodies`; what
//! reaches this extractor is a form of the right type within its limit.

use axum::extract::{FromRequest, Request};
use axum::response::Response;
use serde::de::DeserializeOwned;

/// A form body read into `T` (`application/x-www-form-urlencoded`), or the site's `400` page
/// in both languages (the path's language first) when it does not fit `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SiteForm<T>(pub T);

impl<S, T> FromRequest<S> for SiteForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let first = super::layers::first_language(request.uri().path());
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(SiteForm(value)),
            Err(_) => Err(super::layers::refused_form(
                axum::http::StatusCode::BAD_REQUEST,
                &super::layers::both(first, |lang| {
                    super::i18n::text(lang, "error_form_unreadable")
                }),
            )),
        }
    }
}
