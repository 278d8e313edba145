//! `GET /api/gaps?group=RFS&minutes=20`: young people in gap cells per commune and per QPV,
//! with how access was measured (walking only when the feed has no timetable).

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::gaps::summary::GapSummaries;
use repere_engine::minutes::Minutes;
use repere_engine::model::actor::ActorGroup;
use serde::Deserialize;

use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of the gap summaries.
pub const OPS: &[Op] = &[Op::get(
    "/api/gaps",
    "Young people (15-29) in gap cells per commune and per QPV, for an actor group and a threshold",
    &[
        Param::query("group", "Actor group (default ML)"),
        Param::query("minutes", "Threshold in minutes (default 20)"),
    ],
    "application/json",
)];

/// The gaps router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/gaps", get(gaps))
}

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct GapsQuery {
    /// Actor group code (default `ML`).
    pub group: Option<String>,
    /// Threshold, minutes (default 20).
    pub minutes: Option<String>,
}

async fn gaps(
    State(state): State<AppState>,
    Query(q): Query<GapsQuery>,
) -> Result<Json<GapSummaries>, AppError> {
    let group = match q.group.as_deref() {
        Some(g) => ActorGroup::parse(g).map_err(|e| AppError::bad("group", e))?,
        None => ActorGroup::MissionLocale,
    };
    let minutes = match q.minutes.as_deref() {
        Some(m) => {
            let v = m.trim().parse::<f64>().map_err(|_| {
                AppError::bad(
                    "minutes",
                    format!("valeur « {m} » invalide : nombre de minutes attendu"),
                )
            })?;
            Minutes::new(v)
                .map_err(|e| AppError::bad("minutes", e.to_string()))?
                .get()
        }
        None => 20.0,
    };
    let analysis = state.analysis();
    blocking(move || Ok(Json(analysis.gap_summaries(group, minutes)))).await
}
