//! RAPTOR on small synthetic feeds built by code: times checked by hand, and a property test
//! against a plain Dijkstra on the time-expanded graph.

use proptest::prelude::*;

mod oracle;
use repere_engine::model::transport::Transport;
use repere_engine::transit::calendar::{
    ServiceDay, Weekday, active_trips, resolve_date, services_on,
};
use repere_engine::transit::frequency::frequencies;
use repere_engine::transit::synthetic::FeedBuilder;
use repere_engine::transit::timetable::Timetable;
use repere_engine::transit::{earliest_arrival, latest_departure};
use repere_engine::walking::WalkModel;

const X0: f64 = 560_000.0;
const Y0: f64 = 6_928_000.0;

fn hms(h: u32, m: u32, s: u32) -> u32 {
    h * 3600 + m * 60 + s
}

/// Synthetic network: line L1 A→B→C, line L2 B→E, line L3 D→E; C and D are 300 m apart.
fn synthetic_network() -> (Transport, [usize; 5]) {
    let mut b = FeedBuilder::new();
    let a = b.stop("A", X0, Y0);
    let bb = b.stop("B", X0 + 2000.0, Y0);
    let c = b.stop("C", X0 + 4000.0, Y0);
    let d = b.stop("D", X0 + 4300.0, Y0);
    let e = b.stop("E", X0 + 6000.0, Y0 + 1000.0);
    for start in [hms(8, 0, 0), hms(8, 20, 0)] {
        b.trip(
            "L1",
            "WEEK",
            &[
                (a, start, start),
                (bb, start + 300, start + 300),
                (c, start + 600, start + 600),
            ],
        );
    }
    for start in [hms(8, 6, 0), hms(8, 26, 0)] {
        b.trip(
            "L2",
            "WEEK",
            &[(bb, start, start), (e, start + 840, start + 840)],
        );
    }
    b.trip(
        "L3",
        "WEEK",
        &[
            (d, hms(8, 16, 0), hms(8, 16, 0)),
            (e, hms(8, 18, 0), hms(8, 18, 0)),
        ],
    );
    b.calendar(
        "WEEK",
        [true, true, true, true, true, false, false],
        20240101,
        20240630,
    );
    (b.build(), [a, bb, c, d, e])
}

fn timetable(feed: &Transport) -> Timetable {
    Timetable::build(
        feed,
        20240102,
        &vec![true; feed.trips.len()],
        &WalkModel::default(),
    )
}

#[test]
fn raptor_times_on_a_synthetic_network_match_hand_computation() {
    let (feed, [a, b, c, d, e]) = synthetic_network();
    let tt = timetable(&feed);
    // C→D: 300 m × 1.3 at 4.5 km/h = 312 s.
    assert_eq!(tt.footpaths_from(c), &[(d as u32, 312)]);
    let arr = earliest_arrival(&tt, &[(a as u32, 60)], hms(7, 55, 0), 5);
    assert_eq!(arr.time(a), Some(hms(7, 56, 0)));
    assert_eq!(arr.time(b), Some(hms(8, 5, 0)));
    assert_eq!(arr.time(c), Some(hms(8, 10, 0)));
    assert_eq!(arr.time(d), Some(hms(8, 15, 12)));
    // L1 to C, walk to D, L3 at 08:16 → E 08:18 beats L2 (E 08:20).
    assert_eq!(arr.time(e), Some(hms(8, 18, 0)));
}

#[test]
fn raptor_rounds_bound_the_number_of_vehicles() {
    let (feed, [a, _, c, _, e]) = synthetic_network();
    let tt = timetable(&feed);
    let one = earliest_arrival(&tt, &[(a as u32, 60)], hms(7, 55, 0), 1);
    assert_eq!(one.time(c), Some(hms(8, 10, 0)));
    assert_eq!(one.time(e), None);
}

#[test]
fn leaving_later_takes_the_next_trips() {
    let (feed, [a, b, _, d, e]) = synthetic_network();
    let tt = timetable(&feed);
    let arr = earliest_arrival(&tt, &[(a as u32, 60)], hms(8, 1, 0), 5);
    assert_eq!(arr.time(b), Some(hms(8, 25, 0)));
    assert_eq!(arr.time(d), Some(hms(8, 35, 12)));
    // L3 has left: L2 at 08:26 from B reaches E at 08:40.
    assert_eq!(arr.time(e), Some(hms(8, 40, 0)));
}

