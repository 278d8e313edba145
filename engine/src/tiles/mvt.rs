//! Encoding of clipped features into Mapbox Vector Tile 2.1 bytes with geozero's MVT writer
//! (command integers, zig-zag deltas, key/value tables and protobuf are geozero's).

use geozero::mvt::{Message, MvtWriter, Tile, tile};
use geozero::{ColumnValue, FeatureProcessor, GeomProcessor, PropertyProcessor};
use i_overlay::i_shape::int::shape::IntShapes;

use super::EXTENT;
use super::error::TileError;
use super::schema::FieldValue;

/// A feature's geometry in tile coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum TileGeometry {
    /// Valid polygons, exterior rings of positive area (y down), rings open.
    Polygons(IntShapes),
    /// A point.
    Point([i32; 2]),
}

/// A feature ready to encode.
#[derive(Debug, Clone)]
pub struct TileFeature<'a> {
    /// Feature id (MVT ids are unsigned; the tiler uses index + 1 in the layer).
    pub id: u64,
    /// Properties.
    pub properties: &'a [(String, FieldValue)],
    /// Geometry.
    pub geometry: TileGeometry,
}

/// Encodes one layer; `None` when it has no feature.
///
/// # Errors
/// [`TileError::Encode`] when the writer refuses a geometry (a defect of the tiler).
pub fn encode_layer(
    name: &str,
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
    for (i, f) in features.iter().enumerate() {
        let idx = i as u64;
        w.feature_begin(idx).map_err(err)?;
        for (j, (key, value)) in f.properties.iter().enumerate() {
            let v = match value {
                FieldValue::Str(s) => ColumnValue::String(s),
                FieldValue::Int(n) => ColumnValue::Long(*n),
                FieldValue::Double(d) => ColumnValue::Double(*d),
                FieldValue::Bool(b) => ColumnValue::Bool(*b),
            };
            w.property(j, key, &v).map_err(err)?;
        }
        w.geometry_begin().map_err(err)?;
        write_geometry(&mut w, &f.geometry).map_err(err)?;
        w.geometry_end().map_err(err)?;
        w.feature_end(idx).map_err(err)?;
    }
    let mut layer = w.layer(name);
    for (feature, source) in layer.features.iter_mut().zip(features) {
        feature.id = Some(source.id);
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
        TileGeometry::Polygons(shapes) => {
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
                        w.xy(f64::from(p.x), f64::from(p.y), k)?;
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
