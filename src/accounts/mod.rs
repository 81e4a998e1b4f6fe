//! Accounts: who may sign in, how they prove it, and what they did (issue 13, ASVS 5 level 2).
//!
//! Disan's three kinds of users (admin, archivist, researcher; see [`Role`]) sign in with a
//! password and, for admins and archivists always, a TOTP code. This module owns everything
//! about accounts and nothing about records: it turns a login, a session cookie or a bearer
//! token into a [`Viewer`], and the access module decides what that viewer sees.
//!
//! One file per concern:
//! - [`store`]: the SQLite database, the only place that speaks SQL ([`Accounts`]);
//! - [`password`]: argon2id hashes and the password rules (ASVS 5 V6, V11.4.2);
//! - [`totp`]: the second factor (RFC 6238) and recovery codes;
//! - [`throttle`]: growing delays after failed logins, without lockout;
//! - [`login`]: [`Accounts::authenticate`], which ties the three together;
//! - [`sessions`]: server-side sessions for `tower-sessions`, with absolute lifetime and CSRF;
//! - [`tokens`]: personal API tokens for harvesting researchers;
//! - [`admin`]: users and groups as the `disan user` / `disan group` commands manage them;
//! - [`views`]: the log of who saw which non-public record.
//!
//! The database lives outside `archive/` (an OCFL root must hold nothing else) and `index/`
//! (which must stay deletable): `accounts.sqlite` beside them by default (`--accounts`).

pub mod admin;
pub mod login;
pub mod password;
pub mod sessions;
pub mod store;
pub mod throttle;
pub mod tokens;
pub mod totp;
pub mod views;

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use login::{Authenticated, LoginError};
pub use store::{Accounts, StoreError};
pub use views::{SearchExposure, ViewKind};

use crate::model::access::Viewer;
use crate::model::{GroupId, Role};

/// An account's number in the database (stable; never reused, accounts are disabled, not
/// deleted, so the view log keeps naming who saw what).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a credential change ended: a new password (changed by its owner, or reset by an
/// operator) ends the account's other sessions and revokes all its API tokens, since a token
/// made with the old password is an authenticator the new one must end too (ASVS 5 V7.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ended {
    /// Sessions ended.
    pub sessions: usize,
    /// API tokens revoked.
    pub tokens: usize,
}

/// Seconds since the Unix epoch, UTC: every time stored in the accounts database.
pub type UnixTime = i64;

/// Where the accounts code reads the time, so tests can move it (throttle delays, TOTP steps,
/// session lifetimes) without sleeping.
pub trait Clock: fmt::Debug + Send + Sync {
    /// Now, in seconds since the Unix epoch.
    fn now(&self) -> UnixTime;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to (tests, benchmarks).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now` (Unix seconds).
    pub fn new(now: UnixTime) -> Self {
        ManualClock(AtomicI64::new(now))
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixTime {
        self.0.load(Ordering::SeqCst)
    }
}

/// What went wrong with an account operation. The messages name the field at fault, in words a
/// person at the command line or on the account page can act on.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The login is empty, too long or holds characters other than letters, digits, `.`, `_`,
    /// `-` and `@`.
    #[error("login: {0}")]
    InvalidLogin(String),
    /// Another account already has this login (compared after NFKC and lowercasing).
    #[error("login: an account named '{0}' already exists")]
    LoginTaken(String),
    /// No account has this login.
    #[error("login: no account is named '{0}'")]
    UnknownLogin(String),
    /// The password breaks a rule of [`password::check_new`].
    #[error("password: {0}")]
    WeakPassword(#[from] password::WeakPassword),
    /// The current password given to confirm a change is wrong.
    #[error("current password: it is not this account's password")]
    WrongPassword,
    /// Too many recent wrong passwords for this account or from this address: the check was
    /// not made (see [`throttle`]).
    #[error("current password: too many failed attempts; wait {seconds} seconds, then try again")]
    TryLater {
        /// Seconds to wait.
        seconds: i64,
    },
    /// The group id is not a valid slug, or its name is empty, too long or holds control characters.
    #[error("group: {0}")]
    InvalidGroup(String),
    /// No group has this id.
    #[error("group: no group has the id '{0}'; `disan group add` creates it")]
    UnknownGroup(String),
    /// A group with this id exists already.
    #[error("group: a group with the id '{0}' already exists")]
    GroupTaken(String),
    /// A TOTP code did not match (or was already used).
    #[error("totp: the code is wrong, expired or already used")]
    WrongCode,
    /// Admins and archivists must keep their second factor (issue 13; ASVS 5 V6.3.3).
    #[error("totp: a second factor is required for the {0} role and cannot be turned off")]
    TotpRequired(Role),
    /// An admin tried to change their own role or memberships or disable themselves from the site:
    /// admins do not bypass community protocols, so another admin (or `disan` on the server)
    /// must (finding F1 of the issue 13 review).
    #[error(
        "login: an admin cannot change their own role or memberships or disable themselves; another admin must"
    )]
    OwnAccount,
    /// A role change to the role the account has already.
    #[error("role: the account has the role {0} already")]
    SameRole(Role),
    /// A destructive change was posted without its confirmation.
    #[error("confirm: tick the box to confirm")]
    NotConfirmed,
    /// Something no token, session or record of this user is named by.
    #[error("{0}: not found for this account")]
    NotFound(&'static str),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for AccountError {
    fn from(error: rusqlite::Error) -> Self {
        AccountError::Store(StoreError::Sqlite(error))
    }
}

/// The viewer an enabled account is (its role and communities).
pub fn viewer_of(role: Role, groups: impl IntoIterator<Item = GroupId>) -> Viewer {
    Viewer::Account {
        role,
        groups: groups.into_iter().collect(),
    }
}

/// Fills `bytes` from the operating system's CSPRNG.
///
/// # Panics
/// When the OS has no random source: nothing secret can be made then, and carrying on would
/// hand out guessable tokens.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

/// SHA-256 of `bytes`, as stored for tokens and recovery codes (high-entropy secrets, so a fast
/// hash suffices: there is nothing to brute-force).
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}
