//! The Métropole's portfolio (issue 30) on the default data: a synthetic portfolio built by
//! code, 30 projects × 5 sites (positions at the centres of populated 200 m cells picked by a
//! fixed rule, alternately offering a mission locale and a France Travail permanence; budgets
//! from 20 000 € to 69 000 €, not real figures), each project's coverage computed untimed
//! (on foot, 20 min); timed: the best selection under a budget of a third of the total, greedy
//! then the exact programme solved by HiGHS (goal < 1 s), and the greedy rule alone.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Analysis;
use repere_engine::Territory;
use repere_engine::coverage::CoverageParams;
use repere_engine::portfolio::greedy::greedy;
use repere_engine::portfolio::instance::cents;
use repere_engine::portfolio::{
    Portfolio, PortfolioProject, Weighting, cell_index, decide, project_reach,
};
use repere_engine::project::Project;

/// The synthetic project `p` (named so), its five sites at populated cells of the grid.
fn synthetic_project(analysis: &Analysis, populated: &[usize], p: usize) -> serde_json::Value {
    let grid = &analysis.access().gaps.grid;
    let l93 = repere_engine::crs::Lambert93::new();
    let n = populated.len();
    let sites: Vec<serde_json::Value> = (0..5)
        .map(|s| {
            let k = populated[(p * 37 + s * 211 + p * s * 13) % n];
            let c = grid.centre(k);
            let w = l93.to_wgs84(geo::Coord { x: c.x(), y: c.y() }).unwrap();
            serde_json::json!({"name": format!("Site synthétique {}-{}", p + 1, s + 1),
                "lon": (w.x * 1e6).round() / 1e6, "lat": (w.y * 1e6).round() / 1e6,
                "services": [if s % 2 == 0 { "ML" } else { "FT" }]})
        })
        .collect();
    serde_json::json!({
        "title": format!("Projet synthétique n° {}", p + 1),
        "organisation": {"name": "Porteur synthétique du banc d'essai"},
        "budget_eur": 20_000 + (p * 7919 % 50) * 1000,
        "sites": sites,
    })
}

fn portfolio(c: &mut Criterion) {
    let (ds, load) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let analysis = Analysis::build_default(ds, load).unwrap();
    let ds = analysis.dataset();
    let ctx = analysis.access();
    let grid = &ctx.gaps.grid;
    let populated: Vec<usize> = (0..grid.cells.len())
        .filter(|&k| grid.cells[k].youth_15_29 >= 20.0)
        .collect();
    let index = cell_index(ctx);
    let params = CoverageParams::default();
    let t0 = Instant::now();
    let projects: Vec<PortfolioProject> = (0..30)
        .filter_map(|p| {
            let project =
                Project::validate(ds, &synthetic_project(&analysis, &populated, p)).ok()?;
            let reach = project_reach(ds, ctx, &index, &project, &params, &|| false).unwrap();
            Some(PortfolioProject {
                id: format!("synthetique-{}", p + 1),
                title: project.title.clone(),
                organisation: project.organisation.name.clone(),
                budget_eur: project.budget_eur,
                reach,
            })
        })
        .collect();
    let reach_s = t0.elapsed().as_secs_f64();
    assert_eq!(projects.len(), 30, "every synthetic project validates");
    let total: f64 = projects.iter().filter_map(|p| p.budget_eur).sum();
    let budget = (total / 3.0).round();
    let pf = Portfolio::new(projects, None, &|k| grid.cells[k].youth_15_29, &|k| {
        grid.cells[k].youth_15_29
    });
    let clock = {
        let t = Instant::now();
        move || t.elapsed().as_secs_f64() * 1000.0
    };
    let d = decide(&pf, Weighting::Youth, budget, 10.0, &clock).unwrap();
    let g = greedy(&pf.weighted, cents(budget));
    eprintln!(
        "portfolio: 30 projects × 5 sites, {} cells newly reached, coverage computed in {reach_s:.1} s; budget {budget} € of {total} €: {} funded, {:.0} young people (greedy {:.0}), model {:?}, certificate {:?}, gap {:.3} %, {} variables, {} constraints, solve {:.1} ms",
        pf.cells.len(),
        d.selected.len(),
        d.youth,
        pf.weighted.value(&g),
        d.model,
        d.certificate,
        d.gap_pct,
        d.variables,
        d.constraints,
        d.solve_ms
    );

    let mut gr = c.benchmark_group("portfolio");
    gr.sample_size(10);
    gr.bench_function("exact_selection_30_projects_x_5_sites", |b| {
        b.iter(|| decide(black_box(&pf), Weighting::Youth, budget, 10.0, &clock).unwrap())
    });
    gr.bench_function("greedy_30_projects_x_5_sites", |b| {
        b.iter(|| greedy(black_box(&pf.weighted), cents(budget)))
    });
    gr.finish();
}

criterion_group!(benches, portfolio);
criterion_main!(benches);
