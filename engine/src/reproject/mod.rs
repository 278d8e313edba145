//! Reprojection of source layers to WGS84 lon/lat degrees, from a declared or detected CRS.
//!
//! Every geometry the loaders keep enters in WGS84 (RFC 7946 axis order: longitude, latitude);
//! files published in Lambert-93 or any other CRS are converted once, at load. Two backends:
//! `proj4rs` (pure Rust, the default; knows the EPSG codes of `crs-definitions`, Lambert-93
//! agrees with PROJ 9 to the millimetre) and, with the `proj` feature, PROJ itself (any CRS, any
//! WKT).
//!
//! - [`wkt`]: identifies the CRS of a `.prj` (ESRI or OGC WKT 1) as an EPSG code.

pub mod wkt;

#[cfg(feature = "proj")]
mod with_proj;

use geo::Coord;
use proj4rs::proj::Proj;

use crate::problem::ProjectionError;

const WGS84_PROJ: &str = "+proj=longlat +datum=WGS84 +no_defs +type=crs";

/// A coordinate reference system as a source declares it.
#[derive(Debug, Clone, PartialEq)]
pub enum CrsDef {
    /// WGS84 longitude, latitude in degrees (EPSG:4326 in GIS axis order, OGC:CRS84).
    Wgs84,
    /// An EPSG code.
    Epsg(u16),
    /// WKT text (a `.prj`) that could not be identified as an EPSG code.
    Wkt(String),
}

impl CrsDef {
    /// Parses a CRS name as manifests and GeoJSON `crs` members write it: `EPSG:2154`,
    /// `urn:ogc:def:crs:EPSG::2154`, `OGC:CRS84`, `CRS84`, `WGS84`, or WKT text.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::reproject::CrsDef;
    /// assert_eq!(CrsDef::parse("EPSG:2154"), Ok(CrsDef::Epsg(2154)));
    /// assert_eq!(CrsDef::parse("urn:ogc:def:crs:OGC:1.3:CRS84"), Ok(CrsDef::Wgs84));
    /// ```
    ///
    /// # Errors
    /// A message quoting the text when it is none of these forms.
    pub fn parse(text: &str) -> Result<CrsDef, crate::problem::ValueError> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase();
        if upper.starts_with("PROJCS[")
            || upper.starts_with("GEOGCS[")
            || upper.starts_with("PROJCRS[")
            || upper.starts_with("GEOGCRS[")
        {
            return Ok(match wkt::identify(t) {
                Some(code) => CrsDef::from_epsg(code),
                None => CrsDef::Wkt(t.to_owned()),
            });
        }
        if matches!(
            upper.as_str(),
            "WGS84"
                | "CRS84"
                | "OGC:CRS84"
                | "URN:OGC:DEF:CRS:OGC:1.3:CRS84"
                | "URN:OGC:DEF:CRS:OGC::CRS84"
        ) {
            return Ok(CrsDef::Wgs84);
        }
        let code = upper
            .strip_prefix("EPSG:")
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG::"))
            .or_else(|| {
                upper
                    .strip_prefix("URN:OGC:DEF:CRS:EPSG:")
                    .and_then(|r| r.split_once(':').map(|(_, c)| c))
            })
            .or_else(|| upper.strip_prefix("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/"));
        match code.map(|c| c.trim().parse::<u16>()) {
            Some(Ok(code)) => Ok(CrsDef::from_epsg(code)),
            _ => Err(crate::problem::ValueError::new(
                t,
                "système de coordonnées connu attendu : l'écrire \"EPSG:<code>\" (par ex. \"EPSG:2154\" pour le Lambert-93, \"EPSG:4326\" pour le WGS84)",
            )),
        }
    }

    /// An EPSG code; 4326 is WGS84 lon/lat.
    pub fn from_epsg(code: u16) -> CrsDef {
        if code == 4326 {
            CrsDef::Wgs84
        } else {
            CrsDef::Epsg(code)
        }
    }

    /// A short name: `EPSG:2154 (RGF93 v1 / Lambert-93)`, `WGS84 (EPSG:4326)`, or the WKT's name.
    pub fn label(&self) -> String {
        match self {
            CrsDef::Wgs84 => "WGS84 lon/lat (EPSG:4326)".to_owned(),
            CrsDef::Epsg(code) => match wkt::epsg_name(*code) {
                Some(name) => format!("EPSG:{code} ({name})"),
                None => format!("EPSG:{code}"),
            },
            CrsDef::Wkt(text) => format!(
                "WKT {}",
                wkt::name(text).unwrap_or_else(|| "sans nom".to_owned())
            ),
        }
    }
}

