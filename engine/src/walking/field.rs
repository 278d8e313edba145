//! Distance fields: the network distance from every core node to the nearest of a set of seeds
//! (every actor of a group, every stop), in whole millimetres, for "time to the nearest" over
//! many origins (the gap grid's cells, coverage, suggestions).
//!
//! A field visits the whole network, once per group, and the searches are bound by memory
//! reads: its own graph ([`FieldGraph`]) keeps each arc in 8 bytes (head, length in millimetres
//! as `u32`) and its distances in 4 bytes per node, where the `f64` search
//! ([`super::dijkstra`]) takes 12 and 8: on the Métropole-sized network, 2 MB of distances, which
//! fit in a core's L2 cache. Integer sums are exact and independent of the order of the search; each edge
//! length is rounded to the nearest millimetre (at least 1 mm), so a field differs from the
//! `f64` network distance by at most half a millimetre per edge of the path (a few centimetres
//! across a town: a fraction of a second of walking). Distances beyond `u32::MAX - 1` mm
//! (4 295 km) saturate there (no walk is that long; the search stays exact below).
//!
//! The search is Dial's bucket queue over keys of `2^shift` mm, the largest power of two not
//! above the shortest edge (wider when the longest edge would need more than 2^18 buckets): a
//! node's key then grows along every arc, so a bucket is settled as a batch, each node once per
//! key it takes; with wider keys, a node improved into the key being settled is settled again
//! in it (exact by label correction).
//!
//! The nodes of a bucket lie along the search's frontier, all over the network, so reading each
//! one's arcs is a cache miss (half the field's time in `perf` without a hint). While settling the
//! `i`-th node of a batch, the search asks the processor (a prefetch hint, which reads nothing and
//! cannot fault) for the offsets of the node `2 × 16` places on and for the arcs of the node 16
//! places on: on the Métropole-sized lattice of `benches/` (512 k core nodes, 40 seeds), one
//! field takes 6.7-7.9 ms instead of 10.5-12.9 ms (minimum of 5 runs, six rounds; hints for the
//! heads' distances as well gave nothing more: 8.2-9.3 ms).

use super::graph::WalkGraph;

/// How many nodes of a batch ahead the arcs are asked for (see the module docs).
const PREFETCH_AHEAD: usize = 16;

/// Most buckets of the queue (2^18: 6 MB of empty buckets).
const MAX_BUCKETS: usize = 1 << 18;

/// "Unreached" in a field.
pub const UNREACHED_MM: u32 = u32::MAX;

/// The core graph in integer millimetres (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct FieldGraph {
    /// `offsets[v]..offsets[v + 1]` indexes the arcs of `v`.
    offsets: Vec<u32>,
    /// `[head, length mm]`.
    arcs: Vec<[u32; 2]>,
    /// Bucket width: `2^shift` mm.
    shift: u32,
    /// Buckets in the circular queue: a power of two above the longest arc's keys + 1.
    buckets: usize,
}

/// Whole millimetres of a length or distance in metres (rounded, saturating; NaN gives 0).
pub fn mm_of_m(m: f64) -> u32 {
    (m * 1000.0).round() as u32
}

/// Metres of a field distance (infinite when unreached).
pub fn m_of_mm(mm: u32) -> f64 {
    if mm == UNREACHED_MM {
        f64::INFINITY
    } else {
        f64::from(mm) / 1000.0
    }
}

impl FieldGraph {
    /// The field graph of `g` (its arcs in the same order, lengths rounded to millimetres).
    pub fn of(g: &WalkGraph) -> Self {
        let n = g.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut arcs = Vec::with_capacity(2 * g.edges.len());
        offsets.push(0);
        for v in 0..n as u32 {
            arcs.extend(g.arcs(v).map(|(head, m)| [head, mm_of_m(m).max(1)]));
            offsets.push(arcs.len() as u32);
        }
        let shortest = arcs.iter().map(|a| a[1]).min().unwrap_or(1);
        let longest = arcs.iter().map(|a| a[1]).max().unwrap_or(1);
        // Keys of at most the shortest edge, widened while the queue would pass its size
        // limit (a graph mixing millimetre and kilometre edges).
        let mut shift = shortest.ilog2();
        while (longest >> shift) as usize + 2 > MAX_BUCKETS {
            shift += 1;
        }
        Self {
            offsets,
            arcs,
            shift,
            buckets: ((longest >> shift) as usize + 2).next_power_of_two(),
        }
    }

