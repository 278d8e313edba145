//! Actors and stops placed in communes and QPV (point in polygon, Lambert-93).

use geo::Point;
use rayon::prelude::*;

use crate::dataset::Dataset;

/// Where one point lies: indices into [`Dataset::communes`] and [`Dataset::qpv`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    /// The member commune containing the point (communes do not overlap; a point on a shared
    /// border goes to the lower code).
    pub commune: Option<usize>,
    /// The QPV of the requested vintage containing the point.
    pub qpv: Option<usize>,
}

/// Places one Lambert-93 point.
pub fn place(ds: &Dataset, p: Point, qpv_vintage: u16) -> Placement {
    Placement {
        commune: ds.commune_at_l93(p),
        qpv: ds.qpv_at_l93(p, qpv_vintage),
    }
}

/// The member commune containing each Lambert-93 point (as [`Dataset::commune_at_l93`]),
/// aligned with `points`; the points are placed in parallel (rayon).
pub fn communes_at_l93(ds: &Dataset, points: &[Point]) -> Vec<Option<usize>> {
    points.par_iter().map(|&p| ds.commune_at_l93(p)).collect()
}

/// How many of `points` lie in each member commune, aligned with [`Dataset::communes`]
/// (points outside every commune are not counted).
pub fn counts_by_commune(ds: &Dataset, points: &[Point]) -> Vec<usize> {
    let mut counts = vec![0; ds.communes.len()];
    for c in communes_at_l93(ds, points).into_iter().flatten() {
        counts[c] += 1;
    }
    counts
}
