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

/// What a page or an API answer lists the records of: an artisan (their works, the index's
/// `artisan` filter) or a product (the records showing it, the `product` filter), by id.
#[derive(Debug, Clone, Copy)]
enum Linked<'a> {
    Artisan(&'a str),
    Product(&'a str),
}

impl Linked<'_> {
    /// The key the linked records go under in a page's context and an API answer: `works` for
    /// an artisan, `records` for a product.
    fn key(self) -> &'static str {
        match self {
            Linked::Artisan(_) => "works",
            Linked::Product(_) => "records",
        }
    }

    /// The search for the records linked to this artisan or product (first page, default
    /// order); the viewer's scope is applied by the caller's search.
    fn query(self) -> crate::index::search::SearchQuery {
        let (artisan, product) = match self {
            Linked::Artisan(id) => (Some(id.to_string()), None),
            Linked::Product(id) => (None, Some(id.to_string())),
        };
        crate::index::search::SearchQuery {
            artisan,
            product,
            ..crate::index::search::SearchQuery::default()
        }
    }
}

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
