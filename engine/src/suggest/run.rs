//! The suggestion: exact maximal covering of the young people in a group's gap cells, with the
//! existing actors and the planned sites fixed.
//!
//! Elements are the grid cells beyond the threshold (on foot) of every existing actor of the
//! group **and** of every planned site offering the group's service (or no service named) —
//! the cells the coverage check counts as "newly covered" — weighted by their estimated young
//! people (15-29): what fixed sites reach is already reached, never a gain. A candidate covers
//! the cells whose centre lies within the threshold's walking distance, as in
//! [`crate::coverage::check()`] on foot. Candidates within [`FIXED_EXCLUSION_M`] of an existing
//! actor of the group or of a planned site are never proposed. The `k` places are chosen by the
//! mixed-integer programme of [`super::exact`] (HiGHS, greedy start, certificate); the picks are
//! listed in greedy order within the chosen set, so that each gain is the young people a pick
//! adds to those before it. The curve gives the young people newly reached for 1 … `curve_k`
//! places: exact up to [`EXACT_CURVE_MAX_K`], greedy beyond. When the data hold no actor of the
//! group, every young person is beyond the threshold.

use crate::coverage::Site;
use crate::coverage::check::{Mode, covered_by_existing};
use crate::dataset::Dataset;
use crate::gaps::gap_grid::GapGrid;
use crate::model::actor::ActorGroup;
use crate::transit::isochrone;
use crate::walking::WalkModel;

use super::candidates::{Candidate, CandidateSource};
use super::exact::{Certificate, DEFAULT_TIME_LIMIT_S, Proof, SolveModel, solve_max_cover};
use super::greedy::{CoverInstance, greedy_max_cover};

/// Most candidates of a user's list.
pub const MAX_CANDIDATES: usize = 1000;

/// Most candidates in all (host structures and QPV cells of a large territory).
pub const MAX_ALL_CANDIDATES: usize = 20_000;

/// A candidate this close to an existing actor of the group or to a planned site is the same
/// place: it is never proposed, metres.
pub const FIXED_EXCLUSION_M: f64 = 150.0;

/// The curve is exact up to this number of places.
pub const EXACT_CURVE_MAX_K: usize = 10;

/// Most places of the curve.
pub const MAX_CURVE_K: usize = 30;

/// Parameters of a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SuggestParams {
    /// The group whose gaps are to be covered (the service the permanence would offer).
    pub group: ActorGroup,
    /// Threshold, minutes on foot (0 < t ≤ 120).
    pub threshold_min: f64,
    /// Number of places to suggest (1 ≤ k ≤ candidates).
    pub k: usize,
    /// The curve goes from 1 to `max(k, curve_k)` places (at most [`MAX_CURVE_K`] and the
    /// number of candidates).
    pub curve_k: usize,
    /// Time limit of each exact solve, seconds (0 < t ≤ 60).
    pub time_limit_s: f64,
}

impl SuggestParams {
    /// `k` places for `group` at `threshold_min`, with a curve to 10 places and the default
    /// time limit.
    pub fn new(group: ActorGroup, threshold_min: f64, k: usize) -> Self {
        Self {
            group,
            threshold_min,
            k,
            curve_k: EXACT_CURVE_MAX_K,
            time_limit_s: DEFAULT_TIME_LIMIT_S,
        }
    }
}

/// One suggested place.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SuggestedSite {
    /// Rank of the pick, from 1.
    pub rank: usize,
    /// The place.
    pub candidate: Candidate,
    /// Young people 15-29 of the group's gap cells this pick newly brings within the threshold,
    /// beyond the previous picks (non-increasing from one pick to the next).
    pub marginal_gain_youth: f64,
    /// Gap cells newly covered by this pick.
    pub marginal_gap_cells: usize,
    /// Young people covered by the picks so far.
    pub cumulative_youth: f64,
    /// INSEE code of the place's commune.
    pub commune: Option<String>,
    /// QPV the place lies in, if any.
    pub qpv: Option<String>,
}

