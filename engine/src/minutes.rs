//! A travel time threshold in minutes, checked once: finite, in (0, [`MAX_MINUTES`]].
//!
//! Every threshold that comes from outside (a request, a command line, analysis parameters)
//! goes through [`Minutes::new`]; the coverage check, the suggestions, the isochrones and the
//! gap grid never check the range again.

use crate::number::Shown;

/// The longest threshold accepted, minutes.
pub const MAX_MINUTES: f64 = 120.0;

/// A threshold that is not in (0, [`MAX_MINUTES`]].
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("durée de {} min hors limites : attendu un nombre de minutes supérieur à 0 et au plus 120", Shown(*.0))]
pub struct MinutesError(pub f64);

/// A checked threshold, minutes in (0, 120].
///
/// # Examples
/// ```
/// use repere_engine::minutes::Minutes;
/// assert_eq!(Minutes::new(20.0).unwrap().get(), 20.0);
/// assert!(Minutes::new(0.0).is_err());
/// assert!(Minutes::new(120.5).is_err());
/// assert!(Minutes::new(f64::NAN).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, serde::Serialize)]
#[serde(transparent)]
pub struct Minutes(f64);

impl Minutes {
    /// Checks a threshold.
    ///
    /// # Errors
    /// [`MinutesError`] when it is not a number in (0, 120].
    pub fn new(minutes: f64) -> Result<Self, MinutesError> {
        if minutes > 0.0 && minutes <= MAX_MINUTES {
            Ok(Self(minutes))
        } else {
            Err(MinutesError(minutes))
        }
    }

    /// The value, minutes.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Minutes {
    type Error = MinutesError;
    fn try_from(minutes: f64) -> Result<Self, MinutesError> {
        Self::new(minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_are_open_at_zero_and_closed_at_120() {
        assert!(Minutes::new(0.0).is_err());
        assert!(Minutes::new(-1.0).is_err());
        assert!(Minutes::new(f64::INFINITY).is_err());
        assert!(Minutes::new(1e-9).is_ok());
        assert!(Minutes::new(120.0).is_ok());
        assert!(Minutes::new(120.000_001).is_err());
        let e = Minutes::new(150.0).unwrap_err().to_string();
        assert!(e.contains("150") && e.contains("120"), "{e}");
    }
}
