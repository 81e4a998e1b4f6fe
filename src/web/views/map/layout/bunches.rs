//! The villages map's link targets, kept apart as WCAG 2.5.8 (Target Size, Minimum, AA) asks:
//! every link on the map is a small target (a dot, or a bunch's numbered circle, none more than
//! 24 units across), so the centres of any two are at least [`TARGET_SPACING`] apart, and the
//! 24 CSS px circle around each meets no other target.
//!
//! A province's worth of villages cannot all keep that room: craft villages often lie 1–3 km
//! apart, 13–40 units at a province's scale. Villages that would come too close first go on a
//! ring, as in [`super::clusters`] (at most [`RING_MAX`] of them, neighbours [`TARGET_SPACING`]
//! apart, each still its own link with its name outward). Where a ring would still come too close
//! to another target, or would hold more than [`RING_MAX`] villages, the villages become a
//! *bunch*: one numbered circle at their middle, whose link leads to the list of its villages
//! beside the map (the way a phone's map gathers close places into a count, without script).
//! Clustering is agglomerative: targets that come too close join, until none does; but two rings
//! (or a ring and a lone village) whose joining would make a bunch are first moved apart, each
//! ring at most [`MOST_SHIFT`] from its villages' middle (their leader lines still show where
//! they truly are), so that two neighbouring communes' villages stay links of their own. The same
//! dots always give the same targets.

use super::clusters::{CLOSE, Spread, TARGET_SPACING, groups, rings, union};
use super::geometry::{Mark, WIDTH, distance};
use super::placement::EDGE;

/// The most villages a ring holds; a larger group is a bunch.
pub const RING_MAX: usize = 6;

/// The radius of a bunch's numbered circle, in map units: under 12, so that the circle is a
/// small target whose neighbours [`TARGET_SPACING`] away keep out of its 24 px circle.
pub const BUNCH: f64 = 10.0;

/// Villages drawn as one numbered circle.
#[derive(Debug, Clone, PartialEq)]
pub struct Bunch {
    /// The circle, in map units: at the middle of its villages' true positions, inside the map.
    pub mark: Mark,
    /// Its villages (indices into the marks given), in index order.
    pub members: Vec<usize>,
}

/// The villages map's targets ([`gather`]), indexed like the marks given.
#[derive(Debug, Clone, PartialEq)]
pub struct Gathered {
    /// Each dot as drawn ([`super::spread`]'s answer); a bunched village's is its true position,
    /// not drawn.
    pub dots: Vec<Spread>,
    /// For a village in a bunch, which (an index into `bunches`).
    pub bunch_of: Vec<Option<usize>>,
    /// The bunches, ordered by their first village.
    pub bunches: Vec<Bunch>,
}

/// The targets of the dots `marks` (true positions, map units, on a map [`WIDTH`] wide and
/// `height` high; `reach` as for [`super::spread`]): a dot with no other target within
/// [`TARGET_SPACING`] stays where it is; groups of up to [`RING_MAX`] go on rings spaced
/// [`TARGET_SPACING`]; larger groups, or groups whose ring would come too close to another
/// target, become bunches. Afterwards no two targets' centres (a dot alone or on a ring, a
/// bunch) are closer than [`TARGET_SPACING`].
pub fn gather(marks: &[Mark], reach: &[(f64, f64)], height: f64) -> Gathered {
    let n = marks.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in i + 1..n {
            let close = CLOSE * marks[i].r.max(marks[j].r);
            if distance(centre(&marks[i]), centre(&marks[j])) < close {
                union(&mut parent, i, j);
            }
        }
    }
    // Every round moves two rings apart ([`push`]) or joins the two groups whose targets come
    // closest to each other, or ends: pushes are bounded by their rounds and by
    // [`MOST_SHIFT`], and there are at most n joins.
    let mut shift = vec![(0.0, 0.0); n];
    let mut pushes = 0;
    loop {
        let groups = groups(&mut parent);
        let drawn = draw(marks, reach, &groups, &shift, height);
        let Some(clash) = closest_clash(&drawn.targets) else {
            return drawn.gathered;
        };
        pushes += 1;
        if pushes <= PUSH_ROUNDS * n.max(1) && push(&groups, &clash, &mut shift) {
            continue;
        }
        // Joined: the new group's ring starts again from its villages' middle.
        for &i in groups[clash.a].iter().chain(&groups[clash.b]) {
            shift[i] = (0.0, 0.0);
        }
        union(&mut parent, groups[clash.a][0], groups[clash.b][0]);
    }
}

/// How far a ring's centre may be moved from its villages' middle to keep it apart from a
/// neighbour, in map units: one target spacing (each village keeps its leader line to its true
/// position).
pub const MOST_SHIFT: f64 = TARGET_SPACING;

