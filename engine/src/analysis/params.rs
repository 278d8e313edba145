//! Parameters of an analysis build, checked once before anything is computed.

use crate::diagnostic::DiagnosticParams;
use crate::gaps::GapParams;
use crate::ranking::Weights;
use crate::transit::TravelParams;

use super::AnalysisError;

/// Everything [`super::Analysis::build`] depends on besides the dataset.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct AnalysisParams {
    /// Diagnostic parameters (catchments, sliver and vintage rules, accessibility index).
    pub diagnostic: DiagnosticParams,
    /// Weights of the prepared ranking (and of the `priority_*` tile fields).
    pub weights: Weights,
    /// Access network parameters (walking model, access walk, rounds, service day).
    pub access: TravelParams,
    /// Gap grid parameters (threshold, fewest young people, departure).
    pub gap: GapParams,
}

fn positive(field: &'static str, value: f64) -> Result<(), AnalysisError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(AnalysisError::Param {
            field,
            value,
            expected: "attendu un nombre fini strictement positif",
        })
    }
}

fn non_negative(field: &'static str, value: f64) -> Result<(), AnalysisError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(AnalysisError::Param {
            field,
            value,
            expected: "attendu un nombre fini positif ou nul",
        })
    }
}

impl AnalysisParams {
    /// Checks the ranges a build relies on.
    ///
    /// # Errors
    /// [`AnalysisError::Param`] naming the first parameter out of range.
    pub fn validate(&self) -> Result<(), AnalysisError> {
        positive(
            "diagnostic.walking_catchment_m",
            self.diagnostic.walking_catchment_m,
        )?;
        positive(
            "diagnostic.stop_catchment_m",
            self.diagnostic.stop_catchment_m,
        )?;
        let w = &self.weights;
        for (field, v) in [
            ("weights.neet", w.neet),
            ("weights.neet_count", w.neet_count),
            ("weights.youth_qpv", w.youth_qpv),
            ("weights.access", w.access),
            ("weights.distance", w.distance),
            ("weights.invisibles", w.invisibles),
        ] {
            non_negative(field, v)?;
        }
        let sum = w.neet + w.neet_count + w.youth_qpv + w.access + w.distance + w.invisibles;
        positive("weights", sum)?;
        let walk = self.access.walk.params();
        for (field, v) in [
            ("access.walk.speed_kmh", walk.speed_kmh),
            ("access.walk.detour_factor", walk.detour_factor),
        ] {
            positive(field, v)?;
        }
        for (field, v) in [
            ("access.walk.max_access_m", walk.max_access_m),
            ("access.walk.max_transfer_m", walk.max_transfer_m),
        ] {
            non_negative(field, v)?;
        }
        let t = self.gap.threshold_min;
        if crate::minutes::Minutes::new(t).is_err() {
            return Err(AnalysisError::Param {
                field: "gap.threshold_min",
                value: t,
                expected: "attendu un nombre de minutes supérieur à 0 et au plus 120",
            });
        }
        non_negative("gap.min_youth", self.gap.min_youth)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_a_zero_threshold_is_named() {
        assert_eq!(AnalysisParams::default().validate(), Ok(()));
        let mut p = AnalysisParams::default();
        p.gap.threshold_min = 0.0;
        match p.validate() {
            Err(AnalysisError::Param { field, .. }) => assert_eq!(field, "gap.threshold_min"),
            other => panic!("{other:?}"),
        }
        let p = AnalysisParams {
            weights: Weights {
                neet: 0.0,
                neet_count: 0.0,
                youth_qpv: 0.0,
                access: 0.0,
                distance: 0.0,
                invisibles: 0.0,
            },
            ..AnalysisParams::default()
        };
        assert!(matches!(
            p.validate(),
            Err(AnalysisError::Param {
                field: "weights",
                ..
            })
        ));
        let mut p = AnalysisParams::default();
        p.diagnostic.stop_catchment_m = f64::NAN;
        assert!(p.validate().is_err());
    }
}
