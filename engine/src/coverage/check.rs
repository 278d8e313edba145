//! The coverage check: which cells, QPV, young people and communes planned sites reach within a
//! threshold, on foot or on foot + public transport.
//!
//! A grid cell is reached when its centre is within the threshold of a site. On foot: the
//! walking model. On foot + transit: journeys *to* the site arriving within its opening hours
//! (`hours`, every 10 minutes from opening to closing; without hours, the network's
//! [`arrivals`](crate::transit::TravelParams::arrivals) window): one reverse RAPTOR run
//! ([`latest_departure`](crate::transit::latest_departure)) per deadline from the site's egress stops, then a walk from each cell
//! to the stops it can leave from in time; the cell's time is the lower median over deadlines
//! of deadline − latest departure. A site closed on the timetable's day (`days`) is said in the
//! warnings.
//!
//! A QPV's reached share is the share of its area (grid samples) in reached cells. Each site is
//! judged for one actor group (the `group` parameter, else the site's own, else missions
//! locales); per group ([`GroupCoverage`]), the young people its sites reach split into those
//! already within the threshold of an existing actor **of the same group**, by the same mode,
//! and those in that group's gap cells, newly covered: the two add up to the young people
//! reached. When the group has no actor in the data, nobody is already covered.

use std::collections::{BTreeMap, HashMap};

use crate::dataset::Dataset;
use crate::gaps::gap_grid::GapGrid;
use crate::model::actor::ActorGroup;
use crate::transit::TravelNetwork;
use crate::transit::access::lower_median;
use crate::transit::isochrone::{self, JourneyTime};
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
    pub fn parse(text: &str) -> Result<Self, crate::problem::ValueError> {
        match text.trim().to_lowercase().as_str() {
            "walk" | "marche" | "pied" | "foot" => Ok(Self::Walk),
            "transit" | "walk+transit" | "walk_transit" | "tc" | "transport" => Ok(Self::Transit),
            _ => Err(crate::problem::ValueError::new(
                text,
                "mode attendu : walk (à pied) ou transit (transport en commun)",
            )),
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
    /// Group the site is judged for (parameter, else the site's own, else missions locales).
    pub group: ActorGroup,
    /// INSEE code of the commune it lies in.
    pub commune: Option<String>,
    /// QPV it lies in, if any.
    pub qpv: Option<String>,
    /// Cells reached.
    pub cells: usize,
    /// Estimated young people 15-29 reached.
    pub youth_reached: f64,
    /// Of whom beyond the threshold of every existing actor of the site's group (its gap
    /// cells): newly covered by this site alone.
    pub youth_newly_covered: f64,
    /// INSEE codes of the communes holding the cells it reaches, sorted.
    pub communes: Vec<String>,
}

/// A grid cell reached by the sites, for maps.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReachedCell {
    /// Cell identifier (`L93_200m_E…N…`).
    pub id: String,
    /// Index (in [`CoverageReport::sites`]) of the site reaching it soonest.
    pub site: usize,
    /// Minutes from that site.
    pub minutes: f64,
    /// Estimated young people 15-29 of the cell.
    pub youth_15_29: f64,
    /// Lower-left corner x, Lambert-93 metres.
    pub x_l93: f64,
    /// Lower-left corner y, Lambert-93 metres.
    pub y_l93: f64,
    /// The cell square, WGS84 lon/lat (closed ring of 5 positions).
    pub ring_wgs84: Vec<[f64; 2]>,
}

