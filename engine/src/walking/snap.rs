//! Snapping points to the pedestrian graph: the nearest edge within a distance, split at the
//! foot of the perpendicular (a virtual node on the edge).
//!
//! Only edges of connected components of at least [`MIN_COMPONENT_NODES`] nodes (or of the
//! largest component, when it is smaller) are snapping targets, so that an origin is not stuck
//! on a courtyard footway or a fragment cut by the extract's border. The walk from the point to
//! the edge is the straight line (`offset_m`), walked at the same speed.

use geo::Point;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use super::contract::Core;
use super::edge_grid::{EdgeGrid, Nearest};
use super::graph::WalkGraph;

/// Default largest distance from a point to the network for it to be snapped, metres.
pub const DEFAULT_MAX_SNAP_M: f64 = 200.0;

/// Smallest connected component whose edges are snapping targets.
pub const MIN_COMPONENT_NODES: u32 = 50;

/// An R-tree entry: an edge's segment (Lambert-93) and its index in [`WalkGraph::edges`].
pub type EdgeEntry = GeomWithData<Line<[f64; 2]>, u32>;

/// A point snapped onto an edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapped {
    /// Edge index.
    pub edge: u32,
    /// The edge's first end.
    pub a: u32,
    /// The edge's second end.
    pub b: u32,
    /// Distance along the edge from `a` to the virtual node, metres.
    pub along_m: f64,
    /// The edge's length, metres.
    pub length_m: f64,
    /// Straight-line distance from the point to the virtual node, metres.
    pub offset_m: f64,
    /// The chain of the contracted graph holding the edge (see [`super::contract`]).
    pub chain: u32,
    /// The chain's start, core node index.
    pub u: u32,
    /// The chain's end, core node index.
    pub w: u32,
    /// Distance along the chain from `u` to the virtual node, metres.
    pub chain_m: f64,
    /// The chain's length, metres.
    pub chain_length_m: f64,
}

impl Snapped {
    /// Walking metres from the point to `a` and to `b` through the virtual node.
    pub fn to_ends_m(&self) -> [(u32, f64); 2] {
        [
            (self.a, self.offset_m + self.along_m),
            (self.b, self.offset_m + (self.length_m - self.along_m)),
        ]
    }

    /// Walking metres from the point to the two ends of its chain on the contracted graph
    /// (`u`, `w`, core indices): the seeds of searches.
    pub fn to_core_ends_m(&self) -> [(u32, f64); 2] {
        [
            (self.u, self.offset_m + self.chain_m),
            (self.w, self.offset_m + (self.chain_length_m - self.chain_m)),
        ]
    }

    /// Network metres between two snapped points when they share a chain (along it; a shorter
    /// way round leaves by the chain's ends and is found by the search).
    pub fn same_chain_m(&self, other: &Snapped) -> Option<f64> {
        (self.chain == other.chain)
            .then(|| self.offset_m + (self.chain_m - other.chain_m).abs() + other.offset_m)
    }

    /// Network metres between two snapped points when they share an edge (along it).
    pub fn same_edge_m(&self, other: &Snapped) -> Option<f64> {
        (self.edge == other.edge)
            .then(|| self.offset_m + (self.along_m - other.along_m).abs() + other.offset_m)
    }
}

/// The snapping target edges of `g` (edges of components large enough), by index.
pub fn target_edges(g: &WalkGraph) -> Vec<u32> {
    let min = MIN_COMPONENT_NODES.min(g.component_sizes.first().copied().unwrap_or(0));
    g.edges
        .iter()
        .enumerate()
        .filter(|(_, e)| g.component_sizes[g.component[e.a as usize] as usize] >= min)
        .map(|(i, _)| i as u32)
        .collect()
}

/// The R-tree of the target edges `targets` of `g`.
pub fn edge_tree(g: &WalkGraph, targets: &[u32]) -> RTree<EdgeEntry> {
    RTree::bulk_load(
        targets
            .iter()
            .filter_map(|&i| {
                let e = g.edges.get(i as usize)?;
                Some(GeomWithData::new(
                    Line::new(g.points_l93[e.a as usize], g.points_l93[e.b as usize]),
                    i,
                ))
            })
            .collect(),
    )
}

/// Snaps a Lambert-93 point to the nearest target edge within `max_m` (`core`: the contraction
/// of `g`): the edge of the grid when it is the unique nearest, else the R-tree's (see
/// [`super::edge_grid`]: the same edge in every case; `grid` `None`: the R-tree alone).
pub fn snap(
    g: &WalkGraph,
    core: &Core,
    tree: &RTree<EdgeEntry>,
    grid: Option<&EdgeGrid>,
    p: [f64; 2],
    max_m: f64,
) -> Option<Snapped> {
    snap_onto(g, core, nearest_edge(tree, grid, p, max_m)?, p, max_m)
}

/// How many points ahead [`snap_many`] asks for the records of their edges.
const PREFETCH_AHEAD: usize = 8;

