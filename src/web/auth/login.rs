//! `/login` and `POST /logout` (and `/en/…`).
//!
//! The form posts `login`, `password`, `totp` (the code, or a recovery code; empty for accounts
//! without a second factor), `next` and the anti-forgery token `csrf` (a signed-in visitor's
//! session token; for an anonymous visitor a signed double-submit token, so showing the form
//! writes no session row). Every refusal shows the same sentence (ASVS 5 V6.3.8: no user enumeration); throttling answers 429 with
//! `Retry-After` and the same wording for any login. Signing in renews the session id
//! ([`sessions::sign_in`]: no fixation). An account holding a second-factor secret needs a code
//! from it, even before its enrolment completes: for an admin or archivist made by `disan user
//! add` (or reset by `disan user reset-totp`) the first code accepted completes the enrolment,
//! and the answer to that sign-in is the page of the ten recovery codes, shown once.
//!
//! Throttling hook: the form's POST reads the browser's device cookie (`__Host-disan-device`,
//! or `disan-device` on a plain-HTTP site) and hands it to
//! [`Accounts::sign_in_check`](crate::accounts::Accounts::sign_in_check); a successful sign-in
//! sets a fresh one (`HttpOnly`, `SameSite=Strict`, 180 days), so the browsers a person has
//! signed in from are not delayed by someone guessing their password elsewhere
//! ([`throttle::device`](crate::accounts::throttle::device)).

use std::sync::Arc;

use axum::extract::{Query, State};
use std::net::SocketAddr;

use axum::Extension;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::forms::{self, local_next};
use super::viewer::client_address;
use super::{Proof, SignedIn};
use crate::accounts::throttle::device;
use crate::accounts::{Authenticated, LoginError, sessions};
use crate::web::Site;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::site_form::SiteForm;

/// The query of `GET /login`.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    /// Where to go after signing in (a local path).
    pub next: Option<String>,
}

/// The fields of the sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// The login, as typed.
    #[serde(default)]
    pub login: String,
    /// The password.
    #[serde(default)]
    pub password: String,
    /// The TOTP code or a recovery code; empty when the account has no second factor.
    #[serde(default)]
    pub totp: String,
    /// Where to go after signing in.
    pub next: Option<String>,
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

/// The message (Fluent code name and arguments) shown for a refused sign-in, in `lang`.
pub fn login_error_message(error: &LoginError, lang: crate::model::Lang) -> String {
    match error {
        LoginError::Refused(_) => i18n::text(lang, "login_refused").to_string(),
        LoginError::TryLater { seconds } => i18n::message(
            lang,
            "login_try_later",
            &[("seconds", FluentValue::from(*seconds))],
        ),
        LoginError::Unavailable(_) | LoginError::Busy { .. } => {
            i18n::text(lang, "login_unavailable").to_string()
        }
    }
}

/// `GET /login`: the form, with a fresh anti-forgery token (for an anonymous visitor a signed
/// double-submit cookie, no session).
pub async fn form(
    State(site): State<Arc<Site>>,
    visit: Visit,
    session: Session,
    Query(query): Query<NextQuery>,
) -> Response {
    show(&site, &visit, &session, query.next.as_deref(), None, "").await
}

async fn show(
    site: &Site,
    visit: &Visit,
    session: &Session,
    next: Option<&str>,
    error: Option<&str>,
    login: &str,
) -> Response {
    let Some(auth) = &site.auth else {
        return forms::message_page(
            site,
            visit,
            StatusCode::NOT_FOUND,
            i18n::text(visit.lang, "login_no_accounts"),
        );
    };
    // An anonymous visitor's form gets a signed double-submit token (no session row: L9); a
    // signed-in one's header carries the session's token anyway.
    let (csrf, form_cookie) = if visit.signed_in.is_none() {
        match form_token(&auth.accounts) {
            Ok(token) => (Ok(token.clone()), Some(token)),
            Err(error) => (Err(error.to_string()), None),
        }
    } else {
        (
            sessions::csrf_token(session, &auth.accounts)
                .await
                .map_err(|error| error.to_string()),
            None,
        )
    };
    let csrf = match csrf {
        Ok(token) => token,
        Err(error) => {
            eprintln!("disan serve: sign-in form: {error}");
            return forms::message_page(
                site,
                visit,
                StatusCode::SERVICE_UNAVAILABLE,
                i18n::text(visit.lang, "login_unavailable"),
            );
        }
    };
    let context = json!({
        "csrf": csrf,
        "next": local_next(next, visit.lang),
        "error": error,
        "login": login,
    });
    let mut response = forms::render(site, visit, "login.html", context);
    if let Some(line) = form_cookie
        .map(|token| {
            let name = form_cookie_name(auth.sessions.secure);
            format!(
                "{name}={token}; Path=/; Max-Age={FORM_TOKEN_LIFETIME}; HttpOnly; SameSite=Strict{}",
                if auth.sessions.secure { "; Secure" } else { "" }
            )
        })
        .and_then(|line| HeaderValue::from_str(&line).ok())
    {
        response.headers_mut().append(header::SET_COOKIE, line);
    }
    response
}

