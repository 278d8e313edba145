//! Exact siting (issue 30): the best 5 places for a mission locale permanence in the Métropole,
//! among every QPV cell and every host structure of a suitable kind, 20 min on foot, solved to a
//! proven optimum by the mixed-integer programme (HiGHS, greedy start). The instance (gap cells
//! and each candidate's reach) is built untimed; `suggest_k5_...` times the whole suggestion
//! (instance, exact solve, curve for 1…5 places). Goal: < 2 s to the proven optimum.
//! `benches/compare_spopt.sh` solves the same matrix with PySAL spopt's MCLP (PuLP/CBC).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::coverage::TravelContext;
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::run::suggest_instance;
use repere_engine::suggest::{Proof, SuggestParams, default_candidates, solve_max_cover, suggest};

fn bench(c: &mut Criterion) {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = TravelContext::build_default(&ds);
    let walk = ctx.network.params.walk.clone();
    let cands = default_candidates(&ds, &ctx.gaps.grid);
    let group = ActorGroup::MissionLocale;
    let t = std::time::Instant::now();
    let (inst, kept) = suggest_instance(&ds, &ctx.gaps, &walk, &cands, &[], group, 20.0);
    eprintln!(
        "siting instance: {} candidates ({} kept), {} gap cells, {} incidences, built in {:?}",
        cands.len(),
        kept.len(),
        inst.weights.len(),
        inst.covers.iter().map(Vec::len).sum::<usize>(),
        t.elapsed()
    );
    let s = solve_max_cover(&inst, 5, 60.0);
    assert_eq!(s.certificate.proof, Proof::Optimal, "{:?}", s.certificate);
    eprintln!(
        "exact k = 5: {:.1} young people (greedy {:.1}), {} ms, model {} columns × {} rows",
        s.certificate.objective,
        s.certificate.greedy_objective,
        s.certificate.solve_ms,
        s.certificate.model_columns,
        s.certificate.model_rows
    );
    let mut g = c.benchmark_group("siting");
    g.sample_size(10);
    g.bench_function("exact_k5_ml_20min_qpv_cells_and_hosts", |b| {
        b.iter(|| {
            let s = solve_max_cover(black_box(&inst), 5, 60.0);
            assert_eq!(s.certificate.proof, Proof::Optimal);
            s
        })
    });
    let mut p = SuggestParams::new(group, 20.0, 5);
    p.curve_k = 5;
    g.bench_function("suggest_k5_ml_20min_with_curve_1_to_5", |b| {
        b.iter(|| suggest(&ds, &ctx.gaps, &walk, black_box(&cands), &[], &p).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
