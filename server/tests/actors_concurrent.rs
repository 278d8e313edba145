//! Concurrent editors through the HTTP API (`app()` with real stores, issue 12): 8 editors as
//! tokio tasks create and update their own actors and fight over one shared actor (retrying
//! on 412 with the version they read back). After a restart nothing acknowledged is lost,
//! nothing is duplicated, and the final inventory is the same on GeoPackage and PostGIS.
//!
//! The normal run makes 8 × 6 edits per store; `REPERE_EDITS_PER_EDITOR` changes it, and the
//! ignored test makes 8 × 125 = 1 000 (`cargo test --release -p repere-server --test
//! actors_concurrent -- --ignored`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use repere_server::AppState;
use repere_server::inventory::EditTokens;

/// A base actor every editor updates.
const SHARED: &str = "france_services:440";
const EDITORS: usize = 8;

fn tokens(dir: &std::path::Path) -> EditTokens {
    let text: String = (0..EDITORS)
        .map(|e| format!("editeur{e}:jeton-editeur-{e}-0123456789\n"))
        .collect();
    common::edit_tokens(dir, &text)
}

fn serve(store: &str, tokens: EditTokens) -> AppState {
    common::editable_state(Some(store), Some(tokens))
}

async fn json(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let (s, _, v) = common::request_json(state, method, url, headers, body).await;
    (s, v)
}

/// An acknowledged edit.
#[derive(Debug, Clone)]
struct Ack {
    id: String,
    version: u64,
    name: String,
}

/// A position in Rouen chosen by the test, per editor and edit.
fn point(e: usize, i: usize) -> (f64, f64) {
    (1.08 + e as f64 * 0.002, 49.43 + (i % 50) as f64 * 0.0002)
}

async fn editor(state: AppState, e: usize, edits: usize) -> Vec<Ack> {
    let auth = format!("Bearer jeton-editeur-{e}-0123456789");
    let mut acks = Vec::new();
    let mut own: Option<(String, u64)> = None;
    for i in 0..edits {
        let (lon, lat) = point(e, i);
        if i % 3 == 1 {
            // The shared actor: read its version, write, retry on 412.
            loop {
                let (_, a) = json(&state, "GET", &format!("/api/actors/{SHARED}"), &[], None).await;
                let v = a["version"].as_u64().unwrap();
                let name = format!("France services partagée, version {}", v + 1);
                let (s, c) = json(
                    &state,
                    "PATCH",
                    &format!("/api/actors/{SHARED}"),
                    &[("authorization", &auth), ("if-match", &format!("\"v{v}\""))],
                    Some(serde_json::json!({"name": name})),
                )
                .await;
                if s == StatusCode::PRECONDITION_FAILED {
                    continue;
                }
                assert_eq!(s, StatusCode::OK, "{c}");
                acks.push(Ack {
                    id: SHARED.into(),
                    version: c["edit"]["version"].as_u64().unwrap(),
                    name,
                });
                break;
            }
            continue;
        }
        let name = format!("Acteur de test {e}-{i}");
        let (s, c) =
            match &own {
                Some((id, v)) if i % 3 == 2 => {
                    json(
                        &state,
                        "PATCH",
                        &format!("/api/actors/{id}"),
                        &[("authorization", &auth), ("if-match", &format!("\"v{v}\""))],
                        Some(serde_json::json!({"name": name, "lon": lon, "lat": lat})),
                    )
                    .await
                }
                _ => json(
                    &state,
                    "POST",
                    "/api/actors",
                    &[("authorization", &auth)],
                    Some(serde_json::json!({"name": name, "kind": "ASSO", "lon": lon, "lat": lat})),
                )
                .await,
            };
        assert!(s.is_success(), "{s} {c}");
        let ack = Ack {
            id: c["edit"]["actor_id"].as_str().unwrap().to_owned(),
            version: c["edit"]["version"].as_u64().unwrap(),
            name,
        };
        own = Some((ack.id.clone(), ack.version));
        acks.push(ack);
    }
    acks
}

/// What is the same whatever the interleaving: every actor's name, kind, point, status and
/// version (ids of created actors are drawn by the server, so they are left out).
type FinalInventory = Vec<(String, String, String, String, u64)>;

