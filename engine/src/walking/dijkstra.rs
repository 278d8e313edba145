//! Shortest walking distances on the pedestrian graph: Dijkstra with a radix heap, from one or
//! several seeds (a snapped point's two edge ends; several points at once), bounded by a
//! distance. The whole-network fields "distance to the nearest actor of a group" run on
//! [`super::field`] instead (the same search in whole millimetres, half the memory read).
//!
//! The graph is undirected, so the search from a destination (actor, stop) gives the distances
//! *to* it from everywhere: one reverse search per destination serves every origin
//! (one-to-many). A [`Search`] keeps its buffers between runs and resets only the nodes it
//! touched, so bounded runs cost in proportion to the area they reach, not to the graph.
//!
//! Distances are quantised to keys in 32 bits for the queue only; distances themselves stay
//! exact `f64`: nodes of one key are settled in any order, and a node improved after it was
//! settled (only through an edge shorter than a key) is queued and settled again, so the search
//! is exact (label-correcting within a key). The queue is Dial's bucket queue (`BucketQueue`,
//! keys of a power of two metres up to the graph's shortest edge, so that on the lattice of a
//! town no node is settled twice) when the graph's longest edge fits 2^18 keys and no distance
//! can reach the last key; otherwise a radix heap over keys of 1/16 m (keys never decrease in
//! Dijkstra, so every key goes to the bucket of its highest bit differing from the last key
//! popped; distances beyond 2^32 / 16 m, 268 000 km, share the last key and stay exact by the
//! same label correction).
//!
//! Why both queues give the same `f64` distances bit for bit: a search ends when no edge can
//! improve its head, and every distance it holds is the left-to-right floating sum of some
//! path from a seed. Floating addition of a non-negative length is monotone, so along the path
//! of least floating sum every node's distance is at most that sum (by induction), hence equal
//! to it: the result is the least left-to-right floating sum over paths, whatever the order in
//! which nodes were settled (tested against each other on random graphs).

use super::WalkNetwork;
use super::graph::WalkGraph;
use super::snap::Snapped;

/// Reusable Dijkstra state over one graph.
#[derive(Debug, Clone)]
pub struct Search {
    dist_m: Vec<f64>,
    touched: Vec<u32>,
    heap: RadixHeap,
    buckets: BucketQueue,
    seeds: Vec<(u32, u32)>,
}

/// The queue key of a distance: sixteenths of a metre, rounded down (monotone; the cast
/// saturates).
fn key(d_m: f64) -> u32 {
    (d_m * 16.0) as u32
}

/// Most buckets of a [`BucketQueue`]: 2^18 keys of 1/16 m, edges up to 16 km; a graph with a
/// longer edge is searched with the radix heap.
const MAX_BUCKETS: usize = 1 << 18;

/// A monotone priority queue of `(key, node)`: keys pushed are never below the last key popped.
trait MonotoneQueue {
    fn push(&mut self, key: u32, node: u32);
    fn pop(&mut self) -> Option<(u32, u32)>;
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
}

impl MonotoneQueue for RadixHeap {
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

/// Dial's bucket queue: one bucket per key of `unit` metres (the largest power of two not above
/// the graph's shortest edge, clamped to 1/16 m … 32 m), used circularly. In Dijkstra every key
/// pushed lies within `longest edge key + 1` of the key being settled
/// (`key(d + l) ≤ key(d) + key(l) + 1`), and the seeds' keys within the span the queue is
/// sized for, so a power-of-two count above both spans never puts two live keys in one bucket.
/// A bucket is settled as a batch; a node is queued once per key (a `queued` flag per node, or,
/// when the unit is at most the shortest edge, a push only when its key changes), and
/// the current key only moves forward: a whole search steps over at most
/// `largest distance / unit` buckets. Between runs every bucket is empty and every flag clear
/// (a run settles its queue dry).
#[derive(Debug, Clone, Default)]
struct BucketQueue {
    buckets: Vec<Vec<u32>>,
    /// Whether a node has an entry not yet settled.
    queued: Vec<bool>,
    /// The key being settled.
    cur: u32,
    /// Keys per metre (1 / unit).
    per_m: f64,
    len: usize,
}

impl BucketQueue {
    /// Empties the queue with at least `n` buckets (a power of two) for `nodes` nodes, keys of
    /// `1 / per_m` metres starting at `start`.
    fn reset(&mut self, n: usize, nodes: usize, per_m: f64, start: u32) {
        if self.len != 0 {
            for b in &mut self.buckets {
                b.clear();
            }
            self.queued.iter_mut().for_each(|q| *q = false);
        }
        if self.buckets.len() < n {
            self.buckets.resize(n, Vec::new());
        }
        if self.queued.len() < nodes {
            self.queued.resize(nodes, false);
        }
        self.cur = start;
        self.per_m = per_m;
        self.len = 0;
    }

