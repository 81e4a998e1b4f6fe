//! Batches on the site (issue 15, upload): `POST /workspace/batches` makes a batch of the
//! archivist's finished uploads and checks it like `disan ingest --dry-run`;
//! `/workspace/batches/{id}` shows that report (every problem with its file, row as a
//! spreadsheet shows it, and column) and, until the archivist confirms
//! (`POST …/{id}/confirm`), nothing is written; then the batch is ingested in the background and
//! the same page shows its progress (a progress bar that reloads itself without JavaScript, and
//! is updated from `…/{id}/status`, a small JSON, with it) and finally its report, kept.
//! Before confirming, the archivist may fix the rows the report names on the same page: the
//! batch's sheet in a text box (`POST …/{id}/sheet`), saved and checked again, or cancel it
//! (`POST …/{id}/cancel`: its files removed, the archive untouched). A batch whose run failed
//! is run again with the same confirm form; one ingested is never run twice (`409`, in words).
//! Every route under `/workspace/batches/{id}` takes its archivist and batch through one
//! extractor, [`OwnBatch`]. The work is [`crate::workspace::batches`].

use std::sync::Arc;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::{Editor, Posted, not_found};
use crate::archive::User;
use crate::ingest::{Options, Progress};
use crate::model::Lang;
use crate::web::Site;
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::said;
use crate::workspace::batches::{Batch, BatchError, State as BatchState};
use crate::workspace::uploads::UploadError;

/// Whether `editor` may make and ingest batches: archivists only. An admin sees only the
/// records of the communities they are in, and a batch's report names every record it would
/// update (and its ingest writes them), so batches are not theirs (the site's 404).
pub fn may_batch(editor: &Editor) -> bool {
    editor.role == crate::model::Role::Archivist
}

/// The ingest settings of a batch made by `login`: the archivist as the versions' user, quiet,
/// the accounts database's groups.
fn options(site: &Site, login: &str) -> Result<Options, WebError> {
    Ok(Options {
        dry_run: true,
        user: User {
            name: login.to_string(),
            address: Some(crate::workspace::save::user_address(login)),
        },
        progress: Progress::Quiet,
        replace_descriptions: false,
        communities: super::communities(site)?,
        counter: None,
    })
}

/// `POST /workspace/batches`: `upload` (repeated: upload ids) and `csrf`.
pub async fn create(posted: Posted, Form(pairs): Form<Vec<(String, String)>>) -> Response {
    let editor = match posted.editor(field(&pairs, "csrf")).await {
        Ok(editor) if may_batch(&editor) => editor,
        Ok(_) => return not_found(),
        Err(answer) => return answer,
    };
    let ids: Vec<String> = pairs
        .iter()
        .filter(|(key, _)| key == "upload")
        .map(|(_, value)| value.clone())
        .collect();
    let Posted { site, visit, .. } = posted;
    let work = site.clone();
    let made = tokio::task::spawn_blocking(move || -> Result<_, WebError> {
        let options = options(&work, &editor.login)?;
        let staged = work
            .batches
            .stage(&work.uploads, &editor.login, &ids)
            .and_then(|mut batch| {
                work.batches
                    .check(&mut batch, &work.archive, &work.index, &options)
                    .map(|()| batch)
            });
        Ok(staged)
    })
    .await;
    match made {
        Ok(Ok(Ok(batch))) => Redirect::to(&format!(
            "{}/workspace/batches/{}",
            i18n::prefix(visit.lang),
            batch.id
        ))
        .into_response(),
        Ok(Ok(Err(error))) => refused(&site, &visit, &error),
        Ok(Err(error)) => error.into_response(),
        Err(error) => WebError::internal(error).into_response(),
    }
}

