//! The HTML pages of artisans and products (`/artisans`, `/artisans/{id}`, `/products`,
//! `/products/{id}`, and `/en/…`) and the village page (`/villages/{id}`), which shows the
//! issue-14 facts beside its records.
//!
//! None of these pages is kept in the site's page cache or given an `ETag`: a product page says
//! whether its certificate has expired on the day it is read (Vietnam's day, from the server
//! clock), so each answer is made when asked and marked `no-cache` (anonymous) or `private,
//! no-store` (signed in) by the layers, and no cache can serve yesterday's answer.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Linked, jsonld, views};
use crate::index::search::SearchQuery;
use crate::model::access::Viewer;
use crate::model::{Artisan, Kind, Product};
use crate::web::auth::views::{Witness, exposed};
use crate::web::error::WebError;
use crate::web::linked::script_safe;
use crate::web::pages::{Visit, page, records_of, today_in_vietnam};
use crate::web::{Site, ViewerExtension, viewer_of};

/// The first page of the records linked to an artisan or a product ([`Linked`]) that `viewer`
/// may see (in the viewer's scope), for a template, with badges. Records the public may not
/// see, shown to a signed-in viewer, are logged as search exposures
/// ([`crate::web::auth::views::exposed`]), as search results are.
fn linked_records(
    site: &Arc<Site>,
    viewer: &Viewer,
    visit: &Visit,
    witness: &Witness,
    linked: Linked,
) -> Result<Value, WebError> {
    let view = records_of(site, viewer, visit, linked.query(), &site.authorities())?;
    let ids = view["hits"].as_array().into_iter().flatten();
    exposed(site, witness, ids.filter_map(|hit| hit["id"].as_str()));
    Ok(view)
}

/// The page of one artisan or product: `template` with `context` and, under [`Linked::key`],
/// the records `linked` to it that the viewer may see ([`linked_records`]).
fn item_page(
    site: &Arc<Site>,
    viewer: &Viewer,
    visit: &Visit,
    witness: &Witness,
    template: &str,
    mut context: Value,
    linked: Linked,
) -> Result<Response, WebError> {
    context[linked.key()] = linked_records(site, viewer, visit, witness, linked)?;
    page(site, visit, viewer, template, context)
}

/// `GET /artisans`: every artisan, by name, with village, crafts and titles.
pub async fn artisans(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let mut artisans: Vec<Artisan> = authorities.artisans_shown(&viewer);
    artisans.sort_by_cached_key(|a| crate::model::text::sort_key(&a.name));
    let cards: Vec<Value> = artisans
        .iter()
        .map(|a| views::artisan_card(a, &authorities, visit.lang))
        .collect();
    page(
        &site,
        &visit,
        &viewer,
        "artisans.html",
        json!({"artisans": cards}),
    )
}

/// `GET /artisans/{id}`: one artisan as the viewer may see them, with their honours, their
/// works and a schema.org `Person`.
pub async fn artisan(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    witness: Witness,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let artisan = authorities
        .artisan(&id, &viewer)
        .ok_or(WebError::NotFound)?;
    let view = views::artisan_view(&artisan, &authorities, visit.lang);
    let person = jsonld::person(&artisan, &authorities, &site.origin(), visit.lang);
    let context = json!({"artisan": view, "jsonld": script_safe(&person),
                         "edit_path": format!("artisans/{id}")});
    let linked = Linked::Artisan(&id);
    item_page(
        &site,
        &viewer,
        &visit,
        &witness,
        "artisan.html",
        context,
        linked,
    )
}

/// `GET /products`: the products the viewer may see, by name, with their OCOP stars and
/// certificate validity today.
pub async fn products(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let today = today_in_vietnam();
    let mut products: Vec<&Product> = authorities.products_shown(&viewer).collect();
    products.sort_by_cached_key(|p| crate::model::text::sort_key(&p.name));
    let cards: Vec<Value> = products
        .iter()
        .map(|p| views::product_card(p, &authorities, visit.lang, today))
        .collect();
    page(
        &site,
        &visit,
        &viewer,
        "products.html",
        json!({"products": cards}),
    )
}

/// `GET /products/{id}`: a product the viewer may see (else the site's 404, the same as for an
/// unknown id), its certificate valid or expired today, the records that show it and a
/// schema.org `Product`.
pub async fn product(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    witness: Witness,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let product = authorities
        .product(&id, &viewer)
        .ok_or(WebError::NotFound)?;
    let today = today_in_vietnam();
    let view = views::product_view(product, &authorities, visit.lang, today);
    let node = jsonld::product(product, &authorities, &site.origin(), visit.lang, today);
    let context = json!({"product": view, "jsonld": script_safe(&node),
                         "edit_path": format!("products/{id}")});
    let linked = Linked::Product(&id);
    item_page(
        &site,
        &viewer,
        &visit,
        &witness,
        "product.html",
        context,
        linked,
    )
}

/// `GET /villages/{id}`: the village, its issue-14 facts ([`views::village_facts`]), its
/// stories and its records.
pub async fn village(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let village = authorities.villages.get(&id).ok_or(WebError::NotFound)?;
    let view = crate::web::views::village_view(village, &authorities, &viewer, visit.lang);
    let facts = views::village_facts(
        village,
        &authorities,
        &viewer,
        visit.lang,
        today_in_vietnam(),
    );
    let in_village = SearchQuery {
        village: Some(id.clone()),
        ..SearchQuery::default()
    };
    let records = records_of(&site, &viewer, &visit, in_village.clone(), &authorities)?;
    let stories_query = SearchQuery {
        kind: Some(Kind::Story.as_str().to_string()),
        ..in_village
    };
    let stories = records_of(&site, &viewer, &visit, stories_query, &authorities)?;
    let crafts = view["crafts"].clone();
    page(
        &site,
        &visit,
        &viewer,
        "village.html",
        json!({"village": view, "facts": facts, "crafts": crafts, "results": records,
               "stories": stories, "edit_path": format!("villages/{id}")}),
    )
}
