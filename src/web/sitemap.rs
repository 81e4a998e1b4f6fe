//! What crawlers are told: `robots.txt` and `sitemap.xml`, public pages only.
//!
//! `sitemap.xml` is a sitemap index: one sitemap of the site's own pages (home, lists, villages,
//! crafts, artisans, the products anyone may see) and as many sitemaps of record pages as
//! needed, [`RECORDS_PER_SITEMAP`] records each (both languages, linked as alternates), well
//! under the protocol's 50,000 URLs. Records come from the search index's public filter, like
//! every other listing.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::Site;
use super::error::WebError;
use super::templates::escape;

/// Records per record sitemap (each appears twice: Vietnamese and English).
pub const RECORDS_PER_SITEMAP: usize = 10_000;

fn xml(body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml; charset=utf-8"),
    );
    response
}

/// A `<url>` in both languages, each naming the other as its alternate.
fn url_pair(origin: &str, path: &str) -> String {
    let vi = escape(&format!("{origin}{path}"));
    let en = escape(&if path == "/" {
        format!("{origin}/en")
    } else {
        format!("{origin}/en{path}")
    });
    let alternates = format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"vi\" href=\"{vi}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{en}\"/>"
    );
    format!("<url><loc>{vi}</loc>{alternates}</url>\n<url><loc>{en}</loc>{alternates}</url>\n")
}

fn urlset(urls: String) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n{urls}</urlset>\n"
    )
}

/// `GET /robots.txt`
pub async fn robots(State(site): State<Arc<Site>>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /api/\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
        site.origin()
    );
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// `GET /sitemap.xml`: the index of sitemaps.
pub async fn index(State(site): State<Arc<Site>>) -> Result<Response, WebError> {
    let origin = site.origin();
    let records = site.public_ids()?.len();
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    body.push_str(&format!(
        "<sitemap><loc>{}/sitemaps/pages.xml</loc></sitemap>\n",
        escape(&origin)
    ));
    for n in 0..records.div_ceil(RECORDS_PER_SITEMAP) {
        body.push_str(&format!(
            "<sitemap><loc>{}/sitemaps/records-{}.xml</loc></sitemap>\n",
            escape(&origin),
            n + 1
        ));
    }
    body.push_str("</sitemapindex>\n");
    Ok(xml(body))
}

/// `GET /sitemaps/{name}`: `pages.xml` or `records-N.xml`.
pub async fn part(
    State(site): State<Arc<Site>>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let origin = site.origin();
    let mut urls = String::new();
    if name == "pages.xml" {
        for path in ["/", "/villages", "/stories", "/festivals"] {
            urls.push_str(&url_pair(&origin, path));
        }
        let authorities = site.authorities();
        for id in authorities.villages.keys() {
            urls.push_str(&url_pair(&origin, &format!("/villages/{id}")));
        }
        for id in authorities.crafts.keys() {
            urls.push_str(&url_pair(&origin, &format!("/crafts/{id}")));
        }
        for path in super::vocabulary::sitemap_paths(&authorities) {
            urls.push_str(&url_pair(&origin, &path));
        }
        return Ok(xml(urlset(urls)));
    }
    let n: usize = name
        .strip_prefix("records-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or(WebError::NotFound)?;
    let ids = site.public_ids()?;
    let chunk = ids
        .chunks(RECORDS_PER_SITEMAP)
        .nth(n - 1)
        .ok_or(WebError::NotFound)?;
    for id in chunk {
        urls.push_str(&url_pair(&origin, &format!("/records/{id}")));
    }
    Ok(xml(urlset(urls)))
}
