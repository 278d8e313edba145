//! Keeping dense tiles small at low zooms: what a layer drops where it has too much to draw.
//!
//! Simplification to the zoom's resolution happens in [`super::prepare`] (Douglas-Peucker at a
//! fixed tolerance in grid units, so the tolerance in metres halves at each zoom). It is not
//! enough for France at zoom 5, where one tile holds some ten thousand communes, each a few
//! pixels wide, with a score of attributes: this module decides which features a tile keeps.
//!
//! Each feature belongs to one **home tile** per zoom (the tile of its bounding box's centre, or
//! of the point). Within a home tile, features are ranked (polygons by area, largest first; label
//! points by a priority property such as the population, largest first; ties by feature order)
//! and kept while the estimated encoded size of the kept ones stays within the layer's budget
//! ([`POLYGON_BUDGET_BYTES`], [`POINT_BUDGET_BYTES`]); the first is always kept. The decision is
//! per feature and per zoom, never per request, so a feature crossing a tile edge is drawn in
//! both tiles or in neither. A tile below its budget keeps everything: the Métropole's 71
//! communes are far below it at every zoom, so its tiles are unchanged.
//!
//! For points the rule is monotone in the zoom (the home tile at `z + 1` is a quarter of the one
//! at `z` and holds a subset of its competitors), so it is stored as one lowest zoom per feature.

use std::collections::HashMap;

use super::EXTENT;

/// Estimated bytes of one polygon layer's features per home tile (gzip not counted).
pub const POLYGON_BUDGET_BYTES: usize = 256 * 1024;
/// Estimated bytes of one thinned point layer's features per home tile.
pub const POINT_BUDGET_BYTES: usize = 32 * 1024;

/// Bits of a tile's side on the grid of its zoom (`EXTENT` = 2^12).
const EXTENT_BITS: u32 = EXTENT.trailing_zeros();

/// What the size estimate of a feature is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeatureCost {
    /// Vertices of the feature at this zoom (0 for a point).
    pub vertices: usize,
    /// Rings (0 for a point).
    pub rings: usize,
    /// Properties.
    pub properties: usize,
}

impl FeatureCost {
    /// Estimated encoded bytes: about two bytes per vertex (zig-zag varint deltas), a command
    /// per ring, and per property its key and value indices plus the value itself, taken as
    /// distinct (most diagnostic numbers, names and codes are).
    pub fn estimated_bytes(self) -> usize {
        12 + 2 * self.vertices + 3 * self.rings + 12 * self.properties
    }
}

/// One feature as the rule sees it at one zoom: its home tile, rank key and cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Home tile `(x, y)` at this zoom.
    pub home: (i64, i64),
    /// Larger is kept first (area in grid units², or the priority property).
    pub weight: f64,
    /// Estimated size.
    pub cost: FeatureCost,
}

/// Home tile of a grid bounding box `[min_x, min_y, max_x, max_y]` (grid of the same zoom).
pub fn home_of_bbox(bbox: &[i64; 4]) -> (i64, i64) {
    (
        ((bbox[0] + bbox[2]) / 2) >> EXTENT_BITS,
        ((bbox[1] + bbox[3]) / 2) >> EXTENT_BITS,
    )
}

/// Home tile at zoom `z` of a point on the grid of zoom `grid_zoom` (≥ `z`).
pub fn home_of_point(p: [i64; 2], grid_zoom: u8, z: u8) -> (i64, i64) {
    let shift = u32::from(grid_zoom.saturating_sub(z)) + EXTENT_BITS;
    (p[0] >> shift, p[1] >> shift)
}

