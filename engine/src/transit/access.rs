//! Travel times from origins (QPV, populated IRIS, grid cells, any point) to the nearest actor
//! of each [`ActorGroup`], on foot and, when the feed has a timetable, on foot + public transport.
//!
//! On foot: the walking model (see [`super::walk`]) to the straight-line nearest actor of the
//! group. By public transport: RAPTOR from the stops within the access radius of the origin,
//! then an egress walk from the stops within the same radius of each actor; the direct walk
//! stays a candidate, so the transit time is never worse than the walking time. Over a window of
//! departures, the reported time is the median (lower middle) over departures every `step_s`
//! (repeated RAPTOR runs): the time a young person leaving at a random moment of the window can
//! expect, waiting included.

use std::collections::BTreeMap;

use geo::{InteriorPoint, Point};
use rstar::RTree;

use crate::dataset::{Dataset, PointEntry, point_tree};
use crate::model::actor::{Actor, ActorGroup};
use crate::model::transport::Transport;
use crate::transit::calendar::{ServiceDay, active_trips, iso, resolve_date};
use crate::transit::raptor::{StopLabels, earliest_arrival};
use crate::transit::timetable::Timetable;
use crate::transit::walk::{WalkModel, WalkParams};
use crate::walking::{Search, Snapped, model::NearestField};

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
pub struct AccessParams {
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

impl Default for AccessParams {
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

impl AccessParams {
    /// The walking parameters.
    pub fn walk(&self) -> &WalkParams {
        self.walk.params()
    }
}

/// Stops and, when available, the timetable of the service day, ready for access queries.
#[derive(Debug)]
pub struct AccessNetwork {
    /// Parameters.
    pub params: AccessParams,
    /// The day's timetable; `None` without stop times or without service that day.
    pub timetable: Option<Timetable>,
    /// Why transit times are or are not available, and which walking model ran (French, for
    /// reports and the API).
    pub note: String,
    stops: RTree<PointEntry>,
    stop_points: Vec<Point>,
    /// With the network model: network distances to the nearest stop.
    stop_field: Option<NearestField>,
}

impl AccessNetwork {
    /// Prepares access over a feed (or none) with a walking model (see
    /// [`Dataset::walk_model`](crate::dataset::Dataset::walk_model)), which replaces
    /// `params.walk`: access, egress, transfer legs and direct walks all use it.
    pub fn with_walk(
        transport: Option<&Transport>,
        mut params: AccessParams,
        walk: WalkModel,
    ) -> Self {
        params.walk = walk;
        Self::new(transport, params)
    }

