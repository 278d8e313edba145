//! `GET /api/transport`: whether travel times by public transport are available, why, and the
//! departures per hour per stop and per route (7-9 h, 9-17 h, 17-20 h) of the service day used.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
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
        Ok(Json(TransportAccess {
            feed: state.dataset.transport.is_some(),
            timetable: net.has_transit(),
            note: net.note.clone(),
            frequencies: freq,
        }))
    })
    .await
}