/// The page of a batch refused or not found: `422` with the reasons (each naming its file),
/// `409` in words for a batch whose state does not allow the request (confirmed already,
/// ingested, its files removed), the site's 404 for an unknown one.
fn refused(site: &Site, visit: &Visit, error: &BatchError) -> Response {
    let conflict = |name: &str| {
        forms::message_page(
            site,
            visit,
            StatusCode::CONFLICT,
            i18n::text(visit.lang, name),
        )
    };
    match error {
        BatchError::Refused(_) => {
            let text = format!("{} {error}", i18n::text(visit.lang, "batch_refused"));
            forms::message_page(site, visit, StatusCode::UNPROCESSABLE_ENTITY, &text)
        }
        // The sheet's own words, never "nothing was staged" (issue 15's break round).
        BatchError::SheetTooLarge { path, size, limit } => {
            let size_in_words = crate::workspace::uploads::size_in_words;
            let args = [
                ("path", fluent_bundle::FluentValue::from(path.clone())),
                (
                    "size",
                    fluent_bundle::FluentValue::from(size_in_words(*size)),
                ),
                (
                    "max",
                    fluent_bundle::FluentValue::from(size_in_words(*limit)),
                ),
            ];
            let text = i18n::message(visit.lang, "batch_sheet_too_large", &args);
            forms::message_page(site, visit, StatusCode::PAYLOAD_TOO_LARGE, &text)
        }
        BatchError::NotFound | BatchError::Upload(UploadError::NotFound) => {
            WebError::NotFound.into_response()
        }
        BatchError::FilesRemoved
        | BatchError::State(BatchState::Cancelled | BatchState::Expired) => {
            conflict("batch_conflict_removed")
        }
        BatchError::State(BatchState::Done) => conflict("batch_conflict_done"),
        BatchError::State(BatchState::Failed) => conflict("batch_conflict_failed"),
        BatchError::State(_) => conflict("batch_conflict_running"),
        BatchError::Upload(_) | BatchError::Ingest(_) | BatchError::Io { .. } => {
            WebError::internal(error.to_string()).into_response()
        }
    }
}

/// The batch `id` of the editor of this request, read off the runtime.
async fn batch_of(site: &Arc<Site>, editor: &Editor, id: String) -> Result<Batch, Response> {
    let (work, login) = (site.clone(), editor.login.clone());
    match tokio::task::spawn_blocking(move || work.batches.get(&login, &id)).await {
        Ok(Ok(batch)) => Ok(batch),
        Ok(Err(BatchError::NotFound)) => Err(WebError::NotFound.into_response()),
        Ok(Err(error)) => Err(WebError::internal(error).into_response()),
        Err(error) => Err(WebError::internal(error).into_response()),
    }
}

/// A request on one of the editor's own batches (`/workspace/batches/{id}` and every route
/// under it), the one decision each of them makes first: an archivist signed in with a
/// session ([`may_batch`]); for a POST, its form read and its anti-forgery token (`csrf`) and
/// origin checked; then the batch `{id}` read as theirs. Anyone else, and an unknown batch or
/// another archivist's, is answered the site's 404 before any batch is read or any body taken
/// (a forged form: its 403).
pub struct OwnBatch {
    /// The site.
    pub site: Arc<Site>,
    /// Who asks, in which language.
    pub visit: Visit,
    /// The archivist.
    pub editor: Editor,
    /// Their batch, as its `batch.json` holds it now.
    pub batch: Batch,
    /// A POST's form fields, in order (empty for a GET).
    pub form: Vec<(String, String)>,
}

impl OwnBatch {
    /// The first value of the form's field `name` (empty when absent).
    fn field(&self, name: &str) -> &str {
        field(&self.form, name)
    }

    /// The batch's page, in the visitor's language; `fragment` after it (`#report`).
    fn page_path(&self, fragment: &str) -> String {
        format!(
            "{}/workspace/batches/{}{fragment}",
            i18n::prefix(self.visit.lang),
            self.batch.id
        )
    }
}

/// The first value of `name` among `pairs` (empty when absent).
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

impl FromRequest<Arc<Site>> for OwnBatch {
    type Rejection = Response;

