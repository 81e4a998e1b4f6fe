//! The layout of the offline maps, pure and deterministic: where each dot and each label goes.
//!
//! - [`geometry`]: map units, rectangles, the projection, how much room a label takes;
//! - [`clusters`]: dots that would overlap go on a ring around their centre, each with a leader
//!   line to its true position;
//! - [`bunches`]: on the villages map, where rings leave targets too close for a finger (WCAG
//!   2.5.8), villages become one numbered circle listed beside the map;
//! - [`placement`]: labels beside their dots, never over each other, a dot, a line or the map's
//!   edge; a cluster's outward, in ring order; a label without room is left out.
//!
//! [`lay_out_villages`] puts them together for the villages map, and [`lay_out_route`] for the
//! route map of a visit (rings only, never bunches: every stop keeps its number; the route's line
//! joining the stops as drawn is kept free of labels too).

pub mod bunches;
pub mod clusters;
pub mod geometry;
pub mod placement;

pub use self::bunches::{BUNCH, Bunch, RING_MAX, gather};
pub use self::clusters::{CLOSE, Spread, TARGET_SPACING, spread};
pub use self::geometry::{
    FONT, Mark, Projection, Rect, Segment, WIDTH, distance, label_box, text_width,
};
use self::placement::{Label, place};
pub use self::placement::{Placed, place_labels};

/// The radius of the small dot left at a moved dot's true position, in map units.
pub const ORIGIN: f64 = 2.0;

/// The villages map laid out ([`lay_out_villages`]), indexed like the marks given.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageLayout {
    /// Each dot as drawn (a bunched village's: its true position, not drawn).
    pub dots: Vec<Spread>,
    /// For a dot moved onto a ring, the leader line from its true position (a dot of radius
    /// [`ORIGIN`]) to the moved dot's edge.
    pub origins: Vec<Option<Segment>>,
    /// Each dot's label, or none when it has no room (or its village is in a bunch).
    pub labels: Vec<Option<Placed>>,
    /// For a village drawn in a bunch, which (an index into `bunches`); none on a route.
    pub bunch_of: Vec<Option<usize>>,
    /// The bunches, ordered by their first village ([`bunches`]).
    pub bunches: Vec<Bunch>,
}

/// Lays out the villages map: the dots `marks` (true positions, map units, on a map [`WIDTH`]
/// wide and `height` high) are gathered into targets apart ([`gather`]: alone, on rings, or in
/// bunches) and each dot drawn gets its label `texts[i]` (same length) at `font` units where there
/// is room. Rings are labelled first (in the order of their first dot), each in ring order with
/// every label on the side of its dot facing away from the ring's centre; then the other dots in
/// the order given. No label covers another, a dot (moved or true), a bunch, a leader line, or
/// leaves the map.
pub fn lay_out_villages(marks: &[Mark], texts: &[String], height: f64, font: f64) -> VillageLayout {
    let reach: Vec<(f64, f64)> = texts.iter().map(|t| placement::reach(t, font)).collect();
    let gathered = gather(marks, &reach, height);
    label(
        gathered.dots,
        gathered.bunch_of,
        gathered.bunches,
        texts,
        &[],
        height,
        font,
    )
    .0
}

/// Lays out the route map of a visit as [`lay_out_villages`] does its villages, except that
/// stops are never bunched (stops within a few radii of each other go on a ring, tightened where
/// need be, each with a leader line to its true position), and joins the stops as drawn in the
/// order `path` (indices into `marks`; a stop visited twice comes twice). The answer's second
/// value is the route's line, segment by segment, between the drawn stops' centres: no label
/// covers it, and since it joins the moved stops rather than their true positions, every step of
/// the route has a length and can be followed, even between stops a few metres apart.
pub fn lay_out_route(
    marks: &[Mark],
    texts: &[String],
    path: &[usize],
    height: f64,
    font: f64,
) -> (VillageLayout, Vec<Segment>) {
    let reach: Vec<(f64, f64)> = texts.iter().map(|t| placement::reach(t, font)).collect();
    let dots = spread(marks, &reach, height);
    let none = vec![None; dots.len()];
    label(dots, none, Vec::new(), texts, path, height, font)
}

/// Labels the drawn `dots` (those not in one of `bunches`) and joins them by the route `path`
/// (empty for none), kept free of labels; gives the layout and the route's segments.
fn label(
    dots: Vec<Spread>,
    bunch_of: Vec<Option<usize>>,
    bunches: Vec<Bunch>,
    texts: &[String],
    path: &[usize],
    height: f64,
    font: f64,
) -> (VillageLayout, Vec<Segment>) {
    let origins: Vec<Option<Segment>> = dots
        .iter()
        .map(|dot| {
            let from = dot.origin?;
            let to = (dot.mark.x, dot.mark.y);
            let length = distance(from, to);
            // A dot moved by less than its radius still covers its true position.
            (length > dot.mark.r).then(|| {
                let back = dot.mark.r / length;
                (
                    from,
                    (to.0 + (from.0 - to.0) * back, to.1 + (from.1 - to.1) * back),
                )
            })
        })
        .collect();
    let route: Vec<Segment> = path
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (dots.get(pair[0])?.mark, dots.get(pair[1])?.mark);
            Some(((a.x, a.y), (b.x, b.y)))
        })
        .collect();
    let mut lines: Vec<Segment> = origins.iter().flatten().copied().collect();
    let obstacles: Vec<Mark> = lines
        .iter()
        .map(|((x, y), _)| Mark {
            x: *x,
            y: *y,
            r: ORIGIN,
        })
        .collect();
    lines.extend(route.iter().copied());
    // A bunched village's label is never placed; its mark is its bunch's circle, which no
    // other label may cover.
    let labels: Vec<Label<'_>> = dots
        .iter()
        .zip(texts)
        .zip(&bunch_of)
        .map(|((dot, text), bunch)| Label {
            mark: bunch.map_or(dot.mark, |b| bunches[b].mark),
            text,
            outward: dot.outward,
        })
        .collect();
    let mut ringed: Vec<((usize, usize), usize)> = dots
        .iter()
        .enumerate()
        .filter_map(|(i, dot)| Some((dot.ring?, i)))
        .collect();
    ringed.sort_unstable();
    let order: Vec<usize> = ringed
        .iter()
        .map(|(_, i)| *i)
        .chain((0..dots.len()).filter(|&i| dots[i].ring.is_none() && bunch_of[i].is_none()))
        .collect();
    let labels = place(&labels, &order, height, font, &lines, &obstacles);
    (
        VillageLayout {
            dots,
            origins,
            labels,
            bunch_of,
            bunches,
        },
        route,
    )
}

