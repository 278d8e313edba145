//! NEET shares ("jeunes non insérés": 15-24 neither in employment nor in education, ANCT /
//! Observatoire des territoires from the INSEE census) in 2008, 2013 and 2018, their trend, and an
//! estimated number of NEET young people.
//!
//! # The estimated NEET count, and its limits
//! `estimated_neet_count = neet_share_2018_pct / 100 × youth_15_29`, where `youth_15_29` is the
//! census population aged 15-29 of the loaded vintage (2013 in the default data). It is an order
//! of magnitude for comparing communes, not a count:
//! - the share is measured on the 15-24, applied to the 15-29 (the 25-29 are more often NEET than
//!   the 15-24, so the estimate is rather low for the 16-29 target);
//! - the share (2018) and the population (2013 census in the default data) are of different years;
//! - in small communes the census share rests on a few dozen sampled young people.

use crate::model::youth::NeetShares;

/// The census years of the NEET series.
pub const NEET_YEARS: [u16; 3] = [2008, 2013, 2018];

/// NEET indicators of one area.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Neet {
    /// Share in 2008, percent.
    pub share_2008_pct: Option<f64>,
    /// Share in 2013, percent.
    pub share_2013_pct: Option<f64>,
    /// Share in 2018, percent.
    pub share_2018_pct: Option<f64>,
    /// 2018 minus 2008, percentage points (positive: more NEET).
    pub trend_2008_2018_pts: Option<f64>,
    /// 2018 minus 2013, percentage points.
    pub trend_2013_2018_pts: Option<f64>,
    /// Estimated NEET young people (see the module docs for the formula and its limits).
    pub estimated_neet_count: Option<f64>,
}

impl Neet {
    /// NEET indicators from a share series and the 15-29 population.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::indicator::neet::Neet;
    /// use repere_engine::model::youth::NeetShares;
    /// let shares = NeetShares([(2008, 14.0), (2013, 17.0), (2018, 16.0)].into_iter().collect());
    /// let n = Neet::of(Some(&shares), Some(1_000.0));
    /// assert!((n.trend_2008_2018_pts.unwrap() - 2.0).abs() < 1e-9);
    /// assert!((n.estimated_neet_count.unwrap() - 160.0).abs() < 1e-9);
    /// ```
    pub fn of(shares: Option<&NeetShares>, youth_15_29: Option<f64>) -> Self {
        let get = |y: u16| shares.and_then(|s| s.0.get(&y).copied());
        let (s08, s13, s18) = (get(2008), get(2013), get(2018));
        let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
        Self {
            share_2008_pct: s08,
            share_2013_pct: s13,
            share_2018_pct: s18,
            trend_2008_2018_pts: diff(s18, s08),
            trend_2013_2018_pts: diff(s18, s13),
            estimated_neet_count: estimated_neet_count(s18, youth_15_29),
        }
    }
}

/// `share_pct / 100 × youth_15_29`, when both are known.
pub fn estimated_neet_count(share_pct: Option<f64>, youth_15_29: Option<f64>) -> Option<f64> {
    Some(share_pct? / 100.0 * youth_15_29?)
}

/// Weighted mean of `(value, weight)` pairs, skipping missing values; `None` when no weight.
///
/// # Examples
/// ```
/// let m = repere_engine::indicator::neet::weighted_mean([(Some(10.0), 1.0), (Some(20.0), 3.0), (None, 5.0)]);
/// assert!((m.unwrap() - 17.5).abs() < 1e-9);
/// ```
pub fn weighted_mean(pairs: impl IntoIterator<Item = (Option<f64>, f64)>) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (v, w) in pairs {
        if let Some(v) = v {
            sum += v * w;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}
