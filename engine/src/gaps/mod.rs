//! Gap maps: where young people live far from the actors of a group.
//!
//! - [`crate::grid`] (below gaps and transit): 200 m cells in Lambert-93 over the member communes, with their commune, QPV
//!   shares and estimated young people (15-29);
//! - [`gap_grid`]: per cell, walking and (with a timetable) transit minutes to the nearest actor of
//!   each group, and the gap score;
//! - [`summary`]: young people in gap cells per commune and per QPV;
//! - [`layer`]: the `gaps` tile layer.

pub mod gap_grid;
pub mod layer;
pub mod summary;

pub use gap_grid::{CellAccess, GapGrid, GapParams};
