//! `/province` and `/en/province`: the heritage office's dashboard of the plan's vocabulary
//! (issue 14), as a page and as CSV (`/province.csv`, or `?format=csv`).
//!
//! It answers, from the archive itself, the questions Plan 344/KH-UBND asks: villages by their
//! Decree 52/2018 class and by activity, artisans by title, OCOP products by stars and the
//! certificates that end within [`EXPIRING_MONTHS`] months, records per village and per kind.
//!
//! Every figure is counted for the viewer of the request: villages and artisans (name, village,
//! crafts and honours) are public; products come through [`Authorities::products_shown`], so a
//! product the viewer may not see counts nowhere; records are counted by the search index within
//! the viewer's scope ([`Site::search_for`]), so a record the viewer may not see counts nowhere
//! either. A signed-in viewer's answer is private to them ([`super::for_viewer`]: `private,
//! no-store`, `Vary: Cookie, Authorization`), so no shared cache serves it to anyone else.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::csv_cell::spreadsheet_safe;
use super::error::WebError;
use super::i18n::{self, message, text};
use super::pages::Visit;
use super::views::{activity_label, kind_label, status_label, village_name};
use super::{Site, ViewerExtension, for_viewer, viewer_of};
use crate::index::authorities::Authorities;
use crate::index::search::SearchQuery;
use crate::model::access::Viewer;
use crate::model::edtf::CalendarDate;
use crate::model::text::slug;
use crate::model::{Activity, Kind, Lang, RiskStatus};

/// Certificates whose last valid day falls within this many months of today (in Vietnam's time
/// zone) are listed as expiring (issue 14: "certificates expiring within 6 months").
pub const EXPIRING_MONTHS: u32 = 6;

/// One counted line of a table: what is counted (`key`, stable across languages, for CSV), its
/// label in the page's language and the language the label is written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// A keyword or id (`developing`, `lang-thu-1`, `nghe-nhan-uu-tu`, `4`); `none` for the
    /// line of things without one.
    pub key: String,
    /// What the page shows.
    pub label: String,
    /// The label's language tag (`vi`, `en`).
    pub lang: &'static str,
    /// How many.
    pub count: u64,
}

/// A product whose OCOP certificate ends soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    /// The product's id.
    pub id: String,
    /// Its name in the page's language.
    pub name: String,
    /// The name's language tag.
    pub lang: &'static str,
    /// Its stars.
    pub stars: u8,
    /// The certificate's last valid day (`YYYY-MM-DD`, [`crate::model::Ocop::expires_on`]).
    pub expires: String,
}

/// Every figure of the dashboard, for one viewer, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// The day the figures are for, in Vietnam (UTC+7), `YYYY-MM-DD`.
    pub today: String,
    /// The last day of the expiring window (`today` plus [`EXPIRING_MONTHS`]).
    pub until: String,
    /// Villages by Decree 52/2018 class; `none` for villages not classed.
    pub villages_by_class: Vec<Line>,
    /// Villages by activity (active, at risk, lost); `none` where not recorded.
    pub villages_by_activity: Vec<Line>,
    /// Artisans holding each title (an artisan counts once per title, in as many titles as
    /// they hold); `none` for artisans holding none.
    pub artisans_by_title: Vec<Line>,
    /// Products the viewer may see by OCOP stars, 5 to 1; `none` for products not rated.
    pub products_by_stars: Vec<Line>,
    /// Products the viewer may see whose certificate ends between `today` and `until`, soonest
    /// first.
    pub expiring: Vec<Expiring>,
    /// Products the viewer may see whose certificate has ended.
    pub expired: u64,
    /// Records the viewer may see per village (every village, then `none` for records of no
    /// village).
    pub records_by_village: Vec<Line>,
    /// Records the viewer may see per kind.
    pub records_by_kind: Vec<Line>,
    /// Records the viewer may see.
    pub records: u64,
    /// Villages, artisans and products (those the viewer may see).
    pub villages: u64,
    /// Artisans.
    pub artisans: u64,
    /// Products the viewer may see.
    pub products: u64,
}

