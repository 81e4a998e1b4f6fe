//! IIIF Presentation API 3.0 manifests (<https://iiif.io/api/presentation/3.0/>) of public
//! records, at `/iiif/3/{record-id}/manifest`, so a IIIF viewer can open a whole record.
//!
//! A manifest is made for the public only: it is answered as to an anonymous visitor whoever
//! asks, so a record that is not public is the site's 404 of an unknown record, and a public
//! record whose files are not public has no canvas. Its texts are language maps (`vi`, `en`):
//! `label` from `dc.title`, `summary` from `dc.description`, `metadata` (date, kind, village,
//! craft, creator) and `requiredStatement` from `dc.rights`. Canvases, in the order of the
//! record's files (`n` as in `/iiif/3/{record-id}/{n}`):
//! - an image with a display image: a canvas of the image's size (the original's, when it has a
//!   deep-zoom pyramid; else the display image's), painted by its `full/max` image with the IIIF
//!   image service ([`super`]);
//! - a film or a sound recording the public may download: a canvas with its `duration` (and a
//!   film's size), painted by the file, with each WebVTT file of the record as a `supplementing`
//!   annotation (its language from the file name, as on the record page).
//!
//! Collections (`/iiif/3/collection/village/{id}`, `/iiif/3/collection/craft/{id}`) list the
//! manifests of a village's or craft's public records, read from the public search index.
//!
//! Not yet: canvases per page of a PDF.
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::super::Site;
use super::super::error::WebError;
use super::super::i18n;
use crate::index::derivatives::Rendition;
use crate::index::location::Status;
use crate::index::search::has_derivative;
use crate::model::access::Viewer;
use crate::model::{Lang, Record};

/// The JSON-LD context of Presentation API 3.0.
pub const PRESENTATION_CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// The viewer another site offers for any IIIF manifest (Mirador's, by the IIIF Consortium's
/// Mirador project), opening `manifest` through its `iiif-content` parameter (IIIF Content State
/// API 1.0, §2.3). The link leaves the site only when followed.
pub const ELSEWHERE: &str = "https://projectmirador.org/embed/?iiif-content=";

/// The link that opens `manifest` (an absolute URL) in [`ELSEWHERE`]'s viewer, the manifest's
/// URL percent-encoded (RFC 3986 unreserved characters kept).
pub fn elsewhere(manifest: &str) -> String {
    let mut link = String::from(ELSEWHERE);
    for byte in manifest.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            link.push(byte as char);
        } else {
            link.push_str(&format!("%{byte:02X}"));
        }
    }
    link
}

/// A language map of one message of the interface in both languages.
fn message_map(key: &str) -> Value {
    json!({"vi": [i18n::text(Lang::Vi, key)], "en": [i18n::text(Lang::En, key)]})
}

