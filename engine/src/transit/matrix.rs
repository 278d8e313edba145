//! Travel-time matrices between points on any complete GTFS feed, independent of a territory.
//!
//! A journey from an origin point to a destination point is the best of:
//! - a direct walk, when the two points are within
//!   [`WalkParams::max_access_m`](crate::walking::params::WalkParams::max_access_m) of each other;
//! - an access walk to a stop within that radius, vehicles with at most one walking transfer
//!   between two (RAPTOR), an egress walk from a stop within that radius.
//!
//! **Depart-at** (`Direction::DepartAt`): the travel time is arrival − departure time, waiting
//! at the first stop included; one RAPTOR run per origin and departure. **Arrive-by**
//! (`Direction::ArriveBy`): the travel time is the deadline − the latest departure that still
//! arrives by it (waiting at the destination included); one reverse RAPTOR run per destination
//! and deadline.
//!
//! **Windows**: over `window_min` minutes from the given time, every minute, each pair gets the
//! distribution of its travel times; the matrix reports its median and, when asked, a chosen
//! percentile (nearest rank), as Conveyal R5 does, so that a result does not depend on one lucky
//! departure. A departure that reaches nothing counts as an infinite time: a median or
//! percentile that falls on one is unreachable (`None`), never a sentinel number.

use std::thread;

use geo::Point;
use rstar::RTree;

use crate::crs::{Lambert93, distance_m};
use crate::dataset::{PointEntry, point_tree};
use crate::geometry::check_lon_lat;
use crate::model::frame::{Frame, LocalFrame};
use crate::model::transport::Transport;
use crate::problem::Problem;
use crate::tabular::Table;
use crate::transit::calendar::{CalendarError, ServiceDay, active_trips, resolve_date};
use crate::transit::network::stops_within;
use crate::transit::raptor::{earliest_arrival, latest_departure};
use crate::transit::timetable::Timetable;
use crate::walking::WalkModel;

/// Whether the time of a query is a departure or an arrival deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Leave at the time.
    DepartAt,
    /// Arrive by the time.
    ArriveBy,
}

/// A named WGS84 point of a matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixPoint {
    /// Identifier as given.
    pub id: String,
    /// Location, WGS84 lon/lat degrees.
    pub point_wgs84: Point,
}

/// Reads points from CSV (`id`, `lon`, `lat` columns; `;` or `,`).
///
/// # Errors
/// A [`Problem`] naming the file, line and column of the first bad row, or a missing column.
pub fn parse_points_csv(file: &str, bytes: &[u8]) -> Result<Vec<MatrixPoint>, Problem> {
    let table = Table::parse(file, bytes)?;
    let (id_c, lon_c, lat_c) = (
        table.column("id")?,
        table.column("lon")?,
        table.column("lat")?,
    );
    let mut out = Vec::with_capacity(table.len());
    for row in table.rows() {
        let id = row.text(id_c).to_owned();
        if id.is_empty() {
            return Err(row.problem(id_c, "identifiant vide"));
        }
        let lon = row.required_number(lon_c)?;
        let lat = row.required_number(lat_c)?;
        let c = check_lon_lat(lon, lat).map_err(|m| row.problem(lat_c, m))?;
        out.push(MatrixPoint {
            id,
            point_wgs84: Point(c),
        });
    }
    if out.is_empty() {
        return Err(Problem::file(
            file,
            "aucun point (fichier sans ligne de données)",
        ));
    }
    Ok(out)
}

/// What a matrix is asked for.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MatrixQuery {
    /// Departure time or arrival deadline, seconds after the service day's midnight.
    pub time_s: u32,
    /// Depart-at or arrive-by.
    pub direction: Direction,
    /// Window length in minutes (one time per minute from `time_s`); `None` for one time.
    pub window_min: Option<u32>,
    /// Percentile (0-100] reported besides the median over a window.
    pub percentile: Option<f64>,
    /// Most vehicles per journey.
    pub max_rounds: usize,
}

impl Default for MatrixQuery {
    fn default() -> Self {
        Self {
            time_s: 8 * 3600,
            direction: Direction::DepartAt,
            window_min: None,
            percentile: None,
            max_rounds: 5,
        }
    }
}

impl MatrixQuery {
    /// The times of the query: `time_s`, or every minute of the window.
    pub fn times(&self) -> Vec<u32> {
        let n = self.window_min.unwrap_or(1).max(1);
        (0..n).map(|k| self.time_s + 60 * k).collect()
    }
}

