//! `repere transit matrix` on the real Cairns feed (`testdata/transport_test/`).

use std::process::{Command, Output};

fn repere(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(args)
        .output()
        .unwrap()
}

const FEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/transport_test/cairns_gtfs_2014.zip"
);

/// `repere transit matrix` on the Cairns feed between the origin and destination files, on a
/// date at a time, with more arguments.
fn matrix(o: &str, d: &str, date: &str, depart: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "transit",
        "matrix",
        "--gtfs",
        FEED,
        "--date",
        date,
        "--depart",
        depart,
        "--origins",
        o,
        "--destinations",
        d,
    ];
    args.extend_from_slice(more);
    repere(&args)
}

fn points() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("o.csv");
    let d = dir.path().join("d.csv");
    // Stops of route 110 (stops.txt): The Pier, Sheridan St C216, Smithfield; Clifton Beach
    // N211, Cairns Tropical Zoo, Palm Cove N1.
    std::fs::write(&o, "id,lon,lat\npier,145.778473,-16.920578\nsheridan,145.758758,-16.905446\nsmithfield,145.692887,-16.83832\n").unwrap();
    std::fs::write(&d, "id,lon,lat\nclifton,145.674789,-16.771405\nzoo,145.662903,-16.758142\npalmcove,145.668525,-16.743472\n").unwrap();
    let (o, d) = (o.display().to_string(), d.display().to_string());
    (dir, o, d)
}

#[test]
fn a_matrix_prints_one_csv_row_per_pair_with_the_timetable_times() {
    let (_dir, o, d) = points();
    let out = matrix(&o, &d, "2014-06-03", "07:30", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "origin,destination,minutes,reachable");
    assert_eq!(lines.len(), 10);
    // The 07:40 trip from The Pier reaches Palm Cove N1 at 08:36; Smithfield catches the 07:39.
    assert_eq!(lines[3], "pier,palmcove,66.0,true");
    assert_eq!(lines[7], "smithfield,clifton,23.0,true");
}

#[test]
fn an_arrive_by_window_in_json_says_unreachable_explicitly() {
    let (_dir, o, d) = points();
    let out = matrix(
        &o,
        &d,
        "2014-06-03",
        "07:00",
        &[
            "--window",
            "60",
            "--percentile",
            "80",
            "--arrive-by",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs = v["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 9);
    // Only deadlines from 07:53 on can be met at Clifton Beach: the median is unreachable.
    assert_eq!(pairs[0]["destination"], "clifton");
    assert!(pairs[0]["minutes"].is_null());
    assert_eq!(v["query"]["direction"], "arrive_by");
}

#[test]
fn a_date_outside_the_feed_is_an_error_giving_its_range_in_french() {
    let (_dir, o, d) = points();
    let out = matrix(&o, &d, "2015-06-03", "07:00", &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hors de la période de service du GTFS (du 2014-05-26 au 2014-12-28)"),
        "{err}"
    );
    let out = matrix(&o, &d, "2014-06-03", "07:00", &["--walk-kmh=-3"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("walk_kmh"));
}
