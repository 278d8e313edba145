//! Inputs that used to load or run silently: a negative margin, an actor file with a header and
//! no row.

mod common;

use common::SyntheticTerritory;
use repere_engine::Territory;

#[test]
fn a_negative_margin_is_a_manifest_error() {
    let t = SyntheticTerritory::new();
    for bad in ["margin_m = -5", "margin_m = nan", "margin_m = -inf"] {
        t.write(
            "territory.toml",
            &common::MANIFEST.replace("margin_m = 5000", bad),
        );
        let message = Territory::from_path(&t.manifest()).unwrap_err().to_string();
        assert!(message.contains("territory.toml"), "{bad}: {message}");
        assert!(message.contains("margin_m"), "{bad}: {message}");
        assert!(message.contains("positif ou nul"), "{bad}: {message}");
    }
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("margin_m = 5000", "margin_m = 0"),
    );
    assert!(Territory::from_path(&t.manifest()).is_ok());
}

#[test]
fn an_actor_file_with_a_header_and_no_row_is_a_warning_naming_it() {
    let t = SyntheticTerritory::new();
    t.write("actors.csv", "id;nom;type;lon;lat;insee\n");
    let (_, report) = t.load().expect("the other sources still load");
    let warning = report
        .warnings
        .iter()
        .find(|w| w.file.ends_with("actors.csv"))
        .unwrap_or_else(|| panic!("no warning names actors.csv: {:?}", report.warnings));
    assert!(warning.message.contains("aucun acteur"), "{warning}");
}

/// The synthetic manifest declaring its département (its commune codes are INSEE's `99`,
/// abroad: only the declared département says the polygons belong in the Métropole).
fn in_seine_maritime(manifest: &str) -> String {
    manifest.replace("margin_m = 5000", "margin_m = 5000\ndepartement = \"76\"")
}

/// Swaps lon and lat in every position of a GeoJSON text made of `[x,y]` pairs.
fn swap_positions(geojson: &str) -> String {
    let re_pair = |s: &str| -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("[2.") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find(']').expect("closing bracket") + start;
            let inner = &rest[start + 1..end];
            let (x, y) = inner.split_once(',').expect("pair");
            out.push_str(&format!("[{y},{x}]"));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    };
    re_pair(geojson)
}

#[test]
fn communes_with_swapped_lon_lat_are_a_load_error_naming_the_file_and_the_cause() {
    let t = SyntheticTerritory::new();
    t.write("territory.toml", &in_seine_maritime(common::MANIFEST));
    t.write("communes.geojson", &swap_positions(common::COMMUNES));
    let message = t.load_error();
    assert!(message.contains("communes.geojson"), "{message}");
    assert!(message.contains("entité 0"), "{message}");
    assert!(message.contains("inversées"), "{message}");
    assert!(
        message.contains("hors de France métropolitaine"),
        "{message}"
    );
}

#[test]
fn a_wgs84_communes_file_declared_in_lambert93_is_a_load_error_blaming_the_crs() {
    let t = SyntheticTerritory::new();
    t.write(
        "territory.toml",
        &in_seine_maritime(&common::MANIFEST.replace(
            r#"boundaries = { file = "communes.geojson", code = "code", name = "nom" }"#,
            r#"boundaries = { file = "communes.geojson", code = "code", name = "nom", crs = "EPSG:2154" }"#,
        )),
    );
    let message = t.load_error();
    assert!(message.contains("communes.geojson"), "{message}");
    assert!(message.contains("système de coordonnées"), "{message}");
    assert!(message.contains("EPSG:2154"), "{message}");
}

#[test]
fn a_qpv_of_the_territory_placed_in_venezuela_is_a_load_error() {
    let t = SyntheticTerritory::new();
    t.write("territory.toml", &in_seine_maritime(common::MANIFEST));
    let moved = common::QPV
        .replace("[2.08,48.04]", "[-66.08,8.04]")
        .replace("[2.12,48.04]", "[-66.12,8.04]")
        .replace("[2.12,48.06]", "[-66.12,8.06]")
        .replace("[2.08,48.06]", "[-66.08,8.06]");
    t.write("qpv.geojson", &moved);
    let message = t.load_error();
    assert!(message.contains("qpv.geojson"), "{message}");
    assert!(message.contains("entité 0"), "{message}");
    assert!(
        message.contains("hors de France métropolitaine"),
        "{message}"
    );
    // Swapped instead: named as such.
    t.write("qpv.geojson", &swap_positions(common::QPV));
    let message = t.load_error();
    assert!(message.contains("inversées"), "{message}");
}

