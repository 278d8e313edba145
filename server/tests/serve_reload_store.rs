//! SIGHUP reloads the territory AND the store (issue 16 item 6): `repere serve` with a
//! GeoPackage store takes an edit, a territory file is changed, SIGHUP; the changed file and
//! the edit are both served. Then a file is broken, SIGHUP: the previous analysis (with the
//! edit and the change) keeps serving and `/health` says the reload failed.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use binary::{Server, bearer, wait_for};

const ROUEN_ML: &str = "missions_locales:mission_locale-76540-01";
const FRANCE_SERVICES_440: &str = "france_services:440";
/// Where the test "drops" the marker: a position in Rouen chosen by the test.
const DROP: (f64, f64) = (1.0938, 49.4300);

fn name(server: &Server, id: &str) -> serde_json::Value {
    let (s, a) = server.json("GET", &format!("/api/actors/{id}"), &[], None);
    assert_eq!(s, 200, "{a}");
    a["name"].clone()
}

fn rouen_ml(server: &Server) -> (serde_json::Value, serde_json::Value) {
    let (s, a) = server.json("GET", &format!("/api/actors/{ROUEN_ML}"), &[], None);
    assert_eq!(s, 200, "{a}");
    let (_, c) = server.json("GET", "/api/communes/76540", &[], None);
    (
        a["status"].clone(),
        c["nearest_actor_by_group_centroid"]["ML"]["distance_m"].clone(),
    )
}

#[test]
fn sighup_reloads_the_changed_territory_with_the_store_edits_or_keeps_the_previous_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = binary::territory_copy(dir.path());
    let tokens = binary::tokens(dir.path());
    let store = dir.path().join("repere.gpkg");
    let server = Server::start(
        &["--territory", manifest.to_str().unwrap()],
        &[
            "--store",
            store.to_str().unwrap(),
            "--edit-token-file",
            tokens.to_str().unwrap(),
        ],
    );
    let auth = bearer(0);
    let (s, c) = server.json(
        "PATCH",
        &format!("/api/actors/{ROUEN_ML}"),
        &[("Authorization", &auth), ("If-Match", "\"v0\"")],
        Some(serde_json::json!({"lon": DROP.0, "lat": DROP.1, "reason": "placée"})),
    );
    assert_eq!(s, 200, "{c}");
    let (status, distance) = rouen_ml(&server);
    assert_eq!(status, "placed");
    assert!(distance.as_f64().is_some(), "{distance}");
    let original = name(&server, FRANCE_SERVICES_440);
    assert!(original.as_str().unwrap().contains("Antenne de Rouen"));
    let edited_version = server.health()["version"].as_str().unwrap().to_owned();

    // A territory file changes: France services 440 renamed in its source.
    let csv = dir.path().join("data/actors/france_services_76_2024.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let renamed = "France services de Rouen (renommée)";
    let changed = text.replacen(original.as_str().unwrap(), renamed, 1);
    assert_ne!(changed, text);
    std::fs::write(&csv, &changed).unwrap();
    server.signal("HUP");
    wait_for("the reload", || server.health()["reloads_succeeded"] == 1);
    let reloaded = server.health();
    assert_eq!(reloaded["status"], "ok", "{reloaded}");
    assert_eq!(reloaded["last_reload"]["ok"], true, "{reloaded}");
    assert_ne!(
        reloaded["version"],
        edited_version.as_str(),
        "new data, new version"
    );
    assert_eq!(
        name(&server, FRANCE_SERVICES_440),
        renamed,
        "the changed file is served"
    );
    assert_eq!(
        rouen_ml(&server),
        (status.clone(), distance.clone()),
        "the store's edit is laid over the reloaded territory"
    );
    let (_, a) = server.json("GET", &format!("/api/actors/{ROUEN_ML}"), &[], None);
    assert_eq!(a["version"], 1, "{a}");
    let good_version = reloaded["version"].as_str().unwrap().to_owned();

    // Editing still works on the reloaded base, with the version it had.
    let (s, c) = server.json(
        "PATCH",
        &format!("/api/actors/{ROUEN_ML}"),
        &[("Authorization", &auth), ("If-Match", "\"v1\"")],
        Some(serde_json::json!({"name": "Mission locale de Rouen"})),
    );
    assert_eq!(s, 200, "{c}");
    let after_edit = server.health()["version"].as_str().unwrap().to_owned();
    assert_ne!(after_edit, good_version);

    // A broken file: the reload fails, the previous analysis (edits included) keeps serving.
    std::fs::write(&csv, "id_fs,insee_dep\n440,76\n").unwrap();
    server.signal("HUP");
    wait_for("the failed reload", || {
        server.health()["last_reload"]["ok"] == false
    });
    let failed = server.health();
    assert_eq!(failed["status"], "reload_failed", "{failed}");
    assert_eq!(failed["reloads_succeeded"], 1);
    assert_eq!(failed["version"], after_edit.as_str(), "{failed}");
    // Public health names the file relative to the manifest, and nothing of its path or
    // contents (issue 26 item 5); the detail goes to the log.
    assert_eq!(
        failed["last_reload"]["files"],
        serde_json::json!(["actors/france_services_76_2024.csv"]),
        "{failed}"
    );
    let public = failed.to_string();
    assert!(
        !public.contains(dir.path().to_str().unwrap()) && !public.contains("insee_dep"),
        "/health leaks the reload error: {public}"
    );
    assert_eq!(name(&server, FRANCE_SERVICES_440), renamed);
    assert_eq!(name(&server, ROUEN_ML), "Mission locale de Rouen");
    assert_eq!(rouen_ml(&server), (status, distance));

    // Repaired: the next reload succeeds again, edits still there.
    std::fs::write(&csv, &changed).unwrap();
    server.signal("HUP");
    wait_for("the repaired reload", || {
        server.health()["reloads_succeeded"] == 2
    });
    assert_eq!(server.health()["version"], after_edit.as_str());
    assert_eq!(name(&server, ROUEN_ML), "Mission locale de Rouen");
    let log = server.stop();
    assert!(log.contains("territoire rechargé"), "{log}");
    assert!(log.contains("échec du rechargement"), "{log}");
    assert!(
        log.contains("france_services_76_2024.csv"),
        "the log keeps the detail: {log}"
    );
}
