//! Checking and repairing geometries read from files, in WGS84 lon/lat degrees.
//!
//! GeoJSON positions are checked before conversion (range, finiteness, ring closure) because
//! `geo` closes rings silently; polygons are then checked with OGC validity rules and repaired
//! with `geo`'s `MakeValid` (constrained triangulation, Ledoux et al. 2014) when they are not.

use geo::{
    Area, BooleanOps, Coord, LineString, MakeValid, MultiPolygon, Point, Polygon, Rect, Validation,
};
use geojson::{GeometryValue as Value, Position};

use crate::number::Shown;
use crate::problem::{Location, Problem, Problems};

/// Where a geometry comes from, for messages.
#[derive(Debug, Clone, Copy)]
pub struct GeomSite<'a> {
    /// File name as shown to the user.
    pub file: &'a str,
    /// Feature (GeoJSON) or line (CSV) of the geometry.
    pub location: &'a Location,
    /// Property or column holding the geometry.
    pub field: &'a str,
}

impl GeomSite<'_> {
    fn problem(&self, message: impl Into<String>) -> Problem {
        Problem::at(self.file, self.location.clone(), Some(self.field), message)
    }
}

/// Checks a WGS84 lon/lat pair (see [`Wgs84Point`](crate::point::Wgs84Point)).
///
/// # Errors
/// [`PointError`](crate::point::PointError) with the offending values.
pub fn check_lon_lat(lon: f64, lat: f64) -> Result<Coord, crate::point::PointError> {
    crate::point::Wgs84Point::new(lon, lat).map(|p| p.coord())
}

/// A point outside the territory's extent.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ExtentError {
    /// Swapping lon and lat would put the point inside: the columns are probably swapped.
    #[error(
        "lon/lat semblent inversées : ({}, {}) est hors du territoire mais ({}, {}) y est",
        Shown(.0.x), Shown(.0.y), Shown(.0.y), Shown(.0.x)
    )]
    Swapped(Coord),
    /// The point is outside, swapped or not.
    #[error("le point ({}, {}) est loin hors du territoire", Shown(.0.x), Shown(.0.y))]
    Outside(Coord),
}

/// Checks that a point lies in the territory's extent, telling when lon and lat look swapped.
///
/// # Errors
/// [`ExtentError::Swapped`] when swapping lon and lat would put it inside, else
/// [`ExtentError::Outside`].
pub fn extent_check(c: Coord, extent: &Rect) -> Result<(), ExtentError> {
    let inside = |c: Coord| {
        c.x >= extent.min().x
            && c.x <= extent.max().x
            && c.y >= extent.min().y
            && c.y <= extent.max().y
    };
    if inside(c) {
        Ok(())
    } else if inside(Coord { x: c.y, y: c.x }) {
        Err(ExtentError::Swapped(c))
    } else {
        Err(ExtentError::Outside(c))
    }
}

fn ring(
    site: &GeomSite<'_>,
    positions: &[Position],
    problems: &mut Problems,
) -> Option<LineString> {
    if positions.is_empty() {
        problems.error(site.problem("anneau vide"));
        return None;
    }
    let mut coords = Vec::with_capacity(positions.len() + 1);
    for p in positions {
        let p = p.as_slice();
        if p.len() < 2 {
            problems.error(site.problem(format!(
                "position à {} valeur(s) : attendu lon et lat",
                p.len()
            )));
            return None;
        }
        match check_lon_lat(p[0], p[1]) {
            Ok(c) => coords.push(c),
            Err(m) => {
                problems.error(site.problem(m));
                return None;
            }
        }
    }
    if coords.first() != coords.last() {
        problems.warn(site.problem("anneau non fermé : fermé en répétant sa première position"));
        coords.push(coords[0]);
    }
    if coords.len() < 4 {
        problems.error(site.problem(format!(
            "anneau de {} positions : un anneau fermé en demande au moins 4",
            coords.len()
        )));
        return None;
    }
    Some(LineString::new(coords))
}

fn polygon(
    site: &GeomSite<'_>,
    rings: &[Vec<Position>],
    problems: &mut Problems,
) -> Option<Polygon> {
    let Some((outer, inner)) = rings.split_first() else {
        problems.error(site.problem("polygone sans anneau"));
        return None;
    };
    let exterior = ring(site, outer, problems)?;
    let interiors = inner
        .iter()
        .map(|r| ring(site, r, problems))
        .collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(exterior, interiors))
}

