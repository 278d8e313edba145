//! Property tests of the overlays on the real default data (and synthetic points drawn in the
//! territory's bounding box).

use std::sync::OnceLock;

use geo::{BoundingRect, Point};
use proptest::prelude::*;
use repere_engine::crs::distance_m;
use repere_engine::overlay::commune_qpv::{CommuneQpvOverlay, SliverRule};
use repere_engine::overlay::planar::point_polygon_distance_m;
use repere_engine::{Dataset, Territory};

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        repere_engine::load::load(&Territory::default_rouen().unwrap())
            .unwrap()
            .0
    })
}

fn overlay() -> &'static CommuneQpvOverlay {
    static O: OnceLock<CommuneQpvOverlay> = OnceLock::new();
    O.get_or_init(|| CommuneQpvOverlay::compute(dataset(), SliverRule::default()))
}

/// The territory's Lambert-93 bounding box.
fn bbox() -> (f64, f64, f64, f64) {
    let ds = dataset();
    let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for c in &ds.communes {
        let r = c.boundary_l93.bounding_rect().unwrap();
        b = (
            b.0.min(r.min().x),
            b.1.min(r.min().y),
            b.2.max(r.max().x),
            b.3.max(r.max().y),
        );
    }
    b
}

#[test]
fn the_qpv_pieces_of_all_communes_add_up_to_each_qpv_area_within_half_a_percent() {
    let ds = dataset();
    let o = overlay();
    for (qi, q) in ds.qpv.iter().enumerate() {
        let sum: f64 = o.of_qpv(qi).map(|p| p.area_m2).sum();
        let rel = (sum - q.area_m2).abs() / q.area_m2;
        assert!(
            rel < 0.005,
            "QPV {} area {:.0} m², pieces {:.0} m² ({:.3} %)",
            q.code,
            q.area_m2,
            sum,
            100.0 * rel
        );
    }
}

#[test]
fn every_piece_has_a_non_negative_area_no_larger_than_its_qpv() {
    let ds = dataset();
    for p in &overlay().pieces {
        assert!(
            p.area_m2 >= 0.0 && p.area_m2 <= ds.qpv[p.qpv].area_m2 * (1.0 + 1e-6),
            "{p:?}"
        );
    }
}

#[test]
fn batch_nearest_and_counts_equal_the_scan_of_every_actor() {
    use repere_engine::overlay::nearest::{nearest_by, nearest_from_points, nearest_from_polygons};
    use repere_engine::overlay::point_in_polygon::counts_by_commune;
    let ds = dataset();
    // Every QPV boundary (all vintages) and a row of synthetic points across the territory.
    let areas: Vec<&geo::MultiPolygon> = ds.qpv.iter().map(|q| &q.boundary_l93).collect();
    let (x0, y0, x1, y1) = bbox();
    let points: Vec<Point> = (0..=40)
        .map(|i| {
            let f = f64::from(i) / 40.0;
            Point::new(x0 + f * (x1 - x0), y0 + (1.0 - f) * (y1 - y0))
        })
        .collect();
    let by_polygon = nearest_from_polygons(ds, &areas);
    assert_eq!(by_polygon.len(), areas.len());
    for (area, got) in areas.iter().zip(&by_polygon) {
        let scan = nearest_by(ds, |a| point_polygon_distance_m(a, area));
        assert!(!scan.is_empty());
        assert_eq!(got, &scan);
    }
    let by_point = nearest_from_points(ds, &points);
    for (p, got) in points.iter().zip(&by_point) {
        assert_eq!(got, &nearest_by(ds, |a| distance_m(*p, a)));
    }
    // Counts per commune: the brute-force containment of every actor.
    let actor_points: Vec<Point> = ds.actors.iter().map(|a| a.point_l93).collect();
    let counts = counts_by_commune(ds, &actor_points);
    for (c, n) in ds.communes.iter().zip(&counts) {
        let brute = actor_points
            .iter()
            .filter(|p| geo::Contains::contains(&c.boundary_l93, *p))
            .count();
        assert_eq!(*n, brute, "commune {}", c.code);
    }
    assert!(counts.iter().sum::<usize>() > 0);
}

#[test]
fn slivers_of_unlisted_communes_do_not_count() {
    // Grand-Quevilly (76322) touches Château Blanc by simplified borders only.
    let o = overlay();
    let p = o
        .pieces
        .iter()
        .find(|p| p.commune_code.as_str() == "76322" && p.qpv_code.as_str() == "QN07621M")
        .unwrap();
    assert!(!p.counts);
    assert!(p.area_m2 > 0.0 && p.area_m2 < 10_000.0, "{p:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_point_is_in_at_most_one_commune(fx in 0.0f64..1.0, fy in 0.0f64..1.0) {
        let ds = dataset();
        let (x0, y0, x1, y1) = bbox();
        let p = Point::new(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0));
        let containing = ds.communes.iter().filter(|c| geo::Contains::contains(&c.boundary_l93, &p)).count();
        prop_assert!(containing <= 1, "{containing} communes contain {p:?}");
        // And the indexed lookup agrees with the brute-force one.
        prop_assert_eq!(ds.commune_at_l93(p).is_some(), containing == 1);
    }

    #[test]
    fn point_distances_are_symmetric_and_non_negative(ax in -1e6f64..1e6, ay in -1e6f64..1e6, bx in -1e6f64..1e6, by in -1e6f64..1e6) {
        let (a, b) = (Point::new(ax, ay), Point::new(bx, by));
        let (d1, d2) = (distance_m(a, b), distance_m(b, a));
        prop_assert!(d1 >= 0.0);
        prop_assert!((d1 - d2).abs() <= 1e-9 * d1.max(1.0));
        prop_assert!(distance_m(a, a) == 0.0);
    }

    #[test]
    fn distance_to_a_qpv_is_non_negative_and_zero_exactly_inside(fx in 0.0f64..1.0, fy in 0.0f64..1.0, k in 0usize..16) {
        let ds = dataset();
        let (x0, y0, x1, y1) = bbox();
        let p = Point::new(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0));
        let q = &ds.qpv[k % ds.qpv.len()];
        let d = point_polygon_distance_m(p, &q.boundary_l93);
        prop_assert!(d >= 0.0);
        prop_assert_eq!(d == 0.0, geo::Intersects::intersects(&q.boundary_l93, &p));
    }
}
