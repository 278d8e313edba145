//! A second territory loads from its own manifest and files outside `data/`, with no code change.

mod common;

use common::SyntheticTerritory;
use repere_engine::model::actor::ActorGroup;
use repere_engine::{CommuneCode, QpvCode};

#[test]
fn a_synthetic_territory_loads_from_its_manifest_with_every_layer() {
    let t = SyntheticTerritory::new();
    let (ds, report) = t.load().expect("the synthetic territory loads");
    assert_eq!(ds.name, "Territoire synthétique");
    assert_eq!(ds.communes.len(), 2);
    assert_eq!(ds.qpv.len(), 1);
    let q = ds.qpv(&QpvCode::parse("QN09901M").unwrap()).unwrap();
    // The source lists the communes by name and by code: both resolve.
    let listed: Vec<&str> = q
        .listed_communes
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(listed, ["99001", "99002"]);
    assert_eq!(ds.actors.len(), 3);
    let groups: Vec<ActorGroup> = ds.actors.iter().map(|a| a.kind.group()).collect();
    assert!(groups.contains(&ActorGroup::MissionLocale));
    assert!(groups.contains(&ActorGroup::InformationJeunesse));
    let di = ds.actors.iter().find(|a| a.id == "di:di-1").unwrap();
    assert_eq!(di.commune.as_ref().map(CommuneCode::as_str), Some("99002"));
    assert_eq!(
        di.address.as_deref(),
        Some("1 rue de test, 99000, Synthé-Est")
    );
    let tr = ds.transport.as_ref().unwrap();
    assert!(tr.has_timetable);
    assert_eq!(tr.stop_times.len(), 2);
    assert_eq!(tr.stop_times[1].arrival_s, 8 * 3600 + 600);
    // French numbers with decimal commas and thousands separators.
    let pop = ds
        .youth
        .by_commune
        .get(&CommuneCode::parse("99001").unwrap())
        .unwrap();
    assert!((pop.total - 1000.0).abs() < 1e-9 && (pop.age_15_29 - 200.5).abs() < 1e-9);
    assert!(report.transport.as_ref().unwrap().timetable_available);
    assert!(report.absent_groups.iter().any(|g| g.group == "FT"));
    assert!(!report.absent_groups.iter().any(|g| g.group == "ML"));
}

#[test]
fn areas_are_planar_lambert93_square_metres() {
    let t = SyntheticTerritory::new();
    let (ds, _) = t.load().unwrap();
    // A 0.1° × 0.1° cell at 48° N is about 7.46 km × 11.12 km = 82.9 km².
    let a = ds.communes[0].area_m2 / 1e6;
    assert!((a - 82.9).abs() < 0.5, "area {a} km²");
}

#[test]
fn a_feed_without_stop_times_loads_and_says_timetables_are_unavailable() {
    let t = SyntheticTerritory::new();
    t.write_gtfs_zip(false);
    let (ds, report) = t.load().unwrap();
    assert!(!ds.transport.as_ref().unwrap().has_timetable);
    let note = &report.transport.as_ref().unwrap().note;
    assert!(
        note.contains("pas d'accès calculé sur les horaires"),
        "{note}"
    );
}

#[test]
fn a_gtfs_folder_loads_like_a_zip() {
    let t = SyntheticTerritory::new();
    std::fs::create_dir(t.path("gtfs")).unwrap();
    for (name, content) in [
        ("stops.txt", common::GTFS_STOPS),
        ("routes.txt", common::GTFS_ROUTES),
        ("trips.txt", common::GTFS_TRIPS),
        ("calendar.txt", common::GTFS_CALENDAR),
        ("stop_times.txt", common::GTFS_STOP_TIMES),
    ] {
        t.write(&format!("gtfs/{name}"), content);
    }
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("gtfs.zip", "gtfs"),
    );
    let (ds, _) = t.load().unwrap();
    assert_eq!(ds.transport.as_ref().unwrap().stops.len(), 2);
}

#[test]
fn data_inclusion_structures_load_from_csv_too() {
    let t = SyntheticTerritory::new();
    t.write(
        "structures.csv",
        "id,nom,typologie,adresse,code_postal,commune,code_insee,longitude,latitude\n\
         di-2,Mission locale du test,ML,2 rue,99000,Synthé-Ouest,99001,2.02,48.02\n",
    );
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("structures.json", "structures.csv"),
    );
    let (ds, _) = t.load().unwrap();
    let a = ds.actors.iter().find(|a| a.id == "di:di-2").unwrap();
    assert_eq!(a.kind.code(), "ML");
    assert_eq!(a.commune.as_ref().unwrap().as_str(), "99001");
}

#[test]
fn a_list_that_omits_a_commune_the_polygon_covers_is_reported_at_load() {
    let t = SyntheticTerritory::new();
    // Half of the synthetic QPV lies in Synthé-Est, but the source lists only Synthé-Ouest.
    t.write(
        "qpv.geojson",
        &common::QPV.replace("Synthé-Ouest, 99002", "Synthé-Ouest"),
    );
    let (ds, report) = t.load().unwrap();
    let listed = ds.qpv[0].listed_communes.as_ref().unwrap();
    assert_eq!(listed.len(), 1);
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(
            |w| w.contains("qpv.geojson : enregistrement QN09901M, champ `communes`")
                && w.contains("ne liste pas la commune 99002")
                && w.contains("la liste est conservée")
        ),
        "{w:?}"
    );
}
