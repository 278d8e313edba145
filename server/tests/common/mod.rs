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
        let inventory = repere_server::inventory::Inventory::new(None, None);
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

/// A state whose actors can be edited: the shared [`analysis`], an inventory over `store`
/// (`repere_store::open` syntax: a GeoPackage path or `postgresql://…`) and the editors of
/// `tokens`, as `repere serve --store … --edit-token-file …`.
pub fn editable_state(
    store: Option<&str>,
    tokens: Option<repere_server::inventory::EditTokens>,
) -> AppState {
    let a = analysis();
    // The synchronous PostgreSQL client connects on its own runtime: outside the test's.
    let store = store.map(str::to_owned);
    let store = std::thread::spawn(move || store.map(|s| repere_store::open(&s).unwrap()))
        .join()
        .unwrap();
    let inv = repere_server::inventory::Inventory::new(store, tokens);
    AppState::new(a).with_inventory(Arc::new(inv))
}

/// Editors' tokens written to `dir/tokens` (one `name:token` per line) and read back.
pub fn edit_tokens(dir: &std::path::Path, text: &str) -> repere_server::inventory::EditTokens {
    let p = dir.join("tokens");
    std::fs::write(&p, text).unwrap();
    repere_server::inventory::EditTokens::read(&p).unwrap()
}

/// A request of any method with headers and a body to a fresh router over `state`; the
/// answer's JSON (`Null` when it is not JSON).
pub async fn request(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    let mut req = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let (s, h, b) = send(
        repere_server::app(state.clone()),
        req.body(body.into()).unwrap(),
    )
    .await;
    (
        s,
        h,
        serde_json::from_slice(&b).unwrap_or(serde_json::Value::Null),
    )
}

/// [`request`] with an optional JSON body (sent as `application/json`).
pub async fn request_json(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    match body {
        Some(b) => {
            let mut with_type = headers.to_vec();
            with_type.push(("content-type", "application/json"));
            request(state, method, url, &with_type, b.to_string()).await
        }
        None => request(state, method, url, headers, Body::empty()).await,
    }
}
