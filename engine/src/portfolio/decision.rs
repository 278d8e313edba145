//! The decision: the best selection of the portfolio's projects under a budget, with its
//! figures in weighted value and in young people, what each project left out would have added,
//! and the projects that could not be considered (no budget given), each with its reason.

use super::build::Portfolio;
use super::combine::combine;
use super::error::PortfolioError;
use super::instance::{Instance, Item};
use super::overview::not_selectable;
use super::select::{Certificate, Model, check_budget, select};
use super::weighting::Weighting;

/// A project of the decision (funded, left out or not considered).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DecisionLine {
    /// Read id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// Budget requested, euros.
    pub budget_eur: Option<f64>,
    /// Weighted value it newly reaches alone.
    pub value_alone: f64,
    /// Young people it newly reaches alone.
    pub youth_alone: f64,
    /// Funded: what it adds to the other funded projects; left out: what it would have added
    /// to the selection (weighted).
    pub marginal_value: f64,
    /// The same in young people.
    pub marginal_youth: f64,
    /// Why it is left out or not considered (French); `None` when funded.
    pub reason: Option<String>,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decision {
    /// Weighting used.
    pub weighting: Weighting,
    /// Service asked (`None`: any service).
    pub service: Option<String>,
    /// Budget, euros.
    pub budget_eur: f64,
    /// Funded projects, by decreasing contribution.
    pub selected: Vec<DecisionLine>,
    /// Projects considered and left out, by decreasing value they would have added.
    pub rejected: Vec<DecisionLine>,
    /// Projects not considered (no budget given), with their reason.
    pub not_considered: Vec<DecisionLine>,
    /// The selection's weighted value (union).
    pub value: f64,
    /// The selection's young people newly reached (union: each once).
    pub youth: f64,
    /// Young people reached by two funded projects or more.
    pub youth_reached_by_several: f64,
    /// Cost of the selection, euros.
    pub cost_eur: f64,
    /// Budget left, euros.
    pub budget_left_eur: f64,
    /// Model that gave the selection.
    pub model: Model,
    /// Its certificate.
    pub certificate: Certificate,
    /// Upper bound on the weighted value of any selection within the budget.
    pub bound: f64,
    /// Relative gap to that bound, percent.
    pub gap_pct: f64,
    /// The greedy starting selection's weighted value.
    pub greedy_value: f64,
    /// Ids of the greedy starting selection.
    pub greedy_selected: Vec<String>,
    /// Why the solver did not run (French), when greedy.
    pub solver_note: Option<String>,
    /// Variables of the programme.
    pub variables: usize,
    /// Constraints of the programme.
    pub constraints: usize,
    /// Solve time of the exact programme, milliseconds.
    pub solve_ms: f64,
    /// The method in one paragraph (French).
    pub method: String,
}

fn sub_instance(inst: &Instance, keep: &[usize]) -> Instance {
    Instance {
        weights: inst.weights.clone(),
        items: keep
            .iter()
            .map(|&i| Item {
                cost_eur: inst.items[i].cost_eur,
                covers: inst.items[i].covers.clone(),
            })
            .collect(),
    }
}

