//! RAPTOR, reverse RAPTOR and travel-time matrices on a real feed: the complete Cairns GTFS of
//! 2014 (`testdata/transport_test/`, TransLink via the gtfs-kit package). The reference is an
//! independent Dijkstra on the time-expanded graph (`oracle/`), fed with stop times and
//! footpaths computed here, not by the engine.

mod oracle;

use std::path::PathBuf;

use geo::Point;
use repere_engine::load::gtfs::read_feed;
use repere_engine::model::frame::Frame;
use repere_engine::model::transport::{StopTime, Transport};
use repere_engine::transit::calendar::{CalendarError, active_trips, service_range};
use repere_engine::transit::matrix::{
    Direction, MatrixError, MatrixPoint, MatrixQuery, TransitNetwork, travel_time_matrix,
};
use repere_engine::transit::{earliest_arrival, latest_departure};
use repere_engine::walking::{WalkModel, WalkParams};

/// A Tuesday of the feed's weekday service.
const TUESDAY: u32 = 20140603;

fn feed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/transport_test/cairns_gtfs_2014.zip")
}

fn cairns() -> Transport {
    let (feed, warnings) = read_feed(&feed_path()).expect("the Cairns feed loads");
    // The real feed leaves 65 intermediate stops untimed: interpolated, and said so.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.starts_with("65 arrêts sans horaire"),
        "{warnings:?}"
    );
    feed
}

/// splitmix64: deterministic pseudo-random numbers without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The day's calls (stop times of running trips) and the footpaths of the walking model,
/// computed by brute force over every pair of stops.
fn day_graph(feed: &Transport, walk: &WalkParams) -> (Vec<StopTime>, Vec<Vec<(u32, u32)>>) {
    let active = active_trips(feed, TUESDAY);
    let calls: Vec<StopTime> = feed
        .stop_times
        .iter()
        .filter(|s| active[s.trip])
        .copied()
        .collect();
    let n = feed.stops.len();
    let footpaths = (0..n)
        .map(|a| {
            (0..n)
                .filter(|&b| b != a)
                .filter_map(|b| {
                    let (p, q) = (feed.stops[a].point_m, feed.stops[b].point_m);
                    let d = (p.x() - q.x()).hypot(p.y() - q.y());
                    (d <= walk.max_transfer_m)
                        .then(|| (b as u32, walk.seconds_for_m(d).round() as u32))
                })
                .collect()
        })
        .collect();
    (calls, footpaths)
}

#[test]
fn the_cairns_feed_reads_whole_with_its_timezone_and_service_range() {
    let feed = cairns();
    assert_eq!(feed.stops.len(), 416);
    assert_eq!(feed.routes.len(), 22);
    assert_eq!(feed.trips.len(), 1339);
    assert_eq!(feed.stop_times.len(), 37_790);
    assert_eq!(feed.timezone.as_deref(), Some("Australia/Brisbane"));
    assert!(matches!(feed.frame, Frame::Local { lat0, .. } if (-17.5..-16.5).contains(&lat0)));
    assert_eq!(service_range(&feed), Some((20140526, 20141228)));
}

#[test]
fn a_date_outside_the_service_is_an_error_giving_the_feed_range() {
    let feed = cairns();
    let err = TransitNetwork::new(&feed, 20150105, WalkModel::default()).unwrap_err();
    assert_eq!(
        err,
        MatrixError::Calendar(CalendarError::OutsideService {
            date: 20150105,
            first: 20140526,
            last: 20141228
        })
    );
    let text = err.to_string();
    assert!(
        text.contains("2015-01-05") && text.contains("du 2014-05-26 au 2014-12-28"),
        "{text}"
    );
}

