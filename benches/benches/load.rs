//! Loading the default territory: parse, validate, project to Lambert-93 and index everything.

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Territory;

fn load_default(c: &mut Criterion) {
    let territory = Territory::default_rouen().expect("embedded manifest");
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("default_rouen", |b| {
        b.iter(|| repere_engine::load::load(&territory).expect("default territory loads"))
    });
    g.finish();
}

criterion_group!(benches, load_default);
criterion_main!(benches);