/// Converts a GeoJSON geometry into a valid WGS84 multipolygon, repairing what can be repaired
/// (warnings) and rejecting the rest (errors), all recorded in `problems`.
pub fn multipolygon_from_geojson(
    site: &GeomSite<'_>,
    geometry: Option<&geojson::Geometry>,
    problems: &mut Problems,
) -> Option<MultiPolygon> {
    let Some(geometry) = geometry else {
        problems.error(site.problem("entité sans géométrie"));
        return None;
    };
    let polygons = match &geometry.value {
        Value::Polygon { coordinates: rings } => vec![polygon(site, rings, problems)?],
        Value::MultiPolygon { coordinates: polys } => polys
            .iter()
            .map(|rings| polygon(site, rings, problems))
            .collect::<Option<Vec<_>>>()?,
        other => {
            problems.error(site.problem(format!(
                "type de géométrie {} non pris en charge (attendu Polygon ou MultiPolygon)",
                other.type_name()
            )));
            return None;
        }
    };
    validated(site, MultiPolygon::new(polygons), problems)
}

/// A checked polygon in WGS84 degrees and its Lambert-93 projection in metres.
pub type BoundaryPair = (MultiPolygon, MultiPolygon);

/// Reads a polygonal GeoJSON geometry ([`multipolygon_from_geojson`]) and projects it to
/// Lambert-93; every problem goes to `problems`, naming the site.
pub fn boundary_from_geojson(
    site: &GeomSite<'_>,
    geometry: Option<&geojson::Geometry>,
    l93: &crate::crs::Lambert93,
    problems: &mut Problems,
) -> Option<BoundaryPair> {
    let wgs84 = multipolygon_from_geojson(site, geometry, problems)?;
    match l93.multipolygon_from_wgs84(&wgs84) {
        Ok(projected) => Some((wgs84, projected)),
        Err(m) => {
            problems.error(site.problem(format!("projection en Lambert-93 impossible : {m}")));
            None
        }
    }
}

/// Checks OGC validity and repairs an invalid multipolygon (warning), or rejects it (error) when
/// the repair leaves nothing.
pub fn validated(
    site: &GeomSite<'_>,
    mp: MultiPolygon,
    problems: &mut Problems,
) -> Option<MultiPolygon> {
    if mp.0.is_empty() {
        problems.error(site.problem("géométrie vide"));
        return None;
    }
    let fast_valid = mp.0.len() == 1 && simple_polygon_is_valid(&mp.0[0]);
    let checked = if fast_valid {
        Ok(())
    } else {
        mp.check_validation()
    };
    let Err(invalid) = checked else {
        if mp.unsigned_area() <= 0.0 {
            problems.error(site.problem("polygone d'aire nulle rejeté (anneau dégénéré)"));
            return None;
        }
        return Some(mp);
    };
    let reason = invalidity_fr(&invalid);
    let mut repaired = MultiPolygon::new(vec![]);
    for p in &mp.0 {
        match make_valid_degrees(p) {
            Ok(piece) => repaired = repaired.union(&piece),
            Err(e) => {
                problems.error(site.problem(format!(
                    "polygone non valide ({reason}) irréparable : {}",
                    repair_failure_fr(&e)
                )));
                return None;
            }
        }
    }
    if repaired.unsigned_area() <= 0.0 {
        problems.error(site.problem(format!(
            "polygone non valide ({reason}) rejeté : rien ne reste après réparation"
        )));
        return None;
    }
    problems.warn(site.problem(format!("polygone non valide ({reason}) réparé")));
    Some(repaired)
}

/// Degrees → repair units: `geo`'s `MakeValid` snaps vertices closer than a fixed 0.0001 units
/// (its triangulation's `snap_radius`), meant for metres. In degrees that is about 11 m of latitude:
/// distinct vertices of a QPV merged, lobes and notches lost (up to 1 % of a QPV 2015's area and
/// 5 m of distance on the official file). Scaled by 2^17 the radius is about 0.1 mm, as on
/// Lambert-93 metres; a power of two makes the scaling exact both ways.
const REPAIR_SCALE: f64 = 131_072.0;

/// `geo`'s `MakeValid` of a WGS84 polygon, computed at the sub-millimetre snapping of a metric
/// CRS (see [`REPAIR_SCALE`]), so that the repair is the one GEOS `make_valid` gives on
/// Lambert-93 metres.
fn make_valid_degrees(
    p: &Polygon,
) -> Result<MultiPolygon, geo::algorithm::repair_polygon::RepairPolygonError> {
    use geo::MapCoords;
    let scaled = p.map_coords(|c| Coord {
        x: c.x * REPAIR_SCALE,
        y: c.y * REPAIR_SCALE,
    });
    Ok(scaled.make_valid()?.map_coords(|c| Coord {
        x: c.x / REPAIR_SCALE,
        y: c.y / REPAIR_SCALE,
    }))
}

