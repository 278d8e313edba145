//! The invisibles within reach of planned sites: how many NEET young people followed by no one
//! ([`crate::indicator::invisibles`]) live in the cells a coverage check reaches.
//!
//! Per commune reached, the unrounded range of its invisibles is multiplied by the share of
//! its young people that live in reached cells (invisibles are assumed to live like the young
//! people, as in the gap table's "invisibles estimés hors seuil"); the products are added over
//! the communes that have local follow-up counts, and the sums are disclosed once
//! ([`Disclosed::estimate`]: rounded to 10, "< 11" below 11).
//!
//! Communes reached without a local count are named, never filled in with the national order of
//! magnitude: that order is given only when no commune reached has a local count, applied to the
//! NEET estimated within reach, and said as such (never mixed with local counts in one figure).

use crate::indicator::invisibles::{InvisiblesBasis, InvisiblesRange};
use crate::indicator::secrecy::Disclosed;
use crate::manifest::NationalShare;
use crate::model::followup::Followup;

/// What would make the figure local, said briefly (the cards say it in full:
/// [`crate::indicator::invisibles::MAKE_IT_LOCAL`]).
pub const MAKE_IT_LOCAL_SHORT: &str = "pour une estimation locale, ajoutez au manifeste les comptages de jeunes suivis ([[followup.counts]] : mission locale, France Travail…)";

/// What one reached commune brings to the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachedArea {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The commune's NEET estimate, unrounded (`None` when the data lack it).
    pub neet_est: Option<f64>,
    /// Young people followed per source in the commune (empty without a local count).
    pub counts: Vec<u32>,
    /// Share of the commune's young people living in reached cells, 0 to 1.
    pub share_reached: f64,
}

/// The invisibles within reach. Every number is a [`Disclosed`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InvisiblesReached {
    /// What the figure rests on.
    pub basis: InvisiblesBasis,
    /// Low end (no young person counted by two sources), summed over the communes counted;
    /// `null` unless `local`.
    pub low_est: Option<Disclosed>,
    /// High end (largest overlap between sources); `null` unless `local`.
    pub high_est: Option<Disclosed>,
    /// Codes of the communes reached whose local counts make the figure, sorted.
    pub communes_counted: Vec<String>,
    /// Names of the communes reached without a local count (left out of the figure), sorted
    /// by code.
    pub communes_not_counted: Vec<String>,
    /// The national order of magnitude, when no commune reached has a local count.
    pub national: Option<NationalShare>,
    /// `national.share_pct` applied to the NEET estimated within reach; `null` unless
    /// `national_order`.
    pub national_order_est: Option<Disclosed>,
    /// The figure as read (French).
    pub text: String,
}

