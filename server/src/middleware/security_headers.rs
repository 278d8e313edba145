//! Security headers on every answer.
//!
//! - `Content-Security-Policy`: the page loads scripts, styles, workers, fonts and data from this
//!   server only, plus the origin of the basemap style when one is configured (its tiles, glyphs
//!   and sprites are usually there) and the origin of the static PMTiles archive the page reads
//!   its tiles from (`repere serve --tiles-url`, fetched by range requests); no framing
//!   (`frame-ancestors 'none'`), no plugins. An
//!   answer that sets its own policy (the printable coverage report) keeps it.
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin`,
//!   `X-Frame-Options: DENY` (older browsers ignore `frame-ancestors`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The headers, computed once.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The policy for a page with an optional basemap style URL (`https://host/style.json`) and
    /// an optional PMTiles archive URL (`https://cdn/france.pmtiles`).
    pub fn new(basemap_style_url: Option<&str>, pmtiles_url: Option<&str>) -> Self {
        let extra = basemap_style_url
            .and_then(origin)
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        // The archive is only fetched (range requests): `connect-src`.
        let tiles = pmtiles_url
            .and_then(origin)
            .filter(|o| !extra.split(' ').any(|e| e == o))
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let csp = format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; \
             img-src 'self' data: blob:{extra}; connect-src 'self'{extra}{tiles}; \
             font-src 'self'{extra}; worker-src 'self' blob:; child-src 'self' blob:; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        );
        Self {
            // The origin is made of URL characters only, so the value is always valid.
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        }
    }

    /// The `Content-Security-Policy` value.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

/// `scheme://host[:port]` of an `http` or `https` URL; `None` for anything else.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The middleware (use with [`axum::middleware::from_fn_with_state`]).
pub async fn security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basemap_origin_is_its_scheme_and_host_only() {
        assert_eq!(
            origin("https://Tiles.Example.org:8443/styles/a.json?key=x").as_deref(),
            Some("https://tiles.example.org:8443")
        );
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://evil.example; script-src *"), None);
        let h = SecurityHeaders::new(Some("https://tiles.example.org/style.json"), None);
        let csp = h.csp().to_str().unwrap();
        assert!(
            csp.contains("connect-src 'self' https://tiles.example.org;"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        let none = SecurityHeaders::new(None, None);
        assert!(none.csp().to_str().unwrap().contains("connect-src 'self';"));
        let cdn = SecurityHeaders::new(None, Some("https://cdn.example.org/france.pmtiles"));
        let csp = cdn.csp().to_str().unwrap();
        assert!(
            csp.contains("connect-src 'self' https://cdn.example.org;"),
            "{csp}"
        );
        assert!(csp.contains("script-src 'self';"), "{csp}");
        let both = SecurityHeaders::new(
            Some("https://tiles.example.org/style.json"),
            Some("https://cdn.example.org/france.pmtiles"),
        );
        assert!(
            both.csp()
                .to_str()
                .unwrap()
                .contains("connect-src 'self' https://tiles.example.org https://cdn.example.org;")
        );
    }
}
