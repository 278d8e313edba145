//! Encoding of clipped features into Mapbox Vector Tile 2.1 bytes with geozero's MVT writer
//! (geometry command integers, zig-zag deltas and protobuf are geozero's; the key and value
//! tables are the layer's, prepared once, remapped to the entries each tile uses).

use std::borrow::Cow;

use geozero::mvt::{Message, MvtWriter, Tile, tile};
use geozero::{FeatureProcessor, GeomProcessor};
use i_overlay::i_shape::int::shape::IntShapes;

use super::EXTENT;
use super::error::TileError;

/// A feature's geometry for one tile.
#[derive(Debug, Clone, PartialEq)]
pub enum TileGeometry<'a> {
    /// Valid polygons on the grid of the tile's zoom, exterior rings of positive area (y down),
    /// rings open; `origin` (the tile's north-west corner on that grid) is subtracted when
    /// writing, so prepared shapes that need no clipping are written without a copy.
    Polygons {
        /// The shapes, grid coordinates.
        shapes: Cow<'a, IntShapes>,
        /// Grid position of the tile's origin.
        origin: [i32; 2],
    },
    /// A point, tile coordinates.
    Point([i32; 2]),
}

/// A feature ready to encode.
#[derive(Debug, Clone)]
pub struct TileFeature<'a> {
    /// Feature id (MVT ids are unsigned; the tiler uses index + 1 in the layer).
    pub id: u64,
    /// Tags: `[key, value]` indices into the layer's tables.
    pub tags: &'a [[u32; 2]],
    /// Geometry.
    pub geometry: TileGeometry<'a>,
}

/// Encodes one layer; `None` when it has no feature. `keys` and `values` are the layer's tables;
/// the tile gets only the entries its features use.
///
/// # Errors
/// [`TileError::Encode`] when the writer refuses a geometry (a defect of the tiler).
pub fn encode_layer(
    name: &str,
    keys: &[String],
    values: &[tile::Value],
    features: &[TileFeature<'_>],
) -> Result<Option<tile::Layer>, TileError> {
    if features.is_empty() {
        return Ok(None);
    }
    let err = |e: geozero::error::GeozeroError| TileError::Encode {
        layer: name.to_owned(),
        message: e.to_string(),
    };
    let mut w = MvtWriter::new_unscaled(EXTENT).map_err(err)?;
    let mut key_map = vec![u32::MAX; keys.len()];
    let mut value_map = vec![u32::MAX; values.len()];
    let mut layer = tile::Layer {
        version: 2,
        name: name.to_owned(),
        extent: Some(EXTENT),
        ..Default::default()
    };
    for (i, f) in features.iter().enumerate() {
        let mut tags = Vec::with_capacity(2 * f.tags.len());
        for &[k, v] in f.tags {
            let (k, v) = (k as usize, v as usize);
            let (Some(key), Some(value)) = (keys.get(k), values.get(v)) else {
                return Err(TileError::Encode {
                    layer: name.to_owned(),
                    message: format!("étiquette {k}/{v} hors des tables"),
                });
            };
            if key_map[k] == u32::MAX {
                key_map[k] = layer.keys.len() as u32;
                layer.keys.push(key.clone());
            }
            if value_map[v] == u32::MAX {
                value_map[v] = layer.values.len() as u32;
                layer.values.push(value.clone());
            }
            tags.push(key_map[k]);
            tags.push(value_map[v]);
        }
        w.feature_begin(i as u64).map_err(err)?;
        w.geometry_begin().map_err(err)?;
        write_geometry(&mut w, &f.geometry).map_err(err)?;
        w.geometry_end().map_err(err)?;
        let g = w.geometry();
        layer.features.push(tile::Feature {
            id: Some(f.id),
            tags,
            r#type: g.r#type,
            geometry: g.geometry.clone(),
        });
    }
    Ok(Some(layer))
}

fn write_geometry(w: &mut MvtWriter, g: &TileGeometry) -> geozero::error::Result<()> {
    match g {
        TileGeometry::Point([x, y]) => {
            w.point_begin(0)?;
            w.xy(f64::from(*x), f64::from(*y), 0)?;
            w.point_end(0)
        }
        TileGeometry::Polygons {
            shapes,
            origin: [ox, oy],
        } => {
            let multi = shapes.len() > 1;
            if multi {
                w.multipolygon_begin(shapes.len(), 0)?;
            }
            for (pi, shape) in shapes.iter().enumerate() {
                w.polygon_begin(!multi, shape.len(), pi)?;
                for (ri, ring) in shape.iter().enumerate() {
                    // The writer takes closed rings and replaces the closing point by ClosePath.
                    w.linestring_begin(false, ring.len() + 1, ri)?;
                    for (k, p) in ring.iter().chain(ring.first()).enumerate() {
                        w.xy(f64::from(p.x - ox), f64::from(p.y - oy), k)?;
                    }
                    w.linestring_end(false, ri)?;
                }
                w.polygon_end(!multi, pi)?;
            }
            if multi {
                w.multipolygon_end(0)?;
            }
            Ok(())
        }
    }
}

/// Serialises layers into tile bytes; `None` when there is no layer (an empty tile).
pub fn encode_tile(layers: Vec<tile::Layer>) -> Option<Vec<u8>> {
    (!layers.is_empty()).then(|| Tile { layers }.encode_to_vec())
}
