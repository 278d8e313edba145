//! Isochrones on a territory's grid: the 200 m cells reached from a point (depart-at) or from
//! which a point is reached (arrive-by) within a time, on foot or on foot + public transport,
//! dissolved into one area.
//!
//! A cell counts when its centre is reached. On foot: the walking model to the centre (straight
//! line × detour, or the OpenStreetMap pedestrian network, see [`crate::walking`]). With
//! transit, depart-at: RAPTOR from the point's access stops at the departure time, then a walk
//! from every stop reached by vehicle; arrive-by: reverse RAPTOR from the point's egress stops
//! at the deadline, then a walk from every cell to a stop it can leave from in time. The
//! direct walk is always a candidate. Times include waiting (at the first stop depart-at, at
//! the point arrive-by).

use std::collections::BTreeMap;

use geo::{Coord, MultiPolygon, Point, Rect, unary_union};

use crate::crs::{Lambert93, distance_m};
use crate::grid::Grid;
use crate::transit::TravelNetwork;
use crate::transit::raptor::{earliest_arrival, latest_departure};
use crate::walking::WalkModel;

/// When the journeys run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JourneyTime {
    /// Leave the point at this time (seconds after midnight of the service day).
    DepartAt(u32),
    /// Arrive at the point by this time.
    ArriveBy(u32),
}

/// Cells reached and whether a vehicle helped within the threshold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reached {
    /// Cell index → seconds.
    pub cells: BTreeMap<usize, f64>,
    /// Whether some cell was reached by public transport within the threshold.
    pub by_transit: bool,
}

/// Cells within `threshold_s` of the Lambert-93 point on foot, with their seconds.
///
/// Straight line: the cells within the reach distance. Network: one bounded search from the
/// point; candidates are the cells within the distance walked in `threshold_s` at the walking
/// speed (no network path is shorter than the straight line).
pub fn walk_cells(
    grid: &Grid,
    point_l93: Point,
    threshold_s: f64,
    walk: &WalkModel,
) -> BTreeMap<usize, f64> {
    let p = walk.params();
    match walk {
        WalkModel::StraightLine(_) => grid
            .cells_within(point_l93, p.reach_m(threshold_s))
            .map(|k| (k, p.seconds_for_m(distance_m(point_l93, grid.centre(k)))))
            .collect(),
        WalkModel::Network(_) => {
            let mut search = None;
            let from = walk.from_point(&mut search, point_l93, threshold_s);
            grid.cells_within(point_l93, threshold_s * p.speed_kmh / 3.6)
                .filter_map(|k| from.seconds_to(grid.centre(k)).map(|s| (k, s)))
                .collect()
        }
    }
}

/// Cells within `threshold_s` of the point on foot + transit (see the module docs); on foot
/// only without a timetable.
pub fn transit_cells(
    grid: &Grid,
    net: &TravelNetwork,
    point_l93: Point,
    threshold_s: f64,
    time: JourneyTime,
) -> Reached {
    let model = &net.params.walk;
    let walk = *net.params.walk();
    let mut out = Reached {
        cells: walk_cells(grid, point_l93, threshold_s, model),
        by_transit: false,
    };
    let Some(tt) = net.timetable.as_ref() else {
        return out;
    };
    let stops = net.access_stops(point_l93);
    let rounds = net.params.max_rounds;
    // Per stop reached by vehicle, the seconds already spent between the point and the stop.
    let spent: Vec<(usize, f64)> = match time {
        JourneyTime::DepartAt(t0) => earliest_arrival(tt, &stops, t0, rounds)
            .reached_by_vehicle()
            .map(|(s, a)| (s, f64::from(a.saturating_sub(t0))))
            .collect(),
        JourneyTime::ArriveBy(deadline) => latest_departure(tt, &stops, deadline, rounds)
            .reached_by_vehicle()
            .map(|(s, leave)| (s, f64::from(deadline.saturating_sub(leave))))
            .collect(),
    };
    for (s, spent) in spent {
        if spent >= threshold_s {
            continue;
        }
        out.by_transit = true;
        let p = net.stop_point(s);
        if model.network().is_some() {
            // The network walk between the stop and the cells, within the access budget.
            let budget_s = (threshold_s - spent).min(walk.seconds_for_m(walk.max_access_m));
            for (k, w) in walk_cells(grid, p, budget_s, model) {
                let e = out.cells.entry(k).or_insert(f64::INFINITY);
                *e = e.min(spent + w);
            }
            continue;
        }
        let radius = walk.reach_m(threshold_s - spent).min(walk.max_access_m);
        for k in grid.cells_within(p, radius) {
            let t = spent + walk.seconds_for_m(distance_m(p, grid.centre(k)));
            if t <= threshold_s {
                let e = out.cells.entry(k).or_insert(f64::INFINITY);
                *e = e.min(t);
            }
        }
    }
    out
}