/// The figures of one actor group: the sites offering that group's service, the young people
/// they reach, of whom already within the threshold of an existing actor **of the same group**,
/// and the others (in that group's gap cells), newly covered.
/// `youth_already_covered + youth_newly_covered == youth_reached` always.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupCoverage {
    /// The group.
    pub group: ActorGroup,
    /// Its French label.
    pub group_label: &'static str,
    /// Whether the data hold at least one actor of the group (when not, no young person is
    /// already covered and every young person reached was in a gap).
    pub group_in_data: bool,
    /// Threshold, minutes.
    pub threshold_min: f64,
    /// Ids of the sites of this group.
    pub site_ids: Vec<String>,
    /// Cells reached by these sites.
    pub cells_reached: usize,
    /// Estimated young people 15-29 reached by these sites.
    pub youth_reached: f64,
    /// Of whom already within the threshold of an existing actor of the group.
    pub youth_already_covered: f64,
    /// Of whom in the group's gap cells (beyond the threshold of every existing actor of the
    /// group): newly covered.
    pub youth_newly_covered: f64,
    /// Reached cells that are gaps of the group (with at least [`crate::gaps::GapParams::min_youth`]
    /// young people).
    pub gap_cells_newly_covered: usize,
    /// Existing actors of the group whose walking area (threshold) holds cells these sites
    /// reach, sorted by id.
    pub overlapping_actors: Vec<ActorOverlap>,
    /// INSEE codes of the communes holding cells these sites reach, sorted.
    pub communes: Vec<String>,
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
    /// How access was measured (French).
    pub method: String,
    /// Warnings (French): fall-backs, closed days.
    pub warnings: Vec<String>,
    /// Per site, in the order given.
    pub sites: Vec<SiteReach>,
    /// Grid cells reached (200 m), all sites together.
    pub cells_reached: usize,
    /// Estimated young people 15-29 reached, all sites together.
    pub youth_reached: f64,
    /// QPV with part of their area reached, sorted by code.
    pub qpv: Vec<QpvReached>,
    /// Communes concerned, sorted by code.
    pub communes: Vec<CommuneReached>,
    /// Per group of the sites (in [`ActorGroup::ALL`] order): already and newly covered.
    pub groups: Vec<GroupCoverage>,
    /// The reached cells, sorted by id order of the grid.
    pub cells: Vec<ReachedCell>,
    /// The invisibles (NEET young people followed by no one) within reach, all sites together;
    /// filled by [`crate::Analysis::coverage_within`] from the commune diagnostics (`None`
    /// from the bare check).
    pub invisibles: Option<super::invisibles::InvisiblesReached>,
}

/// Most sites a check accepts.
pub const MAX_SITES: usize = 1000;

/// Errors of a check (bad parameters or sites).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverageError {
    /// The threshold is not in (0, 120] minutes.
    #[error("champ minutes : {0}")]
    Threshold(#[from] crate::minutes::MinutesError),
    /// No site.
    #[error("champ sites : aucun site fourni")]
    NoSite,
    /// More than [`MAX_SITES`] sites.
    #[error("champ sites : {0} sites fournis, au plus 1000 acceptés")]
    TooManySites(usize),
    /// The caller's budget ran out (`stop` answered true) before every site was computed.
    #[error(
        "calcul interrompu : la vérification dépasse le temps de calcul permis ({done} sites \
         sur {total} calculés) ; réduire le nombre de sites ou la durée, ou réessayer plus tard"
    )]
    Budget {
        /// Sites computed when it stopped.
        done: usize,
        /// Sites given.
        total: usize,
    },
    /// A site outside every member commune.
    #[error(
        "site n° {position} ({id}), champs lon/lat : le point ({lon}, {lat}) est hors du territoire (aucune commune membre ne le contient)"
    )]
    OutsideTerritory {
        /// Position from 1.
        position: usize,
        /// Site id or name.
        id: String,
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
}

/// Checks that every site lies in a member commune and that there are 1 to [`MAX_SITES`] of
/// them.
///
/// # Errors
/// [`CoverageError::NoSite`], [`CoverageError::TooManySites`] or the first site outside the
/// territory.
pub fn validate_sites(ds: &Dataset, sites: &[Site]) -> Result<(), CoverageError> {
    if sites.is_empty() {
        return Err(CoverageError::NoSite);
    }
    if sites.len() > MAX_SITES {
        return Err(CoverageError::TooManySites(sites.len()));
    }
    for (i, s) in sites.iter().enumerate() {
        if ds.commune_at_l93(s.point_l93).is_none() {
            return Err(CoverageError::OutsideTerritory {
                position: i + 1,
                id: s.name.clone().unwrap_or_else(|| s.id.clone()),
                lon: s.lon,
                lat: s.lat,
            });
        }
    }
    Ok(())
}

/// Runs a coverage check.
///
/// Each site is judged for one group: [`CoverageParams::group`] when given, else its own, else
/// missions locales (with a warning). "Already covered" and "newly covered" are computed per
/// group against the existing actors of that same group, with the same threshold and mode.
///
/// # Errors
/// [`CoverageError`] for a threshold out of range, no site, too many sites or a site outside the
/// territory; nothing is computed then.
pub fn check(
    ds: &Dataset,
    gg: &GapGrid,
    net: &TravelNetwork,
    sites: &[Site],
    params: &CoverageParams,
) -> Result<CoverageReport, CoverageError> {
    check_within(ds, gg, net, sites, params, &|| false)
}

