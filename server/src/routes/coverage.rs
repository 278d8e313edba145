//! `POST /api/coverage` (JSON report) and `GET /coverage/report` (printable French HTML): the
//! coverage check of planned sites.
//!
//! `POST /api/coverage?minutes=20&mode=walk|transit&group=ML` with a GeoJSON FeatureCollection
//! of points, or CSV text with `lon,lat` columns (`Content-Type: text/csv`), as body; a JSON
//! body may also be `{"sites": <FeatureCollection>, "minutes": 15, "mode": "walk", "group": "ML"}`.
//! `GET /coverage/report?sites=lon,lat;lon,lat&minutes=15&mode=walk&group=ML` renders the same
//! check as a page. Bad input is a 400 naming the parameter, the feature or the line.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use repere_engine::Location;
use repere_engine::coverage::{
    CoverageError, CoverageParams, CoverageReport, Mode, Site, parse_sites, parse_sites_csv,
    parse_sites_geojson,
};
use repere_engine::model::actor::ActorGroup;
use serde::Deserialize;

use std::sync::Arc;

use repere_engine::coverage::check::MAX_SITES;

use super::BODY;
use super::Resource;
use super::doc::{Op, Param};
use crate::heavy::{DEFAULT_BODY_BYTES, HeavyPool, Slot, read_body};
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description of the coverage check (the HTML report page is not part of the API).
pub const OPS: &[Op] = &[
    Op {
        method: "post",
        path: "/api/sites",
        summary: "Parse planned sites (GeoJSON points or CSV lon,lat with optional name, group, days, hours) and check they lie in the territory",
        params: &[],
        request_types: &["application/geo+json", "application/json", "text/csv"],
        response_type: "application/json",
        ..Op::BASE
    },
    Op {
        method: "post",
        path: "/api/coverage",
        summary: "Coverage check of planned sites (GeoJSON points or CSV lon,lat): QPV reached, young people reached, communes, overlap with existing actors, gap cells newly covered",
        params: &[
            Param::query("minutes", "Threshold in minutes (default 20, at most 120)"),
            Param::query(
                "mode",
                "walk (default) or transit (walk + public transport)",
            ),
            Param::query(
                "group",
                "Actor group of the sites: ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO",
            ),
        ],
        request_types: &["application/geo+json", "application/json", "text/csv"],
        response_type: "application/json",
        ..Op::BASE
    },
];

/// The coverage router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/coverage", post(coverage))
        .route("/api/sites", post(sites))
        .route("/coverage/report", get(report))
}

/// Query parameters shared by both routes.
#[derive(Debug, Default, Deserialize)]
pub struct CoverageQuery {
    /// Threshold in minutes.
    pub minutes: Option<String>,
    /// `walk` or `transit`.
    pub mode: Option<String>,
    /// Actor group code.
    pub group: Option<String>,
    /// Sites as `lon,lat;lon,lat` (report page only).
    pub sites: Option<String>,
}

/// Validates the parameters into engine params.
///
/// # Errors
/// [`AppError::BadRequest`] naming `minutes`, `mode` or `group`.
pub fn params(q: &CoverageQuery) -> Result<CoverageParams, AppError> {
    let mut p = CoverageParams::default();
    if let Some(m) = q.minutes.as_deref() {
        let v: f64 = m
            .trim()
            .parse()
            .map_err(|_| AppError::bad("minutes", format!("nombre attendu, reçu « {m} »")))?;
        if !(v > 0.0 && v <= 120.0) {
            return Err(AppError::bad(
                "minutes",
                "le seuil doit être compris entre 0 et 120 minutes",
            ));
        }
        p.threshold_min = v;
    }
    if let Some(m) = q.mode.as_deref() {
        p.mode = Mode::parse(m).map_err(|e| AppError::bad("mode", e))?;
    }
    if let Some(g) = q.group.as_deref().filter(|g| !g.trim().is_empty()) {
        p.group = Some(ActorGroup::parse(g).map_err(|e| AppError::bad("group", e))?);
    }
    Ok(p)
}

fn site_error(param: &str, e: repere_engine::coverage::SiteError) -> AppError {
    AppError::bad(param, e.to_string())
}

/// Reads sites (and parameters embedded in a JSON body) from a request body.
fn body_sites(
    headers: &HeaderMap,
    body: &[u8],
    q: &mut CoverageQuery,
) -> Result<Vec<Site>, AppError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::bad("body", "le corps de la requête n'est pas du texte UTF-8"))?;
    let ctype = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(AppError::bad(
            "body",
            "aucun site fourni (points GeoJSON ou CSV lon,lat)",
        ));
    }
    let ctype = ctype.to_ascii_lowercase();
    if ctype.contains("json") && !trimmed.starts_with('{') {
        // A JSON body is never read as CSV, whatever it holds.
        return Err(AppError::bad(
            "body",
            "corps JSON attendu sous la forme d'un objet : une FeatureCollection GeoJSON de points ou {\"sites\": FeatureCollection}",
        ));
    }
    if ctype.contains("csv") || !trimmed.starts_with('{') {
        return Ok(parse_sites(BODY, text)?);
    }
    let v = super::json_body::parse(trimmed)?;
    if let Some(sites) = v.get("sites") {
        let param = |k: &str| super::json_body::param(&v, k);
        q.minutes = q.minutes.take().or_else(|| param("minutes"));
        q.mode = q.mode.take().or_else(|| param("mode"));
        q.group = q.group.take().or_else(|| param("group"));
        return parse_sites_geojson(&sites.to_string()).map_err(|e| site_error("sites", e));
    }
    Ok(parse_sites(BODY, trimmed)?)
}

