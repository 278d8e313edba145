//! Why a portfolio question was refused: a field of the request, named, with a French reason.

/// A refused portfolio request (bad budget, unknown weighting or service, weighting without its
/// data) or a solver failure.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PortfolioError {
    /// A field of the request is invalid.
    #[error("champ `{field}` : {message}")]
    Field {
        /// The field (`budget_eur`, `weighting`, `service` …).
        field: String,
        /// Why (French).
        message: String,
    },
    /// The solver could not be run on the programme (never a wrong answer: the greedy selection
    /// is given instead by [`super::select::select`]).
    #[error("solveur HiGHS indisponible : {0}")]
    Solver(String),
}

impl PortfolioError {
    /// A refused field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}