/// Errors of a matrix query.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatrixError {
    /// The feed has no `stop_times.txt`.
    #[error("le GTFS n'a pas d'horaires (stop_times.txt absent) : aucune matrice possible")]
    NoTimetable,
    /// The date cannot be served.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A percentile outside (0, 100].
    #[error("percentile invalide : {0} (attendu entre 0 exclu et 100)")]
    Percentile(f64),
    /// A window longer than a day.
    #[error("fenêtre invalide : {0} min (attendu entre 1 et 1 440)")]
    Window(u32),
    /// A point could not be projected.
    #[error("point {id} : projection impossible ({message})")]
    Projection {
        /// Point identifier.
        id: String,
        /// Why.
        message: String,
    },
}

/// How WGS84 points are brought into the feed's planar frame.
#[derive(Debug)]
enum Projector {
    Lambert93(Box<Lambert93>),
    Local(LocalFrame),
}

/// A feed's timetable of one date with its stops indexed, ready for matrices and point queries.
#[derive(Debug)]
pub struct TransitNetwork {
    /// The timetable (and its time-reversed copy).
    pub timetable: Timetable,
    /// The walking model.
    pub walk: WalkModel,
    /// Service date used, `YYYYMMDD`.
    pub date: u32,
    stops: RTree<PointEntry>,
    stop_points: Vec<Point>,
    projector: Projector,
}

impl TransitNetwork {
    /// Builds the timetable of `date` (`YYYYMMDD`).
    ///
    /// # Errors
    /// [`MatrixError::NoTimetable`] without stop times, [`MatrixError::Calendar`] for a date
    /// outside the feed's service (the error gives the feed's range).
    pub fn new(t: &Transport, date: u32, walk: WalkModel) -> Result<Self, MatrixError> {
        if !t.has_timetable || t.stop_times.is_empty() {
            return Err(MatrixError::NoTimetable);
        }
        let date = resolve_date(t, ServiceDay::Date(date))?;
        let timetable = Timetable::build(t, date, &active_trips(t, date), &walk);
        let stop_points: Vec<Point> = t.stops.iter().map(|s| s.point_m).collect();
        let projector = match t.frame {
            Frame::Lambert93 => Projector::Lambert93(Box::new(Lambert93::new())),
            Frame::Local { lon0, lat0 } => Projector::Local(LocalFrame::new(lon0, lat0)),
        };
        Ok(Self {
            timetable,
            walk,
            date,
            stops: point_tree(stop_points.iter()),
            stop_points,
            projector,
        })
    }

    /// A WGS84 point in the feed's planar frame.
    ///
    /// # Errors
    /// [`MatrixError::Projection`] when Lambert-93 cannot represent the point.
    pub fn project(&self, p: &MatrixPoint) -> Result<Point, MatrixError> {
        match &self.projector {
            Projector::Local(f) => Ok(f.to_m(p.point_wgs84)),
            Projector::Lambert93(l) => {
                l.point_from_wgs84(p.point_wgs84)
                    .map_err(|message| MatrixError::Projection {
                        id: p.id.clone(),
                        message: message.to_string(),
                    })
            }
        }
    }

    /// Stops within walking reach of a planar point, with walking seconds.
    pub fn stops_near(&self, p_m: Point) -> Vec<(u32, u32)> {
        stops_within(&self.stops, &self.stop_points, &self.walk, p_m)
    }

    /// The direct walk in seconds between two planar points, when within the access radius.
    pub fn direct_walk_s(&self, a_m: Point, b_m: Point) -> Option<f64> {
        (distance_m(a_m, b_m) <= self.walk.params().max_access_m)
            .then(|| self.walk.seconds(a_m, b_m))
    }
}

/// The travel time of one pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairTime {
    /// Origin identifier.
    pub origin: String,
    /// Destination identifier.
    pub destination: String,
    /// Minutes (the median over a window); `None` when unreachable.
    pub minutes: Option<f64>,
    /// Minutes at the requested percentile over the window; `None` when unreachable or not
    /// asked.
    pub percentile_minutes: Option<f64>,
}

/// A travel-time matrix, origin-major.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Matrix {
    /// Service date, `YYYYMMDD`.
    pub date: u32,
    /// The query.
    pub query: MatrixQuery,
    /// Which walking model ran (French method note: "à vol d'oiseau" or "à pied sur le réseau
    /// OpenStreetMap", see [`WalkModel::method_note`]).
    pub walk: String,
    /// One row per (origin, destination), origins in input order, then destinations.
    pub pairs: Vec<PairTime>,
}

/// Nearest-rank percentile of seconds (infinite = unreachable), in minutes; `None` when it falls
/// on an unreachable sample or there is none.
///
/// # Examples
/// ```
/// use repere_engine::transit::matrix::percentile_min;
/// let s = [600.0, 1200.0, 60.0, f64::INFINITY];
/// assert_eq!(percentile_min(&s, 50.0), Some(10.0));
/// assert_eq!(percentile_min(&s, 75.0), Some(20.0));
/// assert_eq!(percentile_min(&s, 100.0), None);
/// ```
pub fn percentile_min(seconds: &[f64], p: f64) -> Option<f64> {
    let mut v = seconds.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return None;
    }
    let rank = ((p / 100.0) * n as f64).ceil().clamp(1.0, n as f64) as usize;
    let s = v[rank - 1];
    s.is_finite().then_some(s / 60.0)
}

