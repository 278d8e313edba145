//! The RAPTOR-ready timetable of one service day: trips grouped into patterns, and footpaths.
//!
//! A *pattern* (a RAPTOR "route") is a set of trips of one GTFS route with the same stop
//! sequence and no overtaking, sorted by departure; times are stored position-major so the
//! earliest trip at a position is a binary search. Trips that would overtake another go to a
//! separate pattern, so RAPTOR's FIFO assumption always holds.
//!
//! Footpaths link stops within [`TimetableParams::transfer_radius_m`] (Lambert-93 planar,
//! default 400 m) at the walking model's time, plus the pairs of `transfers.txt`
//! (`min_transfer_time` used when larger; `transfer_type` 3 removes the pair). Changing
//! vehicles at the same stop takes no time.

use std::collections::{BTreeMap, HashMap};

use rstar::RTree;

use crate::dataset::point_tree;
use crate::model::transport::Transport;
use crate::transit::walk::WalkParams;
use crate::walking::{Search, WalkModel};

/// Parameters of the timetable build.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct TimetableParams {
    /// Walking model.
    pub walk: WalkParams,
    /// Stops closer than this (straight line, m) are linked by a walking transfer (default 400).
    pub transfer_radius_m: f64,
}

impl Default for TimetableParams {
    fn default() -> Self {
        Self {
            walk: WalkParams::default(),
            transfer_radius_m: 400.0,
        }
    }
}

/// Trips with one stop sequence and no overtaking.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// GTFS route index.
    pub route: usize,
    /// Stop indices in order.
    pub stops: Vec<u32>,
    /// GTFS trip indices, by increasing departure.
    pub trips: Vec<usize>,
    /// Arrival seconds, position-major: `arrivals[pos * trips.len() + trip]`.
    pub arrivals_s: Vec<u32>,
    /// Departure seconds, position-major.
    pub departures_s: Vec<u32>,
}

impl Pattern {
    /// Number of trips.
    pub fn trip_count(&self) -> usize {
        self.trips.len()
    }
    /// Departure of trip `t` (pattern order) at position `pos`.
    pub fn departure(&self, pos: usize, t: usize) -> u32 {
        self.departures_s[pos * self.trips.len() + t]
    }
    /// Arrival of trip `t` at position `pos`.
    pub fn arrival(&self, pos: usize, t: usize) -> u32 {
        self.arrivals_s[pos * self.trips.len() + t]
    }
    /// The first trip (pattern order) departing position `pos` at or after `time_s`.
    pub fn earliest_trip(&self, pos: usize, time_s: u32) -> Option<usize> {
        let n = self.trips.len();
        let row = &self.departures_s[pos * n..(pos + 1) * n];
        let t = row.partition_point(|&d| d < time_s);
        (t < n).then_some(t)
    }
}

/// The timetable of one service day.
#[derive(Debug, Clone, Default)]
pub struct Timetable {
    /// Service date (`YYYYMMDD`).
    pub date: u32,
    /// Number of stops (indices as in the feed).
    pub stop_count: usize,
    /// Patterns.
    pub patterns: Vec<Pattern>,
    /// Per stop, the (pattern, position) pairs serving it: `stop_patterns[stop_offsets[s]..stop_offsets[s+1]]`.
    pub stop_patterns: Vec<(u32, u32)>,
    /// Offsets into `stop_patterns`, `stop_count + 1` long.
    pub stop_offsets: Vec<usize>,
    /// Footpaths (to stop, seconds): `footpaths[foot_offsets[s]..foot_offsets[s+1]]`.
    pub footpaths: Vec<(u32, u32)>,
    /// Offsets into `footpaths`, `stop_count + 1` long.
    pub foot_offsets: Vec<usize>,
    /// Trips running that day.
    pub active_trips: usize,
}

impl Timetable {
    /// Builds the timetable of the trips flagged in `active` (see [`super::calendar::active_trips`]).
    ///
    /// Trips with fewer than two stop times are ignored. With no `stop_times`, the timetable
    /// has footpaths only.
    pub fn build(t: &Transport, date: u32, active: &[bool], params: &TimetableParams) -> Self {
        Self::build_with_walk(
            t,
            date,
            active,
            params,
            &WalkModel::StraightLine(params.walk),
        )
    }

