//! The portfolio view: every project with its coverage per service, what it newly reaches for
//! the service asked, what it alone reaches among all projects (its marginal contribution to
//! the whole portfolio), and the overlaps between projects (young people reached by several).

use super::build::Portfolio;
use super::combine::{combine, shared};
use super::reach::ServiceReach;

/// One project's line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectLine {
    /// Read id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Organisation.
    pub organisation: String,
    /// Budget requested, euros.
    pub budget_eur: Option<f64>,
    /// Coverage per service (young people reached, already and newly covered).
    pub services: Vec<ServiceReach>,
    /// Sites (from 1) not placed: not counted.
    pub unplaced: Vec<usize>,
    /// Weighted value it newly reaches alone (service asked).
    pub value: f64,
    /// Young people it newly reaches alone.
    pub youth_newly: f64,
    /// Weighted value only it reaches among all projects.
    pub marginal_value: f64,
    /// Young people only it reaches among all projects.
    pub marginal_youth: f64,
    /// Why it cannot enter a selection under a budget (French), if so.
    pub not_selectable: Option<String>,
}

/// Young people reached by two projects.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overlap {
    /// First project's id.
    pub a: String,
    /// Second project's id.
    pub b: String,
    /// Weighted value reached by both.
    pub shared_value: f64,
    /// Young people reached by both.
    pub shared_youth: f64,
}

/// The portfolio view.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overview {
    /// Per project, in the order given.
    pub projects: Vec<ProjectLine>,
    /// All projects together, weighted (union: each young person once).
    pub union_value: f64,
    /// All projects together, young people.
    pub union_youth: f64,
    /// Sum of what each reaches alone (double counting included), young people.
    pub sum_youth: f64,
    /// Young people reached by two projects or more.
    pub youth_reached_by_several: f64,
    /// Every pair of projects reaching young people in common.
    pub overlaps: Vec<Overlap>,
}

/// Why a project cannot enter a budgeted selection (French), or `None`.
pub fn not_selectable(budget_eur: Option<f64>) -> Option<String> {
    budget_eur.is_none().then(|| {
        "budget non renseigné : le projet ne peut pas entrer dans une sélection sous budget (renseignez son budget demandé dans l'onglet Projet)".to_owned()
    })
}

/// The view of `p`.
pub fn overview(p: &Portfolio) -> Overview {
    let all: Vec<usize> = (0..p.projects.len()).collect();
    let cw = combine(&p.weighted, &all);
    let cy = combine(&p.youth, &all);
    let projects = p
        .projects
        .iter()
        .enumerate()
        .map(|(i, x)| ProjectLine {
            id: x.id.clone(),
            title: x.title.clone(),
            organisation: x.organisation.clone(),
            budget_eur: x.budget_eur,
            services: x.reach.services.clone(),
            unplaced: x.reach.unplaced.clone(),
            value: p.weighted.alone(i),
            youth_newly: p.youth.alone(i),
            marginal_value: cw.marginal[i],
            marginal_youth: cy.marginal[i],
            not_selectable: not_selectable(x.budget_eur),
        })
        .collect();
    let overlaps = cy
        .pairs
        .iter()
        .map(|o| Overlap {
            a: p.projects[o.a].id.clone(),
            b: p.projects[o.b].id.clone(),
            shared_value: shared(&p.weighted, o.a, o.b),
            shared_youth: o.shared,
        })
        .collect();
    Overview {
        projects,
        union_value: cw.union,
        union_youth: cy.union,
        sum_youth: cy.sum_alone,
        youth_reached_by_several: cy.reached_by_several,
        overlaps,
    }
}
