//! Youth presence: young people aged 15-29 per commune (census, summed from IRIS) and estimates
//! for QPV.
//!
//! # Young people in a QPV (estimate)
//! The census by age is not published per QPV here, so the number of 15-29 in a 2024 QPV is
//! estimated in two steps, both documented in the output:
//! 1. QPV population: each matching 2015 quartier's INSEE population (`POP_MUN`) times the share
//!    of that quartier's area inside the 2024 polygon (areal interpolation; assumes uniform
//!    density inside the 2015 quartier). No 2015 match (a new quartier) → unknown. Parts of the
//!    2024 perimeter outside every 2015 quartier add nobody, so the estimate is a floor where
//!    the perimeter grew (the QPV diagnostic gives the covered share).
//! 2. Youth: that population times the 15-29 share of the communes it spans (weighted by the
//!    QPV's area in each). QPV populations are younger than their communes', so this is rather low.

use crate::dataset::Dataset;
use crate::model::youth::AgeBands;
use crate::overlay::commune_qpv::CommuneQpvOverlay;
use crate::overlay::qpv_vintages::VintageComparison;

/// INSEE column of the QPV population in the QPV figures files.
pub const QPV_POPULATION_COLUMN: &str = "POP_MUN";

/// Census population by age of a commune (IRIS summed), if loaded.
pub fn commune_bands(ds: &Dataset, commune: usize) -> Option<&AgeBands> {
    ds.youth.by_commune.get(&ds.communes.get(commune)?.code)
}

/// 15-29 share of the census population, percent.
pub fn youth_share_pct(bands: &AgeBands) -> Option<f64> {
    (bands.total > 0.0).then(|| 100.0 * bands.age_15_29 / bands.total)
}

/// Estimated population of a 2024 QPV (index into [`Dataset::qpv`]) from its 2015 matches.
pub fn qpv_population_est(ds: &Dataset, vintages: &VintageComparison, qpv: usize) -> Option<f64> {
    let mut total = None;
    for m in vintages.matches_of(qpv) {
        let figures = ds.youth.qpv_figures.get(m.code_2015.as_str())?;
        let pop = (*figures.values.get(QPV_POPULATION_COLUMN)?)?;
        *total.get_or_insert(0.0) += pop * m.share_of_2015_pct / 100.0;
    }
    total
}

/// 15-29 share of the communes a QPV counts for, weighted by the QPV's area in each, percent.
pub fn qpv_youth_share_pct(ds: &Dataset, overlay: &CommuneQpvOverlay, qpv: usize) -> Option<f64> {
    crate::indicator::neet::weighted_mean(overlay.of_qpv(qpv).filter(|p| p.counts).map(|p| {
        (
            commune_bands(ds, p.commune).and_then(youth_share_pct),
            p.area_m2.max(1.0),
        )
    }))
}

/// Estimated young people aged 15-29 in a 2024 QPV (see the module docs).
pub fn qpv_youth_15_29_est(
    ds: &Dataset,
    overlay: &CommuneQpvOverlay,
    vintages: &VintageComparison,
    qpv: usize,
) -> Option<f64> {
    Some(qpv_population_est(ds, vintages, qpv)? * qpv_youth_share_pct(ds, overlay, qpv)? / 100.0)
}
