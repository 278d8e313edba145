//! Vector tiles of France (`benches/territories/france.toml` over `../shared/data/national/`):
//! uncached tile generation (query, clip, encode: what `repere serve` does on a cache miss) for a
//! sample of France tiles at zooms 8-12, with the p99 over the sample printed per zoom (goal:
//! < 20 ms), and the size of every zoom-5 tile (goal: none over 500 KB).
//!
//! The national files are not in the repository: without them the bench prints why and measures
//! nothing. Run: `cargo bench -p repere-benches --bench france_tiles`; `REPERE_FRANCE_MANIFEST`
//! names another manifest (e.g. a copy with absolute paths, from a worktree elsewhere).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use repere_engine::tiles::{TileCoord, TileSet};
use repere_engine::{Analysis, Territory};

const MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/territories/france.toml");
/// Tiles sampled per zoom (every k-th non-empty tile over France, in row order).
const SAMPLE: usize = 120;

fn france() -> Option<Analysis> {
    let manifest = std::env::var_os("REPERE_FRANCE_MANIFEST")
        .map_or_else(|| Path::new(MANIFEST).to_path_buf(), Into::into);
    let national = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/national");
    if std::env::var_os("REPERE_FRANCE_MANIFEST").is_none() && !national.is_dir() {
        eprintln!(
            "france_tiles: {} is absent, nothing measured (the national files live beside the repository)",
            national.display()
        );
        return None;
    }
    let t0 = Instant::now();
    let territory = Territory::from_path(&manifest).expect("France manifest");
    let (dataset, report) = repere_engine::load::load(&territory).expect("France loads");
    let analysis = Analysis::build_default(dataset, report).expect("France analysis");
    eprintln!(
        "france_tiles: France loaded and analysed (tiles prepared) in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    Some(analysis)
}

/// Every k-th non-empty tile of zoom `z` over the selected layers' bounds.
fn sample(tiles: &TileSet, selected: &[usize], z: u8) -> Vec<TileCoord> {
    let all: Vec<TileCoord> = tiles
        .tiles_touched(selected, z)
        .into_iter()
        .filter(|&c| matches!(tiles.encode(selected, c), Ok(Some(_))))
        .collect();
    let step = (all.len() / SAMPLE).max(1);
    all.into_iter().step_by(step).take(SAMPLE).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn france_tiles(c: &mut Criterion) {
    let Some(analysis) = france() else { return };
    let tiles = analysis.tiles();
    let selected = tiles.select("all").expect("all");

    // Zoom 5: every tile's size, raw MVT (the archive gzips it further).
    let z5: Vec<(TileCoord, usize)> = tiles
        .tiles_touched(&selected, 5)
        .into_iter()
        .filter_map(|t| Some((t, tiles.encode(&selected, t).ok()??.len())))
        .collect();
    let (largest, bytes) = z5
        .iter()
        .max_by_key(|(_, b)| *b)
        .copied()
        .unwrap_or((TileCoord::new(5, 0, 0).expect("tile"), 0));
    eprintln!(
        "france_tiles: z5: {} tiles, largest {largest} = {:.0} KB raw (goal ≤ 500 KB), {} over 500 KB",
        z5.len(),
        bytes as f64 / 1024.0,
        z5.iter().filter(|(_, b)| *b > 500 * 1024).count()
    );

    let mut g = c.benchmark_group("france_tile_encode");
    g.sample_size(10);
    for z in 8u8..=12 {
        let coords = sample(tiles, &selected, z);
        // p99 over the sample: each tile timed alone, best of 3 (uncached by construction).
        let mut times: Vec<Duration> = coords
            .iter()
            .map(|&t| {
                (0..3)
                    .map(|_| {
                        let t0 = Instant::now();
                        black_box(tiles.encode(&selected, t).expect("encodes"));
                        t0.elapsed()
                    })
                    .min()
                    .unwrap_or_default()
            })
            .collect();
        times.sort();
        eprintln!(
            "france_tiles: z{z}: {} tiles sampled, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (goal p99 < 20 ms)",
            coords.len(),
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        );
        g.bench_with_input(
            BenchmarkId::new(format!("{}_sampled_tiles", coords.len()), z),
            &coords,
            |b, coords| {
                b.iter(|| {
                    coords
                        .iter()
                        .filter_map(|&t| tiles.encode(&selected, t).expect("encodes"))
                        .map(|t| t.len())
                        .sum::<usize>()
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, france_tiles);
criterion_main!(benches);