/// Why `geo` finds a multipolygon invalid, in French (its own `Display` is English).
fn invalidity_fr(invalid: &geo::algorithm::validation::InvalidMultiPolygon) -> String {
    use geo::algorithm::validation::{InvalidMultiPolygon as M, InvalidPolygon as P, RingRole};
    let ring = |r: &RingRole| match r {
        RingRole::Exterior => "l'anneau extérieur".to_owned(),
        RingRole::Interior(i) => format!("l'anneau intérieur n° {i}"),
    };
    match invalid {
        M::InvalidPolygon(idx, why) => {
            let why = match why {
                P::TooFewPointsInRing(r) => {
                    format!("{} a moins de 3 points distincts", ring(r))
                }
                P::SelfIntersection(r) => format!("{} se recoupe", ring(r)),
                P::NonFiniteCoord(r, c) => {
                    format!(
                        "{} a une coordonnée non finie à la position {}",
                        ring(r),
                        c.0
                    )
                }
                P::InteriorRingNotContainedInExteriorRing(r) => {
                    format!("{} sort de l'anneau extérieur", ring(r))
                }
                P::IntersectingRingsOnALine(a, b) => {
                    format!("{} et {} se touchent le long d'une ligne", ring(a), ring(b))
                }
                P::IntersectingRingsOnAnArea(a, b) => {
                    format!("{} et {} se chevauchent", ring(a), ring(b))
                }
            };
            format!("polygone n° {} : {why}", idx.0)
        }
        M::ElementsOverlaps(a, b) => format!("les polygones n° {} et {} se chevauchent", a.0, b.0),
        M::ElementsTouchOnALine(a, b) => {
            format!(
                "les polygones n° {} et {} se touchent le long d'une ligne",
                a.0, b.0
            )
        }
    }
}

/// Why `geo`'s repair failed, in French.
fn repair_failure_fr(e: &geo::algorithm::repair_polygon::RepairPolygonError) -> &'static str {
    use geo::algorithm::repair_polygon::RepairPolygonError as E;
    match e {
        E::CoordinateIsNaN => "coordonnée NaN",
        E::CoordinateTooLarge => "coordonnée trop grande pour la triangulation",
        E::CoordinateTooSmall => "coordonnée trop petite pour la triangulation",
        E::ConstraintFailure => {
            "arête impossible à insérer dans la triangulation (précision numérique)"
        }
    }
}

/// Whether a polygon without holes is valid by the rules `geo`'s `Validation` applies to it
/// (finite coordinates, at least 4 distinct points, no self-intersection of the ring), with the
/// same segment predicate but a sweep over segments sorted by x instead of geo's all-pairs scan
/// (a commune ring of 5 000 vertices is 25 million pairs there). `false` means "check fully".
fn simple_polygon_is_valid(p: &Polygon) -> bool {
    use geo::{Intersects, RemoveRepeatedPoints};
    if !p.interiors().is_empty() {
        return false;
    }
    let ring = p.exterior();
    if ring.0.iter().any(|c| !c.x.is_finite() || !c.y.is_finite())
        || ring.remove_repeated_points().0.len() < 4
    {
        return false;
    }
    let lines: Vec<geo::Line> = ring.lines().collect();
    let mut order: Vec<usize> = (0..lines.len()).collect();
    let min_x = |l: &geo::Line| l.start.x.min(l.end.x);
    order.sort_unstable_by(|a, b| min_x(&lines[*a]).total_cmp(&min_x(&lines[*b])));
    for (k, &i) in order.iter().enumerate() {
        let a = lines[i];
        let (a_max_x, a_min_y, a_max_y) = (
            a.start.x.max(a.end.x),
            a.start.y.min(a.end.y),
            a.start.y.max(a.end.y),
        );
        for &j in &order[k + 1..] {
            let b = lines[j];
            if min_x(&b) > a_max_x {
                break;
            }
            if b.start.y.max(b.end.y) < a_min_y || b.start.y.min(b.end.y) > a_max_y {
                continue;
            }
            // geo's predicate: intersecting and not sharing the joint of consecutive segments.
            if a.intersects(&b) && a.start != b.end && a.end != b.start {
                return false;
            }
        }
    }
    true
}

