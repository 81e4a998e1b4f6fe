//! `/login` and `POST /logout` (and `/en/…`).
//!
//! The form posts `login`, `password`, `totp` (the code, or a recovery code; empty for accounts
//! without a second factor), `next` and the session's anti-forgery token `csrf`. Every refusal
//! shows the same sentence (ASVS 5 V6.3.8: no user enumeration); throttling answers 429 with
//! `Retry-After` and the same wording for any login. Signing in renews the session id
//! ([`sessions::sign_in`]: no fixation). An account holding a second-factor secret needs a code
//! from it, even before its enrolment completes: for an admin or archivist made by `disan user
//! add` (or reset by `disan user reset-totp`) the first code accepted completes the enrolment,
//! and the answer to that sign-in is the page of the ten recovery codes, shown once.

use std::sync::Arc;

use axum::Form;
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
use crate::accounts::{Authenticated, LoginError, sessions};
use crate::web::Site;
use crate::web::i18n;
use crate::web::pages::Visit;

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
        LoginError::Unavailable(_) => i18n::text(lang, "login_unavailable").to_string(),
    }
}

/// `GET /login`: the form, with a fresh anti-forgery token (which starts a session).
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
    let csrf = match sessions::csrf_token(session, &auth.accounts).await {
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
    forms::render(site, visit, "login.html", context)
}

/// `POST /login`: checks the form, signs in and goes to `next`.
pub async fn submit(
    State(site): State<Arc<Site>>,
    visit: Visit,
    session: Session,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(auth) = site.auth.clone() else {
        return forms::message_page(
            &site,
            &visit,
            StatusCode::NOT_FOUND,
            i18n::text(visit.lang, "login_no_accounts"),
        );
    };
    if let Err(refusal) = forms::check(&headers, &session, &form.csrf).await {
        return forms::refused(&site, &visit, refusal);
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
    let outcome = tokio::task::spawn_blocking(move || {
        let code = Some(code.as_str()).filter(|code| !code.trim().is_empty());
        accounts.sign_in_check(&login, &password, code, &address_for_check)
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
            recovery_codes,
        }) => {
            let signed = sessions::sign_in(
                &session,
                &auth.accounts,
                user,
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
                return response;
            }
            let target = local_next(form.next.as_deref(), visit.lang);
            let mut response = Redirect::to(&target).into_response();
            forms::no_store(response.headers_mut(), None);
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
            }
            response
        }
    }
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
    Form(form): Form<LogoutForm>,
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
