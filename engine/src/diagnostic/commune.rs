//! The diagnostic of one member commune.

use std::collections::BTreeSet;

use geo::Centroid;

use crate::codes::{CommuneCode, QpvCode};
use crate::diagnostic::{
    Compared, Context, CountByGroup, MetropoleReference, NearestByGroup, count_by_group,
    ml_ft_distance, nearest_map,
};
use crate::indicator::invisibles::Invisibles;
use crate::indicator::neet::Neet;
use crate::indicator::youth::{commune_bands, qpv_youth_15_29_est, youth_share_pct};
use crate::overlay::catchment::{actors_within, stops_within};
use crate::overlay::commune_qpv::{Membership, pct};
use crate::overlay::nearest::{nearest_from_point, nearest_from_polygon};

/// A QPV counted for a commune.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommuneQpv {
    /// QPV code.
    pub code: QpvCode,
    /// QPV name.
    pub name: String,
    /// Area of the QPV inside the commune, planar Lambert-93 m².
    pub area_in_commune_m2: f64,
    /// That area as a share of the QPV, percent.
    pub share_of_qpv_pct: f64,
    /// `listed` (the QPV source names the commune) or `sliver_rule_kept`.
    pub membership: Membership,
}

/// The diagnostic of a commune. JSON field names are stable; see each field for its unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommuneDiagnostic {
    /// INSEE code.
    pub code: CommuneCode,
    /// Name.
    pub name: String,
    /// EPCI SIREN.
    pub epci_siren: Option<String>,
    /// EPCI name.
    pub epci_name: Option<String>,
    /// Planar Lambert-93 area, m².
    pub area_m2: f64,
    /// Legal municipal population.
    pub population: Option<u32>,
    /// Vintage of `population` (2026 in the default data).
    pub population_vintage: Option<u16>,
    /// Census vintage of the age figures (2013 in the default data).
    pub census_vintage: Option<u16>,
    /// Census population (sum of IRIS).
    pub population_census: Option<f64>,
    /// Young people aged 15-29 (census count); Métropole = total.
    pub youth_15_29: Compared,
    /// 15-29 share of the census population, percent.
    pub youth_15_29_share_pct: Compared,
    /// NEET share 2008 (15-24), percent; EPCI reference from the EPCI series.
    pub neet_share_2008_pct: Compared,
    /// NEET share 2013, percent.
    pub neet_share_2013_pct: Compared,
    /// NEET share 2018, percent.
    pub neet_share_2018_pct: Compared,
    /// 2018 − 2008 NEET share, percentage points.
    pub neet_trend_2008_2018_pts: Compared,
    /// 2018 − 2013 NEET share, percentage points.
    pub neet_trend_2013_2018_pts: Compared,
    /// Estimated NEET young people: `neet_share_2018_pct / 100 × youth_15_29` (see
    /// [`crate::indicator::neet`] for its limits); Métropole = total.
    pub estimated_neet_count: Compared,
    /// NEET young people estimated to be followed by no one (a range from the follow-up
    /// counts, or the national order of magnitude; see [`crate::indicator::invisibles`]).
    pub invisibles: Invisibles,
    /// QPV of the latest vintage that count for the commune, by code.
    pub qpv: Vec<CommuneQpv>,
    /// QPV area in the commune (counted QPV), m²; Métropole = total.
    pub qpv_area_m2: Compared,
    /// QPV area over the commune's area, percent.
    pub qpv_area_share_pct: Compared,
    /// Estimated young people aged 15-29 living in those QPV (see [`crate::indicator::youth`]);
    /// `null` when a QPV of the commune has no INSEE population; 0 without QPV.
    pub youth_15_29_in_qpv_est: Compared,
    /// Placed actors inside the commune, per group code.
    pub actors_inside_by_group: CountByGroup,
    /// Actors of the commune known by address only ("à localiser"), per group code: part of the
    /// commune's inventory, in no distance, access index, gap or coverage until placed.
    pub actors_to_place_by_group: CountByGroup,
    /// Those actors, sorted by id.
    pub actors_to_place: Vec<ActorToPlaceRef>,
    /// Placed actors at most `reach_m` from the commune's area (its boundary; actors inside
    /// count, at 0 m), per group code. Same origin and same rule as `nearest_actor_by_group`: a
    /// group counts at least one actor here exactly when its nearest actor is at most `reach_m`
    /// away.
    pub actors_within_reach_by_group: CountByGroup,
    /// The reach used, metres (the walking catchment, 1000 by default).
    pub reach_m: f64,
    /// Nearest placed actor per group from the commune's area: straight-line Lambert-93 metres
    /// to its boundary, 0 for an actor inside (ties to the lower actor id). A planner asks "is
    /// there one in or near the commune", which is what `actors_within_reach_by_group` counts;
    /// measuring both from the same area keeps them coherent (see that field).
    pub nearest_actor_by_group: NearestByGroup,
    /// Nearest placed actor per group from the commune's centroid (the origin of
    /// `distance_to_nearest_ml_ft_m`).
    pub nearest_actor_by_group_centroid: NearestByGroup,
    /// Distance from the centroid to the nearest mission locale or France Travail, metres (France
    /// Travail only when the data have no mission locale, see `Diagnostics::notes`): a ranking
    /// component, measured from the centroid so that a large commune with an agency at its edge
    /// still shows the distance its centre has to travel.
    pub distance_to_nearest_ml_ft_m: Compared,
    /// Boarding stops within `stop_catchment_m` of the commune's QPV (`null` without a GTFS).
    pub stops_near_qpv: Option<usize>,
    /// The stop catchment, metres (500 by default).
    pub stop_catchment_m: f64,
    /// 2SFCA accessibility index, youth-weighted over the commune's demand points, weighted
    /// actors per 1000 young people aged 15-29.
    pub accessibility_index_per_1000: Compared,
}

