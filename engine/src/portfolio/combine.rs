//! A selection's figures: the combined coverage as a union (each young person once), the
//! overlaps between projects (young people reached by several) and each project's marginal
//! contribution (what it adds to the others of the selection, or, for a project outside it,
//! what it would add).

use super::instance::Instance;

/// Two projects reaching the same young people.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PairOverlap {
    /// First item (index).
    pub a: usize,
    /// Second item (index), `a < b`.
    pub b: usize,
    /// Weight reached by both.
    pub shared: f64,
}

/// The figures of a selection.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Combined {
    /// Items of the selection, sorted.
    pub selected: Vec<usize>,
    /// Weight reached by at least one (the union: no double counting).
    pub union: f64,
    /// Sum of what each reaches alone (double counting included).
    pub sum_alone: f64,
    /// Weight reached by two or more of them.
    pub reached_by_several: f64,
    /// Every pair of items of the selection sharing a positive weight.
    pub pairs: Vec<PairOverlap>,
    /// For every item of the instance: inside the selection, what it adds to the others
    /// (`union − union without it`); outside, what it would add (`union with it − union`).
    pub marginal: Vec<f64>,
}

/// The figures of `selected` in `inst`.
pub fn combine(inst: &Instance, selected: &[usize]) -> Combined {
    let mut sel: Vec<usize> = selected
        .iter()
        .copied()
        .filter(|&i| i < inst.items.len())
        .collect();
    sel.sort_unstable();
    sel.dedup();
    let count = inst.counts(&sel);
    let union = inst.value(&sel);
    let sum_alone = sel.iter().fold(0.0, |acc, &i| acc + inst.alone(i));
    let reached_by_several = count
        .iter()
        .zip(&inst.weights)
        .filter(|(c, _)| **c >= 2)
        .fold(0.0, |acc, (_, w)| acc + w);
    let mut pairs = Vec::new();
    for (x, &a) in sel.iter().enumerate() {
        for &b in &sel[x + 1..] {
            let shared = shared(inst, a, b);
            if shared > 0.0 {
                pairs.push(PairOverlap { a, b, shared });
            }
        }
    }
    let marginal = (0..inst.items.len())
        .map(|i| {
            if sel.contains(&i) {
                // Elements only this one reaches in the selection.
                inst.items[i]
                    .covers
                    .iter()
                    .filter(|&&e| count[e] == 1)
                    .fold(0.0, |acc, &e| acc + inst.weights[e])
            } else {
                inst.gain(&count, i)
            }
        })
        .collect();
    Combined {
        selected: sel,
        union,
        sum_alone,
        reached_by_several,
        pairs,
        marginal,
    }
}

/// Weight reached by both `a` and `b` (their covers are sorted).
pub fn shared(inst: &Instance, a: usize, b: usize) -> f64 {
    let (Some(x), Some(y)) = (inst.items.get(a), inst.items.get(b)) else {
        return 0.0;
    };
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < x.covers.len() && j < y.covers.len() {
        match x.covers[i].cmp(&y.covers[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += inst.weights[x.covers[i]];
                i += 1;
                j += 1;
            }
        }
    }
    s
}
