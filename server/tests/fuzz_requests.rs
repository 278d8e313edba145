//! Fuzz harness of the HTTP application: mutated requests (method, path, query, content type,
//! body) to every documented route through `app()` with `oneshot`. Every answer must come back
//! (no panic), never be a 500, and every error must be the JSON `{error, parameter}` body.
//!
//! `REPERE_FUZZ_CASES=N` sets the number of requests (a few thousand in the normal run); the
//! ignored test sends [`LONG_RUN_CASES`]: `cargo test --release -p repere-server --test
//! fuzz_requests -- --ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[path = "../../engine/tests/common/mutate.rs"]
mod mutate;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use mutate::{apply, cases, mutations};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};

const SITES_CSV: &str = "id;nom;lon;lat;groupe\ns1;Antenne;1,0993;49,4431;ML\n";
const SITES_GEOJSON: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.0993,49.4431]},"properties":{"id":"s1"}}]}"#;
const LOOKUP_JSON: &str = r#"[{"lon":1.0993,"lat":49.4431},{"lon":1.06,"lat":49.40}]"#;
const WRAPPED: &str = r#"{"sites":{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.0993,49.4431]},"properties":{}}]},"minutes":5,"mode":"walk"}"#;

const BODIES: &[&str] = &["", SITES_CSV, SITES_GEOJSON, LOOKUP_JSON, WRAPPED];
const CTYPES: &[&str] = &[
    "text/csv",
    "application/json",
    "application/geo+json",
    "text/plain",
    "multipart/form-data",
    "",
];
const METHODS: &[Method] = &[
    Method::GET,
    Method::POST,
    Method::HEAD,
    Method::PUT,
    Method::OPTIONS,
];

/// A URL with every path parameter filled and cheap query parameters.
fn concrete(path: &str) -> String {
    let filled = path
        .replace("{code}", "76540")
        .replace("{layers}", "communes,qpv")
        .replace("{version}", &common::analysis().tiles().version)
        .replace("{z}", "12")
        .replace("{x}", "2062")
        .replace("{y}", "1398.mvt");
    let query = match path {
        "/api/coverage" => "?minutes=5&mode=walk&group=ML",
        "/api/lookup" => "?lon=1.0993&lat=49.4431",
        "/api/ranking" => "?neet=2&access=1",
        "/api/gaps" => "?group=ML",
        _ => "?x=1",
    };
    format!("{filled}{query}")
}

/// Requests of the long (ignored) run.
const LONG_RUN_CASES: u32 = 100_000;

#[test]
fn mutated_requests_to_every_route_answer_json_errors_and_never_500() {
    fuzz_requests(cases(2000));
}

