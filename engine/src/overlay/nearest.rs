//! Nearest actor of each group from a point (QPV centroid, IRIS or commune centroid) or from a
//! polygon's boundary (0 when the actor lies inside), in straight-line Lambert-93 metres.

use geo::{Centroid, MultiPolygon, Point};
use rayon::prelude::*;

use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::overlay::planar::PolygonDistance;

/// The nearest actor of one group.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NearestActor {
    /// Group code (`ML`, `FT`, …).
    pub group: ActorGroup,
    /// Index into [`Dataset::actors`].
    #[serde(skip)]
    pub actor: usize,
    /// Actor id (`source:id`).
    pub actor_id: String,
    /// Actor name.
    pub actor_name: String,
    /// Straight-line Lambert-93 distance, metres.
    pub distance_m: f64,
}

/// Nearest actor of each group present in the dataset, by a distance function from the actor's
/// Lambert-93 point; ties go to the lower actor index (actors are sorted by id). Groups without
/// any actor are absent from the result, which is in [`ActorGroup::ALL`] order.
///
/// Evaluates `distance_m` for every actor; [`nearest_from_point`] and [`nearest_from_polygon`]
/// visit only the actors that can win, through the actors' R-tree.
pub fn nearest_by(ds: &Dataset, distance_m: impl Fn(Point) -> f64) -> Vec<NearestActor> {
    let mut best: Vec<Option<(f64, usize)>> = vec![None; ActorGroup::ALL.len()];
    for (i, a) in ds.actors.iter().enumerate() {
        let g = a.kind.group() as usize;
        let d = distance_m(a.point_l93);
        if best[g].is_none_or(|(bd, _)| d < bd) {
            best[g] = Some((d, i));
        }
    }
    results(ds, best)
}

fn results(ds: &Dataset, best: Vec<Option<(f64, usize)>>) -> Vec<NearestActor> {
    ActorGroup::ALL
        .iter()
        .zip(best)
        .filter_map(|(&group, b)| {
            let (distance_m, actor) = b?;
            let a = &ds.actors[actor];
            Some(NearestActor {
                group,
                actor,
                actor_id: a.id.clone(),
                actor_name: a.name.clone(),
                distance_m,
            })
        })
        .collect()
}

/// [`nearest_by`] for a distance that is at least `|actor - from| - slack_m`: actors are visited
/// by increasing distance from `from` (the actors' R-tree), and the visit stops once that lower
/// bound exceeds the best distance of every group present. Same result as [`nearest_by`]
/// (ties to the lower index), without a scan of all actors per origin (France: 1 300 QPV ×
/// 900 agencies). Falls back to [`nearest_by`] when the index does not match the actors (a
/// dataset assembled by hand).
fn nearest_pruned(
    ds: &Dataset,
    present: &GroupsPresent,
    from: Point,
    slack_m: f64,
    distance_m: impl Fn(Point) -> f64,
) -> Vec<NearestActor> {
    if ds.index.actors.size() != ds.actors.len() || !slack_m.is_finite() {
        return nearest_by(ds, distance_m);
    }
    let present = &present.0;
    let mut best: Vec<Option<(f64, usize)>> = vec![None; ActorGroup::ALL.len()];
    let settled = |best: &[Option<(f64, usize)>], g: usize, bound: f64| {
        best[g].is_some_and(|(bd, _)| bd < bound)
    };
    for (entry, d2) in ds
        .index
        .actors
        .nearest_neighbor_iter_with_distance_2(&[from.x(), from.y()])
    {
        // 1 µm below the bound, so that rounding never hides a tie.
        let bound = (d2.sqrt() - slack_m - 1e-6).max(0.0);
        if (0..best.len()).all(|g| !present[g] || settled(&best, g, bound)) {
            break;
        }
        let i = entry.data;
        let a = &ds.actors[i];
        let g = a.kind.group() as usize;
        if settled(&best, g, bound) {
            continue;
        }
        let d = distance_m(a.point_l93);
        if best[g].is_none_or(|(bd, bi)| d < bd || (d == bd && i < bi)) {
            best[g] = Some((d, i));
        }
    }
    results(ds, best)
}