#[test]
fn transfers_txt_forbids_or_lengthens_a_walking_transfer() {
    let (mut feed, [a, _, c, d, e]) = synthetic_network();
    feed.transfers
        .push(repere_engine::model::transport::Transfer {
            from: c,
            to: d,
            transfer_type: 3,
            min_transfer_time_s: None,
        });
    let arr = earliest_arrival(&timetable(&feed), &[(a as u32, 60)], hms(7, 55, 0), 5);
    assert_eq!(arr.time(d), None);
    assert_eq!(arr.time(e), Some(hms(8, 20, 0)));

    feed.transfers[0] = repere_engine::model::transport::Transfer {
        from: c,
        to: d,
        transfer_type: 2,
        min_transfer_time_s: Some(600),
    };
    let arr = earliest_arrival(&timetable(&feed), &[(a as u32, 60)], hms(7, 55, 0), 5);
    assert_eq!(arr.time(d), Some(hms(8, 20, 0)));
    assert_eq!(arr.time(e), Some(hms(8, 20, 0)));
}

#[test]
fn overtaking_trips_are_split_into_separate_patterns() {
    let mut b = FeedBuilder::new();
    let s0 = b.stop("S0", X0, Y0);
    let s1 = b.stop("S1", X0 + 3000.0, Y0);
    let s2 = b.stop("S2", X0 + 6000.0, Y0);
    // A slow trip leaves first, an express leaves later and arrives earlier.
    b.trip(
        "R",
        "ALL",
        &[
            (s0, hms(8, 0, 0), hms(8, 0, 0)),
            (s1, hms(8, 20, 0), hms(8, 20, 0)),
            (s2, hms(8, 40, 0), hms(8, 40, 0)),
        ],
    );
    b.trip(
        "R",
        "ALL",
        &[
            (s0, hms(8, 5, 0), hms(8, 5, 0)),
            (s1, hms(8, 10, 0), hms(8, 10, 0)),
            (s2, hms(8, 15, 0), hms(8, 15, 0)),
        ],
    );
    b.calendar("ALL", [true; 7], 20240101, 20241231);
    let feed = b.build();
    let tt = timetable(&feed);
    assert_eq!(tt.patterns.len(), 2);
    let arr = earliest_arrival(&tt, &[(s0 as u32, 0)], hms(7, 59, 0), 3);
    assert_eq!(arr.time(s2), Some(hms(8, 15, 0)));
}

#[test]
fn calendar_exceptions_add_and_remove_services() {
    let (mut feed, _) = synthetic_network();
    feed.calendar_dates
        .push(repere_engine::model::transport::CalendarDate {
            service_id: "WEEK".into(),
            date: 20240501,
            exception_type: 2,
        });
    feed.calendar_dates
        .push(repere_engine::model::transport::CalendarDate {
            service_id: "WEEK".into(),
            date: 20240504,
            exception_type: 1,
        });
    assert!(services_on(&feed, 20240502).contains("WEEK")); // a Thursday
    assert!(!services_on(&feed, 20240501).contains("WEEK")); // 1 May removed
    assert!(services_on(&feed, 20240504).contains("WEEK")); // a Saturday added
    assert!(!services_on(&feed, 20240505).contains("WEEK")); // a Sunday
    assert!(!services_on(&feed, 20240701).contains("WEEK")); // after the end date
    assert_eq!(
        active_trips(&feed, 20240501).iter().filter(|a| **a).count(),
        0
    );
    // A typical Saturday is the only Saturday with service: the added 4 May.
    assert_eq!(
        resolve_date(&feed, ServiceDay::Typical(Weekday::Saturday)),
        Ok(20240504)
    );
    // A typical Tuesday is the first Tuesday of the feed (all have the same service).
    assert_eq!(
        resolve_date(&feed, ServiceDay::Typical(Weekday::Tuesday)),
        Ok(20240102)
    );
    assert!(resolve_date(&feed, ServiceDay::Typical(Weekday::Sunday)).is_err());
}

#[test]
fn frequencies_count_departures_per_hour_in_each_window() {
    let (feed, _) = synthetic_network();
    let f = frequencies(&feed, &timetable(&feed));
    let b = f.stops.iter().find(|s| s.stop_id == "B").unwrap();
    // B: two L1 calls and two L2 departures between 7 and 9 h → 4 / 2 h.
    assert!((b.per_hour[0] - 2.0).abs() < 1e-9);
    assert!(
        f.stops.iter().all(|s| s.stop_id != "E"),
        "E is only a terminus"
    );
    let l1 = f.routes.iter().find(|r| r.route_id == "L1").unwrap();
    assert!((l1.per_hour[0] - 1.0).abs() < 1e-9 && l1.per_hour[1] == 0.0);
}

/// A trip of a random feed: route, first departure, (hop, dwell) seconds.
type RandomTrip = (usize, u32, Vec<(u32, u32)>);

#[derive(Debug, Clone)]
struct RandomFeed {
    stops: Vec<(f64, f64)>,
    trips: Vec<RandomTrip>,
    routes: Vec<Vec<usize>>,
    transfers: Vec<(usize, usize, u8, u32)>,
    access: Vec<(usize, u32)>,
    depart: u32,
    deadline: u32,
}

