//! Editors' tokens on a running `repere serve` (issue 26 items 6 and 8): SIGHUP re-reads the
//! token file (a removed editor can no longer write; an unreadable file makes the server
//! read-only until a reload reads it), a token file others can read is warned about, wrong
//! tokens are logged with the client's address and the address is blocked after 10.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use std::os::unix::fs::PermissionsExt;

use binary::{EDITORS, Server, bearer, wait_for};

const ROUEN_ML: &str = "missions_locales:mission_locale-76540-01";

fn patch(server: &Server, auth: &str, version: u32, name: &str) -> (u16, serde_json::Value) {
    server.json(
        "PATCH",
        &format!("/api/actors/{ROUEN_ML}"),
        &[
            ("Authorization", auth),
            ("If-Match", &format!("\"v{version}\"")),
        ],
        Some(serde_json::json!({"name": name})),
    )
}

fn write_tokens(path: &std::path::Path, editors: &[(&str, &str)], mode: u32) {
    let text: String = editors.iter().map(|(n, t)| format!("{n}:{t}\n")).collect();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn sighup_rereads_the_token_file_and_wrong_tokens_are_logged_then_blocked() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    write_tokens(&tokens, &EDITORS, 0o644);
    let store = dir.path().join("repere.gpkg");
    let server = Server::start(
        &[],
        &[
            "--store",
            store.to_str().unwrap(),
            "--edit-token-file",
            tokens.to_str().unwrap(),
        ],
    );
    let (alice, bruno) = (bearer(0), bearer(1));
    let (s, c) = patch(&server, &bruno, 0, "Mission locale (bruno)");
    assert_eq!(s, 200, "{c}");

    // Bruno leaves: his line is removed, SIGHUP.
    let without_bruno: Vec<(&str, &str)> = EDITORS
        .iter()
        .copied()
        .filter(|(n, _)| *n != "bruno")
        .collect();
    write_tokens(&tokens, &without_bruno, 0o600);
    server.signal("HUP");
    wait_for("the reload", || server.health()["reloads_succeeded"] == 1);
    let (s, c) = patch(&server, &bruno, 1, "Mission locale (bruno, parti)");
    assert_eq!(s, 401, "a removed editor still writes: {c}");
    let (s, c) = patch(&server, &alice, 1, "Mission locale (alice)");
    assert_eq!(s, 200, "{c}");

    // A token file broken while being edited: read-only until a reload reads it again.
    std::fs::write(&tokens, "alice:court\n").unwrap();
    server.signal("HUP");
    wait_for("the failed reload", || {
        server.health()["last_reload"]["ok"] == false
    });
    let h = server.health();
    assert_eq!(h["status"], "reload_failed", "{h}");
    assert_eq!(
        h["last_reload"]["files"],
        serde_json::json!(["tokens"]),
        "{h}"
    );
    let (s, c) = patch(&server, &alice, 2, "Mission locale (fichier cassé)");
    assert_eq!(s, 403, "{c}");
    write_tokens(&tokens, &without_bruno, 0o600);
    server.signal("HUP");
    wait_for("the repaired reload", || {
        server.health()["reloads_succeeded"] == 2
    });
    let (s, c) = patch(&server, &alice, 2, "Mission locale de Rouen");
    assert_eq!(s, 200, "{c}");

    // Wrong tokens from this address: bruno's counted once; 9 more, then 429 for everything.
    for i in 0..9 {
        let wrong = format!("Bearer jeton-devine-numero-{i:04}-xxxxxxxx");
        let (s, c) = patch(&server, &wrong, 3, "x");
        assert_eq!(s, 401, "attempt {i}: {c}");
    }
    let (s, c) = patch(&server, &alice, 3, "Mission locale (bloquée)");
    assert_eq!(s, 429, "{c}");

    let log = server.stop();
    assert!(
        log.contains("fichier de jetons") && log.contains("lisible par d'autres"),
        "no warning for a token file others can read:\n{log}"
    );
    assert!(
        log.contains("jeton d'édition refusé pour 127.0.0.1"),
        "wrong tokens are not logged:\n{log}"
    );
    assert!(log.contains("adresse bloquée"), "{log}");
    assert_eq!(
        log.matches("jeton d'édition refusé").count(),
        10,
        "one line per failure up to the block:\n{log}"
    );
    assert!(
        log.contains("24 caractères"),
        "the broken token file's detail is logged:\n{log}"
    );
}
