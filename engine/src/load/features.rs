//! Reading GeoJSON feature collections with per-feature property access.

use geojson::Feature;

use crate::problem::{Location, Problem};

/// Parses a GeoJSON `FeatureCollection` into memory (small files: actors, IRIS contours).
///
/// # Errors
/// The first [`Problem`]: the file's (JSON parser's line and column, not a feature collection)
/// or the first malformed feature's.
pub fn read_features(file: &str, bytes: &[u8]) -> Result<Vec<Feature>, Problem> {
    read_features_with_crs(file, bytes).map(|(features, _)| features)
}

/// Parses a GeoJSON `FeatureCollection` into memory, with the name in its legacy `crs` member
/// (GeoJSON 2008, still written by QGIS for non-WGS84 exports: `urn:ogc:def:crs:EPSG::2154`).
///
/// # Errors
/// As [`read_features`].
pub fn read_features_with_crs(
    file: &str,
    bytes: &[u8],
) -> Result<(Vec<Feature>, Option<String>), Problem> {
    let mut features = Vec::new();
    let mut first_error = None;
    let crs = stream_features(file, bytes, |_, f, _| match f {
        Ok(f) => features.push(f),
        Err(p) => {
            first_error.get_or_insert(p);
        }
    })?;
    match first_error {
        Some(p) => Err(p),
        None => Ok((features, crs)),
    }
}

/// Streams the features of a GeoJSON `FeatureCollection` (or a single `Feature`) to `each`, one
/// at a time in file order, so that memory holds the file's bytes and one feature, never the
/// whole parsed tree: `each(index, feature or its problem, crs member seen so far)`.
///
/// A feature that is not a valid GeoJSON feature (or malformed JSON) stops the reading with a
/// [`Problem`] naming its index. Returns the name in the legacy `crs` member, if any.
///
/// # Errors
/// A [`Problem`] naming the file: not UTF-8, malformed JSON (line and column), a bare geometry
/// or another document instead of a feature collection, or a `crs` member written after the
/// features (features would have been read in the wrong CRS).
pub fn stream_features(
    file: &str,
    bytes: &[u8],
    each: impl FnMut(usize, Result<Feature, Problem>, Option<&str>),
) -> Result<Option<String>, Problem> {
    use serde::de::DeserializeSeed;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        Problem::file(
            file,
            format!("texte non UTF-8 (octet {} invalide)", e.valid_up_to() + 1),
        )
    })?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut seed = stream::Collection {
        file,
        each,
        crs: None,
        emitted: 0,
        failure: None,
        bad_feature: None,
    };
    let outcome = (&mut seed).deserialize(&mut de).and_then(|()| de.end());
    if let Some(i) = seed.bad_feature {
        let why = outcome.err().map_or_else(
            || "forme inattendue".to_owned(),
            |e| crate::text::json_error_fr(&e),
        );
        return Err(Problem::at(
            file,
            Location::Feature(i),
            None,
            format!("entité GeoJSON mal formée : {why}"),
        ));
    }
    if let Some(p) = seed.failure.take() {
        return Err(p);
    }
    outcome.map_err(|e| {
        Problem::file(
            file,
            format!("JSON mal formé : {}", crate::text::json_error_fr(&e)),
        )
    })?;
    Ok(seed.crs)
}

mod stream {
    use std::fmt;

    use geojson::Feature;
    use serde::Deserializer;
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};

    use crate::problem::{Location, Problem};

    /// The top-level object: `features` streamed, `crs` kept, a lone `Feature` rebuilt.
    pub(super) struct Collection<'f, F> {
        pub(super) file: &'f str,
        pub(super) each: F,
        pub(super) crs: Option<String>,
        pub(super) emitted: usize,
        /// A problem that is not a JSON syntax error (reported as is).
        pub(super) failure: Option<Problem>,
        /// The feature that stopped the reading (its message comes from the parser's final error).
        pub(super) bad_feature: Option<usize>,
    }

    impl<'de, F> DeserializeSeed<'de> for &mut Collection<'_, F>
    where
        F: FnMut(usize, Result<Feature, Problem>, Option<&str>),
    {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de, F> Visitor<'de> for &mut Collection<'_, F>
    where
        F: FnMut(usize, Result<Feature, Problem>, Option<&str>),
    {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("un objet FeatureCollection GeoJSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut kind: Option<String> = None;
            let mut has_features = false;
            // Members of a lone Feature, rebuilt once the object is read.
            let mut rest = Map::new();
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "features" => {
                        has_features = true;
                        map.next_value_seed(Features(&mut *self))?;
                    }
                    "crs" => {
                        let v: Value = map.next_value()?;
                        let name = v
                            .get("properties")
                            .and_then(|p| p.get("name"))
                            .and_then(Value::as_str)
                            .map(str::to_owned);
                        if self.emitted > 0 && name.is_some() {
                            self.failure = Some(Problem::at(
                                self.file,
                                Location::File,
                                Some("crs"),
                                "le membre `crs` vient après les entités : écrivez-le avant `features` \
                                 (ou déclarez le système de coordonnées dans le manifeste avec `crs`)",
                            ));
                        }
                        self.crs = name;
                    }
                    "type" => {
                        let v: Value = map.next_value()?;
                        kind = v.as_str().map(str::to_owned);
                        rest.insert(key, v);
                    }
                    "geometry" | "properties" | "id" | "bbox" if !has_features => {
                        rest.insert(key, map.next_value()?);
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            if has_features {
                return Ok(());
            }
            match kind.as_deref() {
                Some("Feature") => {
                    let f = serde_json::from_value::<Feature>(Value::Object(rest)).map_err(|e| {
                        Problem::at(
                            self.file,
                            Location::Feature(0),
                            None,
                            format!(
                                "entité GeoJSON mal formée : {}",
                                crate::text::json_error_fr(&e)
                            ),
                        )
                    });
                    (self.each)(0, f, self.crs.as_deref());
                }
                Some(
                    "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon"
                    | "MultiPolygon" | "GeometryCollection",
                ) => {
                    self.failure = Some(Problem::file(
                        self.file,
                        "géométrie seule : attendu une FeatureCollection",
                    ));
                }
                other => {
                    self.failure = Some(Problem::file(
                        self.file,
                        format!(
                            "GeoJSON mal formé : attendu une FeatureCollection avec un tableau `features`, type trouvé : {}",
                            other.map_or("(aucun)".to_owned(), |t| format!("« {t} »"))
                        ),
                    ));
                }
            }
            Ok(())
        }
    }

    struct Features<'a, 'f, F>(&'a mut Collection<'f, F>);

    impl<'de, F> DeserializeSeed<'de> for Features<'_, '_, F>
    where
        F: FnMut(usize, Result<Feature, Problem>, Option<&str>),
    {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de, F> Visitor<'de> for Features<'_, '_, F>
    where
        F: FnMut(usize, Result<Feature, Problem>, Option<&str>),
    {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("un tableau d'entités GeoJSON")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let c = self.0;
            // Straight into the feature type: no intermediate JSON tree. A feature that is not
            // valid GeoJSON stops the reading, with its index and the parser's line and column.
            loop {
                let i = c.emitted;
                match seq.next_element::<Feature>() {
                    Ok(Some(f)) => {
                        (c.each)(i, Ok(f), c.crs.as_deref());
                        c.emitted += 1;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        c.bad_feature = Some(i);
                        return Err(e);
                    }
                }
            }
            Ok(())
        }
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
            "propriété absente ou vide",
        )
    })
}
