//! `disan reindex`: rebuild everything under `index/` from the archive alone.

use std::process::ExitCode;

use anyhow::Context;
use disan::archive::Archive;
use disan::index::{IndexDir, IndexError, reindex};
use disan::model::text::printable;

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
    let index = IndexDir::new(&dirs.index);
    let report = match reindex(&archive, &index) {
        Ok(report) => report,
        Err(IndexError::Archive(error)) => return Err(error.into()),
        Err(error) => {
            let advice = if disan::index::is_disk_full(&error) {
                format!(
                    "the disk holding the index folder {} is full: free space on it",
                    dirs.index.display()
                )
            } else {
                format!("fix what prevents writing in {}", dirs.index.display())
            };
            eprintln!(
                "disan: cannot rebuild the index in {}: {error}\nThe archive {} is not affected: nothing in it was changed or lost. Next: {advice}, then run `disan reindex` again.",
                dirs.index.display(),
                dirs.archive.display()
            );
            return Ok(ExitCode::from(1));
        }
    };
    for discarded in &report.discarded {
        eprintln!("discarded the unreadable {}", printable(discarded));
    }
    for warning in &report.warnings {
        eprintln!("warning: {}", printable(warning));
    }
    for problem in &report.problems {
        // A logical path may hold a line break: it must not forge a line of the report.
        eprintln!("error: {}", printable(problem));
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
