//! A visit's page (a record of kind `visit`, issue 14): its stops in order with links, its route
//! on the offline map, the festivals held at its stops within the next [`FESTIVAL_WINDOW_DAYS`]
//! days, and its schema.org `TouristTrip` with the stops as its itinerary.
//!
//! Unlike the rest of [`super`], this reads through the [`Site`]: the stops are other records,
//! each read with [`Site::record_for`] as the viewer may see it, and the festivals are searched
//! in the viewer's scope. A stop the viewer may not see was already left out of the visit by
//! [`Site::record_for`] (`public_record`), and a record stop that cannot be read now is left out
//! too: stops are numbered after that, so nothing (a gap, a count, a festival of its village)
//! says one was there.
//!
//! "Today" is Vietnam's ([`crate::web::today_in_vietnam`]); the record page's cache is keyed by
//! that day, so the festivals shown are never a day old.

use serde_json::{Value, json};

use super::festival::{date_label, festival_dates, lunar_label};
use super::labels::{kind_label, record_title, village_name};
use super::map::{MapOutline, RouteStop, route_map};
use crate::index::search::SearchQuery;
use crate::model::access::Viewer;
use crate::model::edtf::CalendarDate;
use crate::model::{Kind, Lang, Record, Stop, Village};
use crate::web::error::WebError;
use crate::web::i18n::{message, prefix, text};
use crate::web::{Site, linked};

/// Festivals held this many days after today (today included) are shown on a visit's page.
pub const FESTIVAL_WINDOW_DAYS: i64 = 60;

/// Adds to `view` (a record page's view, [`super::RecordPage::view`]) what the page of
/// `record`'s kind shows beyond it, and names its template: a story's (`story.html`), a
/// visit's (`visit.html`: `visit` and the JSON-LD with its itinerary), any other's
/// (`record.html`).
///
/// # Errors
/// [`WebError::Internal`] when the index cannot be searched for the visit's festivals.
pub fn complete_page(
    site: &Site,
    viewer: &Viewer,
    record: &Record,
    lang: Lang,
    today: CalendarDate,
    view: &mut Value,
) -> Result<&'static str, WebError> {
    match record.kind {
        Kind::Story => Ok("story.html"),
        Kind::Visit => {
            let (visit, itinerary) = visit_view(site, viewer, record, lang, today)?;
            let mut jsonld: Value =
                serde_json::from_str(view["jsonld"].as_str().unwrap_or("{}")).unwrap_or_default();
            jsonld["itinerary"] = itinerary;
            view["jsonld"] = json!(linked::script_safe(&jsonld));
            view["visit"] = visit;
            Ok("visit.html")
        }
        _ => Ok("record.html"),
    }
}

/// A stop as the page shows it.
struct StopShown<'a> {
    number: usize,
    /// A record stop's record; `None` for a village stop.
    record: Option<Record>,
    village: Option<&'a Village>,
}

