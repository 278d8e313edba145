//! `GET /health`: liveness, the dataset version and the outcome of the last reload (SIGHUP):
//! `status` is `reload_failed` while the previous analysis serves after a failed reload.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Json, Router};

use crate::AppState;
use crate::reload::ReloadStatus;

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: super::Resource = super::Resource::new(router, OPS);

/// OpenAPI description of this route.
pub const OPS: &[super::doc::Op] = &[super::doc::Op::get(
    "/health",
    "Liveness, territory and dataset version",
    &[],
    "application/json",
)];

/// The health router.
pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(
    State(state): State<AppState>,
    Extension(reload): Extension<Arc<ReloadStatus>>,
) -> Json<serde_json::Value> {
    let analysis = state.analysis();
    // A failed reload leaves the previous analysis serving: the server is up, and says so.
    let last = reload.last();
    Json(serde_json::json!({
        "status": if last.as_ref().is_some_and(|r| !r.ok) { "reload_failed" } else { "ok" },
        "territory": analysis.dataset().name,
        "version": analysis.version(),
        "reloads_succeeded": reload.succeeded(),
        "last_reload": last,
    }))
}
