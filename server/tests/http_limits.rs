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
