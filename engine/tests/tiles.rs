//! Tiles of the real default data, decoded with an independent MVT decoder (`mvt-reader`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::OnceLock;

use geo::{Geometry, LineString, Polygon, Validation};
use mvt_reader::Reader;
use mvt_reader::feature::Value;
use repere_engine::tiles::layers::CommuneExtras;
use repere_engine::tiles::{TileCoord, TileSet};
use repere_engine::{Dataset, Territory};

fn fixture() -> &'static (Dataset, TileSet) {
    static F: OnceLock<(Dataset, TileSet)> = OnceLock::new();
    F.get_or_init(|| {
        let (d, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
        let t = TileSet::from_dataset(&d, &CommuneExtras::new(), Vec::new());
        (d, t)
    })
}

/// Decoded layer name → features (geometry in tile coordinates, properties).
type Decoded = HashMap<String, Vec<(Geometry<f64>, HashMap<String, Value>)>>;

fn decode(bytes: Vec<u8>) -> (Decoded, Vec<u32>) {
    let reader = Reader::new(bytes).unwrap();
    let mut out = Decoded::new();
    let mut extents = Vec::new();
    for meta in reader.get_layer_metadata().unwrap() {
        extents.push(meta.extent);
        let features = reader.get_features_as::<f64>(meta.layer_index).unwrap();
        assert_eq!(features.len(), meta.feature_count);
        out.insert(
            meta.name.clone(),
            features
                .into_iter()
                .map(|f| (f.geometry, f.properties.unwrap_or_default()))
                .collect(),
        );
    }
    (out, extents)
}

fn tile(layers: &str, z: u8, x: u32, y: u32) -> Option<(Decoded, Vec<u32>)> {
    let (_, t) = fixture();
    let sel = t.select(layers).unwrap();
    t.encode(&sel, TileCoord::new(z, x, y).unwrap())
        .unwrap()
        .map(decode)
}

fn text(props: &HashMap<String, Value>, key: &str) -> String {
    match props.get(key) {
        Some(Value::String(s)) => s.clone(),
        other => panic!("{key} is not a string: {other:?}"),
    }
}

fn number(props: &HashMap<String, Value>, key: &str) -> f64 {
    match props.get(key) {
        Some(Value::Int(n) | Value::SInt(n)) => *n as f64,
        Some(Value::UInt(n)) => *n as f64,
        Some(Value::Double(d)) => *d,
        other => panic!("{key} is not a number: {other:?}"),
    }
}

/// Surveyor's (shoelace) area in tile coordinates (y down): MVT exteriors are positive.
fn shoelace(ring: &LineString<f64>) -> f64 {
    ring.0
        .windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum::<f64>()
        / 2.0
}

fn polygons(g: &Geometry<f64>) -> Vec<Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(mp) => mp.0.clone(),
        other => panic!("not a polygon: {other:?}"),
    }
}

#[test]
fn the_z14_tile_over_les_hauts_de_rouen_holds_the_qpv_and_both_communes() {
    let (layers, extents) = tile("all", 14, 8243, 5594).expect("the tile is not empty");
    assert!(extents.iter().all(|&e| e == 4096), "{extents:?}");
    assert!(
        layers.contains_key("communes") && layers.contains_key("qpv"),
        "{:?}",
        layers.keys()
    );

    let qpv = &layers["qpv"];
    let hauts = qpv
        .iter()
        .find(|(_, p)| text(p, "code") == "QN07620M")
        .expect("QN07620M in the tile");
    assert_eq!(text(&hauts.1, "name"), "Les Hauts de Rouen");
    assert_eq!(number(&hauts.1, "vintage"), 2024.0);
    assert_eq!(text(&hauts.1, "communes"), "76095,76540");

    let communes = &layers["communes"];
    let by_code: HashMap<String, &HashMap<String, Value>> =
        communes.iter().map(|(_, p)| (text(p, "code"), p)).collect();
    assert_eq!(text(by_code["76540"], "name"), "Rouen");
    assert_eq!(text(by_code["76095"], "name"), "Bihorel");
    assert!(number(by_code["76540"], "population") > 100_000.0);
}

