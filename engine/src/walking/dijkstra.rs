//! Shortest walking distances on the pedestrian graph: Dijkstra with a radix heap, from one or
//! several seeds (a snapped point's two edge ends; every actor of a group at once for
//! "distance to the nearest"), bounded by a distance.
//!
//! The graph is undirected, so the search from a destination (actor, stop) gives the distances
//! *to* it from everywhere: one reverse search per destination serves every origin
//! (one-to-many). A [`Search`] keeps its buffers between runs and resets only the nodes it
//! touched, so bounded runs cost in proportion to the area they reach, not to the graph.
//!
//! The queue is a radix heap over distances quantised to 1/16 m in 32 bits (keys never
//! decrease in Dijkstra, so every key goes to the bucket of its highest bit differing from the
//! last key popped; an entry is 8 bytes; distances beyond 2^32 / 16 m, 268 000 km, share the
//! last key and stay exact by the same label correction). Distances themselves stay exact `f64`: nodes of one 1/16 m bucket pop in any
//! order, and a node improved after its pop (only through an arc shorter than 1/16 m) is
//! pushed and scanned again, so the search is exact (label-correcting within a bucket).

use super::WalkNetwork;
use super::graph::WalkGraph;
use super::snap::Snapped;

/// Reusable Dijkstra state over one graph.
#[derive(Debug, Clone)]
pub struct Search {
    dist_m: Vec<f64>,
    touched: Vec<u32>,
    heap: RadixHeap,
}

/// The queue key of a distance: sixteenths of a metre, rounded down (monotone; the cast
/// saturates).
fn key(d_m: f64) -> u32 {
    (d_m * 16.0) as u32
}

/// A monotone priority queue of `(key, node)` (see the module docs).
#[derive(Debug, Clone)]
struct RadixHeap {
    last: u32,
    len: usize,
    buckets: Vec<Vec<(u32, u32)>>,
    spare: Vec<(u32, u32)>,
}

