//! The GTFS reader on small *synthetic* feeds written by the tests: what real feeds hold
//! (frequencies, calendar_dates only, parent stations, transfer types, times past 24:00, a
//! timezone) and what must be refused (times beyond 48:00:00, with file, line and field).

use std::path::Path;

use repere_engine::Location;
use repere_engine::load::gtfs::read_feed;
use repere_engine::transit::calendar::{active_trips, services_on};
use repere_engine::transit::earliest_arrival;
use repere_engine::transit::matrix::{
    MatrixPoint, MatrixQuery, TransitNetwork, travel_time_matrix,
};
use repere_engine::transit::timetable::Timetable;
use repere_engine::walking::WalkModel;

const AGENCY: &str =
    "agency_name,agency_url,agency_timezone\nSynthetic agency,https://example.org,Europe/Paris\n";
const STOPS: &str = "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n\
STA,Synthetic station,49.4400,1.0900,1,\n\
A,Synthetic A,49.4400,1.0900,0,STA\n\
A2,Synthetic A platform 2,49.4400,1.0970,0,STA\n\
B,Synthetic B,49.4400,1.1200,0,\n\
C,Synthetic C,49.4400,1.1500,0,\n";
const ROUTES: &str = "route_id,route_short_name,route_type\nR1,1,3\nR2,2,3\n";
const CALENDAR: &str = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWK,1,1,1,1,1,0,0,20240101,20241231\n";

/// Writes a feed folder of the given files.
fn write_feed(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn base_files<'a>(trips: &'a str, stop_times: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("agency.txt", AGENCY),
        ("stops.txt", STOPS),
        ("routes.txt", ROUTES),
        ("calendar.txt", CALENDAR),
        ("trips.txt", trips),
        ("stop_times.txt", stop_times),
    ]
}

const TRIPS: &str = "route_id,service_id,trip_id\nR1,WK,T1\n";

#[test]
fn times_beyond_48_hours_are_refused_with_file_line_and_field() {
    for (text, line, field) in [
        ("1193047:00:00", 3, "arrival_time"),
        ("99999999:00:00", 3, "departure_time"),
        ("48:00:01", 3, "arrival_time"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let st = if field == "arrival_time" {
            format!(
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,{text},,B,2\n"
            )
        } else {
            format!(
                "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,09:00:00,{text},B,2\n"
            )
        };
        write_feed(dir.path(), &base_files(TRIPS, &st));
        let err = read_feed(dir.path()).unwrap_err();
        let p = &err.problems()[0];
        assert!(p.file.ends_with("stop_times.txt"), "{p}");
        assert_eq!(p.location, Location::Line(line), "{p}");
        assert_eq!(p.field.as_deref(), Some(field), "{p}");
        assert!(
            p.message.contains("au-delà de 48:00:00") && p.message.contains(text),
            "{p}"
        );
    }
}

#[test]
fn times_past_midnight_up_to_48_hours_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,23:50:00,23:50:00,A,1\nT1,24:10:00,24:10:00,B,2\nT1,48:00:00,48:00:00,C,3\n";
    write_feed(dir.path(), &base_files(TRIPS, st));
    let (feed, _) = read_feed(dir.path()).unwrap();
    let times: Vec<u32> = feed.stop_times.iter().map(|s| s.arrival_s).collect();
    assert_eq!(times, [85_800, 87_000, 172_800]);
    assert_eq!(feed.timezone.as_deref(), Some("Europe/Paris"));
}

#[test]
fn frequencies_expand_headway_trips_into_one_trip_per_departure() {
    let dir = tempfile::tempdir().unwrap();
    // The template runs A → B in 10 min and B → C in 5 min; every 15 min from 07:00 to 08:00.
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,00:00:00,00:00:00,A,1\nT1,00:10:00,00:10:00,B,2\nT1,00:15:00,00:15:00,C,3\n";
    let mut files = base_files(TRIPS, st);
    files.push((
        "frequencies.txt",
        "trip_id,start_time,end_time,headway_secs,exact_times\nT1,07:00:00,08:00:00,900,1\n",
    ));
    write_feed(dir.path(), &files);
    let (feed, _) = read_feed(dir.path()).unwrap();
    assert_eq!(feed.frequency_trips, 4);
    assert_eq!(
        feed.stop_times.len(),
        12,
        "the template's own times are not a trip"
    );
    let firsts: Vec<u32> = feed
        .stop_times
        .iter()
        .filter(|s| s.sequence == 1)
        .map(|s| s.departure_s)
        .collect();
    assert_eq!(firsts, [25_200, 26_100, 27_000, 27_900]);
    let tt = Timetable::build(
        &feed,
        20240102,
        &active_trips(&feed, 20240102),
        &WalkModel::default(),
    );
    let a = feed.stop_index["A"] as u32;
    let arr = earliest_arrival(&tt, &[(a, 0)], 7 * 3600 + 60, 3);
    // Missed 07:00; the 07:15 departure reaches C at 07:30.
    assert_eq!(arr.time(feed.stop_index["C"]), Some(7 * 3600 + 1800));
}

