//! Personal API tokens and recovery codes: stored as SHA-256 only.

use rusqlite::{OptionalExtension, params};

use super::{Accounts, StoreError, TokenRow};
use crate::accounts::UserId;

impl Accounts {
    /// Stores a token of account `id`, in one statement only while the account is enabled,
    /// its credential epoch is `epoch` (when given) and its session with handle `session`
    /// exists (when given). Returns the token's number, `None` when not stored (finding R15).
    pub(crate) fn insert_token(
        &self,
        id: UserId,
        hash: &[u8; 32],
        label: &str,
        epoch: Option<i64>,
        session: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        let now = self.now();
        let db = self.db();
        let inserted = db.execute(
            "INSERT INTO api_tokens (user_id, hash, label, created)
             SELECT ?1, ?2, ?3, ?4
             WHERE EXISTS (SELECT 1 FROM users
                           WHERE id = ?1 AND disabled = 0 AND (?5 IS NULL OR epoch = ?5))
               AND (?6 IS NULL
                    OR EXISTS (SELECT 1 FROM sessions WHERE key = ?6 AND user_id = ?1))",
            params![id.0, &hash[..], label, now, epoch, session],
        )?;
        Ok((inserted == 1).then(|| db.last_insert_rowid()))
    }

    /// The owner of the unrevoked token with this hash, marking it used now.
    pub(crate) fn use_token(&self, hash: &[u8; 32]) -> Result<Option<UserId>, StoreError> {
        let now = self.now();
        let version = self.data_version()?;
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
        match last_used {
            Some(last) if last >= now - 60 => {
                self.remember_token(version, *hash, UserId(user), last);
            }
            _ => {
                // The write changes the database, so what is remembered is forgotten anyway;
                // the next request reads the token again and remembers it.
                self.db()
                    .prepare_cached(
                        "UPDATE api_tokens SET last_used = ?2
                 WHERE id = ?1 AND (last_used IS NULL OR last_used < ?2 - 60)",
                    )?
                    .execute(params![token, now])?;
            }
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
}
