//! Each kind of bad input gets an error (or, for repairs, a warning) naming the file, the
//! feature or line, and the field; the load never half-succeeds.

mod common;

use common::SyntheticTerritory;

fn assert_names(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(message.contains(p), "expected {p:?} in:\n{message}");
    }
    let english = repere_engine::text::english_words(message);
    assert!(english.is_empty(), "English {english:?} in:\n{message}");
}

#[test]
fn an_unreadable_file_is_named() {
    let t = SyntheticTerritory::new();
    std::fs::remove_file(t.path("neet.csv")).unwrap();
    assert_names(
        &t.load_error(),
        &["neet.csv", "lecture impossible", "introuvable"],
    );
}

#[test]
fn malformed_geojson_names_the_file_and_position() {
    let t = SyntheticTerritory::new();
    t.write(
        "qpv.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","#,
    );
    assert_names(
        &t.load_error(),
        &["qpv.geojson", "GeoJSON mal formé", "ligne 1"],
    );
}

#[test]
fn a_missing_column_names_the_file_and_the_column() {
    let t = SyntheticTerritory::new();
    t.write(
        "actors.csv",
        "id;nom;type;lon;latitude_typo\n1;A;ML;2.05;48.05\n",
    );
    assert_names(
        &t.load_error(),
        &["actors.csv", "ligne 1", "champ `lat`", "colonne absente"],
    );
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    let t = SyntheticTerritory::new();
    t.write(
        "population.csv",
        "iris;COM;P13_POP;P13_POP1529;P13_POP1824\n990010000;99001;1000;2x0;80\n",
    );
    assert_names(
        &t.load_error(),
        &[
            "population.csv",
            "ligne 2",
            "champ `P13_POP1529`",
            "valeur \"2x0\" invalide : nombre attendu",
        ],
    );
}

#[test]
fn a_nan_coordinate_is_rejected() {
    let t = SyntheticTerritory::new();
    t.write("actors.csv", "id;nom;type;lon;lat\n1;A;ML;NaN;48.05\n");
    assert_names(
        &t.load_error(),
        &[
            "actors.csv",
            "ligne 2",
            "champ `lon`",
            "nombre fini attendu",
        ],
    );
}

#[test]
fn an_out_of_range_coordinate_is_rejected_in_geojson() {
    let t = SyntheticTerritory::new();
    t.write(
        "qpv.geojson",
        &common::QPV.replace("[2.08,48.04],[2.12,48.04]", "[2.08,48.04],[212.0,48.04]"),
    );
    assert_names(
        &t.load_error(),
        &[
            "qpv.geojson",
            "entité 0",
            "champ `geometry`",
            "hors limites",
        ],
    );
}

#[test]
fn swapped_lon_lat_are_detected() {
    let t = SyntheticTerritory::new();
    t.write("actors.csv", "id;nom;type;lon;lat\n1;A;ML;48.05;2.05\n");
    assert_names(
        &t.load_error(),
        &[
            "actors.csv",
            "ligne 2",
            "champ `lat`",
            "lon/lat semblent inversées",
        ],
    );
}

#[test]
fn an_unclosed_ring_is_closed_with_a_warning() {
    let t = SyntheticTerritory::new();
    t.write(
        "qpv.geojson",
        &common::QPV.replace(",[2.08,48.06],[2.08,48.04]]]", ",[2.08,48.06]]]"),
    );
    let (_, report) = t.load().expect("an unclosed ring is repaired");
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("qpv.geojson : entité 0, champ `geometry` : anneau non fermé")),
        "{w:?}"
    );
}

#[test]
fn an_empty_ring_is_rejected() {
    let t = SyntheticTerritory::new();
    t.write(
        "qpv.geojson",
        &common::QPV.replace(
            r#""coordinates":[[[2.08,48.04],[2.12,48.04],[2.12,48.06],[2.08,48.06],[2.08,48.04]]]"#,
            r#""coordinates":[[]]"#,
        ),
    );
    assert_names(
        &t.load_error(),
        &["qpv.geojson", "entité 0", "champ `geometry`", "anneau vide"],
    );
}

#[test]
fn a_self_intersecting_polygon_is_repaired_and_said_so() {
    let t = SyntheticTerritory::new();
    // A bow-tie: the boundary crosses itself at (2.10, 48.05).
    t.write(
        "qpv.geojson",
        &common::QPV.replace(
            "[[2.08,48.04],[2.12,48.04],[2.12,48.06],[2.08,48.06],[2.08,48.04]]",
            "[[2.08,48.04],[2.12,48.06],[2.12,48.04],[2.08,48.06],[2.08,48.04]]",
        ),
    );
    let (ds, report) = t.load().expect("a bow-tie is repaired");
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(|w| w
            .contains("qpv.geojson : entité 0, champ `geometry` : polygone non valide")
            && w.contains("se recoupe")
            && w.contains("réparé")),
        "{w:?}"
    );
    assert_eq!(
        ds.qpv[0].boundary_wgs84.0.len(),
        2,
        "the bow-tie becomes two triangles"
    );
}

