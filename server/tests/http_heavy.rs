//! Coverage checks are bounded: at most 1 000 sites, a compute budget past which the answer is
//! a French 503, and a bounded pool so that `/health` keeps answering while maximal checks run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use repere_server::heavy::HeavyPool;
use serde_json::Value;

/// `n` distinct sites spread over the Métropole (synthetic positions on a regular grid).
fn sites_csv(n: usize) -> String {
    let mut csv = String::from("lon,lat\n");
    for i in 0..n {
        let lon = 1.03 + 0.10 * (i % 40) as f64 / 40.0;
        let lat = 49.40 + 0.06 * (i / 40) as f64 / 25.0;
        csv.push_str(&format!("{lon:.5},{lat:.5}\n"));
    }
    csv
}

fn coverage_request(n: usize, query: &str) -> Request<Body> {
    Request::post(format!("/api/coverage?{query}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(sites_csv(n)))
        .unwrap()
}

fn app_with_pool(slots: usize, budget: Duration) -> axum::Router {
    let options = repere_server::AppOptions {
        heavy: Arc::new(HeavyPool::new(slots, budget)),
        ..Default::default()
    };
    repere_server::app_with(common::state().clone(), options)
}

#[tokio::test]
async fn more_than_1000_sites_is_a_400_naming_the_sites() {
    let (status, _, body) = common::send(common::app(), coverage_request(1001, "minutes=5")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["parameter"], "sites", "{v}");
    assert!(v["error"].as_str().unwrap().contains("au plus 1000"), "{v}");
}

#[tokio::test]
async fn a_check_past_its_budget_is_a_french_503() {
    let app = app_with_pool(1, Duration::from_millis(500));
    let started = Instant::now();
    let (status, headers, body) =
        common::send(app, coverage_request(1000, "minutes=120&mode=transit")).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("temps de calcul"),
        "{v}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_stays_fast_while_four_maximal_checks_run() {
    let app = app_with_pool(1, Duration::from_secs(4));
    // Warm the shared state before timing anything.
    let _ = common::send(
        app.clone(),
        Request::get("/health").body(Body::empty()).unwrap(),
    )
    .await;
    let heavy: Vec<_> = (0..4)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                common::send(app, coverage_request(1000, "minutes=120&mode=transit"))
                    .await
                    .0
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut latencies = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let (status, _, _) = common::send(
            app.clone(),
            Request::get("/health").body(Body::empty()).unwrap(),
        )
        .await;
        latencies.push(started.elapsed());
        assert_eq!(status, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let still_running = heavy.iter().filter(|h| !h.is_finished()).count();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100 - 1];
    assert!(
        still_running > 0,
        "the heavy checks ended before /health was measured"
    );
    assert!(
        p99 < Duration::from_millis(50),
        "/health p99 {p99:?} under load"
    );
    for h in heavy {
        let status = h.await.unwrap();
        assert!(
            status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
    }
}

fn lookup_request(n: usize) -> Request<Body> {
    let points: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "lon": 1.03 + 0.10 * (i % 400) as f64 / 400.0,
                "lat": 49.40 + 0.06 * (i / 400) as f64 / 250.0,
            })
        })
        .collect();
    Request::post("/api/lookup")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(&points).unwrap()))
        .unwrap()
}

#[tokio::test]
async fn heavy_anonymous_routes_share_the_pool_of_coverage_checks() {
    let pool = Arc::new(HeavyPool::new(1, Duration::from_millis(300)));
    let options = repere_server::AppOptions {
        heavy: pool.clone(),
        ..Default::default()
    };
    let app = repere_server::app_with(common::state().clone(), options);
    // The only slot is taken (as by a long coverage check).
    let held = pool.slot().await.unwrap();
    let requests = [
        ("POST /api/lookup", lookup_request(10)),
        (
            "POST /api/suggest",
            Request::post("/api/suggest?group=FT&minutes=15&k=1")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "GET /api/isochrone",
            Request::get("/api/isochrone?lon=1.0993&lat=49.4431&minutes=10")
                .body(Body::empty())
                .unwrap(),
        ),
        (
            "POST /api/sites",
            Request::post("/api/sites")
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from("lon,lat\n1.0993,49.4431\n"))
                .unwrap(),
        ),
    ];
    for (what, req) in requests {
        let (status, _, body) = common::send(app.clone(), req).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{what} did not wait for the pool: {}",
            String::from_utf8_lossy(&body)
        );
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert!(
            v["error"].as_str().unwrap().contains("serveur occupé"),
            "{what}: {v}"
        );
    }
    drop(held);
    let (status, _, body) = common::send(app, lookup_request(10)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn a_lookup_past_its_budget_is_a_french_503() {
    let app = app_with_pool(1, Duration::from_millis(1));
    let (status, _, body) = common::send(app, lookup_request(100_000)).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("budget"), "{v}");
}

#[tokio::test]
async fn a_large_lookup_answer_is_streamed_and_complete() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = common::app().oneshot(lookup_request(20_000)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body();
    assert_eq!(
        axum::body::HttpBody::size_hint(&body).exact(),
        None,
        "the answer was built whole before being sent"
    );
    let bytes = body.collect().await.unwrap().to_bytes();
    let v: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v.len(), 20_000);
    // In input order: the first point is in Rouen's neighbour Canteleu or thereabouts, and the
    // answer at index i is the lookup of point i.
    let (s, _, one) = common::get("/api/lookup?lon=1.03&lat=49.4").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0], serde_json::from_slice::<Value>(&one).unwrap());
    // An invalid point is still a 400 naming it, before any byte is sent.
    let bad = Request::post("/api/lookup")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            r#"[{"lon":1.0,"lat":49.4},{"lon":1.0,"lat":95}]"#,
        ))
        .unwrap();
    let (status, _, body) = common::send(common::app(), bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["parameter"], "points[1].lat", "{v}");
}
