//! Public transport as read from a GTFS feed.

use std::collections::HashMap;

use geo::Point;

use super::frame::Frame;

/// A stop or station (`stops.txt`).
#[derive(Debug, Clone)]
pub struct Stop {
    /// `stop_id`.
    pub id: String,
    /// `stop_name`.
    pub name: String,
    /// 0 stop/platform, 1 station, 2 entrance, … (`location_type`).
    pub location_type: u8,
    /// `parent_station`.
    pub parent_station: Option<String>,
    /// Location in WGS84 lon/lat degrees.
    pub point_wgs84: Point,
    /// Location in planar metres of the feed's [`Frame`] (Lambert-93 in a territory).
    pub point_m: Point,
}

/// A route (`routes.txt`).
#[derive(Debug, Clone)]
pub struct Route {
    /// `route_id`.
    pub id: String,
    /// `route_short_name`.
    pub short_name: String,
    /// `route_long_name`.
    pub long_name: String,
    /// `route_type` (0 tram, 1 metro, 3 bus, …).
    pub route_type: u16,
}

/// A trip (`trips.txt`), its route and service as indices.
#[derive(Debug, Clone)]
pub struct Trip {
    /// `trip_id`.
    pub id: String,
    /// Index into [`Transport::routes`].
    pub route: usize,
    /// `service_id`.
    pub service_id: String,
    /// `trip_headsign`.
    pub headsign: String,
}

/// One call of a trip at a stop (`stop_times.txt`); times in seconds after the service day's
/// noon minus 12 h (GTFS time, may exceed 24 h, at most 48 h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StopTime {
    /// Index into [`Transport::trips`].
    pub trip: usize,
    /// Index into [`Transport::stops`].
    pub stop: usize,
    /// `stop_sequence`.
    pub sequence: u32,
    /// Arrival, seconds.
    pub arrival_s: u32,
    /// Departure, seconds.
    pub departure_s: u32,
}

/// A weekly service pattern (`calendar.txt`).
#[derive(Debug, Clone)]
pub struct Calendar {
    /// `service_id`.
    pub service_id: String,
    /// Monday … Sunday.
    pub weekdays: [bool; 7],
    /// First day, `YYYYMMDD` as a number.
    pub start_date: u32,
    /// Last day, `YYYYMMDD` as a number.
    pub end_date: u32,
}

/// A service exception (`calendar_dates.txt`).
#[derive(Debug, Clone)]
pub struct CalendarDate {
    /// `service_id`.
    pub service_id: String,
    /// `YYYYMMDD` as a number.
    pub date: u32,
    /// 1 added, 2 removed.
    pub exception_type: u8,
}

/// A transfer (`transfers.txt`), stops as indices.
#[derive(Debug, Clone, Copy)]
pub struct Transfer {
    /// From stop index.
    pub from: usize,
    /// To stop index.
    pub to: usize,
    /// `transfer_type`.
    pub transfer_type: u8,
    /// `min_transfer_time`, seconds.
    pub min_transfer_time_s: Option<u32>,
}

/// A loaded GTFS feed.
#[derive(Debug, Clone, Default)]
pub struct Transport {
    /// Agency names.
    pub agencies: Vec<String>,
    /// Stops and stations.
    pub stops: Vec<Stop>,
    /// Routes.
    pub routes: Vec<Route>,
    /// Trips.
    pub trips: Vec<Trip>,
    /// Stop times sorted by trip then sequence; empty when the feed has no `stop_times.txt`.
    pub stop_times: Vec<StopTime>,
    /// Whether `stop_times.txt` was present: timetable-based access needs it.
    pub has_timetable: bool,
    /// Weekly calendars.
    pub calendars: Vec<Calendar>,
    /// Calendar exceptions.
    pub calendar_dates: Vec<CalendarDate>,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// `stop_id` → index.
    pub stop_index: HashMap<String, usize>,
    /// The planar frame of [`Stop::point_m`].
    pub frame: Frame,
    /// `agency_timezone` (IANA name, e.g. `Europe/Paris`); times stay service-day seconds
    /// ("noon minus 12 h" of the service date), so the zone is reported, not applied.
    pub timezone: Option<String>,
    /// Trips made from `frequencies.txt` headways (each departure is one trip).
    pub frequency_trips: usize,
}