/// The dashboard of `viewer` on `today`, labels in `lang`.
///
/// # Errors
/// [`WebError`] when the search index cannot be read.
pub fn dashboard(
    site: &Site,
    viewer: &Viewer,
    lang: Lang,
    today: CalendarDate,
) -> Result<Dashboard, WebError> {
    let authorities = site.authorities();
    let results = site.search_for(
        viewer,
        &SearchQuery {
            page: 1,
            lang,
            ..SearchQuery::default()
        },
    )?;
    let until = today.plus_months(EXPIRING_MONTHS);
    let products: Vec<&crate::model::Product> = authorities.products_shown(viewer).collect();
    let mut expiring: Vec<Expiring> = Vec::new();
    let mut expired = 0;
    for product in &products {
        let Some(ocop) = &product.ocop else { continue };
        let Some(last) = ocop.expires_on() else {
            continue;
        };
        if last < today {
            expired += 1;
        } else if last <= until {
            let name = i18n::shown(lang, &product.name, product.name_en.as_deref());
            expiring.push(Expiring {
                id: product.id.to_string(),
                name: name.text,
                lang: name.lang,
                stars: ocop.stars,
                expires: last.to_string(),
            });
        }
    }
    expiring.sort_by(|a, b| a.expires.cmp(&b.expires).then_with(|| a.id.cmp(&b.id)));
    let facet = |name: &str| results.facets.get(name).cloned().unwrap_or_default();
    Ok(Dashboard {
        today: today.to_string(),
        until: until.to_string(),
        villages_by_class: villages_by_class(&authorities, lang),
        villages_by_activity: villages_by_activity(&authorities, lang),
        artisans_by_title: artisans_by_title(&authorities, viewer, lang),
        products_by_stars: products_by_stars(&products, lang),
        expiring,
        expired,
        records_by_village: records_by_village(
            &authorities,
            &facet("village"),
            results.total as u64,
            lang,
        ),
        records_by_kind: Kind::ALL
            .iter()
            .map(|kind| Line {
                key: kind.as_str().to_string(),
                label: kind_label(kind.as_str(), lang).to_string(),
                lang: lang.tag(),
                count: facet("kind").get(kind.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        records: results.total as u64,
        villages: authorities.villages.len() as u64,
        artisans: authorities.artisans_shown(viewer).len() as u64,
        products: products.len() as u64,
    })
}

/// A line labelled in the page's language.
fn line(key: &str, label: &str, lang: Lang, count: u64) -> Line {
    Line {
        key: key.to_string(),
        label: label.to_string(),
        lang: lang.tag(),
        count,
    }
}

fn villages_by_class(authorities: &Authorities, lang: Lang) -> Vec<Line> {
    let classes = RiskStatus::ALL.iter().map(|s| Some(*s)).chain([None]);
    classes
        .map(|class| {
            let count = authorities
                .villages
                .values()
                .filter(|v| v.status == class)
                .count() as u64;
            let key = class.map_or("none", RiskStatus::as_str);
            line(key, status_label(class, lang), lang, count)
        })
        .collect()
}

fn villages_by_activity(authorities: &Authorities, lang: Lang) -> Vec<Line> {
    let activities = Activity::ALL.iter().map(|a| Some(*a)).chain([None]);
    activities
        .map(|activity| {
            let count = authorities
                .villages
                .values()
                .filter(|v| v.activity == activity)
                .count() as u64;
            let key = activity.map_or("none", Activity::as_str);
            line(key, activity_label(activity, lang), lang, count)
        })
        .collect()
}

/// Titles grouped by their [`slug`] (one title however capitalised), labelled as first written,
/// most held first, then by label.
fn artisans_by_title(authorities: &Authorities, viewer: &Viewer, lang: Lang) -> Vec<Line> {
    let mut titles: BTreeMap<String, (String, u64)> = BTreeMap::new();
    let mut untitled = 0;
    for artisan in authorities.artisans_shown(viewer) {
        let mut held: Vec<String> = Vec::new();
        for title in artisan.titles() {
            let key = slug(title);
            if key.is_empty() || held.contains(&key) {
                continue;
            }
            titles
                .entry(key.clone())
                .or_insert((title.to_string(), 0))
                .1 += 1;
            held.push(key);
        }
        if held.is_empty() {
            untitled += 1;
        }
    }
    let mut lines: Vec<Line> = titles
        .into_iter()
        .map(|(key, (label, count))| Line {
            key,
            label,
            // Titles are written in Vietnamese.
            lang: "vi",
            count,
        })
        .collect();
    lines.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            crate::model::text::sort_key(&a.label).cmp(&crate::model::text::sort_key(&b.label))
        })
    });
    lines.push(line(
        "none",
        text(lang, "province_no_title"),
        lang,
        untitled,
    ));
    lines
}

fn products_by_stars(products: &[&crate::model::Product], lang: Lang) -> Vec<Line> {
    let stars = (1..=5u8).rev().map(Some).chain([None]);
    stars
        .map(|stars| {
            let count = products
                .iter()
                .filter(|p| p.ocop.as_ref().map(|o| o.stars) == stars)
                .count() as u64;
            match stars {
                Some(n) => {
                    let label = message(lang, "facet_stars_value", &[("stars", n.into())]);
                    line(&n.to_string(), &label, lang, count)
                }
                None => line("none", text(lang, "province_unrated"), lang, count),
            }
        })
        .collect()
}

