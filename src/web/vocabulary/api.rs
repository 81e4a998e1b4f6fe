//! The JSON API of artisans and products: `/api/artisans`, `/api/artisans/{id}`,
//! `/api/products`, `/api/products/{id}`, with the access rules of the pages (an artisan's
//! guarded parts only for a viewer who may see them; a product the viewer may not see answers
//! exactly as an unknown id) and errors as `{"error": {…}}` in the request's language
//! ([`crate::web::error::ApiError`]).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Linked;
use super::views::{scheme_label, stars_text};
use crate::model::access::Viewer;
use crate::model::{Artisan, Lang, Product};
use crate::web::auth::views::{Witness, exposed};
use crate::web::error::{ApiError, ApiLang, WebError};
use crate::web::pages::today_in_vietnam;
use crate::web::{Site, ViewerExtension, for_viewer, viewer_of};

/// An artisan as the API gives it: every field the viewer may see (as [`Artisan`] serialises,
/// without `schema`; `access` only to a viewer it admits), each honour with `scheme_label`
/// (`{vi, en}`), and `url` (the Vietnamese page's path).
fn artisan_json(artisan: &Artisan, viewer: &Viewer) -> Value {
    let mut value = serde_json::to_value(artisan).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.remove("schema");
        if !viewer.may_see(&artisan.access) {
            object.remove("access");
        }
    }
    if let Some(honours) = value.get_mut("honours").and_then(Value::as_array_mut) {
        for (entry, honour) in honours.iter_mut().zip(&artisan.honours) {
            entry["scheme_label"] = json!({
                "vi": scheme_label(honour.scheme, Lang::Vi),
                "en": scheme_label(honour.scheme, Lang::En),
            });
        }
    }
    value["titles"] = json!(artisan.titles());
    value["url"] = json!(format!("/artisans/{}", artisan.id));
    value
}

/// A product as the API gives it: its fields (without `schema` and `access`), `url`, and for
/// its OCOP rating `certified` (3★ or more, Decision 148/QĐ-TTg), `expires_on` (the last day
/// of validity, `null` without a certificate) and `expired` on today in Vietnam, with
/// `stars_text` in both languages. A 1★ or 2★ rating holds no certificate (Decision
/// 148/QĐ-TTg certifies 3–5★ only): `certificate`, `issued` and `expires` written on one are
/// kept in the archive but left out here (break14 finding 4).
fn product_json(product: &Product) -> Value {
    let today = today_in_vietnam();
    let mut value = serde_json::to_value(product).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.remove("schema");
        object.remove("access");
    }
    if let Some(ocop) = &product.ocop {
        value["ocop"]["certified"] = json!(ocop.is_certified());
        value["ocop"]["expires_on"] = json!(ocop.expires_on());
        value["ocop"]["expired"] = json!(ocop.is_expired(today));
        value["ocop"]["stars_text"] = json!({
            "vi": stars_text(ocop.stars, Lang::Vi),
            "en": stars_text(ocop.stars, Lang::En),
        });
        if !ocop.is_certified()
            && let Some(fields) = value["ocop"].as_object_mut()
        {
            for claim in ["certificate", "issued", "expires"] {
                fields.remove(claim);
            }
        }
    }
    value["url"] = json!(format!("/products/{}", product.id));
    value
}

/// The first page of the records linked to an artisan or a product ([`Linked`]) that `viewer`
/// may see: `{"total", "records": [{"id", "title", "title_en", "kind", "url"}]}`. Non-public
/// ones shown to a signed-in viewer are logged as search exposures.
fn linked_records(
    site: &Arc<Site>,
    viewer: &Viewer,
    witness: &Witness,
    linked: Linked,
) -> Result<Value, WebError> {
    let results = site.search_for(viewer, &linked.query())?;
    exposed(site, witness, results.hits.iter().map(|h| h.id.as_str()));
    let records: Vec<Value> = results
        .hits
        .iter()
        .map(|hit| {
            json!({"id": hit.id, "title": hit.title, "title_en": hit.title_en,
                   "kind": hit.kind, "url": hit.url})
        })
        .collect();
    Ok(json!({"total": results.total, "records": records}))
}

/// A list answer: `{"total": <items>, key: [items…]}`, private to a signed-in viewer.
fn list_answer(viewer: &Viewer, key: &str, list: Vec<Value>) -> Response {
    let answer = json!({"total": list.len(), key: list});
    for_viewer(viewer, Json(answer).into_response())
}

/// A one-item answer: `answer` with, under [`Linked::key`], the records `linked` to it that the
/// viewer may see ([`linked_records`]); errors in the request's language.
fn item_answer(
    site: &Arc<Site>,
    viewer: &Viewer,
    witness: &Witness,
    lang: ApiLang,
    mut answer: Value,
    linked: Linked,
) -> Result<Response, ApiError> {
    answer[linked.key()] =
        linked_records(site, viewer, witness, linked).map_err(|e| ApiError::new(e, lang))?;
    Ok(for_viewer(viewer, Json(answer).into_response()))
}

/// `GET /api/artisans`: `{"total", "artisans": […]}`, every artisan as the viewer may see them,
/// by id.
pub async fn artisans(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
) -> Result<Response, ApiError> {
    let viewer = viewer_of(viewer);
    let list: Vec<Value> = site
        .authorities()
        .artisans_shown(&viewer)
        .iter()
        .map(|a| artisan_json(a, &viewer))
        .collect();
    Ok(list_answer(&viewer, "artisans", list))
}

/// `GET /api/artisans/{id}`: one artisan as the viewer may see them, with `works` (the first
/// page of the records naming them that the viewer may see); `not_found` when unknown.
pub async fn artisan(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    witness: Witness,
    lang: ApiLang,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let viewer = viewer_of(viewer);
    let artisan = site
        .authorities()
        .artisan(&id, &viewer)
        .ok_or_else(|| ApiError::new(WebError::NotFound, lang))?;
    let answer = artisan_json(&artisan, &viewer);
    item_answer(&site, &viewer, &witness, lang, answer, Linked::Artisan(&id))
}

/// `GET /api/products`: `{"total", "products": […]}`, the products the viewer may see, by id.
pub async fn products(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
) -> Result<Response, ApiError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let list: Vec<Value> = authorities
        .products_shown(&viewer)
        .map(product_json)
        .collect();
    Ok(list_answer(&viewer, "products", list))
}

/// `GET /api/products/{id}`: a product the viewer may see, with `records` (the first page of
/// the records showing it that the viewer may see); `not_found`, the same answer as for an
/// unknown id, otherwise.
pub async fn product(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    witness: Witness,
    lang: ApiLang,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let product = authorities
        .product(&id, &viewer)
        .ok_or_else(|| ApiError::new(WebError::NotFound, lang))?;
    let answer = product_json(product);
    item_answer(&site, &viewer, &witness, lang, answer, Linked::Product(&id))
}
