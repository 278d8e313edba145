//! The Métropole's portfolio of stored projects: what each reaches per service, what they reach
//! together (a union: no young person counted twice), where they overlap, what each adds, and
//! the best selection under a budget, solved exactly.
//!
//! - [`reach`]: a project's coverage per service, cell by cell, from the coverage check;
//! - [`weighting`]: what a young person reached is worth (one each, the priority score of their
//!   commune, or estimated invisibles);
//! - [`build`]: the portfolio as a selection problem ([`instance`]: elements and items);
//! - [`combine`](mod@combine): a selection's union, overlaps and marginal contributions;
//! - [`overview`](mod@overview): the view of every project;
//! - [`greedy`](mod@greedy) and [`exact`]: the ratio rule and the mixed-integer programme (HiGHS);
//! - [`select`](mod@select): greedy then exact, with the certificate and the gap;
//! - [`decision`]: the selection of the portfolio's projects, with what each project left out
//!   would have added and the projects not considered (no budget), with their reason;
//! - [`error`]: refusals naming the field.
//!
//! A project without a budget is never selected: it cannot be weighed against the budget, so
//! it is listed apart with a French reason.

pub mod build;
pub mod combine;
pub mod decision;
pub mod error;
pub mod exact;
pub mod greedy;
pub mod instance;
pub mod overview;
pub mod reach;
pub mod select;
pub mod weighting;

pub use build::{Portfolio, PortfolioProject};
pub use combine::{Combined, PairOverlap, combine};
pub use decision::{Decision, DecisionLine, decide};
pub use error::PortfolioError;
pub use instance::{Instance, Item};
pub use overview::{Overview, overview};
pub use reach::{ProjectReach, ServiceReach, cell_index, project_reach};
pub use select::{Certificate, Model, Selection, select};
pub use weighting::{Weighting, cell_weights};