#[cfg(test)]
mod tests {
    use super::placement::tests::check;
    use super::*;

    /// Five villages about 200 m apart (0.002° of latitude or longitude from the middle one) on
    /// a map of Hà Nam's extent (the sample outline's box): their dots fall within a dot's
    /// width of each other.
    fn five_within_200_m() -> (Vec<Mark>, f64, (f64, f64)) {
        let projection = Projection::fit([(105.786, 20.337), (106.184, 20.713)]).unwrap();
        let places = [
            (105.900, 20.600),
            (105.902, 20.600),
            (105.900, 20.602),
            (105.898, 20.600),
            (105.900, 20.598),
        ];
        let marks: Vec<Mark> = places
            .iter()
            .map(|&(lon, lat)| {
                let (x, y) = projection.point(lon, lat);
                Mark { x, y, r: 6.0 }
            })
            .collect();
        let centre = projection.point(105.9, 20.6);
        (marks, projection.height, centre)
    }

    #[test]
    fn five_villages_within_200_m_get_a_ring_and_five_names_outward() {
        let (marks, height, centre) = five_within_200_m();
        for (i, a) in marks.iter().enumerate() {
            for b in &marks[i + 1..] {
                assert!(distance((a.x, a.y), (b.x, b.y)) < 2.0 * a.r, "{a:?} {b:?}");
            }
        }
        // Short names, and long ones (English) whose ring must keep room from the map's edge.
        let short: Vec<String> = ["Ngọc Động", "Đọi Tam", "Nha Xá", "Vũ Đại", "Đô Hai"]
            .iter()
            .map(|n| format!("Làng thử {n}"))
            .collect();
        let long: Vec<String> = (1..=5).map(|n| format!("Close test village {n}")).collect();
        for texts in [short, long] {
            five_names_outward(&marks, &texts, height, centre);
        }
    }

    fn five_names_outward(marks: &[Mark], texts: &[String], height: f64, centre: (f64, f64)) {
        let layout = lay_out_villages(marks, texts, height, FONT);
        assert_eq!(layout.labels.iter().flatten().count(), 5, "{layout:?}");
        // Every label apart from every other, from every dot drawn and every true position.
        let mut drawn: Vec<Mark> = layout.dots.iter().map(|d| d.mark).collect();
        drawn.extend(layout.origins.iter().flatten().map(|((x, y), _)| Mark {
            x: *x,
            y: *y,
            r: ORIGIN,
        }));
        check(&drawn, texts, &layout.labels, height);
        for (dot, label) in layout.dots.iter().zip(&layout.labels) {
            let label = label.as_ref().unwrap();
            // Outward: the label's middle is further from the cluster's centre than its dot,
            // and on the side the dot faces.
            let middle = (
                (label.rect.x0 + label.rect.x1) / 2.0,
                (label.rect.y0 + label.rect.y1) / 2.0,
            );
            let at = (dot.mark.x, dot.mark.y);
            assert!(distance(middle, centre) > distance(at, centre), "{label:?}");
            let away = dot.outward.unwrap();
            let towards = (middle.1 - at.1).atan2(middle.0 - at.0);
            assert!((towards - away).cos() >= -1e-9, "{label:?} faces inward");
            // Each dot is a target of its own: its neighbours on the ring are far enough.
            for other in &layout.dots {
                let apart = distance(at, (other.mark.x, other.mark.y));
                assert!(apart == 0.0 || apart >= TARGET_SPACING - 1e-9, "{apart}");
            }
        }
        // Every moved dot keeps a leader line to its true position.
        for (dot, line) in layout.dots.iter().zip(&layout.origins) {
            assert_eq!(line.map(|(from, _)| from), dot.origin);
        }
        assert_eq!(layout, lay_out_villages(marks, texts, height, FONT));
    }

    #[test]
    fn dots_apart_keep_their_place_and_their_labels_beside_them() {
        let marks = super::placement::tests::marks(&[(100.0, 100.0), (300.0, 200.0)]);
        let texts = vec!["Làng thử A".to_string(), "Làng thử B".to_string()];
        let layout = lay_out_villages(&marks, &texts, 400.0, FONT);
        assert!(layout.origins.iter().all(Option::is_none));
        assert_eq!(
            layout.labels,
            place_labels(&marks, &texts, 400.0, FONT, &[]),
            "alone, a dot's label goes where it always went"
        );
    }
}
