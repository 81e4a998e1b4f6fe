//! The accounts database: the one module that speaks SQL.
//!
//! SQLite (rusqlite, bundled: a fresh machine needs no library or server) in one file,
//! `accounts.sqlite` by default, created with mode 0600 because it holds password hashes and
//! TOTP secrets. Every other accounts module calls the small methods of [`Accounts`] defined
//! here, so a PostgreSQL store for a site on several machines replaces this file only.
//!
//! - Schema versions are counted in `PRAGMA user_version`; [`MIGRATIONS`] runs forward, each
//!   step in one transaction. A database newer than this program is refused, never altered.
//! - WAL journal (readers never wait for the writer), `synchronous = NORMAL` (durable at each
//!   checkpoint; a power cut loses at most the last transactions, never corrupts), foreign keys
//!   on, and a 5 s busy timeout so a CLI command and a running server share the file.
//! - Times are Unix seconds (UTC) from the injected [`Clock`].
//! - Secrets that are random (API tokens, session ids, recovery codes) are stored as SHA-256
//!   only; passwords as argon2id PHC strings; TOTP secrets, which must be read back, sealed
//!   with a key kept in a file outside the database ([`sealed`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

mod rows;
mod schema;
pub mod sealed;

pub use rows::{
    AuditRow, Failures, SessionColumns, SessionRow, StoredSession, TokenRow, UserRow, ViewRow,
};
pub use schema::MIGRATIONS;
pub use sealed::{KeyError, default_key_path};

use sealed::SealKey;

use super::{Clock, Ended, SystemClock, UnixTime, UserId};
use crate::model::{GroupId, Role};

/// Why the accounts database cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file cannot be created or given its permissions.
    #[error("cannot create the accounts database {path}: {source}")]
    Create {
        /// The database file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The database was written by a newer Disan (its schema version is higher than ours).
    #[error(
        "the accounts database {path} has schema version {found}, newer than this disan understands ({known}); use a newer disan"
    )]
    Newer {
        /// The database file.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// The newest version this program knows.
        known: i64,
    },
    /// SQLite failed (a damaged file, a full disk, a lock held past the busy timeout).
    #[error("accounts database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored value is not what this program wrote (edited by hand, or damaged).
    #[error("accounts database: {0}")]
    Corrupt(String),
    /// The key sealing the TOTP secrets is missing, wrong or unreadable (see [`sealed`]).
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// The accounts database. Cheap to clone (one shared connection behind a mutex: SQLite
/// serialises writers anyway, and every statement here takes microseconds; the slow part of a
/// login, argon2, runs outside the lock). The reads every signed-in request makes (its account,
/// memberships, session, token) go through a second, read-only connection, so that they do not
/// wait behind writes such as the view log: in WAL mode a reader sees every transaction
/// committed before its statement starts, so a disablement or revocation holds from the next
/// request as before.
#[derive(Clone)]
pub struct Accounts {
    connection: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
    clock: Arc<dyn Clock>,
    path: PathBuf,
    key_path: PathBuf,
    /// The sealing key, read (or made) at its first use.
    key: Arc<Mutex<Option<SealKey>>>,
}

impl fmt::Debug for Accounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accounts")
            .field("path", &self.path)
            .field("key_path", &self.key_path)
            .finish()
    }
}

impl Accounts {
    /// Opens (creating it with mode 0600 if missing) the database at `path` and brings its schema
    /// up to date.
    ///
    /// # Errors
    /// [`StoreError::Create`] when the file cannot be made, [`StoreError::Newer`] when its
    /// schema is newer than this program's, [`StoreError::Sqlite`] otherwise.
    pub fn open(path: &Path) -> Result<Accounts, StoreError> {
        Accounts::open_with_clock(path, Arc::new(SystemClock))
    }

    /// [`Accounts::open`] with the clock every time is read from (tests move it by hand).
    ///
    /// # Errors
    /// As [`Accounts::open`].
    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<Accounts, StoreError> {
        Accounts::open_with(path, None, clock)
    }

    /// [`Accounts::open_with_clock`] with the key file sealing TOTP secrets at `key_path`
    /// (`None`: [`default_key_path`], beside the database). The key is read at its first use
    /// (or made then, when no sealed secret exists yet); [`Accounts::check_key`] reads it now.
    ///
    /// # Errors
    /// As [`Accounts::open`]; [`StoreError::Key`] when the database holds TOTP secrets in
    /// clear (a database from before sealing) and the key file can be neither read nor made.
    pub fn open_with(
        path: &Path,
        key_path: Option<&Path>,
        clock: Arc<dyn Clock>,
    ) -> Result<Accounts, StoreError> {
        let key_path = key_path.map_or_else(|| default_key_path(path), Path::to_path_buf);
        create_private(path)?;
        let mut connection = Connection::open(path)?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", true)?;
        // Deleted and overwritten content is zeroed, not left in free space: a secret sealed by
        // the migration (or a revoked row) leaves no readable copy in the file.
        connection.pragma_update(None, "secure_delete", true)?;
        migrate(&mut connection, path, &key_path)?;
        // What a migration rewrote (secrets sealed in place) reaches the main file now, so the
        // old pages do not outlive it there.
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let reader = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(Duration::from_secs(5))?;
        Ok(Accounts {
            connection: Arc::new(Mutex::new(connection)),
            reader: Arc::new(Mutex::new(reader)),
            clock,
            path: path.to_path_buf(),
            key_path,
            key: Arc::new(Mutex::new(None)),
        })
    }

