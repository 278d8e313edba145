//! The server and the command line write byte-identical diagnostics JSON for the same territory:
//! both serialise what `Analysis::find_commune` / `Analysis::find_qpv` return.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use axum::http::StatusCode;

fn cli(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_repere"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test]
async fn server_and_cli_write_the_same_commune_and_qpv_diagnostics() {
    for (flag, code, url) in [
        ("--commune", "76540", "/api/communes/76540"),
        ("--qpv", "QN07620M", "/api/qpv/QN07620M"),
    ] {
        let (status, _, body) = common::get(url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        let mut expected = body.to_vec();
        expected.push(b'\n');
        let printed = cli(&["diagnose", flag, code, "--format", "json"]);
        assert!(
            printed == expected,
            "{url}: CLI and server differ\nCLI:    {}\nserver: {}",
            String::from_utf8_lossy(&printed),
            String::from_utf8_lossy(&expected)
        );
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], code);
    }
    // The commune document carries its priority in both.
    let v: serde_json::Value = serde_json::from_slice(&cli(&[
        "diagnose",
        "--commune",
        "76540",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(v["priority"]["rank"].as_u64().unwrap() >= 1);
}
