//! The embedded default territory: Métropole Rouen Normandie, from real data.

use repere_engine::{CommuneCode, Territory};

fn load() -> (repere_engine::Dataset, repere_engine::LoadReport) {
    repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap()
}

#[test]
fn the_metropole_has_71_communes_and_16_qpv_2024() {
    let (ds, report) = load();
    assert_eq!(ds.communes.len(), 71);
    assert_eq!(report.qpv.get(&2024), Some(&16));
    let codes: Vec<&str> = ds.qpv_of_vintage(2024).map(|q| q.code.as_str()).collect();
    assert_eq!(codes.first(), Some(&"QN07610M"));
    assert_eq!(codes.last(), Some(&"QN07627N"));
    let rouen = ds.commune(&CommuneCode::parse("76540").unwrap()).unwrap();
    assert_eq!(rouen.name, "Rouen");
    assert_eq!(rouen.epci_siren.as_deref(), Some("200023414"));
    assert!(rouen.population.unwrap() > 100_000);
    assert!(rouen.density_class.is_some() && rouen.centrality.is_some());
}

#[test]
fn the_report_says_that_missions_locales_are_known_by_address_only() {
    let (ds, report) = load();
    let absent: Vec<&str> = report.absent_groups.iter().map(|g| g.group).collect();
    assert!(absent.contains(&"ML"), "{absent:?}");
    assert!(!absent.contains(&"FT"));
    let ml = report
        .absent_groups
        .iter()
        .find(|g| g.group == "ML")
        .unwrap();
    assert_eq!(ml.to_place, 2);
    let text = report.to_string();
    assert!(
        text.contains("ML (Mission locale) : connue par adresse seulement : 2 à localiser"),
        "{text}"
    );
    assert!(
        !text.contains("ML (Mission locale) : aucun acteur"),
        "{text}"
    );
    // The two of the Métropole, in their communes, with their address and no point.
    let to_place: Vec<(&str, &str)> = report
        .actors_to_place
        .iter()
        .map(|a| (a.commune.as_str(), a.commune_name.as_str()))
        .collect();
    assert_eq!(to_place, [("76231", "Elbeuf"), ("76540", "Rouen")]);
    assert!(
        report.actors_to_place[1]
            .address
            .contains("33 avenue Champlain")
    );
    assert!(
        ds.actors.iter().all(|a| a.kind.code() != "ML"),
        "never placed at an invented point"
    );
    let ft = report
        .actors_by_kind
        .iter()
        .find(|k| k.kind == "FT")
        .unwrap();
    assert!(
        ft.count >= 6,
        "France Travail agencies in and around the Métropole: {}",
        ft.count
    );
    assert!(report.actors_by_kind.iter().any(|k| k.kind == "RFS"));
}

#[test]
fn the_default_feed_loads_without_stop_times_and_says_so() {
    let (ds, report) = load();
    let t = ds.transport.as_ref().unwrap();
    assert_eq!(t.stops.len(), 3365);
    assert_eq!(t.routes.len(), 117);
    assert_eq!(t.trips.len(), 32791);
    assert!(!t.has_timetable);
    assert!(!report.transport.as_ref().unwrap().timetable_available);
}

#[test]
fn youth_counts_are_summed_from_iris_to_communes() {
    let (ds, _) = load();
    let rouen = CommuneCode::parse("76540").unwrap();
    let sum: f64 = ds
        .youth
        .iris
        .iter()
        .filter(|i| i.commune == rouen)
        .map(|i| i.population.age_15_29)
        .sum();
    let commune = ds.youth.by_commune[&rouen].age_15_29;
    assert!(
        (sum - commune).abs() < 1e-6 && commune > 20_000.0,
        "{sum} vs {commune}"
    );
    assert_eq!(
        ds.youth
            .iris
            .iter()
            .filter(|i| i.boundary_wgs84.is_some())
            .count(),
        42
    );
    let neet = &ds.youth.neet_by_commune[&rouen].0;
    assert_eq!(neet.keys().copied().collect::<Vec<_>>(), [2008, 2013, 2018]);
}

#[test]
fn every_actor_in_a_member_commune_has_that_commune() {
    let (ds, _) = load();
    for a in &ds.actors {
        if let Some(i) = ds.commune_at_l93(a.point_l93) {
            assert_eq!(a.commune.as_ref(), Some(&ds.communes[i].code), "{}", a.id);
        }
    }
}

#[test]
fn the_version_is_stable_across_loads() {
    assert_eq!(load().0.version, load().0.version);
}
