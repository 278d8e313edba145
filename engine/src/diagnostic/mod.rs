//! Per-commune and per-QPV diagnostics, computed once over a loaded [`Dataset`].
//!
//! [`Diagnostics::compute`] runs every overlay and indicator and returns the commune diagnostics
//! ([`commune::CommuneDiagnostic`]) and 2024 QPV diagnostics ([`qpv::QpvDiagnostic`]) sorted by
//! code, the Métropole references, per-IRIS access figures, and every list/geometry warning.
//! All serialised field names are stable snake_case with the unit in the name
//! (`_m2`, `_m`, `_pct`, `_pts`, `_per_1000`); areas are planar Lambert-93, distances straight-line
//! Lambert-93 metres.
//!
//! Each indicator that has a reference is a [`Compared`]: `{value, metropole, epci, departement,
//! ratio_to_metropole}`. `metropole` is the aggregate over the territory's member communes
//! (sum for counts, youth-weighted mean for shares and indices); `epci` comes from the EPCI
//! series of the data where it exists (NEET shares); `departement` is `null` where the data hold
//! no département figure (the case of every indicator in the default data). The Métropole NEET
//! share is the mean of the communes' shares weighted by their 15-29 census population (the
//! 15-24 are not in the data), so it can differ from the EPCI's published share.

pub mod commune;
pub mod fields;
pub mod qpv;

use std::collections::BTreeMap;

use crate::codes::{CommuneCode, QpvCode};
use crate::dataset::Dataset;
use crate::indicator::access_2sfca::{Cost, DemandOrigin, SfcaIndex, SfcaParams, StraightLineCost};
use crate::model::actor::ActorGroup;
use crate::overlay::catchment::{STOP_CATCHMENT_M, WALKING_CATCHMENT_M};
use crate::overlay::commune_qpv::{CommuneQpvOverlay, OverlayWarning, SliverRule};
use crate::overlay::nearest::{IrisOrigin, iris_point, nearest_from_point};
use crate::overlay::qpv_vintages::{VintageComparison, VintageRule};

pub use commune::{ActorToPlaceRef, CommuneDiagnostic};
pub use qpv::QpvDiagnostic;

/// Parameters of the diagnostics.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiagnosticParams {
    /// When a QPV without a commune list counts for a commune.
    pub sliver_rule: SliverRule,
    /// 2015 ↔ 2024 matching thresholds.
    pub vintage_rule: VintageRule,
    /// Walking catchment around each QPV, and reach around each commune, metres (default 1000).
    pub walking_catchment_m: f64,
    /// Distance within which stops serve a QPV, metres (default 500).
    pub stop_catchment_m: f64,
    /// The accessibility index.
    pub access: SfcaParams,
}

impl Default for DiagnosticParams {
    fn default() -> Self {
        Self {
            sliver_rule: SliverRule::default(),
            vintage_rule: VintageRule::default(),
            walking_catchment_m: WALKING_CATCHMENT_M,
            stop_catchment_m: STOP_CATCHMENT_M,
            access: SfcaParams::default(),
        }
    }
}

/// An indicator with its references.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Compared {
    /// The area's value (`null` when the data lack it).
    pub value: Option<f64>,
    /// The Métropole (territory) aggregate.
    pub metropole: Option<f64>,
    /// The EPCI's published value, where the data have it.
    pub epci: Option<f64>,
    /// The département's value, where the data have it.
    pub departement: Option<f64>,
    /// `value / metropole` (`null` when either is missing or the reference is 0).
    pub ratio_to_metropole: Option<f64>,
}

impl Compared {
    /// A value with its Métropole reference.
    pub fn new(value: Option<f64>, metropole: Option<f64>) -> Self {
        let ratio_to_metropole = match (value, metropole) {
            (Some(v), Some(m)) if m != 0.0 => Some(v / m),
            _ => None,
        };
        Self {
            value,
            metropole,
            epci: None,
            departement: None,
            ratio_to_metropole,
        }
    }

