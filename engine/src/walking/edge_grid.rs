//! A uniform grid of the snapping target edges, for the nearest edge of a point without
//! walking the R-tree: each square cell lists the edges whose bounding box overlaps it (CSR),
//! and a query scans rings of cells around the point until no unseen edge can be as near as
//! the best one found.
//!
//! Each cell stores its edges' ends beside the edge's index, in `f32` metres from the grid's
//! origin (20 bytes an entry: a query reads a few contiguous runs, not the graph's edge and
//! node arrays); their distance to a point is therefore known within
//! `√2 × extent × 2^-24` (the rounding of a coordinate below the grid's extent; the distance to
//! a segment moves no more than its ends), a few millimetres over a metropolis.
//!
//! Exactness: an edge not listed in any scanned cell lies wholly outside the scanned block, so
//! its distance is at least the point's distance to the block's border; the scan stops when
//! that bound exceeds the best distance found plus twice the grid's margin
//! ([`EdgeGrid::margin_m`]: four times the rounding bound plus [`TIE_MARGIN_M`]), so every edge
//! that could be within the margin of the nearest has been seen. When a second edge lies within
//! the margin (equal distances: a junction's edges, a point on a lattice block's diagonal), the
//! grid answers [`Nearest::Ambiguous`] and the caller asks the R-tree, whose choice among
//! equidistant edges is its own; otherwise the nearest edge is unique by more than the rounding
//! of both computations, and it is the R-tree's answer too. The snapped point is therefore the
//! R-tree's in every case (the snap itself is computed from the graph's `f64` coordinates).

use super::graph::WalkGraph;

/// The part of the tie margin above the rounding of stored ends, metres: more than the R-tree's
/// own rounding of `f64` Lambert-93 coordinates (~10^6 m, 2^-52 relative, below 10^-9 m).
pub const TIE_MARGIN_M: f64 = 1e-6;

/// What a grid query found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nearest {
    /// No target edge within the search radius (plus one metre).
    Far,
    /// The nearest edge, nearer than every other by more than the tie margin.
    Unique(u32),
    /// Two or more edges within the tie margin of the nearest.
    Ambiguous,
}

/// The grid (see the module docs).
#[derive(Debug, Clone)]
pub struct EdgeGrid {
    origin_l93: [f64; 2],
    cell_m: f64,
    nx: usize,
    ny: usize,
    /// `offsets[c]..offsets[c + 1]` indexes the entries of cell `c = j * nx + i`.
    offsets: Vec<u32>,
    entries: Vec<Entry>,
    /// Two edges nearer than this to the same distance are equidistant (see the module docs).
    margin_m: f64,
}

/// An edge listed in a cell: its index and its ends, `f32` metres from the grid's origin.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    edge: u32,
    a: [f32; 2],
    b: [f32; 2],
}

/// Squared distance from `p` to the segment `a`–`b`, square metres (the foot of the
/// perpendicular clamped to the segment, as snapping computes it).
pub fn segment_distance2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
    ex * ex + ey * ey
}

