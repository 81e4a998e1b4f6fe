//! `disan export DIR`: write the public collection as a batch that `disan ingest` reads back
//! into the same records, fields and files (see [`disan::web::export`]).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use disan::web::Site;

use super::Dirs;

/// Arguments of `disan export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the batch into (created; it must be missing or empty).
    dir: PathBuf,
    /// Export only the public records this search finds, as typed in the site's search box
    /// (the `q` of `/search`; at most 10,000 records).
    #[arg(long)]
    query: Option<String>,
}

/// Runs the subcommand: exit 0 when the batch was written, each public record left out (its
/// files may not be downloaded by anonymous visitors) named on standard error.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let site = Site::open(&dirs.archive, &dirs.index, None)
        .context("cannot open the archive and its index")?;
    let ids = match &args.query {
        Some(q) => Some(disan::web::export::matching_ids(
            &site,
            &[("q".to_string(), q.clone())],
        )?),
        None => None,
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let report = runtime.block_on(disan::web::export::export_batch(
        &Arc::new(site),
        &args.dir,
        ids,
    ))?;
    for (id, reason) in &report.skipped {
        eprintln!("disan: note: left out record {id}: {reason}");
    }
    println!(
        "exported {} records and {} files to {}",
        report.records,
        report.files,
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
