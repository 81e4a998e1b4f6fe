//! Accounts: rows of the `users` table, their passwords, enablement and TOTP secrets (sealed
//! through [`super::sealed`] on the way in and opened on the way out).

use rusqlite::{OptionalExtension, params};

use super::{Accounts, StoreError, UserRow};
use crate::accounts::{Ended, UserId};
use crate::model::{GroupId, Role};

impl Accounts {
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

    /// Disables the account and, in the same transaction, bumps its credential epoch, ends its
    /// sessions and revokes its tokens.
    pub(crate) fn disable_and_end(&self, id: UserId) -> Result<(), StoreError> {
        let now = self.now();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE users SET disabled = 1, epoch = epoch + 1 WHERE id = ?1",
            [id.0],
        )?;
        end_sessions_and_tokens(&tx, id, None, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Gives account `id` the role `role` and, in the same transaction, bumps its credential
    /// epoch, ends every session and revokes every live API token (what was granted under the
    /// old role ends with it; the account signs in again under the new one). With `secret`
    /// (a role that needs a second factor, for an account without an enrolled one), the secret
    /// is issued, not enrolled until a sign-in accepts a code from it, and the recovery codes
    /// go. Returns what ended.
    pub(crate) fn set_role(
        &self,
        id: UserId,
        role: Role,
        secret: Option<&[u8]>,
    ) -> Result<Ended, StoreError> {
        let now = self.now();
        let sealed = secret.map(|secret| self.seal(id, secret)).transpose()?;
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE users SET role = ?2, epoch = epoch + 1 WHERE id = ?1",
            params![id.0, role.as_str()],
        )?;
        if let Some(sealed) = sealed {
            tx.execute(
                "UPDATE users SET totp_secret = ?2, totp_enrolled = 0, totp_last_step = NULL,
                     totp_pending = NULL, totp_pending_session = NULL
                 WHERE id = ?1",
                params![id.0, sealed],
            )?;
            tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [id.0])?;
        }
        let ended = end_sessions_and_tokens(&tx, id, None, now)?;
        tx.commit()?;
        Ok(ended)
    }

    /// Ends every session of account `id` and revokes every live API token of it, bumping its
    /// credential epoch, in one transaction (an admin's "sign out everywhere" for an account
    /// that may be compromised: tokens are authenticators too). Returns what ended.
    pub(crate) fn end_everything(&self, id: UserId) -> Result<Ended, StoreError> {
        let now = self.now();
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute("UPDATE users SET epoch = epoch + 1 WHERE id = ?1", [id.0])?;
        let ended = end_sessions_and_tokens(&tx, id, None, now)?;
        tx.commit()?;
        Ok(ended)
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
    /// secret and the recovery codes are dropped, the credential epoch is bumped and every
    /// session ends. Returns how many
    /// sessions ended.
    pub(crate) fn reset_totp_secret(&self, id: UserId, secret: &[u8]) -> Result<usize, StoreError> {
        let secret = self.seal(id, secret)?;
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "UPDATE users SET totp_secret = ?2, totp_enrolled = 0, totp_last_step = NULL,
                 totp_pending = NULL, totp_pending_session = NULL, epoch = epoch + 1
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

    /// Replaces the password hash and, in the same transaction, bumps the credential epoch
    /// (a sign-in that checked the old password can no longer store its session or token),
    /// ends every session of the
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
            "UPDATE users SET password_hash = ?2, epoch = epoch + 1 WHERE id = ?1",
            params![id.0, hash],
        )?;
        let ended = end_sessions_and_tokens(&tx, id, keep, now)?;
        tx.commit()?;
        Ok(ended)
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
}

const USER_COLUMNS: &str = "id, login, role, disabled, password_hash, totp_secret, totp_enrolled, \
                            totp_last_step, created, epoch";

/// In `tx`: ends every session of account `id` but the one with handle `keep`, and revokes
/// every live API token of it at `now`. Returns what ended.
fn end_sessions_and_tokens(
    tx: &rusqlite::Transaction<'_>,
    id: UserId,
    keep: Option<&str>,
    now: crate::accounts::UnixTime,
) -> Result<Ended, StoreError> {
    let sessions = tx.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND key IS NOT ?2",
        params![id.0, keep],
    )?;
    let tokens = tx.execute(
        "UPDATE api_tokens SET revoked = ?2 WHERE user_id = ?1 AND revoked IS NULL",
        params![id.0, now],
    )?;
    Ok(Ended { sessions, tokens })
}

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
        epoch: row.get(9)?,
    }))
}
