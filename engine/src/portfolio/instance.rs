//! The selection problem as plain numbers: elements (groups of young people, each with a
//! weight) and items (projects, each with a cost and the elements it reaches). A selection's
//! value is the total weight of the elements reached by at least one of its items: the union,
//! so a young person reached by two selected projects counts once.

/// A project as the selection sees it: its cost and the elements it reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Cost, euros (at most two decimals).
    pub cost_eur: f64,
    /// Indices of the elements reached, sorted, without repeats.
    pub covers: Vec<usize>,
}

/// A budgeted maximal covering instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Instance {
    /// Weight of each element (young people, or young people weighted), ≥ 0.
    pub weights: Vec<f64>,
    /// The items.
    pub items: Vec<Item>,
}

/// Euros as whole cents (costs and budgets have at most two decimals), so that sums compare
/// exactly.
pub fn cents(eur: f64) -> i64 {
    (eur * 100.0).round() as i64
}

impl Instance {
    /// An instance from weights and items; each item's elements are sorted and deduplicated,
    /// and elements out of range are dropped.
    pub fn new(weights: Vec<f64>, items: Vec<Item>) -> Self {
        let n = weights.len();
        let items = items
            .into_iter()
            .map(|mut it| {
                it.covers.retain(|&e| e < n);
                it.covers.sort_unstable();
                it.covers.dedup();
                it
            })
            .collect();
        Self { weights, items }
    }

    /// How many selected items reach each element.
    pub fn counts(&self, selected: &[usize]) -> Vec<u32> {
        let mut count = vec![0u32; self.weights.len()];
        for &i in selected {
            if let Some(it) = self.items.get(i) {
                for &e in &it.covers {
                    count[e] += 1;
                }
            }
        }
        count
    }

    /// The value of a selection: the weight of the elements reached at least once (union).
    pub fn value(&self, selected: &[usize]) -> f64 {
        self.counts(selected)
            .iter()
            .zip(&self.weights)
            .filter(|(c, _)| **c > 0)
            .fold(0.0, |acc, (_, w)| acc + w)
    }

    /// The cost of a selection, whole cents.
    pub fn cost_cents(&self, selected: &[usize]) -> i64 {
        selected
            .iter()
            .filter_map(|&i| self.items.get(i))
            .map(|it| cents(it.cost_eur))
            .sum()
    }

    /// The weight item `i` reaches alone.
    pub fn alone(&self, i: usize) -> f64 {
        self.items.get(i).map_or(0.0, |it| {
            it.covers.iter().fold(0.0, |acc, &e| acc + self.weights[e])
        })
    }

    /// What item `i` adds to the elements already reached (`count[e] > 0`).
    pub fn gain(&self, count: &[u32], i: usize) -> f64 {
        self.items.get(i).map_or(0.0, |it| {
            it.covers
                .iter()
                .filter(|&&e| count[e] == 0)
                .fold(0.0, |acc, &e| acc + self.weights[e])
        })
    }
}
