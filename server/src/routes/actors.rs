//! `/api/actors…`: the actor inventory. Reads are public; writes need an editor's token in
//! `Authorization: Bearer <token>` (never a cookie) and, for an existing actor, its version in
//! `If-Match` (412 when another edit came first, or when the `If-Match` is weak).
//!
//! - `GET /api/actors?commune=&group=&status=`: the inventory (placed, to place, retired) and
//!   whether the server takes edits;
//! - `GET /api/actors/{id}` (with an `ETag`), `GET /api/actors/{id}/history`;
//! - `POST /api/actors`, `PATCH /api/actors/{id}`, `DELETE /api/actors/{id}` (retire, with a
//!   reason), `POST /api/actors/{id}/undo`;
//! - `POST /api/actors/import?mode=preview|commit&format=&name=`: a CSV, GeoJSON or
//!   data·inclusion file (the body, at most [`MAX_IMPORT_BYTES`]) read line by line. `preview`
//!   (public, stores nothing) returns each line's actor or its French error naming line and
//!   field; `commit` (token required) refuses the whole file while any line has an error (400,
//!   nothing stored), else stores every line as one batch of edits and rebuilds once;
//! - `GET /api/actors/export.csv`, `export.json` (data·inclusion structures), `export.gpkg`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use repere_engine::inventory::import::{ImportFormat, ImportLine, read_import};
use repere_engine::inventory::{ActorFields, ActorInput};
use repere_store::EditKind;

use super::Resource;
use super::doc::{Op, Param};
use crate::auth::PeerAddr;
use crate::inventory::{Inventory, PendingEdit};
use crate::middleware::request_limits::MAX_IMPORT_BYTES;
use crate::{AppError, AppState};

/// The actors router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/actors", get(list).post(create))
        .route("/api/actors/export.csv", get(export_csv))
        .route("/api/actors/export.json", get(export_json))
        .route("/api/actors/export.gpkg", get(export_gpkg))
        .route("/api/actors/{id}", get(one).patch(update).delete(retire))
        .route("/api/actors/{id}/history", get(history))
        .route("/api/actors/{id}/undo", post(undo))
        .route(
            "/api/actors/import",
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

const ID: Param = Param::path("id", "actor id (`source:id`, as listed by GET /api/actors)");
const IF_MATCH: Param = Param::header(
    "If-Match",
    "the actor's ETag (`\"v3\"`, its version) as read: 412 when another edit came first",
);
const WRITE_ERRORS: &[u16] = &[412, 422, 428];

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS).with_schemas(schemas);

/// OpenAPI description of these routes.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/actors",
        "The actor inventory (placed, to place, retired) and whether the server takes edits",
        &[
            Param::query("commune", "INSEE code of a commune"),
            Param::query("group", "actor group code (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO, AUTRE)"),
            Param::query("status", "placed, to_place or retired"),
        ],
        "application/json",
    )
    .schemas(None, Some("ActorList")),
    Op::post(
        "/api/actors",
        "Adds an actor (validated as at load: kind known, point within the territory's margin, name not empty)",
        &["application/json"],
        "application/json",
    )
    .auth()
    .success(201)
    .schemas(Some("ActorCreate"), Some("Committed"))
    .errors(&[409, 422]),
    Op::get("/api/actors/{id}", "One actor, with its version as ETag", &[ID], "application/json")
        .schemas(None, Some("Actor")),
    Op::patch("/api/actors/{id}", "Changes an actor's fields or places it (lon, lat)")
        .params(&[ID, IF_MATCH])
        .auth()
        .schemas(Some("ActorPatch"), Some("Committed"))
        .errors(WRITE_ERRORS),
    Op::delete("/api/actors/{id}", "Retires an actor, with a reason")
        .params(&[ID, IF_MATCH])
        .auth()
        .schemas(Some("Retire"), Some("Committed"))
        .errors(WRITE_ERRORS),
    Op::get(
        "/api/actors/{id}/history",
        "Every edit of an actor, oldest first (author, time, reason, state after)",
        &[ID],
        "application/json",
    )
    .schemas(None, Some("History")),
    Op::post(
        "/api/actors/{id}/undo",
        "Undoes the actor's last edit, as a new edit that restores the state before it",
        &[],
        "application/json",
    )
    .params(&[ID, IF_MATCH])
    .auth()
    .schemas(None, Some("Committed"))
    .errors(WRITE_ERRORS),
    Op::post(
        "/api/actors/import",
        "Imports a CSV, GeoJSON or data·inclusion file: mode=preview (public, stores nothing) gives each line's actor or error; mode=commit (token) stores every line as one batch (201), refused whole while a line has an error",
        &["text/csv", "application/geo+json", "application/json"],
        "application/json",
    )
    .params(&[
        Param::query("mode", "preview (default) or commit"),
        Param::query("format", "csv, geojson or data-inclusion (default: from the content)"),
        Param::query("name", "the file name, for messages and the edits' reason"),
        Param::query("reason", "why (kept with each edit)"),
    ])
    .auth()
    .schemas(None, Some("ImportResult"))
    .errors(&[409, 413, 422]),
    Op::get(
        "/api/actors/export.csv",
        "The current inventory as CSV (nom, typologie, adresse, code_insee, longitude, latitude, horaires)",
        &[],
        "text/csv",
    ),
    Op::get(
        "/api/actors/export.json",
        "The current inventory as data·inclusion structures JSON",
        &[],
        "application/json",
    ),
    Op::get(
        "/api/actors/export.gpkg",
        "The current inventory as an OGC GeoPackage (table actors, WGS84 points)",
        &[],
        "application/geopackage+sqlite3",
    ),
];

