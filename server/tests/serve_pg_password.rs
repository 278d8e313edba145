//! `repere serve` on a PostGIS that requires a password, without the password on the command
//! line (issue 26 item 9): `--store-password-file` or `PGPASSWORD`; without any, the server
//! refuses to start and says in French what is missing.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use std::os::unix::fs::PermissionsExt;

use binary::Server;

const PASSWORD: &str = "mot-de-passe-de-la-base-repere";

#[test]
fn serve_reads_the_postgis_password_from_a_file_or_pgpassword_never_the_command_line() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let url = pg.owned_database("motdepasse", "repere", PASSWORD).unwrap();
    pg.require_passwords().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokens = binary::tokens(dir.path());
    let tokens = tokens.to_str().unwrap();
    let home = dir.path().to_str().unwrap();

    // No password anywhere (HOME without .pgpass): refused, in French, saying where to put it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(["serve", "--addr", "127.0.0.1:0", "--basemap", "none"])
        .args(["--store", &url, "--edit-token-file", tokens])
        .env_remove("PGPASSWORD")
        .env_remove("PGPASSFILE")
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mot de passe") && stderr.contains("--store-password-file"),
        "{stderr}"
    );
    assert!(!stderr.contains("password missing"), "{stderr}");

    // --store-password-file.
    let file = dir.path().join("mot-de-passe");
    std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let env = [("HOME", home), ("PGPASSWORD", "")];
    let server = Server::start_with_env(
        &[],
        &[
            "--store",
            &url,
            "--store-password-file",
            file.to_str().unwrap(),
            "--edit-token-file",
            tokens,
        ],
        &env,
    );
    assert_eq!(server.health()["store"], "ok");
    server.stop();

    // PGPASSWORD.
    let env = [("HOME", home), ("PGPASSWORD", PASSWORD)];
    let server = Server::start_with_env(&[], &["--store", &url, "--edit-token-file", tokens], &env);
    assert_eq!(server.health()["store"], "ok");
    let (s, c) = server.json(
        "PATCH",
        "/api/actors/missions_locales:mission_locale-76540-01",
        &[
            ("Authorization", &binary::bearer(0)),
            ("If-Match", "\"v0\""),
        ],
        Some(serde_json::json!({"name": "Mission locale de Rouen"})),
    );
    assert_eq!(s, 200, "{c}");
    server.stop();
}
