//! Limits checked on the request head, before any route reads a body: a declared
//! `Content-Length` past the route's limit is a 413 at once (not after waiting for bytes that
//! will be refused anyway), and headers past [`MAX_HEADER_BYTES`] or [`MAX_HEADERS`] a 431,
//! with the JSON French error body.
//!
//! The connection layer ([`crate::listen`]) lets hyper accept heads larger than these limits,
//! so that such requests reach this layer and get a detailed answer; heads past hyper's own
//! limits (1 MiB of head; a target past 64 KiB, a 414: a coverage report may carry 1 000 sites
//! in its query) and unparsable request lines are answered by hyper, whose bare answer the
//! connection layer rewrites as JSON.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest total size of the request headers (names and values), bytes.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Most request headers accepted.
pub const MAX_HEADERS: usize = 100;

/// Largest `POST /api/lookup` body, bytes.
pub const MAX_LOOKUP_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Largest actor import file (`POST /api/actors/import`), bytes (413 beyond).
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

/// The body limit of a route, bytes: the same constants the routes' body layers use.
pub fn body_limit(path: &str) -> usize {
    if path == "/api/lookup" {
        MAX_LOOKUP_BODY_BYTES
    } else if path == "/api/actors/import" {
        MAX_IMPORT_BYTES
    } else {
        crate::heavy::DEFAULT_BODY_BYTES
    }
}

fn refuse(status: StatusCode, parameter: Option<&str>, message: String) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": message, "parameter": parameter })),
    )
        .into_response()
}

/// The middleware (use with [`axum::middleware::from_fn`]).
pub async fn request_limits(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return refuse(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            None,
            format!(
                "en-têtes de la requête trop volumineux ({} en-têtes, {header_bytes} octets ; au plus {MAX_HEADERS} en-têtes et {MAX_HEADER_BYTES} octets)",
                headers.len()
            ),
        );
    }
    let limit = body_limit(request.uri().path());
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared
        && n > limit as u64
    {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("body"),
            format!("corps de la requête de {n} octets annoncé : au plus {limit} à cette adresse"),
        );
    }
    next.run(request).await
}
