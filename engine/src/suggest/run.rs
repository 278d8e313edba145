//! The suggestion: greedy maximal covering of the young people in a group's gap cells.
//!
//! Elements are the grid cells beyond the threshold (on foot) of every existing actor of the
//! group — the group's gap cells, exactly those the coverage check counts as "newly covered" —
//! weighted by their estimated young people (15-29). A candidate covers the cells whose centre
//! lies within the threshold's walking distance, as in [`crate::coverage::check()`] on foot. Each
//! step adds the candidate with the largest marginal gain (young people newly covered); the
//! result is at least `(1 - 1/e)` ≈ 63 % of the best possible choice of `k` candidates, and the
//! best for `k = 1` (see [`super::greedy`]). When the data hold no actor of the group, every
//! young person is beyond the threshold.

use crate::coverage::check::{Mode, covered_by_existing};
use crate::dataset::Dataset;
use crate::gaps::gap_grid::GapGrid;
use crate::model::actor::ActorGroup;
use crate::transit::isochrone;
use crate::walking::WalkModel;

use super::candidates::Candidate;
use super::greedy::{CoverInstance, greedy_max_cover};

/// Most candidates a suggestion accepts.
pub const MAX_CANDIDATES: usize = 1000;

/// Parameters of a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SuggestParams {
    /// The group whose gaps are to be covered (the service the permanence would offer).
    pub group: ActorGroup,
    /// Threshold, minutes on foot (0 < t ≤ 120).
    pub threshold_min: f64,
    /// Number of structures to suggest (1 ≤ k ≤ candidates).
    pub k: usize,
}

/// One suggested structure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SuggestedSite {
    /// Rank of the pick, from 1.
    pub rank: usize,
    /// The structure.
    pub candidate: Candidate,
    /// Young people 15-29 of the group's gap cells this pick newly brings within the threshold,
    /// beyond the previous picks (non-increasing from one pick to the next).
    pub marginal_gain_youth: f64,
    /// Gap cells newly covered by this pick.
    pub marginal_gap_cells: usize,
    /// Young people covered by the picks so far.
    pub cumulative_youth: f64,
    /// INSEE code of the structure's commune.
    pub commune: Option<String>,
    /// QPV the structure lies in, if any.
    pub qpv: Option<String>,
}

/// The result of a suggestion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suggestion {
    /// Group.
    pub group: ActorGroup,
    /// Its French label.
    pub group_label: &'static str,
    /// Whether the data hold an actor of the group.
    pub group_in_data: bool,
    /// Threshold, minutes on foot.
    pub threshold_min: f64,
    /// Picks asked for.
    pub k: usize,
    /// Candidates considered.
    pub candidates: usize,
    /// Gap cells of the group (beyond the threshold of every existing actor of the group).
    pub gap_cells: usize,
    /// Young people 15-29 in them.
    pub gap_youth: f64,
    /// The picks, in order.
    pub picks: Vec<SuggestedSite>,
    /// How the suggestion is made (French).
    pub method: String,
}