/// Seconds a sign-in form's double-submit token stays valid (a day).
pub const FORM_TOKEN_LIFETIME: i64 = 24 * 60 * 60;

/// The sign-in form cookie's name (`__Host-` when cookies are `Secure`).
fn form_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-disan-login-form"
    } else {
        "disan-login-form"
    }
}

/// A signed double-submit anti-forgery token for the sign-in form (OWASP CSRF Prevention Cheat
/// Sheet, "Signed Double-Submit Cookie"): `<issued>.<16 random bytes, base64url>.<HMAC-SHA256 of
/// the two under the server key login-form>`. It is both the form's `csrf` field and the
/// `HttpOnly`, `SameSite=Strict` cookie beside it, so an anonymous `GET /login` writes nothing to
/// the database (finding L9); the session starts at sign-in.
fn form_token(accounts: &crate::accounts::Accounts) -> Result<String, crate::accounts::StoreError> {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).expect("the operating system's random number generator failed");
    let body = format!("{}.{}", accounts.now(), URL_SAFE_NO_PAD.encode(nonce));
    let mac = device::hmac_sha256(&accounts.server_key("login-form")?, body.as_bytes());
    Ok(format!("{body}.{}", URL_SAFE_NO_PAD.encode(mac)))
}

/// Whether the posted `csrf` is a valid, unexpired sign-in form token equal to the form cookie.
fn form_token_ok(accounts: &crate::accounts::Accounts, cookie: Option<&str>, csrf: &str) -> bool {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use subtle::ConstantTimeEq;
    let Some(cookie) = cookie else {
        return false;
    };
    if csrf.is_empty() || !bool::from(cookie.as_bytes().ct_eq(csrf.as_bytes())) {
        return false;
    }
    let Some((body, mac)) = csrf.rsplit_once('.') else {
        return false;
    };
    let Some(issued) = body
        .split_once('.')
        .and_then(|(t, _)| t.parse::<i64>().ok())
    else {
        return false;
    };
    let now = accounts.now();
    let Ok(key) = accounts.server_key("login-form") else {
        return false;
    };
    let expected = URL_SAFE_NO_PAD.encode(device::hmac_sha256(&key, body.as_bytes()));
    issued <= now
        && now - issued < FORM_TOKEN_LIFETIME
        && bool::from(expected.as_bytes().ct_eq(mac.as_bytes()))
}