/// Computes the matrix (see the module docs), on all available cores.
///
/// # Errors
/// [`MatrixError`] for a bad percentile or window, or a point that cannot be projected.
pub fn travel_time_matrix(
    net: &TransitNetwork,
    origins: &[MatrixPoint],
    destinations: &[MatrixPoint],
    query: &MatrixQuery,
) -> Result<Matrix, MatrixError> {
    if let Some(p) = query.percentile
        && !(p > 0.0 && p <= 100.0)
    {
        return Err(MatrixError::Percentile(p));
    }
    if let Some(w) = query.window_min
        && !(1..=1440).contains(&w)
    {
        return Err(MatrixError::Window(w));
    }
    let o_m: Vec<Point> = origins
        .iter()
        .map(|p| net.project(p))
        .collect::<Result<_, _>>()?;
    let d_m: Vec<Point> = destinations
        .iter()
        .map(|p| net.project(p))
        .collect::<Result<_, _>>()?;
    let o_stops: Vec<_> = o_m.iter().map(|&p| net.stops_near(p)).collect();
    let d_stops: Vec<_> = d_m.iter().map(|&p| net.stops_near(p)).collect();
    let times = query.times();
    // Seconds per (origin, destination) and time, computed from the side RAPTOR runs from.
    let (outer, inner) = match query.direction {
        Direction::DepartAt => (o_m.len(), d_m.len()),
        Direction::ArriveBy => (d_m.len(), o_m.len()),
    };
    let row = |i: usize| -> Vec<Vec<f64>> {
        let mut samples = vec![Vec::with_capacity(times.len()); inner];
        for &t in &times {
            match query.direction {
                Direction::DepartAt => {
                    let arr = earliest_arrival(&net.timetable, &o_stops[i], t, query.max_rounds);
                    for (j, s) in samples.iter_mut().enumerate() {
                        let transit = d_stops[j].iter().filter_map(|&(st, w)| {
                            arr.by_vehicle(st as usize).map(|a| f64::from(a + w - t))
                        });
                        s.push(best(net.direct_walk_s(o_m[i], d_m[j]), transit));
                    }
                }
                Direction::ArriveBy => {
                    let dep = latest_departure(&net.timetable, &d_stops[i], t, query.max_rounds);
                    for (j, s) in samples.iter_mut().enumerate() {
                        let transit = o_stops[j].iter().filter_map(|&(st, w)| {
                            let leave = dep.by_vehicle(st as usize)?.checked_sub(w)?;
                            Some(f64::from(t.saturating_sub(leave)))
                        });
                        s.push(best(net.direct_walk_s(o_m[j], d_m[i]), transit));
                    }
                }
            }
        }
        samples
    };
    let threads = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(outer.max(1));
    let chunk = outer.div_ceil(threads.max(1)).max(1);
    let mut rows: Vec<Vec<Vec<f64>>> = Vec::with_capacity(outer);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..outer)
            .step_by(chunk)
            .map(|start| {
                let (row, end) = (&row, (start + chunk).min(outer));
                (
                    end - start,
                    scope.spawn(move || (start..end).map(row).collect::<Vec<_>>()),
                )
            })
            .collect();
        for (len, h) in handles {
            // A worker only panics on a defect; its pairs are then reported unreachable.
            match h.join() {
                Ok(part) => rows.extend(part),
                Err(_) => rows.extend(std::iter::repeat_with(Vec::new).take(len)),
            }
        }
    });
    let mut pairs = Vec::with_capacity(o_m.len() * d_m.len());
    for (i, o) in origins.iter().enumerate() {
        for (j, d) in destinations.iter().enumerate() {
            let samples = match query.direction {
                Direction::DepartAt => rows.get(i).and_then(|r| r.get(j)),
                Direction::ArriveBy => rows.get(j).and_then(|r| r.get(i)),
            };
            let samples = samples.map(Vec::as_slice).unwrap_or_default();
            pairs.push(PairTime {
                origin: o.id.clone(),
                destination: d.id.clone(),
                minutes: percentile_min(samples, 50.0),
                percentile_minutes: query.percentile.and_then(|p| percentile_min(samples, p)),
            });
        }
    }
    Ok(Matrix {
        date: net.date,
        query: *query,
        walk: net.walk.method_note(),
        pairs,
    })
}

/// The best of a direct walk and transit candidates, infinite when none.
fn best(direct: Option<f64>, transit: impl Iterator<Item = f64>) -> f64 {
    transit.fold(direct.unwrap_or(f64::INFINITY), f64::min)
}