#[test]
#[ignore = "10^5 requests: minutes; run with --release"]
fn long_run_of_100000_mutated_requests() {
    let started = std::time::Instant::now();
    fuzz_requests(LONG_RUN_CASES);
    eprintln!(
        "long run: {LONG_RUN_CASES} requests in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

fn fuzz_requests(total: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut urls: Vec<String> = repere_server::routes::operations()
        .iter()
        .map(|op| concrete(op.path))
        .collect();
    urls.extend([
        "/coverage/report?sites=1.0993,49.4431&minutes=5".to_owned(),
        "/".to_owned(),
    ]);
    let app = common::app();
    let strategy = (
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        mutations(),
        mutations(),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: total,
        failure_persistence: None,
        ..Config::default()
    });
    let sent = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(
            &strategy,
            |(u, m, c, b, url_edits, body_edits, edit_url)| {
                let base = &urls[u.index(urls.len())];
                let url = if edit_url {
                    String::from_utf8_lossy(&apply(base.as_bytes(), &url_edits)).into_owned()
                } else {
                    base.clone()
                };
                let body = apply(BODIES[b.index(BODIES.len())].as_bytes(), &body_edits);
                let method = METHODS[m.index(METHODS.len())].clone();
                let mut builder = Request::builder().method(method.clone()).uri(url.as_str());
                let ctype = CTYPES[c.index(CTYPES.len())];
                if !ctype.is_empty() {
                    builder = builder.header(header::CONTENT_TYPE, ctype);
                }
                // A string that is no URI never reaches the application (hyper answers 400).
                let Ok(request) = builder.body(Body::from(body)) else {
                    return Ok(());
                };
                sent.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = request.uri().path().to_owned();
                let (status, headers, answer) =
                    runtime.block_on(common::send(app.clone(), request));
                prop_assert!(
                    status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{} {} answered 500: {}",
                    method,
                    url,
                    String::from_utf8_lossy(&answer)
                );
                if (status.is_client_error() || status.is_server_error()) && method != Method::HEAD
                {
                    let ctype = headers
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    if ctype.starts_with("text/html") {
                        // The map's "not installed" page (no npm assets on this machine).
                        prop_assert_eq!(path.as_str(), "/");
                        return Ok(());
                    }
                    prop_assert!(
                        ctype.starts_with("application/json"),
                        "{} {}: {} as {:?}",
                        method,
                        url,
                        status,
                        ctype
                    );
                    let v: serde_json::Value = serde_json::from_slice(&answer)
                        .map_err(|e| TestCaseError::fail(format!("{method} {url}: {e}")))?;
                    prop_assert!(v["error"].as_str().is_some_and(|s| !s.is_empty()), "{}", v);
                    prop_assert!(v.get("parameter").is_some(), "{}", v);
                }
                Ok(())
            },
        )
        .unwrap();
    let sent = sent.into_inner();
    eprintln!("fuzz_requests: {total} cases, {sent} requests sent");
    assert!(
        sent > total / 2,
        "most mutated URLs were not URIs: {sent} of {total}"
    );
}

#[test]
fn mutated_lookup_bodies_answer_a_full_array_or_a_json_error() {
    const LOOKUP_CSV: &str = "lon;lat\n1,0993;49,4431\n1,06;49,40\n";
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = common::app();
    let mut runner = TestRunner::new(Config {
        cases: cases(300),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&(any::<bool>(), mutations()), |(json, edits)| {
            let (base, ctype) = if json {
                (LOOKUP_JSON, "application/json")
            } else {
                (LOOKUP_CSV, "text/csv")
            };
            let body = apply(base.as_bytes(), &edits);
            let request = Request::post("/api/lookup")
                .header(header::CONTENT_TYPE, ctype)
                .body(Body::from(body.clone()))
                .unwrap();
            let (status, _, answer) = runtime.block_on(common::send(app.clone(), request));
            let v: serde_json::Value = serde_json::from_slice(&answer).map_err(|e| {
                TestCaseError::fail(format!(
                    "{status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&answer[..answer.len().min(200)])
                ))
            })?;
            if status == StatusCode::OK {
                // A streamed answer is a whole array, one entry per point.
                prop_assert!(v.is_array(), "{}", v);
            } else {
                prop_assert!(status.is_client_error(), "{} for {:?}", status, body);
                prop_assert!(v["error"].as_str().is_some_and(|s| !s.is_empty()), "{}", v);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_edit_tokens_never_write_and_never_500() {
    const TOKEN: &str = "jeton-editeur-synthetique-0123456789";
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("repere.gpkg").display().to_string();
    let tokens = common::edit_tokens(dir.path(), &format!("alice:{TOKEN}\n"));
    let state = common::editable_state(Some(&gpkg), Some(tokens));
    let body = r#"{"name":"Asso","kind":"ASSO","lon":1.0938,"lat":49.43}"#;
    let base = format!("Bearer {TOKEN}");
    let mut runner = TestRunner::new(Config {
        cases: cases(300),
        failure_persistence: None,
        ..Config::default()
    });
    let peer = std::cell::Cell::new(0u16);
    runner
        .run(&mutations(), |edits| {
            let value = apply(base.as_bytes(), &edits);
            let Ok(header_value) = axum::http::HeaderValue::from_bytes(&value) else {
                return Ok(()); // not a header value: never reaches the application
            };
            // Each case comes from its own address: the wrong tokens of earlier cases must not
            // block this one (the throttle per address has its own tests in `edit_throttle`).
            peer.set(peer.get().wrapping_add(1));
            let [hi, lo] = peer.get().to_be_bytes();
            let peer_addr = std::net::SocketAddr::from(([10, 0, hi, lo], 40_000));
            let request = Request::post("/api/actors")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, header_value)
                .extension(axum::extract::ConnectInfo(peer_addr))
                .body(Body::from(body))
                .unwrap();
            let (status, _, answer) =
                runtime.block_on(common::send(repere_server::app(state.clone()), request));
            let text = String::from_utf8_lossy(&value);
            let same = text
                .trim_start()
                .split_once(' ')
                .is_some_and(|(s, t)| s.eq_ignore_ascii_case("bearer") && t.trim() == TOKEN);
            if same {
                prop_assert_eq!(status, StatusCode::CREATED);
            } else {
                prop_assert!(
                    status == StatusCode::UNAUTHORIZED,
                    "token {:?} answered {}: {}",
                    text,
                    status,
                    String::from_utf8_lossy(&answer)
                );
                let v: serde_json::Value = serde_json::from_slice(&answer)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(v["error"].as_str().is_some_and(|s| !s.is_empty()), "{}", v);
            }
            Ok(())
        })
        .unwrap();
}
