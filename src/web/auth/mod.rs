//! Signing in on the site (issue 13, part E): who is asking, and the pages that let them say so.
//!
//! The accounts library ([`crate::accounts`]) knows passwords, codes, sessions and tokens; this
//! module puts them on the web. It owns:
//!
//! - [`viewer`]: the layer that turns every request's session cookie or `Authorization: Bearer`
//!   token into a [`Viewer`] request extension (handlers read it; anonymous when nobody is signed
//!   in, the session expired or was ended, the account is disabled), refuses a bad token with 401,
//!   and marks signed-in answers `Cache-Control: private, no-store`;
//! - [`forms`]: the POST rules every state-changing route follows: the synchronizer token, the
//!   `Sec-Fetch-Site` check and the small body cap ([`BODY_LIMIT`]);
//! - [`login`]: `/login` and `POST /logout`;
//! - [`account`]: `/account`: password, second factor, recovery codes, sessions, API tokens;
//! - [`admin`]: `/admin/users` for admins with a verified second factor;
//! - [`views`]: `/record/{id}/views`, the log of who saw a non-public record, for archivists.
//!
//! Every path here exists in both languages (`/login`, `/en/login`), with its strings in the
//! Fluent files.

pub mod account;
pub mod admin;
pub mod forms;
pub mod login;
pub mod viewer;
pub mod views;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::accounts::sessions::SessionConfig;
use crate::accounts::{Accounts, UserId};
use crate::model::Role;
pub use crate::model::access::Viewer;

/// Bytes a POST body may hold at most (every form here is a few short fields). Larger bodies are
/// answered 413 with a page saying so, before any token is checked (never a "CSRF" error).
pub const BODY_LIMIT: u64 = 16 * 1024;

/// What the sign-in routes and the viewer layer share.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The accounts database.
    pub accounts: Accounts,
    /// Session lifetimes and the cookie's attributes.
    pub sessions: SessionConfig,
    /// Whether the client address is taken from the last `X-Forwarded-For` entry (only behind a
    /// reverse proxy that sets it: `serve --trust-forwarded-for`); otherwise the peer address.
    pub trust_forwarded_for: bool,
}

/// Who is signed in for this request (a request extension beside the [`Viewer`], for pages that
/// show the account: the header, `/account`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The account.
    pub user: UserId,
    /// Its login, as stored.
    pub login: String,
    /// Its role.
    pub role: Role,
    /// How the request proved it.
    pub by: Proof,
    /// The account's role needs a second factor it has not enrolled yet: until it does, the
    /// request sees nothing but the enrolment page (and sign-out), as an anonymous visitor.
    pub must_enrol: bool,
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A session cookie.
    Session,
    /// A personal API token.
    Token,
}

/// The routes of this module (both languages), for [`crate::web::app`].
pub fn routes() -> Router<Arc<crate::web::Site>> {
    let pages = || {
        Router::new()
            .route("/login", get(login::form).post(login::submit))
            .route("/logout", post(login::logout))
            .route("/account", get(account::page))
            .route("/account/password", post(account::change_password))
            .route(
                "/account/totp",
                get(account::totp_page).post(account::confirm_totp),
            )
            .route("/account/totp/begin", post(account::begin_totp))
            .route("/account/sessions/end", post(account::end_session))
            .route("/account/tokens", post(account::create_token))
            .route("/account/tokens/revoke", post(account::revoke_token))
            .route("/admin/users", get(admin::page))
            .route("/admin/users/disable", post(admin::disable))
            .route("/admin/users/sessions", post(admin::end_sessions))
            .route("/admin/users/role", post(admin::change_role))
            .route("/admin/groups", post(admin::add_group))
            .route("/admin/groups/members", post(admin::add_member))
            .route("/admin/groups/members/remove", post(admin::remove_member))
            .route("/record/{id}/views", get(views::page))
    };
    Router::new().merge(pages()).nest("/en", pages())
}

/// The paths (without language prefix) that take a form by POST: the only requests of the
/// site that may carry a body (see `refuse_bodies` in [`crate::web`]).
pub const FORM_PATHS: &[&str] = &[
    "/login",
    "/logout",
    "/account/password",
    "/account/totp",
    "/account/totp/begin",
    "/account/sessions/end",
    "/account/tokens",
    "/account/tokens/revoke",
    "/admin/users/disable",
    "/admin/users/sessions",
    "/admin/users/role",
    "/admin/groups",
    "/admin/groups/members",
    "/admin/groups/members/remove",
];

/// Whether a POST to `path` (with or without `/en`) takes a form.
pub fn takes_form(path: &str) -> bool {
    form_limit(path).is_some()
}

/// The most bytes a form POSTed to `path` (with or without `/en`) may hold: [`BODY_LIMIT`] for
/// the forms of [`FORM_PATHS`], the workspace's own limits for its forms
/// ([`crate::web::workspace::form_limit`]); `None` when `path` takes no form.
pub fn form_limit(path: &str) -> Option<u64> {
    let (_, path) = crate::web::i18n::split_path(path);
    if FORM_PATHS.contains(&path) {
        return Some(BODY_LIMIT);
    }
    if path == "/oai" {
        // OAI-PMH requests may be POSTed as forms (the protocol's §3.1.1.2).
        return Some(crate::web::oai::BODY_LIMIT);
    }
    crate::web::workspace::form_limit(path)
}

/// Whether `path` (without language prefix) is one an account that must enrol its second factor
/// may still reach: the enrolment page, sign-out, and static files.
pub(crate) fn allowed_before_enrolment(path: &str) -> bool {
    let (_, path) = crate::web::i18n::split_path(path);
    matches!(path, "/account/totp" | "/logout") || path.starts_with("/static/")
}
