//! The immutable, indexed dataset of a territory, built once at load and shared by `Arc`.

use std::collections::BTreeMap;

use geo::{BoundingRect, Contains, MultiPolygon, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::codes::{CommuneCode, QpvCode};
use crate::model::actor::{Actor, ActorToPlace};
use crate::model::commune::Commune;
use crate::model::qpv::Qpv;
use crate::model::transport::Transport;
use crate::model::youth::Youth;

/// An R-tree entry: a Lambert-93 bounding box and the index of the feature in its layer.
pub type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;
/// An R-tree entry: a Lambert-93 point and the index of the feature in its layer.
pub type PointEntry = GeomWithData<[f64; 2], usize>;

/// R-trees over the layers, all in Lambert-93 metres.
#[derive(Debug, Clone, Default)]
pub struct SpatialIndex {
    /// Commune bounding boxes.
    pub communes: RTree<BoxEntry>,
    /// QPV bounding boxes (all vintages).
    pub qpv: RTree<BoxEntry>,
    /// Actor points.
    pub actors: RTree<PointEntry>,
    /// Stop points (stops and stations).
    pub stops: RTree<PointEntry>,
}

/// Box entries for polygons.
pub fn box_tree<'a>(polygons: impl Iterator<Item = &'a MultiPolygon>) -> RTree<BoxEntry> {
    RTree::bulk_load(
        polygons
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect(),
    )
}

/// Point entries.
pub fn point_tree<'a>(points: impl Iterator<Item = &'a Point>) -> RTree<PointEntry> {
    RTree::bulk_load(
        points
            .enumerate()
            .map(|(i, p)| GeomWithData::new([p.x(), p.y()], i))
            .collect(),
    )
}

/// A loaded territory. Every layer is sorted by its code or id, so outputs are deterministic.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Territory name.
    pub name: String,
    /// SIREN of the EPCI, when the territory is one.
    pub epci: Option<String>,
    /// Département code, when given.
    pub departement: Option<String>,
    /// A short hash of the loaded content: changes whenever the data change (cache keys).
    pub version: String,
    /// Vintage of commune populations.
    pub population_vintage: Option<u16>,
    /// Member communes, sorted by code.
    pub communes: Vec<Commune>,
    /// Every commune code the sources know (members and neighbours) → name.
    pub known_communes: BTreeMap<CommuneCode, String>,
    /// QPV of all vintages, sorted by (vintage, code).
    pub qpv: Vec<Qpv>,
    /// Placed actors, sorted by id: the only ones distances, the accessibility index, gaps and
    /// coverage use.
    pub actors: Vec<Actor>,
    /// Actors known by address and commune only, sorted by id: counted in their commune's
    /// inventory, listed "à localiser", left out of every distance until placed.
    pub actors_to_place: Vec<ActorToPlace>,
    /// The communes' WGS84 bounding box grown by the territory's margin: where an actor may lie
    /// (`None` for a dataset built by hand).
    pub extent_wgs84: Option<Rect>,
    /// Public transport, when configured.
    pub transport: Option<Transport>,
    /// Youth data.
    pub youth: Youth,
    /// Counts of young people already followed, and the national order of magnitude.
    pub followup: crate::model::followup::Followup,
    /// The structures the manifest declares suitable to host a permanence.
    pub siting: crate::manifest::SitingSection,
    /// The OpenStreetMap pedestrian network, when the manifest names an extract.
    pub walk_network: Option<std::sync::Arc<crate::walking::WalkNetwork>>,
    /// Spatial indices.
    pub index: SpatialIndex,
}

impl Dataset {
    /// A member commune by code.
    pub fn commune(&self, code: &CommuneCode) -> Option<&Commune> {
        self.communes
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .map(|i| &self.communes[i])
    }

    /// A QPV by code (the code's form gives the vintage).
    pub fn qpv(&self, code: &QpvCode) -> Option<&Qpv> {
        self.qpv.iter().find(|q| &q.code == code)
    }

    /// QPV of one vintage.
    pub fn qpv_of_vintage(&self, vintage: u16) -> impl Iterator<Item = &Qpv> {
        self.qpv.iter().filter(move |q| q.vintage == vintage)
    }

    /// The most recent QPV vintage loaded.
    pub fn latest_qpv_vintage(&self) -> Option<u16> {
        self.qpv.iter().map(|q| q.vintage).max()
    }

    /// Index of the member commune containing a Lambert-93 point. Communes do not overlap, so
    /// there is at most one (a point on a shared border goes to the lower code).
    pub fn commune_at_l93(&self, p: Point) -> Option<usize> {
        self.index
            .communes
            .locate_in_envelope_intersecting(&AABB::from_point([p.x(), p.y()]))
            .map(|e| e.data)
            .filter(|i| self.communes[*i].boundary_l93.contains(&p))
            .min()
    }

    /// Indices of the QPV of `vintage` containing a Lambert-93 point.
    pub fn qpv_at_l93(&self, p: Point, vintage: u16) -> Option<usize> {
        let mut hits: Vec<usize> = self
            .index
            .qpv
            .locate_in_envelope_intersecting(&AABB::from_point([p.x(), p.y()]))
            .map(|e| e.data)
            .filter(|i| self.qpv[*i].vintage == vintage && self.qpv[*i].boundary_l93.contains(&p))
            .collect();
        hits.sort_unstable();
        hits.first().copied()
    }

    /// The walking model of this dataset: the pedestrian network when it has one, else the
    /// straight line, with these parameters.
    pub fn walk_model(&self, params: crate::walking::WalkParams) -> crate::walking::WalkModel {
        match &self.walk_network {
            Some(net) => crate::walking::WalkModel::Network(crate::walking::NetworkWalk {
                network: net.clone(),
                params,
            }),
            None => crate::walking::WalkModel::StraightLine(params),
        }
    }

    /// Replaces the transport feed (e.g. a complete feed for a territory whose own lacks
    /// timetables) and rebuilds the spatial indices.
    pub fn set_transport(&mut self, transport: Option<crate::model::transport::Transport>) {
        self.transport = transport;
        self.build_index();
    }

    /// Builds the spatial indices (called by the loader, and again when the actors change).
    pub(crate) fn build_index(&mut self) {
        self.index = SpatialIndex {
            communes: box_tree(self.communes.iter().map(|c| &c.boundary_l93)),
            qpv: box_tree(self.qpv.iter().map(|q| &q.boundary_l93)),
            actors: point_tree(self.actors.iter().map(|a| &a.point_l93)),
            stops: self
                .transport
                .as_ref()
                .map(|t| point_tree(t.stops.iter().map(|s| &s.point_m)))
                .unwrap_or_default(),
        };
    }
}
