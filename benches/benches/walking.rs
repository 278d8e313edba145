//! The OpenStreetMap pedestrian network: reading and building the Rouen centre extract (real,
//! © OpenStreetMap contributors, ODbL; `engine/tests/data/osm/`), a one-to-all walk within
//! 20 minutes on it, and the Métropole's gap grid with a *synthetic* network of the
//! Métropole's size against today's straight-line build.
//!
//! Size estimate of the Métropole's network: the centre extract has 2 675 walkable nodes over
//! its 1.1 × 1.1 km bounds (about 2 200 nodes/km², OSM way vertices included); a square
//! lattice at that node density (21 m spacing) is laid over every 200 m land cell of the
//! Métropole's gap grid (~664 km²), about 1.4 million nodes and 2.9 million edges. The
//! historic centre is the densest part of the Métropole, so this is an upper bound of the
//! search work (a real extract of the Métropole has fewer nodes per km² outside the centres).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::crs::Lambert93;
use repere_engine::gaps::{GapGrid, GapParams, Grid};
use repere_engine::transit::Destinations;
use repere_engine::transit::{TravelNetwork, TravelParams};
use repere_engine::walking::{BuildStats, WalkGraph, WalkNetwork};

fn extract(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../engine/tests/data/osm")
            .join(name),
    )
    .unwrap()
}

/// A square lattice of `spacing_m` over the land cells of `grid` (synthetic).
fn lattice_over(grid: &Grid, spacing_m: f64) -> WalkGraph {
    let half = grid.cell_m / 2.0;
    let per = (grid.cell_m / spacing_m).round() as i64;
    let centres: Vec<(f64, f64)> = (0..grid.cells.len())
        .map(|k| {
            let c = grid.centre(k);
            (c.x(), c.y())
        })
        .collect();
    let (x0, y0) = centres
        .iter()
        .fold((f64::INFINITY, f64::INFINITY), |(a, b), &(x, y)| {
            (a.min(x - half), b.min(y - half))
        });
    // Lattice indices (i, j) of every land cell's nodes, deduplicated through a map.
    let mut index = std::collections::HashMap::new();
    let mut points = Vec::new();
    for &(cx, cy) in &centres {
        let i0 = ((cx - half - x0) / spacing_m).round() as i64;
        let j0 = ((cy - half - y0) / spacing_m).round() as i64;
        for di in 0..=per {
            for dj in 0..=per {
                let key = (i0 + di, j0 + dj);
                index.entry(key).or_insert_with(|| {
                    points.push([x0 + key.0 as f64 * spacing_m, y0 + key.1 as f64 * spacing_m]);
                    (points.len() - 1) as u32
                });
            }
        }
    }
    let mut pairs = Vec::with_capacity(points.len() * 2);
    for (&(i, j), &v) in &index {
        for key in [(i + 1, j), (i, j + 1)] {
            if let Some(&w) = index.get(&key) {
                pairs.push((v, w));
            }
        }
    }
    WalkGraph::from_parts(points, &pairs)
}

fn walking(c: &mut Criterion) {
    let l93 = Lambert93::new();
    let pbf = extract("rouen_centre_2013.osm.pbf");
    let xml = extract("rouen_centre_2013.osm.gz");
    let mut g = c.benchmark_group("walking");
    g.sample_size(20);
    g.bench_function("read_build_rouen_centre_pbf", |b| {
        b.iter(|| {
            WalkNetwork::from_osm("rouen.osm.pbf", black_box(pbf.clone()), None, &l93).unwrap()
        })
    });
    g.bench_function("read_build_rouen_centre_osm_gz", |b| {
        b.iter(|| {
            WalkNetwork::from_osm("rouen.osm.gz", black_box(xml.clone()), None, &l93).unwrap()
        })
    });
    let net = WalkNetwork::from_osm("rouen.osm.pbf", pbf.clone(), None, &l93).unwrap();
    let cathedral = l93
        .point_from_wgs84(geo::Point::new(1.0944, 49.4402))
        .unwrap();
    let from = net.snap(cathedral).unwrap();
    let max_m = 20.0 * 60.0 * 4.5 / 3.6;
    let mut search = net.search();
    search.run_from(&net.graph, &from, max_m);
    eprintln!(
        "one-to-all 20 min from the cathedral: {} of {} nodes reached",
        search.reached().len(),
        net.graph.node_count()
    );
    g.bench_function("one_to_all_20_min_rouen_centre", |b| {
        b.iter(|| search.run_from(&net.graph, black_box(&from), max_m))
    });
    g.finish();

    // The Métropole's gap grid: straight line vs a synthetic network of its size.
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let grid = Grid::build(&ds, 200.0);
    let t = std::time::Instant::now();
    let graph = lattice_over(&grid, 21.0);
    let stats = BuildStats {
        nodes: graph.node_count(),
        edges: graph.edges.len(),
        ..BuildStats::default()
    };
    let network = WalkNetwork::from_graph(graph, stats, "synthetic lattice");
    eprintln!(
        "synthetic Métropole network: {} nodes, {} edges, built in {:?}",
        network.graph.node_count(),
        network.graph.edges.len(),
        t.elapsed()
    );
    let params = TravelParams::default();
    let straight = TravelNetwork::new(ds.transport.as_ref(), params.clone());
    ds.walk_network = Some(Arc::new(network));
    let walk = ds.walk_model(*params.walk());
    let on_network = TravelNetwork::with_walk(ds.transport.as_ref(), params, walk);
    let mut g = c.benchmark_group("gap_grid_metropole");
    g.sample_size(10);
    for (name, net) in [
        ("straight_line", &straight),
        ("synthetic_network", &on_network),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || grid.clone(),
                |grid| {
                    let dests = Destinations::of_actors(&ds.actors, net);
                    GapGrid::compute(grid, net, &dests, GapParams::default())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, walking);
criterion_main!(benches);