    fn key(&self, d_m: f64) -> u32 {
        (d_m * self.per_m) as u32
    }

    fn push(&mut self, key: u32, node: u32) {
        self.push_unflagged(key, node);
        if let Some(q) = self.queued.get_mut(node as usize) {
            *q = true;
        }
    }

    /// Pushes without setting the node's `queued` flag (see [`settle_buckets`]).
    fn push_unflagged(&mut self, key: u32, node: u32) {
        let mask = self.buckets.len().wrapping_sub(1);
        if let Some(b) = self.buckets.get_mut(key.max(self.cur) as usize & mask) {
            b.push(node);
            self.len += 1;
        }
    }
}

/// The bucket count and keys per metre of a [`BucketQueue`] for a search of `g` from seeds
/// `lo_m..=hi_m` metres up to `max_m`, `None` when its keys could saturate or its edges are
/// too long: the radix heap runs then.
fn bucket_plan(g: &WalkGraph, lo_m: f64, hi_m: f64, max_m: f64) -> Option<(usize, f64)> {
    // The unit: the largest power of two not above the shortest edge, within 1/16 m to 32 m.
    let mut per_m = 1.0 / 32.0;
    while per_m < 16.0 && 1.0 / per_m > g.shortest_edge_m() {
        per_m *= 2.0;
    }
    let reach_m = (hi_m + g.total_length_m()).min(max_m);
    // NaN and infinite reaches fail the test.
    let fits = (reach_m * per_m).partial_cmp(&(f64::from(u32::MAX) - 2.0 * MAX_BUCKETS as f64));
    if fits != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let k = |d: f64| (d * per_m) as usize;
    let span = (k(g.longest_edge_m()) + 2).max(k(hi_m) - k(lo_m) + 1);
    let n = span.next_power_of_two();
    (n <= MAX_BUCKETS).then_some((n, per_m))
}

/// Settles the bucket queue (filled with the seeds) up to `max_m`, batch by batch (see
/// [`BucketQueue`]); `TRACK` as in [`settle`].
///
/// `FLAGS`: keep a `queued` flag per node, so that a node improved within the key it is queued
/// under is not queued twice, and one improved into the key being settled is settled again.
/// Without flags (only when the unit is at most the shortest edge): settling key `k` (every
/// distance `d ≥ k` units) improves nodes only to `d + l ≥ (k + 1)` units (`l` ≥ one unit; the
/// float sum rounds monotonically to a multiple of a power of two), so a node whose previous
/// distance already had the new key is queued under it and not yet settled, and pushing only
/// on a change of key queues every node that needs it.
fn settle_buckets<const TRACK: bool, const FLAGS: bool>(
    g: &WalkGraph,
    dist_m: &mut [f64],
    touched: &mut Vec<u32>,
    q: &mut BucketQueue,
    max_m: f64,
) {
    let mask = q.buckets.len().wrapping_sub(1);
    let mut batch: Vec<u32> = Vec::new();
    while q.len > 0 {
        let Some(bucket) = q.buckets.get_mut(q.cur as usize & mask) else {
            break;
        };
        if bucket.is_empty() {
            let Some(next) = q.cur.checked_add(1) else {
                break;
            };
            q.cur = next;
            continue;
        }
        // The bucket's entries; nodes improved into this key while it is settled go into the
        // emptied bucket and are settled next (label correction within a key).
        std::mem::swap(&mut batch, bucket);
        q.len -= batch.len();
        let k = q.cur;
        for &v in &batch {
            if FLAGS && let Some(f) = q.queued.get_mut(v as usize) {
                *f = false;
            }
            let Some(&d) = dist_m.get(v as usize) else {
                continue;
            };
            if q.key(d) != k {
                // Improved into an earlier key since this entry was pushed: settled there.
                continue;
            }
            relax_arcs::<TRACK>(g, dist_m, touched, v, d, max_m, |head, was, nd| {
                let kn = q.key(nd);
                // Already queued under this key: that entry reads the new distance.
                if FLAGS {
                    let queued = q.queued.get(head as usize).copied().unwrap_or(false);
                    if !(queued && q.key(was) == kn) {
                        q.push(kn, head);
                    }
                } else if q.key(was) != kn {
                    q.push_unflagged(kn, head);
                }
            });
        }
        batch.clear();
    }
}

/// Settles nodes from the queue (filled with the seeds) up to `max_m`; `TRACK`: record in
/// `touched` every node reached (to reset them before the next run).
fn settle<Q: MonotoneQueue, const TRACK: bool>(
    g: &WalkGraph,
    dist_m: &mut [f64],
    touched: &mut Vec<u32>,
    queue: &mut Q,
    max_m: f64,
) {
    while let Some((k, v)) = queue.pop() {
        let Some(&d) = dist_m.get(v as usize) else {
            continue;
        };
        if key(d) != k {
            // Improved since this entry was pushed: its newer entry scans it.
            continue;
        }
        relax_arcs::<TRACK>(g, dist_m, touched, v, d, max_m, |head, _, nd| {
            queue.push(key(nd), head);
        });
    }
}

/// Relaxes the arcs of `v`, settled at `d` metres: every head improved within `max_m` takes
/// its new distance (and, when `TRACK`, goes into `touched` when first reached), then
/// `improved(head, previous metres, new metres)` queues it.
#[inline(always)]
fn relax_arcs<const TRACK: bool>(
    g: &WalkGraph,
    dist_m: &mut [f64],
    touched: &mut Vec<u32>,
    v: u32,
    d: f64,
    max_m: f64,
    mut improved: impl FnMut(u32, f64, f64),
) {
    for arc in g.arcs_of(v) {
        let nd = d + arc.length_m;
        let Some(dw) = dist_m.get_mut(arc.head as usize) else {
            continue;
        };
        if nd <= max_m && nd < *dw {
            let was = *dw;
            if TRACK && was.is_infinite() {
                touched.push(arc.head);
            }
            *dw = nd;
            improved(arc.head, was, nd);
        }
    }
}

/// Writes the valid seeds into `dist_m` (the smallest per node), their `(key, node)` into
/// `out` and, when `TRACK`, their nodes into `touched`; returns the nearest and the farthest
/// seed, metres.
fn place_seeds<const TRACK: bool>(
    seeds: &[(u32, f64)],
    max_m: f64,
    dist_m: &mut [f64],
    touched: &mut Vec<u32>,
    out: &mut Vec<(u32, u32)>,
) -> (f64, f64) {
    out.clear();
    let (mut near_m, mut far_m): (f64, f64) = (f64::INFINITY, 0.0);
    for &(v, d) in seeds {
        // Negative or NaN seeds are ignored.
        if d.is_nan() || d < 0.0 || d > max_m {
            continue;
        }
        let Some(dv) = dist_m.get_mut(v as usize) else {
            continue;
        };
        if d < *dv {
            if TRACK && dv.is_infinite() {
                touched.push(v);
            }
            *dv = d;
            out.push((key(d), v));
            near_m = near_m.min(d);
            far_m = far_m.max(d);
        }
    }
    (near_m.min(far_m), far_m)
}

/// Runs the search from placed seeds (metres `lo_m..=hi_m`) with the bucket queue when it
/// fits, else the radix heap.
#[allow(clippy::too_many_arguments)]
fn search_from<const TRACK: bool>(
    g: &WalkGraph,
    dist_m: &mut [f64],
    touched: &mut Vec<u32>,
    seeds: &[(u32, u32)],
    (lo_m, hi_m): (f64, f64),
    max_m: f64,
    heap: &mut RadixHeap,
    buckets: &mut BucketQueue,
) {
    match bucket_plan(g, lo_m, hi_m, max_m) {
        Some((n, per_m)) => {
            // The unit is at most the shortest edge: no node improves into the key being
            // settled, so no `queued` flags are needed (see `settle_buckets`).
            let flags = 1.0 / per_m > g.shortest_edge_m();
            let nodes = if flags { dist_m.len() } else { 0 };
            buckets.reset(n, nodes, per_m, (lo_m * per_m) as u32);
            for &(_, v) in seeds {
                if let Some(&d) = dist_m.get(v as usize) {
                    let k = buckets.key(d);
                    if flags {
                        buckets.push(k, v);
                    } else {
                        buckets.push_unflagged(k, v);
                    }
                }
            }
            if flags {
                settle_buckets::<TRACK, true>(g, dist_m, touched, buckets, max_m);
            } else {
                settle_buckets::<TRACK, false>(g, dist_m, touched, buckets, max_m);
            }
        }
        None => {
            heap.clear();
            for &(k, v) in seeds {
                heap.push(k, v);
            }
            settle::<_, TRACK>(g, dist_m, touched, heap, max_m);
        }
    }
}

impl Search {
    /// State for a graph of `nodes` nodes.
    pub fn new(nodes: usize) -> Self {
        Self {
            dist_m: vec![f64::INFINITY; nodes],
            touched: Vec::new(),
            heap: RadixHeap::new(),
            buckets: BucketQueue::default(),
            seeds: Vec::new(),
        }
    }

