//! The public site and JSON API (axum), reading the index and the archive, never writing.
//!
//! [`app`] builds the router from a [`Site`], so tests drive it directly and through a real
//! socket; [`serve`] binds it. Every route goes through [`Site::public_record`] or the public
//! search index, which holds public records only: a record that is not public does not exist
//! here, and whether it exists is decided by one lookup in that index before anything of the
//! record is read, so a hidden id answers exactly as fast as an unknown one.
//!
//! Layout: [`Site`] (the shared state and its caches, in `site/`), `layers` (what every request
//! passes), `query` (search parameters), `pages` and `views` (HTML), `api`, `media`, `iiif`
//! (IIIF Image and Presentation API 3.0, issue 16), `sitemap`, [`oai`] (OAI-PMH for
//! harvesters, issue 16), `export` (downloads of a search in the batch format, issue 16),
//! `vocabulary` (artisans, products and the village page, issue 14), `cite` (citations and
//! earlier versions of a record, issue 16), [`auth`] (signing in) and
//! [`workspace`] (archivists editing records, issue 15: the only routes that write the archive).

mod api;
pub mod auth;
mod cite;
mod compress;
pub mod csv_cell;
pub mod error;
pub mod export;
pub mod i18n;
mod iiif;
mod layers;
mod linked;
mod media;
pub mod notices;
pub mod oai;
mod pages;
pub mod province;
mod query;
pub mod said;
pub mod server;
mod session_gate;
mod site;
pub mod site_form;
mod sitemap;
pub mod templates;
mod text_names;
mod views;
mod vocabulary;
pub mod workspace;

pub use pages::today_in_vietnam;
pub use query::{MAX_PARAMETERS, parse_query};
pub use site::{AtVersion, CitedVersion, Site, Stamp};
pub use views::map;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::model::access::Viewer;

/// The Content-Security-Policy of every page: nothing from another origin, no inline script.
pub const PAGE_CSP: &str = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `Cache-Control` of everything derived from a record (pages, the API, media, sitemaps): caches
/// may store it but must revalidate before each use, so a record restricted since is never
/// served from a cache. Only static assets (CSS, scripts, fonts) are cacheable for a day.
pub const RECORD_CACHE_CONTROL: &str = "no-cache";

/// The viewer of a request: the [`Viewer`] the sign-in layer put in the request's extensions,
/// anonymous when there is none.
pub type ViewerExtension = Option<axum::extract::Extension<Viewer>>;

/// The viewer a request's [`ViewerExtension`] names (anonymous when absent).
pub fn viewer_of(extension: ViewerExtension) -> Viewer {
    extension
        .map(|axum::extract::Extension(viewer)| viewer)
        .unwrap_or_default()
}

/// A key naming the audience a response is made for, for every server cache: `public` for
/// anonymous visitors, else the viewer's role and sorted communities (`researcher:a,b`), so two
/// viewers share a cached response only when every decision of [`Viewer::may_see`] is the same
/// for both.
pub fn audience_key(viewer: &Viewer) -> String {
    match viewer {
        Viewer::Anonymous => "public".to_string(),
        Viewer::Account { role, groups } => {
            let groups: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
            format!("{role}:{}", groups.join(","))
        }
    }
}

/// Marks a response made for a signed-in viewer as theirs alone: `Cache-Control: private,
/// no-store` and `Vary: Cookie, Authorization`, so no shared cache keeps or serves it to
/// anyone else. Anonymous responses are returned unchanged.
pub fn for_viewer(
    viewer: &Viewer,
    mut response: axum::response::Response,
) -> axum::response::Response {
    if *viewer != Viewer::Anonymous {
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("private, no-store"),
        );
        headers.insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("Cookie, Authorization"),
        );
    }
    response
}

/// The pages, the same in both languages (the language comes from the path).
fn pages() -> Router<Arc<Site>> {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/records/{id}", get(pages::record))
        .route("/records/{id}/{part}", get(cite::record_part))
        .route("/records/{id}/{version}/{file}", get(cite::version_file))
        .route("/villages", get(pages::villages))
        .route("/villages/{id}", get(vocabulary::pages::village))
        .route("/artisans", get(vocabulary::pages::artisans))
        .route("/artisans/{id}", get(vocabulary::pages::artisan))
        .route("/products", get(vocabulary::pages::products))
        .route("/products/{id}", get(vocabulary::pages::product))
        .route("/crafts/{id}", get(pages::craft))
        .route("/festivals", get(pages::festivals))
        .route("/stories", get(pages::stories))
        .route("/province", get(province::page))
        .route("/province.csv", get(province::csv))
        .route("/export/metadata.csv", get(export::metadata))
        .route("/export/{name}", get(export::authority_or_records))
}