#[test]
fn iris_contours_with_swapped_lon_lat_are_a_load_error() {
    let t = SyntheticTerritory::new();
    let iris = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"iris":"990010000"},"geometry":{"type":"Polygon","coordinates":[[[2.0,48.0],[2.1,48.0],[2.1,48.1],[2.0,48.1],[2.0,48.0]]]}}
]}"#;
    let manifest = in_seine_maritime(common::MANIFEST).replace(
        "neet_communes =",
        "iris_contours = { file = \"iris.geojson\", code = \"iris\" }\nneet_communes =",
    );
    t.write("territory.toml", &manifest);
    t.write("iris.geojson", iris);
    t.load().expect("the straight IRIS contours load");
    t.write("iris.geojson", &swap_positions(iris));
    let message = t.load_error();
    assert!(message.contains("iris.geojson"), "{message}");
    assert!(message.contains("inversées"), "{message}");
}

fn with_members(t: &SyntheticTerritory, members: &str) {
    t.write("members.csv", members);
    t.write(
        "territory.toml",
        &common::MANIFEST.replace(
            "boundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }",
            "boundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }\nmembers = { file = \"members.csv\", code = \"code\", population = \"pop\" }",
        ),
    );
}

#[test]
fn negative_or_absurd_populations_are_errors_naming_line_and_field() {
    let t = SyntheticTerritory::new();
    with_members(&t, "code;pop\n99001;1200\n99002;850\n");
    t.load().expect("plausible populations load");
    for (bad, what) in [("-5", "négatif"), ("1e12", "invraisemblable")] {
        with_members(&t, &format!("code;pop\n99001;1200\n99002;{bad}\n"));
        let message = t.load_error();
        for part in ["members.csv", "ligne 3", "champ `pop`", what] {
            assert!(message.contains(part), "{bad}: {part} missing in {message}");
        }
    }
    // The census figures by IRIS too.
    let t = SyntheticTerritory::new();
    t.write(
        "population.csv",
        &common::POPULATION.replace("2000;400;150", "2000;-400;150"),
    );
    let message = t.load_error();
    for part in [
        "population.csv",
        "ligne 3",
        "champ `P13_POP1529`",
        "négatif",
    ] {
        assert!(message.contains(part), "{part} missing in {message}");
    }
}

#[test]
fn a_short_row_is_an_error_naming_its_line() {
    let t = SyntheticTerritory::new();
    t.write(
        "population.csv",
        "iris;COM;P13_POP;P13_POP1529;P13_POP1824\n990010000;99001;1 000;200,5;80\n990020000;99002\n",
    );
    let message = t.load_error();
    for part in ["population.csv", "ligne 3", "ligne incomplète"] {
        assert!(message.contains(part), "{part} missing in {message}");
    }
}

mod gtfs {
    use repere_engine::load::gtfs::read_feed;

    const AGENCY: &str = "agency_name,agency_url,agency_timezone\nSynthetic agency,https://example.org,Europe/Paris\n";
    const STOPS: &str =
        "stop_id,stop_name,stop_lat,stop_lon\nA,Synthetic A,49.44,1.09\nB,Synthetic B,49.44,1.12\n";
    const ROUTES: &str = "route_id,route_short_name,route_type\nR1,1,3\n";
    const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\n";
    const TRIPS: &str = "route_id,service_id,trip_id\nR1,WK,T1\n";
    const STOP_TIMES: &str = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n";

