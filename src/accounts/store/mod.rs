//! The accounts database: the one module that speaks SQL.
//!
//! SQLite (rusqlite, bundled: a fresh machine needs no library or server) in one file,
//! `accounts.sqlite` by default, created with mode 0600 because it holds password hashes and
//! TOTP secrets. Every other accounts module calls the small methods of [`Accounts`] defined
//! in this folder, so a PostgreSQL store for a site on several machines replaces this folder
//! only. This file opens the database and holds the sealing key; one file per table group adds
//! its methods: `users` (accounts, passwords, TOTP secrets, memberships), `groups`, `sessions`,
//! `tokens` (API tokens, recovery codes), `throttle` (failure counters, server keys), `audit`
//! (view log, audit); [`schema`] the migrations, [`sealed`] the key file, [`rows`] the row types.
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

mod audit;
mod groups;
mod remembered;
pub mod rows;
pub mod schema;
pub mod sealed;
mod sessions;
mod throttle;
mod tokens;
mod users;

pub use remembered::Standing;
pub use rows::{
    AuditRow, Failures, Inserted, SessionColumns, SessionRow, StoredSession, TokenRow, UserRow,
    ViewRow,
};
pub use schema::MIGRATIONS;
pub use sealed::{KeyError, default_key_path};

use sealed::{Fingerprint, SealKey, Stamp};