    /// Nodes.
    pub fn node_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Millimetres from every node to the nearest seed `(node, metres)` ([`UNREACHED_MM`] where
    /// no seed is reachable). Seeds of unknown nodes, negative or NaN distances are ignored.
    pub fn field_mm(&self, seeds: &[(u32, f64)]) -> Vec<u32> {
        let n = self.node_count();
        let mut dist = vec![UNREACHED_MM; n];
        for &(v, m) in seeds {
            if m.is_nan() || m < 0.0 {
                continue;
            }
            if let Some(d) = dist.get_mut(v as usize) {
                *d = (*d).min(mm_of_m(m).min(UNREACHED_MM - 1));
            }
        }
        // Seeds farther apart than the queue spans are started in key order, as the frontier
        // reaches them (`pending`, sorted by decreasing key).
        let mut pending: Vec<(u32, u32)> = seeds
            .iter()
            .filter_map(|&(v, _)| {
                let d = *dist.get(v as usize)?;
                (d != UNREACHED_MM).then_some((d >> self.shift, v))
            })
            .collect();
        pending.sort_unstable_by(|a, b| b.cmp(a));
        pending.dedup();
        let mask = self.buckets - 1;
        let mut queue: Vec<Vec<u32>> = vec![Vec::new(); self.buckets];
        let mut queued = 0usize;
        let mut batch: Vec<u32> = Vec::new();
        let Some(&(mut cur, _)) = pending.last() else {
            return dist;
        };
        loop {
            // Seeds whose key the frontier has reached join the queue.
            while let Some(&(k, v)) = pending.last() {
                if k > cur + (self.buckets as u32 - 2).min(u32::MAX - cur) {
                    break;
                }
                pending.pop();
                if dist[v as usize] >> self.shift == k {
                    queue[k as usize & mask].push(v);
                    queued += 1;
                }
            }
            if queued == 0 {
                match pending.last() {
                    Some(&(k, _)) => {
                        cur = k;
                        continue;
                    }
                    None => break,
                }
            }
            let bucket = &mut queue[cur as usize & mask];
            if bucket.is_empty() {
                cur += 1;
                continue;
            }
            std::mem::swap(&mut batch, bucket);
            queued -= batch.len();
            for (i, &v) in batch.iter().enumerate() {
                // The batch's nodes are scattered over the network: ask for the offsets of the
                // node `2 * AHEAD` places on and for the arcs of the node `AHEAD` places on, so
                // that they are in the cache when their turn comes (see the module docs).
                if let Some(&u) = batch.get(i + 2 * PREFETCH_AHEAD) {
                    prefetch_index::prefetch_index(&self.offsets, u as usize);
                }
                if let Some(&u) = batch.get(i + PREFETCH_AHEAD)
                    && let Some(&first) = self.offsets.get(u as usize)
                {
                    prefetch_index::prefetch_index(&self.arcs, first as usize);
                }
                let d = dist[v as usize];
                if d >> self.shift != cur {
                    // Improved into an earlier key since: settled there.
                    continue;
                }
                let (s, e) = (
                    self.offsets[v as usize] as usize,
                    self.offsets[v as usize + 1] as usize,
                );
                for &[head, l] in &self.arcs[s..e] {
                    let nd = d.saturating_add(l).min(UNREACHED_MM - 1);
                    let dw = &mut dist[head as usize];
                    if nd < *dw {
                        let was = *dw;
                        *dw = nd;
                        // Queued already under a later key: that entry reads the new
                        // distance. Into the key being settled (only when keys are wider
                        // than the shortest edge): settled again, in this key.
                        let key = nd >> self.shift;
                        if was == UNREACHED_MM || was >> self.shift != key || key == cur {
                            queue[key as usize & mask].push(head);
                            queued += 1;
                        }
                    }
                }
            }
            batch.clear();
        }
        dist
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use super::*;
    use crate::walking::dijkstra::Search;

    /// A synthetic jittered lattice with random gaps and diagonals, and a far island
    /// (deterministic pseudo-random numbers).
    fn synthetic(side: u32, seed: u64) -> WalkGraph {
        let mut s = seed;
        let mut rnd = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1000) as f64 / 1000.0
        };
        let id = |i: u32, j: u32| i * side + j;
        let mut pts = Vec::new();
        for i in 0..side {
            for j in 0..side {
                let (x, y) = (f64::from(i) * 40.0, f64::from(j) * 40.0);
                pts.push([x + rnd() * 25.0, y + rnd() * 25.0]);
            }
        }
        let mut pairs = Vec::new();
        for i in 0..side {
            for j in 0..side {
                if i + 1 < side && rnd() < 0.85 {
                    pairs.push((id(i, j), id(i + 1, j)));
                }
                if j + 1 < side && rnd() < 0.85 {
                    pairs.push((id(i, j), id(i, j + 1)));
                }
                if i + 1 < side && j + 1 < side && rnd() < 0.2 {
                    pairs.push((id(i, j), id(i + 1, j + 1)));
                }
            }
        }
        // An island 60 km away, joined by nothing.
        let k = pts.len() as u32;
        pts.extend([[60_000.0, 0.0], [60_100.0, 0.0]]);
        pairs.push((k, k + 1));
        WalkGraph::from_parts(pts, &pairs)
    }

