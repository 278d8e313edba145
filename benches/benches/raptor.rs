//! RAPTOR one-to-all on a network of the Rouen feed's size (real stops and trips, *synthetic*
//! stop times, see `repere_benches::synthetic_rouen_timetable`), and access from every QPV and
//! IRIS origin of the Métropole to the nearest actor of each group.
//!
//! Every trip of the feed runs on the benchmark day (32 791 trips): a conservative upper bound,
//! a real weekday runs a fraction of them.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::transit::Destinations;
use repere_engine::transit::access::{access_from_origins, territory_origins};
use repere_engine::transit::timetable::Timetable;
use repere_engine::transit::{Departures, TravelNetwork, TravelParams, earliest_arrival};
use repere_engine::walking::WalkModel;

fn raptor(c: &mut Criterion) {
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let feed = repere_benches::synthetic_rouen_timetable(ds.transport.as_ref().unwrap());
    let all = vec![true; feed.trips.len()];
    let tt = Timetable::build(&feed, 20240102, &all, &WalkModel::default());
    eprintln!(
        "synthetic network: {} stops, {} trips, {} stop times, {} patterns, {} footpaths",
        feed.stops.len(),
        tt.active_trips,
        feed.stop_times.len(),
        tt.patterns.len(),
        tt.footpaths.len()
    );
    // Origin: Rouen town hall area; access to every stop within 1 000 m.
    let params = TravelParams {
        departures: Departures::At(8 * 3600),
        ..TravelParams::default()
    };
    ds.transport = Some(feed);
    let mut net = TravelNetwork::new(ds.transport.as_ref(), params);
    net.timetable = Some(tt);
    let origin = geo::Point::new(562_122.0, 6_928_734.0);
    let access = net.access_stops(origin);
    let tt = net.timetable.as_ref().unwrap();
    let arr = earliest_arrival(tt, &access, 8 * 3600, 5);
    eprintln!(
        "from Rouen centre: {} access stops, {} stops reached",
        access.len(),
        arr.times().iter().flatten().count()
    );

    let mut g = c.benchmark_group("raptor");
    g.bench_function("one_to_all_rouen_size_synthetic", |b| {
        b.iter(|| earliest_arrival(tt, black_box(&access), 8 * 3600, 5))
    });

    let origins = territory_origins(&ds);
    let dests = Destinations::of_actors(&ds.actors, &net);
    eprintln!("origins: {} (QPV + IRIS with contours)", origins.len());
    g.sample_size(10);
    g.bench_function("all_qpv_iris_origins_at_8h", |b| {
        b.iter(|| access_from_origins(&net, &dests, black_box(&origins)))
    });
    net.params.departures = Departures::Window {
        start_s: 7 * 3600,
        end_s: 9 * 3600,
        step_s: 600,
    };
    g.bench_function("all_qpv_iris_origins_window_7_9h_every_10min", |b| {
        b.iter(|| access_from_origins(&net, &dests, black_box(&origins)))
    });
    g.finish();
}

criterion_group!(benches, raptor);
criterion_main!(benches);
