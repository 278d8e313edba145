//! Reading GeoJSON feature collections with per-feature property access.

use geojson::{Feature, GeoJson};

use crate::error::{Location, Problem};

/// Parses a GeoJSON `FeatureCollection`.
///
/// # Errors
/// A [`Problem`] naming the file, with the JSON parser's line and column, or saying what the
/// document is instead of a feature collection.
pub fn read_features(file: &str, bytes: &[u8]) -> Result<Vec<Feature>, Problem> {
    read_features_with_crs(file, bytes).map(|(features, _)| features)
}

/// Parses a GeoJSON `FeatureCollection`, with the name in its legacy `crs` member (GeoJSON 2008,
/// still written by QGIS for non-WGS84 exports: `urn:ogc:def:crs:EPSG::2154`) when it has one.
///
/// # Errors
/// As [`read_features`].
pub fn read_features_with_crs(
    file: &str,
    bytes: &[u8],
) -> Result<(Vec<Feature>, Option<String>), Problem> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| Problem::file(file, format!("not UTF-8 text: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Problem::file(file, format!("malformed JSON: {e}")))?;
    let crs = value
        .get("crs")
        .and_then(|c| c.get("properties"))
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_owned);
    if let Some(features) = value.get("features").and_then(|f| f.as_array()) {
        // Parse feature by feature so that an error names the feature index.
        return features
            .iter()
            .enumerate()
            .map(|(i, f)| {
                serde_json::from_value::<Feature>(f.clone()).map_err(|e| {
                    Problem::at(
                        file,
                        Location::Feature(i),
                        None,
                        format!("malformed GeoJSON feature: {e}"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|f| (f, crs));
    }
    match serde_json::from_value::<GeoJson>(value) {
        Ok(GeoJson::FeatureCollection(fc)) => Ok((fc.features, crs)),
        Ok(GeoJson::Feature(f)) => Ok((vec![f], crs)),
        Ok(GeoJson::Geometry(_)) => Err(Problem::file(
            file,
            "a bare geometry, expected a FeatureCollection",
        )),
        Err(e) => Err(Problem::file(file, format!("malformed GeoJSON: {e}"))),
    }
}

/// A property as text: strings as they are, numbers written out, null and absent as `None`.
pub fn property_text(feature: &Feature, field: &str) -> Option<String> {
    match feature.properties.as_ref()?.get(field)? {
        serde_json::Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        }
        serde_json::Value::Number(n) => Some(match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A required text property.
///
/// # Errors
/// A [`Problem`] naming file, feature and field when absent or empty.
pub fn required_text(
    file: &str,
    index: usize,
    feature: &Feature,
    field: &str,
) -> Result<String, Problem> {
    property_text(feature, field).ok_or_else(|| {
        Problem::at(
            file,
            Location::Feature(index),
            Some(field),
            "missing or empty property",
        )
    })
}