    /// The key file sealing the TOTP secrets.
    pub fn key_path(&self) -> &Path {
        &self.key_path
    }

    /// Reads the sealing key now and checks that it opens the stored secrets, so that a
    /// server starts with a clear error rather than failing at its first second-factor check.
    /// Makes the key file when no sealed secret exists yet.
    ///
    /// # Errors
    /// [`StoreError::Key`] naming the key file: missing while sealed secrets exist, of another
    /// database, malformed or unreadable.
    pub fn check_key(&self) -> Result<(), StoreError> {
        self.key().map(|_| ())
    }

    /// The sealing key: read (or made, when nothing is sealed yet) at its first use, and
    /// checked against one stored secret.
    fn key(&self) -> Result<SealKey, StoreError> {
        let mut slot = self
            .key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(key) = slot.as_ref() {
            return Ok(key.clone());
        }
        let sample: Option<(i64, Vec<u8>)> = self
            .db()
            .query_row(
                "SELECT id, coalesce(totp_secret, totp_pending) FROM users
                 WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let key = match (SealKey::read(&self.key_path)?, sample) {
            (Some(key), None) => key,
            (Some(key), Some((id, sealed))) => {
                if key.open(UserId(id), &sealed).is_none() {
                    return Err(KeyError::Wrong {
                        key: self.key_path.clone(),
                        database: self.path.clone(),
                    }
                    .into());
                }
                key
            }
            (None, None) => SealKey::create(&self.key_path)?,
            (None, Some(_)) => {
                return Err(KeyError::Missing {
                    key: self.key_path.clone(),
                    database: self.path.clone(),
                }
                .into());
            }
        };
        *slot = Some(key.clone());
        Ok(key)
    }

    /// Seals account `id`'s TOTP secret.
    fn seal(&self, id: UserId, secret: &[u8]) -> Result<Vec<u8>, StoreError> {
        Ok(self.key()?.seal(id, secret))
    }

    /// Opens account `id`'s sealed TOTP secret.
    fn unseal(&self, id: UserId, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.key()?.open(id, sealed).ok_or_else(|| {
            KeyError::Wrong {
                key: self.key_path.clone(),
                database: self.path.clone(),
            }
            .into()
        })
    }

    /// The row with its TOTP secret opened.
    fn unsealed(&self, mut row: UserRow) -> Result<UserRow, StoreError> {
        if let Some(sealed) = row.totp_secret.take() {
            row.totp_secret = Some(self.unseal(row.id, &sealed)?);
        }
        Ok(row)
    }

    /// The key file is lost for good: makes a new one and drops every stored second factor
    /// (secrets, pending enrolments, recovery codes) and the sessions of the accounts that had
    /// one, in one transaction. Admins and archivists then need `disan user reset-totp`.
    /// Returns how many accounts lost their second factor.
    ///
    /// # Errors
    /// [`KeyError::Io`] when a file is at the key's place (move a wrong key aside by hand:
    /// this never overwrites one); database errors.
    pub(crate) fn replace_lost_key(&self) -> Result<usize, StoreError> {
        let mut slot = self
            .key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = SealKey::create(&self.key_path)?;
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users
                 WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL)",
            [],
        )?;
        tx.execute("DELETE FROM recovery_codes", [])?;
        let dropped = tx.execute(
            "UPDATE users SET totp_secret = NULL, totp_enrolled = 0, totp_last_step = NULL,
                 totp_pending = NULL, totp_pending_session = NULL
             WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
            [],
        )?;
        tx.commit()?;
        *slot = Some(key);
        Ok(dropped)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Now, by this store's clock (Unix seconds).
    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }

    /// The read-only connection, for the reads of every signed-in request.
    fn read(&self) -> MutexGuard<'_, Connection> {
        self.reader
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent (each statement is
        // atomic), so a poisoned mutex is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The connection, for tests that check what is stored.
    #[cfg(test)]
    pub(crate) fn db_for_tests(&self) -> MutexGuard<'_, Connection> {
        self.db()
    }

    // ---- users -------------------------------------------------------------------------------

    /// Inserts an account; `Ok(None)` when `login_key` is taken.
    pub(crate) fn insert_user(
        &self,
        login: &str,
        login_key: &str,
        role: Role,
        password_hash: &str,
        totp_secret: Option<&[u8]>,
    ) -> Result<Option<UserId>, StoreError> {
        let now = self.now();
        // The key first: reading it may query the database.
        let key = totp_secret.map(|_| self.key()).transpose()?;
        let mut db = self.db();
        let tx = db.transaction()?;
        let inserted = tx.execute(
            "INSERT INTO users (login, login_key, role, password_hash, created)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(login_key) DO NOTHING",
            params![login, login_key, role.as_str(), password_hash, now],
        )?;
        if inserted != 1 {
            return Ok(None);
        }
        let id = UserId(tx.last_insert_rowid());
        if let (Some(key), Some(secret)) = (key, totp_secret) {
            tx.execute(
                "UPDATE users SET totp_secret = ?2 WHERE id = ?1",
                params![id.0, key.seal(id, secret)],
            )?;
        }
        tx.commit()?;
        Ok(Some(id))
    }

    /// The account whose login key (NFKC, lowercase) is `login_key`.
    pub(crate) fn user_by_key(&self, login_key: &str) -> Result<Option<UserRow>, StoreError> {
        let row = self
            .db()
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE login_key = ?1"),
                [login_key],
                user_row,
            )
            .optional()?
            .transpose()?;
        row.map(|row| self.unsealed(row)).transpose()
    }

    /// The account `id`.
    pub fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let row = self
            .read()
            .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
            .query_row([id.0], user_row)
            .optional()?
            .transpose()?;
        row.map(|row| self.unsealed(row)).transpose()
    }

    /// Every account, by login.
    pub(crate) fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY login_key"
        ))?;
        let rows = statement.query_map([], user_row)?;
        let rows: Vec<UserRow> = rows.map(|row| row?).collect::<Result<_, _>>()?;
        drop(statement);
        drop(db);
        rows.into_iter().map(|row| self.unsealed(row)).collect()
    }

    pub(crate) fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id.0, hash],
        )?;
        Ok(())
    }

    /// Disables the account and, in the same transaction, ends its sessions and revokes its
    /// tokens.
    pub(crate) fn disable_and_end(&self, id: UserId) -> Result<(), StoreError> {
        let now = self.now();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute("UPDATE users SET disabled = 1 WHERE id = ?1", [id.0])?;
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id.0])?;
        tx.execute(
            "UPDATE api_tokens SET revoked = ?2 WHERE user_id = ?1 AND revoked IS NULL",
            params![id.0, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (or clears) the TOTP secret; the enrolment and last step restart and any pending
    /// secret is dropped.
    pub(crate) fn set_totp_secret(
        &self,
        id: UserId,
        secret: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        let secret = secret.map(|secret| self.seal(id, secret)).transpose()?;
        self.db().execute(
            "UPDATE users SET totp_secret = ?2, totp_enrolled = 0, totp_last_step = NULL,
                 totp_pending = NULL, totp_pending_session = NULL
             WHERE id = ?1",
            params![id.0, secret],
        )?;
        Ok(())
    }

    /// Issues a new TOTP secret by an operator (`disan user reset-totp`): in one transaction
    /// the secret is replaced (not enrolled until a sign-in accepts a code from it), the pending
    /// secret and the recovery codes are dropped and every session ends. Returns how many
    /// sessions ended.
    pub(crate) fn reset_totp_secret(&self, id: UserId, secret: &[u8]) -> Result<usize, StoreError> {
        let secret = self.seal(id, secret)?;
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE users SET totp_secret = ?2, totp_enrolled = 0, totp_last_step = NULL,
                 totp_pending = NULL, totp_pending_session = NULL
             WHERE id = ?1",
            params![id.0, secret],
        )?;
        tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [id.0])?;
        let ended = tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id.0])?;
        tx.commit()?;
        Ok(ended)
    }

    /// Keeps `secret` as the pending (not yet confirmed) TOTP secret of account `id`, bound to
    /// the session with handle `session`; the enrolled secret is left as it is.
    pub(crate) fn set_totp_pending(
        &self,
        id: UserId,
        secret: &[u8],
        session: &str,
    ) -> Result<(), StoreError> {
        let secret = self.seal(id, secret)?;
        self.db().execute(
            "UPDATE users SET totp_pending = ?2, totp_pending_session = ?3 WHERE id = ?1",
            params![id.0, secret, session],
        )?;
        Ok(())
    }

    /// The pending TOTP secret of account `id`, only when the session with handle `session`
    /// began it (any other session, however signed in, sees none).
    pub fn totp_pending(&self, id: UserId, session: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .db()
            .query_row(
                "SELECT totp_pending FROM users
                 WHERE id = ?1 AND totp_pending IS NOT NULL AND totp_pending_session = ?2",
                params![id.0, session],
                |row| row.get(0),
            )
            .optional()?;
        sealed.map(|sealed| self.unseal(id, &sealed)).transpose()
    }

    /// Makes the pending secret `secret` (begun by session `session`) the enrolled one, with
    /// `step` as its last accepted step; `false` when that secret is no longer pending there.
    pub(crate) fn enrol_pending(
        &self,
        id: UserId,
        secret: &[u8],
        session: &str,
        step: i64,
    ) -> Result<bool, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .db()
            .query_row(
                "SELECT totp_pending FROM users
                 WHERE id = ?1 AND totp_pending IS NOT NULL AND totp_pending_session = ?2",
                params![id.0, session],
                |row| row.get(0),
            )
            .optional()?;
        let Some(sealed) = sealed else {
            return Ok(false);
        };
        if self.unseal(id, &sealed)? != secret {
            return Ok(false);
        }
        // Compared by its sealed bytes: another pending secret begun meanwhile is not taken.
        Ok(self.db().execute(
            "UPDATE users SET totp_secret = totp_pending, totp_enrolled = 1, totp_last_step = ?4,
                 totp_pending = NULL, totp_pending_session = NULL
             WHERE id = ?1 AND totp_pending = ?2 AND totp_pending_session = ?3",
            params![id.0, sealed, session, step],
        )? == 1)
    }

    /// Records `step` as accepted, only if it is later than the last accepted step (atomic, so
    /// two requests racing with one code cannot both win). Returns whether it was recorded.
    pub(crate) fn accept_totp_step(&self, id: UserId, step: i64) -> Result<bool, StoreError> {
        let changed = self.db().execute(
            "UPDATE users SET totp_last_step = ?2
             WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
            params![id.0, step],
        )?;
        Ok(changed == 1)
    }

    /// Marks the issued secret of account `id` enrolled; `true` only for the call that changed
    /// it (so the first sign-in alone makes the recovery codes).
    pub(crate) fn mark_totp_enrolled(&self, id: UserId) -> Result<bool, StoreError> {
        Ok(self.db().execute(
            "UPDATE users SET totp_enrolled = 1 WHERE id = ?1 AND totp_enrolled = 0",
            [id.0],
        )? == 1)
    }

    /// Enables a disabled account (its sessions and tokens stay ended).
    pub(crate) fn set_enabled(&self, id: UserId) -> Result<(), StoreError> {
        self.db()
            .execute("UPDATE users SET disabled = 0 WHERE id = ?1", [id.0])?;
        Ok(())
    }

    /// Replaces the password hash and, in the same transaction, ends every session of the
    /// account but the one with handle `keep` and revokes every live API token of it (a new
    /// password ends every other authenticator: ASVS 5 V7.4.3).
    pub(crate) fn replace_password_hash(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<Ended, StoreError> {
        let now = self.now();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![id.0, hash],
        )?;
        let sessions = tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND key IS NOT ?2",
            params![id.0, keep],
        )?;
        let tokens = tx.execute(
            "UPDATE api_tokens SET revoked = ?2 WHERE user_id = ?1 AND revoked IS NULL",
            params![id.0, now],
        )?;
        tx.commit()?;
        Ok(Ended { sessions, tokens })
    }

    /// The groups account `id` belongs to.
    pub fn groups_of(&self, id: UserId) -> Result<Vec<GroupId>, StoreError> {
        let db = self.read();
        let mut statement = db.prepare_cached(
            "SELECT group_id FROM memberships WHERE user_id = ?1 ORDER BY group_id",
        )?;
        let rows = statement.query_map([id.0], |row| row.get::<_, String>(0))?;
        rows.map(|id| {
            let id = id?;
            GroupId::parse(&id).map_err(|error| StoreError::Corrupt(error.to_string()))
        })
        .collect()
    }

    pub(crate) fn add_membership(&self, id: UserId, group: &GroupId) -> Result<(), StoreError> {
        self.db().execute(
            "INSERT OR IGNORE INTO memberships (user_id, group_id) VALUES (?1, ?2)",
            params![id.0, group.as_str()],
        )?;
        Ok(())
    }

    /// Removes account `id` from `group`; `false` when it was not a member.
    pub(crate) fn remove_membership(
        &self,
        id: UserId,
        group: &GroupId,
    ) -> Result<bool, StoreError> {
        Ok(self.db().execute(
            "DELETE FROM memberships WHERE user_id = ?1 AND group_id = ?2",
            params![id.0, group.as_str()],
        )? == 1)
    }

    // ---- groups ------------------------------------------------------------------------------

    /// Inserts a group; `false` when the id is taken.
    pub(crate) fn insert_group(&self, id: &GroupId, name: &str) -> Result<bool, StoreError> {
        let now = self.now();
        let inserted = self.db().execute(
            "INSERT INTO groups (id, name, created) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO NOTHING",
            params![id.as_str(), name, now],
        )?;
        Ok(inserted == 1)
    }

    /// Every group: id, name and member count, by id.
    pub fn groups(&self) -> Result<Vec<(GroupId, String, u32)>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT g.id, g.name, (SELECT count(*) FROM memberships m WHERE m.group_id = g.id)
             FROM groups g ORDER BY g.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, u32>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (id, name, members) = row?;
            let id = GroupId::parse(&id).map_err(|error| StoreError::Corrupt(error.to_string()))?;
            Ok((id, name, members))
        })
        .collect()
    }

    pub(crate) fn group_exists(&self, id: &GroupId) -> Result<bool, StoreError> {
        Ok(self
            .db()
            .query_row("SELECT 1 FROM groups WHERE id = ?1", [id.as_str()], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }

    // ---- sessions ----------------------------------------------------------------------------

    /// Inserts a new session; `false` when `key` exists (an id collision: the caller draws again).
    pub(crate) fn insert_session(
        &self,
        key: &str,
        columns: &SessionColumns,
        record: &str,
    ) -> Result<bool, StoreError> {
        let inserted = self.write_session(
            "INSERT INTO sessions (key, user_id, created, expires, last_seen, address, user_agent, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(key) DO NOTHING",
            key,
            columns,
            record,
        )?;
        Ok(inserted == 1)
    }

    /// Runs `sql` (an insert or update of one session) with the session's fields as `?1` key,
    /// `?2` user, `?3` created, `?4` expires, `?5` last seen (now), `?6` address, `?7` user agent,
    /// `?8` record; returns how many rows it changed.
    fn write_session(
        &self,
        sql: &str,
        key: &str,
        columns: &SessionColumns,
        record: &str,
    ) -> Result<usize, StoreError> {
        let now = self.now();
        Ok(self.db().prepare_cached(sql)?.execute(params![
            key,
            columns.user.map(|user| user.0),
            columns.created,
            columns.expires,
            now,
            columns.address,
            columns.user_agent,
            record
        ])?)
    }

    /// Writes a session's new state. A session that was ended meanwhile (logout elsewhere, an
    /// admin, a disablement) is not brought back.
    pub(crate) fn update_session(
        &self,
        key: &str,
        columns: &SessionColumns,
        record: &str,
    ) -> Result<(), StoreError> {
        self.write_session(
            "UPDATE sessions SET user_id = ?2, created = ?3, expires = ?4, last_seen = ?5,
                 address = ?6, user_agent = ?7, record = ?8
             WHERE key = ?1",
            key,
            columns,
            record,
        )?;
        Ok(())
    }

    /// The session stored under `key`.
    pub(crate) fn session(&self, key: &str) -> Result<Option<StoredSession>, StoreError> {
        Ok(self
            .read()
            .prepare_cached("SELECT record, created, expires FROM sessions WHERE key = ?1")?
            .query_row([key], |row| {
                Ok(StoredSession {
                    record: row.get(0)?,
                    created: row.get(1)?,
                    expires: row.get(2)?,
                })
            })
            .optional()?)
    }

    /// Deletes the session under `key`.
    pub(crate) fn delete_session(&self, key: &str) -> Result<(), StoreError> {
        self.db()
            .execute("DELETE FROM sessions WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Deletes sessions idle past their expiry or created before `born_after`. Returns how many.
    pub(crate) fn delete_expired_sessions(
        &self,
        born_after: UnixTime,
    ) -> Result<usize, StoreError> {
        let now = self.now();
        Ok(self.db().execute(
            "DELETE FROM sessions WHERE expires <= ?1 OR created < ?2",
            params![now, born_after],
        )?)
    }

    /// The signed-in sessions of account `id`, newest first.
    pub(crate) fn sessions_of(&self, id: UserId) -> Result<Vec<SessionRow>, StoreError> {
        let now = self.now();
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT key, created, last_seen, address, user_agent FROM sessions
             WHERE user_id = ?1 AND expires > ?2 ORDER BY created DESC, key",
        )?;
        let rows = statement.query_map(params![id.0, now], |row| {
            Ok(SessionRow {
                handle: row.get(0)?,
                created: row.get(1)?,
                last_seen: row.get(2)?,
                address: row.get(3)?,
                user_agent: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Ends account `id`'s session with this handle; `false` when it has none such.
    pub(crate) fn delete_session_of(&self, id: UserId, handle: &str) -> Result<bool, StoreError> {
        Ok(self.db().execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND key = ?2",
            params![id.0, handle],
        )? == 1)
    }

    /// Ends every session of account `id` except the one with handle `keep`. Returns how many.
    pub(crate) fn delete_sessions_of(
        &self,
        id: UserId,
        keep: Option<&str>,
    ) -> Result<usize, StoreError> {
        Ok(self.db().execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND key IS NOT ?2",
            params![id.0, keep],
        )?)
    }

    /// How many live sessions account `id` has.
    pub(crate) fn session_count(&self, id: UserId) -> Result<u32, StoreError> {
        let now = self.now();
        Ok(self.db().query_row(
            "SELECT count(*) FROM sessions WHERE user_id = ?1 AND expires > ?2",
            params![id.0, now],
            |row| row.get(0),
        )?)
    }

    // ---- API tokens --------------------------------------------------------------------------

    pub(crate) fn insert_token(
        &self,
        id: UserId,
        hash: &[u8; 32],
        label: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now();
        let db = self.db();
        db.execute(
            "INSERT INTO api_tokens (user_id, hash, label, created) VALUES (?1, ?2, ?3, ?4)",
            params![id.0, &hash[..], label, now],
        )?;
        Ok(db.last_insert_rowid())
    }

    /// The owner of the unrevoked token with this hash, marking it used now.
    pub(crate) fn use_token(&self, hash: &[u8; 32]) -> Result<Option<UserId>, StoreError> {
        let now = self.now();
        let found = self
            .read()
            .prepare_cached(
                "SELECT id, user_id, last_used FROM api_tokens WHERE hash = ?1 AND revoked IS NULL",
            )?
            .query_row([&hash[..]], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<i64>>(2)?,
                ))
            })
            .optional()?;
        let Some((token, user, last_used)) = found else {
            return Ok(None);
        };
        // One write a minute at most per token: harvesting clients send many requests.
        if last_used.is_none_or(|last| last < now - 60) {
            self.db()
                .prepare_cached(
                    "UPDATE api_tokens SET last_used = ?2
                 WHERE id = ?1 AND (last_used IS NULL OR last_used < ?2 - 60)",
                )?
                .execute(params![token, now])?;
        }
        Ok(Some(UserId(user)))
    }

    pub(crate) fn tokens_of(&self, id: UserId) -> Result<Vec<TokenRow>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT id, label, created, last_used, revoked FROM api_tokens
             WHERE user_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([id.0], |row| {
            Ok(TokenRow {
                id: row.get(0)?,
                label: row.get(1)?,
                created: row.get(2)?,
                last_used: row.get(3)?,
                revoked: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Revokes token `token` of account `id`; `false` when it has no such live token.
    pub(crate) fn revoke_token(&self, id: UserId, token: i64) -> Result<bool, StoreError> {
        let now = self.now();
        Ok(self.db().execute(
            "UPDATE api_tokens SET revoked = ?3 WHERE user_id = ?1 AND id = ?2 AND revoked IS NULL",
            params![id.0, token, now],
        )? == 1)
    }

    // ---- recovery codes ----------------------------------------------------------------------

    /// Replaces account `id`'s recovery codes by these hashes.
    pub(crate) fn replace_recovery_codes(
        &self,
        id: UserId,
        hashes: &[[u8; 32]],
    ) -> Result<(), StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [id.0])?;
        for hash in hashes {
            tx.execute(
                "INSERT INTO recovery_codes (user_id, hash) VALUES (?1, ?2)",
                params![id.0, &hash[..]],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks the unused recovery code with this hash used; `false` when there is none.
    pub(crate) fn use_recovery_code(
        &self,
        id: UserId,
        hash: &[u8; 32],
    ) -> Result<bool, StoreError> {
        let now = self.now();
        Ok(self.db().execute(
            "UPDATE recovery_codes SET used = ?3
             WHERE id = (SELECT id FROM recovery_codes
                         WHERE user_id = ?1 AND hash = ?2 AND used IS NULL LIMIT 1)",
            params![id.0, &hash[..], now],
        )? == 1)
    }

    /// How many unused recovery codes account `id` has left.
    pub fn recovery_codes_left(&self, id: UserId) -> Result<u32, StoreError> {
        Ok(self.db().query_row(
            "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used IS NULL",
            [id.0],
            |row| row.get(0),
        )?)
    }

    // ---- throttle ----------------------------------------------------------------------------

    pub(crate) fn failures(&self, kind: &str, key: &str) -> Result<Option<Failures>, StoreError> {
        Ok(self
            .db()
            .query_row(
                "SELECT failures, last_failure FROM login_throttle WHERE kind = ?1 AND key = ?2",
                [kind, key],
                |row| {
                    Ok(Failures {
                        count: row.get(0)?,
                        last: row.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores `failures` for (`kind`, `key`), and forgets rows idle since `forget_before`.
    pub(crate) fn set_failures(
        &self,
        kind: &str,
        key: &str,
        failures: Failures,
        forget_before: UnixTime,
    ) -> Result<(), StoreError> {
        let db = self.db();
        db.execute(
            "INSERT INTO login_throttle (kind, key, failures, last_failure) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(kind, key) DO UPDATE SET failures = ?3, last_failure = ?4",
            params![kind, key, failures.count, failures.last],
        )?;
        db.execute(
            "DELETE FROM login_throttle WHERE last_failure < ?1",
            [forget_before],
        )?;
        Ok(())
    }

    pub(crate) fn clear_failures(&self, kind: &str, key: &str) -> Result<(), StoreError> {
        self.db().execute(
            "DELETE FROM login_throttle WHERE kind = ?1 AND key = ?2",
            [kind, key],
        )?;
        Ok(())
    }

    /// The server's secret key `name` (32 random bytes), made and stored the first time it is
    /// asked for; it never leaves the database.
    pub(crate) fn server_key(&self, name: &str) -> Result<[u8; 32], StoreError> {
        let db = self.db();
        let read = |db: &Connection| -> Result<Option<Vec<u8>>, StoreError> {
            Ok(db
                .query_row(
                    "SELECT secret FROM server_keys WHERE name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .optional()?)
        };
        let stored = match read(&db)? {
            Some(secret) => secret,
            None => {
                let fresh: [u8; 32] = super::random_bytes();
                db.execute(
                    "INSERT OR IGNORE INTO server_keys (name, secret) VALUES (?1, ?2)",
                    params![name, fresh.as_slice()],
                )?;
                read(&db)?.unwrap_or_else(|| fresh.to_vec())
            }
        };
        stored
            .try_into()
            .map_err(|_| StoreError::Corrupt(format!("server key {name} is not 32 bytes")))
    }

    // ---- view log and audit ------------------------------------------------------------------

    pub(crate) fn insert_view(
        &self,
        id: UserId,
        record: &str,
        file: Option<&str>,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        self.db().execute(
            "INSERT INTO view_log (user_id, at, record_id, file, address) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id.0, now, record, file, address],
        )?;
        Ok(())
    }

    pub(crate) fn count_views_of(&self, record: &str) -> Result<u64, StoreError> {
        Ok(self.db().query_row(
            "SELECT count(*) FROM view_log WHERE record_id = ?1",
            [record],
            |row| row.get::<_, i64>(0),
        )? as u64)
    }

    pub(crate) fn views_of(&self, record: &str, limit: u32) -> Result<Vec<ViewRow>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT v.user_id, u.login, v.at, v.record_id, v.file, v.address
             FROM view_log v JOIN users u ON u.id = v.user_id
             WHERE v.record_id = ?1 ORDER BY v.at DESC, v.id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![record, limit], |row| {
            Ok(ViewRow {
                user: UserId(row.get(0)?),
                login: row.get(1)?,
                at: row.get(2)?,
                record: row.get(3)?,
                file: row.get(4)?,
                address: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Appends to the audit of account changes: `actor` (a login, or `cli` for the command line)
    /// did `action` to `subject`.
    pub(crate) fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        self.db().execute(
            "INSERT INTO audit (at, actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now, actor, action, subject, detail],
        )?;
        Ok(())
    }

    /// The membership changes in the audit (`group-member-add`, `group-member-remove`), newest
    /// first, at most `limit`.
    pub fn membership_audit(&self, limit: u32) -> Result<Vec<AuditRow>, StoreError> {
        let db = self.db();
        let mut statement = db.prepare(
            "SELECT at, actor, action, subject, detail FROM audit
             WHERE action IN ('group-member-add', 'group-member-remove')
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| {
            Ok(AuditRow {
                at: row.get(0)?,
                actor: row.get(1)?,
                action: row.get(2)?,
                subject: row.get(3)?,
                detail: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The audit of account changes, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditRow>, StoreError> {
        let db = self.db();
        let mut statement =
            db.prepare("SELECT at, actor, action, subject, detail FROM audit ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok(AuditRow {
                at: row.get(0)?,
                actor: row.get(1)?,
                action: row.get(2)?,
                subject: row.get(3)?,
                detail: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

const USER_COLUMNS: &str = "id, login, role, disabled, password_hash, totp_secret, totp_enrolled, \
                            totp_last_step, created";

fn user_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<UserRow, StoreError>> {
    let role: String = row.get(2)?;
    let Ok(role) = role.parse::<Role>() else {
        return Ok(Err(StoreError::Corrupt(format!("unknown role '{role}'"))));
    };
    Ok(Ok(UserRow {
        id: UserId(row.get(0)?),
        login: row.get(1)?,
        role,
        disabled: row.get(3)?,
        password_hash: row.get(4)?,
        totp_secret: row.get(5)?,
        totp_enrolled: row.get(6)?,
        totp_last_step: row.get(7)?,
        created: row.get(8)?,
    }))
}

/// Creates `path` with mode 0600 (owner only) when it does not exist yet; SQLite gives its
/// `-wal` and `-shm` files the same mode.
fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Runs the migrations after the database's `user_version`, each in its own transaction; the
/// step to version 4 also seals the TOTP secrets stored in clear until then with the key at
/// `key_path` (read, or made when there is none).
fn migrate(connection: &mut Connection, path: &Path, key_path: &Path) -> Result<(), StoreError> {
    let found: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if found > known {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            known,
        });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = connection.transaction()?;
        tx.execute_batch(sql)?;
        if version + 1 == schema::SEALED_SECRETS {
            seal_clear_secrets(&tx, key_path)?;
        }
        tx.pragma_update(None, "user_version", version as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Seals every TOTP secret (enrolled and pending) stored in clear by a database from before
/// version 4, in the migration's transaction. Needs the key only when there is a secret.
fn seal_clear_secrets(tx: &rusqlite::Transaction<'_>, key_path: &Path) -> Result<(), StoreError> {
    // (account id, enrolled secret, pending secret), in clear.
    type Clear = (i64, Option<Vec<u8>>, Option<Vec<u8>>);
    let clear: Vec<Clear> = {
        let mut statement = tx.prepare(
            "SELECT id, totp_secret, totp_pending FROM users
             WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    if clear.is_empty() {
        return Ok(());
    }
    let key = match SealKey::read(key_path)? {
        Some(key) => key,
        None => SealKey::create(key_path)?,
    };
    for (id, secret, pending) in clear {
        let seal = |plain: Option<Vec<u8>>| plain.map(|plain| key.seal(UserId(id), &plain));
        tx.execute(
            "UPDATE users SET totp_secret = ?2, totp_pending = ?3 WHERE id = ?1",
            params![id, seal(secret), seal(pending)],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_private_and_at_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let accounts = Accounts::open(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let version: i64 = accounts
            .db()
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let journal: String = accounts
            .db()
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        let foreign_keys: i64 = accounts
            .db()
            .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
            .unwrap();
        assert_eq!(foreign_keys, 1);
        drop(accounts);
        // Reopening runs no migration twice.
        Accounts::open(&path).unwrap();
    }

    #[test]
    fn debug_output_of_an_account_holds_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(&dir.path().join("a.sqlite")).unwrap();
        let id = accounts
            .insert_user(
                "an",
                "an",
                Role::Admin,
                "$argon2id$secret-hash",
                Some(b"SECRETSECRET"),
            )
            .unwrap()
            .unwrap();
        let shown = format!("{:?}", accounts.user(id).unwrap().unwrap());
        assert!(shown.contains("login: \"an\""), "{shown}");
        assert!(
            !shown.contains("secret-hash") && !shown.contains("83, 69, 67"),
            "{shown}"
        );
    }

    #[test]
    fn a_database_from_a_newer_disan_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        drop(Accounts::open(&path).unwrap());
        let newer = MIGRATIONS.len() as i64 + 1;
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", newer)
            .unwrap();
        let error = Accounts::open(&path).unwrap_err();
        assert!(
            matches!(error, StoreError::Newer { found, .. } if found == newer),
            "{error}"
        );
    }

    /// A database as Disan before sealing wrote it: schema version 3, an admin's enrolled TOTP
    /// secret and a researcher's pending one in clear.
    fn version_3_database(path: &Path) -> ([u8; 20], [u8; 20]) {
        let mut connection = Connection::open(path).unwrap();
        for sql in &MIGRATIONS[..3] {
            connection.execute_batch(sql).unwrap();
        }
        connection.pragma_update(None, "user_version", 3).unwrap();
        let (enrolled, pending) = (*b"enrolled-secret-0001", *b"pending-secret-00002");
        let tx = connection.transaction().unwrap();
        tx.execute(
            "INSERT INTO users (id, login, login_key, role, password_hash, totp_secret,
                 totp_enrolled, created)
             VALUES (1, 'adm', 'adm', 'admin', 'x', ?1, 1, 0),
                    (2, 'lan', 'lan', 'researcher', 'x', NULL, 0, 0)",
            [&enrolled[..]],
        )
        .unwrap();
        tx.execute(
            "UPDATE users SET totp_pending = ?1, totp_pending_session = 's' WHERE id = 2",
            [&pending[..]],
        )
        .unwrap();
        tx.commit().unwrap();
        (enrolled, pending)
    }

    fn stored(accounts: &Accounts, id: i64, column: &str) -> Vec<u8> {
        accounts
            .db()
            .query_row(
                &format!("SELECT {column} FROM users WHERE id = ?1"),
                [id],
                |row| row.get(0),
            )
            .unwrap()
    }

    #[test]
    fn totp_secrets_in_clear_are_sealed_by_the_migration_with_a_new_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let (enrolled, pending) = version_3_database(&path);
        let accounts = Accounts::open(&path).unwrap();
        let key = dir.path().join("accounts.sqlite.key");
        assert_eq!(std::fs::read(&key).unwrap().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sealed = stored(&accounts, 1, "totp_secret");
        assert_eq!(sealed.len(), 1 + 24 + 20 + 16);
        assert!(!sealed.windows(20).any(|window| window == enrolled));
        assert!(
            !stored(&accounts, 2, "totp_pending")
                .windows(20)
                .any(|window| window == pending)
        );
        // Read back in clear through the store, as sign-in and enrolment use them.
        assert_eq!(
            accounts.user(UserId(1)).unwrap().unwrap().totp_secret,
            Some(enrolled.to_vec())
        );
        assert_eq!(
            accounts.totp_pending(UserId(2), "s").unwrap(),
            Some(pending.to_vec())
        );
        // The whole file holds neither secret in clear.
        drop(accounts);
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(20).any(|window| window == enrolled));
    }

    #[test]
    fn a_missing_or_wrong_key_file_is_a_clear_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let elsewhere = dir.path().join("keys").join("disan.key");
        std::fs::create_dir(dir.path().join("keys")).unwrap();
        version_3_database(&path);
        let accounts = Accounts::open_with(&path, Some(&elsewhere), Arc::new(SystemClock)).unwrap();
        accounts.check_key().unwrap();
        assert!(elsewhere.exists() && !dir.path().join("accounts.sqlite.key").exists());
        drop(accounts);
        // Without --accounts-key the default place has no key: refused, naming both files.
        let missing = Accounts::open(&path).unwrap();
        let error = missing.check_key().unwrap_err().to_string();
        assert!(
            error.contains("accounts.sqlite.key is missing")
                && error.contains("holds second-factor secrets sealed with it")
                && error.contains("reset-totp --new-key"),
            "{error}"
        );
        assert!(
            missing.user(UserId(1)).is_err(),
            "no secret without its key"
        );
        assert!(
            !dir.path().join("accounts.sqlite.key").exists(),
            "none made"
        );
        // Another key (another database's) is refused the same way.
        std::fs::write(dir.path().join("accounts.sqlite.key"), [7u8; 32]).unwrap();
        let wrong = Accounts::open(&path).unwrap();
        let error = wrong.check_key().unwrap_err().to_string();
        assert!(
            error.contains("accounts.sqlite.key does not open the second-factor secrets"),
            "{error}"
        );
        // Its right key still opens it.
        let right = Accounts::open_with(&path, Some(&elsewhere), Arc::new(SystemClock)).unwrap();
        assert!(
            right
                .user(UserId(1))
                .unwrap()
                .unwrap()
                .totp_secret
                .is_some()
        );
    }

    #[test]
    fn a_lost_key_is_replaced_by_dropping_every_second_factor() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        version_3_database(&path);
        Accounts::open(&path).unwrap().check_key().unwrap();
        std::fs::remove_file(dir.path().join("accounts.sqlite.key")).unwrap();
        let accounts = Accounts::open(&path).unwrap();
        assert!(accounts.check_key().is_err());
        assert_eq!(accounts.forget_lost_key("cli").unwrap(), 2);
        accounts.check_key().unwrap();
        let admin = accounts.user(UserId(1)).unwrap().unwrap();
        assert_eq!((admin.totp_secret, admin.totp_enrolled), (None, false));
        assert_eq!(accounts.totp_pending(UserId(2), "s").unwrap(), None);
        // The admin gets a new factor sealed with the new key.
        let enrolment = accounts.reset_totp("adm", "cli").unwrap();
        assert!(enrolment.uri.starts_with("otpauth://"));
        assert!(
            accounts
                .user(UserId(1))
                .unwrap()
                .unwrap()
                .totp_secret
                .is_some()
        );
        assert!(
            accounts
                .audit_log()
                .unwrap()
                .iter()
                .any(|row| row.action == "totp-key-replaced")
        );
    }

    #[test]
    fn memberships_need_an_existing_group() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(&dir.path().join("a.sqlite")).unwrap();
        let user = accounts
            .insert_user("an", "an", Role::Researcher, "x", None)
            .unwrap()
            .unwrap();
        let group = GroupId::parse("phuong-trong").unwrap();
        assert!(accounts.add_membership(user, &group).is_err());
        assert!(accounts.insert_group(&group, "Phường trống").unwrap());
        accounts.add_membership(user, &group).unwrap();
        assert_eq!(accounts.groups_of(user).unwrap(), vec![group]);
    }
}
