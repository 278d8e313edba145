//! The pedestrian graph: OpenStreetMap way vertices as nodes in Lambert-93 metres, consecutive
//! vertices of a walkable way as undirected edges, stored as a compressed sparse row (CSR)
//! adjacency: `offsets[v]..offsets[v + 1]` indexes the arcs leaving `v` in `arcs`, each arc its
//! head and its length side by side in 12 bytes (a junction's four arcs in 48 bytes, which a
//! search reads together: searches are bound by that memory read). Every edge is two arcs
//! (pedestrians walk both ways).
//!
//! Clipping keeps the edges with at least one end inside the territory's extent plus its margin
//! (WGS84 rectangle), so streets crossing the border are whole. Each edge's length is the
//! Lambert-93 planar distance of its ends (scale error below 0.1 % over metropolitan France; the
//! Lambert conformal conic's scale depends on latitude only, ~1.5 % at 37° N for the Beatty
//! fixture).

use geo::Rect;

use crate::crs::Lambert93;

use super::osm::OsmWalkable;

/// An undirected edge: two node indices and its length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// First end.
    pub a: u32,
    /// Second end.
    pub b: u32,
    /// Length in metres (Lambert-93 planar).
    pub length_m: f64,
}

/// Counts of a build, for the load report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct BuildStats {
    /// Ways with a `highway` tag in the file.
    pub highway_ways: usize,
    /// Walkable ways among them (see [`super::rules`]).
    pub walkable_ways: usize,
    /// Walkable ways with at least one edge in the extent.
    pub ways_kept: usize,
    /// Way vertices whose node is not in the file (the edges touching them are dropped).
    pub missing_nodes: usize,
    /// Graph nodes.
    pub nodes: usize,
    /// Undirected edges.
    pub edges: usize,
    /// Total edge length, metres.
    pub length_m: f64,
    /// Nodes of the largest connected component.
    pub largest_component_nodes: usize,
}

/// The pedestrian graph (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct WalkGraph {
    /// Node positions, Lambert-93 metres.
    pub points_l93: Vec<[f64; 2]>,
    /// OpenStreetMap id of each node.
    pub osm_ids: Vec<i64>,
    /// Undirected edges.
    pub edges: Vec<Edge>,
    /// Connected component of each node (0 = the largest).
    pub component: Vec<u32>,
    /// Node count of each component, largest first.
    pub component_sizes: Vec<u32>,
    offsets: Vec<u32>,
    arcs: Vec<Arc>,
    /// The longest edge, metres (sizes the search's bucket queue).
    longest_edge_m: f64,
    /// The shortest edge, metres (sizes the search's bucket width).
    shortest_edge_m: f64,
    /// The sum of the edges' lengths, metres: no shortest path is longer.
    total_length_m: f64,
}

/// An arc of the CSR adjacency: its head node and its length, packed in 12 bytes (a junction's
/// four arcs in 48 bytes; fields are read by value).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[repr(C, packed(4))]
pub(crate) struct Arc {
    /// The node the arc leads to.
    pub(crate) head: u32,
    /// Length in metres.
    pub(crate) length_m: f64,
}

impl WalkGraph {
    /// Builds the graph from the walkable ways, clipped to a WGS84 rectangle when given.
    ///
    /// Edges whose ends project outside Lambert-93's domain or coincide are dropped.
    pub fn build(
        osm: &OsmWalkable,
        clip_wgs84: Option<&Rect>,
        l93: &Lambert93,
    ) -> (WalkGraph, BuildStats) {
        let mut stats = BuildStats {
            highway_ways: osm.highway_ways,
            walkable_ways: osm.ways.len(),
            ..BuildStats::default()
        };
        let inside = |lon: f64, lat: f64| {
            clip_wgs84.is_none_or(|r| {
                lon >= r.min().x && lon <= r.max().x && lat >= r.min().y && lat <= r.max().y
            })
        };
        // Node slot in `osm.nodes` → graph index (u32::MAX = not yet used).
        let mut index = vec![u32::MAX; osm.nodes.len()];
        let mut g = WalkGraph::default();
        let mut add = |slot: usize, g: &mut WalkGraph| -> Option<u32> {
            if index[slot] != u32::MAX {
                return Some(index[slot]);
            }
            let n = osm.nodes[slot];
            let p = l93
                .from_wgs84(geo::Coord {
                    x: n.lon(),
                    y: n.lat(),
                })
                .ok()
                .filter(|c| c.x.is_finite() && c.y.is_finite())?;
            let i = g.points_l93.len() as u32;
            g.points_l93.push([p.x, p.y]);
            g.osm_ids.push(n.id);
            index[slot] = i;
            Some(i)
        };
        let slot_of = |id: i64| osm.nodes.binary_search_by_key(&id, |n| n.id).ok();
        for way in &osm.ways {
            let mut kept = false;
            let mut prev: Option<usize> = None;
            for &r in &way.refs {
                let Some(slot) = slot_of(r) else {
                    stats.missing_nodes += 1;
                    prev = None;
                    continue;
                };
                if let Some(p) = prev {
                    let (na, nb) = (osm.nodes[p], osm.nodes[slot]);
                    if p != slot
                        && (inside(na.lon(), na.lat()) || inside(nb.lon(), nb.lat()))
                        && let (Some(a), Some(b)) = (add(p, &mut g), add(slot, &mut g))
                    {
                        let [xa, ya] = g.points_l93[a as usize];
                        let [xb, yb] = g.points_l93[b as usize];
                        let length_m = (xa - xb).hypot(ya - yb);
                        if length_m > 0.0 {
                            g.edges.push(Edge { a, b, length_m });
                            kept = true;
                        }
                    }
                }
                prev = Some(slot);
            }
            if kept {
                stats.ways_kept += 1;
            }
        }
        g.index_arcs();
        g.label_components();
        stats.nodes = g.node_count();
        stats.edges = g.edges.len();
        stats.length_m = g.edges.iter().map(|e| e.length_m).sum();
        stats.largest_component_nodes = g.component_sizes.first().map_or(0, |&s| s as usize);
        (g, stats)
    }

