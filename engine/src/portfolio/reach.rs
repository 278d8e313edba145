//! What one stored project reaches, service by service, as the coverage check defines it
//! ([`crate::project::coverage`]): the sites offering a service are checked together for that
//! service, and each 200 m cell they reach is marked as newly reached when it lies beyond the
//! threshold of every placed actor of the same service (the check's "nouvellement couverts").

use std::collections::HashMap;

use crate::coverage::check::covered_by_existing;
use crate::coverage::{CoverageError, CoverageParams, Mode, TravelContext};
use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::project::Project;
use crate::project::coverage::expand_sites;

/// What a project's sites offering one service reach.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ServiceReach {
    /// The service (actor group).
    pub group: ActorGroup,
    /// Its French label.
    pub group_label: &'static str,
    /// Sites (numbered from 1) offering it, placed.
    pub sites: Vec<usize>,
    /// Young people 15-29 reached (estimate).
    pub youth_reached: f64,
    /// Of whom already within the threshold of a placed actor of the service.
    pub youth_already_covered: f64,
    /// Of whom newly reached (beyond every placed actor of the service).
    pub youth_newly_covered: f64,
    /// Cells (grid indices) reached, with whether each is newly reached; sorted by index.
    #[serde(skip)]
    pub cells: Vec<(usize, bool)>,
}

/// What a project reaches, per service.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectReach {
    /// Per service it offers at a placed site, in [`ActorGroup::ALL`] order.
    pub services: Vec<ServiceReach>,
    /// Sites (numbered from 1) without a position: not counted.
    pub unplaced: Vec<usize>,
    /// Mode used (walk when no timetable exists).
    pub mode: Mode,
    /// Warnings of the checks (French), without repeats.
    pub warnings: Vec<String>,
}

impl ProjectReach {
    /// The cells it reaches newly for `service` (any service when `None`), sorted.
    pub fn newly_cells(&self, service: Option<ActorGroup>) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .services
            .iter()
            .filter(|s| service.is_none_or(|g| g == s.group))
            .flat_map(|s| s.cells.iter().filter(|(_, n)| *n).map(|(k, _)| *k))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Grid cells by their lower-left corner (whole metres), to find a reached cell's index.
pub fn cell_index(ctx: &TravelContext) -> HashMap<(i64, i64), usize> {
    ctx.gaps
        .grid
        .cells
        .iter()
        .enumerate()
        .map(|(k, c)| ((c.x_l93.round() as i64, c.y_l93.round() as i64), k))
        .collect()
}

/// What `project` reaches, one check per service over the sites offering it, asking `stop`
/// before each site; `index` is [`cell_index`] of `ctx`.
///
/// # Errors
/// The check's [`CoverageError`] (threshold, compute budget).
pub fn project_reach(
    ds: &Dataset,
    ctx: &TravelContext,
    index: &HashMap<(i64, i64), usize>,
    project: &Project,
    params: &CoverageParams,
    stop: &dyn Fn() -> bool,
) -> Result<ProjectReach, CoverageError> {
    crate::minutes::Minutes::new(params.threshold_min)?;
    let (sites, site_of) = expand_sites(project);
    let unplaced = project
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.point_wgs84.is_none())
        .map(|(i, _)| i + 1)
        .collect();
    let mut services = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut mode = if params.mode == Mode::Transit && !ctx.network.has_transit() {
        Mode::Walk
    } else {
        params.mode
    };
    for g in ActorGroup::ALL {
        let mine: Vec<usize> = (0..sites.len())
            .filter(|&k| sites[k].group == Some(g))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let group_sites: Vec<_> = mine.iter().map(|&k| sites[k].clone()).collect();
        let p = CoverageParams {
            group: Some(g),
            ..*params
        };
        let r = crate::coverage::check::check_within(
            ds,
            &ctx.gaps,
            &ctx.network,
            &group_sites,
            &p,
            stop,
        )?;
        mode = r.mode;
        for w in r.warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        let gi = ctx.gaps.group_index(g);
        let mut cells: Vec<(usize, bool)> = r
            .cells
            .iter()
            .filter_map(|c| index.get(&(c.x_l93.round() as i64, c.y_l93.round() as i64)))
            .map(|&k| {
                let covered = gi.is_some_and(|gi| {
                    covered_by_existing(&ctx.gaps, k, gi, r.threshold_min, r.mode)
                });
                (k, !covered)
            })
            .collect();
        cells.sort_unstable();
        let Some(gc) = r.groups.iter().find(|x| x.group == g) else {
            continue;
        };
        let mut numbers: Vec<usize> = mine.iter().map(|&k| site_of[k] + 1).collect();
        numbers.dedup();
        services.push(ServiceReach {
            group: g,
            group_label: g.label(),
            sites: numbers,
            youth_reached: gc.youth_reached,
            youth_already_covered: gc.youth_already_covered,
            youth_newly_covered: gc.youth_newly_covered,
            cells,
        });
    }
    Ok(ProjectReach {
        services,
        unplaced,
        mode,
        warnings,
    })
}