/// One point of the curve: the young people newly reached by the best `k` places.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CurvePoint {
    /// Number of places.
    pub k: usize,
    /// Young people 15-29 of the gap cells they bring within the threshold.
    pub youth_reached: f64,
    /// The model of this point (exact up to [`EXACT_CURVE_MAX_K`], greedy beyond).
    pub model: CurveModel,
    /// What is proven for this point (`None` for a greedy point beyond the exact range).
    pub proof: Option<Proof>,
    /// Its relative optimality gap, percent (`None` for a greedy point).
    pub gap_pct: Option<f64>,
}

/// The model of a curve point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveModel {
    /// The mixed-integer programme.
    Exact,
    /// Greedy: beyond the exact range, or the solver's fallback.
    Greedy,
}

/// The sites held fixed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FixedSites {
    /// Placed actors of the group (their reach is the gap grid's "already covered").
    pub actors: usize,
    /// Planned sites given (stored or open projects, the page's scenario).
    pub planned: usize,
    /// Of those, the sites offering the group's service (or none named): their reach counts as
    /// already reached.
    pub planned_for_group: usize,
    /// Young people 15-29 the planned sites bring within the threshold beyond the existing
    /// actors: already reached, never counted as a gain.
    pub planned_youth: f64,
    /// Candidates left out for lying within [`FIXED_EXCLUSION_M`] of a fixed site.
    pub candidates_excluded: usize,
}

/// Candidates by source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CandidateCounts {
    /// Host structures of suitable kinds.
    pub host: usize,
    /// QPV cells.
    pub qpv_cell: usize,
    /// The user's places.
    pub user: usize,
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
    /// Candidates considered (after leaving out those at fixed sites).
    pub candidates: usize,
    /// Of which, by source.
    pub candidates_by_source: CandidateCounts,
    /// The sites held fixed.
    pub fixed: FixedSites,
    /// Gap cells of the group (beyond the threshold of every existing actor of the group and
    /// every planned site offering its service).
    pub gap_cells: usize,
    /// Young people 15-29 in them.
    pub gap_youth: f64,
    /// The picks, in greedy order within the chosen set.
    pub picks: Vec<SuggestedSite>,
    /// What ran and what is proven for the `k` picks.
    pub certificate: Certificate,
    /// Young people newly reached by the best 1, 2, … places.
    pub curve: Vec<CurvePoint>,
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
    /// Too many candidates in all.
    #[error("champ candidates : {0} lieux candidats en tout, au plus 20000 acceptés")]
    TooManyInAll(usize),
    /// Time limit out of (0, 60].
    #[error(
        "champ time_limit_s : {0} s, la limite de temps du solveur doit être comprise entre 0 (exclu) et 60 secondes"
    )]
    TimeLimit(f64),
    /// Curve length out of range.
    #[error("champ curve_k : {0} points de courbe demandés, il en faut entre 1 et 30")]
    CurveK(usize),
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

/// The grid cells within the threshold's walk of `point_l93`.
fn cells_reached(gg: &GapGrid, walk: &WalkModel, point_l93: geo::Point, thr_s: f64) -> Vec<usize> {
    match walk {
        WalkModel::StraightLine(_) => gg
            .grid
            .cells_within(point_l93, walk.params().reach_m(thr_s))
            .collect(),
        WalkModel::Network(_) => isochrone::walk_cells(&gg.grid, point_l93, thr_s, walk)
            .into_keys()
            .collect(),
    }
}

/// Whether a planned site's reach counts for `group`: it offers the group's service, or names
/// none.
fn serves(site: &Site, group: ActorGroup) -> bool {
    site.group.is_none_or(|g| g == group)
}