#[test]
fn raptor_equals_time_expanded_dijkstra_on_cairns_for_200_random_departures_and_deadlines() {
    let feed = cairns();
    let walk = WalkModel::default();
    let net = TransitNetwork::new(&feed, TUESDAY, walk.clone()).unwrap();
    let tt = &net.timetable;
    let (calls, footpaths) = day_graph(&feed, walk.params());
    // The timetable's footpaths are those of the walking model (Cairns has no transfers.txt
    // and no parent stations).
    for (s, f) in footpaths.iter().enumerate() {
        assert_eq!(tt.footpaths_from(s), f.as_slice(), "stop {s}");
    }
    let graph = oracle::Graph::new(feed.stops.len(), &calls, &footpaths);
    let mut rng = Rng(2014);
    let (mut reached_fw, mut reached_bw) = (0, 0);
    for _ in 0..200 {
        let s = rng.below(feed.stops.len() as u64) as u32;
        let t = 5 * 3600 + rng.below(17 * 3600) as u32;
        let access = [(s, 0)];

        let fw = earliest_arrival(tt, &access, t, 64);
        let (best, by_vehicle) = graph.earliest(&access, t);
        assert_eq!(oracle::plain(fw.times()), best, "depart-at from {s} at {t}");
        let fw_vehicle: Vec<Option<u32>> = (0..fw.len()).map(|q| fw.by_vehicle(q)).collect();
        assert_eq!(
            oracle::plain(fw_vehicle),
            by_vehicle,
            "depart-at from {s} at {t}"
        );
        reached_fw += best.iter().filter(|&&x| x != oracle::NONE).count();

        let bw = latest_departure(tt, &access, t, 64);
        let (best, by_vehicle) = graph.latest(&access, t);
        assert_eq!(oracle::plain(bw.times()), best, "arrive-by at {s} by {t}");
        let bw_vehicle: Vec<Option<u32>> = (0..bw.len()).map(|q| bw.by_vehicle(q)).collect();
        assert_eq!(
            oracle::plain(bw_vehicle),
            by_vehicle,
            "arrive-by at {s} by {t}"
        );
        reached_bw += best.iter().filter(|&&x| x != oracle::NONE).count();
    }
    // The comparison is not vacuous: searches reach a large part of the network.
    assert!(reached_fw > 200 * 50, "{reached_fw}");
    assert!(reached_bw > 200 * 50, "{reached_bw}");
}

#[test]
fn the_latest_departure_arrives_by_the_deadline_and_one_minute_later_does_not() {
    let feed = cairns();
    let net = TransitNetwork::new(&feed, TUESDAY, WalkModel::default()).unwrap();
    let tt = &net.timetable;
    let mut rng = Rng(7);
    let mut checked = 0;
    while checked < 200 {
        let (o, d) = (
            rng.below(feed.stops.len() as u64) as u32,
            rng.below(feed.stops.len() as u64) as u32,
        );
        let deadline = 7 * 3600 + rng.below(14 * 3600) as u32;
        let Some(leave) = latest_departure(tt, &[(d, 0)], deadline, 5).by_vehicle(o as usize)
        else {
            continue;
        };
        let at = earliest_arrival(tt, &[(o, 0)], leave, 5).by_vehicle(d as usize);
        assert!(
            at.is_some_and(|a| a <= deadline),
            "{o}→{d} leaving {leave}: {at:?}"
        );
        let later = earliest_arrival(tt, &[(o, 0)], leave + 60, 5).by_vehicle(d as usize);
        assert!(
            later.is_none_or(|a| a > deadline),
            "{o}→{d} leaving {leave}+60: {later:?}"
        );
        checked += 1;
    }
}

fn stop_point(feed: &Transport, stop_id: &str) -> MatrixPoint {
    let s = &feed.stops[feed.stop_index[stop_id]];
    MatrixPoint {
        id: stop_id.to_owned(),
        point_wgs84: s.point_wgs84,
    }
}

fn hm(h: u32, m: u32) -> u32 {
    h * 3600 + m * 60
}

/// Origins on route 110 northbound (City → Palm Cove) and destinations only route 110 serves.
fn three_by_three(feed: &Transport) -> (Vec<MatrixPoint>, Vec<MatrixPoint>) {
    let origins = ["750450", "750140", "750073"] // The Pier, Sheridan St C216, Smithfield
        .map(|s| stop_point(feed, s))
        .to_vec();
    let dests = ["750035", "750038", "750040"] // Clifton Beach N211, Tropical Zoo, Palm Cove N1
        .map(|s| stop_point(feed, s))
        .to_vec();
    (origins, dests)
}

