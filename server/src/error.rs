//! The application error, mapped to a status code and a JSON body in one place.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Every error a handler can return.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A request parameter is invalid: 400, naming the parameter.
    #[error("invalid parameter `{param}`: {message}")]
    BadRequest {
        /// The parameter (query key, path segment or body field).
        param: String,
        /// What is wrong.
        message: String,
    },
    /// Unknown resource (layer, code): 404.
    #[error("{0}")]
    NotFound(String),
    /// Request body too large: 413.
    #[error("{0}")]
    TooLarge(String),
    /// A defect on our side: 500, details logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl From<repere_engine::tiles::TileError> for AppError {
    fn from(e: repere_engine::tiles::TileError) -> Self {
        use repere_engine::tiles::TileError;
        match e {
            TileError::Coord { field, .. } => AppError::bad(field, e.to_string()),
            TileError::UnknownLayer { .. } => AppError::NotFound(e.to_string()),
            TileError::Encode { .. } => AppError::Internal(e.to_string()),
        }
    }
}

impl From<repere_engine::analysis::NotFound> for AppError {
    fn from(e: repere_engine::analysis::NotFound) -> Self {
        AppError::NotFound(e.to_string())
    }
}

impl AppError {
    /// Shorthand for a 400 naming the parameter.
    pub fn bad(param: &str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            param: param.to_owned(),
            message: message.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(detail) => {
                eprintln!("internal error: {detail}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let param = match &self {
            AppError::BadRequest { param, .. } => Some(param.clone()),
            _ => None,
        };
        let body = serde_json::json!({ "error": self.to_string(), "parameter": param });
        (status, Json(body)).into_response()
    }
}