impl EdgeGrid {
    /// The grid of edges `targets` of `g`; `None` without edges or when the lists would not
    /// fit 32-bit offsets.
    pub fn build(g: &WalkGraph, targets: &[u32]) -> Option<EdgeGrid> {
        let ends = |e: u32| {
            let e = g.edges.get(e as usize)?;
            Some((
                *g.points_l93.get(e.a as usize)?,
                *g.points_l93.get(e.b as usize)?,
            ))
        };
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for &e in targets {
            let (a, b) = ends(e)?;
            for p in [a, b] {
                for k in 0..2 {
                    lo[k] = lo[k].min(p[k]);
                    hi[k] = hi[k].max(p[k]);
                }
            }
        }
        if targets.is_empty() || !(lo[0].is_finite() && hi[0].is_finite()) {
            return None;
        }
        let (w, h) = ((hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0));
        // About one edge per cell of the bounding box (a query then reads a few edges of the
        // 3 × 3 cells around the point), at most one cell per edge.
        let n = targets.len() as f64;
        let mut cell_m = (w * h / n).sqrt().max(1.0);
        let dims = |c: f64| ((w / c).floor() as usize + 1, (h / c).floor() as usize + 1);
        while {
            let (nx, ny) = dims(cell_m);
            (nx * ny) as f64 > n + 16.0
        } {
            cell_m *= 1.5;
        }
        let (nx, ny) = dims(cell_m);
        let mut grid = EdgeGrid {
            origin_l93: lo,
            cell_m,
            nx,
            ny,
            offsets: Vec::new(),
            entries: Vec::new(),
            // The rounding bound: 2^-24 of the largest relative coordinate.
            margin_m: 4.0 * w.max(h) * 2f64.powi(-24) + TIE_MARGIN_M,
        };
        let mut count = vec![0u64; nx * ny + 1];
        let cells_of = |grid: &EdgeGrid, a: [f64; 2], b: [f64; 2]| {
            let (i0, j0) = grid.clamped_cell([a[0].min(b[0]), a[1].min(b[1])]);
            let (i1, j1) = grid.clamped_cell([a[0].max(b[0]), a[1].max(b[1])]);
            (j0..=j1).flat_map(move |j| (i0..=i1).map(move |i| j * nx + i))
        };
        for &e in targets {
            let (a, b) = ends(e)?;
            for c in cells_of(&grid, a, b) {
                count[c + 1] += 1;
            }
        }
        for c in 0..nx * ny {
            count[c + 1] += count[c];
        }
        let total = u32::try_from(count[nx * ny]).ok()?;
        let mut fill: Vec<u32> = count.iter().map(|&c| c as u32).collect();
        grid.entries = vec![Entry::default(); total as usize];
        let rel = |p: [f64; 2]| [(p[0] - lo[0]) as f32, (p[1] - lo[1]) as f32];
        for &e in targets {
            let (a, b) = ends(e)?;
            let entry = Entry {
                edge: e,
                a: rel(a),
                b: rel(b),
            };
            for c in cells_of(&grid, a, b) {
                let k = fill[c] as usize;
                *grid.entries.get_mut(k)? = entry;
                fill[c] += 1;
            }
        }
        grid.offsets = count.iter().map(|&c| c as u32).collect();
        Some(grid)
    }

    /// The cell holding `p`, clamped into the grid.
    fn clamped_cell(&self, p: [f64; 2]) -> (usize, usize) {
        let i = ((p[0] - self.origin_l93[0]) / self.cell_m).floor();
        let j = ((p[1] - self.origin_l93[1]) / self.cell_m).floor();
        (
            (i.max(0.0) as usize).min(self.nx - 1),
            (j.max(0.0) as usize).min(self.ny - 1),
        )
    }

