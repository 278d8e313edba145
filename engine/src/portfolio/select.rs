//! The best selection under a budget: the greedy selection first, then the exact programme
//! ([`super::exact`]) started from it; the answer says which model gave the selection, the
//! proven bound and the gap, and what each project left out would have added.

use super::combine::{Combined, combine};
use super::error::PortfolioError;
use super::exact::{ExactStatus, solve_exact};
use super::greedy::greedy;
use super::instance::{Instance, cents};

/// Highest budget accepted, euros (as a project's).
pub const MAX_BUDGET_EUR: f64 = crate::project::file::MAX_BUDGET_EUR;

/// Default time given to the exact programme, seconds.
pub const DEFAULT_TIME_LIMIT_S: f64 = 10.0;

/// Which model gave the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// The mixed-integer programme solved by HiGHS.
    Exact,
    /// The greedy ratio rule (the solver could not run).
    Greedy,
}

/// The certificate of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certificate {
    /// Proven optimal: no selection within the budget reaches more.
    Optimal,
    /// The time limit was reached; `gap_pct` bounds how far from the optimum it can be.
    TimeLimit,
    /// The solver stopped for another limit; `gap_pct` as above.
    Stopped,
    /// Greedy only: no proof (the bound is the greedy guarantee, ½(1 − 1/e)).
    None,
}

/// A checked budget, euros.
///
/// # Errors
/// [`PortfolioError::Field`] naming `field` when it is not a finite amount between 0 and
/// 1 000 000 000 with at most two decimals.
pub fn check_budget(field: &str, budget_eur: f64) -> Result<f64, PortfolioError> {
    if !budget_eur.is_finite() || !(0.0..=MAX_BUDGET_EUR).contains(&budget_eur) {
        return Err(PortfolioError::field(
            field,
            format!(
                "montant en euros entre 0 et 1 000 000 000 attendu, reçu {}",
                crate::number::Shown(budget_eur)
            ),
        ));
    }
    if ((budget_eur * 100.0).round() - budget_eur * 100.0).abs() > 1e-6 {
        return Err(PortfolioError::field(
            field,
            format!(
                "montant en euros avec au plus deux décimales attendu, reçu {}",
                crate::number::Shown(budget_eur)
            ),
        ));
    }
    Ok(budget_eur)
}

/// The answer of a selection.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Selection {
    /// Budget, euros.
    pub budget_eur: f64,
    /// Items funded, sorted.
    pub selected: Vec<usize>,
    /// Their value (union: each young person once).
    pub value: f64,
    /// Their cost, euros.
    pub cost_eur: f64,
    /// Budget left, euros (≥ 0).
    pub budget_left_eur: f64,
    /// Which model gave the selection.
    pub model: Model,
    /// The proof that comes with it.
    pub certificate: Certificate,
    /// Best upper bound on the value of any selection within the budget.
    pub bound: f64,
    /// `(bound − value) / value`, percent (0 when proven optimal).
    pub gap_pct: f64,
    /// The greedy selection's value (the starting point).
    pub greedy_value: f64,
    /// Items of the greedy selection, sorted.
    pub greedy_selected: Vec<usize>,
    /// Why the solver did not run, when `model` is greedy (French).
    pub solver_note: Option<String>,
    /// Variables and constraints of the programme (0 when it did not run).
    pub variables: usize,
    /// Constraints of the programme.
    pub constraints: usize,
    /// Solve time of the exact programme, milliseconds (as measured by the caller's clock).
    pub solve_ms: f64,
    /// The selection's figures: union, overlaps, marginal contribution of every item (for an
    /// item left out: what it would have added).
    pub combined: Combined,
}

/// Drops, in index order, selected items that add nothing to the others (the value does not
/// change; the cost does not grow): a tie is broken towards the cheaper selection.
fn prune(inst: &Instance, selected: &mut Vec<usize>) {
    let mut k = 0;
    while k < selected.len() {
        let mut without = selected.clone();
        without.remove(k);
        if inst.value(&without) >= inst.value(selected) {
            *selected = without;
        } else {
            k += 1;
        }
    }
}

/// The best selection of `inst` within `budget_eur`: greedy, then the exact programme with
/// `time_limit_s`; `elapsed_ms` is the caller's clock (milliseconds since any origin: the
/// engine reads no clock itself). Never over budget: the cost is checked in whole cents.
///
/// # Errors
/// [`PortfolioError::Field`] for a budget out of range (field `budget_eur`).
pub fn select(
    inst: &Instance,
    budget_eur: f64,
    time_limit_s: f64,
    elapsed_ms: &dyn Fn() -> f64,
) -> Result<Selection, PortfolioError> {
    let budget_eur = check_budget("budget_eur", budget_eur)?;
    let budget_cents = cents(budget_eur);
    let mut g = greedy(inst, budget_cents);
    prune(inst, &mut g);
    let greedy_value = inst.value(&g);
    let t0 = elapsed_ms();
    let exact = solve_exact(inst, budget_cents, &g, time_limit_s);
    let solve_ms = (elapsed_ms() - t0).max(0.0);
    let (mut selected, model, certificate, bound, solver_note, variables, constraints) = match exact
    {
        Ok(o) if inst.cost_cents(&o.selected) <= budget_cents => {
            let cert = match o.status {
                ExactStatus::Optimal => Certificate::Optimal,
                ExactStatus::TimeLimit => Certificate::TimeLimit,
                ExactStatus::Stopped => Certificate::Stopped,
            };
            // The incumbent is never worse than its greedy start.
            let sel = if inst.value(&o.selected) + 1e-9 >= greedy_value {
                o.selected
            } else {
                g.clone()
            };
            (
                sel,
                Model::Exact,
                cert,
                o.bound,
                None,
                o.variables,
                o.constraints,
            )
        }
        Ok(_) => (
            g.clone(),
            Model::Greedy,
            Certificate::None,
            f64::INFINITY,
            Some("la sélection du solveur dépassait le budget : sélection gloutonne".to_owned()),
            0,
            0,
        ),
        Err(e) => (
            g.clone(),
            Model::Greedy,
            Certificate::None,
            f64::INFINITY,
            Some(e.to_string()),
            0,
            0,
        ),
    };
    prune(inst, &mut selected);
    let value = inst.value(&selected);
    let bound = if certificate == Certificate::Optimal {
        value
    } else if certificate == Certificate::None {
        // The greedy guarantee: value ≥ ½(1 − 1/e) · optimum.
        value / (0.5 * (1.0 - (-1.0f64).exp()))
    } else {
        bound.max(value)
    };
    let gap_pct = if value > 0.0 {
        100.0 * (bound - value) / value
    } else {
        0.0
    };
    let cost_cents = inst.cost_cents(&selected);
    let combined = combine(inst, &selected);
    Ok(Selection {
        budget_eur,
        selected: combined.selected.clone(),
        value,
        cost_eur: cost_cents as f64 / 100.0,
        budget_left_eur: (budget_cents - cost_cents) as f64 / 100.0,
        model,
        certificate,
        bound,
        gap_pct,
        greedy_value,
        greedy_selected: g,
        solver_note,
        variables,
        constraints,
        solve_ms,
        combined,
    })
}
