//! The coverage check: which cells, QPV, young people and communes planned sites reach within a
//! threshold, on foot or on foot + public transport.
//!
//! A grid cell is reached when its centre is within the threshold of a site. On foot: the
//! walking model. On foot + transit: journeys *to* the site arriving within its opening hours
//! (`hours`, every 10 minutes from opening to closing; without hours, the network's
//! [`arrivals`](crate::transit::AccessParams::arrivals) window): one reverse RAPTOR run
//! ([`latest_departure`](crate::transit::latest_departure)) per deadline from the site's egress stops, then a walk from each cell
//! to the stops it can leave from in time; the cell's time is the lower median over deadlines
//! of deadline − latest departure. A site closed on the timetable's day (`days`) is said in the
//! warnings.
//!
//! A QPV's reached share is the share of its area (grid samples) in reached cells. Overlap:
//! reached cells where an existing actor of the same group (all groups when the sites have none)
//! is already within the threshold, by the same mode. Gap cells newly covered: reached cells
//! that are gaps for that group (the first group of the sites, or missions locales); when the
//! group has no actor in the data, every reached cell with young people is a gap.

use std::collections::{BTreeMap, HashMap};

use crate::dataset::Dataset;
use crate::gaps::access::GapGrid;
use crate::model::actor::ActorGroup;
use crate::transit::access::{AccessNetwork, lower_median};
use crate::transit::isochrone::{self, JourneyTime};

use super::site::Site;

/// Travel mode of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// On foot.
    Walk,
    /// On foot and by public transport.
    Transit,
}

impl Mode {
    /// Parses `walk`/`marche`/`pied` or `transit`/`walk+transit`/`tc`.
    ///
    /// # Errors
    /// A message naming the text.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "walk" | "marche" | "pied" | "foot" => Ok(Self::Walk),
            "transit" | "walk+transit" | "walk_transit" | "tc" | "transport" => Ok(Self::Transit),
            _ => Err(format!("unknown mode {text:?} (expected walk or transit)")),
        }
    }
}

/// Parameters of a check.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CoverageParams {
    /// Threshold, minutes (0 < t ≤ 120).
    pub threshold_min: f64,
    /// Mode asked for.
    pub mode: Mode,
    /// Group the sites belong to, overriding the sites' own.
    pub group: Option<ActorGroup>,
}

impl Default for CoverageParams {
    fn default() -> Self {
        Self {
            threshold_min: 20.0,
            mode: Mode::Walk,
            group: None,
        }
    }
}

/// A QPV reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvReached {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Share of the QPV's area within the threshold, percent.
    pub share_reached_pct: f64,
    /// Estimated young people 15-29 of the QPV reached.
    pub youth_reached: f64,
}

/// A commune concerned.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommuneReached {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Cells reached.
    pub cells: usize,
    /// Estimated young people 15-29 reached.
    pub youth_reached: f64,
}

/// An existing actor whose own walking area overlaps the sites'.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorOverlap {
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology code.
    pub kind: String,
    /// Reached cells within the threshold's walking distance of the actor.
    pub cells: usize,
}

/// What one site reaches alone.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SiteReach {
    /// The site.
    pub site: Site,
    /// INSEE code of the commune it lies in, if a member.
    pub commune: Option<String>,
    /// QPV it lies in, if any.
    pub qpv: Option<String>,
    /// Cells reached.
    pub cells: usize,
    /// Estimated young people 15-29 reached.
    pub youth_reached: f64,
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageReport {
    /// Threshold, minutes.
    pub threshold_min: f64,
    /// Mode asked for.
    pub mode_requested: Mode,
    /// Mode used (walk when no timetable exists).
    pub mode: Mode,
    /// Group judged for overlap and gaps (`None`: all groups for overlap, ML for gaps).
    pub group: Option<ActorGroup>,
    /// How access was measured (French).
    pub method: String,
    /// Warnings (French): fall-backs, closed days.
    pub warnings: Vec<String>,
    /// Per site, in the order given.
    pub sites: Vec<SiteReach>,
    /// Grid cells reached (200 m).
    pub cells_reached: usize,
    /// Estimated young people 15-29 reached, all sites together.
    pub youth_reached: f64,
    /// QPV with part of their area reached, sorted by code.
    pub qpv: Vec<QpvReached>,
    /// Communes concerned, sorted by code.
    pub communes: Vec<CommuneReached>,
    /// Young people reached already within the threshold of an existing actor of the group.
    pub youth_already_covered: f64,
    /// Existing actors overlapping, sorted by id.
    pub overlapping_actors: Vec<ActorOverlap>,
    /// Reached cells that are gaps for the group.
    pub gap_cells_newly_covered: usize,
    /// Young people in them.
    pub youth_in_gap_cells_newly_covered: f64,
}