/// An actor of the commune known by address only.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorToPlaceRef {
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology code.
    pub kind: String,
    /// Diagnostic group code.
    pub group: &'static str,
    /// Postal address.
    pub address: String,
}

/// Builds a commune's diagnostic (references filled later by [`set_references`]).
pub(crate) fn build(cx: &Context<'_>, ci: usize) -> CommuneDiagnostic {
    let ds = cx.ds;
    let c = &ds.communes[ci];
    let bands = commune_bands(ds, ci);
    let youth = bands.map(|b| b.age_15_29);
    let neet = Neet::of(ds.youth.neet_by_commune.get(&c.code), youth);
    let pieces: Vec<_> = cx.overlay.counted_in_commune(ds, ci, cx.vintage).collect();
    let qpv: Vec<CommuneQpv> = pieces
        .iter()
        .map(|p| CommuneQpv {
            code: p.qpv_code.clone(),
            name: ds.qpv[p.qpv].name.clone(),
            area_in_commune_m2: p.area_m2,
            share_of_qpv_pct: p.share_of_qpv_pct,
            membership: p.membership,
        })
        .collect();
    let qpv_area_m2: f64 = pieces.iter().map(|p| p.area_m2).sum();
    let youth_in_qpv = pieces.iter().try_fold(0.0, |acc, p| {
        Some(
            acc + qpv_youth_15_29_est(ds, &cx.overlay, &cx.vintages, p.qpv)? * p.share_of_qpv_pct
                / 100.0,
        )
    });
    let stops_near_qpv = ds.transport.as_ref().map(|_| {
        let set: BTreeSet<usize> = pieces
            .iter()
            .flat_map(|p| stops_within(ds, &ds.qpv[p.qpv].boundary_l93, cx.params.stop_catchment_m))
            .collect();
        set.len()
    });
    let nearest = nearest_map(nearest_from_polygon(ds, &c.boundary_l93));
    let nearest_centroid = c
        .boundary_l93
        .centroid()
        .map(|p| nearest_map(nearest_from_point(ds, p)))
        .unwrap_or_else(|| nearest_map(Vec::new()));
    let reach = cx.params.walking_catchment_m;
    let (inside, to_place): (&[usize], &[usize]) = cx
        .actors_by_commune
        .get(&c.code)
        .map_or((&[], &[]), |(a, p)| (a, p));
    CommuneDiagnostic {
        code: c.code.clone(),
        name: c.name.clone(),
        epci_siren: c.epci_siren.clone(),
        epci_name: c.epci_name.clone(),
        area_m2: c.area_m2,
        population: c.population,
        population_vintage: ds.population_vintage,
        census_vintage: ds.youth.census_vintage,
        population_census: bands.map(|b| b.total),
        youth_15_29: Compared::new(youth, None),
        youth_15_29_share_pct: Compared::new(bands.and_then(youth_share_pct), None),
        neet_share_2008_pct: Compared::new(neet.share_2008_pct, None),
        neet_share_2013_pct: Compared::new(neet.share_2013_pct, None),
        neet_share_2018_pct: Compared::new(neet.share_2018_pct, None),
        neet_trend_2008_2018_pts: Compared::new(neet.trend_2008_2018_pts, None),
        neet_trend_2013_2018_pts: Compared::new(neet.trend_2013_2018_pts, None),
        estimated_neet_count: Compared::new(neet.estimated_neet_count, None),
        invisibles: Invisibles::of(
            neet.estimated_neet_count,
            ds.followup.by_commune.get(&c.code),
            &ds.followup,
        ),
        qpv,
        qpv_area_m2: Compared::new(Some(qpv_area_m2), None),
        qpv_area_share_pct: Compared::new(Some(pct(qpv_area_m2, c.area_m2)), None),
        youth_15_29_in_qpv_est: Compared::new(youth_in_qpv, None),
        actors_inside_by_group: count_by_group(ds, inside.iter().copied()),
        actors_to_place_by_group: {
            let mut map: CountByGroup = crate::model::actor::ActorGroup::ALL
                .iter()
                .map(|g| (g.code(), 0))
                .collect();
            for a in to_place.iter().map(|&i| &ds.actors_to_place[i]) {
                *map.entry(a.kind.group().code()).or_insert(0) += 1;
            }
            map
        },
        actors_to_place: to_place
            .iter()
            .map(|&i| &ds.actors_to_place[i])
            .map(|a| ActorToPlaceRef {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind.code().to_owned(),
                group: a.kind.group().code(),
                address: a.address.clone(),
            })
            .collect(),
        actors_within_reach_by_group: count_by_group(
            ds,
            actors_within(ds, &c.boundary_l93, reach).into_iter(),
        ),
        reach_m: reach,
        distance_to_nearest_ml_ft_m: Compared::new(ml_ft_distance(&nearest_centroid), None),
        nearest_actor_by_group: nearest,
        nearest_actor_by_group_centroid: nearest_centroid,
        stops_near_qpv,
        stop_catchment_m: cx.params.stop_catchment_m,
        accessibility_index_per_1000: Compared::new(cx.access.commune_index(&c.code), None),
    }
}

