//! Placing labels beside their dots so that no two overlap, none covers a dot, a leader line or
//! a route, and none leaves the map.
//!
//! Placement is greedy: each label, in the order given, takes the first free position of several
//! around its dot (right, left, above, below, the four diagonals, then the same eight further out
//! with a leader line). A dot moved onto a ring ([`super::clusters`]) offers only the positions on
//! the side facing away from its ring's centre, nearest that direction first, so a cluster's
//! names fan out around it instead of crowding its middle. A label with no free position is not
//! drawn, and its village stays reachable through its dot and the list beside the map.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

use super::geometry::{ASCENT, DESCENT, Mark, Rect, Segment, WIDTH, text_width};

/// Room kept free around each label and dot, in map units.
pub(super) const PAD: f64 = 1.5;

/// Space between a dot and a label beside it, in map units.
const GAP: f64 = 2.5;

/// Space around the map's edge that no label enters, in map units.
pub(super) const EDGE: f64 = 2.0;

/// Where a label is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The baseline's start, in map units (`<text x y>`).
    pub x: f64,
    /// The baseline's start, in map units.
    pub y: f64,
    /// The room it takes ([`super::label_box`]).
    pub rect: Rect,
    /// A line from the dot's edge to the label, for a label set further out.
    pub leader: Option<Segment>,
}

/// A label to place: its dot, its text and, for a dot moved onto a ring, the direction away
/// from the ring's centre (radians, 0 east, `π/2` south: map units grow downwards).
#[derive(Debug, Clone, Copy)]
pub(super) struct Label<'a> {
    pub(super) mark: Mark,
    pub(super) text: &'a str,
    pub(super) outward: Option<f64>,
}

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
    let labels: Vec<Label<'_>> = marks
        .iter()
        .zip(texts)
        .map(|(mark, text)| Label {
            mark: *mark,
            text,
            outward: None,
        })
        .collect();
    let order: Vec<usize> = (0..labels.len()).collect();
    place(&labels, &order, height, font, lines, &[])
}

