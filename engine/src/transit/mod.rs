//! Public transport access: service calendars, frequencies, walking, RAPTOR travel times.
//!
//! Everything here is a pure function of a loaded [`Transport`](crate::model::transport::Transport)
//! and parameters; distances are Lambert-93 planar metres (see [`walk`]).
//!
//! - [`calendar`]: which services run on a date or a typical weekday (calendar + calendar_dates);
//! - [`frequency`]: departures per hour per stop and per route in the 7-9 h, 9-17 h, 17-20 h windows;
//! - [`walk`]: the walking model (straight line × detour factor at a walking speed);
//! - [`timetable`]: the RAPTOR-ready timetable of one service day (patterns, footpaths);
//! - [`raptor`]: RAPTOR earliest arrival, one origin to all stops;
//! - [`access`]: travel times from origins (any point) to the nearest actor of each group;
//! - [`cost`]: travel time as a cost function (e.g. for the 2SFCA index);
//! - [`synthetic`]: small synthetic feeds built by code, for tests and benchmarks.

pub mod access;
pub mod calendar;
pub mod cost;
pub mod frequency;
pub mod raptor;
pub mod synthetic;
pub mod timetable;
pub mod walk;

pub use access::{AccessNetwork, AccessParams, Departures, GroupAccess};
pub use calendar::{ServiceDay, Weekday};
pub use raptor::{UNREACHED, earliest_arrival};
pub use timetable::Timetable;
pub use walk::WalkParams;
