//! `GET /health`: liveness, the dataset version, the outcome of the last reload (SIGHUP) and
//! the actor store's state. Always 200 while the process serves: `status` is `degraded` while
//! the store cannot be reached (reads are served, edits answer 503; `store_error` says why in
//! French), else `reload_failed` while the previous analysis serves after a failed reload
//! (`last_reload.files` names the files at fault relative to the manifest; the detail is in the
//! server's log, never here), else `ok`. `store` is `ok`, `degraded` or `null` (no store).

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
    "Liveness, territory, dataset version, last reload and store state (status ok, degraded or reload_failed; always 200 while serving)",
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
    let inventory = state.inventory.as_ref();
    let store_error = inventory.and_then(|i| i.store_health());
    let store = inventory.and_then(|i| i.store_description()).map(|_| {
        if store_error.is_some() {
            "degraded"
        } else {
            "ok"
        }
    });
    let status = if store_error.is_some() {
        "degraded"
    } else if last.as_ref().is_some_and(|r| !r.ok) {
        "reload_failed"
    } else {
        "ok"
    };
    Json(serde_json::json!({
        "status": status,
        "store": store,
        "store_error": store_error,
        "territory": analysis.dataset().name,
        "version": analysis.version(),
        "reloads_succeeded": reload.succeeded(),
        "last_reload": last,
    }))
}
