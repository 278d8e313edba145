//! `GET /api/isochrone?lon=&lat=&minutes=&mode=walk|transit&depart=HH:MM|arrive_by=HH:MM`: the
//! grid cells reached from a point (or from which it is reached) within a time, dissolved into
//! one GeoJSON area, on the territory's feed.
//!
//! Without a timetable (the default Rouen feed has no `stop_times.txt`), `mode=transit` is a
//! 400 naming `mode` and saying why, in French.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use repere_engine::transit::isochrone::{Isochrone, IsochroneQuery, JourneyTime};
use serde::Deserialize;

use super::Resource;
use super::doc::{Op, Param};
use crate::heavy::HeavyPool;
use crate::{AppError, AppState, blocking};

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router, OPS);

/// OpenAPI description.
pub const OPS: &[Op] = &[Op::get(
    "/api/isochrone",
    "Area reached within a time from a point (depart) or from which the point is reached (arrive_by), on foot or on foot + public transport: dissolved 200 m cells as a GeoJSON Feature",
    &[
        Param::query_required("lon", "Longitude, WGS84 degrees"),
        Param::query_required("lat", "Latitude, WGS84 degrees"),
        Param::query("minutes", "Time in minutes (default 20, at most 120)"),
        Param::query("mode", "walk (default) or transit"),
        Param::query("depart", "Departure time HH:MM (default 08:00)"),
        Param::query("arrive_by", "Arrival deadline HH:MM (instead of depart)"),
    ],
    "application/geo+json",
)];

/// The isochrone router.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/isochrone", get(isochrone))
}

/// Query parameters.
#[derive(Debug, Default, Deserialize)]
pub struct IsochroneParams {
    /// Longitude.
    pub lon: Option<String>,
    /// Latitude.
    pub lat: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// `walk` or `transit`.
    pub mode: Option<String>,
    /// `HH:MM`.
    pub depart: Option<String>,
    /// `HH:MM`.
    pub arrive_by: Option<String>,
}

fn number(q: &Option<String>, name: &str) -> Result<f64, AppError> {
    let t = q
        .as_deref()
        .ok_or_else(|| AppError::bad(name, "paramètre obligatoire"))?;
    t.trim()
        .parse::<f64>()
        .map_err(|_| AppError::bad(name, format!("nombre attendu : {t:?}")))
}

fn hhmm(t: &str, name: &str) -> Result<u32, AppError> {
    let bad = || AppError::bad(name, format!("heure HH:MM attendue : {t:?}"));
    let (h, m) = t.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 47 || m > 59 {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

async fn isochrone(
    State(state): State<AppState>,
    Extension(pool): Extension<Arc<HeavyPool>>,
    Query(q): Query<IsochroneParams>,
) -> Result<Response, AppError> {
    let (lon, lat) = (number(&q.lon, "lon")?, number(&q.lat, "lat")?);
    // A point far outside the territory reaches nothing: a 400, not an empty area.
    let point = repere_engine::geometry::check_lon_lat(lon, lat)
        .map_err(|e| AppError::bad(e.field(), e.to_string()))?;
    if let Some(extent) = state.analysis().dataset().extent_wgs84
        && let Err(e) = repere_engine::geometry::extent_check(point, &extent)
    {
        return Err(AppError::bad(
            "lon",
            format!("{e} : l'isochrone se calcule depuis un point du territoire"),
        ));
    }
    let minutes = match q.minutes {
        Some(_) => number(&q.minutes, "minutes")?,
        None => 20.0,
    };
    if !(minutes > 0.0 && minutes <= 120.0) {
        return Err(AppError::bad("minutes", "entre 0 et 120 minutes"));
    }
    let transit = match q.mode.as_deref().map(str::trim) {
        None | Some("walk") => false,
        Some("transit") => true,
        Some(m) => {
            return Err(AppError::bad(
                "mode",
                format!("mode inconnu : {m:?} (walk ou transit)"),
            ));
        }
    };
    let time = match (q.depart.as_deref(), q.arrive_by.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(AppError::bad(
                "arrive_by",
                "donner depart ou arrive_by, pas les deux",
            ));
        }
        (_, Some(a)) => JourneyTime::ArriveBy(hhmm(a, "arrive_by")?),
        (Some(d), None) => JourneyTime::DepartAt(hhmm(d, "depart")?),
        (None, None) => JourneyTime::DepartAt(8 * 3600),
    };
    let query = IsochroneQuery {
        lon,
        lat,
        minutes,
        transit,
        time,
    };
    let analysis = state.analysis();
    let slot = pool.slot().await?;
    let body = blocking(move || {
        let _slot = slot;
        let ctx = analysis.access();
        Isochrone::compute(&ctx.gaps.grid, &ctx.network, query)
            .map(|iso| iso.to_geojson())
            .map_err(|e| repere_engine::Error::from(e).into())
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], body).into_response())
}