/// The invisibles within reach of a check, from the communes it reaches.
///
/// # Examples
/// ```
/// use repere_engine::coverage::invisibles::{ReachedArea, within_reach};
/// use repere_engine::indicator::secrecy::Disclosed;
/// use repere_engine::model::followup::Followup;
/// let a = ReachedArea { code: "76540".into(), name: "Rouen".into(), neet_est: Some(1000.0),
///     counts: vec![300, 200], share_reached: 0.5 };
/// // Range 500..700, half of it reached: 250..350, rounded once.
/// let r = within_reach(&[a], &Followup::default());
/// assert_eq!((r.low_est, r.high_est), (Some(Disclosed::Value(250)), Some(Disclosed::Value(350))));
/// ```
pub fn within_reach(areas: &[ReachedArea], followup: &Followup) -> InvisiblesReached {
    let mut sorted: Vec<&ReachedArea> = areas.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    let (mut low, mut high) = (0.0, 0.0);
    let mut counted = Vec::new();
    let mut not_counted = Vec::new();
    let mut neet_reached = 0.0;
    let mut any_neet = false;
    for a in &sorted {
        let share = if a.share_reached.is_finite() {
            a.share_reached.clamp(0.0, 1.0)
        } else {
            0.0
        };
        if let Some(n) = a.neet_est.filter(|n| n.is_finite()) {
            neet_reached += n.max(0.0) * share;
            any_neet = true;
        }
        match a.neet_est.and_then(|n| InvisiblesRange::of(n, &a.counts)) {
            Some(r) => {
                low += r.low * share;
                high += r.high * share;
                counted.push(a.code.clone());
            }
            None => not_counted.push(a.name.clone()),
        }
    }
    let empty = InvisiblesReached {
        basis: InvisiblesBasis::Unavailable,
        low_est: None,
        high_est: None,
        communes_counted: Vec::new(),
        communes_not_counted: Vec::new(),
        national: None,
        national_order_est: None,
        text: String::new(),
    };
    if !counted.is_empty() {
        let (lo, hi) = (Disclosed::estimate(low), Disclosed::estimate(high));
        let amount = if lo == hi {
            format!("{lo}")
        } else {
            format!("de {lo} à {hi}")
        };
        let names: Vec<&str> = sorted
            .iter()
            .filter(|a| counted.contains(&a.code))
            .map(|a| a.name.as_str())
            .collect();
        let mut text = format!(
            "{amount} jeunes NEET estimés sans suivi à portée (fourchette de chaque commune × part de ses jeunes dans les carreaux atteints ; communes comptées : {})",
            names.join(", ")
        );
        if !not_counted.is_empty() {
            text.push_str(&format!(
                " ; sans comptage local de jeunes suivis, non comptées : {}",
                not_counted.join(", ")
            ));
        }
        return InvisiblesReached {
            basis: InvisiblesBasis::Local,
            low_est: Some(lo),
            high_est: Some(hi),
            communes_counted: counted,
            communes_not_counted: not_counted,
            text,
            ..empty
        };
    }
    if followup.has_local_counts() {
        return InvisiblesReached {
            communes_not_counted: not_counted,
            text: "non estimés : aucune commune atteinte n'a de comptage de jeunes suivis dans les fichiers chargés".to_owned(),
            ..empty
        };
    }
    if let (Some(n), true) = (&followup.national, any_neet) {
        let est = Disclosed::estimate(neet_reached * n.share_pct / 100.0);
        return InvisiblesReached {
            basis: InvisiblesBasis::NationalOrder,
            national: Some(n.clone()),
            national_order_est: Some(est),
            text: format!(
                "aucun comptage local de jeunes suivis ; ordre de grandeur national : environ {est} jeunes NEET sans contact avec le service public de l'emploi à portée ({} % des NEET estimés à portée, {}), pas une estimation locale ; {MAKE_IT_LOCAL_SHORT}",
                crate::text::fr_decimal(n.share_pct, 1),
                n.source
            ),
            ..empty
        };
    }
    InvisiblesReached {
        text: format!(
            "non estimés : aucun comptage local de jeunes suivis ni ordre de grandeur national chargés ; {MAKE_IT_LOCAL_SHORT}"
        ),
        ..empty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn area(code: &str, neet: f64, counts: &[u32], share: f64) -> ReachedArea {
        ReachedArea {
            code: code.into(),
            name: format!("Commune {code}"),
            neet_est: Some(neet),
            counts: counts.to_vec(),
            share_reached: share,
        }
    }

    #[test]
    fn communes_without_counts_are_named_not_filled_in() {
        let f = Followup {
            national: Some(NationalShare {
                share_pct: 25.0,
                source: "publication synthétique (test)".into(),
            }),
            ..Followup::default()
        };
        let r = within_reach(
            &[
                area("76002", 400.0, &[], 1.0),
                area("76001", 300.0, &[100, 50], 0.5),
            ],
            &f,
        );
        assert_eq!(r.basis, InvisiblesBasis::Local);
        // Low (300 − 150) × 0.5 = 75 → 80; high (300 − 100) × 0.5 = 100.
        assert_eq!(r.low_est, Some(Disclosed::Value(80)));
        assert_eq!(r.high_est, Some(Disclosed::Value(100)));
        assert_eq!(r.communes_counted, vec!["76001".to_owned()]);
        assert_eq!(r.communes_not_counted, vec!["Commune 76002".to_owned()]);
        assert_eq!(r.national_order_est, None);
        assert!(
            r.text.contains("non comptées : Commune 76002"),
            "{}",
            r.text
        );
    }

    #[test]
    fn without_local_counts_the_national_order_is_applied_to_the_neet_within_reach() {
        let f = Followup {
            national: Some(NationalShare {
                share_pct: 25.0,
                source: "publication synthétique (test)".into(),
            }),
            ..Followup::default()
        };
        let r = within_reach(&[area("76001", 800.0, &[], 0.5)], &f);
        assert_eq!(r.basis, InvisiblesBasis::NationalOrder);
        assert_eq!(r.national_order_est, Some(Disclosed::Value(100)));
        assert_eq!((r.low_est, r.high_est), (None, None));
        assert!(r.text.contains("pas une estimation locale"), "{}", r.text);
        let none = within_reach(&[area("76001", 800.0, &[], 0.5)], &Followup::default());
        assert_eq!(none.basis, InvisiblesBasis::Unavailable);
        assert!(none.text.contains("[[followup.counts]]"), "{}", none.text);
    }

    #[test]
    fn a_small_reach_is_secret() {
        let r = within_reach(&[area("76001", 300.0, &[100], 0.05)], &Followup::default());
        // (300 − 100) × 0.05 = 10: secret.
        assert_eq!(r.low_est, Some(Disclosed::Secret));
        assert!(r.text.starts_with("< 11 jeunes"), "{}", r.text);
    }

    proptest! {
        #[test]
        fn the_reach_range_is_ordered_and_never_under_eleven(
            parts in proptest::collection::vec(
                (0f64..3_000.0, proptest::collection::vec(0u32..800, 0..3), 0f64..1.0), 1..5),
        ) {
            let areas: Vec<ReachedArea> = parts
                .iter()
                .enumerate()
                .map(|(i, (n, c, s))| area(&format!("7600{i}"), *n, c, *s))
                .collect();
            let r = within_reach(&areas, &Followup::default());
            if let (Some(lo), Some(hi)) = (r.low_est, r.high_est) {
                prop_assert!(lo <= hi);
            }
            for d in [r.low_est, r.high_est, r.national_order_est].into_iter().flatten() {
                if let Some(v) = d.value() {
                    prop_assert!(v >= 11 && v % 10 == 0);
                }
            }
        }
    }
}
