//! A source layer as a GeoJSON `FeatureCollection` (WGS84), with the same properties as its
//! tiles: the communes export and the files a peer tile server (martin) is compared on.

use geojson::{Feature, FeatureCollection, JsonObject, JsonValue};

use super::schema::FieldValue;
use super::source::{SourceGeometry, SourceLayer};

fn json(v: &FieldValue) -> JsonValue {
    match v {
        FieldValue::Str(s) => JsonValue::from(s.as_str()),
        FieldValue::Int(n) => JsonValue::from(*n),
        FieldValue::Double(d) => JsonValue::from(*d),
        FieldValue::Bool(b) => JsonValue::from(*b),
    }
}

/// The layer's features, in order, geometry in WGS84 lon/lat degrees.
pub fn layer_to_geojson(layer: &SourceLayer) -> FeatureCollection {
    let features = layer
        .features
        .iter()
        .map(|f| {
            let geometry = match &f.geometry_wgs84 {
                SourceGeometry::Polygons(mp) => geojson::Geometry::from(mp),
                SourceGeometry::Point(p) => geojson::Geometry::from(p),
            };
            let properties: JsonObject = f
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), json(v)))
                .collect();
            Feature {
                geometry: Some(geometry),
                properties: Some(properties),
                ..Default::default()
            }
        })
        .collect();
    FeatureCollection {
        features,
        bbox: None,
        foreign_members: None,
    }
}
