//! PostgreSQL restarts under two real `repere serve` replicas (issue 26 item 1): the test
//! stops the cluster (`pg_ctl stop`, fast), edits answer 503 with a French cause and `/health`
//! says the store is degraded; the cluster starts again, both replicas reconnect by themselves,
//! an edit through one is served by the other, and the log says so once instead of twice a
//! second.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/binary.rs"]
mod binary;

use std::time::{Duration, Instant};

use binary::{Server, bearer, wait_for};

const ROUEN_ML: &str = "missions_locales:mission_locale-76540-01";

fn patch(server: &Server, version: u32, name: &str) -> (u16, serde_json::Value) {
    server.json(
        "PATCH",
        &format!("/api/actors/{ROUEN_ML}"),
        &[
            ("Authorization", &bearer(0)),
            ("If-Match", &format!("\"v{version}\"")),
        ],
        Some(serde_json::json!({"name": name})),
    )
}

#[test]
fn replicas_answer_503_while_postgres_is_down_and_catch_up_after_it_restarts() {
    let pg = repere_store::testing::TempPostgres::start().unwrap();
    let url = pg.database("restart").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokens = binary::tokens(dir.path());
    let args = [
        "--store",
        &url,
        "--edit-token-file",
        tokens.to_str().unwrap(),
    ];
    let a = Server::start(&[], &args);
    let b = Server::start(&[], &args);
    let (s, c) = patch(&a, 0, "Mission locale (avant l'arrêt)");
    assert_eq!(s, 200, "{c}");
    assert_eq!(a.health()["store"], "ok");

    pg.stop().unwrap();
    // An edit while the database is down: 503 with a French cause, never a bare 500.
    let (s, c) = patch(&a, 1, "Mission locale (base arrêtée)");
    assert_eq!(s, 503, "{c}");
    let message = c["error"].as_str().unwrap();
    assert!(
        message.contains("magasin d'acteurs indisponible") && message.contains("réessayez"),
        "{message}"
    );
    assert!(!message.contains("connection"), "English cause: {message}");
    // /health says the store is degraded (still 200: reads are served).
    for server in [&a, &b] {
        wait_for("the store reported degraded", || {
            server.health()["store"] == "degraded"
        });
        let h = server.health();
        assert_eq!(h["status"], "degraded", "{h}");
        assert!(
            h["store_error"].as_str().unwrap().contains("PostgreSQL"),
            "{h}"
        );
    }
    let (s, _) = a.json("GET", &format!("/api/actors/{ROUEN_ML}"), &[], None);
    assert_eq!(s, 200, "reads are still served");
    // Long enough for the log to have repeated itself many times before the fix.
    std::thread::sleep(Duration::from_secs(3));

    pg.start_again().unwrap();
    let restarted = Instant::now();
    for server in [&a, &b] {
        wait_for("the replica to reconnect", || {
            server.health()["store"] == "ok"
        });
    }
    eprintln!(
        "both replicas reconnected {} ms after the restart",
        restarted.elapsed().as_millis()
    );
    assert_eq!(a.health()["status"], "ok");

    // Edits work again and the other replica catches up.
    let name = "Mission locale (après le redémarrage)";
    let (s, c) = patch(&a, 1, name);
    assert_eq!(s, 200, "{c}");
    wait_for("the other replica to serve the edit", || {
        let (_, seen) = b.json("GET", &format!("/api/actors/{ROUEN_ML}"), &[], None);
        seen["name"] == name && seen["version"] == 2
    });
    let (s, c) = patch(&b, 2, "Mission locale de Rouen");
    assert_eq!(s, 200, "{c}");
    wait_for("the first replica to serve the edit", || {
        let (_, seen) = a.json("GET", &format!("/api/actors/{ROUEN_ML}"), &[], None);
        seen["version"] == 3
    });

    let log = a.stop();
    b.stop();
    let repeated = log.matches("non appliquées").count();
    assert!(
        (1..=5).contains(&repeated),
        "the store failure is logged {repeated} times:\n{log}"
    );
    assert!(log.contains("de nouveau joignable"), "{log}");
}