impl RadixHeap {
    fn new() -> Self {
        Self {
            last: 0,
            len: 0,
            buckets: vec![Vec::new(); 33],
            spare: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }

    fn bucket(&self, key: u32) -> usize {
        (32 - (key ^ self.last).leading_zeros()) as usize
    }

    /// Pushes a key not below the last key popped.
    fn push(&mut self, key: u32, node: u32) {
        let b = self.bucket(key.max(self.last));
        self.buckets[b].push((key.max(self.last), node));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<(u32, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = self.buckets.iter().position(|b| !b.is_empty())?;
            std::mem::swap(&mut self.buckets[i], &mut self.spare);
            self.last = self.spare.iter().map(|e| e.0).min()?;
            for k in 0..self.spare.len() {
                let e = self.spare[k];
                let b = self.bucket(e.0);
                self.buckets[b].push(e);
            }
            self.spare.clear();
        }
        self.len -= 1;
        self.buckets[0].pop()
    }
}

impl Search {
    /// State for a graph of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Self {
            dist_m: vec![f64::INFINITY; nodes],
            touched: Vec::new(),
            heap: RadixHeap::new(),
        }
    }

    /// Runs Dijkstra from `seeds` (node, metres already walked), settling nodes up to `max_m`
    /// (`f64::INFINITY` for the whole component). Distances of the previous run are cleared.
    pub fn run(&mut self, g: &WalkGraph, seeds: &[(u32, f64)], max_m: f64) {
        for &v in &self.touched {
            self.dist_m[v as usize] = f64::INFINITY;
        }
        self.touched.clear();
        self.heap.clear();
        if self.dist_m.len() < g.node_count() {
            self.dist_m.resize(g.node_count(), f64::INFINITY);
        }
        for &(v, d) in seeds {
            // Negative or NaN seeds are ignored.
            if d.is_nan() || d < 0.0 {
                continue;
            }
            if d <= max_m && (v as usize) < self.dist_m.len() && d < self.dist_m[v as usize] {
                if self.dist_m[v as usize].is_infinite() {
                    self.touched.push(v);
                }
                self.dist_m[v as usize] = d;
                self.heap.push(key(d), v);
            }
        }
        let Search {
            dist_m,
            touched,
            heap,
        } = self;
        while let Some((k, v)) = heap.pop() {
            let d = dist_m[v as usize];
            if key(d) != k {
                // Improved since this entry was pushed: its newer entry scans it.
                continue;
            }
            for arc in g.arcs_of(v) {
                let nd = d + arc.length_m;
                let Some(dw) = dist_m.get_mut(arc.head as usize) else {
                    continue;
                };
                if nd <= max_m && nd < *dw {
                    if dw.is_infinite() {
                        touched.push(arc.head);
                    }
                    *dw = nd;
                    heap.push(key(nd), arc.head);
                }
            }
        }
    }

    /// The distances of the last run, by node (infinite when unreached), consuming the state.
    pub fn into_dist_m(self) -> Vec<f64> {
        self.dist_m
    }

    /// Runs from a snapped point on the network's contracted graph (the two ends of its
    /// chain, offsets included): node indices of later queries are core indices.
    pub fn run_from(&mut self, net: &WalkNetwork, from: &Snapped, max_m: f64) {
        self.run(&net.core.graph, &from.to_core_ends_m(), max_m);
    }

    /// Metres from the seeds to node `v` (infinite when unreached or beyond the bound).
    pub fn dist_m(&self, v: u32) -> f64 {
        self.dist_m
            .get(v as usize)
            .copied()
            .unwrap_or(f64::INFINITY)
    }

    /// Metres from the seeds of [`Search::run_from`] to a snapped point through either end of
    /// its chain (its offset included). Does not see a shorter path along the same chain as a
    /// seed: see [`Snapped::same_chain_m`].
    pub fn dist_to_m(&self, to: &Snapped) -> f64 {
        to.to_core_ends_m()
            .iter()
            .map(|&(v, m)| self.dist_m(v) + m)
            .fold(f64::INFINITY, f64::min)
    }

    /// The nodes reached by the last run.
    pub fn reached(&self) -> &[u32] {
        &self.touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::walking::graph::Edge;

    #[test]
    fn bounded_search_stops_at_the_bound_and_resets_between_runs() {
        // A path 0 - 1 - 2 - 3, 100 m steps.
        let g = WalkGraph::from_parts(
            vec![[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [300.0, 0.0]],
            &[(0, 1), (1, 2), (2, 3)],
        );
        let mut s = Search::new(g.node_count());
        s.run(&g, &[(0, 0.0)], 250.0);
        assert_eq!(s.dist_m(2), 200.0);
        assert!(s.dist_m(3).is_infinite());
        s.run(&g, &[(3, 10.0)], f64::INFINITY);
        assert_eq!(s.dist_m(0), 310.0);
        assert_eq!(s.reached().len(), 4);
    }

    #[test]
    fn distances_beyond_the_last_key_stay_exact() {
        // Edges of 400 000 and 500 000 km: every key saturates at u32::MAX, and the search
        // still finds 0 → 2 → 1 (400 000 km + 1 m) shorter than 0 → 1, then 1 → 3.
        let (a, b) = (4e8, 5e8);
        let g = WalkGraph::from_edges(
            vec![[0.0, 0.0]; 4],
            (0..4).collect(),
            vec![
                Edge {
                    a: 0,
                    b: 1,
                    length_m: b,
                },
                Edge {
                    a: 0,
                    b: 2,
                    length_m: a,
                },
                Edge {
                    a: 2,
                    b: 1,
                    length_m: 1.0,
                },
                Edge {
                    a: 1,
                    b: 3,
                    length_m: 10.0,
                },
            ],
        );
        assert_eq!(key(a), u32::MAX);
        let mut s = Search::new(g.node_count());
        s.run(&g, &[(0, 0.0)], f64::INFINITY);
        assert_eq!(s.dist_m(1), a + 1.0);
        assert_eq!(s.dist_m(3), a + 11.0);
        assert_eq!(s.into_dist_m(), vec![0.0, a + 1.0, a, a + 11.0]);
    }

    #[test]
    fn the_radix_heap_pops_in_key_order() {
        let mut h = RadixHeap::new();
        let mut popped = Vec::new();
        for (k, v) in [(5.5f64, 0), (0.25, 1), (1e6, 2), (3.0, 3)] {
            h.push(key(k), v);
        }
        while let Some((k, v)) = h.pop() {
            popped.push((k as f64 / 16.0, v));
            if v == 3 {
                // Monotone pushes after a pop.
                h.push(key(4.0), 4);
                h.push(key(3.0), 5);
            }
        }
        let keys: Vec<f64> = popped.iter().map(|p| p.0).collect();
        assert_eq!(keys, vec![0.25, 3.0, 3.0, 4.0, 5.5, 1e6]);
        assert_eq!(popped.len(), 6);
    }
}
