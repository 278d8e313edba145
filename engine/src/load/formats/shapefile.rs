//! ESRI shapefiles in pure Rust: geometry from `.shp` + `.shx`, attributes from `.dbf` decoded
//! with the file's code page, CRS from `.prj`.
//!
//! The DBF code page comes from the `.cpg` file when there is one, else from the DBF header's
//! language driver byte (`0x57`, "ANSI", is Windows-1252 as ArcGIS writes it); a DBF that
//! declares none is read as UTF-8 when its bytes are valid UTF-8, else as Windows-1252 (GDAL's
//! default ISO-8859-1, of which Windows-1252 is a superset).

use std::io::Cursor;

use dbase::encoding::EncodingRs;
use dbase::encoding_rs;
use geo::{Contains, Coord, Intersects, LineString, Polygon};
use geojson::{Feature, Geometry, GeometryValue, Position};
use serde_json::{Map, Value};
use shapefile::{PolygonRing, Shape};

use crate::data_root::DataRoot;
use crate::problem::{Location, Problem};

/// A shapefile read as GeoJSON features, coordinates still in the file's CRS.
#[derive(Debug)]
pub struct RawShapefile {
    /// One feature per record, in file order; null shapes have no geometry.
    pub features: Vec<Feature>,
    /// The `.prj` text, when present.
    pub prj: Option<String>,
    /// How the attributes were decoded, for the load report.
    pub encoding: String,
}

/// The path of a sibling file (`.shx`, `.dbf`, …), matching the case of the `.shp` extension.
fn sibling(root: &DataRoot, shp: &str, ext: &str) -> Option<String> {
    let stem = shp
        .strip_suffix(".shp")
        .or_else(|| shp.strip_suffix(".SHP"))
        .unwrap_or(shp);
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| format!("{stem}.{e}"))
        .find(|p| root.is_file(p))
}

fn required(root: &DataRoot, shp: &str, ext: &str, what: &str) -> Result<Vec<u8>, Problem> {
    match sibling(root, shp, ext) {
        Some(p) => root.read(&p),
        None => Err(Problem::file(
            root.display(shp),
            format!(
                "le fichier .{ext} du shapefile ({what}) est absent à côté de lui : copiez tous les fichiers du shapefile \
                 (.shp, .shx, .dbf, .prj, .cpg) dans le même dossier"
            ),
        )),
    }
}

/// Reads a shapefile.
///
/// # Errors
/// A [`Problem`] naming the file when the `.shx` or `.dbf` is missing, a file is malformed, the
/// code page is unknown, or a shape is of an unsupported type (multipatch).
pub fn read(root: &DataRoot, shp: &str) -> Result<RawShapefile, Problem> {
    let file = root.display(shp);
    let shp_bytes = root.read(shp)?;
    let shx = required(root, shp, "shx", "l'index des formes")?;
    let dbf = required(root, shp, "dbf", "la table attributaire")?;
    let prj = match sibling(root, shp, "prj") {
        Some(p) => Some(
            String::from_utf8_lossy(&root.read(&p)?)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned(),
        ),
        None => None,
    };
    let cpg = match sibling(root, shp, "cpg") {
        Some(p) => Some(String::from_utf8_lossy(&root.read(&p)?).trim().to_owned()),
        None => None,
    };
    let (encoding, encoding_label) = dbf_encoding(&file, &dbf, cpg.as_deref())?;

    let shapes = shapefile::ShapeReader::with_shx(Cursor::new(shp_bytes), Cursor::new(shx))
        .map_err(|e| {
            Problem::file(
                &file,
                format!("shapefile mal formé ({})", shapefile_error_fr(&e)),
            )
        })?;
    let table = dbase::ReaderBuilder::new()
        .with_encoding(EncodingRs::from(encoding))
        .build(Cursor::new(dbf))
        .map_err(|e| {
            Problem::file(
                &file,
                format!(
                    "table attributaire .dbf mal formée ({})",
                    dbase_error_fr(&e)
                ),
            )
        })?;
    let mut reader = shapefile::Reader::new(shapes, table);
    let mut features = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| {
            Problem::at(
                &file,
                Location::Feature(i),
                None,
                format!(
                    "forme ou enregistrement illisible ({})",
                    shapefile_error_fr(&e)
                ),
            )
        })?;
        let geometry = geometry(shape)
            .map_err(|m| Problem::at(&file, Location::Feature(i), Some("geometry"), m))?;
        let mut properties = Map::new();
        for (name, value) in record {
            properties.insert(name, field_value(value));
        }
        features.push(Feature {
            geometry: geometry.map(Geometry::new),
            properties: Some(properties),
            ..Feature::default()
        });
    }
    Ok(RawShapefile {
        features,
        prj,
        encoding: encoding_label,
    })
}

