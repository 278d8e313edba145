//! What the routes taking a JSON body (coverage, suggestions) share: the parse with a French
//! error naming the body, and the read of a parameter given in the body instead of the query.

use crate::error::AppError;

/// Parses a request body as JSON, or a 400 naming the body with the parser's French reason.
pub fn parse(text: &str) -> Result<serde_json::Value, AppError> {
    serde_json::from_str(text).map_err(|e| {
        AppError::bad(
            "body",
            format!(
                "JSON illisible : {}",
                repere_engine::text::json_error_fr(&e)
            ),
        )
    })
}

/// A query parameter given as a field of the JSON body: its string, or its number written out.
pub fn param(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key).and_then(|x| {
        x.as_str()
            .map(str::to_owned)
            .or_else(|| x.as_number().map(|n| n.to_string()))
    })
}
