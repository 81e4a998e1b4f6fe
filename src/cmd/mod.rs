//! One file per subcommand; each only wires library stages together and prints.

pub mod audit;
pub mod export;
pub mod ingest;
pub mod purge;
pub mod reindex;
pub mod serve;
pub mod user;
pub mod verify;
pub mod worker;

use std::path::PathBuf;

/// The folders every subcommand works on.
#[derive(Debug, Clone)]
pub struct Dirs {
    /// The OCFL storage root.
    pub archive: PathBuf,
    /// The derived-data folder.
    pub index: PathBuf,
    /// The accounts database file.
    pub accounts: PathBuf,
    /// The key file sealing its TOTP secrets (`None`: beside it, `<accounts>.key`).
    pub accounts_key: Option<PathBuf>,
}

impl Dirs {
    /// Opens the accounts database with its key file.
    ///
    /// # Errors
    /// What [`disan::accounts::Accounts::open_with`] says, with the database's path.
    pub fn open_accounts(&self) -> anyhow::Result<disan::accounts::Accounts> {
        use anyhow::Context;
        disan::accounts::Accounts::open_with(
            &self.accounts,
            self.accounts_key.as_deref(),
            std::sync::Arc::new(disan::accounts::SystemClock),
        )
        .with_context(|| {
            format!(
                "cannot open the accounts database {}",
                self.accounts.display()
            )
        })
    }
}

/// Exit status for usage errors.
pub const USAGE: u8 = 2;