    /// With the EPCI reference.
    pub fn with_epci(mut self, epci: Option<f64>) -> Self {
        self.epci = epci;
        self
    }
}

/// The nearest actor of one group, as serialised.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NearestOut {
    /// Actor id (`source:id`).
    pub actor_id: String,
    /// Actor name.
    pub actor_name: String,
    /// Straight-line Lambert-93 distance, metres.
    pub distance_m: f64,
}

/// Nearest actor per expected group code (`ML`, `FT`, `RFS`, `SIAE`, `CS`, `PIJ_BIJ`,
/// `E2C_EPIDE`, `ASSO`): `null` when the dataset has no actor of the group.
pub type NearestByGroup = BTreeMap<&'static str, Option<NearestOut>>;

fn nearest_map(found: Vec<crate::overlay::nearest::NearestActor>) -> NearestByGroup {
    let mut map: NearestByGroup = ActorGroup::EXPECTED
        .iter()
        .map(|g| (g.code(), None))
        .collect();
    for n in found.into_iter().filter(|n| n.group != ActorGroup::Other) {
        map.insert(
            n.group.code(),
            Some(NearestOut {
                actor_id: n.actor_id,
                actor_name: n.actor_name,
                distance_m: n.distance_m,
            }),
        );
    }
    map
}

/// Counts per group code, every group present (0 included), `AUTRE` last.
pub type CountByGroup = BTreeMap<&'static str, usize>;

fn count_by_group(ds: &Dataset, actors: impl Iterator<Item = usize>) -> CountByGroup {
    let mut map: CountByGroup = ActorGroup::ALL.iter().map(|g| (g.code(), 0)).collect();
    for i in actors {
        *map.entry(ds.actors[i].kind.group().code()).or_insert(0) += 1;
    }
    map
}

/// Distance to the nearer of the mission locale / France Travail actors, from a nearest map.
fn ml_ft_distance(nearest: &NearestByGroup) -> Option<f64> {
    [ActorGroup::MissionLocale, ActorGroup::FranceTravail]
        .iter()
        .filter_map(|g| {
            nearest
                .get(g.code())
                .and_then(|n| n.as_ref())
                .map(|n| n.distance_m)
        })
        .min_by(f64::total_cmp)
}

/// Métropole (territory) aggregates used as references.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MetropoleReference {
    /// Legal population of the member communes.
    pub population: Option<f64>,
    /// Census population (IRIS summed).
    pub population_census: f64,
    /// Young people aged 15-29 (census).
    pub youth_15_29: f64,
    /// 15-29 share of the census population, percent.
    pub youth_15_29_share_pct: Option<f64>,
    /// NEET shares, youth-weighted mean of the communes, percent, per year.
    pub neet_share_pct: BTreeMap<u16, f64>,
    /// NEET shares published for the EPCI, percent, per year.
    pub neet_share_epci_pct: BTreeMap<u16, f64>,
    /// Estimated NEET young people (sum of the communes).
    pub estimated_neet_count: Option<f64>,
    /// Total QPV (latest vintage) area, m².
    pub qpv_area_m2: f64,
    /// QPV area over the communes' area, percent.
    pub qpv_area_share_pct: Option<f64>,
    /// Estimated 15-29 in QPV (sum of the communes' estimates).
    pub youth_15_29_in_qpv_est: Option<f64>,
    /// Youth-weighted mean of the accessibility index, per 1000 young people.
    pub accessibility_index_per_1000: Option<f64>,
    /// Youth-weighted mean of the communes' distance to the nearest ML/FT, metres.
    pub distance_to_nearest_ml_ft_m: Option<f64>,
}

