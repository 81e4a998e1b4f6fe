//! One file per subcommand; each only wires library stages together and prints.

pub mod ingest;
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
}

/// Exit status for usage errors.
pub const USAGE: u8 = 2;
