//! The JSON API: `/api/search`, `/api/suggest` and `/api/records/{id}`, and the OpenAPI 3.1
//! description of the whole API (`/api/openapi.json`, [`OPENAPI`]).
//!
//! Errors answer `{"error": {"code", "message", "parameter"?}}` in the request's language
//! ([`ApiLang`]; codes in [`super::error`]).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::{ApiError, ApiLang, Refusal, WebError};
use super::{Site, parse_query};
use crate::index::location::Status;
use crate::index::search::has_derivative;
use crate::model::Lang;

/// The OpenAPI 3.1 description of every `/api/` route (`src/web/openapi.json`, kept by hand):
/// its paths, parameters, and a schema for each answer, errors included. The integration tests
/// (`tests/it/openapi.rs`) validate the document and real answers of every route against it.
pub const OPENAPI: &str = include_str!("openapi.json");

/// `GET /api/openapi.json`: [`OPENAPI`], the same for everyone.
pub async fn openapi() -> Response {
    let mut response = OPENAPI.into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    response
}

/// `GET /api/search?q=&kind=&village=&craft=&page=`: one page of results, with `pages` (the
/// number of the last page) and, for a page past it, `page_out_of_range` saying so. Non-public
/// hits shown to a signed-in viewer are logged as search exposures
/// ([`super::auth::views::exposed`]).
pub async fn search(
    State(site): State<Arc<Site>>,
    viewer: super::ViewerExtension,
    witness: super::auth::views::Witness,
    lang: ApiLang,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let viewer = super::viewer_of(viewer);
    let fail = |error| ApiError::new(error, lang);
    let query = parse_query(&params).map_err(fail)?;
    let results = site.search_for(&viewer, &query).map_err(fail)?;
    super::auth::views::exposed(&site, &witness, results.hits.iter().map(|h| h.id.as_str()));
    let pages = super::views::last_page(results.total);
    let mut answer = json!({
        "total": results.total,
        "page": query.page,
        "pages": pages,
        "hits": results.hits,
        "facets": results.facets,
        "notices": super::notices::json(&results.notices),
    });
    if query.page > pages {
        let past_end = |lang| {
            let args = [("page", query.page.into()), ("last", pages.into())];
            super::i18n::message(lang, "page_past_end", &args)
        };
        // Past the end (a stale or edited link): no hits, and saying so rather than "none".
        answer["page_out_of_range"] = json!({
            "last_page": pages,
            "message": past_end(Lang::En),
            "message_vi": past_end(Lang::Vi),
        });
    }
    Ok(super::for_viewer(&viewer, Json(answer).into_response()))
}

/// The longest text `/api/suggest` takes, in characters.
const MAX_SUGGEST_CHARS: usize = 100;

/// `GET /api/suggest?q=[&lang=vi|en]`: villages, crafts and record titles that what was typed
/// begins, labelled and linked in `lang` (Vietnamese when absent). Non-public records suggested
/// to a signed-in viewer are logged as search exposures ([`super::auth::views::exposed`]).
pub async fn suggest(
    State(site): State<Arc<Site>>,
    viewer: super::ViewerExtension,
    witness: super::auth::views::Witness,
    answer_lang: ApiLang,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let viewer = super::viewer_of(viewer);
    let fail = |error| ApiError::new(error, answer_lang);
    let typed = params.get("q").map(String::as_str).unwrap_or_default();
    if typed.chars().count() > MAX_SUGGEST_CHARS {
        return Err(fail(WebError::BadRequest(Refusal::TooLong {
            parameter: "q".to_string(),
            max: MAX_SUGGEST_CHARS,
        })));
    }
    let lang = match params.get("lang").map(String::as_str) {
        None | Some("vi") => Lang::Vi,
        Some("en") => Lang::En,
        Some(other) => {
            return Err(fail(WebError::BadRequest(Refusal::BadLang {
                value: other.to_string(),
            })));
        }
    };
    let suggestions = site.suggest_for(&viewer, typed, lang).map_err(fail)?;
    // Records are suggested with a link to their page (`/records/{id}`, `/en/records/{id}`).
    let records = suggestions.iter().filter_map(|suggestion| {
        let url = suggestion
            .url
            .strip_prefix("/en")
            .unwrap_or(&suggestion.url);
        url.strip_prefix("/records/")
    });
    super::auth::views::exposed(&site, &witness, records);
    Ok(super::for_viewer(
        &viewer,
        Json(json!({ "suggestions": suggestions })).into_response(),
    ))
}

