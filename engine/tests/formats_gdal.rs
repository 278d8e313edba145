//! GeoPackage through GDAL (feature `gdal`): the Seine-Maritime QPV of the official shapefile,
//! written by the test into a two-layer GeoPackage in Lambert-93, read back by layer name and
//! checked against the WGS84 GeoJSON; a wrong layer name is a clear error.
#![cfg(feature = "gdal")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gdal::vector::{LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal};
use geo::{Area, CoordsIter};
use repere_engine::crs::Lambert93;
use repere_engine::data_root::DataRoot;
use repere_engine::load::features::property_text;
use repere_engine::load::formats::{LayerSpec, read_layer_with, shapefile};
use repere_engine::manifest::LayerFormat;
use repere_engine::reproject::Backend;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data")
}

/// Writes the QP076… quartiers of the official shapefile (Lambert-93 coordinates as read, no
/// reprojection) into `qpv.gpkg` as layer `qpv2015`, plus an empty layer `autre`.
fn write_geopackage(dir: &Path) {
    let mut ds = write_with("GPKG", &dir.join("qpv.gpkg"), &[]);
    let srs = gdal::spatial_ref::SpatialRef::from_epsg(2154).unwrap();
    ds.create_layer(LayerOptions {
        name: "autre",
        srs: Some(&srs),
        ty: OGRwkbGeometryType::wkbPoint,
        options: None,
    })
    .unwrap();
}

/// Writes the QP076… quartiers of the official shapefile, in Lambert-93, with an OGR driver.
fn write_with(driver: &str, path: &Path, layer_options: &[&str]) -> gdal::Dataset {
    let raw = shapefile::read(
        &DataRoot::Disk(data_dir()),
        "qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp",
    )
    .unwrap();
    let driver = gdal::DriverManager::get_driver_by_name(driver).unwrap();
    let mut ds = driver.create_vector_only(path).unwrap();
    let srs = gdal::spatial_ref::SpatialRef::from_epsg(2154).unwrap();
    {
        let layer = ds
            .create_layer(LayerOptions {
                name: "qpv2015",
                srs: Some(&srs),
                ty: OGRwkbGeometryType::wkbMultiPolygon,
                options: (!layer_options.is_empty()).then_some(layer_options),
            })
            .unwrap();
        layer
            .create_defn_fields(&[
                ("CODE_QP", OGRFieldType::OFTString),
                ("NOM_QP", OGRFieldType::OFTString),
            ])
            .unwrap();
        for f in &raw.features {
            let code = property_text(f, "CODE_QP").unwrap();
            if !code.starts_with("QP076") {
                continue;
            }
            let g: geo::Geometry<f64> =
                geo::Geometry::try_from(f.geometry.clone().unwrap()).unwrap();
            let mut feature = gdal::vector::Feature::new(layer.defn()).unwrap();
            feature.set_geometry(g.to_gdal().unwrap()).unwrap();
            feature.set_field_string(0, &code).unwrap();
            feature
                .set_field_string(1, &property_text(f, "NOM_QP").unwrap())
                .unwrap();
            feature.create(&layer).unwrap();
        }
    }
    ds
}

fn spec(layer: Option<&str>) -> LayerSpec<'_> {
    LayerSpec {
        file: "qpv.gpkg",
        format: LayerFormat::Gpkg,
        crs: None,
        layer,
    }
}

#[test]
fn a_lambert93_geopackage_layer_reads_back_as_the_wgs84_geojson_qpv() {
    let dir = tempfile::tempdir().unwrap();
    write_geopackage(dir.path());
    let root = DataRoot::Disk(dir.path().to_path_buf());
    let layer = read_layer_with(&root, spec(Some("qpv2015")), Backend::preferred()).unwrap();
    assert!(
        layer.crs.crs_found.contains("EPSG:2154") && layer.crs.crs_found.contains("(GDAL)"),
        "{:?}",
        layer.crs
    );
    matches_the_geojson(&layer.features);
}

