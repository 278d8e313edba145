//! The gap tile layers: cells holding young people with the minutes to the nearest actor of each
//! group. The threshold is applied by the client (the page), so one tileset serves every group
//! and threshold.
//!
//! Three layers, one per zoom band, served as their own tileset (not part of `all`, so the base
//! tiles stay light and gap tiles are fetched only while the layer is shown):
//! - [`GAPS_1600M`] (zooms 9-10) and [`GAPS_800M`] (zoom 11): aggregates of 8 × 8 and 4 × 4 grid
//!   cells (1.6 km and 800 m squares, Lambert-93 aligned); `youth_15_29` is the sum of their
//!   cells, minutes are the mean of their cells weighted by young people (an approximation: a
//!   coarse cell can mix cells within and beyond a threshold);
//! - [`GAPS`] (zooms 12-14): the 200 m cells themselves.
//!
//! Properties: `commune` (INSEE code of the cell, or of the coarse cell's most populated cell),
//! `youth_15_29` (one decimal), and for every expected actor group `G` with at least one actor:
//! `walk_min_G` and, with a timetable, `transit_min_G` (whole minutes, so values deduplicate).
//! A group without actors has no minutes at all: clients say the group is absent instead of
//! painting a gap.

use std::collections::BTreeMap;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::gaps::gap_grid::GapGrid;
use crate::model::actor::ActorGroup;
use crate::tiles::prepare::PropertyLayer;
use crate::tiles::source::{SourceFeature, SourceGeometry, SourceLayer, ZoomRange};
use crate::tiles::{FieldValue, MAX_ZOOM};

/// Name of the 200 m layer.
pub const GAPS: &str = "gaps";
/// Name of the 800 m layer.
pub const GAPS_800M: &str = "gaps_800m";
/// Name of the 1.6 km layer.
pub const GAPS_1600M: &str = "gaps_1600m";
/// The gap tileset's layer selection, coarse to fine.
pub const GAPS_SELECTION: &str = "gaps_1600m,gaps_800m,gaps";

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One aggregated cell: lower-left corner, side, member cells.
struct Block {
    x_l93: f64,
    y_l93: f64,
    side_m: f64,
    cells: Vec<usize>,
}

fn square_wgs84(x: f64, y: f64, m: f64, l93: &Lambert93) -> Option<Polygon> {
    let corners = [(0.0, 0.0), (m, 0.0), (m, m), (0.0, m), (0.0, 0.0)];
    let ring: Option<Vec<Coord>> = corners
        .iter()
        .map(|(dx, dy)| {
            l93.to_wgs84(Coord {
                x: x + dx,
                y: y + dy,
            })
            .ok()
        })
        .collect();
    Some(Polygon::new(LineString::new(ring?), Vec::new()))
}

fn blocks(gg: &GapGrid, factor: usize) -> Vec<Block> {
    let side = gg.grid.cell_m * factor as f64;
    let mut by: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    for (k, c) in gg.grid.cells.iter().enumerate() {
        if c.youth_15_29 > 0.0 {
            let key = (
                (c.y_l93 / side).floor() as i64,
                (c.x_l93 / side).floor() as i64,
            );
            by.entry(key).or_default().push(k);
        }
    }
    by.into_iter()
        .map(|((j, i), cells)| Block {
            x_l93: i as f64 * side,
            y_l93: j as f64 * side,
            side_m: side,
            cells,
        })
        .collect()
}

/// The groups with actors, and their index in the grid's access.
fn present_groups(gg: &GapGrid) -> Vec<(ActorGroup, usize)> {
    ActorGroup::EXPECTED
        .iter()
        .filter_map(|&g| gg.group_index(g).map(|gi| (g, gi)))
        .collect()
}

