//! The typed layers of a territory, all validated at load.

pub mod actor;
pub mod commune;
pub mod followup;
pub mod frame;
pub mod opening_hours;
pub mod qpv;
pub mod transport;
pub mod youth;
