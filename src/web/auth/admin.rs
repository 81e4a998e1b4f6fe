//! `/admin/users` (and `/en/…`): accounts and groups for admins, a thin form over what
//! `disan user` and `disan group` do. Only an admin signed in with a session reaches it (an
//! admin's session always passed the second factor: admins cannot sign in otherwise, see
//! [`super::viewer`]); to everyone else the page does not exist (404).
//!
//! An admin changes neither their own role or memberships nor disables themselves (another admin
//! must); disabling and a role change need a ticked confirmation box; a role change and "end
//! sessions" end the account's sessions and revoke its API tokens; every membership change is listed on the page
//! (who added or removed whom, in which group, when) from the audit table.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tower_sessions::Session;

use super::account::{account_error_message, blocking};
use super::forms::{self, Posted};
use super::{Auth, Proof, SignedIn};
use crate::accounts::{AccountError, sessions};
use crate::model::{GroupId, Role};
use crate::web::Site;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::site_form::SiteForm;

/// How many membership changes (newest first) the page lists.
pub const MEMBERSHIP_CHANGES_SHOWN: u32 = 200;

fn admin(visit: &Visit) -> Option<&SignedIn> {
    visit.signed_in.as_ref().filter(|signed| {
        signed.role == Role::Admin && signed.by == Proof::Session && !signed.must_enrol
    })
}

async fn admin_page(
    site: &Site,
    visit: &Visit,
    session: &Session,
    extra: Value,
    status: StatusCode,
) -> Response {
    let Some(auth) = site.auth.clone() else {
        return WebError::NotFound.into_response();
    };
    let Ok(csrf) = sessions::csrf_token(session, &auth.accounts).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let loaded = blocking(&auth, |accounts| {
        Ok((
            accounts.user_summaries()?,
            accounts.groups()?,
            accounts.membership_audit(MEMBERSHIP_CHANGES_SHOWN)?,
        ))
    })
    .await;
    let Ok((users, groups, changes)) = loaded else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let users: Vec<Value> = users
        .iter()
        .map(|user| {
            json!({
                "login": user.login,
                "role_key": user.role.as_str(),
                "role": i18n::text(visit.lang, match user.role {
                    Role::Researcher => "role_researcher",
                    Role::Archivist => "role_archivist",
                    Role::Admin => "role_admin",
                }),
                "groups": user.groups.iter().map(GroupId::as_str).collect::<Vec<_>>(),
                "disabled": user.disabled,
                "totp_enrolled": user.totp_enrolled,
                "sessions": user.sessions,
                // An admin never changes their own memberships (finding F1): no remove form.
                "own": visit.signed_in.as_ref().is_some_and(|signed| signed.login == user.login),
            })
        })
        .collect();
    let groups: Vec<Value> = groups
        .iter()
        .map(|(id, name, members)| json!({ "id": id.as_str(), "name": name, "members": members }))
        .collect();
    let changes: Vec<Value> = changes
        .iter()
        .map(|row| {
            json!({
                "at": super::account::date(row.at),
                "actor": row.actor,
                "added": row.action == "group-member-add",
                "subject": row.subject,
                "group": row.detail,
            })
        })
        .collect();
    let context = json!({
        "csrf": csrf, "users": users, "groups": groups, "membership_changes": changes,
        "notice": Value::Null, "error": Value::Null, "handover": Value::Null,
        "roles": [
            {"key": "researcher", "label": i18n::text(visit.lang, "role_researcher")},
            {"key": "archivist", "label": i18n::text(visit.lang, "role_archivist")},
            {"key": "admin", "label": i18n::text(visit.lang, "role_admin")},
        ],
    });
    forms::render_with(site, visit, "admin_users.html", context, extra, status)
}

/// `GET /admin/users`.
pub async fn page(State(site): State<Arc<Site>>, visit: Visit, session: Session) -> Response {
    if admin(&visit).is_none() {
        return WebError::NotFound.into_response();
    }
    admin_page(&site, &visit, &session, json!({}), StatusCode::OK).await
}