/// Pushes tried per village before the remaining clashes are settled by joining.
const PUSH_ROUNDS: usize = 20;

/// Two targets of different groups closer than [`TARGET_SPACING`]: their centres and groups.
struct Clash {
    at_a: (f64, f64),
    a: usize,
    at_b: (f64, f64),
    b: usize,
}

/// Settles `clash` by moving the rings involved apart (half each, or all of it for a ring
/// against a lone village) rather than joining them, when joining would make a group of more
/// than [`RING_MAX`] (a bunch: fewer links of their own) and each ring stays within
/// [`MOST_SHIFT`] of its villages' middle; `false` when it does not apply (the clash is then
/// settled by joining). `shift` is indexed by each group's first village, as
/// [`super::clusters::rings`] reads it.
fn push(groups: &[Vec<usize>], clash: &Clash, shift: &mut [(f64, f64)]) -> bool {
    let (a, b) = (&groups[clash.a], &groups[clash.b]);
    if a.len() + b.len() <= RING_MAX || a.len() > RING_MAX || b.len() > RING_MAX {
        return false;
    }
    let (share_a, share_b) = match (a.len() > 1, b.len() > 1) {
        (true, true) => (0.5, 0.5),
        (true, false) => (1.0, 0.0),
        (false, true) => (0.0, 1.0),
        (false, false) => return false,
    };
    let apart = distance(clash.at_a, clash.at_b);
    let need = TARGET_SPACING - apart + 0.5;
    let (ux, uy) = if apart > 1e-9 {
        (
            (clash.at_a.0 - clash.at_b.0) / apart,
            (clash.at_a.1 - clash.at_b.1) / apart,
        )
    } else {
        (1.0, 0.0)
    };
    let moved = |(x, y): (f64, f64), by: f64| (x + ux * need * by, y + uy * need * by);
    let new_a = moved(shift[a[0]], share_a);
    let new_b = moved(shift[b[0]], -share_b);
    if new_a.0.hypot(new_a.1) > MOST_SHIFT || new_b.0.hypot(new_b.1) > MOST_SHIFT {
        return false;
    }
    shift[a[0]] = new_a;
    shift[b[0]] = new_b;
    true
}

fn centre(mark: &Mark) -> (f64, f64) {
    (mark.x, mark.y)
}

/// The targets of one round: the layout, and every target's centre with its group's index.
struct Drawn {
    gathered: Gathered,
    targets: Vec<((f64, f64), usize)>,
}

/// Lays out `groups` (each its members in index order): alone where it is, on a ring (moved by
/// `shift`, see [`push`]) when it holds at most [`RING_MAX`], else a bunch.
fn draw(
    marks: &[Mark],
    reach: &[(f64, f64)],
    groups: &[Vec<usize>],
    shift: &[(f64, f64)],
    height: f64,
) -> Drawn {
    let ringed: Vec<Vec<usize>> = groups
        .iter()
        .filter(|g| g.len() > 1 && g.len() <= RING_MAX)
        .cloned()
        .collect();
    let roomy = vec![true; marks.len()];
    let dots = rings(marks, reach, &ringed, &roomy, shift, height);
    let mut bunch_of = vec![None; marks.len()];
    let mut bunches = Vec::new();
    let mut targets = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        if members.len() <= RING_MAX {
            targets.extend(members.iter().map(|&i| (centre(&dots[i].mark), g)));
            continue;
        }
        let count = members.len() as f64;
        let (sx, sy) = members
            .iter()
            .fold((0.0, 0.0), |(x, y), &i| (x + marks[i].x, y + marks[i].y));
        let keep = BUNCH + EDGE;
        let mark = Mark {
            x: (sx / count).clamp(keep, WIDTH - keep),
            y: (sy / count).clamp(keep, (height - keep).max(keep)),
            r: BUNCH,
        };
        for &i in members {
            bunch_of[i] = Some(bunches.len());
        }
        targets.push((centre(&mark), g));
        bunches.push(Bunch {
            mark,
            members: members.clone(),
        });
    }
    Drawn {
        gathered: Gathered {
            dots,
            bunch_of,
            bunches,
        },
        targets,
    }
}

/// The two targets of different groups closest to each other, when closer than
/// [`TARGET_SPACING`] (the first such pair on a tie).
fn closest_clash(targets: &[((f64, f64), usize)]) -> Option<Clash> {
    let mut best: Option<(f64, Clash)> = None;
    for (k, (a, ga)) in targets.iter().enumerate() {
        for (b, gb) in &targets[k + 1..] {
            let apart = distance(*a, *b);
            if ga != gb && apart < TARGET_SPACING && best.as_ref().is_none_or(|(d, _)| apart < *d) {
                let clash = Clash {
                    at_a: *a,
                    a: *ga,
                    at_b: *b,
                    b: *gb,
                };
                best = Some((apart, clash));
            }
        }
    }
    best.map(|(_, clash)| clash)
}

