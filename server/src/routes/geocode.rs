//! Address search through the configured geocoder ([`crate::geocoder`]), proxied so that the page
//! keeps one origin:
//!
//! - `GET /api/geocode/search?q=…&limit=…`: addresses matching the typed text, biased towards the
//!   territory's centre, restricted to the territory's extent; results scored below
//!   [`crate::geocoder::MIN_SCORE`] are not answers, those below
//!   [`crate::geocoder::APPROXIMATE_BELOW`] carry `"approximate": true`;
//! - `GET /api/geocode/reverse?lon=…&lat=…`: the address nearest to a point of the territory.
//!
//! Without `repere serve --geocoder`, both answer 503 saying so; a geocoder that is down or slow
//! gives 503 with the French cause; a client past its rate ([`crate::geocoder::RateLimiter`])
//! gets 429.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};

use super::Resource;
use super::doc::{Op, Param};
use crate::geocoder::{self, BoxWgs84, Geocoder, GeocoderError, RateLimiter};
use crate::{AppError, AppState, blocking};

/// The configured geocoder, if any, and the rate limiter of its callers (an extension of the
/// router: [`crate::AppOptions::geocoder`]).
#[derive(Debug, Clone, Default)]
pub struct Geocoding {
    /// The geocoder (`None`: address search is off).
    pub geocoder: Option<Arc<Geocoder>>,
    /// Calls per client address.
    pub limiter: Arc<RateLimiter>,
}

impl Geocoding {
    /// Address search through `geocoder`.
    pub fn new(geocoder: Option<Arc<Geocoder>>) -> Self {
        Self {
            geocoder,
            limiter: Arc::new(RateLimiter::default()),
        }
    }
}

/// The geocode router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/geocode/search", get(search))
        .route("/api/geocode/reverse", get(reverse))
}

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/geocode/search",
        "Addresses matching a text, in the territory (through the configured addok geocoder)",
        &[
            Param::query_required("q", "the typed address (at most 200 characters)"),
            Param::query("limit", "most results, 1 to 10 (default 5)"),
        ],
        "application/json",
    )
    .errors(&[400, 429, 503]),
    Op::get(
        "/api/geocode/reverse",
        "The address nearest to a point of the territory (through the configured geocoder)",
        &[
            Param::query_required("lon", "longitude, WGS84 degrees"),
            Param::query_required("lat", "latitude, WGS84 degrees"),
        ],
        "application/json",
    )
    .errors(&[400, 429, 503]),
];

/// The message when no geocoder is configured.
pub const OFF: &str = "la recherche d'adresse demande un géocodeur : lancer `repere serve --geocoder URL` \
     (un addok, par exemple celui de la Base Adresse Nationale) ; le placement par clic, \
     coordonnées ou clavier reste possible";

/// Why a call does not reach the geocoder.
enum Refused {
    /// No geocoder configured: 503.
    Off,
    /// The client is past its rate: 429.
    Rate,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Off => AppError::Unavailable(OFF.to_owned()).into_response(),
            Refused::Rate => {
                let body = serde_json::json!({
                    "error": "trop de recherches d'adresse à la suite : réessayer dans quelques secondes",
                    "parameter": null,
                });
                (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response()
            }
        }
    }
}

fn ready(geo: &Geocoding, extensions: &Extensions) -> Result<Arc<Geocoder>, Refused> {
    let g = geo.geocoder.clone().ok_or(Refused::Off)?;
    let client = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if !geo.limiter.allow(client) {
        return Err(Refused::Rate);
    }
    Ok(g)
}

fn extent(state: &AppState) -> Option<BoxWgs84> {
    let analysis = state.analysis();
    analysis
        .dataset()
        .extent_wgs84
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
}

fn unavailable(e: GeocoderError) -> AppError {
    AppError::Unavailable(e.to_string())
}

async fn search(
    State(state): State<AppState>,
    Extension(geo): Extension<Geocoding>,
    extensions: Extensions,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let g = match ready(&geo, &extensions) {
        Ok(g) => g,
        Err(r) => return r.into_response(),
    };
    match search_answer(&state, g, &q).await {
        Ok(json) => Json(json).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn search_answer(
    state: &AppState,
    g: Arc<Geocoder>,
    q: &HashMap<String, String>,
) -> Result<serde_json::Value, AppError> {
    let text = q.get("q").map(|t| t.trim().to_owned()).unwrap_or_default();
    if text.chars().count() < 3 {
        return Err(AppError::bad(
            "q",
            "au moins 3 caractères d'adresse sont attendus",
        ));
    }
    if text.chars().count() > geocoder::MAX_QUERY_CHARS {
        return Err(AppError::bad(
            "q",
            format!(
                "adresse trop longue (au plus {} caractères)",
                geocoder::MAX_QUERY_CHARS
            ),
        ));
    }
    let limit = match q.get("limit") {
        None => 5,
        Some(l) => l
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=10).contains(n))
            .ok_or_else(|| {
                AppError::bad("limit", format!("entier de 1 à 10 attendu, reçu « {l} »"))
            })?,
    };
    let extent = extent(state);
    let centre = extent.map(|e| ((e[0] + e[2]) / 2.0, (e[1] + e[3]) / 2.0));
    let query = text.clone();
    // More than asked: some may fall outside the territory or under the score threshold.
    let found = blocking(move || g.search(&query, centre, limit * 2).map_err(unavailable)).await?;
    let (mut results, outside) = geocoder::answers(&text, found, extent.as_ref());
    results.truncate(limit);
    Ok(serde_json::json!({
        "query": text,
        "results": results,
        "outside_territory": outside,
        "min_score": geocoder::MIN_SCORE,
        "approximate_below": geocoder::APPROXIMATE_BELOW,
    }))
}

fn number(q: &HashMap<String, String>, name: &str) -> Result<f64, AppError> {
    let text = q
        .get(name)
        .ok_or_else(|| AppError::bad(name, "paramètre absent (degrés WGS84)"))?;
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| AppError::bad(name, format!("nombre attendu, reçu « {text} »")))
}

async fn reverse(
    State(state): State<AppState>,
    Extension(geo): Extension<Geocoding>,
    extensions: Extensions,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let g = match ready(&geo, &extensions) {
        Ok(g) => g,
        Err(r) => return r.into_response(),
    };
    let answer = async {
        let lon = number(&q, "lon")?;
        let lat = number(&q, "lat")?;
        let extent = extent(&state);
        if extent.is_some_and(|e| !geocoder::within(&e, lon, lat)) {
            return Err(AppError::bad(
                "lon",
                "le point est hors de l'emprise du territoire",
            ));
        }
        let found = blocking(move || g.reverse(lon, lat).map_err(unavailable)).await?;
        let results: Vec<_> = found
            .into_iter()
            .filter(|c| extent.is_none_or(|e| geocoder::within(&e, c.lon, c.lat)))
            .take(1)
            .collect();
        Ok(serde_json::json!({ "results": results }))
    };
    match answer.await {
        Ok(json) => Json(json).into_response(),
        Err(e) => e.into_response(),
    }
}