/// Which actor groups have at least one actor (indexed by `ActorGroup as usize`), computed
/// once for a batch of nearest-actor queries.
struct GroupsPresent(Vec<bool>);

impl GroupsPresent {
    fn of(ds: &Dataset) -> Self {
        let mut present = vec![false; ActorGroup::ALL.len()];
        for a in &ds.actors {
            present[a.kind.group() as usize] = true;
        }
        Self(present)
    }
}

/// Nearest actor of each group from a Lambert-93 point.
pub fn nearest_from_point(ds: &Dataset, p: Point) -> Vec<NearestActor> {
    point_query(ds, &GroupsPresent::of(ds), p)
}

/// [`nearest_from_point`] for many points, aligned with `points` (in parallel, rayon).
pub fn nearest_from_points(ds: &Dataset, points: &[Point]) -> Vec<Vec<NearestActor>> {
    let present = GroupsPresent::of(ds);
    points
        .par_iter()
        .map(|&p| point_query(ds, &present, p))
        .collect()
}

fn point_query(ds: &Dataset, present: &GroupsPresent, p: Point) -> Vec<NearestActor> {
    nearest_pruned(ds, present, p, 0.0, |a| crate::crs::distance_m(p, a))
}

/// Nearest actor of each group from a Lambert-93 polygon's boundary (0 for actors inside).
pub fn nearest_from_polygon(ds: &Dataset, area: &MultiPolygon) -> Vec<NearestActor> {
    polygon_query(ds, &GroupsPresent::of(ds), area)
}

/// [`nearest_from_polygon`] for many polygons, aligned with `areas` (in parallel, rayon).
pub fn nearest_from_polygons(ds: &Dataset, areas: &[&MultiPolygon]) -> Vec<Vec<NearestActor>> {
    let present = GroupsPresent::of(ds);
    areas
        .par_iter()
        .map(|area| polygon_query(ds, &present, area))
        .collect()
}

fn polygon_query(ds: &Dataset, present: &GroupsPresent, area: &MultiPolygon) -> Vec<NearestActor> {
    use geo::BoundingRect;
    let prepared = PolygonDistance::new(area);
    // Every point of the area is within half the diagonal of its bounding box from the box's
    // centre, so an actor `r` from the centre is at least `r - half diagonal` from the area.
    let Some(rect) = area.bounding_rect() else {
        return nearest_by(ds, |a| prepared.distance_m(a));
    };
    let origin = rect.center();
    let radius = 0.5 * rect.width().hypot(rect.height());
    nearest_pruned(ds, present, Point(origin), radius, |a| {
        prepared.distance_m(a)
    })
}

/// Which point stands for an IRIS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IrisOrigin {
    /// The centroid of the IRIS contour.
    IrisCentroid,
    /// No contour in the data: the centroid of its commune stands for it (so every IRIS of such
    /// a commune gets the same distances).
    CommuneCentroid,
}

/// The Lambert-93 point standing for an IRIS (its index in [`crate::model::youth::Youth::iris`]).
pub fn iris_point(ds: &Dataset, iris: usize) -> Option<(Point, IrisOrigin)> {
    let i = ds.youth.iris.get(iris)?;
    if let Some(c) = i.boundary_l93.as_ref().and_then(|b| b.centroid()) {
        return Some((c, IrisOrigin::IrisCentroid));
    }
    ds.commune(&i.commune)?
        .boundary_l93
        .centroid()
        .map(|c| (c, IrisOrigin::CommuneCentroid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_by_returns_nothing_for_an_empty_dataset() {
        let ds = Dataset::default();
        assert!(nearest_from_point(&ds, Point::new(0.0, 0.0)).is_empty());
    }
}
