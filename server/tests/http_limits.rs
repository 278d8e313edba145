//! The connection loop under slow and greedy clients, over a real socket: partial headers are
//! cut after the header read timeout, a body shorter than its `Content-Length` gets an answer
//! after the body read timeout, and connections past the limit wait for a free slot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use repere_server::listen::{ConnLimits, run};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(limits: ConnLimits) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(run(listener, common::app(), limits, std::future::pending()));
    addr
}

fn limits(timeout_ms: u64, max_connections: usize) -> ConnLimits {
    ConnLimits {
        header_read_timeout: Duration::from_millis(timeout_ms),
        body_read_timeout: Duration::from_millis(timeout_ms),
        max_connections,
        drain_timeout: Duration::from_secs(1),
        max_connections_per_address: Some(usize::MAX),
        busy_header_read_timeout: Some(Duration::from_millis(timeout_ms)),
    }
}

/// Reads until the server closes or `within` passes; `None` when it still holds the connection.
async fn read_until_close(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut out = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn partial_headers_are_cut_after_the_header_read_timeout() {
    let addr = start(limits(500, 16)).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: repere\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let closed = read_until_close(&mut stream, Duration::from_secs(5)).await;
    assert!(
        closed.is_some(),
        "the server still holds a connection with partial headers after 5 s"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn a_body_shorter_than_its_length_gets_an_answer_after_the_body_timeout() {
    let addr = start(limits(500, 16)).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/coverage HTTP/1.1\r\nHost: repere\r\nContent-Type: text/csv\r\n\
              Content-Length: 100\r\nConnection: close\r\n\r\nlo",
        )
        .await
        .unwrap();
    let answer = read_until_close(&mut stream, Duration::from_secs(5))
        .await
        .expect("no answer within 5 s to a body that never completes");
    let status_line = answer.lines().next().unwrap_or_default();
    assert!(
        status_line.starts_with("HTTP/1.1 4"),
        "expected a 4xx, got {answer:?}"
    );
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(body)
        .unwrap_or_else(|e| panic!("the answer body is not JSON ({e}): {answer:?}"));
    assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
}

#[tokio::test]
async fn connections_past_the_limit_wait_for_a_free_slot() {
    let addr = start(limits(10_000, 2)).await;
    // Two idle connections take both slots.
    let mut idle: Vec<TcpStream> = Vec::new();
    for _ in 0..2 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(addr).await.unwrap();
    third
        .write_all(b"GET /health HTTP/1.1\r\nHost: repere\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(
        read_until_close(&mut third, Duration::from_millis(700))
            .await
            .is_none(),
        "a third connection was served past the limit of 2"
    );
    drop(idle.pop());
    let answer = read_until_close(&mut third, Duration::from_secs(5))
        .await
        .expect("the waiting connection was not served once a slot was free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

/// A connection from another loopback address (127.0.0.0/8 is all local on Linux).
async fn connect_from(ip: [u8; 4], addr: SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::from((std::net::Ipv4Addr::from(ip), 0)))
        .unwrap();
    socket.connect(addr).await.unwrap()
}

async fn health_within(stream: &mut TcpStream, within: Duration) -> Option<String> {
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: repere\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    read_until_close(stream, within).await
}

#[tokio::test]
async fn slow_clients_from_one_address_do_not_stall_the_others() {
    // Defaults but 32 slots: one address may hold 4 of them.
    let addr = start(ConnLimits {
        max_connections: 32,
        ..ConnLimits::default()
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        let _ = s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ").await;
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let mut other = connect_from([127, 0, 0, 2], addr).await;
    let answer = health_within(&mut other, Duration::from_secs(3))
        .await
        .expect("/health from another address stalled behind 40 slow sockets of one address");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // The slow address's extra connections were answered a French 503 and closed.
    let mut refused = 0;
    for s in &mut slow {
        if let Some(text) = read_until_close(s, Duration::from_millis(20)).await
            && text.starts_with("HTTP/1.1 503")
        {
            assert!(text.contains("trop de connexions"), "{text}");
            refused += 1;
        }
    }
    assert!(refused >= 30, "only {refused} of 40 slow sockets refused");
}

#[tokio::test]
async fn a_busy_server_gives_new_connections_a_short_header_timeout() {
    let addr = start(ConnLimits {
        max_connections: 16,
        ..ConnLimits::default()
    })
    .await;
    // 20 slow clients, each from its own address: the per-address limit does not apply.
    let mut slow = Vec::new();
    for i in 0..20u8 {
        let mut s = connect_from([127, 0, 1, 10 + i], addr).await;
        let _ = s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ").await;
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let mut other = connect_from([127, 0, 0, 3], addr).await;
    let answer = health_within(&mut other, Duration::from_secs(6))
        .await
        .expect("/health waited for the full 10 s header timeout of slow clients");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

/// Sends a raw request head and reads the answer.
async fn raw(addr: SocketAddr, head: &[u8], within: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(head).await;
    read_until_close(&mut stream, within).await
}

#[tokio::test]
async fn an_announced_body_past_the_limit_is_an_immediate_json_413() {
    let addr = start(limits(10_000, 16)).await;
    let started = Instant::now();
    let answer = raw(
        addr,
        b"POST /api/actors HTTP/1.1\r\nHost: repere\r\nContent-Type: application/json\r\n\
          Content-Length: 100000000\r\nConnection: close\r\n\r\n{",
        Duration::from_secs(5),
    )
    .await
    .expect("no answer within 5 s");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
    assert!(answer.contains("\"parameter\":\"body\""), "{answer:?}");
    assert!(answer.contains("octets"), "{answer:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn oversized_headers_get_a_detailed_json_431() {
    let addr = start(limits(10_000, 16)).await;
    let big_headers = format!(
        "GET /health HTTP/1.1\r\nHost: repere\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(500_000)
    );
    let answer = raw(addr, big_headers.as_bytes(), Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert!(
        answer.contains("en-têtes de la requête trop volumineux"),
        "{answer}"
    );
}

#[tokio::test]
async fn requests_hyper_cannot_parse_get_json_french_errors() {
    let addr = start(limits(10_000, 16)).await;
    let huge_uri = format!(
        "GET /health?x={} HTTP/1.1\r\nHost: repere\r\n\r\n",
        "a".repeat(70_000)
    );
    let huge_head = format!(
        "GET /health HTTP/1.1\r\nHost: repere\r\nX-Big: {}\r\n\r\n",
        "b".repeat(2 * 1024 * 1024)
    );
    for (head, status, words) in [
        (
            b"GARBAGE \x01\x02 NOT HTTP\r\n\r\n".to_vec(),
            "400",
            "requête HTTP illisible",
        ),
        (huge_uri.into_bytes(), "414", "trop longue"),
        (huge_head.into_bytes(), "431", "trop volumineux"),
    ] {
        let answer = raw(addr, &head, Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("{status}: no answer"));
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{}",
            &answer[..answer.len().min(200)]
        );
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{status}: body {body:?} is not JSON ({e})"));
        assert!(v["error"].as_str().unwrap().contains(words), "{v}");
        assert!(v.get("parameter").is_some(), "{v}");
    }
}