/// Fills the Métropole and EPCI references.
pub(crate) fn set_references(c: &mut CommuneDiagnostic, m: &MetropoleReference) {
    let re = |x: &Compared, reference: Option<f64>| Compared::new(x.value, reference);
    let year = |y: u16| m.neet_share_pct.get(&y).copied();
    let epci = |y: u16| m.neet_share_epci_pct.get(&y).copied();
    let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
    c.youth_15_29 = re(&c.youth_15_29, Some(m.youth_15_29));
    c.youth_15_29_share_pct = re(&c.youth_15_29_share_pct, m.youth_15_29_share_pct);
    c.neet_share_2008_pct = re(&c.neet_share_2008_pct, year(2008)).with_epci(epci(2008));
    c.neet_share_2013_pct = re(&c.neet_share_2013_pct, year(2013)).with_epci(epci(2013));
    c.neet_share_2018_pct = re(&c.neet_share_2018_pct, year(2018)).with_epci(epci(2018));
    c.neet_trend_2008_2018_pts = re(&c.neet_trend_2008_2018_pts, diff(year(2018), year(2008)))
        .with_epci(diff(epci(2018), epci(2008)));
    c.neet_trend_2013_2018_pts = re(&c.neet_trend_2013_2018_pts, diff(year(2018), year(2013)))
        .with_epci(diff(epci(2018), epci(2013)));
    c.estimated_neet_count = re(&c.estimated_neet_count, m.estimated_neet_count);
    c.qpv_area_m2 = re(&c.qpv_area_m2, Some(m.qpv_area_m2));
    c.qpv_area_share_pct = re(&c.qpv_area_share_pct, m.qpv_area_share_pct);
    c.youth_15_29_in_qpv_est = re(&c.youth_15_29_in_qpv_est, m.youth_15_29_in_qpv_est);
    c.distance_to_nearest_ml_ft_m = re(
        &c.distance_to_nearest_ml_ft_m,
        m.distance_to_nearest_ml_ft_m,
    );
    c.accessibility_index_per_1000 = re(
        &c.accessibility_index_per_1000,
        m.accessibility_index_per_1000,
    );
}
