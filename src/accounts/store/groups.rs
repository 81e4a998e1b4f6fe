//! Communities (groups) and memberships.

use rusqlite::{OptionalExtension, params};

use super::{Accounts, StoreError};
use crate::model::GroupId;

impl Accounts {
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
}
