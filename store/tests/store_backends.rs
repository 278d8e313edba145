//! Both backends on the same scenarios: GeoPackage read back by GDAL's `ogrinfo`, PostGIS on a
//! real temporary cluster; 8 concurrent editors × 125 edits (1 000): nothing lost or duplicated
//! after reopening, the same result on both; a `kill -9` during writes keeps every acknowledged
//! edit.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use repere_store::gpkg::GpkgStore;
use repere_store::postgis::PostgisStore;
use repere_store::testing::TempPostgres;
use repere_store::{ActorRecord, EditKind, NewEdit, Store, StoreError};

fn record(id: &str, name: &str, point: Option<(f64, f64)>) -> ActorRecord {
    ActorRecord {
        id: id.into(),
        source: "test".into(),
        name: name.into(),
        kind: "ML".into(),
        address: Some("33 avenue Champlain, 76000 Rouen".into()),
        commune: Some("76540".into()),
        opening_hours: BTreeMap::new(),
        lon: point.map(|p| p.0),
        lat: point.map(|p| p.1),
    }
}

fn edit(id: &str, expected: u32, author: &str, state: Option<ActorRecord>) -> NewEdit {
    NewEdit {
        actor_id: id.into(),
        expected_version: expected,
        kind: if state.is_some() {
            EditKind::Update
        } else {
            EditKind::Retire
        },
        author: author.into(),
        reason: Some("test".into()),
        state,
    }
}

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(args)
        .output()
        .expect("ogrinfo (Debian gdal-bin, installed by scripts/test.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_geopackage_is_read_by_ogrinfo_as_a_point_layer_in_wgs84() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventaire.gpkg");
    let store = GpkgStore::open(&path).unwrap();
    let base = [
        record("ml:rouen", "Mission locale de Rouen", None),
        record("ft:1", "France Travail Rouen", Some((1.0801, 49.4326))),
    ];
    store.publish_inventory(&base).unwrap();
    let placed = record(
        "ml:rouen",
        "Mission locale de Rouen",
        Some((1.0938, 49.4468)),
    );
    let e = store
        .append(edit("ml:rouen", 0, "alice", Some(placed)))
        .unwrap();
    assert_eq!((e.seq, e.version), (1, 1));
    // A second editor who saw version 0 gets a conflict naming the current version.
    let stale = store.append(edit("ml:rouen", 0, "bob", None)).unwrap_err();
    assert!(
        matches!(stale, StoreError::Conflict { current: 1, .. }),
        "{stale}"
    );
    drop(store);

    let p = path.display().to_string();
    let list = ogrinfo(&["-ro", &p]);
    assert!(list.contains("actors (Point)"), "{list}");
    assert!(list.contains("actor_edits"), "{list}");
    let summary = ogrinfo(&["-ro", "-so", &p, "actors"]);
    assert!(summary.contains("Feature Count: 2"), "{summary}");
    assert!(summary.contains("4326"), "{summary}");
    let features = ogrinfo(&["-ro", &p, "actors", "-where", "actor_id = 'ml:rouen'"]);
    assert!(features.contains("POINT (1.0938 49.4468)"), "{features}");
    assert!(features.contains("status (String) = actif"), "{features}");
    assert!(
        features.contains("updated_by (String) = alice"),
        "{features}"
    );
    let edits = ogrinfo(&["-ro", &p, "actor_edits"]);
    assert!(edits.contains("author (String) = alice"), "{edits}");
}

