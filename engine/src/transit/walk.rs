//! The walking model: Lambert-93 planar straight-line distance × a detour factor, at a speed.
//!
//! Lambert-93 is conformal with a scale error below 0.1 % over the Métropole, so its planar
//! distance equals the geodesic one to well under the precision of a walking model. The detour
//! factor (default 1.3) turns the straight line into a street-network estimate; 4.5 km/h is a
//! usual walking speed for planning. Both are parameters, not constants.

use geo::Point;

/// Walking parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WalkParams {
    /// Network distance / straight-line distance (default 1.3).
    pub detour_factor: f64,
    /// Walking speed in km/h (default 4.5).
    pub speed_kmh: f64,
}

impl Default for WalkParams {
    fn default() -> Self {
        Self {
            detour_factor: 1.3,
            speed_kmh: 4.5,
        }
    }
}

impl WalkParams {
    /// Walking seconds for a straight-line distance in metres.
    ///
    /// # Examples
    /// ```
    /// let w = repere_engine::transit::WalkParams::default();
    /// // 1 km straight → 1.3 km walked at 4.5 km/h = 1040 s.
    /// assert!((w.seconds_for_m(1000.0) - 1040.0).abs() < 1e-9);
    /// ```
    pub fn seconds_for_m(&self, straight_m: f64) -> f64 {
        straight_m * self.detour_factor / (self.speed_kmh / 3.6)
    }

    /// The straight-line distance in metres walked in `seconds`.
    ///
    /// # Examples
    /// ```
    /// let w = repere_engine::transit::WalkParams::default();
    /// assert!((w.reach_m(1040.0) - 1000.0).abs() < 1e-9);
    /// ```
    pub fn reach_m(&self, seconds: f64) -> f64 {
        seconds * (self.speed_kmh / 3.6) / self.detour_factor
    }

    /// Walking seconds between two Lambert-93 points (planar distance).
    pub fn seconds_l93(&self, a: Point, b: Point) -> f64 {
        self.seconds_for_m(distance_l93_m(a, b))
    }

    /// Whether the parameters are usable (finite and positive).
    pub fn is_valid(&self) -> bool {
        self.detour_factor.is_finite()
            && self.detour_factor >= 1.0
            && self.speed_kmh.is_finite()
            && self.speed_kmh > 0.0
    }
}

/// Lambert-93 planar distance in metres.
pub fn distance_l93_m(a: Point, b: Point) -> f64 {
    (a.x() - b.x()).hypot(a.y() - b.y())
}