/// The JSON schemas of these routes, for `components.schemas`.
pub fn schemas() -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let hours = json!({
        "type": "object",
        "description": "per weekday (lundi … dimanche): HH:MM-HH:MM ranges separated by `, `",
        "propertyNames": {"enum": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]},
        "additionalProperties": {"type": "string", "pattern": "^\\d{2}:\\d{2}-\\d{2}:\\d{2}(, \\d{2}:\\d{2}-\\d{2}:\\d{2})*$"},
    });
    let fields = json!({
        "name": {"type": "string", "minLength": 1},
        "kind": {"type": "string", "description": "data·inclusion structure typology code (ML, FT, RFS, CS, PIJ_BIJ, ASSO …)"},
        "address": {"type": "string"},
        "commune": {"type": "string", "description": "INSEE code; required without a point"},
        "opening_hours": hours,
        "lon": {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS84 degrees, within the territory's margin"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "reason": {"type": "string"},
    });
    let mut actor_fields = fields.clone();
    if let Some(o) = actor_fields.as_object_mut() {
        o.remove("reason");
    }
    let record = json!({"type": ["object", "null"], "properties": actor_fields, "description": "the actor after the edit; null when retired"});
    let edit = json!({
        "type": "object",
        "properties": {
            "seq": {"type": "integer"}, "actor_id": {"type": "string"}, "version": {"type": "integer"},
            "kind": {"enum": ["create", "update", "place", "retire", "undo", "import"]},
            "author": {"type": "string"}, "time_ms": {"type": "integer"}, "reason": {"type": ["string", "null"]},
            "state": record,
        },
    });
    let mut actor = json!({
        "type": "object",
        "properties": {
            "id": {"type": "string"}, "source": {"type": "string"}, "group": {"type": "string"},
            "commune_name": {"type": ["string", "null"]},
            "status": {"enum": ["placed", "to_place", "retired"]},
            "version": {"type": "integer", "description": "0: as loaded; send it back in If-Match"},
            "retired_reason": {"type": ["string", "null"]},
        },
    });
    if let (Some(a), Some(f)) = (
        actor["properties"].as_object_mut(),
        actor_fields.as_object(),
    ) {
        a.extend(f.clone());
    }
    let schemas = json!({
        "ActorCreate": {"type": "object", "properties": fields, "required": ["name", "kind"]},
        "ActorPatch": {"type": "object", "properties": fields, "additionalProperties": false},
        "Retire": {"type": "object", "properties": {"reason": {"type": "string", "minLength": 1}}, "required": ["reason"]},
        "Actor": actor,
        "ActorList": {"type": "object", "properties": {
            "editable": {"type": "boolean"},
            "read_only_reason": {"type": ["string", "null"]},
            "store": {"type": ["string", "null"]},
            "dataset_version": {"type": "string"},
            "actors": {"type": "array", "items": {"$ref": "#/components/schemas/Actor"}},
            "sources": {"type": "array", "description": "the actor sources as loaded (label: what and from when)", "items": {"type": "object", "properties": {
                "source": {"type": "string"}, "label": {"type": ["string", "null"]}, "file": {"type": "string"}, "kept": {"type": "integer"},
            }}},
        }},
        "Edit": edit,
        "History": {"type": "array", "items": {"type": "object", "properties": {
            "seq": {"type": "integer"}, "version": {"type": "integer"}, "kind": {"type": "string"},
            "author": {"type": "string"}, "time": {"type": "string", "format": "date-time"},
            "reason": {"type": ["string", "null"]}, "state": record,
        }}},
        "Committed": {"type": "object", "properties": {
            "edit": {"$ref": "#/components/schemas/Edit"},
            "dataset_version": {"type": "string", "description": "the new version: tile URLs change"},
            "rebuild_ms": {"type": "integer"},
        }},
        "Conflict": {"type": "object", "properties": {
            "error": {"type": "string"}, "parameter": {"type": "null"}, "current_version": {"type": "integer"},
        }, "required": ["error", "current_version"]},
        "ImportLine": {"type": "object", "properties": {
            "label": {"type": "string", "description": "ligne 3 (CSV, header = line 1), objet 1 (features from 1)"},
            "status": {"enum": ["placed", "to_place", "error"]},
            "name": {"type": "string"}, "kind": {"type": "string"}, "address": {"type": ["string", "null"]},
            "commune": {"type": ["string", "null"]}, "commune_name": {"type": ["string", "null"]},
            "lon": {"type": ["number", "null"]}, "lat": {"type": ["number", "null"]},
            "error": {"type": ["object", "null"], "properties": {"field": {"type": "string"}, "message": {"type": "string"}}},
        }},
        "ImportPreview": {"type": "object", "properties": {
            "mode": {"const": "preview"}, "file": {"type": "string"}, "format": {"enum": ["csv", "geojson", "data-inclusion"]},
            "lines": {"type": "integer"}, "valid": {"type": "integer"}, "errors": {"type": "integer"},
            "to_place": {"type": "integer"}, "committable": {"type": "boolean"}, "summary": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ImportLine"}},
        }},
        "ImportCommitted": {"type": "object", "properties": {
            "mode": {"const": "commit"}, "file": {"type": "string"}, "imported": {"type": "integer"},
            "to_place": {"type": "integer"}, "ids": {"type": "array", "items": {"type": "string"}},
            "summary": {"type": "string"}, "dataset_version": {"type": "string"}, "rebuild_ms": {"type": "integer"},
        }},
        "ImportResult": {"oneOf": [
            {"$ref": "#/components/schemas/ImportPreview"},
            {"$ref": "#/components/schemas/ImportCommitted"},
        ]},
    });
    match schemas {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

fn inventory(state: &AppState) -> Result<Arc<Inventory>, AppError> {
    state
        .inventory
        .clone()
        .ok_or_else(|| AppError::NotFound("inventaire des acteurs non configuré".into()))
}

/// The editor named by the request's bearer token (`None` header: refused), counted against
/// its address when wrong; the one check of every editor-only route.
pub(crate) fn author(
    inv: &Inventory,
    headers: &HeaderMap,
    peer: PeerAddr,
) -> Result<String, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme is case-insensitive (RFC 9110 § 11.1): `bearer` as `Bearer`.
        .and_then(|v| v.trim_start().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    inv.author(bearer, peer)
}

fn if_match(headers: &HeaderMap) -> Result<u32, AppError> {
    let v = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            AppError::PreconditionRequired(
                "en-tête `If-Match` manquant : renvoyez l'ETag de l'acteur (sa version)".into(),
            )
        })?;
    let v = v.trim();
    // If-Match compares strongly (RFC 9110 § 13.1.1): a weak validator never matches.
    if v.starts_with("W/") {
        return Err(AppError::PreconditionFailed(format!(
            "en-tête `If-Match` faible ({v:?}) : renvoyez l'ETag fort de l'acteur, par exemple \"v3\""
        )));
    }
    v.trim_matches('"')
        .trim_start_matches('v')
        .parse()
        .map_err(|_| AppError::bad("If-Match", format!("version illisible : {v:?}")))
}

