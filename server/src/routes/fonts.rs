//! `GET /fonts/{fontstack}/{range}.pbf`: SDF glyphs for the map's labels, in the format
//! MapLibre's `glyphs` URL expects, rendered by [`repere_glyphs`] on first request and kept.
//!
//! `{fontstack}` is a comma-separated list of font names (the first one served wins):
//! `DejaVu Sans` or `DejaVu Sans Bold`. Unknown stack: 404; a range that is not a block of 256
//! code points (`0-255`, `256-511`…): 400. Answers `application/x-protobuf`, cacheable for a day
//! (the fonts only change with the binary).

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use repere_glyphs::{GlyphCache, GlyphError, GlyphRange};

use super::Resource;
use super::doc::{Op, Param};
use crate::{AppError, blocking};

/// Media type of a glyph range.
pub const PBF_CONTENT_TYPE: &str = "application/x-protobuf";

/// This module's routes with their OpenAPI operations (one entry of [`super::ALL`]).
pub const RESOURCE: Resource = Resource::new(router::<crate::AppState>, OPS);

/// OpenAPI description of this route.
pub const OPS: &[Op] = &[Op::get(
    "/fonts/{fontstack}/{range}.pbf",
    "SDF glyphs of 256 code points for MapLibre labels (DejaVu Sans, DejaVu Sans Bold)",
    &[
        Param::path(
            "fontstack",
            "comma-separated font names; the first served wins",
        ),
        Param::path("range", "start-end, e.g. 0-255 (start a multiple of 256)"),
    ],
    PBF_CONTENT_TYPE,
)];

/// The fonts router, with its own cache of rendered ranges (state-independent).
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/fonts/{fontstack}/{file}", get(glyphs))
        .with_state(Arc::new(GlyphCache::default()))
}

impl From<GlyphError> for AppError {
    fn from(e: GlyphError) -> Self {
        match e {
            GlyphError::UnknownFontStack { .. } => AppError::NotFound(e.to_string()),
            GlyphError::Range { .. } => AppError::bad("range", e.to_string()),
            GlyphError::Render { .. } => AppError::Internal(e.to_string()),
        }
    }
}

async fn glyphs(
    State(cache): State<Arc<GlyphCache>>,
    Path((fontstack, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let range = file.strip_suffix(".pbf").ok_or_else(|| {
        AppError::bad(
            "range",
            format!("« {file} » : l'adresse doit finir par .pbf"),
        )
    })?;
    let range = GlyphRange::parse(range)?;
    // Resolve first so an unknown stack is a 404 without a trip to the blocking pool.
    cache.fonts().resolve(&fontstack)?;
    let bytes = blocking(move || Ok(cache.get(&fontstack, range)?)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, PBF_CONTENT_TYPE),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes.as_ref().clone(),
    )
        .into_response())
}