/// Errors of a check (bad parameters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoverageError {
    /// The threshold is not in (0, 120] minutes.
    #[error("threshold must be between 0 and 120 minutes, got {0}")]
    Threshold(String),
    /// No site.
    #[error("no site given")]
    NoSite,
}

/// Runs a coverage check.
///
/// # Errors
/// [`CoverageError`] for a threshold out of range or no site.
pub fn check(
    ds: &Dataset,
    gg: &GapGrid,
    net: &AccessNetwork,
    sites: &[Site],
    params: &CoverageParams,
) -> Result<CoverageReport, CoverageError> {
    let thr = params.threshold_min;
    if !(thr > 0.0 && thr <= 120.0) {
        return Err(CoverageError::Threshold(thr.to_string()));
    }
    if sites.is_empty() {
        return Err(CoverageError::NoSite);
    }
    let mut warnings = Vec::new();
    let mode = if params.mode == Mode::Transit && !net.has_transit() {
        warnings.push(format!(
            "mode transport en commun demandé mais indisponible ({}) : vérification à pied",
            net.note
        ));
        Mode::Walk
    } else {
        params.mode
    };
    if !ds.actors_to_place.is_empty() {
        warnings.push(format!(
            "{} acteur(s) connu(s) par adresse seulement (à localiser) ne comptent pas parmi les acteurs existants",
            ds.actors_to_place.len()
        ));
    }
    let group = params.group.or_else(|| sites.iter().find_map(|s| s.group));
    let walk = *net.params.walk();
    let thr_s = thr * 60.0;
    // Best minutes per reached cell, over all sites; and per site counts.
    let mut reached: BTreeMap<usize, f64> = BTreeMap::new();
    let mut site_reach = Vec::with_capacity(sites.len());
    for site in sites {
        let cells = match mode {
            Mode::Walk => walk_cells(gg, site, thr_s, &walk),
            Mode::Transit => transit_cells(gg, net, site, thr_s, &mut warnings),
        };
        let youth: f64 = cells.keys().map(|&k| gg.grid.cells[k].youth_15_29).sum();
        for (&k, &m) in &cells {
            let e = reached.entry(k).or_insert(f64::INFINITY);
            *e = e.min(m);
        }
        let vintage = gg.grid.qpv_vintage.unwrap_or(2024);
        site_reach.push(SiteReach {
            site: site.clone(),
            commune: ds
                .commune_at_l93(site.point_l93)
                .map(|c| ds.communes[c].code.to_string()),
            qpv: ds
                .qpv_at_l93(site.point_l93, vintage)
                .map(|q| ds.qpv[q].code.to_string()),
            cells: cells.len(),
            youth_reached: youth,
        });
        if let (Some(days), Some(tt)) = (&site.days, net.timetable.as_ref())
            && mode == Mode::Transit
            && let Some(wd) = crate::transit::calendar::weekday_of(tt.date)
            && !days.contains(&wd)
        {
            warnings.push(format!(
                "site {} : fermé le jour des horaires utilisés ({})",
                site.id, tt.date
            ));
        }
    }

    // QPV shares and youth.
    let mut qpv_area: HashMap<usize, f64> = HashMap::new();
    for c in &gg.grid.cells {
        for &(q, s) in &c.qpv {
            *qpv_area.entry(q).or_insert(0.0) += s;
        }
    }
    let mut qpv: BTreeMap<String, QpvReached> = BTreeMap::new();
    let mut communes: BTreeMap<String, CommuneReached> = BTreeMap::new();
    let covered_by = |k: usize, gi: usize| {
        let a = gg.access[k][gi];
        let t = if mode == Mode::Walk {
            f64::from(a.walk_min)
        } else {
            a.best_min()
        };
        t <= thr
    };
    let overlap_groups: Vec<usize> = match group {
        Some(g) => gg.group_index(g).into_iter().collect(),
        None => ActorGroup::EXPECTED
            .iter()
            .filter_map(|&g| gg.group_index(g))
            .collect(),
    };
    let gap_group = gg.group_index(group.unwrap_or(ActorGroup::MissionLocale));
    let (mut youth_reached, mut youth_already, mut gap_cells, mut gap_youth) = (0.0, 0.0, 0, 0.0);
    for &k in reached.keys() {
        let cell = &gg.grid.cells[k];
        youth_reached += cell.youth_15_29;
        for &(q, share) in &cell.qpv {
            let Some(qq) = ds.qpv.get(q) else { continue };
            let e = qpv
                .entry(qq.code.to_string())
                .or_insert_with(|| QpvReached {
                    code: qq.code.to_string(),
                    name: qq.name.clone(),
                    share_reached_pct: 0.0,
                    youth_reached: 0.0,
                });
            e.share_reached_pct += 100.0 * share / qpv_area.get(&q).copied().unwrap_or(1.0);
            if cell.land_share > 0.0 {
                e.youth_reached += cell.youth_15_29 * share / cell.land_share;
            }
        }
        if let Some(c) = ds.communes.get(cell.commune) {
            let e = communes
                .entry(c.code.to_string())
                .or_insert_with(|| CommuneReached {
                    code: c.code.to_string(),
                    name: c.name.clone(),
                    cells: 0,
                    youth_reached: 0.0,
                });
            e.cells += 1;
            e.youth_reached += cell.youth_15_29;
        }
        if overlap_groups.iter().any(|&gi| covered_by(k, gi)) {
            youth_already += cell.youth_15_29;
        }
        // A group without any actor leaves every cell with young people in a gap.
        if cell.youth_15_29 >= gg.params.min_youth && !gap_group.is_some_and(|gi| covered_by(k, gi))
        {
            gap_cells += 1;
            gap_youth += cell.youth_15_29;
        }
    }
    // Existing actors of the group whose walking area (threshold) holds reached cells.
    let reach_m = walk.reach_m(thr_s);
    let mut overlap: BTreeMap<String, ActorOverlap> = BTreeMap::new();
    for a in &ds.actors {
        let g = a.kind.group();
        let relevant = match group {
            Some(x) => g == x,
            None => ActorGroup::EXPECTED.contains(&g),
        };
        if !relevant {
            continue;
        }
        let n = gg
            .grid
            .cells_within(a.point_l93, reach_m)
            .filter(|k| reached.contains_key(k))
            .count();
        if n > 0 {
            overlap.insert(
                a.id.clone(),
                ActorOverlap {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    kind: a.kind.code().to_owned(),
                    cells: n,
                },
            );
        }
    }
    let method = match mode {
        Mode::Walk => format!(
            "à pied : distance à vol d'oiseau (Lambert-93) × {} à {} km/h, soit {:.0} m en {} min ; carreaux de {} m (Lambert-93) atteints par leur centre",
            walk.detour_factor, walk.speed_kmh, reach_m, thr, gg.grid.cell_m
        ),
        Mode::Transit => format!(
            "à pied et en transport en commun (RAPTOR inverse : arrivée au site pendant ses heures d'ouverture, toutes les 10 minutes, médiane des temps) ; {}",
            net.note
        ),
    };
    Ok(CoverageReport {
        threshold_min: thr,
        mode_requested: params.mode,
        mode,
        group,
        method,
        warnings,
        sites: site_reach,
        cells_reached: reached.len(),
        youth_reached,
        qpv: qpv
            .into_values()
            .map(|mut q| {
                q.share_reached_pct = q.share_reached_pct.min(100.0);
                q
            })
            .collect(),
        communes: communes.into_values().collect(),
        youth_already_covered: youth_already,
        overlapping_actors: overlap.into_values().collect(),
        gap_cells_newly_covered: gap_cells,
        youth_in_gap_cells_newly_covered: gap_youth,
    })
}

