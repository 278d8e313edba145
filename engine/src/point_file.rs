//! The one reader of point files: CSV with lon/lat columns or GeoJSON points, for every upload
//! (`/api/lookup`, coverage sites, later uploads).
//!
//! - CSV: a header line naming a longitude column (`lon`, `lng` or `longitude`) and a latitude
//!   column (`lat` or `latitude`), case-insensitive (`x`/`y` are not taken: in French files they
//!   usually hold Lambert-93 metres), separated by `;`, `,` or a tab (whichever the header
//!   holds most of, read by [`crate::tabular::stream`]), an optional UTF-8 byte-order mark;
//!   numbers written the French or the English way (`49,4431` or `49.4431`, see
//!   [`parse_number`]). Other columns are kept as text, keyed by
//!   their lowercase header.
//! - GeoJSON: a `FeatureCollection` of `Point` features, or one `Feature`; properties are kept
//!   as text (strings as they are, numbers written out, arrays of strings joined with `,`).
//!
//! Every error is a [`Problem`] naming the file, the line (CSV, the header is line 1) or the
//! feature (GeoJSON, 0-based as `jq .features[i]`) and the field; the first error stops the
//! read, nothing is half-read.

use std::collections::BTreeMap;

use crate::point::Wgs84Point;
use crate::problem::{Location, Problem};
use crate::tabular::parse_number;

/// Column names accepted for the longitude.
pub const LON_COLUMNS: [&str; 3] = ["lon", "lng", "longitude"];
/// Column names accepted for the latitude.
pub const LAT_COLUMNS: [&str; 2] = ["lat", "latitude"];

/// One point of a file, with its other columns or properties.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    /// Where it is in the file (`Line` for CSV, `Feature` for GeoJSON).
    pub location: Location,
    /// The checked point.
    pub point: Wgs84Point,
    /// Other columns (CSV, lowercase header) or properties (GeoJSON), as text; empty cells are
    /// left out.
    pub fields: BTreeMap<String, String>,
}

impl PointRow {
    /// The first non-empty field among `names`.
    pub fn field(&self, names: &[&str]) -> Option<&str> {
        names
            .iter()
            .find_map(|n| self.fields.get(*n))
            .map(String::as_str)
    }
}

/// Reads a point file: GeoJSON when its first character (after a byte-order mark and white
/// space) is `{`, else CSV.
///
/// # Examples
/// ```
/// use repere_engine::point_file::read_points;
/// let rows = read_points("sites.csv", "\u{feff}nom;lat;lon\nA;49,4431;1,0993\n").unwrap();
/// assert_eq!((rows[0].point.lon(), rows[0].point.lat()), (1.0993, 49.4431));
/// assert_eq!(rows[0].field(&["nom"]), Some("A"));
/// let e = read_points("sites.csv", "lon,lat\n1.1,49.4\n1.1,abc\n").unwrap_err();
/// assert_eq!(e.to_string(), "sites.csv : ligne 3, champ `lat` : valeur \"abc\" invalide : nombre attendu");
/// ```
///
/// # Errors
/// The first [`Problem`]: no lon/lat column, a line or feature whose point is missing, not a
/// number or not a WGS84 point, malformed CSV or GeoJSON, or no point at all.
pub fn read_points(file: &str, text: &str) -> Result<Vec<PointRow>, Problem> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        read_points_geojson(file, text)
    } else {
        read_points_csv(file, text)
    }
}

/// Reads CSV text with lon/lat columns (see the module documentation).
///
/// # Errors
/// As [`read_points`].
pub fn read_points_csv(file: &str, text: &str) -> Result<Vec<PointRow>, Problem> {
    // Set by the header callback, read by the row callback: lowercase names, lon and lat columns.
    let columns: std::cell::OnceCell<(Vec<String>, usize, usize)> = std::cell::OnceCell::new();
    let mut out = Vec::new();
    crate::tabular::stream(
        file,
        text.as_bytes(),
        |header| {
            let lowercase: Vec<String> = header.names().iter().map(|h| h.to_lowercase()).collect();
            let column = |names: &[&str], field: &str| {
                lowercase
                    .iter()
                    .position(|h| names.contains(&h.as_str()))
                    .ok_or_else(|| {
                        Problem::at(
                            file,
                            Location::Line(1),
                            Some(field),
                            format!(
                                "colonne manquante : l'en-tête n'a pas de colonne {} (colonnes lues : {})",
                                names.join(" ni "),
                                lowercase.join(", ")
                            ),
                        )
                    })
            };
            let (lon_c, lat_c) = (column(&LON_COLUMNS, "lon")?, column(&LAT_COLUMNS, "lat")?);
            let _ = columns.set((lowercase, lon_c, lat_c));
            Ok(())
        },
        |_, row| {
            let Some((lowercase, lon_c, lat_c)) = columns.get() else {
                return Ok(());
            };
            let (lon_c, lat_c) = (*lon_c, *lat_c);
            let location = Location::Line(row.line);
            let number = |c: usize| -> Result<f64, Problem> {
                let name = lowercase[c].as_str();
                parse_number(row.text(c))
                    .map_err(|e| Problem::at(file, location.clone(), Some(name), e.to_string()))?
                    .ok_or_else(|| {
                        Problem::at(file, location.clone(), Some(name), "coordonnée manquante")
                    })
            };
            let (lon, lat) = (number(lon_c)?, number(lat_c)?);
            let point = Wgs84Point::new(lon, lat)
                .map_err(|e| Problem::at(file, location.clone(), Some(e.field()), e.to_string()))?;
            let fields = lowercase
                .iter()
                .enumerate()
                .filter(|(c, _)| *c != lon_c && *c != lat_c)
                .filter_map(|(c, h)| {
                    let v = row.text(c);
                    (!v.is_empty()).then(|| (h.clone(), v.to_owned()))
                })
                .collect();
            out.push(PointRow {
                location,
                point,
                fields,
            });
            Ok(())
        },
    )?;
    if out.is_empty() {
        return Err(Problem::file(file, "aucun point dans le fichier"));
    }
    Ok(out)
}

