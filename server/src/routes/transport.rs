//! `GET /api/transport`: whether travel times by public transport are available, why, and the
//! departures per hour per stop and per route (7-9 h, 9-17 h, 17-20 h) of the service day used.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::analysis::TransportSummary;

use super::Resource;
use super::doc::Op;
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

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

async fn transport(State(state): State<AppState>) -> Result<Json<TransportSummary>, AppError> {
    let analysis = state.analysis();
    blocking(move || Ok(Json(analysis.transport()))).await
}
