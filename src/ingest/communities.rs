//! Which communities a batch may name: the groups of the accounts database (issue 13).
//!
//! A `community:<id>` value (in `access` or `files_access`, in a sheet or in front matter) gives
//! a record to the members of group `<id>`. A group nobody created has no members, so such a
//! record could never be seen by the community it was meant for, and a typo (`phuong-trong-mua`)
//! would go unnoticed until a villager complains. Ingest therefore checks every community named
//! against the groups of the accounts database, found as `serve` finds it (`--accounts`,
//! `DISAN_ACCOUNTS`, `accounts.sqlite` by default): a group it does not hold is an error at the
//! file, row and column naming it, saying how to create it; that row is not ingested and the
//! batch goes on.
//!
//! Without an accounts database (a fresh machine, `disan demo` before anyone signed in) no group
//! exists, so every community value is such an error: the message says where the database was
//! looked for and that `disan group add` creates it. Ingest only reads the database; it never
//! creates one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::accounts::{Accounts, StoreError};
use crate::model::GroupId;
use crate::model::Message;
use crate::msg;

/// The groups records may name, as read from one accounts database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Communities {
    /// The accounts database, as given (`--accounts`), for messages.
    database: PathBuf,
    /// Its groups; `None` when there is no database at that path.
    groups: Option<BTreeSet<GroupId>>,
    /// Whether refusals are shown in the browser's workspace, where the server's paths and
    /// commands are neither the archivist's to act on nor anyone's to see ([`Self::in_workspace`]).
    in_workspace: bool,
}

impl Communities {
    /// The groups of the accounts database at `database`, read without creating it; no
    /// database when the file does not exist.
    ///
    /// # Errors
    /// The database exists but cannot be opened or read.
    pub fn read(database: &Path) -> Result<Communities, StoreError> {
        if !database.exists() {
            return Ok(Communities::without_database(database));
        }
        let accounts = Accounts::open(database)?;
        let groups = accounts
            .groups()?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        Ok(Communities::known(database, groups))
    }

    /// The groups `groups` of the database at `database` (tests, and callers that read the
    /// database themselves).
    pub fn known(database: &Path, groups: BTreeSet<GroupId>) -> Communities {
        Communities {
            database: database.to_path_buf(),
            groups: Some(groups),
            in_workspace: false,
        }
    }

    /// No accounts database at `database`: no group exists.
    pub fn without_database(database: &Path) -> Communities {
        Communities {
            database: database.to_path_buf(),
            groups: None,
            in_workspace: false,
        }
    }

    /// Whether group `id` exists.
    pub fn holds(&self, id: &GroupId) -> bool {
        self.groups
            .as_ref()
            .is_some_and(|groups| groups.contains(id))
    }

    /// These groups, with refusals worded for the workspace's forms: no path of the server,
    /// no command; an administrator creates the group.
    pub fn in_workspace(self) -> Communities {
        Communities {
            in_workspace: true,
            ..self
        }
    }

    /// Why a record may not name group `id`, as an archivist acts on it; `None` when it may.
    pub fn refusal(&self, id: &GroupId) -> Option<Message> {
        if self.holds(id) {
            return None;
        }
        let id = id.to_string();
        if self.in_workspace {
            return Some(msg!(
                "ingest-group-does-not-exist",
                "community:{id} names the group '{id}', which does not exist: an administrator creates groups; check the spelling, or ask for the group to be created first",
                id = id
            ));
        }
        let database = self.database.display().to_string();
        let create = format!("disan --accounts {database} group add {id} --name \"…\"");
        Some(match self.groups {
            Some(_) => msg!(
                "ingest-group-not-in-database",
                "community:{id} names the group '{id}', which the accounts database {database} does not hold: create the group first with `{create}`, then ingest it again",
                id = id,
                database = database,
                create = create
            ),
            None => msg!(
                "ingest-no-accounts-database",
                "community:{id} names the group '{id}', but there is no accounts database at {database} (--accounts, DISAN_ACCOUNTS): create the group first with `{create}`, which creates the database, then ingest it again",
                id = id,
                database = database,
                create = create
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_told_of_a_missing_group_without_the_servers_paths() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret-place").join("accounts.sqlite");
        let id = GroupId::parse("phuong-trong-mua").unwrap();
        for communities in [
            Communities::without_database(&path),
            Communities::known(&path, BTreeSet::new()),
        ] {
            let said = communities.in_workspace().refusal(&id).unwrap().english;
            assert!(
                said.contains("'phuong-trong-mua', which does not exist"),
                "{said}"
            );
            assert!(
                !said.contains("secret-place") && !said.contains("disan "),
                "{said}"
            );
        }
    }

    #[test]
    fn a_group_is_known_only_when_the_database_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.sqlite");
        let id = GroupId::parse("phuong-trong-mau").unwrap();
        let missing = Communities::read(&path).unwrap();
        assert!(!path.exists(), "reading must not create the database");
        assert_eq!(
            missing.refusal(&id).unwrap().english,
            format!(
                "community:phuong-trong-mau names the group 'phuong-trong-mau', but there is no accounts database at {} (--accounts, DISAN_ACCOUNTS): create the group first with `disan --accounts {} group add phuong-trong-mau --name \"…\"`, which creates the database, then ingest it again",
                path.display(),
                path.display()
            )
        );
        let accounts = Accounts::open(&path).unwrap();
        accounts.add_group(&id, "Phường trống", "test").unwrap();
        drop(accounts);
        let known = Communities::read(&path).unwrap();
        assert!(known.holds(&id));
        assert_eq!(known.refusal(&id), None);
        let other = GroupId::parse("phuong-trong-mua").unwrap();
        assert!(
            known
                .refusal(&other)
                .unwrap()
                .english
                .contains("which the accounts database")
        );
    }
}
