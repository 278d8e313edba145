//! The walking model's parameters and its straight-line distance, shared by RAPTOR (access, egress, transfers), the gap grid and coverage.
//!
//! **Straight line** ([`WalkModel::StraightLine`](super::WalkModel::StraightLine), without an OpenStreetMap extract): the planar distance in
//! the feed's metric frame (Lambert-93 in a territory, see [`crate::model::frame`]) × a detour factor
//! (default 1.3, turning the straight line into a street-network estimate), at a walking speed
//! (default 4.5 km/h, a usual planning speed). Walking transfers between stops are at most
//! [`WalkParams::max_transfer_m`] (default 400 m, straight line) and walks between a point and a
//! stop (access and egress) at most [`WalkParams::max_access_m`] (default 1 000 m).
//!
//! Lambert-93 is conformal with a scale error below 0.1 % over the Métropole, so its planar
//! distance equals the geodesic one to well under the precision of a walking model.
//!
//! **Network** ([`WalkModel::Network`](super::WalkModel::Network), see [`crate::walking`]): the OpenStreetMap pedestrian
//! network of the territory's extract, same speed and radii (candidates within the radii, network
//! walk within the straight-line model's time budget for the radius). Callers ask [`WalkModel`](super::WalkModel)
//! for walking seconds between two points and for the radii it searches, never compute a
//! distance themselves.

use geo::Point;

use crate::crs::distance_m;

/// Walking parameters (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WalkParams {
    /// Walking speed in km/h (default 4.5).
    pub speed_kmh: f64,
    /// Network distance / straight-line distance (default 1.3).
    pub detour_factor: f64,
    /// Longest walking transfer between two stops, straight line in metres (default 400).
    pub max_transfer_m: f64,
    /// Longest walk between a point (origin, destination, cell) and a stop, straight line in
    /// metres (default 1 000).
    pub max_access_m: f64,
}

impl Default for WalkParams {
    fn default() -> Self {
        Self {
            speed_kmh: 4.5,
            detour_factor: 1.3,
            max_transfer_m: 400.0,
            max_access_m: 1000.0,
        }
    }
}

/// Invalid walking parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WalkError {
    /// A parameter is not finite or out of its range.
    #[error("paramètre de marche `{field}` invalide : {value} (attendu : {expected})")]
    Invalid {
        /// The parameter (`walk_kmh`, `detour`, `max_transfer_m`, `max_access_m`).
        field: &'static str,
        /// The value given.
        value: f64,
        /// The accepted range, in French.
        expected: &'static str,
    },
}

impl WalkParams {
    /// Checks every parameter: speed in (0, 20] km/h, detour in [1, 5], radii in [0, 10 000] m.
    ///
    /// # Errors
    /// [`WalkError::Invalid`] naming the first parameter out of range.
    pub fn validated(self) -> Result<Self, WalkError> {
        let check = |field, value: f64, ok: bool, expected| {
            if value.is_finite() && ok {
                Ok(())
            } else {
                Err(WalkError::Invalid {
                    field,
                    value,
                    expected,
                })
            }
        };
        check(
            "walk_kmh",
            self.speed_kmh,
            self.speed_kmh > 0.0 && self.speed_kmh <= 20.0,
            "entre 0 et 20 km/h",
        )?;
        check(
            "detour",
            self.detour_factor,
            (1.0..=5.0).contains(&self.detour_factor),
            "entre 1 et 5",
        )?;
        check(
            "max_transfer_m",
            self.max_transfer_m,
            (0.0..=10_000.0).contains(&self.max_transfer_m),
            "entre 0 et 10 000 m",
        )?;
        check(
            "max_access_m",
            self.max_access_m,
            (0.0..=10_000.0).contains(&self.max_access_m),
            "entre 0 et 10 000 m",
        )?;
        Ok(self)
    }

    /// Whether the parameters are usable (see [`WalkParams::validated`]).
    pub fn is_valid(&self) -> bool {
        self.validated().is_ok()
    }

    /// Walking seconds for a straight-line distance in metres.
    ///
    /// # Examples
    /// ```
    /// let w = repere_engine::walking::WalkParams::default();
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
    /// let w = repere_engine::walking::WalkParams::default();
    /// assert!((w.reach_m(1040.0) - 1000.0).abs() < 1e-9);
    /// ```
    pub fn reach_m(&self, seconds: f64) -> f64 {
        seconds * (self.speed_kmh / 3.6) / self.detour_factor
    }

    /// Walking seconds between two planar points of one metric frame.
    pub fn seconds_between(&self, a_m: Point, b_m: Point) -> f64 {
        self.seconds_for_m(distance_m(a_m, b_m))
    }
}