    /// An independent Dijkstra (binary heap) over the same millimetre lengths.
    fn heap_field(g: &WalkGraph, seeds: &[(u32, f64)]) -> Vec<u32> {
        let mut dist = vec![UNREACHED_MM; g.node_count()];
        let mut heap = BinaryHeap::new();
        for &(v, m) in seeds {
            let d = mm_of_m(m);
            if d < dist[v as usize] {
                dist[v as usize] = d;
                heap.push(Reverse((d, v)));
            }
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for (w, m) in g.arcs(v) {
                let nd = d + mm_of_m(m).max(1);
                if nd < dist[w as usize] {
                    dist[w as usize] = nd;
                    heap.push(Reverse((nd, w)));
                }
            }
        }
        dist
    }

    #[test]
    fn fields_equal_an_independent_dijkstra_and_the_f64_search_to_the_millimetre() {
        for seed in [3, 11, 2024] {
            let g = synthetic(30, seed);
            let fg = FieldGraph::of(&g);
            let n = g.node_count() as u32;
            let sets: Vec<Vec<(u32, f64)>> = vec![
                vec![(0, 0.0)],
                // Seeds at very different distances (beyond the queue's span), and the island.
                vec![(n / 2, 12.345), (n / 3, 9_000.0), (n - 1, 0.0)],
                (0..n - 2)
                    .step_by(97)
                    .map(|v| (v, f64::from(v % 5)))
                    .collect(),
                vec![],
            ];
            for set in &sets {
                let got = fg.field_mm(set);
                assert_eq!(got, heap_field(&g, set));
                let exact = Search::full_field(&g, set);
                for (v, (&mm, &m)) in got.iter().zip(&exact).enumerate() {
                    if m.is_infinite() {
                        assert_eq!(mm, UNREACHED_MM, "node {v}");
                    } else {
                        // Half a millimetre per edge at most: 0.1 m covers ~200 edges.
                        assert!((m_of_mm(mm) - m).abs() < 0.1, "node {v}: {mm} mm vs {m} m");
                    }
                }
            }
            assert!(fg.field_mm(&[]).iter().all(|&d| d == UNREACHED_MM));
            // The island is reached only from its own seed.
            let island = fg.field_mm(&[(n - 1, 0.0)]);
            assert_eq!(island[n as usize - 2], 100_000);
            assert_eq!(island[0], UNREACHED_MM);
        }
    }

    #[test]
    fn wide_keys_settle_again_what_improves_within_a_key() {
        // Edges of 1 mm and 1 km: keys wider than the shortest edge.
        let mut pts = vec![[0.0, 0.0]];
        let mut pairs = Vec::new();
        for i in 1..40u32 {
            let step = if i % 3 == 0 { 1000.0 } else { 0.001 };
            let [x, _] = pts[i as usize - 1];
            pts.push([x + step, 0.0]);
            pairs.push((i - 1, i));
            if i >= 2 {
                pairs.push((i - 2, i));
            }
        }
        let g = WalkGraph::from_parts(pts, &pairs);
        let fg = FieldGraph::of(&g);
        assert!(1u32 << fg.shift > 1);
        for seeds in [vec![(0, 0.0)], vec![(5, 0.0), (30, 0.5)]] {
            assert_eq!(fg.field_mm(&seeds), heap_field(&g, &seeds));
        }
    }

    #[test]
    fn seeds_out_of_range_are_ignored() {
        let g = WalkGraph::from_parts(vec![[0.0, 0.0], [100.0, 0.0]], &[(0, 1)]);
        let fg = FieldGraph::of(&g);
        assert_eq!(
            fg.field_mm(&[(7, 0.0), (0, -1.0), (1, f64::NAN)]),
            vec![UNREACHED_MM; 2]
        );
        assert_eq!(fg.field_mm(&[(0, 0.25)]), vec![250, 100_250]);
    }
}
