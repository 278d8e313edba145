//! Summaries an analysis answers directly: the QPV list rows, the public transport summary and
//! the labels of the indicator fields.

use crate::codes::{CommuneCode, QpvCode};
use crate::diagnostic::fields::{DataVintages, FieldDocs, field_docs};
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
    /// How the gap map measures access by transit (French): arrive-by at the nearest actor,
    /// or on foot only.
    pub gaps_method: String,
    /// How the coverage check measures transit (French): arrival at the site within its
    /// opening hours (reverse RAPTOR), or on foot only.
    pub coverage_method: String,
    /// The feed's `agency_timezone`.
    pub timezone: Option<String>,
    /// First and last service dates of the feed (`YYYY-MM-DD`).
    pub service_range: Option<[String; 2]>,
    /// Departures per hour of the service day, when a timetable exists.
    pub frequencies: Option<Frequencies>,
}

impl Analysis {
    /// The French label, unit and source of each indicator field (`GET /api/fields`), from the
    /// diagnostic parameters of the build (the stop catchment in the stops label) and the
    /// vintages of the loaded data.
    pub fn field_docs(&self) -> FieldDocs {
        field_docs(&self.params().diagnostic, &self.vintages())
    }

    /// The vintages of the loaded data (census, legal population, QPV).
    pub fn vintages(&self) -> DataVintages {
        DataVintages::of(self.dataset())
    }

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
        let coverage_method = if net.has_transit() {
            "à pied et en transport en commun : trajets arrivant au site pendant ses heures d'ouverture (RAPTOR inverse, toutes les 10 minutes, médiane)".to_owned()
        } else {
            format!("à pied uniquement ({})", net.note)
        };
        TransportSummary {
            feed: transport.is_some(),
            timetable: net.has_transit(),
            note: net.note.clone(),
            gaps_method: self.access().gaps.note.clone(),
            coverage_method,
            timezone: transport.and_then(|t| t.timezone.clone()),
            service_range: transport
                .and_then(crate::transit::calendar::service_range)
                .map(|(a, b)| [crate::date::iso(a), crate::date::iso(b)]),
            frequencies: match (transport, net.timetable.as_ref()) {
                (Some(t), Some(tt)) => Some(frequencies(t, tt)),
                _ => None,
            },
        }
    }
}
