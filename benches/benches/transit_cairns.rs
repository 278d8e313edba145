//! RAPTOR on the real Cairns feed (`testdata/transport_test/`, 416 stops, 622 trips on the
//! benchmark Tuesday 2014-06-03): one-to-all earliest arrival and arrive-by, and travel-time
//! matrices of 1 000 × 1 000 points at one departure and over a 60-minute window.
//!
//! Goals (issue 15): one-to-all < 2 ms, arrive-by one-to-all < 3 ms, 1 000 × 1 000 at one
//! departure < 5 s on 2 cores. Points are spread deterministically over the stops' bounding
//! box (no randomness), so most have stops within the 1 km access radius, some do not.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::load::gtfs::read_feed;
use repere_engine::transit::matrix::{
    MatrixPoint, MatrixQuery, TransitNetwork, travel_time_matrix,
};
use repere_engine::transit::{earliest_arrival, latest_departure};
use repere_engine::walking::WalkModel;

fn points(
    feed: &repere_engine::model::transport::Transport,
    n: usize,
    seed: u64,
) -> Vec<MatrixPoint> {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for s in &feed.stops {
        let p = s.point_wgs84;
        (x0, y0, x1, y1) = (x0.min(p.x()), y0.min(p.y()), x1.max(p.x()), y1.max(p.y()));
    }
    // A Weyl sequence: evenly spread, deterministic.
    let (a, b) = (0.754_877_666_246_692_7_f64, 0.569_840_290_998_053_3_f64);
    (0..n)
        .map(|k| {
            let t = (k as u64 + seed) as f64;
            MatrixPoint {
                id: format!("p{k}"),
                point_wgs84: geo::Point::new(
                    x0 + (t * a).fract() * (x1 - x0),
                    y0 + (t * b).fract() * (y1 - y0),
                ),
            }
        })
        .collect()
}

fn cairns(c: &mut Criterion) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/transport_test/cairns_gtfs_2014.zip");
    let (feed, _) = read_feed(&path).unwrap();
    let net = TransitNetwork::new(&feed, 20140603, WalkModel::default()).unwrap();
    let tt = &net.timetable;
    let pier = [(feed.stop_index["750450"] as u32, 0)];
    let reached = earliest_arrival(tt, &pier, 8 * 3600, 5)
        .times()
        .iter()
        .flatten()
        .count();
    eprintln!(
        "Cairns 2014-06-03: {} stops, {} trips, {} patterns, {} footpaths; from The Pier at 08:00, {reached} stops reached",
        feed.stops.len(),
        tt.active_trips,
        tt.patterns.len(),
        tt.footpaths.len()
    );
    // Arrive-by towards Sheridan St C216, a stop in the middle of many routes (The Pier's
    // stop A is where trips start, so few arrive there).
    let sheridan = [(feed.stop_index["750140"] as u32, 0)];
    let leaving = latest_departure(tt, &sheridan, 9 * 3600, 5)
        .times()
        .iter()
        .flatten()
        .count();
    eprintln!("to Sheridan St C216 by 09:00, {leaving} stops can leave in time");
    let mut g = c.benchmark_group("cairns");
    g.bench_function("one_to_all_earliest_arrival_8h", |b| {
        b.iter(|| earliest_arrival(tt, black_box(&pier), 8 * 3600, 5))
    });
    g.bench_function("one_to_all_arrive_by_9h", |b| {
        b.iter(|| latest_departure(tt, black_box(&sheridan), 9 * 3600, 5))
    });
    let (origins, dests) = (points(&feed, 1000, 1), points(&feed, 1000, 5000));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(5));
    let at = MatrixQuery {
        time_s: 8 * 3600,
        ..MatrixQuery::default()
    };
    let m = travel_time_matrix(&net, &origins, &dests, &at).unwrap();
    eprintln!(
        "1000 × 1000 at 08:00: {} of {} pairs reachable",
        m.pairs.iter().filter(|p| p.minutes.is_some()).count(),
        m.pairs.len()
    );
    g.bench_function("matrix_1000x1000_depart_8h", |b| {
        b.iter(|| travel_time_matrix(&net, black_box(&origins), &dests, &at).unwrap())
    });
    let window = MatrixQuery {
        window_min: Some(60),
        percentile: Some(80.0),
        ..at
    };
    g.measurement_time(Duration::from_secs(60));
    g.bench_function("matrix_1000x1000_window_60min_every_minute", |b| {
        b.iter(|| travel_time_matrix(&net, black_box(&origins), &dests, &window).unwrap())
    });
    g.finish();
}

criterion_group!(benches, cairns);
criterion_main!(benches);
