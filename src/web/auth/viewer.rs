//! The layer that tells every handler who is asking: a [`Viewer`] (and, when signed in, a
//! [`SignedIn`]) in the request extensions, from the session cookie or a bearer token.
//!
//! Deny by default: any doubt (no cookie, a session ended or expired, a disabled account, a
//! database that cannot be read) is [`Viewer::Anonymous`]. A request that *names* a token that is
//! not valid (unknown, revoked, of a disabled account, not `disan_…`) is refused with 401 and
//! `WWW-Authenticate: Bearer` rather than served as anonymous, so a harvester whose token was
//! revoked learns it instead of silently getting less.
//!
//! An archivist or administrator without an enrolled second factor may only enrol: a browser's
//! pages are sent to `/account/totp`, while an API client (any `/api/…` address, any request
//! with a token) is told so with 403 (`totp_required`), never redirected to an HTML form.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::{Auth, Proof, SignedIn, Viewer, allowed_before_enrolment};
use crate::accounts::store::Standing;
use crate::accounts::{Accounts, UserId, sessions, tokens, totp};
use crate::web::Site;
use crate::web::i18n;

/// `Cache-Control` of every answer to a signed-in request: only this browser may keep it, and
/// not even on disk (ASVS 5 V14.3.2).
pub const SIGNED_IN_CACHE_CONTROL: &str = "private, no-store";

/// Inserts the request's [`Viewer`] (and [`SignedIn`]) and marks signed-in answers private.
/// Without an accounts database (a site opened without one) every request is anonymous.
pub async fn resolve(State(site): State<Arc<Site>>, mut request: Request, next: Next) -> Response {
    let Some(auth) = site.auth.clone() else {
        request.extensions_mut().insert(Viewer::Anonymous);
        return next.run(request).await;
    };
    // Only the Bearer scheme is Disan's: other credentials (Basic, from a proxy's own password
    // prompt in front of the site) are not for Disan and are left alone.
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .filter(|value| {
            value.to_str().map_or(true, |text| {
                let scheme = text.trim().split(' ').next().unwrap_or_default();
                scheme.eq_ignore_ascii_case("bearer")
            })
        });
    let who = if let Some(value) = bearer {
        match by_token(&auth, value).await {
            Some(found) => Some(found),
            None => return unauthorized(&request),
        }
    } else if let Some(session) = request.extensions().get::<Session>().cloned() {
        by_session(&auth, &session).await
    } else {
        None
    };
    let Some((viewer, signed)) = who else {
        request.extensions_mut().insert(Viewer::Anonymous);
        return next.run(request).await;
    };
    let proof = signed.by;
    if signed.must_enrol && !allowed_before_enrolment(request.uri().path()) {
        let mut response = enrol_first(&request, proof);
        private(response.headers_mut(), proof);
        return response;
    }
    let viewer = if signed.must_enrol {
        Viewer::Anonymous
    } else {
        viewer
    };
    request.extensions_mut().insert(viewer);
    request.extensions_mut().insert(signed);
    let mut response = next.run(request).await;
    private(response.headers_mut(), proof);
    response
}

/// The answer to a request of an account that must enrol a second factor before it may do
/// anything else (an archivist or administrator, [`totp::required_for`]):
/// - a browser's page (a session, not `/api/…`): 303 to `/account/totp`, where it enrols;
/// - anything else — every `/api/…` address, and any request proved by an API token, whose
///   client cannot enrol by following a redirect to an HTML form — 403 saying so: JSON with the
///   code `totp_required` on the API (in the request's language), both languages elsewhere.
///   An API client never receives a redirect or an HTML page.
fn enrol_first(request: &Request, proof: Proof) -> Response {
    let path = request.uri().path();
    let status = StatusCode::FORBIDDEN;
    if crate::web::error::is_api(path) {
        let lang = crate::web::error::ApiLang::of(request.uri(), request.headers()).0;
        let message = i18n::text(lang, "auth_totp_required");
        return crate::web::error::api_error(status, "totp_required", message, None);
    }
    if proof == Proof::Token {
        let mut response = (status, i18n::both_languages("auth_totp_required")).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let (lang, _) = i18n::split_path(path);
    Redirect::to(&format!("{}/account/totp", i18n::prefix(lang))).into_response()
}

/// Marks an answer for a signed-in request: private, not stored, varying with the credential.
pub fn private(headers: &mut HeaderMap, proof: Proof) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(SIGNED_IN_CACHE_CONTROL),
    );
    let vary = match proof {
        Proof::Session => "Cookie",
        Proof::Token => "Authorization",
    };
    vary_on(headers, vary);
}

