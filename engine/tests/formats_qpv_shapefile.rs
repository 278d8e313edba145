//! The official QPV 2015 shapefile (ANCT, Lambert-93, DBF in Windows-1252) read without any
//! conversion step, checked against the WGS84 GeoJSON of the same QPV.

use std::collections::BTreeMap;
use std::path::PathBuf;

use geo::{Area, CoordsIter, MultiPolygon};
use repere_engine::crs::Lambert93;
use repere_engine::data_root::DataRoot;
use repere_engine::load::features::property_text;
use repere_engine::load::formats::{Layer, LayerSpec, read_layer_with};
use repere_engine::manifest::LayerFormat;
use repere_engine::reproject::Backend;

const SHP: &str = "qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp";
const GEOJSON_76: &str = "qpv/qpv2015_dep76.geojson";

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data")
}

fn read(file: &str, format: LayerFormat, backend: Backend) -> Layer {
    let spec = LayerSpec {
        file,
        format,
        crs: None,
        layer: None,
    };
    read_layer_with(&DataRoot::Disk(data_dir()), spec, backend).unwrap()
}

/// QPV code → WGS84 multipolygon.
fn by_code(layer: &Layer, prefix: &str) -> BTreeMap<String, MultiPolygon> {
    layer
        .features
        .iter()
        .filter_map(|f| {
            let code = property_text(f, "CODE_QP")?;
            code.starts_with(prefix).then_some(())?;
            let g = geo::Geometry::try_from(f.geometry.clone()?).ok()?;
            let mp = match g {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                other => panic!("{code}: not a polygon: {other:?}"),
            };
            Some((code, mp))
        })
        .collect()
}

struct Agreement {
    codes_equal: bool,
    /// Largest distance (max of |Δlon|, |Δlat|) from a vertex of either file to the nearest
    /// vertex of the other (the vertex Hausdorff distance), over all QPV.
    max_vertex_diff_deg: f64,
    /// QPV with as many vertices in both files.
    same_vertex_count: usize,
    /// Largest relative difference of Lambert-93 areas.
    max_area_rel_diff: f64,
    compared: usize,
}

fn compare_with_geojson(backend: Backend) -> Agreement {
    let shp = by_code(&read(SHP, LayerFormat::Shapefile, backend), "QP076");
    let reference = by_code(&read(GEOJSON_76, LayerFormat::Geojson, backend), "QP076");
    let l93 = Lambert93::new();
    let mut out = Agreement {
        codes_equal: shp.keys().eq(reference.keys()),
        max_vertex_diff_deg: 0.0,
        same_vertex_count: 0,
        max_area_rel_diff: 0.0,
        compared: 0,
    };
    for (code, a) in &shp {
        let Some(b) = reference.get(code) else {
            continue;
        };
        out.compared += 1;
        let (va, vb): (Vec<_>, Vec<_>) = (a.coords_iter().collect(), b.coords_iter().collect());
        if va.len() == vb.len() {
            out.same_vertex_count += 1;
        }
        // Rings may start at another vertex or polygons come in another order: compare each
        // vertex with its nearest counterpart, both ways.
        let nearest = |p: &geo::Coord, set: &[geo::Coord]| {
            set.iter()
                .map(|q| (p.x - q.x).abs().max((p.y - q.y).abs()))
                .fold(f64::INFINITY, f64::min)
        };
        for p in &va {
            out.max_vertex_diff_deg = out.max_vertex_diff_deg.max(nearest(p, &vb));
        }
        for q in &vb {
            out.max_vertex_diff_deg = out.max_vertex_diff_deg.max(nearest(q, &va));
        }
        let area_a = l93.multipolygon_from_wgs84(a).unwrap().unsigned_area();
        let area_b = l93.multipolygon_from_wgs84(b).unwrap().unsigned_area();
        out.max_area_rel_diff = out.max_area_rel_diff.max((area_a - area_b).abs() / area_b);
    }
    out
}

