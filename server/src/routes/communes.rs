//! Communes: the list with key indicators, one commune's full diagnostic, and the CSV and
//! GeoJSON exports (same fields as the `communes` tiles).
//!
//! - `GET /api/communes`: `[{code, name, population, …key indicators, priority_score, priority_rank}]`
//!   sorted by code;
//! - `GET /api/communes/{code}`: the full diagnostic (400 when `code` is not an INSEE code, 404
//!   when it is not a member commune);
//! - `GET /api/communes.csv`, `GET /api/communes.geojson`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use repere_engine::CommuneCode;
use repere_engine::csv_cell::neutralised;
use repere_engine::tiles::geojson::layer_to_geojson;
use repere_engine::tiles::{FieldValue, LayerSchema};
use serde_json::{Map, Value};

use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, AppState, blocking};

/// The communes router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/communes", get(list))
        .route("/api/communes.csv", get(csv))
        .route("/api/communes.geojson", get(geojson))
        .route("/api/communes/{code}", get(one))
}

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/communes",
        "Communes with key indicators and priority (sorted by code)",
        &[],
        "application/json",
    ),
    Op::get(
        "/api/communes/{code}",
        "Full diagnostic of a member commune",
        &[Param::path("code", "INSEE commune code, e.g. 76540")],
        "application/json",
    ),
    Op::get(
        "/api/communes.csv",
        "Communes with key indicators, CSV (comma-separated, UTF-8)",
        &[],
        "text/csv",
    ),
    Op::get(
        "/api/communes.geojson",
        "Communes with key indicators, GeoJSON (WGS84)",
        &[],
        "application/geo+json",
    ),
];

fn json_value(v: &FieldValue) -> Value {
    match v {
        FieldValue::Str(s) => Value::from(s.as_str()),
        FieldValue::Int(n) => Value::from(*n),
        FieldValue::Double(d) => Value::from(*d),
        FieldValue::Bool(b) => Value::from(*b),
    }
}

async fn list(State(state): State<AppState>) -> Json<Value> {
    let layer = state.analysis().communes_layer();
    let rows: Vec<Value> = layer
        .features
        .iter()
        .map(|f| {
            Value::Object(
                f.properties
                    .iter()
                    .map(|(k, v)| (k.clone(), json_value(v)))
                    .collect::<Map<_, _>>(),
            )
        })
        .collect();
    Json(Value::Array(rows))
}

async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = CommuneCode::parse(&code).map_err(|m| AppError::bad("code", m))?;
    let analysis = state.analysis();
    Ok(Json(analysis.find_commune(&code)?).into_response())
}

async fn csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let analysis = state.analysis();
    let body = blocking(move || {
        let layer = analysis.communes_layer();
        let schema = LayerSchema::collect(layer.features.iter().map(|f| f.properties.as_slice()));
        // code and name first, then the other fields by name.
        let mut columns = vec!["code".to_owned(), "name".to_owned()];
        columns.extend(
            schema
                .fields
                .keys()
                .filter(|k| *k != "code" && *k != "name")
                .cloned(),
        );
        let mut w = csv::Writer::from_writer(Vec::new());
        let internal = |e: csv::Error| AppError::Internal(e.to_string());
        w.write_record(&columns).map_err(internal)?;
        for f in &layer.features {
            let row = columns.iter().map(|c| {
                match f.properties.iter().find(|(k, _)| k == c).map(|(_, v)| v) {
                    Some(FieldValue::Str(s)) => neutralised(s).into_owned(),
                    Some(FieldValue::Int(n)) => n.to_string(),
                    Some(FieldValue::Double(d)) => d.to_string(),
                    Some(FieldValue::Bool(b)) => b.to_string(),
                    None => String::new(),
                }
            });
            w.write_record(row).map_err(internal)?;
        }
        w.into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"communes.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

async fn geojson(State(state): State<AppState>) -> Result<Response, AppError> {
    let analysis = state.analysis();
    let body = blocking(move || {
        let layer = analysis.communes_layer();
        Ok(layer_to_geojson(&layer).to_string())
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}