    async fn from_request(request: Request, site: &Arc<Site>) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(posted) = Posted::from_request_parts(&mut parts, site).await;
        let Some(editor) = Editor::of(&posted.visit, &posted.viewer).filter(may_batch) else {
            return Err(not_found());
        };
        let Ok(Path(id)) = Path::<String>::from_request_parts(&mut parts, site).await else {
            return Err(not_found());
        };
        let form = if parts.method == Method::POST {
            let request = Request::from_parts(parts, body);
            let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, site)
                .await
                .map_err(IntoResponse::into_response)?;
            posted.editor(field(&pairs, "csrf")).await?;
            pairs
        } else {
            Vec::new()
        };
        let batch = batch_of(site, &editor, id).await?;
        Ok(OwnBatch {
            site: posted.site,
            visit: posted.visit,
            editor,
            batch,
            form,
        })
    }
}

/// The message naming `state` on a page.
pub fn state_message(state: BatchState) -> &'static str {
    match state {
        BatchState::Checked => "batch_state_checked",
        BatchState::Queued => "batch_state_queued",
        BatchState::Waiting => "batch_state_waiting",
        BatchState::Ingesting => "batch_state_ingesting",
        BatchState::Done => "batch_state_done",
        BatchState::Failed => "batch_state_failed",
        BatchState::Cancelled => "batch_state_cancelled",
        BatchState::Expired => "batch_state_expired",
    }
}

/// How far `batch` is, in percent (0 until its records are planned).
fn percent(batch: &Batch) -> usize {
    match batch.state {
        BatchState::Done => 100,
        _ => (batch.done * 100).checked_div(batch.total).unwrap_or(0),
    }
}

