//! A query parameter given twice (`?minutes=5&minutes=60`) is a 400 naming it: which value
//! would win depends on the extractor, so none is taken.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppError;

/// The middleware (use with [`axum::middleware::from_fn`]).
pub async fn refuse_repeated_params(request: Request, next: Next) -> Response {
    if let Some(name) = request.uri().query().and_then(repeated) {
        return AppError::bad(
            &name,
            format!("paramètre `{name}` donné plusieurs fois : n'en donner qu'un"),
        )
        .into_response();
    }
    next.run(request).await
}

/// The first parameter name that appears twice in a query string (names percent-decoded).
pub fn repeated(query: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let raw = pair.split_once('=').map_or(pair, |(k, _)| k);
        let name = percent_encoding::percent_decode_str(&raw.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned();
        if !seen.insert(name.clone()) {
            return Some(name);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::repeated;

    #[test]
    fn a_repeated_name_is_found_even_when_encoded() {
        assert_eq!(repeated("minutes=5&minutes=60").as_deref(), Some("minutes"));
        assert_eq!(
            repeated("min%75tes=5&minutes=60").as_deref(),
            Some("minutes")
        );
        assert_eq!(repeated("minutes=5&mode=walk"), None);
        assert_eq!(repeated(""), None);
    }
}