/// The router.
pub fn app(site: Arc<Site>) -> Router {
    let catalogue = Router::new()
        .merge(pages())
        .nest("/en", pages())
        .route("/sitemap.xml", get(sitemap::index))
        .route("/oai", get(oai::get).post(oai::post))
        .route("/sitemaps/{name}", get(sitemap::part))
        .route("/media/{id}/{rendition}/{*path}", get(media::media))
        .route("/iiif/3/{id}/manifest", get(iiif::manifest::manifest))
        .route(
            "/iiif/3/collection/{which}/{id}",
            get(iiif::manifest::collection),
        )
        .route("/iiif/3/{id}/{n}", get(iiif::base))
        .route("/iiif/3/{id}/{n}/info.json", get(iiif::info))
        .route(
            "/iiif/3/{id}/{n}/{region}/{size}/{rotation}/{quality}",
            get(iiif::image),
        )
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/search", get(api::search))
        .route("/api/suggest", get(api::suggest))
        .route("/api/records/{id}", get(api::record))
        .route("/api/artisans", get(vocabulary::api::artisans))
        .route("/api/artisans/{id}", get(vocabulary::api::artisan))
        .route("/api/products", get(vocabulary::api::products))
        .route("/api/products/{id}", get(vocabulary::api::product))
        .route("/api/{*rest}", axum::routing::any(error::api_not_found));
    let routes = Router::new()
        .merge(catalogue)
        .merge(auth::routes())
        .merge(workspace::routes())
        .route("/en/", get(layers::english_home))
        .route("/static/{*file}", get(pages::static_file))
        .route("/robots.txt", get(sitemap::robots))
        .fallback(pages::not_found)
        .with_state(site.clone());
    // The layers every request passes, outermost first, wrapped once around the whole router
    // rather than around each route (`Router::layer`): a request then clones plain layer values
    // and the router's `Arc`, not one boxed service per layer and route.
    // What every request passes inside the session layer: who is asking, then the index brought
    // up to date before a handler reads it (not for static files).
    let inner = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            site.clone(),
            auth::viewer::resolve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            site.clone(),
            layers::fresh_index,
        ))
        .service(routes);
    // The session layer wraps the viewer layer, which reads the session it provides; a request
    // with no cookie and no sign-in route skips it (`session_gate`): it has no session.
    let sessions = site.auth.as_ref().map(|auth| {
        session_gate::SessionGate::new(
            tower::Layer::layer(
                &crate::accounts::sessions::layer(&auth.accounts, &auth.sessions),
                inner.clone(),
            ),
            inner.clone(),
        )
    });
    let gated = match sessions {
        Some(gate) => tower::util::Either::Left(gate),
        None => tower::util::Either::Right(inner),
    };
    let stack = tower::ServiceBuilder::new()
        .layer(compress::layer())
        .layer(axum::middleware::map_response(layers::security_headers))
        .layer(axum::middleware::from_fn(layers::refuse_bodies))
        .service(gated);
    Router::new().fallback_service(stack)
}

/// Serves the site on `listener` until interrupted, within the limits this process's
/// descriptor limit allows ([`server::Limits::for_this_process`]), cleaning the upload staging
/// area at start and every [`crate::workspace::staging::SWEEP_EVERY`] ([`Site::sweep_staging`]).
pub async fn serve(site: Arc<Site>, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_with(site, listener, server::Limits::for_this_process()).await
}

/// [`serve`] within the given limits.
pub async fn serve_with(
    site: Arc<Site>,
    listener: tokio::net::TcpListener,
    limits: server::Limits,
) -> anyhow::Result<()> {
    site::quiet_index_panics();
    if site.oai.admin_email.is_some() {
        // OAI-PMH's listing walks the archive once; made now, the first harvest need not wait.
        let warm = site.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(error) = warm.oai.listing.listing(&warm) {
                eprintln!("disan serve: OAI-PMH listing: {error:?}");
            }
        });
    }
    // The upload staging area cleaned now and hourly (`crate::workspace::staging`), off the
    // runtime's threads; a cleanup still running when the next is due delays it.
    let sweeping = site.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(crate::workspace::staging::SWEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let site = sweeping.clone();
            let _ = tokio::task::spawn_blocking(move || {
                site.sweep_staging(std::time::SystemTime::now())
            })
            .await;
        }
    });
    println!("Disan is serving at http://{}/", listener.local_addr()?);
    server::serve(app(site), listener, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
