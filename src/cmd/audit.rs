//! `disan audit`: the archive's PREMIS events (what happened to each object, when, by whom, with
//! what outcome), of one record or of the whole archive, as PREMIS XML, CSV or JSON Lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use disan::archive::premis::{self, EventType, Outcome};
use disan::archive::{Archive, record_object_id};
use disan::model::RecordId;
use disan::web::workspace::audit::write_csv;

use super::{Dirs, USAGE};

/// How `disan audit` prints the events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One PREMIS 3 XML document (namespace http://www.loc.gov/premis/v3).
    Xml,
    /// A CSV table, one event a row, for a spreadsheet.
    Csv,
    /// One JSON object a line.
    Jsonl,
}

/// Arguments of `disan audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this record's events (its id, as in metadata.csv).
    #[arg(long, conflicts_with = "object")]
    record: Option<String>,
    /// Only this OCFL object's events (e.g. urn:disan:village:bat-trang).
    #[arg(long)]
    object: Option<String>,
    /// Only events at or after this time: a date (2026-12-01, midnight UTC) or an RFC 3339
    /// time (2026-12-01T10:00:00Z).
    #[arg(long)]
    since: Option<String>,
    /// Only events before the end of this date, or before this RFC 3339 time.
    #[arg(long)]
    until: Option<String>,
    /// Only events of this PREMIS event type, by its code: ing, mem, mes, for, val, fix, poa,
    /// dea, acc, del.
    #[arg(long = "type")]
    event_type: Option<String>,
    /// Only events one of whose agents has this name (a login, or "Disan 0.1.0").
    #[arg(long)]
    agent: Option<String>,
    /// Only events with this outcome: suc (success), war (warning) or fai (failure).
    #[arg(long)]
    outcome: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "xml")]
    format: Format,
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let since = match args.since.as_deref().map(premis::parse_time).transpose() {
        Ok(since) => since,
        Err(message) => {
            eprintln!("disan: --since {message}");
            return Ok(ExitCode::from(USAGE));
        }
    };
    let mut filter = premis::Filter {
        from: since,
        agent: args.agent.clone(),
        ..premis::Filter::default()
    };
    let usage = |message: String| -> anyhow::Result<ExitCode> {
        eprintln!("disan: {message}");
        Ok(ExitCode::from(USAGE))
    };
    if let Some(until) = &args.until
        && let Err(message) = filter.until_end_of(until)
    {
        return usage(format!("--until {message}"));
    }
    if let Some(code) = &args.event_type {
        filter.event_type = EventType::from_code(&code.trim().to_ascii_lowercase());
        if filter.event_type.is_none() {
            let codes: Vec<&str> = EventType::ALL.iter().map(|t| t.code()).collect();
            return usage(format!(
                "--type '{code}' is not an event type; use one of: {}",
                codes.join(", ")
            ));
        }
    }
    if let Some(code) = &args.outcome {
        filter.outcome = Outcome::from_code(&code.trim().to_ascii_lowercase());
        if filter.outcome.is_none() {
            return usage(format!("--outcome '{code}' is not suc, war or fai"));
        }
    }
    let object = match (&args.record, args.object) {
        (Some(record), _) => match RecordId::parse(record) {
            Ok(id) => Some(record_object_id(&id)),
            Err(error) => {
                eprintln!("disan: --record: {error}");
                return Ok(ExitCode::from(USAGE));
            }
        },
        (None, object) => object,
    };
    let archive = Archive::open(&dirs.archive)
        .with_context(|| format!("cannot open the archive {}", dirs.archive.display()))?;
    let (mut events, notes) = archive.audit(object.as_deref())?;
    // An object purged since has no inventory, but its events in the root log (its deletion
    // among them) are still shown.
    if let Some(id) = &object
        && events.is_empty()
        && archive.storage().inventory(id)?.is_none()
    {
        eprintln!("disan: the archive holds no object {id}");
        return Ok(ExitCode::from(1));
    }
    events.retain(|event| filter.admits(event));
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Xml => {
            let objects: Vec<&str> = object.iter().map(String::as_str).collect();
            out.write_all(&premis::xml::write(&objects, &events))?;
        }
        Format::Jsonl => {
            for event in &events {
                serde_json::to_writer(&mut out, event)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => write_csv(&mut out, &events)?,
    }
    out.flush()?;
    for note in &notes {
        eprintln!("warning: unreadable event log: {note}");
    }
    Ok(if notes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
