//! Actors and stops within a straight-line distance of a polygon (walking catchments).

use geo::MultiPolygon;

use crate::dataset::Dataset;
use crate::overlay::planar::{PolygonDistance, envelope};

/// Default walking catchment around a QPV, metres.
pub const WALKING_CATCHMENT_M: f64 = 1_000.0;

/// Distance within which stops count as serving a QPV, metres.
pub const STOP_CATCHMENT_M: f64 = 500.0;

/// Indices of the actors at most `distance_m` (Lambert-93 straight line) from the polygon,
/// inside included, in ascending order.
pub fn actors_within(ds: &Dataset, area: &MultiPolygon, distance_m: f64) -> Vec<usize> {
    let Some(env) = envelope(area, distance_m) else {
        return Vec::new();
    };
    let prepared = PolygonDistance::new(area);
    let mut out: Vec<usize> = ds
        .index
        .actors
        .locate_in_envelope(&env)
        .map(|e| e.data)
        .filter(|&i| prepared.within_m(ds.actors[i].point_l93, distance_m))
        .collect();
    out.sort_unstable();
    out
}

/// Indices of the boarding stops (GTFS `location_type` 0; stations are not counted twice) at
/// most `distance_m` from the polygon, inside included, in ascending order.
pub fn stops_within(ds: &Dataset, area: &MultiPolygon, distance_m: f64) -> Vec<usize> {
    let (Some(t), Some(env)) = (ds.transport.as_ref(), envelope(area, distance_m)) else {
        return Vec::new();
    };
    let prepared = PolygonDistance::new(area);
    let mut out: Vec<usize> = ds
        .index
        .stops
        .locate_in_envelope(&env)
        .map(|e| e.data)
        .filter(|&i| {
            t.stops[i].location_type == 0 && prepared.within_m(t.stops[i].point_m, distance_m)
        })
        .collect();
    out.sort_unstable();
    out
}
