//! HTML pages: home, search, record, villages, village, craft, and the 404 page.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

use super::error::WebError;
use super::{Site, parse_query};
use crate::index::authorities::Authorities;
use crate::index::search::{SearchQuery, SearchResults, Sort, has_derivative};
use crate::model::{Kind, Lang, Record};

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message) = self.status_and_message();
        // Built once: a flood of unknown URLs must not build a template environment each.
        static ERROR_TEMPLATES: std::sync::OnceLock<super::templates::Templates> =
            std::sync::OnceLock::new();
        let body = ERROR_TEMPLATES
            .get_or_init(|| super::templates::Templates::new(None))
            .render(
                "error.html",
                json!({ "status": status.as_u16(), "message": message }),
            )
            .unwrap_or(message);
        (status, Html(body)).into_response()
    }
}

fn page(site: &Site, name: &str, context: impl Serialize) -> Result<Response, WebError> {
    Ok(Html(site.templates.render(name, context)?).into_response())
}

/// Vietnamese and English labels of each kind.
pub fn kind_label(kind: &str) -> (&'static str, &'static str) {
    match kind.parse::<Kind>() {
        Ok(Kind::Photo) => ("Ảnh", "Photos"),
        Ok(Kind::Film) => ("Phim", "Films"),
        Ok(Kind::Audio) => ("Âm thanh", "Sound"),
        Ok(Kind::Pattern) => ("Hoa văn", "Patterns"),
        Ok(Kind::Technique) => ("Kỹ thuật", "Techniques"),
        Ok(Kind::Festival) => ("Lễ hội", "Festivals"),
        Ok(Kind::Document) => ("Tài liệu", "Documents"),
        Ok(Kind::Story) => ("Câu chuyện", "Stories"),
        Err(_) => ("Khác", "Other"),
    }
}

fn status_label(status: Option<crate::model::RiskStatus>) -> (&'static str, &'static str) {
    use crate::model::RiskStatus::*;
    match status {
        Some(AtRiskIrreversible) => (
            "Có nguy cơ mai một, khó khôi phục",
            "At risk, beyond revival",
        ),
        Some(AtRiskRevivable) => ("Có nguy cơ mai một, có thể khôi phục", "At risk, revivable"),
        Some(Developing) => ("Đang phát triển", "Developing"),
        None => ("Chưa phân loại", "Not yet classified"),
    }
}

/// A search result ready for a template: facets with names and links.
fn results_view(
    results: &SearchResults,
    query: &SearchQuery,
    authorities: &Authorities,
    base: &str,
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
    for name in crate::index::search::FACETS {
        let mut values = Vec::new();
        for (value, count) in &results.facets[name] {
            let (label, label_en) = facet_label(name, value, authorities);
            // "Nha Xa" beside "Nha Xá" says nothing new.
            let label_en = if crate::model::text::same_name(&label, &label_en) {
                String::new()
            } else {
                label_en
            };
            let (selected, url) = toggle(name, value);
            values.push(json!({"value": value, "label": label, "label_en": label_en, "count": count, "selected": selected, "url": url}));
        }
        let (title, title_en) = match name {
            "kind" => ("Loại", "Kind"),
            "village" => ("Làng nghề", "Village"),
            "craft" => ("Nghề", "Craft"),
            "district" => ("Huyện", "District"),
            "status" => ("Phân loại (NĐ 52/2018)", "Decree 52/2018 status"),
            "decade" => ("Thập niên", "Decade"),
            _ => ("Có ảnh, phim, âm thanh", "Has media"),
        };
        facets.push(json!({"name": name, "title": title, "title_en": title_en, "values": values}));
    }
    let pages = results
        .total
        .div_ceil(crate::index::search::PAGE_SIZE)
        .max(1);
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|hit| {
            let (kind_vi, kind_en) = kind_label(&hit.kind);
            json!({
                "id": hit.id, "title": hit.title, "title_en": hit.title_en, "url": hit.url,
                "thumbnail": hit.thumbnail, "snippet": hit.snippet, // already escaped HTML; the template marks it safe
                "kind": kind_vi, "kind_en": kind_en,
                "village": hit.village.as_ref().and_then(|v| authorities.villages.get(v)).map(|v| v.name.clone()),
            })
        })
        .collect();
    let sorts: Vec<Value> = Sort::ALL
        .iter()
        .map(|sort| {
            let (label, label_en) = match sort {
                Sort::Relevance => ("Phù hợp nhất", "Relevance"),
                Sort::Title => ("Tên (A–Z)", "Title"),
                Sort::Date => ("Cũ nhất", "Oldest"),
                Sort::DateDesc => ("Mới nhất", "Newest"),
            };
            let sorted = SearchQuery {
                sort: *sort,
                page: 1,
                ..query.clone()
            };
            json!({"label": label, "label_en": label_en, "url": results_link(&sorted, base),
                   "selected": *sort == query.sort})
        })
        .collect();
    json!({
        "total": results.total,
        "notices": results.notices,
        "sorts": sorts,
        "hits": hits,
        "facets": facets,
        "page": query.page,
        "pages": pages,
        "previous": (query.page > 1).then(|| results_link(&SearchQuery { page: query.page - 1, ..query.clone() }, base)),
        "next": (query.page < pages).then(|| results_link(&SearchQuery { page: query.page + 1, ..query.clone() }, base)),
    })
}

