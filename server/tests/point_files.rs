//! One reader of point files: the same CSV posted to `/api/lookup` and to `/api/coverage` reads
//! as the same points, or fails with the same error (status, parameter and message).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};

fn post(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "text/csv")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn both(csv: &str) -> (StatusCode, serde_json::Value, StatusCode, serde_json::Value) {
    let (s1, _, b1) = common::send(common::app(), post("/api/lookup", csv)).await;
    let (s2, _, b2) = common::send(common::app(), post("/api/coverage?minutes=10", csv)).await;
    (
        s1,
        serde_json::from_slice(&b1).unwrap(),
        s2,
        serde_json::from_slice(&b2).unwrap(),
    )
}

#[tokio::test]
async fn a_good_csv_reads_as_the_same_points_on_lookup_and_coverage() {
    // Semicolons, decimal commas, a byte-order mark, `longitude`/`latitude` headers: Rouen
    // (Hôtel de ville) and Saint-Étienne-du-Rouvray.
    let csv = "\u{feff}nom;Longitude;Latitude\nA;1,0993;49,4431\nB;1,1042;49,3814\n";
    let (s1, lookup, s2, coverage) = both(csv).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::OK, StatusCode::OK),
        "{lookup} {coverage}"
    );
    let from_lookup: Vec<(f64, f64)> = lookup
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["lon"].as_f64().unwrap(), h["lat"].as_f64().unwrap()))
        .collect();
    let from_coverage: Vec<(f64, f64)> = coverage["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["site"]["lon"].as_f64().unwrap(),
                s["site"]["lat"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(from_lookup, [(1.0993, 49.4431), (1.1042, 49.3814)]);
    assert_eq!(from_lookup, from_coverage);
}

#[tokio::test]
async fn a_bad_csv_fails_with_the_same_error_on_lookup_and_coverage() {
    for (csv, field, line) in [
        ("lon,lat\n1.0993,49.4431\n1.0993,abc\n", "lat", "ligne 3"),
        ("lon;lat\n1,0993;49,4431\n181;49\n", "lon", "ligne 3"),
        ("x1,y1\n1,2\n", "lon", "ligne 1"),
    ] {
        let (s1, lookup, s2, coverage) = both(csv).await;
        assert_eq!(
            (s1, s2),
            (StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST),
            "{csv:?}: {lookup} {coverage}"
        );
        assert_eq!(lookup, coverage, "{csv:?}");
        assert_eq!(lookup["parameter"], field, "{csv:?}: {lookup}");
        let message = lookup["error"].as_str().unwrap();
        assert!(
            message.contains(&format!("corps de la requête : {line}, champ `{field}`")),
            "{csv:?}: {message}"
        );
    }
}
