//! Coordinate reference systems: WGS84 lon/lat (degrees) ↔ Lambert-93 (EPSG:2154, metres).
//!
//! Geometries are kept twice from load on: in WGS84 for output (GeoJSON, tiles) and in
//! Lambert-93 for every area and distance, which are then planar computations in metres on the
//! official French conformal projection (scale error below 0.1 % over the Métropole). The
//! transformation is done by `proj4rs`, a pure-Rust port of PROJ.

use geo::{Coord, MapCoords, MultiPolygon, Point};
use proj4rs::proj::Proj;

/// PROJ definition of Lambert-93 (RGF93 v1 / Lambert-93, EPSG:2154). RGF93 and WGS84 coincide at
/// the metre level, hence the null datum shift, as in PROJ's own EPSG:2154 definition.
pub const LAMBERT93_PROJ: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs";
const WGS84_PROJ: &str = "+proj=longlat +datum=WGS84 +no_defs +type=crs";

/// Straight-line planar distance in metres between two points of one metric frame (Lambert-93,
/// or a feed's local frame): the one planar distance of the engine.
///
/// # Examples
/// ```
/// use geo::point;
/// let d = repere_engine::crs::distance_m(point!(x: 0.0, y: 0.0), point!(x: 3.0, y: 4.0));
/// assert!((d - 5.0).abs() < 1e-12);
/// ```
pub fn distance_m(a: Point, b: Point) -> f64 {
    (a.x() - b.x()).hypot(a.y() - b.y())
}

/// A transformer between WGS84 degrees and Lambert-93 metres.
pub struct Lambert93 {
    wgs84: Proj,
    l93: Proj,
}

impl std::fmt::Debug for Lambert93 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lambert93")
    }
}

impl Lambert93 {
    /// Builds the transformer.
    ///
    /// # Examples
    /// ```
    /// let l93 = repere_engine::crs::Lambert93::new();
    /// let p = l93.from_wgs84(geo::coord! { x: 1.0993, y: 49.4431 }).unwrap();
    /// assert!((p.x - 562_122.093).abs() < 0.01 && (p.y - 6_928_734.087).abs() < 0.01);
    /// ```
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        // Both strings are constants checked by the tests below; parsing them cannot fail.
        #[allow(clippy::expect_used)]
        Self {
            wgs84: Proj::from_proj_string(WGS84_PROJ).expect("valid WGS84 definition"),
            l93: Proj::from_proj_string(LAMBERT93_PROJ).expect("valid Lambert-93 definition"),
        }
    }

    /// WGS84 lon/lat degrees → Lambert-93 metres.
    ///
    /// # Errors
    /// The projection's message when the point is outside its domain.
    pub fn from_wgs84(&self, c: Coord) -> Result<Coord, crate::problem::ProjectionError> {
        let mut p = (c.x.to_radians(), c.y.to_radians(), 0.0);
        proj4rs::transform::transform(&self.wgs84, &self.l93, &mut p).map_err(|e| {
            crate::problem::ProjectionError::new(format!(
                "projection impossible : {}",
                crate::problem::proj4rs_fr(&e)
            ))
        })?;
        Ok(Coord { x: p.0, y: p.1 })
    }

    /// Lambert-93 metres → WGS84 lon/lat degrees.
    ///
    /// # Errors
    /// The projection's message when the point is outside its domain.
    pub fn to_wgs84(&self, c: Coord) -> Result<Coord, crate::problem::ProjectionError> {
        let mut p = (c.x, c.y, 0.0);
        proj4rs::transform::transform(&self.l93, &self.wgs84, &mut p).map_err(|e| {
            crate::problem::ProjectionError::new(format!(
                "projection impossible : {}",
                crate::problem::proj4rs_fr(&e)
            ))
        })?;
        Ok(Coord {
            x: p.0.to_degrees(),
            y: p.1.to_degrees(),
        })
    }

    /// Projects a WGS84 point to Lambert-93.
    ///
    /// # Errors
    /// As [`Lambert93::from_wgs84`].
    pub fn point_from_wgs84(&self, p: Point) -> Result<Point, crate::problem::ProjectionError> {
        self.from_wgs84(p.0).map(Point)
    }

    /// Projects a WGS84 multipolygon to Lambert-93.
    ///
    /// # Errors
    /// As [`Lambert93::from_wgs84`], for the first vertex that fails.
    pub fn multipolygon_from_wgs84(
        &self,
        mp: &MultiPolygon,
    ) -> Result<MultiPolygon, crate::problem::ProjectionError> {
        mp.try_map_coords(|c| self.from_wgs84(c))
    }

    /// Projects a Lambert-93 multipolygon to WGS84.
    ///
    /// # Errors
    /// As [`Lambert93::to_wgs84`].
    pub fn multipolygon_to_wgs84(
        &self,
        mp: &MultiPolygon,
    ) -> Result<MultiPolygon, crate::problem::ProjectionError> {
        mp.try_map_coords(|c| self.to_wgs84(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_matches_proj_reference_to_the_millimetre() {
        let t = Lambert93::new();
        let p = t
            .from_wgs84(Coord {
                x: 1.0993,
                y: 49.4431,
            })
            .unwrap();
        assert!((p.x - 562_122.093).abs() < 0.002, "{p:?}");
        assert!((p.y - 6_928_734.087).abs() < 0.002, "{p:?}");
        let back = t.to_wgs84(p).unwrap();
        assert!((back.x - 1.0993).abs() < 1e-9 && (back.y - 49.4431).abs() < 1e-9);
    }
}
