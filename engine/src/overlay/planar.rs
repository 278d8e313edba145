//! Planar distances in Lambert-93 metres between points and polygons.

use geo::{BoundingRect, Contains, Distance, Euclidean, MultiPolygon, Point, Rect};

/// Straight-line distance in metres between two Lambert-93 points.
///
/// # Examples
/// ```
/// use geo::point;
/// let d = repere_engine::overlay::planar::point_distance_m(point!(x: 0.0, y: 0.0), point!(x: 3.0, y: 4.0));
/// assert!((d - 5.0).abs() < 1e-12);
/// ```
pub fn point_distance_m(a: Point, b: Point) -> f64 {
    (a.x() - b.x()).hypot(a.y() - b.y())
}

/// Distance in metres from a Lambert-93 point to a Lambert-93 multipolygon: 0 inside, otherwise
/// the distance to the nearest boundary point.
///
/// # Examples
/// ```
/// use geo::{point, polygon, MultiPolygon};
/// use repere_engine::overlay::planar::point_polygon_distance_m;
/// let square = MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)]]);
/// assert_eq!(point_polygon_distance_m(point!(x: 5.0, y: 5.0), &square), 0.0);
/// assert!((point_polygon_distance_m(point!(x: 13.0, y: 14.0), &square) - 5.0).abs() < 1e-12);
/// ```
pub fn point_polygon_distance_m(p: Point, mp: &MultiPolygon) -> f64 {
    if mp.contains(&p) {
        0.0
    } else {
        Euclidean.distance(&p, mp)
    }
}

/// A rectangle grown by `margin_m` on every side.
pub fn grown(rect: Rect, margin_m: f64) -> Rect {
    Rect::new(
        geo::coord! { x: rect.min().x - margin_m, y: rect.min().y - margin_m },
        geo::coord! { x: rect.max().x + margin_m, y: rect.max().y + margin_m },
    )
}

/// The bounding rectangle of a multipolygon grown by `margin_m`, as an R-tree envelope.
pub fn envelope(mp: &MultiPolygon, margin_m: f64) -> Option<rstar::AABB<[f64; 2]>> {
    let r = grown(mp.bounding_rect()?, margin_m);
    Some(rstar::AABB::from_corners(
        [r.min().x, r.min().y],
        [r.max().x, r.max().y],
    ))
}