/// Access figures of a populated IRIS.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IrisAccess {
    /// IRIS code.
    pub code: String,
    /// IRIS name.
    pub name: String,
    /// Commune code.
    pub commune_code: CommuneCode,
    /// Young people aged 15-29 (census).
    pub youth_15_29: f64,
    /// The point distances are measured from: `iris_centroid`, or `commune_centroid` where the
    /// data have no IRIS contour.
    pub origin: IrisOrigin,
    /// Nearest actor per group from that point.
    pub nearest_actor_by_group: NearestByGroup,
    /// The accessibility index (2SFCA) at that point, per 1000 young people.
    pub accessibility_index_per_1000: f64,
}

/// A 2015 quartier that left the list.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LeftQpv {
    /// 2015 code.
    pub code: QpvCode,
    /// Name.
    pub name: String,
}

/// Every diagnostic of a territory.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostics {
    /// Territory name.
    pub territory: String,
    /// Dataset version the diagnostics were computed from.
    pub dataset_version: String,
    /// QPV vintage of the QPV diagnostics and of the communes' QPV lists.
    pub qpv_vintage: Option<u16>,
    /// Parameters used.
    pub params: DiagnosticParams,
    /// Commune diagnostics, sorted by code.
    pub communes: Vec<CommuneDiagnostic>,
    /// QPV diagnostics of the latest vintage, sorted by code.
    pub qpv: Vec<QpvDiagnostic>,
    /// 2015 quartiers with no 2024 successor, sorted by code.
    pub qpv_2015_left: Vec<LeftQpv>,
    /// Populated IRIS with access figures, sorted by code.
    pub iris: Vec<IrisAccess>,
    /// Territory references.
    pub metropole: MetropoleReference,
    /// Expected actor groups with no actor in the data (e.g. `ML` in the default data).
    pub absent_groups: Vec<&'static str>,
    /// QPV list/geometry disagreements (latest vintage).
    pub overlay_warnings: Vec<OverlayWarning>,
    /// The follow-up files loaded (source, age band, date), in manifest order.
    pub followup_sources: Vec<crate::model::followup::FollowupFile>,
    /// The national order of magnitude of invisibles given in the manifest, if any.
    pub followup_national: Option<crate::manifest::NationalShare>,
    /// Method notes (estimates, absent data, fallbacks).
    pub notes: Vec<String>,
}

/// Everything the per-area builders share, computed once.
pub(crate) struct Context<'a> {
    pub ds: &'a Dataset,
    pub params: &'a DiagnosticParams,
    pub cost: &'a dyn Cost,
    pub vintage: u16,
    pub overlay: CommuneQpvOverlay,
    pub vintages: VintageComparison,
    pub access: SfcaIndex,
    pub metropole: MetropoleReference,
    /// Placed actors (indices) and actors to place (indices) by the commune they count in.
    pub actors_by_commune: BTreeMap<&'a CommuneCode, (Vec<usize>, Vec<usize>)>,
}

impl Diagnostics {
    /// Computes every diagnostic with the default straight-line cost (Lambert-93 metres × the
    /// detour factor of `params.access`).
    pub fn compute(ds: &Dataset, params: &DiagnosticParams) -> Self {
        let cost = StraightLineCost {
            detour_factor: params.access.detour_factor,
        };
        Self::compute_with_cost(ds, params, &cost)
    }

