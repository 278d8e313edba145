//! The actor inventory over HTTP on real stores: editing needs a token and the version, an edit
//! is served after the rebuild (the Rouen card then has a distance to the nearest mission
//! locale), survives a restart on the GeoPackage, and reaches a second replica on PostGIS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use repere_server::AppState;
use repere_server::inventory::EditTokens;

const ROUEN_ML: &str = "missions_locales:mission_locale-76540-01";
/// Where the test "drops" the marker: a position on the map of Rouen chosen by the test, as a
/// user's drop would be; not a coordinate of the mission locale's address.
const DROP: (f64, f64) = (1.0938, 49.4300);

fn tokens(dir: &std::path::Path) -> EditTokens {
    common::edit_tokens(dir, "# éditeurs\nalice:jeton-alice-123-0123456789\n")
}

fn serve(store: Option<&str>, tokens: Option<EditTokens>) -> AppState {
    common::editable_state(store, tokens)
}

async fn json(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    common::request_json(state, method, url, headers, body).await
}

fn url(id: &str) -> String {
    format!("/api/actors/{id}")
}

/// From Rouen's centroid (from its area the mission locale placed inside is at 0 m).
async fn rouen_ml_distance(state: &AppState) -> serde_json::Value {
    let (_, _, c) = json(state, "GET", "/api/communes/76540", &[], None).await;
    c["nearest_actor_by_group_centroid"]["ML"]["distance_m"].clone()
}

