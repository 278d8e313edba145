//! The gap grid and the coverage check of the default territory with the Rouen centre
//! OpenStreetMap extract as pedestrian network (© OpenStreetMap contributors, ODbL;
//! `tests/data/osm/SOURCE.md`), against the straight line they use without it.

use std::sync::Arc;

use repere_engine::Territory;
use repere_engine::coverage::TravelContext;
use repere_engine::crs::Lambert93;
use repere_engine::gaps::GapParams;
use repere_engine::transit::{Destinations, TravelNetwork, TravelParams};
use repere_engine::walking::{WalkModel, WalkNetwork};

fn rouen_centre() -> WalkNetwork {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/osm/rouen_centre_2013.osm.pbf");
    WalkNetwork::from_osm(
        "rouen_centre_2013.osm.pbf",
        std::fs::read(path).unwrap(),
        None,
        &Lambert93::new(),
    )
    .unwrap()
}

#[test]
fn the_gap_grid_walks_the_network_where_it_exists_and_the_straight_line_elsewhere() {
    let (mut ds, report) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    // Without an extract: the straight line, said so.
    assert!(report.walking.is_none());
    let plain = TravelContext::build(&ds, TravelParams::default(), GapParams::default());
    assert!(
        plain.gaps.note.contains("à vol d'oiseau"),
        "{}",
        plain.gaps.note
    );
    assert!(matches!(
        plain.network.params.walk,
        WalkModel::StraightLine(_)
    ));

    ds.walk_network = Some(Arc::new(rouen_centre()));
    let ctx = TravelContext::build(&ds, TravelParams::default(), GapParams::default());
    assert!(
        ctx.gaps.note.contains("à pied sur le réseau OpenStreetMap"),
        "{}",
        ctx.gaps.note
    );
    let model = &ctx.network.params.walk;
    let net = model.network().unwrap();
    let speed_ms = TravelParams::default().walk().speed_kmh / 3.6;
    assert_eq!(ctx.gaps.groups, plain.gaps.groups);
    let (mut snapped, mut fallback, mut longer) = (0, 0, 0);
    for k in 0..ctx.gaps.grid.cells.len() {
        let c = ctx.gaps.grid.centre(k);
        for (gi, &g) in ctx.gaps.groups.iter().enumerate() {
            let (with, without) = (ctx.gaps.access[k][gi], plain.gaps.access[k][gi]);
            if net.network.snap(c).is_none() {
                // Off the extract: exactly today's value.
                assert_eq!(with.walk_min, without.walk_min);
                fallback += 1;
                continue;
            }
            snapped += 1;
            // Never faster than the straight line to the nearest actor at the walking speed.
            let straight_min = ctx.destinations.nearest_m(g, c).unwrap() / speed_ms / 60.0;
            assert!(f64::from(with.walk_min) >= straight_min * (1.0 - 1e-6));
            if with.walk_min > without.walk_min {
                longer += 1;
            }
        }
    }
    assert!(
        snapped > 100 && fallback > snapped,
        "{snapped} snapped, {fallback} not"
    );
    assert!(
        longer > 0,
        "some cells of the centre walk longer than the straight line × 1.3"
    );

    // A cell of the centre: its time is the best point-to-point network walk to the group's
    // actors (one search per actor here, a multi-source search in the grid).
    let centre = Lambert93::new()
        .point_from_wgs84(geo::Point::new(1.0944, 49.4402))
        .unwrap();
    let k = ctx.gaps.grid.cells_within(centre, 150.0).next().unwrap();
    let c = ctx.gaps.grid.centre(k);
    for (gi, &g) in ctx.gaps.groups.iter().enumerate() {
        let best = ds
            .actors
            .iter()
            .filter(|a| a.kind.group() == g)
            .map(|a| model.seconds_between(&mut None, c, a.point_l93, f64::INFINITY))
            .fold(f64::INFINITY, f64::min);
        let got = f64::from(ctx.gaps.access[k][gi].walk_min) * 60.0;
        assert!(
            (got - best).abs() < 0.01 * best.max(1.0),
            "{g:?}: {got} vs {best}"
        );
    }
}

