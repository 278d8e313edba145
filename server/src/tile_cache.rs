//! A bounded in-memory cache of encoded tiles (empty tiles included), keyed by dataset version,
//! layer selection and address. Tiles are a pure function of those, so entries never go stale:
//! after an analysis is swapped in, its tiles have other keys (entries of the previous version
//! are only dropped with the rest when the byte budget is reached: the cache is then emptied and
//! refills, simple, and the working set of a territory is small).
//!
//! An entry ([`CachedTile`]) keeps the raw MVT with its `ETag` ready to send, and each compressed
//! form once a client asked for it ([`crate::tile_encoding`]): gzip and brotli are each computed
//! once per tile, lazily, then served as they are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::http::HeaderValue;
use repere_engine::tiles::TileCoord;

use crate::tile_encoding::{Encoding, compress};

/// Cache key: dataset version, selected layer indices and tile address.
pub type TileKey = (String, Vec<usize>, TileCoord);

/// One tile as served: its raw bytes (`None`: an empty tile, answered 204), its `ETag`, and its
/// compressed forms once computed.
#[derive(Debug)]
pub struct CachedTile {
    /// The `ETag` value (quoted).
    pub etag: HeaderValue,
    raw: Option<Bytes>,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

impl CachedTile {
    /// A tile with its `ETag`.
    pub fn new(etag: HeaderValue, raw: Option<Bytes>) -> Self {
        Self {
            etag,
            raw,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// Whether the tile is empty (no feature: 204).
    pub fn is_empty(&self) -> bool {
        self.raw.is_none()
    }

    /// The raw MVT bytes, `None` for an empty tile.
    pub fn raw(&self) -> Option<&Bytes> {
        self.raw.as_ref()
    }

    /// The bytes in `encoding` if already at hand (identity always, a compressed form once
    /// computed); `None` for an empty tile or a form not computed yet.
    pub fn ready(&self, encoding: Encoding) -> Option<Bytes> {
        match encoding {
            Encoding::Identity => self.raw.clone(),
            Encoding::Gzip => self.gzip.get().cloned(),
            Encoding::Brotli => self.brotli.get().cloned(),
        }
    }

    /// The bytes in `encoding`, compressing them now if no request did before (CPU work: call
    /// it off the async workers). `None` for an empty tile. The second value is the number of
    /// bytes this call added to the entry (0 when already there).
    pub fn encoded(&self, encoding: Encoding) -> (Option<Bytes>, usize) {
        let Some(raw) = &self.raw else {
            return (None, 0);
        };
        let cell = match encoding {
            Encoding::Identity => return (Some(raw.clone()), 0),
            Encoding::Gzip => &self.gzip,
            Encoding::Brotli => &self.brotli,
        };
        let mut added = 0;
        let bytes = cell.get_or_init(|| {
            let b = Bytes::from(compress(encoding, raw));
            added = b.len();
            b
        });
        (Some(bytes.clone()), added)
    }
}

/// The cache.
#[derive(Debug)]
pub struct TileCache {
    budget_bytes: usize,
    inner: Mutex<(HashMap<TileKey, Arc<CachedTile>>, usize)>,
}

/// Bytes counted per entry besides its tile data (key, headers, map slot).
const ENTRY_OVERHEAD: usize = 128;

impl TileCache {
    /// A cache holding at most `budget_bytes` of tile data.
    pub fn new(budget_bytes: usize) -> Self {
        Self {
            budget_bytes,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// A cached tile.
    pub fn get(&self, key: &TileKey) -> Option<Arc<CachedTile>> {
        let guard = self.inner.lock().ok()?;
        guard.0.get(key).cloned()
    }

    /// Stores a tile; returns the entry kept (an entry stored meanwhile by another request for
    /// the same key wins, so that its compressed forms are shared).
    pub fn put(&self, key: TileKey, tile: CachedTile) -> Arc<CachedTile> {
        let tile = Arc::new(tile);
        let Ok(mut guard) = self.inner.lock() else {
            return tile;
        };
        if let Some(existing) = guard.0.get(&key) {
            return existing.clone();
        }
        let size = tile.raw.as_ref().map_or(0, Bytes::len) + ENTRY_OVERHEAD;
        self.make_room(&mut guard, size);
        guard.1 += size;
        guard.0.insert(key, tile.clone());
        tile
    }

    /// Counts `bytes` more (a compressed form added to an entry).
    pub fn charge(&self, bytes: usize) {
        if bytes == 0 {
            return;
        }
        if let Ok(mut guard) = self.inner.lock() {
            self.make_room(&mut guard, bytes);
            guard.1 += bytes;
        }
    }

    /// Empties the cache when `size` more bytes would exceed the budget.
    fn make_room(&self, guard: &mut (HashMap<TileKey, Arc<CachedTile>>, usize), size: usize) {
        if guard.1 + size > self.budget_bytes {
            guard.0.clear();
            guard.1 = 0;
        }
    }

    /// Bytes counted now (tile data of every form, plus a fixed overhead per entry).
    pub fn used_bytes(&self) -> usize {
        self.inner.lock().map_or(0, |g| g.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_is_compressed_once_and_counted() {
        let cache = TileCache::new(1 << 20);
        let key: TileKey = (
            "v".into(),
            vec![0],
            TileCoord::parse("1", "0", "0").unwrap(),
        );
        let raw = Bytes::from(vec![7u8; 5000]);
        let entry = cache.put(
            key.clone(),
            CachedTile::new(HeaderValue::from_static("\"e\""), Some(raw.clone())),
        );
        assert_eq!(cache.used_bytes(), 5000 + ENTRY_OVERHEAD);
        assert!(entry.ready(Encoding::Gzip).is_none());
        let (gz, added) = entry.encoded(Encoding::Gzip);
        let gz = gz.unwrap();
        assert_eq!(added, gz.len());
        cache.charge(added);
        assert_eq!(cache.used_bytes(), 5000 + ENTRY_OVERHEAD + gz.len());
        let (again, added) = cache.get(&key).unwrap().encoded(Encoding::Gzip);
        assert_eq!(added, 0);
        assert_eq!(
            again.unwrap().as_ptr(),
            gz.as_ptr(),
            "the same bytes, not recompressed"
        );
        assert_eq!(gz, compress(Encoding::Gzip, &raw));
        assert_eq!(entry.ready(Encoding::Identity).unwrap(), raw);
    }
}