#[test]
fn a_feed_with_only_calendar_dates_runs_on_its_dates() {
    let dir = tempfile::tempdir().unwrap();
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n";
    write_feed(
        dir.path(),
        &[
            ("agency.txt", AGENCY),
            ("stops.txt", STOPS),
            ("routes.txt", ROUTES),
            (
                "calendar_dates.txt",
                "service_id,date,exception_type\nX,20240704,1\nX,20240705,1\n",
            ),
            ("trips.txt", "route_id,service_id,trip_id\nR1,X,T1\n"),
            ("stop_times.txt", st),
        ],
    );
    let (feed, _) = read_feed(dir.path()).unwrap();
    assert!(services_on(&feed, 20240704).contains("X"));
    assert!(!services_on(&feed, 20240706).contains("X"));
    // A date outside the feed's dates is an error that gives the range.
    let err = TransitNetwork::new(&feed, 20240801, WalkModel::default()).unwrap_err();
    assert!(
        err.to_string().contains("du 2024-07-04 au 2024-07-05"),
        "{err}"
    );
    assert!(TransitNetwork::new(&feed, 20240705, WalkModel::default()).is_ok());
}

#[test]
fn stops_of_one_station_are_linked_and_transfer_types_apply() {
    let dir = tempfile::tempdir().unwrap();
    // A and A2 (platforms of STA) are 507 m apart: beyond the 400 m transfer radius, linked
    // because they share the station. B–C has a type 2 transfer of 50 min; C–B is forbidden.
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n";
    let mut files = base_files(TRIPS, st);
    files.push((
        "transfers.txt",
        "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,C,2,3000\nC,B,3,\nSTA,C,0,\n",
    ));
    write_feed(dir.path(), &files);
    let (feed, _) = read_feed(dir.path()).unwrap();
    let tt = Timetable::build(
        &feed,
        20240102,
        &active_trips(&feed, 20240102),
        &WalkModel::default(),
    );
    let id = |s: &str| feed.stop_index[s] as u32;
    let to = |from: &str| -> Vec<u32> {
        tt.footpaths_from(id(from) as usize)
            .iter()
            .map(|f| f.0)
            .collect()
    };
    assert!(to("A").contains(&id("A2")) && to("A2").contains(&id("A")));
    let bc = tt
        .footpaths_from(id("B") as usize)
        .iter()
        .find(|f| f.0 == id("C"))
        .unwrap();
    assert_eq!(
        bc.1, 3000,
        "min_transfer_time (50 min) beats the 2.2 km walk (38 min)"
    );
    assert!(!to("C").contains(&id("B")));
    // The station stands for its stops: A → C and A2 → C exist.
    assert!(to("A").contains(&id("C")) && to("A2").contains(&id("C")));
}

#[test]
fn an_unknown_parent_station_or_a_trip_calling_at_a_station_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let stops = format!("{STOPS}D,Synthetic D,49.45,1.09,0,NOPE\n");
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,STA,1\nT1,08:10:00,08:10:00,B,2\n";
    let mut files = base_files(TRIPS, st);
    files[1] = ("stops.txt", &stops);
    write_feed(dir.path(), &files);
    let err = read_feed(dir.path()).unwrap_err();
    let fields: Vec<_> = err.problems().iter().map(|p| p.field.clone()).collect();
    assert!(fields.contains(&Some("parent_station".into())), "{err}");
    assert!(
        err.problems()
            .iter()
            .any(|p| p.field.as_deref() == Some("stop_id") && p.location == Location::Line(2)),
        "{err}"
    );
}

#[test]
fn untimed_intermediate_stops_are_interpolated_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,,,B,2\nT1,08:20:00,08:20:00,C,3\n";
    write_feed(dir.path(), &base_files(TRIPS, st));
    let (feed, warnings) = read_feed(dir.path()).unwrap();
    assert_eq!(feed.stop_times[1].arrival_s, 8 * 3600 + 600);
    assert!(
        warnings
            .iter()
            .any(|w| w.message.starts_with("1 arrêts sans horaire"))
    );
}

#[test]
fn the_matrix_reads_points_and_answers_in_the_feeds_local_frame() {
    let dir = tempfile::tempdir().unwrap();
    let st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,C,2\n";
    write_feed(dir.path(), &base_files(TRIPS, st));
    let (feed, _) = read_feed(dir.path()).unwrap();
    let net = TransitNetwork::new(&feed, 20240102, WalkModel::default()).unwrap();
    let pts = repere_engine::transit::matrix::parse_points_csv(
        "o.csv",
        b"id,lon,lat\nhome,1.0900,49.4400\nwork,1.1500,49.4400\n",
    )
    .unwrap();
    let q = MatrixQuery {
        time_s: 7 * 3600 + 55 * 60,
        ..MatrixQuery::default()
    };
    let m = travel_time_matrix(&net, &pts[..1], &pts[1..], &q).unwrap();
    // Wait 5 min, ride 10 min; A and C are 4.4 km apart (no direct walk within 1 km).
    assert_eq!(m.pairs[0].minutes, Some(15.0));
    let bad: Vec<MatrixPoint> = Vec::new();
    assert!(
        travel_time_matrix(&net, &bad, &pts, &q)
            .unwrap()
            .pairs
            .is_empty()
    );
    let e = repere_engine::transit::matrix::parse_points_csv("o.csv", b"id,lon,lat\nx,200,49\n")
        .unwrap_err();
    assert_eq!(e.location, Location::Line(2));
}
