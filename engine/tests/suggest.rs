//! Where to open the next permanence: greedy maximal covering against brute force on random
//! *synthetic* instances (proptest), and the suggestion on the default data.

use proptest::prelude::*;
use repere_engine::Territory;
use repere_engine::coverage::{CoverageParams, Mode, TravelContext, check, parse_sites_csv};
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::{
    CoverInstance, SuggestError, SuggestParams, candidates_from_sites, greedy_max_cover,
    host_candidates, suggest,
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
    let p = SuggestParams {
        group: ActorGroup::FranceTravail,
        threshold_min: 15.0,
        k: 3,
    };
    let s = suggest(&ds, &ctx.gaps, &walk, &cands, &p).unwrap();
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
    let one = suggest(&ds, &ctx.gaps, &walk, &cands, &SuggestParams { k: 1, ..p }).unwrap();
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
    let p = SuggestParams {
        group: ActorGroup::MissionLocale,
        threshold_min: 15.0,
        k: 3,
    };
    let e = suggest(&ds, &ctx.gaps, &walk, &user, &p).unwrap_err();
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
    let ok = suggest(&ds, &ctx.gaps, &walk, &user, &SuggestParams { k: 2, ..p }).unwrap();
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
        &SuggestParams { k: 1, ..p },
    )
    .unwrap_err();
    assert!(e.to_string().contains("candidate n° 2 (Le Havre)"), "{e}");
    assert_eq!(
        suggest(&ds, &ctx.gaps, &walk, &[], &SuggestParams { k: 1, ..p }).unwrap_err(),
        SuggestError::NoCandidate
    );
}
