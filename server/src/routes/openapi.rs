//! `GET /api/openapi.json`: an OpenAPI 3.1 document built from the [`Op`] lists that each route
//! module declares next to its router, folded by [`crate::app_with`] from the one route list
//! [`super::ALL`] (a test checks that every listed path answers).

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{Map, Value, json};

use super::Resource;
use super::doc::{In, Op};
use crate::AppState;

/// OpenAPI description of this route.
pub const OPS: &[Op] = &[Op::get(
    "/api/openapi.json",
    "This OpenAPI 3.1 document",
    &[],
    "application/json",
)];

/// The OpenAPI route, with its operation.
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// What the document is built from: every route module's operations and schemas, folded by
/// [`crate::app_with`] from the same list that builds the router.
#[derive(Debug, Clone, Default)]
pub struct ApiDoc {
    /// Every documented operation, in the order of the route list.
    pub operations: Vec<Op>,
    /// Named schemas (`components.schemas`).
    pub schemas: Map<String, Value>,
}

impl ApiDoc {
    /// The operations and schemas of these route modules.
    pub fn of(resources: &[Resource]) -> Self {
        Self {
            operations: resources
                .iter()
                .flat_map(|r| r.ops.iter().copied())
                .collect(),
            schemas: resources.iter().flat_map(|r| (r.schemas)()).collect(),
        }
    }
}

fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi))
}

async fn openapi(
    State(state): State<AppState>,
    Extension(doc): Extension<Arc<ApiDoc>>,
) -> Json<Value> {
    Json(document(&doc, state.analysis().version()))
}

/// The OpenAPI 3.1 document.
pub fn document(doc: &ApiDoc, version: &str) -> Value {
    let error = json!({
        "description": "error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    });
    let mut schemas = doc.schemas.clone();
    schemas.insert(
        "Error".to_owned(),
        json!({
            "type": "object",
            "properties": {"error": {"type": "string"}, "parameter": {"type": ["string", "null"]}},
            "required": ["error"],
        }),
    );
    let mut paths = Map::new();
    for op in &doc.operations {
        let params: Vec<Value> = op
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": match p.location {
                        In::Path => "path",
                        In::Query => "query",
                        In::Header => "header",
                    },
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
                op.success.to_string(): {"description": "success", "content": {op.response_type: schema(op.response_schema)}},
                "400": error.clone(),
                "404": error.clone(),
            },
        });
        if !op.request_types.is_empty() {
            let content: Map<String, Value> = op
                .request_types
                .iter()
                .map(|t| ((*t).to_owned(), schema(op.request_schema)))
                .collect();
            operation["requestBody"] = json!({"required": op.request_schema.is_some() || op.method == "post", "content": content});
            operation["responses"]["413"] = error.clone();
        }
        if op.auth {
            operation["security"] = json!([{"editToken": []}]);
            operation["responses"]["401"] = error_with("no or an unknown edit token");
            operation["responses"]["403"] =
                error_with("read-only server: no edit token file or no store configured");
            operation["responses"]["429"] = error_with(
                "too many wrong edit tokens from this address: retry after `Retry-After` seconds",
            );
            operation["responses"]["503"] = error_with(
                "the actor store cannot be reached (PostgreSQL down) or is locked by another writer: nothing written, retry later",
            );
            operation["responses"]["507"] =
                error_with("the actor store's disk is full: nothing written");
        }
        for code in op.errors {
            operation["responses"][code.to_string()] = match code {
                409 => json!({
                    "description": "another edit came first: the actor's current version is returned",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflict"}}}
                }),
                412 => json!({
                    "description": "the If-Match version is stale (another edit came first: the actor's current version is returned) or weak",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conflict"}}}
                }),
                422 => error_with(
                    "the edit is valid but the analysis could not be rebuilt with it: nothing applied",
                ),
                428 => error_with("If-Match missing: send the actor's ETag (its version)"),
                _ => error.clone(),
            };
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
        "components": {
            "schemas": schemas,
            "securitySchemes": {"editToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "An editor's token from `repere serve --edit-token-file` (one `name:token` per line); the name is recorded as the author. Sent in the Authorization header, never a cookie.",
            }},
        },
    })
}

/// A response or request content entry, with its schema when named.
fn schema(name: Option<&str>) -> Value {
    match name {
        Some(n) => json!({"schema": {"$ref": format!("#/components/schemas/{n}")}}),
        None => json!({}),
    }
}

fn error_with(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}