/// The encoding of the DBF's text fields, and how it was chosen.
fn dbf_encoding(
    file: &str,
    dbf: &[u8],
    cpg: Option<&str>,
) -> Result<(&'static encoding_rs::Encoding, String), Problem> {
    if let Some(cpg) = cpg {
        let enc = encoding_from_name(cpg).ok_or_else(|| {
            Problem::file(
                file,
                format!("page de code « {cpg} » inconnue dans le fichier .cpg : écrivez-y une page de code comme UTF-8, 1252 ou ISO-8859-15"),
            )
        })?;
        return Ok((enc, format!("{} (d'après le fichier .cpg)", enc.name())));
    }
    let ldid = dbf.get(29).copied().unwrap_or(0);
    let from_ldid = match ldid {
        0x03 | 0x57 | 0x58 | 0x59 => Some(encoding_rs::WINDOWS_1252),
        0x64 | 0xC8 => Some(encoding_rs::WINDOWS_1250),
        0x65 | 0x26 => Some(encoding_rs::IBM866),
        0xC9 => Some(encoding_rs::WINDOWS_1251),
        0xCA => Some(encoding_rs::WINDOWS_1254),
        0xCB => Some(encoding_rs::WINDOWS_1253),
        0x7D => Some(encoding_rs::WINDOWS_1255),
        0x7E => Some(encoding_rs::WINDOWS_1256),
        0x7C => Some(encoding_rs::WINDOWS_874),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x4D | 0x7A => Some(encoding_rs::GBK),
        0x4E | 0x79 => Some(encoding_rs::EUC_KR),
        0x4F | 0x78 => Some(encoding_rs::BIG5),
        0xF0 => Some(encoding_rs::UTF_8),
        _ => None,
    };
    if let Some(enc) = from_ldid {
        return Ok((
            enc,
            format!("{} (pilote de langue DBF 0x{ldid:02X})", enc.name()),
        ));
    }
    match ldid {
        0x00 => {
            // No declaration: modern exports are often UTF-8; older ones Latin-1.
            let records = dbf.get(32..).unwrap_or_default();
            if std::str::from_utf8(records).is_ok() {
                Ok((
                    encoding_rs::UTF_8,
                    "UTF-8 (aucune page de code déclarée ; les attributs sont en UTF-8 valide)"
                        .to_owned(),
                ))
            } else {
                Ok((
                    encoding_rs::WINDOWS_1252,
                    "windows-1252 (aucune page de code déclarée et pas en UTF-8 ; Latin-1 supposé, comme GDAL)".to_owned(),
                ))
            }
        }
        // DOS code pages encoding_rs lacks (437, 850, …): no lossless decoder here.
        _ => Err(Problem::file(
            file,
            format!(
                "le .dbf déclare la page de code DOS du pilote de langue 0x{ldid:02X}, que Repère ne sait pas décoder : \
                 réexportez le shapefile en UTF-8 ou ajoutez un fichier .cpg nommant sa page de code"
            ),
        )),
    }
}

