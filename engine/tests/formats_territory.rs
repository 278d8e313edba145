//! A territory manifest whose 2015 QPV source is the official Lambert-93 shapefile instead of the
//! WGS84 GeoJSON loads the same QPV on the communes of the Métropole; and the format errors a user
//! can meet each name the file and say what to do.

use std::path::{Path, PathBuf};

use geo::Area;
use repere_engine::data_root::DataRoot;
use repere_engine::load::formats::{LayerSpec, read_layer_with};
use repere_engine::manifest::LayerFormat;
use repere_engine::reproject::Backend;
use repere_engine::{Dataset, LoadReport, Territory};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../data")
        .canonicalize()
        .unwrap()
}

/// The default manifest with every path made absolute (pointing at the repository's data).
fn default_manifest_absolute() -> String {
    let data = data_dir();
    let text = std::fs::read_to_string(data.join("territory.toml")).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let mut l = line.to_owned();
        for key in ["file = \"", "records = \"", "gtfs = \""] {
            l = l.replace(key, &format!("{key}{}/", data.display()));
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn load_manifest(dir: &Path, text: &str) -> (Dataset, LoadReport) {
    let path = dir.join("territory.toml");
    std::fs::write(&path, text).unwrap();
    let t = Territory::from_path(&path).unwrap();
    repere_engine::load::load(&t).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_manifest_pointing_at_the_official_shapefile_gives_the_same_2015_qpv_and_diagnostics_as_the_geojson()
 {
    let geojson_text = default_manifest_absolute();
    let abs = data_dir();
    let from = format!("file = \"{}/qpv/qpv2015_dep76.geojson\"", abs.display());
    assert!(geojson_text.contains(&from));
    let to = format!(
        "file = \"{}/qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp\"\nformat = \"shapefile\"",
        abs.display()
    );
    let shapefile_text = geojson_text.replace(&from, &to);

    let dir = tempfile::tempdir().unwrap();
    let (a, report_a) = load_manifest(dir.path(), &geojson_text);
    let dir2 = tempfile::tempdir().unwrap();
    let (b, report) = load_manifest(dir2.path(), &shapefile_text);

    let q15 = |ds: &Dataset| {
        ds.qpv
            .iter()
            .filter(|q| q.vintage == 2015)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (qa, qb) = (q15(&a), q15(&b));
    assert!(!qa.is_empty());
    assert_eq!(
        qa.iter().map(|q| &q.code).collect::<Vec<_>>(),
        qb.iter().map(|q| &q.code).collect::<Vec<_>>()
    );
    for (x, y) in qa.iter().zip(&qb) {
        assert_eq!(x.name, y.name, "{}", x.code);
        assert_eq!(x.listed_communes, y.listed_communes, "{}", x.code);
        let rel = (x.area_m2 - y.area_m2).abs() / x.area_m2;
        assert!(
            rel < 1e-3,
            "{}: {} m² vs {} m²",
            x.code,
            x.area_m2,
            y.area_m2
        );
        assert!((y.boundary_l93.unsigned_area() - y.area_m2).abs() < 1e-6 * y.area_m2);
    }
    // Everything else is untouched.
    assert_eq!(a.communes.len(), b.communes.len());
    assert_eq!(a.actors.len(), b.actors.len());
    assert_eq!(
        a.qpv.iter().filter(|q| q.vintage == 2024).count(),
        b.qpv.iter().filter(|q| q.vintage == 2024).count()
    );

    // The same diagnostics, up to the rounding of the GeoJSON's vertices (1e-6°): every number
    // within 0.1 %, every text and list identical; only the dataset version (a content hash
    // of the vertices) differs.
    let params = repere_engine::diagnostic::DiagnosticParams::default();
    let da =
        serde_json::to_value(repere_engine::diagnostic::Diagnostics::compute(&a, &params)).unwrap();
    let db =
        serde_json::to_value(repere_engine::diagnostic::Diagnostics::compute(&b, &params)).unwrap();
    let mut diffs = Vec::new();
    same_json("", &da, &db, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{} differences, first: {:?}",
        diffs.len(),
        &diffs[..diffs.len().min(10)]
    );
    assert!(da["communes"].as_array().unwrap().len() == 71);

    // The national file's QPV outside the territory add no warning about their communes.
    let unknown = |r: &LoadReport| {
        r.warnings
            .iter()
            .filter(|w| {
                w.message
                    .contains("ne correspond à aucun nom ni code de commune connu")
            })
            .count()
    };
    assert_eq!(unknown(&report), unknown(&report_a));

    // The report says what was found and done.
    let shp = report
        .layers_crs
        .iter()
        .find(|l| l.file.ends_with("QP_METROPOLE_LB93.shp"))
        .unwrap();
    assert_eq!(shp.format, "shapefile");
    assert!(shp.crs_found.contains("EPSG:2154"), "{shp:?}");
    assert!(shp.transformation.contains("WGS84"), "{shp:?}");
    let text = report.to_string();
    assert!(text.contains("Systèmes de coordonnées"), "{text}");
    assert!(
        text.contains("QP_METROPOLE_LB93.shp (shapefile) : EPSG:2154"),
        "{text}"
    );
}

/// Collects the paths where two JSON values differ beyond a relative 1e-3 on numbers.
fn same_json(path: &str, a: &serde_json::Value, b: &serde_json::Value, diffs: &mut Vec<String>) {
    use serde_json::Value as V;
    match (a, b) {
        (V::Number(x), V::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() > 1e-3 * x.abs().max(y.abs()) + 1e-9 {
                diffs.push(format!("{path}: {x} vs {y}"));
            }
        }
        (V::Array(x), V::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same_json(&format!("{path}[{i}]"), p, q, diffs);
            }
        }
        (V::Object(x), V::Object(y)) if x.keys().eq(y.keys()) => {
            for (k, p) in x {
                if k != "dataset_version" {
                    same_json(&format!("{path}.{k}"), p, &y[k], diffs);
                }
            }
        }
        _ if a == b => {}
        _ => diffs.push(format!("{path}: {a} vs {b}")),
    }
}

/// Copies the official shapefile's files, except those listed, into a temporary folder.
fn shapefile_copy(without: &[&str], prj: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["shp", "shx", "dbf", "prj"] {
        if without.contains(&ext) {
            continue;
        }
        let src = data_dir().join(format!("qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.{ext}"));
        let dst = dir.path().join(format!("qpv.{ext}"));
        match (ext, prj) {
            ("prj", Some(text)) => std::fs::write(dst, text).unwrap(),
            _ => {
                std::fs::copy(src, dst).unwrap();
            }
        }
    }
    dir
}

fn read_error(dir: &Path, crs: Option<&str>) -> String {
    let spec = LayerSpec {
        file: "qpv.shp",
        format: LayerFormat::Shapefile,
        crs,
        layer: None,
    };
    read_layer_with(&DataRoot::Disk(dir.to_path_buf()), spec, Backend::Proj4rs)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_missing_shx_or_dbf_is_an_error_naming_the_shapefile_and_what_to_copy() {
    for ext in ["shx", "dbf"] {
        let dir = shapefile_copy(&[ext], None);
        let e = read_error(dir.path(), None);
        assert!(
            e.contains("qpv.shp")
                && e.contains(&format!("le fichier .{ext} du shapefile"))
                && e.contains("dans le même dossier"),
            "{e}"
        );
    }
}

#[test]
fn a_missing_prj_is_an_error_unless_the_manifest_declares_the_crs() {
    let dir = shapefile_copy(&["prj"], None);
    let e = read_error(dir.path(), None);
    assert!(
        e.contains("qpv.shp") && e.contains(".prj") && e.contains("crs = \"EPSG:2154\""),
        "{e}"
    );
    let spec = LayerSpec {
        file: "qpv.shp",
        format: LayerFormat::Shapefile,
        crs: Some("EPSG:2154"),
        layer: None,
    };
    let layer = read_layer_with(
        &DataRoot::Disk(dir.path().to_path_buf()),
        spec,
        Backend::Proj4rs,
    )
    .unwrap();
    assert_eq!(layer.features.len(), 1296);
    assert!(
        layer.crs.crs_found.contains("déclaré dans le manifeste"),
        "{:?}",
        layer.crs
    );
}

#[test]
fn an_unknown_crs_is_an_error_saying_how_to_declare_it() {
    let dir = shapefile_copy(&[], None);
    let e = read_error(dir.path(), Some("EPSG:9"));
    assert!(
        e.contains("qpv.shp")
            && e.contains("système de coordonnées EPSG:9 inconnu")
            && e.contains("fonctionnalité `proj`")
            && e.contains("projection introuvable"),
        "{e}"
    );
    let e = read_error(dir.path(), Some("Lambert 93"));
    assert!(
        e.contains("système de coordonnées connu attendu") && e.contains("EPSG:2154"),
        "{e}"
    );

    let custom = r#"PROJCS["My_Own_Conic",GEOGCS["GCS_RGF_1993",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",1.0],PARAMETER["False_Northing",2.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",44.0],PARAMETER["Standard_Parallel_2",49.0],PARAMETER["Latitude_Of_Origin",46.5],UNIT["Meter",1.0]]"#;
    let dir = shapefile_copy(&[], Some(custom));
    let e = read_error(dir.path(), None);
    assert!(
        e.contains("qpv.shp") && e.contains("My_Own_Conic") && e.contains("crs = "),
        "{e}"
    );
}

#[test]
fn a_layer_of_lines_given_as_qpv_is_an_unsupported_geometry_error() {
    // Synthetic: a polyline shapefile written by code, declared as a QPV layer.
    let dir = tempfile::tempdir().unwrap();
    let table = dbase::TableWriterBuilder::new()
        .add_character_field("CODE_QP".try_into().unwrap(), 8)
        .add_character_field("NOM_QP".try_into().unwrap(), 40);
    let mut w = shapefile::Writer::from_path(dir.path().join("lines.shp"), table).unwrap();
    let line = shapefile::Polyline::new(vec![
        shapefile::Point::new(562_000.0, 6_928_000.0),
        shapefile::Point::new(563_000.0, 6_929_000.0),
    ]);
    let mut record = dbase::Record::default();
    record.insert(
        "CODE_QP".into(),
        dbase::FieldValue::Character(Some("QP076020".into())),
    );
    record.insert(
        "NOM_QP".into(),
        dbase::FieldValue::Character(Some("Ligne synthétique".into())),
    );
    w.write_shape_and_record(&line, &record).unwrap();
    drop(w);

    let mut text = default_manifest_absolute();
    let from = format!(
        "file = \"{}/qpv/qpv2015_dep76.geojson\"",
        data_dir().display()
    );
    text = text.replace(
        &from,
        "file = \"lines.shp\"\nformat = \"shapefile\"\ncrs = \"EPSG:2154\"",
    );
    let path = dir.path().join("territory.toml");
    std::fs::write(&path, text).unwrap();
    let e = repere_engine::load::load(&Territory::from_path(&path).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("lines.shp")
            && e.contains("type de géométrie MultiLineString non pris en charge"),
        "{e}"
    );
}

#[cfg(not(feature = "gdal"))]
#[test]
fn a_geopackage_without_the_gdal_feature_is_an_error_saying_how_to_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qpv.gpkg"), b"synthetic, never opened").unwrap();
    let spec = LayerSpec {
        file: "qpv.gpkg",
        format: LayerFormat::Gpkg,
        crs: None,
        layer: Some("qpv"),
    };
    let e = read_layer_with(
        &DataRoot::Disk(dir.path().to_path_buf()),
        spec,
        Backend::Proj4rs,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("qpv.gpkg") && e.contains("--features gdal"),
        "{e}"
    );
}
