//! The planar metric frame a feed's stops are placed in, so that walking distances are metres.
//!
//! In a territory, stops are in Lambert-93 like every other layer. A feed read on its own (any
//! city of the world, `repere transit matrix`) uses a local equirectangular frame centred on its
//! stops: `x = R·Δλ·cos φ₀`, `y = R·Δφ` with R = 6 371 008.8 m (mean Earth radius) and φ₀ the
//! mean latitude of the stops. Over a city (± 50 km) its distances differ from geodesic ones by
//! well under 1 %, far below the uncertainty of a straight-line walking model.

use geo::{Coord, Point};

/// Mean Earth radius in metres (IUGG).
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// How stop coordinates were projected to planar metres.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Frame {
    /// Lambert-93 (EPSG:2154), the territory's frame.
    #[default]
    Lambert93,
    /// Local equirectangular frame centred on (`lon0`, `lat0`) degrees.
    Local {
        /// Central longitude, degrees.
        lon0: f64,
        /// Central latitude, degrees.
        lat0: f64,
    },
}

/// A local equirectangular frame (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    lon0: f64,
    lat0: f64,
    cos_lat0: f64,
}

impl LocalFrame {
    /// A frame centred on (`lon0`, `lat0`) WGS84 degrees.
    ///
    /// # Examples
    /// ```
    /// use geo::Point;
    /// use repere_engine::model::frame::LocalFrame;
    /// let f = LocalFrame::new(145.77, -16.92);
    /// let (a, b) = (f.to_m(Point::new(145.77, -16.92)), f.to_m(Point::new(145.77, -16.91)));
    /// // 0.01° of latitude is 1 112 m.
    /// assert!(((b.y() - a.y()) - 1111.95).abs() < 0.1);
    /// ```
    pub fn new(lon0: f64, lat0: f64) -> Self {
        Self {
            lon0,
            lat0,
            cos_lat0: lat0.to_radians().cos(),
        }
    }

    /// Centred on the mean of WGS84 points (0, 0 when empty).
    pub fn around(points: &[Point]) -> Self {
        let n = points.len().max(1) as f64;
        let (sx, sy) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.x(), y + p.y()));
        Self::new(sx / n, sy / n)
    }

    /// Projects a WGS84 point to planar metres.
    pub fn to_m(&self, p: Point) -> Point {
        Point(Coord {
            x: EARTH_RADIUS_M * (p.x() - self.lon0).to_radians() * self.cos_lat0,
            y: EARTH_RADIUS_M * (p.y() - self.lat0).to_radians(),
        })
    }

    /// Back to WGS84 degrees.
    pub fn to_wgs84(&self, p: Point) -> Point {
        Point(Coord {
            x: self.lon0 + (p.x() / (EARTH_RADIUS_M * self.cos_lat0)).to_degrees(),
            y: self.lat0 + (p.y() / EARTH_RADIUS_M).to_degrees(),
        })
    }

    /// The frame description stored with a feed.
    pub fn frame(&self) -> Frame {
        Frame::Local {
            lon0: self.lon0,
            lat0: self.lat0,
        }
    }
}
