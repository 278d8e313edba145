//! `/api/projects…`: projects answering a call, kept in the store beside the actors.
//!
//! Anyone creates a project (`POST /api/projects`) and gets its read link (its id) and its edit
//! key, given once; `GET /api/projects/{id}` reads it; `PUT` (whole file) and `PATCH` (fields
//! replaced) need the edit key (`X-Edit-Key` header or `key` query parameter), else 403 with a
//! French message; `POST …/duplicate` copies it under a new link and key. Editors (the actors'
//! tokens) list every project (`GET /api/projects`, `.csv`, `.geojson`). The coverage and the
//! report (HTML page, PDF file) follow the saved project.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use repere_engine::project::{Project, ProjectCoverage, project_coverage};
use repere_store::projects::StoredProject;
use serde_json::{Value, json};

use super::Resource;
use super::coverage::{CoverageQuery, params};
use super::doc::{Op, Param};
use crate::auth::PeerAddr;
use crate::heavy::HeavyPool;
use crate::projects::{Created, KEY_HEADER, Projects, export, report, report_html, report_pdf};
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

const ID: Param = Param::path("id", "Project id (its read link)");
const KEY: Param = Param::query(
    "key",
    "Edit key given at creation (or header X-Edit-Key); without it the project is read-only",
);
const MINUTES: Param = Param::query("minutes", "Threshold in minutes (default 20, at most 120)");
const MODE: Param = Param::query("mode", "walk (default) or transit");

/// OpenAPI description of the projects.
pub const OPS: &[Op] = &[
    Op::post(
        "/api/projects",
        "Create a project (title, organisation, communes, QPV, public, youth target, budget, sites with services and hours); no token needed; answers its read link and its edit key, given once",
        &["application/json"],
        "application/json",
    )
    .success(201),
    Op::get(
        "/api/projects",
        "Every project (editors: Authorization: Bearer)",
        &[],
        "application/json",
    )
    .auth(),
    Op::get(
        "/api/projects.csv",
        "Every project's sites as CSV, one row per site (editors; text cells neutralised against formulas)",
        &[],
        "text/csv",
    )
    .auth(),
    Op::get(
        "/api/projects.geojson",
        "Every project's sites as GeoJSON points (editors)",
        &[],
        "application/geo+json",
    )
    .auth(),
    Op::get(
        "/api/projects/{id}",
        "One project by its read link",
        &[ID],
        "application/json",
    ),
    Op {
        method: "put",
        ..Op::post(
            "/api/projects/{id}",
            "Replace a project's file (edit key required: 403 without it or with a wrong one; If-Match optional)",
            &["application/json"],
            "application/json",
        )
    }
    .params(&[ID, KEY])
    .errors(&[403, 409]),
    Op::patch(
        "/api/projects/{id}",
        "Change some fields of a project (the body's top-level fields replace the stored ones; edit key required)",
    )
    .params(&[ID, KEY])
    .errors(&[403, 409]),
    Op::post(
        "/api/projects/{id}/duplicate",
        "Copy a project under a new read link and edit key (title « … (copie) »)",
        &[],
        "application/json",
    )
    .params(&[ID])
    .success(201),
    Op::get(
        "/api/projects/{id}/sites.geojson",
        "A project's sites as GeoJSON points (null geometry for a site not yet placed)",
        &[ID],
        "application/geo+json",
    ),
    Op::get(
        "/api/projects/{id}/sites.csv",
        "A project's sites as CSV (text cells neutralised against formulas)",
        &[ID],
        "text/csv",
    ),
    Op::get(
        "/api/projects/{id}/coverage",
        "Coverage of the project's placed sites, computed once per service each site offers, with the actors known by address only in the communes reached",
        &[ID, MINUTES, MODE],
        "application/json",
    ),
    Op::get(
        "/api/projects/{id}/report",
        "The project's coverage report as a printable A4 French page",
        &[ID, MINUTES, MODE],
        "text/html",
    ),
    Op::get(
        "/api/projects/{id}/report.pdf",
        "The same report as a PDF file made by the server",
        &[ID, MINUTES, MODE],
        "application/pdf",
    ),
];

