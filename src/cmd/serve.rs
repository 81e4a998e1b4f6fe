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
    /// previews; links written with it in records' texts are judged as the site's own, like
    /// relative ones (default: http:// and --addr).
    #[arg(long, env = "DISAN_PUBLIC_URL")]
    public_url: Option<String>,
    /// The e-mail address of the repository's administrator, which OAI-PMH's Identify gives
    /// harvesters (the protocol requires one). Without it OAI-PMH (/oai) is not offered.
    #[arg(long, env = "DISAN_ADMIN_EMAIL")]
    admin_email: Option<String>,
    /// A signed-in session unused this long ends (ASVS 5 V7.3.1), such as 30m or 1h.
    #[arg(long, default_value = "30m", value_parser = humantime::parse_duration)]
    session_idle: std::time::Duration,
    /// A signed-in session ends this long after sign-in however active (ASVS 5 V7.3.2).
    #[arg(long, default_value = "12h", value_parser = humantime::parse_duration)]
    session_lifetime: std::time::Duration,
    /// Take the client address (for sign-in throttling and the session list) from the last
    /// `X-Forwarded-For` entry. Only behind a reverse proxy that sets that header: otherwise any
    /// client could claim any address.
    #[arg(long)]
    trust_forwarded_for: bool,
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

/// Whether the session cookie can be `__Host-disan-session` with `Secure` for a site whose
/// public address is `public_url`: over HTTPS, and over plain HTTP on this machine
/// (`127.0.0.1`, `localhost`, `[::1]`), which Chromium and curl treat as secure contexts and
/// where they keep and send back `Secure` cookies (checked with Chromium 156 and curl 7.88.1).
/// Browsers drop `Secure` cookies set over plain HTTP by any other host.
pub fn secure_cookies(public_url: &str) -> bool {
    let Some(rest) = public_url.strip_prefix("http://") else {
        return public_url.starts_with("https://");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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

/// The OAI-PMH `adminEmail` of `disan demo` when none is given: `example.org` is reserved for
/// examples (RFC 2606), so no real person is named.
pub const DEMO_ADMIN_EMAIL: &str = "demo@example.org";

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
    // Checked now so a wrong pair fails at start.
    let sessions = disan::accounts::sessions::SessionConfig::new(
        args.session_idle,
        args.session_lifetime,
        secure_cookies(&public_url),
    )
    .map_err(anyhow::Error::msg)?;
    if !sessions.secure {
        eprintln!(
            "disan serve: {public_url} is plain HTTP on another host than this machine: browsers refuse Secure cookies there, so the session cookie is '{}' without Secure. Serve the site behind a TLS reverse proxy and give --public-url https://… (README, \"Accounts and signing in\").",
            sessions.cookie_name()
        );
    }
    // Site::open names what failed: the archive, or the index (and that `disan reindex`
    // rebuilds it).
    rebuild_if_damaged(dirs)?;
    // Outside archive/ (an OCFL root) and index/ (disposable); created empty when missing, so
    // `disan user add` can make the first account while the site runs.
    let accounts = dirs.open_accounts()?;
    // The key sealing second factors is read now, so a missing or wrong key file is one clear
    // error at start, not a failure at the first sign-in.
    accounts
        .check_key()
        .context("cannot use the accounts key file")?;
    let mut site = Site::open(&dirs.archive, &dirs.index, templates)?;
    if let Some(email) = &args.admin_email {
        site = site.with_admin_email(email).context("--admin-email")?;
    }
    let site = site
        .with_origin(&public_url)
        .with_accounts(web::auth::Auth {
            accounts,
            sessions,
            trust_forwarded_for: args.trust_forwarded_for,
        });
    runtime.block_on(web::serve(Arc::new(site), listener))?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `disan demo`: ingests the sample batch (a no-op once it is in) and serves.
/// Rebuilds the search index from the archive, as `disan reindex` does, when it cannot be read
/// at start (a truncated segment, a garbled `meta.json`): the index is disposable, and a site
/// that stays down until someone logs in to run `reindex` serves nobody. A server that is
/// already running keeps its last good state instead (see `Site`). Nothing is rebuilt while an
/// ingest holds the archive, nor when the index cannot be written; the error then names the
/// index and says to run `disan reindex`.
fn rebuild_if_damaged(dirs: &Dirs) -> anyhow::Result<()> {
    let index = IndexDir::new(&dirs.index);
    let damage = match index.search() {
        Err(error @ disan::index::search::SearchError::Damaged { .. }) => error,
        _ => return Ok(()),
    };
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let Ok(_lock) = archive.lock() else {
        return Err(damage.into());
    };
    eprintln!(
        "disan serve: {damage:#}\nRebuilding the index from the archive now, as `disan reindex` does."
    );
    let started = std::time::Instant::now();
    let report = disan::index::reindex(&archive, &index).map_err(|error| {
        anyhow::anyhow!(
            "{damage}\nIt cannot be rebuilt here ({error}); fix what prevents writing in {}, then run `disan reindex`",
            dirs.index.display()
        )
    })?;
    eprintln!(
        "disan serve: rebuilt the index: {} records in {:.1} s ({} warnings, {} problems; `disan reindex` lists them).",
        report.records,
        started.elapsed().as_secs_f64(),
        report.warnings.len(),
        report.problems.len()
    );
    Ok(())
}

pub fn demo(dirs: &Dirs, mut args: DemoArgs) -> anyhow::Result<ExitCode> {
    // OAI-PMH needs an administrator's address; the demo offers it at a reserved example
    // address (RFC 2606) so harvesters can be tried on the sample, unless one is given.
    if args.serve.admin_email.is_none() {
        args.serve.admin_email = Some(DEMO_ADMIN_EMAIL.to_string());
    }
    let archive = Archive::open_or_create(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let communities = sample_groups(dirs)?;
    let options = Options {
        dry_run: false,
        user: User {
            name: "disan demo".to_string(),
            address: None,
        },
        progress: Progress::Quiet,
        replace_descriptions: false,
        communities,
        counter: None,
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
    // "Create the first account" only while there is no admin to sign in as (issue 15's break
    // round: it was printed over an accounts database that had one).
    let has_admin = dirs.accounts.exists()
        && dirs
            .open_accounts()?
            .user_summaries()?
            .iter()
            .any(|user| user.role == disan::model::Role::Admin && !user.disabled);
    if has_admin {
        println!("To sign in, open /login.");
    } else {
        println!(
            "To sign in, create the first account (an admin; it prints the code to add to an authenticator app):\n  disan --accounts {} user add YOUR-LOGIN --role admin --password-stdin\nthen open /login.",
            dirs.accounts.display(),
        );
    }
    println!(
        "OAI-PMH is at /oai (adminEmail {}).",
        args.serve
            .admin_email
            .as_deref()
            .unwrap_or(DEMO_ADMIN_EMAIL)
    );
    run(dirs, args.serve)
}

/// The communities the sample batch names (`community:<id>` in sample/ha-nam), each with its
/// name, labelled as sample material.
pub const SAMPLE_GROUPS: &[(&str, &str)] = &[(
    "phuong-trong-mau",
    "Phường trống mẫu (nhóm mẫu · sample group)",
)];

/// Creates the sample's communities ([`SAMPLE_GROUPS`]) in the accounts database where it lacks
/// them (creating the database on a fresh clone), so the sample's community records go in as
/// any archive's would: ingest takes only communities an admin created (`disan group add`).
/// Returns the groups ingest may then name.
fn sample_groups(dirs: &super::Dirs) -> anyhow::Result<disan::ingest::communities::Communities> {
    let accounts = &dirs.accounts;
    let database = dirs.open_accounts()?;
    for (id, name) in SAMPLE_GROUPS {
        let id = disan::model::GroupId::parse(id).map_err(|error| anyhow::anyhow!("{error}"))?;
        match database.add_group(&id, name, "disan demo") {
            Ok(()) => println!(
                "Created the sample community group {id} in {} (sample material).",
                accounts.display()
            ),
            Err(disan::accounts::AccountError::GroupTaken(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    drop(database);
    Ok(disan::ingest::communities::Communities::read(accounts)?)
}

#[cfg(test)]
mod tests {
    use super::secure_cookies;

    #[test]
    fn the_cookie_is_secure_over_https_and_on_this_machine_only() {
        for url in [
            "https://disan.example",
            "http://127.0.0.1:8080",
            "http://127.0.0.2:8080/",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(secure_cookies(url), "{url}");
        }
        for url in [
            "http://192.168.1.5:8080",
            "http://disan.example",
            "http://localhost.evil.example",
        ] {
            assert!(!secure_cookies(url), "{url}");
        }
    }
}
