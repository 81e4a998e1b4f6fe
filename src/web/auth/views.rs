//! Who saw what (issue 13): every view of a non-public record or file by a signed-in person is
//! logged ([`record_view`], for the record, media and API handlers to call), and archivists read
//! the log per record at `/record/{id}/views` (and `/en/…`). To anyone else that page does not
//! exist (the same 404 as an unknown path).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::account::blocking;
use super::{Proof, SignedIn, forms};
use crate::accounts::StoreError;
use crate::model::access::{Access, Viewer};
use crate::model::{RecordId, Role};
use crate::web::Site;
use crate::web::error::WebError;
use crate::web::pages::Visit;

/// Logs that `signed` saw `record` (or one of its files, `file` as named in the record) from
/// `address`, when what was shown is not public (`access`: the record's access for the
/// description, its files' access for a file). Anonymous requests and public material are not
/// logged. Call it before sending a 200 for non-public material: an `Err` means the view could
/// not be logged, and the caller answers 503 rather than show a secret unlogged.
///
/// # Errors
/// The accounts database failed.
pub fn record_view(
    site: &Site,
    signed: Option<&SignedIn>,
    access: &Access,
    record: &RecordId,
    file: Option<&str>,
    address: Option<&str>,
) -> Result<(), StoreError> {
    let (Some(auth), Some(signed)) = (&site.auth, signed) else {
        return Ok(());
    };
    if Viewer::Anonymous.may_see(access) {
        return Ok(());
    }
    auth.accounts.log_view(signed.user, record, file, address)
}

fn archivist(visit: &Visit) -> bool {
    visit.signed_in.as_ref().is_some_and(|signed| {
        matches!(signed.role, Role::Archivist | Role::Admin)
            && signed.by == Proof::Session
            && !signed.must_enrol
    })
}

/// `GET /record/{id}/views`: the record's view log, newest first (archivists and admins).
pub async fn page(State(site): State<Arc<Site>>, visit: Visit, Path(id): Path<String>) -> Response {
    let (Some(auth), true) = (site.auth.clone(), archivist(&visit)) else {
        return WebError::NotFound.into_response();
    };
    let Ok(record) = RecordId::parse(&id) else {
        return WebError::NotFound.into_response();
    };
    let shown = record.clone();
    let Ok(rows) = blocking(&auth, move |accounts| Ok(accounts.view_log(&record)?)).await else {
        return WebError::internal("the view log cannot be read").into_response();
    };
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| {
            json!({
                "login": row.login,
                "at": super::account::date(row.at),
                "file": row.file,
                "address": row.address,
            })
        })
        .collect();
    let context = json!({ "record": shown.as_str(), "views": rows });
    forms::render(&site, &visit, "record_views.html", context)
}
