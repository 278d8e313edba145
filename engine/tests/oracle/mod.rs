//! An independent reference for RAPTOR: Dijkstra on the time-expanded graph of a day's stop
//! times, forwards (earliest arrival) and backwards (latest departure), with calls indexed by
//! stop so it runs on a real feed. It shares only the journey model with RAPTOR, no code.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use repere_engine::model::transport::StopTime;

/// The label of an unreached state.
pub const NONE: u32 = u32::MAX;

/// A day's calls (stop times of the running trips, sorted by trip then sequence) and walking
/// transfers (`footpaths[s]` = (to stop, seconds)).
pub struct Graph<'a> {
    pub stops: usize,
    pub calls: &'a [StopTime],
    pub footpaths: &'a [Vec<(u32, u32)>],
    /// Calls at each stop.
    at: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    pub fn new(stops: usize, calls: &'a [StopTime], footpaths: &'a [Vec<(u32, u32)>]) -> Self {
        let mut at = vec![Vec::new(); stops];
        for (e, c) in calls.iter().enumerate() {
            at[c.stop].push(e);
        }
        Self {
            stops,
            calls,
            footpaths,
            at,
        }
    }

    fn next_on_trip(&self, e: usize) -> Option<usize> {
        (e + 1 < self.calls.len() && self.calls[e + 1].trip == self.calls[e].trip).then_some(e + 1)
    }

    fn prev_on_trip(&self, e: usize) -> Option<usize> {
        (e > 0 && self.calls[e - 1].trip == self.calls[e].trip).then(|| e - 1)
    }

    fn dep(&self, e: usize) -> u32 {
        self.calls[e].departure_s.max(self.calls[e].arrival_s)
    }

    /// Earliest arrival per stop: (any last leg, last leg a vehicle). States: 0..n "at stop
    /// after walking" (may board), n..2n "at stop after a vehicle" (may board or take a
    /// footpath), 2n + e "on board, arriving at call e" (may stay or alight).
    pub fn earliest(&self, access: &[(u32, u32)], depart: u32) -> (Vec<u32>, Vec<u32>) {
        let n = self.stops;
        let mut dist = vec![NONE; 2 * n + self.calls.len()];
        let mut heap = BinaryHeap::new();
        for &(s, w) in access {
            let t = depart + w;
            if t < dist[s as usize] {
                dist[s as usize] = t;
                heap.push(Reverse((t, s as usize)));
            }
        }
        while let Some(Reverse((t, v))) = heap.pop() {
            if t > dist[v] {
                continue;
            }
            let mut relax = |u: usize, tu: u32, heap: &mut BinaryHeap<Reverse<(u32, usize)>>| {
                if tu < dist[u] {
                    dist[u] = tu;
                    heap.push(Reverse((tu, u)));
                }
            };
            if v < 2 * n {
                let s = v % n;
                for &e in &self.at[s] {
                    if self.dep(e) >= t
                        && let Some(f) = self.next_on_trip(e)
                    {
                        relax(2 * n + f, self.calls[f].arrival_s, &mut heap);
                    }
                }
                if v >= n {
                    for &(q, d) in &self.footpaths[s] {
                        relax(q as usize, t + d, &mut heap);
                    }
                }
            } else {
                let e = v - 2 * n;
                relax(n + self.calls[e].stop, self.calls[e].arrival_s, &mut heap);
                if let Some(f) = self.next_on_trip(e) {
                    relax(2 * n + f, self.calls[f].arrival_s, &mut heap);
                }
            }
        }
        let best = (0..n).map(|s| dist[s].min(dist[n + s])).collect();
        (best, dist[n..2 * n].to_vec())
    }

    /// Latest departure per stop arriving by `deadline` through the egress walks: (any first
    /// leg, first leg a vehicle). States (labels are latest times, a max-heap): 0..n "at stop
    /// at the origin or just alighted" (may walk the egress, board, or take a footpath to a
    /// boarding), n..2n "at stop after a footpath" (may only board), 2n + e "on board,
    /// leaving call e" (may stay or alight later).
    pub fn latest(&self, egress: &[(u32, u32)], deadline: u32) -> (Vec<u32>, Vec<u32>) {
        let n = self.stops;
        // Labels shifted by one so that 0 means unreached.
        let mut lab = vec![0u64; 2 * n + self.calls.len()];
        let mut heap = BinaryHeap::new();
        let raise = |u: usize, t: u32, lab: &mut Vec<u64>, heap: &mut BinaryHeap<(u32, usize)>| {
            if u64::from(t) + 1 > lab[u] {
                lab[u] = u64::from(t) + 1;
                heap.push((t, u));
            }
        };
        for &(s, w) in egress {
            if let Some(t) = deadline.checked_sub(w) {
                raise(s as usize, t, &mut lab, &mut heap);
            }
        }
        // Reverse footpaths: into[s] = (from stop, seconds).
        let mut into = vec![Vec::new(); n];
        for (p, list) in self.footpaths.iter().enumerate() {
            for &(q, d) in list {
                into[q as usize].push((p, d));
            }
        }
        while let Some((t, v)) = heap.pop() {
            if u64::from(t) + 1 < lab[v] {
                continue;
            }
            if v < n {
                // Alight here from any call arriving by t.
                for &e in &self.at[v] {
                    if self.calls[e].arrival_s <= t
                        && let Some(p) = self.prev_on_trip(e)
                    {
                        raise(2 * n + p, self.dep(p), &mut lab, &mut heap);
                    }
                }
            } else if v < 2 * n {
                for &(p, d) in &into[v - n] {
                    if let Some(tp) = t.checked_sub(d) {
                        raise(p, tp, &mut lab, &mut heap);
                    }
                }
            } else {
                let e = v - 2 * n;
                let s = self.calls[e].stop;
                raise(s, t, &mut lab, &mut heap);
                raise(n + s, t, &mut lab, &mut heap);
                if let Some(p) = self.prev_on_trip(e) {
                    raise(2 * n + p, self.dep(p), &mut lab, &mut heap);
                }
            }
        }
        let get = |u: usize| lab[u].checked_sub(1).map_or(NONE, |t| t as u32);
        ((0..n).map(get).collect(), (n..2 * n).map(get).collect())
    }
}

/// RAPTOR labels as plain numbers (`NONE` when unreached), to compare with the oracle.
pub fn plain(v: Vec<Option<u32>>) -> Vec<u32> {
    v.into_iter().map(|t| t.unwrap_or(NONE)).collect()
}
