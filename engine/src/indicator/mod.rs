//! Indicators computed from the youth data and the overlays.

pub mod access_2sfca;
pub mod neet;
pub mod youth;
