//! `/api/portfolio…`: the Métropole's portfolio of stored projects (editors' token, as the list
//! of projects): every project's coverage per service, the overlaps between projects and what
//! each alone reaches (`GET /api/portfolio`); the best selection under a budget, exact (HiGHS)
//! with its certificate (`POST /api/portfolio/select`); and the decision note, as a printable
//! A4 page and as a PDF (`GET /api/portfolio/note`, `/api/portfolio/note.pdf`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use repere_engine::coverage::{CoverageParams, Mode};
use repere_engine::model::actor::ActorGroup;
use repere_engine::portfolio::{
    Decision, Overview, Portfolio, PortfolioError, PortfolioProject, Weighting, cell_index,
    cell_weights, decide, overview, project_reach,
};
use serde_json::{Map, Value, json};

use super::Resource;
use super::coverage::{CoverageQuery, params};
use super::doc::{Op, Param};
use crate::auth::PeerAddr;
use crate::heavy::HeavyPool;
use crate::projects::{Projects, decision, report_html, report_pdf};
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

const SERVICE: Param = Param::query(
    "service",
    "Service (actor group code: ML, FT, …) whose coverage counts; any service a project offers when absent",
);
const WEIGHTING: Param = Param::query(
    "weighting",
    "youth (default: each young person counts 1), priority (the priority score of their commune / 100) or invisibles (estimated invisibles; only with follow-up counts)",
);
const MINUTES: Param = Param::query("minutes", "Threshold in minutes (default 20, at most 120)");
const MODE: Param = Param::query("mode", "walk (default) or transit");
const BUDGET: Param = Param::query("budget_eur", "Budget in euros (at most two decimals)");

/// OpenAPI description of the portfolio.
pub const OPS: &[Op] = &[
    Op::get(
        "/api/portfolio",
        "Every stored project with its coverage per service, the young people it newly reaches, what it alone reaches among all projects, and the overlaps between projects (editors: Authorization: Bearer)",
        &[SERVICE, WEIGHTING, MINUTES, MODE],
        "application/json",
    )
    .auth(),
    Op::post(
        "/api/portfolio/select",
        "The best selection of projects under a budget (JSON body: budget_eur, weighting, service, minutes, mode): greedy start, then the exact mixed-integer programme solved by HiGHS, with the model that ran, the certificate, the gap and the solve time; projects without a budget are listed apart with their reason (editors)",
        &["application/json"],
        "application/json",
    )
    .auth(),
    Op::get(
        "/api/portfolio/note",
        "The decision note as a printable A4 French page: selection, figures, certificate, what each project left out would have added (editors)",
        &[BUDGET, SERVICE, WEIGHTING, MINUTES, MODE],
        "text/html",
    )
    .auth(),
    Op::post(
        "/api/portfolio/note",
        "The same printable page from a form (fields token, budget_eur, weighting, service, minutes, mode): what the page submits to open the note in a new window with its own style",
        &["application/x-www-form-urlencoded"],
        "text/html",
    )
    .auth(),
    Op::get(
        "/api/portfolio/note.pdf",
        "The same decision note as a PDF file made by the server (editors)",
        &[BUDGET, SERVICE, WEIGHTING, MINUTES, MODE],
        "application/pdf",
    )
    .auth(),
];

/// The portfolio router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/portfolio", get(view))
        .route("/api/portfolio/select", post(select))
        .route("/api/portfolio/note", get(note_page).post(note_form))
        .route("/api/portfolio/note.pdf", get(note_file))
}

impl From<PortfolioError> for AppError {
    fn from(e: PortfolioError) -> Self {
        match e {
            PortfolioError::Field { field, message } => AppError::bad(&field, message),
            PortfolioError::Solver(m) => AppError::Internal(m),
        }
    }
}

/// What a portfolio question asks.
#[derive(Debug, Clone)]
struct Ask {
    service: Option<ActorGroup>,
    weighting: Weighting,
    coverage: CoverageParams,
}

