//! Where to open the next permanence: the `k` places that together bring the most young people
//! of a group's gap cells within a threshold, the existing actors and planned sites held fixed.
//!
//! - [`greedy`]: greedy maximal covering over an abstract instance, and a brute-force optimum
//!   for checks;
//! - [`exact`]: the exact maximal covering (mixed-integer programme, HiGHS) with its certificate;
//! - [`candidates`]: candidate places (host structures of suitable kinds, QPV cells, a user
//!   list);
//! - [`run`]: the suggestion over the gap grid of a dataset.

pub mod candidates;
pub mod exact;
pub mod greedy;
pub mod run;

pub use candidates::{
    Candidate, CandidateSource, HOST_KINDS, candidates_from_sites, host_candidates,
    qpv_cell_candidates,
};
pub use exact::{Certificate, ExactSolution, Proof, SolveModel, solve_max_cover};
pub use greedy::{CoverInstance, Pick, greedy_max_cover};
pub use run::{
    CurveModel, CurvePoint, FixedSites, SuggestError, SuggestParams, SuggestedSite, Suggestion,
    suggest,
};

/// The default candidates of a dataset: the host structures of suitable kinds, then the QPV
/// cells of its grid.
pub fn default_candidates(
    ds: &crate::dataset::Dataset,
    grid: &crate::grid::Grid,
) -> Vec<Candidate> {
    let mut c = host_candidates(ds);
    c.extend(qpv_cell_candidates(ds, grid));
    c
}
