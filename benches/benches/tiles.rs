//! Vector tiles of the default territory: preparation (once per dataset) timed apart from the
//! per-request work (query, clip, encode) of one tile per layer and zoom, over Les Hauts de Rouen,
//! and of every tile of a zoom over the Métropole.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::diagnostic::{DiagnosticParams, Diagnostics};
use repere_engine::ranking::{Weights, rank};
use repere_engine::tiles::attributes::commune_extras;
use repere_engine::tiles::mercator::tile_of_lonlat;
use repere_engine::tiles::{TileCoord, TileSet};

/// A point in Les Hauts de Rouen (QPV QN07620M).
const HAUTS_DE_ROUEN: (f64, f64) = (1.1383, 49.4547);

fn tiles(c: &mut Criterion) {
    let territory = Territory::default_rouen().expect("embedded manifest");
    let (dataset, _) = repere_engine::load::load(&territory).expect("default territory loads");
    let diagnostics = Diagnostics::compute(&dataset, &DiagnosticParams::default());
    let extras = commune_extras(&diagnostics, &rank(&diagnostics, &Weights::default()));

    let mut prep = c.benchmark_group("tiles_prepare");
    prep.sample_size(10);
    prep.bench_function("all_layers", |b| {
        b.iter(|| TileSet::from_dataset(black_box(&dataset), &extras, Vec::new()))
    });
    prep.finish();

    let set = TileSet::from_dataset(&dataset, &extras, Vec::new());
    let mut g = c.benchmark_group("tile_encode");
    let mut selections: Vec<String> = set.layer_names().iter().map(|s| (*s).to_owned()).collect();
    selections.push("all".to_owned());
    for layers in &selections {
        let selected = set.select(layers).expect("known layer");
        for z in [10u8, 12, 14] {
            let (x, y) = tile_of_lonlat(HAUTS_DE_ROUEN.0, HAUTS_DE_ROUEN.1, z);
            let coord = TileCoord::new(z, x, y).expect("valid tile");
            g.bench_with_input(BenchmarkId::new(layers.as_str(), z), &coord, |b, &coord| {
                b.iter(|| set.encode(&selected, black_box(coord)).expect("encodes"))
            });
        }
    }
    g.finish();

    let mut sweep = c.benchmark_group("tile_sweep_all_layers");
    sweep.sample_size(10);
    let selected = set.select("all").expect("all");
    for z in [10u8, 12, 14] {
        let coords = set.tiles_covering(&selected, z);
        sweep.bench_with_input(
            BenchmarkId::new(format!("{}_tiles", coords.len()), z),
            &coords,
            |b, coords| {
                b.iter(|| {
                    coords
                        .iter()
                        .filter_map(|&t| set.encode(&selected, t).expect("encodes"))
                        .map(|t| t.len())
                        .sum::<usize>()
                })
            },
        );
    }
    sweep.finish();
}

criterion_group!(benches, tiles);
criterion_main!(benches);
