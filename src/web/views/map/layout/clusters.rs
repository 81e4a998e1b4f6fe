//! Spreading dots that would overlap: villages a few hundred metres apart fall within a dot's
//! width of each other at a province's scale, so their dots would hide each other and leave no
//! room for their names. Such a cluster's dots are drawn on a ring around its centre instead,
//! each joined to its true position by a leader line (drawn by the caller), so each stays a
//! distinct link and its name can be set outward ([`super::placement`]).
//!
//! Two dots are in one cluster when their centres are closer than [`CLOSE`] radii, directly or
//! through other dots of the cluster. Neighbouring dots on a ring are [`TARGET_SPACING`] apart
//! when there is room (WCAG 2.5.8's 24 CSS px spacing), else [`CLOSE`] radii (apart, but small
//! targets: the route map, an image with no links, may tighten; the villages map never does, see
//! [`super::bunches`]). A ring that comes closer than [`CLOSE`] radii to another dot
//! first tightens, then takes that dot's cluster in. The ring stays inside the map with room for
//! its names beyond it on every side (moving inward as little as it must: the leader lines show
//! where its villages truly are). The same dots always give the same rings.

use std::f64::consts::PI;

use super::geometry::{Mark, WIDTH, distance};
use super::placement::EDGE;

/// Dots whose centres are closer than this many radii (of the larger dot) would overlap, or
/// nearly: they are one cluster.
pub const CLOSE: f64 = 3.0;

/// The least distance between the centres of two links' targets on the villages map, in map
/// units: 24 CSS px (WCAG 2.5.8's spacing of small targets, none of which is more than 24 units
/// across) where the map is drawn at one CSS px per unit (the stylesheet never draws the villages
/// map narrower: a phone scrolls it sideways), plus one unit for positions written to one decimal.
/// Neighbouring dots of a ring are this far apart when there is room.
pub const TARGET_SPACING: f64 = 25.0;

/// A dot as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Where the dot is drawn, in map units.
    pub mark: Mark,
    /// Its true position (map units), when it was moved onto a ring.
    pub origin: Option<(f64, f64)>,
    /// For a dot on a ring, the direction away from the ring's centre (radians, 0 east, `π/2`
    /// south: map units grow downwards).
    pub outward: Option<f64>,
    /// For a dot on a ring, its cluster (numbered from 0 in the order of the clusters' first
    /// dots) and its place in ring order (from 0, the dot nearest north, then clockwise).
    pub ring: Option<(usize, usize)>,
}

/// The dots `marks` (in map units, on a map [`WIDTH`] wide and `height` high) as drawn: a dot
/// with no other within [`CLOSE`] radii stays where it is; the dots of a cluster go on a ring
/// (see the module doc). `reach[i]` is how far mark `i`'s label reaches beyond its dot, sideways
/// and upwards or downwards (map units; `(0, 0)` for none), kept free between a ring and the
/// map's edge. Indexed like `marks`.
pub fn spread(marks: &[Mark], reach: &[(f64, f64)], height: f64) -> Vec<Spread> {
    let n = marks.len();
    let close = |i: usize, j: usize| CLOSE * marks[i].r.max(marks[j].r);
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in i + 1..n {
            if distance(centre(&marks[i]), centre(&marks[j])) < close(i, j) {
                union(&mut parent, i, j);
            }
        }
    }
    // Whether each cluster (by its root) keeps its dots TARGET_SPACING apart.
    let mut roomy = vec![true; n];
    loop {
        let groups = groups(&mut parent);
        let drawn = rings(marks, reach, &groups, &roomy, &[], height);
        let group_of = |i: usize| groups.iter().position(|g| g.contains(&i)).unwrap_or(i);
        let clash = (0..n).find_map(|i| {
            (i + 1..n)
                .find(|&j| {
                    group_of(i) != group_of(j)
                        && distance(centre(&drawn[i].mark), centre(&drawn[j].mark)) < close(i, j)
                })
                .map(|j| (i, j))
        });
        let Some((i, j)) = clash else {
            return drawn;
        };
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        let tighten: Vec<usize> = [(a, i), (b, j)]
            .into_iter()
            .filter(|&(root, member)| roomy[root] && groups[group_of(member)].len() > 1)
            .map(|(root, _)| root)
            .collect();
        if tighten.is_empty() {
            // Both already tight (or alone): the larger cluster stays tight, so that it grows
            // no further than it must.
            union(&mut parent, a, b);
            let root = find(&mut parent, a);
            roomy[root] = false;
        } else {
            for root in tighten {
                roomy[root] = false;
            }
        }
    }
}

