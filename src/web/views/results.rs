//! Search results for a template: hits, facets with names and toggling links, orders, pages.

use serde_json::{Value, json};

use super::labels::{craft_name, kind_label, status_label, village_name};
use super::links::encode;
use crate::index::authorities::Authorities;
use crate::index::search::{Hit, SearchQuery, SearchResults, Sort};
use crate::model::Lang;
use crate::web::i18n::{Shown, message, shown, text};

/// One search result (or related record) for a template; `badge` is null (pages put the badge
/// of who may see a record that is not public for signed-in viewers).
pub fn hit_view(hit: &Hit, authorities: &Authorities, lang: Lang) -> Value {
    json!({
        "id": hit.id,
        "title": hit_title(hit, lang),
        "url": hit.url,
        "thumbnail": hit.thumbnail,
        // Already escaped HTML; the template marks it safe.
        "snippet": hit.snippet,
        "kind": hit.kind,
        "kind_label": kind_label(&hit.kind, lang),
        "village_name": hit.village.as_ref()
            .and_then(|v| authorities.villages.get(v))
            .map(|v| village_name(v, lang).text),
        // Who may see a record that is not public: put by the page for signed-in viewers.
        "badge": null,
    })
}

/// A result's title in `lang`, with the language it is written in. A record with only an
/// English title has it as both titles (`Record::title` falls back to it), so a title equal to
/// the English one is English: `lang="en"` on either page, never marked as a fallback to
/// Vietnamese.
fn hit_title(hit: &Hit, lang: Lang) -> Shown {
    match hit.title_en.as_deref() {
        Some(english) if english == hit.title => Shown {
            text: english.to_string(),
            lang: "en",
            fallback: false,
        },
        english => shown(lang, &hit.title, english),
    }
}

/// The label of a facet value.
fn facet_label(name: &str, value: &str, authorities: &Authorities, lang: Lang) -> String {
    match name {
        "kind" => kind_label(value, lang).to_string(),
        "village" => authorities
            .villages
            .get(value)
            .map_or(value.to_string(), |v| village_name(v, lang).text),
        "craft" => authorities
            .crafts
            .get(value)
            .map_or(value.to_string(), |c| craft_name(c, lang).text),
        "district" => authorities
            .villages
            .values()
            .filter_map(|v| v.district.clone())
            .find(|district| crate::model::text::slug(district) == value)
            .unwrap_or_else(|| value.to_string()),
        "status" => status_label(value.parse().ok(), lang).to_string(),
        "decade" => message(lang, "decade_value", &[("decade", value.into())]),
        // Names, villages and titles of artisans are public (`model::artisan`).
        "artisan" => authorities
            .artisan(value, &crate::model::access::Viewer::Anonymous)
            .map_or(value.to_string(), |a| a.name(lang).to_string()),
        "title" => authorities
            .artisans_shown(&crate::model::access::Viewer::Anonymous)
            .iter()
            .flat_map(|a| a.honours.iter().map(|h| h.title.clone()))
            .find(|title| crate::model::text::slug(title) == value)
            .unwrap_or_else(|| value.to_string()),
        "stars" => match value.parse::<u8>() {
            Ok(stars) => message(lang, "facet_stars_value", &[("stars", stars.into())]),
            Err(_) => value.to_string(),
        },
        "commune" => authorities
            .villages
            .values()
            .flat_map(|v| [v.commune.clone(), v.commune_2025.clone()])
            .flatten()
            .find(|commune| crate::model::text::slug(commune) == value)
            .unwrap_or_else(|| value.to_string()),
        "province" => authorities
            .villages
            .values()
            .flat_map(|v| [v.province.clone(), v.province_2025.clone()])
            .flatten()
            .find(|province| crate::model::text::slug(province) == value)
            .unwrap_or_else(|| value.to_string()),
        _ if value == "yes" => text(lang, "yes").to_string(),
        _ => text(lang, "no").to_string(),
    }
}

/// The title of a facet.
fn facet_title(name: &str, lang: Lang) -> &'static str {
    let name = match name {
        "kind" => "facet_kind",
        "village" => "facet_village",
        "craft" => "facet_craft",
        "district" => "facet_district",
        "status" => "facet_status",
        "decade" => "facet_decade",
        "province" => "facet_province",
        "commune" => "facet_commune",
        "artisan" => "facet_artisan",
        "title" => "facet_title",
        "stars" => "facet_stars",
        _ => "facet_media",
    };
    text(lang, name)
}

