//! Fuzz harness of the loaders and parsers: mutated GeoJSON, CSV, GTFS, data·inclusion JSON and
//! manifests of a synthetic territory, and mutated text for the point and value parsers. Each
//! case must load or fail with a message naming the file, never panic, never quote more than
//! an excerpt of the input.
//!
//! `REPERE_FUZZ_CASES=N` sets the cases per property (the normal run uses a few hundred each).
//! The ignored test is the long run, [`LONG_RUN_CASES`] cases in all over every loader and
//! parser: `cargo test --release -p repere-engine --test fuzz_inputs -- --ignored`.

mod common;

use std::io::Write;

use common::SyntheticTerritory;
use common::mutate::{apply, cases, mutations};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use repere_engine::Territory;

/// Longest message a problem may carry (see `repere_engine::text::MESSAGE_CHARS`), with room
/// for the file name and location.
const MAX_PROBLEM_CHARS: usize = 700;

/// Cases of the long (ignored) run, over all the properties.
const LONG_RUN_CASES: u32 = 100_000;

fn config(n: u32) -> Config {
    Config {
        cases: n,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Loads the territory with one file replaced; a failure must name files and stay short.
fn load_with(t: &SyntheticTerritory, file: &str, content: &[u8]) -> Result<(), TestCaseError> {
    std::fs::write(t.path(file), content).map_err(|e| TestCaseError::fail(e.to_string()))?;
    check_load(t)
}

fn check_load(t: &SyntheticTerritory) -> Result<(), TestCaseError> {
    let territory = match Territory::from_path(&t.manifest()) {
        Ok(territory) => territory,
        Err(e) => {
            let m = e.to_string();
            prop_assert!(m.contains("territory.toml"), "{}", m);
            prop_assert!(m.chars().count() < MAX_PROBLEM_CHARS, "{}", m);
            return Ok(());
        }
    };
    if let Err(e) = repere_engine::load::load(&territory) {
        prop_assert!(!e.to_string().is_empty());
        for p in e.problems() {
            prop_assert!(!p.file.is_empty(), "{}", p);
            prop_assert!(p.to_string().chars().count() < MAX_PROBLEM_CHARS, "{}", p);
        }
    }
    Ok(())
}

fn fuzz_file(file: &str, base: &str, n: u32) {
    let t = SyntheticTerritory::new();
    let mut runner = TestRunner::new(config(n));
    runner
        .run(&mutations(), |ms| {
            load_with(&t, file, &apply(base.as_bytes(), &ms))
        })
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    eprintln!("{file}: {n} cases");
}

fn geojson_layers(n: [u32; 2]) {
    fuzz_file("qpv.geojson", common::QPV, n[0]);
    fuzz_file("communes.geojson", common::COMMUNES, n[1]);
}

fn csv_tables(n: [u32; 4]) {
    fuzz_file("actors.csv", common::ACTORS_CSV, n[0]);
    fuzz_file("population.csv", common::POPULATION, n[1]);
    fuzz_file("neet.csv", common::NEET, n[2]);
    fuzz_file("structures.json", common::DATA_INCLUSION, n[3]);
}

#[test]
fn mutated_geojson_layers_load_or_fail_cleanly() {
    geojson_layers([cases(300), cases(200)]);
}

#[test]
fn mutated_csv_tables_load_or_fail_cleanly() {
    csv_tables([cases(300), cases(200), cases(200), cases(200)]);
}

#[test]
fn mutated_manifests_load_or_fail_cleanly() {
    fuzz_file("territory.toml", common::MANIFEST, cases(300));
}

fn write_zip(t: &SyntheticTerritory, files: &[(&str, Vec<u8>)]) -> std::io::Result<()> {
    let file = std::fs::File::create(t.path("gtfs.zip"))?;
    let mut zip = zip::ZipWriter::new(file);
    for (name, content) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())?;
        zip.write_all(content)?;
    }
    zip.finish()?;
    Ok(())
}

#[test]
fn mutated_gtfs_feeds_load_or_fail_cleanly() {
    gtfs_feeds([cases(400), cases(200)]);
}