/// An encoding from a `.cpg` name (`UTF-8`, `1252`, `CP1252`, `ISO-8859-1`, `88591`, …).
fn encoding_from_name(name: &str) -> Option<&'static encoding_rs::Encoding> {
    let upper = name
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_uppercase();
    let digits: String = upper.chars().filter(char::is_ascii_digit).collect();
    match upper.as_str() {
        "UTF-8" | "UTF8" | "65001" => return Some(encoding_rs::UTF_8),
        "LATIN1" | "LATIN-1" => return Some(encoding_rs::WINDOWS_1252),
        _ => {}
    }
    if upper.starts_with("ISO") || upper.starts_with("8859") {
        return match digits.trim_start_matches("8859") {
            "1" => Some(encoding_rs::WINDOWS_1252),
            "15" => Some(encoding_rs::ISO_8859_15),
            rest => encoding_rs::Encoding::for_label(format!("iso-8859-{rest}").as_bytes()),
        };
    }
    if !digits.is_empty()
        && (upper.starts_with("CP")
            || upper.starts_with("WINDOWS")
            || upper.starts_with("ANSI")
            || upper == digits)
    {
        return match digits.as_str() {
            "1252" | "1250" | "1251" | "1253" | "1254" | "1255" | "1256" | "1257" | "1258"
            | "874" => encoding_rs::Encoding::for_label(format!("windows-{digits}").as_bytes()),
            "866" => Some(encoding_rs::IBM866),
            "932" => Some(encoding_rs::SHIFT_JIS),
            "936" => Some(encoding_rs::GBK),
            "949" => Some(encoding_rs::EUC_KR),
            "950" => Some(encoding_rs::BIG5),
            _ => None,
        };
    }
    encoding_rs::Encoding::for_label(name.trim().as_bytes())
}

