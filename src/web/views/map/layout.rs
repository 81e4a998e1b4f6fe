//! The geometry of the offline maps, pure and deterministic: projecting longitude and latitude
//! to map units, estimating how much room a label takes, and placing labels so that no two
//! overlap, none covers a dot, and none leaves the map.
//!
//! Map units are SVG user units: the map is [`WIDTH`] units wide, labels are [`FONT`] units
//! high. A label's room is estimated from its characters with generous widths (wider than Be
//! Vietnam Pro's and the fallback fonts' advances) and a line height covering Vietnamese stacked
//! tone marks, so the boxes computed here contain what a browser draws (`getBBox`), which the
//! browser tests check.
//!
//! Placement is greedy: each label, in the order given, takes the first of several positions
//! around its dot (right, left, above, below, the four diagonals, then the same eight further out
//! with a leader line) that is free; a label with no free position is not drawn, and its village
//! stays reachable through its dot and the list beside the map.

/// The width of every map, in map units.
pub const WIDTH: f64 = 600.0;

/// The font size of labels, in map units.
pub const FONT: f64 = 13.0;

/// Above the baseline, the room a label takes, in font sizes (stacked tone marks: `Ấ`, `Ộ`).
const ASCENT: f64 = 1.15;

/// Below the baseline, the room a label takes, in font sizes.
const DESCENT: f64 = 0.4;

/// Room kept free around each label and dot, in map units.
const PAD: f64 = 1.5;

/// Space between a dot and a label beside it, in map units.
const GAP: f64 = 2.5;

/// Space around the map's edge that no label enters, in map units.
const EDGE: f64 = 2.0;

/// An axis-aligned rectangle in map units (`x0 <= x1`, `y0 <= y1`, y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// Whether the two rectangles share any area (touching edges do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// This rectangle grown by `by` on every side.
    pub fn grown(&self, by: f64) -> Rect {
        Rect {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }

    /// Whether the segment from `a` to `b` crosses or enters this rectangle (Liang–Barsky).
    pub fn meets_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// How longitude and latitude become map units: an equirectangular projection with longitudes
/// scaled by the cosine of the middle latitude (shapes keep their proportions at a province's
/// scale), fitted to [`WIDTH`] with a margin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    min_lon: f64,
    max_lat: f64,
    /// Map units per degree of latitude.
    unit: f64,
    /// cos(middle latitude).
    squeeze: f64,
    margin: f64,
    /// The map's height in map units.
    pub height: f64,
}

impl Projection {
    /// The projection fitting every `(longitude, latitude)` given; `None` when there is none
    /// (or none finite).
    pub fn fit(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Projection> {
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lon, lat) in points
            .into_iter()
            .filter(|(lon, lat)| lon.is_finite() && lat.is_finite())
        {
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
        }
        if min_lon > max_lon {
            return None;
        }
        let squeeze = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let margin = 24.0;
        // A single point (or a line of them) still gets a map of some extent.
        let span = ((max_lon - min_lon) * squeeze)
            .max(max_lat - min_lat)
            .max(0.01);
        let unit = (WIDTH - 2.0 * margin) / span;
        let drawn_width = (max_lon - min_lon) * squeeze * unit;
        let min_lon = min_lon - ((WIDTH - 2.0 * margin - drawn_width) / 2.0) / (unit * squeeze);
        let height = (max_lat - min_lat) * unit + 2.0 * margin;
        Some(Projection {
            min_lon,
            max_lat,
            unit,
            squeeze,
            margin,
            height: height.max(120.0),
        })
    }

    /// A position in map units.
    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.squeeze * self.unit + self.margin,
            (self.max_lat - lat) * self.unit + self.margin,
        )
    }
}

/// The advance of one character, in font sizes, rounded up from Be Vietnam Pro's and the usual
/// fallbacks' (DejaVu Sans, Noto Sans, Arial); a combining mark takes none.
fn advance(c: char) -> f64 {
    if unicode_combining(c) {
        return 0.0;
    }
    match c {
        ' ' => 0.34,
        'i' | 'j' | 'l' | 'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' | '.' | ',' | ':' | ';' | '\'' | '!'
        | '|' | 'I' | 'Ì' | 'Í' | 'Ỉ' | 'Ĩ' | 'Ị' => 0.36,
        'f' | 't' | 'r' | '(' | ')' | '-' | '·' => 0.46,
        'm' | 'w' | 'M' | 'W' | '—' => 1.02,
        c if c.is_ascii_digit() => 0.68,
        c if c.is_uppercase() => 0.8,
        _ => 0.66,
    }
}

/// Whether `c` is a combining mark (U+0300–U+036F), drawn over the letter before it.
fn unicode_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The width a label of `text` at font size `font` takes, in map units (an overestimate).
pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(advance).sum::<f64>() * font
}