/// A language map of a Dublin Core term of `record` (each language's values), `None` when the
/// record has no value.
fn dc_map(record: &Record, term: &str) -> Option<Value> {
    let values = record.dc.get(term)?;
    let mut map = serde_json::Map::new();
    for (lang, code) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        let texts: Vec<&str> = values
            .iter()
            .filter(|value| value.lang == lang)
            .map(|value| value.value.as_str())
            .collect();
        if !texts.is_empty() {
            map.insert(code.to_string(), json!(texts));
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

/// Whether `record` (as a viewer sees it) has a file a canvas can be made of: an image with a
/// display image, or a film or sound recording with a duration. A manifest needs at least one
/// canvas (Presentation 3.0, §3.2 `items`), so a record without one has no manifest.
pub fn may_have_canvas(record: &Record) -> bool {
    record.files.iter().any(|file| {
        let mime = file.format.mime.as_str();
        has_derivative(mime)
            || ((mime.starts_with("video/") || mime.starts_with("audio/"))
                && file.technical.duration_seconds.is_some_and(|d| d > 0.0))
    })
}

/// `GET /iiif/3/{id}/manifest`: the manifest of a public record, else the site's 404 (also
/// when it would have no canvas: no file the public may see is an image, film or sound).
pub async fn manifest(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let public = Viewer::Anonymous;
    let (record, inventory, _) = site.record_for(&public, &id)?;
    let listing =
        super::super::media::copies_and_previews(&site, &public, &inventory, &record).await?;
    let origin = site.origin();
    let id = record.id.as_str();
    let base = format!("{origin}/iiif/3/{id}");
    let stores = site.index.stores();
    let captions: Vec<Value> = record
        .files
        .iter()
        .zip(&listing.copies)
        .filter(|(file, copy)| {
            file.format.mime == "text/vtt" && matches!(copy.status, Status::Clean)
        })
        .map(|(file, _)| {
            let name = file.path.rsplit('/').next().unwrap_or(&file.path);
            let lang = match super::super::views::subtitle_lang(name) {
                Lang::En => "en",
                Lang::Vi => "vi",
            };
            json!({
                "id": format!("{origin}{}", super::super::views::media_url(id, &file.path)),
                "type": "Text",
                "format": "text/vtt",
                "language": lang,
            })
        })
        .collect();
    let mut canvases = Vec::new();
    for (n, file) in record.files.iter().enumerate() {
        let canvas_id = format!("{base}/canvas/{n}");
        let page_id = format!("{canvas_id}/page");
        let mime = file.format.mime.as_str();
        if has_derivative(mime) && listing.previews[n] {
            let Some(display) = stores.find_derivative(&file.sha256, Rendition::Display, true)
            else {
                continue;
            };
            let Ok((display_width, display_height)) = image::image_dimensions(&display) else {
                continue;
            };
            // A canvas of the image's full size when it has a pyramid (deep zoom), painted by
            // its `full/max`, which is within the service's maxArea.
            let full = stores
                .find_pyramid(&file.sha256, true)
                .and_then(|path| super::deep::index(&path).ok())
                .map(|pyramid| (pyramid.width, pyramid.height));
            let (canvas_width, canvas_height) = full.unwrap_or((display_width, display_height));
            let (width, height) = match full {
                Some((w, h)) => super::deep::bounded_size(super::Size::Max, w, h)
                    .unwrap_or((display_width, display_height)),
                None => (display_width, display_height),
            };
            canvases.push(json!({
                "id": canvas_id,
                "type": "Canvas",
                "width": canvas_width,
                "height": canvas_height,
                "items": [{
                    "id": page_id,
                    "type": "AnnotationPage",
                    "items": [{
                        "id": format!("{page_id}/image"),
                        "type": "Annotation",
                        "motivation": "painting",
                        "body": {
                            "id": format!("{base}/{n}/full/max/0/default.jpg"),
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": width,
                            "height": height,
                            "service": [{
                                "id": format!("{base}/{n}"),
                                "type": "ImageService3",
                                "profile": "level2",
                            }],
                        },
                        "target": canvas_id,
                    }],
                }],
            }));
            continue;
        }
        let timed = mime.starts_with("video/") || mime.starts_with("audio/");
        let sendable = matches!(listing.copies[n].status, Status::Clean | Status::Scrubbed);
        let Some(duration) = file.technical.duration_seconds.filter(|d| *d > 0.0) else {
            continue;
        };
        if !timed || !sendable {
            continue;
        }
        let video = mime.starts_with("video/");
        let mut body = json!({
            "id": format!("{origin}{}", super::super::views::media_url(id, &file.path)),
            "type": if video { "Video" } else { "Sound" },
            "format": mime,
            "duration": duration,
        });
        let mut canvas = json!({
            "id": canvas_id,
            "type": "Canvas",
            "duration": duration,
        });
        if video && let Some((width, height)) = file.displayed_size() {
            body["width"] = json!(width);
            body["height"] = json!(height);
            canvas["width"] = json!(width);
            canvas["height"] = json!(height);
        }
        canvas["items"] = json!([{
            "id": page_id,
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{page_id}/media"),
                "type": "Annotation",
                "motivation": "painting",
                "body": body,
                "target": canvas_id,
            }],
        }]);
        if !captions.is_empty() {
            let annotations: Vec<Value> = captions
                .iter()
                .enumerate()
                .map(|(k, caption)| {
                    json!({
                        "id": format!("{canvas_id}/captions/{k}"),
                        "type": "Annotation",
                        "motivation": "supplementing",
                        "body": caption,
                        "target": canvas_id,
                    })
                })
                .collect();
            canvas["annotations"] = json!([{
                "id": format!("{canvas_id}/captions"),
                "type": "AnnotationPage",
                "items": annotations,
            }]);
        }
        canvases.push(canvas);
    }
    if canvases.is_empty() {
        return Err(WebError::NotFound);
    }
    let mut metadata = Vec::new();
    if let Some(date) = &record.date {
        metadata.push(
            json!({"label": message_map("iiif_date"), "value": {"none": [date.to_string()]}}),
        );
    }
    metadata.push(
        json!({"label": message_map("iiif_kind"), "value": {"none": [record.kind.as_str()]}}),
    );
    if let Some(village) = &record.village {
        metadata.push(
            json!({"label": message_map("iiif_village"), "value": {"none": [village.as_str()]}}),
        );
    }
    if let Some(craft) = &record.craft {
        metadata
            .push(json!({"label": message_map("iiif_craft"), "value": {"none": [craft.as_str()]}}));
    }
    if let Some(creator) = dc_map(&record, "creator") {
        metadata.push(json!({"label": message_map("iiif_creator"), "value": creator}));
    }
    let label = dc_map(&record, "title").unwrap_or_else(|| json!({"none": [id]}));
    let mut manifest = json!({
        "@context": PRESENTATION_CONTEXT,
        "id": format!("{base}/manifest"),
        "type": "Manifest",
        "label": label,
        "metadata": metadata,
        "homepage": [{
            "id": format!("{origin}/records/{id}"),
            "type": "Text",
            "label": dc_map(&record, "title").unwrap_or_else(|| json!({"none": [id]})),
            "format": "text/html",
        }],
        "items": canvases,
    });
    if let Some(summary) = dc_map(&record, "description") {
        manifest["summary"] = summary;
    }
    if let Some(rights) = dc_map(&record, "rights") {
        manifest["requiredStatement"] =
            json!({"label": message_map("iiif_rights"), "value": rights});
    }
    let mut response = serde_json::to_string_pretty(&manifest)
        .map_err(WebError::internal)?
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
        ),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}

