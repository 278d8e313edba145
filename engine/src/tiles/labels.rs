//! Label points: one point per commune and per QPV where its name is written on the map
//! (`commune_labels`, `qpv_labels`).
//!
//! A polygon layer labels itself once per tile piece (a commune cut by four tiles gets four
//! names, at the pieces' own centres); a point layer gives exactly one label per area, inside
//! it. The point is geo's [`InteriorPoint`] of the polygons (a point on the widest horizontal
//! interior segment near the centroid, always inside; a commune in several parts is labelled in
//! its largest). It is computed on WGS84 lon/lat: an interior point stays interior under Web
//! Mercator, which maps horizontal lines to horizontal lines.

use geo::{InteriorPoint, MultiPolygon, Point};

use crate::dataset::Dataset;

use super::MAX_ZOOM;
use super::schema::FieldValue;
use super::source::{SourceFeature, SourceGeometry, SourceLayer, ZoomRange};

/// The label point of an area, `None` for an empty geometry.
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use repere_engine::tiles::labels::label_point_wgs84;
/// // An L shape: its centroid (0.83, 0.83) lies outside the L, the label point inside it.
/// let l = MultiPolygon(vec![polygon![(x: 0., y: 0.), (x: 3., y: 0.), (x: 3., y: 1.),
///     (x: 1., y: 1.), (x: 1., y: 3.), (x: 0., y: 3.)]]);
/// let p = label_point_wgs84(&l).unwrap();
/// assert!(p.y() < 1.0 || p.x() < 1.0);
/// ```
pub fn label_point_wgs84(area: &MultiPolygon) -> Option<Point> {
    area.interior_point()
}

fn prop(name: &str, value: impl Into<FieldValue>) -> (String, FieldValue) {
    (name.to_owned(), value.into())
}

/// One point per member commune: `code`, `name`, `population` (labels sort on it so that the
/// larger commune keeps its name when two collide).
pub fn commune_labels(dataset: &Dataset) -> SourceLayer {
    let features = dataset
        .communes
        .iter()
        .filter_map(|c| {
            let point = label_point_wgs84(&c.boundary_wgs84)?;
            let mut properties = vec![prop("code", c.code.as_str()), prop("name", c.name.as_str())];
            if let Some(p) = c.population {
                properties.push(prop("population", p));
            }
            Some(SourceFeature {
                geometry_wgs84: SourceGeometry::Point(point),
                properties,
            })
        })
        .collect();
    SourceLayer {
        name: "commune_labels".into(),
        description: "Point d'étiquette de chaque commune (code INSEE, nom, population)".into(),
        zooms: ZoomRange::new(5, MAX_ZOOM),
        features,
        // Where a tile holds too many names (France at low zooms), the larger communes keep
        // theirs, as the page's collision rule does.
        priority: Some("population".into()),
        cell_m: None,
    }
}

/// One point per QPV of every vintage: `code`, `name`, `vintage`.
pub fn qpv_labels(dataset: &Dataset) -> SourceLayer {
    let features = dataset
        .qpv
        .iter()
        .filter_map(|q| {
            let point = label_point_wgs84(&q.boundary_wgs84)?;
            Some(SourceFeature {
                geometry_wgs84: SourceGeometry::Point(point),
                properties: vec![
                    prop("code", q.code.as_str()),
                    prop("name", q.name.as_str()),
                    prop("vintage", u32::from(q.vintage)),
                ],
            })
        })
        .collect();
    SourceLayer {
        name: "qpv_labels".into(),
        description: "Point d'étiquette de chaque QPV (code, nom, millésime)".into(),
        zooms: ZoomRange::new(8, MAX_ZOOM),
        features,
        priority: None,
        cell_m: None,
    }
}
