//! Contraction of degree-2 nodes: the searched graph keeps only the *core* nodes (junctions,
//! dead ends, and one node per isolated ring), and every maximal run of edges through
//! degree-2 nodes becomes one *chain* edge whose length is the exact sum of its edges' lengths.
//!
//! OpenStreetMap ways carry many shape vertices (a curved street, a footway's bends) that are
//! junctions of nothing: a shortest path entering a chain leaves it at its other end, so the
//! distances between core nodes are the same on both graphs, and a point snapped onto an
//! original edge reaches the chain's two ends along the chain (its position on the chain is the
//! sum of the edges before its own plus its position on the edge). The original graph is kept
//! for snapping (exact geometry) and for the load report; searches run on the core.

use super::graph::{Edge, WalkGraph};

/// A chain: a maximal run of original edges between two core nodes through degree-2 nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chain {
    /// Core index of the chain's start.
    pub u: u32,
    /// Core index of the chain's end (equal to `u` for a ring).
    pub w: u32,
    /// Length, metres: the sum of its edges' lengths.
    pub length_m: f64,
}

/// Where an original edge lies on its chain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeOnChain {
    /// Chain index.
    pub chain: u32,
    /// Distance along the chain from its start `u` to the edge's end `a`, metres.
    pub a_m: f64,
    /// Whether going from `a` to `b` walks away from the chain's start.
    pub forward: bool,
}

/// The contracted graph and the mapping of original edges onto its chains.
#[derive(Debug, Clone, Default)]
pub struct Core {
    /// The contracted graph: core nodes, one edge per chain between distinct ends.
    pub graph: WalkGraph,
    /// Core index of each original node (`u32::MAX` when contracted away).
    pub core_of: Vec<u32>,
    /// Every chain, rings included.
    pub chains: Vec<Chain>,
    /// Per original edge, its place on its chain.
    pub edges: Vec<EdgeOnChain>,
}