/// `POST /login`: checks the form, signs in and goes to `next`.
pub async fn submit(
    State(site): State<Arc<Site>>,
    visit: Visit,
    session: Session,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    SiteForm(form): SiteForm<LoginForm>,
) -> Response {
    let Some(auth) = site.auth.clone() else {
        return forms::message_page(
            &site,
            &visit,
            StatusCode::NOT_FOUND,
            i18n::text(visit.lang, "login_no_accounts"),
        );
    };
    // The form's token: the session's (a signed-in visitor) or the signed double-submit one.
    let form_ok = form_token_ok(
        &auth.accounts,
        cookie_value(&headers, form_cookie_name(auth.sessions.secure)).as_deref(),
        &form.csrf,
    );
    if let Err(refusal) = forms::same_origin(&headers) {
        return forms::refused(&site, &visit, refusal);
    }
    if !form_ok
        && !sessions::check_csrf(&session, &form.csrf)
            .await
            .unwrap_or(false)
    {
        return forms::refused(&site, &visit, forms::Refusal::Token);
    }
    let address = client_address(&auth, &headers, peer.as_ref().map(|Extension(peer)| peer))
        .unwrap_or_default();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let accounts = auth.accounts.clone();
    let (login, password, code) = (form.login.clone(), form.password.clone(), form.totp.clone());
    let address_for_check = address.clone();
    // A password alone never signs in an account that holds a second-factor secret, enrolled
    // or only issued by the CLI, and never shows one (finding F5); the first code accepted from
    // an issued secret completes the enrolment and brings the recovery codes (finding F6).
    let cookie_name = device_cookie_name(auth.sessions.secure);
    let device_cookie = cookie_value(&headers, cookie_name);
    let outcome = tokio::task::spawn_blocking(move || {
        let code = Some(code.as_str()).filter(|code| !code.trim().is_empty());
        accounts.sign_in_check(
            &login,
            &password,
            code,
            &address_for_check,
            device_cookie.as_deref(),
        )
    })
    .await
    .unwrap_or_else(|error| {
        Err(LoginError::Unavailable(
            crate::accounts::StoreError::Corrupt(error.to_string()),
        ))
    });
    match outcome {
        Ok(Authenticated {
            user,
            epoch,
            device_cookie,
            recovery_codes,
        }) => {
            let signed = sessions::sign_in(
                &session,
                &auth.accounts,
                user,
                epoch,
                Some(&address).filter(|a| !a.is_empty()).map(String::as_str),
                agent.as_deref(),
            )
            .await;
            if let Err(error) = signed {
                eprintln!("disan serve: sign-in: {error}");
                return forms::message_page(
                    &site,
                    &visit,
                    StatusCode::SERVICE_UNAVAILABLE,
                    i18n::text(visit.lang, "login_unavailable"),
                );
            }
            if let Some(codes) = recovery_codes {
                // The page of the recovery codes is the first page of the new session: it shows
                // who is signed in and the sign-out form.
                let accounts = auth.accounts.clone();
                let row = tokio::task::spawn_blocking(move || accounts.user(user))
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .flatten();
                let visit = Visit {
                    signed_in: row.map(|row| SignedIn {
                        user,
                        login: row.login,
                        role: row.role,
                        by: Proof::Session,
                        must_enrol: false,
                    }),
                    ..visit
                };
                let context = json!({
                    "csrf": sessions::csrf_token(&session, &auth.accounts).await.unwrap_or_default(),
                    "enrolled": true,
                    "required": true,
                    "must_enrol": false,
                    "pending": null,
                    "error": null,
                    "recovery_codes": codes,
                });
                let mut response = forms::render(&site, &visit, "totp.html", context);
                forms::no_store(response.headers_mut(), visit.signed_in.as_ref());
                if let Ok(value) = HeaderValue::from_str(&set_device_cookie(
                    cookie_name,
                    &device_cookie,
                    auth.sessions.secure,
                )) {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
                return response;
            }
            let target = local_next(form.next.as_deref(), visit.lang);
            let mut response = Redirect::to(&target).into_response();
            forms::no_store(response.headers_mut(), None);
            if let Ok(value) = HeaderValue::from_str(&set_device_cookie(
                cookie_name,
                &device_cookie,
                auth.sessions.secure,
            )) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(error) => {
            eprintln!("disan serve: sign-in refused ({})", error.reason());
            let message = login_error_message(&error, visit.lang);
            let mut response = show(
                &site,
                &visit,
                &session,
                form.next.as_deref(),
                Some(&message),
                &form.login.chars().take(64).collect::<String>(),
            )
            .await;
            match error {
                LoginError::TryLater { seconds } => {
                    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
                    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                        response.headers_mut().insert(header::RETRY_AFTER, value);
                    }
                }
                LoginError::Refused(_) => *response.status_mut() = StatusCode::UNAUTHORIZED,
                LoginError::Unavailable(_) => {
                    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                }
                // Every argon2 slot stayed taken (finding R16): try again shortly.
                LoginError::Busy { seconds } => {
                    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                        response.headers_mut().insert(header::RETRY_AFTER, value);
                    }
                }
            }
            response
        }
    }
}

/// The device cookie's name: `__Host-` and `Secure` when the session cookie is secure.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        device::COOKIE_SECURE
    } else {
        device::COOKIE_PLAIN
    }
}

/// The `Set-Cookie` line for a device cookie `value`.
pub fn set_device_cookie(name: &str, value: &str, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
        device::LIFETIME,
        if secure { "; Secure" } else { "" }
    )
}

/// The value of the request's cookie `name`, if it sent one.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').chars().take(512).collect())
}

/// The fields of the sign-out form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /logout`: ends the session on the server (its row is deleted: a replayed cookie is
/// anonymous) and goes home.
pub async fn logout(
    State(site): State<Arc<Site>>,
    visit: Visit,
    session: Session,
    headers: HeaderMap,
    SiteForm(form): SiteForm<LogoutForm>,
) -> Response {
    if let Err(refusal) = forms::check(&headers, &session, &form.csrf).await {
        return forms::refused(&site, &visit, refusal);
    }
    if let Err(error) = sessions::sign_out(&session).await {
        eprintln!("disan serve: sign-out: {error}");
        return forms::message_page(
            &site,
            &visit,
            StatusCode::SERVICE_UNAVAILABLE,
            i18n::text(visit.lang, "login_unavailable"),
        );
    }
    let mut response = Redirect::to(forms::home(visit.lang)).into_response();
    forms::no_store(response.headers_mut(), None);
    response
}
