//! Priority ranking of communes for repérage: a weighted composite of normalised components,
//! each commune's score explained component by component.

pub mod score;
pub mod weights;

pub use score::{ComponentInfo, ComponentScore, RankEntry, Ranking, rank};
pub use weights::{Component, Weights, WeightsError};
