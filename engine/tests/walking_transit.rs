//! Walking + transit on the Beatty (Nevada) OpenStreetMap extract (© OpenStreetMap
//! contributors, ODbL) and the GTFS sample feed beside it (Apache-2.0; a demonstration
//! timetable, see `tests/data/osm/SOURCE.md`): RAPTOR's access and egress legs are walked on the
//! pedestrian network. The territory (one commune square around Beatty, one actor) is synthetic,
//! written by this test.

use std::path::PathBuf;

use geo::Point;
use repere_engine::crs::Lambert93;
use repere_engine::model::actor::ActorGroup;
use repere_engine::transit::Destinations;
use repere_engine::transit::access::travel_times;
use repere_engine::transit::{Departures, TravelNetwork, TravelParams};
use repere_engine::{Dataset, LoadReport, Territory};

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/osm")
        .join(name)
        .display()
        .to_string()
}

/// A synthetic commune square around Beatty and one synthetic actor near the Bullfrog stop.
fn beatty(with_osm: bool) -> (tempfile::TempDir, Dataset, LoadReport) {
    let dir = tempfile::tempdir().unwrap();
    let communes = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"99001","nom":"Beatty synthétique"},"geometry":{"type":"Polygon","coordinates":[[[-116.84,36.85],[-116.74,36.85],[-116.74,36.93],[-116.84,36.93],[-116.84,36.85]]]}}]}"#;
    std::fs::write(dir.path().join("communes.geojson"), communes).unwrap();
    std::fs::write(
        dir.path().join("actors.csv"),
        format!("id;nom;type;lon;lat\n1;Acteur synthétique;ML;{ACTOR_LON};{ACTOR_LAT}\n"),
    )
    .unwrap();
    let walking = if with_osm {
        format!("[walking]\nosm = {:?}\n", data("beatty_nevada.osm.gz"))
    } else {
        String::new()
    };
    let manifest = format!(
        r#"[territory]
name = "Beatty (synthétique)"
margin_m = 2000

[communes]
boundaries = {{ file = "communes.geojson", code = "code", name = "nom" }}

[[actors]]
source = "test"
file = "actors.csv"
format = "csv"
id = "id"
name = "nom"
kind = {{ field = "type" }}
lon = "lon"
lat = "lat"

[transport]
gtfs = {:?}

{walking}"#,
        data("beatty_sample_gtfs")
    );
    std::fs::write(dir.path().join("territory.toml"), manifest).unwrap();
    let t = Territory::from_path(&dir.path().join("territory.toml")).unwrap();
    let (ds, report) = repere_engine::load::load(&t).unwrap();
    (dir, ds, report)
}

const ACTOR_LON: f64 = -116.8165;
const ACTOR_LAT: f64 = 36.8815;
const ORIGIN: (f64, f64) = (-116.7830, 36.8690);

fn l93(lon: f64, lat: f64) -> Point {
    Lambert93::new()
        .point_from_wgs84(Point::new(lon, lat))
        .unwrap()
}

fn params() -> TravelParams {
    TravelParams {
        departures: Departures::At(7 * 3600 + 45 * 60),
        ..TravelParams::default()
    }
}

