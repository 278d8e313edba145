//! Polygon layers that load where their codes say they are: a commune, QPV or IRIS of a
//! metropolitan département must lie in the Métropole. Swapped lon/lat and a wrong CRS (a WGS84
//! file declared in Lambert-93, or the reverse) put whole layers off Africa or in the Indian
//! Ocean while every polygon stays valid; this check makes them load errors that name the file,
//! the first misplaced feature and the likely cause.

use geo::{BoundingRect, Coord, MultiPolygon, Rect};

use crate::number::Shown;
use crate::problem::{Location, Problem, Problems};

/// The area of use of Lambert-93 (EPSG:2154) as the EPSG registry gives it, in WGS84 degrees:
/// France métropolitaine and Corsica, onshore and offshore.
pub fn metropole_wgs84() -> Rect {
    Rect::new(Coord { x: -9.86, y: 41.15 }, Coord { x: 10.38, y: 51.56 })
}

/// Whether a département code is an overseas one (`971` … `976`, `98x`): those lie outside the
/// Métropole by design and are not checked here (nor is `99`, INSEE's code for abroad, unless
/// the manifest declares the territory's département).
pub fn is_overseas(departement: &str) -> bool {
    departement.len() >= 3 || departement.starts_with("97") || departement.starts_with("98")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cause {
    Swapped,
    Outside,
}

/// Misplaced polygons of one file, reported as one error naming the first of them.
#[derive(Debug)]
pub struct MisplacedPolygons {
    file: String,
    what: &'static str,
    first: Option<(Location, Coord, Cause, String)>,
    count: usize,
    swapped: usize,
    declared: Option<String>,
}

impl MisplacedPolygons {
    /// A tally for `file`, whose polygons are `what` (« communes », « QPV », « IRIS »), in a
    /// territory whose manifest may declare its département (`[territory] departement`).
    pub fn new(file: &str, what: &'static str, declared: Option<&str>) -> Self {
        Self {
            file: file.to_owned(),
            what,
            first: None,
            count: 0,
            swapped: 0,
            declared: declared.map(str::to_owned),
        }
    }

    /// Checks one polygon (WGS84) of `departement`; `false` when it lies outside the Métropole.
    pub fn check(&mut self, location: &Location, departement: &str, mp: &MultiPolygon) -> bool {
        // Code 99 (abroad, and synthetic test territories): only a declared département says
        // where the polygons belong.
        let departement = match (departement, &self.declared) {
            ("99", Some(d)) => d.clone(),
            ("99", None) => return true,
            (d, _) => d.to_owned(),
        };
        let departement = departement.as_str();
        if is_overseas(departement) {
            return true;
        }
        let Some(bb) = mp.bounding_rect() else {
            return true;
        };
        let area = metropole_wgs84();
        let inside = |c: Coord| {
            c.x >= area.min().x && c.x <= area.max().x && c.y >= area.min().y && c.y <= area.max().y
        };
        let c = bb.center();
        if inside(c) {
            return true;
        }
        let cause = if inside(Coord { x: c.y, y: c.x }) {
            self.swapped += 1;
            Cause::Swapped
        } else {
            Cause::Outside
        };
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((location.clone(), c, cause, departement.to_owned()));
        }
        false
    }

    /// Records one error for the file when any polygon was misplaced; `crs_found` is how the
    /// file's CRS was found (load report), named in the message.
    pub fn report(self, crs_found: Option<&str>, problems: &mut Problems) {
        let Some((location, c, cause, departement)) = self.first else {
            return;
        };
        let others = match self.count {
            1 => String::new(),
            n => format!(" (et {} autre(s) {} du fichier)", n - 1, self.what),
        };
        let place = format!(
            "contour centré sur ({}, {}), hors de France métropolitaine alors que son code désigne le département {departement}{others}",
            Shown(c.x),
            Shown(c.y)
        );
        let cause = if cause == Cause::Swapped && self.swapped * 2 >= self.count {
            format!(
                "longitude et latitude semblent inversées : ({}, {}) serait en France ; vérifiez l'ordre des coordonnées (lon, lat) du fichier",
                Shown(c.y),
                Shown(c.x)
            )
        } else {
            let crs = crs_found.map(|s| format!(" ({s})")).unwrap_or_default();
            format!(
                "le système de coordonnées lu{crs} n'est probablement pas celui du fichier : indiquez le bon avec `crs` dans le manifeste (EPSG:4326 pour des degrés lon/lat, EPSG:2154 pour du Lambert-93)"
            )
        };
        problems.error(Problem::at(
            &self.file,
            location,
            Some("geometry"),
            format!("{place} : {cause}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64) -> MultiPolygon {
        MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + 0.1, y: y), (x: x + 0.1, y: y + 0.1), (x: x, y: y + 0.1), (x: x, y: y)
        ]])
    }

    #[test]
    fn rouen_is_in_the_metropole_and_its_swap_is_not() {
        let mut t = MisplacedPolygons::new("c.geojson", "communes", None);
        assert!(t.check(&Location::Feature(0), "76", &square(1.05, 49.4)));
        assert!(!t.check(&Location::Feature(1), "76", &square(49.4, 1.05)));
        assert!(t.check(&Location::Feature(2), "974", &square(55.5, -21.1)));
        let mut p = Problems::default();
        t.report(Some("EPSG:4326"), &mut p);
        let (errors, _) = p.into_parts();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("inversées"), "{}", errors[0]);
        assert_eq!(errors[0].location, Location::Feature(1));
    }

    #[test]
    fn far_away_polygons_blame_the_crs() {
        let mut t = MisplacedPolygons::new("q.geojson", "QPV", Some("76"));
        assert!(!t.check(&Location::Feature(3), "99", &square(-66.0, 8.0)));
        assert!(MisplacedPolygons::new("q", "QPV", None).check(
            &Location::Feature(0),
            "99",
            &square(-66.0, 8.0)
        ));
        let mut p = Problems::default();
        t.report(Some("EPSG:2154 (manifeste)"), &mut p);
        let (errors, _) = p.into_parts();
        assert!(
            errors[0].message.contains("EPSG:2154 (manifeste)"),
            "{}",
            errors[0]
        );
        assert!(errors[0].message.contains("système de coordonnées"));
    }
}
