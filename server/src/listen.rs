//! The connection loop of `repere serve`: HTTP/1.1 over a TCP listener with the limits a public
//! server needs and [`axum::serve()`] does not set.
//!
//! - **header read timeout**: a client that has not sent its whole request head within
//!   [`ConnLimits::header_read_timeout`] is disconnected (slow-loris);
//! - **body read timeout**: a request body that does not arrive within
//!   [`ConnLimits::body_read_timeout`] makes the request fail (a declared `Content-Length` of 100
//!   with 2 bytes sent gets a JSON 400 instead of waiting forever);
//! - **connection limit**: at most [`ConnLimits::max_connections`] connections are served at
//!   once; further clients wait in the listen backlog;
//! - **per-address limit**: one client address holds at most
//!   [`ConnLimits::per_address`] of them; past it, a connection is answered 503 (French JSON)
//!   and closed at once, without taking a slot, so that one slow client cannot fill the server;
//! - **JSON protocol errors**: the bare 400, 414 and 431 hyper answers to requests it cannot
//!   parse get the JSON French error body (`protocol_errors`);
//! - **busy header timeout**: once three quarters of the slots are taken, new connections get
//!   [`ConnLimits::busy_header_timeout`] (2 s by default) to send their request head;
//! - **graceful drain**: when the shutdown future completes, no new connection is accepted and the
//!   requests in flight finish (up to [`ConnLimits::drain_timeout`]) before [`run`] returns.

mod protocol_errors;

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Limits of the connection layer.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Time allowed to receive a request's head (request line and headers).
    pub header_read_timeout: Duration,
    /// Time allowed to receive a request's body.
    pub body_read_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Time the requests in flight get to finish after shutdown was asked.
    pub drain_timeout: Duration,
    /// Connections one client address may hold at once; `None`: an eighth of
    /// `max_connections` (at least 1), see [`ConnLimits::per_address`].
    pub max_connections_per_address: Option<usize>,
    /// Time allowed to receive a request's head once the server is busy (three quarters of the
    /// slots taken); `None`: 2 s, or the normal timeout when shorter.
    pub busy_header_read_timeout: Option<Duration>,
}

impl ConnLimits {
    /// Connections one client address may hold at once.
    pub fn per_address(&self) -> usize {
        self.max_connections_per_address
            .unwrap_or(self.max_connections / 8)
            .max(1)
    }

    /// The header read timeout of connections accepted while the server is busy.
    pub fn busy_header_timeout(&self) -> Duration {
        self.busy_header_read_timeout
            .unwrap_or(Duration::from_secs(2))
            .min(self.header_read_timeout)
    }
}

/// Open connections by client address.
#[derive(Debug, Default)]
struct PerAddress(Mutex<HashMap<IpAddr, usize>>);

impl PerAddress {
    /// Counts one more connection of `ip`, unless it holds `max` already.
    fn enter(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<AddressGuard> {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(AddressGuard {
            ip,
            map: self.clone(),
        })
    }
}

/// One connection counted for its address until dropped.
struct AddressGuard {
    ip: IpAddr,
    map: Arc<PerAddress>,
}

impl Drop for AddressGuard {
    fn drop(&mut self) {
        let mut map = self
            .map
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// The answer to a connection past its address's limit, written without reading the request.
fn too_many_from_address(max: usize) -> Vec<u8> {
    let body = serde_json::json!({
        "error": format!(
            "trop de connexions ouvertes depuis votre adresse (au plus {max} à la fois) : réessayer dans quelques secondes"
        ),
        "parameter": null,
    })
    .to_string();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 5\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            max_connections: 512,
            drain_timeout: Duration::from_secs(30),
            max_connections_per_address: None,
            busy_header_read_timeout: None,
        }
    }
}

/// How [`run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drained {
    /// Every request in flight finished.
    Complete,
    /// The drain timeout passed with requests still running (they were dropped).
    TimedOut,
}

/// Serves `app` on `listener` until `shutdown` completes, then drains the connections.
///
/// Accept errors (too many open files, a client resetting during the handshake) are logged and
/// the loop goes on after a short pause, as hyper's own server does.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()>,
) -> Drained {
    let app = app.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        limits.body_read_timeout,
    ));
    let max = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max));
    let per_address = Arc::new(PerAddress::default());
    let per_address_max = limits.per_address();
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // Heads up to 1 MiB reach the application, whose limits answer in JSON
    // ([`crate::middleware::request_limits`]); hyper's own answers have no body.
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(1024 * 1024)
        .max_headers(1000);
    let mut busy_http = http.clone();
    busy_http.header_read_timeout(limits.busy_header_timeout());
    tokio::pin!(shutdown);
    loop {
        // Accept first: a connection past its address's limit is answered without a slot.
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    eprintln!("Repère : connexion refusée ({e})");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(guard) = per_address.enter(peer.ip(), per_address_max) else {
            tokio::spawn(async move {
                let mut stream = stream;
                let answer = too_many_from_address(per_address_max);
                let _ = tokio::time::timeout(Duration::from_secs(1), async {
                    let _ = stream.write_all(&answer).await;
                    let _ = stream.shutdown().await;
                })
                .await;
            });
            continue;
        };
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        // Busy: three quarters of the slots taken (this one included).
        let busy = slots.available_permits() * 4 <= max;
        let builder = if busy { &busy_http } else { &http };
        // The client's address, for handlers that count per address (wrong edit tokens).
        let service = TowerToHyperService::new(tower::util::MapRequest::new(
            app.clone(),
            move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        ));
        let io = TokioIo::new(protocol_errors::JsonProtocolErrors::new(stream));
        let conn = builder.serve_connection(io, service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = conn.await;
            drop(permit);
            drop(guard);
        });
    }
    drop(listener);
    match tokio::time::timeout(limits.drain_timeout, graceful.shutdown()).await {
        Ok(()) => Drained::Complete,
        Err(_) => Drained::TimedOut,
    }
}
