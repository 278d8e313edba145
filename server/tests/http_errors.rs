//! Every error of every route is JSON `{error, parameter}` in French, whatever produced it (a
//! handler, an extractor rejection, a body limit, the router); repeated query parameters are
//! refused; every answer carries the security headers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::{app, send};
use repere_server::routes::operations;
use serde_json::Value;

/// A concrete URL for a documented path template.
fn concrete(path: &str) -> String {
    path.replace("{code}", "76540")
        .replace("{layers}", "all")
        .replace("{version}", &common::analysis().tiles().version)
        .replace("{z}", "10")
        .replace("{x}", "511")
        .replace("{y}", "350.mvt")
}

/// Asserts an error answer is the JSON error body with a French message.
fn assert_json_error(what: &str, status: StatusCode, headers: &HeaderMap, body: &[u8]) {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        ctype.starts_with("application/json"),
        "{what}: {status} answered as {ctype:?}: {}",
        String::from_utf8_lossy(body)
    );
    let v: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{what}: {status} body is not JSON ({e})"));
    let message = v["error"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{what}: no error message in {v}");
    assert!(
        v.get("parameter").is_some(),
        "{what}: no parameter key in {v}"
    );
    // axum's own rejection texts, and any common English word of ours.
    for english in ["Failed", "failed to", "length limit", "Expected request"] {
        assert!(
            !message.contains(english),
            "{what}: English message {message:?}"
        );
    }
    let english = repere_engine::text::english_words(message);
    assert!(
        english.is_empty(),
        "{what}: English {english:?} in {message:?}"
    );
}

async fn request(
    method: Method,
    url: &str,
    ctype: &str,
    body: Vec<u8>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(url)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body))
        .unwrap();
    let (status, headers, body) = send(app(), req).await;
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn every_route_answers_oversize_and_malformed_bodies_with_json_errors() {
    let oversize = vec![b'{'; 3 * 1024 * 1024];
    let malformed: Vec<Vec<u8>> = vec![
        b"{\"type\": \"FeatureCollection\", \"features\": [".to_vec(),
        vec![0xff, 0xfe, 0x00, b'{'],
        b"lon,lat\n1.0\n".to_vec(),
    ];
    let ctypes = [
        "application/json",
        "application/geo+json",
        "text/csv",
        "application/x-nothing",
    ];
    let ops = operations();
    assert!(ops.len() >= 10, "too few documented routes: {}", ops.len());
    let mut errors_seen = 0;
    for op in &ops {
        let url = concrete(op.path);
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            for ctype in ctypes {
                let mut bodies = vec![oversize.clone()];
                bodies.extend(malformed.iter().cloned());
                for body in bodies {
                    let len = body.len();
                    let (status, headers, answer) =
                        request(method.clone(), &url, ctype, body).await;
                    if status.is_client_error() || status.is_server_error() {
                        errors_seen += 1;
                        let what = format!("{method} {url} ({ctype}, {len} bytes)");
                        assert_json_error(&what, status, &headers, &answer);
                    }
                    // Address search without a geocoder says so with a 503 (documented); every
                    // other answer to a bad body is a client error.
                    let no_geocoder = url.starts_with("/api/geocode/")
                        && status == StatusCode::SERVICE_UNAVAILABLE;
                    assert!(
                        !status.is_server_error() || no_geocoder,
                        "{method} {url}: {status}"
                    );
                }
            }
        }
    }
    assert!(
        errors_seen > ops.len(),
        "the walk produced only {errors_seen} errors"
    );
}

#[tokio::test]
async fn an_oversize_coverage_body_is_a_json_413_naming_the_body() {
    let (status, headers, body) = request(
        Method::POST,
        "/api/coverage",
        "text/csv",
        vec![b'1'; 3 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_json_error("POST /api/coverage", status, &headers, &body);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["parameter"], "body");
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json_errors() {
    let (status, headers, body) = request(Method::GET, "/api/nothing", "text/plain", vec![]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_json_error("GET /api/nothing", status, &headers, &body);
    let (status, headers, body) = request(Method::DELETE, "/health", "text/plain", vec![]).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(headers.contains_key(header::ALLOW));
    assert_json_error("DELETE /health", status, &headers, &body);
}

#[tokio::test]
async fn a_repeated_query_parameter_is_a_400_naming_it() {
    for (method, url) in [
        (Method::POST, "/api/coverage?minutes=5&minutes=60"),
        (Method::GET, "/api/lookup?lon=1.09&lat=49.44&lon=1.1"),
        (Method::GET, "/api/ranking?neet=1&neet=2"),
    ] {
        let (status, headers, body) = request(
            method.clone(),
            url,
            "text/csv",
            b"lon,lat\n1.09,49.44\n".to_vec(),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{method} {url}");
        assert_json_error(url, status, &headers, &body);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let name = url.split('?').nth(1).unwrap().split('=').next().unwrap();
        assert_eq!(v["parameter"], name, "{url}: {v}");
        assert!(
            v["error"].as_str().unwrap().contains("plusieurs fois"),
            "{v}"
        );
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    for url in [
        "/health",
        "/api/communes",
        "/",
        "/api/nothing",
        "/web-config.json",
    ] {
        let (_, headers, _) = request(Method::GET, url, "text/plain", vec![]).await;
        let h = |name: header::HeaderName| {
            headers
                .get(&name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_else(|| panic!("{url}: no {name}"))
        };
        assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{url}");
        assert!(!h(header::REFERRER_POLICY).is_empty());
        let csp = h(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'self'"), "{url}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{url}: {csp}");
        assert!(csp.contains("script-src 'self';"), "{url}: {csp}");
    }
    let (status, headers, _) = request(
        Method::GET,
        "/coverage/report?sites=1.09,49.44",
        "text/plain",
        vec![],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
}

#[tokio::test]
async fn huge_numbers_are_shown_short_in_messages() {
    for (method, url, body) in [
        (Method::GET, "/api/lookup?lon=1e308&lat=49.44", ""),
        (Method::POST, "/api/coverage", "lon,lat\n1e308,49.44\n"),
        (Method::GET, "/coverage/report?sites=1.09,-1e300", ""),
    ] {
        let (status, headers, answer) =
            request(method.clone(), url, "text/csv", body.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert_json_error(url, status, &headers, &answer);
        let v: Value = serde_json::from_slice(&answer).unwrap();
        let message = v["error"].as_str().unwrap();
        assert!(
            message.contains("e308") || message.contains("e300"),
            "{url}: {message}"
        );
        assert!(!message.contains("0000000000"), "{url}: {message}");
        assert!(
            message.len() < 300,
            "{url}: {} bytes: {message}",
            message.len()
        );
    }
}

#[tokio::test]
async fn a_coverage_site_far_outside_the_territory_is_a_400_naming_the_sites() {
    for (method, url, body) in [
        (Method::POST, "/api/coverage", "lon,lat\n-170,-80\n"),
        (Method::GET, "/coverage/report?sites=-170,-80", ""),
    ] {
        let (status, headers, answer) =
            request(method, url, "text/csv", body.as_bytes().to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert_json_error(url, status, &headers, &answer);
        let v: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(v["parameter"], "sites", "{v}");
        let message = v["error"].as_str().unwrap();
        assert!(message.contains("hors du territoire"), "{message}");
        assert!(
            !message.contains("-0.0") && !message.contains("-0 "),
            "{message}"
        );
    }
    // A site just inside the territory still works.
    let (status, _, body) = request(
        Method::POST,
        "/api/coverage",
        "text/csv",
        b"lon,lat\n1.0993,49.4431\n".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(!String::from_utf8_lossy(&body).contains("-0.0"));
}