/// Reads a GeoJSON `FeatureCollection` of points, or one point `Feature`.
///
/// # Errors
/// As [`read_points`].
pub fn read_points_geojson(file: &str, text: &str) -> Result<Vec<PointRow>, Problem> {
    let text = text.trim_start_matches('\u{feff}');
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Problem::file(
            file,
            format!("GeoJSON mal formé : {}", crate::text::json_error_fr(&e)),
        )
    })?;
    let features: Vec<&serde_json::Value> = match v.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => v
            .get("features")
            .and_then(|f| f.as_array())
            .ok_or_else(|| {
                Problem::at(
                    file,
                    Location::File,
                    Some("features"),
                    "une FeatureCollection doit avoir un tableau features",
                )
            })?
            .iter()
            .collect(),
        Some("Feature") => vec![&v],
        other => {
            return Err(Problem::at(
                file,
                Location::File,
                Some("type"),
                format!(
                    "FeatureCollection de points GeoJSON attendue, type trouvé : {}",
                    other.unwrap_or("aucun")
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let location = Location::Feature(i);
        let at = |field: &str, message: String| {
            Problem::at(file, location.clone(), Some(field), message)
        };
        let g = f
            .get("geometry")
            .filter(|g| !g.is_null())
            .ok_or_else(|| at("geometry", "géométrie manquante".to_owned()))?;
        if g.get("type").and_then(|t| t.as_str()) != Some("Point") {
            return Err(at("geometry", "la géométrie doit être un Point".to_owned()));
        }
        let c = g
            .get("coordinates")
            .and_then(|c| c.as_array())
            .ok_or_else(|| at("geometry", "coordonnées manquantes".to_owned()))?;
        let number = |k: usize, name: &str| {
            c.get(k)
                .and_then(serde_json::Value::as_f64)
                .ok_or_else(|| at(name, "coordonnée manquante ou non numérique".to_owned()))
        };
        let (lon, lat) = (number(0, "lon")?, number(1, "lat")?);
        let point = Wgs84Point::new(lon, lat).map_err(|e| at(e.field(), e.to_string()))?;
        let fields = f
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| {
                p.iter()
                    .filter_map(|(k, v)| property_text(v).map(|t| (k.to_lowercase(), t)))
                    .filter(|(_, t)| !t.trim().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push(PointRow {
            location,
            point,
            fields,
        });
    }
    if out.is_empty() {
        return Err(Problem::at(
            file,
            Location::File,
            Some("features"),
            "aucun point dans le fichier",
        ));
    }
    Ok(out)
}

/// A property as text: a string as it is, a number written out, an array of strings joined
/// with `,`; `None` for other values.
fn property_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_commas_semicolons_and_a_bom_reads_the_same_points() {
        let a = read_points("a.csv", "lon,lat,nom\n1.0993,49.4431,A\n").unwrap();
        let b = read_points(
            "a.csv",
            "\u{feff}Longitude;Latitude;Nom\n1,0993;49,4431;A\n",
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].location, Location::Line(2));
    }

    #[test]
    fn geojson_points_keep_their_properties_as_text() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.1,49.4]},"properties":{"name":"A","days":["lun","mer"],"n":3}}]}"#;
        let rows = read_points("s.geojson", text).unwrap();
        assert_eq!(rows[0].field(&["name"]), Some("A"));
        assert_eq!(rows[0].field(&["days"]), Some("lun,mer"));
        assert_eq!(rows[0].field(&["n"]), Some("3"));
        assert_eq!(rows[0].location, Location::Feature(0));
    }

    #[test]
    fn errors_name_the_line_or_feature_and_the_field() {
        let e = read_points("a.csv", "lon,lat\n1.1,49.4\n1.1,95\n").unwrap_err();
        assert_eq!(
            (e.location, e.field.as_deref()),
            (Location::Line(3), Some("lat"))
        );
        let e = read_points("a.csv", "x1,y1\n1,2\n").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("lon"));
        assert!(e.message.starts_with("colonne manquante"), "{}", e.message);
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.1,49.4]}},{"type":"Feature","geometry":{"type":"LineString","coordinates":[]}}]}"#;
        let e = read_points("s.geojson", text).unwrap_err();
        assert_eq!(
            (e.location, e.field.as_deref()),
            (Location::Feature(1), Some("geometry"))
        );
        assert!(read_points("a.csv", "lon,lat\n").is_err());
    }
}