fn ask(
    service: Option<&str>,
    weighting: Option<&str>,
    minutes: Option<String>,
    mode: Option<String>,
) -> Result<Ask, AppError> {
    let service = service
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            ActorGroup::parse(s).map_err(|_| {
                AppError::bad(
                    "service",
                    format!(
                        "service « {s} » inconnu : attendu un groupe d'acteurs (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO)"
                    ),
                )
            })
        })
        .transpose()?;
    let weighting = Weighting::parse(weighting.unwrap_or(""))?;
    let coverage = params(&CoverageQuery {
        minutes,
        mode,
        group: None,
        sites: None,
    })?;
    Ok(Ask {
        service,
        weighting,
        coverage,
    })
}

fn editor(state: &AppState, headers: &HeaderMap, peer: PeerAddr) -> Result<(), AppError> {
    let inv = state
        .inventory
        .clone()
        .ok_or_else(|| AppError::Forbidden("aucun jeton d'édition configuré".into()))?;
    super::actors::author(&inv, headers, peer).map(|_| ())
}

fn projects(state: &AppState) -> Result<Arc<Projects>, AppError> {
    state.projects.clone().ok_or_else(|| {
        AppError::Forbidden(
            "projets indisponibles : aucun magasin configuré (repere serve --store repere.gpkg)"
                .into(),
        )
    })
}

/// The portfolio of every stored project for `a`, with the warnings met (projects that no
/// longer validate on the served territory are left out and named).
async fn portfolio(
    state: &AppState,
    pool: &HeavyPool,
    a: &Ask,
) -> Result<(Portfolio, Vec<String>), AppError> {
    let p = projects(state)?;
    let analysis = state.analysis();
    let slot = pool.slot().await?;
    let a = a.clone();
    blocking(move || {
        let ds = analysis.dataset();
        let ctx = analysis.access();
        let index = cell_index(ctx);
        let mut warnings = Vec::new();
        let mut list = Vec::new();
        // Oldest first: the order the projects were filed in.
        let mut stored = p.list()?;
        stored.sort_by(|x, y| x.created_ms.cmp(&y.created_ms).then(x.id.cmp(&y.id)));
        for s in &stored {
            let project = match Projects::validated(ds, s) {
                Ok(p) => p,
                Err(e) => {
                    warnings.push(e.to_string());
                    continue;
                }
            };
            let reach = project_reach(ds, ctx, &index, &project, &a.coverage, &|| slot.expired())
                .map_err(|e| AppError::from(repere_engine::Error::from(e)))?;
            for w in &reach.warnings {
                if !warnings.contains(w) {
                    warnings.push(w.clone());
                }
            }
            list.push(PortfolioProject {
                id: s.id.clone(),
                title: project.title.clone(),
                organisation: project.organisation.name.clone(),
                budget_eur: project.budget_eur,
                reach,
            });
        }
        let mut cells: Vec<usize> = list
            .iter()
            .flat_map(|x| x.reach.newly_cells(a.service))
            .collect();
        cells.sort_unstable();
        cells.dedup();
        let weights: HashMap<usize, f64> = cell_weights(
            ds,
            &ctx.gaps,
            analysis.diagnostics(),
            analysis.default_ranking(),
            a.weighting,
            &cells,
        )?;
        let grid = &ctx.gaps.grid;
        let portfolio = Portfolio::new(
            list,
            a.service,
            &|k| weights.get(&k).copied().unwrap_or(0.0),
            &|k| grid.cells.get(k).map_or(0.0, |c| c.youth_15_29),
        );
        Ok((portfolio, warnings))
    })
    .await
}

fn mode_code(m: Mode) -> &'static str {
    match m {
        Mode::Walk => "walk",
        Mode::Transit => "transit",
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct ViewQuery {
    service: Option<String>,
    weighting: Option<String>,
    minutes: Option<String>,
    mode: Option<String>,
    budget_eur: Option<String>,
}

async fn view(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    peer: PeerAddr,
    Query(q): Query<ViewQuery>,
) -> Result<Json<Value>, AppError> {
    editor(&state, &headers, peer)?;
    let a = ask(
        q.service.as_deref(),
        q.weighting.as_deref(),
        q.minutes,
        q.mode,
    )?;
    let (p, warnings) = portfolio(&state, &pool, &a).await?;
    let o: Overview = overview(&p);
    Ok(Json(json!({
        "service": a.service.map(|g| g.code()),
        "weighting": a.weighting,
        "unit": a.weighting.unit_fr(),
        "minutes": a.coverage.threshold_min,
        "mode": mode_code(a.coverage.mode),
        "overview": o,
        "warnings": warnings,
    })))
}

/// The fields of `POST /api/portfolio/select`.
const SELECT_FIELDS: [&str; 6] = [
    "budget_eur",
    "weighting",
    "service",
    "minutes",
    "mode",
    "time_limit_s",
];

fn text_field(m: &Map<String, Value>, k: &str) -> Result<Option<String>, AppError> {
    match m.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if k == "minutes" => Ok(Some(n.to_string())),
        Some(_) => Err(AppError::bad(k, "texte attendu")),
    }
}

