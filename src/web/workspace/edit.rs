//! `GET` and `POST /records/{id}/edit` (and `/en/…`): the edit form of a record, Vietnamese and
//! English side by side, each error next to its field, posted back to the same URL.
//!
//! A save that succeeds answers `303 See Other` to the record's history, which says which
//! version was written (or that nothing changed). A refused save answers the form again, with
//! what the archivist wrote: `422` with the errors beside their fields, `409` when someone else
//! saved since the form was made (both changes shown), `503` while an ingest holds the archive.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{Editor, Posted, not_found, record_for_editor};
use crate::model::{Lang, Record};
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::said::{self, Said, SaidChecked};
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::form::{BODY, BODY_EN, Fields, fields_of};
use crate::workspace::{Author, Checked, Saved, WorkspaceError};

/// Dublin Core terms whose values are paragraphs (a text area rather than a line).
const LONG_TERMS: &[&str] = &["description", "abstract", "tableOfContents", "provenance"];

/// What an edit form (a record's, an authority's) shows besides the fields.
#[derive(Default)]
pub(super) struct Shown {
    /// The "what changed" message as written.
    pub message: String,
    /// Whether the message was missing.
    pub message_error: bool,
    /// Errors and warnings by field.
    pub checked: Checked,
    /// A conflict's `base`, `head`, `theirs` and `yours` (`null` when none).
    pub conflict: Value,
    /// A message about the whole form.
    pub error: Option<String>,
}

/// `GET /records/{id}/edit`.
pub async fn page(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
) -> Response {
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)) else {
        return not_found();
    };
    let (_, record, head) = match record_for_editor(&site, &editor, &id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let fields = fields_of(&record);
    render(
        &site,
        &visit,
        &record,
        &head,
        &fields,
        Shown::default(),
        StatusCode::OK,
    )
}

