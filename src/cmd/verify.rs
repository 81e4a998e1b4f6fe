//! `disan verify`: fixity check of the whole archive, and whether the search index reflects it.

use std::process::ExitCode;

use anyhow::Context;
use disan::archive::{Archive, ArchiveError, OcflError, premis, verify};
use disan::index::IndexDir;
use disan::index::sync::{self, ArchiveState, SyncReport};
use disan::ingest::report::human_bytes;

use super::Dirs;

/// Arguments of `disan verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the report as JSON on standard output.
    #[arg(long)]
    json: bool,
}

/// What `verify` found of the search index.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
enum IndexFinding {
    /// There is no index yet.
    Missing,
    /// An ingest holds the archive; it brings the index up to date itself.
    IngestRunning,
    /// The index was checked (and brought up to date when it was behind).
    Checked(SyncReport),
    /// The index could not be checked (the archive's own findings say why, most often).
    Unchecked {
        /// Why.
        reason: String,
    },
}

impl IndexFinding {
    fn summary(&self) -> String {
        match self {
            IndexFinding::Missing => "search index: none yet (run `disan reindex`)".to_string(),
            IndexFinding::IngestRunning => {
                "search index: not checked, an ingest is running (it brings the index up to date)"
                    .to_string()
            }
            IndexFinding::Checked(report) => report.summary(),
            IndexFinding::Unchecked { reason } => format!("search index: not checked: {reason}"),
        }
    }
}

/// Checks the search index against the archive, reconciling it when it is behind.
fn check_index(archive: &Archive, dirs: &Dirs) -> anyhow::Result<IndexFinding> {
    let index = IndexDir::new(&dirs.index);
    if !index.root().join("search").join("meta.json").exists() {
        return Ok(IndexFinding::Missing);
    }
    let _lock = match archive.lock() {
        Ok(lock) => lock,
        Err(ArchiveError::Ocfl(OcflError::Locked(_))) => return Ok(IndexFinding::IngestRunning),
        Err(error) => return Err(error.into()),
    };
    let search = disan::index::open_current(archive, &index)?;
    let (state, catalogue) = ArchiveState::read(archive)?;
    Ok(IndexFinding::Checked(sync::reconcile(
        archive, &index, &search, &catalogue, &state,
    )?))
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let report = verify::verify(archive.storage());
    // Each object's check goes into the storage root's PREMIS log: a replica mounted read-only
    // can still be verified, with a warning that the check was not recorded.
    let recorded = premis::log::append(archive.root(), &report.fixity_events());
    if let Err(error) = &recorded {
        eprintln!("warning: the fixity checks could not be recorded: {error}");
    }
    let index = check_index(&archive, dirs).unwrap_or_else(|error| IndexFinding::Unchecked {
        reason: format!("{error:#}"),
    });
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        value["index"] = serde_json::to_value(&index)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        for finding in &report.findings {
            eprintln!("{finding}");
        }
        for warning in &report.unportable {
            eprintln!("warning: {warning}");
        }
        if !report.unportable.is_empty() {
            eprintln!(
                "warning: {} content paths written before Disan made them portable would be lost \
                 or altered on a FAT, exFAT or NTFS disk, a Windows share or S3 (OCFL never \
                 rewrites a version); back such an archive up to a Linux or macOS disk, or as a \
                 tar file",
                report.unportable.len()
            );
        }
        println!(
            "{} objects, {} files ({}) checked: {}",
            report.objects,
            report.files,
            human_bytes(report.bytes),
            if report.findings.is_empty() {
                "all intact".to_string()
            } else {
                format!("{} problems", report.findings.len())
            }
        );
        if recorded.is_ok() {
            println!(
                "{} fixity checks recorded in {}/ (see `disan audit`)",
                report.checked.len(),
                archive.root().join(premis::log::LOG_DIR).display()
            );
        }
        println!("{}", index.summary());
    }
    Ok(if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
