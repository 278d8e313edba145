//! Edit committed → new analysis serving (goal < 50 ms on the Métropole, issue 28): one actor
//! placed, then the dataset rebuilt from the loaded one plus the edit, and the analysis
//! (diagnostics, ranking, access, gap grid, tiles) built from it: in full
//! (`…_build_analysis_…`); with `Analysis::rebuild` over the analysis serving before the edit,
//! which reuses the gap grid's cells and the prepared tile geometry (`…_rebuild_analysis_…`,
//! what the server did before issue 28); and as the server does it now, with the one engine
//! call `inventory::apply_edits` over the analysis serving (`…_apply_edits_…`), which knows
//! that only actors changed and shares the tile layers that read none. The store append itself
//! (one SQLite or PostgreSQL transaction) is a few milliseconds on top.
//!
//! The phases of that rebuild, each alone (`phase_…`): the edited dataset
//! (`Dataset::with_actor_states`: a copy of the loaded one, actors placed, index rebuilt, content
//! hash), the diagnostics, and the access network with the gap grid
//! (`TravelContext::build_reusing`, the grid's cells reused); what the whole rebuild takes beyond
//! their sum is the ranking, the commune attributes and the tiles.

use std::collections::BTreeMap;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::coverage::TravelContext;
use repere_engine::diagnostic::Diagnostics;
use repere_engine::inventory::{ActorFields, ActorInput, EditedActor, apply_edits};
use repere_engine::{Analysis, Territory};

fn edit_rebuild(c: &mut Criterion) {
    let (ds, report) =
        repere_engine::load::load(&Territory::default_rouen().expect("embedded manifest"))
            .expect("default territory loads");
    // A position chosen by the bench (as a user's drop would be), in Rouen.
    let input = ActorInput {
        name: "Mission locale (bench)".into(),
        kind: "ML".into(),
        lon: Some(1.0938),
        lat: Some(49.43),
        ..Default::default()
    };
    let fields = ActorFields::validate(&ds, &input).expect("valid edit");
    let mut states = BTreeMap::new();
    states.insert(
        "missions_locales:mission_locale-76540-01".to_owned(),
        ("missions_locales".to_owned(), Some(fields)),
    );
    let mut g = c.benchmark_group("edit_rebuild");
    g.sample_size(10);
    g.bench_function("place_one_actor_and_build_analysis_rouen", |b| {
        b.iter(|| {
            let edited = ds.with_actor_states(&states).expect("rebuild");
            Analysis::build_default(edited, report.clone()).expect("analysis")
        })
    });
    let serving = Analysis::build_default(ds.clone(), report.clone()).expect("analysis");
    // The server prepares the tiles before serving: the rebuild then rebuilds them too.
    serving.tiles();
    g.bench_function("place_one_actor_and_rebuild_analysis_rouen", |b| {
        b.iter(|| {
            let edited = ds.with_actor_states(&states).expect("rebuild");
            serving.rebuild(edited, report.clone()).expect("analysis")
        })
    });
    // The server's path: the latest state of each edited actor, laid over the base by one call.
    let edits = vec![EditedActor {
        id: "missions_locales:mission_locale-76540-01".to_owned(),
        source: "missions_locales".to_owned(),
        edit: 1,
        state: Some(input.clone()),
    }];
    let params = serving.params().clone();
    g.bench_function("place_one_actor_and_apply_edits_rouen", |b| {
        b.iter(|| apply_edits(&ds, &report, &edits, &params, Some(&serving)).expect("analysis"))
    });
    let edited = ds.with_actor_states(&states).expect("rebuild");
    g.bench_function("phase_edited_dataset_rouen", |b| {
        b.iter(|| ds.with_actor_states(&states).expect("rebuild"))
    });
    g.bench_function("phase_diagnostics_rouen", |b| {
        b.iter(|| Diagnostics::compute(&edited, &params.diagnostic))
    });
    g.bench_function("phase_access_and_gap_grid_rouen", |b| {
        b.iter(|| {
            TravelContext::build_reusing(
                &edited,
                params.access.clone(),
                params.gap,
                Some(serving.access()),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, edit_rebuild);
criterion_main!(benches);
