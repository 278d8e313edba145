//! One router per resource, merged by [`crate::app`].
//!
//! - [`health`]: `GET /health`;
//! - [`tiles`]: `GET /tiles/{layers}.json` (TileJSON) and the MVT tiles.

pub mod health;
pub mod tiles;