    /// As [`Timetable::build`], with footpaths walked with a walking model (the pedestrian
    /// network when the territory has one).
    pub fn build_with_walk(
        t: &Transport,
        date: u32,
        active: &[bool],
        params: &TimetableParams,
        walk: &WalkModel,
    ) -> Self {
        // Trip → its stop-time range (stop_times are sorted by trip then sequence).
        let mut groups: BTreeMap<(usize, Vec<u32>), Vec<usize>> = BTreeMap::new();
        let mut ranges: HashMap<usize, (usize, usize)> = HashMap::new();
        let st = &t.stop_times;
        let mut i = 0;
        let mut active_trips = 0;
        while i < st.len() {
            let trip = st[i].trip;
            let mut j = i;
            while j < st.len() && st[j].trip == trip {
                j += 1;
            }
            if j - i >= 2 && active.get(trip).copied().unwrap_or(false) {
                active_trips += 1;
                let stops: Vec<u32> = st[i..j].iter().map(|s| s.stop as u32).collect();
                groups
                    .entry((t.trips[trip].route, stops))
                    .or_default()
                    .push(trip);
                ranges.insert(trip, (i, j));
            }
            i = j;
        }
        let mut patterns = Vec::new();
        for ((route, stops), mut trips) in groups {
            let times = |trip: usize| &st[ranges[&trip].0..ranges[&trip].1];
            trips.sort_by_key(|&tr| (times(tr)[0].departure_s, tr));
            // Greedy split into FIFO chains: a trip joins the first chain it does not overtake.
            let mut chains: Vec<Vec<usize>> = Vec::new();
            for tr in trips {
                let fits = |chain: &Vec<usize>| {
                    chain.last().is_none_or(|&last| {
                        times(last).iter().zip(times(tr)).all(|(a, b)| {
                            a.arrival_s <= b.arrival_s && a.departure_s <= b.departure_s
                        })
                    })
                };
                match chains.iter_mut().find(|c| fits(c)) {
                    Some(c) => c.push(tr),
                    None => chains.push(vec![tr]),
                }
            }
            for chain in chains {
                let n = chain.len();
                let mut arrivals_s = vec![0; stops.len() * n];
                let mut departures_s = vec![0; stops.len() * n];
                for (k, &tr) in chain.iter().enumerate() {
                    for (pos, s) in times(tr).iter().enumerate() {
                        arrivals_s[pos * n + k] = s.arrival_s;
                        departures_s[pos * n + k] = s.departure_s.max(s.arrival_s);
                    }
                }
                patterns.push(Pattern {
                    route,
                    stops: stops.clone(),
                    trips: chain,
                    arrivals_s,
                    departures_s,
                });
            }
        }
        let stop_count = t.stops.len();
        let mut by_stop: Vec<Vec<(u32, u32)>> = vec![Vec::new(); stop_count];
        for (p, pat) in patterns.iter().enumerate() {
            for (pos, &s) in pat.stops.iter().enumerate() {
                by_stop[s as usize].push((p as u32, pos as u32));
            }
        }
        let (stop_patterns, stop_offsets) = flatten(by_stop);
        let (footpaths, foot_offsets) = flatten(footpaths(t, params, walk));
        Self {
            date,
            stop_count,
            patterns,
            stop_patterns,
            stop_offsets,
            footpaths,
            foot_offsets,
            active_trips,
        }
    }

    /// The (pattern, position) pairs serving a stop.
    pub fn patterns_at(&self, stop: usize) -> &[(u32, u32)] {
        &self.stop_patterns[self.stop_offsets[stop]..self.stop_offsets[stop + 1]]
    }

    /// The footpaths leaving a stop.
    pub fn footpaths_from(&self, stop: usize) -> &[(u32, u32)] {
        &self.footpaths[self.foot_offsets[stop]..self.foot_offsets[stop + 1]]
    }
}

fn flatten<T>(lists: Vec<Vec<T>>) -> (Vec<T>, Vec<usize>) {
    let mut offsets = Vec::with_capacity(lists.len() + 1);
    offsets.push(0);
    let mut flat = Vec::new();
    for l in lists {
        flat.extend(l);
        offsets.push(flat.len());
    }
    (flat, offsets)
}

/// Walking transfers per stop, sorted by target stop.
///
/// With the network model, a stop within the radius is linked when its network walk fits the
/// straight-line model's time budget for the radius; `transfers.txt` pairs take the network
/// walk (or the straight-line fallback) whatever its length.
fn footpaths(t: &Transport, params: &TimetableParams, walk: &WalkModel) -> Vec<Vec<(u32, u32)>> {
    let tree: RTree<_> = point_tree(t.stops.iter().map(|s| &s.point_l93));
    let r2 = params.transfer_radius_m * params.transfer_radius_m;
    let budget_s = params.walk.seconds_for_m(params.transfer_radius_m);
    let mut search: Option<Search> = None;
    let mut paths: Vec<BTreeMap<u32, u32>> = t
        .stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let from = walk.from_point(&mut search, s.point_l93, budget_s);
            tree.locate_within_distance([s.point_l93.x(), s.point_l93.y()], r2)
                .filter(|e| e.data != i)
                .filter_map(|e| {
                    from.seconds_to(t.stops[e.data].point_l93)
                        .map(|secs| (e.data as u32, secs.round() as u32))
                })
                .collect()
        })
        .collect();
    for tr in &t.transfers {
        if tr.from == tr.to || tr.from >= paths.len() || tr.to >= paths.len() {
            continue;
        }
        if tr.transfer_type == 3 {
            paths[tr.from].remove(&(tr.to as u32));
            continue;
        }
        let walk = walk
            .seconds_between(
                &mut search,
                t.stops[tr.from].point_l93,
                t.stops[tr.to].point_l93,
                f64::INFINITY,
            )
            .round() as u32;
        let d = walk.max(tr.min_transfer_time_s.unwrap_or(0));
        paths[tr.from].insert(tr.to as u32, d);
    }
    paths.into_iter().map(|m| m.into_iter().collect()).collect()
}