#[test]
fn a_3_by_3_matrix_matches_the_timetable_read_by_hand() {
    let feed = cairns();
    // Points exactly at stops and no walk beyond 0 m: each journey boards at the origin stop
    // and alights at the destination stop, as when reading the timetable.
    let walk = WalkModel::StraightLine(WalkParams {
        max_access_m: 0.0,
        ..WalkParams::default()
    });
    let net = TransitNetwork::new(&feed, TUESDAY, walk).unwrap();
    let (origins, dests) = three_by_three(&feed);
    let query = MatrixQuery {
        time_s: hm(7, 30),
        ..MatrixQuery::default()
    };
    let m = travel_time_matrix(&net, &origins, &dests, &query).unwrap();
    // stop_times.txt, weekday service: the first northbound 110 (trip 4165908) leaves The Pier
    // 07:10, Sheridan St C216 07:23, Smithfield 07:39, reaches Clifton Beach 07:53, the Zoo
    // 08:00, Palm Cove N1 08:06. The next (4165909) leaves The Pier 07:40, C216 07:53, reaches
    // Clifton Beach 08:23, the Zoo 08:30, Palm Cove N1 08:36. Only route 110 serves the three
    // destinations. Leaving at 07:30, The Pier and C216 wait for 4165909; Smithfield catches
    // 4165908.
    let expected = [
        [53.0, 60.0, 66.0], // The Pier
        [53.0, 60.0, 66.0], // Sheridan St C216
        [23.0, 30.0, 36.0], // Smithfield
    ];
    for (k, pair) in m.pairs.iter().enumerate() {
        let (i, j) = (k / 3, k % 3);
        assert_eq!(pair.origin, origins[i].id);
        assert_eq!(pair.destination, dests[j].id);
        assert_eq!(pair.minutes, Some(expected[i][j]), "{pair:?}");
    }
    // Arrive by 08:06 at Palm Cove N1: from Smithfield the latest is 4165908 at 07:39, 27 min
    // before the deadline; from The Pier at 07:10 (56 min).
    let arrive = MatrixQuery {
        time_s: hm(8, 6),
        direction: Direction::ArriveBy,
        ..MatrixQuery::default()
    };
    let m = travel_time_matrix(&net, &origins, &dests[2..], &arrive).unwrap();
    // The straight-line model ran, and the matrix says so.
    assert_eq!(m.walk, "marche à vol d'oiseau × 1,3 à 4,5 km/h");
    let minutes: Vec<Option<f64>> = m.pairs.iter().map(|p| p.minutes).collect();
    assert_eq!(minutes, [Some(56.0), Some(43.0), Some(27.0)]);
    // Nothing arrives at Palm Cove N1 by 07:00 (the first northbound trip leaves at 07:10):
    // unreachable, said as such.
    let early = MatrixQuery {
        time_s: hm(7, 0),
        ..arrive
    };
    let m = travel_time_matrix(&net, &origins[..1], &dests[2..], &early).unwrap();
    assert_eq!(m.pairs[0].minutes, None);
}

#[test]
fn a_departure_window_reports_the_median_and_a_percentile() {
    let feed = cairns();
    let walk = WalkModel::StraightLine(WalkParams {
        max_access_m: 0.0,
        ..WalkParams::default()
    });
    let net = TransitNetwork::new(&feed, TUESDAY, walk).unwrap();
    let (origins, dests) = three_by_three(&feed);
    // From The Pier to Palm Cove N1, leaving every minute 07:11 … 07:40 (30 departures): all
    // take 4165909 (07:40, arrives 08:36), so times are 85 … 56 minutes.
    let query = MatrixQuery {
        time_s: hm(7, 11),
        window_min: Some(30),
        percentile: Some(90.0),
        ..MatrixQuery::default()
    };
    let m = travel_time_matrix(&net, &origins[..1], &dests[2..], &query).unwrap();
    let p = &m.pairs[0];
    // Sorted times 56..=85; median (nearest rank 15) = 70; 90th percentile (rank 27) = 82.
    assert_eq!(p.minutes, Some(70.0));
    assert_eq!(p.percentile_minutes, Some(82.0));
}

#[test]
fn default_walking_adds_direct_walks_and_nearby_stops() {
    let feed = cairns();
    let net = TransitNetwork::new(&feed, TUESDAY, WalkModel::default()).unwrap();
    // Two points 500 m apart in central Cairns: walking (500 × 1.3 at 4.5 km/h = 8.7 min) or
    // better.
    let a = MatrixPoint {
        id: "a".into(),
        point_wgs84: Point::new(145.7780, -16.9230),
    };
    let b = MatrixPoint {
        id: "b".into(),
        point_wgs84: Point::new(145.7780, -16.9185),
    };
    let m = travel_time_matrix(&net, &[a], &[b], &MatrixQuery::default()).unwrap();
    let min = m.pairs[0].minutes.unwrap();
    assert!(min > 0.0 && min <= 8.7, "{min}");
}