use super::{Clock, SystemClock, UnixTime, UserId};

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
    /// The database file was replaced (renamed over, or removed) while this process had it
    /// open: what it would read is no longer what `disan` commands see.
    #[error(
        "the accounts database {path} was replaced while this server had it open; restart `disan serve` (restore a backup only with the server stopped)"
    )]
    Replaced {
        /// The database file.
        path: PathBuf,
    },
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
    /// Answers of the reads every signed-in request makes, exact while the database is
    /// unchanged ([`remembered`]).
    remembered: Arc<Mutex<remembered::Remembered>>,
    /// The database file's device and inode when it was opened ([`Accounts::replaced_on_disk`]).
    identity: Option<(u64, u64)>,
    /// Set, for good, once the file was found replaced: every read of who is signed in fails
    /// from then on ([`remembered`]), so nobody is served by a database no command can reach.
    replaced: Arc<std::sync::atomic::AtomicBool>,
    /// Tells [`remembered`] when nothing in the database's folder changed, so no commit can
    /// have happened and its version need not be read.
    changes: Arc<crate::index::watch::FolderWatch>,
    clock: Arc<dyn Clock>,
    path: PathBuf,
    key_path: PathBuf,
    /// The sealing key, read (or made) at its first use, with its file's stamp then: read
    /// again whenever the file changed (finding R11).
    key: Arc<Mutex<Option<(SealKey, Stamp)>>>,
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
            remembered: Arc::default(),
            identity: identity_of(path),
            replaced: Arc::default(),
            changes: Arc::new(crate::index::watch::FolderWatch::new(vec![
                path.parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
            ])),
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

    /// The sealing key: read (or made, when nothing is sealed yet and the database records no
    /// key elsewhere) at its first use, and read again whenever its file changed since (so a
    /// running server follows `disan user reset-totp --new-key`: finding R11). A key read is
    /// checked against the key the database records (its fingerprint and path; finding R13),
    /// or, in a database that records none yet, against one stored secret, and then recorded.
    fn key(&self) -> Result<SealKey, StoreError> {
        let mut slot = self
            .key
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = sealed::stamp(&self.key_path);
        if let Some((key, stamp)) = slot.as_ref()
            && now == Some(*stamp)
        {
            return Ok(key.clone());
        }
        *slot = None;
        let recorded = self.recorded_key()?;
        let sample: Option<(i64, Vec<u8>)> = self
            .db()
            .query_row(
                "SELECT id, coalesce(totp_secret, totp_pending) FROM users
                 WHERE totp_secret IS NOT NULL OR totp_pending IS NOT NULL LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let here = absolute(&self.key_path);
        let (key, stamp) = match (SealKey::read(&self.key_path)?, recorded) {
            (Some((key, stamp)), Some((fingerprint, expected))) => {
                if *key.fingerprint() != fingerprint {
                    return Err(KeyError::NotRecorded {
                        key: self.key_path.clone(),
                        expected,
                        database: self.path.clone(),
                    }
                    .into());
                }
                (key, stamp)
            }
            (Some((key, stamp)), None) => {
                if let Some((id, sealed)) = sample
                    && key.open(UserId(id), &sealed).is_none()
                {
                    return Err(KeyError::Wrong {
                        key: self.key_path.clone(),
                        database: self.path.clone(),
                    }
                    .into());
                }
                self.record_key(&self.db(), key.fingerprint(), &here)?;
                (key, stamp)
            }
            (None, Some((_, expected))) if expected != here => {
                return Err(KeyError::Elsewhere {
                    key: self.key_path.clone(),
                    expected,
                    database: self.path.clone(),
                }
                .into());
            }
            (None, _) if sample.is_some() => {
                return Err(KeyError::Missing {
                    key: self.key_path.clone(),
                    database: self.path.clone(),
                }
                .into());
            }
            // Nothing sealed, and no key recorded elsewhere: a new key, recorded.
            (None, _) => {
                let (key, stamp) = SealKey::create_stamped(&self.key_path)?;
                self.record_key(&self.db(), key.fingerprint(), &here)?;
                (key, stamp)
            }
        };
        *slot = Some((key.clone(), stamp));
        Ok(key)
    }

    /// The fingerprint and path of the key the database records as sealing it, if any.
    fn recorded_key(&self) -> Result<Option<(Fingerprint, PathBuf)>, StoreError> {
        let db = self.db();
        let value = |name: &str| -> Result<Option<String>, StoreError> {
            Ok(db
                .query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| {
                    row.get(0)
                })
                .optional()?)
        };
        Ok(match (value(KEY_FINGERPRINT)?, value(KEY_PATH)?) {
            (Some(fingerprint), Some(path)) => {
                Some((Fingerprint(fingerprint), PathBuf::from(path)))
            }
            _ => None,
        })
    }

    /// Records `fingerprint` (at `path`) as the key sealing the database.
    fn record_key(
        &self,
        db: &Connection,
        fingerprint: &Fingerprint,
        path: &Path,
    ) -> Result<(), StoreError> {
        for (name, value) in [
            (KEY_FINGERPRINT, fingerprint.0.clone()),
            (KEY_PATH, path.to_string_lossy().into_owned()),
        ] {
            db.execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = ?2",
                params![name, value],
            )?;
        }
        Ok(())
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
        let (key, stamp) = SealKey::create_stamped(&self.key_path)?;
        let mut db = self.db();
        let tx = db.transaction()?;
        self.record_key(&tx, key.fingerprint(), &absolute(&self.key_path))?;
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
        *slot = Some((key, stamp));
        Ok(dropped)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file at [`Self::path`] is no longer the database this process opened: it
    /// was removed, or another file was renamed over it (a backup restored with `mv` while
    /// `serve` runs, break-13b R2). This process would then read and write a deleted file that
    /// no `disan` command ever sees. Compares the path's device and inode (one `stat`) with
    /// those it had when opened; `false` where they are not known (not Unix). A copy written
    /// *into* the same file (`cp backup accounts.sqlite`) keeps the inode and is not detected:
    /// restore only with `serve` stopped (README, "Accounts").
    pub fn replaced_on_disk(&self) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let Some(opened) = self.identity else {
                return false;
            };
            let now = std::fs::metadata(&self.path)
                .ok()
                .map(|found| (found.dev(), found.ino()));
            now != Some(opened)
        }
        #[cfg(not(unix))]
        {
            false
        }
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
}

/// The `meta` row naming the fingerprint of the key sealing the database.
const KEY_FINGERPRINT: &str = "seal-key-fingerprint";
/// The `meta` row naming the key file's path (absolute) when it was made or first used.
const KEY_PATH: &str = "seal-key-path";

/// `path` made absolute against the current folder (as given otherwise).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
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