/// 8 editors, each with its own connection, 125 edits each: even edits hit one of 4 shared
/// actors (retrying on conflict with the version it reads back), odd edits its own actors.
fn hammer(open: &(dyn Fn() -> Box<dyn Store> + Sync)) -> BTreeMap<String, (usize, String)> {
    std::thread::scope(|s| {
        for t in 0..8 {
            s.spawn(move || {
                let store = open();
                for i in 0..125 {
                    let id = if i % 2 == 0 {
                        format!("shared-{}", i % 4)
                    } else {
                        format!("own-{t}-{}", i % 5)
                    };
                    let name = format!("t{t}-e{i}");
                    loop {
                        let v = store.history(&id).unwrap().last().map_or(0, |e| e.version);
                        match store.append(edit(
                            &id,
                            v,
                            &format!("editor{t}"),
                            Some(record(&id, &name, Some((1.09, 49.44)))),
                        )) {
                            Ok(_) => break,
                            Err(StoreError::Conflict { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            });
        }
    });
    let store = open();
    let edits = store.edits_since(0).unwrap();
    assert_eq!(edits.len(), 1000, "every edit kept");
    let seqs: BTreeSet<i64> = edits.iter().map(|e| e.seq).collect();
    assert_eq!(seqs.len(), 1000, "no duplicated sequence number");
    let mut per_actor: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for e in &edits {
        per_actor
            .entry(e.actor_id.clone())
            .or_default()
            .push(e.version);
    }
    for (id, versions) in &per_actor {
        let expected: Vec<u32> = (1..=versions.len() as u32).collect();
        assert_eq!(
            versions, &expected,
            "{id}: versions 1..n in commit order, none twice"
        );
    }
    assert_eq!(store.head().unwrap(), *seqs.last().unwrap());
    // What is deterministic whatever the interleaving: edits per actor, and the final state of
    // each editor's own actors.
    per_actor
        .iter()
        .map(|(id, v)| {
            let last = edits.iter().rev().find(|e| &e.actor_id == id).unwrap();
            let name = if id.starts_with("own-") {
                last.state.as_ref().unwrap().name.clone()
            } else {
                String::new()
            };
            (id.clone(), (v.len(), name))
        })
        .collect()
}

#[test]
fn eight_concurrent_editors_lose_and_duplicate_nothing_on_both_stores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("concurrent.gpkg");
    let gpkg = hammer(&|| Box::new(GpkgStore::open(&path).unwrap()));
    let pg = TempPostgres::start().unwrap();
    let url = pg.database("concurrent").unwrap();
    let postgis = hammer(&|| Box::new(PostgisStore::connect(&url).unwrap()));
    assert_eq!(gpkg, postgis, "same result on both stores");
    assert_eq!(gpkg["shared-0"].0, 8 * 32);
    assert_eq!(gpkg["own-3-4"], (12, "t3-e119".to_owned()));
}

/// The child side of the kill test: appends edits forever, printing each acknowledged seq.
#[test]
fn writer_child() {
    let Ok(location) = std::env::var("REPERE_STORE_WRITER") else {
        return;
    };
    let store = repere_store::open(&location).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let id = format!("a{}", i % 7);
        let v = store.history(&id).unwrap().last().map_or(0, |e| e.version);
        let e = store
            .append(edit(
                &id,
                v,
                "writer",
                Some(record(&id, &format!("n{i}"), Some((1.09, 49.44)))),
            ))
            .unwrap();
        writeln!(out, "ack {}", e.seq).unwrap();
        out.flush().unwrap();
    }
}

fn kill_during_writes(location: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
        .env("REPERE_STORE_WRITER", location)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acked = Vec::new();
    while acked.len() < 300 {
        let line = lines.next().unwrap().unwrap();
        if let Some(seq) = line.strip_prefix("ack ") {
            acked.push(seq.parse::<i64>().unwrap());
        }
    }
    child.kill().unwrap(); // SIGKILL
    for line in lines.map_while(Result::ok) {
        if let Some(seq) = line.strip_prefix("ack ") {
            acked.push(seq.parse::<i64>().unwrap());
        }
    }
    child.wait().unwrap();
    let store = repere_store::open(location).unwrap();
    let kept: BTreeSet<i64> = store
        .edits_since(0)
        .unwrap()
        .iter()
        .map(|e| e.seq)
        .collect();
    for seq in &acked {
        assert!(kept.contains(seq), "acknowledged edit {seq} lost");
    }
    // The store still takes edits after the crash.
    let v = store.history("a0").unwrap().last().map_or(0, |e| e.version);
    store.append(edit("a0", v, "after", None)).unwrap();
}

#[test]
fn a_kill_9_during_writes_keeps_every_acknowledged_edit() {
    let dir = tempfile::tempdir().unwrap();
    kill_during_writes(&dir.path().join("killed.gpkg").display().to_string());
    let pg = TempPostgres::start().unwrap();
    kill_during_writes(&pg.database("killed").unwrap());
}
