//! `disan audit`: the archive's PREMIS events (what happened to each object, when, by whom, with
//! what outcome), of one record or of the whole archive, as PREMIS XML, CSV or JSON Lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use disan::archive::premis::{self, Event};
use disan::archive::{Archive, record_object_id};
use disan::model::RecordId;
use disan::web::csv_cell::spreadsheet_safe;

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
    /// Output format.
    #[arg(long, value_enum, default_value = "xml")]
    format: Format,
}

/// `since` as an event time to compare with (`YYYY-MM-DDTHH:MM:SSZ`, UTC), or why not.
fn since_time(since: &str) -> Result<String, String> {
    let full = if since.len() == 10 {
        format!("{since}T00:00:00Z")
    } else {
        since.to_string()
    };
    humantime::parse_rfc3339_weak(&full)
        .map(|time| humantime::format_rfc3339_seconds(time).to_string())
        .map_err(|error| {
            format!("--since '{since}' is not a date (2026-12-01) or an RFC 3339 time: {error}")
        })
}

/// Runs the subcommand.
pub fn run(dirs: &Dirs, args: Args) -> anyhow::Result<ExitCode> {
    let since = match args.since.as_deref().map(since_time).transpose() {
        Ok(since) => since,
        Err(message) => {
            eprintln!("disan: {message}");
            return Ok(ExitCode::from(USAGE));
        }
    };
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
    if let Some(id) = &object
        && archive.storage().inventory(id)?.is_none()
    {
        eprintln!("disan: the archive holds no object {id}");
        return Ok(ExitCode::from(1));
    }
    let (mut events, notes) = archive.audit(object.as_deref())?;
    if let Some(since) = &since {
        events.retain(|event| event.date_time >= *since);
    }
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

/// The CSV columns, one event a row; lists (files, agents, outcome notes) joined with `; `.
/// Every cell goes through [`spreadsheet_safe`]: a detail typed by an archivist opens in a
/// spreadsheet as text, never as a formula.
const CSV_HEADER: [&str; 11] = [
    "dateTime",
    "eventIdentifier",
    "eventType",
    "eventTypeLabel",
    "object",
    "version",
    "files",
    "agents",
    "outcome",
    "detail",
    "outcomeDetail",
];

fn write_csv(out: &mut impl Write, events: &[Event]) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_HEADER)?;
    for event in events {
        let agents: Vec<String> = event
            .agents
            .iter()
            .map(|a| format!("{} {} ({})", a.kind.label(), a.name, a.role.label()))
            .collect();
        let (object, version) = event
            .object
            .as_ref()
            .map_or(("", ""), |o| (o.id.as_str(), o.version.as_str()));
        let cells = [
            event.date_time.as_str(),
            &event.id,
            event.event_type.code(),
            event.event_type.label(),
            object,
            version,
            &event.files.join("; "),
            &agents.join("; "),
            event.outcome.label(),
            &event.detail,
            &event.outcome_detail.join("; "),
        ];
        csv.write_record(cells.iter().map(|cell| spreadsheet_safe(cell).into_owned()))?;
    }
    csv.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_that_looks_like_a_formula_is_text_in_the_csv() {
        let event = Event::metadata_modification("lan", "=HYPERLINK(\"http://evil.example/\")");
        let mut out = Vec::new();
        write_csv(&mut out, std::slice::from_ref(&event)).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[9], "'=HYPERLINK(\"http://evil.example/\")");
        assert_eq!(&row[0], event.date_time.as_str(), "a date stays a date");
    }

    #[test]
    fn since_takes_a_date_or_a_time_and_refuses_words() {
        assert_eq!(since_time("2026-12-01").unwrap(), "2026-12-01T00:00:00Z");
        assert_eq!(
            since_time("2026-12-01T10:04:15Z").unwrap(),
            "2026-12-01T10:04:15Z"
        );
        assert!(since_time("yesterday").unwrap_err().contains("--since"));
    }
}
