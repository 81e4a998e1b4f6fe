//! The audit log on the site: `GET /records/{id}/audit` (one record's PREMIS events) and
//! `GET /workspace/audit` (the whole archive's), both in both languages, filtered by a GET form
//! (`type` an event type code, `agent` a login or program, `from` and `until` dates, `outcome`
//! `suc`/`war`/`fai`), a hundred events a page, newest first; and the same events as CSV
//! (`?format=csv`, every cell spreadsheet-safe) or JSON (`?format=json`, an array of the events
//! `disan audit --format jsonl` prints one a line). The events are [`Archive::audit`]'s and the
//! filter [`premis::Filter`]'s, exactly as `disan audit` reads and chooses them.
//!
//! Access is the workspace's: archivists see every event; an admin only those of records an
//! admin may work on ([`super::Editor::may_work_under`]): never an event of an authority object,
//! of a record of another community, or of a purged record (whose rule is gone with it — deny
//! by default).
//!
//! [`Archive::audit`]: crate::archive::Archive::audit

use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Editor, not_found, record_for_editor};
use crate::archive::premis::{self, AgentKind, Event, EventType, Outcome};
use crate::archive::{record_id_of, record_object_id};
use crate::model::{Lang, Role};
use crate::web::auth::forms;
use crate::web::csv_cell::spreadsheet_safe;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::{Site, ViewerExtension, for_viewer, viewer_of};

/// Events shown on one page.
pub const PAGE_SIZE: usize = 100;

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

/// Writes `events` as CSV ([`CSV_HEADER`]), as `disan audit --format csv` and the audit pages'
/// export do.
///
/// # Errors
/// `out` cannot be written.
pub fn write_csv(out: &mut impl Write, events: &[Event]) -> anyhow::Result<()> {
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

/// The audit pages' GET form, every field optional.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// An event type code (`mem`).
    #[serde(default, rename = "type")]
    pub event_type: String,
    /// An agent's name.
    #[serde(default)]
    pub agent: String,
    /// A date: events on or after it.
    #[serde(default)]
    pub from: String,
    /// A date: events on or before it.
    #[serde(default)]
    pub until: String,
    /// `suc`, `war` or `fai`.
    #[serde(default)]
    pub outcome: String,
    /// `csv` or `json` for the export; the page otherwise.
    #[serde(default)]
    pub format: String,
    /// The page, from 1.
    #[serde(default)]
    pub page: String,
}

/// The filter the form asks for, and a message for each field that means nothing.
fn filter_of(params: &Params, lang: Lang) -> (premis::Filter, Vec<String>) {
    let mut fields = super::FilterFields::new(lang);
    let mut filter = premis::Filter::default();
    let agent = params.agent.trim();
    if !agent.is_empty() {
        filter.agent = Some(agent.to_string());
    }
    filter.event_type = fields.read("type", &params.event_type, |code| {
        EventType::from_code(&code.to_ascii_lowercase())
    });
    filter.outcome = fields.read("outcome", &params.outcome, |code| {
        Outcome::from_code(&code.to_ascii_lowercase())
    });
    filter.from = fields.read("from", &params.from, |from| premis::parse_time(from).ok());
    let until = params.until.trim();
    if !until.is_empty() && filter.until_end_of(until).is_err() {
        fields.ignore("until", until);
    }
    (filter, fields.ignored)
}