/// Runs the editors on `store`, restarts, checks, and returns the final inventory.
async fn run(store: &str, per_editor: usize) -> FinalInventory {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(store, tokens(dir.path()));
    let started = std::time::Instant::now();
    let tasks: Vec<_> = (0..EDITORS)
        .map(|e| tokio::spawn(editor(state.clone(), e, per_editor)))
        .collect();
    let mut acks = Vec::new();
    for t in tasks {
        acks.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    assert_eq!(acks.len(), EDITORS * per_editor);
    eprintln!(
        "{store}: {} edits by {EDITORS} editors in {:.1} s ({:.0} ms per edit)",
        acks.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / acks.len() as f64
    );
    drop(state);

    // The log as the store keeps it: exactly the acknowledged edits.
    let location = store.to_owned();
    let log = std::thread::spawn(move || {
        repere_store::open(&location)
            .unwrap()
            .edits_since(0)
            .unwrap()
    })
    .join()
    .unwrap();
    assert_eq!(
        log.len(),
        acks.len(),
        "edits in the store = edits acknowledged"
    );
    let logged: BTreeMap<(String, u64), String> = log
        .iter()
        .map(|e| {
            (
                (e.actor_id.clone(), u64::from(e.version)),
                e.state.as_ref().unwrap().name.clone(),
            )
        })
        .collect();
    assert_eq!(logged.len(), log.len(), "no actor version twice");
    for a in &acks {
        assert_eq!(
            logged.get(&(a.id.clone(), a.version)),
            Some(&a.name),
            "{a:?}"
        );
    }

    // Restart: a new server over the same store.
    let restarted = serve(store, tokens(dir.path()));
    restarted
        .inventory
        .clone()
        .unwrap()
        .catch_up(&restarted)
        .await
        .unwrap();
    let (_, list) = json(&restarted, "GET", "/api/actors", &[], None).await;
    let actors = list["actors"].as_array().unwrap();
    let by_id: BTreeMap<&str, &serde_json::Value> = actors
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a))
        .collect();
    let mut last: BTreeMap<&str, &Ack> = BTreeMap::new();
    for a in &acks {
        if last
            .get(a.id.as_str())
            .is_none_or(|b| b.version < a.version)
        {
            last.insert(&a.id, a);
        }
    }
    for (id, a) in &last {
        let served = by_id[id];
        assert_eq!(served["version"], a.version, "{id}");
        assert_eq!(served["name"], a.name.as_str(), "{id}");
    }
    let shared = acks.iter().filter(|a| a.id == SHARED).count() as u64;
    assert_eq!(by_id[SHARED]["version"], shared);
    let created = last.keys().filter(|id| id.starts_with("edits:")).count();
    assert_eq!(
        actors.len(),
        common::analysis().dataset().inventory().len() + created,
        "no actor twice"
    );
    let mut inventory: FinalInventory = actors
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["kind"].to_string(),
                format!("{} {}", a["lon"], a["lat"]),
                a["status"].to_string(),
                a["version"].as_u64().unwrap(),
            )
        })
        .collect();
    inventory.sort();
    inventory
}

async fn both_stores(per_editor: usize) {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = run(
        &dir.path().join("concurrent.gpkg").display().to_string(),
        per_editor,
    )
    .await;
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let postgis = run(&pg.database("concurrent").unwrap(), per_editor).await;
    assert_eq!(gpkg, postgis, "same final inventory on both stores");
}

fn per_editor(default: usize) -> usize {
    std::env::var("REPERE_EDITS_PER_EDITOR")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_concurrent_editors_lose_and_duplicate_nothing_on_both_stores() {
    both_stores(per_editor(6)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "1 000 edits: minutes; run with --release"]
async fn eight_concurrent_editors_1000_edits_on_both_stores() {
    both_stores(125).await;
}

/// A replica that has not yet seen an edit made through another must not merge a PATCH onto
/// its stale copy of the actor: the fields the PATCH leaves out keep the other edit's values.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patch_through_a_lagging_replica_keeps_the_other_replicas_edit() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let db = pg.database("lagging").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = serve(&db, tokens(dir.path()));
    let b = serve(&db, tokens(dir.path()));
    let url = format!("/api/actors/{SHARED}");
    let auth = ("authorization", "Bearer jeton-editeur-0-0123456789");
    let (s, c) = json(
        &a,
        "PATCH",
        &url,
        &[auth, ("if-match", "\"v0\"")],
        Some(serde_json::json!({"name": "France services renommée par A"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    // B has not polled yet; the editor saw version 1 through A and patches another field.
    let (s, c) = json(
        &b,
        "PATCH",
        &url,
        &[auth, ("if-match", "\"v1\"")],
        Some(serde_json::json!({"address": "Adresse corrigée par B"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (_, seen) = json(&b, "GET", &url, &[], None).await;
    assert_eq!(seen["version"], 2);
    assert_eq!(seen["address"], "Adresse corrigée par B");
    assert_eq!(
        seen["name"], "France services renommée par A",
        "B merged the PATCH onto its stale copy: A's edit is lost"
    );
}