    /// Computes every diagnostic with a given cost for the accessibility index (e.g. travel
    /// times; the decay steps must then be in the cost's unit).
    pub fn compute_with_cost(ds: &Dataset, params: &DiagnosticParams, cost: &dyn Cost) -> Self {
        let vintage = ds.latest_qpv_vintage().unwrap_or(2024);
        let mut cx = Context {
            ds,
            params,
            cost,
            vintage,
            overlay: CommuneQpvOverlay::compute_vintage(ds, params.sliver_rule, Some(vintage)),
            vintages: VintageComparison::compute(ds, params.vintage_rule),
            access: SfcaIndex::compute(ds, &params.access, cost),
            metropole: MetropoleReference::default(),
            actors_by_commune: BTreeMap::new(),
        };
        for (i, a) in ds.actors.iter().enumerate() {
            if let Some(c) = &a.commune {
                cx.actors_by_commune.entry(c).or_default().0.push(i);
            }
        }
        for (i, a) in ds.actors_to_place.iter().enumerate() {
            cx.actors_by_commune
                .entry(&a.commune)
                .or_default()
                .1
                .push(i);
        }
        // Communes first without references, then the references, then compare.
        let mut communes: Vec<CommuneDiagnostic> = (0..ds.communes.len())
            .map(|i| commune::build(&cx, i))
            .collect();
        cx.metropole = metropole_reference(&cx, &communes);
        for c in &mut communes {
            commune::set_references(c, &cx.metropole);
        }
        let qpv: Vec<QpvDiagnostic> = (0..ds.qpv.len())
            .filter(|&i| ds.qpv[i].vintage == vintage)
            .map(|i| qpv::build(&cx, i, &communes))
            .collect();
        let iris = iris_access(&cx);
        let absent_groups: Vec<&'static str> = ActorGroup::EXPECTED
            .iter()
            .filter(|g| !ds.actors.iter().any(|a| a.kind.group() == **g))
            .map(|g| g.code())
            .collect();
        let mut notes = vec![
            "estimated_neet_count = neet_share_2018_pct / 100 × youth_15_29 (recensement) : la part est celle des 15-24 ans, appliquée aux 15-29 ans, et les années diffèrent ; un ordre de grandeur".to_owned(),
            "youth_15_29_in_qpv_est : population du QPV d'après la POP_MUN INSEE des quartiers 2015 correspondants (interpolation surfacique) × la part des 15-29 ans des communes couvertes".to_owned(),
            "distances en mètres à vol d'oiseau en Lambert-93 ; surfaces planes en m² Lambert-93".to_owned(),
        ];
        let ml_to_place = ds
            .actors_to_place
            .iter()
            .filter(|a| a.kind.group() == ActorGroup::MissionLocale)
            .count();
        if absent_groups.contains(&ActorGroup::MissionLocale.code()) {
            if ml_to_place > 0 {
                notes.push(format!("aucune mission locale placée ({ml_to_place} connue(s) par adresse seulement, à localiser) : la distance à la ML/FT la plus proche ne compte que France Travail"));
            } else {
                notes.push("aucune mission locale dans les données : la distance à la ML/FT la plus proche ne compte que France Travail".to_owned());
            }
        }
        if !ds.actors_to_place.is_empty() {
            notes.push(format!(
                "{} acteur(s) connu(s) par adresse seulement : comptés dans l'inventaire de leur commune (actors_to_place), exclus des distances, de l'indice d'accessibilité, des zones blanches et de la couverture tant qu'ils ne sont pas placés",
                ds.actors_to_place.len()
            ));
        }
        notes.extend(crate::indicator::invisibles::method_notes(&ds.followup));
        if ds.youth.iris.iter().any(|i| i.boundary_l93.is_none()) {
            notes.push("les IRIS sans contour sont placés au centroïde de leur commune".to_owned());
        }
        Self {
            territory: ds.name.clone(),
            dataset_version: ds.version.clone(),
            qpv_vintage: ds.latest_qpv_vintage(),
            params: params.clone(),
            communes,
            qpv,
            qpv_2015_left: cx
                .vintages
                .left_2015
                .iter()
                .map(|&i| LeftQpv {
                    code: ds.qpv[i].code.clone(),
                    name: ds.qpv[i].name.clone(),
                })
                .collect(),
            iris,
            metropole: cx.metropole,
            absent_groups,
            overlay_warnings: cx.overlay.warnings,
            followup_sources: ds.followup.files.clone(),
            followup_national: ds.followup.national.clone(),
            notes,
        }
    }

    /// The diagnostic of a commune.
    pub fn commune(&self, code: &CommuneCode) -> Option<&CommuneDiagnostic> {
        self.communes
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .map(|i| &self.communes[i])
    }

