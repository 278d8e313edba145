//! Synthetic GTFS feeds built by code, for tests, doctests and benchmarks. Nothing here is real
//! data: names say so.

use std::collections::HashMap;

use geo::{Coord, Point};

use crate::crs::Lambert93;
use crate::model::transport::{
    Calendar, CalendarDate, Route, Stop, StopTime, Transfer, Transport, Trip,
};

/// Builds a [`Transport`] step by step; stops are placed in Lambert-93 metres.
#[derive(Debug, Default)]
pub struct FeedBuilder {
    feed: Transport,
    routes: HashMap<String, usize>,
}

impl FeedBuilder {
    /// An empty synthetic feed.
    pub fn new() -> Self {
        let mut feed = Transport::default();
        feed.agencies.push("Synthetic agency".into());
        feed.has_timetable = true;
        Self {
            feed,
            routes: HashMap::new(),
        }
    }

    /// Adds a stop at Lambert-93 (x, y) metres; returns its index.
    pub fn stop(&mut self, id: &str, x_l93: f64, y_l93: f64) -> usize {
        let l93 = Lambert93::new();
        let p = Coord { x: x_l93, y: y_l93 };
        let wgs = l93.to_wgs84(p).unwrap_or(p);
        self.feed.stops.push(Stop {
            id: id.to_owned(),
            name: format!("Synthetic stop {id}"),
            location_type: 0,
            parent_station: None,
            point_wgs84: Point(wgs),
            point_m: Point(p),
        });
        self.feed
            .stop_index
            .insert(id.to_owned(), self.feed.stops.len() - 1);
        self.feed.stops.len() - 1
    }

    /// Adds a trip of `route` (created on first use) running on `service`, calling at
    /// (stop index, arrival s, departure s) in order; returns the trip index.
    pub fn trip(&mut self, route: &str, service: &str, calls: &[(usize, u32, u32)]) -> usize {
        let r = match self.routes.get(route) {
            Some(&r) => r,
            None => {
                self.feed.routes.push(Route {
                    id: route.to_owned(),
                    short_name: route.to_owned(),
                    long_name: format!("Synthetic route {route}"),
                    route_type: 3,
                });
                self.routes
                    .insert(route.to_owned(), self.feed.routes.len() - 1);
                self.feed.routes.len() - 1
            }
        };
        let trip = self.feed.trips.len();
        self.feed.trips.push(Trip {
            id: format!("T{trip}"),
            route: r,
            service_id: service.to_owned(),
            headsign: String::new(),
        });
        for (k, &(stop, arrival_s, departure_s)) in calls.iter().enumerate() {
            self.feed.stop_times.push(StopTime {
                trip,
                stop,
                sequence: k as u32 + 1,
                arrival_s,
                departure_s,
            });
        }
        trip
    }

    /// Adds a weekly calendar (Monday first) valid between two `YYYYMMDD` dates.
    pub fn calendar(
        &mut self,
        service: &str,
        weekdays: [bool; 7],
        start_date: u32,
        end_date: u32,
    ) -> &mut Self {
        self.feed.calendars.push(Calendar {
            service_id: service.to_owned(),
            weekdays,
            start_date,
            end_date,
        });
        self
    }

    /// Adds a calendar exception (1 added, 2 removed).
    pub fn exception(&mut self, service: &str, date: u32, exception_type: u8) -> &mut Self {
        self.feed.calendar_dates.push(CalendarDate {
            service_id: service.to_owned(),
            date,
            exception_type,
        });
        self
    }

    /// Adds a `transfers.txt` row.
    pub fn transfer(
        &mut self,
        from: usize,
        to: usize,
        transfer_type: u8,
        min_transfer_time_s: Option<u32>,
    ) -> &mut Self {
        self.feed.transfers.push(Transfer {
            from,
            to,
            transfer_type,
            min_transfer_time_s,
        });
        self
    }

    /// The feed, stop times sorted by (trip, sequence) as the loader leaves them.
    pub fn build(mut self) -> Transport {
        self.feed.stop_times.sort_by_key(|s| (s.trip, s.sequence));
        self.feed
    }
}

/// A synthetic line A → B → C (2 km apart, east-west, in Rouen's Lambert-93 area) with one
/// trip leaving A at 08:00, B at 08:05, reaching C at 08:10, every day of 2024.
pub fn line_feed() -> Transport {
    let mut b = FeedBuilder::new();
    let (x, y) = (562_000.0, 6_928_000.0);
    let a = b.stop("A", x, y);
    let bb = b.stop("B", x + 2000.0, y);
    let c = b.stop("C", x + 4000.0, y);
    let h8 = 8 * 3600;
    b.trip(
        "L1",
        "ALL",
        &[
            (a, h8, h8),
            (bb, h8 + 300, h8 + 300),
            (c, h8 + 600, h8 + 600),
        ],
    );
    b.calendar("ALL", [true; 7], 20240101, 20241231);
    b.build()
}
