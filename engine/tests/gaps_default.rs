//! Gap grid on the default data (Métropole Rouen Normandie).

use repere_engine::Territory;
use repere_engine::gaps::summary::summarise;
use repere_engine::gaps::{GapGrid, GapParams};
use repere_engine::grid::Grid;
use repere_engine::grid::communes_area_m2;
use repere_engine::model::actor::ActorGroup;
use repere_engine::transit::Destinations;
use repere_engine::transit::{TravelNetwork, TravelParams};

#[test]
fn the_default_gap_grid_keeps_young_people_and_land_area_and_says_it_is_walk_only() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let t = std::time::Instant::now();
    let grid = Grid::build(&ds, 200.0);
    eprintln!("grid: {} cells in {:?}", grid.cells.len(), t.elapsed());
    let placed: f64 = grid.cells.iter().map(|c| c.youth_15_29).sum();
    assert!(grid.youth_total > 50_000.0, "{}", grid.youth_total);
    assert!((placed + grid.youth_unplaced - grid.youth_total).abs() < 1e-6 * grid.youth_total);
    assert!(grid.youth_unplaced < 0.01 * grid.youth_total);
    let area = communes_area_m2(&ds);
    assert!(
        (grid.land_area_m2() - area).abs() < 0.01 * area,
        "{} vs {}",
        grid.land_area_m2(),
        area
    );

    let net = TravelNetwork::new(ds.transport.as_ref(), TravelParams::default());
    assert!(!net.has_transit());
    assert!(net.note.contains("stop_times.txt absent"));
    let dests = Destinations::of_actors(&ds.actors, &net);
    let t = std::time::Instant::now();
    let gg = GapGrid::compute(grid, &net, &dests, GapParams::default());
    eprintln!("access: {:?}", t.elapsed());
    assert!(!gg.transit);
    assert!(
        gg.access
            .iter()
            .all(|a| a.iter().all(|x| x.transit_min.is_none()))
    );
    let s = summarise(&ds, &gg, ActorGroup::FranceServices, 20.0);
    let total: f64 = s.communes.iter().map(|c| c.youth_in_gaps).sum();
    assert!(total > 0.0);
    let rouen = s.communes.iter().find(|c| c.code == "76540").unwrap();
    assert!(
        rouen.youth_15_29 > 20_000.0 && (0.0..=100.0).contains(&rouen.share_in_gaps_pct),
        "{rouen:?}"
    );
    // The cell holding a France services is never a gap for that group.
    let gi = gg.group_index(ActorGroup::FranceServices).unwrap();
    let fs = ds
        .actors
        .iter()
        .find(|a| {
            a.kind.group() == ActorGroup::FranceServices
                && a.commune.as_ref().is_some_and(|c| c.as_str() == "76540")
        })
        .unwrap();
    let k = gg.grid.cells_within(fs.point_l93, 150.0).next().unwrap();
    assert!(gg.access[k][gi].walk_min < 5.0 && !gg.is_gap(k, gi, 20.0));
    assert_eq!(s.qpv.len(), ds.qpv_of_vintage(2024).count());
    // No mission locale in the default data: every young person is in a gap for that group.
    let ml = summarise(&ds, &gg, ActorGroup::MissionLocale, 20.0);
    let rouen = ml.communes.iter().find(|c| c.code == "76540").unwrap();
    assert!((rouen.share_in_gaps_pct - 100.0).abs() < 1.0, "{rouen:?}");
}

#[test]
fn a_bounded_grid_keeps_communes_with_a_qpv_and_counts_those_left_out() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let full = Grid::build(&ds, 200.0);
    assert_eq!(full.communes_left_out, 0);
    // A tenth of the cells: communes are left out, their young people unplaced, totals kept.
    let bounded = Grid::build_bounded(&ds, 200.0, full.cells.len() / 10);
    assert!(bounded.communes_left_out > 0);
    assert!(bounded.cells.len() <= full.cells.len() / 10 + 1);
    let placed: f64 = bounded.cells.iter().map(|c| c.youth_15_29).sum();
    assert!(
        (placed + bounded.youth_unplaced - bounded.youth_total).abs() < 1e-6 * bounded.youth_total
    );
    assert!(bounded.youth_unplaced > full.youth_unplaced);
    // Communes with a QPV come first: QPV cells are still there.
    assert!(bounded.cells.iter().any(|c| !c.qpv.is_empty()));
}