/// The store as anonymous readers see it: its kind and, for a GeoPackage, the file name; never
/// the absolute path nor the PostgreSQL URL (host, user, database).
fn public_store(description: &str) -> String {
    match description.split_once(' ') {
        Some(("GeoPackage", path)) => {
            let name = std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("GeoPackage {name}")
        }
        Some((kind, _)) => kind.to_owned(),
        None => description.to_owned(),
    }
}

/// A conflict on a write sent with `If-Match`: the version the editor read is stale, 412
/// (RFC 9110 § 13.1.1), with the current version.
fn stale_if_match(e: AppError) -> AppError {
    match e {
        AppError::Conflict {
            message,
            current_version,
        } => AppError::Stale {
            message,
            current_version,
        },
        e => e,
    }
}

fn etag(version: u32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).unwrap_or(HeaderValue::from_static("\"v0\""))
}

#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    commune: Option<String>,
    group: Option<String>,
    status: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<serde_json::Value>, AppError> {
    // Unknown filters are refused as on /api/gaps, not answered with an empty list.
    if let Some(g) = q.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        repere_engine::model::actor::ActorGroup::parse(g).map_err(|e| AppError::bad("group", e))?;
    }
    if let Some(st) = q.status.as_deref().filter(|s| !s.is_empty())
        && !matches!(st, "placed" | "to_place" | "retired")
    {
        return Err(AppError::bad(
            "status",
            format!("statut inconnu {st:?} (placed, to_place ou retired)"),
        ));
    }
    let inv = inventory(&state)?;
    let analysis = state.analysis();
    let actors: Vec<_> = inv
        .list(&analysis, &state.served().base())
        .into_iter()
        .filter(|a| {
            q.commune
                .as_deref()
                .is_none_or(|c| c.is_empty() || a.fields.commune.as_deref() == Some(c))
        })
        .filter(|a| {
            q.group
                .as_deref()
                .is_none_or(|g| g.is_empty() || a.group.eq_ignore_ascii_case(g))
        })
        .filter(|a| {
            q.status
                .as_deref()
                .is_none_or(|s| s.is_empty() || a.status == s)
        })
        .collect();
    Ok(Json(serde_json::json!({
        "editable": inv.read_only_reason().is_none(),
        "read_only_reason": inv.read_only_reason(),
        "store": inv.store_description().map(|d| public_store(&d)),
        "dataset_version": analysis.version(),
        "actors": actors,
        // Where the actors come from, with each list's label and date (the page says them).
        "sources": analysis.report().actor_sources.iter().map(|s| serde_json::json!({
            "source": s.source, "label": s.label, "file": s.file, "kept": s.kept,
        })).collect::<Vec<_>>(),
    })))
}

