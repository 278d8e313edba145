//! The greedy selection under a budget: repeatedly add the affordable project with the best
//! ratio of young people newly reached to cost (a free project first), then compare with the
//! best single affordable project and keep the better of the two (the classical guarantee of
//! budgeted maximal covering: at least ½(1 − 1/e) of the optimum). The starting point of the
//! exact programme, never better than it.

use super::instance::{Instance, cents};

/// The greedy selection of `inst` under `budget_cents` (items sorted by index), never over
/// budget.
pub fn greedy(inst: &Instance, budget_cents: i64) -> Vec<usize> {
    let mut count = vec![0u32; inst.weights.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut spent = 0i64;
    loop {
        let mut best: Option<(usize, f64, f64)> = None;
        for (i, it) in inst.items.iter().enumerate() {
            if chosen.contains(&i) {
                continue;
            }
            let c = cents(it.cost_eur);
            if spent + c > budget_cents {
                continue;
            }
            let gain = inst.gain(&count, i);
            if gain <= 0.0 {
                continue;
            }
            let ratio = if c == 0 {
                f64::INFINITY
            } else {
                gain / c as f64
            };
            let better = match best {
                None => true,
                Some((_, r, g)) => ratio > r || (ratio == r && gain > g),
            };
            if better {
                best = Some((i, ratio, gain));
            }
        }
        let Some((i, _, _)) = best else { break };
        spent += cents(inst.items[i].cost_eur);
        for &e in &inst.items[i].covers {
            count[e] += 1;
        }
        chosen.push(i);
    }
    chosen.sort_unstable();
    // The best single affordable project, when it beats the ratio rule.
    let single = (0..inst.items.len())
        .filter(|&i| cents(inst.items[i].cost_eur) <= budget_cents)
        .map(|i| (i, inst.alone(i)))
        .fold(None, |acc: Option<(usize, f64)>, (i, v)| match acc {
            Some((_, bv)) if bv >= v => acc,
            _ => Some((i, v)),
        });
    match single {
        Some((i, v)) if v > inst.value(&chosen) => vec![i],
        _ => chosen,
    }
}