/// What a collection gathers: the public records of one village or one craft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gathering {
    Village,
    Craft,
}

/// `GET /iiif/3/collection/{village|craft}/{id}`: a Presentation 3.0 Collection of the
/// manifests of the public records of a village or craft (ordered by record id), from the
/// public search index, so a record that is not public is never listed, nor one without a
/// manifest ([`may_have_canvas`]); an unknown village or craft is the site's 404.
pub async fn collection(
    State(site): State<Arc<Site>>,
    Path((which, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let gathering = match which.as_str() {
        "village" => Gathering::Village,
        "craft" => Gathering::Craft,
        _ => return Err(WebError::NotFound),
    };
    let authorities = site.authorities();
    let (name, name_en) = match gathering {
        Gathering::Village => authorities
            .villages
            .get(&id)
            .map(|v| (v.name.clone(), v.name_en.clone())),
        Gathering::Craft => authorities
            .crafts
            .get(&id)
            .map(|c| (c.name.clone(), c.name_en.clone())),
    }
    .ok_or(WebError::NotFound)?;
    let mut records = Vec::new();
    for page in 1..=crate::index::search::MAX_PAGE {
        let query = crate::index::search::SearchQuery {
            village: (gathering == Gathering::Village).then(|| id.clone()),
            craft: (gathering == Gathering::Craft).then(|| id.clone()),
            page,
            ..Default::default()
        };
        let results = site.search(&query)?;
        let done = results.hits.is_empty() || records.len() + results.hits.len() >= results.total;
        records.extend(results.hits);
        if done {
            break;
        }
    }
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records.dedup_by(|a, b| a.id == b.id);
    // Only records that have a manifest: public files, one of them a canvas.
    records.retain(|hit| {
        site.record_for(&Viewer::Anonymous, &hit.id)
            .is_ok_and(|(record, _, reserved)| !reserved && may_have_canvas(&record))
    });
    let origin = site.origin();
    let items: Vec<Value> = records
        .iter()
        .map(|hit| {
            let mut label = json!({"vi": [hit.title]});
            if let Some(en) = &hit.title_en {
                label["en"] = json!([en]);
            }
            json!({
                "id": format!("{origin}/iiif/3/{}/manifest", hit.id),
                "type": "Manifest",
                "label": label,
            })
        })
        .collect();
    let mut label = json!({"vi": [name]});
    if let Some(en) = name_en {
        label["en"] = json!([en]);
    }
    let collection = json!({
        "@context": PRESENTATION_CONTEXT,
        "id": format!("{origin}/iiif/3/collection/{which}/{id}"),
        "type": "Collection",
        "label": label,
        "items": items,
    });
    let mut response = serde_json::to_string_pretty(&collection)
        .map_err(WebError::internal)?
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
        ),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}