/// [`snap`] of many points, the same result for each: first the nearest edge of every point,
/// then the snaps, asking the processor for the records of the edge of the point
/// `2 × PREFETCH_AHEAD` places on (the edge, its place on its chain) and for its ends and chain
/// `PREFETCH_AHEAD` places on (a prefetch hint reads nothing and cannot fault). Each snap reads
/// five records scattered over arrays of millions of entries, and the grid query before it a
/// few cells' offsets and entries (asked for in the same way, [`EdgeGrid::prefetch_offsets`]
/// and [`EdgeGrid::prefetch_entries`]). The 17 121
/// cells of the Métropole's grid on the Métropole-sized lattice of `benches/`, on one thread:
/// 11.3-11.9 ms, against 19.5-24.2 ms one point at a time.
pub fn snap_many(
    g: &WalkGraph,
    core: &Core,
    tree: &RTree<EdgeEntry>,
    grid: Option<&EdgeGrid>,
    points: &[Point],
    max_m: f64,
) -> Vec<Option<Snapped>> {
    use prefetch_index::prefetch_index;
    let xy = |p: &Point| [p.x(), p.y()];
    let edges: Vec<Option<u32>> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(grid) = grid {
                if let Some(q) = points.get(i + 2 * PREFETCH_AHEAD) {
                    grid.prefetch_offsets(xy(q));
                }
                if let Some(q) = points.get(i + PREFETCH_AHEAD) {
                    grid.prefetch_entries(xy(q));
                }
            }
            nearest_edge(tree, grid, xy(p), max_m)
        })
        .collect();
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(&Some(e)) = edges.get(i + 2 * PREFETCH_AHEAD) {
                prefetch_index(&g.edges, e as usize);
                prefetch_index(&core.edges, e as usize);
            }
            if let Some(&Some(e)) = edges.get(i + PREFETCH_AHEAD) {
                if let Some(edge) = g.edges.get(e as usize) {
                    prefetch_index(&g.points_l93, edge.a as usize);
                    prefetch_index(&g.points_l93, edge.b as usize);
                }
                if let Some(on) = core.edges.get(e as usize) {
                    prefetch_index(&core.chains, on.chain as usize);
                }
            }
            snap_onto(g, core, edges[i]?, xy(p), max_m)
        })
        .collect()
}

/// The nearest target edge of `p` (see [`snap`]); `None` when the grid knows none within
/// `max_m` or no edge exists (the distance limit itself is [`snap_onto`]'s).
fn nearest_edge(
    tree: &RTree<EdgeEntry>,
    grid: Option<&EdgeGrid>,
    p: [f64; 2],
    max_m: f64,
) -> Option<u32> {
    if !(p[0].is_finite() && p[1].is_finite()) {
        // Not a point of the plane (rstar's query panics on NaN): near no edge.
        return None;
    }
    match grid.map(|grid| grid.nearest(p, max_m)) {
        Some(Nearest::Far) => None,
        Some(Nearest::Unique(e)) => Some(e),
        // The single nearest neighbour (pruned search, no allocation), then the limit.
        Some(Nearest::Ambiguous) | None => Some(tree.nearest_neighbor(&p)?.data),
    }
}

/// `p` snapped onto `edge` of `g`: the foot of the perpendicular, `None` farther than `max_m`.
fn snap_onto(g: &WalkGraph, core: &Core, edge: u32, p: [f64; 2], max_m: f64) -> Option<Snapped> {
    let e = g.edges.get(edge as usize)?;
    let [xa, ya] = *g.points_l93.get(e.a as usize)?;
    let [xb, yb] = *g.points_l93.get(e.b as usize)?;
    let (dx, dy) = (xb - xa, yb - ya);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - xa) * dx + (p[1] - ya) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (fx, fy) = (xa + t * dx, ya + t * dy);
    let offset_m = (p[0] - fx).hypot(p[1] - fy);
    if offset_m > max_m {
        return None;
    }
    let along_m = t * e.length_m;
    let on = core.edges.get(edge as usize)?;
    let chain = core.chains.get(on.chain as usize)?;
    let chain_m = if on.forward {
        on.a_m + along_m
    } else {
        on.a_m - along_m
    };
    Some(Snapped {
        edge,
        a: e.a,
        b: e.b,
        along_m,
        length_m: e.length_m,
        offset_m,
        chain: on.chain,
        u: chain.u,
        w: chain.w,
        chain_m: chain_m.clamp(0.0, chain.length_m),
        chain_length_m: chain.length_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_snaps_to_the_foot_of_the_perpendicular_within_the_limit() {
        let g = WalkGraph::from_parts(vec![[0.0, 0.0], [100.0, 0.0]], &[(0, 1)]);
        let targets = target_edges(&g);
        let tree = edge_tree(&g, &targets);
        let grid = EdgeGrid::build(&g, &targets);
        let core = Core::contract(&g);
        let s = snap(&g, &core, &tree, grid.as_ref(), [30.0, 40.0], 200.0).unwrap();
        assert_eq!(snap(&g, &core, &tree, None, [30.0, 40.0], 200.0), Some(s));
        assert_eq!((s.edge, s.a, s.b), (0, 0, 1));
        assert!((s.along_m - 30.0).abs() < 1e-9 && (s.offset_m - 40.0).abs() < 1e-9);
        assert_eq!(s.to_ends_m(), [(0, 70.0), (1, 110.0)]);
        assert_eq!(s.to_core_ends_m(), [(0, 70.0), (1, 110.0)]);
        assert!(snap(&g, &core, &tree, grid.as_ref(), [30.0, 250.0], 200.0).is_none());
        assert!(snap(&g, &core, &tree, None, [30.0, 250.0], 200.0).is_none());
        // Beyond an end: the end itself.
        let s = snap(&g, &core, &tree, grid.as_ref(), [130.0, 40.0], 200.0).unwrap();
        assert!((s.along_m - 100.0).abs() < 1e-9 && (s.offset_m - 50.0).abs() < 1e-9);
    }
}