async fn run_check(
    state: AppState,
    slot: Slot,
    sites: Vec<Site>,
    p: CoverageParams,
) -> Result<CoverageReport, AppError> {
    if sites.len() > MAX_SITES {
        return Err(repere_engine::Error::from(CoverageError::TooManySites(sites.len())).into());
    }
    let analysis = state.analysis();
    blocking(move || {
        analysis
            .coverage_within(&sites, &p, &|| slot.expired())
            .map_err(|e| repere_engine::Error::from(e).into())
    })
    .await
}

/// `POST /api/sites`: the planned sites of a GeoJSON or CSV body, parsed by the engine's point
/// parser (the page's upload), or a 400 naming the line or feature and the field.
async fn sites(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Vec<Site>>, AppError> {
    let _slot = pool.slot().await?;
    let body = read_body(body, DEFAULT_BODY_BYTES).await?;
    let mut q = CoverageQuery::default();
    let sites = body_sites(&headers, &body, &mut q)?;
    repere_engine::coverage::validate_sites(state.analysis().dataset(), &sites)
        .map_err(repere_engine::Error::from)?;
    Ok(Json(sites))
}

async fn coverage(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Query(mut q): Query<CoverageQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<CoverageReport>, AppError> {
    // The body is read once a slot is held: requests waiting for one buffer nothing.
    let slot = pool.slot().await?;
    let body = read_body(body, DEFAULT_BODY_BYTES).await?;
    let sites = body_sites(&headers, &body, &mut q)?;
    let p = params(&q)?;
    Ok(Json(run_check(state, slot, sites, p).await?))
}

/// Parses `lon,lat[,GROUP[,name]];…` into sites (the name is the rest of the item; `;` and
/// `"` are not allowed in it).
///
/// # Errors
/// [`AppError::BadRequest`] naming `sites` and the position of the bad item.
pub fn query_sites(text: &str) -> Result<Vec<Site>, AppError> {
    let mut csv = String::from("lon,lat,group,name\n");
    for (i, pair) in text.split(';').filter(|p| !p.trim().is_empty()).enumerate() {
        let mut parts = pair.splitn(4, ',');
        let (Some(lon), Some(lat)) = (parts.next(), parts.next()) else {
            return Err(AppError::bad(
                "sites",
                format!("site {} : lon,lat attendu, reçu « {pair} »", i + 1),
            ));
        };
        let group = parts.next().unwrap_or_default().trim();
        let name = parts.next().unwrap_or_default().trim().replace('"', "");
        csv.push_str(&format!(
            "{},{},{group},\"{name}\"\n",
            lon.trim(),
            lat.trim()
        ));
    }
    parse_sites_csv(&csv).map_err(|e| {
        // Line 1 is the header built above: line n is the (n - 1)-th site of the query.
        let at = match e.location {
            Location::Line(n) => format!("site {}", n.saturating_sub(1)),
            _ => "sites".to_owned(),
        };
        let field = e.field.as_deref().unwrap_or("sites");
        AppError::bad("sites", format!("{at}, champ `{field}` : {}", e.message))
    })
}

async fn report(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Extension(geo): Extension<super::geocode::Geocoding>,
    Query(q): Query<CoverageQuery>,
) -> Result<impl axum::response::IntoResponse, AppError> {
    let text = q.sites.as_deref().ok_or_else(|| {
        AppError::bad("sites", "paramètre absent : indiquez sites=lon,lat;lon,lat")
    })?;
    let sites = query_sites(text)?;
    let p = params(&q)?;
    if sites.len() > MAX_SITES {
        // Refused before waiting for a slot.
        return Err(repere_engine::Error::from(CoverageError::TooManySites(sites.len())).into());
    }
    let analysis = state.analysis();
    let slot = pool.slot().await?;
    let r = run_check(state, slot, sites, p).await?;
    // Each site's nearest address (reverse geocoding), or its coordinates only and why.
    let points: Vec<Option<(f64, f64)>> = r
        .sites
        .iter()
        .map(|s| Some((s.site.lon, s.site.lat)))
        .collect();
    let geocoder = geo.geocoder;
    let places = blocking(move || {
        Ok(crate::projects::report::site_places(
            geocoder.as_deref(),
            &points,
        ))
    })
    .await?;
    Ok(super::print_page(super::coverage_html::render(
        analysis.dataset(),
        analysis.report(),
        &r,
        &places,
        &crate::french::today_fr(),
    )))
}
