//! The RAPTOR-ready timetable of one service day: trips grouped into patterns, and footpaths.
//!
//! A *pattern* (a RAPTOR "route") is a set of trips of one GTFS route with the same stop
//! sequence and no overtaking, sorted by departure; times are stored position-major so the
//! earliest trip at a position is a binary search. Trips that would overtake another go to a
//! separate pattern, so RAPTOR's FIFO assumption always holds.
//!
//! Footpaths (walking transfers) link, at the [`WalkModel`]'s time:
//! - stops within [`WalkParams::max_transfer_m`](crate::walking::params::WalkParams::max_transfer_m)
//!   (straight line, default 400 m); with the network model, when the network walk also fits
//!   the straight-line model's time for that radius;
//! - stops sharing a `parent_station`, whatever their distance;
//! - the pairs of `transfers.txt`: types 0 (recommended) and 1 (timed: the waiting of the
//!   departing vehicle is not modelled, the walk is) link the pair at walking time, type 2 at
//!   `max(walk, min_transfer_time)`, type 3 removes the pair. A station named in `transfers.txt`
//!   stands for each of its stops (done by the reader).
//!
//! Changing vehicles at the same stop takes no time (a same-stop `min_transfer_time` is not
//! applied: a known limit).
//!
//! Each timetable also holds its *time-reversed* copy (every time `t` becomes `H − t` with
//! `H` = [`REVERSED_ORIGIN_S`], each pattern's stops reversed and footpaths turned around):
//! earliest arrival on the reversed copy is latest departure on the original, which is how
//! [`super::raptor::latest_departure`] runs RAPTOR backwards.

use std::collections::{BTreeMap, HashMap};

use rstar::RTree;

use crate::dataset::point_tree;
use crate::model::transport::Transport;
use crate::walking::Search;
use crate::walking::WalkModel;

/// Origin of reversed times, seconds: 7 days, beyond any GTFS time (at most 48 h plus trips
/// expanded from frequencies).
pub const REVERSED_ORIGIN_S: u32 = 7 * 86_400;

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
    /// Whether times are reversed (`REVERSED_ORIGIN_S − t`).
    pub reversed: bool,
    /// The time-reversed copy (`None` inside the copy itself).
    backward: Option<Box<Timetable>>,
}

impl Timetable {
    /// Builds the timetable of the trips flagged in `active` (see [`super::calendar::active_trips`])
    /// and its time-reversed copy.
    ///
    /// Trips with fewer than two stop times are ignored. With no `stop_times`, the timetable
    /// has footpaths only.
    pub fn build(t: &Transport, date: u32, active: &[bool], walk: &WalkModel) -> Self {
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
        let (footpaths, foot_offsets) = flatten(footpaths(t, walk));
        let mut tt = Self {
            date,
            stop_count,
            patterns,
            stop_patterns,
            stop_offsets,
            footpaths,
            foot_offsets,
            active_trips,
            reversed: false,
            backward: None,
        };
        tt.backward = Some(Box::new(tt.time_reversed()));
        tt
    }

    /// The time-reversed copy (see the module docs); `self` when this is already the copy.
    pub fn backward(&self) -> &Timetable {
        self.backward.as_deref().unwrap_or(self)
    }

    fn time_reversed(&self) -> Self {
        let h = REVERSED_ORIGIN_S;
        let patterns: Vec<Pattern> = self
            .patterns
            .iter()
            .map(|p| {
                let (n, len) = (p.trips.len(), p.stops.len());
                let mut arrivals_s = vec![0; len * n];
                let mut departures_s = vec![0; len * n];
                for pos in 0..len {
                    for k in 0..n {
                        // Position and trip order both flip; FIFO chains keep both sorted.
                        let (rp, rk) = (len - 1 - pos, n - 1 - k);
                        arrivals_s[rp * n + rk] = h.saturating_sub(p.departure(pos, k));
                        departures_s[rp * n + rk] = h.saturating_sub(p.arrival(pos, k));
                    }
                }
                Pattern {
                    route: p.route,
                    stops: p.stops.iter().rev().copied().collect(),
                    trips: p.trips.iter().rev().copied().collect(),
                    arrivals_s,
                    departures_s,
                }
            })
            .collect();
        let mut by_stop: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.stop_count];
        for (p, pat) in patterns.iter().enumerate() {
            for (pos, &s) in pat.stops.iter().enumerate() {
                by_stop[s as usize].push((p as u32, pos as u32));
            }
        }
        let mut into: Vec<Vec<(u32, u32)>> = vec![Vec::new(); self.stop_count];
        for s in 0..self.stop_count {
            for &(q, d) in self.footpaths_from(s) {
                into[q as usize].push((s as u32, d));
            }
        }
        for l in &mut into {
            l.sort_unstable();
        }
        let (stop_patterns, stop_offsets) = flatten(by_stop);
        let (footpaths, foot_offsets) = flatten(into);
        Self {
            date: self.date,
            stop_count: self.stop_count,
            patterns,
            stop_patterns,
            stop_offsets,
            footpaths,
            foot_offsets,
            active_trips: self.active_trips,
            reversed: true,
            backward: None,
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

/// Walking transfers per stop, sorted by target stop (see the module docs).
fn footpaths(t: &Transport, walk: &WalkModel) -> Vec<Vec<(u32, u32)>> {
    let tree: RTree<_> = point_tree(t.stops.iter().map(|s| &s.point_m));
    let r = walk.params().max_transfer_m;
    let budget_s = walk.params().seconds_for_m(r);
    // One search state reused by every network search.
    let mut search: Option<Search> = None;
    let mut paths: Vec<BTreeMap<u32, u32>> = t
        .stops
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let from = walk.from_point(&mut search, s.point_m, budget_s);
            tree.locate_within_distance([s.point_m.x(), s.point_m.y()], r * r)
                .filter(|e| e.data != i)
                .filter_map(|e| {
                    from.within_m(t.stops[e.data].point_m, r)
                        .map(|d| (e.data as u32, d))
                })
                .collect()
        })
        .collect();
    let mut walk_s = |a: usize, b: usize| {
        walk.seconds_between(
            &mut search,
            t.stops[a].point_m,
            t.stops[b].point_m,
            f64::INFINITY,
        )
        .round() as u32
    };
    // Stops of one station are linked whatever their distance.
    let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in t.stops.iter().enumerate() {
        if let Some(p) = s.parent_station.as_deref() {
            children.entry(p).or_default().push(i);
        }
    }
    for group in children.values() {
        for &a in group {
            for &b in group {
                if a != b {
                    paths[a].entry(b as u32).or_insert_with(|| walk_s(a, b));
                }
            }
        }
    }
    for tr in &t.transfers {
        if tr.from == tr.to || tr.from >= paths.len() || tr.to >= paths.len() {
            continue;
        }
        match tr.transfer_type {
            3 => {
                paths[tr.from].remove(&(tr.to as u32));
            }
            2 => {
                let d = walk_s(tr.from, tr.to).max(tr.min_transfer_time_s.unwrap_or(0));
                paths[tr.from].insert(tr.to as u32, d);
            }
            _ => {
                paths[tr.from].insert(tr.to as u32, walk_s(tr.from, tr.to));
            }
        }
    }
    paths.into_iter().map(|m| m.into_iter().collect()).collect()
}