/// Bad parameters or candidates; nothing is computed then.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SuggestError {
    /// Threshold out of (0, 120].
    #[error("champ minutes : {0}")]
    Threshold(#[from] crate::minutes::MinutesError),
    /// No candidate.
    #[error("champ candidates : aucune structure candidate utilisable")]
    NoCandidate,
    /// Too many candidates.
    #[error("champ candidates : {0} structures candidates, au plus 1000 acceptées")]
    TooManyCandidates(usize),
    /// k is 0 or above the number of candidates.
    #[error(
        "champ k : {k} structures demandées, il en faut entre 1 et {candidates} (nombre de candidates)"
    )]
    K {
        /// Asked.
        k: usize,
        /// Candidates available.
        candidates: usize,
    },
    /// A candidate outside the territory.
    #[error(
        "structure candidate n° {position} ({name}), champs lon/lat : le point ({lon}, {lat}) est hors du territoire (aucune commune membre ne le contient)"
    )]
    OutsideTerritory {
        /// Position from 1.
        position: usize,
        /// Name.
        name: String,
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

/// The maximal covering instance of a group's gap cells: element `i` is gap cell `cells[i]`.
pub fn cover_instance(
    gg: &GapGrid,
    walk: &WalkModel,
    group: ActorGroup,
    threshold_min: f64,
    candidates: &[Candidate],
) -> (CoverInstance, Vec<usize>) {
    let gi = gg.group_index(group);
    let mut element_of = vec![usize::MAX; gg.grid.cells.len()];
    let mut cells = Vec::new();
    let mut weights = Vec::new();
    for (k, c) in gg.grid.cells.iter().enumerate() {
        let gap = c.youth_15_29 > 0.0
            && !gi.is_some_and(|gi| covered_by_existing(gg, k, gi, threshold_min, Mode::Walk));
        if gap {
            element_of[k] = cells.len();
            cells.push(k);
            weights.push(c.youth_15_29);
        }
    }
    let thr_s = threshold_min * 60.0;
    let reach_m = walk.params().reach_m(thr_s);
    let covers = candidates
        .iter()
        .map(|cand| {
            let within: Vec<usize> = match walk {
                WalkModel::StraightLine(_) => {
                    gg.grid.cells_within(cand.point_l93, reach_m).collect()
                }
                WalkModel::Network(_) => {
                    isochrone::walk_cells(&gg.grid, cand.point_l93, thr_s, walk)
                        .into_keys()
                        .collect()
                }
            };
            let mut v: Vec<usize> = within
                .into_iter()
                .map(|k| element_of[k])
                .filter(|&e| e != usize::MAX)
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    (CoverInstance { weights, covers }, cells)
}

/// Suggests `k` host structures among `candidates` for `group` at `threshold_min` on foot.
///
/// # Errors
/// [`SuggestError`] for a threshold out of range, no or too many candidates, `k` out of
/// `1..=candidates`, or a candidate outside the territory.
pub fn suggest(
    ds: &Dataset,
    gg: &GapGrid,
    walk: &WalkModel,
    candidates: &[Candidate],
    params: &SuggestParams,
) -> Result<Suggestion, SuggestError> {
    let thr = params.threshold_min;
    crate::minutes::Minutes::new(thr)?;
    if candidates.is_empty() {
        return Err(SuggestError::NoCandidate);
    }
    if candidates.len() > MAX_CANDIDATES {
        return Err(SuggestError::TooManyCandidates(candidates.len()));
    }
    if params.k == 0 || params.k > candidates.len() {
        return Err(SuggestError::K {
            k: params.k,
            candidates: candidates.len(),
        });
    }
    for (i, c) in candidates.iter().enumerate() {
        if ds.commune_at_l93(c.point_l93).is_none() {
            return Err(SuggestError::OutsideTerritory {
                position: i + 1,
                name: c.name.clone(),
                lon: c.lon,
                lat: c.lat,
            });
        }
    }
    let (inst, cells) = cover_instance(gg, walk, params.group, thr, candidates);
    let picks = greedy_max_cover(&inst, params.k);
    let vintage = gg.grid.qpv_vintage.unwrap_or(2024);
    let mut seen = vec![false; cells.len()];
    let mut cumulative = 0.0;
    let picks = picks
        .iter()
        .enumerate()
        .map(|(r, p)| {
            let mut n = 0;
            for &e in &inst.covers[p.candidate] {
                if !seen[e] {
                    seen[e] = true;
                    n += 1;
                }
            }
            cumulative += p.gain;
            let c = &candidates[p.candidate];
            SuggestedSite {
                rank: r + 1,
                candidate: c.clone(),
                marginal_gain_youth: p.gain,
                marginal_gap_cells: n,
                cumulative_youth: cumulative,
                commune: ds
                    .commune_at_l93(c.point_l93)
                    .map(|i| ds.communes[i].code.to_string()),
                qpv: ds
                    .qpv_at_l93(c.point_l93, vintage)
                    .map(|q| ds.qpv[q].code.to_string()),
            }
        })
        .collect();
    Ok(Suggestion {
        group: params.group,
        group_label: params.group.label(),
        group_in_data: gg.group_index(params.group).is_some(),
        threshold_min: thr,
        k: params.k,
        candidates: candidates.len(),
        gap_cells: cells.len(),
        gap_youth: inst.weights.iter().sum(),
        picks,
        method: format!(
            "couverture maximale gloutonne : à chaque étape, la structure qui rapproche à moins de {thr} min à pied ({}) le plus de jeunes de 15-29 ans des carreaux de {} m hors seuil de tout acteur du groupe « {} » ; garantie : au moins 1 − 1/e ≈ 63 % du meilleur choix possible de {} structures, le meilleur pour une seule",
            walk_note(walk),
            gg.grid.cell_m,
            params.group.label(),
            params.k
        ),
    })
}

/// The walk in the method note: "vol d'oiseau × 1,3 à 4,5 km/h" or the network's.
fn walk_note(walk: &WalkModel) -> String {
    let p = walk.params();
    match walk {
        WalkModel::StraightLine(_) => format!(
            "vol d'oiseau × {} à {} km/h",
            crate::text::fr_decimal(p.detour_factor, 2),
            crate::text::fr_decimal(p.speed_kmh, 2)
        ),
        WalkModel::Network(_) => walk.method_note(),
    }
}