/// Every village with the records of it the viewer may see (`counts`, the search's village
/// facet), by name; then the records of no village.
fn records_by_village(
    authorities: &Authorities,
    counts: &BTreeMap<String, u64>,
    total: u64,
    lang: Lang,
) -> Vec<Line> {
    let mut villages: Vec<&crate::model::Village> = authorities.villages.values().collect();
    villages.sort_by_cached_key(|v| crate::model::text::sort_key(&v.name));
    let mut lines: Vec<Line> = villages
        .into_iter()
        .map(|village| {
            let name = village_name(village, lang);
            Line {
                key: village.id.to_string(),
                label: name.text,
                lang: name.lang,
                count: counts.get(village.id.as_str()).copied().unwrap_or(0),
            }
        })
        .collect();
    let of_villages: u64 = counts.values().sum();
    // A record names one village at most; those citing an id the authorities lack are counted
    // with no village, as the page cannot name it.
    let named: u64 = lines.iter().map(|l| l.count).sum();
    let without = total.saturating_sub(of_villages) + of_villages.saturating_sub(named);
    lines.push(line(
        "none",
        text(lang, "province_no_village"),
        lang,
        without,
    ));
    lines
}

/// The dashboard as CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the
/// Vietnamese letters), RFC 4180 quoting, one row per line of every table: `table,key,label,
/// count,stars,expires`. Count tables fill `count`; the `certificates-expiring` table has one
/// row per product, with its `stars` and last valid day (`expires`) and no `count`. The
/// `totals` table counts records, villages, artisans, products and expired certificates.
/// Every cell passes through [`spreadsheet_safe`], so a name that begins like a formula
/// (`=`, `+`, `-`, `@`, …) reaches the sheet as text with a `'` in front (OWASP CSV injection).
///
/// # Errors
/// A CSV writer error (none in practice: it writes to memory).
pub fn to_csv(board: &Dashboard) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut row =
        |cells: [&str; 6]| writer.write_record(cells.map(|c| spreadsheet_safe(c).into_owned()));
    row(["table", "key", "label", "count", "stars", "expires"])?;
    let tables = [
        ("villages-by-class", &board.villages_by_class),
        ("villages-by-activity", &board.villages_by_activity),
        ("artisans-by-title", &board.artisans_by_title),
        ("products-by-stars", &board.products_by_stars),
        ("records-by-village", &board.records_by_village),
        ("records-by-kind", &board.records_by_kind),
    ];
    for (table, lines) in tables {
        for l in lines {
            row([table, &l.key, &l.label, &l.count.to_string(), "", ""])?;
        }
    }
    for product in &board.expiring {
        row([
            "certificates-expiring",
            &product.id,
            &product.name,
            "",
            &product.stars.to_string(),
            &product.expires,
        ])?;
    }
    for (key, count) in [
        ("records", board.records),
        ("villages", board.villages),
        ("artisans", board.artisans),
        ("products", board.products),
        ("certificates-expired", board.expired),
    ] {
        row(["totals", key, key, &count.to_string(), "", ""])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /province` (and `/en/province`): the dashboard page, or its CSV with `?format=csv`.
pub async fn page(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let format = params
        .iter()
        .find(|(name, _)| name == "format")
        .map(|(_, value)| value.trim());
    match format {
        None | Some("html") => {}
        Some("csv") => return csv_answer(&site, &viewer, &visit),
        Some(other) => {
            return Err(WebError::BadRequest(super::error::Refusal::BadFormat {
                value: other.to_string(),
            }));
        }
    }
    let lang = visit.lang;
    let board = dashboard(&site, &viewer, lang, super::today_in_vietnam())?;
    let csv_url = format!("{}/province.csv", i18n::prefix(lang));
    let number = |n: u64| fluent_bundle::FluentValue::from(n);
    let totals = message(
        lang,
        "province_totals",
        &[
            ("records", number(board.records)),
            ("villages", number(board.villages)),
            ("artisans", number(board.artisans)),
            ("products", number(board.products)),
        ],
    );
    let context = json!({
        "intro": message(lang, "province_intro", &[("today", board.today.clone().into())]),
        "totals": totals,
        "expiring_heading": message(lang, "province_expiring", &[("until", board.until.clone().into())]),
        "expired": message(lang, "province_expired", &[("count", number(board.expired))]),
        "csv_url": csv_url,
        "public_only": viewer == Viewer::Anonymous,
        "board": board,
    });
    let html = super::pages::render(&site, &visit, "province.html", context)?;
    Ok(for_viewer(&viewer, Html(html).into_response()))
}

/// `GET /province.csv` (and `/en/province.csv`): the dashboard as CSV ([`to_csv`]).
pub async fn csv(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    csv_answer(&site, &viewer_of(viewer), &visit)
}

/// The CSV answer for `viewer`, labels in the visit's language, as a download named for the day.
fn csv_answer(site: &Site, viewer: &Viewer, visit: &Visit) -> Result<Response, WebError> {
    let today = super::today_in_vietnam();
    let board = dashboard(site, viewer, visit.lang, today)?;
    let body = to_csv(&board).map_err(WebError::internal)?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name = format!(
        "attachment; filename=\"disan-province-{}-{today}.csv\"",
        visit.lang.tag()
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(for_viewer(viewer, response))
}
