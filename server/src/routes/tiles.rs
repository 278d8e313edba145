//! Vector tiles and their TileJSON.
//!
//! - `GET /tiles/{layers}.json`: TileJSON 3.0.0; `{layers}` is `all`, a layer name or several
//!   comma-separated (`communes,qpv`). Its tile URL carries the dataset version; it is relative
//!   to the TileJSON unless `--public-url` or `--trust-forwarded` says otherwise
//!   ([`crate::public_url`]).
//! - `GET /tiles/{version}/{layers}/{z}/{x}/{y}.mvt`: the versioned tile URL TileJSON hands out.
//!   A version other than the loaded dataset's is a 404 (naming `version`), so a client never
//!   mixes tiles of two datasets. `Cache-Control: public, max-age=31536000, immutable`.
//! - `GET /tiles/{layers}/{z}/{x}/{y}.mvt`: the same tile at a stable URL (handy for QGIS and
//!   scripts), `Cache-Control: no-cache`: clients revalidate with the `ETag`.
//!
//! Both tile routes send an `ETag` derived from the dataset version, the layers and the address
//! (tiles are a pure function of those), answer `If-None-Match` with 304 without encoding, and
//! are gzipped when the client accepts it (compression layer of [`crate::app`]).
//! **Empty tiles** (no feature of the selected layers there, or a zoom outside their ranges) are
//! answered `204 No Content` with the same caching headers, as martin does; MapLibre treats 204
//! as an empty tile.

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use std::sync::Arc;

use repere_engine::Analysis;
use repere_engine::tiles::TileCoord;

use super::Resource;
use super::doc::{Op, Param};
use crate::public_url::TileUrls;
use crate::{AppError, AppState, blocking};

/// MVT media type.
pub const MVT_CONTENT_TYPE: &str = "application/vnd.mapbox-vector-tile";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/tiles/{layers}.json",
        "TileJSON 3.0.0 of a layer selection (all, a layer, or comma-separated layers)",
        &[Param::path(
            "layers",
            "all, communes, qpv, actors, stops, iris or a comma-separated list",
        )],
        "application/json",
    ),
    Op::get(
        "/tiles/{version}/{layers}/{z}/{x}/{y}.mvt",
        "Vector tile (MVT 2.1) at the versioned, immutable URL the TileJSON gives",
        &[
            Param::path("version", "dataset version (from the TileJSON)"),
            Param::path("layers", "layer selection"),
            Param::path("z", "zoom, 0-14"),
            Param::path("x", "column, < 2^z"),
            Param::path("y", "row, < 2^z"),
        ],
        MVT_CONTENT_TYPE,
    ),
    Op::get(
        "/tiles/{layers}/{z}/{x}/{y}.mvt",
        "Vector tile (MVT 2.1) at a stable URL (revalidate with the ETag)",
        &[
            Param::path("layers", "layer selection"),
            Param::path("z", "zoom, 0-14"),
            Param::path("x", "column, < 2^z"),
            Param::path("y", "row, < 2^z"),
        ],
        MVT_CONTENT_TYPE,
    ),
];

/// The tiles router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tiles/{file}", get(tilejson))
        .route("/tiles/{layers}/{z}/{x}/{y}", get(tile))
        .route("/tiles/{version}/{layers}/{z}/{x}/{y}", get(versioned_tile))
}

async fn tilejson(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Extension(urls): Extension<TileUrls>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let layers = file.strip_suffix(".json").ok_or_else(|| {
        AppError::NotFound(format!(
            "ressource de tuiles « {file} » inconnue (attendu {{couches}}.json)"
        ))
    })?;
    let analysis = state.analysis();
    let tiles = analysis.tiles();
    let selected = tiles.select(layers)?;
    let url = urls.template(&tiles.version, layers, &headers);
    let doc = tiles.tilejson(&selected, layers, &url);
    Ok((
        [
            (header::CACHE_CONTROL, REVALIDATE),
            (header::CONTENT_TYPE, "application/json"),
        ],
        doc.to_string(),
    )
        .into_response())
}

async fn tile(
    State(state): State<AppState>,
    Path((layers, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    serve_tile(
        &state,
        state.analysis(),
        [&layers, &z, &x, &y],
        &headers,
        REVALIDATE,
    )
    .await
}

async fn versioned_tile(
    State(state): State<AppState>,
    Path((version, layers, z, x, y)): Path<(String, String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let analysis = state.analysis();
    if version != analysis.tiles().version {
        return Err(AppError::NotFound(format!(
            "les tuiles de la version de données « {version} » ne sont pas servies ici (version actuelle « {} ») ; rechargez le TileJSON",
            analysis.tiles().version
        )));
    }
    serve_tile(&state, analysis, [&layers, &z, &x, &y], &headers, IMMUTABLE).await
}

/// Answers a tile given its path segments `[layers, z, x, y.mvt]`.
async fn serve_tile(
    state: &AppState,
    analysis: Arc<Analysis>,
    [layers, z, x, y]: [&str; 4],
    headers: &HeaderMap,
    cache_control: &'static str,
) -> Result<Response, AppError> {
    let y = y.strip_suffix(".mvt").ok_or_else(|| {
        AppError::NotFound(format!(
            "tuile « {y} » inconnue : les tuiles finissent par .mvt"
        ))
    })?;
    let selected = analysis.tiles().select(layers)?;
    let coord = TileCoord::parse(z, x, y)?;
    let selection: Vec<String> = selected.iter().map(usize::to_string).collect();
    let etag = format!(
        "\"{}-{}-{}\"",
        analysis.tiles().version,
        selection.join("."),
        coord.to_string().replace('/', "-")
    );
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.to_string()))?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let common = [
        (header::ETAG, etag_value),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        ),
    ];
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }

    let key = (analysis.tiles().version.clone(), selected, coord);
    let cached = state.tile_cache.as_ref().and_then(|c| c.get(&key));
    let bytes = match cached {
        Some(b) => b,
        None => {
            let sel = key.1.clone();
            let encoded = blocking(move || Ok(analysis.tiles().encode(&sel, coord)?))
                .await?
                .map(Bytes::from);
            if let Some(c) = &state.tile_cache {
                c.put(key, encoded.clone());
            }
            encoded
        }
    };
    Ok(match bytes {
        None => (StatusCode::NO_CONTENT, common).into_response(),
        Some(b) => (
            StatusCode::OK,
            common,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(MVT_CONTENT_TYPE),
            )],
            Body::from(b),
        )
            .into_response(),
    })
}