fn gtfs_feeds(n: [u32; 2]) {
    let t = SyntheticTerritory::new();
    let base: [(&str, &str); 5] = [
        ("stops.txt", common::GTFS_STOPS),
        ("routes.txt", common::GTFS_ROUTES),
        ("trips.txt", common::GTFS_TRIPS),
        ("calendar.txt", common::GTFS_CALENDAR),
        ("stop_times.txt", common::GTFS_STOP_TIMES),
    ];
    let strategy = (0..base.len(), mutations());
    let mut runner = TestRunner::new(config(n[0]));
    runner
        .run(&strategy, |(which, ms)| {
            let files: Vec<(&str, Vec<u8>)> = base
                .iter()
                .enumerate()
                .map(|(i, (name, text))| {
                    let bytes = if i == which {
                        apply(text.as_bytes(), &ms)
                    } else {
                        text.as_bytes().to_vec()
                    };
                    (*name, bytes)
                })
                .collect();
            write_zip(&t, &files).map_err(|e| TestCaseError::fail(e.to_string()))?;
            check_load(&t)
        })
        .unwrap();
    // The zip itself mutated.
    write_zip(&t, &base.map(|(n, s)| (n, s.as_bytes().to_vec()))).unwrap();
    let zip = std::fs::read(t.path("gtfs.zip")).unwrap();
    let mut runner = TestRunner::new(config(n[1]));
    runner
        .run(&mutations(), |ms| {
            load_with(&t, "gtfs.zip", &apply(&zip, &ms))
        })
        .unwrap();
}

const SITES_CSV: &str = "id;nom;lon;lat;groupe;jours;horaires\n\
                         s1;Antenne;1,0993;49,4431;ML;lun-ven;09:00-17:00\n\
                         s2;Permanence;1.06;49.40;PIJ_BIJ;;\n";

const SITES_GEOJSON: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.0993,49.4431]},"properties":{"id":"s1","name":"Antenne","group":"ML","hours":"09:00-17:00"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.06,49.40]},"properties":{"id":"s2"}}]}"#;

fn short(message: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.is_empty());
    prop_assert!(message.chars().count() < MAX_PROBLEM_CHARS, "{}", message);
    Ok(())
}

#[test]
fn mutated_sites_and_values_parse_or_fail_cleanly() {
    sites_and_values([cases(1000), cases(1000), cases(1000)]);
}

fn sites_and_values(n: [u32; 3]) {
    use repere_engine::coverage::{parse_sites_csv, parse_sites_geojson};
    let mut runner = TestRunner::new(config(n[0]));
    runner
        .run(&mutations(), |ms| {
            let csv = String::from_utf8_lossy(&apply(SITES_CSV.as_bytes(), &ms)).into_owned();
            if let Err(e) = parse_sites_csv(&csv) {
                short(&e.to_string())?;
            }
            let json = String::from_utf8_lossy(&apply(SITES_GEOJSON.as_bytes(), &ms)).into_owned();
            if let Err(e) = parse_sites_geojson(&json) {
                short(&e.to_string())?;
            }
            Ok(())
        })
        .unwrap();
    let values = "09:00-17:00 25:01:02 47:59:59 1 000,5 QN07620M 76540";
    let mut runner = TestRunner::new(config(n[1]));
    runner
        .run(&mutations(), |ms| {
            let text = String::from_utf8_lossy(&apply(values.as_bytes(), &ms)).into_owned();
            for piece in text.split(' ').chain(std::iter::once(text.as_str())) {
                let _ = repere_engine::coverage::site::parse_hours(piece);
                gtfs_time(piece)?;
                let _ = repere_engine::tabular::parse_number(piece);
                let _ = repere_engine::codes::QpvCode::parse(piece);
                let _ = repere_engine::codes::CommuneCode::parse(piece);
            }
            Ok(())
        })
        .unwrap();
    let mut runner = TestRunner::new(config(n[2]));
    runner
        .run(&(any::<f64>(), any::<f64>()), |(lon, lat)| {
            match repere_engine::geometry::check_lon_lat(lon, lat) {
                Ok(c) => prop_assert!(c.x.is_finite() && c.y.is_finite()),
                Err(e) => short(&e.to_string())?,
            }
            Ok(())
        })
        .unwrap();
}

/// A GTFS time parses to at most 48:00:00, exactly when it is `H:MM:SS` with minutes and
/// seconds under 60; any other text is an error that quotes it (issue 16 item 1).
fn gtfs_time(text: &str) -> Result<(), TestCaseError> {
    use repere_engine::load::gtfs::{TimeError, parse_time};
    match parse_time(text) {
        Ok(s) => {
            prop_assert!(s <= 48 * 3600, "{:?} read as {} s", text, s);
            let parts: Vec<&str> = text.trim().split(':').collect();
            prop_assert_eq!(parts.len(), 3, "{:?}", text);
            let n: Vec<u64> = parts
                .iter()
                .map(|p| p.parse().unwrap_or(u64::MAX))
                .collect();
            prop_assert_eq!(u64::from(s), n[0] * 3600 + n[1] * 60 + n[2], "{:?}", text);
        }
        Err(TimeError::Format(t) | TimeError::BeyondLimit(t)) => prop_assert_eq!(t, text),
    }
    Ok(())
}

