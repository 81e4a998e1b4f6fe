//! `/account` (and `/en/account`): what a signed-in person manages about themselves.
//!
//! - change the password (the current one is needed; every other session ends);
//! - the second factor: enrolment shows a QR code made by the site ([`totp::qr_svg`]) and is
//!   confirmed with a code; the recovery codes are shown once, on the page that confirms it;
//! - their sessions (address, agent, created, last seen), each of which they can end;
//! - personal API tokens: created (the token is shown once), listed, revoked.
//!
//! Errors of the accounts library are shown from the Fluent files ([`account_error_message`]).

use std::sync::Arc;

use std::net::SocketAddr;

use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_sessions::Session;

use super::forms::{self, Posted, need_account};
use super::viewer::client_address;
use super::{Auth, SignedIn};
use crate::accounts::password::{MAX_CHARS, MIN_CHARS, WeakPassword};
use crate::accounts::{AccountError, Accounts, sessions, totp};
use crate::model::Lang;
use crate::web::Site;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::site_form::SiteForm;

/// The sentence shown for an [`AccountError`], in `lang` (from the Fluent files).
pub fn account_error_message(error: &AccountError, lang: Lang) -> String {
    let text = |name: &str| i18n::text(lang, name).to_string();
    let number = |n: usize| FluentValue::from(n as i64);
    match error {
        AccountError::InvalidLogin(_) => text("account_error_invalid_login"),
        AccountError::LoginTaken(login) => i18n::message(
            lang,
            "account_error_login_taken",
            &[("login", FluentValue::from(login.as_str()))],
        ),
        AccountError::UnknownLogin(login) => i18n::message(
            lang,
            "account_error_unknown_login",
            &[("login", FluentValue::from(login.as_str()))],
        ),
        AccountError::WeakPassword(WeakPassword::TooShort { chars }) => i18n::message(
            lang,
            "account_error_password_short",
            &[("chars", number(*chars)), ("min", number(MIN_CHARS))],
        ),
        AccountError::WeakPassword(WeakPassword::TooLong { chars }) => i18n::message(
            lang,
            "account_error_password_long",
            &[("chars", number(*chars)), ("max", number(MAX_CHARS))],
        ),
        AccountError::WeakPassword(WeakPassword::Common) => text("account_error_password_common"),
        AccountError::WeakPassword(WeakPassword::Contextual) => {
            text("account_error_password_contextual")
        }
        AccountError::TryLater { seconds } => i18n::message(
            lang,
            "login_try_later",
            &[("seconds", FluentValue::from(*seconds))],
        ),
        AccountError::WrongPassword => text("account_error_wrong_password"),
        AccountError::InvalidGroup(_) => text("account_error_invalid_group"),
        AccountError::UnknownGroup(group) => i18n::message(
            lang,
            "account_error_unknown_group",
            &[("group", FluentValue::from(group.as_str()))],
        ),
        AccountError::GroupTaken(group) => i18n::message(
            lang,
            "account_error_group_taken",
            &[("group", FluentValue::from(group.as_str()))],
        ),
        AccountError::WrongCode => text("account_error_wrong_code"),
        AccountError::TotpRequired(_) => text("account_error_totp_required"),
        AccountError::NotFound(_) => text("account_error_not_found"),
        AccountError::OwnAccount => text("account_error_own_account"),
        AccountError::SameRole(_) => text("account_error_same_role"),
        AccountError::NotConfirmed => text("account_error_not_confirmed"),
        AccountError::Store(_) => text("login_unavailable"),
    }
}

/// Runs accounts work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    auth: &Auth,
    work: impl FnOnce(&Accounts) -> Result<T, AccountError> + Send + 'static,
) -> Result<T, AccountError> {
    let accounts = auth.accounts.clone();
    tokio::task::spawn_blocking(move || work(&accounts))
        .await
        .unwrap_or_else(|error| {
            Err(AccountError::Store(crate::accounts::StoreError::Corrupt(
                error.to_string(),
            )))
        })
}