/// The projects router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/projects", post(create).get(list))
        .route("/api/projects.csv", get(list_csv))
        .route("/api/projects.geojson", get(list_geojson))
        .route(
            "/api/projects/{id}",
            get(read).put(replace).patch(patch_fields),
        )
        .route("/api/projects/{id}/duplicate", post(duplicate))
        .route("/api/projects/{id}/sites.geojson", get(sites_geojson))
        .route("/api/projects/{id}/sites.csv", get(sites_csv))
        .route("/api/projects/{id}/coverage", get(coverage))
        .route("/api/projects/{id}/report", get(report_page))
        .route("/api/projects/{id}/report.pdf", get(report_file))
}

fn projects(state: &AppState) -> Result<Arc<Projects>, AppError> {
    state.projects.clone().ok_or_else(|| {
        AppError::Forbidden(
            "projets indisponibles : aucun magasin configuré (repere serve --store repere.gpkg)"
                .into(),
        )
    })
}

/// The JSON view of a stored project (never its secret's hash).
fn view(p: &StoredProject) -> Value {
    json!({
        "id": p.id,
        "version": p.version,
        "created": repere_store::time::rfc3339_utc(p.created_ms),
        "updated": repere_store::time::rfc3339_utc(p.updated_ms),
        "project": p.data,
        "links": {
            "read": format!("/api/projects/{}", p.id),
            "report": format!("/api/projects/{}/report", p.id),
            "report_pdf": format!("/api/projects/{}/report.pdf", p.id),
            "coverage": format!("/api/projects/{}/coverage", p.id),
            "geojson": format!("/api/projects/{}/sites.geojson", p.id),
            "csv": format!("/api/projects/{}/sites.csv", p.id),
        },
    })
}

fn created(c: &Created) -> Response {
    let mut v = view(&c.stored);
    v["edit_key"] = c.edit_key.clone().into();
    v["links"]["edit"] = format!("/api/projects/{}?key={}", c.stored.id, c.edit_key).into();
    (StatusCode::CREATED, Json(v)).into_response()
}

fn body_json(body: &[u8]) -> Result<Value, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    super::json_body::parse(text.trim_start_matches('\u{feff}'))
}

fn editor(state: &AppState, headers: &HeaderMap, peer: PeerAddr) -> Result<String, AppError> {
    let inv = state
        .inventory
        .clone()
        .ok_or_else(|| AppError::Forbidden("aucun jeton d'édition configuré".into()))?;
    super::actors::author(&inv, headers, peer)
}

#[derive(Debug, Default, serde::Deserialize)]
struct KeyQuery {
    key: Option<String>,
}

fn edit_key(headers: &HeaderMap, q: &KeyQuery) -> Option<String> {
    headers
        .get(KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| q.key.clone())
}

fn expected_version(headers: &HeaderMap) -> Result<Option<u32>, AppError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or_default();
    text.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .trim_start_matches('v')
        .parse()
        .map(Some)
        .map_err(|_| AppError::bad("If-Match", format!("version illisible : {text:?}")))
}

async fn create(State(state): State<AppState>, body: Bytes) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let v = body_json(&body)?;
    let analysis = state.analysis();
    let c = blocking(move || p.create(analysis.dataset(), &v)).await?;
    Ok(created(&c))
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
) -> Result<Json<Value>, AppError> {
    editor(&state, &headers, peer)?;
    let p = projects(&state)?;
    let all = blocking(move || p.list()).await?;
    Ok(Json(
        json!({"projects": all.iter().map(view).collect::<Vec<_>>()}),
    ))
}

fn csv_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn geojson_response(v: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/geo+json")], Json(v)).into_response()
}

async fn list_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
) -> Result<Response, AppError> {
    editor(&state, &headers, peer)?;
    let p = projects(&state)?;
    let bytes = blocking(move || export::csv(&p.list()?)).await?;
    Ok(csv_response(bytes, "projets.csv"))
}

async fn list_geojson(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: PeerAddr,
) -> Result<Response, AppError> {
    editor(&state, &headers, peer)?;
    let p = projects(&state)?;
    let v = blocking(move || export::geojson(&p.list()?)).await?;
    Ok(geojson_response(v))
}