#[test]
fn mutated_gtfs_times_parse_within_48_hours_or_fail() {
    let mut runner = TestRunner::new(config(cases(2000)));
    let times = "25:01:02";
    runner
        .run(&mutations(), |ms| {
            let text = String::from_utf8_lossy(&apply(times.as_bytes(), &ms)).into_owned();
            gtfs_time(&text)
        })
        .unwrap();
    for t in [
        "99999999:00:00",
        "1193047:00:00",
        "48:00:01",
        "4294967295:59:59",
    ] {
        assert!(parse_time_fails(t), "{t}");
    }
}

fn parse_time_fails(t: &str) -> bool {
    repere_engine::load::gtfs::parse_time(t).is_err()
}

/// The long run: [`LONG_RUN_CASES`] cases over every loader and parser, in the proportions of
/// the normal run.
#[test]
#[ignore = "10^5 cases: minutes; run with --release"]
fn long_run_of_100000_cases_over_loaders_and_parsers() {
    let started = std::time::Instant::now();
    let share = |parts: u32| LONG_RUN_CASES / 100 * parts;
    // 100 parts: 10 GeoJSON, 18 CSV/JSON tables, 6 manifests, 12 GTFS, 54 parsers.
    geojson_layers([share(6), share(4)]);
    csv_tables([share(6), share(4), share(4), share(4)]);
    fuzz_file("territory.toml", common::MANIFEST, share(6));
    gtfs_feeds([share(8), share(4)]);
    sites_and_values([share(18), share(18), share(6)]);
    let mut runner = TestRunner::new(config(share(12)));
    runner
        .run(&mutations(), |ms| {
            let text = String::from_utf8_lossy(&apply(b"25:01:02", &ms)).into_owned();
            gtfs_time(&text)
        })
        .unwrap();
    eprintln!(
        "long run: {LONG_RUN_CASES} cases in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// The synthetic communes moved by (dx, dy) degrees, lon and lat swapped or not: the load
/// succeeds only while they stay in the Métropole, and fails naming communes.geojson otherwise.
#[test]
fn moved_or_swapped_commune_polygons_load_only_in_the_metropole() {
    let t = SyntheticTerritory::new();
    // Synthetic codes are INSEE's 99 (abroad): the declared département places them.
    t.write(
        "territory.toml",
        &common::MANIFEST.replace("margin_m = 5000", "margin_m = 5000\ndepartement = \"76\""),
    );
    let mut runner = TestRunner::new(config(cases(60)));
    runner
        .run(
            &(-70.0f64..70.0, -60.0f64..35.0, any::<bool>()),
            |(dx, dy, swap)| {
                let moved = common::COMMUNES
                    .split('[')
                    .map(|part| {
                        // Positions are "x,y]" fragments after an opening bracket.
                        let Some((pair, rest)) = part.split_once(']') else {
                            return part.to_owned();
                        };
                        let Some((x, y)) = pair.split_once(',') else {
                            return part.to_owned();
                        };
                        let (Ok(x), Ok(y)) = (x.parse::<f64>(), y.parse::<f64>()) else {
                            return part.to_owned();
                        };
                        let (x, y) = (x + dx, y + dy);
                        let (x, y) = if swap { (y, x) } else { (x, y) };
                        format!("{x},{y}]{rest}")
                    })
                    .collect::<Vec<_>>()
                    .join("[");
                std::fs::write(t.path("communes.geojson"), &moved)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                let (cx, cy) = (2.1 + dx, 48.05 + dy);
                let (cx, cy) = if swap { (cy, cx) } else { (cx, cy) };
                let in_metropole = (-9.86..=10.38).contains(&cx) && (41.15..=51.56).contains(&cy);
                let result = t.load();
                if !in_metropole {
                    let e = match result {
                        Ok(_) => {
                            return Err(TestCaseError::fail(format!(
                                "communes centred on ({cx}, {cy}) loaded"
                            )));
                        }
                        Err(e) => e,
                    };
                    prop_assert!(
                        e.problems()
                            .iter()
                            .any(|p| p.file.ends_with("communes.geojson")
                                && p.message.contains("hors de France métropolitaine")),
                        "{}",
                        e
                    );
                }
                Ok(())
            },
        )
        .unwrap();
}
