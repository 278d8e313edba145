//! Planar distances in Lambert-93 metres between points and polygons.

use geo::{BoundingRect, Contains, Coord, CoordsIter, Intersects, MultiPolygon, Point, Rect};

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
    PolygonDistance::new(mp).distance_m(p)
}

/// Squared distance from `p` to the segment `a`–`b`.
fn segment_distance2(p: Coord, a: Coord, b: Coord) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

/// A multipolygon prepared for many point distances (its bounding box computed once).
#[derive(Debug, Clone, Copy)]
pub struct PolygonDistance<'a> {
    area: &'a MultiPolygon,
    rect: Option<Rect>,
}

impl<'a> PolygonDistance<'a> {
    /// Prepares a Lambert-93 multipolygon.
    pub fn new(area: &'a MultiPolygon) -> Self {
        Self {
            area,
            rect: area.bounding_rect(),
        }
    }

    fn contains(&self, p: Point) -> bool {
        self.rect.is_some_and(|r| r.intersects(&p)) && self.area.contains(&p)
    }

    /// Squared distance to the nearest boundary point (exterior and interior rings); stops
    /// early at the first segment at most `stop_at2` away.
    fn boundary_distance2(&self, p: Point, stop_at2: f64) -> f64 {
        let mut best = f64::INFINITY;
        for poly in &self.area.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for line in ring.lines() {
                    best = best.min(segment_distance2(p.0, line.start, line.end));
                    if best <= stop_at2 {
                        return best;
                    }
                }
            }
        }
        best
    }

    /// Distance in metres: 0 inside, otherwise to the nearest boundary point (infinite for an
    /// empty multipolygon).
    pub fn distance_m(&self, p: Point) -> f64 {
        if self.area.coords_count() == 0 {
            return f64::INFINITY;
        }
        if self.contains(p) {
            0.0
        } else {
            self.boundary_distance2(p, -1.0).sqrt()
        }
    }

    /// Whether `p` lies within `distance_m` of the area (inside included); stops at the first
    /// segment close enough.
    pub fn within_m(&self, p: Point, distance_m: f64) -> bool {
        let far = |r: Rect| {
            p.x() < r.min().x - distance_m
                || p.x() > r.max().x + distance_m
                || p.y() < r.min().y - distance_m
                || p.y() > r.max().y + distance_m
        };
        if self.rect.is_none_or(far) {
            return false;
        }
        let d2 = distance_m * distance_m;
        self.boundary_distance2(p, d2) <= d2 || self.contains(p)
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

#[cfg(test)]
mod tests {
    use geo::{MultiPolygon, point, polygon};

    use super::*;

    /// A synthetic 10 m square with a 4 m square hole.
    fn holed() -> MultiPolygon {
        MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 3.0, y: 3.0), (x: 7.0, y: 3.0), (x: 7.0, y: 7.0), (x: 3.0, y: 7.0)]],
        )])
    }

    #[test]
    fn a_point_in_a_hole_is_at_its_distance_from_the_hole_ring() {
        let mp = holed();
        let d = PolygonDistance::new(&mp);
        assert!((d.distance_m(point!(x: 5.0, y: 5.0)) - 2.0).abs() < 1e-12);
        assert_eq!(d.distance_m(point!(x: 1.0, y: 1.0)), 0.0);
    }

    #[test]
    fn within_agrees_with_distance() {
        let mp = holed();
        let d = PolygonDistance::new(&mp);
        for (x, y) in [
            (5.0, 5.0),
            (-3.0, 4.0),
            (12.0, 12.0),
            (1.0, 9.0),
            (20.0, 5.0),
        ] {
            let p = point!(x: x, y: y);
            for r in [0.0, 1.0, 2.5, 5.0] {
                assert_eq!(
                    d.within_m(p, r),
                    d.distance_m(p) <= r,
                    "({x}, {y}) within {r}"
                );
            }
        }
    }

    #[test]
    fn an_empty_multipolygon_is_infinitely_far() {
        let empty = MultiPolygon::<f64>(vec![]);
        assert!(
            PolygonDistance::new(&empty)
                .distance_m(point!(x: 0.0, y: 0.0))
                .is_infinite()
        );
        assert!(!PolygonDistance::new(&empty).within_m(point!(x: 0.0, y: 0.0), 1e9));
    }
}
