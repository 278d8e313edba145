//! `GET /api/ranking?weights=neet=2,access=1&top=10`: the communes ranked by priority, each
//! score explained component by component. Weights not given keep their defaults.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::ranking::{Ranking, Weights};

use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, AppState, blocking};

/// The ranking router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/ranking", get(ranking))
}

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[Op::get(
    "/api/ranking",
    "Communes ranked by priority score, explained by component",
    &[
        Param::query(
            "weights",
            "key=value,… over neet, neet_count, youth_qpv, access, distance, invisibles (defaults kept for keys not given)",
        ),
        Param::query("top", "keep only the first N communes"),
    ],
    "application/json",
)];

async fn ranking(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Ranking>, AppError> {
    let weights = match q.get("weights") {
        Some(w) => Weights::parse(w).map_err(|e| AppError::bad("weights", e.to_string()))?,
        None => Weights::default(),
    };
    let top = q
        .get("top")
        .map(|t| {
            t.parse::<usize>()
                .map_err(|_| AppError::bad("top", format!("entier positif attendu, reçu « {t} »")))
        })
        .transpose()?;
    let analysis = state.analysis();
    let mut r = blocking(move || Ok(analysis.ranking(&weights))).await?;
    if let Some(n) = top {
        r.entries.truncate(n);
    }
    Ok(Json(r))
}
