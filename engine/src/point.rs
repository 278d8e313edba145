//! A WGS84 lon/lat point, checked once: finite, longitude in [-180, 180], latitude in [-90, 90].
//!
//! Every lon/lat that comes from outside (a request, an uploaded file, a data file) becomes a
//! [`Wgs84Point`] at the edge; code that holds one never checks the ranges again.

use geo::{Coord, Point};

use crate::number::Shown;

/// Why a lon/lat pair is not a WGS84 point.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum PointError {
    /// A coordinate is NaN or infinite.
    #[error("coordonnée non finie : ({}, {})", Shown(*.lon), Shown(*.lat))]
    NotFinite {
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
    /// The longitude is outside [-180, 180].
    #[error(
        "longitude {} hors limites : attendu un nombre entre -180 et 180 (degrés WGS84 ; le \
         fichier est-il dans un autre système de coordonnées ?)",
        Shown(*.lon)
    )]
    Longitude {
        /// Longitude given.
        lon: f64,
    },
    /// The latitude is outside [-90, 90].
    #[error(
        "latitude {} hors limites : attendu un nombre entre -90 et 90 (degrés WGS84 ; le \
         fichier est-il dans un autre système de coordonnées ?)",
        Shown(*.lat)
    )]
    Latitude {
        /// Latitude given.
        lat: f64,
    },
}

impl PointError {
    /// The field at fault: `lon` or `lat`.
    pub fn field(&self) -> &'static str {
        match self {
            PointError::NotFinite { lon, .. } if lon.is_finite() => "lat",
            PointError::NotFinite { .. } | PointError::Longitude { .. } => "lon",
            PointError::Latitude { .. } => "lat",
        }
    }
}

// A problem's message is text: this puts a point error into a [`crate::problem::Problem`].
impl From<PointError> for String {
    fn from(e: PointError) -> Self {
        e.to_string()
    }
}

/// A checked WGS84 point (degrees).
///
/// # Examples
/// ```
/// use repere_engine::point::Wgs84Point;
/// let p = Wgs84Point::new(1.0993, 49.4431).unwrap();
/// assert_eq!((p.lon(), p.lat()), (1.0993, 49.4431));
/// assert!(Wgs84Point::new(200.0, 49.0).is_err());
/// assert!(Wgs84Point::new(1.0, f64::NAN).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Wgs84Point {
    lon: f64,
    lat: f64,
}

impl Wgs84Point {
    /// Checks a lon/lat pair.
    ///
    /// # Errors
    /// [`PointError`] when a coordinate is not finite or out of range.
    pub fn new(lon: f64, lat: f64) -> Result<Self, PointError> {
        if !lon.is_finite() || !lat.is_finite() {
            return Err(PointError::NotFinite { lon, lat });
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(PointError::Longitude { lon });
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(PointError::Latitude { lat });
        }
        Ok(Self { lon, lat })
    }

    /// Longitude, degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Latitude, degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// As a `geo` coordinate (x = lon, y = lat).
    pub fn coord(&self) -> Coord {
        Coord {
            x: self.lon,
            y: self.lat,
        }
    }

    /// As a `geo` point (x = lon, y = lat).
    pub fn point(&self) -> Point {
        Point(self.coord())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_included_and_the_field_is_named() {
        assert!(Wgs84Point::new(-180.0, 90.0).is_ok());
        assert!(Wgs84Point::new(180.0, -90.0).is_ok());
        assert_eq!(Wgs84Point::new(180.5, 0.0).unwrap_err().field(), "lon");
        assert_eq!(Wgs84Point::new(0.0, -90.5).unwrap_err().field(), "lat");
        assert_eq!(
            Wgs84Point::new(0.0, f64::INFINITY).unwrap_err().field(),
            "lat"
        );
        assert_eq!(Wgs84Point::new(f64::NAN, 0.0).unwrap_err().field(), "lon");
    }
}
