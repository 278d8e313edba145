//! Communes.

use geo::MultiPolygon;

use crate::codes::CommuneCode;

/// A member commune of the territory.
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE code.
    pub code: CommuneCode,
    /// Official name.
    pub name: String,
    /// SIREN of its EPCI, when known.
    pub epci_siren: Option<String>,
    /// Name of its EPCI, when known.
    pub epci_name: Option<String>,
    /// Legal municipal population (vintage in [`crate::Dataset::population_vintage`]).
    pub population: Option<u32>,
    /// INSEE density grid class (e.g. "Grands centres urbains").
    pub density_class: Option<String>,
    /// ANCT centrality level.
    pub centrality: Option<String>,
    /// Boundary in WGS84 lon/lat degrees.
    pub boundary_wgs84: MultiPolygon,
    /// Boundary in Lambert-93 metres.
    pub boundary_l93: MultiPolygon,
    /// Planar area in Lambert-93, m².
    pub area_m2: f64,
}
