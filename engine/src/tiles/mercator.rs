//! Web Mercator (EPSG:3857) projection and the integer tile grid of each zoom.
//!
//! The grid of zoom `z` has `EXTENT · 2^z` units across the world, origin at the north-west
//! corner, y down, so a tile `z/x/y` covers grid `[x·EXTENT, (x+1)·EXTENT) × [y·EXTENT, (y+1)·EXTENT)`.
//! At [`super::MAX_ZOOM`] the grid has 2^26 units: it fits `i32`.

use std::f64::consts::PI;

use super::EXTENT;

/// Earth radius of Web Mercator (WGS84 semi-major axis), metres.
pub const EARTH_RADIUS_M: f64 = 6_378_137.0;
/// Half the width of the Web Mercator world, metres.
pub const HALF_WORLD_M: f64 = PI * EARTH_RADIUS_M;
/// Latitude limit of Web Mercator, degrees.
pub const MAX_LAT_DEG: f64 = 85.051_128_779_806_59;

/// WGS84 lon/lat degrees → Web Mercator metres (spherical formulas, as EPSG:3857 defines).
///
/// # Examples
/// ```
/// use repere_engine::tiles::mercator::lonlat_to_mercator_m;
/// let (x, y) = lonlat_to_mercator_m(1.0993, 49.4431);
/// assert!((x - 122_373.516).abs() < 1e-3 && (y - 6_350_383.386).abs() < 1e-3);
/// ```
pub fn lonlat_to_mercator_m(lon_deg: f64, lat_deg: f64) -> (f64, f64) {
    let lat = lat_deg.clamp(-MAX_LAT_DEG, MAX_LAT_DEG).to_radians();
    (
        EARTH_RADIUS_M * lon_deg.to_radians(),
        EARTH_RADIUS_M * (PI / 4.0 + lat / 2.0).tan().ln(),
    )
}

/// Web Mercator metres → WGS84 lon/lat degrees.
pub fn mercator_m_to_lonlat(x_m: f64, y_m: f64) -> (f64, f64) {
    (
        (x_m / EARTH_RADIUS_M).to_degrees(),
        (2.0 * (y_m / EARTH_RADIUS_M).exp().atan() - PI / 2.0).to_degrees(),
    )
}

/// Grid units per Web Mercator metre at zoom `z`.
pub fn grid_units_per_m(z: u8) -> f64 {
    f64::from(EXTENT) * f64::from(1u32 << z) / (2.0 * HALF_WORLD_M)
}

/// Web Mercator metres → fractional grid position at zoom `z` (y down).
pub fn mercator_m_to_grid(x_m: f64, y_m: f64, z: u8) -> (f64, f64) {
    let k = grid_units_per_m(z);
    ((x_m + HALF_WORLD_M) * k, (HALF_WORLD_M - y_m) * k)
}

/// The tile of zoom `z` containing a WGS84 point (clamped to the world).
///
/// # Examples
/// ```
/// use repere_engine::tiles::mercator::tile_of_lonlat;
/// assert_eq!(tile_of_lonlat(1.0993, 49.4431, 14), (8242, 5595));
/// ```
pub fn tile_of_lonlat(lon_deg: f64, lat_deg: f64, z: u8) -> (u32, u32) {
    let (x, y) = lonlat_to_mercator_m(lon_deg, lat_deg);
    let (gx, gy) = mercator_m_to_grid(x, y, z);
    let n = f64::from(1u32 << z);
    let e = f64::from(EXTENT);
    let col = (gx / e).floor().clamp(0.0, n - 1.0);
    let row = (gy / e).floor().clamp(0.0, n - 1.0);
    // In range [0, 2^z) by the clamp: the casts are exact.
    (col as u32, row as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_round_trips_to_a_micro_degree() {
        for (lon, lat) in [(1.0993, 49.4431), (-5.2, 43.1), (9.5, 51.0), (0.0, 0.0)] {
            let (x, y) = lonlat_to_mercator_m(lon, lat);
            let (lon2, lat2) = mercator_m_to_lonlat(x, y);
            assert!(
                (lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9,
                "{lon} {lat}"
            );
        }
    }

    #[test]
    fn the_world_spans_the_grid_of_zoom_zero() {
        let (gx0, gy0) = mercator_m_to_grid(-HALF_WORLD_M, HALF_WORLD_M, 0);
        let (gx1, gy1) = mercator_m_to_grid(HALF_WORLD_M, -HALF_WORLD_M, 0);
        assert!(gx0.abs() < 1e-9 && gy0.abs() < 1e-9);
        assert!((gx1 - 4096.0).abs() < 1e-9 && (gy1 - 4096.0).abs() < 1e-9);
    }
}