fn walk_cells(
    gg: &GapGrid,
    site: &Site,
    thr_s: f64,
    walk: &crate::transit::WalkParams,
) -> BTreeMap<usize, f64> {
    isochrone::walk_cells(&gg.grid, site.point_l93, thr_s, walk)
        .into_iter()
        .map(|(k, s)| (k, s / 60.0))
        .collect()
}

fn transit_cells(
    gg: &GapGrid,
    net: &AccessNetwork,
    site: &Site,
    thr_s: f64,
    warnings: &mut Vec<String>,
) -> BTreeMap<usize, f64> {
    if !net.has_transit() {
        return BTreeMap::new();
    }
    let deadlines: Vec<u32> = match site.hours {
        Some((open, close)) => (open..close.max(open + 1)).step_by(600).collect(),
        None => net.params.arrivals.times(),
    };
    let mut per_cell: HashMap<usize, Vec<f64>> = HashMap::new();
    let mut by_transit = false;
    for &deadline in &deadlines {
        let r = isochrone::transit_cells(
            &gg.grid,
            net,
            site.point_l93,
            thr_s,
            JourneyTime::ArriveBy(deadline),
        );
        by_transit |= r.by_transit;
        for (k, t) in r.cells {
            per_cell.entry(k).or_default().push(t);
        }
    }
    if !by_transit {
        warnings.push(format!(
            "site {} : aucun trajet en transport en commun n'arrive au site dans le seuil pendant ses heures d'ouverture ; accès à pied seulement",
            site.id
        ));
    }
    let n = deadlines.len();
    per_cell
        .into_iter()
        .filter_map(|(k, mut v)| {
            v.resize(n.max(v.len()), f64::INFINITY);
            let m = lower_median(v);
            (m <= thr_s).then_some((k, m / 60.0))
        })
        .collect()
}
