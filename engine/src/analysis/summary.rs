//! Summaries an analysis answers directly: the QPV list rows and the public transport summary.

use crate::codes::{CommuneCode, QpvCode};
use crate::transit::frequency::{Frequencies, frequencies};

use super::Analysis;

/// One row of the QPV list (`GET /api/qpv`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvSummary {
    /// Code.
    pub code: QpvCode,
    /// Name.
    pub name: String,
    /// Vintage.
    pub vintage: u16,
    /// Area, m².
    pub area_m2: f64,
    /// Communes the QPV spans.
    pub communes: Vec<CommuneCode>,
    /// Estimated population.
    pub population_est: Option<f64>,
    /// Estimated young people aged 15-29.
    pub youth_15_29_est: Option<f64>,
    /// Straight-line distance to the nearest mission locale or France Travail, metres.
    pub distance_to_nearest_ml_ft_m: Option<f64>,
}

/// Whether travel times by public transport are available, why, and the departures per hour
/// (`GET /api/transport`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TransportSummary {
    /// Whether a feed is configured.
    pub feed: bool,
    /// Whether travel times by public transport are computed.
    pub timetable: bool,
    /// How access is measured (French).
    pub note: String,
    /// Departures per hour of the service day, when a timetable exists.
    pub frequencies: Option<Frequencies>,
}

impl Analysis {
    /// The diagnosed QPV with key figures, sorted by code.
    pub fn qpv_summaries(&self) -> Vec<QpvSummary> {
        self.diagnostics()
            .qpv
            .iter()
            .map(|q| QpvSummary {
                code: q.code.clone(),
                name: q.name.clone(),
                vintage: q.vintage,
                area_m2: q.area_m2,
                communes: q.communes_spanned.clone(),
                population_est: q.population_est,
                youth_15_29_est: q.youth_15_29_est,
                distance_to_nearest_ml_ft_m: q.distance_to_nearest_ml_ft_m.value,
            })
            .collect()
    }

    /// The public transport summary (departures per hour computed on each call).
    pub fn transport(&self) -> TransportSummary {
        let net = &self.access().network;
        let transport = self.dataset().transport.as_ref();
        TransportSummary {
            feed: transport.is_some(),
            timetable: net.has_transit(),
            note: net.note.clone(),
            frequencies: match (transport, net.timetable.as_ref()) {
                (Some(t), Some(tt)) => Some(frequencies(t, tt)),
                _ => None,
            },
        }
    }
}
