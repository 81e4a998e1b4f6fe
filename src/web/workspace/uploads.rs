//! `GET /workspace/uploads` (and `/en/…`): the archivist's upload page (archivists only, as
//! every upload and batch route; the site's 404 for anyone else). It states the limits
//! in words before anything is sent (the size of one file, how long an unfinished upload is
//! kept, how many may be unfinished), offers the file picker the upload script
//! (`/static/upload.js`, the site's own) sends through the resumable protocol ([`super::tus`]),
//! and lists the archivist's own uploads with how much of each arrived, with a form making a
//! batch of the finished ones ([`super::batches`]), and the archivist's batches (each one's
//! report is kept on its page).

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Editor, not_found};
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::uploads::size_in_words;

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
    let listed = {
        let site = site.clone();
        tokio::task::spawn_blocking(move || {
            let uploads = site
                .uploads
                .list(&editor.login)
                .map_err(WebError::internal)?;
            let batches = site
                .batches
                .list(&editor.login)
                .map_err(WebError::internal)?;
            Ok::<_, WebError>((uploads, batches))
        })
        .await
    };
    let (uploads, batches) = match listed {
        Ok(Ok(listed)) => listed,
        Ok(Err(error)) => return error.into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let batches: Vec<_> = batches
        .iter()
        .map(|batch| {
            json!({
                "id": batch.id,
                "name": batch.name,
                "state": i18n::text(visit.lang, super::batches::state_message(batch.state)),
                "created": humantime::format_rfc3339_seconds(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(batch.created)
                )
                .to_string(),
            })
        })
        .collect();
    let limits = *site.uploads.limits();
    let uploads: Vec<_> = uploads
        .iter()
        .map(|(upload, offset)| {
            let name = upload
                .metadata
                .get("relativePath")
                .or_else(|| upload.metadata.get("filename"))
                .cloned()
                .unwrap_or_else(|| upload.id.clone());
            json!({
                "id": upload.id,
                "name": name,
                "received": size_in_words(*offset),
                "length": size_in_words(upload.length),
                "percent": (offset * 100).checked_div(upload.length).unwrap_or(100),
                "done": *offset == upload.length,
                "expires": humantime::format_rfc3339_seconds(upload.expires(&limits)).to_string(),
            })
        })
        .collect();
    forms::render(
        &site,
        &visit,
        "workspace_uploads.html",
        json!({
            "uploads": uploads,
            "batches": batches,
            "endpoint": super::tus::PATH,
            "max_bytes": limits.max_size,
            "max": size_in_words(limits.max_size),
            "hours": limits.expiry.as_secs() / 3600,
            "count": limits.max_unfinished,
        }),
    )
}
