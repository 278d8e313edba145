//! The application error, mapped to a status code and a JSON body in one place.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Every error a handler can return.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A request parameter is invalid: 400, naming the parameter.
    #[error("paramètre `{param}` invalide : {message}")]
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
    /// The server is busy or the request ran past its compute budget: 503, retry later.
    #[error("{0}")]
    Unavailable(String),
    /// The store has no space left: 507, nothing written.
    #[error("{0}")]
    InsufficientStorage(String),
    /// Too many wrong edit tokens from one address: 429, with `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        /// French message.
        message: String,
        /// Seconds before the address may try again.
        retry_after_s: u64,
    },
    /// No or an unknown edit token: 401.
    #[error("{0}")]
    Unauthorized(String),
    /// The server is read-only: 403.
    #[error("{0}")]
    Forbidden(String),
    /// Another edit of the actor came first: 409, with the current version.
    #[error("{message}")]
    Conflict {
        /// French message.
        message: String,
        /// The actor's version now.
        current_version: u32,
    },
    /// A write without `If-Match`: 428.
    #[error("{0}")]
    PreconditionRequired(String),
    /// A weak `If-Match`: 412.
    #[error("{0}")]
    PreconditionFailed(String),
    /// The `If-Match` version is stale (another edit came first): 412, with the current
    /// version.
    #[error("{message}")]
    Stale {
        /// French message.
        message: String,
        /// The actor's version now.
        current_version: u32,
    },
    /// The edit was valid but the analysis could not be rebuilt with it: 422, nothing applied.
    #[error("modification non appliquée : {0}")]
    NotApplied(String),
    /// A defect on our side: 500, details logged, not sent.
    #[error("erreur interne du serveur")]
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

impl From<repere_engine::Problem> for AppError {
    /// A bad upload or body: 400 naming the field at fault (`body` when none), the message
    /// naming the line or feature.
    fn from(p: repere_engine::Problem) -> Self {
        AppError::bad(p.field.as_deref().unwrap_or("body"), p.to_string())
    }
}

impl From<repere_engine::Error> for AppError {
    /// The one mapping of engine errors to HTTP: status, `parameter`, French message.
    fn from(e: repere_engine::Error) -> Self {
        use repere_engine::Error as E;
        use repere_engine::coverage::CoverageError;
        use repere_engine::suggest::run::SuggestError;
        use repere_engine::transit::isochrone::IsochroneError;
        let message = e.to_string();
        match e {
            E::Load(_) => AppError::NotApplied(message),
            E::Input(p) => p.into(),
            E::Point(p) => AppError::bad(p.field(), message),
            E::Extent(_) => AppError::bad("lon", message),
            E::Lookup(l) => AppError::bad(l.field(), message),
            E::PointLookup(l) => AppError::bad(
                &format!("points[{}].{}", l.index, l.source.field()),
                l.source.to_string(),
            ),
            E::Param(repere_engine::analysis::AnalysisError::Param { field, .. }) => {
                AppError::bad(field, message)
            }
            E::NotFound(_) => AppError::NotFound(message),
            E::Tile(t) => t.into(),
            E::Coverage(CoverageError::Budget { .. }) => AppError::Unavailable(message),
            E::Coverage(CoverageError::Threshold(_)) => AppError::bad("minutes", message),
            E::Coverage(_) => AppError::bad("sites", message),
            E::Weights(_) => AppError::bad("weights", message),
            E::Isochrone(i) => AppError::bad(
                match i {
                    IsochroneError::NoTimetable { .. } => "mode",
                    IsochroneError::Point(p) => p.field(),
                    IsochroneError::Projection(_) => "lon",
                    IsochroneError::Minutes(_) => "minutes",
                },
                message,
            ),
            E::Matrix(_) => AppError::bad("points", message),
            E::Calendar(_) => AppError::bad("date", message),
            E::Suggest(s) => AppError::bad(
                match s {
                    SuggestError::Threshold(_) => "minutes",
                    SuggestError::K { .. } => "k",
                    SuggestError::TimeLimit(_) => "time_limit_s",
                    SuggestError::CurveK(_) => "curve_k",
                    _ => "candidates",
                },
                message,
            ),
            E::Value(v) => AppError::bad("value", format!("{v}")),
            E::Projection(_) => AppError::bad("lon", message),
        }
    }
}

/// Why axum refused a JSON body, in French (axum's and serde's texts are English).
pub fn json_rejection_fr(r: &axum::extract::rejection::JsonRejection) -> String {
    use axum::extract::rejection::JsonRejection as J;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(r);
    while let Some(c) = cause {
        if let Some(json) = c.downcast_ref::<serde_json::Error>() {
            return repere_engine::text::json_error_fr(json);
        }
        cause = c.source();
    }
    match r {
        J::JsonDataError(_) => "contenu JSON de forme inattendue".to_owned(),
        J::JsonSyntaxError(_) => "syntaxe JSON non valide".to_owned(),
        J::MissingJsonContentType(_) => "en-tête Content-Type: application/json attendu".to_owned(),
        J::BytesRejection(b) => bytes_rejection_fr(b),
        _ => "corps de la requête illisible".to_owned(),
    }
}

/// Why axum could not read a request body, in French.
pub fn bytes_rejection_fr(r: &axum::extract::rejection::BytesRejection) -> String {
    if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        "corps de la requête trop volumineux".to_owned()
    } else {
        "corps de la requête illisible (interrompu ou mal encodé)".to_owned()
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
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Stale { .. } | AppError::PreconditionFailed(_) => {
                StatusCode::PRECONDITION_FAILED
            }
            AppError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            AppError::NotApplied(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(detail) => {
                eprintln!("Repère : erreur interne : {detail}");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let param = match &self {
            AppError::BadRequest { param, .. } => Some(param.clone()),
            // Only a body can be too large.
            AppError::TooLarge(_) => Some("body".to_owned()),
            _ => None,
        };
        let mut body = serde_json::json!({ "error": self.to_string(), "parameter": param });
        if let AppError::Conflict {
            current_version, ..
        }
        | AppError::Stale {
            current_version, ..
        } = &self
        {
            body["current_version"] = (*current_version).into();
        }
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after_s, .. } => Some(*retry_after_s),
            _ => None,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(s) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, s.into());
        }
        response
    }
}
