//! The invisibles: NEET young people estimated to be followed by no one, per commune and QPV,
//! from the NEET estimate ([`super::neet`]) and the follow-up counts a territory brings
//! (`[[followup.counts]]`).
//!
//! # The range
//! With `N` the estimated NEET young people of the area and `c_s` the young people source `s`
//! follows there (missions locales, France Travail, …):
//! - **low end** `max(0, N − Σ_s c_s)`: no young person is counted by two sources, and every
//!   young person followed is NEET (each count removes as many NEET as it holds);
//! - **high end** `max(0, N − max_s c_s)`: the largest overlap between sources (everyone the
//!   smaller sources follow is also followed by the largest one), so only the largest count is
//!   removed.
//!
//! Both are floored at zero, and `low ≤ high` always (a sum of non-negative counts is at least
//! their largest). The counts are subtracted as given: their age bands (16-25 for a mission
//! locale, under 25 for France Travail) differ from the 15-29 the NEET estimate covers, and
//! young people followed are not all NEET (a jobseeker may be in training): the range is an
//! order of magnitude, shown with its sources and dates.
//!
//! # Without local counts
//! A national order of magnitude (the share of NEET young people in contact with no public
//! employment service, with its source, given in the manifest) is shown as such, applied to the
//! area's NEET estimate, and never added to or mixed with local counts in one figure.
//!
//! # Secrecy
//! Every number here leaves as a [`Disclosed`] ([`super::secrecy`]): no count or estimate under
//! 11, estimates rounded to the nearest 10, once, from the unrounded range.

use crate::indicator::secrecy::Disclosed;
use crate::manifest::NationalShare;
use crate::model::followup::{FollowedBySource, Followup};

/// The unrounded range of invisibles, `low ≤ high`, both ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvisiblesRange {
    /// `max(0, N − Σ counts)`.
    pub low: f64,
    /// `max(0, N − max count)`.
    pub high: f64,
}

impl InvisiblesRange {
    /// The range from a NEET estimate and the counts of each source; `None` without a count
    /// or with a NEET estimate that is not a finite number.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::indicator::invisibles::InvisiblesRange;
    /// let r = InvisiblesRange::of(300.0, &[120, 80]).unwrap();
    /// assert_eq!((r.low, r.high), (100.0, 180.0));
    /// assert_eq!(InvisiblesRange::of(50.0, &[120]).unwrap().high, 0.0);
    /// ```
    pub fn of(neet_est: f64, counts: &[u32]) -> Option<Self> {
        if counts.is_empty() || !neet_est.is_finite() {
            return None;
        }
        let sum: f64 = counts.iter().map(|c| f64::from(*c)).sum();
        let max = counts.iter().copied().max().map_or(0.0, f64::from);
        let neet = neet_est.max(0.0);
        Some(Self {
            low: (neet - sum).max(0.0),
            high: (neet - max).max(0.0),
        })
    }

    /// The middle of the range (what the ranking and the map colour use).
    pub fn central(&self) -> f64 {
        (self.low + self.high) / 2.0
    }
}

/// What an area's invisibles line rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvisiblesBasis {
    /// Local follow-up counts and the NEET estimate.
    Local,
    /// No local count here: the national order of magnitude of the manifest.
    NationalOrder,
    /// Neither (or no NEET estimate).
    Unavailable,
}

/// One source's count in an area, with what it counts and from when.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FollowedOut {
    /// Source code (`ML`, `FT`, …).
    pub source: String,
    /// Source name (the manifest's label, or the known name).
    pub label: String,
    /// Young people followed (secret under 11).
    pub count: Disclosed,
    /// Age bands of the files counted (`16-25`).
    pub age_bands: Vec<String>,
    /// Dates of the files counted.
    pub dates: Vec<String>,
}

/// The invisibles of one commune or QPV. Every number is a [`Disclosed`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Invisibles {
    /// What the figures rest on.
    pub basis: InvisiblesBasis,
    /// The NEET estimate the counts are subtracted from (rounded to 10; `null` without one).
    pub neet_est: Option<Disclosed>,
    /// Low end of the range (no double counting between sources); `null` unless `local`.
    pub low_est: Option<Disclosed>,
    /// High end (largest overlap between sources); `null` unless `local`.
    pub high_est: Option<Disclosed>,
    /// Middle of the range (ranking, map colour); `null` unless `local`.
    pub central_est: Option<Disclosed>,
    /// Counts per source, sorted by source code (empty unless the area has counts).
    pub followed: Vec<FollowedOut>,
    /// The national order of magnitude, when the area has no local count and the manifest
    /// gives one.
    pub national: Option<NationalShare>,
    /// `national.share_pct` applied to the NEET estimate: an order of magnitude, not a local
    /// estimate; `null` unless `national_order`.
    pub national_order_est: Option<Disclosed>,
    /// The line as read (French), with its sources and dates.
    pub text: String,
}

