//! Routes against hostile or clumsy input (issue 26, second pass): formula injection in the
//! CSV exports, huge or hidden-character texts, unknown filters, a lowercase `bearer`, weak or
//! stale `If-Match`, an empty PATCH, no store path shown to readers, ranking weights that
//! overflow or repeat, a JSON coverage body never read as CSV, an isochrone far outside, `-0`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use repere_server::AppState;
use serde_json::{Value, json};

const TOKEN: &str = "jeton-editeur-synthetique-0123456789";
const AUTH: (&str, &str) = (
    "authorization",
    "Bearer jeton-editeur-synthetique-0123456789",
);
/// A position in Rouen chosen by the test (not an actor's address).
const POINT: (f64, f64) = (1.0938, 49.4300);

fn editable(dir: &std::path::Path) -> (AppState, String) {
    let gpkg = dir.join("repere.gpkg").display().to_string();
    let tokens = common::edit_tokens(dir, &format!("alice:{TOKEN}\n"));
    (common::editable_state(Some(&gpkg), Some(tokens)), gpkg)
}

async fn json(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    common::request_json(state, method, url, headers, body).await
}

async fn create(state: &AppState, name: &str) -> (StatusCode, Value) {
    let (s, _, v) = json(
        state,
        "POST",
        "/api/actors",
        &[AUTH],
        Some(json!({"name": name, "kind": "ASSO", "lon": POINT.0, "lat": POINT.1})),
    )
    .await;
    (s, v)
}

#[tokio::test]
async fn the_csv_export_neutralises_formulas_and_keeps_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = editable(dir.path());
    let evil = "=HYPERLINK(\"https://example.org/x\",\"cliquez\")";
    for name in [evil, "+33 1 23 45 67 89", "@SUM(A1)", "-2+3"] {
        let (s, v) = create(&state, name).await;
        assert_eq!(s, StatusCode::CREATED, "{name}: {v}");
    }
    let (s, _, body) = common::send(
        repere_server::app(state.clone()),
        axum::http::Request::get("/api/actors/export.csv")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (name_c, lon_c) = (col("nom"), col("longitude"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for name in [evil, "+33 1 23 45 67 89", "@SUM(A1)", "-2+3"] {
        let row = rows
            .iter()
            .find(|r| r[name_c].ends_with(name))
            .unwrap_or_else(|| panic!("{name} not exported"));
        assert_eq!(row[name_c], format!("'{name}"), "formula left as is");
    }
    // No cell anywhere starts a formula; coordinates stay numbers.
    for r in &rows {
        for cell in r.iter() {
            let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!risky, "formula cell {cell:?} in {r:?}");
        }
        assert!(r[lon_c].is_empty() || r[lon_c].parse::<f64>().is_ok());
    }
}

#[tokio::test]
async fn huge_texts_and_hidden_characters_in_actor_fields_are_400_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = editable(dir.path());
    let huge = "a".repeat(1024 * 1024);
    for (name, what) in [
        (huge.as_str(), "au plus 200"),
        ("Mission\u{202E}elacol", "U+202E"),
        ("Ligne\ncoupée", "U+000A"),
        ("Nul\u{0}", "U+0000"),
    ] {
        let (s, v) = create(&state, name).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["parameter"], "name", "{v}");
        assert!(v["error"].as_str().unwrap().contains(what), "{v}");
    }
    let (s, created) = create(&state, "Asso ordinaire").await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["actor"]["id"]
        .as_str()
        .or(created["edit"]["actor_id"].as_str())
        .unwrap()
        .to_owned();
    let (s, _, v) = json(
        &state,
        "DELETE",
        &format!("/api/actors/{id}"),
        &[AUTH, ("if-match", "\"v1\"")],
        Some(json!({ "reason": huge })),
    )
    .await;
    assert_eq!(
        (s, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{v}"
    );
}