/// The device and inode of `path` (Unix), to notice it replaced later.
fn identity_of(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path)
            .ok()
            .map(|found| (found.dev(), found.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Runs the migrations after the database's `user_version`, each in its own transaction; the
/// step to version 5 also seals the TOTP secrets stored in clear until then with the key at
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
/// version 5, in the migration's transaction. Needs the key only when there is a secret.
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
        Some((key, _)) => key,
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
    use crate::model::{GroupId, Role};

    /// Break-13b R2: a database renamed over the open one is noticed; one copied into it (same
    /// inode) is not, and neither is an untouched one.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_database_renamed_over_the_open_one_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let accounts = Accounts::open(&path).unwrap();
        assert!(!accounts.replaced_on_disk());
        let backup = dir.path().join("backup.sqlite");
        drop(Accounts::open(&backup).unwrap());
        std::fs::copy(&backup, &path).unwrap();
        assert!(
            !accounts.replaced_on_disk(),
            "a copy into it keeps the file"
        );
        std::fs::rename(&backup, &path).unwrap();
        assert!(accounts.replaced_on_disk());
        std::fs::remove_file(&path).unwrap();
        assert!(accounts.replaced_on_disk(), "removed");
    }

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
        // Without --accounts-key the default place has no key: refused, naming both files
        // (finding R13: the database records which key file seals it).
        let missing = Accounts::open(&path).unwrap();
        let error = missing.check_key().unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "the accounts key file {} is missing, but {} is sealed with the key file {}: name that file with --accounts-key / DISAN_ACCOUNTS_KEY (no second key is made)",
                dir.path().join("accounts.sqlite.key").display(),
                path.display(),
                elsewhere.display()
            )
        );
        assert!(
            missing.user(UserId(1)).is_err(),
            "no secret without its key"
        );
        assert!(
            !dir.path().join("accounts.sqlite.key").exists(),
            "none made"
        );
        // Another key (another database's) is refused, naming the one expected.
        let other = dir.path().join("accounts.sqlite.key");
        std::fs::write(&other, [7u8; 32]).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let wrong = Accounts::open(&path).unwrap();
        let error = wrong.check_key().unwrap_err().to_string();
        assert!(
            error.starts_with(&format!(
                "the accounts key file {} is not the key {} is sealed with (that key was made as {})",
                other.display(),
                path.display(),
                elsewhere.display()
            )),
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

    /// Finding R11: a process holding the key (a running server) follows a key made meanwhile
    /// by another process (`disan user reset-totp --new-key`): it reads the file again when it
    /// changed, opens the new secrets and seals new ones with the new key.
    #[test]
    fn a_running_process_reads_a_replaced_key_file_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let key = dir.path().join("accounts.sqlite.key");
        let server = Accounts::open(&path).unwrap();
        server
            .add_user("adm", Role::Admin, "trống đồng Đọi Tam", &[], "cli")
            .unwrap();
        server.check_key().unwrap();
        // The key is lost; another process makes a new one and issues a new factor.
        std::fs::rename(&key, dir.path().join("lost.key")).unwrap();
        let cli = Accounts::open(&path).unwrap();
        assert_eq!(cli.forget_lost_key("cli").unwrap(), 1);
        cli.reset_totp("adm", "cli").unwrap();
        let issued = cli.user(UserId(1)).unwrap().unwrap().totp_secret.unwrap();
        // The server opens it with the new key, and what it seals the CLI opens.
        assert_eq!(
            server.user(UserId(1)).unwrap().unwrap().totp_secret,
            Some(issued)
        );
        let lan = server
            .add_user("lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap();
        server
            .begin_totp(lan.id, "s", "trống đồng Đọi Tam")
            .unwrap();
        assert!(cli.totp_pending(lan.id, "s").unwrap().is_some());
        server.check_key().unwrap();
        Accounts::open(&path).unwrap().check_key().unwrap();
    }

    /// Finding R13: with the key made elsewhere (`serve --accounts-key X`), a process not told
    /// where it is refuses, naming both files, instead of making a second key and sealing
    /// with it.
    #[test]
    fn a_second_key_is_never_made_beside_the_recorded_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kk.sqlite");
        let chosen = dir.path().join("secrets.key");
        let serving = Accounts::open_with(&path, Some(&chosen), Arc::new(SystemClock)).unwrap();
        serving
            .add_user("res", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap();
        serving.check_key().unwrap();
        let cli = Accounts::open(&path).unwrap();
        let error = cli
            .add_user("boss", Role::Admin, "trống đồng Đọi Tam", &[], "cli")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "the accounts key file {} is missing, but {} is sealed with the key file {}: name that file with --accounts-key / DISAN_ACCOUNTS_KEY (no second key is made)",
                dir.path().join("kk.sqlite.key").display(),
                path.display(),
                chosen.display()
            )
        );
        assert!(!dir.path().join("kk.sqlite.key").exists());
        assert!(cli.find_user("boss").unwrap().is_none());
    }
}
