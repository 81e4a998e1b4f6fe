//! `GET /records/{id}/history` (and `/en/…`): every version of a record with who, when and why
//! and what changed, a restore form per earlier version; and the forms that write versions
//! without the edit form: `POST /records/{id}/restore` (`base`, `version`, `message`),
//! `POST /records/{id}/withdraw` and `POST /records/{id}/reinstate` (`base`, `reason`),
//! `POST /records/{id}/withhold` and `POST /records/{id}/release` (`base`, `version`, `reason`:
//! an earlier version withheld from the public and published again, issue 16), each with `csrf`. A reason or message is required; each answers `303` to this page saying what
//! was written, or this page again with the refusal (`422`, `409`, `503`). And
//! `GET /workspace/withdrawn`, the withdrawn records (on no other surface).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::edit::{refusal, settled};
use super::{Editor, Posted, not_found, record_for_editor};
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::site_form::SiteForm;
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::{Author, WorkspaceError};

/// What the history page was sent back with after a save (`?saved=v4`, `?unchanged=1`).
#[derive(Debug, Default, Deserialize)]
pub struct Outcome {
    /// The version a save wrote.
    #[serde(default)]
    pub saved: Option<String>,
    /// Set when a save changed nothing.
    #[serde(default)]
    pub unchanged: Option<String>,
}

/// `GET /records/{id}/history`.
pub async fn page(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
    Query(outcome): Query<Outcome>,
) -> Response {
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)) else {
        return not_found();
    };
    let notice = notice_of(visit.lang, &outcome);
    render(&site, &visit, &editor, &id, notice, None, StatusCode::OK).await
}

/// The notice a history page shows after a save ([`Outcome`]), in `lang`.
pub(super) fn notice_of(lang: crate::model::Lang, outcome: &Outcome) -> Option<String> {
    match (&outcome.saved, &outcome.unchanged) {
        (Some(version), _) if version.starts_with('v') && version.len() < 12 => {
            Some(i18n::message(
                lang,
                "workspace_saved",
                &[("version", version.clone().into())],
            ))
        }
        (_, Some(_)) => Some(i18n::text(lang, "workspace_unchanged").to_string()),
        _ => None,
    }
}