    /// Reads a synthetic feed where `replace` swaps one file's text; the error text, if any.
    fn read_with(
        name: &str,
        text: &str,
    ) -> Result<repere_engine::model::transport::Transport, String> {
        let dir = tempfile::tempdir().unwrap();
        for (n, t) in [
            ("agency.txt", AGENCY),
            ("stops.txt", STOPS),
            ("routes.txt", ROUTES),
            ("calendar.txt", CALENDAR),
            ("trips.txt", TRIPS),
            ("stop_times.txt", STOP_TIMES),
        ] {
            std::fs::write(dir.path().join(n), if n == name { text } else { t }).unwrap();
        }
        read_feed(dir.path())
            .map(|(t, _)| t)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_synthetic_feed_reads() {
        assert!(read_with("none", "").is_ok());
    }

    #[test]
    fn an_end_date_before_the_start_date_is_an_error() {
        let e = read_with(
            "calendar.txt",
            &CALENDAR.replace("20240101,20241231", "20241231,20240101"),
        )
        .unwrap_err();
        for part in ["calendar.txt", "ligne 2", "end_date", "antérieure"] {
            assert!(e.contains(part), "{part} missing in {e}");
        }
    }

    #[test]
    fn a_departure_before_the_arrival_is_an_error() {
        let e = read_with(
            "stop_times.txt",
            &STOP_TIMES.replace("T1,08:10:00,08:10:00", "T1,08:10:00,08:05:00"),
        )
        .unwrap_err();
        for part in ["stop_times.txt", "ligne 3", "departure_time", "antérieure"] {
            assert!(e.contains(part), "{part} missing in {e}");
        }
    }

    #[test]
    fn an_unknown_timezone_is_an_error() {
        for tz in ["Paris", "Mars/Olympus_Mons", "Europe/paris ; drop"] {
            let e = read_with("agency.txt", &AGENCY.replace("Europe/Paris", tz)).unwrap_err();
            for part in ["agency.txt", "agency_timezone", "fuseau horaire inconnu"] {
                assert!(e.contains(part), "{tz}: {part} missing in {e}");
            }
        }
        for tz in [
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "UTC",
            "Etc/GMT+1",
        ] {
            assert!(
                read_with("agency.txt", &AGENCY.replace("Europe/Paris", tz)).is_ok(),
                "{tz}"
            );
        }
    }

    #[test]
    fn an_empty_stop_times_file_is_no_timetable() {
        let t = read_with(
            "stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n",
        )
        .expect("a feed without times still loads");
        assert!(
            !t.has_timetable,
            "an empty stop_times.txt read as a timetable"
        );
    }
}

#[test]
fn manifest_errors_name_the_missing_or_unknown_key_or_section() {
    let t = SyntheticTerritory::new();
    let without_communes = common::MANIFEST.replace(
        "[communes]\nboundaries = { file = \"communes.geojson\", code = \"code\", name = \"nom\" }",
        "",
    );
    t.write("territory.toml", &without_communes);
    let m = Territory::from_path(&t.manifest()).unwrap_err().to_string();
    assert!(
        m.contains("territory.toml") && m.contains("`communes`"),
        "{m}"
    );
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("name = \"Territoire synthétique\"\n", ""),
    );
    let m = Territory::from_path(&t.manifest()).unwrap_err().to_string();
    assert!(m.contains("`name`") && m.contains("absente"), "{m}");
    assert!(!m.contains("missing"), "{m}");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_in_a_manifest_is_refused_at_once() {
    let t = SyntheticTerritory::new();
    let fifo = t.path("fifo.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    for target in [fifo.display().to_string(), "/dev/zero".to_owned()] {
        t.write(
            "territory.toml",
            &common::MANIFEST.replace("file = \"neet.csv\"", &format!("file = \"{target}\"")),
        );
        let (tx, rx) = std::sync::mpsc::channel();
        let t2 = t.manifest();
        std::thread::spawn(move || {
            let r = repere_engine::load::load(&Territory::from_path(&t2).unwrap());
            let _ = tx.send(r.err().map(|e| e.to_string()));
        });
        let message = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{target}: the load hangs"))
            .unwrap_or_else(|| panic!("{target}: loaded"));
        assert!(message.contains(&target), "{message}");
        assert!(message.contains("pas un fichier ordinaire"), "{message}");
    }
}

#[test]
fn a_crs_member_after_the_features_is_refused_in_french() {
    let t = SyntheticTerritory::new();
    let late = common::QPV.trim_end().trim_end_matches('}').to_owned()
        + r#","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}}}"#;
    t.write("qpv.geojson", &late);
    let m = t.load_error();
    assert!(
        m.contains("qpv.geojson") && m.contains("membre `crs` vient après"),
        "{m}"
    );
    assert!(repere_engine::text::english_words(&m).is_empty(), "{m}");
}
