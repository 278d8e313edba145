//! GeoPackage through GDAL (feature `gdal`): the Seine-Maritime QPV of the official shapefile,
//! written by the test into a two-layer GeoPackage in Lambert-93, read back by layer name and
//! checked against the WGS84 GeoJSON; a wrong layer name is a clear error.
#![cfg(feature = "gdal")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gdal::vector::{LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal};
use geo::{Area, CoordsIter};
use repere_engine::crs::Lambert93;
use repere_engine::load::features::property_text;
use repere_engine::load::formats::{LayerSpec, read_layer_with, shapefile};
use repere_engine::manifest::LayerFormat;
use repere_engine::reproject::Backend;
use repere_engine::source::DataRoot;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data")
}

/// Writes the QP076… quartiers of the official shapefile (Lambert-93 coordinates as read, no
/// reprojection) into `qpv.gpkg` as layer `qpv2015`, plus an empty layer `autre`.
fn write_geopackage(dir: &Path) {
    let raw = shapefile::read(
        &DataRoot::Disk(data_dir()),
        "qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp",
    )
    .unwrap();
    let driver = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
    let mut ds = driver.create_vector_only(dir.join("qpv.gpkg")).unwrap();
    let srs = gdal::spatial_ref::SpatialRef::from_epsg(2154).unwrap();
    {
        let layer = ds
            .create_layer(LayerOptions {
                name: "qpv2015",
                srs: Some(&srs),
                ty: OGRwkbGeometryType::wkbMultiPolygon,
                options: None,
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
    ds.create_layer(LayerOptions {
        name: "autre",
        srs: Some(&srs),
        ty: OGRwkbGeometryType::wkbPoint,
        options: None,
    })
    .unwrap();
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
        layer.crs.crs_found.contains("EPSG:2154") && layer.crs.crs_found.contains("gdal"),
        "{:?}",
        layer.crs
    );

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
    let (a, b) = (by_code(&layer.features), by_code(&reference.features));
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
            && e.contains("\"qpv2024\"")
            && e.contains("qpv2015")
            && e.contains("autre"),
        "{e}"
    );
    let e = read_layer_with(&root, spec(None), Backend::preferred())
        .unwrap_err()
        .to_string();
    assert!(e.contains("2 layers") && e.contains("layer = "), "{e}");
}
