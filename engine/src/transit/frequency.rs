//! Departures per hour per stop and per route in the planning windows 7-9 h, 9-17 h, 17-20 h.
//!
//! A stop's departures are the calls of the day's trips at it, except a trip's last call; a
//! route's departures are its trips leaving their first stop. Rates are counts divided by the
//! window's length in hours; windows are half-open `[start, end)` in GTFS service time.

use crate::model::transport::Transport;
use crate::transit::timetable::Timetable;

/// A time window of the service day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TimeWindow {
    /// Label (`7-9h`).
    pub label: &'static str,
    /// Start, seconds after midnight (included).
    pub start_s: u32,
    /// End, seconds after midnight (excluded).
    pub end_s: u32,
}

impl TimeWindow {
    /// Length in hours.
    pub fn hours(&self) -> f64 {
        f64::from(self.end_s - self.start_s) / 3600.0
    }
    fn index_of(windows: &[TimeWindow], t: u32) -> Option<usize> {
        windows.iter().position(|w| w.start_s <= t && t < w.end_s)
    }
}

/// Morning peak, off-peak day, evening peak.
pub const WINDOWS: [TimeWindow; 3] = [
    TimeWindow {
        label: "7-9h",
        start_s: 7 * 3600,
        end_s: 9 * 3600,
    },
    TimeWindow {
        label: "9-17h",
        start_s: 9 * 3600,
        end_s: 17 * 3600,
    },
    TimeWindow {
        label: "17-20h",
        start_s: 17 * 3600,
        end_s: 20 * 3600,
    },
];

/// Departures per hour at one stop.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StopFrequency {
    /// `stop_id`.
    pub stop_id: String,
    /// `stop_name`.
    pub stop_name: String,
    /// Departures per hour in each of [`WINDOWS`].
    pub per_hour: [f64; 3],
}

/// Departures per hour of one route.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RouteFrequency {
    /// `route_id`.
    pub route_id: String,
    /// `route_short_name`.
    pub short_name: String,
    /// Trips per hour leaving their first stop in each of [`WINDOWS`].
    pub per_hour: [f64; 3],
}

/// Frequencies of one service day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Frequencies {
    /// Service date, `YYYYMMDD`.
    pub date: u32,
    /// The windows.
    pub windows: [TimeWindow; 3],
    /// Stops with at least one departure that day, sorted by `stop_id`.
    pub stops: Vec<StopFrequency>,
    /// Routes with at least one trip that day, sorted by `route_id`.
    pub routes: Vec<RouteFrequency>,
}

/// Counts departures per hour of a day's timetable.
///
/// # Examples
/// ```
/// use repere_engine::transit::{frequency::frequencies, synthetic::line_feed};
/// use repere_engine::transit::timetable::Timetable;
/// use repere_engine::walking::WalkModel;
/// let feed = line_feed();
/// let tt = Timetable::build(&feed, 20240102, &vec![true; feed.trips.len()], &WalkModel::default());
/// let f = frequencies(&feed, &tt);
/// // One departure from A at 08:00 in the two-hour morning window: 0.5 per hour.
/// assert_eq!(f.stops[0].per_hour, [0.5, 0.0, 0.0]);
/// assert_eq!(f.stops.len(), 2); // C is only a terminus
/// ```
pub fn frequencies(t: &Transport, tt: &Timetable) -> Frequencies {
    let mut stop_counts = vec![[0u32; 3]; t.stops.len()];
    let mut stop_any = vec![false; t.stops.len()];
    let mut route_counts = vec![[0u32; 3]; t.routes.len()];
    let mut route_any = vec![false; t.routes.len()];
    for p in &tt.patterns {
        route_any[p.route] = true;
        for k in 0..p.trip_count() {
            for pos in 0..p.stops.len().saturating_sub(1) {
                let s = p.stops[pos] as usize;
                stop_any[s] = true;
                let dep = p.departure(pos, k);
                if let Some(w) = TimeWindow::index_of(&WINDOWS, dep) {
                    stop_counts[s][w] += 1;
                    if pos == 0 {
                        route_counts[p.route][w] += 1;
                    }
                }
            }
        }
    }
    let rate = |c: [u32; 3]| std::array::from_fn(|w| f64::from(c[w]) / WINDOWS[w].hours());
    let mut stops: Vec<StopFrequency> = (0..t.stops.len())
        .filter(|&s| stop_any[s])
        .map(|s| StopFrequency {
            stop_id: t.stops[s].id.clone(),
            stop_name: t.stops[s].name.clone(),
            per_hour: rate(stop_counts[s]),
        })
        .collect();
    stops.sort_by(|a, b| a.stop_id.cmp(&b.stop_id));
    let mut routes: Vec<RouteFrequency> = (0..t.routes.len())
        .filter(|&r| route_any[r])
        .map(|r| RouteFrequency {
            route_id: t.routes[r].id.clone(),
            short_name: t.routes[r].short_name.clone(),
            per_hour: rate(route_counts[r]),
        })
        .collect();
    routes.sort_by(|a, b| a.route_id.cmp(&b.route_id));
    Frequencies {
        date: tt.date,
        windows: WINDOWS,
        stops,
        routes,
    }
}
