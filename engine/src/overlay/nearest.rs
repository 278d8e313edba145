//! Nearest actor of each group from a point (QPV centroid, IRIS or commune centroid) or from a
//! polygon's boundary (0 when the actor lies inside), in straight-line Lambert-93 metres.

use geo::{Centroid, MultiPolygon, Point};

use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::overlay::planar::{PolygonDistance, point_distance_m};

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
pub fn nearest_by(ds: &Dataset, distance_m: impl Fn(Point) -> f64) -> Vec<NearestActor> {
    let mut best: Vec<Option<(f64, usize)>> = vec![None; ActorGroup::ALL.len()];
    for (i, a) in ds.actors.iter().enumerate() {
        let g = a.kind.group() as usize;
        let d = distance_m(a.point_l93);
        if best[g].is_none_or(|(bd, _)| d < bd) {
            best[g] = Some((d, i));
        }
    }
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

/// Nearest actor of each group from a Lambert-93 point.
pub fn nearest_from_point(ds: &Dataset, p: Point) -> Vec<NearestActor> {
    nearest_by(ds, |a| point_distance_m(p, a))
}

/// Nearest actor of each group from a Lambert-93 polygon's boundary (0 for actors inside).
pub fn nearest_from_polygon(ds: &Dataset, area: &MultiPolygon) -> Vec<NearestActor> {
    let prepared = PolygonDistance::new(area);
    nearest_by(ds, |a| prepared.distance_m(a))
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
