//! `GET /health`: liveness and the dataset version.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;

/// OpenAPI description of this route.
pub const OPS: &[super::openapi::Op] = &[super::openapi::Op::get(
    "/health",
    "Liveness, territory and dataset version",
    &[],
    "application/json",
)];

/// The health router.
pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    let analysis = state.analysis();
    Json(serde_json::json!({
        "status": "ok",
        "territory": analysis.dataset().name,
        "version": analysis.version(),
    }))
}
