//! The portfolio as a selection problem: every stored project, and the young people it newly
//! reaches for the service asked (any service when none is), as elements (200 m cells) with
//! their weight; twice, weighted and in young people, so that every figure can be given in
//! both.

use crate::model::actor::ActorGroup;

use super::instance::{Instance, Item};
use super::reach::ProjectReach;

/// One stored project of the portfolio.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PortfolioProject {
    /// Its read id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Organisation carrying it.
    pub organisation: String,
    /// Budget requested, euros (`None`: not given).
    pub budget_eur: Option<f64>,
    /// What it reaches, per service.
    pub reach: ProjectReach,
}

/// The portfolio's selection problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// The projects, in the order given (items of both instances, same indices).
    pub projects: Vec<PortfolioProject>,
    /// The service asked (`None`: any service a project offers).
    pub service: Option<ActorGroup>,
    /// Elements weighted as asked.
    pub weighted: Instance,
    /// The same elements counted in young people 15-29.
    pub youth: Instance,
    /// The grid cell of each element.
    pub cells: Vec<usize>,
}

impl Portfolio {
    /// The portfolio of `projects` for `service`: each project's items are the cells it newly
    /// reaches for that service (any service when `None`); `weight` and `youth` give a cell's
    /// weight and its young people.
    pub fn new(
        projects: Vec<PortfolioProject>,
        service: Option<ActorGroup>,
        weight: &dyn Fn(usize) -> f64,
        youth: &dyn Fn(usize) -> f64,
    ) -> Self {
        let per_project: Vec<Vec<usize>> = projects
            .iter()
            .map(|p| p.reach.newly_cells(service))
            .collect();
        let mut cells: Vec<usize> = per_project.iter().flatten().copied().collect();
        cells.sort_unstable();
        cells.dedup();
        let element = |k: usize| cells.binary_search(&k).ok();
        let items: Vec<Item> = projects
            .iter()
            .zip(&per_project)
            .map(|(p, ks)| Item {
                cost_eur: p.budget_eur.unwrap_or(0.0),
                covers: ks.iter().filter_map(|&k| element(k)).collect(),
            })
            .collect();
        let weighted = Instance::new(
            cells.iter().map(|&k| weight(k).max(0.0)).collect(),
            items.clone(),
        );
        let youth = Instance::new(cells.iter().map(|&k| youth(k).max(0.0)).collect(), items);
        Self {
            projects,
            service,
            weighted,
            youth,
            cells,
        }
    }
}
