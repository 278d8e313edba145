//! Repère server: maps HTTP requests onto engine calls. No diagnostic logic lives here.
//!
//! - [`app`]: the router (tests call it with `oneshot`, no socket);
//! - [`state`]: the shared, immutable application state;
//! - [`error`]: the one application error type and its mapping to HTTP statuses;
//! - [`export`]: PMTiles and GeoJSON exports of the tile layers;
//! - [`routes`]: one router per resource, merged by [`app`];
//! - [`tile_cache`]: the optional in-memory cache of encoded tiles.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod error;
pub mod export;
pub mod routes;
pub mod state;
pub mod tile_cache;

use axum::Router;

pub use error::AppError;
pub use state::AppState;

/// The whole HTTP application over a loaded dataset.
pub fn app(state: AppState) -> Router {
    let web = routes::web::router(&routes::web::WebAssets::locate());
    Router::new()
        .merge(routes::health::router())
        .merge(routes::communes::router())
        .merge(routes::qpv::router())
        .merge(routes::lookup::router())
        .merge(routes::ranking::router())
        .merge(routes::tiles::router())
        .merge(routes::openapi::router())
        .merge(routes::coverage::router())
        .merge(routes::gaps::router())
        .merge(routes::suggest::router())
        .merge(routes::transport::router())
        .merge(routes::isochrone::router())
        .merge(web)
        .with_state(state)
        .layer(tower_http::compression::CompressionLayer::new())
}

/// Runs a CPU-bound engine call off the async workers.
///
/// # Errors
/// [`AppError::Internal`] if the blocking task panicked; the closure's own error otherwise.
pub async fn blocking<T, F>(f: F) -> Result<T, AppError>
where
    F: FnOnce() -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("worker failed: {e}")))?
}
