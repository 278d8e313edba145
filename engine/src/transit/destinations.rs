//! The actors of each group as destinations of travel-time searches: their points, their
//! egress stops and, with the network walking model, the network distance field of each group.

use std::collections::BTreeMap;

use geo::Point;
use rstar::RTree;

use crate::dataset::{PointEntry, point_tree};
use crate::model::actor::{Actor, ActorGroup};
use crate::transit::network::TravelNetwork;
use crate::transit::raptor::StopLabels;
use crate::walking::WalkModel;
use crate::walking::{Snapped, model::NearestField};

/// A destination point and its egress stops.
#[derive(Debug, Clone)]
pub(crate) struct Destination {
    point_l93: Point,
    egress: Vec<(u32, u32)>,
}

/// The actors of each group as destinations.
#[derive(Debug)]
pub struct Destinations {
    pub(crate) groups: BTreeMap<ActorGroup, (Vec<Destination>, RTree<PointEntry>)>,
    /// With the network model: network distances to the nearest destination, per group.
    fields: BTreeMap<ActorGroup, NearestField>,
}

impl Destinations {
    /// Every actor, by group.
    pub fn of_actors(actors: &[Actor], net: &TravelNetwork) -> Self {
        let mut by: BTreeMap<ActorGroup, Vec<Point>> = BTreeMap::new();
        for a in actors {
            by.entry(a.kind.group()).or_default().push(a.point_l93);
        }
        Self::from_points(by, net)
    }

    /// Given points per group.
    pub fn from_points(points: BTreeMap<ActorGroup, Vec<Point>>, net: &TravelNetwork) -> Self {
        // One unbounded search per group and, when still to run, the stops' one: one batch
        // over the cores.
        let fields = match net.params.walk.network() {
            Some(n) => {
                let stops = net.stop_field_search().map(|(_, pts)| pts);
                let mut lists: Vec<&[Point]> = points.values().map(Vec::as_slice).collect();
                lists.extend(stops);
                let mut fields = crate::parallel::par_map(&lists, |pts| n.nearest_field(pts));
                if stops.is_some()
                    && let Some(stop_field) = fields.pop()
                {
                    net.set_stop_field(stop_field);
                }
                points.keys().copied().zip(fields).collect()
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

    /// [`Destinations::walk_seconds`] of one group from many points (`snaps[k]`: point `k`
    /// snapped, when the model is the network), group by group: one field is read at a time,
    /// and stays in the core's cache.
    pub fn walk_seconds_from_points(
        &self,
        group: ActorGroup,
        points: &[Point],
        snaps: &[Option<Snapped>],
        walk: &WalkModel,
    ) -> Vec<f64> {
        match (walk.network(), self.fields.get(&group)) {
            (Some(n), Some(field)) => points
                .iter()
                .enumerate()
                .map(|(k, &p)| match snaps.get(k) {
                    Some(s) => n.seconds_to_nearest_snapped(field, p, s.as_ref()),
                    None => n.seconds_to_nearest(field, p),
                })
                .collect(),
            _ => points
                .iter()
                .map(|&p| self.walk_seconds(group, p, walk))
                .collect(),
        }
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
            .map(|e| crate::crs::distance_m(p, dests[e.data].point_l93))
    }
}
