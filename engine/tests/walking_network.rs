//! The OpenStreetMap pedestrian network on real Rouen data (the 2013 centre extract, ©
//! OpenStreetMap contributors, ODbL; `tests/data/osm/SOURCE.md`) and on small synthetic files
//! built here.

use std::collections::BTreeSet;
use std::path::PathBuf;

use geo::Point;
use repere_engine::crs::Lambert93;
use repere_engine::walking::WalkParams;
use repere_engine::walking::{NetworkWalk, OsmError, Snapped, WalkGraph, WalkNetwork};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/osm")
        .join(name)
}

fn rouen(name: &str) -> WalkNetwork {
    let bytes = std::fs::read(data(name)).unwrap();
    WalkNetwork::from_osm(name, bytes, None, &Lambert93::new()).unwrap()
}

fn l93(lon: f64, lat: f64) -> Point {
    Lambert93::new()
        .point_from_wgs84(Point::new(lon, lat))
        .unwrap()
}

/// The textbook O(V²) Dijkstra (no heap): written here, independent of the engine's search.
fn naive_dijkstra(g: &WalkGraph, seeds: &[(u32, f64)]) -> Vec<f64> {
    let n = g.node_count();
    let mut dist = vec![f64::INFINITY; n];
    let mut done = vec![false; n];
    for &(v, d) in seeds {
        dist[v as usize] = dist[v as usize].min(d);
    }
    loop {
        let mut best = None;
        for v in 0..n {
            if !done[v] && dist[v].is_finite() && best.is_none_or(|b: usize| dist[v] < dist[b]) {
                best = Some(v);
            }
        }
        let Some(u) = best else { break };
        done[u] = true;
        for (w, len) in g.arcs(u as u32) {
            if dist[u] + len < dist[w as usize] {
                dist[w as usize] = dist[u] + len;
            }
        }
    }
    dist
}

fn naive_between(g: &WalkGraph, a: &Snapped, b: &Snapped) -> f64 {
    let dist = naive_dijkstra(g, &a.to_ends_m());
    let via_ends = b
        .to_ends_m()
        .iter()
        .map(|&(v, m)| dist[v as usize] + m)
        .fold(f64::INFINITY, f64::min);
    a.same_edge_m(b).map_or(via_ends, |s| s.min(via_ends))
}

#[test]
fn pbf_and_xml_readings_give_the_same_graph() {
    let pbf = rouen("rouen_centre_2013.osm.pbf");
    let xml = rouen("rouen_centre_2013.osm.gz");
    let edges = |n: &WalkNetwork| -> BTreeSet<(i64, i64)> {
        n.graph
            .edges
            .iter()
            .map(|e| {
                let (a, b) = (n.graph.osm_ids[e.a as usize], n.graph.osm_ids[e.b as usize]);
                (a.min(b), a.max(b))
            })
            .collect()
    };
    let ids = |n: &WalkNetwork| n.graph.osm_ids.iter().copied().collect::<BTreeSet<_>>();
    assert_eq!(pbf.graph.node_count(), xml.graph.node_count());
    assert_eq!(ids(&pbf), ids(&xml));
    assert_eq!(edges(&pbf), edges(&xml));
    assert_eq!(pbf.stats.highway_ways, xml.stats.highway_ways);
    assert!((pbf.stats.length_m - xml.stats.length_m).abs() < 1e-3);
    // The README of the shared data: 515 highway ways, about 63 km of streets (all highways;
    // the walkable part is less, and more than half).
    assert_eq!(pbf.stats.highway_ways, 515, "{:?}", pbf.stats);
    assert!(
        pbf.stats.length_m > 50_000.0 && pbf.stats.length_m < 63_000.0,
        "{:?}",
        pbf.stats
    );
    // 499 walkable ways, 2 675 nodes, 3 057 edges, 59.6 km; the largest component holds 2 084
    // nodes (the extract's border cuts the rest into pieces).
    assert_eq!(pbf.stats.walkable_ways, 499);
    assert!(pbf.stats.largest_component_nodes * 10 > pbf.graph.node_count() * 7);
}

