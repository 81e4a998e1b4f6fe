//! The offline maps, drawn here as SVG (no tile server, no script): the villages map of
//! `/villages` (the province outline curators supply and a dot per located village, each a link)
//! and the route map of a visit (its located stops, numbered and joined by a line).
//!
//! Accessibility: the villages map holds links, so it is a `group` (never `role="img"`, whose
//! children are presentational: axe-core's `nested-interactive`), named by its title, and each
//! link carries its own accessible name (village, class, and "lost" where it is). The route map
//! holds no link: it is an image, named and described, whose text alternative is the ordered
//! list of stops beside it. A dot's colour says its Decree 52 class; a lost village is drawn as a
//! crossed ring, a different shape, so colour never carries meaning alone; both legends are
//! drawn with the same symbols.
//!
//! Target size (WCAG 2.5.8): a link on the villages map is its symbol only (a dot, 12 units
//! across, or a bunch's numbered circle); names are drawn beside them, outside the links and
//! hidden from assistive technology (each link's name says it). The stylesheet draws the map at
//! one CSS px per unit at every width (a phone scrolls it sideways rather than shrinking it to
//! 7 px names and 6 px dots), and [`layout::gather`] keeps the symbols' centres
//! [`layout::TARGET_SPACING`] apart: villages closer than a few dot radii are drawn on a small
//! ring around their centre, each dot joined by a thin leader line to a small dot at its true
//! position (outside the links, hidden from assistive technology), so each stays a link of its
//! own with room around it ([`layout::clusters`]); where even rings would crowd each other, the
//! villages are drawn as one numbered circle (a *bunch*) whose link leads to their list beside the
//! map ([`layout::bunches`]). Labels are placed by [`layout::lay_out_villages`]: never over each
//! other, a dot, a leader line or the map's edge, a cluster's outward in ring order; a label
//! without room is left out (the village stays a link on the map and in the list).
//!
//! A visit's stops are laid out the same way ([`layout::lay_out_route`]), but never bunched:
//! stops a few hundred metres apart go on a ring with leader lines to their true positions, so no
//! number hides another, and the route's line joins the stops *as drawn*. Joining the true
//! positions instead would give steps of no length under a ring (the order could not be followed)
//! and lines crossing the ring's other stops; the leader lines already show where each stop truly
//! is. The route map shows the route, not the province: its view is fitted to the stops with a
//! margin ([`ROUTE_MARGIN`]) and at least [`ROUTE_LEAST_KM`] across, the outline drawn around them
//! for context.

pub mod layout;

use serde_json::{Value, json};

use self::layout::{
    FONT, Mark, ORIGIN, Placed, Projection, Segment, WIDTH, lay_out_route, lay_out_villages,
};
use super::labels::{status_key, status_label, village_name};
use crate::model::{Activity, Lang, RiskStatus, Village};
use crate::web::i18n::{message, text};
use crate::web::templates::escape;

/// The outline a village map is drawn on: `templates/static/map-outline.json`, rings of
/// `[longitude, latitude]` (curators of another province replace the file).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MapOutline {
    /// Rings of the province boundary.
    #[serde(default)]
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// The radius of a village's dot, in map units.
const DOT: f64 = 6.0;

/// The radius of a visit's numbered stop, in map units.
const STOP: f64 = 9.0;

/// Around a visit's stops, the room its route map shows on every side, as a fraction of the
/// stops' extent.
pub const ROUTE_MARGIN: f64 = 0.15;

/// The least extent of a route map, in kilometres: a walk between two workshops 200 m apart is
/// shown with its surroundings, not blown up to the map's width.
pub const ROUTE_LEAST_KM: f64 = 3.0;

/// Where `village` is drawn: its position as (longitude, latitude), or `None` without one or
/// with one outside Vietnam ([`crate::model::VIETNAM_LATITUDES`], which ingest refuses now but
/// an older archive may hold: one `0,0` would squeeze every other village into a corner). Such
/// a village is listed beside the map instead.
fn position(village: &Village) -> Option<(f64, f64)> {
    let (lon, lat) = (village.longitude?, village.latitude?);
    let within = |value: f64, (low, high): (f64, f64)| value >= low && value <= high;
    (within(lat, crate::model::VIETNAM_LATITUDES) && within(lon, crate::model::VIETNAM_LONGITUDES))
        .then_some((lon, lat))
}

