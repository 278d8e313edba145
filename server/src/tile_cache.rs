//! A bounded in-memory cache of encoded tiles (empty tiles included), keyed by dataset version,
//! layer selection and address. Tiles are a pure function of those, so entries never go stale:
//! after an analysis is swapped in, its tiles have other keys (entries of the previous version
//! are only dropped with the rest when the byte budget is reached: the cache is then emptied and
//! refills, simple, and the working set of a territory is small).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use repere_engine::tiles::TileCoord;

/// Cache key: dataset version, selected layer indices and tile address.
pub type TileKey = (String, Vec<usize>, TileCoord);

/// The cache.
#[derive(Debug)]
pub struct TileCache {
    budget_bytes: usize,
    inner: Mutex<(HashMap<TileKey, Option<Bytes>>, usize)>,
}

impl TileCache {
    /// A cache holding at most `budget_bytes` of tile data.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget_bytes,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// A cached tile: `Some(None)` is a cached empty tile.
    pub fn get(&self, key: &TileKey) -> Option<Option<Bytes>> {
        let guard = self.inner.lock().ok()?;
        guard.0.get(key).cloned()
    }

    /// Stores a tile.
    pub fn put(&self, key: TileKey, tile: Option<Bytes>) {
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let size = tile.as_ref().map_or(0, Bytes::len) + 64;
        if guard.1 + size > self.budget_bytes {
            guard.0.clear();
            guard.1 = 0;
        }
        guard.1 += size;
        guard.0.insert(key, tile);
    }
}
