//! `disan serve` and `disan demo`: the public site over an archive and its index.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use disan::archive::{Archive, User};
use disan::index::IndexDir;
use disan::ingest::{self, Options, Progress};
use disan::web::{self, Site};

use super::Dirs;

/// Arguments of `disan serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on: an IP address and a port (127.0.0.1:8080 for this machine only,
    /// 0.0.0.0:8080 for every network, [::1]:8080), or localhost:PORT for 127.0.0.1:PORT.
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    addr: SocketAddr,
    /// Folder of templates and static files (built-in copies stand in for missing files).
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// The site's public address, named by stable URLs, citations, the sitemap and link
    /// previews (default: http:// and --addr).
    #[arg(long, env = "DISAN_PUBLIC_URL")]
    public_url: Option<String>,
}

/// Reads `--addr`: an IP address and port, or `localhost:PORT` (taken as `127.0.0.1:PORT`, the
/// one host name new users type). Other host names are refused with examples rather than
/// resolved: a name may resolve to several addresses, or through DNS to one nobody meant to
/// expose the site on.
pub fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    if let Some(port) = text.strip_prefix("localhost:")
        && let Ok(port) = port.parse::<u16>()
    {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    Err(format!(
        "'{text}' is not an address to listen on; give an IP address and a port, such as 127.0.0.1:8080 (this machine only), localhost:8080 (the same), 0.0.0.0:8080 (every network interface) or [::1]:8080"
    ))
}

/// Arguments of `disan demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The sample batch to ingest before serving.
    #[arg(long, default_value = "sample/ha-nam")]
    batch: PathBuf,
    #[command(flatten)]
    serve: Args,
}

/// Runs `disan serve`.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let templates = args.templates.is_dir().then_some(args.templates);
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(args.addr))
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    // By default the address actually bound (port 0 picks a free one).
    let public_url = match args.public_url {
        Some(url) => url,
        None => format!("http://{}", listener.local_addr()?),
    };
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        anyhow::bail!("--public-url must start with http:// or https://, not '{public_url}'");
    }
    // Site::open names what failed: the archive, or the index (and that `disan reindex`
    // rebuilds it).
    let site = Site::open(&dirs.archive, &dirs.index, templates)?.with_origin(&public_url);
    runtime.block_on(web::serve(Arc::new(site), listener))?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `disan demo`: ingests the sample batch (a no-op once it is in) and serves.
pub fn demo(dirs: &Dirs, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let archive = Archive::open_or_create(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let options = Options {
        dry_run: false,
        user: User {
            name: "disan demo".to_string(),
            address: None,
        },
        progress: Progress::Quiet,
        replace_descriptions: false,
    };
    let report = ingest::ingest(
        &args.batch,
        Some(&archive),
        &IndexDir::new(&dirs.index),
        &options,
    )
    .with_context(|| format!("cannot ingest the sample batch {}", args.batch.display()))?;
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    println!("{}", report.summary());
    run(dirs, args.serve)
}
