//! `GET /workspace/uploads` (and `/en/…`): the archivist's upload page (archivists only, as
//! every upload and batch route; the site's 404 for anyone else). It states the limits
//! in words before anything is sent (the size of one file, how long an unfinished upload is
//! kept, how many may be unfinished) and how long the staging area keeps uploads and batches
//! ([`crate::workspace::staging`]), offers the file picker the upload script
//! (`/static/upload.js`, the site's own) sends through the resumable protocol ([`super::tus`]),
//! and lists the archivist's own uploads with how much of each arrived, with a form making a
//! batch of the finished ones ([`super::batches`]) and a button cancelling each (`POST
//! /workspace/uploads/{id}/cancel`, a form for pages without JavaScript), and the archivist's
//! batches (each one's report is kept on its page).

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Editor, Posted, not_found};
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::uploads::{Upload, UploadError, size_in_words};

/// `GET /workspace/uploads`.
pub async fn page(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Response {
    // Archivists only: uploads become batches (`super::batches::may_batch`).
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)).filter(super::batches::may_batch)
    else {
        return not_found();
    };
    render(&site, &visit, &editor, None).await
}

/// `POST /workspace/uploads/{id}/cancel` (`csrf`): the archivist's upload `id`, finished or
/// not, is removed (what `DELETE` does in the resumable protocol, for a page without
/// JavaScript); answers the upload page saying so. Another account's or an unknown upload: the
/// site's 404; one receiving bytes at this instant: `409`, saying to try again.
pub async fn cancel(
    posted: Posted,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = pairs
        .iter()
        .find(|(key, _)| key == "csrf")
        .map_or("", |(_, value)| value.as_str());
    let editor = match posted.editor(csrf).await {
        Ok(editor) if super::batches::may_batch(&editor) => editor,
        Ok(_) => return not_found(),
        Err(answer) => return answer,
    };
    let Posted { site, visit, .. } = posted;
    let (work, login) = (site.clone(), editor.login.clone());
    let removed = tokio::task::spawn_blocking(move || {
        let (upload, _) = work.uploads.get(&login, &id)?;
        work.uploads.remove(&login, &id)?;
        Ok::<_, UploadError>(upload)
    })
    .await;
    match removed {
        Ok(Ok(upload)) => {
            let notice = i18n::message(
                visit.lang,
                "upload_cancelled",
                &[("name", name_of(&upload).into())],
            );
            render(&site, &visit, &editor, Some(notice)).await
        }
        Ok(Err(UploadError::NotFound)) => not_found(),
        Ok(Err(UploadError::Busy)) => forms::message_page(
            &site,
            &visit,
            StatusCode::CONFLICT,
            i18n::text(visit.lang, "upload_busy"),
        ),
        Ok(Err(error)) => WebError::internal(error).into_response(),
        Err(error) => WebError::internal(error).into_response(),
    }
}

/// The name an upload is listed by: the path it was uploaded with, else its file name, else
/// its id.
fn name_of(upload: &Upload) -> String {
    upload
        .metadata
        .get("relativePath")
        .filter(|path| !path.is_empty())
        .or_else(|| upload.metadata.get("filename"))
        .cloned()
        .unwrap_or_else(|| upload.id.clone())
}

/// `time` as RFC 3339 to the second (UTC).
fn when(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// The upload page of `editor`, with `notice` (what a form just did) above the lists.
async fn render(
    site: &Arc<Site>,
    visit: &Visit,
    editor: &Editor,
    notice: Option<String>,
) -> Response {
    let listed = {
        let (site, login) = (site.clone(), editor.login.clone());
        tokio::task::spawn_blocking(move || {
            let uploads = site.uploads.list(&login).map_err(WebError::internal)?;
            let batches = site.batches.list(&login).map_err(WebError::internal)?;
            Ok::<_, WebError>((uploads, batches))
        })
        .await
    };
    let (uploads, batches) = match listed {
        Ok(Ok(listed)) => listed,
        Ok(Err(error)) => return error.into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let limits = *site.uploads.limits();
    let batches: Vec<_> = batches
        .iter()
        .map(|batch| {
            json!({
                "id": batch.id,
                "name": batch.name,
                "state": i18n::text(visit.lang, super::batches::state_message(batch.state)),
                "created": when(UNIX_EPOCH + Duration::from_secs(batch.created)),
            })
        })
        .collect();
    let uploads: Vec<_> = uploads
        .iter()
        .map(|(upload, offset)| {
            json!({
                "id": upload.id,
                "name": name_of(upload),
                "received": size_in_words(*offset),
                "length": size_in_words(upload.length),
                "percent": (offset * 100).checked_div(upload.length).unwrap_or(100),
                "done": *offset == upload.length,
                "expires": when(upload.expires(&limits, *offset)),
            })
        })
        .collect();
    let days = |lifetime: Duration| lifetime.as_secs() / (24 * 3600);
    forms::render(
        site,
        visit,
        "workspace_uploads.html",
        json!({
            "notice": notice,
            "uploads": uploads,
            "batches": batches,
            "endpoint": super::tus::PATH,
            "max_bytes": limits.max_size,
            "max": size_in_words(limits.max_size),
            "hours": limits.expiry.as_secs() / 3600,
            "count": limits.max_unfinished,
            "finished_days": days(limits.finished),
            "unconfirmed_days": days(limits.unconfirmed),
            "ingested_days": days(limits.ingested),
        }),
    )
}