/// `GET /records/{id}/audit`: one record's events.
pub async fn record(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let viewer = viewer_of(viewer);
    let Some(editor) = Editor::of(&visit, &viewer) else {
        return not_found();
    };
    // A query that does not read (a field twice) is answered after the 404 above, as no filter.
    let params = params.map(|Query(params)| params).unwrap_or_default();
    let (id, record, _) = match record_for_editor(&site, &editor, &id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let object = record_object_id(&id);
    let events = match read_events(&site, Some(object.clone())).await {
        Ok(events) => events,
        Err(error) => return error.into_response(),
    };
    let title = record.title(visit.lang).to_string();
    answer(
        &site,
        &visit,
        &viewer,
        &params,
        events,
        Scope::Record {
            id: id.to_string(),
            title,
        },
    )
}

/// `GET /workspace/audit`: the whole archive's events the editor may see.
pub async fn archive(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let viewer = viewer_of(viewer);
    let Some(editor) = Editor::of(&visit, &viewer) else {
        return not_found();
    };
    // A query that does not read (a field twice) is answered after the 404 above, as no filter.
    let params = params.map(|Query(params)| params).unwrap_or_default();
    let mut events = match read_events(&site, None).await {
        Ok(events) => events,
        Err(error) => return error.into_response(),
    };
    // Each record's rule, from the staff list's rows: the records the editor may work on.
    let work = site.clone();
    let rows = tokio::task::spawn_blocking(move || {
        work.staff.rows(
            &work.archive,
            &work.index.stores(),
            work.search.generation(),
        )
    })
    .await;
    let rows = match rows {
        Ok(Ok((rows, _))) => rows,
        Ok(Err(error)) => return WebError::internal(error).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let admitted: HashSet<String> = rows
        .iter()
        .filter(|row| editor.may_work_under(&row.access, row.files_rule()))
        .map(|row| row.id.to_string())
        .collect();
    if editor.role != Role::Archivist {
        // An event of anything else (an authority, a purged record) is not an admin's to read.
        events.retain(|event| {
            event
                .object
                .as_ref()
                .and_then(|o| record_id_of(&o.id))
                .is_some_and(|id| admitted.contains(id.as_str()))
        });
    }
    answer(
        &site,
        &visit,
        &viewer,
        &params,
        events,
        Scope::Archive { linked: admitted },
    )
}

/// What an audit page is about.
enum Scope {
    /// One record.
    Record { id: String, title: String },
    /// The whole archive; `linked` holds the records whose audit page an event links to (those
    /// the archive still holds and the editor may work on: a purged record's id is no link).
    Archive { linked: HashSet<String> },
}

/// The events of `object` (every object when `None`), oldest first; a log that cannot be
/// read is a 500 (an archivist must know, and `disan audit` says which).
async fn read_events(site: &Arc<Site>, object: Option<String>) -> Result<Vec<Event>, WebError> {
    let archive = site.archive.clone();
    let read = tokio::task::spawn_blocking(move || archive.audit(object.as_deref())).await;
    match read {
        Ok(Ok((events, notes))) => {
            for note in notes {
                eprintln!("warning: unreadable event log: {note}");
            }
            Ok(events)
        }
        Ok(Err(error)) => Err(WebError::internal(error)),
        Err(error) => Err(WebError::internal(error)),
    }
}

/// The page, the CSV or the JSON of `events` as `params` filter them.
fn answer(
    site: &Arc<Site>,
    visit: &Visit,
    viewer: &crate::model::access::Viewer,
    params: &Params,
    mut events: Vec<Event>,
    scope: Scope,
) -> Response {
    let lang = visit.lang;
    let (filter, errors) = filter_of(params, lang);
    events.retain(|event| filter.admits(event));
    events.reverse();
    let name = match &scope {
        Scope::Record { id, .. } => format!("disan-audit-{id}"),
        Scope::Archive { .. } => "disan-audit".to_string(),
    };
    match params.format.as_str() {
        "csv" => {
            let mut body = Vec::new();
            if let Err(error) = write_csv(&mut body, &events) {
                return WebError::internal(error).into_response();
            }
            return download(
                viewer,
                body,
                "text/csv; charset=utf-8",
                &format!("{name}.csv"),
            );
        }
        "json" => {
            let body = serde_json::to_vec_pretty(&events).unwrap_or_default();
            return download(viewer, body, "application/json", &format!("{name}.json"));
        }
        _ => {}
    }
    let total = events.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = params
        .page
        .trim()
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, pages);
    let base = i18n::prefix(lang);
    let path = match &scope {
        Scope::Record { id, .. } => format!("{base}/records/{id}/audit"),
        Scope::Archive { .. } => format!("{base}/workspace/audit"),
    };
    let link = |format: &str, page: usize| {
        let mut pairs = Vec::new();
        for (field, value) in [
            ("type", &params.event_type),
            ("agent", &params.agent),
            ("from", &params.from),
            ("until", &params.until),
            ("outcome", &params.outcome),
        ] {
            if !value.trim().is_empty() {
                pairs.push(format!("{field}={}", forms::percent(value.trim())));
            }
        }
        if !format.is_empty() {
            pairs.push(format!("format={format}"));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", pairs.join("&"))
        }
    };
    let rows: Vec<Value> = events
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|event| {
            let linked = |id: &str| match &scope {
                Scope::Archive { linked } => linked.contains(id),
                Scope::Record { .. } => false,
            };
            event_json(event, lang, linked)
        })
        .collect();
    let types: Vec<Value> = EventType::ALL
        .iter()
        .map(|t| {
            json!({"value": t.code(), "label": type_label(*t, lang),
                   "selected": params.event_type.trim().eq_ignore_ascii_case(t.code())})
        })
        .collect();
    let outcomes: Vec<Value> = [Outcome::Success, Outcome::Warning, Outcome::Failure]
        .iter()
        .map(|o| {
            json!({"value": o.code(), "label": outcome_label(*o, lang),
                   "selected": params.outcome.trim().eq_ignore_ascii_case(o.code())})
        })
        .collect();
    let (record, title) = match &scope {
        Scope::Record { id, title } => (Some(id.clone()), Some(title.clone())),
        Scope::Archive { .. } => (None, None),
    };
    let context = json!({
        "record": record,
        "title": title,
        "action": path,
        "events": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "previous": (page > 1).then(|| link("", page - 1)),
        "next": (page < pages).then(|| link("", page + 1)),
        "csv": link("csv", 1),
        "json": link("json", 1),
        "filters": {
            "types": types,
            "outcomes": outcomes,
            "agent": params.agent.trim(),
            "from": params.from.trim(),
            "until": params.until.trim(),
        },
        "errors": errors,
    });
    forms::render(site, visit, "workspace_audit.html", context)
}