/// Which candidates are kept (same order as `candidates`), each home tile within `budget_bytes`.
///
/// # Examples
/// ```
/// use repere_engine::tiles::density::{keep_within_budget, Candidate, FeatureCost};
/// let cost = FeatureCost { vertices: 100, rings: 1, properties: 10 };
/// let one = cost.estimated_bytes();
/// let c = |home, weight| Candidate { home, weight, cost };
/// // Two features fit in tile (0, 0), the smallest is dropped; tile (1, 0) keeps its only one.
/// let kept = keep_within_budget(&[c((0, 0), 5.0), c((0, 0), 1.0), c((0, 0), 9.0), c((1, 0), 0.5)], 2 * one);
/// assert_eq!(kept, vec![true, false, true, true]);
/// ```
pub fn keep_within_budget(candidates: &[Candidate], budget_bytes: usize) -> Vec<bool> {
    let mut by_home: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_home.entry(c.home).or_default().push(i);
    }
    let mut kept = vec![true; candidates.len()];
    for members in by_home.values_mut() {
        let total: usize = members
            .iter()
            .map(|&i| candidates[i].cost.estimated_bytes())
            .sum();
        if total <= budget_bytes {
            continue;
        }
        members.sort_by(|&a, &b| {
            candidates[b]
                .weight
                .total_cmp(&candidates[a].weight)
                .then(a.cmp(&b))
        });
        let mut used = 0usize;
        for (rank, &i) in members.iter().enumerate() {
            used += candidates[i].cost.estimated_bytes();
            kept[i] = rank == 0 || used <= budget_bytes;
        }
    }
    kept
}

/// Area of polygons on the grid (exterior rings minus holes), grid units².
pub fn shapes_area(shapes: &i_overlay::i_shape::int::shape::IntShapes) -> f64 {
    shapes
        .iter()
        .flat_map(|shape| shape.iter())
        .map(|ring| {
            let n = ring.len();
            let twice: i64 = (0..n)
                .map(|i| {
                    let (a, b) = (ring[i], ring[(i + 1) % n]);
                    i64::from(a.x) * i64::from(b.y) - i64::from(b.x) * i64::from(a.y)
                })
                .sum();
            // Exteriors and holes have opposite orientations: the signed sum is the net area.
            twice as f64 / 2.0
        })
        .sum::<f64>()
        .abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_belongs_to_the_tile_containing_it_at_each_zoom() {
        // The MAX_ZOOM grid point (2^25, 2^25) is the world's centre: tile (2^(z-1), 2^(z-1)).
        let p = [1i64 << 25, 1i64 << 25];
        assert_eq!(home_of_point(p, 14, 14), (1 << 13, 1 << 13));
        assert_eq!(home_of_point(p, 14, 5), (16, 16));
        assert_eq!(home_of_bbox(&[0, 0, 4095, 4095]), (0, 0));
        assert_eq!(home_of_bbox(&[4000, 0, 4300, 10]), (1, 0));
    }

    #[test]
    fn a_tile_under_its_budget_keeps_everything_in_any_order() {
        let cost = FeatureCost {
            vertices: 10,
            rings: 1,
            properties: 3,
        };
        let cands: Vec<Candidate> = (0..50)
            .map(|i| Candidate {
                home: (0, 0),
                weight: f64::from(i % 7),
                cost,
            })
            .collect();
        assert!(
            keep_within_budget(&cands, 50 * cost.estimated_bytes())
                .iter()
                .all(|&k| k)
        );
        let kept = keep_within_budget(&cands, 10 * cost.estimated_bytes());
        assert_eq!(kept.iter().filter(|&&k| k).count(), 10);
        // The ten kept are the heaviest: every kept weight ≥ every dropped weight.
        let min_kept = (0..50)
            .filter(|&i| kept[i])
            .map(|i| cands[i].weight)
            .fold(f64::MAX, f64::min);
        let max_dropped = (0..50)
            .filter(|&i| !kept[i])
            .map(|i| cands[i].weight)
            .fold(f64::MIN, f64::max);
        assert!(min_kept >= max_dropped);
    }

    #[test]
    fn the_net_area_subtracts_holes() {
        use i_overlay::i_float::int::point::IntPoint;
        let p = IntPoint::new;
        let outer = vec![p(0, 0), p(0, 10), p(10, 10), p(10, 0)];
        let hole = vec![p(2, 2), p(4, 2), p(4, 4), p(2, 4)];
        assert_eq!(shapes_area(&vec![vec![outer.clone()]]), 100.0);
        assert_eq!(shapes_area(&vec![vec![outer, hole]]), 96.0);
    }
}
