//! `disan reindex`: rebuild everything under `index/` from the archive alone.

use std::process::ExitCode;

use anyhow::Context;
use disan::archive::Archive;
use disan::index::{IndexDir, reindex};

use super::Dirs;

/// Arguments of `disan reindex`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, _args: Args) -> anyhow::Result<ExitCode> {
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    // Hold the archive's writer lock so no ingest changes the archive under the rebuild, and so
    // the search index has one writer.
    let _lock = archive.lock()?;
    let started = std::time::Instant::now();
    let report = reindex(&archive, &IndexDir::new(&dirs.index))?;
    for discarded in &report.discarded {
        eprintln!("discarded the unreadable {discarded}");
    }
    for problem in &report.problems {
        eprintln!("error: {problem}");
    }
    println!(
        "{} records indexed, {} derivatives made, in {:.1} s",
        report.records,
        report.derivatives_made,
        started.elapsed().as_secs_f64()
    );
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
