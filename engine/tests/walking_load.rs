//! The `[walking]` section of a manifest: a synthetic territory (tests/common) with a
//! synthetic OpenStreetMap file written by this test, good and broken.

mod common;

use common::{MANIFEST, SyntheticTerritory};

/// Streets of the synthetic territory (lon 2.0-2.2, lat 48.0-48.1): a footway east-west
/// through both communes and the given tags on a second way.
fn osm(second_way_tags: &str, lon_of_node_3: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="48.05" lon="2.04"/>
  <node id="2" lat="48.05" lon="2.16"/>
  <node id="3" lat="48.06" lon="{lon_of_node_3}"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="2"/><nd ref="3"/>{second_way_tags}</way>
</osm>
"#
    )
}

fn with_walking(t: &SyntheticTerritory, section: &str) {
    t.write(
        "territory.toml",
        &format!("{MANIFEST}\n[walking]\n{section}\n"),
    );
}

#[test]
fn a_territory_with_an_extract_loads_its_network_and_reports_it() {
    let t = SyntheticTerritory::new();
    t.write(
        "streets.osm",
        &osm(r#"<tag k="highway" v="residential"/>"#, "2.16"),
    );
    with_walking(&t, r#"osm = "streets.osm""#);
    let (ds, report) = t.load().unwrap();
    let net = ds.walk_network.as_ref().unwrap();
    assert_eq!(net.graph.edges.len(), 2);
    let w = report.walking.as_ref().unwrap();
    assert_eq!((w.stats.highway_ways, w.stats.walkable_ways), (2, 2));
    // Actors at lat 48.05 lie on the footway; the one at 48.06, lon 2.16 is on way 11; the
    // stops at lat 48.05 too.
    assert_eq!((w.actors_unsnapped, w.stops_unsnapped), (0, 0));
    let text = report.to_string();
    assert!(
        text.contains("Marche : à pied sur le réseau OpenStreetMap"),
        "{text}"
    );
    assert!(
        text.contains("rattachement au réseau jusqu'à 200 m"),
        "{text}"
    );
}

#[test]
fn an_extract_without_walkable_ways_fails_the_load_in_french() {
    let t = SyntheticTerritory::new();
    let text = osm(r#"<tag k="highway" v="motorway"/>"#, "2.16").replace(
        r#"<tag k="highway" v="footway"/>"#,
        r#"<tag k="highway" v="trunk"/>"#,
    );
    t.write("streets.osm", &text);
    with_walking(&t, r#"osm = "streets.osm""#);
    let e = t.load_error();
    assert!(
        e.contains("streets.osm") && e.contains("aucune voie praticable à pied"),
        "{e}"
    );
}

#[test]
fn a_bad_node_coordinate_names_the_file_node_and_field() {
    let t = SyntheticTerritory::new();
    t.write(
        "streets.osm",
        &osm(r#"<tag k="highway" v="path"/>"#, "deux"),
    );
    with_walking(&t, r#"osm = "streets.osm""#);
    let e = t.load_error();
    assert!(
        e.contains("streets.osm") && e.contains("nœud 3") && e.contains("lon"),
        "{e}"
    );
}

#[test]
fn a_missing_extract_and_a_bad_snapping_distance_are_errors() {
    let t = SyntheticTerritory::new();
    with_walking(&t, r#"osm = "absent.osm.pbf""#);
    let e = t.load_error();
    assert!(e.contains("absent.osm.pbf"), "{e}");
    t.write(
        "streets.osm",
        &osm(r#"<tag k="highway" v="path"/>"#, "2.16"),
    );
    with_walking(&t, "osm = \"streets.osm\"\nmax_snap_m = -5");
    let e = t.load_error();
    assert!(e.contains("max_snap_m") && e.contains("-5"), "{e}");
}
