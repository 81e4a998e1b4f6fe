//! Login throttle counters and the server's own signing keys.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{Accounts, Failures, StoreError};
use crate::accounts::UnixTime;

/// A counter as one reservation left it: its count then, and its last failure before it.
pub(crate) type Before = (u32, Option<i64>);

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

    /// Reserves one attempt against each counter of `counters` (kind, key, cap in seconds),
    /// atomically: in one immediate transaction, when no counter is in a delay at `now`
    /// ([`wait_at`](crate::accounts::throttle::wait_at)) each is counted as a failure (a
    /// success gives it back), else nothing changes. Returns the longest wait (`Err`), or for
    /// each counter its count after the reservation and its last failure before it (`Ok`, for
    /// [`Accounts::release_attempt`]).
    /// Parallel attempts therefore see each other's reservations (finding R16: the check and
    /// the count were apart, so a burst of guesses all passed the check).
    pub(crate) fn reserve_attempt(
        &self,
        counters: &[(&str, &str, i64)],
        forget_after: i64,
    ) -> Result<Result<Vec<Before>, i64>, StoreError> {
        let now = self.now();
        let mut db = self.db();
        let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut wait = 0;
        let mut counts = Vec::with_capacity(counters.len());
        for &(kind, key, cap) in counters {
            let failures = tx
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
                .optional()?
                .filter(|failures| now - failures.last < forget_after);
            wait = wait.max(crate::accounts::throttle::wait_at(failures, cap, now));
            counts.push((
                failures.map_or(0, |failures| failures.count) + 1,
                failures.map(|failures| failures.last),
            ));
        }
        if wait > 0 {
            return Ok(Err(wait));
        }
        for (&(kind, key, _), (count, _)) in counters.iter().zip(&counts) {
            tx.execute(
                "INSERT INTO login_throttle (kind, key, failures, last_failure) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(kind, key) DO UPDATE SET failures = ?3, last_failure = ?4",
                params![kind, key, count, now],
            )?;
        }
        tx.execute(
            "DELETE FROM login_throttle WHERE last_failure < ?1",
            [now - forget_after],
        )?;
        tx.commit()?;
        Ok(Ok(counts))
    }

    /// Gives back one attempt [`Accounts::reserve_attempt`] counted for (`kind`, `key`),
    /// which made its count `count` and whose last failure was `last` before: the count goes
    /// down by one, and the last failure's time is put back unless other attempts were counted
    /// since.
    pub(crate) fn release_attempt(
        &self,
        kind: &str,
        key: &str,
        count: u32,
        last: Option<i64>,
    ) -> Result<(), StoreError> {
        let db = self.db();
        db.execute(
            "UPDATE login_throttle SET failures = failures - 1,
                 last_failure = CASE WHEN failures = ?3 AND ?4 IS NOT NULL THEN ?4
                                     ELSE last_failure END
             WHERE kind = ?1 AND key = ?2",
            params![kind, key, count, last],
        )?;
        db.execute(
            "DELETE FROM login_throttle WHERE kind = ?1 AND key = ?2 AND failures <= 0",
            [kind, key],
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
