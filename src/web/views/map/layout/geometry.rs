//! The geometry every map shares, pure and deterministic: map units, rectangles and segments,
//! the projection from longitude and latitude, and how much room a label's text takes.
//!
//! Map units are SVG user units: the map is [`WIDTH`] units wide, labels are [`FONT`] units
//! high. A label's room is estimated from its characters with generous widths (wider than Be
//! Vietnam Pro's and the fallback fonts' advances) and a line height covering Vietnamese stacked
//! tone marks, so the boxes computed here contain what a browser draws (`getBBox`), which the
//! browser tests check.

/// The width of every map, in map units.
pub const WIDTH: f64 = 600.0;

/// Kilometres in a degree of latitude (and of longitude at the equator): the WGS 84 ellipsoid's
/// mean, to the precision a map needs.
pub const KM_PER_DEGREE: f64 = 111.2;

/// The font size of labels, in map units.
pub const FONT: f64 = 13.0;

/// Above the baseline, the room a label takes, in font sizes (stacked tone marks: `Ấ`, `Ộ`).
pub(super) const ASCENT: f64 = 1.15;

/// Below the baseline, the room a label takes, in font sizes.
pub(super) const DESCENT: f64 = 0.4;

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

    /// The projection showing `points` `(longitude, latitude)` and their surroundings: their
    /// bounding box grown by `margin` (a fraction of its size) on every side, at least `min_km`
    /// kilometres across either way (two stops 200 m apart are not blown up to the map's
    /// width), and at least half as high as wide (a route running east–west is no strip).
    /// `None` when no point is finite.
    pub fn around(points: &[(f64, f64)], margin: f64, min_km: f64) -> Option<Projection> {
        let (min_lon, max_lon, min_lat, max_lat) = points
            .iter()
            .filter(|(lon, lat)| lon.is_finite() && lat.is_finite())
            .fold(
                (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
                |(west, east, south, north), (lon, lat)| {
                    (
                        west.min(*lon),
                        east.max(*lon),
                        south.min(*lat),
                        north.max(*lat),
                    )
                },
            );
        if min_lon > max_lon {
            return None;
        }
        let (mid_lon, mid_lat) = ((min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0);
        let squeeze = mid_lat.to_radians().cos();
        // Spans in degrees of latitude (a degree of longitude squeezed to its true length).
        let least = min_km / KM_PER_DEGREE;
        let wide = ((max_lon - min_lon) * squeeze * (1.0 + 2.0 * margin)).max(least);
        let high = ((max_lat - min_lat) * (1.0 + 2.0 * margin))
            .max(least)
            .max(wide / 2.0);
        let (half_lon, half_lat) = (wide / 2.0 / squeeze, high / 2.0);
        Projection::fit([
            (mid_lon - half_lon, mid_lat - half_lat),
            (mid_lon + half_lon, mid_lat + half_lat),
        ])
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
    /// The square the mark takes, in map units.
    pub fn rect(&self) -> Rect {
        Rect {
            x0: self.x - self.r,
            y0: self.y - self.r,
            x1: self.x + self.r,
            y1: self.y + self.r,
        }
    }
}

/// A line segment between two points, in map units.
pub type Segment = ((f64, f64), (f64, f64));

/// The distance between two points, in map units.
pub fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_view_around_points_keeps_a_margin_a_least_extent_and_no_strip() {
        // Two points 40 km apart north to south: they span the map's height less the margins.
        let projection = Projection::around(&[(106.0, 20.3), (106.0, 20.66)], 0.15, 3.0).unwrap();
        let (_, y0) = projection.point(106.0, 20.66);
        let (_, y1) = projection.point(106.0, 20.3);
        assert!(
            (y1 - y0) / projection.height > 0.6,
            "{y0} {y1} {}",
            projection.height
        );
        assert!(y0 > 24.0 && y1 < projection.height - 24.0);
        // Two points 200 m apart east to west: 3 km across, so they are about 200/3000 of the
        // drawn width apart, and the map is at least half as high as wide.
        let (a, b) = (
            (106.0, 20.5),
            (
                106.0 + 0.2 / (KM_PER_DEGREE * 20.5_f64.to_radians().cos()),
                20.5,
            ),
        );
        let projection = Projection::around(&[a, b], 0.15, 3.0).unwrap();
        let apart = distance(projection.point(a.0, a.1), projection.point(b.0, b.1));
        let expected = (WIDTH - 48.0) * 0.2 / 3.0;
        assert!((apart - expected).abs() < 0.5, "{apart} {expected}");
        assert!(projection.height >= WIDTH / 2.0, "{}", projection.height);
        assert!(Projection::around(&[], 0.15, 3.0).is_none());
    }
}
