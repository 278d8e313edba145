//! What a young person reached is worth in the selection: one each (`youth`), weighted by the
//! priority score of their commune (`priority`: score / 100, so a young person of the
//! top-ranked commune counts close to 1 and one of a commune scored 0 counts 0), or the
//! estimated invisibles among them (`invisibles`: the commune's disclosed central estimate of
//! NEET young people followed by no one, spread over its cells like its young people — the
//! assumption of [`crate::indicator::invisibles::outside_threshold_est`]; only with the
//! territory's follow-up counts).

use std::collections::HashMap;

use crate::dataset::Dataset;
use crate::diagnostic::Diagnostics;
use crate::gaps::gap_grid::GapGrid;
use crate::ranking::Ranking;

use super::error::PortfolioError;

/// How young people reached are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Each young person 15-29 counts 1.
    #[default]
    Youth,
    /// Each counts the priority score of their commune / 100.
    Priority,
    /// Estimated invisibles (NEET followed by no one) instead of young people.
    Invisibles,
}

impl Weighting {
    /// Parses `youth`/`jeunes`, `priority`/`priorite`/`score`, `invisibles`.
    ///
    /// # Errors
    /// [`PortfolioError::Field`] naming `weighting`.
    pub fn parse(text: &str) -> Result<Self, PortfolioError> {
        match text.trim().to_lowercase().as_str() {
            "" | "youth" | "jeunes" | "none" | "aucune" => Ok(Self::Youth),
            "priority" | "priorite" | "priorité" | "score" | "ranking" => Ok(Self::Priority),
            "invisibles" => Ok(Self::Invisibles),
            _ => Err(PortfolioError::field(
                "weighting",
                format!(
                    "pondération « {text} » inconnue : attendu youth (chaque jeune compte 1), priority (score de priorité de la commune) ou invisibles (invisibles estimés)"
                ),
            )),
        }
    }

    /// The code (`youth`, `priority`, `invisibles`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Youth => "youth",
            Self::Priority => "priority",
            Self::Invisibles => "invisibles",
        }
    }

    /// What the value counts (French, plural).
    pub fn unit_fr(self) -> &'static str {
        match self {
            Self::Youth => "jeunes de 15 à 29 ans nouvellement atteints",
            Self::Priority => {
                "jeunes nouvellement atteints pondérés par le score de priorité de leur commune"
            }
            Self::Invisibles => "invisibles estimés nouvellement atteints",
        }
    }

    /// How the weight is made (French, for the method note).
    pub fn method_fr(self) -> &'static str {
        match self {
            Self::Youth => "chaque jeune de 15 à 29 ans nouvellement atteint compte 1",
            Self::Priority => {
                "chaque jeune nouvellement atteint compte le score de priorité de sa commune divisé par 100 (classement avec les poids par défaut)"
            }
            Self::Invisibles => {
                "chaque carreau compte les invisibles estimés de sa commune (milieu de la fourchette, tel que publié) répartis comme ses jeunes de 15 à 29 ans"
            }
        }
    }
}

/// The weight of each grid cell's young people under `weighting`, for the cells asked.
///
/// # Errors
/// [`PortfolioError::Field`] naming `weighting` when it asks for invisibles and the territory
/// has no follow-up counts.
pub fn cell_weights(
    ds: &Dataset,
    gg: &GapGrid,
    diagnostics: &Diagnostics,
    ranking: &Ranking,
    weighting: Weighting,
    cells: &[usize],
) -> Result<HashMap<usize, f64>, PortfolioError> {
    if weighting == Weighting::Invisibles && !ds.followup.has_local_counts() {
        return Err(PortfolioError::field(
            "weighting",
            format!(
                "pondération par les invisibles impossible : le territoire ({}) n'a pas de données de suivi des jeunes ([[followup.counts]] du manifeste) ; choisissez youth ou priority",
                ds.name
            ),
        ));
    }
    // Per commune (dataset index): the factor applied to a cell's young people.
    let mut factor: HashMap<usize, f64> = HashMap::new();
    let mut factor_of = |commune: usize| -> f64 {
        *factor.entry(commune).or_insert_with(|| {
            let Some(c) = ds.communes.get(commune) else {
                return 0.0;
            };
            match weighting {
                Weighting::Youth => 1.0,
                Weighting::Priority => ranking
                    .entries
                    .iter()
                    .find(|e| e.code == c.code)
                    .map_or(0.0, |e| (e.score / 100.0).clamp(0.0, 1.0)),
                Weighting::Invisibles => {
                    let Some(d) = diagnostics.commune(&c.code) else {
                        return 0.0;
                    };
                    let inv = d
                        .invisibles
                        .central_est
                        .and_then(|x| x.value())
                        .map_or(0.0, f64::from);
                    match d.youth_15_29.value {
                        Some(y) if y > 0.0 => inv / y,
                        _ => 0.0,
                    }
                }
            }
        })
    };
    Ok(cells
        .iter()
        .filter_map(|&k| gg.grid.cells.get(k).map(|c| (k, c)))
        .map(|(k, c)| (k, c.youth_15_29 * factor_of(c.commune)))
        .collect())
}