    /// The diagnostic of a QPV of the latest vintage.
    pub fn qpv(&self, code: &QpvCode) -> Option<&QpvDiagnostic> {
        self.qpv
            .binary_search_by(|q| q.code.cmp(code))
            .ok()
            .map(|i| &self.qpv[i])
    }
}

fn metropole_reference(cx: &Context<'_>, communes: &[CommuneDiagnostic]) -> MetropoleReference {
    use crate::indicator::neet::weighted_mean;
    let ds = cx.ds;
    let youth = |c: &CommuneDiagnostic| c.youth_15_29.value.unwrap_or(0.0);
    let population_census: f64 = ds.youth.by_commune.values().map(|b| b.total).sum();
    let youth_15_29: f64 = ds.youth.by_commune.values().map(|b| b.age_15_29).sum();
    let mut neet_share_pct = BTreeMap::new();
    for year in crate::indicator::neet::NEET_YEARS {
        let m = weighted_mean(communes.iter().map(|c| {
            let shares = ds.youth.neet_by_commune.get(&c.code);
            (shares.and_then(|s| s.0.get(&year).copied()), youth(c))
        }));
        if let Some(m) = m {
            neet_share_pct.insert(year, m);
        }
    }
    let neet_share_epci_pct = ds
        .epci
        .as_ref()
        .and_then(|e| ds.youth.neet_by_epci.get(e))
        .map(|s| s.0.clone())
        .unwrap_or_default();
    let sum_opt = |f: &dyn Fn(&CommuneDiagnostic) -> Option<f64>| {
        communes
            .iter()
            .filter_map(f)
            .fold(None, |acc: Option<f64>, v| Some(acc.unwrap_or(0.0) + v))
    };
    let communes_area: f64 = ds.communes.iter().map(|c| c.area_m2).sum();
    let qpv_area_m2: f64 = communes
        .iter()
        .map(|c| c.qpv_area_m2.value.unwrap_or(0.0))
        .sum();
    MetropoleReference {
        population: sum_opt(&|c| c.population.map(f64::from)),
        population_census,
        youth_15_29,
        youth_15_29_share_pct: (population_census > 0.0)
            .then(|| 100.0 * youth_15_29 / population_census),
        neet_share_pct,
        neet_share_epci_pct,
        estimated_neet_count: sum_opt(&|c| c.estimated_neet_count.value),
        qpv_area_m2,
        qpv_area_share_pct: (communes_area > 0.0).then(|| 100.0 * qpv_area_m2 / communes_area),
        youth_15_29_in_qpv_est: sum_opt(&|c| c.youth_15_29_in_qpv_est.value),
        accessibility_index_per_1000: cx.access.territory_index(),
        distance_to_nearest_ml_ft_m: weighted_mean(
            communes
                .iter()
                .map(|c| (c.distance_to_nearest_ml_ft_m.value, youth(c))),
        ),
    }
}

fn iris_access(cx: &Context<'_>) -> Vec<IrisAccess> {
    let ds = cx.ds;
    let mut out: Vec<IrisAccess> = ds
        .youth
        .iris
        .iter()
        .enumerate()
        .filter(|(_, i)| i.population.total > 0.0)
        .filter_map(|(k, i)| {
            let (p, origin) = iris_point(ds, k)?;
            // Reuse the 2SFCA value of the demand point when it is this IRIS.
            let accessibility_index_per_1000 = cx
                .access
                .demand
                .iter()
                .position(|d| d.origin == DemandOrigin::IrisCentroid && d.id == i.code.as_str())
                .map_or_else(
                    || cx.access.at(ds, p, cx.cost),
                    |j| cx.access.index_per_1000[j],
                );
            Some(IrisAccess {
                code: i.code.to_string(),
                name: i.name.clone(),
                commune_code: i.commune.clone(),
                youth_15_29: i.population.age_15_29,
                origin,
                nearest_actor_by_group: nearest_map(nearest_from_point(ds, p)),
                accessibility_index_per_1000,
            })
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}