    /// A graph from positions and edges (Lambert-93 metres; lengths are recomputed), for
    /// synthetic test and benchmark networks.
    pub fn from_parts(points_l93: Vec<[f64; 2]>, pairs: &[(u32, u32)]) -> WalkGraph {
        let n = points_l93.len() as u32;
        let edges = pairs
            .iter()
            .filter(|&&(a, b)| a != b && a < n && b < n)
            .map(|&(a, b)| {
                let [xa, ya] = points_l93[a as usize];
                let [xb, yb] = points_l93[b as usize];
                Edge {
                    a,
                    b,
                    length_m: (xa - xb).hypot(ya - yb),
                }
            })
            .collect();
        Self::from_edges(points_l93, (0..i64::from(n)).collect(), edges)
    }

    /// A graph from positions, identifiers and edges whose lengths are given (the contracted
    /// graph's chains).
    pub(crate) fn from_edges(
        points_l93: Vec<[f64; 2]>,
        osm_ids: Vec<i64>,
        edges: Vec<Edge>,
    ) -> WalkGraph {
        let mut g = WalkGraph {
            osm_ids,
            points_l93,
            edges,
            ..WalkGraph::default()
        };
        g.index_arcs();
        g.label_components();
        g
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.points_l93.len()
    }

    /// The arcs leaving `v`: (head node, length in metres).
    pub fn arcs(&self, v: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.arcs_of(v).iter().map(|a| (a.head, a.length_m))
    }

    /// The arcs leaving `v` as stored (empty for an unknown node).
    pub(crate) fn arcs_of(&self, v: u32) -> &[Arc] {
        let v = v as usize;
        match (self.offsets.get(v), self.offsets.get(v + 1)) {
            (Some(&s), Some(&e)) => self.arcs.get(s as usize..e as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Fills the CSR arrays from `edges`.
    fn index_arcs(&mut self) {
        let n = self.node_count();
        let mut degree = vec![0u32; n + 1];
        for e in &self.edges {
            degree[e.a as usize + 1] += 1;
            degree[e.b as usize + 1] += 1;
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let mut fill = degree.clone();
        let arcs = 2 * self.edges.len();
        self.arcs = vec![Arc::default(); arcs];
        for e in &self.edges {
            for (from, to) in [(e.a, e.b), (e.b, e.a)] {
                let k = fill[from as usize] as usize;
                self.arcs[k] = Arc {
                    head: to,
                    length_m: e.length_m,
                };
                fill[from as usize] += 1;
            }
        }
        self.offsets = degree;
        self.longest_edge_m = self.edges.iter().map(|e| e.length_m).fold(0.0, f64::max);
        self.shortest_edge_m = self
            .edges
            .iter()
            .map(|e| e.length_m)
            .fold(f64::INFINITY, f64::min);
        self.total_length_m = self.edges.iter().map(|e| e.length_m).sum();
    }

    /// The longest edge, metres (0 without edges).
    pub fn longest_edge_m(&self) -> f64 {
        self.longest_edge_m
    }

    /// The shortest edge, metres (infinite without edges).
    pub fn shortest_edge_m(&self) -> f64 {
        self.shortest_edge_m
    }

    /// The sum of the edges' lengths, metres (a bound of every shortest path).
    pub fn total_length_m(&self) -> f64 {
        self.total_length_m
    }

    /// Connected components by union-find, renumbered largest first.
    fn label_components(&mut self) {
        let n = self.node_count();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        for e in &self.edges {
            let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
            if ra != rb {
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
        let roots: Vec<u32> = (0..n as u32).map(|v| find(&mut parent, v)).collect();
        let mut size = vec![0u32; n];
        for &r in &roots {
            size[r as usize] += 1;
        }
        let mut order: Vec<u32> = (0..n as u32).filter(|&r| size[r as usize] > 0).collect();
        order.sort_by_key(|&r| (std::cmp::Reverse(size[r as usize]), r));
        let mut label = vec![0u32; n];
        for (k, &r) in order.iter().enumerate() {
            label[r as usize] = k as u32;
        }
        self.component = roots.iter().map(|&r| label[r as usize]).collect();
        self.component_sizes = order.iter().map(|&r| size[r as usize]).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csr_lists_both_directions_and_components_are_largest_first() {
        // A triangle (0, 1, 2) and a separate edge (3, 4).
        let g = WalkGraph::from_parts(
            vec![
                [0.0, 0.0],
                [3.0, 0.0],
                [3.0, 4.0],
                [100.0, 0.0],
                [101.0, 0.0],
            ],
            &[(0, 1), (1, 2), (2, 0), (3, 4)],
        );
        let mut from2: Vec<(u32, f64)> = g.arcs(2).collect();
        from2.sort_by_key(|a| a.0);
        assert_eq!(from2, vec![(0, 5.0), (1, 4.0)]);
        assert_eq!(g.component_sizes, vec![3, 2]);
        assert_eq!(g.component, vec![0, 0, 0, 1, 1]);
        assert_eq!(g.arcs(99).count(), 0);
    }
}
