//! `/api/actors…`: the actor inventory. Reads are public; writes need an editor's token in
//! `Authorization: Bearer <token>` (never a cookie) and, for an existing actor, its version in
//! `If-Match` (409 when another edit came first).
//!
//! - `GET /api/actors?commune=&group=&status=`: the inventory (placed, to place, retired) and
//!   whether the server takes edits;
//! - `GET /api/actors/{id}` (with an `ETag`), `GET /api/actors/{id}/history`;
//! - `POST /api/actors`, `PATCH /api/actors/{id}`, `DELETE /api/actors/{id}` (retire, with a
//!   reason), `POST /api/actors/{id}/undo`;
//! - `GET /api/actors/export.csv`, `export.json` (data·inclusion structures), `export.gpkg`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use repere_engine::inventory::{ActorFields, ActorInput};
use repere_store::EditKind;

use crate::inventory::{Inventory, PendingEdit};
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
}

fn inventory(state: &AppState) -> Result<Arc<Inventory>, AppError> {
    state
        .inventory
        .clone()
        .ok_or_else(|| AppError::NotFound("inventaire des acteurs non configuré".into()))
}

fn author(inv: &Inventory, headers: &HeaderMap) -> Result<String, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    inv.author(bearer)
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
    v.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .trim_start_matches('v')
        .parse()
        .map_err(|_| AppError::bad("If-Match", format!("version illisible : {v:?}")))
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
    let inv = inventory(&state)?;
    let analysis = state.analysis();
    let actors: Vec<_> = inv
        .list(&analysis)
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
        "store": inv.store_description(),
        "dataset_version": analysis.version(),
        "actors": actors,
    })))
}

async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let a = inv.get(&state.analysis(), &id)?;
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
    headers: HeaderMap,
    body: Result<Json<CreateBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers)?;
    let Json(body) = body.map_err(|e| AppError::bad("body", format!("JSON invalide : {e}")))?;
    let fields = ActorFields::validate(&inv.base(), &body.actor).map_err(field_error)?;
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
    headers: HeaderMap,
    body: Result<
        Json<serde_json::Map<String, serde_json::Value>>,
        axum::extract::rejection::JsonRejection,
    >,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers)?;
    let expected = if_match(&headers)?;
    let Json(mut patch) =
        body.map_err(|e| AppError::bad("body", format!("JSON invalide : {e}")))?;
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
    let reason = match patch.remove("reason") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    };
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
    let input: ActorInput = serde_json::from_value(merged)
        .map_err(|e| AppError::bad("body", format!("champs invalides : {e}")))?;
    let fields = ActorFields::validate(&inv.base(), &input).map_err(field_error)?;
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
        .await?;
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
    headers: HeaderMap,
    body: Option<Json<RetireBody>>,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers)?;
    let expected = if_match(&headers)?;
    let reason = body.map(|Json(b)| b.reason).unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(AppError::bad(
            "reason",
            "champ `reason` : le motif du retrait est obligatoire",
        ));
    }
    let analysis = state.analysis();
    let (Some((source, _)), _) = inv.current(&analysis, &id) else {
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
        .await?;
    Ok(committed_response(StatusCode::OK, c))
}

async fn undo(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let inv = inventory(&state)?;
    let author = author(&inv, &headers)?;
    let expected = if_match(&headers)?;
    let lookup = (inv.clone(), id.clone());
    let before = crate::blocking(move || lookup.0.state_before_last_edit(&lookup.1))
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
        .await?;
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
    let body = repere_store::export::csv(&inv.records(&state.analysis()))?;
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