/// The admin forms' fields (each form uses the ones it needs).
#[derive(Debug, Deserialize)]
pub struct AdminForm {
    /// An account's login.
    #[serde(default)]
    pub login: String,
    /// A group's id.
    #[serde(default)]
    pub group: String,
    /// A new group's name.
    #[serde(default)]
    pub name: String,
    /// A role (`admin`, `archivist`, `researcher`).
    #[serde(default)]
    pub role: String,
    /// `yes` when the confirmation box of a destructive form is ticked.
    #[serde(default)]
    pub confirm: String,
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

async fn act(
    posted: Posted,
    csrf: String,
    work: impl FnOnce(&crate::accounts::Accounts, &str) -> Result<Option<String>, AccountError>
    + Send
    + 'static,
) -> Response {
    let Posted {
        site,
        visit,
        session,
        headers,
    } = posted;
    let Some(actor) = admin(&visit).map(|signed| signed.login.clone()) else {
        return WebError::NotFound.into_response();
    };
    let Some(auth): Option<Arc<Auth>> = site.auth.clone() else {
        return WebError::NotFound.into_response();
    };
    if let Err(refusal) = forms::check(&headers, &session, &csrf).await {
        return forms::refused(&site, &visit, refusal);
    }
    match blocking(&auth, move |accounts| work(accounts, &actor)).await {
        Ok(handover) => {
            let notice = json!({
                "notice": i18n::text(visit.lang, "admin_done"),
                "handover": handover,
            });
            admin_page(&site, &visit, &session, notice, StatusCode::OK).await
        }
        Err(error) => {
            let extra = json!({ "error": account_error_message(&error, visit.lang) });
            admin_page(&site, &visit, &session, extra, StatusCode::BAD_REQUEST).await
        }
    }
}

/// The group id typed in a form (trimmed); [`AccountError::InvalidGroup`] when it is not one.
fn group_id(text: &str) -> Result<GroupId, AccountError> {
    GroupId::parse(text.trim()).map_err(|error| AccountError::InvalidGroup(error.to_string()))
}

/// `POST /admin/users/disable` (`login`, `confirm=yes`): disables the account and ends its
/// sessions. Without the ticked confirmation box nothing changes (400, the page says to tick
/// it); an admin cannot disable themselves (finding F11; `disan user enable` undoes it).
pub async fn disable(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        if form.confirm != "yes" {
            return Err(AccountError::NotConfirmed);
        }
        accounts.disable_user(&form.login, actor).map(|_| None)
    })
    .await
}

/// `POST /admin/users/sessions` (`login`): signs the account out everywhere: every session
/// ends and every API token is revoked (tokens are authenticators too; issue 13's R14).
pub async fn end_sessions(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        accounts
            .sign_out_everywhere(&form.login, actor)
            .map(|_| None)
    })
    .await
}

/// `POST /admin/users/role` (`login`, `role`, `confirm=yes`): gives the account another role
/// (what `disan user role` does): its sessions end and its tokens are revoked. A role that
/// needs a second factor, given to an account without one, comes with a new key, shown once on
/// the answering page (its `otpauth://` URI) for the admin to hand over. Never the admin's own
/// account; without the ticked box nothing changes.
pub async fn change_role(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        if form.confirm != "yes" {
            return Err(AccountError::NotConfirmed);
        }
        let role: Role = form
            .role
            .trim()
            .parse()
            .map_err(|_| AccountError::NotFound("role"))?;
        accounts
            .change_role(&form.login, role, actor)
            .map(|changed| changed.totp.map(|totp| totp.uri))
    })
    .await
}

/// `POST /admin/groups` (`group`, `name`): creates a group.
pub async fn add_group(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        let id = group_id(&form.group)?;
        accounts.add_group(&id, &form.name, actor).map(|()| None)
    })
    .await
}

/// `POST /admin/groups/members/remove` (`login`, `group`, `confirm=yes`): removes the account
/// from the group (what `disan group remove-member` does). Without the ticked confirmation box
/// nothing changes (400, the page says to tick it); never the admin's own account; audited and
/// listed among the membership changes.
pub async fn remove_member(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        if form.confirm != "yes" {
            return Err(AccountError::NotConfirmed);
        }
        let id = group_id(&form.group)?;
        accounts
            .remove_from_group(&form.login, &id, actor)
            .map(|()| None)
    })
    .await
}

/// `POST /admin/groups/members` (`login`, `group`): adds the account to the group; never the
/// admin's own account (admins do not bypass community protocols: another admin must, finding
/// F1), and the grant is listed on the page with who made it and when.
pub async fn add_member(posted: Posted, SiteForm(form): SiteForm<AdminForm>) -> Response {
    act(posted, form.csrf, move |accounts, actor| {
        let id = group_id(&form.group)?;
        accounts
            .add_to_group(&form.login, &id, actor)
            .map(|()| None)
    })
    .await
}
