//! The OpenStreetMap pedestrian network: reading and building the Rouen centre extract (real,
//! © OpenStreetMap contributors, ODbL; `engine/tests/data/osm/`), a one-to-all walk within
//! 20 minutes on it, and the Métropole's gap grid with a *synthetic* network of the
//! Métropole's size against today's straight-line build, measured in the same run.
//!
//! Size estimate of the Métropole's network, from the centre extract's density: its walkable
//! graph (N nodes, OSM way vertices included, of which C are *core* nodes, i.e. junctions and
//! dead ends that stay after degree-2 contraction) over the extract's documented bounds
//! (lon 1.0873–1.1028, lat 49.4326–49.4422, about 1.2 km²), laid over every 200 m land cell of
//! the Métropole's gap grid (the whole territory, ~660 km²). The synthetic network is a square
//! lattice of junctions with `k` shape vertices on each side, `k` and the spacing chosen so that
//! both densities (nodes and core nodes per km²) equal the extract's; the counts are printed.
//! The historic centre is the densest part of the Métropole, and forests, fields and the Seine
//! get the same density here, so this is an upper bound of the search work (a real extract of
//! the Métropole has far fewer nodes per km² outside the centres).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use repere_engine::Territory;
use repere_engine::crs::Lambert93;
use repere_engine::gaps::{GapGrid, GapParams};
use repere_engine::grid::Grid;
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

/// A square lattice of junctions every `spacing_m`, with `k` shape vertices on each side, over
/// the land cells of `grid` (synthetic).
fn lattice_over(grid: &Grid, spacing_m: f64, k: usize) -> WalkGraph {
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
    let mut pairs = Vec::with_capacity(points.len() * 2 * (k + 1));
    let junctions: Vec<((i64, i64), u32)> = index.iter().map(|(&key, &v)| (key, v)).collect();
    for ((i, j), v) in junctions {
        for (di, dj) in [(1, 0), (0, 1)] {
            let Some(&w) = index.get(&(i + di, j + dj)) else {
                continue;
            };
            // k shape vertices evenly along the side v → w.
            let [xv, yv] = points[v as usize];
            let mut prev = v;
            for s in 1..=k {
                let f = s as f64 / (k + 1) as f64;
                points.push([
                    xv + f * di as f64 * spacing_m,
                    yv + f * dj as f64 * spacing_m,
                ]);
                let id = (points.len() - 1) as u32;
                pairs.push((prev, id));
                prev = id;
            }
            pairs.push((prev, w));
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
    search.run_from(&net, &from, max_m);
    eprintln!(
        "Rouen centre: {} nodes, {} edges; contracted: {} core nodes, {} chains; one-to-all \
         20 min from the cathedral: {} of {} core nodes reached",
        net.graph.node_count(),
        net.graph.edges.len(),
        net.core.graph.node_count(),
        net.core.graph.edges.len(),
        search.reached().len(),
        net.core.graph.node_count()
    );
    g.bench_function("one_to_all_20_min_rouen_centre", |b| {
        b.iter(|| search.run_from(&net, black_box(&from), max_m))
    });
    g.finish();

    // Densities of the extract over its documented bounds.
    let sw = l93
        .point_from_wgs84(geo::Point::new(1.0873, 49.4326))
        .unwrap();
    let ne = l93
        .point_from_wgs84(geo::Point::new(1.1028, 49.4422))
        .unwrap();
    let area_km2 = (ne.x() - sw.x()) * (ne.y() - sw.y()) / 1e6;
    let nodes_km2 = net.graph.node_count() as f64 / area_km2;
    let core_km2 = net.core.graph.node_count() as f64 / area_km2;
    // One junction per lattice block of 1 + 2k nodes.
    // Rounded down: at least the extract's core nodes per km² (the search work).
    let k = ((nodes_km2 / core_km2 - 1.0) / 2.0).floor().max(0.0) as usize;
    let spacing_m = ((1 + 2 * k) as f64 / nodes_km2 * 1e6).sqrt();
    eprintln!(
        "Rouen centre over {area_km2:.2} km²: {nodes_km2:.0} nodes/km², {core_km2:.0} core \
         nodes/km² → synthetic lattice: junctions every {spacing_m:.1} m, {k} shape vertices \
         per side"
    );

    // The Métropole's gap grid: straight line vs a synthetic network of its size.
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let grid = Grid::build(&ds, 200.0);
    let t = std::time::Instant::now();
    let graph = lattice_over(&grid, spacing_m, k);
    let stats = BuildStats {
        nodes: graph.node_count(),
        edges: graph.edges.len(),
        ..BuildStats::default()
    };
    let network = WalkNetwork::from_graph(graph, stats, "synthetic lattice");
    eprintln!(
        "synthetic Métropole network over {} cells ({:.0} km²): {} nodes, {} edges, {} core \
         nodes, {} chains, built in {:?}",
        grid.cells.len(),
        grid.cells.len() as f64 * grid.cell_m * grid.cell_m / 1e6,
        network.graph.node_count(),
        network.graph.edges.len(),
        network.core.graph.node_count(),
        network.core.graph.edges.len(),
        t.elapsed()
    );
    let params = TravelParams::default();
    let straight = ds.walk_model(*params.walk());
    ds.walk_network = Some(Arc::new(network));
    let on_network = ds.walk_model(*params.walk());
    // One timed run of each phase, for the report.
    for (name, walk) in [
        ("straight line", &straight),
        ("synthetic network", &on_network),
    ] {
        let t = std::time::Instant::now();
        let net = TravelNetwork::with_walk(ds.transport.as_ref(), params.clone(), walk.clone());
        let t_net = t.elapsed();
        let dests = Destinations::of_actors(&ds.actors, &net);
        let t_dests = t.elapsed() - t_net;
        let gg = GapGrid::compute(grid.clone(), &net, &dests, GapParams::default());
        eprintln!(
            "{name}: access network {t_net:?}, destinations {t_dests:?}, grid {:?} ({} groups)",
            t.elapsed() - t_net - t_dests,
            gg.groups.len()
        );
    }
    let mut g = c.benchmark_group("gap_grid_metropole");
    g.sample_size(10);
    // What a gap map build does once the data is loaded: the access network (stops, their
    // nearest-stop field with the network), the destinations (one field per group), the grid.
    for (name, walk) in [
        ("straight_line", &straight),
        ("synthetic_network", &on_network),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || grid.clone(),
                |grid| {
                    let net = TravelNetwork::with_walk(
                        ds.transport.as_ref(),
                        params.clone(),
                        walk.clone(),
                    );
                    let dests = Destinations::of_actors(&ds.actors, &net);
                    GapGrid::compute(grid, &net, &dests, GapParams::default())
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, walking);
criterion_main!(benches);