/// The room a label of `text` takes with its baseline starting at `(x, y)` (`text-anchor:
/// start`), padding excluded.
pub fn label_box(text: &str, x: f64, y: f64, font: f64) -> Rect {
    Rect {
        x0: x,
        y0: y - ASCENT * font,
        x1: x + text_width(text, font),
        y1: y + DESCENT * font,
    }
}

/// A mark on the map that labels must not cover: a dot (its centre and radius).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Centre, in map units.
    pub x: f64,
    /// Centre, in map units.
    pub y: f64,
    /// Radius, in map units.
    pub r: f64,
}

impl Mark {
    fn rect(&self) -> Rect {
        Rect {
            x0: self.x - self.r,
            y0: self.y - self.r,
            x1: self.x + self.r,
            y1: self.y + self.r,
        }
    }
}

/// Where a label is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The baseline's start, in map units (`<text x y>`).
    pub x: f64,
    /// The baseline's start, in map units.
    pub y: f64,
    /// The room it takes ([`label_box`]).
    pub rect: Rect,
    /// A line from the dot's edge to the label, for a label set further out.
    pub leader: Option<Segment>,
}

/// A line segment between two points, in map units.
pub type Segment = ((f64, f64), (f64, f64));

/// Places the label `texts[i]` of each mark `marks[i]` (same length), in order, on a map
/// `height` units high and [`WIDTH`] wide: each takes the first free position (see the module
/// doc) or none. No two placed labels (each with [`PAD`] around it) intersect, none covers a
/// mark, a leader line or one of `lines` (a route), no leader line crosses a label, and all lie
/// inside the map.
pub fn place_labels(
    marks: &[Mark],
    texts: &[String],
    height: f64,
    font: f64,
    lines: &[Segment],
) -> Vec<Option<Placed>> {
    let bounds = Rect {
        x0: EDGE,
        y0: EDGE,
        x1: WIDTH - EDGE,
        y1: height - EDGE,
    };
    let marks_rects: Vec<Rect> = marks.iter().map(|m| m.rect().grown(PAD)).collect();
    let mut taken: Vec<Rect> = Vec::new();
    let mut leaders: Vec<Segment> = lines.to_vec();
    let mut placed = Vec::with_capacity(marks.len());
    for (n, (mark, text)) in marks.iter().zip(texts).enumerate() {
        let width = text_width(text, font);
        let (up, down) = (ASCENT * font, DESCENT * font);
        let found = candidates(mark, width, up + down, font).find_map(|(x0, y0, far)| {
            let rect = Rect {
                x0,
                y0,
                x1: x0 + width,
                y1: y0 + up + down,
            };
            let padded = rect.grown(PAD);
            let inside = rect.x0 >= bounds.x0
                && rect.y0 >= bounds.y0
                && rect.x1 <= bounds.x1
                && rect.y1 <= bounds.y1;
            if !inside
                || taken.iter().any(|t| t.intersects(&padded))
                || marks_rects.iter().any(|m| m.intersects(&padded))
                || leaders.iter().any(|(a, b)| padded.meets_segment(*a, *b))
            {
                return None;
            }
            let leader = far.then(|| {
                // From the dot's edge towards the nearest point of the label.
                let target = (
                    mark.x.clamp(rect.x0, rect.x1),
                    mark.y.clamp(rect.y0, rect.y1),
                );
                let (dx, dy) = (target.0 - mark.x, target.1 - mark.y);
                let length = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
                let start = (mark.x + dx / length * mark.r, mark.y + dy / length * mark.r);
                (start, target)
            });
            if let Some((a, b)) = leader {
                let crosses = taken.iter().any(|t| t.meets_segment(a, b))
                    || marks_rects
                        .iter()
                        .enumerate()
                        .any(|(m, r)| m != n && r.meets_segment(a, b));
                if crosses {
                    return None;
                }
            }
            Some(Placed {
                x: rect.x0,
                y: rect.y0 + up,
                rect,
                leader,
            })
        });
        if let Some(found) = &found {
            taken.push(found.rect.grown(PAD));
            leaders.extend(found.leader);
        }
        placed.push(found);
    }
    placed
}

