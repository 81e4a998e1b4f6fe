//! The `disan` command line: parse, dispatch to one subcommand, map the outcome to an exit status.
//!
//! Exit status: 0 when everything worked, 1 when something was rejected or failed, 2 for usage
//! errors (bad flags, a batch folder that does not exist).

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Disan: a heritage archive and media catalogue for Vietnam's craft villages.
#[derive(Debug, Parser)]
#[command(name = "disan", version, about, long_about = None)]
struct Cli {
    /// The preservation store: an OCFL 1.1 storage root (created on first ingest).
    #[arg(long, global = true, env = "DISAN_ARCHIVE", default_value = "archive")]
    archive: PathBuf,
    /// Where everything derived from the archive lives (derivatives, search index); rebuildable.
    #[arg(long, global = true, env = "DISAN_INDEX", default_value = "index")]
    index: PathBuf,
    /// The accounts database (SQLite, created on first use with mode 0600); keep it outside
    /// the archive and index folders.
    #[arg(
        long,
        global = true,
        env = "DISAN_ACCOUNTS",
        default_value = "accounts.sqlite"
    )]
    accounts: PathBuf,
    /// The key file sealing the second-factor secrets in the accounts database (created on
    /// first use with mode 0600); by default the database's name with `.key` appended. Back it
    /// up with the database, ideally apart from it.
    #[arg(long, global = true, env = "DISAN_ACCOUNTS_KEY")]
    accounts_key: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest a batch folder (objects plus metadata/metadata.csv) into the archive.
    Ingest(cmd::ingest::Args),
    /// Re-hash every archived file and report each missing or altered one.
    Verify(cmd::verify::Args),
    /// Print the archive's PREMIS events (audit log) of one record or all, as XML, CSV or JSON Lines.
    Audit(cmd::audit::Args),
    /// Write the public collection as a batch (files, metadata.csv, authority files) that ingest reads back.
    Export(cmd::export::Args),
    /// Rebuild index/ (search index, derivatives) from the archive alone.
    Reindex(cmd::reindex::Args),
    /// Destroy a record's preserved content for good (administrators; only what must legally be destroyed).
    Purge(cmd::purge::Args),
    /// Serve the public site and JSON API.
    Serve(cmd::serve::Args),
    /// Ingest the bundled sample collection (if needed) and serve it.
    Demo(cmd::serve::DemoArgs),
    /// Manage accounts: add, disable, enable, reset a password or second factor, make an API token, list.
    User(cmd::user::UserArgs),
    /// Manage communities (groups) that records' access can name.
    Group(cmd::user::GroupArgs),
}

fn main() -> ExitCode {
    if let Some(status) = cmd::worker::intercept() {
        return status;
    }
    let cli = Cli::parse();
    let dirs = cmd::Dirs {
        archive: cli.archive,
        index: cli.index,
        accounts: cli.accounts,
        accounts_key: cli.accounts_key,
    };
    let outcome = match cli.command {
        Command::Ingest(args) => cmd::ingest::run(&dirs, args),
        Command::Verify(args) => cmd::verify::run(&dirs, args),
        Command::Audit(args) => cmd::audit::run(&dirs, args),
        Command::Export(args) => cmd::export::run(&dirs, args),
        Command::Reindex(args) => cmd::reindex::run(&dirs, args),
        Command::Purge(args) => cmd::purge::run(&dirs, args),
        Command::Serve(args) => cmd::serve::run(&dirs, args),
        Command::Demo(args) => cmd::serve::demo(&dirs, args),
        Command::User(args) => cmd::user::run_user(&dirs, args),
        Command::Group(args) => cmd::user::run_group(&dirs, args),
    };
    match outcome {
        Ok(status) => status,
        Err(error) => {
            eprintln!("disan: {error:#}");
            ExitCode::from(1)
        }
    }
}
