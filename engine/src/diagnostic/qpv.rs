//! The diagnostic of one QPV of the latest vintage.

use std::collections::BTreeMap;

use geo::Centroid;

use crate::codes::{CommuneCode, QpvCode};
use crate::diagnostic::{
    Compared, Context, CountByGroup, NearestByGroup, commune::CommuneDiagnostic, count_by_group,
    ml_ft_distance, nearest_map,
};
use crate::indicator::invisibles::Invisibles;
use crate::indicator::neet::{estimated_neet_count, weighted_mean};
use crate::indicator::youth::{qpv_population_est, qpv_youth_15_29_est};
use crate::overlay::catchment::{actors_within, stops_within};
use crate::overlay::commune_qpv::Membership;
use crate::overlay::nearest::{nearest_from_point, nearest_from_polygon};
use crate::overlay::qpv_vintages::{VintageChange, VintageMatch};

/// A commune a QPV overlaps or lists.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvCommune {
    /// Commune code.
    pub code: CommuneCode,
    /// Commune name.
    pub name: String,
    /// Area of the QPV in the commune, planar Lambert-93 m².
    pub area_m2: f64,
    /// That area as a share of the QPV, percent.
    pub share_of_qpv_pct: f64,
    /// How membership was decided (`listed`, `not_listed`, `sliver_rule_kept`, `sliver_rule_dropped`).
    pub membership: Membership,
    /// Whether the QPV counts for this commune.
    pub counts: bool,
}

/// INSEE figures of the 2015 quartier matching a 2024 QPV best (largest overlap).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Insee2015 {
    /// 2015 code.
    pub code_2015: QpvCode,
    /// Name in the INSEE files.
    pub name: String,
    /// Column → value, as published (`null` where INSEE publishes none).
    pub values: BTreeMap<String, Option<f64>>,
}

/// The diagnostic of a QPV. JSON field names are stable; see each field for its unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvDiagnostic {
    /// Official code.
    pub code: QpvCode,
    /// Name.
    pub name: String,
    /// Vintage (2024).
    pub vintage: u16,
    /// Planar Lambert-93 area, m².
    pub area_m2: f64,
    /// Communes the source lists (`null` when it lists none).
    pub listed_communes: Option<Vec<CommuneCode>>,
    /// Codes of the communes the QPV counts for.
    pub communes_spanned: Vec<CommuneCode>,
    /// Every member commune the polygon overlaps or the source lists.
    pub communes: Vec<QpvCommune>,
    /// Estimated population from the matching 2015 quartiers (see [`crate::indicator::youth`]).
    pub population_est: Option<f64>,
    /// Share of the QPV's area that lay in a 2015 quartier, percent: `population_est` only
    /// counts people there (a new part of a perimeter has no INSEE population here), so it is a
    /// floor when this is below 100.
    pub population_est_coverage_pct: f64,
    /// Estimated young people aged 15-29 (same coverage).
    pub youth_15_29_est: Option<f64>,
    /// NEET share 2018 of the communes spanned (area-weighted), percent: no NEET share is
    /// published per QPV.
    pub neet_share_2018_pct_communes: Compared,
    /// NEET young people estimated to be followed by no one, from
    /// `neet_share_2018_pct_communes × youth_15_29_est` and the QPV's follow-up counts (see
    /// [`crate::indicator::invisibles`]).
    pub invisibles: Invisibles,
    /// Nearest actor per group from the QPV boundary (0 m when inside).
    pub nearest_actor_by_group_boundary: NearestByGroup,
    /// Nearest actor per group from the QPV centroid.
    pub nearest_actor_by_group_centroid: NearestByGroup,
    /// Distance from the boundary to the nearest mission locale or France Travail, metres (no
    /// Métropole reference: the communes' figure is measured from centroids).
    pub distance_to_nearest_ml_ft_m: Compared,
    /// The walking catchment, metres (1000 by default).
    pub catchment_m: f64,
    /// Actors within the catchment of the boundary (inside included), per group code.
    pub actors_within_catchment_by_group: CountByGroup,
    /// Ids of those actors, sorted.
    pub actors_within_catchment: Vec<String>,
    /// Actors inside the QPV, per group code.
    pub actors_inside_by_group: CountByGroup,
    /// Boarding stops within the walking catchment (`null` without a GTFS).
    pub stops_within_catchment: Option<usize>,
    /// Boarding stops within `stop_catchment_m` (500 m by default).
    pub stops_near: Option<usize>,
    /// The stop catchment, metres.
    pub stop_catchment_m: f64,
    /// 2SFCA accessibility index at the QPV centroid, per 1000 young people aged 15-29.
    pub accessibility_index_per_1000: Compared,
    /// 2015 quartiers overlapping this QPV (matches).
    pub matches_2015: Vec<VintageMatch>,
    /// INSEE figures (2015 geography) of the best match, when there is one.
    pub insee_2015: Option<Insee2015>,
    /// `entered` (no 2015 match), `perimeter_changed` or `unchanged`.
    pub change_2015_2024: Option<VintageChange>,
    /// Intersection over union with the 2015 matches, percent.
    pub iou_2015_pct: Option<f64>,
    /// List/geometry disagreements about this QPV.
    pub warnings: Vec<String>,
}

