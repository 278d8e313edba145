//! `POST /api/suggest` (where to open the next permanence) and `GET /api/suggest/candidates`
//! (the host structures of the territory).
//!
//! `POST /api/suggest?group=FT&minutes=15&k=3`: with an empty body, the candidates are the
//! existing structures of the host kinds the territory declares suitable and every QPV cell;
//! a GeoJSON FeatureCollection of points or CSV `lon,lat[,nom]` body gives the user's own
//! candidates. A JSON body may also be `{"group": "FT", "minutes": 15, "k": 3, "curve_k": 10,
//! "time_limit_s": 10, "candidates": <FeatureCollection>, "planned": <FeatureCollection>,
//! "projects": ["<read id>", …] | "all"}`: `planned` are sites held fixed (the page's scenario,
//! each with its `group`), `projects` the stored projects whose placed sites are held fixed
//! (by their read ids, or every stored project with an editor token). The answer is exact
//! (HiGHS) with its certificate and the curve of young people reached for 1 … 10 places.
//! Bad input (k above the number of candidates, a candidate outside the territory, a file with
//! no usable point, more than 1 000 candidates, an unknown project) is a 400 naming the field,
//! the line or feature.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use repere_engine::coverage::{Site, parse_sites_csv, parse_sites_geojson};
use repere_engine::model::actor::ActorGroup;
use repere_engine::project::coverage::expand_sites;
use repere_engine::suggest::{Candidate, SuggestParams, Suggestion, candidates_from_sites};
use serde::Deserialize;

use super::Resource;
use super::doc::{Op, Param};
use crate::auth::PeerAddr;
use crate::heavy::{DEFAULT_BODY_BYTES, HeavyPool, read_body};
use crate::projects::Projects;
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description.
pub const OPS: &[Op] = &[
    Op {
        method: "post",
        path: "/api/suggest",
        summary: "Where to open the next permanence: exact maximal covering (HiGHS, greedy start, certificate: optimal or gap, solve time) of the young people in a group's gap cells by k places (host structures of suitable kinds and QPV cells, or the body's candidates), existing actors and planned sites (body `planned`, stored `projects`) held fixed; with the curve for 1…10 places",
        params: &[
            Param::query(
                "group",
                "Actor group whose gaps to cover: ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO",
            ),
            Param::query(
                "minutes",
                "Threshold on foot in minutes (default 15, at most 120)",
            ),
            Param::query("k", "Structures to suggest (default 3)"),
            Param::query(
                "curve_k",
                "The curve of young people reached goes to this many places (default 10, at most 30; exact up to 10)",
            ),
            Param::query(
                "time_limit_s",
                "Time limit of each exact solve, seconds (default 10, at most 60)",
            ),
        ],
        request_types: &["application/geo+json", "application/json", "text/csv"],
        response_type: "application/json",
        ..Op::BASE
    },
    Op::get(
        "/api/suggest/candidates",
        "Existing structures of the host kinds the territory declares suitable (manifest [siting]: France services, mairies, centres sociaux, maisons de quartier, MJC, information jeunesse, médiathèques; no crèche or sports ground)",
        &[],
        "application/json",
    ),
];

/// The suggest router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/suggest", post(suggest_route))
        .route("/api/suggest/candidates", get(candidates))
}

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct SuggestQuery {
    /// Group code.
    pub group: Option<String>,
    /// Threshold, minutes.
    pub minutes: Option<String>,
    /// Number of structures.
    pub k: Option<String>,
    /// Length of the curve.
    pub curve_k: Option<String>,
    /// Time limit of each solve, seconds.
    pub time_limit_s: Option<String>,
}

/// What the body holds besides the parameters.
#[derive(Debug, Default)]
struct BodyInput {
    /// The user's candidates.
    candidates: Option<Vec<Candidate>>,
    /// Sites held fixed.
    planned: Vec<Site>,
    /// Stored projects whose sites are held fixed.
    projects: ProjectsAsked,
}

/// Which stored projects' sites are held fixed.
#[derive(Debug, Default, PartialEq)]
enum ProjectsAsked {
    /// None.
    #[default]
    None,
    /// These read ids.
    Ids(Vec<String>),
    /// Every stored project (editor token).
    All,
}

/// Validates parameters.
///
/// # Errors
/// [`AppError::BadRequest`] naming `group`, `minutes`, `k`, `curve_k` or `time_limit_s`.
pub fn suggest_params(q: &SuggestQuery) -> Result<SuggestParams, AppError> {
    let (group, minutes, k) = params(q)?;
    let mut p = SuggestParams::new(group, minutes, k);
    if let Some(c) = q.curve_k.as_deref() {
        p.curve_k = c.trim().parse::<usize>().map_err(|_| {
            AppError::bad(
                "curve_k",
                format!("nombre de points de courbe illisible : {c:?}"),
            )
        })?;
    }
    if let Some(t) = q.time_limit_s.as_deref() {
        p.time_limit_s = t.trim().parse::<f64>().map_err(|_| {
            AppError::bad("time_limit_s", format!("limite de temps illisible : {t:?}"))
        })?;
    }
    Ok(p)
}