/// `POST /records/{id}/edit`: the form's fields (batch column names, repeated for several
/// values), `body`, `body@en`, `base` (the version the form was made from), `message` and
/// `csrf`.
pub async fn submit(
    posted: Posted,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let editor = match posted.editor(&value("csrf")).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    let Posted { site, visit, .. } = posted;
    let (id, record, head) = match record_for_editor(&site, &editor, &id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let fields = Fields::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let message = value("message").trim().to_string();
    // An empty `base` is shown as the head again but refused by the save (no lost update).
    let mut base = match value("base").trim() {
        "" => head.clone(),
        base => base.to_string(),
    };
    let posted_base = value("base").trim().to_string();
    if message.is_empty() {
        let shown = Shown {
            message_error: true,
            ..Shown::default()
        };
        return render(
            &site,
            &visit,
            &record,
            &base,
            &fields,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let author = Author {
        login: editor.login.clone(),
        message: message.clone(),
    };
    let (work_site, work_id, work_fields, work_base) =
        (site.clone(), id.clone(), fields.clone(), posted_base);
    // The groups are read from the accounts database, and the save writes: off the runtime.
    let saved = tokio::task::spawn_blocking(move || {
        let communities = super::communities(&work_site)?;
        Ok::<_, WebError>(crate::workspace::edit(
            &super::writer(&work_site),
            &work_id,
            &work_base,
            &work_fields,
            &communities,
            &author,
        ))
    })
    .await
    .map_err(WebError::internal)
    .and_then(|saved| saved);
    site.reload_index();
    let path = format!("records/{id}");
    let (status, shown) = match settled(&visit, &path, saved) {
        Ok(answer) => return answer,
        Err(WorkspaceError::Conflict {
            base,
            head: now,
            theirs,
            yours,
        }) => {
            // The form is made again from the head with the archivist's own changes laid over
            // it: saving it, having seen both, keeps the other change wherever this one did not
            // touch the same field.
            let record = match record_for_editor(&site, &editor, id.as_str()).await {
                Ok((_, record, _)) => record,
                Err(error) => return error.into_response(),
            };
            let merged = with_changes(fields_of(&record), &yours);
            let conflict = json!({ "base": base, "head": now, "theirs": theirs, "yours": yours });
            return render(
                &site,
                &visit,
                &record,
                &now,
                &merged,
                Shown {
                    message,
                    conflict,
                    ..Shown::default()
                },
                StatusCode::CONFLICT,
            );
        }
        Err(error) => match refused_form(visit.lang, error, (&mut base, &head)) {
            Ok(refused) => refused,
            Err(answer) => return *answer,
        },
    };
    let shown = Shown { message, ..shown };
    render(&site, &visit, &record, &base, &fields, shown, status)
}

/// `fields` with `changes` (field changes from a form) laid over them: a field added or changed
/// takes its new values, a removed one goes.
fn with_changes(mut fields: Fields, changes: &[crate::workspace::Change]) -> Fields {
    use crate::workspace::Change;
    use crate::workspace::diff::{WITHDRAWN, WITHHELD};
    // Withdrawal and withheld versions are never form fields: they stay the head's.
    let pseudo = |field: &str| field == WITHDRAWN || field == WITHHELD;
    for change in changes {
        match change {
            Change::FieldAdded { field, after } | Change::FieldChanged { field, after, .. }
                if !pseudo(field) =>
            {
                fields.0.insert(field.clone(), after.clone());
            }
            Change::FieldRemoved { field, .. } if !pseudo(field) => {
                fields.0.remove(field);
            }
            _ => {}
        }
    }
    fields
}

/// What a save's blocking task came to (`saved`: the task's own failure, then the save's):
/// `Ok` with the answer when nothing is left to show over the form (`303` to the history of
/// `path` when a version was written or nothing changed, `500` when the task failed); `Err`
/// with the save's refusal, for the caller to show.
pub(super) fn settled(
    visit: &Visit,
    path: &str,
    saved: Result<Result<Saved, WorkspaceError>, WebError>,
) -> Result<Response, WorkspaceError> {
    match saved {
        Ok(Ok(saved)) => Ok(done(visit, path, &saved)),
        Ok(Err(error)) => Err(error),
        Err(error) => Ok(error.into_response()),
    }
}

/// How a refused save (but a conflict, which each form shows its own way) is shown over its
/// form again: `422` with the errors by field, or `409`, `503` with words about the whole
/// form; `Err` with the answer itself for what no form shows (404, 500; see [`refusal`]).
/// `(base, head)`: the version the form is shown from, set to the head when the form did not
/// name one it was made from, so that saving it once more is a save from there.
pub(super) fn refused_form(
    lang: Lang,
    error: WorkspaceError,
    (base, head): (&mut String, &str),
) -> Result<(StatusCode, Shown), Box<Response>> {
    if matches!(error, WorkspaceError::NoBase(_)) {
        *base = head.to_string();
    }
    match error {
        WorkspaceError::Invalid(checked) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Shown {
                checked,
                ..Shown::default()
            },
        )),
        error => refusal(lang, error).map(|(status, text)| {
            (
                status,
                Shown {
                    error: Some(text),
                    ..Shown::default()
                },
            )
        }),
    }
}

/// The answer to a save refused for a reason every workspace form shares: `Ok` with the status
/// and the words to show over the form or history again (`409` when someone else saved since,
/// or when the form does not name a version it was made from: a `base` left out or altered by
/// hand; `503` while an ingest holds the archive); `Err` with the answer itself (boxed: a
/// response is large): the 404 for an object or a version to restore that is not there, a 500
/// otherwise.
pub(super) fn refusal(
    lang: Lang,
    error: WorkspaceError,
) -> Result<(StatusCode, String), Box<Response>> {
    match error {
        WorkspaceError::Conflict { base, head, .. } => Ok((
            StatusCode::CONFLICT,
            i18n::message(
                lang,
                "workspace_conflict",
                &[("base", base.into()), ("head", head.into())],
            ),
        )),
        WorkspaceError::Busy => Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            i18n::text(lang, "workspace_busy").to_string(),
        )),
        WorkspaceError::NoBase(_) => Ok((
            StatusCode::CONFLICT,
            i18n::text(lang, "workspace_no_base").to_string(),
        )),
        WorkspaceError::MessageCharacters => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            i18n::text(lang, "workspace_message_characters").to_string(),
        )),
        WorkspaceError::NoSuchRecord | WorkspaceError::NoSuchVersion(_) => {
            Err(Box::new(not_found()))
        }
        error => Err(Box::new(WebError::internal(error).into_response())),
    }
}

/// The answer to a save that went through: to the history of what was saved (`path`, without
/// language prefix: `records/{id}`, `villages/{id}`), saying what was written.
pub(super) fn done(visit: &Visit, path: &str, saved: &Saved) -> Response {
    let query = match saved {
        Saved::Version(version) => format!("saved={version}"),
        Saved::Unchanged => "unchanged=1".to_string(),
    };
    let target = format!("{}/{path}/history?{query}", i18n::prefix(visit.lang));
    Redirect::to(&target).into_response()
}