/// What would make the estimate local, said wherever it is not.
pub const MAKE_IT_LOCAL: &str = "pour une estimation locale, ajoutez au manifeste des fichiers [[followup.counts]] : les jeunes accompagnés par la mission locale (extraction I-Milo, source ML) et les demandeurs d'emploi de moins de 25 ans de France Travail (catégories A, B, C, source FT), et s'il y a lieu E2C, EPIDE, PLIE, prévention spécialisée, par commune, IRIS ou QPV, avec leur tranche d'âge et leur date";

fn followed_out(followup: &Followup, by: &FollowedBySource) -> Vec<FollowedOut> {
    by.iter()
        .map(|(source, c)| {
            let files: Vec<_> = c
                .files
                .iter()
                .filter_map(|&i| followup.files.get(i))
                .collect();
            let mut label = files
                .first()
                .map_or_else(|| source.clone(), |f| f.label.clone());
            if files.len() > 1 {
                label = crate::model::followup::source_name(source)
                    .map_or_else(|| source.clone(), str::to_owned);
            }
            let mut age_bands: Vec<String> = files.iter().map(|f| f.age_band.clone()).collect();
            let mut dates: Vec<String> = files.iter().map(|f| f.date.clone()).collect();
            age_bands.sort();
            age_bands.dedup();
            dates.sort();
            dates.dedup();
            FollowedOut {
                source: source.clone(),
                label,
                count: Disclosed::count(c.count),
                age_bands,
                dates,
            }
        })
        .collect()
}

