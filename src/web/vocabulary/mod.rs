//! The plan's own vocabulary on the site (issue 14): artisans with their honours, OCOP products
//! with their certificates, and the facts a village page gains (activity, recognition, Decree 52
//! class with its date, both addresses, its artisans and products).
//!
//! Everything here reads artisans and products only through the viewer-aware readers of
//! [`crate::index::authorities::Authorities`] (`artisan`, `artisans_shown`, `product`,
//! `products_shown`): an artisan's birth, death and description appear only for a viewer who may
//! see them, and a product the viewer may not see does not exist on any route here (page, list,
//! API, sitemap, village page, record page).
//!
//! Layout: [`views`] (what templates and the API show, one language at a time), [`jsonld`]
//! (schema.org `Person` and `Product`), [`pages`] (the HTML handlers, the village page
//! included), [`api`] (the JSON handlers).

pub(super) mod api;
mod jsonld;
pub(super) mod pages;
mod views;

pub(super) use views::record_links;

/// The public pages of artisans and products for the sitemap: the two lists, every artisan
/// (an artisan's page is public; only its guarded parts are not) and every product an anonymous
/// visitor may see, as paths without a language prefix.
pub(super) fn sitemap_paths(authorities: &crate::index::authorities::Authorities) -> Vec<String> {
    let anonymous = crate::model::access::Viewer::Anonymous;
    let mut paths = vec!["/artisans".to_string(), "/products".to_string()];
    paths.extend(
        authorities
            .artisans_shown(&anonymous)
            .iter()
            .map(|artisan| format!("/artisans/{}", artisan.id)),
    );
    paths.extend(
        authorities
            .products_shown(&anonymous)
            .map(|product| format!("/products/{}", product.id)),
    );
    paths
}
