//! The overlap area of two Lambert-93 multipolygons whose boundaries do not meet, without a
//! polygon overlay.
//!
//! Most QPV lie wholly inside one commune, or wholly outside a neighbour whose bounding box
//! they touch: their boundaries never meet, each part of the QPV is then entirely inside or
//! entirely outside the commune, and one point decides. The boolean overlay (`i_overlay`)
//! stays for the pieces across a commune border.

use geo::{Area, BoundingRect, Contains, Coord, Intersects, Line, MultiPolygon, Polygon, Rect};

fn rect_of(l: &Line) -> Rect {
    Rect::new(l.start, l.end)
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

fn lines(mp: &MultiPolygon) -> impl Iterator<Item = Line> + '_ {
    mp.0.iter().flat_map(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .flat_map(|r| r.lines())
    })
}

/// The area, m², of `part` inside `whole` when no segment of `part`'s boundary meets (crosses
/// or touches) a segment of `whole`'s boundary; `None` when some do, or either is empty, and a
/// polygon overlay is needed.
///
/// # Examples
/// ```
/// use geo::{MultiPolygon, Rect, coord};
/// use repere_engine::overlay::uncrossed::uncrossed_overlap_m2;
/// let square = |x0: f64, x1: f64| MultiPolygon(vec![Rect::new(coord! { x: x0, y: 0.0 }, coord! { x: x1, y: 10.0 }).to_polygon()]);
/// assert_eq!(uncrossed_overlap_m2(&square(0.0, 10.0), &MultiPolygon(vec![Rect::new(coord! { x: 2.0, y: 2.0 }, coord! { x: 4.0, y: 4.0 }).to_polygon()])), Some(4.0));
/// assert_eq!(uncrossed_overlap_m2(&square(0.0, 10.0), &square(20.0, 30.0)), Some(0.0));
/// assert_eq!(uncrossed_overlap_m2(&square(0.0, 10.0), &square(5.0, 30.0)), None);
/// ```
pub fn uncrossed_overlap_m2(whole: &MultiPolygon, part: &MultiPolygon) -> Option<f64> {
    let part_rect = part.bounding_rect()?;
    whole.bounding_rect()?;
    // The segments of `whole` near `part`: only they can meet `part`'s boundary.
    let near: Vec<(Line, Rect)> = lines(whole)
        .map(|l| (l, rect_of(&l)))
        .filter(|(_, r)| overlaps(r, &part_rect))
        .collect();
    if !near.is_empty() {
        for l in lines(part) {
            let r = rect_of(&l);
            if !overlaps(&r, &part_rect) {
                continue;
            }
            if near
                .iter()
                .any(|(m, mr)| overlaps(&r, mr) && m.intersects(&l))
            {
                return None;
            }
        }
    }
    // No boundary meets: every ring of one is wholly inside or wholly outside the other, as
    // its first vertex (on no boundary of the other) is. A ring of `whole` inside `part` (an
    // enclave of the commune within the QPV) needs the overlay.
    let rings = whole
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for ring in rings {
        let first = ring.0.first();
        let near = ring
            .bounding_rect()
            .is_some_and(|r| overlaps(&r, &part_rect));
        if near && first.is_some_and(|c| part.contains(c)) {
            return None;
        }
    }
    // Each polygon of `part` is then wholly inside or wholly outside `whole`.
    let inside = |p: &&Polygon| {
        p.exterior()
            .0
            .first()
            .is_some_and(|c: &Coord| whole.contains(c))
    };
    // A fold from +0: an empty f64 `sum` is -0, shown as "-0 m²".
    Some(
        part.0
            .iter()
            .filter(inside)
            .fold(0.0, |a, p| a + p.unsigned_area()),
    )
}

#[cfg(test)]
mod tests {
    use geo::{BooleanOps, polygon};

    use super::*;

    /// Synthetic commune with an enclave (a hole), and QPV-like parts inside, in the hole,
    /// across the border, and outside: the fast area matches the overlay's wherever it answers.
    #[test]
    fn agrees_with_the_overlay_and_declines_across_a_border() {
        let commune = MultiPolygon(vec![polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)],
            interiors: [[(x: 40.0, y: 40.0), (x: 60.0, y: 40.0), (x: 60.0, y: 60.0), (x: 40.0, y: 60.0)]],
        )]);
        let sq = |x0: f64, y0: f64, s: f64| {
            Rect::new(
                Coord { x: x0, y: y0 },
                Coord {
                    x: x0 + s,
                    y: y0 + s,
                },
            )
            .to_polygon()
        };
        // Inside + in the enclave + outside: no boundary meets.
        let mixed = MultiPolygon(vec![
            sq(10.0, 10.0, 5.0),
            sq(45.0, 45.0, 5.0),
            sq(200.0, 0.0, 5.0),
        ]);
        let fast = uncrossed_overlap_m2(&commune, &mixed);
        assert_eq!(fast, Some(25.0));
        let overlay = commune.intersection(&mixed).unsigned_area();
        assert!((overlay - 25.0).abs() < 1e-9);
        // A part around the enclave (the hole lies within it, no boundary meets): the overlay.
        let around = MultiPolygon(vec![sq(30.0, 30.0, 40.0)]);
        assert_eq!(uncrossed_overlap_m2(&commune, &around), None);
        // Across the outer border, or touching it: the overlay is needed.
        assert_eq!(
            uncrossed_overlap_m2(&commune, &MultiPolygon(vec![sq(95.0, 10.0, 10.0)])),
            None
        );
        assert_eq!(
            uncrossed_overlap_m2(&commune, &MultiPolygon(vec![sq(90.0, 10.0, 10.0)])),
            None
        );
    }
}
