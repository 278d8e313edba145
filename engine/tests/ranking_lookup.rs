//! Ranking and lookup on the real default data.

use repere_engine::point::PointError;
use repere_engine::point_lookup::{LookupError, lookup};
use repere_engine::ranking::{Weights, rank};

mod common;

use common::{default_dataset as dataset, default_diagnostics as diagnostics};

fn order(w: &str) -> Vec<String> {
    rank(diagnostics(), &Weights::parse(w).unwrap())
        .entries
        .iter()
        .map(|e| e.code.to_string())
        .collect()
}

#[test]
fn every_commune_is_ranked_once_with_ranks_one_to_n() {
    let r = rank(diagnostics(), &Weights::default());
    assert_eq!(r.entries.len(), 71);
    assert!(r.entries.iter().enumerate().all(|(i, e)| e.rank == i + 1));
    assert!(
        r.entries
            .windows(2)
            .all(|w| w[0].score >= w[1].score - 1e-9)
    );
}

#[test]
fn each_score_is_the_sum_of_its_component_points() {
    for e in rank(diagnostics(), &Weights::default()).entries {
        let sum: f64 = e.components.iter().map(|c| c.points).sum();
        assert!(
            (sum - e.score).abs() < 1e-9,
            "{}: {sum} vs {}",
            e.code,
            e.score
        );
        assert!((0.0..=100.0 + 1e-9).contains(&e.score));
    }
}

#[test]
fn changing_weights_changes_the_order() {
    let neet_only = order("neet=1,neet_count=0,youth_qpv=0,access=0,distance=0");
    let access_only = order("neet=0,neet_count=0,youth_qpv=0,access=1,distance=0");
    assert_ne!(neet_only, access_only);
    assert_ne!(order(""), neet_only);
}

#[test]
fn a_neet_share_only_ranking_puts_the_highest_share_first() {
    let d = diagnostics();
    let top = &order("neet=1,neet_count=0,youth_qpv=0,access=0,distance=0")[0];
    let max = d
        .communes
        .iter()
        .filter_map(|c| c.neet_share_2018_pct.value)
        .fold(f64::MIN, f64::max);
    let top_share = d
        .communes
        .iter()
        .find(|c| c.code.as_str() == top)
        .unwrap()
        .neet_share_2018_pct
        .value
        .unwrap();
    assert!((top_share - max).abs() < 1e-9);
}

#[test]
fn ties_are_broken_by_commune_code() {
    // With only the QPV youth component, every commune without QPV scores 0: a large tie.
    let r = rank(
        diagnostics(),
        &Weights::parse("neet=0,neet_count=0,youth_qpv=1,access=0,distance=0").unwrap(),
    );
    let zeros: Vec<_> = r
        .entries
        .iter()
        .filter(|e| e.score == 0.0)
        .map(|e| e.code.clone())
        .collect();
    assert!(zeros.len() > 40, "{} communes at 0", zeros.len());
    assert!(zeros.windows(2).all(|w| w[0] < w[1]));
    // And the order is the same on a second run.
    let again = rank(diagnostics(), &r.weights);
    assert_eq!(r.entries, again.entries);
}

#[test]
fn the_distance_component_says_the_mission_locale_is_missing() {
    let r = rank(diagnostics(), &Weights::default());
    let c = r.components.iter().find(|c| c.key == "distance").unwrap();
    assert!(c.available);
    assert!(c.note.as_deref().unwrap().contains("aucune mission locale"));
}

#[test]
fn unknown_weight_keys_are_named_in_the_error() {
    let e = Weights::parse("neet=2,acces=1").unwrap_err();
    assert!(e.to_string().contains("« acces »"), "{e}");
}

#[test]
fn a_point_in_the_hauts_de_rouen_is_in_rouen_and_in_its_qpv() {
    let ds = dataset();
    // A vertex-free interior point: the centroid of the QPV's Rouen part, back in WGS84.
    let q = ds
        .qpv(&repere_engine::QpvCode::parse("QN07620M").unwrap())
        .unwrap();
    let c = geo::Centroid::centroid(&q.boundary_wgs84).unwrap();
    let hit = lookup(ds, c.x(), c.y()).unwrap();
    assert_eq!(hit.qpv.as_ref().unwrap().code.as_str(), "QN07620M");
    assert_eq!(hit.nearest_qpv.as_ref().unwrap().distance_m, 0.0);
    assert_eq!(hit.commune.unwrap().code.as_str(), "76540");
}

#[test]
fn a_point_outside_every_qpv_gets_the_nearest_one_and_a_positive_distance() {
    // Rouen's Hôtel de Ville square area (1.0993, 49.4431): outside any QPV.
    let hit = lookup(dataset(), 1.0993, 49.4431).unwrap();
    assert!(hit.qpv.is_none());
    let n = hit.nearest_qpv.unwrap();
    assert!(n.distance_m > 0.0 && n.distance_m < 5_000.0, "{n:?}");
}

#[test]
fn out_of_range_coordinates_are_refused_with_the_value() {
    assert_eq!(
        lookup(dataset(), 181.0, 49.0),
        Err(LookupError::Point(PointError::Longitude { lon: 181.0 }))
    );
    assert!(matches!(
        lookup(dataset(), 1.0, f64::NAN),
        Err(LookupError::Point(e @ PointError::NotFinite { .. })) if e.field() == "lat"
    ));
    assert!(
        lookup(dataset(), 1.0, -91.0)
            .unwrap_err()
            .to_string()
            .contains("-91")
    );
}

#[test]
fn a_point_far_away_has_no_commune_but_still_a_nearest_qpv() {
    let hit = lookup(dataset(), 2.35, 48.85).unwrap();
    assert!(hit.commune.is_none());
    assert!(hit.nearest_qpv.unwrap().distance_m > 100_000.0);
}