#[cfg(test)]
mod tests {
    use super::super::Projection;
    use super::*;

    /// `count` village positions (longitude, latitude) as a province's craft villages lie: in
    /// groups of four around commune centres on a 5 × 4 grid over Hà Nam and northern Ninh Bình
    /// (20.25–20.68° N, 105.84–106.16° E), each village 0.5–2.3 km from its centre along a golden
    /// angle spiral, so that many lie 1–3 km from each other.
    fn province_positions(count: usize) -> Vec<(f64, f64)> {
        let golden = std::f64::consts::PI * (3.0 - 5.0_f64.sqrt());
        (0..count)
            .map(|k| {
                let commune = (k / 4) % 20;
                let lon = 105.84 + 0.08 * (commune % 5) as f64 + 0.02 * (k as f64).sin();
                let lat = 20.25 + 0.11 * (commune / 5) as f64 + 0.02 * (k as f64).cos();
                let km = 0.5 + 0.6 * (k % 4) as f64;
                let angle = golden * k as f64;
                let degrees = km / super::super::geometry::KM_PER_DEGREE;
                (
                    lon + degrees * angle.cos() / lat.to_radians().cos(),
                    lat + degrees * angle.sin(),
                )
            })
            .collect()
    }

    /// The targets' centres: each dot not in a bunch, each bunch.
    fn targets(gathered: &Gathered) -> Vec<(f64, f64)> {
        gathered
            .dots
            .iter()
            .zip(&gathered.bunch_of)
            .filter(|(_, b)| b.is_none())
            .map(|(d, _)| centre(&d.mark))
            .chain(gathered.bunches.iter().map(|b| centre(&b.mark)))
            .collect()
    }

    #[test]
    fn a_province_of_villages_keeps_every_target_apart() {
        for count in [5, 58, 69] {
            let positions = province_positions(count);
            let projection = Projection::fit(positions.iter().copied()).unwrap();
            let marks: Vec<Mark> = positions
                .iter()
                .map(|&(lon, lat)| {
                    let (x, y) = projection.point(lon, lat);
                    Mark { x, y, r: 6.0 }
                })
                .collect();
            let reach = vec![(80.0, 25.0); count];
            let gathered = gather(&marks, &reach, projection.height);
            let centres = targets(&gathered);
            for (i, a) in centres.iter().enumerate() {
                assert!(a.0 >= 0.0 && a.0 <= WIDTH && a.1 >= 0.0 && a.1 <= projection.height);
                for b in &centres[i + 1..] {
                    assert!(
                        distance(*a, *b) >= TARGET_SPACING - 1e-9,
                        "{count}: {a:?} {b:?}"
                    );
                }
            }
            // Every village is drawn once: on its own, on a ring or in one bunch.
            let bunched: usize = gathered.bunches.iter().map(|b| b.members.len()).sum();
            assert_eq!(bunched, gathered.bunch_of.iter().flatten().count());
            assert!(gathered.bunches.iter().all(|b| b.members.len() > RING_MAX));
            // Most villages stay links of their own: bunching is for the crowded places.
            assert!(
                centres.len() * 2 >= count,
                "{count}: only {} targets",
                centres.len()
            );
            assert_eq!(gathered, gather(&marks, &reach, projection.height));
        }
    }

    #[test]
    fn seven_villages_on_one_spot_are_one_bunch_and_villages_apart_stay() {
        let mut marks = vec![
            Mark {
                x: 300.0,
                y: 150.0,
                r: 6.0
            };
            7
        ];
        marks.push(Mark {
            x: 100.0,
            y: 100.0,
            r: 6.0,
        });
        let gathered = gather(&marks, &[], 300.0);
        assert_eq!(gathered.bunches.len(), 1);
        assert_eq!(gathered.bunches[0].members, (0..7).collect::<Vec<_>>());
        assert_eq!(
            (gathered.bunches[0].mark.x, gathered.bunches[0].mark.y),
            (300.0, 150.0)
        );
        assert_eq!(gathered.bunch_of[7], None);
        assert_eq!(gathered.dots[7].mark, marks[7]);
        // Five on one spot go on a ring instead, each its own target.
        let gathered = gather(&marks[2..], &[], 300.0);
        assert!(gathered.bunches.is_empty());
        assert_eq!(gathered.dots.iter().filter(|d| d.ring.is_some()).count(), 5);
    }
}