/// The top-left corners a label of `width` × `height` may take around `mark`, nearest first,
/// each with whether it needs a leader line.
fn candidates(
    mark: &Mark,
    width: f64,
    height: f64,
    font: f64,
) -> impl Iterator<Item = (f64, f64, bool)> {
    let Mark { x, y, r } = *mark;
    let near = r + GAP + PAD;
    let diagonal = r * std::f64::consts::FRAC_1_SQRT_2 + GAP + PAD;
    let ring = |d: f64, dd: f64, far: bool| {
        [
            (x + d, y - height / 2.0),         // right
            (x - d - width, y - height / 2.0), // left
            (x - width / 2.0, y - d - height), // above
            (x - width / 2.0, y + d),          // below
            (x + dd, y - dd - height),         // above right
            (x + dd, y + dd),                  // below right
            (x - dd - width, y - dd - height), // above left
            (x - dd - width, y + dd),          // below left
        ]
        .map(move |(cx, cy)| (cx, cy, far))
    };
    let far1 = near + 1.5 * font;
    let far2 = near + 3.0 * font;
    ring(near, diagonal, false)
        .into_iter()
        .chain(ring(far1, diagonal + 1.1 * font, true))
        .chain(ring(far2, diagonal + 2.2 * font, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(points: &[(f64, f64)]) -> Vec<Mark> {
        points.iter().map(|&(x, y)| Mark { x, y, r: 5.0 }).collect()
    }

    fn check(marks: &[Mark], texts: &[String], placed: &[Option<Placed>], height: f64) {
        let shown: Vec<&Placed> = placed.iter().flatten().collect();
        for (i, a) in shown.iter().enumerate() {
            assert!(
                a.rect.x0 >= 0.0 && a.rect.x1 <= WIDTH && a.rect.y0 >= 0.0 && a.rect.y1 <= height
            );
            for b in &shown[i + 1..] {
                assert!(!a.rect.intersects(&b.rect), "{a:?} over {b:?}");
            }
            for m in marks {
                assert!(!a.rect.intersects(&m.rect()), "{a:?} covers {m:?}");
            }
        }
        for (p, text) in placed.iter().zip(texts) {
            if let Some(p) = p {
                let again = label_box(text, p.x, p.y, FONT);
                let corners = [(p.rect.x0, again.x0), (p.rect.y0, again.y0)];
                assert!(corners.iter().all(|(a, b)| (a - b).abs() < 1e-9), "{p:?}");
                assert!((p.rect.x1 - again.x1).abs() < 1e-9 && (p.rect.y1 - again.y1).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn two_close_villages_both_get_a_label_apart() {
        // Ngọc Động and Đọi Tam lie about 1.5 km apart: 6 map units at a province's scale.
        let marks = marks(&[(300.0, 200.0), (304.0, 205.0)]);
        let texts = vec!["Ngọc Động".to_string(), "Đọi Tam".to_string()];
        let placed = place_labels(&marks, &texts, 400.0, FONT, &[]);
        assert!(placed.iter().all(Option::is_some), "{placed:?}");
        check(&marks, &texts, &placed, 400.0);
    }

    #[test]
    fn a_crowd_never_overlaps_and_hides_only_what_has_no_room() {
        // 58 dots on a grid 20 units apart: most labels cannot sit beside their dot.
        let points: Vec<(f64, f64)> = (0..58)
            .map(|n| {
                (
                    100.0 + f64::from(n % 8) * 20.0,
                    100.0 + f64::from(n / 8) * 20.0,
                )
            })
            .collect();
        let marks = marks(&points);
        let texts: Vec<String> = (1..=58).map(|n| format!("Làng thử {n}")).collect();
        let placed = place_labels(&marks, &texts, 400.0, FONT, &[]);
        check(&marks, &texts, &placed, 400.0);
        let shown = placed.iter().flatten().count();
        assert!(shown >= 10, "only {shown} labels placed");
        assert!(shown < 58, "58 labels cannot all fit in 140 × 140 units");
        // Deterministic: the same input places the same labels.
        assert_eq!(placed, place_labels(&marks, &texts, 400.0, FONT, &[]));
    }

    #[test]
    fn labels_stay_inside_the_map() {
        let marks = marks(&[(596.0, 3.0), (4.0, 117.0)]);
        let texts = vec!["Làng ở góc bản đồ".to_string(), "Làng thử".to_string()];
        let placed = place_labels(&marks, &texts, 120.0, FONT, &[]);
        assert!(placed.iter().all(Option::is_some));
        check(&marks, &texts, &placed, 120.0);
    }

    #[test]
    fn segments_meet_rectangles_only_when_they_do() {
        let rect = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(rect.meets_segment((-5.0, 5.0), (15.0, 5.0)));
        assert!(rect.meets_segment((5.0, 5.0), (50.0, 50.0)));
        assert!(!rect.meets_segment((-5.0, -1.0), (15.0, -1.0)));
        assert!(!rect.meets_segment((11.0, 0.0), (20.0, 10.0)));
    }

    #[test]
    fn projection_keeps_proportions_and_fits_the_width() {
        let projection = Projection::fit([(105.8, 20.3), (106.2, 20.7)]).unwrap();
        let (x0, y0) = projection.point(105.8, 20.7);
        let (x1, y1) = projection.point(106.2, 20.3);
        assert!(x0 >= 0.0 && x1 <= WIDTH && y0 >= 0.0 && y1 <= projection.height);
        let ratio = (x1 - x0) / (y1 - y0);
        assert!(
            (ratio - 20.5_f64.to_radians().cos()).abs() < 1e-9,
            "{ratio}"
        );
        assert!(Projection::fit([]).is_none());
    }
}
