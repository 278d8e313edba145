//! Application state: the loaded dataset, its load report and the prepared tiles, immutable and
//! shared by `Arc`.

use std::sync::Arc;

use repere_engine::tiles::TileSet;
use repere_engine::tiles::layers::CommuneExtras;
use repere_engine::{Dataset, LoadReport};

use crate::tile_cache::TileCache;

/// Cheap to clone; a reload would build a new state and swap it whole.
#[derive(Clone)]
pub struct AppState {
    /// The loaded territory.
    pub dataset: Arc<Dataset>,
    /// Its load report.
    pub report: Arc<LoadReport>,
    /// Every tile layer, prepared once at startup.
    pub tiles: Arc<TileSet>,
    /// Encoded tiles kept in memory, when enabled (`repere serve --tile-cache-mb`).
    pub tile_cache: Option<Arc<TileCache>>,
}

impl AppState {
    /// Wraps a loaded dataset and prepares its tiles (no tile cache).
    pub fn new(dataset: Dataset, report: LoadReport) -> Self {
        let tiles = TileSet::from_dataset(&dataset, &CommuneExtras::new(), Vec::new());
        Self {
            dataset: Arc::new(dataset),
            report: Arc::new(report),
            tiles: Arc::new(tiles),
            tile_cache: None,
        }
    }

    /// Enables an in-memory cache of encoded tiles of at most `megabytes` (0 disables it).
    pub fn with_tile_cache(mut self, megabytes: usize) -> Self {
        self.tile_cache =
            (megabytes > 0).then(|| Arc::new(TileCache::new(megabytes * 1024 * 1024)));
        self
    }
}