async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let a = inv.get(&state.analysis(), &state.served().base(), &id)?;
    let mut r = Json(&a).into_response();
    r.headers_mut().insert(header::ETAG, etag(a.version));
    Ok(r)
}

async fn history(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<serde_json::Value>>, AppError> {
    let inv = inventory(&state)?;
    // The synchronous store clients block: off the async workers.
    let edits = crate::blocking(move || inv.history(&id)).await?;
    Ok(Json(
        edits
            .into_iter()
            .map(|e| {
                serde_json::json!({
                    "seq": e.seq,
                    "version": e.version,
                    "kind": e.kind,
                    "author": e.author,
                    "time": repere_store::time::rfc3339_utc(e.time_ms),
                    "reason": e.reason,
                    "state": e.state,
                })
            })
            .collect(),
    ))
}

fn field_error(e: repere_engine::inventory::FieldError) -> AppError {
    AppError::bad(e.field, e.to_string())
}

/// An edit's reason checked as the actor's texts are (length, no hidden character).
fn check_reason(reason: Option<&str>) -> Result<(), AppError> {
    match reason {
        Some(r) => repere_engine::inventory::check_text(
            "reason",
            r,
            repere_engine::inventory::MAX_REASON_CHARS,
        )
        .map_err(field_error),
        None => Ok(()),
    }
}

fn committed_response(status: StatusCode, c: crate::inventory::Committed) -> Response {
    let version = c.edit.version;
    let mut r = (status, Json(&c)).into_response();
    r.headers_mut().insert(header::ETAG, etag(version));
    r
}

#[derive(Debug, serde::Deserialize)]
struct CreateBody {
    #[serde(flatten)]
    actor: ActorInput,
    #[serde(default)]
    reason: Option<String>,
}

fn new_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("edits:{nanos:x}{:x}", std::process::id())
}

