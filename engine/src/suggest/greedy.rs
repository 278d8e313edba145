//! Greedy maximal covering.
//!
//! An instance has weighted elements (here: gap cells weighted by their young people) and
//! candidates, each covering a set of elements. Choosing `k` candidates to maximise the weight
//! of the union of their sets is the maximal covering location problem (Church & ReVelle, 1974),
//! NP-hard. The covered weight is a monotone submodular function of the chosen set, so the
//! greedy algorithm — at each step, add the candidate with the largest marginal gain — reaches
//! at least `(1 - 1/e)` ≈ 63.2 % of the optimum (Nemhauser, Wolsey & Fisher, 1978), and is
//! optimal for `k = 1`. Gains are non-increasing from one pick to the next.

/// A maximal covering instance.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverInstance {
    /// Weight of each element (≥ 0).
    pub weights: Vec<f64>,
    /// For each candidate, the indices of the elements it covers.
    pub covers: Vec<Vec<usize>>,
}

/// One greedy pick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    /// Candidate index.
    pub candidate: usize,
    /// Weight newly covered by this pick (the marginal gain).
    pub gain: f64,
}

impl CoverInstance {
    /// Weight of the union of the sets of `chosen`.
    pub fn covered_weight(&self, chosen: &[usize]) -> f64 {
        let mut seen = vec![false; self.weights.len()];
        let mut w = 0.0;
        for &c in chosen {
            for &e in self.covers.get(c).map_or(&[][..], Vec::as_slice) {
                if let Some(s) = seen.get_mut(e)
                    && !*s
                {
                    *s = true;
                    w += self.weights[e];
                }
            }
        }
        w
    }

    /// The optimum over every subset of `min(k, candidates)` candidates, by enumeration
    /// (exponential: for checks on small instances).
    pub fn optimum_brute_force(&self, k: usize) -> f64 {
        let n = self.covers.len();
        let k = k.min(n);
        let mut best = 0.0_f64;
        let mut idx: Vec<usize> = (0..k).collect();
        loop {
            best = best.max(self.covered_weight(&idx));
            // Next combination in lexicographic order.
            let Some(i) = (0..k).rev().find(|&i| idx[i] < n - k + i) else {
                return best;
            };
            idx[i] += 1;
            for j in i + 1..k {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }
}

/// Greedy maximal covering: `min(k, candidates)` picks, each the candidate with the largest
/// marginal gain (ties: lowest index), with its gain. Guarantee: the total is at least
/// `(1 - 1/e)` times the optimum, and equal to it for `k = 1` (see the module docs).
pub fn greedy_max_cover(inst: &CoverInstance, k: usize) -> Vec<Pick> {
    let mut covered = vec![false; inst.weights.len()];
    let mut taken = vec![false; inst.covers.len()];
    let mut picks = Vec::with_capacity(k.min(inst.covers.len()));
    let gain_of = |c: &[usize], covered: &[bool]| -> f64 {
        c.iter()
            .filter(|&&e| covered.get(e) == Some(&false))
            .map(|&e| inst.weights[e])
            .sum()
    };
    for _ in 0..k.min(inst.covers.len()) {
        let mut best: Option<Pick> = None;
        for (c, set) in inst.covers.iter().enumerate() {
            if taken[c] {
                continue;
            }
            let gain = gain_of(set, &covered);
            if best.is_none_or(|b| gain > b.gain) {
                best = Some(Pick { candidate: c, gain });
            }
        }
        let Some(p) = best else { break };
        taken[p.candidate] = true;
        for &e in &inst.covers[p.candidate] {
            if let Some(x) = covered.get_mut(e) {
                *x = true;
            }
        }
        picks.push(p);
    }
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_is_not_always_optimal_but_within_the_bound() {
        // Classic: one big set overlapping two disjoint halves.
        let inst = CoverInstance {
            weights: vec![1.0; 6],
            covers: vec![vec![1, 2, 3, 4], vec![0, 1, 2], vec![3, 4, 5]],
        };
        let picks = greedy_max_cover(&inst, 2);
        assert_eq!(picks[0].candidate, 0);
        let total: f64 = picks.iter().map(|p| p.gain).sum();
        assert_eq!(total, 5.0);
        assert_eq!(inst.optimum_brute_force(2), 6.0);
        assert!(total >= (1.0 - (-1.0_f64).exp()) * 6.0);
    }
}