#[test]
fn a_journey_by_the_airport_shuttle_walks_its_access_and_egress_legs_on_the_network() {
    let (_dir, ds, report) = beatty(true);
    let w = report
        .walking
        .as_ref()
        .expect("the load report has the network");
    assert_eq!((w.stats.highway_ways, w.stats.walkable_ways), (170, 160));
    // Stops beyond 200 m of any walkable way (Furnace Creek, Amargosa Valley, the two test
    // stops) are counted; the actor is snapped.
    assert_eq!((w.stops_unsnapped, w.actors_unsnapped), (4, 0));
    assert!(
        report
            .to_string()
            .contains("Marche : à pied sur le réseau OpenStreetMap")
    );

    let p = params();
    let model = ds.walk_model(*p.walk());
    let net = TravelNetwork::with_walk(ds.transport.as_ref(), p.clone(), model.clone());
    assert!(net.has_transit(), "{}", net.note);
    assert!(
        net.note.contains("à pied sur le réseau OpenStreetMap"),
        "{}",
        net.note
    );
    let tr = ds.transport.as_ref().unwrap();
    let stop = |id: &str| tr.stops.iter().position(|s| s.id == id).unwrap();
    let (airport, bullfrog) = (stop("BEATTY_AIRPORT"), stop("BULLFROG"));

    // Access leg: the network walk to the airport stop, not the straight line × 1.3.
    let origin = l93(ORIGIN.0, ORIGIN.1);
    let access = net.access_stops(origin);
    let (_, access_s) = *access.iter().find(|(s, _)| *s as usize == airport).unwrap();
    let network_s =
        model.seconds_between(&mut None, origin, tr.stops[airport].point_m, f64::INFINITY);
    assert_eq!(access_s, network_s.round() as u32);
    let straight_s = p.walk().seconds_between(origin, tr.stops[airport].point_m);
    assert!(
        (network_s - straight_s).abs() > 1.0,
        "{network_s} vs {straight_s}"
    );
    let straight_net = TravelNetwork::new(ds.transport.as_ref(), p);
    let (_, straight_access) = *straight_net
        .access_stops(origin)
        .iter()
        .find(|(s, _)| *s as usize == airport)
        .unwrap();
    assert_eq!(straight_access, straight_s.round() as u32);

    // The journey: walk to the airport, trip AB1 at 08:00 to Bullfrog (08:10), walk to the
    // actor. Leaving at 07:45 the time is 25 min + the network egress walk.
    let dests = Destinations::of_actors(&ds.actors, &net);
    let actor = ds.actors[0].point_l93;
    let egress = net.access_stops(actor);
    let (_, egress_s) = *egress
        .iter()
        .find(|(s, _)| *s as usize == bullfrog)
        .unwrap();
    let egress_network_s =
        model.seconds_between(&mut None, tr.stops[bullfrog].point_m, actor, f64::INFINITY);
    assert_eq!(egress_s, egress_network_s.round() as u32);
    let times = travel_times(&net, &dests, origin);
    let ml = times
        .iter()
        .find(|g| g.group == ActorGroup::MissionLocale)
        .unwrap();
    let transit_min = ml.transit_min.unwrap();
    assert!(
        (transit_min * 60.0 - (1500.0 + f64::from(egress_s))).abs() < 1e-6,
        "{transit_min} min, egress {egress_s} s"
    );
    // The direct walk is the network's, and longer than the journey (the nearest-actor field
    // counts whole millimetres per edge: within 5 cm, 0.04 s, of the `f64` search).
    let direct_s = model.seconds_between(&mut None, origin, actor, f64::INFINITY);
    assert!(
        (ml.walk_min * 60.0 - direct_s).abs() < 0.04,
        "{} vs {direct_s}",
        ml.walk_min
    );
    assert!(transit_min < ml.walk_min);
    assert!(direct_s >= (origin.x() - actor.x()).hypot(origin.y() - actor.y()) / 1.25);
}

#[test]
fn without_an_extract_walking_is_the_straight_line_and_says_so() {
    let (_dir, ds, report) = beatty(false);
    assert!(ds.walk_network.is_none() && report.walking.is_none());
    assert!(report.to_string().contains("Marche : à vol d'oiseau"));
    let p = params();
    let net = TravelNetwork::with_walk(ds.transport.as_ref(), p.clone(), ds.walk_model(*p.walk()));
    assert!(net.note.contains("à vol d'oiseau"), "{}", net.note);
    let plain = TravelNetwork::new(ds.transport.as_ref(), p.clone());
    let origin = l93(ORIGIN.0, ORIGIN.1);
    assert_eq!(net.access_stops(origin), plain.access_stops(origin));
    let dests = Destinations::of_actors(&ds.actors, &net);
    let times = travel_times(&net, &dests, origin);
    let ml = times
        .iter()
        .find(|g| g.group == ActorGroup::MissionLocale)
        .unwrap();
    let actor = ds.actors[0].point_l93;
    assert_eq!(ml.walk_min, p.walk().seconds_between(origin, actor) / 60.0);
    let plain_times = travel_times(&plain, &Destinations::of_actors(&ds.actors, &plain), origin);
    assert_eq!(times, plain_times);
}
