//! Shared fixture of the HTTP tests: one state over the real default data, built once.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;

use repere_engine::Analysis;
use repere_server::AppState;
use tower::ServiceExt;

/// The analysis of the embedded Métropole Rouen Normandie, built once per test binary.
pub fn analysis() -> Arc<Analysis> {
    static ANALYSIS: OnceLock<Arc<Analysis>> = OnceLock::new();
    ANALYSIS
        .get_or_init(|| {
            let territory = repere_engine::Territory::default_rouen().unwrap();
            let (dataset, report) = repere_engine::load::load(&territory).unwrap();
            Arc::new(Analysis::build_default(dataset, report).unwrap())
        })
        .clone()
}

/// The state over [`analysis`] (shared: never swap it; build an own state to swap).
pub fn state() -> &'static AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE.get_or_init(|| {
        // The actor routes answer read-only (no store, no editor), as `repere serve` without
        // `--store` and `--edit-token-file`.
        let a = analysis();
        let inventory = repere_server::inventory::Inventory::new(
            a.dataset().clone(),
            a.report().clone(),
            a.params().clone(),
            None,
            None,
        );
        AppState::new(a).with_inventory(Arc::new(inventory))
    })
}

/// The application without tile cache.
pub fn app() -> Router {
    repere_server::app(state().clone())
}

/// The application with a tile cache.
pub fn app_with_cache() -> Router {
    repere_server::app(state().clone().with_tile_cache(8))
}

/// Sends a request through a router.
pub async fn send(app: Router, req: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body)
}

/// `GET url` with headers through a router.
pub async fn call(
    app: Router,
    url: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Bytes) {
    let mut req = Request::get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

/// `GET url`.
pub async fn get(url: &str) -> (StatusCode, HeaderMap, Bytes) {
    call(app(), url, &[]).await
}

/// `GET url` with headers.
pub async fn get_with(url: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Bytes) {
    call(app(), url, headers).await
}
