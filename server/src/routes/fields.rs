//! `GET /api/fields`: the French label and unit of every indicator field the diagnostics, the
//! `communes` tiles and the exports carry, as the engine writes them from the analysis's
//! parameters (e.g. the stop catchment in `stops_near_qpv`'s label). The page labels its
//! indicators with these, never with constants of its own. Each field also says its source and
//! vintage (`source`), and `vintages` gives the years of the loaded data.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::diagnostic::fields::{DataVintages, FieldDocs};

use super::doc::Op;
use crate::AppState;

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: super::Resource = super::Resource::new(router, OPS);

/// OpenAPI description of this route.
pub const OPS: &[Op] = &[Op::get(
    "/api/fields",
    "French label and unit of each indicator field (diagnostics, communes tiles, exports)",
    &[],
    "application/json",
)];

/// The fields router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/fields", get(fields))
}

/// The body of `GET /api/fields`.
#[derive(Debug, serde::Serialize)]
pub struct Fields {
    /// Field name → `{label, unit, source}` (`source`: origin and vintage, French).
    pub fields: FieldDocs,
    /// Vintages of the loaded data: `{census, population, qpv}` (years, `null` when unknown).
    pub vintages: DataVintages,
}

async fn fields(State(state): State<AppState>) -> Json<Fields> {
    Json(Fields {
        fields: state.analysis().field_docs(),
        vintages: state.analysis().vintages(),
    })
}
