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
        let lon = 0.95 + 0.30 * (i % 40) as f64 / 40.0;
        let lat = 49.33 + 0.15 * (i / 40) as f64 / 25.0;
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