#[test]
fn flatgeobuf_kml_and_wkt_csv_files_read_back_as_the_wgs84_geojson_qpv() {
    let dir = tempfile::tempdir().unwrap();
    let root = DataRoot::Disk(dir.path().to_path_buf());
    // FlatGeobuf keeps the CRS; KML is WGS84 by definition (OGR reprojects on writing); a CSV
    // holds no CRS, so the manifest declares it.
    drop(write_with("FlatGeobuf", &dir.path().join("qpv.fgb"), &[]));
    drop(write_with("LIBKML", &dir.path().join("qpv.kml"), &[]));
    drop(write_with(
        "CSV",
        &dir.path().join("qpv.csv"),
        &["GEOMETRY=AS_WKT"],
    ));
    for (file, format, crs, found) in [
        ("qpv.fgb", LayerFormat::Flatgeobuf, None, "EPSG:2154"),
        ("qpv.kml", LayerFormat::Kml, None, "4326"),
        ("qpv.csv", LayerFormat::Csv, Some("EPSG:2154"), "EPSG:2154"),
    ] {
        let spec = LayerSpec {
            file,
            format,
            crs,
            layer: None,
        };
        let layer = read_layer_with(&root, spec, Backend::preferred())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            layer.crs.crs_found.contains(found),
            "{file}: {:?}",
            layer.crs
        );
        let keys: Vec<_> = layer.features[0]
            .properties
            .as_ref()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert!(
            keys.iter().any(|k| k == "CODE_QP"),
            "{file}: attributes {keys:?}"
        );
        matches_the_geojson(&layer.features);
    }
}

/// The features are the 28 QPV 2015 of Seine-Maritime of the WGS84 GeoJSON: same codes and
/// names, Lambert-93 areas within 0.1 %.
fn matches_the_geojson(features: &[geojson::Feature]) {
    let reference = read_layer_with(
        &DataRoot::Disk(data_dir()),
        LayerSpec {
            file: "qpv/qpv2015_dep76.geojson",
            format: LayerFormat::Geojson,
            crs: None,
            layer: None,
        },
        Backend::preferred(),
    )
    .unwrap();
    let area = |f: &geojson::Feature| {
        let g = geo::Geometry::try_from(f.geometry.clone().unwrap()).unwrap();
        let l93 = Lambert93::new();
        let mp = match g {
            geo::Geometry::MultiPolygon(mp) => mp,
            geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
            other => panic!("{other:?}"),
        };
        assert!(
            mp.coords_iter()
                .all(|c| (-1.0..2.0).contains(&c.x) && (49.0..50.2).contains(&c.y))
        );
        l93.multipolygon_from_wgs84(&mp).unwrap().unsigned_area()
    };
    let by_code = |features: &[geojson::Feature]| -> BTreeMap<String, (String, f64)> {
        features
            .iter()
            .map(|f| {
                (
                    property_text(f, "CODE_QP").unwrap(),
                    (property_text(f, "NOM_QP").unwrap(), area(f)),
                )
            })
            .collect()
    };
    let (a, b) = (by_code(features), by_code(&reference.features));
    assert_eq!(a.len(), 28);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (code, (name, area_m2)) in &a {
        let (ref_name, ref_area) = &b[code];
        assert_eq!(name, ref_name);
        assert!(
            (area_m2 - ref_area).abs() / ref_area < 1e-3,
            "{code}: {area_m2} vs {ref_area}"
        );
    }
}

#[test]
fn a_layer_name_not_in_the_geopackage_is_an_error_listing_its_layers() {
    let dir = tempfile::tempdir().unwrap();
    write_geopackage(dir.path());
    let root = DataRoot::Disk(dir.path().to_path_buf());
    let e = read_layer_with(&root, spec(Some("qpv2024")), Backend::preferred())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("qpv.gpkg")
            && e.contains("« qpv2024 »")
            && e.contains("qpv2015")
            && e.contains("autre"),
        "{e}"
    );
    let e = read_layer_with(&root, spec(None), Backend::preferred())
        .unwrap_err()
        .to_string();
    assert!(e.contains("2 couches") && e.contains("layer = "), "{e}");
}