/// Renders the history of `id` with a notice or an error.
async fn render(
    site: &Arc<Site>,
    visit: &Visit,
    editor: &Editor,
    id: &str,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (id, record, head) = match record_for_editor(site, editor, id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let archive = site.archive.clone();
    let wanted = id.clone();
    let versions =
        tokio::task::spawn_blocking(move || crate::workspace::history::history(&archive, &wanted))
            .await;
    let versions = match versions {
        Ok(Ok(versions)) => versions,
        Ok(Err(error)) => return WebError::internal(error).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    // Each withheld version, by name, with why, by whom and when.
    let withheld: serde_json::Map<String, serde_json::Value> = record
        .withheld_versions
        .iter()
        .map(|w| {
            let shown = json!({ "reason": w.reason, "by": w.by, "at": w.at });
            (w.version.clone(), shown)
        })
        .collect();
    let withdrawn = record
        .withdrawal
        .as_ref()
        .map(|w| json!({ "reason": w.reason, "by": w.by, "at": w.at }));
    let context = json!({
        "heading": i18n::message(
            visit.lang,
            "workspace_history_title",
            &[("record", id.to_string().into())],
        ),
        "path": format!("records/{id}"),
        "withdrawable": true,
        "audited": true,
        "record": id.as_str(),
        "title": record.title(visit.lang),
        "head": head,
        "withdrawn": withdrawn,
        "withheld": withheld,
        "versions": versions,
        "notice": notice,
        "error": error,
        "csrf": visit.csrf.clone().unwrap_or_default(),
    });
    let mut response = forms::render(site, visit, "workspace_history.html", context);
    *response.status_mut() = status;
    response
}

/// The fields of the restore, withdraw and reinstate forms (each uses the ones it needs).
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    /// The head version the page was made from.
    #[serde(default)]
    pub base: String,
    /// The version to restore, withhold or publish again.
    #[serde(default)]
    pub version: String,
    /// The restore's message.
    #[serde(default)]
    pub message: String,
    /// The reason of a withdrawal, reinstatement, withholding or publishing again.
    #[serde(default)]
    pub reason: String,
    /// The session's anti-forgery token.
    #[serde(default)]
    pub csrf: String,
}

/// Which version-writing form was posted.
#[derive(Debug, Clone, Copy)]
enum Action {
    Restore,
    Withdraw,
    Reinstate,
    Withhold,
    Release,
}

/// `POST /records/{id}/restore`: a new version whose description is `version`'s.
pub async fn restore(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    act(posted, id, form, Action::Restore).await
}

/// `POST /records/{id}/withdraw`: a new version with a withdrawal (`reason` required).
pub async fn withdraw(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    act(posted, id, form, Action::Withdraw).await
}

/// `POST /records/{id}/reinstate`: a new version without the withdrawal (`reason` required).
pub async fn reinstate(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    act(posted, id, form, Action::Reinstate).await
}

/// `POST /records/{id}/withhold`: a new version withholding the earlier `version` from the
/// public (`reason` required; never the head).
pub async fn withhold(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    act(posted, id, form, Action::Withhold).await
}

/// `POST /records/{id}/release`: a new version publishing the withheld `version` again
/// (`reason` required).
pub async fn release(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    act(posted, id, form, Action::Release).await
}

async fn act(posted: Posted, id: String, form: ActionForm, action: Action) -> Response {
    let editor = match posted.editor(&form.csrf).await {
        Ok(editor) => editor,
        Err(answer) => return answer,
    };
    let Posted { site, visit, .. } = posted;
    let (id, _, _) = match record_for_editor(&site, &editor, &id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let message = match action {
        Action::Restore => form.message.trim().to_string(),
        Action::Withdraw | Action::Reinstate | Action::Withhold | Action::Release => {
            form.reason.trim().to_string()
        }
    };
    let refuse = |name: &str, status| {
        let text = i18n::text(visit.lang, name).to_string();
        (text, status)
    };
    if message.is_empty() {
        let (text, status) = refuse(
            "workspace_message_required",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return render(
            &site,
            &visit,
            &editor,
            id.as_str(),
            None,
            Some(text),
            status,
        )
        .await;
    }
    // No fallback to the head for a missing `base`: the save refuses it (no lost update).
    let base = form.base.trim().to_string();
    let author = Author {
        login: editor.login.clone(),
        message,
    };
    let (work_site, work_id, version) = (site.clone(), id.clone(), form.version.trim().to_string());
    let saved = tokio::task::spawn_blocking(move || {
        let writer = super::writer(&work_site);
        match action {
            Action::Restore => {
                crate::workspace::restore(&writer, &work_id, &base, &version, &author)
            }
            Action::Withdraw => crate::workspace::withdraw(&writer, &work_id, &base, &author),
            Action::Reinstate => crate::workspace::reinstate(&writer, &work_id, &base, &author),
            Action::Withhold => {
                crate::workspace::withhold(&writer, &work_id, &base, &version, &author)
            }
            Action::Release => {
                crate::workspace::release(&writer, &work_id, &base, &version, &author)
            }
        }
    })
    .await;
    site.reload_index();
    let saved = saved.map_err(WebError::internal);
    let (text, status) = match settled(&visit, &format!("records/{id}"), saved) {
        Ok(answer) => return answer,
        Err(WorkspaceError::State(_)) => match action {
            Action::Reinstate => refuse("workspace_not_withdrawn", StatusCode::CONFLICT),
            Action::Withhold => refuse("workspace_already_withheld", StatusCode::CONFLICT),
            Action::Release => refuse("workspace_not_withheld", StatusCode::CONFLICT),
            _ => refuse("workspace_already_withdrawn", StatusCode::CONFLICT),
        },
        Err(WorkspaceError::CurrentVersion) => {
            refuse("workspace_withhold_head", StatusCode::CONFLICT)
        }
        Err(WorkspaceError::Resurfacing(_)) => {
            refuse("workspace_restore_withheld", StatusCode::CONFLICT)
        }
        Err(error) => match refusal(visit.lang, error) {
            Ok((status, text)) => (text, status),
            Err(answer) => return *answer,
        },
    };
    render(
        &site,
        &visit,
        &editor,
        id.as_str(),
        None,
        Some(text),
        status,
    )
    .await
}

/// `GET /workspace/withdrawn`: every withdrawn record the editor may work on, with why, by whom
/// and when, each linked to its history (where it is reinstated).
pub async fn withdrawn(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Response {
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)) else {
        return not_found();
    };
    let archive = site.archive.clone();
    let found = tokio::task::spawn_blocking(move || crate::workspace::withdrawn(&archive)).await;
    let records = match found {
        Ok(Ok(records)) => records,
        Ok(Err(error)) => return WebError::internal(error).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let records: Vec<_> = records
        .iter()
        .filter(|record| editor.may_work_on(record))
        .filter_map(|record| {
            let withdrawal = record.withdrawal.as_ref()?;
            Some(json!({
                "id": record.id.as_str(),
                "title": record.title(visit.lang),
                "reason": withdrawal.reason,
                "by": withdrawal.by,
                "at": withdrawal.at,
            }))
        })
        .collect();
    forms::render(
        &site,
        &visit,
        "workspace_withdrawn.html",
        json!({ "records": records }),
    )
}
