//! `disan purge ID --reason TEXT --by LOGIN [--yes]`: destroys a record's preserved content
//! (every version of its OCFL object, its previews and index entries) when the law requires it,
//! and logs a PREMIS `deletion` event ([`disan::workspace::purge`]). Administrators only: `--by`
//! must name an enabled admin account of the accounts database. Asks for the record's id to be
//! typed again unless `--yes`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use disan::archive::Archive;
use disan::index::IndexDir;
use disan::model::{RecordId, Role};
use disan::workspace::purge::{Order, purge};
use disan::workspace::{LOCK_WAIT, WorkspaceError, Writer};

use super::{Dirs, USAGE};

/// Arguments of `disan purge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record to destroy (its id, as in metadata.csv).
    id: String,
    /// Why it must be destroyed (a court order's reference, a community's request): kept in
    /// the audit log.
    #[arg(long)]
    reason: String,
    /// The administrator ordering it: an enabled admin account's login.
    #[arg(long)]
    by: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let usage = |message: String| -> anyhow::Result<ExitCode> {
        eprintln!("disan: {message}");
        Ok(ExitCode::from(USAGE))
    };
    let id = match RecordId::parse(&args.id) {
        Ok(id) => id,
        Err(error) => return usage(format!("purge: {error}")),
    };
    if args.reason.trim().is_empty() {
        return usage("purge: --reason must say why the record is destroyed".into());
    }
    if !dirs.accounts.exists() {
        return usage(format!(
            "purge: --by must name an administrator of the accounts database, and there is none at {}",
            dirs.accounts.display()
        ));
    }
    let accounts = dirs.open_accounts()?;
    match accounts.find_user(args.by.trim())? {
        Some(user) if user.role == Role::Admin && !user.disabled => {}
        _ => {
            return usage(format!(
                "purge: '{}' is not an enabled administrator account (disan user list)",
                args.by.trim()
            ));
        }
    }
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let Some(inventory) = archive.record_inventory(&id)? else {
        eprintln!("disan: the archive holds no record {id}");
        return Ok(ExitCode::from(1));
    };
    if !args.yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return usage("purge: confirm with --yes when not run at a terminal".into());
        }
        eprint!(
            "This destroys record {id} for good: all {} versions, its files and previews. \
             Copies in backups are not touched. Type the record's id to go on: ",
            inventory.versions.len()
        );
        std::io::stderr().flush()?;
        let mut typed = String::new();
        stdin.lock().read_line(&mut typed)?;
        if typed.trim() != id.as_str() {
            eprintln!("disan: not confirmed; nothing was purged");
            return Ok(ExitCode::from(1));
        }
    }
    let index = IndexDir::new(&dirs.index);
    let writer = Writer {
        archive: &archive,
        index: &index,
        wait: LOCK_WAIT,
    };
    let order = Order {
        by: args.by.trim(),
        reason: args.reason.trim(),
    };
    match purge(&writer, &id, &order) {
        Ok(purged) => {
            println!(
                "Purged record {id} ({}); logged as PREMIS event {} in {}; previews removed: {}.\n\
                 Purge it from every backup and copy of the archive too: its folder there is {}",
                purged.event.outcome_detail.join(", "),
                purged.event.id,
                disan::archive::premis::log::LOG_DIR,
                purged.previews_removed,
                disan::archive::object_relative_path(&disan::archive::record_object_id(&id))
                    .display(),
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(WorkspaceError::Busy) => {
            eprintln!(
                "disan: another Disan process is writing the archive; nothing was purged, try again"
            );
            Ok(ExitCode::from(1))
        }
        Err(error) => Err(error.into()),
    }
}
