//! Public transport access: service calendars, frequencies, walking, RAPTOR travel times.
//!
//! Everything here is a pure function of a loaded [`Transport`](crate::model::transport::Transport)
//! and parameters; distances are Lambert-93 planar metres (see [`crate::walking::params`]).
//!
//! - [`calendar`]: which services run on a date or a typical weekday (calendar + calendar_dates);
//! - [`frequency`]: departures per hour per stop and per route in the 7-9 h, 9-17 h, 17-20 h windows;
//! - [`crate::walking::params`]: the walking model (straight line × detour factor at a walking
//!   speed, radii);
//! - [`crate::model::frame`]: the planar metric frame of a feed's stops (Lambert-93, or local
//!   for any feed);
//! - [`timetable`]: the RAPTOR-ready timetable of one service day (patterns, footpaths) and
//!   its time-reversed copy;
//! - [`raptor`]: RAPTOR earliest arrival (depart-at) and reverse RAPTOR latest departure
//!   (arrive-by), one origin or destination to all stops;
//! - [`isochrone`]: cells of the territory's grid reached within a time, depart-at or
//!   arrive-by, dissolved into one area;
//! - [`matrix`]: travel-time matrices between points of any feed, at one time or over a window
//!   (median and a percentile), depart-at or arrive-by;
//! - [`network`]: the travel network (stops, the day's timetable, walking model, departures);
//! - [`destinations`]: the actors of each group as destinations (egress stops, network fields);
//! - [`access`]: travel times from origins (any point) to the nearest actor of each group;
//! - [`cost`]: travel time as a cost function (e.g. for the 2SFCA index);
//! - [`synthetic`]: small synthetic feeds built by code, for tests and benchmarks.

pub mod access;
pub mod calendar;
pub mod cost;
pub mod destinations;
pub mod frequency;
pub mod isochrone;
pub mod matrix;
pub mod network;
pub mod raptor;
pub mod synthetic;
pub mod timetable;

pub use access::GroupAccess;
pub use calendar::{ServiceDay, Weekday};
pub use destinations::Destinations;
pub use network::{Departures, TravelNetwork, TravelParams};
pub use raptor::{StopLabels, earliest_arrival, latest_departure};
pub use timetable::Timetable;
