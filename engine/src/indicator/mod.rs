//! Indicators computed from the youth data and the overlays.

pub mod access_2sfca;
pub mod invisibles;
pub mod neet;
pub mod secrecy;
pub mod youth;