/// `GET /api/records/{id}`: the OCFL `version` it shows (`name`, `created`, `url` of that
/// version's page) and its `citations` files, every metadata field and every file (none, and
/// `"files_reserved": true`, when the description is public and the files are not), GPS
/// positions and impossible EXIF dates left out, the body as a visitor may read it. Each file's
/// `sha256` and `size` are those of what its `url` sends (no `sha256` for a withheld file), with
/// `location_removed`, `withheld` and `preserved_original: {"differs"}`. Pictures give `width`
/// and `height` as stored and `displayed_width` and `displayed_height` as shown upright (EXIF
/// orientation, a film's rotation, a HEIF image's own rotation).
pub async fn record(
    State(site): State<Arc<Site>>,
    viewer: super::ViewerExtension,
    witness: super::auth::views::Witness,
    lang: ApiLang,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let viewer = super::viewer_of(viewer);
    let fail = |error| ApiError::new(error, lang);
    // Its texts as the viewer may read them: embeds of records it may not see leave no id and
    // no caption (`Site::record_for`).
    // Products it may not see, GPS positions and impossible EXIF dates are left out there too
    // (`Site::projected_for`, which OAI-PMH's `oai_dc` is written from).
    let (record, inventory, files_reserved) = site.projected_for(&viewer, &id).map_err(fail)?;
    witness
        .saw_record(&site, &id, crate::accounts::ViewKind::Api)
        .await
        .map_err(fail)?;
    let super::media::Listing {
        copies,
        previews,
        absent,
    } = super::media::copies_and_previews(&site, &viewer, &inventory, &record)
        .await
        .map_err(fail)?;
    let mut value =
        serde_json::to_value(&record).map_err(|error| fail(WebError::internal(error)))?;
    let id = record.id.as_str();
    if let Some(files) = value.get_mut("files").and_then(Value::as_array_mut) {
        for (n, ((file, entry), copy)) in
            files.iter_mut().zip(&record.files).zip(&copies).enumerate()
        {
            // `sha256` and `size` describe what `url` sends. The preserved original's digest is
            // never published when it differs from the download: the download differs from it
            // only where the location was, so its digest would let anyone test guessed
            // positions offline. Accounts (researchers, archivists) will receive it.
            file["location_removed"] = json!(copy.status == Status::Scrubbed);
            file["withheld"] = json!(copy.status == Status::Withheld);
            file["preserved_original"] = json!({"differs": copy.status != Status::Clean});
            match (copy.status, copy.sha256, copy.size) {
                (Status::Clean | Status::Scrubbed, Some(sha), Some(size)) => {
                    file["url"] = json!(super::views::media_url(id, &entry.path));
                    file["sha256"] = json!(sha);
                    file["size"] = json!(size);
                }
                _ => {
                    if let Some(file) = file.as_object_mut() {
                        file.remove("sha256");
                    }
                }
            }
            if let Some((width, height)) = entry.displayed_size() {
                file["displayed_width"] = json!(width);
                file["displayed_height"] = json!(height);
            }
            if has_derivative(&entry.format.mime) && previews[n] {
                file["iiif"] = json!(format!("/iiif/3/{id}/{n}"));
                file["display"] = json!(format!("/media/{id}/display/{n}"));
                file["thumbnail"] = json!(format!("/media/{id}/thumb/{n}"));
            }
        }
        // A file absent for the viewer (a Markdown original naming what it may not see) is not
        // listed at all: no name, URL, size or digest, as for a file that never existed.
        let mut n = 0;
        files.retain(|_| {
            n += 1;
            !absent[n - 1]
        });
    }
    value["url"] = json!(format!("/records/{id}"));
    // The version this answer shows, which a citation names, and its citation files (issue 16).
    if let Some(version) = super::site::CitedVersion::head(&inventory) {
        value["version"] = json!({
            "name": version.name,
            "created": version.created,
            "url": format!("/records/{id}/{}", version.name),
        });
    }
    value["citations"] = json!({
        "ris": format!("/records/{id}/cite.ris"),
        "bibtex": format!("/records/{id}/cite.bib"),
        "csl_json": format!("/records/{id}/cite.json"),
    });
    // Manifests are made for the public only (`super::iiif::manifest`).
    if site.is_visible_for(&crate::model::access::Viewer::Anonymous, id)
        && !files_reserved
        && super::iiif::manifest::may_have_canvas(&record)
    {
        value["iiif_manifest"] = json!(format!("/iiif/3/{id}/manifest"));
    }
    if files_reserved {
        // Said, never for whom: the files rule would name the community.
        value["files_reserved"] = json!(true);
    }
    Ok(super::for_viewer(&viewer, Json(value).into_response()))
}