    /// Prepares access over a feed (or none), walking with `params.walk`.
    pub fn new(transport: Option<&Transport>, params: AccessParams) -> Self {
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
                stop_field: None,
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
        let stop_field = match params.walk.network() {
            Some(n) if !stop_points.is_empty() => Some(n.nearest_field(&stop_points)),
            _ => None,
        };
        Self {
            params,
            timetable,
            note: format!("{note} ; {walk_note}"),
            stops,
            stop_points,
            stop_field,
        }
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

    /// As [`AccessNetwork::nearest_stop_m`], with the point already snapped when the model is
    /// the network (`Some(None)`: it could not be).
    pub fn nearest_stop_m_snapped(
        &self,
        p: Point,
        snapped: Option<Option<&Snapped>>,
    ) -> Option<f64> {
        match (self.params.walk.network(), &self.stop_field) {
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
                .map(|e| super::walk::distance_m(p, self.stop_points[e.data])),
        }
    }

    /// [`AccessNetwork::access_stops`] of many points at once (`snaps`: their snaps with the
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
                .filter(|&k| super::walk::distance_m(points[k], sp) <= r)
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
                        if !(m.is_finite() && t <= budget_s) {
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

/// A destination point and its egress stops.
#[derive(Debug, Clone)]
struct Destination {
    point_l93: Point,
    egress: Vec<(u32, u32)>,
}

/// The actors of each group as destinations.
#[derive(Debug)]
pub struct Destinations {
    groups: BTreeMap<ActorGroup, (Vec<Destination>, RTree<PointEntry>)>,
    /// With the network model: network distances to the nearest destination, per group.
    fields: BTreeMap<ActorGroup, NearestField>,
}

impl Destinations {
    /// Every actor, by group.
    pub fn of_actors(actors: &[Actor], net: &AccessNetwork) -> Self {
        let mut by: BTreeMap<ActorGroup, Vec<Point>> = BTreeMap::new();
        for a in actors {
            by.entry(a.kind.group()).or_default().push(a.point_l93);
        }
        Self::from_points(by, net)
    }

    /// Given points per group.
    pub fn from_points(points: BTreeMap<ActorGroup, Vec<Point>>, net: &AccessNetwork) -> Self {
        // One unbounded search per group, the groups over the cores.
        let fields = match net.params.walk.network() {
            Some(n) => {
                let groups: Vec<(&ActorGroup, &Vec<Point>)> = points.iter().collect();
                crate::walking::parallel::par_map(&groups, |(g, pts)| (**g, n.nearest_field(pts)))
                    .into_iter()
                    .collect()
            }
            None => BTreeMap::new(),
        };
        let groups = points
            .into_iter()
            .map(|(g, pts)| {
                let tree = point_tree(pts.iter());
                let egress = net.has_transit();
                let dests = pts
                    .into_iter()
                    .map(|p| Destination {
                        point_l93: p,
                        egress: if egress {
                            net.access_stops(p)
                        } else {
                            Vec::new()
                        },
                    })
                    .collect();
                (g, (dests, tree))
            })
            .collect();
        Self { groups, fields }
    }

    /// [`Destinations::walk_seconds`] for several groups, snapping the point once.
    pub fn walk_seconds_all(
        &self,
        groups: &[ActorGroup],
        from: Point,
        walk: &WalkModel,
    ) -> Vec<f64> {
        let snapped = walk.network().map(|n| n.network.snap(from));
        self.walk_seconds_all_snapped(groups, from, snapped.as_ref().map(Option::as_ref), walk)
    }

    /// As [`Destinations::walk_seconds_all`], with the point already snapped when the model is
    /// the network (`Some(None)`: it could not be).
    pub fn walk_seconds_all_snapped(
        &self,
        groups: &[ActorGroup],
        from: Point,
        snapped: Option<Option<&Snapped>>,
        walk: &WalkModel,
    ) -> Vec<f64> {
        groups
            .iter()
            .map(|&g| match (walk.network(), self.fields.get(&g), snapped) {
                (Some(n), Some(field), Some(s)) => n.seconds_to_nearest_snapped(field, from, s),
                _ => self.walk_seconds(g, from, walk),
            })
            .collect()
    }

    /// Walking seconds from a point to the nearest destination of a group (infinite without
    /// destinations): the network's nearest with the network model, else the straight line.
    pub fn walk_seconds(&self, group: ActorGroup, from: Point, walk: &WalkModel) -> f64 {
        match (walk.network(), self.fields.get(&group)) {
            (Some(n), Some(field)) => n.seconds_to_nearest(field, from),
            _ => self
                .nearest_m(group, from)
                .map_or(f64::INFINITY, |d| walk.params().seconds_for_m(d)),
        }
    }

    /// Groups with at least one destination, in order.
    pub fn groups(&self) -> impl Iterator<Item = ActorGroup> + '_ {
        self.groups.keys().copied()
    }

    /// The egress walks of every destination of a group, the shortest per stop (for arrive-by
    /// searches towards the nearest destination of the group).
    pub fn group_egress(&self, group: ActorGroup) -> Vec<(u32, u32)> {
        let mut best: BTreeMap<u32, u32> = BTreeMap::new();
        if let Some((list, _)) = self.groups.get(&group) {
            for d in list {
                for &(s, w) in &d.egress {
                    let e = best.entry(s).or_insert(w);
                    *e = (*e).min(w);
                }
            }
        }
        best.into_iter().collect()
    }

    /// Seconds from `from` (left at `t0`, RAPTOR arrivals `arr`) to the nearest destination of
    /// each group: the direct walk or a RAPTOR arrival by vehicle + egress walk, whichever is
    /// shorter; infinite for a group without destinations.
    pub fn seconds_from_arrivals(
        &self,
        groups: &[ActorGroup],
        arr: &StopLabels,
        t0: u32,
        walk: &WalkModel,
        from: Point,
    ) -> Vec<f64> {
        groups
            .iter()
            .map(|&g| {
                let mut best = self.walk_seconds(g, from, walk);
                if let Some((list, _)) = self.groups.get(&g) {
                    for d in list {
                        for &(s, w) in &d.egress {
                            if let Some(a) = arr.by_vehicle(s as usize) {
                                best = best.min(f64::from(a.saturating_sub(t0)) + f64::from(w));
                            }
                        }
                    }
                }
                best
            })
            .collect()
    }

    /// Straight-line distance (m, Lambert-93) to the nearest destination of a group.
    pub fn nearest_m(&self, group: ActorGroup, p: Point) -> Option<f64> {
        let (dests, tree) = self.groups.get(&group)?;
        tree.nearest_neighbor(&[p.x(), p.y()])
            .map(|e| super::walk::distance_l93_m(p, dests[e.data].point_l93))
    }
}

/// Access from one origin to the nearest actor of one group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GroupAccess {
    /// The group.
    pub group: ActorGroup,
    /// Walking minutes to the nearest actor of the group.
    pub walk_min: f64,
    /// Minutes on foot + public transport (median over the departures, waiting included);
    /// `None` without a timetable.
    pub transit_min: Option<f64>,
}

/// Travel times from a Lambert-93 point to the nearest actor of every group with actors.
pub fn travel_times(
    net: &AccessNetwork,
    dests: &Destinations,
    origin_l93: Point,
) -> Vec<GroupAccess> {
    let walk = &net.params.walk;
    let walks: Vec<(ActorGroup, f64)> = dests
        .groups
        .iter()
        .filter(|(_, (list, _))| !list.is_empty())
        .map(|(&g, _)| (g, dests.walk_seconds(g, origin_l93, walk)))
        .collect();
    let groups: Vec<ActorGroup> = walks.iter().map(|(g, _)| *g).collect();
    let transit = net.timetable.as_ref().map(|tt| {
        let access = net.access_stops(origin_l93);
        let times = net.params.departures.times();
        let mut per_group: Vec<Vec<f64>> = vec![Vec::with_capacity(times.len()); walks.len()];
        for &t0 in &times {
            let arr = earliest_arrival(tt, &access, t0, net.params.max_rounds);
            for (k, secs) in dests
                .seconds_from_arrivals(&groups, &arr, t0, walk, origin_l93)
                .into_iter()
                .enumerate()
            {
                per_group[k].push(secs);
            }
        }
        per_group
            .into_iter()
            .map(lower_median)
            .collect::<Vec<f64>>()
    });
    walks
        .iter()
        .enumerate()
        .map(|(k, &(group, walk_s))| GroupAccess {
            group,
            walk_min: walk_s / 60.0,
            transit_min: transit.as_ref().map(|t| t[k] / 60.0),
        })
        .collect()
}

/// The lower median (the middle value, or the lower of the two middle values).
pub(crate) fn lower_median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len().saturating_sub(1) / 2)
        .copied()
        .unwrap_or(f64::INFINITY)
}

/// The kind of an origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum OriginKind {
    /// A QPV (its interior point).
    #[serde(rename = "qpv")]
    Qpv,
    /// A populated IRIS with contours (its interior point).
    #[serde(rename = "iris")]
    Iris,
    /// A grid cell centre.
    #[serde(rename = "cell")]
    Cell,
    /// Any point.
    #[serde(rename = "point")]
    Point,
}