async fn create(
    State(state): State<AppState>,
    peer: PeerAddr,
    headers: HeaderMap,
    body: Result<Json<CreateBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers, peer)?;
    let Json(body) = body.map_err(|e| {
        AppError::bad(
            "body",
            format!("JSON invalide : {}", crate::error::json_rejection_fr(&e)),
        )
    })?;
    let fields = ActorFields::validate(&state.served().base(), &body.actor).map_err(field_error)?;
    check_reason(body.reason.as_deref())?;
    let c = inv
        .commit(
            &state,
            PendingEdit {
                actor_id: new_id(),
                source: "edits".into(),
                expected_version: 0,
                kind: EditKind::Create,
                author,
                reason: body.reason,
                fields: Some(fields),
            },
        )
        .await?;
    Ok(committed_response(StatusCode::CREATED, c))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: PeerAddr,
    headers: HeaderMap,
    body: Result<
        Json<serde_json::Map<String, serde_json::Value>>,
        axum::extract::rejection::JsonRejection,
    >,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers, peer)?;
    let expected = if_match(&headers)?;
    let Json(mut patch) = body.map_err(|e| {
        AppError::bad(
            "body",
            format!("JSON invalide : {}", crate::error::json_rejection_fr(&e)),
        )
    })?;
    // The PATCH is merged onto the served copy of the actor: when the editor saw a newer
    // version (through another replica), catch up first so that the copy is that version.
    if inv.current(&state.analysis(), &id).1 < expected {
        inv.catch_up(&state).await?;
    }
    let analysis = state.analysis();
    let (Some((source, current)), _) = inv.current(&analysis, &id) else {
        return Err(AppError::NotFound(format!(
            "acteur inconnu ou retiré : {id}"
        )));
    };
    // Not held while the edit waits for the write lock: with N editors waiting, N superseded
    // analyses would stay alive (issue 26: 8 editors kept about 260 MB).
    drop(analysis);
    let reason = match patch.remove("reason") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
    check_reason(reason.as_deref())?;
    if patch.is_empty() {
        return Err(AppError::bad(
            "body",
            "modification vide : indiquez au moins un champ à changer (name, kind, address, commune, opening_hours, lon, lat)",
        ));
    }
    let places = patch.contains_key("lon") || patch.contains_key("lat");
    let was_placed = matches!(
        current.placement,
        repere_engine::model::actor::Placement::Placed(_)
    );
    let mut merged =
        serde_json::to_value(current.to_input()).map_err(|e| AppError::Internal(e.to_string()))?;
    for (k, v) in patch {
        if !matches!(
            k.as_str(),
            "name" | "kind" | "address" | "commune" | "opening_hours" | "lon" | "lat"
        ) {
            return Err(AppError::bad(&k, format!("champ inconnu : {k}")));
        }
        merged[k] = v;
    }
    let input: ActorInput = serde_json::from_value(merged).map_err(|e| {
        AppError::bad(
            "body",
            format!(
                "champs invalides : {}",
                repere_engine::text::json_error_fr(&e)
            ),
        )
    })?;
    let fields = ActorFields::validate(&state.served().base(), &input).map_err(field_error)?;
    let kind = if places && !was_placed {
        EditKind::Place
    } else {
        EditKind::Update
    };
    let c = inv
        .commit(
            &state,
            PendingEdit {
                actor_id: id,
                source,
                expected_version: expected,
                kind,
                author,
                reason,
                fields: Some(fields),
            },
        )
        .await
        .map_err(stale_if_match)?;
    Ok(committed_response(StatusCode::OK, c))
}

#[derive(Debug, Default, serde::Deserialize)]
struct RetireBody {
    #[serde(default)]
    reason: String,
}

