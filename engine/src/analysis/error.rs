//! Why an analysis was not built.

/// A refused build: nothing was computed, a previous analysis stays valid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// A parameter is out of its range.
    #[error("paramètre `{field}` = {value} : {expected}")]
    Param {
        /// Dotted path of the parameter, e.g. `gap.threshold_min`.
        field: &'static str,
        /// The value given.
        value: f64,
        /// The accepted range (French).
        expected: &'static str,
    },
}