/// `seconds` (Unix time) as `YYYY-MM-DD HH:MM UTC`, as the account and admin pages show times;
/// empty when out of range.
pub fn date(seconds: i64) -> String {
    tower_sessions::cookie::time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// What `/account` shows, with an optional notice (`notice`: a success, `error`: a failure,
/// `secret`: a token or recovery codes shown once).
async fn account_page(
    site: &Site,
    visit: &Visit,
    session: &Session,
    signed: &SignedIn,
    extra: Value,
    status: StatusCode,
) -> Response {
    let Some(auth) = site.auth.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let csrf = match sessions::csrf_token(session, &auth.accounts).await {
        Ok(token) => token,
        Err(_) => return unavailable(site, visit),
    };
    let current = sessions::current_handle(session);
    let user = signed.user;
    let loaded = blocking(&auth, move |accounts| {
        let row = accounts
            .user(user)?
            .ok_or(AccountError::NotFound("account"))?;
        Ok((
            row,
            accounts.sessions(user)?,
            accounts.api_tokens(user)?,
            accounts.recovery_codes_left(user)?,
        ))
    })
    .await;
    let Ok((row, session_rows, token_rows, codes_left)) = loaded else {
        return unavailable(site, visit);
    };
    let session_list: Vec<Value> = session_rows
        .iter()
        .map(|row| {
            json!({
                "handle": row.handle,
                "address": row.address,
                "agent": row.user_agent,
                "created": date(row.created),
                "last_seen": date(row.last_seen),
                "current": current.as_deref() == Some(row.handle.as_str()),
            })
        })
        .collect();
    let token_list: Vec<Value> = token_rows
        .iter()
        .map(|row| {
            json!({
                "id": row.id,
                "label": row.label,
                "created": date(row.created),
                "last_used": row.last_used.map(date),
                "revoked": row.revoked.map(date),
            })
        })
        .collect();
    let context = json!({
        "csrf": csrf,
        "login": row.login,
        "role": row.role.as_str(),
        "totp_enrolled": row.totp_enrolled,
        "totp_required": totp::required_for(row.role),
        "recovery_codes_left": codes_left,
        "sessions": session_list,
        "tokens": token_list,
        "notice": Value::Null,
        "error": Value::Null,
        "new_token": Value::Null,
    });
    forms::render_with(site, visit, "account.html", context, extra, status)
}

fn unavailable(site: &Site, visit: &Visit) -> Response {
    forms::message_page(
        site,
        visit,
        StatusCode::SERVICE_UNAVAILABLE,
        i18n::text(visit.lang, "login_unavailable"),
    )
}

/// `GET /account`.
pub async fn page(State(site): State<Arc<Site>>, visit: Visit, session: Session) -> Response {
    let signed = match need_account(&visit) {
        Ok(signed) => signed.clone(),
        Err(redirect) => return redirect.into_response(),
    };
    account_page(&site, &visit, &session, &signed, json!({}), StatusCode::OK).await
}

/// The checks every form of this page runs: signed in, same origin, the session's token.
async fn guarded(
    site: &Site,
    visit: &Visit,
    session: &Session,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(Arc<Auth>, SignedIn), Response> {
    let signed = need_account(visit)
        .map_err(IntoResponse::into_response)?
        .clone();
    let Some(auth) = site.auth.clone() else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    forms::check(headers, session, csrf)
        .await
        .map_err(|refusal| forms::refused(site, visit, refusal))?;
    Ok((auth, signed))
}

/// The outcome of one of the forms: the account page with a notice or an error.
async fn outcome(
    site: &Site,
    visit: &Visit,
    session: &Session,
    signed: &SignedIn,
    result: Result<Value, AccountError>,
) -> Response {
    match result {
        Ok(extra) => account_page(site, visit, session, signed, extra, StatusCode::OK).await,
        Err(error) => {
            let status = match error {
                AccountError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                AccountError::NotFound(_) => StatusCode::NOT_FOUND,
                AccountError::TryLater { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::BAD_REQUEST,
            };
            let extra = json!({ "error": account_error_message(&error, visit.lang) });
            account_page(site, visit, session, signed, extra, status).await
        }
    }
}

/// One form of this page from end to end: [`guarded`], then `work` (given the accounts and who is
/// signed in, off the async threads), then [`outcome`] with the notice `work` returns.
async fn act(
    posted: Posted,
    csrf: &str,
    work: impl FnOnce(&Accounts, &SignedIn) -> Result<Value, AccountError> + Send + 'static,
) -> Response {
    let Posted {
        site,
        visit,
        session,
        headers,
    } = posted;
    let (auth, signed) = match guarded(&site, &visit, &session, &headers, csrf).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let who = signed.clone();
    let result = blocking(&auth, move |accounts| work(accounts, &who)).await;
    outcome(&site, &visit, &session, &signed, result).await
}

/// The notice `{ "notice": … }` of the Fluent message `name`, given how many sessions `ended`.
fn ended_notice(lang: Lang, name: &str, ended: usize) -> Value {
    json!({ "notice": i18n::message(lang, name, &[("ended", FluentValue::from(ended as i64))]) })
}

/// The enrolment page again, 400, with the sentence for `error`.
async fn totp_refused(
    site: &Site,
    visit: &Visit,
    session: &Session,
    signed: &SignedIn,
    error: &AccountError,
) -> Response {
    let message = account_error_message(error, visit.lang);
    totp_view(
        site,
        visit,
        session,
        signed,
        Some(message),
        StatusCode::BAD_REQUEST,
    )
    .await
}

/// The password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    /// The current password.
    #[serde(default)]
    pub current: String,
    /// The new password.
    #[serde(default)]
    pub new: String,
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

/// The client's address for throttling a current-password check (empty when unknown).
fn address_of(posted: &Posted, peer: Option<&Extension<ConnectInfo<SocketAddr>>>) -> String {
    posted
        .site
        .auth
        .as_ref()
        .and_then(|auth| client_address(auth, &posted.headers, peer.map(|Extension(peer)| peer)))
        .unwrap_or_default()
}

/// `POST /account/password`: changes the password and ends every other session. The current
/// password is checked under the login throttle ([`Accounts::reauthenticate`]).
pub async fn change_password(
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    posted: Posted,
    SiteForm(form): SiteForm<PasswordForm>,
) -> Response {
    let keep = sessions::current_handle(&posted.session);
    let lang = posted.visit.lang;
    let csrf = form.csrf.clone();
    let address = address_of(&posted, peer.as_ref());
    act(posted, &csrf, move |accounts, signed| {
        let ended = accounts.reauthenticate(signed.user, &address, |accounts| {
            accounts.change_password(signed.user, &form.current, &form.new, keep.as_deref())
        })?;
        Ok(json!({ "notice": i18n::message(
            lang,
            "account_password_changed",
            &[
                ("ended", FluentValue::from(ended.sessions as i64)),
                ("tokens", FluentValue::from(ended.tokens as i64)),
            ],
        ) }))
    })
    .await
}

/// A form that carries only the token and one value.
#[derive(Debug, Deserialize)]
pub struct OneField {
    /// The value (a password, a code, a session handle, a token id or label).
    #[serde(default)]
    pub value: String,
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

/// `GET /account/totp`: the enrolment page: the QR code and the secret of the second factor
/// this session began to set up (no other session sees it), and the form to confirm it with a
/// code; otherwise the form to begin.
pub async fn totp_page(State(site): State<Arc<Site>>, visit: Visit, session: Session) -> Response {
    let signed = match need_account(&visit) {
        Ok(signed) => signed.clone(),
        Err(redirect) => return redirect.into_response(),
    };
    totp_view(&site, &visit, &session, &signed, None, StatusCode::OK).await
}

async fn totp_view(
    site: &Site,
    visit: &Visit,
    session: &Session,
    signed: &SignedIn,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let Some(auth) = site.auth.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(csrf) = sessions::csrf_token(session, &auth.accounts).await else {
        return unavailable(site, visit);
    };
    let user = signed.user;
    let handle = sessions::current_handle(session).unwrap_or_default();
    let Ok((row, pending)) = blocking(&auth, move |accounts| {
        let row = accounts
            .user(user)?
            .ok_or(AccountError::NotFound("account"))?;
        // Only the session that began the enrolment sees its secret (finding F5).
        let pending = accounts.totp_pending(user, &handle)?;
        Ok((row, pending))
    })
    .await
    else {
        return unavailable(site, visit);
    };
    let pending = pending.as_ref().map(|secret| {
        let enrolment = totp::enrolment(&row.login, secret);
        json!({
            "qr": totp::qr_svg(&enrolment.uri)
                .unwrap_or_default()
                .replacen(
                    "role=\"img\"",
                    &format!(
                        "role=\"img\" aria-label=\"{}\"",
                        crate::web::templates::escape(i18n::text(visit.lang, "totp_qr_label"))
                    ),
                    1,
                ),
            "secret": totp::base32_encode(secret),
            "uri": enrolment.uri,
        })
    });
    let context = json!({
        "csrf": csrf,
        "enrolled": row.totp_enrolled,
        "required": totp::required_for(row.role),
        "must_enrol": signed.must_enrol,
        "pending": pending,
        "error": error,
        "recovery_codes": Value::Null,
    });
    forms::render_with(site, visit, "totp.html", context, json!({}), status)
}

/// `POST /account/totp/begin` (`value`: the current password): issues a new secret to enrol
/// (re-authentication: ASVS 5 V6.4.2, under the login throttle) and goes to the enrolment page.
pub async fn begin_totp(
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    posted: Posted,
    SiteForm(form): SiteForm<OneField>,
) -> Response {
    let address = address_of(&posted, peer.as_ref());
    let Posted {
        site,
        visit,
        session,
        headers,
    } = posted;
    let (auth, signed) = match guarded(&site, &visit, &session, &headers, &form.csrf).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let user = signed.user;
    let Some(handle) = sessions::current_handle(&session) else {
        return unavailable(&site, &visit);
    };
    match blocking(&auth, move |accounts| {
        accounts.reauthenticate(user, &address, |accounts| {
            accounts.begin_totp(user, &handle, &form.value)
        })
    })
    .await
    {
        Ok(_) => {
            Redirect::to(&format!("{}/account/totp", i18n::prefix(visit.lang))).into_response()
        }
        Err(error) => totp_refused(&site, &visit, &session, &signed, &error).await,
    }
}

/// `POST /account/totp` (`value`: a code from the new secret): completes the enrolment begun
/// in this session (the new secret replaces the enrolled one; the account's other sessions end)
/// and shows the recovery codes, once.
pub async fn confirm_totp(posted: Posted, SiteForm(form): SiteForm<OneField>) -> Response {
    let Posted {
        site,
        visit,
        session,
        headers,
    } = posted;
    let (auth, signed) = match guarded(&site, &visit, &session, &headers, &form.csrf).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let user = signed.user;
    let Some(handle) = sessions::current_handle(&session) else {
        return unavailable(&site, &visit);
    };
    match blocking(&auth, move |accounts| {
        accounts.confirm_totp(user, &handle, &form.value)
    })
    .await
    {
        Ok(codes) => {
            let signed = SignedIn {
                must_enrol: false,
                ..signed
            };
            let visit = Visit {
                signed_in: Some(signed.clone()),
                ..visit
            };
            let context = json!({
                "csrf": forms_token(&auth, &session).await,
                "enrolled": true,
                "required": totp::required_for(signed.role),
                "must_enrol": false,
                "pending": Value::Null,
                "error": Value::Null,
                "recovery_codes": codes,
            });
            forms::render(&site, &visit, "totp.html", context)
        }
        Err(error) => totp_refused(&site, &visit, &session, &signed, &error).await,
    }
}

async fn forms_token(auth: &Auth, session: &Session) -> String {
    sessions::csrf_token(session, &auth.accounts)
        .await
        .unwrap_or_default()
}

/// `POST /account/sessions/end` (`value`: a session handle, or `others` for every other one).
pub async fn end_session(posted: Posted, SiteForm(form): SiteForm<OneField>) -> Response {
    let keep = sessions::current_handle(&posted.session);
    let lang = posted.visit.lang;
    act(posted, &form.csrf.clone(), move |accounts, signed| {
        let ended = if form.value == "others" {
            accounts.end_all_sessions(signed.user, keep.as_deref(), &signed.login)?
        } else {
            accounts.end_session(signed.user, &form.value)?;
            1
        };
        Ok(ended_notice(lang, "account_sessions_ended", ended))
    })
    .await
}

/// `POST /account/tokens` (`value`: the new token's label): makes a token and shows it once.
///
/// The token is stored only while this session still exists (finding R15: a password change
/// racing the request ends the session and leaves no token).
pub async fn create_token(posted: Posted, SiteForm(form): SiteForm<OneField>) -> Response {
    let handle = sessions::current_handle(&posted.session).unwrap_or_default();
    act(posted, &form.csrf.clone(), move |accounts, signed| {
        let token = accounts.create_api_token_in_session(signed.user, &handle, &form.value)?;
        Ok(json!({ "new_token": token }))
    })
    .await
}

/// `POST /account/tokens/revoke` (`value`: the token's number).
pub async fn revoke_token(posted: Posted, SiteForm(form): SiteForm<OneField>) -> Response {
    let lang = posted.visit.lang;
    act(posted, &form.csrf.clone(), move |accounts, signed| {
        let id = form
            .value
            .trim()
            .parse::<i64>()
            .map_err(|_| AccountError::NotFound("token"))?;
        accounts.revoke_api_token(signed.user, id)?;
        Ok(json!({ "notice": i18n::text(lang, "account_token_revoked") }))
    })
    .await
}
