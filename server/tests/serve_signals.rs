//! `repere serve` under signals, as an operator sends them to the built binary: SIGHUP reloads
//! the territory (a broken one leaves the previous analysis serving and `/health` says so),
//! SIGTERM lets the request in flight finish, then the process exits 0.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} failed");
}

/// `GET path` over a fresh connection: status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: repere\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    parse(&answer)
}

fn parse(answer: &str) -> (u16, String) {
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

fn health(addr: SocketAddr) -> serde_json::Value {
    let (status, body) = get(addr, "/health");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sighup_reloads_or_keeps_the_previous_analysis_and_sigterm_drains_then_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../data"),
        dir.path(),
    );
    let manifest = dir.path().join("territory.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_repere"))
        .arg("--territory")
        .arg(&manifest)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut addr = None;
    let mut line = String::new();
    while addr.is_none() {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the server ended before serving"
        );
        if let Some(rest) = line.split("servi sur http://").nth(1) {
            addr = rest.trim().trim_end_matches('/').parse::<SocketAddr>().ok();
        }
    }
    let addr = addr.unwrap();
    // Keep draining the log so that the server never blocks on a full pipe.
    let log = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stderr.read_to_string(&mut rest);
        rest
    });

    let before = health(addr);
    assert_eq!(before["status"], "ok");
    assert_eq!(before["last_reload"], serde_json::Value::Null);
    let version = before["version"].as_str().unwrap().to_owned();

    // A good reload.
    signal(&child, "HUP");
    wait_for("the first reload", || {
        health(addr)["reloads_succeeded"] == 1
    });
    let after = health(addr);
    assert_eq!(after["last_reload"]["ok"], true, "{after}");
    assert_eq!(after["status"], "ok");
    assert_eq!(
        after["version"],
        version.as_str(),
        "same files, same version"
    );

    // A broken territory: the reload fails, the previous analysis keeps serving.
    std::fs::write(&manifest, "[territory\nname = ").unwrap();
    signal(&child, "HUP");
    wait_for("the failed reload", || {
        health(addr)["last_reload"]["ok"] == false
    });
    let failed = health(addr);
    assert_eq!(failed["status"], "reload_failed", "{failed}");
    assert_eq!(failed["version"], version.as_str());
    // The file at fault by its name; the detail (path, contents) in the log only.
    assert_eq!(
        failed["last_reload"]["files"],
        serde_json::json!(["territory.toml"]),
        "{failed}"
    );
    assert!(failed["last_reload"].get("error").is_none(), "{failed}");
    let (status, _) = get(addr, "/api/communes");
    assert_eq!(status, 200, "the previous analysis no longer serves");

    // SIGTERM while a request is in flight (its body half sent): it still gets its answer.
    let body = "lon,lat\n1.0993,49.4431\n";
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "POST /api/coverage?minutes=5 HTTP/1.1\r\nHost: repere\r\nContent-Type: text/csv\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..8]
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(&body.as_bytes()[8..]).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (status, reply) = parse(&answer);
    assert_eq!(
        status, 200,
        "the request in flight was not answered: {answer}"
    );
    assert!(reply.contains("youth_reached"), "{reply}");

    let started = Instant::now();
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not exit"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = log.join().unwrap();
    assert!(exit.success(), "exit {exit:?}; log:\n{log}");
    assert!(log.contains("territoire rechargé"), "{log}");
    assert!(log.contains("échec du rechargement"), "{log}");
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after exit"
    );
}
