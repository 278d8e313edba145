//! `POST /api/suggest` (where to open the next permanence) and `GET /api/suggest/candidates`
//! (the host structures of the territory).
//!
//! `POST /api/suggest?group=FT&minutes=15&k=3`: with an empty body, the candidates are every
//! existing actor of a host kind ([`repere_engine::suggest::HOST_KINDS`]); a GeoJSON
//! FeatureCollection of points or CSV `lon,lat[,nom]` body gives the user's own candidates. A JSON
//! body may also be `{"group": "FT", "minutes": 15, "k": 3, "candidates": <FeatureCollection>}`.
//! Bad input (k above the number of candidates, a candidate outside the territory, a file with
//! no usable point, more than 1 000 candidates) is a 400 naming the field, the line or feature.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use repere_engine::coverage::{parse_sites_csv, parse_sites_geojson};
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::{Candidate, SuggestParams, Suggestion, candidates_from_sites};
use serde::Deserialize;

use super::Resource;
use super::doc::{Op, Param};
use crate::heavy::{DEFAULT_BODY_BYTES, HeavyPool, read_body};
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description.
pub const OPS: &[Op] = &[
    Op {
        method: "post",
        path: "/api/suggest",
        summary: "Where to open the next permanence: greedy maximal covering of the young people in a group's gap cells by k host structures (existing host actors, or the body's candidates)",
        params: &[
            Param::query(
                "group",
                "Actor group whose gaps to cover: ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO",
            ),
            Param::query(
                "minutes",
                "Threshold on foot in minutes (default 15, at most 120)",
            ),
            Param::query("k", "Structures to suggest (default 3)"),
        ],
        request_types: &["application/geo+json", "application/json", "text/csv"],
        response_type: "application/json",
        ..Op::BASE
    },
    Op::get(
        "/api/suggest/candidates",
        "Existing structures of host kinds (centres sociaux, maisons de quartier, MJC, PIJ, mairies, France services)",
        &[],
        "application/json",
    ),
];

/// The suggest router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/suggest", post(suggest_route))
        .route("/api/suggest/candidates", get(candidates))
}

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct SuggestQuery {
    /// Group code.
    pub group: Option<String>,
    /// Threshold, minutes.
    pub minutes: Option<String>,
    /// Number of structures.
    pub k: Option<String>,
}

/// Validates parameters.
///
/// # Errors
/// [`AppError::BadRequest`] naming `group`, `minutes` or `k`.
pub fn params(q: &SuggestQuery) -> Result<(ActorGroup, f64, usize), AppError> {
    let group = match q.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => ActorGroup::parse(g).map_err(|_| {
            AppError::bad(
                "group",
                format!("groupe d'acteurs inconnu {g:?} (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO)"),
            )
        })?,
        None => return Err(AppError::bad("group", "groupe d'acteurs manquant (par exemple FT)")),
    };
    let minutes = match q.minutes.as_deref() {
        Some(m) => m.trim().parse::<f64>().map_err(|_| {
            AppError::bad("minutes", format!("nombre de minutes illisible : {m:?}"))
        })?,
        None => 15.0,
    };
    let k = match q.k.as_deref() {
        Some(k) => k
            .trim()
            .parse::<usize>()
            .map_err(|_| AppError::bad("k", format!("nombre de structures illisible : {k:?}")))?,
        None => 3,
    };
    Ok((group, minutes, k))
}

/// Reads the user's candidates from a body, `None` when the body is empty.
fn body_candidates(body: &[u8], q: &mut SuggestQuery) -> Result<Option<Vec<Candidate>>, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let bad =
        |field: &str, e: repere_engine::coverage::SiteError| AppError::bad(field, e.to_string());
    if !trimmed.starts_with('{') {
        return parse_sites_csv(text)
            .map(|s| Some(candidates_from_sites(&s)))
            .map_err(|e| bad("body", e));
    }
    let v = super::json_body::parse(trimmed)?;
    if v.get("type").is_none() {
        let param = |k: &str| super::json_body::param(&v, k);
        q.group = q.group.take().or_else(|| param("group"));
        q.minutes = q.minutes.take().or_else(|| param("minutes"));
        q.k = q.k.take().or_else(|| param("k"));
        return match v.get("candidates").filter(|c| !c.is_null()) {
            Some(c) => parse_sites_geojson(&c.to_string())
                .map(|s| Some(candidates_from_sites(&s)))
                .map_err(|e| bad("candidates", e)),
            None => Ok(None),
        };
    }
    parse_sites_geojson(trimmed)
        .map(|s| Some(candidates_from_sites(&s)))
        .map_err(|e| bad("body", e))
}

async fn suggest_route(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Query(mut q): Query<SuggestQuery>,
    body: Body,
) -> Result<Json<Suggestion>, AppError> {
    // The shared pool of heavy requests: the body is read once a slot is held.
    let slot = pool.slot().await?;
    let body = read_body(body, DEFAULT_BODY_BYTES).await?;
    let user = body_candidates(&body, &mut q)?;
    let (group, threshold_min, k) = params(&q)?;
    let analysis = state.analysis();
    blocking(move || {
        let _slot = slot;
        analysis
            .suggest(
                user.as_deref(),
                &SuggestParams {
                    group,
                    threshold_min,
                    k,
                },
            )
            .map(Json)
            .map_err(|e| repere_engine::Error::from(e).into())
    })
    .await
}

async fn candidates(State(state): State<AppState>) -> Json<Vec<Candidate>> {
    Json(state.analysis().host_candidates())
}
