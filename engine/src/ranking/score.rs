//! The composite score and the ranking.
//!
//! Each component's raw value is min-max normalised over the communes that have it, to [0, 1]
//! where 1 means "most priority" (for weak accessibility the index is inverted). A commune's
//! score is `100 × Σ_k w_k · n_k / Σ_k w_k` over the components available in the territory. A
//! component is unavailable when no commune has a value or all values are equal (it then
//! carries no information and its weight is left out); a commune missing a value gets 0 for
//! that component, and its explanation says so. Ties (equal scores to 1e-9) are broken by
//! commune code, so the order is stable.

use crate::codes::CommuneCode;
use crate::diagnostic::{CommuneDiagnostic, Diagnostics};
use crate::ranking::weights::{Component, Weights};

/// A component as used in a ranking.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComponentInfo {
    /// Key (`neet`, `neet_count`, `youth_qpv`, `access`, `distance`, `invisibles`).
    pub key: &'static str,
    /// The diagnostic field of the raw value ([`Component::field`]; its source and vintage in
    /// `GET /api/fields`).
    pub field: &'static str,
    /// French label.
    pub label: &'static str,
    /// Unit of the raw values, in French ([`Component::unit`]).
    pub unit: &'static str,
    /// Weight given.
    pub weight: f64,
    /// Whether it enters the score.
    pub available: bool,
    /// Lowest raw value over the communes.
    pub min: Option<f64>,
    /// Highest raw value.
    pub max: Option<f64>,
    /// Why unavailable, or how it is computed from partial data.
    pub note: Option<String>,
}

/// One component of one commune's score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComponentScore {
    /// Component key.
    pub key: &'static str,
    /// Raw value (unit by key: `neet` percent, `neet_count` and `youth_qpv` persons, `access`
    /// weighted actors per 1000 young people, `distance` metres).
    pub value: Option<f64>,
    /// Normalised value in [0, 1], 1 = most priority (`null` when unavailable or missing).
    pub normalised: Option<f64>,
    /// Weight share of the component, `w_k / Σ w`, over available components.
    pub weight_share: f64,
    /// Points this component adds to the score (0-100 scale).
    pub points: f64,
    /// The value exists but is under the secrecy threshold (`invisibles`: written "< 11",
    /// counted as the lowest); present only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

/// One commune's place in the ranking.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankEntry {
    /// 1-based rank.
    pub rank: usize,
    /// Commune code.
    pub code: CommuneCode,
    /// Commune name.
    pub name: String,
    /// Score, 0-100 (higher = more priority).
    pub score: f64,
    /// The score, component by component (sums to `score`).
    pub components: Vec<ComponentScore>,
}

/// A ranking of the communes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ranking {
    /// Weights used.
    pub weights: Weights,
    /// The components, with availability.
    pub components: Vec<ComponentInfo>,
    /// Communes by decreasing score, ties by code.
    pub entries: Vec<RankEntry>,
}

fn raw(c: &CommuneDiagnostic, k: Component) -> Option<f64> {
    match k {
        Component::NeetShare => c.neet_share_2018_pct.value,
        Component::NeetCount => c.estimated_neet_count.value,
        Component::YouthInQpv => c.youth_15_29_in_qpv_est.value,
        Component::WeakAccess => c.accessibility_index_per_1000.value,
        Component::DistanceMlFt => c.distance_to_nearest_ml_ft_m.value,
        // The disclosed middle of the range: a secret one has no value (it ranks lowest).
        Component::Invisibles => c
            .invisibles
            .central_est
            .and_then(|d| d.value())
            .map(f64::from),
    }
}

/// Whether the commune's value of `k` exists but is secret.
fn secret(c: &CommuneDiagnostic, k: Component) -> bool {
    k == Component::Invisibles && c.invisibles.central_est.is_some_and(|d| d.is_secret())
}