/// [`check`] that gives up when `stop` answers true (asked before each site): the caller's
/// compute budget (a deadline, a cancellation), kept out of the engine, which reads no clock.
///
/// # Errors
/// As [`check`], and [`CoverageError::Budget`] when `stop` answered true.
pub fn check_within(
    ds: &Dataset,
    gg: &GapGrid,
    net: &TravelNetwork,
    sites: &[Site],
    params: &CoverageParams,
    stop: &dyn Fn() -> bool,
) -> Result<CoverageReport, CoverageError> {
    let thr = params.threshold_min;
    validate(ds, sites, thr)?;
    let mut warnings = Vec::new();
    let mode = mode_used(params.mode, net, &mut warnings);
    let site_groups = groups_of_sites(sites, params.group, &mut warnings);
    if !ds.actors_to_place.is_empty() {
        warnings.push(format!(
            "{} acteur(s) connu(s) par adresse seulement (à localiser) ne comptent pas parmi les acteurs existants",
            ds.actors_to_place.len()
        ));
    }
    let model = &net.params.walk;
    let thr_s = thr * 60.0;
    let reach = reach_per_site(
        ds,
        gg,
        net,
        sites,
        &site_groups,
        (mode, thr_s),
        stop,
        &mut warnings,
    )?;
    let t = tallies(ds, gg, &reach.best);
    let groups = reach
        .by_group
        .iter()
        .map(|(&g, cells)| {
            let ids = sites
                .iter()
                .zip(&site_groups)
                .filter(|(_, sg)| **sg == g)
                .map(|(s, _)| s.id.clone())
                .collect();
            group_coverage(ds, gg, g, cells, ids, thr, mode, thr_s, model)
        })
        .collect();
    Ok(CoverageReport {
        threshold_min: thr,
        mode_requested: params.mode,
        mode,
        method: method_note(gg, net, mode, thr),
        warnings,
        sites: reach.sites,
        cells_reached: reach.best.len(),
        youth_reached: t.youth_reached,
        qpv: t.qpv,
        communes: t.communes,
        groups,
        cells: t.cells,
        invisibles: None,
    })
}

/// Checks the threshold (0 < t ≤ 120 minutes) and the sites ([`validate_sites`]).
fn validate(ds: &Dataset, sites: &[Site], thr: f64) -> Result<(), CoverageError> {
    crate::minutes::Minutes::new(thr)?;
    validate_sites(ds, sites)
}

/// The mode used: walk when transit is asked for but no timetable exists (said in a warning).
fn mode_used(asked: Mode, net: &TravelNetwork, warnings: &mut Vec<String>) -> Mode {
    if asked == Mode::Transit && !net.has_transit() {
        warnings.push(format!(
            "mode transport en commun demandé mais indisponible ({}) : vérification à pied",
            net.note
        ));
        Mode::Walk
    } else {
        asked
    }
}

/// The group each site is judged for: the parameter, else the site's own, else missions
/// locales (said in a warning).
fn groups_of_sites(
    sites: &[Site],
    group: Option<ActorGroup>,
    warnings: &mut Vec<String>,
) -> Vec<ActorGroup> {
    if group.is_none() && sites.iter().any(|s| s.group.is_none()) {
        warnings.push(
            "groupe d'acteurs non indiqué pour certains sites : ils sont comptés comme missions locales"
                .to_owned(),
        );
    }
    sites
        .iter()
        .map(|s| group.or(s.group).unwrap_or(ActorGroup::MissionLocale))
        .collect()
}

/// What the sites reach, cell by cell.
struct Reach {
    /// Best (minutes, site index) per reached cell, over all sites.
    best: BTreeMap<usize, (f64, usize)>,
    /// Best minutes per reached cell, per group of the sites.
    by_group: BTreeMap<ActorGroup, BTreeMap<usize, f64>>,
    /// Per site, in the order given.
    sites: Vec<SiteReach>,
}