/// A page of results for a template: hits, facets with names and links, orders, paging. `base`
/// is the search page's path in the visitor's language.
pub fn results_view(
    results: &SearchResults,
    query: &SearchQuery,
    authorities: &Authorities,
    base: &str,
    lang: Lang,
) -> Value {
    // The same search with one facet value switched on or off, back on page 1.
    let toggle = |name: &str, value: &str| {
        let mut target = SearchQuery {
            page: 1,
            ..query.clone()
        };
        let slot = match name {
            "kind" => Some(&mut target.kind),
            "village" => Some(&mut target.village),
            "craft" => Some(&mut target.craft),
            "artisan" => Some(&mut target.artisan),
            "product" => Some(&mut target.product),
            _ => None,
        };
        let selected = match slot {
            Some(slot) => {
                let selected = slot.as_deref() == Some(value);
                *slot = (!selected).then(|| value.to_string());
                selected
            }
            None => {
                let pair = (name.to_string(), value.to_string());
                let selected = target.facet_filters.contains(&pair);
                target.facet_filters.retain(|(n, _)| n != name);
                if !selected {
                    target.facet_filters.push(pair);
                }
                selected
            }
        };
        (selected, results_link(&target, base))
    };
    let mut facets = Vec::new();
    // Products are counted for the API; the page offers no product facet (their names are
    // read per viewer, see `Authorities::product`, and stars narrow by them instead).
    for name in crate::index::search::FACETS
        .into_iter()
        .filter(|name| *name != "product")
    {
        let mut values = Vec::new();
        for (value, count) in &results.facets[name] {
            let (selected, url) = toggle(name, value);
            values.push(
                json!({"value": value, "label": facet_label(name, value, authorities, lang),
                               "count": count, "selected": selected, "url": url}),
            );
        }
        facets.push(json!({"name": name, "title": facet_title(name, lang), "values": values}));
    }
    let pages = last_page(results.total);
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|hit| hit_view(hit, authorities, lang))
        .collect();
    let sorts: Vec<Value> = Sort::ALL
        .iter()
        .map(|sort| {
            let label = match sort {
                Sort::Relevance => "sort_relevance",
                Sort::Title => "sort_title",
                Sort::Date => "sort_date",
                Sort::DateDesc => "sort_date_desc",
            };
            let sorted = SearchQuery {
                sort: *sort,
                page: 1,
                ..query.clone()
            };
            json!({"label": text(lang, label),
                   "url": results_link(&sorted, base), "selected": *sort == query.sort})
        })
        .collect();
    json!({
        "total": results.total,
        "notices": crate::web::notices::json(&results.notices),
        "sorts": sorts,
        "hits": hits,
        "facets": facets,
        "page": query.page,
        "pages": pages,
        "previous": (query.page > 1).then(|| results_link(&SearchQuery { page: query.page - 1, ..query.clone() }, base)),
        "next": (query.page < pages).then(|| results_link(&SearchQuery { page: query.page + 1, ..query.clone() }, base)),
    })
}

/// The number of the last page of `total` results ([`crate::index::search::PAGE_SIZE`] a page):
/// 1 when there are none, since an empty first page still says so.
pub fn last_page(total: usize) -> usize {
    total.div_ceil(crate::index::search::PAGE_SIZE).max(1)
}

/// The URL of a search with exactly `query`'s text, filters, order and page.
pub fn results_link(query: &SearchQuery, base: &str) -> String {
    let mut params = Vec::new();
    if !query.text.is_empty() {
        params.push(format!("q={}", encode(&query.text)));
    }
    for (name, value) in [
        ("kind", &query.kind),
        ("village", &query.village),
        ("craft", &query.craft),
        ("artisan", &query.artisan),
        ("product", &query.product),
    ] {
        if let Some(value) = value {
            params.push(format!("{name}={}", encode(value)));
        }
    }
    for (name, value) in &query.facet_filters {
        params.push(format!("{name}={}", encode(value)));
    }
    if query.sort != Sort::Relevance {
        params.push(format!("sort={}", query.sort.as_str()));
    }
    if query.page > 1 {
        params.push(format!("page={}", query.page));
    }
    if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}
