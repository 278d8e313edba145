//! Point lookups: which commune and QPV contain a WGS84 point, or the nearest QPV and its
//! straight-line Lambert-93 distance.
//!
//! - `GET /api/lookup?lon=1.0993&lat=49.4431`;
//! - `POST /api/lookup`: a JSON array `[{"lon":…, "lat":…}, …]` (`Content-Type:
//!   application/json`) or a CSV with `lon` and `lat` columns (`text/csv`; `,` or `;`
//!   separated, decimal comma accepted with `;`), at most [`MAX_POINTS`] points and
//!   [`MAX_BODY_BYTES`] bytes (413 beyond). The answer is a JSON array in input order.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::lookup::{Lookup, LookupError};

use super::BODY;
use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, AppState, blocking};

/// Most points one `POST /api/lookup` takes.
pub const MAX_POINTS: usize = 100_000;
/// Largest accepted body, bytes.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The lookup router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/lookup", get(one).post(many))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/lookup",
        "Commune and QPV containing a point, or the nearest QPV and its distance",
        &[
            Param::query_required("lon", "longitude, WGS84 degrees"),
            Param::query_required("lat", "latitude, WGS84 degrees"),
        ],
        "application/json",
    ),
    Op::post(
        "/api/lookup",
        "Batch lookup of up to 100000 points: JSON array of {lon, lat} or CSV with lon and lat columns",
        &["application/json", "text/csv"],
        "application/json",
    ),
];

fn param_error(e: LookupError, prefix: &str) -> AppError {
    AppError::bad(&format!("{prefix}{}", e.field()), e.to_string())
}

fn number(q: &HashMap<String, String>, name: &str) -> Result<f64, AppError> {
    let text = q
        .get(name)
        .ok_or_else(|| AppError::bad(name, "paramètre absent (degrés WGS84)"))?;
    text.trim()
        .parse::<f64>()
        .map_err(|_| AppError::bad(name, format!("nombre attendu, reçu « {text} »")))
}

async fn one(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Lookup>, AppError> {
    let lon = number(&q, "lon")?;
    let lat = number(&q, "lat")?;
    Ok(Json(
        state
            .analysis()
            .lookup(lon, lat)
            .map_err(|e| param_error(e, ""))?,
    ))
}

#[derive(serde::Deserialize)]
struct PointIn {
    lon: f64,
    lat: f64,
}

async fn many(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Vec<Lookup>>, AppError> {
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!(
                "corps de la requête au-delà de {MAX_BODY_BYTES} octets"
            ))
        } else {
            AppError::bad("body", crate::error::bytes_rejection_fr(&r))
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let points = if content_type.contains("json") {
        serde_json::from_slice::<Vec<PointIn>>(&body)
            .map_err(|e| {
                AppError::bad(
                    "body",
                    format!(
                        "tableau JSON de {{\"lon\", \"lat\"}} attendu : {}",
                        repere_engine::text::json_error_fr(&e)
                    ),
                )
            })?
            .into_iter()
            .map(|p| (p.lon, p.lat))
            .collect()
    } else if content_type.contains("csv") || content_type.starts_with("text/plain") {
        parse_csv(&body)?
    } else {
        return Err(AppError::bad(
            "content-type",
            format!("application/json ou text/csv attendu, reçu « {content_type} »"),
        ));
    };
    if points.len() > MAX_POINTS {
        return Err(AppError::TooLarge(format!(
            "{} points : au plus {MAX_POINTS} par requête",
            points.len()
        )));
    }
    let analysis = state.analysis();
    let out = blocking(move || {
        analysis
            .lookup_many(&points)
            .map_err(|e| param_error(e.source, &format!("points[{}].", e.index)))
    })
    .await?;
    Ok(Json(out))
}

/// CSV with lon/lat columns, read by the engine's one point-file reader
/// ([`repere_engine::points`]), the same as coverage sites.
fn parse_csv(body: &[u8]) -> Result<Vec<(f64, f64)>, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let rows = repere_engine::points::read_points_csv(BODY, text)?;
    if rows.len() > MAX_POINTS {
        return Err(AppError::TooLarge(format!(
            "{} points : au plus {MAX_POINTS} par requête",
            rows.len()
        )));
    }
    Ok(rows
        .iter()
        .map(|r| (r.point.lon(), r.point.lat()))
        .collect())
}
