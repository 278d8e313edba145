//! `GET /api/openapi.json`: an OpenAPI 3.1 document built from the [`Op`] lists that each route
//! module declares next to its router (a test checks that every listed path answers).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::AppState;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// Path segment.
    Path,
    /// Query string.
    Query,
}

/// A documented parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Name.
    pub name: &'static str,
    /// Location.
    pub location: In,
    /// Whether it is required.
    pub required: bool,
    /// Description.
    pub description: &'static str,
}

impl Param {
    /// A path parameter (always required).
    pub const fn path(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Path,
            required: true,
            description,
        }
    }
    /// An optional query parameter.
    pub const fn query(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Query,
            required: false,
            description,
        }
    }
    /// A required query parameter.
    pub const fn query_required(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Query,
            required: true,
            description,
        }
    }
}

/// A documented operation.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// `get` or `post`.
    pub method: &'static str,
    /// Path template as routed (`{code}`).
    pub path: &'static str,
    /// Summary.
    pub summary: &'static str,
    /// Parameters.
    pub params: &'static [Param],
    /// Accepted request body media types (POST).
    pub request_types: &'static [&'static str],
    /// Media type of the 200 response.
    pub response_type: &'static str,
}

impl Op {
    /// A GET operation.
    pub const fn get(
        path: &'static str,
        summary: &'static str,
        params: &'static [Param],
        response_type: &'static str,
    ) -> Self {
        Self {
            method: "get",
            path,
            summary,
            params,
            request_types: &[],
            response_type,
        }
    }
    /// A POST operation.
    pub const fn post(
        path: &'static str,
        summary: &'static str,
        request_types: &'static [&'static str],
        response_type: &'static str,
    ) -> Self {
        Self {
            method: "post",
            path,
            summary,
            params: &[],
            request_types,
            response_type,
        }
    }
}

/// Every documented operation, from every route module.
pub fn operations() -> Vec<Op> {
    [
        super::health::OPS,
        super::communes::OPS,
        super::qpv::OPS,
        super::lookup::OPS,
        super::ranking::OPS,
        super::tiles::OPS,
        super::coverage::OPS,
        super::gaps::OPS,
        super::suggest::OPS,
        super::transport::OPS,
        super::isochrone::OPS,
        super::fonts::OPS,
        OPS,
    ]
    .concat()
}

/// OpenAPI description of this route.
pub const OPS: &[Op] = &[Op::get(
    "/api/openapi.json",
    "This OpenAPI 3.1 document",
    &[],
    "application/json",
)];

/// The OpenAPI router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi))
}

async fn openapi(State(state): State<AppState>) -> Json<Value> {
    Json(document(state.analysis().version()))
}

/// The OpenAPI 3.1 document.
pub fn document(version: &str) -> Value {
    let error = json!({
        "description": "error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    });
    let mut paths = Map::new();
    for op in operations() {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": if p.location == In::Path { "path" } else { "query" },
                    "required": p.required,
                    "description": p.description,
                    "schema": {"type": "string"},
                })
            })
            .collect();
        let mut operation = json!({
            "summary": op.summary,
            "operationId": format!("{}_{}", op.method, op.path.trim_start_matches('/').replace(['/', '.', '{', '}', ','], "_")),
            "parameters": params,
            "responses": {
                "200": {"description": "success", "content": {op.response_type: {}}},
                "400": error.clone(),
                "404": error.clone(),
            },
        });
        if !op.request_types.is_empty() {
            let content: Map<String, Value> = op
                .request_types
                .iter()
                .map(|t| ((*t).to_owned(), json!({})))
                .collect();
            operation["requestBody"] = json!({"required": true, "content": content});
            operation["responses"]["413"] = error.clone();
        }
        if op.path.starts_with("/tiles/") && op.path.ends_with(".mvt") {
            operation["responses"]["204"] = json!({"description": "empty tile"});
            operation["responses"]["304"] = json!({"description": "not modified (If-None-Match)"});
        }
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Repère API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Diagnostics territoriaux pour le repérage des jeunes NEET. Dataset version {version}."),
        },
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "parameter": {"type": ["string", "null"]}},
            "required": ["error"],
        }}},
    })
}
