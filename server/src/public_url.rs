//! How the TileJSON writes its tile URLs, without trusting what a client says about the server.
//!
//! - [`TileUrls::Public`] (`repere serve --public-url https://carte.example.org`): absolute URLs
//!   under the configured address, whatever the request's headers;
//! - [`TileUrls::Forwarded`] (`--trust-forwarded`, behind a reverse proxy that sets them):
//!   absolute URLs from `X-Forwarded-Proto` (only `https` or `http`, else `http`) and
//!   `X-Forwarded-Host` or `Host` (only host-name characters, else relative);
//! - [`TileUrls::Relative`] (the default): URLs relative to the TileJSON itself
//!   (`{version}/{layers}/{z}/{x}/{y}.mvt` next to `/tiles/{layers}.json`), so that a forged
//!   `Host` or `X-Forwarded-Proto` never ends up in a cached document.

use axum::http::HeaderMap;
use axum::http::header;

/// The policy, chosen once at start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TileUrls {
    /// Relative to the TileJSON.
    #[default]
    Relative,
    /// Absolute under this base (`scheme://host[:port][/prefix]`, no trailing slash).
    Public(String),
    /// Absolute from the proxy's forwarded headers.
    Forwarded,
}

/// A `--public-url` that is not an `http` or `https` address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "adresse publique invalide {given:?} : attendu http:// ou https:// suivi d'un nom d'hôte, sans ? ni #"
)]
pub struct PublicUrlError {
    /// The value given.
    pub given: String,
}

impl TileUrls {
    /// The policy for `--public-url` (when given) and `--trust-forwarded`.
    ///
    /// # Errors
    /// [`PublicUrlError`] when the public URL is not `http(s)://host[:port][/path]`.
    pub fn from_options(
        public_url: Option<&str>,
        trust_forwarded: bool,
    ) -> Result<Self, PublicUrlError> {
        match public_url {
            Some(url) => {
                let err = || PublicUrlError {
                    given: url.to_owned(),
                };
                let (scheme, rest) = url.split_once("://").ok_or_else(err)?;
                let host = rest.split('/').next().unwrap_or_default();
                if !matches!(scheme, "http" | "https")
                    || !is_host(host)
                    || rest.contains(['?', '#', ' ', '"', '\\'])
                {
                    return Err(err());
                }
                Ok(Self::Public(url.trim_end_matches('/').to_owned()))
            }
            None if trust_forwarded => Ok(Self::Forwarded),
            None => Ok(Self::Relative),
        }
    }

    /// The tile URL template of `{layers}` at dataset `version` for a request with `headers`.
    pub fn template(&self, version: &str, layers: &str, headers: &HeaderMap) -> String {
        let path = format!("{version}/{layers}/{{z}}/{{x}}/{{y}}.mvt");
        match self {
            Self::Relative => path,
            Self::Public(base) => format!("{base}/tiles/{path}"),
            Self::Forwarded => {
                let value = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        // A proxy chain appends: the first value is the client-facing one.
                        .and_then(|v| v.split(',').next())
                        .map(str::trim)
                };
                let scheme = match value("x-forwarded-proto") {
                    Some(p) if p.eq_ignore_ascii_case("https") => "https",
                    _ => "http",
                };
                let host = value("x-forwarded-host")
                    .or_else(|| value(header::HOST.as_str()))
                    .filter(|h| is_host(h));
                match host {
                    Some(host) => format!("{scheme}://{host}/tiles/{path}"),
                    None => path,
                }
            }
        }
    }
}

/// A host name or address with an optional port: letters, digits, `.-:[]` only.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forged_headers_never_reach_the_template() {
        let evil = headers(&[
            ("host", "evil.example"),
            ("x-forwarded-proto", "javascript"),
        ]);
        assert_eq!(
            TileUrls::Relative.template("v1", "all", &evil),
            "v1/all/{z}/{x}/{y}.mvt"
        );
        assert_eq!(
            TileUrls::Forwarded.template("v1", "all", &evil),
            "http://evil.example/tiles/v1/all/{z}/{x}/{y}.mvt"
        );
        let bad_host = headers(&[("host", "a\"b"), ("x-forwarded-proto", "https")]);
        assert_eq!(
            TileUrls::Forwarded.template("v1", "all", &bad_host),
            "v1/all/{z}/{x}/{y}.mvt"
        );
        let proxied = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "carte.example.org"),
            ("x-forwarded-proto", "https, http"),
        ]);
        assert_eq!(
            TileUrls::Forwarded.template("v1", "all", &proxied),
            "https://carte.example.org/tiles/v1/all/{z}/{x}/{y}.mvt"
        );
    }

    #[test]
    fn the_public_url_is_validated_and_wins_over_headers() {
        let p = TileUrls::from_options(Some("https://carte.example.org/repere/"), true).unwrap();
        let evil = headers(&[("host", "evil.example")]);
        assert_eq!(
            p.template("v1", "qpv", &evil),
            "https://carte.example.org/repere/tiles/v1/qpv/{z}/{x}/{y}.mvt"
        );
        for bad in [
            "javascript://x",
            "carte.example.org",
            "https://",
            "https://a b/",
            "https://a/?x",
        ] {
            assert!(TileUrls::from_options(Some(bad), false).is_err(), "{bad}");
        }
        assert_eq!(
            TileUrls::from_options(None, false).unwrap(),
            TileUrls::Relative
        );
        assert_eq!(
            TileUrls::from_options(None, true).unwrap(),
            TileUrls::Forwarded
        );
    }
}