/// Builds the diagnostic of the QPV at index `qi` of [`crate::Dataset::qpv`].
pub(crate) fn build(cx: &Context<'_>, qi: usize, communes: &[CommuneDiagnostic]) -> QpvDiagnostic {
    let ds = cx.ds;
    let q = &ds.qpv[qi];
    let pieces: Vec<_> = cx.overlay.of_qpv(qi).collect();
    let qpv_communes: Vec<QpvCommune> = pieces
        .iter()
        .map(|p| QpvCommune {
            code: p.commune_code.clone(),
            name: ds.communes[p.commune].name.clone(),
            area_m2: p.area_m2,
            share_of_qpv_pct: p.share_of_qpv_pct,
            membership: p.membership,
            counts: p.counts,
        })
        .collect();
    let neet_communes = weighted_mean(pieces.iter().filter(|p| p.counts).map(|p| {
        // Commune diagnostics are in the dataset's commune order (a scan of 35 000 for France
        // otherwise).
        let c = communes
            .get(p.commune)
            .filter(|c| c.code == p.commune_code)
            .or_else(|| communes.iter().find(|c| c.code == p.commune_code));
        (
            c.and_then(|c| c.neet_share_2018_pct.value),
            p.area_m2.max(1.0),
        )
    }));
    let centroid = q.boundary_l93.centroid();
    let boundary = nearest_map(nearest_from_polygon(ds, &q.boundary_l93));
    let reach = actors_within(ds, &q.boundary_l93, cx.params.walking_catchment_m);
    let matches: Vec<VintageMatch> = cx.vintages.matches_of(qi).cloned().collect();
    let insee_2015 = matches
        .iter()
        .max_by(|a, b| a.overlap_m2.total_cmp(&b.overlap_m2))
        .and_then(|m| {
            let f = ds.youth.qpv_figures.get(m.code_2015.as_str())?;
            Some(Insee2015 {
                code_2015: m.code_2015.clone(),
                name: f.name.clone(),
                values: f.values.clone(),
            })
        });
    let status = cx.vintages.status_of(qi);
    let m = &cx.metropole;
    let youth_15_29_est = qpv_youth_15_29_est(ds, &cx.overlay, &cx.vintages, qi);
    let invisibles = Invisibles::of(
        estimated_neet_count(neet_communes, youth_15_29_est),
        ds.followup.by_qpv.get(&q.code),
        &ds.followup,
    );
    QpvDiagnostic {
        code: q.code.clone(),
        name: q.name.clone(),
        vintage: q.vintage,
        area_m2: q.area_m2,
        listed_communes: q.listed_communes.clone(),
        communes_spanned: qpv_communes
            .iter()
            .filter(|c| c.counts)
            .map(|c| c.code.clone())
            .collect(),
        communes: qpv_communes,
        population_est: qpv_population_est(ds, &cx.vintages, qi),
        population_est_coverage_pct: cx
            .vintages
            .matches_of(qi)
            .map(|m| m.share_of_2024_pct)
            .sum::<f64>()
            .min(100.0),
        youth_15_29_est,
        neet_share_2018_pct_communes: Compared::new(
            neet_communes,
            m.neet_share_pct.get(&2018).copied(),
        )
        .with_epci(m.neet_share_epci_pct.get(&2018).copied()),
        invisibles,
        distance_to_nearest_ml_ft_m: Compared::new(ml_ft_distance(&boundary), None),
        nearest_actor_by_group_boundary: boundary,
        nearest_actor_by_group_centroid: nearest_map(
            centroid
                .map(|p| nearest_from_point(ds, p))
                .unwrap_or_default(),
        ),
        catchment_m: cx.params.walking_catchment_m,
        actors_within_catchment_by_group: count_by_group(ds, reach.iter().copied()),
        actors_within_catchment: reach.iter().map(|&i| ds.actors[i].id.clone()).collect(),
        actors_inside_by_group: count_by_group(
            ds,
            actors_within(ds, &q.boundary_l93, 0.0).into_iter(),
        ),
        stops_within_catchment: ds
            .transport
            .as_ref()
            .map(|_| stops_within(ds, &q.boundary_l93, cx.params.walking_catchment_m).len()),
        stops_near: ds
            .transport
            .as_ref()
            .map(|_| stops_within(ds, &q.boundary_l93, cx.params.stop_catchment_m).len()),
        stop_catchment_m: cx.params.stop_catchment_m,
        accessibility_index_per_1000: Compared::new(
            centroid.map(|p| cx.access.at(ds, p, cx.cost)),
            m.accessibility_index_per_1000,
        ),
        matches_2015: matches,
        insee_2015,
        change_2015_2024: status.map(|s| s.0),
        iou_2015_pct: status
            .map(|s| s.1)
            .filter(|_| status.is_some_and(|s| s.0 != VintageChange::Entered)),
        warnings: cx
            .overlay
            .warnings
            .iter()
            .filter(|w| w.qpv_code == q.code)
            .map(|w| w.message.clone())
            .collect(),
    }
}