/// Validates the group, threshold and number of places.
///
/// # Errors
/// [`AppError::BadRequest`] naming `group`, `minutes` or `k`.
pub fn params(q: &SuggestQuery) -> Result<(ActorGroup, f64, usize), AppError> {
    let group = match q.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) => ActorGroup::parse(g).map_err(|_| {
            AppError::bad(
                "group",
                format!("groupe d'acteurs inconnu {g:?} (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO)"),
            )
        })?,
        None => return Err(AppError::bad("group", "groupe d'acteurs manquant (par exemple FT)")),
    };
    let minutes = match q.minutes.as_deref() {
        Some(m) => m.trim().parse::<f64>().map_err(|_| {
            AppError::bad("minutes", format!("nombre de minutes illisible : {m:?}"))
        })?,
        None => 15.0,
    };
    let k = match q.k.as_deref() {
        Some(k) => k
            .trim()
            .parse::<usize>()
            .map_err(|_| AppError::bad("k", format!("nombre de structures illisible : {k:?}")))?,
        None => 3,
    };
    Ok((group, minutes, k))
}

/// Reads the body: the user's candidates (`None` when the body is empty or names none), the
/// planned sites and the stored projects held fixed.
fn body_input(body: &[u8], q: &mut SuggestQuery) -> Result<BodyInput, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Ok(BodyInput::default());
    }
    let bad =
        |field: &str, e: repere_engine::coverage::SiteError| AppError::bad(field, e.to_string());
    if !trimmed.starts_with('{') {
        return parse_sites_csv(text)
            .map(|s| BodyInput {
                candidates: Some(candidates_from_sites(&s)),
                ..BodyInput::default()
            })
            .map_err(|e| bad("body", e));
    }
    let v = super::json_body::parse(trimmed)?;
    if v.get("type").is_some() {
        return parse_sites_geojson(trimmed)
            .map(|s| BodyInput {
                candidates: Some(candidates_from_sites(&s)),
                ..BodyInput::default()
            })
            .map_err(|e| bad("body", e));
    }
    let param = |k: &str| super::json_body::param(&v, k);
    q.group = q.group.take().or_else(|| param("group"));
    q.minutes = q.minutes.take().or_else(|| param("minutes"));
    q.k = q.k.take().or_else(|| param("k"));
    q.curve_k = q.curve_k.take().or_else(|| param("curve_k"));
    q.time_limit_s = q.time_limit_s.take().or_else(|| param("time_limit_s"));
    let candidates = match v.get("candidates").filter(|c| !c.is_null()) {
        Some(c) => Some(
            parse_sites_geojson(&c.to_string())
                .map(|s| candidates_from_sites(&s))
                .map_err(|e| bad("candidates", e))?,
        ),
        None => None,
    };
    let planned = match v.get("planned").filter(|c| !c.is_null()) {
        Some(c) => parse_sites_geojson(&c.to_string()).map_err(|e| bad("planned", e))?,
        None => Vec::new(),
    };
    let projects = match v.get("projects") {
        None | Some(serde_json::Value::Null) => ProjectsAsked::None,
        Some(serde_json::Value::String(s)) if s == "all" => ProjectsAsked::All,
        Some(serde_json::Value::Array(a)) => ProjectsAsked::Ids(
            a.iter()
                .enumerate()
                .map(|(i, x)| {
                    x.as_str().map(str::to_owned).ok_or_else(|| {
                        AppError::bad(
                            &format!("projects[{i}]"),
                            "identifiant de projet (texte, son lien de lecture) attendu",
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => {
            return Err(AppError::bad(
                "projects",
                "liste d'identifiants de projets enregistrés ou \"all\" (jeton d'éditeur) attendu",
            ));
        }
    };
    Ok(BodyInput {
        candidates,
        planned,
        projects,
    })
}

/// The placed sites of the stored projects asked for, one per service (as their coverage).
fn project_sites(
    state: &AppState,
    asked: &ProjectsAsked,
    headers: &HeaderMap,
    peer: PeerAddr,
) -> Result<Vec<Site>, AppError> {
    if *asked == ProjectsAsked::None {
        return Ok(Vec::new());
    }
    let projects = state.projects.clone().ok_or_else(|| {
        AppError::bad(
            "projects",
            "projets indisponibles : aucun magasin configuré (repere serve --store repere.gpkg)",
        )
    })?;
    let stored = match asked {
        ProjectsAsked::None => Vec::new(),
        ProjectsAsked::All => {
            let inv = state
                .inventory
                .clone()
                .ok_or_else(|| AppError::Forbidden("aucun jeton d'édition configuré".into()))?;
            super::actors::author(&inv, headers, peer)?;
            projects.list()?
        }
        ProjectsAsked::Ids(ids) => ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                projects.get(id).map_err(|e| match e {
                    AppError::NotFound(m) => AppError::bad(&format!("projects[{i}]"), m),
                    other => other,
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let analysis = state.analysis();
    let mut sites = Vec::new();
    for s in &stored {
        let p = Projects::validated(analysis.dataset(), s)?;
        sites.extend(expand_sites(&p).0);
    }
    Ok(sites)
}

async fn suggest_route(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    peer: PeerAddr,
    Query(mut q): Query<SuggestQuery>,
    body: Body,
) -> Result<Json<Suggestion>, AppError> {
    // The shared pool of heavy requests: the body is read once a slot is held.
    let slot = pool.slot().await?;
    let body = read_body(body, DEFAULT_BODY_BYTES).await?;
    let input = body_input(&body, &mut q)?;
    let params = suggest_params(&q)?;
    let st = state.clone();
    blocking(move || {
        let _slot = slot;
        let mut planned = input.planned;
        planned.extend(project_sites(&st, &input.projects, &headers, peer)?);
        st.analysis()
            .suggest(input.candidates.as_deref(), &planned, &params)
            .map(Json)
            .map_err(|e| repere_engine::Error::from(e).into())
    })
    .await
}

async fn candidates(State(state): State<AppState>) -> Json<Vec<Candidate>> {
    Json(state.analysis().host_candidates())
}