async fn read(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let stored = blocking(move || p.get(&id)).await?;
    let etag = format!("\"v{}\"", stored.version);
    Ok(([(header::ETAG, etag)], Json(view(&stored))).into_response())
}

async fn save(
    state: AppState,
    id: String,
    headers: HeaderMap,
    q: KeyQuery,
    body: Bytes,
    merge: bool,
) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let v = body_json(&body)?;
    let key = edit_key(&headers, &q);
    let expected = expected_version(&headers)?;
    let analysis = state.analysis();
    let stored =
        blocking(move || p.save(analysis.dataset(), &id, key.as_deref(), expected, &v, merge))
            .await?;
    let etag = format!("\"v{}\"", stored.version);
    Ok(([(header::ETAG, etag)], Json(view(&stored))).into_response())
}

async fn replace(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<KeyQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, id, headers, q, body, false).await
}

async fn patch_fields(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<KeyQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, id, headers, q, body, true).await
}

async fn duplicate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let analysis = state.analysis();
    let c = blocking(move || p.duplicate(analysis.dataset(), &id)).await?;
    Ok(created(&c))
}

async fn sites_geojson(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let v = blocking(move || export::geojson(&[p.get(&id)?])).await?;
    Ok(geojson_response(v))
}

async fn sites_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let p = projects(&state)?;
    let name = format!("projet-{id}.csv");
    let bytes = blocking(move || export::csv(&[p.get(&id)?])).await?;
    Ok(csv_response(bytes, &name))
}

/// The saved project, validated, and its coverage (in the pool of heavy computations).
async fn project_and_coverage(
    state: &AppState,
    pool: &HeavyPool,
    id: String,
    q: &CoverageQuery,
) -> Result<(StoredProject, Project, ProjectCoverage), AppError> {
    let p = projects(state)?;
    if q.group.is_some() {
        return Err(AppError::bad(
            "group",
            "non accepté ici : chaque site compte pour les services qu'il offre",
        ));
    }
    let params = params(q)?;
    let analysis = state.analysis();
    let slot = pool.slot().await?;
    blocking(move || {
        let stored = p.get(&id)?;
        let project = Projects::validated(analysis.dataset(), &stored)?;
        let cov = project_coverage(analysis.dataset(), &project, &params, |sites, prm| {
            analysis.coverage_within(sites, prm, &|| slot.expired())
        })
        .map_err(|e| AppError::from(repere_engine::Error::from(e)))?;
        Ok((stored, project, cov))
    })
    .await
}

async fn coverage(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Path(id): Path<String>,
    Query(q): Query<CoverageQuery>,
) -> Result<Json<ProjectCoverage>, AppError> {
    let (_, _, cov) = project_and_coverage(&state, &pool, id, &q).await?;
    Ok(Json(cov))
}

/// The report document of a saved project.
async fn document(
    state: &AppState,
    pool: &HeavyPool,
    geocoder: Option<Arc<crate::geocoder::Geocoder>>,
    id: String,
    q: &CoverageQuery,
) -> Result<report::ReportDoc, AppError> {
    let (stored, project, cov) = project_and_coverage(state, pool, id, q).await?;
    let points: Vec<Option<(f64, f64)>> = project
        .sites
        .iter()
        .map(|s| s.point_wgs84.map(|p| (p.x(), p.y())))
        .collect();
    let places = blocking(move || Ok(report::site_places(geocoder.as_deref(), &points))).await?;
    let analysis = state.analysis();
    Ok(report::build(
        analysis.dataset(),
        analysis.report(),
        &stored,
        &project,
        &cov,
        &places,
        &crate::french::today_fr(),
    ))
}

async fn report_page(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Extension(geo): Extension<super::geocode::Geocoding>,
    Path(id): Path<String>,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, AppError> {
    let doc = document(&state, &pool, geo.geocoder, id, &q).await?;
    Ok(super::print_page(report_html::render(&doc)))
}

async fn report_file(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Extension(geo): Extension<super::geocode::Geocoding>,
    Path(id): Path<String>,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, AppError> {
    let name = format!("rapport-{id}.pdf");
    let doc = document(&state, &pool, geo.geocoder, id, &q).await?;
    let bytes = blocking(move || report_pdf::render(&doc)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
