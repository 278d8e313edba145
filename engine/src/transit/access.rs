//! Travel times from origins (QPV, populated IRIS, grid cells, any point) to the nearest actor
//! of each [`ActorGroup`], on foot and, when the feed has a timetable, on foot + public transport.
//!
//! On foot: the walking model (see [`crate::walking::params`]) to the straight-line nearest actor of the
//! group. By public transport: RAPTOR from the stops within the access radius of the origin,
//! then an egress walk from the stops within the same radius of each actor; the direct walk
//! stays a candidate, so the transit time is never worse than the walking time. Over a window of
//! departures, the reported time is the median (lower middle) over departures every `step_s`
//! (repeated RAPTOR runs): the time a young person leaving at a random moment of the window can
//! expect, waiting included.

use geo::{InteriorPoint, Point};

use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::transit::destinations::Destinations;
use crate::transit::network::TravelNetwork;
use crate::transit::raptor::earliest_arrival;

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
    net: &TravelNetwork,
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
    net: &TravelNetwork,
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