/// The projection fitting the outline and `points`, and the outline as SVG paths.
fn canvas(outline: &MapOutline, points: &[(f64, f64)]) -> Option<(Projection, String)> {
    let projection = Projection::fit(
        outline
            .rings
            .iter()
            .flatten()
            .map(|[lon, lat]| (*lon, *lat))
            .chain(points.iter().copied()),
    )?;
    Some((projection, outline_svg(outline, &projection)))
}

/// The outline as SVG paths under `projection` (what falls outside the map is clipped by it).
fn outline_svg(outline: &MapOutline, projection: &Projection) -> String {
    let mut paths = String::new();
    for ring in &outline.rings {
        let path: Vec<String> = ring
            .iter()
            .map(|[lon, lat]| {
                let (x, y) = projection.point(*lon, *lat);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        paths.push_str(&format!(
            "<path class=\"province\" d=\"M{}Z\"/>",
            path.join("L")
        ));
    }
    paths
}

/// The `<svg>` start tag of a map `height` units high.
fn svg_start(height: f64, attributes: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {WIDTH:.0} {height:.1}\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" {attributes} xmlns=\"http://www.w3.org/2000/svg\">"
    )
}

/// A label as SVG: its leader line, if any, then its text.
fn label_svg(placed: &Placed, name: &str, lang: &str) -> String {
    let leader = placed.leader.map_or_else(String::new, |((x1, y1), (x2, y2))| {
        format!("<line class=\"leader\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/>")
    });
    format!(
        "{leader}<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" lang=\"{lang}\">{}</text>",
        placed.x,
        placed.y,
        escape(name)
    )
}

/// The true positions of dots moved onto a ring, each a small dot with a leader line to the
/// moved dot, as an SVG group hidden from assistive technology (drawing only: the links or the
/// list beside the map carry the meaning); empty when no dot moved.
fn origins_svg(origins: &[Option<Segment>]) -> String {
    let lines: String = origins
        .iter()
        .flatten()
        .map(|((x1, y1), (x2, y2))| {
            format!(
                "<line class=\"leader\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"/><circle class=\"origin\" cx=\"{x1:.1}\" cy=\"{y1:.1}\" r=\"{ORIGIN:.1}\"/>"
            )
        })
        .collect();
    if lines.is_empty() {
        lines
    } else {
        format!("<g class=\"origins\" aria-hidden=\"true\">{lines}</g>")
    }
}

/// A village's symbol at `(x, y)`: a dot in its class's colour, or, for a lost village, a ring
/// in that colour crossed out (a shape of its own, not only a colour).
fn symbol(status: Option<RiskStatus>, lost: bool, x: f64, y: f64, r: f64) -> String {
    let key = status_key(status);
    if lost {
        let d = r * 0.55;
        format!(
            "<g class=\"symbol lost status-{key}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/><path d=\"M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}\"/></g>",
            r - 1.0,
            x - d,
            y - d,
            x + d,
            y + d,
            x - d,
            y + d,
            x + d,
            y - d,
        )
    } else {
        format!(
            "<circle class=\"symbol dot status-{key}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/>"
        )
    }
}

/// A legend entry's symbol, as a small SVG of its own (hidden from assistive technology: the
/// entry's text says what it means).
fn legend_symbol(status: Option<RiskStatus>, lost: bool) -> String {
    format!(
        "<svg class=\"legend-symbol\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        symbol(status, lost, 8.0, 8.0, 6.5)
    )
}

/// A bunch's symbol at `(x, y)`: a white circle of radius `r` with how many villages it holds.
fn bunch_symbol(count: usize, x: f64, y: f64, r: f64) -> String {
    format!(
        "<g class=\"bunch\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/><text class=\"count\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text></g>",
        y + 0.36 * r
    )
}

/// An offline map of villages for `/villages` (see the module doc), as a JSON value for the
/// template: `svg` (the map, or null when nothing can be drawn), `unlocated` (villages without
/// coordinates, `{id, name}`), `legend` (`{symbol, label}`, the classes then "lost", then the
/// bunch when the map has one), `groups` (the bunches, `{id, count, villages: [{id, name}]}`,
/// `id` the fragment their link leads to), `located` (how many villages are drawn) and
/// `unlabelled` (how many of those drawn on their own or on a ring have no room for their name).
/// Links come north to south, then west to east, a bunch where its first village would be; a
/// cluster's labels are placed first, outward in ring order ([`layout::lay_out_villages`]).
pub fn village_map(outline: &MapOutline, villages: &[&Village], lang: Lang, base: &str) -> Value {
    let mut located: Vec<(&Village, (f64, f64))> = villages
        .iter()
        .filter_map(|v| Some((*v, position(v)?)))
        .collect();
    let unlocated: Vec<Value> = villages
        .iter()
        .filter(|v| position(v).is_none())
        .map(|v| json!({"id": v.id, "name": village_name(v, lang)}))
        .collect();
    let mut legend = legend(lang);
    let points: Vec<(f64, f64)> = located.iter().map(|(_, p)| *p).collect();
    let Some((projection, outline_paths)) = canvas(outline, &points) else {
        return json!({"svg": null, "unlocated": unlocated, "legend": legend, "groups": [],
                      "located": 0, "unlabelled": 0});
    };
    // North to south, then west to east, then by id: the same villages give the same map.
    located.sort_by(|(a, pa), (b, pb)| {
        pb.1.total_cmp(&pa.1)
            .then(pa.0.total_cmp(&pb.0))
            .then(a.id.cmp(&b.id))
    });
    let marks: Vec<Mark> = located
        .iter()
        .map(|(_, (lon, lat))| {
            let (x, y) = projection.point(*lon, *lat);
            Mark { x, y, r: DOT }
        })
        .collect();
    let names: Vec<_> = located.iter().map(|(v, _)| village_name(v, lang)).collect();
    let texts: Vec<String> = names.iter().map(|n| n.text.clone()).collect();
    let layout = lay_out_villages(&marks, &texts, projection.height, FONT);
    let title = text(lang, "map");
    let mut svg = svg_start(
        projection.height,
        "role=\"group\" aria-labelledby=\"map-title\"",
    );
    svg.push_str(&format!(
        "<title id=\"map-title\">{}</title>{outline_paths}",
        escape(title)
    ));
    // True positions of moved dots: drawing only, the links below carry the meaning.
    svg.push_str(&origins_svg(&layout.origins));
    let lost_word = text(lang, "map_lost");
    // Names beside the links, drawn over them; each link's own name says the same.
    let mut labels = String::new();
    let mut groups: Vec<Value> = Vec::new();
    let mut drawn = vec![false; layout.bunches.len()];
    for (k, ((village, _), dot)) in located.iter().zip(&layout.dots).enumerate() {
        if let Some(b) = layout.bunch_of[k] {
            if std::mem::replace(&mut drawn[b], true) {
                continue;
            }
            let bunch = &layout.bunches[b];
            let id = format!("map-group-{}", groups.len() + 1);
            let members: Vec<&str> = bunch.members.iter().map(|&i| texts[i].as_str()).collect();
            let count = members.len();
            let accessible = message(
                lang,
                "map_bunch",
                &[
                    ("count", count.into()),
                    ("names", members.join(", ").into()),
                ],
            );
            svg.push_str(&format!(
                "<a href=\"#{id}\" aria-label=\"{}\"><title>{}</title>{}</a>",
                escape(&accessible),
                escape(&accessible),
                bunch_symbol(count, bunch.mark.x, bunch.mark.y, bunch.mark.r),
            ));
            let listed: Vec<Value> = bunch
                .members
                .iter()
                .map(|&i| json!({"id": located[i].0.id, "name": names[i]}))
                .collect();
            groups.push(json!({"id": id, "count": count, "villages": listed}));
            continue;
        }
        let mark = dot.mark;
        let lost = village.activity == Some(Activity::Lost);
        let class = status_label(village.status, lang);
        let name = &names[k];
        let accessible = if lost {
            format!("{} — {class}; {lost_word}", name.text)
        } else {
            format!("{} — {class}", name.text)
        };
        svg.push_str(&format!(
            "<a href=\"{base}/villages/{}\" aria-label=\"{}\"><title>{}</title>{}</a>",
            village.id,
            escape(&accessible),
            escape(&accessible),
            symbol(village.status, lost, mark.x, mark.y, DOT),
        ));
        if let Some(placed) = &layout.labels[k] {
            labels.push_str(&label_svg(placed, &name.text, name.lang));
        }
    }
    if !labels.is_empty() {
        svg.push_str(&format!(
            "<g class=\"labels\" aria-hidden=\"true\">{labels}</g>"
        ));
    }
    svg.push_str("</svg>");
    if !groups.is_empty() {
        legend.push(json!({"key": "bunch", "symbol": legend_bunch(),
                           "label": text(lang, "map_legend_bunch")}));
    }
    let unlabelled = layout
        .labels
        .iter()
        .zip(&layout.bunch_of)
        .filter(|(label, bunch)| label.is_none() && bunch.is_none())
        .count();
    json!({"svg": svg, "unlocated": unlocated, "legend": legend, "groups": groups,
           "located": located.len(), "unlabelled": unlabelled})
}

/// The bunch's legend symbol, as a small SVG of its own (hidden from assistive technology).
fn legend_bunch() -> String {
    format!(
        "<svg class=\"legend-symbol\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        bunch_symbol(7, 8.0, 8.0, 7.0)
    )
}

/// The legend: each class's dot, then the lost village's symbol.
fn legend(lang: Lang) -> Vec<Value> {
    let mut legend: Vec<Value> = [
        Some(RiskStatus::AtRiskIrreversible),
        Some(RiskStatus::AtRiskRevivable),
        Some(RiskStatus::Developing),
        None,
    ]
    .into_iter()
    .map(|status| {
        json!({"key": status_key(status), "symbol": legend_symbol(status, false),
                         "label": status_label(status, lang)})
    })
    .collect();
    legend.push(json!({"key": "lost", "symbol": legend_symbol(None, true),
                       "label": text(lang, "map_legend_lost")}));
    legend
}

/// A stop of a route as the route map draws it: its number in the visit (from 1), its name, and
/// its village when that village has coordinates.
#[derive(Debug, Clone)]
pub struct RouteStop<'a> {
    /// Its number in the visit, from 1.
    pub number: usize,
    /// The village it is in (a village stop's own; a record stop's record's), when known.
    pub village: Option<&'a Village>,
}