impl Invisibles {
    /// The invisibles of an area from its NEET estimate (`None` when the data lack it) and its
    /// follow-up counts (`None` when no source counts it).
    ///
    /// # Examples
    /// ```
    /// use repere_engine::indicator::invisibles::{Invisibles, InvisiblesBasis};
    /// use repere_engine::indicator::secrecy::Disclosed;
    /// use repere_engine::model::followup::{FollowedCount, Followup};
    /// let by = [("ML".to_owned(), FollowedCount { count: 120, files: vec![] }),
    ///           ("FT".to_owned(), FollowedCount { count: 80, files: vec![] })].into_iter().collect();
    /// let i = Invisibles::of(Some(304.0), Some(&by), &Followup::default());
    /// assert_eq!(i.basis, InvisiblesBasis::Local);
    /// assert_eq!((i.low_est, i.high_est), (Some(Disclosed::Value(100)), Some(Disclosed::Value(180))));
    /// ```
    pub fn of(neet_est: Option<f64>, by: Option<&FollowedBySource>, followup: &Followup) -> Self {
        let neet = neet_est.filter(|n| n.is_finite());
        let followed = by.map(|b| followed_out(followup, b)).unwrap_or_default();
        let counts: Vec<u32> = by
            .map(|b| b.values().map(|c| c.count).collect())
            .unwrap_or_default();
        let neet_disclosed = neet.map(Disclosed::estimate);
        let sources_text = followed
            .iter()
            .map(|f| {
                format!(
                    "{} {} ({} ans, {})",
                    f.label,
                    f.count,
                    f.age_bands.join(", "),
                    f.dates.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join(" ; ");
        let empty = Self {
            basis: InvisiblesBasis::Unavailable,
            neet_est: neet_disclosed,
            low_est: None,
            high_est: None,
            central_est: None,
            followed,
            national: None,
            national_order_est: None,
            text: String::new(),
        };
        if let Some(range) = neet.and_then(|n| InvisiblesRange::of(n, &counts)) {
            let (low, high) = (
                Disclosed::estimate(range.low),
                Disclosed::estimate(range.high),
            );
            let amount = if low == high {
                format!("{low}")
            } else {
                format!("de {low} à {high}")
            };
            let neet_text = neet_disclosed.map_or_else(String::new, |d| d.to_string());
            return Self {
                basis: InvisiblesBasis::Local,
                low_est: Some(low),
                high_est: Some(high),
                central_est: Some(Disclosed::estimate(range.central())),
                text: format!(
                    "{amount} jeunes NEET estimés sans suivi : {neet_text} NEET estimés, moins les jeunes suivis ({sources_text})"
                ),
                ..empty
            };
        }
        if !empty.followed.is_empty() {
            return Self {
                text: format!(
                    "pas d'estimation : les jeunes suivis sont comptés ({sources_text}) mais la part de NEET manque ici"
                ),
                ..empty
            };
        }
        if let Some(n) = &followup.national {
            let applied = neet.map(|v| Disclosed::estimate(v * n.share_pct / 100.0));
            let applied_text = match applied {
                Some(d) => format!(
                    " ; appliquée aux {} NEET estimés ici : environ {d}, un ordre de grandeur national, pas une estimation locale",
                    neet_disclosed.map_or_else(String::new, |d| d.to_string())
                ),
                None => String::new(),
            };
            return Self {
                basis: InvisiblesBasis::NationalOrder,
                national: Some(n.clone()),
                national_order_est: applied,
                text: format!(
                    "aucun comptage local de jeunes suivis ; ordre de grandeur national : {} % des jeunes NEET ne sont en contact avec aucun service public de l'emploi ({}){applied_text} ; {MAKE_IT_LOCAL}",
                    crate::text::fr_decimal(n.share_pct, 1),
                    n.source
                ),
                ..empty
            };
        }
        Self {
            text: if followup.has_local_counts() {
                "aucun comptage de jeunes suivis pour ce lieu dans les fichiers chargés".to_owned()
            } else {
                format!(
                    "aucun comptage local de jeunes suivis et aucun ordre de grandeur national chargés ; {MAKE_IT_LOCAL}"
                )
            },
            ..empty
        }
    }
}

/// Invisibles beyond an access threshold: the middle of the unrounded range × `share_pct` /
/// 100 (the area's share of young people in gap cells: invisibles are assumed to live like
/// the young people), disclosed once; `None` without a local range.
///
/// # Examples
/// ```
/// use repere_engine::indicator::invisibles::outside_threshold_est;
/// use repere_engine::indicator::secrecy::Disclosed;
/// use repere_engine::model::followup::FollowedCount;
/// let by = [("ML".to_owned(), FollowedCount { count: 100, files: vec![] })].into_iter().collect();
/// assert_eq!(outside_threshold_est(Some(500.0), Some(&by), 25.0), Some(Disclosed::Value(100)));
/// ```
pub fn outside_threshold_est(
    neet_est: Option<f64>,
    by: Option<&FollowedBySource>,
    share_pct: f64,
) -> Option<Disclosed> {
    let counts: Vec<u32> = by?.values().map(|c| c.count).collect();
    let range = InvisiblesRange::of(neet_est?, &counts)?;
    Some(Disclosed::estimate(
        range.central() * share_pct.clamp(0.0, 100.0) / 100.0,
    ))
}

/// The method notes of the invisibles (French), for the diagnostics' notes: each bound
/// explained, the sources loaded, or what is missing.
pub fn method_notes(followup: &Followup) -> Vec<String> {
    let mut notes = Vec::new();
    if followup.has_local_counts() {
        notes.push("invisibles (jeunes NEET estimés sans suivi) : bas de la fourchette = NEET estimés − somme des jeunes suivis de toutes les sources (personne n'est compté deux fois et tous les jeunes suivis sont NEET) ; haut = NEET estimés − le plus grand nombre de jeunes suivis d'une source (chevauchement maximal entre sources) ; bornes ramenées à 0 au plus bas ; les tranches d'âge des sources diffèrent des 15-29 ans de l'estimation NEET : un ordre de grandeur".to_owned());
        notes.push("secret statistique : aucun nombre de jeunes suivis ni estimation d'invisibles inférieur à 11 n'est affiché (« < 11 ») ; les estimations sont arrondies à la dizaine".to_owned());
        let files: Vec<String> = followup
            .files
            .iter()
            .map(|f| format!("{} ({}, {} ans, {})", f.label, f.source, f.age_band, f.date))
            .collect();
        notes.push(format!("jeunes suivis : {}", files.join(" ; ")));
    } else if let Some(n) = &followup.national {
        notes.push(format!(
            "invisibles : aucun comptage local de jeunes suivis ; ordre de grandeur national de {} % des jeunes NEET sans contact avec le service public de l'emploi ({}), affiché comme tel, jamais mêlé à un comptage local ; {MAKE_IT_LOCAL}",
            crate::text::fr_decimal(n.share_pct, 1),
            n.source
        ));
    } else {
        notes.push(format!(
            "invisibles : aucun comptage local de jeunes suivis et aucun ordre de grandeur national chargés ; {MAKE_IT_LOCAL}"
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::followup::FollowedCount;
    use proptest::prelude::*;

    fn by(counts: &[(&str, u32)]) -> FollowedBySource {
        counts
            .iter()
            .map(|(s, c)| {
                (
                    (*s).to_owned(),
                    FollowedCount {
                        count: *c,
                        files: vec![],
                    },
                )
            })
            .collect()
    }

    proptest! {
        #[test]
        fn the_range_is_ordered_and_floored_at_zero(
            neet in -50f64..5_000.0,
            counts in proptest::collection::vec(0u32..3_000, 1..6),
        ) {
            let r = InvisiblesRange::of(neet, &counts).unwrap();
            prop_assert!(r.low >= 0.0 && r.high >= 0.0);
            prop_assert!(r.low <= r.high);
            let sum: f64 = counts.iter().map(|c| f64::from(*c)).sum();
            let max = f64::from(*counts.iter().max().unwrap());
            prop_assert!((r.low - (neet.max(0.0) - sum).max(0.0)).abs() < 1e-9);
            prop_assert!((r.high - (neet.max(0.0) - max).max(0.0)).abs() < 1e-9);
        }

        #[test]
        fn no_value_under_eleven_leaves_and_the_bounds_stay_ordered(
            neet in 0f64..3_000.0,
            counts in proptest::collection::vec((0usize..4, 0u32..400), 0..5),
        ) {
            let names = ["ML", "FT", "E2C", "PLIE"];
            let pairs: Vec<(&str, u32)> = counts.iter().map(|(i, c)| (names[*i], *c)).collect();
            let b = by(&pairs);
            let i = Invisibles::of(Some(neet), (!b.is_empty()).then_some(&b), &Followup::default());
            let json = serde_json::to_value(&i).unwrap();
            let mut numbers = Vec::new();
            collect_numbers(&json, &mut numbers);
            for v in numbers {
                prop_assert!(v >= 11.0, "{} in {}", v, json);
            }
            if let (Some(lo), Some(hi)) = (i.low_est, i.high_est) {
                prop_assert!(lo <= hi);
            }
        }
    }

    fn collect_numbers(v: &serde_json::Value, out: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => out.extend(n.as_f64()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect_numbers(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| collect_numbers(x, out)),
            _ => {}
        }
    }

    #[test]
    fn a_secret_count_reads_under_eleven_in_the_line() {
        let b = by(&[("ML", 7), ("FT", 40)]);
        let i = Invisibles::of(Some(104.0), Some(&b), &Followup::default());
        assert_eq!(i.followed[1].count, Disclosed::Secret);
        // Low: 104 − 47 = 57 → 60; high: 104 − 40 = 64 → 60 (rounded once, from the raw range).
        assert_eq!(i.low_est, Some(Disclosed::Value(60)));
        assert_eq!(i.high_est, Some(Disclosed::Value(60)));
        assert!(i.text.contains("ML < 11"), "{}", i.text);
        assert!(!i.text.contains(" 7 "), "{}", i.text);
    }

    #[test]
    fn without_counts_the_national_order_is_said_as_such() {
        let f = Followup {
            national: Some(NationalShare {
                share_pct: 25.0,
                source: "publication synthétique (test)".into(),
            }),
            ..Followup::default()
        };
        let i = Invisibles::of(Some(400.0), None, &f);
        assert_eq!(i.basis, InvisiblesBasis::NationalOrder);
        assert_eq!(i.national_order_est, Some(Disclosed::Value(100)));
        assert_eq!((i.low_est, i.high_est), (None, None));
        assert!(i.text.contains("ordre de grandeur national"), "{}", i.text);
        let none = Invisibles::of(Some(400.0), None, &Followup::default());
        assert_eq!(none.basis, InvisiblesBasis::Unavailable);
        assert!(none.text.contains("[[followup.counts]]"), "{}", none.text);
    }
}