/// Which library reprojects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `proj4rs`, pure Rust (always available).
    Proj4rs,
    /// PROJ through the `proj` crate (feature `proj`).
    #[cfg(feature = "proj")]
    Proj,
}

impl Backend {
    /// PROJ when the `proj` feature is on, else `proj4rs`.
    pub fn preferred() -> Backend {
        #[cfg(feature = "proj")]
        {
            Backend::Proj
        }
        #[cfg(not(feature = "proj"))]
        {
            Backend::Proj4rs
        }
    }
}

enum Engine {
    Identity,
    Proj4rs {
        src: Box<Proj>,
        dst: Box<Proj>,
    },
    #[cfg(feature = "proj")]
    Proj(with_proj::ProjToWgs84),
}

/// A transformation from a source CRS to WGS84 lon/lat degrees.
pub struct ToWgs84 {
    engine: Engine,
    description: String,
}

impl std::fmt::Debug for ToWgs84 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl ToWgs84 {
    /// Builds the transformation with a backend.
    ///
    /// # Examples
    /// ```
    /// use repere_engine::reproject::{Backend, CrsDef, ToWgs84};
    /// let t = ToWgs84::new(&CrsDef::Epsg(2154), Backend::Proj4rs).unwrap();
    /// let p = t.transform(geo::coord! { x: 562_122.093, y: 6_928_734.087 }).unwrap();
    /// assert!((p.x - 1.0993).abs() < 1e-7 && (p.y - 49.4431).abs() < 1e-7);
    /// ```
    ///
    /// # Errors
    /// A message saying the CRS is unknown to the backend, and what to do.
    pub fn new(crs: &CrsDef, backend: Backend) -> Result<ToWgs84, ProjectionError> {
        if *crs == CrsDef::Wgs84 {
            return Ok(ToWgs84 {
                engine: Engine::Identity,
                description: "aucune (déjà en lon/lat WGS84)".to_owned(),
            });
        }
        match backend {
            Backend::Proj4rs => Self::with_proj4rs(crs),
            #[cfg(feature = "proj")]
            Backend::Proj => with_proj::ProjToWgs84::new(crs).map(|(p, description)| ToWgs84 {
                engine: Engine::Proj(p),
                description,
            }),
        }
    }

    fn with_proj4rs(crs: &CrsDef) -> Result<ToWgs84, ProjectionError> {
        let (code, src) = match crs {
            CrsDef::Wgs84 => (4326, Proj::from_epsg_code(4326)),
            CrsDef::Epsg(code) => (*code, Proj::from_epsg_code(*code)),
            CrsDef::Wkt(_) => {
                return Err(ProjectionError::new(format!(
                    "système de coordonnées inconnu : le .prj ({}) ne correspond à aucun code EPSG connu de Repère ; le déclarer dans le manifeste \
                     avec `crs = \"EPSG:<code>\"`, compiler avec la fonctionnalité `proj` (PROJ lit tout WKT), ou reprojeter le fichier en WGS84",
                    crs.label()
                )));
            }
        };
        let src = src.map_err(|e| {
            ProjectionError::new(format!(
                "système de coordonnées EPSG:{code} inconnu de proj4rs (Rust pur) ({}) ; compiler avec la fonctionnalité `proj` \
                 (PROJ connaît tous les codes EPSG) ou reprojeter le fichier en WGS84",
                crate::problem::proj4rs_fr(&e)
            ))
        })?;
        let dst = Proj::from_proj_string(WGS84_PROJ).map_err(|e| {
            ProjectionError::new(format!(
                "définition WGS84 refusée par proj4rs : {}",
                crate::problem::proj4rs_fr(&e)
            ))
        })?;
        let definition = proj4rs_definition(code);
        Ok(ToWgs84 {
            engine: Engine::Proj4rs {
                src: Box::new(src),
                dst: Box::new(dst),
            },
            description: format!(
                "{} → WGS84 avec proj4rs {} (Rust pur) : {definition}",
                crs.label(),
                PROJ4RS_VERSION
            ),
        })
    }

