//! The travel network: stops and, when the feed has one, the timetable of the service day,
//! with the walking model and the departure or arrival times of journeys.

use geo::Point;
use rstar::RTree;

use crate::dataset::{PointEntry, point_tree};
use crate::date::iso;
use crate::model::transport::Transport;
use crate::transit::calendar::{ServiceDay, active_trips, resolve_date};
use crate::transit::timetable::Timetable;
use crate::walking::{WalkModel, WalkParams};
use std::sync::OnceLock;

use crate::walking::{NetworkWalk, Search, Snapped, model::NearestField};

/// When journeys leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Departures {
    /// One departure time, seconds after midnight.
    At(u32),
    /// Every `step_s` from `start_s` (included) to `end_s` (excluded).
    Window {
        /// First departure.
        start_s: u32,
        /// End of the window.
        end_s: u32,
        /// Step between departures.
        step_s: u32,
    },
}

impl Default for Departures {
    /// The morning window 7-9 h, every 10 minutes.
    fn default() -> Self {
        Self::Window {
            start_s: 7 * 3600,
            end_s: 9 * 3600,
            step_s: 600,
        }
    }
}

impl Departures {
    /// The departure times.
    pub fn times(&self) -> Vec<u32> {
        match *self {
            Self::At(t) => vec![t],
            Self::Window {
                start_s,
                end_s,
                step_s,
            } => (start_s..end_s.max(start_s + 1))
                .step_by(step_s.max(1) as usize)
                .collect(),
        }
    }
}

/// Parameters of access computations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TravelParams {
    /// Walking model: speed, detour, transfer and access radii.
    pub walk: WalkModel,
    /// Most vehicles per journey (default 5).
    pub max_rounds: usize,
    /// Service day.
    pub day: ServiceDay,
    /// Departure times (depart-at queries, e.g. from home at 8:00).
    pub departures: Departures,
    /// Arrival deadlines (arrive-by queries: gap map, coverage of sites without opening
    /// hours); default 8:30-10:00 every 10 minutes, when most permanences have opened.
    pub arrivals: Departures,
}

impl Default for TravelParams {
    fn default() -> Self {
        Self {
            walk: WalkModel::default(),
            max_rounds: 5,
            day: ServiceDay::default(),
            departures: Departures::default(),
            arrivals: Departures::Window {
                start_s: 8 * 3600 + 1800,
                end_s: 10 * 3600,
                step_s: 600,
            },
        }
    }
}

impl TravelParams {
    /// The walking parameters.
    pub fn walk(&self) -> &WalkParams {
        self.walk.params()
    }
}

/// Stops and, when available, the timetable of the service day, ready for access queries.
#[derive(Debug)]
pub struct TravelNetwork {
    /// Parameters.
    pub params: TravelParams,
    /// The day's timetable; `None` without stop times or without service that day.
    pub timetable: Option<Timetable>,
    /// Why transit times are or are not available, and which walking model ran (French, for
    /// reports and the API).
    pub note: String,
    stops: RTree<PointEntry>,
    stop_points: Vec<Point>,
    /// With the network model: network distances to the nearest stop (one multi-source
    /// search, run on first use, or by [`Destinations`](super::Destinations) in the same
    /// parallel batch as the actor groups' searches).
    stop_field: OnceLock<Option<NearestField>>,
}

impl TravelNetwork {
    /// Prepares access over a feed (or none) with a walking model (see
    /// [`Dataset::walk_model`](crate::dataset::Dataset::walk_model)), which replaces
    /// `params.walk`: access, egress, transfer legs and direct walks all use it.
    pub fn with_walk(
        transport: Option<&Transport>,
        mut params: TravelParams,
        walk: WalkModel,
    ) -> Self {
        params.walk = walk;
        Self::new(transport, params)
    }

    /// Prepares access over a feed (or none), walking with `params.walk`.
    pub fn new(transport: Option<&Transport>, params: TravelParams) -> Self {
        let walk_note = format!("marche : {}", params.walk.method_note());
        let Some(t) = transport else {
            return Self {
                params,
                timetable: None,
                note: format!(
                    "aucun réseau de transport configuré : accès à pied uniquement ; {walk_note}"
                ),
                stops: RTree::new(),
                stop_points: Vec::new(),
                stop_field: OnceLock::new(),
            };
        };
        let stop_points: Vec<Point> = t.stops.iter().map(|s| s.point_m).collect();
        let stops = point_tree(stop_points.iter());
        let (timetable, note) = if !t.has_timetable || t.stop_times.is_empty() {
            (None, "le GTFS n'a pas d'horaires (stop_times.txt absent) : temps de trajet en transport en commun indisponibles ; accès mesuré à pied et par la proximité des arrêts".to_owned())
        } else {
            match resolve_date(t, params.day) {
                Err(e) => (None, format!("{e} : accès à pied uniquement")),
                Ok(date) => {
                    let tt = Timetable::build(t, date, &active_trips(t, date), &params.walk);
                    if tt.active_trips == 0 {
                        (
                            None,
                            format!("aucune course le {} : accès à pied uniquement", iso(date)),
                        )
                    } else {
                        let note = format!(
                            "horaires du {} ({} courses) : temps à pied et en transport en commun",
                            iso(date),
                            tt.active_trips
                        );
                        (Some(tt), note)
                    }
                }
            }
        };
        Self {
            params,
            timetable,
            note: format!("{note} ; {walk_note}"),
            stops,
            stop_points,
            stop_field: OnceLock::new(),
        }
    }

    /// The network distance field of the stops (network model with stops; computed on first
    /// use).
    pub(crate) fn stop_field(&self) -> Option<&NearestField> {
        self.stop_field
            .get_or_init(|| {
                self.stop_field_search()
                    .map(|(n, pts)| n.nearest_field(pts))
            })
            .as_ref()
    }