fn field_value(value: dbase::FieldValue) -> Value {
    use dbase::FieldValue as F;
    let number = |f: f64| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number);
    match value {
        F::Character(Some(s)) | F::Memo(s) => Value::String(s),
        F::Numeric(Some(f)) | F::Double(f) | F::Currency(f) => number(f),
        F::Float(Some(f)) => number(f64::from(f)),
        F::Integer(i) => Value::from(i),
        F::Logical(Some(b)) => Value::Bool(b),
        F::Date(Some(d)) => {
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        F::DateTime(dt) => {
            let d = dt.date();
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        F::Character(None)
        | F::Numeric(None)
        | F::Float(None)
        | F::Logical(None)
        | F::Date(None) => Value::Null,
    }
}

fn pos(x: f64, y: f64) -> Position {
    Position::from([x, y])
}

/// A shape as a GeoJSON geometry value (M and Z dropped); `None` for a null shape.
fn geometry(shape: Shape) -> Result<Option<GeometryValue>, crate::problem::ValueError> {
    macro_rules! points {
        ($pts:expr) => {
            $pts.iter().map(|p| pos(p.x, p.y)).collect::<Vec<_>>()
        };
    }
    macro_rules! polygon {
        ($poly:expr) => {
            polygon_rings($poly.into_inner().into_iter().map(|r| match r {
                PolygonRing::Outer(p) => (true, points!(p)),
                PolygonRing::Inner(p) => (false, points!(p)),
            }))
        };
    }
    Ok(Some(match shape {
        Shape::NullShape => return Ok(None),
        Shape::Point(p) => GeometryValue::new_point(pos(p.x, p.y)),
        Shape::PointM(p) => GeometryValue::new_point(pos(p.x, p.y)),
        Shape::PointZ(p) => GeometryValue::new_point(pos(p.x, p.y)),
        Shape::Multipoint(m) => GeometryValue::MultiPoint {
            coordinates: points!(m.points()),
        },
        Shape::MultipointM(m) => GeometryValue::MultiPoint {
            coordinates: points!(m.points()),
        },
        Shape::MultipointZ(m) => GeometryValue::MultiPoint {
            coordinates: points!(m.points()),
        },
        Shape::Polyline(l) => GeometryValue::MultiLineString {
            coordinates: l.parts().iter().map(|p| points!(p)).collect(),
        },
        Shape::PolylineM(l) => GeometryValue::MultiLineString {
            coordinates: l.parts().iter().map(|p| points!(p)).collect(),
        },
        Shape::PolylineZ(l) => GeometryValue::MultiLineString {
            coordinates: l.parts().iter().map(|p| points!(p)).collect(),
        },
        Shape::Polygon(p) => polygon!(p),
        Shape::PolygonM(p) => polygon!(p),
        Shape::PolygonZ(p) => polygon!(p),
        Shape::Multipatch(_) => {
            return Err(crate::problem::ValueError::new(
                "multipatch",
                "type de géométrie pris en charge attendu (les multipatch sont des surfaces 3D) : \
                 exporter la couche en polygones (par ex. `ogr2ogr -nlt MULTIPOLYGON`)",
            ));
        }
    }))
}

/// Groups shapefile rings (outer clockwise, holes counter-clockwise, in any order) into a
/// MultiPolygon: each hole goes to the first outer ring that contains it; a hole inside no outer
/// ring is kept as an outer ring of its own, as GDAL does.
fn polygon_rings(rings: impl Iterator<Item = (bool, Vec<Position>)>) -> GeometryValue {
    let (mut outers, mut holes) = (Vec::new(), Vec::new());
    for (is_outer, ring) in rings {
        if is_outer {
            outers.push(vec![ring])
        } else {
            holes.push(ring)
        }
    }
    let as_polygon = |ring: &[Position]| {
        Polygon::new(
            LineString::from(
                ring.iter()
                    .map(|p| Coord { x: p[0], y: p[1] })
                    .collect::<Vec<_>>(),
            ),
            vec![],
        )
    };
    let shells: Vec<Polygon> = outers.iter().map(|o| as_polygon(&o[0])).collect();
    for hole in holes {
        let coords: Vec<Coord> = hole.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
        // A hole may touch its shell at a vertex: look for a vertex strictly inside, then for
        // a shell the first vertex lies on.
        let shell = shells
            .iter()
            .position(|s| coords.iter().any(|c| s.contains(c)))
            .or_else(|| {
                coords
                    .first()
                    .and_then(|c| shells.iter().position(|s| s.intersects(c)))
            });
        match shell {
            Some(i) => outers[i].push(hole),
            None => outers.push(vec![hole]),
        }
    }
    GeometryValue::MultiPolygon {
        coordinates: outers,
    }
}

/// Why the shapefile reader failed, in French (its own messages are English).
fn shapefile_error_fr(e: &shapefile::Error) -> String {
    use shapefile::Error as S;
    match e {
        S::IoError(io) => crate::text::io_error_fr(io),
        S::InvalidFileCode(c) => format!("code de fichier {c} : pas un shapefile"),
        S::InvalidShapeType(c) => format!("type de forme {c} inconnu"),
        S::InvalidPatchType(c) => format!("type de multipatch {c} inconnu"),
        S::MismatchShapeType { .. } => "formes de types différents dans le fichier".to_owned(),
        S::InvalidShapeRecordSize => "taille d'enregistrement de forme invalide".to_owned(),
        S::AllocationLimitExceeded { .. } => {
            "nombre de points déclaré démesuré (fichier corrompu ?)".to_owned()
        }
        S::DbaseError(d) => dbase_error_fr(d),
        S::MissingDbf => "fichier .dbf absent".to_owned(),
        S::MissingIndexFile => "fichier .shx absent".to_owned(),
        #[allow(unreachable_patterns)]
        _ => "structure de forme non valide".to_owned(),
    }
}

/// Why the dBase reader failed, in French, with the record when known.
fn dbase_error_fr(e: &dbase::Error) -> String {
    use dbase::ErrorKind as D;
    let what = match e.kind() {
        D::IoError(io) | D::ErrorOpeningMemoFile(io) => crate::text::io_error_fr(io),
        D::ParseFloatError(_) | D::ParseIntError(_) => "nombre illisible".to_owned(),
        D::InvalidDate(_) | D::InvalidTime(_) => "date ou heure illisible".to_owned(),
        D::InvalidFieldType(c) => format!("type de champ « {c} » inconnu"),
        D::MissingMemoFile => "fichier mémo (.dbt/.fpt) absent".to_owned(),
        D::EndOfRecord | D::NotEnoughFields | D::TooManyFields => {
            "nombre de champs incohérent avec l'en-tête".to_owned()
        }
        D::UnsupportedCodePage(_) => "page de code non prise en charge".to_owned(),
        D::StringDecodeError(_) => "texte non décodable dans la page de code".to_owned(),
        _ => "contenu non valide".to_owned(),
    };
    match e.record_index() {
        Some(r) => format!("enregistrement n° {} : {what}", r.0),
        None => what,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpg_names_map_to_encodings() {
        assert_eq!(encoding_from_name("UTF-8"), Some(encoding_rs::UTF_8));
        assert_eq!(encoding_from_name("1252"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            encoding_from_name("ISO-8859-1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(encoding_from_name("88591"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            encoding_from_name("ISO 8859-15"),
            Some(encoding_rs::ISO_8859_15)
        );
        assert_eq!(
            encoding_from_name("cp1251"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(encoding_from_name("klingon"), None);
    }

    #[test]
    fn the_dbf_code_page_comes_from_the_cpg_then_the_language_driver_then_the_bytes() {
        // Synthetic DBF headers (32 bytes, language driver at byte 29) followed by text.
        let dbf = |ldid: u8, text: &[u8]| {
            let mut b = vec![0u8; 32];
            b[29] = ldid;
            b.extend_from_slice(text);
            b
        };
        let enc = |b: &[u8], cpg: Option<&str>| dbf_encoding("x.shp", b, cpg).map(|(e, _)| e);
        assert_eq!(
            enc(&dbf(0x57, b"Cit\xe9"), None),
            Ok(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            enc(&dbf(0x00, "Cité".as_bytes()), None),
            Ok(encoding_rs::UTF_8)
        );
        assert_eq!(
            enc(&dbf(0x00, b"Cit\xe9"), None),
            Ok(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            enc(&dbf(0x57, "Cité".as_bytes()), Some("UTF-8")),
            Ok(encoding_rs::UTF_8)
        );
        let e = enc(&dbf(0x01, b"Cit\x82"), None).unwrap_err().to_string();
        assert!(e.contains("x.shp") && e.contains(".cpg"), "{e}");
        let e = enc(&dbf(0x00, b""), Some("klingon"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("klingon") && e.contains(".cpg"), "{e}");
    }

    #[test]
    fn a_hole_goes_to_the_outer_ring_that_contains_it() {
        let square = |x0: f64, s: f64| {
            vec![
                pos(x0, 0.0),
                pos(x0, s),
                pos(x0 + s, s),
                pos(x0 + s, 0.0),
                pos(x0, 0.0),
            ]
        };
        let v = polygon_rings(
            [
                (true, square(0.0, 10.0)),
                (true, square(20.0, 10.0)),
                (false, square(22.0, 2.0)),
            ]
            .into_iter(),
        );
        let GeometryValue::MultiPolygon { coordinates } = v else {
            panic!("not a multipolygon")
        };
        assert_eq!(coordinates.len(), 2);
        assert_eq!(coordinates[0].len(), 1);
        assert_eq!(
            coordinates[1].len(),
            2,
            "the hole at x = 22 belongs to the second square"
        );
    }
}
