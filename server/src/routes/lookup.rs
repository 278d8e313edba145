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

use super::openapi::{Op, Param};
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
    let param = match e {
        LookupError::Latitude { .. } => "lat",
        LookupError::Longitude { .. } | LookupError::Projection { .. } => "lon",
    };
    AppError::bad(&format!("{prefix}{param}"), e.to_string())
}

fn number(q: &HashMap<String, String>, name: &str) -> Result<f64, AppError> {
    let text = q
        .get(name)
        .ok_or_else(|| AppError::bad(name, "missing (WGS84 degrees)"))?;
    text.trim()
        .parse::<f64>()
        .map_err(|_| AppError::bad(name, format!("not a number: {text:?}")))
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
            AppError::TooLarge(format!("request body over {MAX_BODY_BYTES} bytes"))
        } else {
            AppError::bad("body", r.body_text())
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
                    format!("expected a JSON array of {{\"lon\", \"lat\"}}: {e}"),
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
            format!("expected application/json or text/csv, got {content_type:?}"),
        ));
    };
    if points.len() > MAX_POINTS {
        return Err(AppError::TooLarge(format!(
            "{} points: at most {MAX_POINTS} per request",
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

/// CSV with `lon` and `lat` columns (also `lng`/`longitude`, `latitude`), header required.
fn parse_csv(body: &[u8]) -> Result<Vec<(f64, f64)>, AppError> {
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if first_line.contains(&b';') && !first_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| AppError::bad("body", format!("unreadable CSV header: {e}")))?
        .clone();
    let column = |names: &[&str], param: &str| {
        headers
            .iter()
            .position(|h| {
                names.iter().any(|n| {
                    h.trim()
                        .trim_start_matches('\u{feff}')
                        .eq_ignore_ascii_case(n)
                })
            })
            .ok_or_else(|| {
                AppError::bad(
                    param,
                    format!(
                        "the CSV header has no {param} column (found: {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                )
            })
    };
    let lon_col = column(&["lon", "lng", "longitude"], "lon")?;
    let lat_col = column(&["lat", "latitude"], "lat")?;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| AppError::bad("body", format!("line {line}: {e}")))?;
        let get = |col: usize, param: &str| {
            let text = record.get(col).unwrap_or("").trim();
            let normalised = if delimiter == b';' {
                text.replace(',', ".")
            } else {
                text.to_owned()
            };
            normalised
                .parse::<f64>()
                .map_err(|_| AppError::bad(param, format!("line {line}: not a number: {text:?}")))
        };
        out.push((get(lon_col, "lon")?, get(lat_col, "lat")?));
        if out.len() > MAX_POINTS {
            return Err(AppError::TooLarge(format!(
                "more than {MAX_POINTS} points: at most {MAX_POINTS} per request"
            )));
        }
    }
    Ok(out)
}
