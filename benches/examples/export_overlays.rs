//! Exports Repère's commune × QPV areas, actor counts per commune and nearest-actor distances
//! (per actor source, from each QPV boundary and centroid) as JSON, with the time the engine took
//! for each, for `benches/compare_geopandas.sh`.
//!
//! ```sh
//! cargo run --release -p repere-benches --example export_overlays > repere.json
//! # France (benches/territories/france.toml): commune × QPV 2015, France Travail agencies
//! cargo run --release -p repere-benches --example export_overlays -- --national MANIFEST > repere.json
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

use geo::Centroid;
use repere_engine::Territory;
use repere_engine::crs::distance_m;
use repere_engine::overlay::commune_qpv::{CommuneQpvOverlay, SliverRule};
use repere_engine::overlay::nearest::{nearest_from_points, nearest_from_polygons};
use repere_engine::overlay::planar::point_polygon_distance_m;
use repere_engine::overlay::point_in_polygon::counts_by_commune;
use serde_json::json;

fn median_ms(repeat: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..repeat)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[repeat / 2]
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let national = match args.as_slice() {
        [] => None,
        [flag, manifest] if flag == "--national" => Some(std::path::PathBuf::from(manifest)),
        _ => anyhow::bail!("usage : export_overlays [--national MANIFEST]"),
    };
    // Repetitions for timing (the median is reported): fewer for France.
    let repeat = if national.is_some() { 5 } else { 21 };
    let territory = match &national {
        Some(m) => Territory::from_path(m)?,
        None => Territory::default_rouen()?,
    };
    let start = Instant::now();
    let (ds, _) = repere_engine::load::load(&territory)?;
    let load_ms = start.elapsed().as_secs_f64() * 1e3;

    // 1. Commune × QPV areas (every vintage).
    let overlay = CommuneQpvOverlay::compute(&ds, SliverRule::default());
    let areas_ms = median_ms(repeat, || {
        std::hint::black_box(CommuneQpvOverlay::compute(&ds, SliverRule::default()));
    });
    let areas: Vec<_> = overlay
        .pieces
        .iter()
        .filter(|p| p.area_m2 > 0.0)
        .map(|p| json!({"commune": p.commune_code, "qpv": p.qpv_code, "area_m2": p.area_m2}))
        .collect();

    // 2. Actors per commune (point in polygon, the engine's parallel placement); timed up to
    // the counts per commune, as GeoPandas's `sjoin` + `groupby().size()`.
    let actor_points: Vec<geo::Point> = ds.actors.iter().map(|a| a.point_l93).collect();
    let count = || counts_by_commune(&ds, &actor_points);
    let counts_ms = median_ms(repeat, || {
        std::hint::black_box(count());
    });
    let counts: BTreeMap<String, usize> = ds
        .communes
        .iter()
        .zip(count())
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| (c.code.to_string(), n))
        .collect();

    // 3. Nearest actor from each QPV, boundary (0 inside) and centroid. The Métropole: per
    // source, from the QPV 2024, by a scan (4 sources, 16 QPV). France: the engine's nearest
    // actor of each group (R-tree), from every QPV (one source, France Travail).
    let nearest_rouen = || {
        let mut out = Vec::new();
        for q in ds.qpv.iter().filter(|q| q.vintage == 2024) {
            let centroid = q.boundary_l93.centroid();
            let mut by_source: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
            for a in &ds.actors {
                let b = point_polygon_distance_m(a.point_l93, &q.boundary_l93);
                let c = centroid.map_or(f64::NAN, |c| distance_m(c, a.point_l93));
                let e = by_source
                    .entry(a.source.as_str())
                    .or_insert((f64::INFINITY, f64::INFINITY));
                e.0 = e.0.min(b);
                e.1 = e.1.min(c);
            }
            for (source, (b, c)) in by_source {
                out.push(
                    json!({"qpv": q.code, "source": source, "boundary_m": b, "centroid_m": c}),
                );
            }
        }
        out
    };
    // France: timed up to the nearest actors per QPV (the engine's parallel batch queries), as
    // GeoPandas's `sjoin_nearest` + `groupby().min()`; the JSON is written afterwards.
    let qpv_areas: Vec<&geo::MultiPolygon> = ds.qpv.iter().map(|q| &q.boundary_l93).collect();
    let qpv_centroids: Vec<Option<geo::Point>> =
        ds.qpv.iter().map(|q| q.boundary_l93.centroid()).collect();
    let nearest_france = || {
        let centroids: Vec<geo::Point> = qpv_centroids.iter().flatten().copied().collect();
        (
            nearest_from_polygons(&ds, &qpv_areas),
            nearest_from_points(&ds, &centroids),
        )
    };
    let (distances, nearest_ms) = if national.is_some() {
        let ms = median_ms(repeat, || {
            std::hint::black_box(nearest_france());
        });
        let (boundary, from_centroids) = nearest_france();
        let mut from_centroids = from_centroids.into_iter();
        let mut d = Vec::new();
        for ((q, b), c) in ds.qpv.iter().zip(&boundary).zip(&qpv_centroids) {
            let c = c.and_then(|_| from_centroids.next()).unwrap_or_default();
            for (b, c) in b.iter().zip(&c) {
                let source = &ds.actors[b.actor].source;
                d.push(json!({"qpv": q.code, "source": source, "group": b.group,
                    "boundary_m": b.distance_m, "centroid_m": c.distance_m}));
            }
        }
        (d, ms)
    } else {
        let d = nearest_rouen();
        let ms = median_ms(repeat, || {
            std::hint::black_box(nearest_rouen());
        });
        (d, ms)
    };

    let out = json!({
        "timing_ms": {"load": load_ms, "areas": areas_ms, "counts": counts_ms, "nearest": nearest_ms},
        "repeat": repeat,
        "communes": ds.communes.len(),
        "qpv": ds.qpv.len(),
        "areas": areas,
        "actor_counts": counts,
        "actors_total": ds.actors.len(),
        "nearest": distances,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