/// An event type in words: the vocabulary's term in English, its translation in Vietnamese.
fn type_label(event_type: EventType, lang: Lang) -> &'static str {
    let name = match event_type {
        EventType::Ingestion => "workspace_event_ing",
        EventType::MetadataModification => "workspace_event_mem",
        EventType::MessageDigestCalculation => "workspace_event_mes",
        EventType::FormatIdentification => "workspace_event_for",
        EventType::Validation => "workspace_event_val",
        EventType::FixityCheck => "workspace_event_fix",
        EventType::PolicyAssignment => "workspace_event_poa",
        EventType::Deaccession => "workspace_event_dea",
        EventType::Accession => "workspace_event_acc",
        EventType::Deletion => "workspace_event_del",
    };
    i18n::text(lang, name)
}

/// An outcome in words.
fn outcome_label(outcome: Outcome, lang: Lang) -> &'static str {
    let name = match outcome {
        Outcome::Success => "workspace_outcome_suc",
        Outcome::Warning => "workspace_outcome_war",
        Outcome::Failure => "workspace_outcome_fai",
    };
    i18n::text(lang, name)
}

/// An event as the page shows it; `record` is the id of its record when `linked` says its audit
/// page may be linked to.
fn event_json(event: &Event, lang: Lang, linked: impl Fn(&str) -> bool) -> Value {
    let record = event
        .object
        .as_ref()
        .and_then(|o| record_id_of(&o.id))
        .map(|id| id.to_string())
        .filter(|id| linked(id));
    let agents: Vec<String> = event
        .agents
        .iter()
        .map(|a| {
            let kind = i18n::text(
                lang,
                match a.kind {
                    AgentKind::Person => "workspace_agent_per",
                    AgentKind::Software => "workspace_agent_sof",
                },
            );
            format!("{} ({kind})", a.name)
        })
        .collect();
    json!({
        "id": event.id,
        "date_time": event.date_time,
        "type": type_label(event.event_type, lang),
        "code": event.event_type.code(),
        "object": event.object.as_ref().map(|o| o.id.clone()),
        "version": event.object.as_ref().map(|o| o.version.clone()),
        "record": record,
        "agents": agents,
        "outcome": outcome_label(event.outcome, lang),
        "failed": event.outcome == Outcome::Failure,
        "detail": event.detail,
        "notes": event.outcome_detail,
        "files": event.files,
    })
}

/// An export: `body` as an attachment named `name`, kept by no cache.
fn download(
    viewer: &crate::model::access::Viewer,
    body: Vec<u8>,
    content_type: &'static str,
    name: &str,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    for_viewer(viewer, response)
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
}