fn random_feed() -> impl Strategy<Value = RandomFeed> {
    (3usize..9)
        .prop_flat_map(|n| {
            let stops = prop::collection::vec((0.0..1500.0f64, 0.0..1500.0f64), n);
            let routes = prop::collection::vec(
                Just((0..n).collect::<Vec<usize>>())
                    .prop_shuffle()
                    .prop_flat_map(move |perm| {
                        (2usize..=n.min(5)).prop_map(move |len| perm[..len].to_vec())
                    }),
                1..5,
            );
            let trips = prop::collection::vec(
                (
                    0usize..4,
                    0u32..3600,
                    prop::collection::vec((30u32..900, 0u32..90), 5),
                ),
                1..12,
            );
            let transfers = prop::collection::vec((0..n, 0..n, 0u8..4, 0u32..900), 0..4);
            let access = prop::collection::vec((0..n, 0u32..600), 1..3);
            (
                stops,
                routes,
                trips,
                transfers,
                access,
                0u32..2400,
                600u32..12_000,
            )
        })
        .prop_map(
            |(stops, routes, trips, transfers, access, depart, deadline)| {
                let trips = trips
                    .into_iter()
                    .map(|(r, start, hops)| {
                        let r = r % routes.len();
                        (r, start, hops)
                    })
                    .collect();
                RandomFeed {
                    stops,
                    trips,
                    routes,
                    transfers,
                    access,
                    depart,
                    deadline,
                }
            },
        )
}

fn build(rf: &RandomFeed) -> Transport {
    let mut b = FeedBuilder::new();
    let ids: Vec<usize> = rf
        .stops
        .iter()
        .enumerate()
        .map(|(i, (x, y))| b.stop(&format!("S{i}"), X0 + x, Y0 + y))
        .collect();
    for (r, start, hops) in &rf.trips {
        let seq = &rf.routes[*r];
        let mut t = *start;
        let mut calls = Vec::new();
        for (k, &s) in seq.iter().enumerate() {
            let (hop, dwell) = hops[k % hops.len()];
            calls.push((ids[s], t, t + dwell));
            t += dwell + hop;
        }
        b.trip(&format!("R{r}"), "ALL", &calls);
    }
    for &(from, to, ty, min) in &rf.transfers {
        b.transfer(ids[from], ids[to], ty, (ty == 2).then_some(min));
    }
    b.calendar("ALL", [true; 7], 20240101, 20241231);
    b.build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn raptor_equals_dijkstra_on_the_time_expanded_graph_of_random_synthetic_feeds(rf in random_feed()) {
        let feed = build(&rf);
        let tt = timetable(&feed);
        let access: Vec<(u32, u32)> = rf.access.iter().map(|&(s, w)| (s as u32, w)).collect();
        let raptor = earliest_arrival(&tt, &access, rf.depart, 64);
        // The oracle's Dijkstra on the time-expanded graph (also run on the real feed): its
        // best arrivals, and its "after a vehicle" states against RAPTOR's arrivals by vehicle.
        let footpaths: Vec<Vec<(u32, u32)>> =
            (0..feed.stops.len()).map(|s| tt.footpaths_from(s).to_vec()).collect();
        let graph = oracle::Graph::new(feed.stops.len(), &feed.stop_times, &footpaths);
        let (best, by_vehicle) = graph.earliest(&access, rf.depart);
        prop_assert_eq!(oracle::plain(raptor.times()), best);
        let raptor_vehicle: Vec<Option<u32>> =
            (0..feed.stops.len()).map(|s| raptor.by_vehicle(s)).collect();
        prop_assert_eq!(oracle::plain(raptor_vehicle), by_vehicle);
    }

    #[test]
    fn reverse_raptor_equals_backward_dijkstra_on_random_synthetic_feeds(rf in random_feed()) {
        let feed = build(&rf);
        let tt = timetable(&feed);
        let egress: Vec<(u32, u32)> = rf.access.iter().map(|&(s, w)| (s as u32, w)).collect();
        let raptor = latest_departure(&tt, &egress, rf.deadline, 64);
        let footpaths: Vec<Vec<(u32, u32)>> =
            (0..feed.stops.len()).map(|s| tt.footpaths_from(s).to_vec()).collect();
        let graph = oracle::Graph::new(feed.stops.len(), &feed.stop_times, &footpaths);
        let (best, by_vehicle) = graph.latest(&egress, rf.deadline);
        prop_assert_eq!(oracle::plain(raptor.times()), best);
        let raptor_vehicle: Vec<Option<u32>> =
            (0..feed.stops.len()).map(|s| raptor.by_vehicle(s)).collect();
        prop_assert_eq!(oracle::plain(raptor_vehicle), by_vehicle);
    }
}
