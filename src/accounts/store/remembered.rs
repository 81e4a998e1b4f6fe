//! What every signed-in request reads (its token's owner, its session, its account's standing),
//! remembered between requests and exact.
//!
//! A signed-in request used to read the database two or three times, each read handed to a
//! blocking thread. Now the answers are kept in memory and each is trusted only while the
//! database is unchanged: SQLite's `PRAGMA data_version` on the read-only connection changes
//! whenever any other connection (this process's writer, the `disan user` command in another
//! process) commits ("The integer values returned by two invocations of "PRAGMA data_version"
//! from the same connection will be different if changes were committed to the database by any
//! other connection in the interim", sqlite.org/pragma.html#pragma_data_version). Any commit at
//! all forgets everything, so a disablement, revocation, sign-out or membership change holds
//! from the next request on, exactly as with a read per request. Reading the version takes
//! microseconds and no blocking thread, so a request whose answers are remembered is resolved
//! on the async thread. It is read only when something in the database's folder changed since
//! it was last read ([`crate::index::watch::FolderWatch`]): every commit writes the `-wal` file
//! (or the database file) with `write`, which inotify reports before the commit returns, so no
//! event means no commit.
//!
//! Only positive answers are kept (an unknown token is asked of the database every time, so
//! guessing tokens cannot fill memory), at most [`KEPT`] of each kind, then all are forgotten.
//! Time-bound answers are checked against the clock by their callers (a session's expiry) or
//! here (a token whose last use is more than a minute old is not answered from memory, so its
//! `last_used` is still written once a minute).

use std::collections::HashMap;

use super::{Accounts, StoreError};
use crate::accounts::{UnixTime, UserId};
use crate::model::{GroupId, Role};

/// The most answers of each kind kept at once.
pub const KEPT: usize = 10_000;

/// What a signed-in request needs to know about its account: no password hash, no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The login as typed at creation.
    pub login: String,
    /// What the account may do.
    pub role: Role,
    /// Disabled accounts are anonymous.
    pub disabled: bool,
    /// Whether its second factor is set up.
    pub totp_enrolled: bool,
    /// Its communities, in order.
    pub groups: Vec<GroupId>,
}

/// A token's owner and when it was last marked used (Unix seconds).
#[derive(Debug, Clone, Copy)]
struct TokenUse {
    user: UserId,
    last_used: UnixTime,
}

/// The remembered answers and the database version they are true of.
#[derive(Debug, Default)]
pub(super) struct Remembered {
    /// `PRAGMA data_version` when these were read; `None`: nothing is trusted.
    version: Option<i64>,
    tokens: HashMap<[u8; 32], TokenUse>,
    standings: HashMap<UserId, Standing>,
    sessions: HashMap<String, super::StoredSession>,
}

impl Remembered {
    fn forget_all(&mut self) {
        self.tokens.clear();
        self.standings.clear();
        self.sessions.clear();
    }

    /// Makes these answers those of `version`: forgets them when they are of another.
    fn at(&mut self, version: Option<i64>) {
        if self.version != version || version.is_none() {
            self.forget_all();
            self.version = version;
        }
    }

    /// Whether an answer read at `version` may be kept: the database has not changed since
    /// (answers of an older version are dropped; a newer one replaces what is kept).
    fn may_keep(&mut self, version: i64) -> bool {
        match self.version {
            Some(kept) if kept > version => false,
            Some(kept) if kept == version => true,
            _ => {
                self.forget_all();
                self.version = Some(version);
                true
            }
        }
    }
}

fn keep<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= KEPT {
        map.clear();
    }
    map.insert(key, value);
}

