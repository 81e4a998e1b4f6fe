//! `disan verify`: fixity check of the whole archive.

use std::process::ExitCode;

use anyhow::Context;
use disan::archive::{Archive, verify};
use disan::ingest::report::human_bytes;

use super::Dirs;

/// Arguments of `disan verify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the report as JSON on standard output.
    #[arg(long)]
    json: bool,
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let report = verify::verify(archive.storage());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for finding in &report.findings {
            eprintln!("{finding}");
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
    }
    Ok(if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
