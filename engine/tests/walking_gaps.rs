//! The gap grid and the coverage check of the default territory with the Rouen centre
//! OpenStreetMap extract as pedestrian network (© OpenStreetMap contributors, ODbL;
//! `tests/data/osm/SOURCE.md`), against the straight line they use without it.

use std::sync::Arc;

use repere_engine::Territory;
use repere_engine::coverage::TravelContext;
use repere_engine::crs::Lambert93;
use repere_engine::gaps::GapParams;
use repere_engine::transit::TravelParams;
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
        ctx.gaps.note.contains("réseau piéton OpenStreetMap"),
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
