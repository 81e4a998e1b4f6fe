//! The view log (who saw which non-public record) and the audit of account changes.

use rusqlite::params;

use super::{Accounts, AuditRow, StoreError, ViewRow};
use crate::accounts::{UnixTime, UserId};

impl Accounts {
    pub(crate) fn insert_view(
        &self,
        id: UserId,
        record: &str,
        kind: &str,
        file: Option<&str>,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        self.db().execute(
            "INSERT INTO view_log (user_id, at, record_id, kind, file, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id.0, now, record, kind, file, address],
        )?;
        Ok(())
    }

    /// Inserts every line of `lines` (account, time, record, kind, address) in one
    /// transaction: one write for a whole batch.
    pub(crate) fn insert_views(
        &self,
        lines: &[(UserId, UnixTime, String, &str, Option<String>)],
    ) -> Result<(), StoreError> {
        let mut db = self.db();
        let tx = db.transaction()?;
        {
            let mut statement = tx.prepare(
                "INSERT INTO view_log (user_id, at, record_id, kind, file, address) VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
            )?;
            for (user, at, record, kind, address) in lines {
                statement.execute(params![user.0, at, record, kind, address])?;
            }
        }
        tx.commit()?;
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
            "SELECT v.user_id, u.login, v.at, v.record_id, v.file, v.address, v.kind
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
                kind: row.get(6)?,
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
        let rows = statement.query_map([limit], audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The audit of account changes, oldest first.
    pub fn audit_log(&self) -> Result<Vec<AuditRow>, StoreError> {
        let db = self.db();
        let mut statement =
            db.prepare("SELECT at, actor, action, subject, detail FROM audit ORDER BY id")?;
        let rows = statement.query_map([], audit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// An audit line from `SELECT at, actor, action, subject, detail`.
fn audit_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        at: row.get(0)?,
        actor: row.get(1)?,
        action: row.get(2)?,
        subject: row.get(3)?,
        detail: row.get(4)?,
    })
}
