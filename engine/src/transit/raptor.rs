//! RAPTOR (Delling, Pajor, Werneck, *Round-Based Public Transit Routing*, 2012): earliest
//! arrival from one origin to every stop.
//!
//! Round *k* computes the earliest arrivals with at most *k* vehicles: every pattern serving a
//! stop improved in round *k − 1* is scanned once from its earliest such stop, boarding the
//! earliest trip catchable with the round *k − 1* label; then the footpaths of the stops the
//! vehicles improved are relaxed once. Local pruning keeps the best arrival per stop over all
//! rounds.
//!
//! Journey model (the same as the reference Dijkstra of the tests): an access walk from the
//! origin to a stop, then vehicles, with at most one footpath between two vehicles, the change
//! at the same stop taking no time. No footpath follows the access walk (the access walk
//! already reaches every stop within its radius).

use crate::transit::timetable::Timetable;

/// The arrival of a stop no journey reaches.
pub const UNREACHED: u32 = u32::MAX;

/// Earliest arrival (seconds) at every stop, leaving at `depart_s` with the given access walks
/// (stop index, walking seconds), using at most `max_rounds` vehicles. Stops not reached hold
/// [`UNREACHED`]. Access walks to stops outside the timetable are ignored.
///
/// # Examples
/// ```
/// use repere_engine::transit::synthetic::line_feed;
/// use repere_engine::transit::{earliest_arrival, timetable::{Timetable, TimetableParams}};
/// // A synthetic line A → B → C, one trip leaving A at 08:00, 5 minutes per hop.
/// let feed = line_feed();
/// let tt = Timetable::build(&feed, 20240102, &vec![true; feed.trips.len()], &TimetableParams::default());
/// let arr = earliest_arrival(&tt, &[(0, 60)], 7 * 3600 + 50 * 60, 4);
/// assert_eq!(arr[2], 8 * 3600 + 600);
/// ```
pub fn earliest_arrival(
    tt: &Timetable,
    access: &[(u32, u32)],
    depart_s: u32,
    max_rounds: usize,
) -> Vec<u32> {
    let n = tt.stop_count;
    let mut best = vec![UNREACHED; n];
    // Best arrival by vehicle: footpaths start only from these (a walk never follows a walk), so
    // an earlier arrival on foot does not prune a later one by vehicle.
    let mut best_vehicle = vec![UNREACHED; n];
    let mut prev = vec![UNREACHED; n];
    let mut marked = vec![false; n];
    let mut marked_list: Vec<u32> = Vec::new();
    for &(s, w) in access {
        let su = s as usize;
        if su < n {
            let t = depart_s.saturating_add(w);
            if t < best[su] {
                best[su] = t;
                prev[su] = t;
                if !marked[su] {
                    marked[su] = true;
                    marked_list.push(s);
                }
            }
        }
    }
    // Earliest marked position per pattern, UNREACHED when the pattern is not queued.
    let mut queue_pos = vec![UNREACHED; tt.patterns.len()];
    let mut queued: Vec<u32> = Vec::new();
    let mut improved: Vec<u32> = Vec::new();
    let mut improved_flag = vec![false; n];
    for _round in 0..max_rounds {
        if marked_list.is_empty() {
            break;
        }
        for &s in &marked_list {
            marked[s as usize] = false;
            for &(p, pos) in tt.patterns_at(s as usize) {
                let q = &mut queue_pos[p as usize];
                if *q == UNREACHED {
                    queued.push(p);
                    *q = pos;
                } else if pos < *q {
                    *q = pos;
                }
            }
        }
        marked_list.clear();
        let mut cur = prev.clone();
        for &p in &queued {
            let pat = &tt.patterns[p as usize];
            let start = queue_pos[p as usize] as usize;
            queue_pos[p as usize] = UNREACHED;
            let mut trip: Option<usize> = None;
            for pos in start..pat.stops.len() {
                let stop = pat.stops[pos] as usize;
                if let Some(t) = trip {
                    let arr = pat.arrival(pos, t);
                    if arr < best_vehicle[stop] {
                        best_vehicle[stop] = arr;
                        if arr < best[stop] {
                            best[stop] = arr;
                            cur[stop] = arr;
                        }
                        if !improved_flag[stop] {
                            improved_flag[stop] = true;
                            improved.push(stop as u32);
                        }
                    }
                }
                let label = prev[stop];
                if label != UNREACHED
                    && trip.is_none_or(|t| label <= pat.departure(pos, t))
                    && let Some(t2) = pat.earliest_trip(pos, label)
                    && trip.is_none_or(|t| t2 < t)
                {
                    trip = Some(t2);
                }
            }
        }
        queued.clear();
        // Footpaths from the stops vehicles improved in this round, relaxed once from the
        // vehicle arrival.
        for &s in &improved {
            let su = s as usize;
            improved_flag[su] = false;
            if cur[su] < prev[su] && !marked[su] {
                marked[su] = true;
                marked_list.push(s);
            }
            let base = best_vehicle[su];
            for &(q, d) in tt.footpaths_from(su) {
                let qu = q as usize;
                let t = base.saturating_add(d);
                if t < best[qu] {
                    best[qu] = t;
                    cur[qu] = t;
                    if !marked[qu] {
                        marked[qu] = true;
                        marked_list.push(q);
                    }
                }
            }
        }
        improved.clear();
        prev = cur;
    }
    best
}