async fn retire(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: PeerAddr,
    headers: HeaderMap,
    body: Option<Json<RetireBody>>,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers, peer)?;
    let expected = if_match(&headers)?;
    let reason = body.map(|Json(b)| b.reason).unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(AppError::bad(
            "reason",
            "champ `reason` : le motif du retrait est obligatoire",
        ));
    }
    check_reason(Some(reason.trim()))?;
    // The served analysis is not held while the edit waits for the write lock.
    let (Some((source, _)), _) = inv.current(&state.analysis(), &id) else {
        return Err(AppError::NotFound(format!(
            "acteur inconnu ou déjà retiré : {id}"
        )));
    };
    let c = inv
        .commit(
            &state,
            PendingEdit {
                actor_id: id,
                source,
                expected_version: expected,
                kind: EditKind::Retire,
                author,
                reason: Some(reason.trim().to_owned()),
                fields: None,
            },
        )
        .await
        .map_err(stale_if_match)?;
    Ok(committed_response(StatusCode::OK, c))
}

async fn undo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    peer: PeerAddr,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers, peer)?;
    let expected = if_match(&headers)?;
    let lookup = (inv.clone(), state.served().base(), id.clone());
    let before = crate::blocking(move || lookup.0.state_before_last_edit(&lookup.1, &lookup.2))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("aucune modification à annuler pour {id}")))?;
    let (source, fields) = match before {
        Some((s, f)) => (s, Some(f)),
        None => ("edits".to_owned(), None),
    };
    let c = inv
        .commit(
            &state,
            PendingEdit {
                actor_id: id,
                source,
                expected_version: expected,
                kind: EditKind::Undo,
                author,
                reason: Some("annulation de la dernière modification".into()),
                fields,
            },
        )
        .await
        .map_err(stale_if_match)?;
    Ok(committed_response(StatusCode::OK, c))
}

fn download(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn export_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    // Every text cell is neutralised against formula injection (OWASP): an actor named
    // `=HYPERLINK(…)` is no link in a spreadsheet.
    let cell = |t: &str| repere_engine::csv_cell::neutralised(t).into_owned();
    let records: Vec<_> = inv
        .records(&state.analysis())
        .into_iter()
        .map(|mut r| {
            r.id = cell(&r.id);
            r.source = cell(&r.source);
            r.name = cell(&r.name);
            r.kind = cell(&r.kind);
            r.address = r.address.as_deref().map(cell);
            r.commune = r.commune.as_deref().map(cell);
            r
        })
        .collect();
    let body = repere_store::export::csv(&records)?;
    Ok(download("text/csv; charset=utf-8", "acteurs.csv", body))
}

async fn export_json(State(state): State<AppState>) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let v = repere_store::export::data_inclusion(&inv.records(&state.analysis()));
    let body = serde_json::to_vec_pretty(&v).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download("application/json", "structures.json", body))
}

async fn export_gpkg(State(state): State<AppState>) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let records = inv.records(&state.analysis());
    let body = crate::blocking(move || {
        let dir = tempfile_dir()?;
        let path = dir.join("acteurs.gpkg");
        repere_store::export::geopackage(&path, &records)?;
        // A WAL-mode file is complete once its connection closed (the export's store dropped).
        let bytes = std::fs::read(&path).map_err(|e| AppError::Internal(e.to_string()))?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(bytes)
    })
    .await?;
    Ok(download(
        "application/geopackage+sqlite3",
        "acteurs.gpkg",
        body,
    ))
}

fn tempfile_dir() -> Result<std::path::PathBuf, AppError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("repere-export-{nanos:x}"));
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(dir)
}