/// The properties of one block (see the module docs).
fn block_properties(
    ds: &Dataset,
    gg: &GapGrid,
    b: &Block,
    present: &[(ActorGroup, usize)],
) -> Option<Vec<(String, FieldValue)>> {
    let cells = &gg.grid.cells;
    let youth: f64 = b.cells.iter().map(|&k| cells[k].youth_15_29).sum();
    let main = b
        .cells
        .iter()
        .copied()
        .max_by(|&a, &c| cells[a].youth_15_29.total_cmp(&cells[c].youth_15_29))?;
    let mut p: Vec<(String, FieldValue)> = vec![
        (
            "commune".into(),
            ds.communes
                .get(cells[main].commune)
                .map(|x| x.code.to_string())
                .unwrap_or_default()
                .into(),
        ),
        ("youth_15_29".into(), round1(youth).into()),
    ];
    let mean = |f: &dyn Fn(usize) -> Option<f64>| -> Option<f64> {
        let mut s = 0.0;
        for &k in &b.cells {
            s += f(k)? * cells[k].youth_15_29;
        }
        (youth > 0.0).then(|| s / youth)
    };
    for &(g, gi) in present {
        let code = g.code();
        if let Some(w) = mean(&|k| Some(f64::from(gg.access[k][gi].walk_min))) {
            p.push((format!("walk_min_{code}"), w.round().into()));
        }
        if gg.transit
            && let Some(t) = mean(&|k| gg.access[k][gi].transit_min.map(f64::from))
        {
            p.push((format!("transit_min_{code}"), t.round().into()));
        }
    }
    Some(p)
}

fn description(gg: &GapGrid, factor: usize) -> String {
    let side = gg.grid.cell_m * factor as f64;
    format!(
        "Zones blanches : carreaux de {side} m (Lambert-93) avec jeunes de 15-29 ans estimés et minutes jusqu'à l'acteur le plus proche de chaque groupe{} ; {}",
        if factor > 1 {
            ", moyenne des carreaux de 200 m pondérée par les jeunes"
        } else {
            ""
        },
        gg.note
    )
}

fn layer(ds: &Dataset, gg: &GapGrid, factor: usize, name: &str, zooms: ZoomRange) -> SourceLayer {
    let l93 = Lambert93::new();
    let present = present_groups(gg);
    let features = blocks(gg, factor)
        .into_iter()
        .filter_map(|b| {
            let polygon = square_wgs84(b.x_l93, b.y_l93, b.side_m, &l93)?;
            Some(SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(MultiPolygon(vec![polygon])),
                properties: block_properties(ds, gg, &b, &present)?,
            })
        })
        .collect();
    SourceLayer {
        name: name.into(),
        description: description(gg, factor),
        zooms,
        features,
        priority: None,
        cell_m: Some(gg.grid.cell_m * factor as f64),
    }
}

/// A gap layer's properties alone, block by block, for a grid whose cells are those the
/// prepared layer was made from (an edit of actors only): the squares are not projected again.
/// `None` when a block has no square or no properties (the features would not be the blocks).
fn layer_properties(
    ds: &Dataset,
    gg: &GapGrid,
    factor: usize,
    name: &str,
    zooms: ZoomRange,
) -> Option<PropertyLayer> {
    let present = present_groups(gg);
    let properties = blocks(gg, factor)
        .iter()
        .map(|b| block_properties(ds, gg, b, &present))
        .collect::<Option<Vec<_>>>()?;
    Some(PropertyLayer {
        name: name.into(),
        description: description(gg, factor),
        zooms,
        cell_m: Some(gg.grid.cell_m * factor as f64),
        properties,
    })
}

/// The properties of the three gap layers, coarse to fine, when the prepared layers' geometry is
/// known to be unchanged (the same grid cells); `None` when a layer cannot be told apart
/// from its blocks that way.
pub fn gaps_layers_properties(ds: &Dataset, gg: &GapGrid) -> Option<Vec<PropertyLayer>> {
    Some(vec![
        layer_properties(ds, gg, 8, GAPS_1600M, ZoomRange::new(9, 10))?,
        layer_properties(ds, gg, 4, GAPS_800M, ZoomRange::new(11, 11))?,
        layer_properties(ds, gg, 1, GAPS, ZoomRange::new(12, MAX_ZOOM))?,
    ])
}

/// The three gap layers, coarse to fine (see the module docs).
pub fn gaps_layers(ds: &Dataset, gg: &GapGrid) -> Vec<SourceLayer> {
    vec![
        layer(ds, gg, 8, GAPS_1600M, ZoomRange::new(9, 10)),
        layer(ds, gg, 4, GAPS_800M, ZoomRange::new(11, 11)),
        layer(ds, gg, 1, GAPS, ZoomRange::new(12, MAX_ZOOM)),
    ]
}
