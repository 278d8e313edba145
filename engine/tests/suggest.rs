//! Where to open the next permanence: greedy and exact maximal covering against brute force on
//! random *synthetic* instances (proptest), and the suggestion on the default data: fixed sites,
//! suitable hosts, QPV cells, certificate and curve.

use geo::Distance;
use proptest::prelude::*;
use repere_engine::Territory;
use repere_engine::coverage::{CoverageParams, Mode, TravelContext, check, parse_sites_csv};
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::{
    CandidateSource, CoverInstance, CurveModel, Proof, SolveModel, SuggestError, SuggestParams,
    candidates_from_sites, default_candidates, greedy_max_cover, host_candidates, solve_max_cover,
    suggest,
};

/// Random instances: up to 9 candidates over up to 24 elements with weights 0-50.
fn instance() -> impl Strategy<Value = CoverInstance> {
    (1usize..24, 1usize..10).prop_flat_map(|(n_el, n_cand)| {
        (
            proptest::collection::vec(0.0f64..50.0, n_el),
            proptest::collection::vec(proptest::collection::btree_set(0..n_el, 0..=n_el), n_cand),
        )
            .prop_map(|(weights, covers)| CoverInstance {
                weights,
                covers: covers
                    .into_iter()
                    .map(|s| s.into_iter().collect())
                    .collect(),
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The exact model's value equals the brute-force optimum, is proven optimal, is reached by
    /// the chosen candidates, and greedy never beats it.
    #[test]
    fn exact_equals_brute_force_and_greedy_never_beats_it(inst in instance(), k in 1usize..=4) {
        let s = solve_max_cover(&inst, k, 10.0);
        let opt = inst.optimum_brute_force(k);
        prop_assert_eq!(s.certificate.model, SolveModel::Exact);
        prop_assert_eq!(s.certificate.proof, Proof::Optimal);
        prop_assert!((s.certificate.objective - opt).abs() < 1e-6, "exact {} brute force {}", s.certificate.objective, opt);
        prop_assert_eq!(s.chosen.len(), k.min(inst.covers.len()));
        prop_assert!((inst.covered_weight(&s.chosen) - opt).abs() < 1e-6);
        let greedy: f64 = greedy_max_cover(&inst, k).iter().map(|p| p.gain).sum();
        prop_assert!(greedy <= s.certificate.objective + 1e-9, "greedy {} exact {}", greedy, s.certificate.objective);
        prop_assert!((s.certificate.greedy_objective - greedy).abs() < 1e-9);
    }
}

proptest! {
    #[test]
    fn greedy_equals_the_optimum_for_one_pick(inst in instance()) {
        let picks = greedy_max_cover(&inst, 1);
        prop_assert_eq!(picks.len(), 1);
        let opt = inst.optimum_brute_force(1);
        prop_assert!((picks[0].gain - opt).abs() < 1e-9, "greedy {} optimum {}", picks[0].gain, opt);
    }

    #[test]
    fn greedy_is_within_one_minus_one_over_e_for_up_to_three_picks(inst in instance(), k in 1usize..=3) {
        let picks = greedy_max_cover(&inst, k);
        prop_assert_eq!(picks.len(), k.min(inst.covers.len()));
        let total: f64 = picks.iter().map(|p| p.gain).sum();
        let chosen: Vec<usize> = picks.iter().map(|p| p.candidate).collect();
        prop_assert!((inst.covered_weight(&chosen) - total).abs() < 1e-9);
        let opt = inst.optimum_brute_force(k);
        prop_assert!(total <= opt + 1e-9);
        prop_assert!(total >= (1.0 - (-1.0f64).exp()) * opt - 1e-9, "greedy {} optimum {}", total, opt);
        for w in picks.windows(2) {
            prop_assert!(w[0].gain >= w[1].gain - 1e-9);
        }
    }
}

#[test]
fn france_travail_k3_suggests_three_hosts_whose_gains_match_the_coverage_check() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = TravelContext::build_default(&ds);
    let cands = host_candidates(&ds);
    assert!(cands.len() >= 20, "{}", cands.len());
    let walk = ctx.network.params.walk.clone();
    let p = SuggestParams::new(ActorGroup::FranceTravail, 15.0, 3);
    let s = suggest(&ds, &ctx.gaps, &walk, &cands, &[], &p).unwrap();
    assert!(s.group_in_data);
    assert_eq!(s.picks.len(), 3);
    assert!(s.picks[0].marginal_gain_youth > 0.0);
    for w in s.picks.windows(2) {
        assert!(w[0].marginal_gain_youth >= w[1].marginal_gain_youth);
    }
    assert!(s.picks[2].cumulative_youth <= s.gap_youth + 1e-6);
    // The same gap young people as the gap table (on foot: the default feed has no timetable).
    let table =
        repere_engine::gaps::summary::summarise(&ds, &ctx.gaps, ActorGroup::FranceTravail, 15.0);
    let in_gaps: f64 = table.communes.iter().map(|c| c.youth_in_gaps).sum();
    assert!(
        (in_gaps - s.gap_youth).abs() < 1e-6,
        "{in_gaps} vs {}",
        s.gap_youth
    );
    // The picks as planned FT sites: the young people they newly cover are the sum of the gains.
    let mut csv = String::from("lon,lat\n");
    for pk in &s.picks {
        csv.push_str(&format!("{},{}\n", pk.candidate.lon, pk.candidate.lat));
    }
    let sites = parse_sites_csv(&csv).unwrap();
    let r = check(
        &ds,
        &ctx.gaps,
        &ctx.network,
        &sites,
        &CoverageParams {
            threshold_min: 15.0,
            mode: Mode::Walk,
            group: Some(ActorGroup::FranceTravail),
        },
    )
    .unwrap();
    let gain: f64 = s.picks.iter().map(|p| p.marginal_gain_youth).sum();
    assert!(
        (r.groups[0].youth_newly_covered - gain).abs() < 1e-6,
        "{} vs {gain}",
        r.groups[0].youth_newly_covered
    );
    // Greedy is optimal for k = 1: no candidate alone covers more than the first pick.
    let one = suggest(
        &ds,
        &ctx.gaps,
        &walk,
        &cands,
        &[],
        &SuggestParams { k: 1, ..p },
    )
    .unwrap();
    assert_eq!(one.picks[0].candidate.id, s.picks[0].candidate.id);
}

#[test]
fn bad_suggestion_input_is_refused_in_french() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = TravelContext::build_default(&ds);
    let walk = ctx.network.params.walk.clone();
    let user = candidates_from_sites(
        &parse_sites_csv("nom,lon,lat\nA,1.1300,49.4580\nB,1.0100,49.2870\n").unwrap(),
    );
    let p = SuggestParams::new(ActorGroup::MissionLocale, 15.0, 3);
    let e = suggest(&ds, &ctx.gaps, &walk, &user, &[], &p).unwrap_err();
    assert_eq!(
        e,
        SuggestError::K {
            k: 3,
            candidates: 2
        }
    );
    assert!(
        e.to_string()
            .starts_with("champ k : 3 structures demandées"),
        "{e}"
    );
    // With no mission locale in the data, every young person is in an ML gap.
    let ok = suggest(
        &ds,
        &ctx.gaps,
        &walk,
        &user,
        &[],
        &SuggestParams { k: 2, ..p },
    )
    .unwrap();
    assert!(!ok.group_in_data);
    assert!(ok.picks.iter().all(|p| p.marginal_gain_youth > 0.0));
    let outside = candidates_from_sites(
        &parse_sites_csv("nom,lon,lat\nA,1.1300,49.4580\nLe Havre,0.1079,49.4944\n").unwrap(),
    );
    let e = suggest(
        &ds,
        &ctx.gaps,
        &walk,
        &outside,
        &[],
        &SuggestParams { k: 1, ..p },
    )
    .unwrap_err();
    assert!(e.to_string().contains("candidate n° 2 (Le Havre)"), "{e}");
    assert_eq!(
        suggest(
            &ds,
            &ctx.gaps,
            &walk,
            &[],
            &[],
            &SuggestParams { k: 1, ..p }
        )
        .unwrap_err(),
        SuggestError::NoCandidate
    );
}

/// Loads the default territory and its travel context once per test.
fn rouen() -> (repere_engine::Dataset, TravelContext) {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = TravelContext::build_default(&ds);
    (ds, ctx)
}

#[test]
fn no_unsuitable_host_is_a_candidate_and_qpv_cells_are() {
    let (ds, ctx) = rouen();
    let hosts = host_candidates(&ds);
    let names: Vec<&str> = hosts.iter().map(|c| c.name.as_str()).collect();
    // The Hauts de Rouen's city services typed MUNI include a crèche and sports grounds.
    for unsuitable in [
        "Multi-accueil Graine de Vanille",
        "Multi-accueil Rose des Vents",
        "Stade Municipal",
        "Gymnase Boieldieu",
    ] {
        assert!(
            ds.actors.iter().any(|a| a.name == unsuitable),
            "{unsuitable} is in the data"
        );
        assert!(!names.contains(&unsuitable), "{unsuitable} proposed");
    }
    // Suitable kinds stay: a mairie, a centre social, a France services, a médiathèque.
    for suitable in [
        "Mairie de proximite du chatelet",
        "Centre Social Diana Armengol-Markarian",
        "Bibliothèque du Châtelet",
    ] {
        assert!(names.contains(&suitable), "{suitable} missing: {names:?}");
    }
    for c in &hosts {
        let kind = c.kind.as_deref().unwrap();
        assert!(ds.siting.host_kinds.iter().any(|k| k == kind), "{kind}");
        assert!(
            c.kind_fr.starts_with("structure d'accueil : "),
            "{}",
            c.kind_fr
        );
    }
    let all = default_candidates(&ds, &ctx.gaps.grid);
    let cells: Vec<_> = all
        .iter()
        .filter(|c| c.source == CandidateSource::QpvCell)
        .collect();
    assert!(cells.len() > 100, "{}", cells.len());
    assert!(
        cells
            .iter()
            .all(|c| c.kind_fr == "cellule de QPV : une salle à trouver ici")
    );
    // Every QPV of the latest vintage has at least one candidate cell.
    let latest = ds.latest_qpv_vintage().unwrap();
    for q in ds.qpv_of_vintage(latest) {
        assert!(
            cells.iter().any(|c| c.name.contains(&q.code.to_string())),
            "{} has no cell",
            q.code
        );
    }
    // Whatever the group, no unsuitable kind is picked.
    let walk = ctx.network.params.walk.clone();
    for g in [ActorGroup::FranceTravail, ActorGroup::MissionLocale] {
        let s = suggest(
            &ds,
            &ctx.gaps,
            &walk,
            &all,
            &[],
            &SuggestParams::new(g, 15.0, 5),
        )
        .unwrap();
        for p in &s.picks {
            assert!(
                p.candidate.source == CandidateSource::QpvCell
                    || ds
                        .siting
                        .is_suitable_host(p.candidate.kind.as_deref().unwrap(), &p.candidate.name),
                "{:?}",
                p.candidate
            );
        }
    }
}

#[test]
fn fixed_sites_are_never_proposed_and_their_coverage_is_no_gain() {
    let (ds, ctx) = rouen();
    let walk = ctx.network.params.walk.clone();
    let all = default_candidates(&ds, &ctx.gaps.grid);
    let p = SuggestParams::new(ActorGroup::MissionLocale, 15.0, 3);
    let free = suggest(&ds, &ctx.gaps, &walk, &all, &[], &p).unwrap();
    // The owner plans a mission locale permanence at the Hauts de Rouen's Espace France
    // services and another at the first free pick.
    let efs = ds
        .actors
        .iter()
        .find(|a| a.name == "Espace France services")
        .unwrap();
    let first = &free.picks[0].candidate;
    let planned = parse_sites_csv(&format!(
        "nom,lon,lat,group\nEspace France services,{},{},ML\nPremier choix,{},{},ML\n",
        efs.point_wgs84.x(),
        efs.point_wgs84.y(),
        first.lon,
        first.lat
    ))
    .unwrap();
    let s = suggest(&ds, &ctx.gaps, &walk, &all, &planned, &p).unwrap();
    assert_eq!(s.fixed.planned, 2);
    assert_eq!(s.fixed.planned_for_group, 2);
    assert!(s.fixed.candidates_excluded >= 2);
    for pk in &s.picks {
        for site in &planned {
            let d = geo::Euclidean.distance(site.point_l93, pk.candidate.point_l93);
            assert!(
                d > 150.0,
                "{} proposed {d:.0} m from {:?}",
                pk.candidate.name,
                site.name
            );
        }
        assert_ne!(pk.candidate.id, first.id);
    }
    // What the planned sites reach is out of the gap young people, never a gain.
    assert!(s.fixed.planned_youth > 0.0);
    assert!(
        (s.gap_youth + s.fixed.planned_youth - free.gap_youth).abs() < 1e-6,
        "{} + {} vs {}",
        s.gap_youth,
        s.fixed.planned_youth,
        free.gap_youth
    );
    // The coverage check of the planned sites and the picks together: the young people newly
    // covered are the planned sites' plus the picks' gains, each counted once.
    let mut csv = String::from("lon,lat\n");
    for site in &planned {
        csv.push_str(&format!("{},{}\n", site.lon, site.lat));
    }
    for pk in &s.picks {
        csv.push_str(&format!("{},{}\n", pk.candidate.lon, pk.candidate.lat));
    }
    let r = check(
        &ds,
        &ctx.gaps,
        &ctx.network,
        &parse_sites_csv(&csv).unwrap(),
        &CoverageParams {
            threshold_min: 15.0,
            mode: Mode::Walk,
            group: Some(ActorGroup::MissionLocale),
        },
    )
    .unwrap();
    let gains: f64 = s.picks.iter().map(|p| p.marginal_gain_youth).sum();
    assert!(
        (r.groups[0].youth_newly_covered - s.fixed.planned_youth - gains).abs() < 1e-6,
        "{} vs {} + {gains}",
        r.groups[0].youth_newly_covered,
        s.fixed.planned_youth
    );
    // A planned site of another service is not proposed either, but its reach is a gap still.
    let other = parse_sites_csv(&format!(
        "nom,lon,lat,group\nPremier choix,{},{},FT\n",
        first.lon, first.lat
    ))
    .unwrap();
    let o = suggest(&ds, &ctx.gaps, &walk, &all, &other, &p).unwrap();
    assert_eq!(o.fixed.planned_for_group, 0);
    assert!((o.gap_youth - free.gap_youth).abs() < 1e-6);
    assert!(o.picks.iter().all(|pk| pk.candidate.id != first.id));
    // Existing actors of the group are fixed too: no pick within 150 m of a France Travail agency.
    let ft = suggest(
        &ds,
        &ctx.gaps,
        &walk,
        &all,
        &[],
        &SuggestParams::new(ActorGroup::FranceTravail, 15.0, 5),
    )
    .unwrap();
    assert!(ft.fixed.actors > 0);
    for pk in &ft.picks {
        for a in ds
            .actors
            .iter()
            .filter(|a| a.kind.group() == ActorGroup::FranceTravail)
        {
            assert!(geo::Euclidean.distance(a.point_l93, pk.candidate.point_l93) > 150.0);
        }
    }
}

#[test]
fn the_metropole_k5_is_proven_optimal_with_its_curve() {
    let (ds, ctx) = rouen();
    let walk = ctx.network.params.walk.clone();
    let all = default_candidates(&ds, &ctx.gaps.grid);
    for (g, minutes) in [
        (ActorGroup::FranceTravail, 20.0),
        (ActorGroup::MissionLocale, 20.0),
    ] {
        // The longest time limit: the proof must not depend on the machine's load.
        let p = SuggestParams {
            time_limit_s: 60.0,
            ..SuggestParams::new(g, minutes, 5)
        };
        let s = suggest(&ds, &ctx.gaps, &walk, &all, &[], &p).unwrap();
        let c = s.certificate;
        assert_eq!(c.model, SolveModel::Exact, "{g:?}");
        assert_eq!(c.proof, Proof::Optimal, "{g:?} {c:?}");
        assert_eq!(c.gap_pct, Some(0.0));
        assert!(c.objective >= c.greedy_objective);
        let total: f64 = s.picks.iter().map(|p| p.marginal_gain_youth).sum();
        assert!(
            (total - c.objective).abs() < 1e-6,
            "{total} vs {}",
            c.objective
        );
        assert!(s.method.contains("modèle exact"), "{}", s.method);
        assert!(s.method.contains("optimum prouvé"), "{}", s.method);
        assert!(
            s.method.contains(&format!("{} ms", c.solve_ms)),
            "{}",
            s.method
        );
        // The curve: 1 … 10, exact, non-decreasing, its k = 5 point the answer, never below
        // greedy.
        assert_eq!(s.curve.len(), 10);
        let greedy = greedy_max_cover(
            &repere_engine::suggest::run::suggest_instance(
                &ds,
                &ctx.gaps,
                &walk,
                &all,
                &[],
                g,
                minutes,
            )
            .0,
            10,
        );
        let mut acc = 0.0;
        for (i, pt) in s.curve.iter().enumerate() {
            assert_eq!(pt.k, i + 1);
            assert_eq!(pt.model, CurveModel::Exact);
            assert_eq!(pt.proof, Some(Proof::Optimal));
            acc += greedy[i].gain;
            assert!(
                pt.youth_reached >= acc - 1e-6,
                "k {}: {} < greedy {acc}",
                pt.k,
                pt.youth_reached
            );
        }
        for w in s.curve.windows(2) {
            assert!(w[1].youth_reached >= w[0].youth_reached - 1e-6);
        }
        assert!((s.curve[4].youth_reached - c.objective).abs() < 1e-6);
    }
}

#[test]
fn the_manifest_declares_suitable_hosts_and_refuses_unknown_kinds() {
    use repere_engine::data_root::DataRoot;
    let base = "[territory]\nname = \"T\"\n[communes]\nboundaries = { file = \"c.geojson\" }\n";
    // Without `[siting]`: the documented defaults.
    let t = Territory::from_toml("t.toml", base, DataRoot::Disk(".".into())).unwrap();
    let s = &t.manifest.siting;
    assert!(s.is_suitable_host("RFS", "France services de Darnétal"));
    assert!(s.is_suitable_host("MUNI", "Mairie de proximité du Châtelet"));
    assert!(s.is_suitable_host("BIB", "Bibliothèque du Châtelet"));
    assert!(!s.is_suitable_host("MUNI", "Multi-accueil Graine de Vanille"));
    assert!(!s.is_suitable_host("MUNI", "Stade Municipal"));
    assert!(!s.is_suitable_host("MUNI", "STADE MUNICIPAL"));
    assert!(!s.is_suitable_host("ASSO", "Association des locataires"));
    assert!(!s.is_suitable_host("FT", "Agence France Travail"));
    // A territory's own list.
    let own = format!("{base}[siting]\nhost_kinds = [\"RFS\", \"ASSO\"]\nexclude_names = []\n");
    let t = Territory::from_toml("t.toml", &own, DataRoot::Disk(".".into())).unwrap();
    assert!(
        t.manifest
            .siting
            .is_suitable_host("ASSO", "Stade Municipal")
    );
    assert!(!t.manifest.siting.is_suitable_host("MUNI", "Mairie"));
    // An unknown typology code is refused, naming the key, in French.
    let bad = format!("{base}[siting]\nhost_kinds = [\"RFS\", \"CRECHE\"]\n");
    let e = Territory::from_toml("t.toml", &bad, DataRoot::Disk(".".into())).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("t.toml") && m.contains("[siting] host_kinds") && m.contains("CRECHE"),
        "{m}"
    );
}
