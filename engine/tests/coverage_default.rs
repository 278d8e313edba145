//! Coverage check on the default data (Métropole Rouen Normandie).

use repere_engine::Territory;
use repere_engine::coverage::{CoverageError, CoverageParams, Mode, check, parse_sites_csv};
use repere_engine::gaps::{GapGrid, GapParams};
use repere_engine::grid::Grid;
use repere_engine::model::actor::ActorGroup;
use repere_engine::transit::Destinations;
use repere_engine::transit::{TravelNetwork, TravelParams};

#[test]
fn a_site_in_les_hauts_de_rouen_reaches_qn07620m_on_foot_within_15_minutes() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let net = TravelNetwork::new(ds.transport.as_ref(), TravelParams::default());
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
    // The sites are missions locales, which the default data lack: nobody is already covered
    // by an existing mission locale, every young person reached was in an ML gap.
    assert_eq!(r.groups.len(), 1);
    let ml = &r.groups[0];
    assert_eq!(ml.group, ActorGroup::MissionLocale);
    assert!(!ml.group_in_data);
    assert_eq!(ml.youth_already_covered, 0.0);
    assert!((ml.youth_newly_covered - r.youth_reached).abs() < 1e-9);
    assert!(ml.overlapping_actors.is_empty());
    assert_eq!(r.cells.len(), r.cells_reached);
    assert!(
        r.cells
            .iter()
            .all(|c| c.ring_wgs84.len() == 5 && c.minutes <= 15.0)
    );

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

#[test]
fn already_covered_and_newly_covered_add_up_to_reached_for_every_group() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = repere_engine::coverage::TravelContext::build_default(&ds);
    // Two sites in Les Hauts de Rouen and one in Elbeuf.
    let sites =
        parse_sites_csv("lon,lat\n1.1300,49.4580\n1.1180,49.4620\n1.0100,49.2870\n").unwrap();
    let mut some_already = false;
    for g in ActorGroup::EXPECTED {
        for minutes in [10.0, 15.0, 30.0] {
            let p = CoverageParams {
                threshold_min: minutes,
                mode: Mode::Walk,
                group: Some(g),
            };
            let r = check(&ds, &ctx.gaps, &ctx.network, &sites, &p).unwrap();
            assert_eq!(r.groups.len(), 1, "{g:?}");
            let gc = &r.groups[0];
            assert_eq!(gc.group, g);
            assert_eq!(gc.threshold_min, minutes);
            assert!((gc.youth_reached - r.youth_reached).abs() < 1e-6);
            let sum = gc.youth_already_covered + gc.youth_newly_covered;
            assert!(
                (sum - gc.youth_reached).abs() < 1e-6,
                "{g:?} {minutes}: {} + {} != {}",
                gc.youth_already_covered,
                gc.youth_newly_covered,
                gc.youth_reached
            );
            assert_eq!(
                gc.group_in_data,
                ds.actors.iter().any(|a| a.kind.group() == g)
            );
            if !gc.group_in_data {
                assert_eq!(gc.youth_already_covered, 0.0);
            }
            // Overlapping actors are of the same group only.
            for a in &gc.overlapping_actors {
                let actor = ds.actors.iter().find(|x| x.id == a.id).unwrap();
                assert_eq!(actor.kind.group(), g);
            }
            some_already |= gc.youth_already_covered > 0.0;
        }
    }
    assert!(
        some_already,
        "France services or centres sociaux cover part of the sites' area"
    );

    // Mixed groups: one entry per group, each summing up.
    let mixed = parse_sites_csv("lon,lat,group\n1.1300,49.4580,FT\n1.0100,49.2870,CS\n").unwrap();
    let r = check(
        &ds,
        &ctx.gaps,
        &ctx.network,
        &mixed,
        &CoverageParams::default(),
    )
    .unwrap();
    let groups: Vec<ActorGroup> = r.groups.iter().map(|g| g.group).collect();
    assert_eq!(
        groups,
        vec![ActorGroup::FranceTravail, ActorGroup::CentreSocial]
    );
    for gc in &r.groups {
        assert_eq!(gc.site_ids.len(), 1);
        assert!(
            (gc.youth_already_covered + gc.youth_newly_covered - gc.youth_reached).abs() < 1e-6
        );
    }
}

#[test]
fn sites_outside_the_territory_or_too_many_are_refused_in_french() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = repere_engine::coverage::TravelContext::build_default(&ds);
    // Le Havre is not in the Métropole.
    let sites =
        parse_sites_csv("nom,lon,lat\nA,1.1300,49.4580\nLe Havre,0.1079,49.4944\n").unwrap();
    let e = check(
        &ds,
        &ctx.gaps,
        &ctx.network,
        &sites,
        &CoverageParams::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, CoverageError::OutsideTerritory { position: 2, .. }),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("site n° 2 (Le Havre)") && msg.contains("hors du territoire"),
        "{msg}"
    );

    let mut csv = String::from("lon,lat\n");
    for _ in 0..1001 {
        csv.push_str("1.1300,49.4580\n");
    }
    let many = parse_sites_csv(&csv).unwrap();
    let e = check(
        &ds,
        &ctx.gaps,
        &ctx.network,
        &many,
        &CoverageParams::default(),
    )
    .unwrap_err();
    assert_eq!(e, CoverageError::TooManySites(1001));
    assert!(e.to_string().contains("au plus 1000"));
}