impl Core {
    /// Contracts `g` (see the module docs).
    pub fn contract(g: &WalkGraph) -> Core {
        let n = g.node_count();
        let m = g.edges.len();
        // Incident edges of every node (CSR).
        let mut offsets = vec![0u32; n + 1];
        for e in &g.edges {
            offsets[e.a as usize + 1] += 1;
            offsets[e.b as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut incident = vec![0u32; 2 * m];
        for (i, e) in g.edges.iter().enumerate() {
            for v in [e.a, e.b] {
                incident[fill[v as usize] as usize] = i as u32;
                fill[v as usize] += 1;
            }
        }
        let incident_of = |v: u32| {
            let v = v as usize;
            &incident[offsets[v] as usize..offsets[v + 1] as usize]
        };
        let mut is_core: Vec<bool> = (0..n as u32).map(|v| incident_of(v).len() != 2).collect();
        let unset = EdgeOnChain {
            chain: u32::MAX,
            a_m: 0.0,
            forward: true,
        };
        let mut on_chain = vec![unset; m];
        // (start node, end node, length), original indices.
        let mut runs: Vec<(u32, u32, f64)> = Vec::new();
        let mut trace = |start: u32, first: u32, is_core: &[bool], on_chain: &mut [EdgeOnChain]| {
            let c = runs.len() as u32;
            let (mut cur, mut e, mut pos) = (start, first, 0.0);
            loop {
                let edge = g.edges[e as usize];
                let forward = edge.a == cur;
                let next = if forward { edge.b } else { edge.a };
                on_chain[e as usize] = EdgeOnChain {
                    chain: c,
                    a_m: if forward { pos } else { pos + edge.length_m },
                    forward,
                };
                pos += edge.length_m;
                if is_core[next as usize] {
                    runs.push((start, next, pos));
                    return;
                }
                // A degree-2 node: leave by its other edge.
                let Some(&other) = incident_of(next).iter().find(|&&x| x != e) else {
                    runs.push((start, next, pos));
                    return;
                };
                cur = next;
                e = other;
            }
        };
        for v in 0..n as u32 {
            if !is_core[v as usize] {
                continue;
            }
            for &e in incident_of(v) {
                if on_chain[e as usize].chain == u32::MAX {
                    trace(v, e, &is_core, &mut on_chain);
                }
            }
        }
        // Rings of degree-2 nodes only: one of their nodes becomes core.
        for e in 0..m as u32 {
            if on_chain[e as usize].chain == u32::MAX {
                let v = g.edges[e as usize].a;
                is_core[v as usize] = true;
                trace(v, e, &is_core, &mut on_chain);
            }
        }
        // Core nodes numbered along a Hilbert curve over their positions, so that nodes near
        // each other on the ground are near each other in memory (a search's frontier reads
        // neighbouring distances and arcs; OpenStreetMap's own order is by way, not by place).
        let mut order: Vec<u32> = (0..n as u32).filter(|&v| is_core[v as usize]).collect();
        let keys = hilbert_keys(&g.points_l93);
        order.sort_by_key(|&v| (keys[v as usize], v));
        let mut core_of = vec![u32::MAX; n];
        let mut points_l93 = Vec::with_capacity(order.len());
        let mut osm_ids = Vec::with_capacity(order.len());
        for &v in &order {
            let v = v as usize;
            core_of[v] = points_l93.len() as u32;
            points_l93.push(g.points_l93[v]);
            osm_ids.push(g.osm_ids.get(v).copied().unwrap_or(v as i64));
        }
        let chains: Vec<Chain> = runs
            .iter()
            .map(|&(s, t, length_m)| Chain {
                u: core_of[s as usize],
                w: core_of[t as usize],
                length_m,
            })
            .collect();
        let core_edges = chains
            .iter()
            .filter(|c| c.u != c.w)
            .map(|c| Edge {
                a: c.u,
                b: c.w,
                length_m: c.length_m,
            })
            .collect();
        Core {
            graph: WalkGraph::from_edges(points_l93, osm_ids, core_edges),
            core_of,
            chains,
            edges: on_chain,
        }
    }
}

/// Each point's index along a Hilbert curve of 2^16 × 2^16 cells over the points' bounding box.
fn hilbert_keys(points_l93: &[[f64; 2]]) -> Vec<u64> {
    const SIDE: u32 = 1 << 16;
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in points_l93 {
        for i in 0..2 {
            lo[i] = lo[i].min(p[i]);
            hi[i] = hi[i].max(p[i]);
        }
    }
    let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1.0);
    let cell = |x: f64, i: usize| (((x - lo[i]) / extent) * f64::from(SIDE - 1)) as u32;
    points_l93
        .iter()
        .map(|p| hilbert_index(SIDE, cell(p[0], 0), cell(p[1], 1)))
        .collect()
}

/// The distance along the Hilbert curve of side `side` (a power of two) of cell `(x, y)`.
fn hilbert_index(side: u32, mut x: u32, mut y: u32) -> u64 {
    let mut d = 0u64;
    let mut s = side / 2;
    while s > 0 {
        let rx = u32::from(x & s != 0);
        let ry = u32::from(y & s != 0);
        d += u64::from(s) * u64::from(s) * u64::from((3 * rx) ^ ry);
        // Rotate the quadrant so that the curve inside it starts and ends where it should.
        if ry == 0 {
            if rx == 1 {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_keep_lengths_and_rings_get_one_core_node() {
        // A junction 0 with three arms: 0-1-2 (bent), 0-3, and a ring 0-4-5-0; apart, a ring
        // 6-7-8-6 of degree-2 nodes only.
        let g = WalkGraph::from_parts(
            vec![
                [0.0, 0.0],
                [3.0, 4.0],
                [6.0, 0.0],
                [-10.0, 0.0],
                [0.0, 10.0],
                [10.0, 10.0],
                [100.0, 0.0],
                [103.0, 4.0],
                [106.0, 0.0],
            ],
            &[
                (0, 1),
                (1, 2),
                (3, 0),
                (0, 4),
                (4, 5),
                (5, 0),
                (6, 7),
                (7, 8),
                (8, 6),
            ],
        );
        let core = Core::contract(&g);
        // Core: 0 (degree 4), 2 and 3 (dead ends), 6 (the isolated ring's).
        let kept: Vec<usize> = (0..9).filter(|&v| core.core_of[v] != u32::MAX).collect();
        assert_eq!(kept, vec![0, 2, 3, 6]);
        assert_eq!(core.graph.node_count(), 4);
        // Arm 0-1-2: 5 + 5 m; the edge 1-2 starts 5 m from 0.
        let arm = core.edges[1];
        assert_eq!(core.edges[0].chain, arm.chain);
        let c = core.chains[arm.chain as usize];
        assert_eq!(c.length_m, 10.0);
        assert_eq!((arm.a_m, arm.forward), (5.0, true));
        // Edge (3, 0) is walked from 0: its end `a` = 3 is 10 m along.
        assert_eq!((core.edges[2].a_m, core.edges[2].forward), (10.0, false));
        // The ring through 0 is one chain from 0 back to 0, not a core edge.
        let ring = core.chains[core.edges[3].chain as usize];
        assert_eq!((ring.u, ring.w), (core.core_of[0], core.core_of[0]));
        assert!((ring.length_m - (10.0 + 10.0 + 200f64.sqrt())).abs() < 1e-9);
        assert_eq!(core.graph.edges.len(), 2);
        assert_eq!(core.chains.len(), 4);
    }

    #[test]
    fn the_hilbert_curve_visits_every_cell_once_moving_one_step_at_a_time() {
        let side = 8;
        let mut by_index = vec![(u32::MAX, u32::MAX); 64];
        for x in 0..side {
            for y in 0..side {
                let d = hilbert_index(side, x, y) as usize;
                assert_eq!(by_index[d], (u32::MAX, u32::MAX), "index {d} twice");
                by_index[d] = (x, y);
            }
        }
        for w in by_index.windows(2) {
            let step = w[0].0.abs_diff(w[1].0) + w[0].1.abs_diff(w[1].1);
            assert_eq!(step, 1, "{:?} → {:?}", w[0], w[1]);
        }
    }
}