impl Accounts {
    /// The read-only connection's `PRAGMA data_version` (see the module's documentation).
    ///
    /// # Errors
    /// SQLite failed.
    pub(super) fn data_version(&self) -> Result<i64, StoreError> {
        if self.replaced.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(StoreError::Replaced {
                path: self.path.clone(),
            });
        }
        Ok(self
            .read()
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?)
    }

    /// The remembered answers, made current: forgotten if the database changed since they
    /// were read (or its version cannot be read).
    fn current(&self) -> std::sync::MutexGuard<'_, Remembered> {
        // An error has forgotten everything (`at(None)`); the next call looks again.
        let _ = self.changes.look_if_changed(|| {
            // A file renamed over the database (or removed) is a folder change: noticed here.
            if self.replaced_on_disk()
                && !self
                    .replaced
                    .swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                eprintln!(
                    "disan serve: {}",
                    StoreError::Replaced {
                        path: self.path.clone()
                    }
                );
            }
            let version = self.data_version();
            self.remembered
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .at(version.as_ref().ok().copied());
            version.map(|_| ())
        });
        self.remembered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps what `put` adds when the database is still at `version` (read before the answer).
    fn remember(&self, version: i64, put: impl FnOnce(&mut Remembered)) {
        let mut remembered = self
            .remembered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if remembered.may_keep(version) {
            put(&mut remembered);
        }
    }

    /// The owner of the token with SHA-256 `hash` if it is remembered, valid now and used in
    /// the last minute; `None`: ask [`Accounts::use_token`]. Takes microseconds: safe on an
    /// async thread. (The server asks [`Accounts::remembered_token_standing`].)
    #[cfg(test)]
    pub(crate) fn remembered_token(&self, hash: &[u8; 32]) -> Option<UserId> {
        let now = self.now();
        let remembered = self.current();
        let found = remembered.tokens.get(hash)?;
        (found.last_used >= now - 60).then_some(found.user)
    }

    /// The owner of the token `hash` and its standing, both remembered and current (one check
    /// of the database's version for both); `None`: ask the database. Safe on an async thread.
    pub(crate) fn remembered_token_standing(&self, hash: &[u8; 32]) -> Option<(UserId, Standing)> {
        let now = self.now();
        let remembered = self.current();
        let found = remembered.tokens.get(hash)?;
        if found.last_used < now - 60 {
            return None;
        }
        let standing = remembered.standings.get(&found.user)?;
        Some((found.user, standing.clone()))
    }

    /// Remembers that the valid token `hash` belongs to `user` and was marked used at
    /// `last_used`, as read at `version`.
    pub(super) fn remember_token(
        &self,
        version: i64,
        hash: [u8; 32],
        user: UserId,
        last_used: UnixTime,
    ) {
        self.remember(version, |remembered| {
            keep(&mut remembered.tokens, hash, TokenUse { user, last_used })
        });
    }

    /// The standing of account `user` if remembered and current. Safe on an async thread.
    pub fn remembered_standing(&self, user: UserId) -> Option<Standing> {
        self.current().standings.get(&user).cloned()
    }

    /// The standing of account `user` (`None`: no such account), read from the database and
    /// remembered. Blocking: call it off the async threads.
    ///
    /// # Errors
    /// Database errors.
    pub fn standing(&self, user: UserId) -> Result<Option<Standing>, StoreError> {
        let version = self.data_version()?;
        let Some(row) = self.user(user)? else {
            return Ok(None);
        };
        let standing = Standing {
            login: row.login,
            role: row.role,
            disabled: row.disabled,
            totp_enrolled: row.totp_enrolled,
            groups: self.groups_of(user)?,
        };
        self.remember(version, |remembered| {
            keep(&mut remembered.standings, user, standing.clone())
        });
        Ok(Some(standing))
    }

    /// The session stored under `key` if remembered and current (its expiry is the caller's to
    /// check). Safe on an async thread.
    pub(crate) fn remembered_session(&self, key: &str) -> Option<super::StoredSession> {
        self.current().sessions.get(key).cloned()
    }

    /// [`Accounts::session`], remembered.
    ///
    /// # Errors
    /// Database errors.
    pub(crate) fn session_remembered(
        &self,
        key: &str,
    ) -> Result<Option<super::StoredSession>, StoreError> {
        let version = self.data_version()?;
        let stored = self.session(key)?;
        if let Some(stored) = &stored {
            self.remember(version, |remembered| {
                keep(&mut remembered.sessions, key.to_string(), stored.clone())
            });
        }
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::ManualClock;

    fn two_handles() -> (tempfile::TempDir, Accounts, Accounts) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let server = Accounts::open(&path).unwrap();
        // Another process's handle (the `disan user` command): its own connections.
        let command = Accounts::open(&path).unwrap();
        (dir, server, command)
    }

    #[test]
    fn a_change_by_another_connection_forgets_every_answer() {
        let (_dir, server, command) = two_handles();
        let user = server
            .add_user("nnc", Role::Researcher, "trống đồng Đọi Tam", &[], "test")
            .unwrap();
        assert_eq!(server.remembered_standing(user.id), None);
        let standing = server.standing(user.id).unwrap().unwrap();
        assert!(!standing.disabled);
        assert_eq!(server.remembered_standing(user.id), Some(standing));
        command.disable_user(&user.login, "admin").unwrap();
        assert_eq!(
            server.remembered_standing(user.id),
            None,
            "a disablement by another process must not be answered from memory"
        );
        assert!(server.standing(user.id).unwrap().unwrap().disabled);
    }

    #[test]
    fn a_change_by_this_process_forgets_every_answer() {
        let (_dir, server, _command) = two_handles();
        let user = server
            .add_user("nnc", Role::Researcher, "trống đồng Đọi Tam", &[], "test")
            .unwrap();
        let token = server.create_api_token(user.id, "harvest").unwrap();
        let hash = crate::accounts::sha256(token.as_bytes());
        // The first use writes `last_used` (a change: nothing is remembered); the next is kept.
        assert_eq!(server.token_owner(&token).unwrap(), Some(user.id));
        assert_eq!(server.remembered_token(&hash), None);
        assert_eq!(server.token_owner(&token).unwrap(), Some(user.id));
        assert_eq!(server.remembered_token(&hash), Some(user.id));
        for listed in server.tokens_of(user.id).unwrap() {
            assert!(server.revoke_token(user.id, listed.id).unwrap());
        }
        assert_eq!(server.remembered_token(&hash), None);
        assert_eq!(server.token_owner(&token).unwrap(), None);
        assert_eq!(
            server.remembered_token(&hash),
            None,
            "refusals are not kept"
        );
    }

    #[test]
    fn a_token_unused_for_a_minute_is_asked_of_the_database_again() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_800_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let user = accounts
            .add_user("nnc", Role::Researcher, "trống đồng Đọi Tam", &[], "test")
            .unwrap();
        let token = accounts.create_api_token(user.id, "harvest").unwrap();
        let hash = crate::accounts::sha256(token.as_bytes());
        accounts.token_owner(&token).unwrap();
        accounts.token_owner(&token).unwrap();
        assert_eq!(accounts.remembered_token(&hash), Some(user.id));
        clock.advance(61);
        assert_eq!(accounts.remembered_token(&hash), None);
        accounts.token_owner(&token).unwrap();
        let last_used = accounts.tokens_of(user.id).unwrap()[0].last_used;
        assert_eq!(last_used, Some(1_800_000_061));
    }

    /// Break-13b R2: a database renamed over the one a server has open ends every signed-in
    /// answer, remembered or read, for good (the server must be restarted).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_database_replaced_under_the_server_answers_nobody() {
        let (dir, server, _command) = two_handles();
        let user = server
            .add_user("nnc", Role::Researcher, "trống đồng Đọi Tam", &[], "test")
            .unwrap();
        let token = server.create_api_token(user.id, "harvest").unwrap();
        let hash = crate::accounts::sha256(token.as_bytes());
        server.token_owner(&token).unwrap();
        server.token_owner(&token).unwrap();
        server.standing(user.id).unwrap();
        assert!(server.remembered_token_standing(&hash).is_some());
        // A backup restored by `mv` while serving.
        let backup = dir.path().join("backup.sqlite");
        drop(Accounts::open(&backup).unwrap());
        std::fs::rename(&backup, dir.path().join("accounts.sqlite")).unwrap();
        assert!(server.remembered_token_standing(&hash).is_none());
        assert!(matches!(
            server.token_owner(&token),
            Err(StoreError::Replaced { .. })
        ));
        assert!(matches!(
            server.standing(user.id),
            Err(StoreError::Replaced { .. })
        ));
    }

    #[test]
    fn memory_is_bounded() {
        let mut remembered = Remembered::default();
        assert!(remembered.may_keep(1));
        for n in 0..(KEPT + 5) {
            let stored = super::super::StoredSession {
                record: String::new(),
                created: 0,
                expires: 0,
            };
            keep(&mut remembered.sessions, n.to_string(), stored);
        }
        assert!(remembered.sessions.len() <= KEPT);
        assert!(!remembered.may_keep(0), "an answer older than what is kept");
    }
}