fn number(field: &str, v: Option<&Value>) -> Result<Option<f64>, AppError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| AppError::bad(field, "nombre attendu")),
        Some(Value::String(s)) => s
            .trim()
            .replace([' ', '\u{202f}', '\u{a0}'], "")
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| AppError::bad(field, format!("nombre attendu, reçu « {s} »"))),
        Some(_) => Err(AppError::bad(field, "nombre attendu")),
    }
}

/// The budget, required.
fn budget(v: Option<f64>) -> Result<f64, AppError> {
    v.ok_or_else(|| {
        AppError::bad(
            "budget_eur",
            "le budget disponible (en euros) est obligatoire",
        )
    })
}

/// Runs the decision: the portfolio, then the selection (in the blocking pool).
async fn decision_of(
    state: &AppState,
    pool: &HeavyPool,
    a: &Ask,
    budget_eur: f64,
    time_limit_s: f64,
) -> Result<(Decision, Portfolio, Vec<String>), AppError> {
    // A bad budget is refused before any computation.
    repere_engine::portfolio::select::check_budget("budget_eur", budget_eur)?;
    let (p, warnings) = portfolio(state, pool, a).await?;
    let weighting = a.weighting;
    blocking(move || {
        let t0 = Instant::now();
        let d = decide(&p, weighting, budget_eur, time_limit_s, &|| {
            t0.elapsed().as_secs_f64() * 1000.0
        })?;
        Ok((d, p, warnings))
    })
    .await
}

fn decision_json(a: &Ask, d: &Decision, warnings: &[String]) -> Value {
    let mut q = format!(
        "budget_eur={}&weighting={}",
        d.budget_eur,
        a.weighting.code()
    );
    if let Some(g) = a.service {
        q.push_str(&format!("&service={}", g.code()));
    }
    q.push_str(&format!(
        "&minutes={}&mode={}",
        a.coverage.threshold_min,
        mode_code(a.coverage.mode)
    ));
    json!({
        "decision": d,
        "unit": a.weighting.unit_fr(),
        "minutes": a.coverage.threshold_min,
        "mode": mode_code(a.coverage.mode),
        "warnings": warnings,
        "links": {
            "note": format!("/api/portfolio/note?{q}"),
            "note_pdf": format!("/api/portfolio/note.pdf?{q}"),
        },
    })
}

async fn select(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    peer: PeerAddr,
    body: Bytes,
) -> Result<Json<Value>, AppError> {
    editor(&state, &headers, peer)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let v = super::json_body::parse(text.trim_start_matches('\u{feff}'))?;
    let m = v
        .as_object()
        .ok_or_else(|| AppError::bad("body", "objet JSON attendu"))?;
    if let Some(k) = m.keys().find(|k| !SELECT_FIELDS.contains(&k.as_str())) {
        return Err(AppError::bad(
            k,
            format!(
                "champ inconnu (champs reconnus : {})",
                SELECT_FIELDS.join(", ")
            ),
        ));
    }
    let budget_eur = budget(number("budget_eur", m.get("budget_eur"))?)?;
    let time_limit_s = match number("time_limit_s", m.get("time_limit_s"))? {
        None => repere_engine::portfolio::select::DEFAULT_TIME_LIMIT_S,
        Some(t) if t > 0.0 && t <= 60.0 => t,
        Some(_) => {
            return Err(AppError::bad(
                "time_limit_s",
                "durée en secondes entre 0 et 60 attendue",
            ));
        }
    };
    let a = ask(
        text_field(m, "service")?.as_deref(),
        text_field(m, "weighting")?.as_deref(),
        text_field(m, "minutes")?,
        text_field(m, "mode")?,
    )?;
    let (d, _, warnings) = decision_of(&state, &pool, &a, budget_eur, time_limit_s).await?;
    Ok(Json(decision_json(&a, &d, &warnings)))
}