#[tokio::test]
async fn unknown_group_or_status_filters_are_400_as_on_gaps() {
    let state = common::state().clone();
    for (url, param) in [
        ("/api/actors?group=XYZ", "group"),
        ("/api/actors?status=perdu", "status"),
    ] {
        let (s, _, v) = json(&state, "GET", url, &[], None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{url}: {v}");
        assert_eq!(v["parameter"], param, "{url}: {v}");
    }
    let (s, _, v) = json(
        &state,
        "GET",
        "/api/actors?group=ml&status=to_place",
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v["actors"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_lowercase_bearer_scheme_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = editable(dir.path());
    let lower = format!("bearer {TOKEN}");
    let (s, _, v) = json(
        &state,
        "POST",
        "/api/actors",
        &[("authorization", &lower)],
        Some(json!({"name": "Asso", "kind": "ASSO", "lon": POINT.0, "lat": POINT.1})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

#[tokio::test]
async fn weak_or_stale_if_match_is_412_and_an_empty_patch_creates_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = editable(dir.path());
    let (s, created) = create(&state, "Asso à modifier").await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (_, headers, _) = json(&state, "GET", "/api/actors", &[], None).await;
    drop(headers);
    let id = created["actor"]["id"]
        .as_str()
        .or(created["edit"]["actor_id"].as_str())
        .unwrap()
        .to_owned();
    let url = format!("/api/actors/{id}");
    let rename = Some(json!({"name": "Asso renommée"}));
    // Weak validator: never a match for If-Match.
    let (s, _, v) = json(
        &state,
        "PATCH",
        &url,
        &[AUTH, ("if-match", "W/\"v1\"")],
        rename.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{v}");
    // An empty PATCH: refused, no version made.
    let (s, _, v) = json(
        &state,
        "PATCH",
        &url,
        &[AUTH, ("if-match", "\"v1\"")],
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (s, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{v}"
    );
    let (s, _, v) = json(
        &state,
        "PATCH",
        &url,
        &[AUTH, ("if-match", "\"v1\"")],
        Some(json!({"reason": "rien"})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (_, h, _) = json(&state, "GET", &url, &[], None).await;
    assert_eq!(h["etag"], "\"v1\"", "an empty PATCH made a version");
    // A real change, then the same stale version again: 412 with the current version.
    let (s, _, v) = json(
        &state,
        "PATCH",
        &url,
        &[AUTH, ("if-match", "\"v1\"")],
        rename.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _, v) = json(
        &state,
        "PATCH",
        &url,
        &[AUTH, ("if-match", "\"v1\"")],
        rename,
    )
    .await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{v}");
    assert_eq!(v["current_version"], 2, "{v}");
}

#[tokio::test]
async fn the_actor_list_shows_no_absolute_store_path() {
    let dir = tempfile::tempdir().unwrap();
    let (state, gpkg) = editable(dir.path());
    let (s, _, v) = json(&state, "GET", "/api/actors", &[], None).await;
    assert_eq!(s, StatusCode::OK);
    let store = v["store"].as_str().unwrap();
    assert_eq!(store, "GeoPackage repere.gpkg", "{v}");
    let text = v.to_string();
    assert!(!text.contains(&gpkg), "absolute path shown: {store}");
    assert!(!text.contains(&dir.path().display().to_string()));
}

#[tokio::test]
async fn huge_or_repeated_ranking_weights_are_400_naming_weights() {
    for (weights, what) in [
        ("neet=1e308,access=1e308", "au plus 1000"),
        ("neet=1001", "au plus 1000"),
        ("neet=1,neet=2", "deux fois"),
        ("neet=1,neet_share=2", "deux fois"),
    ] {
        let (s, _, body) = common::get(&format!("/api/ranking?weights={weights}")).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(s, StatusCode::BAD_REQUEST, "{weights}: {v}");
        assert_eq!(v["parameter"], "weights", "{weights}: {v}");
        assert!(
            v["error"].as_str().unwrap().contains(what),
            "{weights}: {v}"
        );
    }
    // Large but bounded weights rank as their ratio does.
    let only = |k: u32| {
        format!(
            "/api/ranking?weights=neet={k},access={k},neet_count=0,youth_qpv=0,distance=0&top=5"
        )
    };
    let (_, _, a) = common::get(&only(1000)).await;
    let (_, _, b) = common::get(&only(1)).await;
    let codes = |b: &[u8]| -> Vec<Value> {
        let v: Value = serde_json::from_slice(b).unwrap();
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].clone())
            .collect()
    };
    assert_eq!(codes(&a), codes(&b));
}

#[tokio::test]
async fn a_json_coverage_body_is_never_read_as_csv() {
    let state = common::state().clone();
    for body in [r#"[{"lon":1.0993,"lat":49.4431}]"#, r#""lon,lat""#] {
        let (s, _, v) = common::request(
            &state,
            "POST",
            "/api/coverage?minutes=10",
            &[("content-type", "application/json")],
            body.to_owned(),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}: {v}");
        let message = v["error"].as_str().unwrap();
        assert!(message.contains("JSON"), "{body}: {message}");
        assert!(
            !message.contains("CSV") && !message.contains("colonne"),
            "{body}: {message}"
        );
    }
}

#[tokio::test]
async fn an_isochrone_far_outside_the_territory_is_a_400_naming_lon() {
    for url in [
        "/api/isochrone?lon=2.35&lat=48.85&minutes=10",
        "/api/isochrone?lon=49.4431&lat=1.0993&minutes=10",
    ] {
        let (s, _, body) = common::get(url).await;
        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(s, StatusCode::BAD_REQUEST, "{url}: {v}");
        assert_eq!(v["parameter"], "lon", "{url}: {v}");
        assert!(
            v["error"].as_str().unwrap().contains("territoire"),
            "{url}: {v}"
        );
    }
}

#[tokio::test]
async fn exports_show_no_negative_zero() {
    let (s, _, csv_body) = common::get("/api/communes.csv").await;
    assert_eq!(s, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv_body.as_ref());
    for r in reader.records() {
        let r = r.unwrap();
        for cell in r.iter() {
            assert!(
                !(cell.starts_with("-0") && cell.parse::<f64>() == Ok(0.0)),
                "negative zero {cell:?} in {r:?}"
            );
        }
    }
    let (s, _, geojson) = common::get("/api/communes.geojson").await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8_lossy(&geojson);
    assert!(!text.contains(":-0.0,") && !text.contains(":-0,") && !text.contains(":-0}"));
}
