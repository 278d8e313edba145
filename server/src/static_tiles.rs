//! Where the page takes its vector tiles from (`repere serve --tiles-url <URL>`): this server's
//! `/tiles/…` routes (default), or a static PMTiles archive written by `repere tiles export` and
//! hosted anywhere (static hosting, a CDN) that answers HTTP range requests. The API stays on
//! `repere serve`; only the tiles move. The page reads the archive with the npm `pmtiles`
//! library (`pmtiles://` protocol of MapLibre, see `web/app/pmtiles.js`), and the page's
//! `Content-Security-Policy` allows the archive's origin
//! ([`crate::middleware::security_headers`]).

use std::str::FromStr;

use crate::middleware::security_headers::origin;

/// The validated `http(s)://` URL of a PMTiles archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PmtilesUrl {
    url: String,
    origin: String,
}

/// A `--tiles-url` value that is not the `http(s)://` URL of a file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "adresse des tuiles « {0} » invalide : attendu l'adresse http(s) d'une archive PMTiles \
     (par exemple https://cdn.example.org/france.pmtiles, écrite par « repere tiles export »)"
)]
pub struct PmtilesUrlError(pub String);

impl FromStr for PmtilesUrl {
    type Err = PmtilesUrlError;

    /// # Examples
    /// ```
    /// use repere_server::static_tiles::PmtilesUrl;
    /// let u: PmtilesUrl = "https://cdn.example.org/france.pmtiles".parse().unwrap();
    /// assert_eq!(u.origin(), "https://cdn.example.org");
    /// assert!("cdn.example.org/france.pmtiles".parse::<PmtilesUrl>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let url = s.trim();
        let err = || PmtilesUrlError(url.to_owned());
        let origin = origin(url).ok_or_else(err)?;
        // A file path after the origin; no characters that would break the page's template
        // (`pmtiles://{url}/{z}/{x}/{y}`) or the policy header.
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(_, p)| p)
            .unwrap_or("");
        let printable = url.chars().all(|c| {
            c.is_ascii_graphic() && !matches!(c, '{' | '}' | '"' | '\'' | '\\' | '<' | '>')
        });
        if path.is_empty() || !printable {
            return Err(err());
        }
        Ok(Self {
            url: url.to_owned(),
            origin,
        })
    }
}

impl PmtilesUrl {
    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `scheme://host[:port]` of the archive (what the page's policy allows).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// The `tiles` part of `GET /web-config.json`: `{"kind": "server"}` (the `/tiles/…` routes) or
/// `{"kind": "pmtiles", "url": …}`.
pub fn config_json(pmtiles: Option<&PmtilesUrl>) -> serde_json::Value {
    match pmtiles {
        None => serde_json::json!({ "kind": "server" }),
        Some(u) => serde_json::json!({ "kind": "pmtiles", "url": u.as_str() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_file_url_parses_and_anything_else_names_the_value() {
        let u: PmtilesUrl = " http://127.0.0.1:9000/out/repere.pmtiles "
            .parse()
            .unwrap();
        assert_eq!(u.as_str(), "http://127.0.0.1:9000/out/repere.pmtiles");
        assert_eq!(u.origin(), "http://127.0.0.1:9000");
        for bad in [
            "france.pmtiles",
            "ftp://cdn.example.org/france.pmtiles",
            "https://cdn.example.org",
            "https://cdn.example.org/",
            "https://cdn.example.org/a b.pmtiles",
            "https://cdn.example.org/{z}.pmtiles",
            "https://evil.example; script-src */x.pmtiles",
        ] {
            let e = bad.parse::<PmtilesUrl>().unwrap_err();
            assert!(e.to_string().contains("archive PMTiles"), "{bad}: {e}");
            assert!(e.to_string().contains(bad.trim()), "{bad}: {e}");
        }
        assert_eq!(config_json(None)["kind"], "server");
        assert_eq!(config_json(Some(&u))["url"], u.as_str());
    }
}
