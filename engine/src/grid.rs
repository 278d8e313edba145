//! The 200 m grid over the territory, in Lambert-93, and the young people (15-29) per cell.
//!
//! Cells are squares aligned on multiples of the cell size in Lambert-93 metres (EPSG:2154; not
//! the INSEE LAEA grid). Each cell is sampled by a 4 × 4 sub-grid of points (50 m apart for
//! 200 m cells): a sample's commune, QPV and IRIS are the polygons containing it, so every area
//! share is a 1/16 fraction — an approximation of polygon ∩ cell areas that is exact to ±1/32
//! of a cell per boundary crossing. Cells with no sample in a member commune are left out.
//!
//! Young people are spread by area, uniformly inside each census unit: an IRIS with contours
//! (census 15-29 count) or, elsewhere, the commune's remainder (commune 15-29 count minus its
//! IRIS with contours). Each unit's count is split equally over its samples, so totals are
//! kept exactly, except units too small to hold a sample (counted in
//! [`Grid::youth_unplaced`]). Limits: uniform density ignores where people actually live (woods,
//! industrial zones and the Seine receive young people too); the census vintage is that of the
//! data (2013 by default).

use std::collections::BTreeMap;

use geo::{Area, BoundingRect, Contains, Point};
use rstar::RTree;

use crate::dataset::{BoxEntry, Dataset, box_tree};

/// Samples per cell side.
const SUB: usize = 4;

/// At most this many cells (1.5 million 200 m cells: 60 000 km², about 500 MB with the gap
/// layers). France with youth data everywhere would need 14 million: beyond the bound, the
/// communes with a QPV come first, then the others by decreasing number of young people, and
/// the communes left out are counted in [`Grid::communes_left_out`].
pub const MAX_CELLS: usize = 1_500_000;

/// A cell of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Lower-left corner x, Lambert-93 metres.
    pub x_l93: f64,
    /// Lower-left corner y, Lambert-93 metres.
    pub y_l93: f64,
    /// Index of the member commune holding most samples.
    pub commune: usize,
    /// QPV (latest vintage, dataset index) and the share of the cell's area they cover.
    pub qpv: Vec<(usize, f64)>,
    /// Share of the cell inside member communes.
    pub land_share: f64,
    /// Estimated young people aged 15-29.
    pub youth_15_29: f64,
}

/// The grid of a territory.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Cell side, metres.
    pub cell_m: f64,
    /// Cells sorted by (y, x) of the lower-left corner.
    pub cells: Vec<Cell>,
    /// Young people of units no sample fell in.
    pub youth_unplaced: f64,
    /// Young people 15-29 of the sources, all member communes.
    pub youth_total: f64,
    /// QPV vintage used.
    pub qpv_vintage: Option<u16>,
    /// Communes with youth data left without cells by [`MAX_CELLS`] (their young people are in
    /// [`Grid::youth_unplaced`]).
    pub communes_left_out: usize,
    centres: RTree<rstar::primitives::GeomWithData<[f64; 2], usize>>,
    /// Fingerprint of what the grid is built from (see [`inputs_key`]).
    inputs_key: u64,
}

/// Fingerprint of what a grid is built from: the communes, QPV and IRIS (codes, Lambert-93
/// boundaries) and the young people per commune and per IRIS; actors play no part.
fn inputs_key(ds: &Dataset, cell_m: f64) -> u64 {
    use geo::CoordsIter;
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let coords = |mp: &geo::MultiPolygon, h: &mut std::collections::hash_map::DefaultHasher| {
        mp.coords_count().hash(h);
        mp.coords_iter()
            .for_each(|p| (p.x.to_bits(), p.y.to_bits()).hash(h));
    };
    cell_m.to_bits().hash(&mut h);
    for c in &ds.communes {
        c.code.hash(&mut h);
        coords(&c.boundary_l93, &mut h);
    }
    for q in &ds.qpv {
        (&q.code, q.vintage).hash(&mut h);
        coords(&q.boundary_l93, &mut h);
    }
    for i in &ds.youth.iris {
        (&i.code, &i.commune, i.population.age_15_29.to_bits()).hash(&mut h);
        if let Some(b) = &i.boundary_l93 {
            coords(b, &mut h);
        }
    }
    for (code, y) in &ds.youth.by_commune {
        (code, y.age_15_29.to_bits()).hash(&mut h);
    }
    h.finish()
}

