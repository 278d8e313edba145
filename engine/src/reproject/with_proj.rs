//! The PROJ backend (feature `proj`): any CRS PROJ knows, from an EPSG code or WKT text.

use geo::Coord;

use super::CrsDef;
use crate::problem::ProjectionError;

/// A PROJ transformation to WGS84, input and output in easting/longitude-first order.
pub(super) struct ProjToWgs84(proj::Proj);

impl ProjToWgs84 {
    /// Builds the PROJ operation; also returns its description for the load report.
    pub(super) fn new(crs: &CrsDef) -> Result<(ProjToWgs84, String), ProjectionError> {
        let source = match crs {
            CrsDef::Wgs84 => "OGC:CRS84".to_owned(),
            CrsDef::Epsg(code) => format!("EPSG:{code}"),
            CrsDef::Wkt(text) => text.clone(),
        };
        // `new_known_crs` normalises both ends to lon/lat (easting/northing) order.
        let p = proj::Proj::new_known_crs(&source, "OGC:CRS84", None).map_err(|e| {
            ProjectionError::new(format!(
                "système de coordonnées {} inconnu : PROJ ne sait pas le transformer en WGS84 ({e}) ; vérifier le .prj ou le `crs` du manifeste",
                crs.label()
            ))
        })?;
        let version = proj::ProjBuilder::new()
            .lib_info()
            .map(|i| i.release)
            .unwrap_or_default();
        let definition = p.proj_info().definition.unwrap_or_default();
        let description = format!(
            "{} → WGS84 avec PROJ ({version}) : {definition}",
            crs.label()
        );
        Ok((ProjToWgs84(p), description))
    }

    pub(super) fn transform(&self, c: Coord) -> Result<Coord, ProjectionError> {
        let (x, y) = self
            .0
            .convert((c.x, c.y))
            .map_err(|e| ProjectionError::new(format!("projection impossible : {e}")))?;
        if x.is_finite() && y.is_finite() {
            Ok(Coord { x, y })
        } else {
            Err(ProjectionError::new(format!(
                "({}, {}) n'a pas d'image en WGS84",
                c.x, c.y
            )))
        }
    }
}
