//! The `gaps` tile layer: 200 m cells holding young people, with per-group access and gaps.
//!
//! Properties: `id`, `commune`, `youth_15_29`, `nearest_stop_m`, `threshold_min`, `transit`
//! (whether transit times exist) and, for every expected actor group `G` (`ML`, `FT`, `RFS`…):
//! `walk_min_G` and, with a timetable, `transit_min_G` (whole minutes; absent when the group has
//! no actor) and `gap_G` (young people present and access beyond the threshold, or no actor of
//! the group at all). From zoom 12 (a cell is then ≥ 8 px); minutes are rounded to whole
//! minutes so tile values deduplicate. Gap scores are in [`super::features`].

use geo::MultiPolygon;

use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::gaps::access::GapGrid;
use crate::gaps::features::cell_polygon_wgs84;
use crate::model::actor::ActorGroup;
use crate::tiles::source::{SourceFeature, SourceGeometry, SourceLayer, ZoomRange};
use crate::tiles::{FieldValue, MAX_ZOOM};

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The `gaps` source layer at the grid's own threshold ([`super::GapParams::threshold_min`]).
pub fn gaps_layer(ds: &Dataset, gg: &GapGrid) -> SourceLayer {
    let l93 = Lambert93::new();
    let thr = gg.params.threshold_min;
    let features = gg
        .grid
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.youth_15_29 > 0.0)
        .filter_map(|(k, c)| {
            let polygon = cell_polygon_wgs84(&gg.grid, k, &l93)?;
            let mut p: Vec<(String, FieldValue)> = vec![
                ("id".into(), gg.grid.cell_id(k).into()),
                (
                    "commune".into(),
                    ds.communes
                        .get(c.commune)
                        .map(|x| x.code.to_string())
                        .unwrap_or_default()
                        .into(),
                ),
                ("youth_15_29".into(), round1(c.youth_15_29).into()),
            ];
            if let Some(d) = gg.nearest_stop_m[k] {
                p.push(("nearest_stop_m".into(), f64::from(d).round().into()));
            }
            p.push(("threshold_min".into(), thr.into()));
            p.push(("transit".into(), gg.transit.into()));
            for g in ActorGroup::EXPECTED {
                let code = g.code();
                match gg.group_index(g) {
                    Some(gi) => {
                        let a = gg.access[k][gi];
                        p.push((
                            format!("walk_min_{code}"),
                            f64::from(a.walk_min).round().into(),
                        ));
                        if let Some(t) = a.transit_min {
                            p.push((format!("transit_min_{code}"), f64::from(t).round().into()));
                        }
                        p.push((format!("gap_{code}"), gg.is_gap(k, gi, thr).into()));
                    }
                    None => p.push((
                        format!("gap_{code}"),
                        (c.youth_15_29 >= gg.params.min_youth).into(),
                    )),
                }
            }
            Some(SourceFeature {
                geometry_wgs84: SourceGeometry::Polygons(MultiPolygon(vec![polygon])),
                properties: p,
            })
        })
        .collect();
    SourceLayer {
        name: "gaps".into(),
        description: format!(
            "Zones blanches : carreaux de {} m (Lambert-93) avec jeunes de 15-29 ans estimés, temps d'accès à l'acteur le plus proche de chaque groupe, seuil {} min ; {}",
            gg.grid.cell_m, thr, gg.note
        ),
        zooms: ZoomRange::new(12, MAX_ZOOM),
        features,
    }
}
