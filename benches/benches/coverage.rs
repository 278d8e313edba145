//! Coverage check of 20 planned sites on the default data (on foot), the suggestion of k = 5 host
//! structures among every host candidate, and the coverage check on foot + transit over
//! the Rouen-size network with *synthetic* stop times. Context (grid, access) built untimed.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::coverage::{CoverageParams, Mode, TravelContext, check, parse_sites_csv};
use repere_engine::gaps::GapParams;
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::{SuggestParams, host_candidates, suggest};
use repere_engine::transit::TravelParams;

/// A 6 × 5 lattice over the Rouen agglomeration (the first 20 points inside the Métropole are
/// the sites: a check refuses sites outside the territory).
fn sites_csv() -> String {
    let mut s = String::from("lon,lat\n");
    for i in 0..6 {
        for j in 0..5 {
            s.push_str(&format!(
                "{},{}\n",
                1.00 + 0.04 * f64::from(i),
                49.38 + 0.03 * f64::from(j)
            ));
        }
    }
    s
}

fn coverage(c: &mut Criterion) {
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let sites: Vec<_> = parse_sites_csv(&sites_csv())
        .unwrap()
        .into_iter()
        .filter(|s| ds.commune_at_l93(s.point_l93).is_some())
        .take(20)
        .collect();
    assert_eq!(sites.len(), 20);
    let t = std::time::Instant::now();
    let ctx = TravelContext::build_default(&ds);
    eprintln!(
        "default context (grid {} cells, walk access): {:?}",
        ctx.gaps.grid.cells.len(),
        t.elapsed()
    );
    let mut g = c.benchmark_group("coverage");
    g.sample_size(10);
    let walk = CoverageParams {
        threshold_min: 20.0,
        mode: Mode::Walk,
        group: None,
    };
    g.bench_function("20_sites_walk_default", |b| {
        b.iter(|| check(&ds, &ctx.gaps, &ctx.network, black_box(&sites), &walk).unwrap())
    });

    // Where to open the next permanence: k = 5 among every host structure of the Métropole.
    let hosts = host_candidates(&ds);
    let walk_model = ctx.network.params.walk.clone();
    let sp = SuggestParams::new(ActorGroup::FranceTravail, 15.0, 5);
    eprintln!("suggest: {} host candidates", hosts.len());
    g.bench_function("suggest_k5_all_hosts_walk_default", |b| {
        b.iter(|| suggest(&ds, &ctx.gaps, &walk_model, black_box(&hosts), &[], &sp).unwrap())
    });

    let feed = repere_benches::synthetic_rouen_timetable(ds.transport.as_ref().unwrap());
    ds.transport = Some(feed);
    let t = std::time::Instant::now();
    let ctx = TravelContext::build(&ds, TravelParams::default(), GapParams::default());
    eprintln!(
        "synthetic transit context ({}): {:?}",
        ctx.network.note,
        t.elapsed()
    );
    let transit = CoverageParams {
        mode: Mode::Transit,
        ..walk
    };
    let r = check(&ds, &ctx.gaps, &ctx.network, &sites, &transit).unwrap();
    eprintln!(
        "transit check: mode {:?}, {} cells reached",
        r.mode, r.cells_reached
    );
    g.bench_function("20_sites_transit_synthetic_window_7_9h", |b| {
        b.iter(|| check(&ds, &ctx.gaps, &ctx.network, black_box(&sites), &transit).unwrap())
    });
    g.finish();
}

criterion_group!(benches, coverage);
criterion_main!(benches);
