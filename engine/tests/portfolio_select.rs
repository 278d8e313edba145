//! The portfolio's selection under a budget on synthetic instances built by code (named so):
//! a hand-checkable one (union without double counting, overlaps, marginal contributions, a
//! case where greedy falls short of the exact programme), and 300 small random instances from
//! fixed seeds where the exact selection (HiGHS) equals brute force, greedy never beats it and
//! no selection ever exceeds the budget.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use repere_engine::coverage::Mode;
use repere_engine::model::actor::ActorGroup;
use repere_engine::portfolio::instance::cents;
use repere_engine::portfolio::{
    Certificate, Instance, Item, Model, Portfolio, PortfolioProject, ProjectReach, ServiceReach,
    Weighting, combine, decide, overview, select,
};

fn clock() -> f64 {
    0.0
}

fn item(cost_eur: f64, covers: &[usize]) -> Item {
    Item {
        cost_eur,
        covers: covers.to_vec(),
    }
}

/// Synthetic: four groups of young people (10, 20, 30, 40); A reaches the first two, B the
/// second and third, C the fourth, D nobody.
fn hand() -> Instance {
    Instance::new(
        vec![10.0, 20.0, 30.0, 40.0],
        vec![
            item(100.0, &[0, 1]),
            item(100.0, &[1, 2]),
            item(150.0, &[3]),
            item(0.0, &[]),
        ],
    )
}

#[test]
fn union_counts_each_young_person_once_and_marginals_are_what_each_adds() {
    let inst = hand();
    let c = combine(&inst, &[0, 1, 2]);
    // A + B + C: 10 + 20 + 30 + 40, the 20 shared by A and B once.
    assert_eq!(c.union, 100.0);
    assert_eq!(c.sum_alone, 120.0);
    assert_eq!(c.reached_by_several, 20.0);
    assert_eq!(c.pairs.len(), 1);
    assert_eq!(
        (c.pairs[0].a, c.pairs[0].b, c.pairs[0].shared),
        (0, 1, 20.0)
    );
    // Inside: what each adds to the two others; outside (D): what it would add.
    assert_eq!(c.marginal, vec![10.0, 30.0, 40.0, 0.0]);
    // Outside a selection of A alone: B would add 30, C 40.
    let a = combine(&inst, &[0]);
    assert_eq!(a.union, 30.0);
    assert_eq!(a.marginal, vec![30.0, 30.0, 40.0, 0.0]);
}

#[test]
fn exact_beats_greedy_where_the_ratio_rule_falls_short() {
    // Synthetic: X has the best ratio (45 for 40 €), but Y + Z (55 + 55 for 100 €) is best.
    let inst = Instance::new(
        vec![45.0, 55.0, 55.0],
        vec![item(40.0, &[0]), item(50.0, &[1]), item(50.0, &[2])],
    );
    let s = select(&inst, 100.0, 10.0, &clock).unwrap();
    assert_eq!(s.model, Model::Exact);
    assert_eq!(s.certificate, Certificate::Optimal);
    assert_eq!(s.selected, vec![1, 2]);
    assert_eq!(s.value, 110.0);
    assert_eq!(s.greedy_value, 100.0);
    assert_eq!(s.gap_pct, 0.0);
    assert_eq!((s.cost_eur, s.budget_left_eur), (100.0, 0.0));
    // What X, left out, would have added to Y + Z.
    assert_eq!(s.combined.marginal[0], 45.0);
}

#[test]
fn the_hand_instance_under_budgets_gives_the_selection_a_person_finds() {
    let inst = hand();
    for (budget, value, chosen) in [
        (0.0, 0.0, vec![]),
        (99.99, 0.0, vec![]),
        (100.0, 50.0, vec![1]),
        (200.0, 60.0, vec![0, 1]),
        (250.0, 90.0, vec![1, 2]),
        (350.0, 100.0, vec![0, 1, 2]),
        (10_000.0, 100.0, vec![0, 1, 2]),
    ] {
        let s = select(&inst, budget, 10.0, &clock).unwrap();
        assert_eq!(s.value, value, "budget {budget}");
        // D (free, reaching nobody) is never funded for nothing.
        assert_eq!(s.selected, chosen, "budget {budget}");
        assert!(s.cost_eur <= budget);
    }
    // Budgets out of range are refused naming the field.
    for bad in [-1.0, f64::NAN, 1e10, 10.001] {
        let e = select(&inst, bad, 10.0, &clock).unwrap_err();
        assert!(e.to_string().contains("budget_eur"), "{e}");
    }
}

/// A fixed-seed generator (64-bit LCG): the instances are the same at every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn random_instance(r: &mut Lcg) -> (Instance, f64) {
    let elements = 1 + r.below(14) as usize;
    let items = 1 + r.below(10) as usize;
    let weights = (0..elements).map(|_| r.below(50) as f64 + 0.25).collect();
    let its = (0..items)
        .map(|_| {
            let k = r.below(elements as u64 + 1) as usize;
            let covers = (0..k).map(|_| r.below(elements as u64) as usize).collect();
            // Euros with cents, some free.
            let cost = if r.below(8) == 0 {
                0.0
            } else {
                (r.below(10_000) as f64) / 100.0 + r.below(50) as f64
            };
            Item {
                cost_eur: cost,
                covers,
            }
        })
        .collect();
    let budget = (r.below(15_000) as f64) / 100.0;
    (Instance::new(weights, its), budget)
}

