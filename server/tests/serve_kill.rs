//! `kill -9` of the real `repere serve` while 8 editors write through its HTTP API (issue 12):
//! the store it leaves opens (GDAL's `ogrinfo` reads the GeoPackage as it was left, before any
//! reopening), holds every acknowledged edit (every edit answered 2xx), and a restarted
//! server serves them. On GeoPackage and on PostGIS.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use binary::{Server, bearer};

/// An edit the server acknowledged: actor, version, name written.
#[derive(Debug, Clone)]
struct Ack {
    id: String,
    version: u64,
    name: String,
}

/// A position in Rouen chosen by the test, nudged per edit.
fn point(editor: usize, i: usize) -> (f64, f64) {
    (
        1.08 + editor as f64 * 0.002,
        49.43 + (i % 50) as f64 * 0.0002,
    )
}

/// One editor: creates an actor, then alternately updates it and creates the next, until the
/// server stops answering. Every 2xx answer is recorded.
fn editor(server: &Server, e: usize, acks: &Mutex<Vec<Ack>>, stop: &AtomicBool) {
    let auth = bearer(e);
    let mut own: Option<(String, u64)> = None;
    for i in 0.. {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let name = format!("Acteur de test {e}-{i}");
        let (lon, lat) = point(e, i);
        let (method, path, version_header, body) = match &own {
            Some((id, v)) if i % 2 == 1 => (
                "PATCH",
                format!("/api/actors/{id}"),
                Some(format!("\"v{v}\"")),
                serde_json::json!({"name": name, "lon": lon, "lat": lat}),
            ),
            _ => (
                "POST",
                "/api/actors".to_owned(),
                None,
                serde_json::json!({"name": name, "kind": "ASSO", "lon": lon, "lat": lat, "reason": "test"}),
            ),
        };
        let mut headers = vec![("Authorization", auth.as_str())];
        if let Some(v) = &version_header {
            headers.push(("If-Match", v));
        }
        let Ok((status, text)) = binary::request(server.addr, method, &path, &headers, Some(body))
        else {
            return; // killed
        };
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        let c: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ack = Ack {
            id: c["edit"]["actor_id"].as_str().unwrap().to_owned(),
            version: c["edit"]["version"].as_u64().unwrap(),
            name,
        };
        own = Some((ack.id.clone(), ack.version));
        acks.lock().unwrap().push(ack);
    }
}

/// Runs 8 editors against `server`, kills it (SIGKILL) once `min_acks` edits are acknowledged,
/// with the editors still writing; returns the acknowledged edits.
fn write_then_kill(server: Server, min_acks: usize) -> Vec<Ack> {
    let acks = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for e in 0..8 {
            let (server, acks, stop) = (&server, &acks, &stop);
            s.spawn(move || editor(server, e, acks, stop));
        }
        binary::wait_for("acknowledged edits", || {
            acks.lock().unwrap().len() >= min_acks
        });
        // SIGKILL from a plain `kill -9`, with every editor in the middle of its next request.
        server.signal("KILL");
        stop.store(true, Ordering::Relaxed);
    });
    drop(server);
    acks.into_inner().unwrap()
}

/// Every acknowledged edit is in the reopened store with the name it wrote.
fn check_store(location: &str, acks: &[Ack]) {
    let location = location.to_owned();
    let edits = std::thread::spawn(move || {
        let store = repere_store::open(&location).unwrap();
        store.edits_since(0).unwrap()
    })
    .join()
    .unwrap();
    let kept: BTreeMap<(String, u64), String> = edits
        .iter()
        .map(|e| {
            (
                (e.actor_id.clone(), u64::from(e.version)),
                e.state.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(kept.len(), edits.len(), "one edit per actor version");
    for a in acks {
        assert_eq!(
            kept.get(&(a.id.clone(), a.version)),
            Some(&a.name),
            "acknowledged edit lost: {a:?}"
        );
    }
    // At most the 8 requests in flight committed without an answer.
    assert!(
        edits.len() <= acks.len() + 8,
        "{} edits for {} acknowledged",
        edits.len(),
        acks.len()
    );
}

/// A restarted server over the same store serves every acknowledged edit.
fn check_restart(store: &str, tokens: &str, acks: &[Ack]) {
    let server = Server::start(&[], &["--store", store, "--edit-token-file", tokens]);
    let (s, list) = server.json("GET", "/api/actors", &[], None);
    assert_eq!(s, 200);
    let served: BTreeMap<&str, (u64, &str)> = list["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap(),
                (a["version"].as_u64().unwrap(), a["name"].as_str().unwrap()),
            )
        })
        .collect();
    let mut last: BTreeMap<&str, &Ack> = BTreeMap::new();
    for a in acks {
        if last
            .get(a.id.as_str())
            .is_none_or(|b| b.version < a.version)
        {
            last.insert(&a.id, a);
        }
    }
    for (id, a) in last {
        let (version, name) = served
            .get(id)
            .copied()
            .unwrap_or_else(|| panic!("{id} not served"));
        assert!(
            version >= a.version,
            "{id}: version {version} < {}",
            a.version
        );
        if version == a.version {
            assert_eq!(name, a.name);
        }
    }
    server.stop();
}

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(args)
        .output()
        .expect("ogrinfo (Debian gdal-bin, installed by scripts/test.sh)");
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn kill_9_during_http_writes_keeps_every_acknowledged_edit_in_the_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = binary::tokens(dir.path());
    let store = dir.path().join("killed.gpkg");
    let (store_s, tokens_s) = (store.to_str().unwrap(), tokens.to_str().unwrap());
    let server = Server::start(&[], &["--store", store_s, "--edit-token-file", tokens_s]);
    let acks = write_then_kill(server, 16);
    eprintln!("{} edits acknowledged before kill -9", acks.len());
    // GDAL reads the file as the killed process left it (WAL and all).
    let layers = ogrinfo(&["-ro", store_s]);
    assert!(layers.contains("actors (Point)"), "{layers}");
    assert!(layers.contains("actor_edits"), "{layers}");
    let count = ogrinfo(&["-ro", "-so", store_s, "actor_edits"]);
    let n: usize = count
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        n >= acks.len(),
        "ogrinfo counts {n} edits for {} acknowledged",
        acks.len()
    );
    check_store(store_s, &acks);
    check_restart(store_s, tokens_s, &acks);
}

#[test]
fn kill_9_during_http_writes_keeps_every_acknowledged_edit_in_postgis() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let url = pg.database("killed").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokens = binary::tokens(dir.path());
    let tokens_s = tokens.to_str().unwrap();
    let server = Server::start(&[], &["--store", &url, "--edit-token-file", tokens_s]);
    let acks = write_then_kill(server, 16);
    eprintln!("{} edits acknowledged before kill -9", acks.len());
    check_store(&url, &acks);
    check_restart(&url, tokens_s, &acks);
}
