//! Youth presence (census population by age) and situation (NEET shares, QPV figures).

use std::collections::BTreeMap;

use geo::MultiPolygon;

use crate::codes::{CommuneCode, IrisCode};

/// Population by age band, from the census (floating: INSEE counts are weighted estimates).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct AgeBands {
    /// All ages.
    pub total: f64,
    /// Aged 15 to 29.
    pub age_15_29: f64,
    /// Aged 18 to 24.
    pub age_18_24: f64,
    /// Aged 11 to 17, when the source has it.
    pub age_11_17: Option<f64>,
    /// Aged 25 to 39, when the source has it.
    pub age_25_39: Option<f64>,
}

impl AgeBands {
    /// Adds another set of bands (IRIS → commune sums).
    pub fn add(&mut self, other: &AgeBands) {
        self.total += other.total;
        self.age_15_29 += other.age_15_29;
        self.age_18_24 += other.age_18_24;
        self.age_11_17 = add_opt(self.age_11_17, other.age_11_17);
        self.age_25_39 = add_opt(self.age_25_39, other.age_25_39);
    }
}

fn add_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// An IRIS with its census population and, where contours exist, its polygon.
#[derive(Debug, Clone)]
pub struct Iris {
    /// IRIS code.
    pub code: IrisCode,
    /// Commune.
    pub commune: CommuneCode,
    /// IRIS name.
    pub name: String,
    /// Population by age.
    pub population: AgeBands,
    /// Polygon in WGS84 when contours exist.
    pub boundary_wgs84: Option<MultiPolygon>,
    /// Polygon in Lambert-93 when contours exist.
    pub boundary_l93: Option<MultiPolygon>,
}

/// NEET share ("jeunes non insérés", 15-24 neither in employment nor in education), percent,
/// per census year.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct NeetShares(pub BTreeMap<u16, f64>);

/// INSEE figures for a QPV (all numeric columns of the configured files, by column name).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct QpvFigures {
    /// Name given by the figures file.
    pub name: String,
    /// Column → value (None where INSEE publishes no value).
    pub values: BTreeMap<String, Option<f64>>,
}

/// All youth data of a territory.
#[derive(Debug, Clone, Default)]
pub struct Youth {
    /// Census vintage of the population by age.
    pub census_vintage: Option<u16>,
    /// IRIS of member communes.
    pub iris: Vec<Iris>,
    /// Population by age summed per commune.
    pub by_commune: BTreeMap<CommuneCode, AgeBands>,
    /// NEET shares per commune.
    pub neet_by_commune: BTreeMap<CommuneCode, NeetShares>,
    /// NEET shares per EPCI (SIREN).
    pub neet_by_epci: BTreeMap<String, NeetShares>,
    /// INSEE figures per QPV code (2015 codes for the 2022 INSEE files).
    pub qpv_figures: BTreeMap<String, QpvFigures>,
}
