//! Diagnostics on the real default data (Métropole Rouen Normandie).

use repere_engine::{CommuneCode, QpvCode};

mod common;

use common::default_diagnostics as diagnostics;

fn qpv_of(commune: &str) -> Vec<String> {
    let d = diagnostics()
        .commune(&CommuneCode::parse(commune).unwrap())
        .unwrap();
    d.qpv.iter().map(|q| q.code.to_string()).collect()
}

#[test]
fn rouen_lists_grammont_and_the_hauts_de_rouen() {
    assert_eq!(qpv_of("76540"), ["QN07619M", "QN07620M"]);
}

#[test]
fn bihorel_lists_the_hauts_de_rouen() {
    assert_eq!(qpv_of("76095"), ["QN07620M"]);
}

#[test]
fn grand_quevilly_lists_no_qpv() {
    assert!(qpv_of("76322").is_empty());
}

#[test]
fn saint_etienne_du_rouvray_lists_its_four_qpv() {
    assert_eq!(
        qpv_of("76575"),
        ["QN07621M", "QN07622M", "QN07623M", "QN07624M"]
    );
}

#[test]
fn sotteville_les_rouen_lists_only_buisson_gallouen() {
    assert_eq!(qpv_of("76681"), ["QN07624M"]);
}

#[test]
fn every_2024_qpv_has_a_diagnostic_sorted_by_code() {
    let d = diagnostics();
    assert_eq!(d.qpv.len(), 16);
    assert!(d.qpv.windows(2).all(|w| w[0].code < w[1].code));
    assert_eq!(d.communes.len(), 71);
    assert!(d.communes.windows(2).all(|w| w[0].code < w[1].code));
}

#[test]
fn the_hauts_de_rouen_span_bihorel_and_rouen_and_match_their_2015_quartier() {
    let q = diagnostics()
        .qpv(&QpvCode::parse("QN07620M").unwrap())
        .unwrap();
    let spanned: Vec<_> = q.communes_spanned.iter().map(|c| c.to_string()).collect();
    assert_eq!(spanned, ["76095", "76540"]);
    assert_eq!(
        q.insee_2015.as_ref().unwrap().code_2015.as_str(),
        "QP076022"
    );
    assert!(q.population_est.unwrap() > 1_000.0);
}

#[test]
fn the_mission_locale_to_place_counts_in_rouen_but_in_no_distance() {
    let d = diagnostics();
    assert!(d.absent_groups.contains(&"ML"));
    let rouen = d.commune(&CommuneCode::parse("76540").unwrap()).unwrap();
    assert!(rouen.nearest_actor_by_group["ML"].is_none());
    assert!(rouen.nearest_actor_by_group["FT"].is_some());
    assert_eq!(rouen.actors_to_place_by_group["ML"], 1);
    assert_eq!(rouen.actors_inside_by_group["ML"], 0);
    assert_eq!(
        rouen.actors_to_place[0].id,
        "missions_locales:mission_locale-76540-01"
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("aucune mission locale placée (2 connue(s)"))
    );
    assert!(d.notes.iter().any(|n| n.contains("exclus des distances")));
}

#[test]
fn rouen_neet_share_2018_is_compared_with_the_epci_figure() {
    let rouen = diagnostics()
        .commune(&CommuneCode::parse("76540").unwrap())
        .unwrap();
    assert!((rouen.neet_share_2018_pct.epci.unwrap() - 16.5).abs() < 1e-9);
    assert!(rouen.neet_share_2018_pct.metropole.is_some());
    assert!(rouen.estimated_neet_count.value.unwrap() > 0.0);
}

/// The card shows the nearest actor of each group beside the actors "à portée": both are
/// measured from the commune's area with the same rule, so a group has an actor within reach
/// exactly when its nearest actor is at most the reach away, and one inside exactly when the
/// nearest is at 0 m (Rouen once showed its nearest association at 3.1 km, from the centroid,
/// beside 30 associations within 1 km of its boundary).
#[test]
fn the_nearest_actor_and_the_counts_within_reach_agree_for_every_commune_and_group() {
    let d = diagnostics();
    let mut checked = 0;
    for c in &d.communes {
        for (group, nearest) in &c.nearest_actor_by_group {
            let within = c.actors_within_reach_by_group[group];
            let inside = c.actors_inside_by_group[group];
            let distance_m = nearest.as_ref().map(|n| n.distance_m);
            assert_eq!(
                distance_m.is_some_and(|m| m <= c.reach_m),
                within > 0,
                "{} {group}: nearest at {distance_m:?} m, {within} within {} m",
                c.name,
                c.reach_m
            );
            assert_eq!(
                distance_m == Some(0.0),
                inside > 0,
                "{} {group}: nearest at {distance_m:?} m, {inside} inside",
                c.name
            );
            checked += 1;
        }
    }
    assert!(checked >= 71 * 5, "{checked} pairs");
    let rouen = d.commune(&CommuneCode::parse("76540").unwrap()).unwrap();
    assert_eq!(
        rouen.nearest_actor_by_group["ASSO"]
            .as_ref()
            .unwrap()
            .distance_m,
        0.0
    );
    assert!(rouen.actors_within_reach_by_group["ASSO"] >= 30);
}