#[test]
fn the_official_shapefile_has_1296_quartiers_with_french_names_intact() {
    let layer = read(SHP, LayerFormat::Shapefile, Backend::Proj4rs);
    assert_eq!(layer.features.len(), 1296);
    let names: BTreeMap<String, String> = layer
        .features
        .iter()
        .map(|f| {
            (
                property_text(f, "CODE_QP").unwrap(),
                property_text(f, "NOM_QP").unwrap(),
            )
        })
        .collect();
    assert_eq!(names.len(), 1296, "codes are unique");
    assert_eq!(names["QP062020"], "Cité Des Brebis");
    assert!(
        names.values().all(|n| !n.contains('\u{FFFD}')),
        "no replacement character"
    );
    let accented = names
        .values()
        .filter(|n| n.chars().any(|c| "éèêëàâîïôöûùüçÉÈÎ".contains(c)))
        .count();
    assert!(accented > 100, "only {accented} names with French accents");
    assert!(
        layer.crs.crs_found.contains("EPSG:2154") && layer.crs.crs_found.contains(".prj"),
        "{:?}",
        layer.crs
    );
    assert!(
        layer.crs.transformation.contains("proj4rs"),
        "{:?}",
        layer.crs
    );
    assert!(
        layer
            .crs
            .encoding
            .as_deref()
            .unwrap_or_default()
            .contains("windows-1252"),
        "{:?}",
        layer.crs
    );
    // Every vertex lands in metropolitan France once reprojected.
    for f in &layer.features {
        let g = geo::Geometry::try_from(f.geometry.clone().unwrap()).unwrap();
        for c in g.coords_iter() {
            assert!(
                (-5.5..10.0).contains(&c.x) && (41.0..51.5).contains(&c.y),
                "{c:?}"
            );
        }
    }
}

#[test]
fn the_shapefile_embedded_in_the_binary_reads_like_the_one_on_disk() {
    let spec = LayerSpec {
        file: SHP,
        format: LayerFormat::Shapefile,
        crs: None,
        layer: None,
    };
    let embedded = read_layer_with(&DataRoot::Embedded, spec, Backend::Proj4rs).unwrap();
    let disk = read(SHP, LayerFormat::Shapefile, Backend::Proj4rs);
    assert_eq!(embedded.features.len(), 1296);
    assert_eq!(embedded.features, disk.features);
    assert_eq!(embedded.crs.file, format!("data/{SHP}"));
}

#[test]
fn the_seine_maritime_qpv_of_the_shapefile_match_the_wgs84_geojson_with_proj4rs() {
    let a = compare_with_geojson(Backend::Proj4rs);
    assert!(a.codes_equal);
    assert_eq!(a.compared, 28);
    eprintln!(
        "proj4rs: {} QPV with identical vertex counts, max vertex difference {:.2e}°, max area difference {:.2e}",
        a.same_vertex_count, a.max_vertex_diff_deg, a.max_area_rel_diff
    );
    assert!(a.max_area_rel_diff < 1e-3, "{}", a.max_area_rel_diff);
    assert!(a.max_vertex_diff_deg < 1e-6, "{}", a.max_vertex_diff_deg);
}

#[cfg(feature = "proj")]
#[test]
fn the_seine_maritime_qpv_of_the_shapefile_match_the_wgs84_geojson_with_proj() {
    let a = compare_with_geojson(Backend::Proj);
    assert!(a.codes_equal);
    assert_eq!(a.compared, 28);
    eprintln!(
        "PROJ: {} QPV with identical vertex counts, max vertex difference {:.2e}°, max area difference {:.2e}",
        a.same_vertex_count, a.max_vertex_diff_deg, a.max_area_rel_diff
    );
    assert!(a.max_area_rel_diff < 1e-3, "{}", a.max_area_rel_diff);
    assert!(a.max_vertex_diff_deg < 1e-6, "{}", a.max_vertex_diff_deg);
}

#[cfg(feature = "proj")]
#[test]
fn proj4rs_and_proj_agree_on_every_vertex_of_the_official_shapefile() {
    let a = by_code(&read(SHP, LayerFormat::Shapefile, Backend::Proj4rs), "QP");
    let b = by_code(&read(SHP, LayerFormat::Shapefile, Backend::Proj), "QP");
    assert_eq!(a.len(), 1296);
    let mut max = 0.0_f64;
    for (code, mp) in &a {
        for (p, q) in mp.coords_iter().zip(b[code].coords_iter()) {
            max = max.max((p.x - q.x).abs()).max((p.y - q.y).abs());
        }
    }
    eprintln!("proj4rs vs PROJ: max difference {max:.2e}°");
    // 1e-8° is about a millimetre.
    assert!(max < 1e-8, "{max}");
}
