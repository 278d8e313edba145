//! Point lookups: which commune and QPV contain a WGS84 point, or the nearest QPV and its
//! straight-line Lambert-93 distance.
//!
//! - `GET /api/lookup?lon=1.0993&lat=49.4431`;
//! - `POST /api/lookup`: a JSON array `[{"lon":…, "lat":…}, …]` (`Content-Type:
//!   application/json`) or a CSV with `lon` and `lat` columns (`text/csv`; `,` or `;`
//!   separated, decimal comma accepted with `;`), at most [`MAX_POINTS`] points and
//!   [`MAX_LOOKUP_BODY_BYTES`] bytes (413 beyond). The answer is a JSON array in input order, sent
//!   chunk by chunk. The request shares the bounded pool and budget of coverage checks
//!   ([`crate::heavy`]): its body is read once it holds a slot, 503 when none frees in time or
//!   when the lookup outlasts the budget.

use std::collections::HashMap;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::error::TrySendError;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::point_lookup::{Lookup, LookupError};

use super::BODY;
use super::Resource;
use super::doc::{Op, Param};
use crate::heavy::{HeavyPool, read_body};
use crate::middleware::request_limits::MAX_LOOKUP_BODY_BYTES;
use crate::{AppError, AppState};

/// Most points one `POST /api/lookup` takes.
pub const MAX_POINTS: usize = 100_000;

/// The lookup router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/lookup", get(one).post(many))
        .layer(DefaultBodyLimit::max(MAX_LOOKUP_BODY_BYTES))
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

/// Points computed and serialised at a time: the budget is checked between chunks, and a large
/// answer goes out chunk by chunk instead of being built whole (27 MB for 100 000 points).
const CHUNK_POINTS: usize = 4096;

async fn many(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let json = content_type.contains("json");
    if !json && !content_type.contains("csv") && !content_type.starts_with("text/plain") {
        return Err(AppError::bad(
            "content-type",
            format!("application/json ou text/csv attendu, reçu « {content_type} »"),
        ));
    }
    // The body is read once a slot of the heavy pool is held: waiting requests buffer nothing.
    let slot = pool.slot().await?;
    let body = read_body(body, MAX_LOOKUP_BODY_BYTES).await?;
    let points: Vec<(f64, f64)> = if json {
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
    } else {
        parse_csv(&body)?
    };
    drop(body);
    if points.len() > MAX_POINTS {
        return Err(AppError::TooLarge(format!(
            "{} points : au plus {MAX_POINTS} par requête",
            points.len()
        )));
    }
    // Every point is checked before the first byte goes out: a bad one is still a 400.
    for (i, &(lon, lat)) in points.iter().enumerate() {
        if let Err(e) = repere_engine::Wgs84Point::new(lon, lat) {
            return Err(param_error(LookupError::Point(e), &format!("points[{i}].")));
        }
    }
    let analysis = state.analysis();
    let (first_tx, first_rx) = tokio::sync::oneshot::channel::<Result<(), AppError>>();
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(2);
    let broken = Arc::new(AtomicBool::new(false));
    let broken_off = broken.clone();
    tokio::task::spawn_blocking(move || {
        // A chunk waits for a slow reader at most until the budget runs out: the slot is not
        // held for ever by a client that does not read.
        let send = |bytes: Bytes| -> bool {
            let mut item = bytes;
            loop {
                match tx.try_send(item) {
                    Ok(()) => return true,
                    Err(TrySendError::Closed(_)) => return false, // the client left
                    Err(TrySendError::Full(back)) => {
                        if slot.expired() {
                            return false;
                        }
                        item = back;
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                }
            }
        };
        let mut first = Some(first_tx);
        let chunks = points.chunks(CHUNK_POINTS);
        let n = chunks.len();
        for (k, part) in chunks.enumerate() {
            let outcome = if slot.expired() {
                Err(AppError::Unavailable(format!(
                    "recherche de {} points interrompue : budget de calcul de {} s dépassé ; \
                     envoyer moins de points par requête",
                    points.len(),
                    pool_budget_s(&slot)
                )))
            } else {
                analysis.lookup_many(part).map_err(|e| {
                    param_error(
                        e.source,
                        &format!("points[{}].", k * CHUNK_POINTS + e.index),
                    )
                })
            };
            let bytes = outcome.and_then(|lookups| {
                let mut out = Vec::with_capacity(lookups.len() * 256 + 2);
                out.push(if k == 0 { b'[' } else { b',' });
                for (i, l) in lookups.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, l)
                        .map_err(|e| AppError::Internal(e.to_string()))?;
                }
                if k + 1 == n {
                    out.push(b']');
                }
                Ok(Bytes::from(out))
            });
            match (bytes, first.take()) {
                (Err(e), Some(first)) => {
                    let _ = first.send(Err(e));
                    return;
                }
                // Past the first chunk the status is sent: the transfer is broken off (the
                // connection ends without the closing chunk, so no client takes it as whole).
                (Err(_), None) => {
                    broken_off.store(true, Ordering::Release);
                    return;
                }
                (Ok(b), first) => {
                    if let Some(first) = first {
                        let _ = first.send(Ok(()));
                    }
                    if !send(b) {
                        broken_off.store(true, Ordering::Release);
                        return;
                    }
                }
            }
        }
        if let Some(first) = first.take() {
            // No point at all: an empty array.
            let _ = first.send(Ok(()));
            let _ = send(Bytes::from_static(b"[]"));
        }
    });
    first_rx
        .await
        .map_err(|_| AppError::Internal("tâche de recherche interrompue".into()))??;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::new(ChannelBody { rx, broken }),
    )
        .into_response())
}

fn pool_budget_s(slot: &crate::heavy::Slot) -> u64 {
    slot.budget().as_secs().max(1)
}

/// A response body fed by a channel, chunk by chunk; an error when the producer broke the
/// transfer off (budget spent, lookup failed past the first chunk).
struct ChannelBody {
    rx: tokio::sync::mpsc::Receiver<Bytes>,
    broken: Arc<AtomicBool>,
}

impl axum::body::HttpBody for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        self.rx.poll_recv(cx).map(|m| match m {
            Some(b) => Some(Ok(hyper::body::Frame::data(b))),
            None if self.broken.swap(false, Ordering::AcqRel) => Some(Err(std::io::Error::other(
                "recherche interrompue en cours d'envoi",
            ))),
            None => None,
        })
    }
}

/// CSV with lon/lat columns, read by the engine's one point-file reader
/// ([`repere_engine::point_file`]), the same as coverage sites.
fn parse_csv(body: &[u8]) -> Result<Vec<(f64, f64)>, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let rows = repere_engine::point_file::read_points_csv(BODY, text)?;
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
