//! QPV of the latest vintage: the list and one QPV's full diagnostic.
//!
//! - `GET /api/qpv`: `[{code, name, vintage, area_m2, communes, population_est, youth_15_29_est,
//!   distance_to_nearest_ml_ft_m}]` sorted by code;
//! - `GET /api/qpv/{code}`: the full diagnostic (400 when `code` is not a QPV code, 404 when the
//!   territory has no such QPV of the diagnosed vintage; a 2015 code says so).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::QpvCode;
use repere_engine::analysis::QpvSummary;

use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, AppState};

/// The QPV router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/qpv", get(list))
        .route("/api/qpv/{code}", get(one))
}

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/qpv",
        "QPV of the latest vintage with key figures (sorted by code)",
        &[],
        "application/json",
    ),
    Op::get(
        "/api/qpv/{code}",
        "Full diagnostic of a QPV",
        &[Param::path("code", "QPV code, e.g. QN07620M")],
        "application/json",
    ),
];

async fn list(State(state): State<AppState>) -> Json<Vec<QpvSummary>> {
    Json(state.analysis().qpv_summaries())
}

async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = QpvCode::parse(&code).map_err(|m| AppError::bad("code", m))?;
    let analysis = state.analysis();
    Ok(Json(analysis.find_qpv(&code)?).into_response())
}
