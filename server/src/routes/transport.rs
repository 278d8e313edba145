//! `GET /api/transport`: whether travel times by public transport are available, why, and the
//! departures per hour per stop and per route (7-9 h, 9-17 h, 17-20 h) of the service day used.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::transit::calendar::{iso, service_range};
use repere_engine::transit::frequency::{Frequencies, frequencies};
use serde::Serialize;

use super::openapi::Op;
use crate::{AppError, AppState, blocking};

/// OpenAPI description.
pub const OPS: &[Op] = &[Op::get(
    "/api/transport",
    "Public transport: timetable availability (the default feed has none) and departures per hour per stop and route in the 7-9 h, 9-17 h and 17-20 h windows",
    &[],
    "application/json",
)];

/// The transport router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/transport", get(transport))
}

/// The response.
#[derive(Debug, Serialize)]
pub struct TransportAccess {
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

async fn transport(State(state): State<AppState>) -> Result<Json<TransportAccess>, AppError> {
    blocking(move || {
        let net = &state.access_context().network;
        let freq = match (state.dataset.transport.as_ref(), net.timetable.as_ref()) {
            (Some(t), Some(tt)) => Some(frequencies(t, tt)),
            _ => None,
        };
        let coverage_method = if net.has_transit() {
            "à pied et en transport en commun : trajets arrivant au site pendant ses heures d'ouverture (RAPTOR inverse, toutes les 10 minutes, médiane)".to_owned()
        } else {
            format!("à pied uniquement ({})", net.note)
        };
        let feed = state.dataset.transport.as_ref();
        Ok(Json(TransportAccess {
            feed: feed.is_some(),
            timetable: net.has_transit(),
            note: net.note.clone(),
            gaps_method: state.access_context().gaps.note.clone(),
            coverage_method,
            timezone: feed.and_then(|t| t.timezone.clone()),
            service_range: feed
                .and_then(service_range)
                .map(|(a, b)| [iso(a), iso(b)]),
            frequencies: freq,
        }))
    })
    .await
}