/// Reads a GeoJSON point as a WGS84 coordinate.
pub fn point_from_geojson(
    site: &GeomSite<'_>,
    geometry: Option<&geojson::Geometry>,
    problems: &mut Problems,
) -> Option<Point> {
    match geometry.map(|g| &g.value) {
        Some(Value::Point { coordinates: p }) if p.as_slice().len() >= 2 => {
            match check_lon_lat(p.as_slice()[0], p.as_slice()[1]) {
                Ok(c) => Some(Point(c)),
                Err(m) => {
                    problems.error(site.problem(m));
                    None
                }
            }
        }
        Some(other) => {
            problems.error(site.problem(format!(
                "type de géométrie {} non pris en charge (attendu Point)",
                other.type_name()
            )));
            None
        }
        None => {
            problems.error(site.problem("entité sans géométrie"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep agrees with geo's all-pairs validation on random rings (most of them
    /// self-intersecting, with repeated and collinear points on a coarse grid).
    #[test]
    fn fast_ring_check_agrees_with_geo_validation() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as f64
        };
        let (mut valid, mut invalid) = (0, 0);
        for _ in 0..4000 {
            let n = 3 + next(6) as usize;
            let mut coords: Vec<Coord> = (0..n)
                .map(|_| Coord {
                    x: next(5),
                    y: next(5),
                })
                .collect();
            coords.push(coords[0]);
            let p = Polygon::new(LineString::new(coords), vec![]);
            let fast = simple_polygon_is_valid(&p);
            assert_eq!(fast, p.is_valid(), "{p:?}");
            if fast {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        assert!(
            valid > 100 && invalid > 100,
            "{valid} valid, {invalid} invalid"
        );
    }

    fn site() -> (String, Location) {
        ("f.geojson".into(), Location::Feature(3))
    }

    #[test]
    fn bowtie_is_repaired_with_a_warning() {
        let (file, loc) = site();
        let s = GeomSite {
            file: &file,
            location: &loc,
            field: "geometry",
        };
        let ring = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]];
        let g = geojson::Geometry::new(Value::Polygon {
            coordinates: vec![ring.iter().map(|p| Position::from(p.to_vec())).collect()],
        });
        let mut p = Problems::default();
        let mp = multipolygon_from_geojson(&s, Some(&g), &mut p).unwrap();
        assert_eq!(mp.0.len(), 2);
        let (errors, warnings) = p.into_parts();
        assert!(errors.is_empty());
        assert!(
            warnings[0].to_string().contains("réparé"),
            "{}",
            warnings[0]
        );
    }

    /// Synthetic fixture reproducing QPV 2015 polygons of the official file (QP017005,
    /// QP001005…): a self-intersecting ring, hence repaired, with a feature narrower than
    /// 0.0001° (a 3.3 m wide notch). Repaired in degrees with geo's fixed snap radius of 0.0001
    /// units, the notch vertices merged and its area was lost; the repair must keep it, as GEOS
    /// `make_valid` does on Lambert-93 metres.
    #[test]
    fn a_repair_keeps_features_narrower_than_a_ten_thousandth_of_a_degree() {
        let (file, loc) = site();
        let s = GeomSite {
            file: &file,
            location: &loc,
            field: "geometry",
        };
        // A 0.01° bow-tie near Rouen, in units of 0.01°, with a notch 0.2 deep and 0.003 wide
        // (0.00003°) cut into the left lobe's edge.
        let (lon0, lat0, unit, w) = (1.09, 49.44, 0.01, 0.003);
        let ring: Vec<[f64; 2]> = [
            [0.0, 0.0],
            [0.0, 0.4],
            [0.2, 0.4],
            [0.2, 0.4 + w],
            [0.0, 0.4 + w],
            [0.0, 1.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 0.0],
        ]
        .iter()
        .map(|[x, y]| [lon0 + x * unit, lat0 + y * unit])
        .collect();
        let g = geojson::Geometry::new(Value::Polygon {
            coordinates: vec![ring.iter().map(|p| Position::from(p.to_vec())).collect()],
        });
        let mut p = Problems::default();
        let mp = multipolygon_from_geojson(&s, Some(&g), &mut p).unwrap();
        // Two lobes of a quarter unit² each, less the notch.
        let expected = (0.5 - 0.2 * w) * unit * unit;
        let area = mp.unsigned_area();
        assert!(
            ((area - expected) / expected).abs() < 1e-9,
            "area {area:e} deg², expected {expected:e} (without the notch: {:e})",
            0.5 * unit * unit
        );
        assert_eq!(mp.0.len(), 2);
        assert!(p.into_parts().1[0].to_string().contains("réparé"));
    }
}
