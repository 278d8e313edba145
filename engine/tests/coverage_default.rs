//! Coverage check on the default data (Métropole Rouen Normandie).

use repere_engine::Territory;
use repere_engine::coverage::{CoverageParams, Mode, check, parse_sites_csv};
use repere_engine::gaps::{GapGrid, GapParams, Grid};
use repere_engine::transit::access::Destinations;
use repere_engine::transit::{AccessNetwork, AccessParams};

#[test]
fn a_site_in_les_hauts_de_rouen_reaches_qn07620m_on_foot_within_15_minutes() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let net = AccessNetwork::new(ds.transport.as_ref(), AccessParams::default());
    let dests = Destinations::of_actors(&ds.actors, &net);
    let gg = GapGrid::compute(Grid::build(&ds, 200.0), &net, &dests, GapParams::default());
    // The point first suggested (1.1130, 49.4608) lies ~0.8 km west of the QPV's western edge
    // (lon 1.1246): it is not in QN07620M. The site is placed inside it instead.
    let outside = parse_sites_csv("lon,lat\n1.1130,49.4608\n").unwrap();
    assert_eq!(ds.qpv_at_l93(outside[0].point_l93, 2024), None);
    let sites =
        parse_sites_csv("name,lon,lat,group\nAntenne Hauts de Rouen,1.1300,49.4580,ML\n").unwrap();
    let q = ds.qpv_at_l93(sites[0].point_l93, 2024).unwrap();
    assert_eq!(ds.qpv[q].code.as_str(), "QN07620M");

    let params = CoverageParams {
        threshold_min: 15.0,
        mode: Mode::Walk,
        group: None,
    };
    let r = check(&ds, &gg, &net, &sites, &params).unwrap();
    assert_eq!(r.sites[0].qpv.as_deref(), Some("QN07620M"));
    assert_eq!(r.sites[0].commune.as_deref(), Some("76540"));
    let hdr = r
        .qpv
        .iter()
        .find(|q| q.code == "QN07620M")
        .expect("QN07620M reached");
    assert!(
        hdr.share_reached_pct > 30.0 && hdr.share_reached_pct <= 100.0,
        "{hdr:?}"
    );
    assert!(hdr.youth_reached > 100.0, "{hdr:?}");
    // 15 min on foot = 865 m straight: about π·865² / 200² ≈ 59 cells.
    assert!((45..=75).contains(&r.cells_reached), "{}", r.cells_reached);
    assert!(r.youth_reached >= hdr.youth_reached);
    assert!(r.communes.iter().any(|c| c.code == "76540"));
    assert!(r.youth_already_covered <= r.youth_reached + 1e-9);
    assert!(r.youth_in_gap_cells_newly_covered <= r.youth_reached + 1e-9);

    // Walk+transit is asked but the default feed has no stop_times: the check says so.
    let transit = check(
        &ds,
        &gg,
        &net,
        &sites,
        &CoverageParams {
            mode: Mode::Transit,
            ..params
        },
    )
    .unwrap();
    assert_eq!(transit.mode, Mode::Walk);
    assert!(transit.warnings[0].contains("stop_times.txt absent"));
    assert_eq!(transit.cells_reached, r.cells_reached);
}