/// The maximal covering instance of a group's gap cells: element `i` is gap cell `cells[i]`.
/// Cells reached by a planned site serving the group ([`Site::group`] equal or `None`) are not
/// gap cells; the second vector lists those cells (with young people) beyond the existing
/// actors.
pub fn cover_instance(
    gg: &GapGrid,
    walk: &WalkModel,
    group: ActorGroup,
    threshold_min: f64,
    candidates: &[Candidate],
    planned: &[Site],
) -> (CoverInstance, Vec<usize>, Vec<usize>) {
    let gi = gg.group_index(group);
    let thr_s = threshold_min * 60.0;
    let mut planned_reach = vec![false; gg.grid.cells.len()];
    for s in planned.iter().filter(|s| serves(s, group)) {
        for k in cells_reached(gg, walk, s.point_l93, thr_s) {
            if let Some(x) = planned_reach.get_mut(k) {
                *x = true;
            }
        }
    }
    let mut element_of = vec![usize::MAX; gg.grid.cells.len()];
    let mut cells = Vec::new();
    let mut planned_cells = Vec::new();
    let mut weights = Vec::new();
    for (k, c) in gg.grid.cells.iter().enumerate() {
        let gap = c.youth_15_29 > 0.0
            && !gi.is_some_and(|gi| covered_by_existing(gg, k, gi, threshold_min, Mode::Walk));
        if gap && planned_reach[k] {
            planned_cells.push(k);
        } else if gap {
            element_of[k] = cells.len();
            cells.push(k);
            weights.push(c.youth_15_29);
        }
    }
    let covers = candidates
        .iter()
        .map(|cand| {
            let mut v: Vec<usize> = cells_reached(gg, walk, cand.point_l93, thr_s)
                .into_iter()
                .filter_map(|k| element_of.get(k).copied())
                .filter(|&e| e != usize::MAX)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    (CoverInstance { weights, covers }, cells, planned_cells)
}

/// The candidates that are not at a fixed site: farther than [`FIXED_EXCLUSION_M`] from every
/// placed actor of `group` and every planned site.
fn away_from_fixed(
    ds: &Dataset,
    group: ActorGroup,
    candidates: &[Candidate],
    planned: &[Site],
) -> Vec<Candidate> {
    use geo::Distance;
    let fixed: Vec<geo::Point> = ds
        .actors
        .iter()
        .filter(|a| a.kind.group() == group)
        .map(|a| a.point_l93)
        .chain(planned.iter().map(|s| s.point_l93))
        .collect();
    candidates
        .iter()
        .filter(|c| {
            fixed
                .iter()
                .all(|f| geo::Euclidean.distance(*f, c.point_l93) > FIXED_EXCLUSION_M)
        })
        .cloned()
        .collect()
}

/// The instance a suggestion solves: the candidates kept (those away from fixed sites) and
/// the maximal covering instance over them (what `repere suggest --export-matrix` writes for
/// an outside solver).
pub fn suggest_instance(
    ds: &Dataset,
    gg: &GapGrid,
    walk: &WalkModel,
    candidates: &[Candidate],
    planned: &[Site],
    group: ActorGroup,
    threshold_min: f64,
) -> (CoverInstance, Vec<Candidate>) {
    let kept = away_from_fixed(ds, group, candidates, planned);
    let (inst, _, _) = cover_instance(gg, walk, group, threshold_min, &kept, planned);
    (inst, kept)
}

/// The chosen candidates in greedy order within the set, with their marginal gains.
fn ordered(inst: &CoverInstance, chosen: &[usize]) -> Vec<(usize, f64)> {
    let sub = CoverInstance {
        weights: inst.weights.clone(),
        covers: chosen
            .iter()
            .map(|&c| inst.covers.get(c).cloned().unwrap_or_default())
            .collect(),
    };
    greedy_max_cover(&sub, chosen.len())
        .iter()
        .map(|p| (chosen[p.candidate], p.gain))
        .collect()
}

/// Suggests `params.k` places among `candidates` for `params.group` at
/// `params.threshold_min` on foot, the existing actors of the group and the `planned` sites
/// held fixed.
///
/// # Errors
/// [`SuggestError`] for a threshold or time limit out of range, no or too many candidates, `k`
/// out of `1..=candidates` (once those at fixed sites are left out), or a candidate outside
/// the territory.
pub fn suggest(
    ds: &Dataset,
    gg: &GapGrid,
    walk: &WalkModel,
    candidates: &[Candidate],
    planned: &[Site],
    params: &SuggestParams,
) -> Result<Suggestion, SuggestError> {
    let thr = params.threshold_min;
    crate::minutes::Minutes::new(thr)?;
    let limit = params.time_limit_s;
    if !(limit.is_finite() && limit > 0.0 && limit <= 60.0) {
        return Err(SuggestError::TimeLimit(limit));
    }
    if params.curve_k == 0 || params.curve_k > MAX_CURVE_K {
        return Err(SuggestError::CurveK(params.curve_k));
    }
    let users = candidates
        .iter()
        .filter(|c| c.source == CandidateSource::User)
        .count();
    if users > MAX_CANDIDATES {
        return Err(SuggestError::TooManyCandidates(users));
    }
    if candidates.len() > MAX_ALL_CANDIDATES {
        return Err(SuggestError::TooManyInAll(candidates.len()));
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
    let kept = away_from_fixed(ds, params.group, candidates, planned);
    if kept.is_empty() {
        return Err(SuggestError::NoCandidate);
    }
    if params.k == 0 || params.k > kept.len() {
        return Err(SuggestError::K {
            k: params.k,
            candidates: kept.len(),
        });
    }
    let (inst, cells, planned_cells) = cover_instance(gg, walk, params.group, thr, &kept, planned);
    let solution = solve_max_cover(&inst, params.k, limit);
    let vintage = gg.grid.qpv_vintage.unwrap_or(2024);
    let mut seen = vec![false; cells.len()];
    let mut cumulative = 0.0;
    let picks: Vec<SuggestedSite> = ordered(&inst, &solution.chosen)
        .into_iter()
        .enumerate()
        .map(|(r, (c, gain))| {
            let mut n = 0;
            for &e in inst.covers.get(c).map_or(&[][..], Vec::as_slice) {
                if let Some(s) = seen.get_mut(e)
                    && !*s
                {
                    *s = true;
                    n += 1;
                }
            }
            cumulative += gain;
            let cand = &kept[c];
            SuggestedSite {
                rank: r + 1,
                candidate: cand.clone(),
                marginal_gain_youth: gain,
                marginal_gap_cells: n,
                cumulative_youth: cumulative,
                commune: ds
                    .commune_at_l93(cand.point_l93)
                    .map(|i| ds.communes[i].code.to_string()),
                qpv: ds
                    .qpv_at_l93(cand.point_l93, vintage)
                    .map(|q| ds.qpv[q].code.to_string()),
            }
        })
        .collect();
    let curve = curve(&inst, params, kept.len(), &solution.certificate);
    let mut by_source = CandidateCounts::default();
    for c in &kept {
        match c.source {
            CandidateSource::Host => by_source.host += 1,
            CandidateSource::QpvCell => by_source.qpv_cell += 1,
            CandidateSource::User => by_source.user += 1,
        }
    }
    let fixed = FixedSites {
        actors: ds
            .actors
            .iter()
            .filter(|a| a.kind.group() == params.group)
            .count(),
        planned: planned.len(),
        planned_for_group: planned.iter().filter(|s| serves(s, params.group)).count(),
        planned_youth: planned_cells
            .iter()
            .map(|&k| gg.grid.cells[k].youth_15_29)
            .sum(),
        candidates_excluded: candidates.len() - kept.len(),
    };
    let method = method_note(gg, walk, params, &by_source, &fixed, &solution.certificate);
    Ok(Suggestion {
        group: params.group,
        group_label: params.group.label(),
        group_in_data: gg.group_index(params.group).is_some(),
        threshold_min: thr,
        k: params.k,
        candidates: kept.len(),
        candidates_by_source: by_source,
        fixed,
        gap_cells: cells.len(),
        gap_youth: inst.weights.iter().sum(),
        picks,
        certificate: solution.certificate,
        curve,
        method,
    })
}

/// The young people newly reached by the best 1 … `max(k, curve_k)` places: exact up to
/// [`EXACT_CURVE_MAX_K`] (the `k` point is the main solve's), greedy beyond.
fn curve(
    inst: &CoverInstance,
    params: &SuggestParams,
    candidates: usize,
    main: &Certificate,
) -> Vec<CurvePoint> {
    let top = params.k.max(params.curve_k).min(candidates);
    let greedy = greedy_max_cover(inst, top);
    let mut greedy_total = 0.0;
    let mut out = Vec::with_capacity(top);
    for (i, p) in greedy.iter().enumerate() {
        let k = i + 1;
        greedy_total += p.gain;
        let exact = if k == params.k {
            Some(*main)
        } else if k <= EXACT_CURVE_MAX_K {
            Some(solve_max_cover(inst, k, params.time_limit_s).certificate)
        } else {
            None
        };
        out.push(match exact {
            Some(c) if c.model == SolveModel::Exact => CurvePoint {
                k,
                youth_reached: c.objective,
                model: CurveModel::Exact,
                proof: Some(c.proof),
                gap_pct: c.gap_pct,
            },
            Some(c) => CurvePoint {
                k,
                youth_reached: c.objective,
                model: CurveModel::Greedy,
                proof: Some(c.proof),
                gap_pct: None,
            },
            None => CurvePoint {
                k,
                youth_reached: greedy_total,
                model: CurveModel::Greedy,
                proof: None,
                gap_pct: None,
            },
        });
    }
    out
}

/// A percentage in French: "0,12 %".
fn pct_fr(x: f64) -> String {
    format!("{} %", crate::text::fr_decimal(x, 2))
}

/// The method note (French): model, candidates, fixed sites, certificate.
fn method_note(
    gg: &GapGrid,
    walk: &WalkModel,
    params: &SuggestParams,
    by_source: &CandidateCounts,
    fixed: &FixedSites,
    c: &Certificate,
) -> String {
    let thr = params.threshold_min;
    let label = params.group.label();
    let model = match c.model {
        SolveModel::Exact => format!(
            "modèle exact : couverture maximale en programme linéaire en nombres entiers (solveur HiGHS, départ glouton à {:.0} jeunes)",
            c.greedy_objective
        ),
        SolveModel::GreedyFallback => {
            "modèle glouton de secours (le solveur exact n'a pas donné de réponse)".to_owned()
        }
    };
    let proof = match c.proof {
        Proof::Optimal => format!(
            "optimum prouvé, écart d'optimalité {}",
            pct_fr(c.gap_pct.unwrap_or(0.0))
        ),
        Proof::GapWithinTolerance => format!(
            "limite de temps de {} s atteinte, écart d'optimalité {} (au plus 0,5 %)",
            crate::text::fr_decimal(c.time_limit_s, 1),
            pct_fr(c.gap_pct.unwrap_or(0.0))
        ),
        Proof::TimeLimitGapAbove => format!(
            "limite de temps de {} s atteinte, écart d'optimalité {} (au-delà de 0,5 % : meilleur choix trouvé, non prouvé)",
            crate::text::fr_decimal(c.time_limit_s, 1),
            pct_fr(c.gap_pct.unwrap_or(0.0))
        ),
        Proof::GreedyBound => {
            "écart d'optimalité inconnu, garantie : au moins 1 − 1/e ≈ 63 % du meilleur choix possible".to_owned()
        }
    };
    format!(
        "{model} : les {k} lieux qui rapprochent à moins de {thr} min à pied ({walk}) le plus de jeunes de 15-29 ans des carreaux de {cell} m hors seuil de tout acteur « {label} » et de tout site prévu ; candidats : {h} structures d'accueil de types déclarés adaptés, {q} carreaux de QPV (une salle à trouver){u} ; sites fixés, jamais proposés et dont la couverture compte comme déjà atteinte : {a} acteurs « {label} » et {p} sites prévus ({excl} candidats écartés à moins de {ex} m d'eux) ; certificat : {proof} ; temps de résolution : {ms} ms",
        k = params.k,
        walk = walk_note(walk),
        cell = gg.grid.cell_m,
        h = by_source.host,
        q = by_source.qpv_cell,
        u = if by_source.user > 0 {
            format!(", {} lieux proposés", by_source.user)
        } else {
            String::new()
        },
        a = fixed.actors,
        p = fixed.planned,
        excl = fixed.candidates_excluded,
        ex = FIXED_EXCLUSION_M,
        ms = c.solve_ms,
    )
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
