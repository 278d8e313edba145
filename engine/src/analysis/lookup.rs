//! Point lookups over an analysis: one WGS84 point, or many in input order.

use crate::point_lookup::{Lookup, LookupError, lookup};

use super::Analysis;

/// A point of a batch that could not be looked up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("point {index} : {source}")]
pub struct PointLookupError {
    /// 0-based position of the point in the batch.
    pub index: usize,
    /// Why.
    pub source: LookupError,
}

/// Points per worker below which a batch is not split.
const MIN_CHUNK: usize = 1024;
/// Most workers a batch uses.
const MAX_WORKERS: usize = 8;

impl Analysis {
    /// Commune and QPV at a WGS84 point, or the nearest QPV and its distance.
    ///
    /// # Errors
    /// [`LookupError`] when lon or lat is out of range or not finite.
    pub fn lookup(&self, lon: f64, lat: f64) -> Result<Lookup, LookupError> {
        lookup(self.dataset(), lon, lat)
    }

    /// Looks up every `(lon, lat)` point, in chunks over the available cores (points are
    /// independent), keeping the input order.
    ///
    /// # Errors
    /// The first invalid point (lowest index).
    pub fn lookup_many(&self, points: &[(f64, f64)]) -> Result<Vec<Lookup>, PointLookupError> {
        let one = |offset: usize, part: &[(f64, f64)]| {
            part.iter()
                .enumerate()
                .map(|(i, &(lon, lat))| {
                    self.lookup(lon, lat).map_err(|source| PointLookupError {
                        index: offset + i,
                        source,
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let parts = crate::parallel::map_chunks(points, MIN_CHUNK, MAX_WORKERS, one);
        let mut out = Vec::with_capacity(points.len());
        for part in parts {
            out.extend(part?);
        }
        Ok(out)
    }
}
