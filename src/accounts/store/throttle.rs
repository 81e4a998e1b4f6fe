//! Login throttle counters and the server's own signing keys.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Accounts, Failures, StoreError};
use crate::accounts::UnixTime;

impl Accounts {
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
                let fresh: [u8; 32] = crate::accounts::random_bytes();
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
}