/// Vietnamese and English labels of a facet value.
fn facet_label(name: &str, value: &str, authorities: &Authorities) -> (String, String) {
    match name {
        "kind" => {
            let (vi, en) = kind_label(value);
            (vi.to_string(), en.to_string())
        }
        "village" => authorities
            .villages
            .get(value)
            .map_or((value.to_string(), String::new()), |v| {
                (v.name.clone(), v.name_en.clone().unwrap_or_default())
            }),
        "craft" => authorities
            .crafts
            .get(value)
            .map_or((value.to_string(), String::new()), |c| {
                (c.name.clone(), c.name_en.clone().unwrap_or_default())
            }),
        "district" => authorities
            .villages
            .values()
            .filter_map(|v| v.district.clone())
            .find(|district| crate::model::text::slug(district) == value)
            .map_or((value.to_string(), String::new()), |district| {
                (district, String::new())
            }),
        "status" => {
            let (vi, en) = status_label(value.parse().ok());
            (vi.to_string(), en.to_string())
        }
        "decade" => (format!("Thập niên {value}"), format!("{value}s")),
        _ if value == "yes" => ("Có".to_string(), "Yes".to_string()),
        _ => ("Không".to_string(), "No".to_string()),
    }
}

/// The URL of a search with exactly `query`'s text, filters, order and page.
fn results_link(query: &SearchQuery, base: &str) -> String {
    let mut params = Vec::new();
    if !query.text.is_empty() {
        params.push(format!("q={}", encode(&query.text)));
    }
    for (name, value) in [
        ("kind", &query.kind),
        ("village", &query.village),
        ("craft", &query.craft),
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

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// `GET /`
pub async fn home(State(site): State<Arc<Site>>) -> Result<Response, WebError> {
    let authorities = site.authorities();
    let query = SearchQuery {
        page: 1,
        ..SearchQuery::default()
    };
    let results = site.search(&query)?;
    let villages: Vec<Value> = authorities
        .villages
        .values()
        .map(|v| {
            json!({"id": v.id, "name": v.name, "name_en": v.name_en, "district": v.district,
                   "count": results.facets["village"].get(v.id.as_str()).copied().unwrap_or(0),
                   "crafts": v.crafts.iter().filter_map(|c| authorities.crafts.get(c.as_str())).map(|c| c.name.clone()).collect::<Vec<_>>()})
        })
        .collect();
    let view = results_view(&results, &query, &authorities, "/search");
    page(
        &site,
        "home.html",
        json!({"villages": villages, "results": view, "total": results.total}),
    )
}

/// `GET /search?q=&kind=&village=&craft=&page=`
pub async fn search(
    State(site): State<Arc<Site>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let query = parse_query(&params)?;
    let results = site.search(&query)?;
    let authorities = site.authorities();
    let view = results_view(&results, &query, &authorities, "/search");
    page(
        &site,
        "search.html",
        json!({"q": query.text, "results": view}),
    )
}

fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    // Raw HTML in a text record is shown as text: nothing an archivist typed can run.
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut rendered = String::new();
    html::push_html(&mut rendered, events);
    rendered
}

fn record_view(record: &Record, authorities: &Authorities) -> Value {
    let id = record.id.as_str();
    let files: Vec<Value> = record
        .files
        .iter()
        .enumerate()
        .map(|(n, file)| {
            let name = file.path.strip_prefix("files/").unwrap_or(&file.path);
            json!({
                "name": name,
                "url": format!("/media/{id}/{}", file.path),
                "display": has_derivative(&file.format.mime).then(|| format!("/media/{id}/display/{n}")),
                "mime": file.format.mime, "format": file.format.name, "size": file.size,
                "sha256": file.sha256.to_hex(), "width": file.technical.width, "height": file.technical.height,
                "duration": file.technical.duration_seconds.map(|d| format!("{}:{:02}", (d as u64) / 60, (d as u64) % 60)),
                "is_video": file.format.mime.starts_with("video/"),
                "is_audio": file.format.mime.starts_with("audio/"),
                "is_subtitles": file.format.mime == "text/vtt",
            })
        })
        .collect();
    let fields: Vec<Value> = record
        .dc
        .iter()
        .map(|(term, values)| {
            let in_lang = |lang| {
                values
                    .iter()
                    .filter(|v| v.lang == lang)
                    .map(|v| v.value.clone())
                    .collect::<Vec<_>>()
            };
            json!({"term": term, "vi": in_lang(Lang::Vi), "en": in_lang(Lang::En)})
        })
        .collect();
    let (kind_vi, kind_en) = kind_label(record.kind.as_str());
    let village = record
        .village
        .as_ref()
        .and_then(|v| authorities.villages.get(v.as_str()));
    let craft = record
        .craft
        .as_ref()
        .and_then(|c| authorities.crafts.get(c.as_str()));
    json!({
        "id": id,
        "title": record.title(Lang::Vi),
        "title_en": record.dc_value("title", Lang::En),
        "description": record.dc_value("description", Lang::Vi),
        "description_en": record.dc_value("description", Lang::En),
        "kind": kind_vi, "kind_en": kind_en,
        "date": record.date.as_ref().map(|d| d.as_str()),
        "village": village.map(|v| json!({"id": v.id, "name": v.name, "name_en": v.name_en})),
        "craft": craft.map(|c| json!({"id": c.id, "name": c.name, "name_en": c.name_en})),
        "fields": fields,
        // Rendered with raw HTML neutralised; the template marks it safe.
        "body": record.body.get(&Lang::Vi).map(|b| render_markdown(b)),
        "body_en": record.body.get(&Lang::En).map(|b| render_markdown(b)),
        "image": files.iter().find(|f| !f["display"].is_null()),
        "videos": files.iter().filter(|f| f["is_video"] == true).collect::<Vec<_>>(),
        "audios": files.iter().filter(|f| f["is_audio"] == true).collect::<Vec<_>>(),
        "subtitles": files.iter().filter(|f| f["is_subtitles"] == true).collect::<Vec<_>>(),
        "files": files,
        "extra": record.extra,
    })
}

/// `GET /records/{id}`
///
/// Rendered pages are reused while the record's object and the authorities are unchanged; only
/// public records are ever rendered, so a record made restricted stops being served at once.
pub async fn record(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let stamp = site.record_stamp(&id).ok_or(WebError::NotFound)?;
    if let Some(html) = site.cached_page(&id, &stamp) {
        return Ok(html_response(html));
    }
    let (record, _) = site.public_record(&id)?;
    let authorities = site.authorities();
    let related = site.related(&id)?;
    let html = axum::body::Bytes::from(site.templates.render(
        "record.html",
        json!({"record": record_view(&record, &authorities), "related": related}),
    )?);
    site.keep_page(&id, stamp, html.clone());
    Ok(html_response(html))
}

fn html_response(html: axum::body::Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// `GET /villages`
pub async fn villages(State(site): State<Arc<Site>>) -> Result<Response, WebError> {
    let authorities = site.authorities();
    let list: Vec<Value> = authorities
        .villages
        .values()
        .map(|v| {
            let (status, status_en) = status_label(v.status);
            json!({"id": v.id, "name": v.name, "name_en": v.name_en, "commune": v.commune,
                   "district": v.district, "status": status, "status_en": status_en})
        })
        .collect();
    page(&site, "villages.html", json!({"villages": list}))
}

fn records_of(
    site: &Site,
    village: Option<&str>,
    craft: Option<&str>,
    authorities: &Authorities,
) -> Result<Value, WebError> {
    let query = SearchQuery {
        village: village.map(str::to_string),
        craft: craft.map(str::to_string),
        page: 1,
        ..SearchQuery::default()
    };
    let results = site.search(&query)?;
    Ok(results_view(&results, &query, authorities, "/search"))
}

/// `GET /villages/{id}`
pub async fn village(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let authorities = site.authorities();
    let village = authorities.villages.get(&id).ok_or(WebError::NotFound)?;
    let (status, status_en) = status_label(village.status);
    let crafts: Vec<Value> = village
        .crafts
        .iter()
        .filter_map(|c| authorities.crafts.get(c.as_str()))
        .map(|c| json!({"id": c.id, "name": c.name, "name_en": c.name_en}))
        .collect();
    let records = records_of(&site, Some(&id), None, &authorities)?;
    page(
        &site,
        "village.html",
        json!({"village": village, "status": status, "status_en": status_en, "crafts": crafts, "results": records}),
    )
}

/// `GET /crafts/{id}`
pub async fn craft(
    State(site): State<Arc<Site>>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let authorities = site.authorities();
    let craft = authorities.crafts.get(&id).ok_or(WebError::NotFound)?;
    let villages: Vec<Value> = authorities
        .villages
        .values()
        .filter(|v| v.crafts.iter().any(|c| c.as_str() == id))
        .map(|v| json!({"id": v.id, "name": v.name, "name_en": v.name_en}))
        .collect();
    let records = records_of(&site, None, Some(&id), &authorities)?;
    page(
        &site,
        "craft.html",
        json!({"craft": craft, "villages": villages, "results": records}),
    )
}

/// `GET /static/{file}`
pub async fn static_file(
    State(site): State<Arc<Site>>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let text = site
        .templates
        .static_file(&file)
        .ok_or(WebError::NotFound)?;
    let mime = if file.ends_with(".css") {
        "text/css; charset=utf-8"
    } else if file.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    };
    let mut response = text.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(response)
}

/// Anything else.
pub async fn not_found() -> Response {
    let mut response = WebError::NotFound.into_response();
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_bodies_cannot_carry_active_html() {
        let html =
            render_markdown("**Đậm** <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>Đậm</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("dệt lụa&x"), "d%E1%BB%87t+l%E1%BB%A5a%26x");
    }
}