    /// What the stop field's search needs when it is still to run: the network model and the
    /// stops' points (`None` when computed already, or without network or stops).
    pub(crate) fn stop_field_search(&self) -> Option<(&NetworkWalk, &[Point])> {
        if self.stop_field.get().is_some() || self.stop_points.is_empty() {
            return None;
        }
        self.params
            .walk
            .network()
            .map(|n| (n, self.stop_points.as_slice()))
    }

    /// Stores the stop field computed by a caller's batch (see
    /// [`TravelNetwork::stop_field_search`]); ignored when already computed.
    pub(crate) fn set_stop_field(&self, field: NearestField) {
        // Already set: the same search's result, computed first by another caller.
        let _ = self.stop_field.set(Some(field));
    }

    /// Whether transit travel times are available.
    pub fn has_transit(&self) -> bool {
        self.timetable.is_some()
    }

    /// Stops within the access radius of a Lambert-93 point, with walking seconds, by stop index.
    ///
    /// Candidates are the stops within the radius (straight line); with the network model, the
    /// walk is the network's and must fit the straight-line model's time budget for the radius
    /// (`max_access_m` × detour factor at the walking speed).
    pub fn access_stops(&self, p: Point) -> Vec<(u32, u32)> {
        stops_within(&self.stops, &self.stop_points, &self.params.walk, p)
    }

    /// A stop's Lambert-93 point.
    pub fn stop_point(&self, stop: usize) -> Point {
        self.stop_points[stop]
    }

    /// Metres to the nearest stop: straight line (Lambert-93) without the pedestrian network;
    /// with it, the metres walked on the network to the network-nearest stop (straight line ×
    /// detour factor for a point or stop off the network, as their walking times).
    pub fn nearest_stop_m(&self, p: Point) -> Option<f64> {
        let snapped = self.params.walk.network().map(|n| n.network.snap(p));
        self.nearest_stop_m_snapped(p, snapped.as_ref().map(Option::as_ref))
    }

    /// As [`TravelNetwork::nearest_stop_m`], with the point already snapped when the model is
    /// the network (`Some(None)`: it could not be).
    pub fn nearest_stop_m_snapped(
        &self,
        p: Point,
        snapped: Option<Option<&Snapped>>,
    ) -> Option<f64> {
        match (self.params.walk.network(), self.stop_field()) {
            (Some(n), Some(field)) => {
                let snapped = match snapped {
                    Some(s) => s.copied(),
                    None => n.network.snap(p),
                };
                let s = n.seconds_to_nearest_snapped(field, p, snapped.as_ref());
                s.is_finite().then(|| s * n.params.speed_kmh / 3.6)
            }
            _ => self
                .stops
                .nearest_neighbor(&[p.x(), p.y()])
                .map(|e| crate::crs::distance_m(p, self.stop_points[e.data])),
        }
    }

    /// [`TravelNetwork::access_stops`] of many points at once (`snaps`: their snaps with the
    /// network model, in the same order; ignored without it). With the network: one reverse
    /// search from each stop, bounded by the access budget, serves every point within the
    /// access radius of the stop (the graph is undirected), instead of one search per point.
    pub fn access_stops_many(
        &self,
        points: &[Point],
        snaps: &[Option<Snapped>],
    ) -> Vec<Vec<(u32, u32)>> {
        let walk = &self.params.walk;
        let Some(n) = walk.network() else {
            return points.iter().map(|&p| self.access_stops(p)).collect();
        };
        let r = walk.params().max_access_m;
        let budget_s = walk.params().seconds_for_m(r);
        let max_m = budget_s * n.params.speed_kmh / 3.6;
        let tree = point_tree(points.iter());
        let mut out = vec![Vec::new(); points.len()];
        let mut search = n.network.search();
        let straight = |a: Point, b: Point| walk.params().seconds_between(a, b).round() as u32;
        for (si, &sp) in self.stop_points.iter().enumerate() {
            let near: Vec<usize> = tree
                .locate_within_distance([sp.x(), sp.y()], r * r)
                .map(|e| e.data)
                .filter(|&k| crate::crs::distance_m(points[k], sp) <= r)
                .collect();
            if near.is_empty() {
                continue;
            }
            let stop = n.network.snap(sp);
            if let Some(st) = &stop {
                search.run_from(&n.network, st, max_m);
            }
            for k in near {
                let w = match (&stop, snaps.get(k).copied().flatten()) {
                    (Some(st), Some(c)) => {
                        let m = search.dist_to_m(&c);
                        let m = c.same_chain_m(st).map_or(m, |x| x.min(m));
                        let t = n.seconds_for_network_m(m);
                        if !m.is_finite() || t > budget_s {
                            continue;
                        }
                        t.round() as u32
                    }
                    _ => straight(points[k], sp),
                };
                out[k].push((si as u32, w));
            }
        }
        out
    }
}

/// Stops within the walking model's access radius of a planar point, with walking seconds, by
/// stop index.
pub(crate) fn stops_within(
    tree: &RTree<PointEntry>,
    stop_points: &[Point],
    walk: &WalkModel,
    p: Point,
) -> Vec<(u32, u32)> {
    let r = walk.params().max_access_m;
    let mut search: Option<Search> = None;
    let from = walk.from_point(&mut search, p, walk.params().seconds_for_m(r));
    let mut v: Vec<(u32, u32)> = tree
        .locate_within_distance([p.x(), p.y()], r * r)
        .filter_map(|e| {
            from.within_m(stop_points[e.data], r)
                .map(|w| (e.data as u32, w))
        })
        .collect();
    v.sort_unstable();
    v
}