/// The visit part of the page and the JSON-LD itinerary.
fn visit_view(
    site: &Site,
    viewer: &Viewer,
    visit: &Record,
    lang: Lang,
    today: CalendarDate,
) -> Result<(Value, Value), WebError> {
    let authorities = site.authorities();
    let origin = site.origin();
    let base = prefix(lang);
    let mut stops: Vec<StopShown<'_>> = Vec::new();
    for stop in &visit.stops {
        let shown = match stop {
            Stop::Village(id) => authorities
                .villages
                .get(id.as_str())
                .map(|village| (None, Some(village))),
            // Read as the viewer may see it; hidden or gone, it is not a stop for them.
            Stop::Record(id) => site
                .record_for(viewer, id.as_str())
                .ok()
                .map(|(record, _, _)| {
                    let village = record
                        .village
                        .as_ref()
                        .and_then(|v| authorities.villages.get(v.as_str()));
                    (Some(record), village)
                }),
        };
        if let Some((record, village)) = shown {
            stops.push(StopShown {
                number: stops.len() + 1,
                record,
                village,
            });
        }
    }
    let outline: MapOutline = site
        .templates
        .static_file("map-outline.json")
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let route: Vec<RouteStop<'_>> = stops
        .iter()
        .map(|s| RouteStop {
            number: s.number,
            village: s.village,
        })
        .collect();
    let (svg, missing) = route_map(&outline, &route, lang);
    let mut itinerary = Vec::new();
    let list: Vec<Value> = stops
        .iter()
        .filter_map(|stop| {
            let village = stop
                .village
                .map(|v| json!({"id": v.id, "name": village_name(v, lang)}));
            let drawn = !missing.contains(&stop.number);
            let place = stop.village.map(|v| linked::place(v, &origin, lang));
            match &stop.record {
                Some(record) => {
                    let mut item = json!({
                        "@type": "TouristAttraction",
                        "@id": format!("{origin}/records/{}", record.id),
                        "name": record.title(Lang::Vi),
                        "url": format!("{origin}{base}/records/{}", record.id),
                    });
                    if let Some(place) = place {
                        item["containedInPlace"] = place;
                    }
                    itinerary.push(item);
                    Some(json!({"number": stop.number, "url": format!("{base}/records/{}", record.id),
                           "name": record_title(record, lang),
                           "kind_label": kind_label(record.kind.as_str(), lang),
                           "village": village, "drawn": drawn}))
                }
                None => {
                    // A village stop (only those found were kept).
                    let v = stop.village?;
                    itinerary.push(place.unwrap_or_default());
                    Some(json!({"number": stop.number, "url": format!("{base}/villages/{}", v.id),
                           "name": village_name(v, lang), "kind_label": text(lang, "village"),
                           "village": null, "drawn": drawn}))
                }
            }
        })
        .collect();
    let festivals = festivals_at(site, viewer, &stops, lang, today)?;
    let itinerary = json!({
        "@type": "ItemList",
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "numberOfItems": itinerary.len(),
        "itemListElement": itinerary.into_iter().enumerate()
            .map(|(n, item)| json!({"@type": "ListItem", "position": n + 1, "item": item}))
            .collect::<Vec<_>>(),
    });
    let route_note = match (&svg, missing.len()) {
        (None, _) => Some(text(lang, "visit_route_none").to_string()),
        (Some(_), 0) => None,
        (Some(_), count) => Some(message(
            lang,
            "visit_route_missing",
            &[
                ("count", count.into()),
                (
                    "numbers",
                    missing
                        .iter()
                        .map(usize::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                ),
            ],
        )),
    };
    let view = json!({
        "stops": list,
        "route": svg,
        "route_note": route_note,
        "festivals": festivals,
        "window": FESTIVAL_WINDOW_DAYS,
        "today": {"iso": linked::iso_date(today), "label": date_label(today, lang)},
    });
    Ok((view, itinerary))
}

/// The festivals the viewer may see that are held at the visit's stops (festival records of the
/// stops' villages, and festival stops themselves) from `today` to [`FESTIVAL_WINDOW_DAYS`]
/// days later, soonest first.
fn festivals_at(
    site: &Site,
    viewer: &Viewer,
    stops: &[StopShown<'_>],
    lang: Lang,
    today: CalendarDate,
) -> Result<Vec<Value>, WebError> {
    let mut festivals: Vec<Record> = stops
        .iter()
        .filter_map(|s| s.record.clone())
        .filter(|r| r.kind == Kind::Festival)
        .collect();
    let mut villages: Vec<&str> = Vec::new();
    for village in stops.iter().filter_map(|s| s.village) {
        if !villages.contains(&village.id.as_str()) {
            villages.push(village.id.as_str());
        }
    }
    for village in villages {
        for page in 1..=10 {
            let query = SearchQuery {
                kind: Some(Kind::Festival.as_str().to_string()),
                village: Some(village.to_string()),
                page,
                ..SearchQuery::default()
            };
            let results = site.search_for(viewer, &query)?;
            for hit in &results.hits {
                if festivals.iter().any(|f| f.id.as_str() == hit.id) {
                    continue;
                }
                // Checked again against the archive: the index may lag an ingest by a moment.
                if let Ok((record, _, _)) = site.record_for(viewer, &hit.id) {
                    festivals.push(record);
                }
            }
            if page * crate::index::search::PAGE_SIZE >= results.total {
                break;
            }
        }
    }
    let authorities = site.authorities();
    let start = day_number(today);
    let mut within: Vec<(CalendarDate, Value)> = Vec::new();
    for festival in &festivals {
        let Some((lunar, dates)) = festival_dates(festival, today) else {
            continue;
        };
        let Some(date) = dates
            .iter()
            .map(|d| d.date)
            .find(|d| (0..=FESTIVAL_WINDOW_DAYS).contains(&(day_number(*d) - start)))
        else {
            continue;
        };
        let village = festival
            .village
            .as_ref()
            .and_then(|v| authorities.villages.get(v.as_str()))
            .map(|v| json!({"id": v.id, "name": village_name(v, lang)}));
        let days = day_number(date) - start;
        within.push((
            date,
            json!({
                "id": festival.id,
                "url": format!("{}/records/{}", prefix(lang), festival.id),
                "title": record_title(festival, lang),
                "village": village,
                "lunar": lunar_label(lunar, lang),
                "date": {"iso": linked::iso_date(date), "label": date_label(date, lang)},
                "in_days": message(lang, "visit_festival_in_days", &[("days", days.into())]),
            }),
        ));
    }
    within.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1["id"].as_str().cmp(&b.1["id"].as_str()))
    });
    Ok(within.into_iter().map(|(_, v)| v).collect())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days-from-civil).
pub fn day_number(date: CalendarDate) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days() {
        let day = |y, m, d| day_number(CalendarDate::new(y, m, d).unwrap());
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(2000, 3, 1) - day(2000, 2, 28), 2);
        assert_eq!(day(2026, 1, 1) - day(2025, 1, 1), 365);
        assert_eq!(day(2025, 3, 1) - day(2024, 3, 1), 365);
        assert_eq!(day(2024, 3, 1) - day(2023, 3, 1), 366);
    }
}