/// The best selection of `p`'s projects with a budget within `budget_eur` (projects without a
/// budget are not considered and listed with their reason), weighted by `weighting` (as `p`'s
/// weights were made); `elapsed_ms` is the caller's clock.
///
/// # Errors
/// [`PortfolioError::Field`] for a budget out of range.
pub fn decide(
    p: &Portfolio,
    weighting: Weighting,
    budget_eur: f64,
    time_limit_s: f64,
    elapsed_ms: &dyn Fn() -> f64,
) -> Result<Decision, PortfolioError> {
    let budget_eur = check_budget("budget_eur", budget_eur)?;
    let keep: Vec<usize> = (0..p.projects.len())
        .filter(|&i| p.projects[i].budget_eur.is_some())
        .collect();
    let wi = sub_instance(&p.weighted, &keep);
    let yi = sub_instance(&p.youth, &keep);
    let s = select(&wi, budget_eur, time_limit_s, elapsed_ms)?;
    let cy = combine(&yi, &s.selected);
    let line = |sub: usize, reason: Option<String>| {
        let i = keep[sub];
        let x = &p.projects[i];
        DecisionLine {
            id: x.id.clone(),
            title: x.title.clone(),
            organisation: x.organisation.clone(),
            budget_eur: x.budget_eur,
            value_alone: wi.alone(sub),
            youth_alone: yi.alone(sub),
            marginal_value: s.combined.marginal[sub],
            marginal_youth: cy.marginal[sub],
            reason,
        }
    };
    let mut selected: Vec<DecisionLine> = s.selected.iter().map(|&k| line(k, None)).collect();
    let unit = weighting.unit_fr();
    let mut rejected: Vec<DecisionLine> = (0..keep.len())
        .filter(|k| !s.selected.contains(k))
        .map(|k| {
            let cost = wi.items[k].cost_eur;
            let added = s.combined.marginal[k];
            let reason = if cost > budget_eur {
                format!(
                    "son budget ({}) dépasse à lui seul le budget disponible",
                    crate::text::fr_decimal(cost, 2)
                )
            } else if added <= 0.0 {
                format!("n'ajouterait aucun des {unit} à la sélection")
            } else if cost > s.budget_left_eur + 1e-9 {
                "l'ajouter dépasserait le budget ; l'échanger contre un projet retenu atteindrait moins au total".to_owned()
            } else {
                "non retenu".to_owned()
            };
            line(k, Some(reason))
        })
        .collect();
    selected.sort_by(|a, b| b.marginal_value.total_cmp(&a.marginal_value));
    rejected.sort_by(|a, b| b.marginal_value.total_cmp(&a.marginal_value));
    let not_considered = p
        .projects
        .iter()
        .filter(|x| x.budget_eur.is_none())
        .map(|x| DecisionLine {
            id: x.id.clone(),
            title: x.title.clone(),
            organisation: x.organisation.clone(),
            budget_eur: None,
            value_alone: 0.0,
            youth_alone: 0.0,
            marginal_value: 0.0,
            marginal_youth: 0.0,
            reason: not_selectable(None),
        })
        .collect();
    let method = method_fr(weighting, &s);
    Ok(Decision {
        weighting,
        service: p.service.map(|g| g.code().to_owned()),
        budget_eur,
        selected,
        rejected,
        not_considered,
        value: s.value,
        youth: cy.union,
        youth_reached_by_several: cy.reached_by_several,
        cost_eur: s.cost_eur,
        budget_left_eur: s.budget_left_eur,
        model: s.model,
        certificate: s.certificate,
        bound: s.bound,
        gap_pct: s.gap_pct,
        greedy_value: s.greedy_value,
        greedy_selected: s
            .greedy_selected
            .iter()
            .map(|&k| p.projects[keep[k]].id.clone())
            .collect(),
        solver_note: s.solver_note.clone(),
        variables: s.variables,
        constraints: s.constraints,
        solve_ms: s.solve_ms,
        method,
    })
}

/// The method paragraph (French).
fn method_fr(weighting: Weighting, s: &super::select::Selection) -> String {
    let model = match s.model {
        Model::Exact => format!(
            "Sélection exacte : programme linéaire en nombres entiers (couverture maximale sous budget, {} variables, {} contraintes) résolu par le solveur HiGHS, démarré depuis la sélection gloutonne (meilleur rapport jeunes nouvellement atteints / coût)",
            s.variables, s.constraints
        ),
        Model::Greedy => format!(
            "Sélection gloutonne (meilleur rapport jeunes nouvellement atteints / coût, comparée au meilleur projet seul) : le solveur exact n'a pas pu être utilisé ({})",
            s.solver_note.as_deref().unwrap_or("raison inconnue")
        ),
    };
    let cert = match s.certificate {
        Certificate::Optimal => "optimum prouvé (écart 0 %)".to_owned(),
        Certificate::TimeLimit => format!(
            "limite de temps atteinte : écart à l'optimum d'au plus {} %",
            crate::text::fr_decimal(s.gap_pct, 2)
        ),
        Certificate::Stopped => format!(
            "solveur arrêté avant la preuve : écart à l'optimum d'au plus {} %",
            crate::text::fr_decimal(s.gap_pct, 2)
        ),
        Certificate::None => "sans preuve d'optimalité (garantie gloutonne : au moins la moitié de (1 − 1/e) de l'optimum)".to_owned(),
    };
    format!(
        "{model} ; {cert} ; temps de résolution {} ms. Un jeune atteint par plusieurs projets retenus n'est compté qu'une fois ; « nouvellement atteint » : au-delà du seuil de tout acteur placé du même service ; {}. Le budget n'est jamais dépassé ; un projet sans budget renseigné n'est pas considéré.",
        crate::text::fr_decimal(s.solve_ms, 1),
        weighting.method_fr()
    )
}
