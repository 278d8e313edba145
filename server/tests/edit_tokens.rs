//! Editors' tokens (issue 26 items 7 and 8): one token names one editor, a token has at least
//! 24 characters, and wrong tokens are throttled per client address (429 with `Retry-After`
//! once an address sent 10 in a minute, whatever it sends next; other addresses unaffected).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use repere_server::AppState;
use repere_server::inventory::{EditTokens, TokenFileError};
use tower::ServiceExt;

const ALICE: &str = "jeton-alice-123-0123456789";
const ROUEN_ML: &str = "missions_locales:mission_locale-76540-01";

fn read(text: &str) -> Result<EditTokens, TokenFileError> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("tokens");
    std::fs::write(&p, text).unwrap();
    EditTokens::read(&p)
}

#[test]
fn the_same_token_under_two_names_is_refused_naming_both_lines() {
    let token = "un-jeton-partage-par-deux-editeurs";
    let e = read(&format!(
        "alice:{ALICE}\n# commentaire\nbruno:{token}\nchloe:{token}\n"
    ))
    .unwrap_err();
    assert!(
        matches!(
            &e,
            TokenFileError::Duplicate { line: 4, first_line: 3, first_name, .. } if first_name == "bruno"
        ),
        "{e:?}"
    );
    let message = e.to_string();
    assert!(
        message.contains("ligne 4") && message.contains("ligne 3"),
        "{message}"
    );
    assert!(
        !message.contains(token),
        "the message shows the token: {message}"
    );
    // The same editor under two tokens is fine (a token being replaced).
    let t = read(&format!("alice:{ALICE}\nalice:{token}\n")).unwrap();
    assert_eq!(t.author(token), Some("alice"));
    assert_eq!(t.author(ALICE), Some("alice"));
}

#[test]
fn tokens_shorter_than_24_characters_are_refused() {
    for short in ["jeton-alice-123", "abcdefghijklmnopqrstuvw"] {
        let e = read(&format!("alice:{short}\n")).unwrap_err();
        assert!(matches!(e, TokenFileError::Weak { line: 1, .. }), "{e:?}");
        assert!(e.to_string().contains("24 caractères"), "{e}");
    }
    let t = read("alice:abcdefghijklmnopqrstuvwx\n").unwrap();
    assert_eq!(t.author("abcdefghijklmnopqrstuvwx"), Some("alice"));
    assert_eq!(t.author("abcdefghijklmnopqrstuvwX"), None);
    assert_eq!(t.author(""), None);
}

/// A PATCH of the Rouen mission locale's name from `peer` with `token`.
async fn patch(state: &AppState, peer: &str, token: &str, version: u32) -> (StatusCode, String) {
    let peer: SocketAddr = peer.parse().unwrap();
    let mut req = Request::patch(format!("/api/actors/{ROUEN_ML}"))
        .header("authorization", format!("Bearer {token}"))
        .header("if-match", format!("\"v{version}\""))
        .header("content-type", "application/json")
        .body(Body::from(r#"{"name": "Mission locale de Rouen"}"#))
        .unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    let resp = repere_server::app(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    (
        status,
        format!("{retry}|{}", String::from_utf8_lossy(&body)),
    )
}

#[tokio::test]
async fn ten_wrong_tokens_block_the_address_for_a_minute_and_only_that_address() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("repere.gpkg").display().to_string();
    let tokens = common::edit_tokens(dir.path(), &format!("alice:{ALICE}\n"));
    let state = common::editable_state(Some(&gpkg), Some(tokens));
    let attacker = "192.0.2.7:40000";
    for i in 0..10 {
        let wrong = format!("jeton-devine-numero-{i:04}-xxxxxxxx");
        let (s, body) = patch(&state, attacker, &wrong, 0).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "attempt {i}: {body}");
    }
    // Blocked: even the right token is not looked at.
    let (s, body) = patch(&state, attacker, ALICE, 0).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let (retry, message) = body.split_once('|').unwrap();
    let retry: u64 = retry.parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(message.contains("trop de jetons"), "{message}");
    // Another address is not affected.
    let (s, body) = patch(&state, "198.51.100.9:50000", ALICE, 0).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}