/// The cells as one dissolved area in WGS84 (lon/lat).
///
/// # Errors
/// A message when a corner cannot be reprojected.
pub fn dissolve_wgs84(
    grid: &Grid,
    cells: impl Iterator<Item = usize>,
    l93: &Lambert93,
) -> Result<MultiPolygon, crate::problem::ProjectionError> {
    let squares: Vec<geo::Polygon> = cells
        .filter_map(|k| grid.cells.get(k))
        .map(|c| {
            Rect::new(
                Coord {
                    x: c.x_l93,
                    y: c.y_l93,
                },
                Coord {
                    x: c.x_l93 + grid.cell_m,
                    y: c.y_l93 + grid.cell_m,
                },
            )
            .to_polygon()
        })
        .collect();
    let area_l93 = unary_union(&squares);
    l93.multipolygon_to_wgs84(&area_l93)
}

/// The GeoJSON `Feature` of a dissolved area (WGS84) with the given properties.
pub fn area_feature(
    area_wgs84: &MultiPolygon,
    properties: serde_json::Map<String, serde_json::Value>,
) -> String {
    let geometry = geojson::Geometry::new(geojson::GeometryValue::from(area_wgs84));
    geojson::Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: Some(properties),
        foreign_members: None,
    }
    .to_string()
}

/// What an isochrone is asked for, validated.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct IsochroneQuery {
    /// The point, WGS84 lon/lat degrees.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Time, minutes in (0, 120].
    pub minutes: f64,
    /// On foot + public transport (else on foot).
    pub transit: bool,
    /// Departure or arrival deadline.
    pub time: JourneyTime,
}

/// Why an isochrone cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IsochroneError {
    /// Transit asked on a feed without timetable; says why.
    #[error(
        "isochrone en transport en commun impossible sur ce territoire : {note} ; demandez mode=walk"
    )]
    NoTimetable {
        /// The network's note (French).
        note: String,
    },
    /// The point is not a WGS84 lon/lat.
    #[error(transparent)]
    Point(#[from] crate::point::PointError),
    /// The point or the area could not be projected.
    #[error(transparent)]
    Projection(#[from] crate::problem::ProjectionError),
    /// Minutes out of range.
    #[error(transparent)]
    Minutes(#[from] crate::minutes::MinutesError),
}

/// A computed isochrone: the area and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Isochrone {
    /// The query.
    pub query: IsochroneQuery,
    /// Dissolved cells, WGS84.
    pub area_wgs84: MultiPolygon,
    /// Number of cells reached.
    pub cells: usize,
    /// Cell side, metres.
    pub cell_m: f64,
    /// Whether public transport reached some cell within the time.
    pub by_transit: bool,
    /// Service date of the timetable used (`YYYYMMDD`), with transit.
    pub date: Option<u32>,
    /// How access is measured (French).
    pub note: String,
}

impl Isochrone {
    /// Computes the isochrone on a territory's grid and network.
    ///
    /// # Errors
    /// [`IsochroneError`] for a bad point or time, or transit without a timetable.
    pub fn compute(
        grid: &Grid,
        net: &TravelNetwork,
        query: IsochroneQuery,
    ) -> Result<Self, IsochroneError> {
        crate::minutes::Minutes::new(query.minutes)?;
        if query.transit && !net.has_transit() {
            return Err(IsochroneError::NoTimetable {
                note: net.note.clone(),
            });
        }
        let c = crate::geometry::check_lon_lat(query.lon, query.lat)?;
        let l93 = Lambert93::new();
        let p = l93.point_from_wgs84(Point(c))?;
        let thr_s = query.minutes * 60.0;
        let (cells, by_transit) = if query.transit {
            let r = transit_cells(grid, net, p, thr_s, query.time);
            (r.cells, r.by_transit)
        } else {
            (walk_cells(grid, p, thr_s, &net.params.walk), false)
        };
        let area_wgs84 = dissolve_wgs84(grid, cells.keys().copied(), &l93)?;
        Ok(Self {
            query,
            area_wgs84,
            cells: cells.len(),
            cell_m: grid.cell_m,
            by_transit,
            date: net
                .timetable
                .as_ref()
                .filter(|_| query.transit)
                .map(|tt| tt.date),
            note: net.note.clone(),
        })
    }

    /// The GeoJSON `Feature`: the area, with `minutes`, `mode`, `depart` or `arrive_by`,
    /// `cells`, `cell_m`, `by_transit`, `date` and `note` as properties.
    pub fn to_geojson(&self) -> String {
        let mut props = serde_json::Map::new();
        props.insert("minutes".into(), self.query.minutes.into());
        let mode = if self.query.transit {
            "transit"
        } else {
            "walk"
        };
        props.insert("mode".into(), mode.into());
        let (key, t) = match self.query.time {
            JourneyTime::DepartAt(t) => ("depart", t),
            JourneyTime::ArriveBy(t) => ("arrive_by", t),
        };
        props.insert(
            key.into(),
            format!("{:02}:{:02}", t / 3600, t / 60 % 60).into(),
        );
        props.insert("cells".into(), self.cells.into());
        props.insert("cell_m".into(), self.cell_m.into());
        props.insert("by_transit".into(), self.by_transit.into());
        if let Some(d) = self.date {
            props.insert("date".into(), crate::date::iso(d).into());
        }
        props.insert("note".into(), self.note.clone().into());
        area_feature(&self.area_wgs84, props)
    }
}