impl Grid {
    /// [`Grid::build`], or a copy of `previous` when it was built from the same communes, QPV,
    /// IRIS and young people with the same cell size (a rebuild after an actor edit).
    pub fn build_reusing(ds: &Dataset, cell_m: f64, previous: Option<&Grid>) -> Self {
        match previous {
            Some(g) if g.inputs_key == inputs_key(ds, cell_m) => g.clone(),
            _ => Self::build(ds, cell_m),
        }
    }

    /// Builds the grid with `cell_m` cells (200 m in the product), at most [`MAX_CELLS`].
    pub fn build(ds: &Dataset, cell_m: f64) -> Self {
        Self::build_bounded(ds, cell_m, MAX_CELLS)
    }

    /// [`Grid::build`] with at most about `max_cells` cells (counted over the communes'
    /// bounding boxes, so the grid has at most that many).
    pub fn build_bounded(ds: &Dataset, cell_m: f64, max_cells: usize) -> Self {
        let key = inputs_key(ds, cell_m);
        let cell_m = if cell_m.is_finite() && cell_m >= 10.0 {
            cell_m
        } else {
            200.0
        };
        let qpv_vintage = ds.latest_qpv_vintage();
        // IRIS with contours, and census units: 0..iris for IRIS, then one per commune remainder.
        let iris: Vec<_> = ds
            .youth
            .iris
            .iter()
            .filter(|i| i.boundary_l93.is_some())
            .collect();
        let iris_tree: RTree<BoxEntry> =
            box_tree(iris.iter().filter_map(|i| i.boundary_l93.as_ref()));
        let mut youth_total = 0.0;
        let mut unit_youth: Vec<f64> = iris.iter().map(|i| i.population.age_15_29).collect();
        for c in &ds.communes {
            let all = ds
                .youth
                .by_commune
                .get(&c.code)
                .map_or(0.0, |b| b.age_15_29);
            youth_total += all;
            let contoured: f64 = iris
                .iter()
                .filter(|i| i.commune == c.code)
                .map(|i| i.population.age_15_29)
                .sum();
            unit_youth.push((all - contoured).max(0.0));
        }
        // Cells only where youth data exist: over the boxes of the communes with young people
        // (census counts or IRIS contours). A territory without youth data (France from the
        // national files) has no grid; a département's grid stays a département's.
        let iris_communes: std::collections::BTreeSet<_> =
            iris.iter().map(|i| &i.commune).collect();
        // (cell range x0, x1, y0, y1; has a QPV; young people) of each commune with youth data.
        type Wanted = ([i64; 4], bool, f64);
        let mut wanted: Vec<Wanted> = Vec::new();
        for c in &ds.communes {
            let youth = ds
                .youth
                .by_commune
                .get(&c.code)
                .map_or(0.0, |b| b.age_15_29);
            let has_youth = youth > 0.0 || iris_communes.contains(&c.code);
            let Some(r) = has_youth.then(|| c.boundary_l93.bounding_rect()).flatten() else {
                continue;
            };
            let range = [
                (r.min().x / cell_m).floor() as i64,
                (r.max().x / cell_m).ceil() as i64,
                (r.min().y / cell_m).floor() as i64,
                (r.max().y / cell_m).ceil() as i64,
            ];
            let has_qpv = qpv_vintage.is_some_and(|v| {
                ds.index
                    .qpv
                    .locate_in_envelope_intersecting(&rstar::AABB::from_corners(
                        [r.min().x, r.min().y],
                        [r.max().x, r.max().y],
                    ))
                    .any(|e| ds.qpv[e.data].vintage == v)
            });
            wanted.push((range, has_qpv, youth));
        }
        // Bounded: communes with a QPV first, then by young people, while cells remain.
        wanted.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)));
        let mut budget = max_cells;
        let mut communes_left_out = 0;
        let mut keys: std::collections::BTreeSet<(i64, i64)> = std::collections::BTreeSet::new();
        for ([i0, i1, j0, j1], _, _) in wanted {
            let n = ((i1 - i0).max(0) * (j1 - j0).max(0)) as usize;
            if n > budget {
                communes_left_out += 1;
                continue;
            }
            budget -= n;
            for j in j0..j1 {
                for i in i0..i1 {
                    keys.insert((j, i));
                }
            }
        }
        if keys.is_empty() {
            return Self {
                cell_m,
                cells: Vec::new(),
                youth_unplaced: youth_total,
                youth_total,
                qpv_vintage,
                communes_left_out,
                centres: RTree::new(),
                inputs_key: key,
            };
        }
        let step = cell_m / SUB as f64;
        // Per cell: the unit of each sample (or none), the commune counts and QPV counts.
        let mut cells = Vec::new();
        let mut samples: Vec<Vec<usize>> = Vec::new();
        let mut unit_samples = vec![0usize; unit_youth.len()];
        {
            for (j, i) in keys {
                let (cx, cy) = (i as f64 * cell_m, j as f64 * cell_m);
                let mut communes: BTreeMap<usize, usize> = BTreeMap::new();
                let mut qpv: BTreeMap<usize, usize> = BTreeMap::new();
                let mut units = Vec::new();
                for sj in 0..SUB {
                    for si in 0..SUB {
                        let p = Point::new(
                            cx + (si as f64 + 0.5) * step,
                            cy + (sj as f64 + 0.5) * step,
                        );
                        let Some(c) = ds.commune_at_l93(p) else {
                            continue;
                        };
                        *communes.entry(c).or_insert(0) += 1;
                        if let Some(v) = qpv_vintage
                            && let Some(q) = ds.qpv_at_l93(p, v)
                        {
                            *qpv.entry(q).or_insert(0) += 1;
                        }
                        let unit = iris_tree
                            .locate_in_envelope_intersecting(&rstar::AABB::from_point([
                                p.x(),
                                p.y(),
                            ]))
                            .map(|e| e.data)
                            .filter(|&k| {
                                iris[k]
                                    .boundary_l93
                                    .as_ref()
                                    .is_some_and(|b| b.contains(&p))
                            })
                            .min()
                            .unwrap_or(iris.len() + c);
                        units.push(unit);
                    }
                }
                if units.is_empty() {
                    continue;
                }
                for &u in &units {
                    unit_samples[u] += 1;
                }
                let n = (SUB * SUB) as f64;
                let commune = communes
                    .iter()
                    .max_by_key(|&(k, v)| (*v, std::cmp::Reverse(*k)))
                    .map_or(0, |(k, _)| *k);
                cells.push(Cell {
                    x_l93: cx,
                    y_l93: cy,
                    commune,
                    qpv: qpv.into_iter().map(|(q, k)| (q, k as f64 / n)).collect(),
                    land_share: units.len() as f64 / n,
                    youth_15_29: 0.0,
                });
                samples.push(units);
            }
        }
        for (cell, units) in cells.iter_mut().zip(&samples) {
            cell.youth_15_29 = units
                .iter()
                .map(|&u| unit_youth[u] / unit_samples[u] as f64)
                .sum();
        }
        let youth_unplaced = unit_youth
            .iter()
            .zip(&unit_samples)
            .filter(|(_, n)| **n == 0)
            .map(|(y, _)| y)
            .sum();
        let centres = RTree::bulk_load(
            cells
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    rstar::primitives::GeomWithData::new(
                        [c.x_l93 + cell_m / 2.0, c.y_l93 + cell_m / 2.0],
                        k,
                    )
                })
                .collect(),
        );
        Self {
            cell_m,
            cells,
            youth_unplaced,
            youth_total,
            qpv_vintage,
            communes_left_out,
            centres,
            inputs_key: key,
        }
    }

    /// The centre of a cell, Lambert-93.
    pub fn centre(&self, k: usize) -> Point {
        let c = &self.cells[k];
        Point::new(c.x_l93 + self.cell_m / 2.0, c.y_l93 + self.cell_m / 2.0)
    }

    /// Cells whose centre lies within `radius_m` (Lambert-93 planar) of a point.
    pub fn cells_within(&self, p: Point, radius_m: f64) -> impl Iterator<Item = usize> + '_ {
        self.centres
            .locate_within_distance([p.x(), p.y()], radius_m * radius_m)
            .map(|e| e.data)
    }

    /// A cell's identifier: `L93_200m_E<x>N<y>` with the lower-left corner in metres.
    pub fn cell_id(&self, k: usize) -> String {
        let c = &self.cells[k];
        format!(
            "L93_{}m_E{}N{}",
            self.cell_m as u32, c.x_l93 as i64, c.y_l93 as i64
        )
    }

    /// Area of one cell, m².
    pub fn cell_area_m2(&self) -> f64 {
        self.cell_m * self.cell_m
    }

    /// Area of the cells inside member communes (sampled), m².
    pub fn land_area_m2(&self) -> f64 {
        self.cells.iter().map(|c| c.land_share).sum::<f64>() * self.cell_area_m2()
    }
}

/// Planar area of the member communes, m² (for checks against [`Grid::land_area_m2`]).
pub fn communes_area_m2(ds: &Dataset) -> f64 {
    ds.communes
        .iter()
        .map(|c| c.boundary_l93.unsigned_area())
        .sum()
}