/// The cells each site reaches (asking `stop` before each site), merged over all sites and per
/// group; warns of sites closed on the timetable's day.
#[allow(clippy::too_many_arguments)]
fn reach_per_site(
    ds: &Dataset,
    gg: &GapGrid,
    net: &TravelNetwork,
    sites: &[Site],
    site_groups: &[ActorGroup],
    (mode, thr_s): (Mode, f64),
    stop: &dyn Fn() -> bool,
    warnings: &mut Vec<String>,
) -> Result<Reach, CoverageError> {
    let model = &net.params.walk;
    let mut best: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
    let mut by_group: BTreeMap<ActorGroup, BTreeMap<usize, f64>> = BTreeMap::new();
    let mut site_reach = Vec::with_capacity(sites.len());
    let vintage = gg.grid.qpv_vintage.unwrap_or(2024);
    for (si, site) in sites.iter().enumerate() {
        if stop() {
            return Err(CoverageError::Budget {
                done: si,
                total: sites.len(),
            });
        }
        let cells = match mode {
            Mode::Walk => walk_cells(gg, site.point_l93, thr_s, model),
            Mode::Transit => transit_cells(gg, net, site, thr_s, warnings),
        };
        // A fold from +0.0: `Sum` of no value is -0.0, which a report would print as such.
        let youth: f64 = cells
            .keys()
            .fold(0.0, |acc, &k| acc + gg.grid.cells[k].youth_15_29);
        let gi = gg.group_index(site_groups[si]);
        let newly: f64 = cells
            .keys()
            .filter(|&&k| !gi.is_some_and(|gi| covered_by_existing(gg, k, gi, thr_s / 60.0, mode)))
            .fold(0.0, |acc, &k| acc + gg.grid.cells[k].youth_15_29);
        let site_communes: std::collections::BTreeSet<String> = cells
            .keys()
            .filter_map(|&k| ds.communes.get(gg.grid.cells[k].commune))
            .map(|c| c.code.to_string())
            .collect();
        let g = by_group.entry(site_groups[si]).or_default();
        for (&k, &m) in &cells {
            let e = best.entry(k).or_insert((f64::INFINITY, si));
            if m < e.0 {
                *e = (m, si);
            }
            let e = g.entry(k).or_insert(f64::INFINITY);
            *e = e.min(m);
        }
        site_reach.push(SiteReach {
            site: site.clone(),
            group: site_groups[si],
            commune: ds
                .commune_at_l93(site.point_l93)
                .map(|c| ds.communes[c].code.to_string()),
            qpv: ds
                .qpv_at_l93(site.point_l93, vintage)
                .map(|q| ds.qpv[q].code.to_string()),
            cells: cells.len(),
            youth_reached: youth,
            youth_newly_covered: newly,
            communes: site_communes.into_iter().collect(),
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
    Ok(Reach {
        best,
        by_group,
        sites: site_reach,
    })
}

/// What the reached cells add up to, all sites together.
struct Tallies {
    qpv: Vec<QpvReached>,
    communes: Vec<CommuneReached>,
    youth_reached: f64,
    cells: Vec<ReachedCell>,
}

/// QPV shares and young people, communes concerned, young people reached and the reached cells
/// as WGS84 squares.
fn tallies(ds: &Dataset, gg: &GapGrid, reached: &BTreeMap<usize, (f64, usize)>) -> Tallies {
    let mut qpv_area: HashMap<usize, f64> = HashMap::new();
    for c in &gg.grid.cells {
        for &(q, s) in &c.qpv {
            *qpv_area.entry(q).or_insert(0.0) += s;
        }
    }
    let mut qpv: BTreeMap<String, QpvReached> = BTreeMap::new();
    let mut communes: BTreeMap<String, CommuneReached> = BTreeMap::new();
    let mut youth_reached = 0.0;
    let l93 = crate::crs::Lambert93::new();
    let mut corners: HashMap<(i64, i64), [f64; 2]> = HashMap::with_capacity(reached.len() * 2);
    let mut cells_out = Vec::with_capacity(reached.len());
    for (&k, &(minutes, site)) in reached {
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
        // Neighbouring cells share corners: each corner is reprojected once.
        let m = gg.grid.cell_m;
        let ring: Option<Vec<[f64; 2]>> = [(0.0, 0.0), (m, 0.0), (m, m), (0.0, m), (0.0, 0.0)]
            .iter()
            .map(|(dx, dy)| {
                let (x, y) = (cell.x_l93 + dx, cell.y_l93 + dy);
                let key = (x.round() as i64, y.round() as i64);
                if let Some(c) = corners.get(&key) {
                    return Some(*c);
                }
                let c = l93.to_wgs84(geo::Coord { x, y }).ok()?;
                corners.insert(key, [c.x, c.y]);
                Some([c.x, c.y])
            })
            .collect();
        if let Some(ring_wgs84) = ring {
            cells_out.push(ReachedCell {
                id: gg.grid.cell_id(k),
                site,
                minutes: (minutes * 10.0).round() / 10.0,
                youth_15_29: cell.youth_15_29,
                x_l93: cell.x_l93,
                y_l93: cell.y_l93,
                ring_wgs84,
            });
        }
    }
    Tallies {
        qpv: qpv
            .into_values()
            .map(|mut q| {
                q.share_reached_pct = q.share_reached_pct.min(100.0);
                q
            })
            .collect(),
        communes: communes.into_values().collect(),
        youth_reached,
        cells: cells_out,
    }
}

/// How access was measured (French, for the report).
fn method_note(gg: &GapGrid, net: &TravelNetwork, mode: Mode, thr: f64) -> String {
    let model = &net.params.walk;
    let walk = *net.params.walk();
    let thr_s = thr * 60.0;
    match mode {
        Mode::Walk if model.network().is_some() => format!(
            "à pied : {} ; {} min ; carreaux de {} m (Lambert-93) atteints par leur centre",
            model.method_note(),
            thr,
            gg.grid.cell_m
        ),
        Mode::Walk => format!(
            "à pied : distance à vol d'oiseau (Lambert-93) × {} à {} km/h, soit {:.0} m en {} min ; carreaux de {} m (Lambert-93) atteints par leur centre",
            crate::text::fr_decimal(walk.detour_factor, 2),
            crate::text::fr_decimal(walk.speed_kmh, 2),
            walk.reach_m(thr_s),
            thr,
            gg.grid.cell_m
        ),
        Mode::Transit => format!(
            "à pied et en transport en commun (RAPTOR inverse : arrivée au site pendant ses heures d'ouverture, toutes les 10 minutes, médiane des temps) ; {}",
            net.note
        ),
    }
}

/// Whether an existing actor of group index `gi` is within `thr` minutes of cell `k` by `mode`.
pub fn covered_by_existing(gg: &GapGrid, k: usize, gi: usize, thr: f64, mode: Mode) -> bool {
    let a = gg.access[k][gi];
    let t = if mode == Mode::Walk {
        f64::from(a.walk_min)
    } else {
        a.best_min()
    };
    t <= thr
}

#[allow(clippy::too_many_arguments)]
fn group_coverage(
    ds: &Dataset,
    gg: &GapGrid,
    group: ActorGroup,
    reached: &BTreeMap<usize, f64>,
    site_ids: Vec<String>,
    thr: f64,
    mode: Mode,
    thr_s: f64,
    model: &WalkModel,
) -> GroupCoverage {
    let reach_m = model.params().reach_m(thr_s);
    let gi = gg.group_index(group);
    let (mut youth, mut already, mut newly, mut gap_cells) = (0.0, 0.0, 0.0, 0);
    let mut communes = std::collections::BTreeSet::new();
    for &k in reached.keys() {
        if let Some(c) = ds.communes.get(gg.grid.cells[k].commune) {
            communes.insert(c.code.to_string());
        }
        let y = gg.grid.cells[k].youth_15_29;
        youth += y;
        if gi.is_some_and(|gi| covered_by_existing(gg, k, gi, thr, mode)) {
            already += y;
        } else {
            newly += y;
            if y >= gg.params.min_youth {
                gap_cells += 1;
            }
        }
    }
    let mut overlap: BTreeMap<String, ActorOverlap> = BTreeMap::new();
    for a in ds.actors.iter().filter(|a| a.kind.group() == group) {
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
    GroupCoverage {
        group,
        group_label: group.label(),
        group_in_data: gi.is_some(),
        threshold_min: thr,
        site_ids,
        cells_reached: reached.len(),
        youth_reached: youth,
        youth_already_covered: already,
        youth_newly_covered: newly,
        gap_cells_newly_covered: gap_cells,
        overlapping_actors: overlap.into_values().collect(),
        communes: communes.into_iter().collect(),
    }
}

/// Cells whose centre is within `thr_s` walking seconds of a point, with their minutes.
fn walk_cells(gg: &GapGrid, from: Point, thr_s: f64, model: &WalkModel) -> BTreeMap<usize, f64> {
    isochrone::walk_cells(&gg.grid, from, thr_s, model)
        .into_iter()
        .map(|(k, s)| (k, s / 60.0))
        .collect()
}

fn transit_cells(
    gg: &GapGrid,
    net: &TravelNetwork,
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
