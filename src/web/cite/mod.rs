//! Citing a record (issue 16): the "cite this record" block of its page, the citation files
//! (`/records/{id}/cite.ris`, `cite.bib`, `cite.json`) and the pages and files of an earlier
//! OCFL version (`/records/{id}/v3`, `/records/{id}/v3/cite.ris`).
//!
//! Every citation names the OCFL version it was taken from and that version's URL, which keeps
//! resolving: the versioned page shows the record as that version held it, to whoever may see
//! the record now and could see it in that version ([`super::Site::record_at_for`] owns that
//! decision; anything else is the same 404 as an unknown id). The formats themselves are pure
//! functions in [`formats`].
//!
//! Citation files are made from the same projection as the page, for the same viewer, and are
//! logged as a view of the record (`api`) like the JSON API's answer.

pub mod formats;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use self::formats::Source;
use super::error::WebError;
use super::pages::Visit;
use super::site::{CitedVersion, looks_like_version};
use super::views::RecordPage;
use super::{Site, ViewerExtension, for_viewer, viewer_of};
use crate::model::Lang;
use crate::model::access::Viewer;

/// The validator (`ETag`) of an earlier version's page or of a citation file: weak (the same
/// content is sent gzip, brotli or plain), from the SHA-256 of the uncoded bytes. An earlier
/// version never changes, so a cache revalidates it for a bodiless 304; it is still
/// `Cache-Control: no-cache` like every record page, never `immutable`, since a record hidden
/// since must be a 404 at the next request, and the visibility check runs before this one.
pub fn etag_of(bytes: &[u8]) -> HeaderValue {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"\""))
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, RFC 9110 §13.1.2) or is
/// `*`.
pub fn not_modified(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
}

/// `304 Not Modified` with `etag`.
pub fn unmodified(etag: HeaderValue) -> Response {
    let mut response = axum::http::StatusCode::NOT_MODIFIED.into_response();
    response.headers_mut().insert(header::ETAG, etag);
    response
}

/// A citation file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RIS (`cite.ris`, `application/x-research-info-systems`).
    Ris,
    /// BibTeX (`cite.bib`, `application/x-bibtex`).
    Bibtex,
    /// CSL-JSON (`cite.json`, `application/vnd.citationstyles.csl+json`).
    Csl,
}

impl Format {
    /// The format a file name asks for (`cite.ris`, `cite.bib`, `cite.json`).
    pub fn from_file(name: &str) -> Option<Format> {
        match name {
            "cite.ris" => Some(Format::Ris),
            "cite.bib" => Some(Format::Bibtex),
            "cite.json" => Some(Format::Csl),
            _ => None,
        }
    }

    /// The media type sent (text formats say they are UTF-8).
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Ris => "application/x-research-info-systems; charset=utf-8",
            Format::Bibtex => "application/x-bibtex; charset=utf-8",
            Format::Csl => "application/vnd.citationstyles.csl+json",
        }
    }

    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Ris => "ris",
            Format::Bibtex => "bib",
            Format::Csl => "json",
        }
    }

    /// The file's text.
    fn render(self, source: &Source<'_>) -> String {
        match self {
            Format::Ris => formats::ris(source),
            Format::Bibtex => formats::bibtex(source),
            Format::Csl => {
                let mut text = serde_json::to_string_pretty(&formats::csl_document(source))
                    .unwrap_or_default();
                text.push('\n');
                text
            }
        }
    }
}

/// The "cite this record" block of a record page: plain text in Vietnamese and in English,
/// BibTeX, RIS, the version cited and its URL, and links to the citation files (of that version
/// on an earlier version's page). Empty citations (`null`) only for an object without a head
/// version.
pub fn view(page: &RecordPage<'_>) -> Value {
    let Some(version) = page.version else {
        return Value::Null;
    };
    let source = Source {
        record: page.record,
        version,
        origin: page.origin,
    };
    let base = if version.is_current() {
        format!(
            "{}/records/{}",
            super::i18n::prefix(page.lang),
            page.record.id
        )
    } else {
        format!(
            "{}/records/{}/{}",
            super::i18n::prefix(page.lang),
            page.record.id,
            version.name
        )
    };
    json!({
        "plain_vi": formats::plain(&source, Lang::Vi),
        "plain_en": formats::plain(&source, Lang::En),
        "bibtex": formats::bibtex(&source),
        "ris": formats::ris(&source),
        "version": version.name,
        "version_day": version.day,
        "version_url": source.version_url(page.lang),
        "files": {
            "ris": format!("{base}/cite.ris"),
            "bib": format!("{base}/cite.bib"),
            "json": format!("{base}/cite.json"),
        },
    })
}

/// `GET /records/{id}/{part}` (and under `/en`): `part` is a version (`v3`: the record as that
/// version held it) or a citation file of the current version (`cite.ris`, `cite.bib`,
/// `cite.json`); anything else is 404.
pub async fn record_part(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    witness: super::auth::views::Witness,
    Path((id, part)): Path<(String, String)>,
    request: HeaderMap,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    if looks_like_version(&part) {
        return super::pages::record_page(site, viewer, visit, witness, &id, Some(&part), request)
            .await;
    }
    let format = Format::from_file(&part).ok_or(WebError::NotFound)?;
    download(&site, &viewer, &witness, &id, None, format, &request).await
}

/// `GET /records/{id}/{version}/{file}` (and under `/en`): a citation file of an earlier version
/// (`/records/x/v3/cite.ris`), to whoever may see that version.
pub async fn version_file(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    witness: super::auth::views::Witness,
    Path((id, version, file)): Path<(String, String, String)>,
    request: HeaderMap,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let format = Format::from_file(&file).ok_or(WebError::NotFound)?;
    if !looks_like_version(&version) {
        return Err(WebError::NotFound);
    }
    download(
        &site,
        &viewer,
        &witness,
        &id,
        Some(&version),
        format,
        &request,
    )
    .await
}

/// A citation file of record `id` (at `version`, else its current version) for `viewer`.
async fn download(
    site: &Arc<Site>,
    viewer: &Viewer,
    witness: &super::auth::views::Witness,
    id: &str,
    version: Option<&str>,
    format: Format,
    request: &HeaderMap,
) -> Result<Response, WebError> {
    let (record, cited) = match version {
        None => {
            let (record, inventory, _) = site.record_for(viewer, id)?;
            let cited = CitedVersion::head(&inventory).ok_or(WebError::NotFound)?;
            (record, cited)
        }
        Some(version) => {
            let at = site.record_at_for(viewer, id, version)?;
            (at.record, at.version)
        }
    };
    witness
        .saw_record(site, id, crate::accounts::ViewKind::Api)
        .await?;
    let origin = site.origin();
    let source = Source {
        record: &record,
        version: &cited,
        origin: &origin,
    };
    let body = format.render(&source);
    let etag = etag_of(body.as_bytes());
    if not_modified(request, &etag) {
        return Ok(for_viewer(viewer, unmodified(etag)));
    }
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!(
        "attachment; filename=\"{}.{}\"",
        source.key(),
        format.extension()
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(WebError::internal)?,
    );
    headers.insert(header::ETAG, etag);
    Ok(for_viewer(viewer, response))
}