async fn note_doc(
    state: &AppState,
    pool: &HeavyPool,
    headers: &HeaderMap,
    peer: PeerAddr,
    q: ViewQuery,
) -> Result<crate::projects::report::ReportDoc, AppError> {
    editor(state, headers, peer)?;
    let budget_eur = budget(number(
        "budget_eur",
        q.budget_eur.map(Value::String).as_ref(),
    )?)?;
    let a = ask(
        q.service.as_deref(),
        q.weighting.as_deref(),
        q.minutes,
        q.mode,
    )?;
    let (d, p, warnings) = decision_of(
        state,
        pool,
        &a,
        budget_eur,
        repere_engine::portfolio::select::DEFAULT_TIME_LIMIT_S,
    )
    .await?;
    let analysis = state.analysis();
    Ok(decision::build(
        analysis.dataset(),
        analysis.report(),
        &decision::Context {
            minutes: a.coverage.threshold_min,
            mode: a.coverage.mode,
            projects: p.projects.len(),
            warnings,
        },
        &d,
        &crate::french::today_fr(),
    ))
}

async fn note_page(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    peer: PeerAddr,
    Query(q): Query<ViewQuery>,
) -> Result<Response, AppError> {
    let doc = note_doc(&state, &pool, &headers, peer, q).await?;
    Ok(super::print_page(report_html::render_as(
        &doc,
        "note de décision",
    )))
}

/// The fields of the note's form (`POST /api/portfolio/note`).
#[derive(Debug, Default)]
struct NoteForm {
    token: Option<String>,
    service: Option<String>,
    weighting: Option<String>,
    minutes: Option<String>,
    mode: Option<String>,
    budget_eur: Option<String>,
}

/// The fields of an `application/x-www-form-urlencoded` body (`+` is a space); unknown fields
/// are refused naming them.
fn note_fields(body: &[u8]) -> Result<NoteForm, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let mut f = NoteForm::default();
    for pair in text.trim().split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |x: &str| {
            percent_encoding::percent_decode_str(&x.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| AppError::bad("body", "formulaire illisible (encodage)"))
        };
        let (k, v) = (decode(k)?, decode(v)?);
        let slot = match k.as_str() {
            "token" => &mut f.token,
            "service" => &mut f.service,
            "weighting" => &mut f.weighting,
            "minutes" => &mut f.minutes,
            "mode" => &mut f.mode,
            "budget_eur" => &mut f.budget_eur,
            _ => {
                return Err(AppError::bad(
                    &k,
                    "champ inconnu (champs reconnus : token, budget_eur, weighting, service, minutes, mode)",
                ));
            }
        };
        *slot = Some(v);
    }
    Ok(f)
}

async fn note_form(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    peer: PeerAddr,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = note_fields(&body)?;
    // The token comes in the form's body (a page cannot set a header on a navigation).
    let mut headers = HeaderMap::new();
    if let Some(t) = f.token.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let v = axum::http::HeaderValue::from_str(&format!("Bearer {t}"))
            .map_err(|_| AppError::bad("token", "jeton illisible"))?;
        headers.insert(header::AUTHORIZATION, v);
    }
    let q = ViewQuery {
        service: f.service,
        weighting: f.weighting,
        minutes: f.minutes,
        mode: f.mode,
        budget_eur: f.budget_eur,
    };
    let doc = note_doc(&state, &pool, &headers, peer, q).await?;
    Ok(super::print_page(report_html::render_as(
        &doc,
        "note de décision",
    )))
}

async fn note_file(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    peer: PeerAddr,
    Query(q): Query<ViewQuery>,
) -> Result<Response, AppError> {
    let doc = note_doc(&state, &pool, &headers, peer, q).await?;
    let bytes = blocking(move || report_pdf::render(&doc)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"note-de-decision.pdf\"".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}
