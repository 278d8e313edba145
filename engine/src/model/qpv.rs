//! Quartiers prioritaires de la politique de la ville.

use geo::MultiPolygon;

use crate::codes::{CommuneCode, QpvCode};

/// A QPV of one vintage.
#[derive(Debug, Clone)]
pub struct Qpv {
    /// Official code (`QP…` 2015, `QN…` 2024).
    pub code: QpvCode,
    /// Name.
    pub name: String,
    /// 2015 or 2024.
    pub vintage: u16,
    /// The communes the source lists for the QPV, resolved to codes (authoritative when present).
    pub listed_communes: Option<Vec<CommuneCode>>,
    /// Boundary in WGS84 lon/lat degrees.
    pub boundary_wgs84: MultiPolygon,
    /// Boundary in Lambert-93 metres.
    pub boundary_l93: MultiPolygon,
    /// Planar area in Lambert-93, m².
    pub area_m2: f64,
}