fn brute_force(inst: &Instance, budget: f64) -> f64 {
    let n = inst.items.len();
    let mut best = 0.0f64;
    for mask in 0u32..(1 << n) {
        let sel: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        if inst.cost_cents(&sel) <= cents(budget) {
            best = best.max(inst.value(&sel));
        }
    }
    best
}

#[test]
fn on_small_instances_exact_equals_brute_force_greedy_never_beats_it_and_the_budget_holds() {
    let mut r = Lcg(20_261_207);
    for case in 0..300 {
        let (inst, budget) = random_instance(&mut r);
        let s = select(&inst, budget, 10.0, &clock).unwrap();
        let best = brute_force(&inst, budget);
        assert_eq!(s.model, Model::Exact, "case {case}");
        assert_eq!(s.certificate, Certificate::Optimal, "case {case}");
        assert!(
            (s.value - best).abs() < 1e-6,
            "case {case}: {} vs {best}",
            s.value
        );
        assert!(s.greedy_value <= s.value + 1e-9, "case {case}");
        assert!(inst.cost_cents(&s.selected) <= cents(budget), "case {case}");
        assert!(
            inst.cost_cents(&s.greedy_selected) <= cents(budget),
            "case {case}"
        );
        assert_eq!(s.value, inst.value(&s.selected));
        assert!(s.budget_left_eur >= 0.0);
    }
}

fn reach(cells: &[usize]) -> ProjectReach {
    ProjectReach {
        services: vec![ServiceReach {
            group: ActorGroup::MissionLocale,
            group_label: ActorGroup::MissionLocale.label(),
            sites: vec![1],
            youth_reached: cells.len() as f64 * 10.0,
            youth_already_covered: 0.0,
            youth_newly_covered: cells.len() as f64 * 10.0,
            cells: cells.iter().map(|&k| (k, true)).collect(),
        }],
        unplaced: vec![],
        mode: Mode::Walk,
        warnings: vec![],
    }
}

fn project(id: &str, budget: Option<f64>, cells: &[usize]) -> PortfolioProject {
    PortfolioProject {
        id: id.into(),
        title: format!("Projet {id}"),
        organisation: "Organisation synthétique".into(),
        budget_eur: budget,
        reach: reach(cells),
    }
}

#[test]
fn the_decision_lists_projects_without_budget_apart_and_what_rejected_ones_would_add() {
    // Synthetic cells 0..6, 10 young people each. P1 and P2 share cells 2 and 3.
    let p = Portfolio::new(
        vec![
            project("p1", Some(30_000.0), &[0, 1, 2, 3]),
            project("p2", Some(25_000.0), &[2, 3, 4]),
            project("p3", None, &[5, 6]),
        ],
        None,
        &|_| 10.0,
        &|_| 10.0,
    );
    let v = overview(&p);
    assert_eq!(v.union_youth, 70.0);
    assert_eq!(v.sum_youth, 90.0);
    assert_eq!(v.youth_reached_by_several, 20.0);
    assert_eq!(v.overlaps.len(), 1);
    assert_eq!(v.overlaps[0].shared_youth, 20.0);
    assert_eq!(
        v.projects
            .iter()
            .map(|x| x.marginal_youth)
            .collect::<Vec<_>>(),
        vec![20.0, 10.0, 20.0]
    );
    assert!(
        v.projects[2]
            .not_selectable
            .as_deref()
            .unwrap()
            .contains("budget")
    );

    // A budget that fits one project: P1 (40) rather than P2 (30).
    let d = decide(&p, Weighting::Youth, 35_000.0, 10.0, &clock).unwrap();
    assert_eq!(d.selected.len(), 1);
    assert_eq!(d.selected[0].id, "p1");
    assert_eq!(
        (d.youth, d.cost_eur, d.budget_left_eur),
        (40.0, 30_000.0, 5_000.0)
    );
    assert_eq!(d.rejected.len(), 1);
    assert_eq!(d.rejected[0].id, "p2");
    // P2 would have added cell 4 only (2 and 3 are P1's already).
    assert_eq!(d.rejected[0].marginal_youth, 10.0);
    assert_eq!(d.not_considered.len(), 1);
    assert_eq!(d.not_considered[0].id, "p3");
    assert!(
        d.not_considered[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("budget non renseigné")
    );
    assert!(d.method.contains("HiGHS"), "{}", d.method);
    // Both fit: 50 young people, the shared 20 once.
    let d = decide(&p, Weighting::Youth, 55_000.0, 10.0, &clock).unwrap();
    assert_eq!(
        (d.selected.len(), d.youth, d.youth_reached_by_several),
        (2, 50.0, 20.0)
    );
}