#[test]
fn a_polygon_with_nothing_left_after_repair_is_rejected() {
    let t = SyntheticTerritory::new();
    // A ring that goes out and back along the same line has no area.
    t.write(
        "qpv.geojson",
        &common::QPV.replace(
            "[[2.08,48.04],[2.12,48.04],[2.12,48.06],[2.08,48.06],[2.08,48.04]]",
            "[[2.08,48.04],[2.12,48.04],[2.10,48.04],[2.08,48.04]]",
        ),
    );
    assert_names(
        &t.load_error(),
        &["qpv.geojson", "entité 0", "champ `geometry`", "rejeté"],
    );
}

#[test]
fn duplicate_codes_are_rejected() {
    let t = SyntheticTerritory::new();
    t.write(
        "communes.geojson",
        &common::COMMUNES.replace("\"99002\"", "\"99001\""),
    );
    assert_names(
        &t.load_error(),
        &[
            "communes.geojson",
            "entité 1",
            "champ `code`",
            "code de commune 99001 en double",
        ],
    );
}

#[test]
fn an_unknown_commune_code_in_the_members_list_is_rejected() {
    let t = SyntheticTerritory::new();
    t.write(
        "members.csv",
        "code,nom\n99001,Synthé-Ouest\n99003,Inconnue\n",
    );
    t.write("territory.toml", &common::MANIFEST.replace(
        "boundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }",
        "boundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }\nmembers = { file = \"members.csv\", code = \"code\" }",
    ));
    assert_names(
        &t.load_error(),
        &[
            "members.csv",
            "ligne 3",
            "champ `code`",
            "code de commune 99003 inconnu",
        ],
    );
}

#[test]
fn an_unknown_commune_code_on_an_actor_is_a_warning_naming_line_and_field() {
    let t = SyntheticTerritory::new();
    t.write(
        "actors.csv",
        "id;nom;type;lon;lat;insee\n1;A;ML;2.05;48.05;99999\n",
    );
    let (ds, report) = t.load().unwrap();
    let w: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter()
            .any(|w| w
                .contains("actors.csv : ligne 2, champ `insee` : code de commune 99999 inconnu")),
        "{w:?}"
    );
    // The commune is then taken from the location.
    assert_eq!(
        ds.actors
            .iter()
            .find(|a| a.id == "local:1")
            .unwrap()
            .commune
            .as_ref()
            .unwrap()
            .as_str(),
        "99001"
    );
}

#[test]
fn an_unknown_actor_type_names_the_value_and_the_field() {
    let t = SyntheticTerritory::new();
    t.write(
        "actors.csv",
        "id;nom;type;lon;lat\n1;A;Guichet;2.05;48.05\n",
    );
    assert_names(
        &t.load_error(),
        &["actors.csv", "ligne 2", "champ `type`", "« Guichet »"],
    );
}

#[test]
fn gtfs_references_are_checked() {
    let t = SyntheticTerritory::new();
    std::fs::create_dir(t.path("gtfs")).unwrap();
    for (name, content) in [
        ("stops.txt", common::GTFS_STOPS),
        ("routes.txt", common::GTFS_ROUTES),
        ("trips.txt", common::GTFS_TRIPS),
        ("calendar.txt", common::GTFS_CALENDAR),
        (
            "stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,Z,1\n",
        ),
    ] {
        t.write(&format!("gtfs/{name}"), content);
    }
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("gtfs.zip", "gtfs"),
    );
    assert_names(
        &t.load_error(),
        &[
            "stop_times.txt",
            "ligne 2",
            "champ `stop_id`",
            "stop_id inconnu : \"Z\"",
        ],
    );
}

#[test]
fn every_error_of_a_load_is_listed_and_nothing_is_returned() {
    let t = SyntheticTerritory::new();
    t.write(
        "actors.csv",
        "id;nom;type;lon;lat\n1;A;ML;abc;48.05\n2;B;ML;2.05;xyz\n",
    );
    let e = t.load_error();
    assert_names(&e, &["2 erreur(s)", "ligne 2", "ligne 3"]);
}

#[test]
fn a_malformed_manifest_names_the_manifest_and_the_key() {
    let t = SyntheticTerritory::new();
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("[territory]", "[territory]\nunknown_key = 1"),
    );
    assert_names(&t.load_error(), &["territory.toml", "unknown_key"]);
}
