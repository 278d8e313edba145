//! The features a tile layer is made of, in WGS84, before preparation: the extension point for
//! new layers. A module that produces polygons or points (e.g. the `gaps` layer) builds a
//! [`SourceLayer`] and hands it to [`super::TileSet::build`] next to the dataset's layers.

use geo::{MultiPolygon, Point};

use super::MAX_ZOOM;
use super::schema::FieldValue;

/// The zooms at which a layer appears (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ZoomRange {
    /// Lowest zoom.
    pub min: u8,
    /// Highest zoom (at most [`MAX_ZOOM`]).
    pub max: u8,
}

impl ZoomRange {
    /// A range, `max` capped at [`MAX_ZOOM`] and `min` at `max`.
    pub fn new(min: u8, max: u8) -> Self {
        let max = max.min(MAX_ZOOM);
        Self {
            min: min.min(max),
            max,
        }
    }
    /// Whether zoom `z` is in the range.
    pub fn contains(self, z: u8) -> bool {
        (self.min..=self.max).contains(&z)
    }
}

/// Geometry of a source feature, WGS84 lon/lat degrees.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceGeometry {
    /// Polygons (communes, QPV, IRIS, gaps…).
    Polygons(MultiPolygon),
    /// A point (actors, stops).
    Point(Point),
}

/// One feature: geometry and properties (written in this order into the tile).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFeature {
    /// Geometry, WGS84.
    pub geometry_wgs84: SourceGeometry,
    /// Properties; `None` values are simply left out by the producer.
    pub properties: Vec<(String, FieldValue)>,
}

/// A named layer of features with its zoom range.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLayer {
    /// Layer name, as in tile URLs and in the MVT.
    pub name: String,
    /// One-line description (TileJSON `vector_layers[].description`).
    pub description: String,
    /// Zooms at which the layer appears.
    pub zooms: ZoomRange,
    /// Features, in a deterministic order (by code).
    pub features: Vec<SourceFeature>,
    /// For a point layer: the numeric property ranking its points where a tile is too dense
    /// (largest kept, see [`super::density`]), e.g. the population of label points; `None`
    /// keeps every point. Polygon layers rank by area and need none.
    pub priority: Option<String>,
    /// For a layer of square cells: their side, metres (TileJSON `vector_layers[].cell_m`), so
    /// that clients compute densities and say the cell size from the data, not from constants.
    pub cell_m: Option<f64>,
}