/// The route map of a visit: a line joining the located stops in order and a numbered marker
/// per village stopped at (several numbers when the visit comes back), each labelled with the
/// village's name where there is room, over the outline; the view is fitted to the stops
/// ([`Projection::around`] with [`ROUTE_MARGIN`] and [`ROUTE_LEAST_KM`]), not to the province. An image (`role="img"`, titled and
/// described); `None` when no stop has coordinates. The second value lists the numbers of the
/// stops that are not drawn.
pub fn route_map(
    outline: &MapOutline,
    stops: &[RouteStop<'_>],
    lang: Lang,
) -> (Option<String>, Vec<usize>) {
    let drawn: Vec<(usize, &Village, (f64, f64))> = stops
        .iter()
        .filter_map(|s| {
            let village = s.village?;
            Some((s.number, village, position(village)?))
        })
        .collect();
    let missing: Vec<usize> = stops
        .iter()
        .filter(|s| !drawn.iter().any(|(n, _, _)| *n == s.number))
        .map(|s| s.number)
        .collect();
    if drawn.is_empty() {
        return (None, missing);
    }
    let points: Vec<(f64, f64)> = drawn.iter().map(|(_, _, p)| *p).collect();
    // The view fits the route, not the province: the stops spread over the map.
    let Some(projection) = Projection::around(&points, ROUTE_MARGIN, ROUTE_LEAST_KM) else {
        return (None, missing);
    };
    let outline_paths = outline_svg(outline, &projection);
    // One marker per village, with every number of the stops made there; `path` is the route
    // through the markers, in the visit's order.
    let mut places: Vec<(&Village, (f64, f64), Vec<usize>)> = Vec::new();
    let mut path: Vec<usize> = Vec::new();
    for (number, village, (lon, lat)) in &drawn {
        match places.iter().position(|(v, _, _)| v.id == village.id) {
            Some(at) => {
                places[at].2.push(*number);
                path.push(at);
            }
            None => {
                path.push(places.len());
                places.push((village, projection.point(*lon, *lat), vec![*number]));
            }
        }
    }
    let digits: Vec<String> = places
        .iter()
        .map(|(_, _, numbers)| {
            numbers
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let marks: Vec<Mark> = places
        .iter()
        .zip(&digits)
        .map(|((_, (x, y), _), digits)| Mark {
            x: *x,
            y: *y,
            r: STOP.max(layout::text_width(digits, 11.0) / 2.0 + 3.0),
        })
        .collect();
    let names: Vec<_> = places
        .iter()
        .map(|(v, _, _)| village_name(v, lang))
        .collect();
    let texts: Vec<String> = names.iter().map(|n| n.text.clone()).collect();
    // Stops a few hundred metres apart go on a ring, as villages do on /villages; the line
    // joins the stops as drawn, so each step of the route can be followed (see `lay_out_route`).
    let (layout, route) = lay_out_route(&marks, &texts, &path, projection.height, FONT);
    let mut svg = svg_start(
        projection.height,
        "role=\"img\" aria-labelledby=\"route-title route-desc\"",
    );
    svg.push_str(&format!(
        "<title id=\"route-title\">{}</title><desc id=\"route-desc\">{}</desc>{outline_paths}",
        escape(text(lang, "visit_route_title")),
        escape(text(lang, "visit_route_desc"))
    ));
    svg.push_str(&origins_svg(&layout.origins));
    let mut line: Vec<String> = Vec::new();
    for (k, ((x1, y1), (x2, y2))) in route.iter().enumerate() {
        if k == 0 {
            line.push(format!("{x1:.1},{y1:.1}"));
        }
        line.push(format!("{x2:.1},{y2:.1}"));
    }
    if line.is_empty() {
        if let Some(dot) = layout.dots.first() {
            line.push(format!("{:.1},{:.1}", dot.mark.x, dot.mark.y));
        }
    }
    svg.push_str(&format!(
        "<polyline class=\"route-line\" fill=\"none\" points=\"{}\"/>",
        line.join(" ")
    ));
    for ((dot, digits), (name, label)) in layout
        .dots
        .iter()
        .zip(&digits)
        .zip(names.iter().zip(&layout.labels))
    {
        let Mark { x, y, r } = dot.mark;
        svg.push_str(&format!(
            "<g class=\"stop\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/><text class=\"number\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{digits}</text></g>{}",
            y + 4.0,
            label
                .as_ref()
                .map_or_else(String::new, |p| label_svg(p, &name.text, name.lang)),
        ));
    }
    svg.push_str("</svg>");
    (Some(svg), missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VillageId;
    use crate::web::views::map::layout::distance;

    fn village(id: &str, name: &str, at: Option<(f64, f64)>) -> Village {
        let mut village = Village::new(VillageId::parse(id).unwrap(), name);
        if let Some((lat, lon)) = at {
            village.latitude = Some(lat);
            village.longitude = Some(lon);
        }
        village
    }

    #[test]
    fn a_lost_village_has_its_own_shape_and_says_so_in_its_name() {
        let mut lost = village("lang-mat", "Làng thử đã mất", Some((20.5, 106.0)));
        lost.activity = Some(Activity::Lost);
        lost.status = Some(RiskStatus::AtRiskIrreversible);
        let active = village("lang-con", "Làng thử còn nghề", Some((20.6, 105.9)));
        let map = village_map(&MapOutline::default(), &[&lost, &active], Lang::Vi, "");
        let svg = map["svg"].as_str().unwrap();
        assert!(svg.contains("role=\"group\"") && !svg.contains("role=\"img\""));
        assert!(svg.contains(
            "aria-label=\"Làng thử đã mất — Có nguy cơ mai một, khó khôi phục; đã thất truyền\""
        ));
        assert_eq!(
            svg.matches("class=\"symbol lost status-at-risk-irreversible\"")
                .count(),
            1
        );
        assert_eq!(svg.matches("class=\"symbol dot status-none\"").count(), 1);
        let legend = map["legend"].as_array().unwrap();
        assert_eq!(legend.len(), 5);
        assert!(
            legend[4]["symbol"]
                .as_str()
                .unwrap()
                .contains("symbol lost")
        );
        let english = village_map(&MapOutline::default(), &[&lost], Lang::En, "/en");
        let svg = english["svg"].as_str().unwrap();
        assert!(svg.contains("; craft lost\""), "{svg}");
        assert!(svg.contains("href=\"/en/villages/lang-mat\""));
    }

    #[test]
    fn without_coordinates_there_is_no_map_but_a_list() {
        let unlocated = village("lang-xa", "Làng thử xa", None);
        let map = village_map(&MapOutline::default(), &[&unlocated], Lang::Vi, "");
        assert!(map["svg"].is_null());
        assert_eq!(map["unlocated"][0]["id"], "lang-xa");
    }

    /// A position outside Vietnam that an older archive holds (`0,0`) is listed, not drawn:
    /// the other villages keep the map to themselves (break14 finding 6).
    #[test]
    fn a_position_outside_vietnam_is_listed_not_drawn() {
        let zero = village("lang-khong", "Làng thử số không", Some((0.0, 0.0)));
        let a = village("lang-a", "Làng thử A", Some((20.6, 105.95)));
        let b = village("lang-b", "Làng thử B", Some((20.45, 106.05)));
        let map = village_map(&MapOutline::default(), &[&zero, &a, &b], Lang::Vi, "");
        let svg = map["svg"].as_str().expect("a map of A and B");
        assert!(
            svg.contains("Làng thử A") && svg.contains("Làng thử B"),
            "{svg}"
        );
        assert!(!svg.contains("lang-khong"), "{svg}");
        assert_eq!(map["unlocated"][0]["id"], "lang-khong");
        assert_eq!(map["unlocated"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_route_joins_located_stops_in_order_and_names_the_others() {
        let a = village("lang-a", "Làng thử A", Some((20.6, 105.95)));
        let b = village("lang-b", "Làng thử B", Some((20.45, 106.05)));
        let far = village("lang-x", "Làng thử X", None);
        let stops = [
            RouteStop {
                number: 1,
                village: Some(&a),
            },
            RouteStop {
                number: 2,
                village: Some(&far),
            },
            RouteStop {
                number: 3,
                village: None,
            },
            RouteStop {
                number: 4,
                village: Some(&b),
            },
            RouteStop {
                number: 5,
                village: Some(&a),
            },
        ];
        let (svg, missing) = route_map(&MapOutline::default(), &stops, Lang::Vi);
        let svg = svg.unwrap();
        assert_eq!(missing, [2, 3]);
        assert!(svg.contains("role=\"img\"") && !svg.contains("<a "));
        let points = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(points.split(' ').count(), 3, "{points}");
        assert!(svg.contains(">1,5</text>") && svg.contains(">4</text>"));
        let (none, missing) = route_map(&MapOutline::default(), &stops[1..3], Lang::Vi);
        assert!(none.is_none());
        assert_eq!(missing, [2, 3]);
    }

    /// Seven villages on one spot (more than a ring holds) are one bunch: a numbered circle whose
    /// link leads to their list; the village apart stays a link of its own; names are drawn
    /// outside the links, hidden from assistive technology.
    #[test]
    fn villages_too_many_for_a_ring_are_one_bunch_listed_beside_the_map() {
        let mut villages: Vec<Village> = (1..=7)
            .map(|n| {
                village(
                    &format!("lang-{n}"),
                    &format!("Làng thử {n}"),
                    Some((20.55, 106.0)),
                )
            })
            .collect();
        villages.push(village("lang-xa", "Làng thử xa", Some((20.40, 105.85))));
        let refs: Vec<&Village> = villages.iter().collect();
        let map = village_map(&MapOutline::default(), &refs, Lang::Vi, "");
        let svg = map["svg"].as_str().unwrap();
        assert_eq!(svg.matches("<a ").count(), 2, "{svg}");
        assert!(svg.contains(
            "<a href=\"#map-group-1\" aria-label=\"7 làng gần nhau — Làng thử 1, Làng thử 2, Làng thử 3, Làng thử 4, Làng thử 5, Làng thử 6, Làng thử 7; danh sách dưới bản đồ\">"
        ), "{svg}");
        assert!(svg.contains(">7</text></g></a>"), "{svg}");
        assert_eq!(map["groups"][0]["id"], "map-group-1");
        assert_eq!(map["groups"][0]["count"], 7);
        assert_eq!(map["groups"][0]["villages"].as_array().unwrap().len(), 7);
        assert_eq!(map["groups"][0]["villages"][6]["id"], "lang-7");
        assert_eq!(map["legend"].as_array().unwrap().len(), 6);
        assert_eq!(map["unlabelled"], 0);
        // The one label, outside every link and hidden from assistive technology.
        let labels = svg
            .split("<g class=\"labels\" aria-hidden=\"true\">")
            .nth(1)
            .unwrap();
        assert!(labels.contains(">Làng thử xa</text>"), "{svg}");
        for link in svg.split("<a ").skip(1) {
            assert!(
                !link
                    .split("</a>")
                    .next()
                    .unwrap()
                    .contains("<text class=\"label\"")
            );
        }
        let english = village_map(&MapOutline::default(), &refs, Lang::En, "/en");
        assert!(
            english["svg"]
                .as_str()
                .unwrap()
                .contains("aria-label=\"7 villages close together — Làng thử 1,")
        );
    }

    /// The height of a map, from its `<svg>` start tag.
    fn height(svg: &str) -> f64 {
        svg.split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(['"', ' '])
            .nth(1)
            .unwrap()
            .parse()
            .unwrap()
    }

    /// A visit's page drew the whole province, its stops a small cluster: the view now fits the
    /// route, with a margin, and two stops 200 m apart are not blown up to the map's width.
    #[test]
    fn a_route_map_is_fitted_to_its_stops_not_to_the_province() {
        let outline = MapOutline {
            rings: vec![vec![
                [105.786, 20.337],
                [106.184, 20.337],
                [106.184, 20.713],
                [105.786, 20.713],
            ]],
        };
        let north = village("lang-bac", "Làng thử Bắc", Some((20.60, 105.99)));
        let south = village("lang-nam", "Làng thử Nam", Some((20.56, 106.01)));
        let stops = [
            RouteStop {
                number: 1,
                village: Some(&north),
            },
            RouteStop {
                number: 2,
                village: Some(&south),
            },
        ];
        let (svg, _) = route_map(&outline, &stops, Lang::Vi);
        let svg = svg.unwrap();
        let circles = stop_circles(&svg);
        let spread = (circles[0].1 - circles[1].1).abs() / height(&svg);
        assert!(spread > 0.6, "{spread}: {svg}");
        assert!(svg.contains(">Làng thử Bắc</text>") && svg.contains(">Làng thử Nam</text>"));
        assert!(svg.contains(">1</text>") && svg.contains(">2</text>"));
        // 200 m apart: about 200/3000 of the drawn width, not the whole map.
        let near = village("lang-gan", "Làng thử Gần", Some((20.6018, 105.99)));
        let stops = [
            RouteStop {
                number: 1,
                village: Some(&north),
            },
            RouteStop {
                number: 2,
                village: Some(&near),
            },
        ];
        let (svg, _) = route_map(&outline, &stops, Lang::Vi);
        let circles = stop_circles(&svg.unwrap());
        let apart = distance((circles[0].0, circles[0].1), (circles[1].0, circles[1].1));
        assert!((25.0..60.0).contains(&apart), "{apart}");
    }

    /// The circles (`cx`, `cy`, `r`) and numbers of a route map's stops, in drawing order.
    fn stop_circles(svg: &str) -> Vec<(f64, f64, f64, String)> {
        let attribute = |s: &str, name: &str| -> f64 {
            let from = s.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            s[from..].split('"').next().unwrap().parse().unwrap()
        };
        svg.split("<g class=\"stop\">")
            .skip(1)
            .map(|g| {
                let number = g.split("text-anchor=\"middle\">").nth(1).unwrap();
                let number = number.split('<').next().unwrap().to_string();
                (
                    attribute(g, "cx"),
                    attribute(g, "cy"),
                    attribute(g, "r"),
                    number,
                )
            })
            .collect()
    }

    #[test]
    fn stops_a_few_metres_apart_are_spread_so_no_number_hides_another() {
        // Đọi Tam and Ngọc Động (about 250 m apart, the tester's visit-1), five stops within
        // 100 m, and two at one spot: every circle apart from every other.
        let places = [
            ("doi-tam", 20.6210, 105.9870),
            ("ngoc-dong", 20.6228, 105.9885),
            ("near-0", 20.5500, 106.0000),
            ("near-1", 20.5504, 106.0003),
            ("near-2", 20.5497, 106.0006),
            ("near-3", 20.5502, 105.9995),
            ("near-4", 20.5496, 105.9998),
            ("same-a", 20.5000, 105.9500),
            ("same-b", 20.5000, 105.9500),
        ];
        let villages: Vec<Village> = places
            .iter()
            .map(|(id, lat, lon)| village(id, &format!("Làng thử {id}"), Some((*lat, *lon))))
            .collect();
        let outline = MapOutline {
            rings: vec![vec![
                [105.786, 20.337],
                [106.184, 20.337],
                [106.184, 20.713],
                [105.786, 20.713],
            ]],
        };
        // Visit order 1..=9, then back to Đọi Tam (10).
        let mut stops: Vec<RouteStop<'_>> = villages
            .iter()
            .enumerate()
            .map(|(i, v)| RouteStop {
                number: i + 1,
                village: Some(v),
            })
            .collect();
        stops.push(RouteStop {
            number: 10,
            village: Some(&villages[0]),
        });
        let (svg, missing) = route_map(&outline, &stops, Lang::Vi);
        let svg = svg.unwrap();
        assert!(missing.is_empty());
        let circles = stop_circles(&svg);
        assert_eq!(circles.len(), 9, "{svg}");
        let numbers: Vec<&str> = circles.iter().map(|c| c.3.as_str()).collect();
        assert_eq!(numbers, ["1,10", "2", "3", "4", "5", "6", "7", "8", "9"]);
        for (i, a) in circles.iter().enumerate() {
            for b in &circles[i + 1..] {
                let apart = distance((a.0, a.1), (b.0, b.1));
                assert!(apart >= a.2 + b.2, "{} covers {}: {a:?} {b:?}", a.3, b.3);
            }
        }
        // Each moved stop keeps a leader line to its true position, and the route joins the
        // stops as drawn: 10 stops, 10 points, the last back at the first.
        assert!(svg.matches("class=\"origin\"").count() >= 7, "{svg}");
        let points: Vec<&str> = svg
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .collect();
        assert_eq!(points.len(), 10, "{points:?}");
        assert_eq!(points[0], points[9]);
        for (point, circle) in points.iter().zip(&circles) {
            assert_eq!(*point, format!("{:.1},{:.1}", circle.0, circle.1));
        }
    }
}