    /// Runs Dijkstra from `seeds` (node, metres already walked), settling nodes up to `max_m`
    /// (`f64::INFINITY` for the whole component). Distances of the previous run are cleared.
    pub fn run(&mut self, g: &WalkGraph, seeds: &[(u32, f64)], max_m: f64) {
        for &v in &self.touched {
            if let Some(d) = self.dist_m.get_mut(v as usize) {
                *d = f64::INFINITY;
            }
        }
        self.touched.clear();
        if self.dist_m.len() < g.node_count() {
            self.dist_m.resize(g.node_count(), f64::INFINITY);
        }
        let Search {
            dist_m,
            touched,
            heap,
            buckets,
            seeds: placed,
        } = self;
        let span_m = place_seeds::<true>(seeds, max_m, dist_m, touched, placed);
        search_from::<true>(g, dist_m, touched, placed, span_m, max_m, heap, buckets);
    }

    /// The distances from `seeds` to every node of `g`, unbounded (infinite when unreached):
    /// one search on fresh buffers, without the list of reached nodes a reusable
    /// [`Search::run`] keeps. The same distances as [`Search::run`] with an infinite bound.
    /// (The nearest-actor fields use [`super::field`], in millimetres, for speed; this is their
    /// exact `f64` reference.)
    pub fn full_field(g: &WalkGraph, seeds: &[(u32, f64)]) -> Vec<f64> {
        let mut dist_m = vec![f64::INFINITY; g.node_count()];
        let (mut none, mut placed) = (Vec::new(), Vec::new());
        let span_m =
            place_seeds::<false>(seeds, f64::INFINITY, &mut dist_m, &mut none, &mut placed);
        search_from::<false>(
            g,
            &mut dist_m,
            &mut none,
            &placed,
            span_m,
            f64::INFINITY,
            &mut RadixHeap::new(),
            &mut BucketQueue::default(),
        );
        dist_m
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

    /// The same search with the radix heap forced (the fallback queue).
    fn radix_field(g: &WalkGraph, seeds: &[(u32, f64)], max_m: f64) -> Vec<f64> {
        let mut dist_m = vec![f64::INFINITY; g.node_count()];
        let (mut touched, mut placed) = (Vec::new(), Vec::new());
        place_seeds::<true>(seeds, max_m, &mut dist_m, &mut touched, &mut placed);
        let mut heap = RadixHeap::new();
        for &(k, v) in &placed {
            heap.push(k, v);
        }
        settle::<_, true>(g, &mut dist_m, &mut touched, &mut heap, max_m);
        dist_m
    }

    /// A synthetic lattice of `side` × `side` junctions with pseudo-random lengths (from 1 cm,
    /// below the smallest key, to 400 m; from 20 m when not `short`) and a few diagonals.
    fn random_lattice(side: u32, seed: u64, short: bool) -> WalkGraph {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let id = |i: u32, j: u32| i * side + j;
        let mut edges = Vec::new();
        for i in 0..side {
            for j in 0..side {
                let mut link = |b: u32, edges: &mut Vec<Edge>| {
                    let r = next();
                    let length_m = match r % 5 {
                        0 if short => 0.01 + (r >> 8) as f64 % 5.0 / 100.0,
                        1 => {
                            400.0 * ((r >> 8) % 1000) as f64 / 1000.0
                                + if short { 0.5 } else { 20.0 }
                        }
                        _ => 20.0 + ((r >> 8) % 10_000) as f64 / 137.0,
                    };
                    edges.push(Edge {
                        a: id(i, j),
                        b,
                        length_m,
                    });
                };
                if i + 1 < side {
                    link(id(i + 1, j), &mut edges);
                }
                if j + 1 < side {
                    link(id(i, j + 1), &mut edges);
                }
                if i + 1 < side && j + 1 < side && (i + j) % 7 == 0 {
                    link(id(i + 1, j + 1), &mut edges);
                }
            }
        }
        let n = (side * side) as usize;
        WalkGraph::from_edges(vec![[0.0, 0.0]; n], (0..n as i64).collect(), edges)
    }

    #[test]
    fn the_bucket_queue_gives_the_radix_heaps_distances_bit_for_bit() {
        for (seed, short) in [
            (1u64, true),
            (0x9e37_79b9, true),
            (12_345, false),
            (7, false),
        ] {
            let g = random_lattice(40, seed, short);
            // 1/16 m keys with edges below them (label correction), else 16 m keys.
            let per_m = if short { 16.0 } else { 1.0 / 16.0 };
            assert_eq!(
                bucket_plan(&g, 0.0, 0.0, f64::INFINITY).map(|p| p.1),
                Some(per_m)
            );
            assert!(bucket_plan(&g, 0.0, 0.0, f64::INFINITY).is_some());
            let seeds = [(5u32, 0.0), (777, 13.25), (1_500, 0.03), (1_500, 2.0)];
            for max_m in [f64::INFINITY, 150.0] {
                let mut s = Search::new(g.node_count());
                s.run(&g, &seeds, max_m);
                let radix = radix_field(&g, &seeds, max_m);
                let dial: Vec<f64> = (0..g.node_count() as u32).map(|v| s.dist_m(v)).collect();
                assert_eq!(dial.len(), radix.len());
                for (v, (a, b)) in dial.iter().zip(&radix).enumerate() {
                    assert_eq!(
                        a.to_bits(),
                        b.to_bits(),
                        "seed {seed}, node {v}: {a} vs {b}"
                    );
                }
                if max_m.is_infinite() {
                    assert!(dial.iter().all(|d| d.is_finite()));
                    assert_eq!(Search::full_field(&g, &seeds), radix);
                } else {
                    assert!(dial.iter().any(|d| d.is_infinite()));
                    assert_eq!(
                        s.reached().len(),
                        dial.iter().filter(|d| d.is_finite()).count()
                    );
                }
                // Reused state: a second run from elsewhere equals a fresh one.
                s.run(&g, &[(1_599, 1.0)], f64::INFINITY);
                assert_eq!(
                    (0..g.node_count() as u32)
                        .map(|v| s.dist_m(v))
                        .collect::<Vec<_>>(),
                    radix_field(&g, &[(1_599, 1.0)], f64::INFINITY)
                );
            }
        }
    }

    #[test]
    fn the_bucket_width_follows_the_shortest_edge_and_long_edges_take_the_radix_heap() {
        let path = |xs: &[f64]| {
            let pts: Vec<[f64; 2]> = xs.iter().map(|&x| [x, 0.0]).collect();
            let pairs: Vec<(u32, u32)> = (1..xs.len() as u32).map(|i| (i - 1, i)).collect();
            WalkGraph::from_parts(pts, &pairs)
        };
        // Shortest edge 36.6 m: 32 m keys; 3 m: 2 m keys; 1 cm: 1/16 m keys.
        let (n, per_m) = bucket_plan(&path(&[0.0, 36.6, 100.0]), 0.0, 0.0, 1e9).unwrap();
        assert_eq!((n, per_m), (4, 1.0 / 32.0));
        assert_eq!(
            bucket_plan(&path(&[0.0, 3.0, 100.0]), 0.0, 0.0, 1e9)
                .unwrap()
                .1,
            0.5
        );
        assert_eq!(
            bucket_plan(&path(&[0.0, 0.01, 9.0]), 0.0, 0.0, 1e9)
                .unwrap()
                .1,
            16.0
        );
        // Seeds 5 km apart widen the circle.
        let (n, _) = bucket_plan(&path(&[0.0, 36.6, 100.0]), 0.0, 5_000.0, 1e9).unwrap();
        assert_eq!(n, 256);
        // Too long an edge for 1/16 m keys: the radix heap runs.
        let g = path(&[0.0, 0.01, 20_000.0]);
        assert_eq!(bucket_plan(&g, 0.0, 0.0, f64::INFINITY), None);
        let mut s = Search::new(3);
        s.run(&g, &[(0, 0.0)], f64::INFINITY);
        assert_eq!(s.dist_m(2), 20_000.0);
    }
}