fn centre(mark: &Mark) -> (f64, f64) {
    (mark.x, mark.y)
}

/// The root of `i`'s cluster (union–find, halving paths).
pub(super) fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins the clusters of `i` and `j`; the smaller root stays the root.
pub(super) fn union(parent: &mut [usize], i: usize, j: usize) {
    let (a, b) = (find(parent, i), find(parent, j));
    parent[a.max(b)] = a.min(b);
}

/// The clusters, each its members in index order, ordered by their first member.
pub(super) fn groups(parent: &mut [usize]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut slot = vec![usize::MAX; parent.len()];
    for i in 0..parent.len() {
        let root = find(parent, i);
        if slot[root] == usize::MAX {
            slot[root] = groups.len();
            groups.push(Vec::new());
        }
        groups[slot[root]].push(i);
    }
    groups
}

/// Every dot as drawn for the clusters `groups`: alone, where it is; in a cluster, on its ring,
/// spaced [`TARGET_SPACING`] apart when its root is `roomy`, else [`CLOSE`] radii, with room for
/// its labels' `reach` between the ring and the map's edge. A ring's centre is its dots' middle
/// moved by `shift[first]` (map units, indexed by the cluster's first dot; none when `shift` is
/// empty), which [`super::bunches`] uses to keep neighbouring rings apart.
pub(super) fn rings(
    marks: &[Mark],
    reach: &[(f64, f64)],
    groups: &[Vec<usize>],
    roomy: &[bool],
    shift: &[(f64, f64)],
    height: f64,
) -> Vec<Spread> {
    let mut drawn: Vec<Spread> = marks
        .iter()
        .map(|&mark| Spread {
            mark,
            origin: None,
            outward: None,
            ring: None,
        })
        .collect();
    for (cluster, members) in groups.iter().filter(|g| g.len() > 1).enumerate() {
        let count = members.len() as f64;
        let r = members.iter().map(|&i| marks[i].r).fold(0.0, f64::max);
        let spacing = if roomy[members[0]] {
            TARGET_SPACING.max(CLOSE * r)
        } else {
            CLOSE * r
        };
        let radius = spacing / (2.0 * (PI / count).sin());
        let (sx, sy) = members
            .iter()
            .fold((0.0, 0.0), |(x, y), &i| (x + marks[i].x, y + marks[i].y));
        let (cx, cy) = (sx / count, sy / count);
        let (dx, dy) = shift.get(members[0]).copied().unwrap_or_default();
        // Around the ring in the order of their bearings from the centre (then by index), the
        // ring turned so that the dots move as little as it can: the mean of each dot's bearing
        // less its slot's; north when the bearings say nothing (dots on one spot).
        let mut order: Vec<(f64, usize)> = members
            .iter()
            .map(|&i| ((marks[i].y - cy).atan2(marks[i].x - cx), i))
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let step = 2.0 * PI / count;
        let (s, c) = order
            .iter()
            .enumerate()
            .fold((0.0, 0.0), |(s, c), (k, (bearing, _))| {
                let turn = bearing - step * k as f64;
                (s + turn.sin(), c + turn.cos())
            });
        let start = if s.hypot(c) < 1e-6 * count {
            -PI / 2.0
        } else {
            s.atan2(c)
        };
        // The ring stays inside the map with its dots and their labels.
        let (wide, high) = members.iter().fold((0.0, 0.0), |(w, h): (f64, f64), &i| {
            let (wi, hi) = reach.get(i).copied().unwrap_or_default();
            (w.max(wi), h.max(hi))
        });
        let (keep_x, keep_y) = (radius + r + wide + EDGE, radius + r + high + EDGE);
        let cx = clamp_or_middle(cx + dx, keep_x, WIDTH - keep_x);
        let cy = clamp_or_middle(cy + dy, keep_y, height - keep_y);
        let slots: Vec<f64> = (0..order.len()).map(|k| start + step * k as f64).collect();
        // Ring order: from the slot nearest north, clockwise (bearings grow clockwise on screen).
        let from_north = |angle: f64| (angle + PI / 2.0 + 1e-9).rem_euclid(2.0 * PI);
        let mut ranks: Vec<usize> = (0..slots.len()).collect();
        ranks.sort_by(|&a, &b| from_north(slots[a]).total_cmp(&from_north(slots[b])));
        for (rank, &k) in ranks.iter().enumerate() {
            let i = order[k].1;
            let angle = slots[k];
            let mark = Mark {
                x: cx + radius * angle.cos(),
                y: cy + radius * angle.sin(),
                r: marks[i].r,
            };
            drawn[i] = Spread {
                mark,
                origin: Some(centre(&marks[i])),
                outward: Some(angle),
                ring: Some((cluster, rank)),
            };
        }
    }
    drawn
}