#[derive(Debug, serde::Deserialize)]
struct ImportQuery {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

/// One line of an import as the API returns it.
fn import_item(line: &ImportLine) -> serde_json::Value {
    let i = &line.input;
    serde_json::json!({
        "label": line.label,
        "location": line.location,
        "status": line.status(),
        "name": i.name,
        "kind": i.kind,
        "address": i.address,
        "commune": line.commune,
        "commune_name": line.commune_name,
        "lon": i.lon,
        "lat": i.lat,
        "opening_hours": line.fields.as_ref().map(|f| f.to_input().opening_hours),
        "error": line.error,
    })
}

/// French summary of an import: lines read, valid (placed, to place) and in error.
fn import_summary(lines: &[ImportLine], committed: bool) -> String {
    let errors = lines.iter().filter(|l| l.error.is_some()).count();
    let to_place = lines.iter().filter(|l| l.status() == "to_place").count();
    let valid = lines.len() - errors;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    if committed {
        return format!(
            "{} importé{}, dont {}.",
            plural(valid, "acteur", "acteurs"),
            if valid > 1 { "s" } else { "" },
            plural(to_place, "à localiser", "à localiser"),
        );
    }
    let head = format!(
        "{} lue{} : {} valide{} (dont {}), {} en erreur.",
        plural(lines.len(), "ligne", "lignes"),
        if lines.len() > 1 { "s" } else { "" },
        valid,
        if valid > 1 { "s" } else { "" },
        plural(to_place, "à localiser", "à localiser"),
        errors,
    );
    if errors > 0 {
        format!("{head} Corrigez le fichier : rien n'est importé tant qu'une ligne est en erreur.")
    } else {
        format!("{head} Rien n'est encore enregistré : validez l'import pour l'enregistrer.")
    }
}

async fn import(
    State(state): State<AppState>,
    peer: PeerAddr,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let commit = match q.mode.as_deref().unwrap_or("preview") {
        "preview" => false,
        "commit" => true,
        other => {
            return Err(AppError::bad(
                "mode",
                format!("mode {other:?} inconnu : attendu preview ou commit"),
            ));
        }
    };
    // Writes check the token before reading anything.
    let author = if commit {
        Some(author(&inv, &headers, peer)?)
    } else {
        None
    };
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge(format!(
                "fichier de plus de {} Mio : importez-le en plusieurs parties",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ))
        } else {
            AppError::bad(
                "body",
                format!(
                    "corps de requête illisible : {}",
                    crate::error::bytes_rejection_fr(&r)
                ),
            )
        }
    })?;
    let format = match q.format.as_deref().filter(|f| !f.trim().is_empty()) {
        Some(f) => ImportFormat::parse(f).ok_or_else(|| {
            AppError::bad(
                "format",
                format!("format {f:?} inconnu : attendu csv, geojson ou data-inclusion"),
            )
        })?,
        None => ImportFormat::sniff(&body),
    };
    let name = q
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("fichier importé")
        .chars()
        .take(120)
        .collect::<String>();
    let base = state.served().base();
    let file = name.clone();
    let lines = crate::blocking(move || {
        read_import(&base, &file, &body, format).map_err(|e| AppError::bad("body", e.to_string()))
    })
    .await?;
    let items: Vec<serde_json::Value> = lines.iter().map(import_item).collect();
    let errors: Vec<&ImportLine> = lines.iter().filter(|l| l.error.is_some()).collect();
    let Some(author) = author else {
        return Ok(Json(serde_json::json!({
            "mode": "preview",
            "file": name,
            "format": format,
            "lines": lines.len(),
            "valid": lines.len() - errors.len(),
            "errors": errors.len(),
            "to_place": lines.iter().filter(|l| l.status() == "to_place").count(),
            "committable": errors.is_empty(),
            "summary": import_summary(&lines, false),
            "items": items,
        }))
        .into_response());
    };
    if let Some(first) = errors.first().and_then(|l| l.error.as_ref()) {
        return Err(AppError::bad(
            "body",
            format!(
                "import refusé, rien n'est enregistré : {} ligne{} en erreur ; la première : {}",
                errors.len(),
                if errors.len() > 1 { "s" } else { "" },
                first.message
            ),
        ));
    }
    check_reason(q.reason.as_deref())?;
    repere_engine::inventory::check_text("name", &name, repere_engine::inventory::MAX_NAME_CHARS)
        .map_err(field_error)?;
    let reason = match q.reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => format!("import du fichier {name} : {r}"),
        _ => format!("import du fichier {name}"),
    };
    let batch_id = new_id().replacen("edits:", "import:", 1);
    let edits: Vec<PendingEdit> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            Some(PendingEdit {
                actor_id: format!("{batch_id}-{}", i + 1),
                source: "import".into(),
                expected_version: 0,
                kind: EditKind::Import,
                author: author.clone(),
                reason: Some(reason.clone()),
                fields: Some(l.fields.clone()?),
            })
        })
        .collect();
    let batch = inv.commit_all(&state, edits).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({
            "mode": "commit",
            "file": name,
            "imported": batch.edits.len(),
            "to_place": lines.iter().filter(|l| l.status() == "to_place").count(),
            "ids": batch.edits.iter().map(|e| e.actor_id.as_str()).collect::<Vec<_>>(),
            "summary": import_summary(&lines, true),
            "dataset_version": batch.dataset_version,
            "rebuild_ms": batch.rebuild_ms,
        })),
    )
        .into_response())
}
