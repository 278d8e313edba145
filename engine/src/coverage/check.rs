//! The coverage check: which cells, QPV, young people and communes planned sites reach within a
//! threshold, on foot or on foot + public transport.
//!
//! A grid cell is reached when its centre is within the threshold of a site. On foot: the
//! walking model. On foot + transit: RAPTOR from the site over the departures of the access
//! window (clipped to the site's opening hours when given, or the first two opening hours when
//! the window misses them), then a walk from each stop reached;
//! the cell's time is the lower median over departures, as in
//! [`crate::transit::access`]. Journeys are computed *from* the site, a proxy for journeys to
//! it (timetables are not symmetric; the proxy is said in the report's method note).
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
use crate::transit::raptor::{UNREACHED, earliest_arrival};
use crate::transit::walk::distance_l93_m;
use crate::walking::WalkModel;
use geo::Point;

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
    let group = params.group.or_else(|| sites.iter().find_map(|s| s.group));
    let walk = *net.params.walk();
    let model = &net.walk;
    let thr_s = thr * 60.0;
    // Best minutes per reached cell, over all sites; and per site counts.
    let mut reached: BTreeMap<usize, f64> = BTreeMap::new();
    let mut site_reach = Vec::with_capacity(sites.len());
    for site in sites {
        let cells = match mode {
            Mode::Walk => walk_cells(gg, site.point_l93, thr_s, model),
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
        let n = match model.network() {
            None => gg
                .grid
                .cells_within(a.point_l93, reach_m)
                .filter(|k| reached.contains_key(k))
                .count(),
            Some(_) => walk_cells(gg, a.point_l93, thr_s, model)
                .keys()
                .filter(|k| reached.contains_key(k))
                .count(),
        };
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
        Mode::Walk if model.network().is_some() => format!(
            "à pied : {} ; {} min ; carreaux de {} m (Lambert-93) atteints par leur centre",
            model.method_note(),
            thr,
            gg.grid.cell_m
        ),
        Mode::Walk => format!(
            "à pied : distance à vol d'oiseau (Lambert-93) × {} à {} km/h, soit {:.0} m en {} min ; carreaux de {} m (Lambert-93) atteints par leur centre",
            walk.detour_factor, walk.speed_kmh, reach_m, thr, gg.grid.cell_m
        ),
        Mode::Transit => format!(
            "à pied et en transport en commun (RAPTOR, médiane des départs de la fenêtre, trajets calculés depuis le site) ; {}",
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

/// Cells whose centre is within `thr_s` walking seconds of a point, with their minutes.
///
/// Straight line: the cells within the reach distance. Network: one bounded search from the
/// point; candidates are the cells within the distance walked in `thr_s` at the walking speed
/// (no network path is shorter than the straight line).
fn walk_cells(gg: &GapGrid, from: Point, thr_s: f64, model: &WalkModel) -> BTreeMap<usize, f64> {
    let walk = model.params();
    match model.network() {
        None => gg
            .grid
            .cells_within(from, walk.reach_m(thr_s))
            .map(|k| {
                (
                    k,
                    walk.seconds_for_m(distance_l93_m(from, gg.grid.centre(k))) / 60.0,
                )
            })
            .collect(),
        Some(_) => {
            let mut search = None;
            let walk_from = model.from_point(&mut search, from, thr_s);
            gg.grid
                .cells_within(from, thr_s * walk.speed_kmh / 3.6)
                .filter_map(|k| {
                    walk_from
                        .seconds_to(gg.grid.centre(k))
                        .map(|s| (k, s / 60.0))
                })
                .collect()
        }
    }
}

fn transit_cells(
    gg: &GapGrid,
    net: &AccessNetwork,
    site: &Site,
    thr_s: f64,
    warnings: &mut Vec<String>,
) -> BTreeMap<usize, f64> {
    let Some(tt) = net.timetable.as_ref() else {
        return BTreeMap::new();
    };
    let walk = *net.params.walk();
    let mut times = net.params.departures.times();
    if let Some((open, close)) = site.hours {
        let clipped: Vec<u32> = times
            .iter()
            .copied()
            .filter(|t| (open..close).contains(t))
            .collect();
        times = if clipped.is_empty() {
            // Opening hours outside the window: the first two opening hours, every 10 minutes.
            warnings.push(format!(
                "site {} : horaires d'ouverture hors de la fenêtre de départs ; départs pris dans les deux premières heures d'ouverture",
                site.id
            ));
            (open..close.min(open + 7200)).step_by(600).collect()
        } else {
            clipped
        };
    }
    let access = net.access_stops(site.point_l93);
    let direct = walk_cells(gg, site.point_l93, thr_s, &net.walk);
    // Network model: egress cells of each stop within the access budget, computed once.
    let mut egress: HashMap<usize, BTreeMap<usize, f64>> = HashMap::new();
    let egress_s = walk.seconds_for_m(net.params.max_access_walk_m);
    let mut per_cell: HashMap<usize, Vec<f64>> = HashMap::new();
    for &t0 in &times {
        let arr = earliest_arrival(tt, &access, t0, net.params.max_rounds);
        let mut best: HashMap<usize, f64> = direct.iter().map(|(&k, &m)| (k, m * 60.0)).collect();
        for (s, &a) in arr.iter().enumerate() {
            if a == UNREACHED {
                continue;
            }
            let spent = f64::from(a - t0);
            if spent >= thr_s {
                continue;
            }
            let p = net.stop_point(s);
            if net.walk.network().is_some() {
                let cells = egress
                    .entry(s)
                    .or_insert_with(|| walk_cells(gg, p, egress_s, &net.walk));
                for (&k, &m) in cells.iter() {
                    let e = best.entry(k).or_insert(f64::INFINITY);
                    *e = e.min(spent + m * 60.0);
                }
                continue;
            }
            let radius = walk
                .reach_m(thr_s - spent)
                .min(net.params.max_access_walk_m);
            for k in gg.grid.cells_within(p, radius) {
                let t = spent + walk.seconds_for_m(distance_l93_m(p, gg.grid.centre(k)));
                let e = best.entry(k).or_insert(f64::INFINITY);
                *e = e.min(t);
            }
        }
        for (k, t) in best {
            per_cell.entry(k).or_default().push(t);
        }
    }
    let n = times.len();
    per_cell
        .into_iter()
        .filter_map(|(k, mut v)| {
            v.resize(n.max(v.len()), f64::INFINITY);
            let m = lower_median(v);
            (m <= thr_s).then_some((k, m / 60.0))
        })
        .collect()
}