    /// Whether coordinates are left as they are.
    pub fn is_identity(&self) -> bool {
        matches!(self.engine, Engine::Identity)
    }

    /// What is applied, for the load report.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Transforms one coordinate (source axis order: easting/longitude first) to WGS84 lon/lat.
    ///
    /// # Errors
    /// The backend's message when the point is outside the projection's domain.
    pub fn transform(&self, c: Coord) -> Result<Coord, ProjectionError> {
        match &self.engine {
            Engine::Identity => Ok(c),
            Engine::Proj4rs { src, dst } => {
                let mut p = if src.is_latlong() {
                    (c.x.to_radians(), c.y.to_radians(), 0.0)
                } else {
                    (c.x, c.y, 0.0)
                };
                proj4rs::transform::transform(src, dst, &mut p).map_err(|e| {
                    ProjectionError::new(format!(
                        "projection impossible : {}",
                        crate::problem::proj4rs_fr(&e)
                    ))
                })?;
                let out = Coord {
                    x: p.0.to_degrees(),
                    y: p.1.to_degrees(),
                };
                if out.x.is_finite() && out.y.is_finite() {
                    Ok(out)
                } else {
                    Err(ProjectionError::new(format!(
                        "({}, {}) n'a pas d'image en WGS84",
                        c.x, c.y
                    )))
                }
            }
            #[cfg(feature = "proj")]
            Engine::Proj(p) => p.transform(c),
        }
    }
}

const PROJ4RS_VERSION: &str = "0.3";

fn proj4rs_definition(code: u16) -> String {
    if code == 4326 {
        return WGS84_PROJ.to_owned();
    }
    crs_definitions::from_code(code).map_or_else(String::new, |d| d.proj4.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_to_wgs84_matches_the_proj_reference() {
        let t = ToWgs84::new(&CrsDef::Epsg(2154), Backend::Proj4rs).unwrap();
        let p = t
            .transform(Coord {
                x: 562_122.093,
                y: 6_928_734.087,
            })
            .unwrap();
        assert!(
            (p.x - 1.0993).abs() < 1e-7 && (p.y - 49.4431).abs() < 1e-7,
            "{p:?}"
        );
        assert!(t.description().contains("EPSG:2154"), "{}", t.description());
    }

    #[test]
    fn web_mercator_to_wgs84_inverts_the_spherical_formula() {
        let t = ToWgs84::new(&CrsDef::Epsg(3857), Backend::Proj4rs).unwrap();
        // Rouen: x = R·λ, y = R·ln(tan(π/4 + φ/2)) with R = 6 378 137 m.
        let (lon, lat) = (1.0993_f64, 49.4431_f64);
        let r = 6_378_137.0;
        let x = r * lon.to_radians();
        let y = r
            * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
                .tan()
                .ln();
        let p = t.transform(Coord { x, y }).unwrap();
        assert!(
            (p.x - lon).abs() < 1e-9 && (p.y - lat).abs() < 1e-9,
            "{p:?}"
        );
    }

    #[test]
    fn wgs84_is_left_untouched() {
        let t = ToWgs84::new(&CrsDef::parse("OGC:CRS84").unwrap(), Backend::Proj4rs).unwrap();
        assert!(t.is_identity());
        assert_eq!(
            t.transform(Coord { x: 1.5, y: 49.0 }).unwrap(),
            Coord { x: 1.5, y: 49.0 }
        );
    }

    #[test]
    fn an_epsg_code_proj4rs_does_not_know_is_a_clear_error() {
        let e = ToWgs84::new(&CrsDef::Epsg(9), Backend::Proj4rs).unwrap_err();
        assert!(
            e.message.contains("EPSG:9 inconnu") && e.message.contains("fonctionnalité `proj`"),
            "{e}"
        );
    }

    #[test]
    fn crs_names_parse_in_their_usual_spellings() {
        assert_eq!(CrsDef::parse("epsg:3857"), Ok(CrsDef::Epsg(3857)));
        assert_eq!(
            CrsDef::parse("urn:ogc:def:crs:EPSG::2154"),
            Ok(CrsDef::Epsg(2154))
        );
        assert_eq!(CrsDef::parse("EPSG:4326"), Ok(CrsDef::Wgs84));
        assert!(
            CrsDef::parse("Lambert 93")
                .unwrap_err()
                .expected
                .contains("système de coordonnées")
        );
    }
}