#[test]
fn stops_are_reached_on_the_network_and_the_bulk_reverse_search_matches_per_point_searches() {
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let plain = TravelContext::build(&ds, TravelParams::default(), GapParams::default());
    ds.walk_network = Some(Arc::new(rouen_centre()));
    let ctx = TravelContext::build(&ds, TravelParams::default(), GapParams::default());
    let net = &ctx.network;
    let model = &net.params.walk;
    let walk = model.network().unwrap();
    let speed_ms = TravelParams::default().walk().speed_kmh / 3.6;
    let stops: Vec<geo::Point> = ds
        .transport
        .as_ref()
        .unwrap()
        .stops
        .iter()
        .map(|s| s.point_m)
        .collect();
    let centres: Vec<geo::Point> = (0..ctx.gaps.grid.cells.len())
        .map(|k| ctx.gaps.grid.centre(k))
        .collect();
    let (mut on_network, mut checked_brute) = (0, 0);
    for (k, &c) in centres.iter().enumerate() {
        let straight = plain.gaps.nearest_stop_m[k].unwrap();
        let got = ctx.gaps.nearest_stop_m[k].unwrap();
        let Some(sc) = walk.network.snap(c) else {
            // Off the network: the straight line × detour factor of the fallback (to the
            // straight-line nearest stop, or a network-nearer one if some stop is reached).
            assert!(got <= straight * 1.3 + 0.01, "{k}: {got} vs {straight}");
            continue;
        };
        on_network += 1;
        // No walk is shorter than the straight line.
        assert!(
            f64::from(got) >= f64::from(straight) * (1.0 - 1e-5),
            "{k}: {got} vs {straight}"
        );
        // Every 5th snapped cell: the brute force over the stops within 1.5 km, one
        // point-to-point network search each.
        if on_network % 5 == 0 {
            let mut search = None;
            let best_s = stops
                .iter()
                .filter(|&&s| (s.x() - c.x()).hypot(s.y() - c.y()) < 1500.0)
                .map(|&s| model.seconds_between(&mut search, c, s, f64::INFINITY))
                .fold(f64::INFINITY, f64::min);
            if best_s * speed_ms < 1000.0 {
                assert!(
                    (f64::from(got) - best_s * speed_ms).abs() < 0.05,
                    "{k} {sc:?}: field {got} m, brute force {} m",
                    best_s * speed_ms
                );
                checked_brute += 1;
            }
        }
    }
    assert!(
        on_network > 50 && checked_brute > 5,
        "{on_network} {checked_brute}"
    );
    assert!(
        net.note.contains("à pied sur le réseau OpenStreetMap"),
        "{}",
        net.note
    );

    // Access stops of every cell: one reverse search per stop gives the per-cell searches'
    // stops and seconds (±1 s of rounding).
    let snaps: Vec<_> = centres.iter().map(|&c| walk.network.snap(c)).collect();
    let bulk = net.access_stops_many(&centres, &snaps);
    let mut with_stops = 0;
    for (k, &c) in centres.iter().enumerate().step_by(7) {
        let one = net.access_stops(c);
        let (a, b): (Vec<u32>, Vec<u32>) = (
            one.iter().map(|x| x.0).collect(),
            bulk[k].iter().map(|x| x.0).collect(),
        );
        assert_eq!(a, b, "cell {k}");
        for (x, y) in one.iter().zip(&bulk[k]) {
            assert!(x.1.abs_diff(y.1) <= 1, "cell {k}: {x:?} vs {y:?}");
        }
        with_stops += usize::from(!one.is_empty());
    }
    assert!(with_stops > 100, "{with_stops}");
    // Without the network, the bulk call is the per-point call.
    let plain_net = &plain.network;
    for &c in centres.iter().step_by(101) {
        assert_eq!(
            plain_net.access_stops_many(&[c], &[None]),
            vec![plain_net.access_stops(c)]
        );
    }
}

#[test]
fn the_stop_field_of_the_groups_batch_equals_the_one_computed_on_first_use() {
    // The stops' network field is computed either alone on first use, or by `Destinations` in
    // the same parallel batch as the groups' fields: the same search, the same metres.
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    ds.walk_network = Some(Arc::new(rouen_centre()));
    let params = TravelParams::default();
    let walk = ds.walk_model(*params.walk());
    let alone = TravelNetwork::with_walk(ds.transport.as_ref(), params.clone(), walk.clone());
    let batched = TravelNetwork::with_walk(ds.transport.as_ref(), params, walk);
    let grid = repere_engine::grid::Grid::build(&ds, 200.0);
    let first = grid.centre(0);
    let before = alone.nearest_stop_m(first);
    let _dests = Destinations::of_actors(&ds.actors, &batched);
    let mut compared = 0;
    for k in 0..grid.cells.len() {
        let c = grid.centre(k);
        let (a, b) = (alone.nearest_stop_m(c), batched.nearest_stop_m(c));
        assert_eq!(a, b, "cell {k}");
        compared += usize::from(a.is_some());
    }
    assert_eq!(before, batched.nearest_stop_m(first));
    assert!(compared > 1000, "{compared}");
}
