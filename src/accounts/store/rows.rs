//! The rows the store hands out: plain data, read by the other accounts modules and the web layer.

use std::fmt;

use crate::accounts::{UnixTime, UserId};
use crate::model::Role;

/// One account as stored. Its `Debug` leaves the password hash and TOTP secret out, so a log
/// line cannot leak them.
#[derive(Clone)]
pub struct UserRow {
    /// The account's id.
    pub id: UserId,
    /// The login as typed at creation (NFC).
    pub login: String,
    /// What the account may do.
    pub role: Role,
    /// Disabled accounts cannot sign in and have no sessions or tokens.
    pub disabled: bool,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// The TOTP secret (20 bytes), when one was issued.
    pub totp_secret: Option<Vec<u8>>,
    /// Whether a code from that secret was ever accepted (the authenticator is set up).
    pub totp_enrolled: bool,
    /// The last accepted TOTP time step (replays of it or older steps fail).
    pub totp_last_step: Option<i64>,
    /// When the account was created.
    pub created: UnixTime,
    /// The credential epoch: bumped whenever its sessions are ended wholesale (password,
    /// disablement, second-factor reset; schema version 6).
    pub epoch: i64,
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("login", &self.login)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("password_hash", &"<redacted>")
            .field(
                "totp_secret",
                &self.totp_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("totp_enrolled", &self.totp_enrolled)
            .field("totp_last_step", &self.totp_last_step)
            .field("created", &self.created)
            .field("epoch", &self.epoch)
            .finish()
    }
}

/// One session as the "your sessions" list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// A handle naming the session to end it (the hex SHA-256 of its cookie value; the cookie
    /// itself is never stored).
    pub handle: String,
    /// When the session signed in.
    pub created: UnixTime,
    /// When it was last used.
    pub last_seen: UnixTime,
    /// The address it signed in from.
    pub address: Option<String>,
    /// The browser's `User-Agent`.
    pub user_agent: Option<String>,
}

/// A session as the store keeps it for `tower-sessions`.
#[derive(Debug, Clone)]
pub struct StoredSession {
    /// The serialised `tower_sessions::session::Record`.
    pub record: String,
    /// When it signed in (for the absolute lifetime).
    pub created: UnixTime,
    /// When it expires for inactivity.
    pub expires: UnixTime,
}

/// What [`Accounts::insert_session`](super::Accounts) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// The session is stored.
    Stored,
    /// Another session has this key (a 128-bit collision: draw another id).
    KeyTaken,
    /// Not stored: the account was disabled or its credential epoch changed since its
    /// password was checked (it signed in with credentials that are no longer current).
    CredentialsChanged,
}

/// Columns of a session the store indexes, read from the session's data.
#[derive(Debug, Clone, Default)]
pub struct SessionColumns {
    /// The signed-in account, if any.
    pub user: Option<UserId>,
    /// When the session was created (signed in).
    pub created: UnixTime,
    /// Inactivity expiry.
    pub expires: UnixTime,
    /// Client address.
    pub address: Option<String>,
    /// Client `User-Agent`.
    pub user_agent: Option<String>,
    /// The account's credential epoch read before its password was checked (signed-in
    /// sessions only): the session is stored only while the account's epoch is still this.
    pub epoch: Option<i64>,
}

/// One personal API token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// The token's number, to revoke it.
    pub id: i64,
    /// What its owner called it.
    pub label: String,
    /// When it was made.
    pub created: UnixTime,
    /// When a request last used it.
    pub last_used: Option<UnixTime>,
    /// When it was revoked.
    pub revoked: Option<UnixTime>,
}

/// One line of a record's view log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRow {
    /// Who looked.
    pub user: UserId,
    /// Their login.
    pub login: String,
    /// When.
    pub at: UnixTime,
    /// The record.
    pub record: String,
    /// The file, when a file (not the description) was opened.
    pub file: Option<String>,
    /// From which address.
    pub address: Option<String>,
    /// What kind of view ([`crate::accounts::ViewKind::as_str`]); `None` for lines logged
    /// before kinds were recorded.
    pub kind: Option<String>,
}

/// One account change in the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// When.
    pub at: UnixTime,
    /// Who made it: a login, `self` on one's own account page, or `cli`.
    pub actor: String,
    /// What: `user-add`, `user-disable`, `password-change`, `token-create`, …
    pub action: String,
    /// The account or group changed.
    pub subject: String,
    /// Details (a role and groups, a label).
    pub detail: Option<String>,
}

/// A row of the throttle table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Consecutive failures.
    pub count: u32,
    /// When the last one happened.
    pub last: UnixTime,
}
