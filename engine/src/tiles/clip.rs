//! Clipping prepared grid polygons to a buffered tile, in integer arithmetic.
//!
//! A feature entirely inside the buffered tile is only translated (exact, so it stays valid);
//! otherwise i_overlay intersects it with the buffer rectangle, which yields OGC-valid polygons
//! with the same orientation rules as preparation ([`super::prepare::overlay_options`]).

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::{Overlay, ShapeType};
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::i_float::int::point::IntPoint;
use i_overlay::i_shape::int::shape::IntShapes;

use super::prepare::overlay_options;

/// A tile's window on the grid of its zoom, with the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileWindow {
    /// Grid x of the tile's west edge (no buffer).
    pub origin_x: i64,
    /// Grid y of the tile's north edge (no buffer).
    pub origin_y: i64,
    /// Tile side, grid units.
    pub extent: i64,
    /// Buffer, grid units.
    pub buffer: i64,
}

impl TileWindow {
    /// `[min_x, min_y, max_x, max_y]` of the buffered window, grid units.
    pub fn buffered(&self) -> [i64; 4] {
        [
            self.origin_x - self.buffer,
            self.origin_y - self.buffer,
            self.origin_x + self.extent + self.buffer,
            self.origin_y + self.extent + self.buffer,
        ]
    }

    /// Whether a bounding box lies inside the buffered window.
    pub fn contains_bbox(&self, bbox: &[i64; 4]) -> bool {
        let w = self.buffered();
        bbox[0] >= w[0] && bbox[1] >= w[1] && bbox[2] <= w[2] && bbox[3] <= w[3]
    }
}

/// Clips valid grid polygons to the buffered window and returns them in tile coordinates
/// (origin at the tile's north-west corner). Empty when nothing is left.
///
/// # Examples
/// ```
/// use i_overlay::i_float::int::point::IntPoint;
/// use repere_engine::tiles::clip::{clip_polygons, TileWindow};
/// // A synthetic square straddling the east edge of tile x = 0 (grid 0..4096).
/// let square = vec![vec![vec![
///     IntPoint::new(4000, 100), IntPoint::new(4000, 300), IntPoint::new(4300, 300), IntPoint::new(4300, 100),
/// ]]];
/// let bbox = [4000, 100, 4300, 300];
/// let w = TileWindow { origin_x: 0, origin_y: 0, extent: 4096, buffer: 64 };
/// let out = clip_polygons(&square, &bbox, &w);
/// let xs: Vec<i32> = out[0][0].iter().map(|p| p.x).collect();
/// assert_eq!(xs.iter().max(), Some(&4160));
/// ```
pub fn clip_polygons(shapes: &IntShapes, bbox: &[i64; 4], window: &TileWindow) -> IntShapes {
    // Tile-local coordinates are within ±(extent + buffer) of the origin once clipped, and grid
    // coordinates of zoom ≤ 14 fit i32: the conversions below cannot truncate.
    let dx = window.origin_x as i32;
    let dy = window.origin_y as i32;
    let translate = |shapes: IntShapes| -> IntShapes {
        shapes
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|c| {
                        c.into_iter()
                            .map(|p| IntPoint::new(p.x - dx, p.y - dy))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    if window.contains_bbox(bbox) {
        return translate(shapes.clone());
    }
    let w = window.buffered();
    let rect = [
        IntPoint::new(w[0] as i32, w[1] as i32),
        IntPoint::new(w[0] as i32, w[3] as i32),
        IntPoint::new(w[2] as i32, w[3] as i32),
        IntPoint::new(w[2] as i32, w[1] as i32),
    ];
    let points: usize = shapes.iter().flatten().map(Vec::len).sum();
    let mut overlay = Overlay::new_custom(points + 4, overlay_options(), Default::default());
    overlay.add_shapes(shapes, ShapeType::Subject);
    overlay.add_contour(&rect, ShapeType::Clip);
    translate(overlay.overlay(OverlayRule::Intersect, FillRule::EvenOdd))
}
