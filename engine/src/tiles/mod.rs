//! Vector tiles (Mapbox Vector Tile 2.1) of the territory's layers.
//!
//! Everything expensive happens once, in [`TileSet::build`]: every layer is projected to Web
//! Mercator, simplified per zoom, snapped to the integer tile grid of that zoom, made valid and
//! indexed in R-trees, and the field schemas are collected. A tile request ([`TileSet::encode`])
//! only queries the index, clips with a buffer (integer arithmetic, output valid by
//! construction) and encodes with geozero's MVT writer.
//!
//! - [`coord`]: [`TileCoord`], a validated `z/x/y`;
//! - [`mercator`]: WGS84 → Web Mercator metres → the integer tile grid;
//! - [`schema`]: field types and values of a layer ([`FieldValue`], [`LayerSchema`]);
//! - [`source`]: the features a layer is made of, in WGS84 ([`SourceLayer`]): the extension point
//!   for new layers (e.g. `gaps`);
//! - [`layers`]: the source layers of a [`crate::Dataset`] (`communes`, `qpv`, `actors`, `stops`,
//!   `iris`);
//! - [`labels`]: one label point per commune and per QPV (`commune_labels`, `qpv_labels`);
//! - [`attributes`]: the diagnostic fields of the `communes` layer;
//! - [`geojson`]: a source layer as GeoJSON (exports, comparison with martin);
//! - [`prepare`]: per-zoom, grid-snapped, valid, indexed geometry of one layer;
//! - [`density`]: what a too dense tile drops at low zooms (smallest polygons, least populous
//!   labels), so that France stays drawable at zoom 5;
//! - [`clip`]: integer clipping of prepared polygons to a buffered tile;
//! - [`mvt`]: encoding of clipped features into MVT bytes;
//! - [`set`]: [`TileSet`], the prepared layers and the per-request entry point;
//! - [`error`]: the tile errors ([`TileError`]).

pub mod attributes;
pub mod clip;
pub mod coord;
pub mod density;
pub mod error;
pub mod geojson;
pub mod labels;
pub mod layers;
pub mod mercator;
pub mod mvt;
pub mod prepare;
pub mod schema;
pub mod set;
pub mod source;

pub use coord::TileCoord;
pub use error::TileError;
pub use schema::{FieldType, FieldValue, LayerSchema};
pub use set::{LayerInfo, TileSet};
pub use source::{SourceFeature, SourceGeometry, SourceLayer, ZoomRange};

/// Tile extent: the side of a tile in grid units (MVT default).
pub const EXTENT: u32 = 4096;
/// Buffer around a tile, grid units, kept when clipping so that strokes and labels join across
/// tiles (martin's default).
pub const BUFFER: u32 = 64;
/// Highest zoom prepared and served. Clients overzoom beyond it (the z14 grid is 0.6 m at 49°N).
pub const MAX_ZOOM: u8 = 14;
