//! Driving the built `repere serve` binary as an operator does: a copy of the default
//! territory's files, a token file, the process started on a free port, plain HTTP/1.1
//! requests over fresh connections, signals sent with `kill`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The editors of the token file written by [`tokens`]: `(name, token)`.
pub const EDITORS: [(&str, &str); 8] = [
    ("alice", "jeton-alice-123-0123456789"),
    ("bruno", "jeton-bruno-123-0123456789"),
    ("chloe", "jeton-chloe-123-0123456789"),
    ("damien", "jeton-damien-12-0123456789"),
    ("emma", "jeton-emma-1234-0123456789"),
    ("farid", "jeton-farid-123-0123456789"),
    ("gaelle", "jeton-gaelle-12-0123456789"),
    ("hugo", "jeton-hugo-1234-0123456789"),
];

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// A copy of the default territory's `data/` folder in `dir`; returns the manifest.
pub fn territory_copy(dir: &Path) -> PathBuf {
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../data"),
        &dir.join("data"),
    );
    dir.join("data/territory.toml")
}

/// Writes the token file of [`EDITORS`] in `dir`.
pub fn tokens(dir: &Path) -> PathBuf {
    let p = dir.join("tokens");
    let text: String = EDITORS.iter().map(|(n, t)| format!("{n}:{t}\n")).collect();
    std::fs::write(&p, text).unwrap();
    p
}

/// A running `repere serve`.
pub struct Server {
    /// The process.
    pub child: Child,
    /// Where it serves.
    pub addr: SocketAddr,
    log: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    /// Starts `repere <global> serve --addr 127.0.0.1:0 <serve>` and waits until it says where
    /// it serves.
    pub fn start(global: &[&str], serve: &[&str]) -> Self {
        Self::start_with_env(global, serve, &[])
    }

    /// [`Server::start`] with environment variables set for the process.
    pub fn start_with_env(global: &[&str], serve: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_repere"))
            .args(global)
            .args(["serve", "--addr", "127.0.0.1:0", "--basemap", "none"])
            .args(serve)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut addr = None;
        let mut seen = String::new();
        let mut line = String::new();
        while addr.is_none() {
            line.clear();
            assert!(
                stderr.read_line(&mut line).unwrap() > 0,
                "the server ended before serving:\n{seen}"
            );
            seen.push_str(&line);
            if let Some(rest) = line.split("servi sur http://").nth(1) {
                addr = rest.trim().trim_end_matches('/').parse::<SocketAddr>().ok();
            }
        }
        // Keep draining the log so that the server never blocks on a full pipe.
        let log = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
            seen + &rest
        });
        let server = Self {
            child,
            addr: addr.unwrap(),
            log: Some(log),
        };
        // The store is caught up and published before requests are accepted.
        wait_for("the server to answer", || {
            request(server.addr, "GET", "/health", &[], None).is_ok()
        });
        server
    }

    /// Sends a signal (`HUP`, `TERM`, `KILL`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{name} failed");
    }

    /// `/health` as JSON.
    pub fn health(&self) -> serde_json::Value {
        let (status, body) = request(self.addr, "GET", "/health", &[], None).unwrap();
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// A JSON request; the body as JSON (`Null` when not JSON).
    pub fn json(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let (status, text) = request(self.addr, method, path, headers, body).unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Kills the process (SIGKILL) and waits for it; returns its log.
    pub fn kill(mut self) -> String {
        self.signal("KILL");
        self.child.wait().unwrap();
        self.log.take().unwrap().join().unwrap()
    }

    /// Stops the process (SIGTERM), waits for it; returns its log.
    pub fn stop(mut self) -> String {
        self.signal("TERM");
        self.child.wait().unwrap();
        self.log.take().unwrap().join().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.log.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP/1.1 request over a fresh connection: status and body. Errors are connection
/// errors (the server is gone, or died in the middle of the answer).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: repere\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    let Some((head, body)) = answer.split_once("\r\n\r\n") else {
        return Err(std::io::Error::other(format!("truncated answer: {answer}")));
    };
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status: {head}")))?;
    if let Some(len) = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse::<usize>().ok())
        && body.len() < len
    {
        return Err(std::io::Error::other("answer cut short"));
    }
    Ok((status, body.to_owned()))
}

/// Waits (up to 180 s) until `done`.
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The `Authorization` header of editor `i`.
pub fn bearer(i: usize) -> String {
    format!("Bearer {}", EDITORS[i % EDITORS.len()].1)
}