/// Ranks the communes of `diagnostics` with `weights`.
pub fn rank(diagnostics: &Diagnostics, weights: &Weights) -> Ranking {
    let communes = &diagnostics.communes;
    let ml_absent = diagnostics
        .absent_groups
        .contains(&crate::model::actor::ActorGroup::MissionLocale.code());
    let ft_absent = diagnostics
        .absent_groups
        .contains(&crate::model::actor::ActorGroup::FranceTravail.code());
    let mut infos = Vec::new();
    for k in Component::ALL {
        let values: Vec<f64> = communes
            .iter()
            .filter_map(|c| raw(c, k))
            .filter(|v| v.is_finite())
            .collect();
        let min = values.iter().copied().min_by(f64::total_cmp);
        let max = values.iter().copied().max_by(f64::total_cmp);
        let mut note = None;
        let available = match (min, max) {
            (Some(lo), Some(hi)) if hi > lo => true,
            (Some(_), Some(_)) => {
                note = Some(
                    "toutes les communes ont la même valeur : la composante n'apporte aucune information"
                        .to_owned(),
                );
                false
            }
            _ => {
                note = Some("aucune commune n'a de valeur dans les données".to_owned());
                false
            }
        };
        if k == Component::DistanceMlFt {
            note = match (ml_absent, ft_absent) {
                (true, true) => {
                    Some("ni mission locale ni France Travail dans les données : composante indisponible".to_owned())
                }
                (true, false) => Some(
                    "aucune mission locale dans les données : distance au France Travail le plus proche seulement"
                        .to_owned(),
                ),
                (false, true) => Some(
                    "aucun France Travail dans les données : distance à la mission locale la plus proche seulement"
                        .to_owned(),
                ),
                _ => note,
            };
        }
        if k == Component::Invisibles && !available && note.is_some() {
            note = Some(
                "aucun comptage local de jeunes suivis (ou un seul niveau partout) : composante indisponible ; voir la ligne « invisibles » des fiches".to_owned(),
            );
        }
        if k == Component::Invisibles && available {
            note = Some("milieu de la fourchette d'invisibles estimés, arrondi à la dizaine ; « < 11 » compte comme la plus basse valeur".to_owned());
        }
        if k == Component::NeetCount || k == Component::YouthInQpv {
            note =
                note.or_else(|| Some("une estimation : voir les notes des diagnostics".to_owned()));
        }
        infos.push(ComponentInfo {
            key: k.key(),
            field: k.field(),
            label: k.label(),
            unit: k.unit(),
            weight: weights.get(k),
            available,
            min,
            max,
            note,
        });
    }
    // Shares are computed on weights scaled by the largest one, so that huge weights (the
    // fields are public) cannot overflow their sum.
    let scale = Component::ALL
        .iter()
        .map(|k| weights.get(*k))
        .filter(|w| w.is_finite())
        .fold(0.0_f64, f64::max);
    let scaled = |k: Component| {
        let w = weights.get(k);
        if scale > 0.0 && w.is_finite() {
            w / scale
        } else {
            0.0
        }
    };
    let total_weight: f64 = Component::ALL
        .iter()
        .zip(&infos)
        .filter(|(_, i)| i.available)
        .map(|(k, _)| scaled(*k))
        .sum();
    let mut entries: Vec<RankEntry> = communes
        .iter()
        .map(|c| {
            let components: Vec<ComponentScore> = Component::ALL
                .iter()
                .zip(&infos)
                .map(|(&k, info)| {
                    let value = raw(c, k);
                    let weight_share = if info.available && total_weight > 0.0 {
                        scaled(k) / total_weight
                    } else {
                        0.0
                    };
                    let secret = secret(c, k);
                    let normalised = match (info.available, value, info.min, info.max) {
                        // Under 11: below every disclosed value, so the lowest.
                        (true, None, Some(_), Some(_)) if secret => Some(0.0),
                        (true, Some(v), Some(lo), Some(hi)) => {
                            let n = (v - lo) / (hi - lo);
                            Some(if k == Component::WeakAccess {
                                1.0 - n
                            } else {
                                n
                            })
                        }
                        _ => None,
                    };
                    ComponentScore {
                        key: k.key(),
                        value,
                        normalised,
                        weight_share,
                        points: 100.0 * weight_share * normalised.unwrap_or(0.0),
                        secret,
                    }
                })
                .collect();
            RankEntry {
                rank: 0,
                code: c.code.clone(),
                name: c.name.clone(),
                score: components.iter().map(|s| s.points).sum(),
                components,
            }
        })
        .collect();
    let key = |s: f64| (s * 1e9).round();
    entries.sort_by(|a, b| {
        key(b.score)
            .total_cmp(&key(a.score))
            .then_with(|| a.code.cmp(&b.code))
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e.rank = i + 1;
    }
    Ranking {
        weights: *weights,
        components: infos,
        entries,
    }
}
