//! Shortest walking distances on the pedestrian graph: Dijkstra with a binary heap, from one or
//! several seeds (a snapped point's two edge ends; every actor of a group at once for
//! "distance to the nearest"), bounded by a distance.
//!
//! The graph is undirected, so the search from a destination (actor, stop) gives the distances
//! *to* it from everywhere: one reverse search per destination serves every origin
//! (one-to-many). A [`Search`] keeps its buffers between runs and resets only the nodes it
//! touched, so bounded runs cost in proportion to the area they reach, not to the graph.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::graph::WalkGraph;
use super::snap::Snapped;

/// Reusable Dijkstra state over one graph.
#[derive(Debug, Clone)]
pub struct Search {
    dist_m: Vec<f64>,
    touched: Vec<u32>,
    // Non-negative f64 distances order like their bit patterns.
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Search {
    /// State for a graph of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Self {
            dist_m: vec![f64::INFINITY; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
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
            if d <= max_m && (v as usize) < self.dist_m.len() && d < self.dist_m[v as usize] {
                if self.dist_m[v as usize].is_infinite() {
                    self.touched.push(v);
                }
                self.dist_m[v as usize] = d;
                self.heap.push(Reverse((d.to_bits(), v)));
            }
        }
        while let Some(Reverse((bits, v))) = self.heap.pop() {
            let d = f64::from_bits(bits);
            if d > self.dist_m[v as usize] {
                continue;
            }
            for (w, len) in g.arcs(v) {
                let nd = d + len;
                if nd <= max_m && nd < self.dist_m[w as usize] {
                    if self.dist_m[w as usize].is_infinite() {
                        self.touched.push(w);
                    }
                    self.dist_m[w as usize] = nd;
                    self.heap.push(Reverse((nd.to_bits(), w)));
                }
            }
        }
    }

    /// Runs from a snapped point (its two edge ends, offsets included).
    pub fn run_from(&mut self, g: &WalkGraph, from: &Snapped, max_m: f64) {
        self.run(g, &from.to_ends_m(), max_m);
    }

    /// Metres from the seeds to node `v` (infinite when unreached or beyond the bound).
    pub fn dist_m(&self, v: u32) -> f64 {
        self.dist_m
            .get(v as usize)
            .copied()
            .unwrap_or(f64::INFINITY)
    }

    /// Metres from the seeds to a snapped point through either end of its edge (its offset
    /// included). Does not see a shorter path along the same edge as a seed: see
    /// [`Snapped::same_edge_m`].
    pub fn dist_to_m(&self, to: &Snapped) -> f64 {
        to.to_ends_m()
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
}
