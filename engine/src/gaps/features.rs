//! Grid cells as WGS84 polygons with their properties, for the `gaps` tile layer and GeoJSON.

use geo::{Coord, LineString, Polygon};

use crate::crs::Lambert93;
use crate::gaps::gap_grid::GapGrid;
use crate::grid::Grid;
use crate::model::actor::ActorGroup;

/// One cell ready for output.
#[derive(Debug, Clone, PartialEq)]
pub struct GapCellFeature {
    /// Cell identifier (`L93_200m_E…N…`).
    pub id: String,
    /// The cell square, WGS84 lon/lat degrees (its four Lambert-93 corners reprojected).
    pub polygon_wgs84: Polygon,
    /// INSEE code of the cell's commune.
    pub commune: String,
    /// Estimated young people aged 15-29.
    pub youth_15_29: f64,
    /// Walking minutes to the nearest actor of the group.
    pub walk_min: f64,
    /// Minutes on foot + public transport, when a timetable exists.
    pub transit_min: Option<f64>,
    /// Straight-line metres to the nearest stop.
    pub nearest_stop_m: Option<f64>,
    /// Whether the cell is a gap.
    pub gap: bool,
    /// Gap score (0 when not a gap).
    pub gap_score: f64,
}

/// The cells holding young people, with access to `group` judged against `threshold_min`.
/// Empty when the group has no actor.
pub fn gap_features(
    gg: &GapGrid,
    communes: &[crate::model::commune::Commune],
    group: ActorGroup,
    threshold_min: f64,
) -> Vec<GapCellFeature> {
    let Some(gi) = gg.group_index(group) else {
        return Vec::new();
    };
    let l93 = Lambert93::new();
    gg.grid
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.youth_15_29 > 0.0)
        .filter_map(|(k, c)| {
            let polygon_wgs84 = cell_polygon_wgs84(&gg.grid, k, &l93)?;
            let a = gg.access[k][gi];
            Some(GapCellFeature {
                id: gg.grid.cell_id(k),
                polygon_wgs84,
                commune: communes
                    .get(c.commune)
                    .map(|x| x.code.to_string())
                    .unwrap_or_default(),
                youth_15_29: c.youth_15_29,
                walk_min: f64::from(a.walk_min),
                transit_min: a.transit_min.map(f64::from),
                nearest_stop_m: gg.nearest_stop_m[k].map(f64::from),
                gap: gg.is_gap(k, gi, threshold_min),
                gap_score: gg.gap_score(k, gi, threshold_min),
            })
        })
        .collect()
}

/// The square of cell `k` in WGS84 (its four Lambert-93 corners reprojected); `None` if a
/// corner falls outside the projection's domain.
pub fn cell_polygon_wgs84(grid: &Grid, k: usize, l93: &Lambert93) -> Option<Polygon> {
    let (c, m) = (&grid.cells[k], grid.cell_m);
    let corners = [(0.0, 0.0), (m, 0.0), (m, m), (0.0, m), (0.0, 0.0)];
    let ring: Option<Vec<Coord>> = corners
        .iter()
        .map(|(dx, dy)| {
            l93.to_wgs84(Coord {
                x: c.x_l93 + dx,
                y: c.y_l93 + dy,
            })
            .ok()
        })
        .collect();
    Some(Polygon::new(LineString::new(ring?), Vec::new()))
}
