//! A saved project's report (issue 29) on the default data: a 5-site project, each site offering
//! two services (10 site checks on foot, 20 min): the coverage, the report document and its HTML
//! page (goal < 50 ms), the same report as a PDF (goal < 1 s), and a project saved to a
//! GeoPackage then read back by its link (goal < 100 ms). The analysis is built untimed. The
//! sites are positions chosen by the bench in five communes, not addresses of real structures.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use repere_engine::Analysis;
use repere_engine::Territory;
use repere_engine::coverage::CoverageParams;
use repere_engine::project::{Project, project_coverage};
use repere_server::projects::{content, report, report_html, report_pdf};
use repere_store::projects::ProjectStore;
use repere_store::projects::gpkg::GpkgProjects;

fn project_json() -> serde_json::Value {
    let site = |name: &str, lon: f64, lat: f64| {
        serde_json::json!({"name": name, "lon": lon, "lat": lat, "services": ["ML", "FT"],
            "opening_hours": {"mardi": "09:00-12:00", "jeudi": "14:00-17:00"}})
    };
    serde_json::json!({
        "title": "Banc d'essai : cinq permanences",
        "organisation": {"name": "Association du banc d'essai", "siret": "12002701600019"},
        "communes": ["76231", "76540"],
        "budget_eur": 90000,
        "sites": [
            site("Elbeuf", 1.0092, 49.2868),
            site("Hauts de Rouen", 1.113, 49.4608),
            site("Rive gauche", 1.075, 49.425),
            site("Canteleu", 1.025, 49.441),
            site("Oissel", 1.095, 49.343),
        ]
    })
}

fn project_report(c: &mut Criterion) {
    let (ds, load) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let analysis = Analysis::build_default(ds, load).unwrap();
    let ds = analysis.dataset();
    let project = Project::validate(ds, &project_json()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = GpkgProjects::open(&dir.path().join("banc.gpkg")).unwrap();
    let stored = store
        .create("pbanc", "0".repeat(64).as_str(), &content(&project))
        .unwrap();
    let params = CoverageParams::default();
    let cov = |p: &Project| {
        project_coverage(ds, p, &params, |s, prm| {
            analysis.coverage_within(s, prm, &|| false)
        })
        .unwrap()
    };
    let doc = |p: &Project| {
        report::build(
            ds,
            analysis.report(),
            &stored,
            p,
            &cov(p),
            &[],
            "7 décembre 2026",
        )
    };
    let d = doc(&project);
    eprintln!(
        "PDF: {} bytes; HTML: {} bytes",
        report_pdf::render(&d).unwrap().len(),
        report_html::render(&d).len()
    );

    let mut g = c.benchmark_group("project_report");
    g.sample_size(10);
    g.bench_function("coverage_5_sites_2_services", |b| {
        b.iter(|| cov(black_box(&project)))
    });
    g.bench_function("html_5_sites_with_coverage", |b| {
        b.iter(|| report_html::render(&doc(black_box(&project))))
    });
    g.bench_function("html_5_sites_render_only", |b| {
        b.iter(|| report_html::render(black_box(&d)))
    });
    g.bench_function("pdf_5_sites_with_coverage", |b| {
        b.iter(|| report_pdf::render(&doc(black_box(&project))).unwrap())
    });
    g.bench_function("pdf_5_sites_render_only", |b| {
        b.iter(|| report_pdf::render(black_box(&d)).unwrap())
    });
    let body = project_json();
    let mut n = 0u64;
    g.bench_function("save_then_read_by_link_gpkg", |b| {
        b.iter(|| {
            n += 1;
            let p = Project::validate(ds, black_box(&body)).unwrap();
            let id = format!("p{n:024}");
            store.create(&id, &"0".repeat(64), &content(&p)).unwrap();
            store.get(&id).unwrap().unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, project_report);
criterion_main!(benches);
