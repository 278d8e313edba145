//! Walking on real streets: an OpenStreetMap pedestrian network, when the territory's manifest
//! names an extract (`[walking] osm = "region.osm.pbf"`, also `.osm` and `.osm.gz`).
//!
//! - [`rules`]: which ways a pedestrian may use (`highway`, `foot`, `access`);
//! - [`osm`]: reading the walkable ways of a PBF or XML extract;
//! - [`graph`]: the compact graph (CSR adjacency) in Lambert-93 metres, clipped to the territory;
//! - [`contract`]: the searched graph, degree-2 nodes contracted into chains of exact length;
//! - [`edge_grid`]: a uniform grid of edges answering nearest-edge queries exactly as the R-tree;
//! - [`snap`]: snapping points to the nearest edge within [`snap::DEFAULT_MAX_SNAP_M`] (200 m);
//! - [`dijkstra`]: bounded one-to-all and multi-source shortest distances (bucket queue) on the
//!   contracted graph;
//! - [`field`]: distance fields to the nearest of many seeds over the whole contracted graph, in
//!   integer millimetres (half the memory read per node);
//! - [`model`]: [`WalkModel`], the choice between this network and the straight line, which
//!   every access computation goes through.
//!
//! Walking time on the network = (straight line from the origin to its snapped point + network
//! distance + straight line from the destination's snapped point) / walking speed: no detour
//! factor, the streets are the detour. A point farther than the snapping distance from every
//! edge, or a pair of points in different components, falls back to the straight line × the
//! detour factor (the model without an extract), and is counted.
//!
//! Limits: the network is undirected (no `oneway:foot`), has no elevation (steps and slopes
//! walk at the flat speed), no crossing times at junctions, and ignores `area=yes` pedestrian
//! squares' interior (walked along their outline). An extract is read whole into memory: a
//! regional PBF of a few hundred megabytes is fine, the planet is not.

pub mod contract;
pub mod dijkstra;
pub mod edge_grid;
pub mod error;
pub mod field;
pub mod graph;
pub mod model;
pub mod osm;
pub mod params;
pub mod rules;
pub mod snap;

use geo::{Point, Rect};
use rstar::RTree;

pub use contract::Core;
pub use dijkstra::Search;
pub use error::OsmError;
pub use field::FieldGraph;
pub use graph::{BuildStats, WalkGraph};
pub use model::{NetworkWalk, WalkModel};
pub use params::WalkParams;
pub use snap::Snapped;

use crate::crs::Lambert93;

/// A pedestrian network ready for queries: the graph, its R-tree and its grid of snapping
/// edges, and the snapping distance.
#[derive(Debug)]
pub struct WalkNetwork {
    /// The graph.
    pub graph: WalkGraph,
    /// The contracted graph searches run on (see [`contract`]).
    pub core: Core,
    /// The core in integer millimetres, for distance fields (see [`field`]).
    pub fields: FieldGraph,
    /// What the build read and kept.
    pub stats: BuildStats,
    /// The extract, as named to the user.
    pub file: String,
    /// Largest point-to-edge distance for snapping, metres (default 200).
    pub max_snap_m: f64,
    tree: RTree<snap::EdgeEntry>,
    grid: Option<edge_grid::EdgeGrid>,
}

impl WalkNetwork {
    /// Reads an extract held in memory (format from `file`'s name) and builds its network,
    /// clipped to a WGS84 rectangle when given.
    ///
    /// # Errors
    /// [`OsmError`] for an unreadable or malformed file, and [`OsmError::NoUsableWay`] when no
    /// walkable edge is left in the rectangle.
    pub fn from_osm(
        file: &str,
        bytes: Vec<u8>,
        clip_wgs84: Option<&Rect>,
        l93: &Lambert93,
    ) -> Result<WalkNetwork, OsmError> {
        let osm = osm::read_walkable(file, bytes)?;
        let (graph, stats) = WalkGraph::build(&osm, clip_wgs84, l93);
        if graph.edges.is_empty() {
            return Err(OsmError::NoUsableWay {
                file: file.to_owned(),
                highways: stats.highway_ways,
                walkable: stats.walkable_ways,
            });
        }
        Ok(Self::from_graph(graph, stats, file))
    }

    /// A network over an already built graph.
    pub fn from_graph(graph: WalkGraph, stats: BuildStats, file: &str) -> WalkNetwork {
        let targets = snap::target_edges(&graph);
        let tree = snap::edge_tree(&graph, &targets);
        let grid = edge_grid::EdgeGrid::build(&graph, &targets);
        let core = Core::contract(&graph);
        let fields = FieldGraph::of(&core.graph);
        WalkNetwork {
            graph,
            core,
            fields,
            stats,
            file: file.to_owned(),
            max_snap_m: snap::DEFAULT_MAX_SNAP_M,
            tree,
            grid,
        }
    }

    /// Snaps a Lambert-93 point to the nearest edge within [`WalkNetwork::max_snap_m`].
    pub fn snap(&self, p: Point) -> Option<Snapped> {
        snap::snap(
            &self.graph,
            &self.core,
            &self.tree,
            self.grid.as_ref(),
            [p.x(), p.y()],
            self.max_snap_m,
        )
    }

    /// [`WalkNetwork::snap`] of many points, in order (the same snaps, read with prefetch hints:
    /// see [`snap::snap_many`]), spread over the cores.
    pub fn snap_many(&self, points: &[Point]) -> Vec<Option<Snapped>> {
        crate::parallel::par_chunks(points, |part| self.snap_batch(part))
    }

    /// [`WalkNetwork::snap_many`] on the calling thread.
    pub fn snap_batch(&self, points: &[Point]) -> Vec<Option<Snapped>> {
        snap::snap_many(
            &self.graph,
            &self.core,
            &self.tree,
            self.grid.as_ref(),
            points,
            self.max_snap_m,
        )
    }

    /// [`WalkNetwork::snap`] by the R-tree alone (the reference the edge grid is tested
    /// against; the same result).
    pub fn snap_by_tree(&self, p: Point) -> Option<Snapped> {
        snap::snap(
            &self.graph,
            &self.core,
            &self.tree,
            None,
            [p.x(), p.y()],
            self.max_snap_m,
        )
    }

    /// A fresh search state sized for this network's contracted graph.
    pub fn search(&self) -> Search {
        Search::new(self.core.graph.node_count())
    }

    /// Network walking metres between two snapped points, searching up to `max_m`; `None` when
    /// farther (or in another component).
    pub fn distance_m(
        &self,
        search: &mut Search,
        from: &Snapped,
        to: &Snapped,
        max_m: f64,
    ) -> Option<f64> {
        search.run_from(self, from, max_m);
        let d = search.dist_to_m(to);
        let d = from.same_chain_m(to).map_or(d, |s| s.min(d));
        (d <= max_m).then_some(d)
    }
}
