//! Benchmarks of Repère's hot paths (`benches/benches/`) and comparison scripts against the
//! reference tools (`benches/*.sh`). Not published.
//!
//! [`synthetic_rouen_timetable`] completes the real Rouen feed (3 365 stops, 117 routes, 32 791
//! trips, no `stop_times.txt`) with *synthetic* stop times generated deterministically by code,
//! so RAPTOR can be measured on a network of the real size.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use repere_engine::model::transport::{StopTime, Transport};

/// Average bus speed between stops, km/h (Rouen buses run at 15-20 km/h commercial speed).
const SPEED_KMH: f64 = 18.0;
/// Dwell time at each stop, s.
const DWELL_S: u32 = 20;

/// The real feed's stops, routes and trips with *synthetic* stop times: each route gets two
/// directions along a chain of 20 to 35 real platforms (each the nearest unvisited platform
/// 250 m or more ahead of the previous one, seeded by the route's index), its real trips
/// alternating between directions and spread evenly from 05:30 to 23:30, running at
/// 18 km/h over 1.3 × the straight line with 20 s dwells. Deterministic: no randomness.
pub fn synthetic_rouen_timetable(real: &Transport) -> Transport {
    let mut t = real.clone();
    let platforms: Vec<usize> = (0..t.stops.len())
        .filter(|&s| t.stops[s].location_type == 0)
        .collect();
    let tree = rstar::RTree::bulk_load(
        platforms
            .iter()
            .map(|&s| {
                rstar::primitives::GeomWithData::new(
                    [t.stops[s].point_m.x(), t.stops[s].point_m.y()],
                    s,
                )
            })
            .collect(),
    );
    let xy = |s: usize| (t.stops[s].point_m.x(), t.stops[s].point_m.y());
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(t.routes.len());
    for r in 0..t.routes.len() {
        let len = 20 + (r * 7) % 16;
        let mut chain = vec![platforms[(r * 7919) % platforms.len()]];
        let mut seen: HashSet<usize> = chain.iter().copied().collect();
        // Heading: a direction per route, turned slightly at each stop.
        let mut heading = (r as f64 * 2.399_963).sin_cos();
        while chain.len() < len {
            let last = *chain.last().unwrap();
            let (x, y) = xy(last);
            let next = tree
                .nearest_neighbor_iter(&[x, y])
                .map(|e| e.data)
                .find(|&s| {
                    let (sx, sy) = xy(s);
                    let (dx, dy) = (sx - x, sy - y);
                    let d = dx.hypot(dy);
                    !seen.contains(&s) && d >= 250.0 && (dx * heading.1 + dy * heading.0) > 0.3 * d
                });
            let Some(next) = next else { break };
            let (sx, sy) = xy(next);
            let d = (sx - x).hypot(sy - y);
            heading = ((sy - y) / d, (sx - x) / d);
            seen.insert(next);
            chain.push(next);
        }
        chains.push(chain);
    }
    let mut by_route: Vec<Vec<usize>> = vec![Vec::new(); t.routes.len()];
    for (k, trip) in t.trips.iter().enumerate() {
        by_route[trip.route].push(k);
    }
    let mut stop_times = Vec::new();
    for (r, trips) in by_route.iter().enumerate() {
        let chain = &chains[r];
        if chain.len() < 2 {
            continue;
        }
        let hops: Vec<u32> = chain
            .windows(2)
            .map(|w| {
                let ((x0, y0), (x1, y1)) = (xy(w[0]), xy(w[1]));
                ((x1 - x0).hypot(y1 - y0) * 1.3 / (SPEED_KMH / 3.6)).round() as u32
            })
            .collect();
        let per_dir = trips.len().div_ceil(2).max(1) as u32;
        for (k, &trip) in trips.iter().enumerate() {
            let dir = k % 2;
            let start = 5 * 3600 + 1800 + (k as u32 / 2) * (18 * 3600 / per_dir);
            let seq: Vec<usize> = if dir == 0 {
                chain.clone()
            } else {
                chain.iter().rev().copied().collect()
            };
            let mut time = start;
            for (pos, &stop) in seq.iter().enumerate() {
                stop_times.push(StopTime {
                    trip,
                    stop,
                    sequence: pos as u32 + 1,
                    arrival_s: time,
                    departure_s: time + DWELL_S,
                });
                let hop = if dir == 0 {
                    hops.get(pos)
                } else {
                    hops.get(hops.len().wrapping_sub(pos + 1))
                };
                time += DWELL_S + hop.copied().unwrap_or(0);
            }
        }
    }
    stop_times.sort_by_key(|s| (s.trip, s.sequence));
    t.stop_times = stop_times;
    t.has_timetable = true;
    t
}
