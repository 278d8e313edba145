//! Dense tiles at low zooms (what France's 35 000 communes need), on synthetic layers built here:
//! a zoom-5 tile stays within its byte budget by dropping the smallest polygons and the least
//! populous label points, while the higher zooms keep every feature. Tiles decoded with
//! `mvt-reader`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use geo::{MultiPolygon, Point, polygon};
use mvt_reader::Reader;
use mvt_reader::feature::Value;
use repere_engine::tiles::{
    FieldValue, SourceFeature, SourceGeometry, SourceLayer, TileSet, ZoomRange,
};

/// Feature ids (the `id` property) of `layer` over every touched tile of zoom `z`, and the
/// largest raw tile in bytes.
fn ids_at(t: &TileSet, layer: &str, z: u8) -> (BTreeSet<i64>, usize) {
    let sel = t.select(layer).unwrap();
    let mut ids = BTreeSet::new();
    let mut largest = 0;
    for coord in t.tiles_touched(&sel, z) {
        let Some(bytes) = t.encode(&sel, coord).unwrap() else {
            continue;
        };
        largest = largest.max(bytes.len());
        let reader = Reader::new(bytes).unwrap();
        for f in reader.get_features(0).unwrap() {
            match f.properties.unwrap().get("id") {
                Some(Value::Int(n) | Value::SInt(n)) => ids.insert(*n),
                other => panic!("id: {other:?}"),
            };
        }
    }
    (ids, largest)
}

fn props(i: usize, n: usize) -> Vec<(String, FieldValue)> {
    let mut p = vec![("id".to_owned(), FieldValue::Int(i as i64))];
    // A dozen distinct numbers per feature, as the communes' diagnostic fields are.
    for k in 0..n {
        p.push((
            format!("field_{k}"),
            FieldValue::Double(i as f64 + k as f64 / 16.0),
        ));
    }
    p
}

#[test]
fn a_dense_polygon_layer_drops_its_smallest_polygons_at_zoom_5_only() {
    // Synthetic: a 120 × 120 grid of squares around 2°E 47°N, 0.02° apart, sides 0.006°-0.018°
    // (about 0.5-1.4 km at this latitude), larger with the index.
    let n = 120;
    let features: Vec<SourceFeature> = (0..n * n)
        .map(|i| {
            let (col, row) = ((i % n) as f64, (i / n) as f64);
            let side = 0.006 + 0.012 * (i as f64 / (n * n) as f64);
            let (x, y) = (1.0 + col * 0.02, 46.0 + row * 0.02);
            let square = polygon![(x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side)];
            SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(MultiPolygon(vec![square])),
                properties: props(i, 12),
            }
        })
        .collect();
    let layer = SourceLayer {
        name: "dense_synthetic".into(),
        description: "synthetic".into(),
        zooms: ZoomRange::new(5, 10),
        features,
        priority: None,
        cell_m: None,
    };
    let t = TileSet::build("synthetic", vec![layer]);

    let (at5, largest5) = ids_at(&t, "dense_synthetic", 5);
    assert!(largest5 <= 500 * 1024, "largest z5 tile {largest5} bytes");
    assert!(
        at5.len() < n * n / 2,
        "{} of {} kept at z5",
        at5.len(),
        n * n
    );
    // The largest squares are kept, the smallest dropped.
    assert!(at5.contains(&((n * n - 1) as i64)));
    assert!(!at5.contains(&0));

    // At zoom 10 (tiles of ~40 km) no tile is dense: every square is drawn.
    let (at10, _) = ids_at(&t, "dense_synthetic", 10);
    assert_eq!(at10.len(), n * n);
}

#[test]
fn dense_label_points_keep_the_most_populous_at_low_zoom_and_all_at_the_highest() {
    // Synthetic: 20 000 points on a 0.2° square, population = index.
    let n = 20_000;
    let features: Vec<SourceFeature> = (0..n)
        .map(|i| {
            let (a, b) = (
                (i * 7919 % n) as f64 / n as f64,
                (i * 104_729 % n) as f64 / n as f64,
            );
            let mut p = props(i, 1);
            p.push(("population".to_owned(), FieldValue::Int(i as i64)));
            SourceFeature {
                geometry_wgs84: SourceGeometry::Point(Point::new(2.0 + 0.2 * a, 47.0 + 0.2 * b)),
                properties: p,
            }
        })
        .collect();
    let layer = SourceLayer {
        name: "labels_synthetic".into(),
        description: "synthetic".into(),
        zooms: ZoomRange::new(5, 14),
        features,
        priority: Some("population".into()),
        cell_m: None,
    };
    let t = TileSet::build("synthetic", vec![layer]);
    let (at5, largest5) = ids_at(&t, "labels_synthetic", 5);
    assert!(largest5 <= 100 * 1024, "largest z5 tile {largest5} bytes");
    assert!(at5.len() < n / 4, "{} labels at z5", at5.len());
    // Kept means more populous than every dropped point.
    let min_kept = *at5.iter().next().unwrap();
    assert!(
        min_kept as usize >= n - at5.len(),
        "least populous kept: {min_kept}"
    );
    // Monotone: what zoom 8 keeps includes zoom 5's.
    let (at8, _) = ids_at(&t, "labels_synthetic", 8);
    assert!(at5.is_subset(&at8) && at8.len() >= at5.len());
    let (at14, _) = ids_at(&t, "labels_synthetic", 14);
    assert_eq!(at14.len(), n);
}
