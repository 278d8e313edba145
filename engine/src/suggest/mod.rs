//! Where to open the next permanence: the `k` host structures that together bring the most young
//! people of a group's gap cells within a threshold.
//!
//! - [`greedy`]: greedy maximal covering over an abstract instance, and a brute-force optimum
//!   for checks;
//! - [`candidates`]: candidate host structures (existing actors of host kinds, or a user list);
//! - [`run`]: the suggestion over the gap grid of a dataset.

pub mod candidates;
pub mod greedy;
pub mod run;

pub use candidates::{Candidate, HOST_KINDS, candidates_from_sites, host_candidates};
pub use greedy::{CoverInstance, Pick, greedy_max_cover};
pub use run::{SuggestError, SuggestParams, SuggestedSite, Suggestion, suggest};
