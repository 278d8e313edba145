//! Coverage check on foot + transit: the default territory with a small synthetic line added.

use geo::Point;
use repere_engine::Territory;
use repere_engine::coverage::{CoverageParams, Mode, TravelContext, check, parse_sites_csv};
use repere_engine::gaps::GapParams;
use repere_engine::model::actor::ActorGroup;
use repere_engine::transit::synthetic::FeedBuilder;
use repere_engine::transit::{ServiceDay, TravelParams};

#[test]
fn a_synthetic_line_extends_the_area_a_site_reaches_by_transit() {
    let (mut ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let sites = parse_sites_csv("lon,lat\n1.1300,49.4580\n").unwrap();
    let here = sites[0].point_l93;
    let far = Point::new(here.x() - 4000.0, here.y() - 3000.0);
    // Synthetic line towards the site: a stop 5 km away, one at the site, a trip every
    // 5 minutes from 06:00 to 09:55, 8 minutes long.
    let mut b = FeedBuilder::new();
    let h = b.stop("H", here.x(), here.y());
    let f = b.stop("F", far.x(), far.y());
    for k in 0..48 {
        let t = 6 * 3600 + k * 300;
        b.trip("S1", "ALL", &[(f, t, t), (h, t + 480, t + 480)]);
    }
    b.calendar("ALL", [true; 7], 20240101, 20241231);
    ds.transport = Some(b.build());
    let params = TravelParams {
        day: ServiceDay::Date(20240102),
        ..TravelParams::default()
    };
    let ctx = TravelContext::build(&ds, params, GapParams::default());
    assert!(ctx.network.has_transit());
    assert!(ctx.gaps.transit);

    let walk = CoverageParams {
        threshold_min: 20.0,
        mode: Mode::Walk,
        group: Some(ActorGroup::MissionLocale),
    };
    let transit = CoverageParams {
        mode: Mode::Transit,
        ..walk
    };
    let rw = check(&ds, &ctx.gaps, &ctx.network, &sites, &walk).unwrap();
    let rt = check(&ds, &ctx.gaps, &ctx.network, &sites, &transit).unwrap();
    assert_eq!(rt.mode, Mode::Transit);
    // Transit adds no warning to the territory's own (actors known by address only).
    assert_eq!(rt.warnings, rw.warnings);
    assert!(
        rt.warnings
            .iter()
            .all(|w| w.contains("par adresse seulement")),
        "{:?}",
        rt.warnings
    );
    // Arriving by 08:30, 08:40 … 09:50: the latest trip leaves F 10 minutes before each
    // deadline (trips every 5 min, 8 min long), leaving 10 min on foot to F = 577 m (1.3
    // detour, 4.5 km/h): about π·577²/200² ≈ 26 more cells.
    let extra = rt.cells_reached - rw.cells_reached;
    assert!((18..=36).contains(&extra), "{extra}");
    let near_f = ctx.gaps.grid.cells_within(far, 100.0).next().unwrap();
    assert!(
        ctx.gaps
            .grid
            .cells_within(here, 1500.0)
            .all(|k| k != near_f)
    );
    // Opening hours decide the arrival deadlines: in the afternoon the synthetic line no
    // longer runs, and the report says so.
    let afternoon = parse_sites_csv("lon,lat,hours\n1.1300,49.4580,14:00-16:00\n").unwrap();
    let ra = check(&ds, &ctx.gaps, &ctx.network, &afternoon, &transit).unwrap();
    assert!(
        ra.warnings
            .iter()
            .any(|w| w.contains("pendant ses heures d'ouverture")),
        "{:?}",
        ra.warnings
    );
    assert_eq!(ra.cells_reached, rw.cells_reached);
    let morning = parse_sites_csv("lon,lat,hours\n1.1300,49.4580,07:30-08:30\n").unwrap();
    let rm = check(&ds, &ctx.gaps, &ctx.network, &morning, &transit).unwrap();
    assert_eq!(rm.warnings, rw.warnings);
    assert_eq!(rm.cells_reached, rt.cells_reached);
    // The per-cell transit time to the nearest actor is never worse than walking.
    for a in ctx.gaps.access.iter().flatten() {
        assert!(a.transit_min.unwrap() <= a.walk_min + 1e-3);
    }
}
