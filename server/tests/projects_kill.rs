//! `kill -9` of the real `repere serve` while 4 owners create and save projects through its
//! HTTP API (issue 29): the reopened store holds every acknowledged save (every 2xx answer) with
//! the title it wrote, and a restarted server opens each project by its read link, refuses a
//! wrong edit key (403, French) and the read link alone, and takes the right key. On GeoPackage
//! and on PostGIS.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use binary::Server;
use serde_json::{Value, json};

/// A save the server acknowledged.
#[derive(Debug, Clone)]
struct Ack {
    id: String,
    key: String,
    version: u64,
    title: String,
}

/// A project written by the test: one site at a position in Rouen chosen by the test.
fn body(title: &str, owner: usize, i: usize) -> Value {
    json!({
        "title": title,
        "organisation": {"name": format!("Association d'essai {owner}")},
        "sites": [{"name": "Permanence", "lon": 1.08 + owner as f64 * 0.002, "lat": 49.43 + (i % 50) as f64 * 0.0002,
                   "services": ["ML", "FT"], "opening_hours": {"mardi": "09:00-12:00"}}]
    })
}

/// One owner: creates a project, then saves it and creates the next in turn, until the server
/// stops answering.
fn owner(server: &Server, o: usize, acks: &Mutex<Vec<Ack>>, stop: &AtomicBool) {
    let mut own: Option<(String, String)> = None;
    for i in 0.. {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let title = format!("Projet {o}-{i}");
        let (method, path) = match &own {
            Some((id, key)) if i % 2 == 1 => ("PUT", format!("/api/projects/{id}?key={key}")),
            _ => ("POST", "/api/projects".to_owned()),
        };
        let Ok((status, text)) =
            binary::request(server.addr, method, &path, &[], Some(body(&title, o, i)))
        else {
            return; // killed
        };
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {text}"
        );
        let v: Value = serde_json::from_str(&text).unwrap();
        let id = v["id"].as_str().unwrap().to_owned();
        let key = match &own {
            Some((oid, k)) if *oid == id => k.clone(),
            _ => v["edit_key"].as_str().unwrap().to_owned(),
        };
        acks.lock().unwrap().push(Ack {
            id: id.clone(),
            key: key.clone(),
            version: v["version"].as_u64().unwrap(),
            title,
        });
        own = Some((id, key));
    }
}

fn write_then_kill(server: Server, min_acks: usize) -> Vec<Ack> {
    let acks = Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        for o in 0..4 {
            let (server, acks, stop) = (&server, &acks, &stop);
            s.spawn(move || owner(server, o, acks, stop));
        }
        binary::wait_for("acknowledged saves", || {
            acks.lock().unwrap().len() >= min_acks
        });
        server.signal("KILL");
        stop.store(true, Ordering::Relaxed);
    });
    drop(server);
    acks.into_inner().unwrap()
}

/// The latest acknowledged save of each project.
fn latest(acks: &[Ack]) -> BTreeMap<&str, &Ack> {
    let mut last: BTreeMap<&str, &Ack> = BTreeMap::new();
    for a in acks {
        if last
            .get(a.id.as_str())
            .is_none_or(|b| b.version < a.version)
        {
            last.insert(&a.id, a);
        }
    }
    last
}

fn check_store(location: &str, acks: &[Ack]) {
    let location = location.to_owned();
    let stored = std::thread::spawn(move || {
        repere_store::projects::open(&location)
            .unwrap()
            .list()
            .unwrap()
    })
    .join()
    .unwrap();
    let by_id: BTreeMap<&str, _> = stored.iter().map(|p| (p.id.as_str(), p)).collect();
    for (id, a) in latest(acks) {
        let p = by_id
            .get(id)
            .unwrap_or_else(|| panic!("acknowledged project lost: {a:?}"));
        assert!(
            u64::from(p.version) >= a.version,
            "{id}: {} < {}",
            p.version,
            a.version
        );
        if u64::from(p.version) == a.version {
            assert_eq!(p.title, a.title);
            assert_eq!(p.data["title"], a.title.as_str());
        }
        assert_eq!(p.secret_sha256.len(), 64, "the key is kept hashed");
        assert_ne!(p.secret_sha256, a.key);
    }
}

fn check_restart(store: &str, acks: &[Ack]) {
    let server = Server::start(&[], &["--store", store]);
    for (id, a) in latest(acks) {
        let (s, v) = server.json("GET", &format!("/api/projects/{id}"), &[], None);
        assert_eq!(s, 200, "{v}");
        assert!(v["version"].as_u64().unwrap() >= a.version);
    }
    let (id, a) = latest(acks).into_iter().next().unwrap();
    let url = format!("/api/projects/{id}");
    let (s, e) = server.json(
        "PUT",
        &url,
        &[("X-Edit-Key", "0000")],
        Some(body("Piraté", 0, 0)),
    );
    assert_eq!(s, 403, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("clé d'édition incorrecte"),
        "{e}"
    );
    let (s, e) = server.json("PUT", &url, &[], Some(body("Piraté", 0, 0)));
    assert_eq!(s, 403, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("lecture seule"),
        "{e}"
    );
    let (s, v) = server.json(
        "PUT",
        &url,
        &[("X-Edit-Key", &a.key)],
        Some(body("Rouvert après redémarrage", 0, 0)),
    );
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["project"]["title"], "Rouvert après redémarrage");
    server.stop();
}

#[test]
fn kill_9_during_project_saves_keeps_every_acknowledged_save_in_the_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("projets.gpkg");
    let store_s = store.to_str().unwrap();
    let server = Server::start(&[], &["--store", store_s]);
    let acks = write_then_kill(server, 24);
    eprintln!("{} saves acknowledged before kill -9", acks.len());
    check_store(store_s, &acks);
    check_restart(store_s, &acks);
}

#[test]
fn kill_9_during_project_saves_keeps_every_acknowledged_save_in_postgis() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let url = pg.database("projets_tues").unwrap();
    let server = Server::start(&[], &["--store", &url]);
    let acks = write_then_kill(server, 24);
    eprintln!("{} saves acknowledged before kill -9", acks.len());
    check_store(&url, &acks);
    check_restart(&url, &acks);
}
