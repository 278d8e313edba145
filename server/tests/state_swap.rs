//! The served analysis is swapped whole: a failed rebuild leaves the previous one serving, and a
//! swapped analysis never gets the previous one's cached tiles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use repere_engine::analysis::AnalysisError;
use repere_engine::{Analysis, AnalysisParams, Dataset};
use repere_server::{AppState, app};

const TILE: &str = "/tiles/qpv/14/8243/5594.mvt";

async fn health(state: &AppState) -> serde_json::Value {
    let (status, _, body) = common::call(app(state.clone()), "/health", &[]).await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn a_failed_rebuild_keeps_serving_and_a_swap_never_serves_cached_tiles_of_the_previous() {
    let rouen = common::analysis();
    // An own state (with a tile cache): the shared one of the other tests is never swapped.
    let state = AppState::new(rouen.clone()).with_tile_cache(8);
    let (status, _, tile) = common::call(app(state.clone()), TILE, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!tile.is_empty());

    let mut bad = AnalysisParams::default();
    bad.gap.threshold_min = 0.0;
    let err = state
        .rebuild(|| Analysis::build(Dataset::default(), rouen.report().clone(), &bad))
        .unwrap_err();
    assert!(matches!(
        err,
        AnalysisError::Param {
            field: "gap.threshold_min",
            ..
        }
    ));
    assert!(Arc::ptr_eq(&state.analysis(), &rouen));
    assert_eq!(health(&state).await["version"], rouen.version());
    let (status, _, again) = common::call(app(state.clone()), TILE, &[]).await;
    assert_eq!((status, again), (StatusCode::OK, tile));

    // A synthetic, empty territory built by code (no real data).
    let empty = Dataset {
        name: "Territoire vide (synthétique)".into(),
        version: "synthetic-empty".into(),
        ..Dataset::default()
    };
    state
        .rebuild(|| Analysis::build_default(empty, rouen.report().clone()))
        .unwrap();
    let h = health(&state).await;
    assert_eq!(h["version"], "synthetic-empty");
    assert_eq!(h["territory"], "Territoire vide (synthétique)");
    // Same address, same layers: the cached Rouen tile must not come back.
    let (status, _, body) = common::call(app(state.clone()), TILE, &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{} bytes", body.len());
    let old = format!("/tiles/{}/qpv/14/8243/5594.mvt", rouen.version());
    assert_eq!(
        common::call(app(state.clone()), &old, &[]).await.0,
        StatusCode::NOT_FOUND
    );
    // The analysis the shared state serves is untouched.
    assert!(Arc::ptr_eq(&common::state().analysis(), &rouen));
}
