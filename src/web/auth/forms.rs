//! The rules every state-changing request here follows (ASVS 5 V3.5): it is a POST, its body is
//! small ([`super::BODY_LIMIT`], enforced in `refuse_bodies` before anything reads it), it does
//! not come from another site (`Sec-Fetch-Site`), and it carries its session's synchronizer token
//! in the `csrf` field. Pages for these answers, and the helpers that render this module's pages.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};
use tower_sessions::Session;

use super::{Proof, SignedIn, viewer};
use crate::accounts::sessions;
use crate::model::Lang;
use crate::web::Site;
use crate::web::i18n;
use crate::web::pages::Visit;

/// What every form handler of the account and admin pages reads besides its form, extracted in
/// one go (in the order the handlers took them: the site, the [`Visit`], the session, the
/// headers). Rejections: the session layer's, when it is missing (a 500 from
/// `tower_sessions`).
pub struct Posted {
    /// The site.
    pub site: Arc<Site>,
    /// Who asks, in which language.
    pub visit: Visit,
    /// The request's session.
    pub session: Session,
    /// The request's headers (for `Sec-Fetch-Site`).
    pub headers: HeaderMap,
}

impl FromRequestParts<Arc<Site>> for Posted {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        site: &Arc<Site>,
    ) -> Result<Self, Self::Rejection> {
        let Ok(visit) = Visit::from_request_parts(parts, site).await;
        let session = Session::from_request_parts(parts, site)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Posted {
            site: site.clone(),
            visit,
            session,
            headers: parts.headers.clone(),
        })
    }
}

/// Why a POST was refused before it did anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `Sec-Fetch-Site` says the form was sent from another site (or a sibling subdomain).
    CrossSite,
    /// The `csrf` field is missing or is not this session's token (a forged form, or one left
    /// open past its session's end).
    Token,
}

impl Refusal {
    /// The Fluent message (code name) shown for this refusal.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::CrossSite => "auth_cross_site",
            Refusal::Token => "auth_form_expired",
        }
    }
}

/// Accepts a POST only from this site: `Sec-Fetch-Site` absent (non-browser clients, old
/// browsers: the token alone decides), `same-origin` or `none` (typed or bookmarked).
///
/// # Errors
/// [`Refusal::CrossSite`] for `cross-site`, `same-site` or anything else.
pub fn same_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None | Some(b"same-origin") | Some(b"none") => Ok(()),
        Some(_) => Err(Refusal::CrossSite),
    }
}

/// Both checks of a state-changing POST: where it comes from, and its synchronizer token.
///
/// # Errors
/// The first [`Refusal`] that applies.
pub async fn check(headers: &HeaderMap, session: &Session, csrf: &str) -> Result<(), Refusal> {
    same_origin(headers)?;
    match sessions::check_csrf(session, csrf).await {
        Ok(true) => Ok(()),
        _ => Err(Refusal::Token),
    }
}

/// The 403 page of a refused POST, in the visitor's language.
pub fn refused(site: &Site, visit: &Visit, refusal: Refusal) -> Response {
    let text = i18n::text(visit.lang, refusal.message());
    message_page(site, visit, StatusCode::FORBIDDEN, text)
}

/// A page with a heading and one message (refusals, errors), never stored by caches.
pub fn message_page(site: &Site, visit: &Visit, status: StatusCode, message: &str) -> Response {
    let context = json!({ "message": message, "status": status.as_u16() });
    let mut response = render(site, visit, "auth_message.html", context);
    *response.status_mut() = status;
    response
}

/// Renders one of this module's templates, with who is signed in (`signed_in`) and never
/// stored by caches (the pages carry a session's anti-forgery token).
pub fn render(site: &Site, visit: &Visit, name: &str, mut context: Value) -> Response {
    if let (Some(object), Some(signed)) = (context.as_object_mut(), &visit.signed_in) {
        object.insert(
            "signed_in".into(),
            json!({ "login": signed.login, "role": signed.role.as_str() }),
        );
    }
    let mut response = match crate::web::pages::render(site, visit, name, context) {
        Ok(html) => Html(html).into_response(),
        Err(error) => error.into_response(),
    };
    no_store(response.headers_mut(), visit.signed_in.as_ref());
    response
}

/// [`render`] with the fields of `extra` (a JSON object; anything else is ignored) laid over
/// `context`, answered with `status`: the account and admin pages show one notice or error this
/// way over their usual context.
pub fn render_with(
    site: &Site,
    visit: &Visit,
    name: &str,
    mut context: Value,
    extra: Value,
    status: StatusCode,
) -> Response {
    if let (Some(context), Value::Object(extra)) = (context.as_object_mut(), extra) {
        context.extend(extra);
    }
    let mut response = render(site, visit, name, context);
    *response.status_mut() = status;
    response
}

/// `Cache-Control: no-store` (private too when signed in) on a page holding a token.
pub fn no_store(headers: &mut HeaderMap, signed: Option<&SignedIn>) {
    match signed {
        Some(signed) => viewer::private(headers, signed.by),
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            viewer::vary_on(headers, "Cookie");
        }
    }
}

/// The local path to go to after signing in: `next` when it is a path on this site (one `/`
/// then not `/` or `\`, no control characters: `//evil.example` and `/\evil.example` are other
/// sites to a browser), else the home page of `lang`.
pub fn local_next(next: Option<&str>, lang: Lang) -> String {
    match next {
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control)
                && next.len() <= 2048 =>
        {
            next.to_string()
        }
        _ => home(lang).to_string(),
    }
}

/// The home page of `lang`.
pub fn home(lang: Lang) -> &'static str {
    if lang == Lang::En { "/en" } else { "/" }
}

/// Who is signed in, for a page that needs an account: `None` sends the visitor to sign in.
pub fn need_account(visit: &Visit) -> Result<&SignedIn, axum::response::Redirect> {
    match &visit.signed_in {
        Some(signed) if signed.by == Proof::Session => Ok(signed),
        _ => {
            let next = format!("{}{}", i18n::prefix(visit.lang), visit.path);
            let target = format!("{}/login?next={}", i18n::prefix(visit.lang), percent(&next));
            Err(axum::response::Redirect::to(&target))
        }
    }
}

/// Percent-encodes a path for a query value.
pub(crate) fn percent(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            local_next(Some("/records/x?q=1"), Lang::Vi),
            "/records/x?q=1"
        );
        assert_eq!(local_next(Some("/en/search"), Lang::En), "/en/search");
        for hostile in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "evil",
            "/\r\nSet-Cookie: x=1",
            "",
        ] {
            assert_eq!(local_next(Some(hostile), Lang::Vi), "/", "{hostile:?}");
            assert_eq!(local_next(Some(hostile), Lang::En), "/en", "{hostile:?}");
        }
        assert_eq!(local_next(None, Lang::Vi), "/");
    }

    #[test]
    fn cross_site_posts_are_refused_and_same_origin_ones_pass() {
        let mut headers = HeaderMap::new();
        assert_eq!(same_origin(&headers), Ok(()));
        for (value, expected) in [
            ("same-origin", Ok(())),
            ("none", Ok(())),
            ("cross-site", Err(Refusal::CrossSite)),
            ("same-site", Err(Refusal::CrossSite)),
        ] {
            headers.insert("sec-fetch-site", HeaderValue::from_static(value));
            assert_eq!(same_origin(&headers), expected, "{value}");
        }
    }
}
