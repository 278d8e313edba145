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
//! - **graceful drain**: when the shutdown future completes, no new connection is accepted and the
//!   requests in flight finish (up to [`ConnLimits::drain_timeout`]) before [`run`] returns.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
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
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            max_connections: 512,
            drain_timeout: Duration::from_secs(30),
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
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            permit = slots.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    eprintln!("Repère : connexion refusée ({e})");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // The client's address, for per-client limits (the geocoder's rate limit).
        let app = tower::ServiceExt::map_request(
            app.clone(),
            move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        );
        let service = TowerToHyperService::new(app);
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    match tokio::time::timeout(limits.drain_timeout, graceful.shutdown()).await {
        Ok(()) => Drained::Complete,
        Err(_) => Drained::TimedOut,
    }
}