/// `value` clamped to `low..=high`, or their middle when the range is empty.
fn clamp_or_middle(value: f64, low: f64, high: f64) -> f64 {
    if low <= high {
        value.clamp(low, high)
    } else {
        (low + high) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(x: f64, y: f64) -> Mark {
        Mark { x, y, r: 6.0 }
    }

    #[test]
    fn dots_apart_stay_where_they_are() {
        let marks = [dot(100.0, 100.0), dot(130.0, 100.0), dot(100.0, 60.0)];
        let drawn = spread(&marks, &[], 300.0);
        for (mark, spread) in marks.iter().zip(&drawn) {
            assert_eq!(spread.mark, *mark);
            assert!(spread.origin.is_none() && spread.outward.is_none() && spread.ring.is_none());
        }
    }

    #[test]
    fn dots_on_one_spot_go_on_a_ring_spaced_for_a_finger() {
        let marks = [dot(300.0, 150.0); 5];
        let drawn = spread(&marks, &[], 300.0);
        let mut ranks: Vec<usize> = drawn.iter().map(|s| s.ring.unwrap().1).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, [0, 1, 2, 3, 4]);
        for (i, a) in drawn.iter().enumerate() {
            assert_eq!(a.origin, Some((300.0, 150.0)));
            let away = a.outward.unwrap();
            let (dx, dy) = (a.mark.x - 300.0, a.mark.y - 150.0);
            assert!((dy.atan2(dx) - away).cos() > 1.0 - 1e-9, "{a:?}");
            for b in &drawn[i + 1..] {
                let apart = distance(centre(&a.mark), centre(&b.mark));
                assert!(apart >= TARGET_SPACING - 1e-9, "{apart}");
            }
        }
        // Ring order starts north and turns clockwise.
        let first = drawn.iter().find(|s| s.ring.unwrap().1 == 0).unwrap();
        assert!((first.mark.x - 300.0).abs() < 1e-9 && first.mark.y < 150.0);
        let second = drawn.iter().find(|s| s.ring.unwrap().1 == 1).unwrap();
        assert!(second.mark.x > 300.0, "{second:?}");
        assert_eq!(drawn, spread(&marks, &[], 300.0));
    }

    #[test]
    fn a_ring_near_the_edge_stays_inside_and_keeps_its_neighbours_apart() {
        // A pair in the corner, and a third dot just beyond the reach of the pair's roomy ring.
        let marks = [dot(3.0, 3.0), dot(6.0, 5.0), dot(40.0, 30.0)];
        let drawn = spread(&marks, &[], 200.0);
        for s in &drawn {
            assert!(
                s.mark.x - s.mark.r >= 0.0 && s.mark.y - s.mark.r >= 0.0,
                "{s:?}"
            );
        }
        for (i, a) in drawn.iter().enumerate() {
            for b in &drawn[i + 1..] {
                let apart = distance(centre(&a.mark), centre(&b.mark));
                assert!(apart >= CLOSE * 6.0 - 1e-9, "{a:?} and {b:?}");
            }
        }
    }
}
