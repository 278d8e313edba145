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
//! are sent gzip- or brotli-compressed when the client accepts it (`Accept-Encoding`, q-values;
//! `Vary: Accept-Encoding`). With the tile cache on, each form is compressed once per tile and
//! then served as stored ([`crate::tile_cache`], [`crate::tile_encoding`]).
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
use crate::tile_cache::{CachedTile, TileKey};
use crate::tile_encoding::Encoding;
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

/// The TileJSON router (its answers go through every layer of [`crate::app_with`]).
pub fn router() -> Router<AppState> {
    Router::new().route("/tiles/{file}", get(tilejson))
}

/// The two tile routes. [`crate::app_with`] merges them apart from the other routes, outside the
/// compression layer (a tile carries its own encoding, compressed once: see
/// [`crate::tile_cache`]) and the query-parameter check (tiles take none).
pub fn tile_router() -> Router<AppState> {
    Router::new()
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
    let encoding = Encoding::negotiate(
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|h| h.to_str().ok()),
    );
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok());
    let key = (analysis.tiles().version.clone(), selected, coord);
    let cache = state.tile_cache.clone();

    // The fast path: a cached tile whose form is ready is answered without any work.
    let cached = cache.as_ref().and_then(|c| c.get(&key));
    let entry = match cached {
        Some(entry) => entry,
        None => {
            let etag = etag_of(&analysis, &key);
            if if_none_match.is_some_and(|v| matches(v, &etag)) {
                return Ok(answer(StatusCode::NOT_MODIFIED, &etag, cache_control, None));
            }
            let (version, sel, coord) = key;
            let cache = cache.clone();
            // Encoded (and compressed when asked) off the async workers, stored once.
            let (entry, form) = blocking(move || {
                let raw = analysis.tiles().encode(&sel, coord)?.map(Bytes::from);
                let tile = CachedTile::new(etag, raw);
                let entry = match &cache {
                    Some(c) => c.put((version, sel, coord), tile),
                    None => Arc::new(tile),
                };
                let (form, added) = entry.encoded(encoding);
                if let Some(c) = &cache {
                    c.charge(added);
                }
                Ok((entry, form))
            })
            .await?;
            return Ok(tile_answer(
                &entry,
                encoding,
                form,
                if_none_match,
                cache_control,
            ));
        }
    };
    let form = match entry.ready(encoding) {
        Some(b) => Some(b),
        None if entry.is_empty() => None,
        None => {
            let e = entry.clone();
            let (form, added) = blocking(move || Ok(e.encoded(encoding))).await?;
            if let Some(c) = &cache {
                c.charge(added);
            }
            form
        }
    };
    Ok(tile_answer(
        &entry,
        encoding,
        form,
        if_none_match,
        cache_control,
    ))
}

/// The `ETag` of a tile: a pure function of the dataset version, the layers and the address.
fn etag_of(analysis: &Analysis, (_, selected, coord): &TileKey) -> HeaderValue {
    let selection: Vec<String> = selected.iter().map(usize::to_string).collect();
    let etag = format!(
        "\"{}-{}-{}\"",
        analysis.tiles().version,
        selection.join("."),
        coord.to_string().replace('/', "-")
    );
    // A version is made of printable ASCII (a hash), layers are indices: always valid.
    HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"tile\""))
}

/// Whether an `If-None-Match` value names `etag` (or is `*`).
fn matches(if_none_match: &str, etag: &HeaderValue) -> bool {
    let etag = etag.as_bytes();
    if_none_match.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.as_bytes() == etag
    })
}

/// The answer for a tile in `encoding`, its bytes `form` (`None`: empty tile).
fn tile_answer(
    entry: &CachedTile,
    encoding: Encoding,
    form: Option<Bytes>,
    if_none_match: Option<&str>,
    cache_control: &'static str,
) -> Response {
    if if_none_match.is_some_and(|v| matches(v, &entry.etag)) {
        return answer(StatusCode::NOT_MODIFIED, &entry.etag, cache_control, None);
    }
    match form {
        None => answer(StatusCode::NO_CONTENT, &entry.etag, cache_control, None),
        Some(bytes) => answer(
            StatusCode::OK,
            &entry.etag,
            cache_control,
            Some((encoding, bytes)),
        ),
    }
}

/// A tile answer with its headers: `ETag`, `Cache-Control` and `Vary` always; with a body, its
/// type, length and encoding.
fn answer(
    status: StatusCode,
    etag: &HeaderValue,
    cache_control: &'static str,
    body: Option<(Encoding, Bytes)>,
) -> Response {
    let mut response = match body {
        None => Response::new(Body::empty()),
        Some((encoding, bytes)) => {
            let mut r = Response::new(Body::empty());
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(MVT_CONTENT_TYPE),
            );
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            if let Some(value) = encoding.header() {
                h.insert(header::CONTENT_ENCODING, value);
            }
            *r.body_mut() = Body::from(bytes);
            r
        }
    };
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::ETAG, etag.clone());
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
