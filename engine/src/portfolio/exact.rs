//! The exact selection under a budget, as a mixed-integer programme solved by HiGHS.
//!
//! With `x_i ∈ {0, 1}` (project `i` funded) and, for each group of young people reached by
//! several projects, `y_g ∈ [0, 1]` (the group reached):
//!
//! ```text
//! maximise   Σ_i a_i x_i + Σ_g w_g y_g
//! subject to Σ_i cost_i x_i ≤ budget
//!            y_g ≤ Σ_{i reaches g} x_i      for every group g
//! ```
//!
//! where `a_i` is the weight only project `i` reaches (an element reached by one project alone
//! needs no variable of its own) and the elements reached by the same set of projects are
//! merged into one group (their weights add up): the programme is exact and much smaller than
//! one variable per 200 m cell. At an optimum `y_g = min(1, Σ x_i)`, so the objective is the
//! union's weight. The greedy selection is given to HiGHS as its first incumbent; the answer
//! carries the solver's status, its best bound and the relative gap (0 when proven optimal).

use std::collections::BTreeMap;
use std::sync::Mutex;

use highs::{ColProblem, HighsModelStatus, Sense};

use super::error::PortfolioError;
use super::instance::{Instance, cents};

/// How the exact solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExactStatus {
    /// Proven optimal.
    Optimal,
    /// The time limit was reached: the best selection found, with its gap to the bound.
    TimeLimit,
    /// Another stop of the solver (iteration or memory limit): the best selection found.
    Stopped,
}

/// What the solver answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactOutcome {
    /// Items funded, sorted.
    pub selected: Vec<usize>,
    /// The solver's best upper bound on the value (the certificate: no selection within the
    /// budget reaches more).
    pub bound: f64,
    /// How it ended.
    pub status: ExactStatus,
    /// Variables of the programme (projects + merged groups).
    pub variables: usize,
    /// Constraints of the programme.
    pub constraints: usize,
}

/// One HiGHS run at a time in the process: solves are short, and runs that never overlap keep
/// the solver's behaviour (and so the tests) the same whatever the threads around them do.
static SOLVER: Mutex<()> = Mutex::new(());

/// Groups of elements reached by the same set of (≥ 2) items, with their summed weight; and
/// per item the weight it alone reaches.
fn merged(inst: &Instance, allowed: &[bool]) -> (Vec<f64>, BTreeMap<Vec<usize>, f64>) {
    let mut by_element: Vec<Vec<usize>> = vec![Vec::new(); inst.weights.len()];
    for (i, it) in inst.items.iter().enumerate() {
        if !allowed[i] {
            continue;
        }
        for &e in &it.covers {
            by_element[e].push(i);
        }
    }
    let mut own = vec![0.0; inst.items.len()];
    let mut groups: BTreeMap<Vec<usize>, f64> = BTreeMap::new();
    for (e, items) in by_element.into_iter().enumerate() {
        let w = inst.weights[e];
        if w <= 0.0 {
            continue;
        }
        match items.len() {
            0 => {}
            1 => own[items[0]] += w,
            _ => *groups.entry(items).or_insert(0.0) += w,
        }
    }
    (own, groups)
}

/// Solves `inst` under `budget_cents` exactly with HiGHS, starting from `start`, giving up
/// after `time_limit_s` seconds (the best selection found is then returned with its gap).
///
/// # Errors
/// [`PortfolioError::Solver`] when HiGHS refuses the programme or ends without any feasible
/// selection (the caller keeps the greedy one).
pub fn solve_exact(
    inst: &Instance,
    budget_cents: i64,
    start: &[usize],
    time_limit_s: f64,
) -> Result<ExactOutcome, PortfolioError> {
    let n = inst.items.len();
    let allowed: Vec<bool> = inst
        .items
        .iter()
        .map(|it| cents(it.cost_eur) <= budget_cents)
        .collect();
    let (own, groups) = merged(inst, &allowed);
    let mut pb = ColProblem::default();
    let budget_eur = budget_cents as f64 / 100.0;
    let budget_row = pb.add_row(..=budget_eur);
    let group_rows: Vec<_> = groups.keys().map(|_| pb.add_row(..=0.0)).collect();
    // Rows each item appears in (its groups), with −1.
    let mut item_rows: Vec<Vec<(highs::Row, f64)>> = vec![Vec::new(); n];
    for (gi, items) in groups.keys().enumerate() {
        for &i in items {
            item_rows[i].push((group_rows[gi], -1.0));
        }
    }
    for (i, (it, rows)) in inst.items.iter().zip(item_rows).enumerate() {
        let mut entries = vec![(budget_row, it.cost_eur)];
        entries.extend(rows);
        let upper = if allowed[i] { 1.0 } else { 0.0 };
        pb.add_integer_column(own[i], 0.0..=upper, entries);
    }
    for (gi, w) in groups.values().enumerate() {
        pb.add_column(*w, 0.0..=1.0, [(group_rows[gi], 1.0)]);
    }
    let variables = n + groups.len();
    let constraints = 1 + groups.len();

    // The greedy start: x from `start`, each group reached when one of its items is.
    let mut x0 = vec![0.0; variables];
    for &i in start {
        if i < n && allowed[i] {
            x0[i] = 1.0;
        }
    }
    for (gi, items) in groups.keys().enumerate() {
        if items.iter().any(|&i| x0[i] > 0.5) {
            x0[n + gi] = 1.0;
        }
    }

    let _guard = SOLVER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut model = pb
        .try_optimise(Sense::Maximise)
        .map_err(|e| PortfolioError::Solver(format!("programme refusé ({e:?})")))?;
    for (name, ok) in [
        (
            "mip_rel_gap",
            model.try_set_option("mip_rel_gap", 0.0).is_ok(),
        ),
        (
            "mip_abs_gap",
            model.try_set_option("mip_abs_gap", 1e-7).is_ok(),
        ),
        (
            "time_limit",
            model
                .try_set_option("time_limit", time_limit_s.max(0.01))
                .is_ok(),
        ),
        (
            "random_seed",
            model.try_set_option("random_seed", 0).is_ok(),
        ),
    ] {
        if !ok {
            return Err(PortfolioError::Solver(format!("option {name} refusée")));
        }
    }
    // A start HiGHS cannot use is only a lost head start.
    let _ = model.try_set_solution(Some(x0.as_slice()), None, None, None);
    let solved = model
        .try_solve()
        .map_err(|e| PortfolioError::Solver(format!("résolution en échec ({e:?})")))?;
    let status = match solved.status() {
        HighsModelStatus::Optimal => ExactStatus::Optimal,
        HighsModelStatus::ReachedTimeLimit => ExactStatus::TimeLimit,
        HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ReachedInterrupt => ExactStatus::Stopped,
        // An empty programme (no project at all) is trivially optimal.
        HighsModelStatus::ModelEmpty => ExactStatus::Optimal,
        other => {
            return Err(PortfolioError::Solver(format!(
                "statut du solveur : {other:?}"
            )));
        }
    };
    let cols = solved.get_solution().columns().to_vec();
    if cols.len() < n {
        return Err(PortfolioError::Solver("aucune sélection trouvée".into()));
    }
    let selected: Vec<usize> = (0..n).filter(|&i| allowed[i] && cols[i] > 0.5).collect();
    let bound = match status {
        ExactStatus::Optimal => inst.value(&selected),
        _ => solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
            .unwrap_or(f64::INFINITY),
    };
    Ok(ExactOutcome {
        selected,
        bound,
        status,
        variables,
        constraints,
    })
}