#[tokio::test]
async fn placing_the_rouen_mission_locale_gives_rouen_a_distance_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("repere.gpkg").display().to_string();
    let state = serve(Some(&gpkg), Some(tokens(dir.path())));
    let auth = ("authorization", "Bearer jeton-alice-123-0123456789");

    let (s, _, list) = json(
        &state,
        "GET",
        "/api/actors?group=ML&status=to_place",
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["editable"], true);
    let ids: Vec<&str> = list["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["missions_locales:mission_locale-76231-01", ROUEN_ML]);
    assert!(
        rouen_ml_distance(&state).await.is_null(),
        "not placed: no distance"
    );
    let before = state.analysis().version().to_owned();

    let place = serde_json::json!({"lon": DROP.0, "lat": DROP.1, "reason": "placée sur la carte"});
    // No token: 401; no version: 428; a point outside the territory: 400 naming `lon`.
    let (s, _, e) = json(
        &state,
        "PATCH",
        &url(ROUEN_ML),
        &[("if-match", "\"v0\"")],
        Some(place.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    let (s, _, _) = json(
        &state,
        "PATCH",
        &url(ROUEN_ML),
        &[auth],
        Some(place.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_REQUIRED);
    let (s, _, e) = json(
        &state,
        "PATCH",
        &url(ROUEN_ML),
        &[auth, ("if-match", "\"v0\"")],
        Some(serde_json::json!({"lon": 2.35, "lat": 48.85})),
    )
    .await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("lon")),
        "{e}"
    );
    assert!(
        e["error"].as_str().unwrap().contains("hors du territoire"),
        "{e}"
    );
    let (s, _, e) = json(
        &state,
        "POST",
        "/api/actors",
        &[auth],
        Some(serde_json::json!({"name": "X", "kind": "XYZ", "lon": DROP.0, "lat": DROP.1})),
    )
    .await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("kind")),
        "{e}"
    );

    let (s, h, c) = json(
        &state,
        "PATCH",
        &url(ROUEN_ML),
        &[auth, ("if-match", "\"v0\"")],
        Some(place.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(h["etag"], "\"v1\"");
    assert_eq!(c["edit"]["kind"], "place");
    assert_eq!(c["edit"]["author"], "alice");
    assert_ne!(c["dataset_version"], before, "tile URLs change");
    assert_eq!(
        state.analysis().version(),
        c["dataset_version"].as_str().unwrap()
    );
    let d = rouen_ml_distance(&state).await;
    assert!(
        d.as_f64().unwrap() > 0.0 && d.as_f64().unwrap() < 5_000.0,
        "{d}"
    );
    let (_, _, rouen) = json(&state, "GET", "/api/communes/76540", &[], None).await;
    assert_eq!(
        rouen["nearest_actor_by_group"]["ML"]["distance_m"], 0.0,
        "placed inside Rouen"
    );
    assert_eq!(rouen["actors_inside_by_group"]["ML"], 1);
    assert_eq!(rouen["actors_within_reach_by_group"]["ML"], 1);
    // A second editor who still has version 0: 412 with the current version.
    let (s, _, e) = json(
        &state,
        "PATCH",
        &url(ROUEN_ML),
        &[auth, ("if-match", "\"v0\"")],
        Some(serde_json::json!({"name": "autre"})),
    )
    .await;
    assert_eq!(
        (s, e["current_version"].as_u64()),
        (StatusCode::PRECONDITION_FAILED, Some(1)),
        "{e}"
    );
    // Retiring needs a reason.
    let (s, _, e) = json(
        &state,
        "DELETE",
        &url(ROUEN_ML),
        &[auth, ("if-match", "\"v1\"")],
        Some(serde_json::json!({})),
    )
    .await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason"))
    );
    let (_, _, hist) = json(
        &state,
        "GET",
        &format!("{}/history", url(ROUEN_ML)),
        &[],
        None,
    )
    .await;
    assert_eq!(hist.as_array().unwrap().len(), 1);
    assert_eq!(hist[0]["reason"], "placée sur la carte");

    // Restart: a new server over the same file serves the edit.
    drop(state);
    let restarted = serve(Some(&gpkg), Some(tokens(dir.path())));
    restarted
        .inventory
        .clone()
        .unwrap()
        .catch_up(&restarted)
        .await
        .unwrap();
    assert_eq!(rouen_ml_distance(&restarted).await, d);
    let (_, h, a) = json(&restarted, "GET", &url(ROUEN_ML), &[], None).await;
    assert_eq!(
        (a["status"].as_str(), h["etag"].to_str().unwrap()),
        (Some("placed"), "\"v1\"")
    );

    // Without a token file the server is read-only and says so.
    let ro = serve(Some(&gpkg), None);
    let (_, _, list) = json(&ro, "GET", "/api/actors", &[], None).await;
    assert_eq!(list["editable"], false);
    assert!(
        list["read_only_reason"]
            .as_str()
            .unwrap()
            .contains("lecture seule")
    );
    let (s, _, _) = json(
        &ro,
        "PATCH",
        &url(ROUEN_ML),
        &[auth, ("if-match", "\"v1\"")],
        Some(place),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_edit_through_one_postgis_replica_is_served_by_the_other() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let db = pg.database("replicas").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = serve(Some(&db), Some(tokens(dir.path())));
    let b = serve(Some(&db), Some(tokens(dir.path())));
    let (s, _, c) = json(
        &a,
        "PATCH",
        &url(ROUEN_ML),
        &[
            ("authorization", "Bearer jeton-alice-123-0123456789"),
            ("if-match", "\"v0\""),
        ],
        Some(serde_json::json!({"lon": DROP.0, "lat": DROP.1})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert!(rouen_ml_distance(&b).await.is_null());
    // What `repere serve`'s 500 ms poll does on replica B.
    let started = std::time::Instant::now();
    assert!(b.inventory.clone().unwrap().catch_up(&b).await.unwrap());
    eprintln!(
        "replica B caught up in {} ms (debug build)",
        started.elapsed().as_millis()
    );
    assert_eq!(rouen_ml_distance(&b).await, rouen_ml_distance(&a).await);
    assert_eq!(a.analysis().version(), b.analysis().version());
    // B now rejects a stale version like A would.
    let (s, _, _) = json(
        &b,
        "PATCH",
        &url(ROUEN_ML),
        &[
            ("authorization", "Bearer jeton-alice-123-0123456789"),
            ("if-match", "\"v0\""),
        ],
        Some(serde_json::json!({"name": "x"})),
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED);
}