#[test]
fn decoded_polygons_are_valid_with_positive_exteriors_and_negative_holes() {
    let (_, t) = fixture();
    let sel = t.select("communes,qpv,iris").unwrap();
    let mut checked = 0;
    for z in [6u8, 8, 10, 11, 12] {
        for coord in t.tiles_covering(&sel, z) {
            let Some(bytes) = t.encode(&sel, coord).unwrap() else {
                continue;
            };
            let (layers, _) = decode(bytes);
            for (name, features) in layers {
                for (g, props) in features {
                    for p in polygons(&g) {
                        assert!(
                            p.is_valid(),
                            "{name} {:?} at {coord}: {:?}",
                            props.get("code"),
                            p.validation_errors()
                        );
                        assert!(
                            shoelace(p.exterior()) > 0.0,
                            "{name} exterior winding at {coord}"
                        );
                        for hole in p.interiors() {
                            assert!(shoelace(hole) < 0.0, "{name} hole winding at {coord}");
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} polygons checked");
}

#[test]
fn every_actor_appears_once_in_the_unbuffered_tiles_of_zoom_12() {
    let (d, t) = fixture();
    let sel = t.select("actors").unwrap();
    let mut inside = 0;
    for coord in t.tiles_covering(&sel, 12) {
        let Some(bytes) = t.encode(&sel, coord).unwrap() else {
            continue;
        };
        let (layers, _) = decode(bytes);
        for (g, props) in &layers["actors"] {
            let p = match g {
                Geometry::Point(p) => *p,
                Geometry::MultiPoint(mp) if mp.0.len() == 1 => mp.0[0],
                other => panic!("actor is not a point: {other:?}"),
            };
            assert!(!text(props, "kind").is_empty() && !text(props, "group").is_empty());
            if (0.0..4096.0).contains(&p.x()) && (0.0..4096.0).contains(&p.y()) {
                inside += 1;
            }
        }
    }
    assert_eq!(inside, d.actors.len());
}

#[test]
fn a_tile_far_from_the_territory_is_empty() {
    assert!(tile("all", 14, 0, 0).is_none());
    // Below every layer's minimum zoom.
    assert!(tile("actors", 3, 4, 2).is_none());
}

#[test]
fn layer_selection_names_the_unknown_layer() {
    let (_, t) = fixture();
    assert_eq!(t.select("qpv,communes,qpv").unwrap().len(), 2);
    let err = t.select("communes,nope").unwrap_err().to_string();
    assert!(
        err.contains("« nope »") && err.contains("communes"),
        "{err}"
    );
}

#[test]
fn tilejson_lists_every_layer_with_fields_and_the_territory_bounds() {
    let (_, t) = fixture();
    let sel = t.select("all").unwrap();
    let j = t.tilejson(&sel, "all", "http://h/tiles/v/all/{z}/{x}/{y}.mvt");
    assert_eq!(j["tilejson"], "3.0.0");
    let ids: Vec<&str> = j["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, t.layer_names());
    assert_eq!(j["vector_layers"][0]["fields"]["code"], "String");
    let b = j["bounds"].as_array().unwrap();
    let west = b[0].as_f64().unwrap();
    let north = b[3].as_f64().unwrap();
    assert!(
        (0.5..1.2).contains(&west) && (49.3..49.7).contains(&north),
        "{b:?}"
    );
}

#[test]
fn a_synthetic_extra_layer_is_tiled_and_listed_like_the_others() {
    use geo::{MultiPolygon, polygon};
    use repere_engine::tiles::{FieldValue, SourceFeature, SourceGeometry, SourceLayer, ZoomRange};
    // Synthetic: a 0.01° square with a hole, around Rouen's centre.
    let square = polygon!(
        exterior: [(x: 1.09, y: 49.44), (x: 1.10, y: 49.44), (x: 1.10, y: 49.45), (x: 1.09, y: 49.45)],
        interiors: [[(x: 1.094, y: 49.444), (x: 1.096, y: 49.444), (x: 1.096, y: 49.446), (x: 1.094, y: 49.446)]],
    );
    let layer = SourceLayer {
        name: "gaps_synthetic".into(),
        description: "synthetic test layer".into(),
        zooms: ZoomRange::new(10, 14),
        features: vec![SourceFeature {
            geometry_wgs84: SourceGeometry::Polygons(MultiPolygon(vec![square])),
            properties: vec![
                ("gap".into(), FieldValue::from("ML")),
                ("distance_m".into(), FieldValue::from(1234.5)),
            ],
        }],
        priority: None,
        cell_m: None,
    };
    let t = TileSet::build("synthetic", vec![layer]);
    let sel = t.select("gaps_synthetic").unwrap();
    assert_eq!(t.layer_infos(&sel)[0].fields["distance_m"], "Number");
    let (x, y) = repere_engine::tiles::mercator::tile_of_lonlat(1.095, 49.445, 12);
    let (layers, _) = decode(
        t.encode(&sel, TileCoord::new(12, x, y).unwrap())
            .unwrap()
            .unwrap(),
    );
    let (g, props) = &layers["gaps_synthetic"][0];
    assert_eq!(text(props, "gap"), "ML");
    let p = &polygons(g)[0];
    assert!(p.is_valid() && shoelace(p.exterior()) > 0.0);
    assert_eq!(p.interiors().len(), 1);
    assert!(shoelace(&p.interiors()[0]) < 0.0);
    // Below the layer's minimum zoom: empty.
    let (x, y) = repere_engine::tiles::mercator::tile_of_lonlat(1.095, 49.445, 9);
    assert!(
        t.encode(&sel, TileCoord::new(9, x, y).unwrap())
            .unwrap()
            .is_none()
    );
}

#[test]
fn every_commune_and_qpv_has_one_label_point_inside_its_own_area() {
    use geo::Intersects;
    let (d, _) = fixture();
    let communes = repere_engine::tiles::labels::commune_labels(d);
    assert_eq!(communes.features.len(), d.communes.len());
    for (c, f) in d.communes.iter().zip(&communes.features) {
        let repere_engine::tiles::SourceGeometry::Point(p) = f.geometry_wgs84 else {
            panic!("{} label is not a point", c.code.as_str());
        };
        assert!(c.boundary_wgs84.intersects(&p), "{} label outside", c.name);
    }
    let qpv = repere_engine::tiles::labels::qpv_labels(d);
    assert_eq!(qpv.features.len(), d.qpv.len());
    for (q, f) in d.qpv.iter().zip(&qpv.features) {
        let repere_engine::tiles::SourceGeometry::Point(p) = f.geometry_wgs84 else {
            panic!("{} label is not a point", q.code.as_str());
        };
        assert!(
            q.boundary_wgs84.intersects(&p),
            "{} label outside",
            q.code.as_str()
        );
    }
}

#[test]
fn a_z10_tile_over_rouen_carries_one_rouen_label_point_and_elbeuf() {
    // Rouen (1.10°E, 49.44°N) is in z10 tile 515/349, Elbeuf (1.01°E, 49.29°N) in 514-515/349-350.
    let mut names = Vec::new();
    for (x, y) in [(515, 349), (515, 350), (514, 349), (514, 350)] {
        if let Some((layers, _)) = tile("commune_labels", 10, x, y) {
            for (g, props) in &layers["commune_labels"] {
                assert!(matches!(g, Geometry::Point(_) | Geometry::MultiPoint(_)));
                let (gx, gy) = match g {
                    Geometry::Point(p) => (p.x(), p.y()),
                    Geometry::MultiPoint(m) => (m.0[0].x(), m.0[0].y()),
                    _ => unreachable!(),
                };
                // Points are kept only inside the tile proper (no duplicate in the buffer).
                if (0.0..4096.0).contains(&gx) && (0.0..4096.0).contains(&gy) {
                    names.push(text(props, "name"));
                }
            }
        }
    }
    assert_eq!(
        names.iter().filter(|n| *n == "Rouen").count(),
        1,
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "Elbeuf"), "{names:?}");
}

#[test]
fn every_metropole_commune_and_label_is_drawn_at_every_zoom_from_5() {
    // The density rule that thins France at low zooms leaves the Métropole's tiles whole.
    let (d, t) = fixture();
    let sel = t.select("communes,commune_labels").unwrap();
    for z in 5u8..=11 {
        let mut communes = std::collections::BTreeSet::new();
        let mut labels = std::collections::BTreeSet::new();
        for coord in t.tiles_touched(&sel, z) {
            let Some(bytes) = t.encode(&sel, coord).unwrap() else {
                continue;
            };
            let (layers, _) = decode(bytes);
            for (_, p) in layers.get("communes").into_iter().flatten() {
                communes.insert(text(p, "code"));
            }
            for (_, p) in layers.get("commune_labels").into_iter().flatten() {
                labels.insert(text(p, "code"));
            }
        }
        assert_eq!(communes.len(), d.communes.len(), "communes at z{z}");
        assert_eq!(labels.len(), d.communes.len(), "labels at z{z}");
    }
}

#[test]
fn the_touched_tiles_hold_every_non_empty_tile_of_the_bounds() {
    let (_, t) = fixture();
    let sel = t.select("all").unwrap();
    for z in [5u8, 8, 10, 12] {
        let touched: std::collections::BTreeSet<String> = t
            .tiles_touched(&sel, z)
            .iter()
            .map(|c| c.to_string())
            .collect();
        let non_empty: Vec<String> = t
            .tiles_covering(&sel, z)
            .into_iter()
            .filter(|&c| t.encode(&sel, c).unwrap().is_some())
            .map(|c| c.to_string())
            .collect();
        assert!(!non_empty.is_empty());
        for c in &non_empty {
            assert!(touched.contains(c), "non-empty tile {c} not touched");
        }
    }
}
