//! Fuzz harness of editors' tokens (issue 26): mutated token files and `Authorization` headers.
//!
//! - a token file of random lines (names, separators, tokens of any length and alphabet,
//!   comments, repeated tokens) is either refused with a French error naming a line (or "aucun
//!   jeton"), or read with every token of at least 24 characters, each naming one editor, and
//!   only those tokens authenticate;
//! - a random `Authorization` header on a write never answers 2xx nor 5xx: 401, or 429 once its
//!   address sent too many, always the JSON `{error, parameter}` body.
//!
//! `REPERE_FUZZ_CASES=N` sets the number of cases per property.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[path = "../../engine/tests/common/mutate.rs"]
mod mutate;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use repere_server::inventory::EditTokens;
use tower::ServiceExt;

/// One line of a token file.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        // A well-formed line, token of any length (some too short).
        ("[a-zé]{0,8}", "[A-Za-z0-9+/=_é-]{0,40}").prop_map(|(n, t)| format!("{n}:{t}")),
        // Repeated tokens under other names.
        "[a-z]{1,6}".prop_map(|n| format!("{n}:jeton-partage-par-plusieurs-0123")),
        // Comments, blanks, garbage.
        "#[ -~]{0,20}",
        "[ \t]{0,3}",
        "[ -~]{0,30}",
    ]
}

#[test]
fn random_token_files_are_read_whole_or_refused_naming_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens");
    let mut runner = TestRunner::new(Config {
        cases: mutate::cases(256),
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(line(), 0..8), |lines| {
            let text = lines.join("\n");
            std::fs::write(&path, &text).unwrap();
            match EditTokens::read(&path) {
                Err(e) => {
                    let m = e.to_string();
                    prop_assert!(m.contains("ligne") || m.contains("aucun jeton"), "{}", m);
                }
                Ok(t) => {
                    let mut expected: BTreeMap<&str, &str> = BTreeMap::new();
                    for l in text.lines().map(str::trim) {
                        if l.is_empty() || l.starts_with('#') {
                            continue;
                        }
                        let (name, token) = l.split_once(':').unwrap();
                        let (name, token) = (name.trim(), token.trim());
                        prop_assert!(token.chars().count() >= 24, "short token kept: {}", l);
                        prop_assert!(
                            expected.insert(token, name).is_none(),
                            "duplicate kept: {}",
                            text
                        );
                    }
                    prop_assert_eq!(t.len(), expected.len());
                    for (token, name) in &expected {
                        prop_assert_eq!(t.author(token), Some(*name));
                        let other = format!("{token}x");
                        prop_assert!(
                            expected.contains_key(other.as_str()) || t.author(&other).is_none()
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn random_authorization_headers_never_write_nor_fail_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("repere.gpkg").display().to_string();
    let tokens = common::edit_tokens(dir.path(), "alice:jeton-alice-123-0123456789\n");
    let state = common::editable_state(Some(&gpkg), Some(tokens));
    let mut runner = TestRunner::new(Config {
        cases: mutate::cases(256),
        ..Config::default()
    });
    let strategy = (
        prop_oneof![
            "Bearer [ -~]{0,40}",
            "[ -~]{0,50}",
            "Bearer jeton-alice-123-012345678[0-9a-z]?"
        ],
        0u8..4,
    );
    // Generated first (the runner's closure is synchronous), then sent.
    let cases = std::cell::RefCell::new(Vec::new());
    runner
        .run(&strategy, |c| {
            cases.borrow_mut().push(c);
            Ok(())
        })
        .unwrap();
    for (header, peer) in cases.into_inner() {
        if header == "Bearer jeton-alice-123-0123456789" {
            continue;
        }
        let Ok(value) = axum::http::HeaderValue::from_str(&header) else {
            continue;
        };
        let mut req = Request::patch("/api/actors/missions_locales:mission_locale-76540-01")
            .header("if-match", "\"v0\"")
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name": "x"}"#))
            .unwrap();
        req.headers_mut().insert("authorization", value);
        let peer: SocketAddr = format!("192.0.2.{peer}:1000").parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(peer));
        let resp = repere_server::app(state.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status();
        let body = http_body_util::BodyExt::collect(resp.into_body())
            .await
            .unwrap()
            .to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert!(
            status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS,
            "{header:?}: {status} {v}"
        );
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
    }
    let (s, _, h) = common::request_json(
        &state,
        "GET",
        "/api/actors/missions_locales:mission_locale-76540-01/history",
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h, serde_json::json!([]), "a random header wrote an edit");
}
