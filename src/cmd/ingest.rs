//! `disan ingest BATCH`: validate a batch and preserve it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use disan::archive::{Archive, User};
use disan::index::IndexDir;
use disan::ingest::report::{FileFate, printable};
use disan::ingest::{self, Options, Progress};

use super::{Dirs, USAGE};

/// Who may see what, as `disan ingest --help` ends (the README's "Access rules" says more).
const ACCESS_HELP: &str =
    "Access (the access column, or access: in front matter; a new record without it is public):
  public | researchers | restricted | community:<group-id>
  Repeat the access column (or give a list in front matter) to name several communities, and say
  in access_need whether a viewer needs any (the default) or all of them. files_access (with
  files_access_need) takes the same values and narrows who may see the record's files (originals,
  previews, their text and metadata) below who may see its description. A row that leaves out
  access or files_access keeps what the archive holds.
  Every community named must be a group of the accounts database (--accounts, DISAN_ACCOUNTS):
  create it first with `disan group add ID --name \"…\"`; a row naming another is not ingested.";

/// Arguments of `disan ingest`.
#[derive(Debug, clap::Args)]
#[command(after_help = ACCESS_HELP)]
pub struct Args {
    /// The batch folder: files (conventionally under objects/) and metadata/metadata.csv.
    batch: PathBuf,
    /// Check everything and report, but write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON on standard output (with the fate of every file).
    #[arg(long)]
    json: bool,
    /// Let files that no row describes replace the descriptions of records the archive already
    /// holds (titles from file names, public access). Without it such a record is refused, and a
    /// batch without metadata.csv that would do this (the wrong folder?) is refused whole.
    #[arg(long)]
    replace_descriptions: bool,
    /// Who is ingesting, recorded in each archive version [default: $USER].
    #[arg(long)]
    user: Option<String>,
    /// A URI for that person, recorded with the name (e.g. mailto:archivist@example.org).
    #[arg(long)]
    user_address: Option<String>,
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    if !args.batch.is_dir() {
        eprintln!(
            "disan: {} is not a folder",
            printable(&args.batch.to_string_lossy())
        );
        return Ok(ExitCode::from(USAGE));
    }
    // A dry run before the archive exists validates against an empty catalogue.
    let archive = if args.dry_run && !dirs.archive.join("0=ocfl_1.1").exists() {
        None
    } else if args.dry_run {
        Some(Archive::open(&dirs.archive)?)
    } else {
        Some(
            Archive::open_or_create(&dirs.archive)
                .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?,
        )
    };
    let index = IndexDir::new(&dirs.index);
    let progress = if args.json {
        Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        Progress::Bar
    } else {
        Progress::Log
    };
    let user = args
        .user
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "disan".to_string());
    let options = Options {
        dry_run: args.dry_run,
        user: User {
            name: user,
            address: args.user_address,
        },
        progress,
        replace_descriptions: args.replace_descriptions,
        // The groups `community:` values may name, from the database `serve` signs people in
        // against; read, never created.
        communities: ingest::communities::Communities::read(&dirs.accounts).with_context(|| {
            format!(
                "cannot read the groups of the accounts database {}",
                dirs.accounts.display()
            )
        })?,
        counter: None,
    };
    let report = ingest::ingest(&args.batch, archive.as_ref(), &index, &options)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for problem in &report.problems {
            eprintln!("{problem}");
        }
        let mut ignored: std::collections::BTreeMap<&str, usize> = Default::default();
        for fate in report.files.values() {
            if let FileFate::Ignored { reason } = fate {
                *ignored.entry(reason.as_str()).or_default() += 1;
            }
        }
        if !ignored.is_empty() {
            let reasons: Vec<String> = ignored
                .iter()
                .map(|(reason, count)| format!("{reason} ({count})"))
                .collect();
            eprintln!("ignored: {} (--json lists every file)", reasons.join(", "));
        }
        if let Some(line) = report.authorities_line() {
            println!("{line}");
        }
        println!("{}", report.summary());
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