/// Points in the centre extract (WGS84 lon/lat read off the extract's own streets area).
const POINTS: [(f64, f64); 6] = [
    (1.0920, 49.4413), // near the Gros-Horloge
    (1.0944, 49.4402), // near the cathedral
    (1.0903, 49.4385), // near the Théâtre des Arts, right bank
    (1.0930, 49.4335), // Saint-Sever, left bank
    (1.1000, 49.4410), // east of the centre
    (1.0960, 49.4350), // left bank quay
];

#[test]
fn network_times_are_at_least_straight_line_and_equal_an_independent_dijkstra() {
    let net = std::sync::Arc::new(rouen("rouen_centre_2013.osm.pbf"));
    let walk = NetworkWalk {
        network: net.clone(),
        params: WalkParams::default(),
    };
    let speed_ms = WalkParams::default().speed_kmh / 3.6;
    let mut search = net.search();
    let mut compared = 0;
    for (i, &(lon_a, lat_a)) in POINTS.iter().enumerate() {
        for &(lon_b, lat_b) in &POINTS[i + 1..] {
            let (a, b) = (l93(lon_a, lat_a), l93(lon_b, lat_b));
            let (sa, sb) = (net.snap(a).unwrap(), net.snap(b).unwrap());
            let engine_m = net
                .distance_m(&mut search, &sa, &sb, f64::INFINITY)
                .unwrap();
            let naive_m = naive_between(&net.graph, &sa, &sb);
            assert!(
                (engine_m - naive_m).abs() < 1e-6,
                "{a:?} → {b:?}: engine {engine_m} m, naive {naive_m} m"
            );
            let straight_s = (a.x() - b.x()).hypot(a.y() - b.y()) / speed_ms;
            let network_s = walk.seconds_between(&mut None, a, b, f64::INFINITY);
            assert!((network_s - engine_m / speed_ms).abs() < 1e-6);
            assert!(
                network_s >= straight_s * 1.0,
                "{a:?} → {b:?}: {network_s} s < straight {straight_s} s"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 15);
}

#[test]
fn snapping_finds_the_nearest_target_edge_and_respects_the_limit() {
    let net = rouen("rouen_centre_2013.osm.gz");
    let g = &net.graph;
    let min = 50.min(g.component_sizes[0]);
    let seg_dist = |p: Point, e: &repere_engine::walking::graph::Edge| {
        let [xa, ya] = g.points_l93[e.a as usize];
        let [xb, yb] = g.points_l93[e.b as usize];
        let (dx, dy) = (xb - xa, yb - ya);
        let t = (((p.x() - xa) * dx + (p.y() - ya) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
        (p.x() - xa - t * dx).hypot(p.y() - ya - t * dy)
    };
    for &(lon, lat) in &POINTS {
        let p = l93(lon, lat);
        let s = net.snap(p).unwrap();
        let brute = g
            .edges
            .iter()
            .filter(|e| g.component_sizes[g.component[e.a as usize] as usize] >= min)
            .map(|e| seg_dist(p, e))
            .fold(f64::INFINITY, f64::min);
        assert!(
            (s.offset_m - brute).abs() < 1e-6,
            "{p:?}: {} vs {brute}",
            s.offset_m
        );
        assert!(s.offset_m <= 200.0);
    }
    // 2 km north of the extract: nothing within 200 m.
    assert!(net.snap(l93(1.095, 49.46)).is_none());
}

#[test]
fn across_the_seine_the_network_is_much_longer_than_the_straight_line() {
    // Two points facing each other on the quays, between Pont Boieldieu and Pont Corneille:
    // the walk goes round by a bridge.
    let net = std::sync::Arc::new(rouen("rouen_centre_2013.osm.pbf"));
    let walk = NetworkWalk {
        network: net.clone(),
        params: WalkParams::default(),
    };
    let right = l93(1.0955, 49.4368);
    let left = l93(1.0955, 49.4352);
    let straight_m = (right.x() - left.x()).hypot(right.y() - left.y());
    let (sr, sl) = (net.snap(right).unwrap(), net.snap(left).unwrap());
    let network_m = net
        .distance_m(&mut net.search(), &sr, &sl, f64::INFINITY)
        .unwrap();
    assert!(
        network_m > straight_m * 1.3,
        "network {network_m} m vs straight {straight_m} m"
    );
    let t = walk.seconds_between(&mut None, right, left, f64::INFINITY);
    assert!(t > WalkParams::default().seconds_between(right, left));
}

#[test]
fn around_a_block_the_network_exceeds_the_straight_line() {
    // Either side of the block of the cathedral (rue du Gros-Horloge side and rue Saint-Romain
    // side): no street through it.
    let net = rouen("rouen_centre_2013.osm.pbf");
    let north = l93(1.0942, 49.44085);
    let south = l93(1.0942, 49.43965);
    let straight_m = (north.x() - south.x()).hypot(north.y() - south.y());
    let (sn, ss) = (net.snap(north).unwrap(), net.snap(south).unwrap());
    let network_m = net
        .distance_m(&mut net.search(), &sn, &ss, f64::INFINITY)
        .unwrap();
    assert!(network_m > straight_m * 1.1, "{network_m} vs {straight_m}");
    let naive_m = naive_between(&net.graph, &sn, &ss);
    assert!(
        (naive_m - network_m).abs() < 1e-6,
        "{naive_m} vs {network_m}"
    );
}

#[test]
fn the_contracted_graph_gives_the_distances_of_the_full_graph() {
    // Searches run on the contracted graph (degree-2 nodes folded into chains): from every
    // core node of a sample, the distances to every other core node equal the independent
    // Dijkstra's on the full graph, and the contraction does drop most way vertices.
    let net = rouen("rouen_centre_2013.osm.pbf");
    let (g, core) = (&net.graph, &net.core);
    assert!(
        core.graph.node_count() * 2 < g.node_count(),
        "{} core nodes of {}",
        core.graph.node_count(),
        g.node_count()
    );
    let total: f64 = core.chains.iter().map(|c| c.length_m).sum();
    assert!((total - net.stats.length_m).abs() < 1e-6 * total);
    let original: Vec<u32> = (0..g.node_count() as u32)
        .filter(|&v| core.core_of[v as usize] != u32::MAX)
        .collect();
    let mut search = net.search();
    let mut compared = 0;
    for &v in original.iter().step_by(41) {
        let naive = naive_dijkstra(g, &[(v, 0.0)]);
        search.run(
            &core.graph,
            &[(core.core_of[v as usize], 0.0)],
            f64::INFINITY,
        );
        for &w in &original {
            let (n, e) = (naive[w as usize], search.dist_m(core.core_of[w as usize]));
            assert!(
                n == e || (n - e).abs() < 1e-6,
                "{v} → {w}: naive {n}, contracted {e}"
            );
            compared += 1;
        }
    }
    assert!(compared > 10_000, "{compared}");
    // Points on shape vertices' edges (mid-chain) too: random snapped pairs.
    let mut state = 0x9e37_79b9_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (sw, ne) = (l93(1.0880, 49.4330), l93(1.1020, 49.4418));
    let mut pairs = 0;
    while pairs < 20 {
        let mut pick = || {
            let fx = (next() % 10_000) as f64 / 10_000.0;
            let fy = (next() % 10_000) as f64 / 10_000.0;
            Point::new(
                sw.x() + fx * (ne.x() - sw.x()),
                sw.y() + fy * (ne.y() - sw.y()),
            )
        };
        let (a, b) = (pick(), pick());
        let (Some(sa), Some(sb)) = (net.snap(a), net.snap(b)) else {
            continue;
        };
        let naive_m = naive_between(g, &sa, &sb);
        let engine_m = net
            .distance_m(&mut search, &sa, &sb, f64::INFINITY)
            .unwrap_or(f64::INFINITY);
        assert!(
            naive_m == engine_m || (naive_m - engine_m).abs() < 1e-6,
            "{a:?} → {b:?}: naive {naive_m}, contracted {engine_m}"
        );
        pairs += 1;
    }
}

/// A synthetic extract built here: a 100 m square of streets near Rouen with one side of each
/// excluded kind, and a long footway detour.
fn synthetic(sides: &[&str]) -> String {
    // Corners 1 (SW), 2 (SE), 3 (NE), 4 (NW); about 100 m sides; 5 and 6 lead far round.
    let nodes = [
        (1, 49.4400, 1.0900),
        (2, 49.4400, 1.0914),
        (3, 49.4409, 1.0914),
        (4, 49.4409, 1.0900),
        (5, 49.4430, 1.0900),
        (6, 49.4430, 1.0914),
    ];
    let mut s = String::from("<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n");
    for (id, lat, lon) in nodes {
        s.push_str(&format!("  <node id='{id}' lat='{lat}' lon='{lon}'/>\n"));
    }
    let ways: [(i64, &[i64]); 5] = [
        (101, &[1, 2]),
        (102, &[2, 3]),
        (103, &[3, 4]),
        (104, &[4, 1]),
        (105, &[4, 5, 6, 3]),
    ];
    for ((id, refs), tags) in ways.iter().zip(sides) {
        s.push_str(&format!("  <way id='{id}'>"));
        for r in *refs {
            s.push_str(&format!("<nd ref='{r}'/>"));
        }
        for kv in tags.split(';') {
            let (tk, tv) = kv.split_once('=').unwrap();
            s.push_str(&format!("<tag k='{tk}' v='{tv}'/>"));
        }
        s.push_str("</way>\n");
    }
    s.push_str("</osm>\n");
    s
}

#[test]
fn foot_no_and_motorways_are_not_walked() {
    let text = synthetic(&[
        "highway=residential",
        "highway=motorway",
        "highway=residential;foot=no",
        "highway=footway",
        "highway=path",
    ]);
    let net = WalkNetwork::from_osm(
        "synthetic_square.osm",
        text.into_bytes(),
        None,
        &Lambert93::new(),
    )
    .unwrap();
    let pairs: BTreeSet<(i64, i64)> = net
        .graph
        .edges
        .iter()
        .map(|e| {
            let (a, b) = (
                net.graph.osm_ids[e.a as usize],
                net.graph.osm_ids[e.b as usize],
            );
            (a.min(b), a.max(b))
        })
        .collect();
    assert_eq!(
        pairs,
        BTreeSet::from([(1, 2), (1, 4), (4, 5), (5, 6), (3, 6)]),
        "the motorway 2-3 and the foot=no street 3-4 are excluded"
    );
    assert_eq!(net.stats.highway_ways, 5);
    assert_eq!(net.stats.walkable_ways, 3);
    // From corner 2 to corner 3 (about 100 m apart) the walk goes 2-1-4-5-6-3.
    let p2 = l93(1.0914, 49.4400);
    let p3 = l93(1.0914, 49.4409);
    let (s2, s3) = (net.snap(p2).unwrap(), net.snap(p3).unwrap());
    let m = net
        .distance_m(&mut net.search(), &s2, &s3, f64::INFINITY)
        .unwrap();
    let straight = (p2.x() - p3.x()).hypot(p2.y() - p3.y());
    assert!(m > 5.0 * straight, "{m} m vs {straight} m");

    // With foot=yes the motorway is walkable.
    let text = synthetic(&[
        "highway=residential",
        "highway=motorway;foot=yes",
        "highway=residential;foot=no",
        "highway=footway",
        "highway=path",
    ]);
    let net =
        WalkNetwork::from_osm("synthetic.osm", text.into_bytes(), None, &Lambert93::new()).unwrap();
    assert_eq!(net.graph.edges.len(), 6);
}

#[test]
fn a_file_without_walkable_ways_is_a_french_error_naming_it() {
    let text = synthetic(&[
        "highway=motorway",
        "highway=trunk",
        "highway=residential;access=private",
        "highway=footway;foot=no",
        "building=yes",
    ]);
    let e = WalkNetwork::from_osm(
        "synthetic_none.osm",
        text.into_bytes(),
        None,
        &Lambert93::new(),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            OsmError::NoUsableWay {
                highways: 4,
                walkable: 0,
                ..
            }
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.starts_with("synthetic_none.osm : aucune voie praticable à pied"),
        "{msg}"
    );
    // Clipped away: walkable ways, but none in the territory.
    let text = synthetic(&[
        "highway=footway",
        "highway=footway",
        "highway=footway",
        "highway=footway",
        "highway=footway",
    ]);
    let far = geo::Rect::new(
        geo::coord! { x: 2.0, y: 48.0 },
        geo::coord! { x: 2.1, y: 48.1 },
    );
    let e = WalkNetwork::from_osm(
        "synthetic.osm",
        text.into_bytes(),
        Some(&far),
        &Lambert93::new(),
    )
    .unwrap_err();
    assert!(
        matches!(e, OsmError::NoUsableWay { walkable: 5, .. }),
        "{e:?}"
    );
}

#[test]
fn the_edge_grid_snaps_every_point_as_the_r_tree_does() {
    // Real Rouen streets: points on a 7 m raster over the extract and 1 km around it (far
    // ones are beyond the 200 m limit), each snap equal to the R-tree's, field by field.
    let net = rouen("rouen_centre_2013.osm.pbf");
    let (sw, ne) = (l93(1.0873, 49.4326), l93(1.1028, 49.4422));
    let (mut snapped, mut far) = (0, 0);
    let mut raster = Vec::new();
    let mut y = sw.y() - 1000.0;
    while y <= ne.y() + 1000.0 {
        let mut x = sw.x() - 1000.0;
        while x <= ne.x() + 1000.0 {
            let p = Point::new(x, y);
            raster.push(p);
            let s = net.snap(p);
            assert_eq!(s, net.snap_by_tree(p), "{p:?}");
            if s.is_some() {
                snapped += 1;
            } else {
                far += 1;
            }
            x += 7.0;
        }
        y += 7.0;
    }
    assert!(
        snapped > 50_000 && far > 10_000,
        "{snapped} snapped, {far} far"
    );
    // The batched snaps (prefetch hints, spread over the cores) are the same, in order, with
    // points that are not of the plane among them.
    raster.insert(7, Point::new(f64::NAN, sw.y()));
    raster.insert(5000, Point::new(f64::INFINITY, f64::NEG_INFINITY));
    let one_by_one: Vec<_> = raster.iter().map(|&p| net.snap(p)).collect();
    assert_eq!(net.snap_many(&raster), one_by_one);
    assert_eq!(net.snap_batch(&raster[..999]), one_by_one[..999]);
    assert!(net.snap_many(&[]).is_empty());

    // A synthetic lattice (junctions every 36.6 m, one shape vertex per side, as the
    // benchmark's network) with points on its block diagonals, at junctions and at shape
    // vertices: equidistant edges everywhere, where the grid defers to the R-tree.
    let (side, step) = (30u32, 36.6);
    let mut points = Vec::new();
    let mut pairs = Vec::new();
    let id = |i: u32, j: u32| i * side + j;
    for i in 0..side {
        for j in 0..side {
            points.push([f64::from(i) * step, f64::from(j) * step]);
        }
    }
    for i in 0..side {
        for j in 0..side {
            for (di, dj) in [(1, 0), (0, 1)] {
                if i + di < side && j + dj < side {
                    let m = points.len() as u32;
                    points.push([
                        (f64::from(i) + f64::from(di) / 2.0) * step,
                        (f64::from(j) + f64::from(dj) / 2.0) * step,
                    ]);
                    pairs.push((id(i, j), m));
                    pairs.push((m, id(i + di, j + dj)));
                }
            }
        }
    }
    let g = WalkGraph::from_parts(points, &pairs);
    let lattice = WalkNetwork::from_graph(g, Default::default(), "synthetic lattice");
    let mut compared = 0;
    let mut raster = Vec::new();
    for k in 0..200u32 {
        for l in 0..200u32 {
            // Every 5.49 m (3/20 of a block, so diagonals, middles and junctions recur), from
            // 100 m outside the lattice.
            let p = Point::new(
                -100.0 + f64::from(k) * step * 0.15,
                -100.0 + f64::from(l) * step * 0.15,
            );
            assert_eq!(lattice.snap(p), lattice.snap_by_tree(p), "{p:?}");
            raster.push(p);
            compared += 1;
        }
    }
    assert_eq!(compared, 40_000);
    let one_by_one: Vec<_> = raster.iter().map(|&p| lattice.snap(p)).collect();
    assert_eq!(lattice.snap_many(&raster), one_by_one);
}