/// An origin of access computations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Origin {
    /// Kind.
    pub kind: OriginKind,
    /// Code or identifier.
    pub id: String,
    /// Location, Lambert-93 metres.
    #[serde(skip)]
    pub point_l93: Point,
}

/// Access from one origin.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OriginAccess {
    /// The origin.
    pub origin: Origin,
    /// Per group with actors.
    pub groups: Vec<GroupAccess>,
}

/// The QPV of the latest vintage and the populated IRIS with contours, as origins (interior
/// points: inside the polygon even when it is not convex), QPV first, each sorted by code.
pub fn territory_origins(ds: &Dataset) -> Vec<Origin> {
    let mut out = Vec::new();
    if let Some(v) = ds.latest_qpv_vintage() {
        for q in ds.qpv_of_vintage(v) {
            if let Some(p) = q.boundary_l93.interior_point() {
                out.push(Origin {
                    kind: OriginKind::Qpv,
                    id: q.code.to_string(),
                    point_l93: p,
                });
            }
        }
    }
    let mut iris: Vec<_> = ds
        .youth
        .iris
        .iter()
        .filter(|i| i.population.total > 0.0)
        .collect();
    iris.sort_by(|a, b| a.code.cmp(&b.code));
    for i in iris {
        if let Some(p) = i.boundary_l93.as_ref().and_then(|b| b.interior_point()) {
            out.push(Origin {
                kind: OriginKind::Iris,
                id: i.code.to_string(),
                point_l93: p,
            });
        }
    }
    out
}

/// Access from each origin, in the origins' order.
pub fn access_from_origins(
    net: &AccessNetwork,
    dests: &Destinations,
    origins: &[Origin],
) -> Vec<OriginAccess> {
    origins
        .iter()
        .map(|o| OriginAccess {
            origin: o.clone(),
            groups: travel_times(net, dests, o.point_l93),
        })
        .collect()
}