/// Places `labels` in the order `order` (indices into `labels`, each once), with the guarantees
/// of [`place_labels`]; `obstacles` are further marks no label or leader line may cover. The
/// answer is indexed like `labels`.
pub(super) fn place(
    labels: &[Label<'_>],
    order: &[usize],
    height: f64,
    font: f64,
    lines: &[Segment],
    obstacles: &[Mark],
) -> Vec<Option<Placed>> {
    let bounds = Rect {
        x0: EDGE,
        y0: EDGE,
        x1: WIDTH - EDGE,
        y1: height - EDGE,
    };
    let marks_rects: Vec<Rect> = labels
        .iter()
        .map(|l| l.mark)
        .chain(obstacles.iter().copied())
        .map(|m| m.rect().grown(PAD))
        .collect();
    let mut taken: Vec<Rect> = Vec::new();
    let mut leaders: Vec<Segment> = lines.to_vec();
    let mut placed = vec![None; labels.len()];
    for &n in order {
        let Label {
            mark,
            text,
            outward,
        } = labels[n];
        let width = text_width(text, font);
        let (up, down) = (ASCENT * font, DESCENT * font);
        let found = candidates(&mark, width, up + down, font, outward)
            .into_iter()
            .find_map(|(x0, y0, far)| {
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
        placed[n] = found;
    }
    placed
}

/// How far a label of `text` beside its dot reaches from the dot's edge, sideways and
/// upwards or downwards, in map units (its room, the gap and the padding kept around it).
pub(super) fn reach(text: &str, font: f64) -> (f64, f64) {
    let extra = GAP + 2.0 * PAD;
    (
        text_width(text, font) + extra,
        (ASCENT + DESCENT) * font + extra,
    )
}

/// The directions of the eight positions around a dot, in the order they are tried for a dot
/// left in place: right, left, above, below, above right, below right, above left, below left
/// (radians, y downwards).
const DIRECTIONS: [f64; 8] = [
    0.0,
    PI,
    -FRAC_PI_2,
    FRAC_PI_2,
    -FRAC_PI_4,
    FRAC_PI_4,
    -3.0 * FRAC_PI_4,
    3.0 * FRAC_PI_4,
];

/// The angle between two directions, in radians (0 to `π`).
fn angle_between(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(2.0 * PI);
    d.min(2.0 * PI - d)
}

/// The indices into [`DIRECTIONS`] a label may take: all eight in their order, or, for a dot
/// facing `outward`, those at most a right angle from it, nearest first (ties in their order).
fn directions(outward: Option<f64>) -> Vec<usize> {
    let mut chosen: Vec<usize> = (0..DIRECTIONS.len()).collect();
    if let Some(outward) = outward {
        chosen.retain(|&d| angle_between(DIRECTIONS[d], outward) <= FRAC_PI_2 + 1e-9);
        chosen.sort_by(|&a, &b| {
            angle_between(DIRECTIONS[a], outward).total_cmp(&angle_between(DIRECTIONS[b], outward))
        });
    }
    chosen
}

/// The top-left corners a label of `width` × `height` may take around `mark`, nearest first,
/// each with whether it needs a leader line; on the side facing `outward` only, when given.
fn candidates(
    mark: &Mark,
    width: f64,
    height: f64,
    font: f64,
    outward: Option<f64>,
) -> Vec<(f64, f64, bool)> {
    let Mark { x, y, r } = *mark;
    let near = r + GAP + PAD;
    // Diagonally, the label's corner clears the dot's square (the room a dot keeps), not only
    // its circle: nearer, the dot's own room would refuse it.
    let diagonal = near;
    let corner = |d: f64, dd: f64, direction: usize| match direction {
        0 => (x + d, y - height / 2.0),
        1 => (x - d - width, y - height / 2.0),
        2 => (x - width / 2.0, y - d - height),
        3 => (x - width / 2.0, y + d),
        4 => (x + dd, y - dd - height),
        5 => (x + dd, y + dd),
        6 => (x - dd - width, y - dd - height),
        _ => (x - dd - width, y + dd),
    };
    let chosen = directions(outward);
    [
        (near, diagonal, false),
        (near + 1.5 * font, diagonal + 1.1 * font, true),
        (near + 3.0 * font, diagonal + 2.2 * font, true),
    ]
    .into_iter()
    .flat_map(|(d, dd, far)| {
        chosen.iter().map(move |&direction| {
            let (cx, cy) = corner(d, dd, direction);
            (cx, cy, far)
        })
    })
    .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::geometry::{FONT, label_box};
    use super::*;

    pub(in super::super) fn marks(points: &[(f64, f64)]) -> Vec<Mark> {
        points.iter().map(|&(x, y)| Mark { x, y, r: 5.0 }).collect()
    }

    /// Every placed label inside the map, apart from every other and from every mark, and its
    /// room the one [`label_box`] computes again from where it is drawn.
    pub(in super::super) fn check(
        marks: &[Mark],
        texts: &[String],
        placed: &[Option<Placed>],
        height: f64,
    ) {
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
    fn a_dot_facing_outward_is_labelled_on_that_side_only() {
        // Facing west, with the west blocked by the map's edge: no label rather than one inward.
        let mark = Mark {
            x: 10.0,
            y: 60.0,
            r: 5.0,
        };
        let label = |outward| Label {
            mark,
            text: "Làng thử",
            outward,
        };
        let west = place(&[label(Some(PI))], &[0], 120.0, FONT, &[], &[]);
        assert_eq!(west, [None]);
        let free = place(&[label(None)], &[0], 120.0, FONT, &[], &[]);
        assert!(free[0].as_ref().is_some_and(|p| p.rect.x0 > mark.x));
        // Facing south-east: the label sits below right of its dot.
        let south_east = place(&[label(Some(0.7))], &[0], 120.0, FONT, &[], &[]);
        let rect = south_east[0].as_ref().unwrap().rect;
        assert!(rect.x0 > mark.x && rect.y0 > mark.y, "{rect:?}");
    }
}