    fn cell_entries(&self, i: usize, j: usize) -> &[Entry] {
        let c = j * self.nx + i;
        match (self.offsets.get(c), self.offsets.get(c + 1)) {
            (Some(&s), Some(&e)) => self.entries.get(s as usize..e as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The index of the first of the 3 × 3 cells around `p` in each of their rows, when the
    /// block lies inside the grid (for the prefetch hints).
    fn block_rows(&self, p: [f64; 2]) -> Option<[usize; 3]> {
        let ci = ((p[0] - self.origin_l93[0]) / self.cell_m).floor();
        let cj = ((p[1] - self.origin_l93[1]) / self.cell_m).floor();
        if !(ci >= 1.0 && cj >= 1.0 && ci + 2.0 < self.nx as f64 && cj + 2.0 < self.ny as f64) {
            return None;
        }
        let (ci, cj) = (ci as usize, cj as usize);
        Some([cj - 1, cj, cj + 1].map(|j| j * self.nx + ci - 1))
    }

    /// Asks the processor for the offsets of the 3 × 3 cells around `p`, which a query at `p`
    /// reads first (a prefetch hint, see [`super::snap::snap_many`]).
    pub fn prefetch_offsets(&self, p: [f64; 2]) {
        for first in self.block_rows(p).into_iter().flatten() {
            prefetch_index::prefetch_index(&self.offsets, first);
            prefetch_index::prefetch_index(&self.offsets, first + 3);
        }
    }

    /// Asks the processor for the entries of the 3 × 3 cells around `p`; their offsets are
    /// read, so [`EdgeGrid::prefetch_offsets`] should have asked for them a few queries before.
    pub fn prefetch_entries(&self, p: [f64; 2]) {
        for first in self.block_rows(p).into_iter().flatten() {
            let (Some(&s), Some(&e)) = (self.offsets.get(first), self.offsets.get(first + 3))
            else {
                continue;
            };
            // One hint per cache line of the run (64 bytes: at least three 20-byte entries).
            for k in (s as usize..e as usize).step_by(3) {
                prefetch_index::prefetch_index(&self.entries, k);
            }
            prefetch_index::prefetch_index(&self.entries, (e as usize).saturating_sub(1));
        }
    }

    /// Distances to two edges closer than this are treated as equal, metres (see the module
    /// docs).
    pub fn margin_m(&self) -> f64 {
        self.margin_m
    }

    /// The nearest edge to `p` within `radius_m` (see the module docs).
    pub fn nearest(&self, p: [f64; 2], radius_m: f64) -> Nearest {
        let give_up_m = radius_m + 1.0;
        // The point's cell, possibly outside the grid.
        let ci = ((p[0] - self.origin_l93[0]) / self.cell_m).floor();
        let cj = ((p[1] - self.origin_l93[1]) / self.cell_m).floor();
        if !(ci.is_finite() && cj.is_finite()) {
            // Not a point of the plane: near no edge (the R-tree's query would panic on NaN).
            return Nearest::Far;
        }
        let (nx, ny) = (self.nx as f64, self.ny as f64);
        // Squared distances of the nearest edge and of the nearest other one.
        let mut best = (f64::INFINITY, u32::MAX);
        let mut second2 = f64::INFINITY;
        let q = [p[0] - self.origin_l93[0], p[1] - self.origin_l93[1]];
        let f = |x: [f32; 2]| [f64::from(x[0]), f64::from(x[1])];
        let visit = |en: &Entry, best: &mut (f64, u32), second2: &mut f64| {
            if en.edge == best.1 {
                return;
            }
            let d2 = segment_distance2(q, f(en.a), f(en.b));
            if d2 < best.0 {
                *second2 = best.0;
                *best = (d2, en.edge);
            } else if d2 < *second2 {
                *second2 = d2;
            }
        };
        let mut r = 0.0f64;
        loop {
            // Ring r: cells at Chebyshev distance r from (ci, cj), inside the grid.
            let (i0, i1, j0, j1) = (ci - r, ci + r, cj - r, cj + r);
            let row = |j: f64| (0.0..ny).contains(&j);
            let col = |i: f64| (0.0..nx).contains(&i);
            let (ia, ib) = (i0.max(0.0), i1.min(nx - 1.0));
            let (ja, jb) = (j0.max(0.0), j1.min(ny - 1.0));
            if ia <= ib && ja <= jb {
                for j in [j0, j1] {
                    if row(j) {
                        let mut i = ia;
                        while i <= ib {
                            for en in self.cell_entries(i as usize, j as usize) {
                                visit(en, &mut best, &mut second2);
                            }
                            i += 1.0;
                        }
                    }
                    if r == 0.0 {
                        break;
                    }
                }
                for i in [i0, i1] {
                    if col(i) && r > 0.0 {
                        let mut j = (j0 + 1.0).max(0.0);
                        while j <= (j1 - 1.0).min(ny - 1.0) {
                            for en in self.cell_entries(i as usize, j as usize) {
                                visit(en, &mut best, &mut second2);
                            }
                            j += 1.0;
                        }
                    }
                }
            }
            // Distance from p to the scanned block's border; a side past the grid's edge has
            // no edge beyond it.
            let o = self.origin_l93;
            let c = self.cell_m;
            let side = |beyond: bool, d: f64| if beyond { f64::INFINITY } else { d };
            let bound_m = side(i0 <= 0.0, p[0] - (o[0] + i0 * c))
                .min(side(i1 >= nx - 1.0, o[0] + (i1 + 1.0) * c - p[0]))
                .min(side(j0 <= 0.0, p[1] - (o[1] + j0 * c)))
                .min(side(j1 >= ny - 1.0, o[1] + (j1 + 1.0) * c - p[1]));
            let best_m = best.0.sqrt();
            let margin_m = self.margin_m;
            if bound_m > best_m + 2.0 * margin_m {
                // Every edge that could be within the margin of the best has been seen.
                return if best_m > give_up_m {
                    Nearest::Far
                } else if second2.sqrt() <= best_m + margin_m {
                    Nearest::Ambiguous
                } else {
                    Nearest::Unique(best.1)
                };
            }
            if bound_m > give_up_m {
                // Every unseen edge, and the best, is farther than the radius plus one metre.
                return Nearest::Far;
            }
            r += 1.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_finds_the_brute_force_nearest_and_flags_equidistant_edges() {
        // A 5 × 5 lattice of 10 m blocks (synthetic), edges split at their middle.
        let mut points = Vec::new();
        let mut pairs = Vec::new();
        let id = |i: u32, j: u32| i * 5 + j;
        for i in 0..5 {
            for j in 0..5 {
                points.push([f64::from(i) * 10.0, f64::from(j) * 10.0]);
            }
        }
        for i in 0..5u32 {
            for j in 0..5u32 {
                for (di, dj) in [(1, 0), (0, 1)] {
                    if i + di < 5 && j + dj < 5 {
                        let m = points.len() as u32;
                        points.push([
                            f64::from(i) * 10.0 + f64::from(di) * 5.0,
                            f64::from(j) * 10.0 + f64::from(dj) * 5.0,
                        ]);
                        pairs.push((id(i, j), m));
                        pairs.push((m, id(i + di, j + dj)));
                    }
                }
            }
        }
        let g = WalkGraph::from_parts(points, &pairs);
        let all: Vec<u32> = (0..g.edges.len() as u32).collect();
        let grid = EdgeGrid::build(&g, &all).unwrap();
        let brute = |p: [f64; 2]| {
            let mut d: Vec<(f64, u32)> = all
                .iter()
                .map(|&e| {
                    let ed = g.edges[e as usize];
                    (
                        segment_distance2(
                            p,
                            g.points_l93[ed.a as usize],
                            g.points_l93[ed.b as usize],
                        )
                        .sqrt(),
                        e,
                    )
                })
                .collect();
            d.sort_by(|a, b| a.0.total_cmp(&b.0));
            d
        };
        let mut unique = 0;
        let mut ambiguous = 0;
        for k in 0..400 {
            let p = [
                -15.0 + f64::from(k % 20) * 3.7,
                -15.0 + f64::from(k / 20) * 3.7,
            ];
            let b = brute(p);
            match grid.nearest(p, 20.0) {
                Nearest::Unique(e) => {
                    assert_eq!(e, b[0].1, "{p:?}");
                    assert!(b[1].0 > b[0].0 + TIE_MARGIN_M);
                    unique += 1;
                }
                Nearest::Ambiguous => {
                    assert!(b[1].0 <= b[0].0 + 3.0 * grid.margin_m(), "{p:?}");
                    ambiguous += 1;
                }
                Nearest::Far => assert!(b[0].0 > 20.0, "{p:?}: {}", b[0].0),
            }
        }
        assert!(
            unique > 200 && ambiguous > 10,
            "{unique} unique, {ambiguous} ties"
        );
        // A block's diagonal and a junction are ties; far away is far.
        assert_eq!(grid.nearest([13.0, 13.0], 200.0), Nearest::Ambiguous);
        assert_eq!(grid.nearest([-3.0, -4.0], 200.0), Nearest::Ambiguous);
        for p in [[12.0, 13.0], [240.0, 2.0]] {
            assert_eq!(grid.nearest(p, 200.0), Nearest::Unique(brute(p)[0].1));
        }
        assert_eq!(grid.nearest([500.0, 0.0], 200.0), Nearest::Far);
        assert_eq!(grid.nearest([241.5, 2.0], 200.0), Nearest::Far);
    }
}
