//! The coverage of a saved project, service by service: a site offering a mission locale and a
//! France Travail permanence counts once for each group ("several services at once"). Each
//! placed site is checked once per service it offers ([`crate::coverage::check()`]), so the
//! figures per group are those of the sites offering that group's service.
//!
//! The check counts only placed actors as existing: an actor known by address only (the
//! missions locales of Rouen and Elbeuf in the default data) takes no part in "already
//! covered". [`AddressOnlyCaveat`] names, for each group, those of its actors known by address
//! in the communes its sites reach, so that a report puts the caveat on the lines they affect.

use crate::coverage::{CoverageError, CoverageParams, CoverageReport, Site};
use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::transit::calendar::Weekday;

use super::file::{Project, ProjectSite};

/// An actor of a group known by its address only, not placed: it exists, but no distance to it
/// is measured.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AddressOnlyActor {
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// INSEE code of its commune.
    pub commune: String,
    /// Commune name.
    pub commune_name: String,
}

/// The actors of one group known by address only in the communes the group's sites reach.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AddressOnlyCaveat {
    /// The group.
    pub group: ActorGroup,
    /// Its actors known by address in the communes reached, sorted by id.
    pub actors: Vec<AddressOnlyActor>,
}

/// What a project's placed sites reach, per service.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectCoverage {
    /// The check of every (site, service) pair; `None` when no site is placed.
    pub report: Option<CoverageReport>,
    /// For each site of [`CoverageReport::sites`], the index of the project's site (from 0).
    pub site_of: Vec<usize>,
    /// Indices (from 0) of the project's sites without a position: not counted.
    pub unplaced: Vec<usize>,
    /// Per group of the report, the actors of the group known by address only in the communes
    /// its sites reach (groups without any are left out).
    pub address_only: Vec<AddressOnlyCaveat>,
    /// For each site of [`CoverageReport::sites`], the actors of its group known by address
    /// only in the communes it reaches (or lies in): the caveat of its own line.
    pub site_address_only: Vec<Vec<AddressOnlyActor>>,
}

impl ProjectCoverage {
    /// The caveat of a group, when it has actors known by address in the communes reached.
    pub fn caveat(&self, group: ActorGroup) -> Option<&AddressOnlyCaveat> {
        self.address_only.iter().find(|c| c.group == group)
    }
}

/// The opening window of a site over its days: the earliest opening and the latest closing,
/// seconds after midnight (what a transit check uses as arrival deadlines).
fn window_s(site: &ProjectSite) -> Option<(u32, u32)> {
    let mut out: Option<(u32, u32)> = None;
    for text in site.opening_hours.values() {
        let Ok(ranges) = crate::model::opening_hours::parse_day(text) else {
            continue;
        };
        for r in ranges {
            let (a, b) = (u32::from(r.start_min) * 60, u32::from(r.end_min) * 60);
            out = Some(out.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
        }
    }
    out
}

/// The coverage sites of a project: one per placed site and service, named after the site,
/// with its days and opening window; and for each, the index of the project's site.
pub fn expand_sites(project: &Project) -> (Vec<Site>, Vec<usize>) {
    let mut sites = Vec::new();
    let mut site_of = Vec::new();
    for (i, s) in project.sites.iter().enumerate() {
        let (Some(p), Some(q)) = (s.point_wgs84, s.point_l93) else {
            continue;
        };
        let days: Vec<Weekday> = s
            .opening_hours
            .keys()
            .filter_map(|d| Weekday::parse(d).ok())
            .collect();
        for g in &s.services {
            sites.push(Site {
                id: format!("site-{}-{}", i + 1, g.code()),
                name: Some(s.name.clone()),
                group: Some(*g),
                days: (!days.is_empty()).then(|| days.clone()),
                hours: window_s(s),
                lon: p.x(),
                lat: p.y(),
                point_wgs84: p,
                point_l93: q,
            });
            site_of.push(i);
        }
    }
    (sites, site_of)
}

/// Runs the check of a project's placed sites, one per service they offer, with `params`
/// (its `group` is ignored: each site counts for its own services), asking `stop` before each
/// site; then names the actors known by address in the communes each group's sites reach.
///
/// # Errors
/// The check's [`CoverageError`] (threshold, budget).
pub fn project_coverage(
    ds: &Dataset,
    project: &Project,
    params: &CoverageParams,
    check: impl FnOnce(&[Site], &CoverageParams) -> Result<CoverageReport, CoverageError>,
) -> Result<ProjectCoverage, CoverageError> {
    let (sites, site_of) = expand_sites(project);
    let unplaced = project
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.point_wgs84.is_none())
        .map(|(i, _)| i)
        .collect();
    if sites.is_empty() {
        return Ok(ProjectCoverage {
            report: None,
            site_of,
            unplaced,
            address_only: Vec::new(),
            site_address_only: Vec::new(),
        });
    }
    let p = CoverageParams {
        group: None,
        ..*params
    };
    let report = check(&sites, &p)?;
    let mut address_only = Vec::new();
    for g in &report.groups {
        // The communes the group's cells lie in, and those of its sites.
        let mut communes: Vec<&str> = g.communes.iter().map(String::as_str).collect();
        communes.extend(
            report
                .sites
                .iter()
                .filter(|s| s.group == g.group)
                .filter_map(|s| s.commune.as_deref()),
        );
        let actors = address_only_in(ds, g.group, &communes);
        if !actors.is_empty() {
            address_only.push(AddressOnlyCaveat {
                group: g.group,
                actors,
            });
        }
    }
    let site_address_only = report
        .sites
        .iter()
        .map(|s| {
            let mut communes: Vec<&str> = s.communes.iter().map(String::as_str).collect();
            communes.extend(s.commune.as_deref());
            address_only_in(ds, s.group, &communes)
        })
        .collect();
    Ok(ProjectCoverage {
        report: Some(report),
        site_of,
        unplaced,
        address_only,
        site_address_only,
    })
}

/// The actors of `group` known by address only whose commune is one of `communes`, by id.
fn address_only_in(ds: &Dataset, group: ActorGroup, communes: &[&str]) -> Vec<AddressOnlyActor> {
    let mut actors: Vec<AddressOnlyActor> = ds
        .actors_to_place
        .iter()
        .filter(|a| a.kind.group() == group && communes.contains(&a.commune.as_str()))
        .map(|a| AddressOnlyActor {
            id: a.id.clone(),
            name: a.name.clone(),
            address: a.address.clone(),
            commune: a.commune.to_string(),
            commune_name: ds
                .known_communes
                .get(&a.commune)
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    actors.sort_by(|a, b| a.id.cmp(&b.id));
    actors
}
