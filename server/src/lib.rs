//! Repère server: maps HTTP requests onto engine calls. No diagnostic logic lives here.
//!
//! - [`app`]: the router (tests call it with `oneshot`, no socket);
//! - [`state`]: the shared application state;
//! - [`served`]: the served analysis (base territory and current analysis), which start-up,
//!   edits and reloads all go through;
//! - [`basemap`]: the page's basemap choice (`--basemap none|ign|<style URL>`);
//! - [`error`]: the one application error type and its mapping to HTTP statuses;
//! - [`export`]: PMTiles and GeoJSON exports of the tile layers;
//! - [`geocoder`]: the optional addok geocoder (`--geocoder`), its cache and rate limit;
//! - [`heavy`]: the bounded pool and compute budget of coverage checks;
//! - [`listen`]: the connection loop (read timeouts, connection limit, graceful drain);
//! - [`public_url`]: how the TileJSON writes tile URLs (`--public-url`, `--trust-forwarded`);
//! - [`static_tiles`]: where the page takes its tiles from (`--tiles-url`: a static PMTiles archive);
//! - [`reload`]: reloading the territory while serving (SIGHUP), outcome shown by `/health`;
//! - [`middleware`]: JSON errors, security headers, repeated parameters, confined static files;
//! - [`inventory`]: the editable actor inventory (store, editors' tokens, rebuild after edits);
//! - [`auth`]: editors' tokens (read, compared in constant time) and wrong-token throttling;
//! - [`projects`]: projects kept beside the actors (edit keys, exports, the report);
//! - [`routes`]: one router per resource, merged by [`app`];
//! - [`tile_cache`]: the optional in-memory cache of encoded tiles, compressed once per form;
//! - [`tile_encoding`]: gzip/brotli negotiation and compression of tiles.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod auth;
pub mod basemap;
pub mod error;
pub mod export;
pub mod french;
pub mod geocoder;
pub mod heavy;
pub mod inventory;
pub mod listen;
pub mod middleware;
pub mod projects;
pub mod public_url;
pub mod reload;
pub mod routes;
pub mod served;
pub mod state;
pub mod static_tiles;
pub mod tile_cache;
pub mod tile_encoding;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};

pub use error::AppError;
pub use state::AppState;

/// Options of the page that are not data: set by `repere serve`, defaults in tests.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// The basemap the page draws under its layers (default: none, offline).
    pub basemap: basemap::Basemap,
    /// A static PMTiles archive the page reads its vector tiles from instead of `/tiles/…`
    /// (`repere serve --tiles-url`); `None`: this server's tile routes.
    pub pmtiles: Option<static_tiles::PmtilesUrl>,
    /// Where the page's files are: found by `repere serve`
    /// ([`routes::web::WebAssets::locate`]); by default the `web/` folder of the workspace this
    /// binary was compiled from. The router itself reads no environment variable.
    pub assets: routes::web::WebAssets,
}

/// Serving options chosen on the command line.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// How the TileJSON writes tile URLs.
    pub tile_urls: public_url::TileUrls,
    /// The outcome of the last reload, shown by `/health`.
    pub reload: std::sync::Arc<reload::ReloadStatus>,
    /// The pool and budget of coverage checks.
    pub heavy: std::sync::Arc<heavy::HeavyPool>,
    /// The page's options (basemap, where its tiles come from).
    pub web: WebOptions,
    /// The addok geocoder of the address search (`repere serve --geocoder`); `None`: off.
    pub geocoder: Option<std::sync::Arc<geocoder::Geocoder>>,
}

/// The whole HTTP application over a loaded dataset, with the default options (no basemap).
pub fn app(state: AppState) -> Router {
    app_with(state, AppOptions::default())
}

/// The whole HTTP application over a loaded dataset.
pub fn app_with(state: AppState, options: AppOptions) -> Router {
    let web = routes::web::router(&options.web, options.geocoder.is_some());
    let security = std::sync::Arc::new(middleware::security_headers::SecurityHeaders::new(
        options.web.basemap.style_url(),
        options
            .web
            .pmtiles
            .as_ref()
            .map(static_tiles::PmtilesUrl::as_str),
    ));
    let api = routes::ALL.iter().fold(Router::new(), |router, resource| {
        router.merge((resource.router)())
    });
    let doc = std::sync::Arc::new(routes::openapi::ApiDoc::of(routes::ALL));
    // The tile routes: only what a tile needs per request (their answers carry their own
    // encoding, compressed once per cached tile), no compression layer, no extension.
    let tiles = routes::tiles::tile_router()
        .with_state(state.clone())
        .layer(from_fn(middleware::json_errors::json_errors))
        .layer(from_fn_with_state(
            security.clone(),
            middleware::security_headers::security_headers,
        ));
    api.merge(web)
        .with_state(state)
        .layer(axum::Extension(doc))
        .layer(axum::Extension(options.tile_urls))
        .layer(axum::Extension(options.reload))
        .layer(axum::Extension(options.heavy))
        .layer(axum::Extension(routes::geocode::Geocoding::new(
            options.geocoder,
        )))
        .layer(from_fn(middleware::json_errors::json_errors))
        .layer(from_fn(middleware::repeated_params::refuse_repeated_params))
        .layer(from_fn(middleware::request_limits::request_limits))
        .layer(from_fn_with_state(
            security,
            middleware::security_headers::security_headers,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .merge(tiles)
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
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        AppError::Internal(format!(
            "tâche de calcul {}",
            if e.is_panic() {
                "interrompue par une panique"
            } else {
                "annulée"
            }
        ))
    })?
}
