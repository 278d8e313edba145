//! All diagnostics and the ranking for the Métropole Rouen Normandie (target < 50 ms in all).
//! Loading is done once, outside the timed loops (it has its own bench, `load`).

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::diagnostic::{DiagnosticParams, Diagnostics};
use repere_engine::ranking::{Weights, rank};

fn diagnostics(c: &mut Criterion) {
    let (ds, _) =
        repere_engine::load::load(&Territory::default_rouen().expect("embedded manifest"))
            .expect("default territory loads");
    let params = DiagnosticParams::default();
    let weights = Weights::default();
    let computed = Diagnostics::compute(&ds, &params);
    let mut g = c.benchmark_group("diagnostics");
    g.sample_size(20);
    g.bench_function("compute_all_rouen", |b| {
        b.iter(|| Diagnostics::compute(&ds, &params))
    });
    g.bench_function("rank_rouen", |b| b.iter(|| rank(&computed, &weights)));
    g.bench_function("compute_all_and_rank_rouen", |b| {
        b.iter(|| rank(&Diagnostics::compute(&ds, &params), &weights))
    });
    g.finish();
}

criterion_group!(benches, diagnostics);
criterion_main!(benches);
