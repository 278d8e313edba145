//! The page's basemap (`repere serve --basemap none|ign|<style URL>`): which MapLibre style,
//! if any, the page draws under its own layers. Only the choice lives here; the page fetches the
//! style and falls back to its own layers when it cannot (see `web/app/basemap.js`).

use std::str::FromStr;

/// The Plan IGN vector style of the IGN Géoplateforme (public, no key).
pub const IGN_PLAN_STYLE_URL: &str =
    "https://data.geopf.fr/annexes/ressources/vectorTiles/styles/PLAN.IGN/standard.json";

/// Environment variable giving the basemap when `--basemap` is absent (same values).
pub const BASEMAP_ENV: &str = "REPERE_BASEMAP_STYLE";

/// A validated basemap choice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Basemap {
    /// No external basemap: the page's own plain background (works offline).
    #[default]
    None,
    /// Plan IGN ([`IGN_PLAN_STYLE_URL`]).
    Ign,
    /// Any MapLibre style JSON at an `http(s)` URL.
    Style(String),
}

/// A `--basemap` value that is none of `none`, `ign` or an `http(s)://` URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "fond de carte « {0} » inconnu : attendu none, ign ou l'adresse http(s) d'un style MapLibre"
)]
pub struct BasemapError(pub String);

impl FromStr for Basemap {
    type Err = BasemapError;

    /// # Examples
    /// ```
    /// use repere_server::basemap::Basemap;
    /// assert_eq!("ign".parse::<Basemap>().unwrap(), Basemap::Ign);
    /// assert!("ftp://x/style.json".parse::<Basemap>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        match s.to_ascii_lowercase().as_str() {
            "none" | "aucun" => Ok(Self::None),
            "ign" => Ok(Self::Ign),
            lower if lower.starts_with("https://") || lower.starts_with("http://") => {
                Ok(Self::Style(s.to_owned()))
            }
            _ => Err(BasemapError(s.to_owned())),
        }
    }
}

impl Basemap {
    /// The style URL the page loads, `None` for no basemap.
    pub fn style_url(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Ign => Some(IGN_PLAN_STYLE_URL),
            Self::Style(url) => Some(url),
        }
    }

    /// A short French name for the page (attribution, messages).
    pub fn label(&self) -> &str {
        match self {
            Self::None => "aucun",
            Self::Ign => "Plan IGN (IGN Géoplateforme)",
            Self::Style(_) => "style MapLibre configuré",
        }
    }

    /// The `basemap` part of `GET /web-config.json`.
    pub fn config_json(&self) -> serde_json::Value {
        let kind = match self {
            Self::None => "none",
            Self::Ign => "ign",
            Self::Style(_) => "style",
        };
        serde_json::json!({ "kind": kind, "style_url": self.style_url(), "label": self.label() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_forms_parse_and_anything_else_names_the_value() {
        assert_eq!("none".parse::<Basemap>().unwrap(), Basemap::None);
        assert_eq!(" IGN ".parse::<Basemap>().unwrap(), Basemap::Ign);
        let url = "https://example.org/style.json";
        assert_eq!(
            url.parse::<Basemap>().unwrap().style_url(),
            Some(url),
            "a URL is kept as written"
        );
        let e = "osm".parse::<Basemap>().unwrap_err();
        assert!(e.to_string().contains("« osm »"));
        assert_eq!(Basemap::Ign.style_url(), Some(IGN_PLAN_STYLE_URL));
    }
}
