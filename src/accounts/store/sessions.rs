//! Server-side sessions: their rows, and ending them per account.

use rusqlite::{OptionalExtension, params};

use super::{Accounts, Inserted, SessionColumns, SessionRow, StoreError, StoredSession};
use crate::accounts::{UnixTime, UserId};

impl Accounts {
    /// Inserts a new session. A signed-in one is stored only while its account is enabled and
    /// its credential epoch is still `columns.epoch` (read before the password was checked), in
    /// the same statement: a password change, reset, disablement or "end all sessions" that
    /// committed meanwhile bumped the epoch, so the session it could not delete is not made
    /// (finding R15). Anonymous sessions are stored as they are.
    pub(crate) fn insert_session(
        &self,
        key: &str,
        columns: &SessionColumns,
        record: &str,
    ) -> Result<Inserted, StoreError> {
        let now = self.now();
        let db = self.db();
        let inserted = db
            .prepare_cached(
                "INSERT INTO sessions (key, user_id, created, expires, last_seen, address, user_agent, record)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
                 WHERE ?2 IS NULL
                    OR EXISTS (SELECT 1 FROM users WHERE id = ?2 AND disabled = 0 AND epoch = ?9)
                 ON CONFLICT(key) DO NOTHING",
            )?
            .execute(params![
                key,
                columns.user.map(|user| user.0),
                columns.created,
                columns.expires,
                now,
                columns.address,
                columns.user_agent,
                record,
                columns.epoch
            ])?;
        if inserted == 1 {
            return Ok(Inserted::Stored);
        }
        let taken = db
            .prepare_cached("SELECT 1 FROM sessions WHERE key = ?1")?
            .query_row([key], |_| Ok(()))
            .optional()?
            .is_some();
        Ok(if taken {
            Inserted::KeyTaken
        } else {
            Inserted::CredentialsChanged
        })
    }

    /// Runs `sql` (an update of one session) with the session's fields as `?1` key,
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

    /// Ends every session of account `id` except the one with handle `keep`, and bumps its
    /// credential epoch in the same transaction (a sign-in racing this cannot store its
    /// session afterwards). Returns how many.
    pub(crate) fn delete_sessions_of(
        &self,
        id: UserId,
        keep: Option<&str>,
    ) -> Result<usize, StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute("UPDATE users SET epoch = epoch + 1 WHERE id = ?1", [id.0])?;
        let ended = tx.execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND key IS NOT ?2",
            params![id.0, keep],
        )?;
        tx.commit()?;
        Ok(ended)
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
}
