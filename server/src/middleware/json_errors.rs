//! Turns every error answer that is not already JSON into the application's JSON error body.
//!
//! Handlers answer errors through [`crate::AppError`], already JSON. The answers produced before
//! a handler runs are not: axum's extractor rejections (body too large, wrong content type,
//! unreadable body or query), the router's 404 and 405, a body read timeout, a static file not
//! found. Their plain English text is replaced by a French message chosen from the status; the
//! status itself is kept. HTML error pages (the map's "not installed" page) are kept as they are:
//! a browser asked for a page.

use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The middleware (use with [`axum::middleware::from_fn`]).
pub async fn json_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let ctype = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ctype.starts_with("application/json") || ctype.starts_with("text/html") {
        return response;
    }
    let (parts, _) = response.into_parts();
    let body = serde_json::json!({
        "error": message(status, &method),
        "parameter": parameter(status),
    });
    let mut fresh = (status, Json(body)).into_response();
    // Keep what the original answer said about allowed methods or retrying.
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(v) = parts.headers.get(&name) {
            fresh.headers_mut().insert(name, v.clone());
        }
    }
    fresh
}

/// The parameter at fault when the status names one: the body for body rejections.
fn parameter(status: StatusCode) -> Option<&'static str> {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::UNPROCESSABLE_ENTITY
        | StatusCode::REQUEST_TIMEOUT => Some("body"),
        _ => None,
    }
}

/// A French message for a status.
pub fn message(status: StatusCode, method: &Method) -> String {
    match status {
        StatusCode::BAD_REQUEST => {
            "requête invalide : paramètres ou corps illisibles, ou corps incomplet".to_owned()
        }
        StatusCode::NOT_FOUND => "aucune ressource à cette adresse".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("méthode {method} non acceptée à cette adresse (voir l'en-tête Allow)")
        }
        StatusCode::REQUEST_TIMEOUT => "délai de lecture de la requête dépassé".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "corps de la requête trop volumineux".to_owned(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "type de contenu non accepté (voir l'en-tête Content-Type)".to_owned()
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            "corps de la requête illisible pour cette adresse".to_owned()
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            "service momentanément indisponible, réessayer plus tard".to_owned()
        }
        s if s.is_server_error() => "erreur interne du serveur".to_owned(),
        s => format!("requête refusée (statut {})", s.as_u16()),
    }
}