/// One field of the form as the template shows it.
fn field(name: &str, values: &[String], checked: &SaidChecked, lang: Option<Lang>) -> Value {
    let term = name
        .strip_prefix("dc.")
        .map(|rest| rest.split('@').next().unwrap_or(rest));
    let long = term.is_some_and(|term| LONG_TERMS.contains(&term)) || name.starts_with("body");
    let mut shown: Vec<&str> = values.iter().map(String::as_str).collect();
    // One empty input to add a value (single-valued fields get one only when empty).
    let repeatable = !matches!(
        name,
        "kind" | "village" | "craft" | "access_need" | "files_access_need" | "lunar_date"
    ) && name != BODY
        && name != BODY_EN
        && name != "dc.title"
        && name != "dc.title@en";
    if shown.is_empty() || repeatable {
        shown.push("");
    }
    let help = (name == "dc.date").then_some("workspace_edtf_help");
    json!({
        "name": name,
        "id": format!("f-{}", name.replace(['.', '@'], "-")),
        "values": shown,
        "long": long,
        "lang": lang.map(Lang::tag),
        "errors": checked.errors.get(name).cloned().unwrap_or_default(),
        "warnings": checked.warnings.get(name).cloned().unwrap_or_default(),
        "help": help,
    })
}

/// Renders the form of `record` (whose head is, or was when the form was made, `base`) showing
/// `fields`.
fn render(
    site: &Site,
    visit: &Visit,
    record: &Record,
    base: &str,
    fields: &Fields,
    shown: Shown,
    status: StatusCode,
) -> Response {
    let checked = &said::checked(visit.lang, &shown.checked);
    let mut pairs = Vec::new();
    let mut others = Vec::new();
    let mut seen_terms: Vec<String> = Vec::new();
    for name in fields.names() {
        if let Some(rest) = name.strip_prefix("dc.") {
            let term = rest.split('@').next().unwrap_or(rest).to_string();
            if seen_terms.contains(&term) {
                continue;
            }
            let (vi, en) = (format!("dc.{term}"), format!("dc.{term}@en"));
            pairs.push(json!({
                "term": format!("dc.{term}"),
                "vi": field(&vi, fields.get(&vi), checked, Some(Lang::Vi)),
                "en": field(&en, fields.get(&en), checked, Some(Lang::En)),
            }));
            seen_terms.push(term);
        } else {
            others.push(field(&name, fields.get(&name), checked, None));
        }
    }
    // Errors under a name the form has no field for (a whole-form message) are shown at the top.
    let stray: Vec<Said> = checked
        .errors
        .iter()
        .filter(|(name, _)| {
            !fields.names().contains(name) && !name.starts_with("dc.") && name.as_str() != BODY
        })
        .flat_map(|(_, messages)| messages.clone())
        .collect();
    let (error, error_lang) = match shown.error {
        Some(error) => (Some(error), None),
        None => said::notice(&stray),
    };
    let help = |value: &mut Value| {
        if let Some(name) = value["help"].as_str() {
            value["help"] = json!(i18n::text(visit.lang, name));
        }
    };
    for pair in &mut pairs {
        help(&mut pair["vi"]);
        help(&mut pair["en"]);
    }
    let withdrawn = record
        .withdrawal
        .as_ref()
        .map(|w| json!({ "reason": w.reason, "by": w.by, "at": w.at }));
    let context = json!({
        "record": record.id.as_str(),
        "title": record.title(visit.lang),
        "base_version": base,
        "withdrawn": withdrawn,
        "pairs": pairs,
        "others": others,
        "body": {
            "vi": field(BODY, fields.get(BODY), checked, Some(Lang::Vi)),
            "en": field(BODY_EN, fields.get(BODY_EN), checked, Some(Lang::En)),
        },
        "message": shown.message,
        "message_error": shown.message_error,
        "errors_any": !checked.errors.is_empty(),
        "conflict": shown.conflict,
        "error": error,
        "error_lang": error_lang,
        "csrf": visit.csrf.clone().unwrap_or_default(),
    });
    let mut response = forms::render(site, visit, "workspace_edit.html", context);
    *response.status_mut() = status;
    response
}