/// `time` as RFC 3339 to the second (UTC), as the workspace's pages show times.
fn when(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// `GET /workspace/batches/{id}`: the dry run's report with the confirm and cancel forms, the
/// progress of a running ingest, the kept report, or a failed run's reason with the forms to
/// run it again or cancel it.
pub async fn page(own: OwnBatch) -> Response {
    let OwnBatch {
        site, visit, batch, ..
    } = own;
    let report = batch.report.as_ref().unwrap_or(&batch.checked);
    // The sheet, to correct on the page while the batch waits for confirmation.
    let sheet = if batch.state == BatchState::Checked && batch.has_files() {
        let (work, read) = (site.clone(), batch.clone());
        tokio::task::spawn_blocking(move || work.batches.sheet(&read))
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let limits = *site.uploads.limits();
    forms::render(
        &site,
        &visit,
        "workspace_batch.html",
        json!({
            "batch": {
                "id": batch.id,
                "name": batch.name,
                "state": batch.state.as_str(),
                "state_text": i18n::text(visit.lang, state_message(batch.state)),
                "running": batch.state.is_running(),
                "done": batch.done,
                "total": batch.total,
                "percent": percent(&batch),
                "error": batch.error,
                "interrupted": batch.interrupted,
                "may_confirm": batch.may_confirm(),
                "not_archived": batch.not_archived(),
                "files_until": batch.files_expire(&limits).map(when),
                "files_removed": batch
                    .files_removed
                    .map(|at| when(UNIX_EPOCH + Duration::from_secs(at))),
            },
            "report": report_view(visit.lang, report),
            "dry_run": batch.report.is_none(),
            "sheet": sheet.map(|(path, text)| json!({"path": path, "text": text})),
        }),
    )
}

/// What the page shows of a report (`Report`'s JSON): its problems (errors first), the records
/// by outcome and the files rejected.
fn report_view(lang: Lang, report: &Value) -> Value {
    let list = |name: &str| match &report["records"][name] {
        Value::Array(ids) => Value::Array(ids.clone()),
        _ => json!([]),
    };
    let mut problems = report["problems"].as_array().cloned().unwrap_or_default();
    for problem in &mut problems {
        let shown = json!(said::problem(lang, problem));
        problem["said"] = shown;
    }
    let errors = problems
        .iter()
        .filter(|problem| problem["severity"] == "error")
        .count();
    json!({
        "problems": problems,
        "errors": errors,
        "added": list("added"),
        "updated": list("updated"),
        "unchanged": list("unchanged"),
        "rejected": report["rejected"].clone(),
    })
}

/// `GET /workspace/batches/{id}/status`: `{"state", "done", "total", "percent"}`, for the page's
/// script.
pub async fn status(own: OwnBatch) -> Response {
    let batch = &own.batch;
    let mut response = axum::Json(json!({
        "state": batch.state.as_str(),
        "done": batch.done,
        "total": batch.total,
        "percent": percent(batch),
    }))
    .into_response();
    forms::no_store(response.headers_mut(), own.visit.signed_in.as_ref());
    response
}

/// `POST /workspace/batches/{id}/confirm` (`csrf`): the batch, `checked` or `failed` (run
/// again), is ingested in the background; answers `303` to its page, which shows the progress.
/// A batch ingested already, running, or whose files were removed: `409`, saying so.
pub async fn confirm(own: OwnBatch) -> Response {
    let page = own.page_path("");
    let OwnBatch {
        site,
        visit,
        editor,
        mut batch,
        ..
    } = own;
    let options = match options(&site, &editor.login) {
        Ok(options) => options,
        Err(error) => return error.into_response(),
    };
    let work = site.clone();
    let confirmed = tokio::task::spawn_blocking(move || {
        let run = work.batches.confirm(&mut batch)?;
        Ok::<_, BatchError>((batch, run))
    })
    .await;
    let (batch, run) = match confirmed {
        Ok(Ok(confirmed)) => confirmed,
        Ok(Err(error)) => return refused(&site, &visit, &error),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let work = site.clone();
    // A thread of its own: an ingest may take hours, and waits for the archive's lock.
    std::thread::spawn(move || {
        work.batches
            .ingest(batch, run, &work.archive, &work.index, &options);
        work.reload_index();
    });
    Redirect::to(&page).into_response()
}

/// `POST /workspace/batches/{id}/cancel` (`csrf`): the batch, not confirmed (or failed), is
/// cancelled: its staged files are removed, the archive untouched; answers `303` to its page,
/// which says so. A batch running or ingested: `409`, saying so.
pub async fn cancel(own: OwnBatch) -> Response {
    let page = own.page_path("");
    let OwnBatch {
        site,
        visit,
        mut batch,
        ..
    } = own;
    let work = site.clone();
    match tokio::task::spawn_blocking(move || work.batches.cancel(&mut batch)).await {
        Ok(Ok(())) => Redirect::to(&page).into_response(),
        Ok(Err(error)) => refused(&site, &visit, &error),
        Err(error) => WebError::internal(error).into_response(),
    }
}

/// `POST /workspace/batches/{id}/sheet` (`csrf`, `sheet`): the batch's sheet replaced by the
/// text corrected on its page, and the batch checked again; answers `303` to its page, which
/// shows the new report. Only while the batch waits for confirmation (`409` after).
pub async fn sheet(own: OwnBatch) -> Response {
    let page = own.page_path("#report");
    let text = crate::model::text::nfc(own.field("sheet")).into_owned();
    let OwnBatch {
        site,
        visit,
        editor,
        mut batch,
        ..
    } = own;
    let work = site.clone();
    let corrected = tokio::task::spawn_blocking(move || -> Result<_, WebError> {
        let options = options(&work, &editor.login)?;
        Ok(work
            .batches
            .correct_sheet(&mut batch, &text, &work.archive, &work.index, &options))
    })
    .await;
    match corrected {
        Ok(Ok(Ok(()))) => Redirect::to(&page).into_response(),
        Ok(Ok(Err(error))) => refused(&site, &visit, &error),
        Ok(Err(error)) => error.into_response(),
        Err(error) => WebError::internal(error).into_response(),
    }
}
