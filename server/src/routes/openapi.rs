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
    /// Request header.
    Header,
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
    /// A required request header.
    pub const fn header(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            location: In::Header,
            required: true,
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
    /// Media type of the success response.
    pub response_type: &'static str,
    /// Status of the success response (200 unless set).
    pub success: u16,
    /// Whether the operation needs an editor's token (`Authorization: Bearer`): 401 and 403.
    pub auth: bool,
    /// Schema of the request body, by name in `components.schemas`.
    pub request_schema: Option<&'static str>,
    /// Schema of the success response, by name in `components.schemas`.
    pub response_schema: Option<&'static str>,
    /// Error statuses beyond 400 and 404 (409, 413, 422, 428 …).
    pub errors: &'static [u16],
}

impl Op {
    /// Defaults for an operation written as a struct literal (`..Op::BASE`): 200, no token,
    /// no schemas, no extra errors.
    pub const BASE: Op = Op::get("", "", &[], "application/json");

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
            success: 200,
            auth: false,
            request_schema: None,
            response_schema: None,
            errors: &[],
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
            success: 200,
            auth: false,
            request_schema: None,
            response_schema: None,
            errors: &[],
        }
    }
    /// A PATCH operation on a JSON body.
    pub const fn patch(path: &'static str, summary: &'static str) -> Self {
        Self {
            method: "patch",
            ..Self::post(path, summary, &["application/json"], "application/json")
        }
    }
    /// A DELETE operation on a JSON body.
    pub const fn delete(path: &'static str, summary: &'static str) -> Self {
        Self {
            method: "delete",
            ..Self::post(path, summary, &["application/json"], "application/json")
        }
    }
    /// With parameters.
    pub const fn params(self, params: &'static [Param]) -> Self {
        Self { params, ..self }
    }
    /// Needing an editor's token.
    pub const fn auth(self) -> Self {
        Self { auth: true, ..self }
    }
    /// With the success status.
    pub const fn success(self, success: u16) -> Self {
        Self { success, ..self }
    }
    /// With request and response schemas (names in `components.schemas`).
    pub const fn schemas(
        self,
        request: Option<&'static str>,
        response: Option<&'static str>,
    ) -> Self {
        Self {
            request_schema: request,
            response_schema: response,
            ..self
        }
    }
    /// With more error statuses.
    pub const fn errors(self, errors: &'static [u16]) -> Self {
        Self { errors, ..self }
    }
}

/// Every documented operation, from every route module.
pub fn operations() -> Vec<Op> {
    [
        super::health::OPS,
        super::communes::OPS,
        super::fields::OPS,
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
        super::actors::OPS,
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
    let mut schemas = super::actors::schemas();
    schemas.insert(
        "Error".to_owned(),
        json!({
            "type": "object",
            "properties": {"error": {"type": "string"}, "parameter": {"type": ["string", "null"]}},
            "required": ["error"],
        }),
    );
    let mut paths = Map::new();
    for op in operations() {
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
        }
        for code in op.errors {
            operation["responses"][code.to_string()] = match code {
                409 => json!({
                    "description": "another edit came first: the actor's current version is returned",
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