/// Adds `field` to the answer's `Vary` unless a `Vary` already names it (any case): a page
/// marked by two layers said `Vary: Cookie, Cookie`.
pub fn vary_on(headers: &mut HeaderMap, field: &'static str) {
    let named = headers.get_all(header::VARY).iter().any(|value| {
        value.to_str().is_ok_and(|value| {
            value
                .split(',')
                .any(|name| name.trim().eq_ignore_ascii_case(field) || name.trim() == "*")
        })
    });
    if !named {
        headers.append(header::VARY, HeaderValue::from_static(field));
    }
}

/// 401 for a request whose `Authorization` names no valid token (RFC 6750 section 3); JSON
/// with the code `invalid_token` in the request's language on the API.
fn unauthorized(request: &Request) -> Response {
    let status = StatusCode::UNAUTHORIZED;
    let mut response = if crate::web::error::is_api(request.uri().path()) {
        let lang = crate::web::error::ApiLang::of(request.uri(), request.headers()).0;
        let message = i18n::text(lang, "auth_token_refused");
        crate::web::error::api_error(status, "invalid_token", message, None)
    } else {
        (status, i18n::both_languages("auth_token_refused")).into_response()
    };
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"disan\", error=\"invalid_token\""),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Who `user` is for this request, proved `by` a token or a session, with the communities it
/// sees; `None` when the account is gone or disabled.
fn signed_in(user: UserId, standing: Standing, by: Proof) -> Option<(Viewer, SignedIn)> {
    if standing.disabled {
        return None;
    }
    Some((
        crate::accounts::viewer_of(standing.role, standing.groups),
        SignedIn {
            user,
            must_enrol: totp::required_for(standing.role) && !standing.totp_enrolled,
            login: standing.login,
            role: standing.role,
            by,
        },
    ))
}

/// [`signed_in`] from the database: one read of the account and one of its memberships,
/// remembered while the database is unchanged (a disablement or a membership change holds from
/// the next request on); `None` also when the database cannot be read (the request is then
/// anonymous). Blocking: call it off the async threads.
fn read_signed_in(accounts: &Accounts, user: UserId, by: Proof) -> Option<(Viewer, SignedIn)> {
    signed_in(user, accounts.standing(user).ok()??, by)
}

/// The token's owner and standing when the accounts database is unchanged since they were last
/// read (microseconds, on the async thread); else read off the async threads.
async fn by_token(auth: &Auth, value: &HeaderValue) -> Option<(Viewer, SignedIn)> {
    let token = tokens::bearer_token(value.to_str().ok()?)?.to_string();
    if let Some((user, standing)) = auth.accounts.remembered_token_user(&token) {
        return signed_in(user, standing, Proof::Token);
    }
    let accounts = auth.accounts.clone();
    tokio::task::spawn_blocking(move || {
        let user = accounts.token_owner(&token).ok()??;
        read_signed_in(&accounts, user, Proof::Token)
    })
    .await
    .ok()?
}

/// The session's account and its standing, remembered as for [`by_token`].
async fn by_session(auth: &Auth, session: &Session) -> Option<(Viewer, SignedIn)> {
    let user = sessions::user(session).await.ok()??;
    if let Some(standing) = auth.accounts.remembered_standing(user) {
        return signed_in(user, standing, Proof::Session);
    }
    let accounts = auth.accounts.clone();
    tokio::task::spawn_blocking(move || read_signed_in(&accounts, user, Proof::Session))
        .await
        .ok()?
}

/// The client's address: the peer's, or with `--trust-forwarded-for` the last entry of
/// `X-Forwarded-For` (the one the proxy in front added; earlier entries are the client's word).
pub fn client_address(
    auth: &Auth,
    headers: &HeaderMap,
    peer: Option<&ConnectInfo<SocketAddr>>,
) -> Option<String> {
    if auth.trust_forwarded_for
        && let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    {
        return Some(forwarded.chars().take(64).collect());
    }
    peer.map(|ConnectInfo(peer)| peer.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_names_each_field_once() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, cookie"),
        );
        vary_on(&mut headers, "Cookie");
        vary_on(&mut headers, "Authorization");
        vary_on(&mut headers, "Authorization");
        let all: Vec<&str> = headers
            .get_all(header::VARY)
            .iter()
            .map(|value| value.to_str().unwrap())
            .collect();
        assert_eq!(all, ["accept-encoding, cookie", "Authorization"]);
    }
}
