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
//!
//! Arrive-by queries ([`latest_departure`]) run the same rounds on the time-reversed
//! timetable (see [`Timetable::backward`]): the latest departure from every stop that still
//! arrives by a deadline, as Conveyal R5 and the RAPTOR paper's reverse search do.
//!
//! Limits: no fare, no pickup/drop-off restriction (`pickup_type`/`drop_off_type` are read as
//! "allowed"), no real-time data; one optimisation criterion (time), with the number of
//! vehicles bounded by `max_rounds`, not Pareto-optimised.

use crate::transit::timetable::{REVERSED_ORIGIN_S, Timetable};

/// Internal label of a stop no journey reaches (never returned: see [`StopLabels`]).
const UNREACHED: u32 = u32::MAX;

/// The result of one RAPTOR run: per stop, a time or nothing.
///
/// For [`earliest_arrival`], the earliest arrival at each stop; for [`latest_departure`], the
/// latest departure from each stop that still arrives in time. Unreached stops are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopLabels {
    best: Vec<u32>,
    by_vehicle: Vec<u32>,
    reversed: bool,
}

impl StopLabels {
    fn from_raw(raw: u32, reversed: bool) -> Option<u32> {
        match (raw, reversed) {
            (UNREACHED, _) => None,
            (t, false) => Some(t),
            (t, true) => REVERSED_ORIGIN_S.checked_sub(t),
        }
    }

    /// Number of stops.
    pub fn len(&self) -> usize {
        self.best.len()
    }

    /// Whether there is no stop.
    pub fn is_empty(&self) -> bool {
        self.best.is_empty()
    }

    /// The time at a stop, whatever the last (first, backwards) leg; `None` when unreached or
    /// out of range.
    pub fn time(&self, stop: usize) -> Option<u32> {
        self.best
            .get(stop)
            .and_then(|&t| Self::from_raw(t, self.reversed))
    }

    /// The time at a stop reached by a vehicle: arriving by vehicle (forwards), or leaving by
    /// boarding a vehicle (backwards). Point-to-point journeys use these, so that both
    /// directions share one journey model: access walk, vehicles with at most one walking
    /// transfer between two, egress walk.
    pub fn by_vehicle(&self, stop: usize) -> Option<u32> {
        self.by_vehicle
            .get(stop)
            .and_then(|&t| Self::from_raw(t, self.reversed))
    }

    /// Every stop with its time (`None` when unreached), by stop index.
    pub fn times(&self) -> Vec<Option<u32>> {
        (0..self.len()).map(|s| self.time(s)).collect()
    }

    /// Stops reached by a vehicle with their time, by stop index.
    pub fn reached_by_vehicle(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        (0..self.len()).filter_map(|s| self.by_vehicle(s).map(|t| (s, t)))
    }
}

/// Earliest arrival (seconds) at every stop, leaving at `depart_s` with the given access walks
/// (stop index, walking seconds), using at most `max_rounds` vehicles. Access walks to stops
/// outside the timetable are ignored.
///
/// # Examples
/// ```
/// use repere_engine::transit::synthetic::line_feed;
/// use repere_engine::transit::{earliest_arrival, timetable::Timetable};
/// use repere_engine::walking::WalkModel;
/// // A synthetic line A → B → C, one trip leaving A at 08:00, 5 minutes per hop.
/// let feed = line_feed();
/// let tt = Timetable::build(&feed, 20240102, &vec![true; feed.trips.len()], &WalkModel::default());
/// let arr = earliest_arrival(&tt, &[(0, 60)], 7 * 3600 + 50 * 60, 4);
/// assert_eq!(arr.time(2), Some(8 * 3600 + 600));
/// ```
pub fn earliest_arrival(
    tt: &Timetable,
    access: &[(u32, u32)],
    depart_s: u32,
    max_rounds: usize,
) -> StopLabels {
    let (best, by_vehicle) = rounds(tt, access, depart_s, max_rounds);
    StopLabels {
        best,
        by_vehicle,
        reversed: tt.reversed,
    }
}

/// Latest departure (seconds) from every stop that arrives by `arrive_by_s`, given the egress
/// walks (stop index, walking seconds) to the destination, using at most `max_rounds` vehicles.
///
/// Reverse RAPTOR: RAPTOR's earliest arrival on the time-reversed timetable (see
/// [`Timetable::backward`]), the journey model mirrored (egress walk, vehicles with at most one
/// walking transfer between two, no transfer right before the egress walk).
///
/// # Examples
/// ```
/// use repere_engine::transit::synthetic::line_feed;
/// use repere_engine::transit::{latest_departure, timetable::Timetable};
/// use repere_engine::walking::WalkModel;
/// // The line A → B → C leaves A at 08:00 and reaches C at 08:10; C is 60 s from the target.
/// let feed = line_feed();
/// let tt = Timetable::build(&feed, 20240102, &vec![true; feed.trips.len()], &WalkModel::default());
/// let dep = latest_departure(&tt, &[(2, 60)], 8 * 3600 + 15 * 60, 4);
/// assert_eq!(dep.time(0), Some(8 * 3600));
/// assert_eq!(latest_departure(&tt, &[(2, 60)], 8 * 3600 + 600, 4).time(0), None);
/// ```
pub fn latest_departure(
    tt: &Timetable,
    egress: &[(u32, u32)],
    arrive_by_s: u32,
    max_rounds: usize,
) -> StopLabels {
    let back = tt.backward();
    let start = REVERSED_ORIGIN_S.saturating_sub(arrive_by_s);
    let (best, by_vehicle) = rounds(back, egress, start, max_rounds);
    StopLabels {
        best,
        by_vehicle,
        reversed: back.reversed,
    }
}

/// The RAPTOR rounds: (best label, best label by vehicle) per stop, raw times of `tt`.
fn rounds(
    tt: &Timetable,
    access: &[(u32, u32)],
    depart_s: u32,
    max_rounds: usize,
) -> (Vec<u32>, Vec<u32>) {
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
    (best, best_vehicle)
}
