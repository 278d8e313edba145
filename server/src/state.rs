//! Application state: the current [`Analysis`] behind an atomic swap, and the optional cache of
//! encoded tiles.
//!
//! A request loads the current analysis once ([`AppState::analysis`]) and answers from it, so a
//! swap in the middle of a request never mixes two analyses. [`AppState::rebuild`] swaps in a new
//! analysis only when its build succeeded: a failed rebuild leaves the previous one serving.

use std::sync::Arc;

use arc_swap::ArcSwap;
use repere_engine::Analysis;

use crate::tile_cache::TileCache;

/// Cheap to clone: clones share the same current analysis and tile cache.
#[derive(Clone)]
pub struct AppState {
    analysis: Arc<ArcSwap<Analysis>>,
    /// Encoded tiles kept in memory, when enabled (`repere serve --tile-cache-mb`). Keys carry
    /// the dataset version, so a swapped analysis never serves the previous one's tiles.
    pub tile_cache: Option<Arc<TileCache>>,
    /// The editable actor inventory (store, editors, rebuild), when configured.
    pub inventory: Option<Arc<crate::inventory::Inventory>>,
    /// The projects kept beside the actors, when a store is configured.
    pub projects: Option<Arc<crate::projects::Projects>>,
}

impl AppState {
    /// Serves `analysis` (no tile cache).
    pub fn new(analysis: impl Into<Arc<Analysis>>) -> Self {
        Self {
            analysis: Arc::new(ArcSwap::new(analysis.into())),
            tile_cache: None,
            inventory: None,
            projects: None,
        }
    }

    /// The current analysis: load it once per request and answer from it.
    pub fn analysis(&self) -> Arc<Analysis> {
        self.analysis.load_full()
    }

    /// Serves `analysis` from now on; requests already running finish on the previous one.
    pub fn swap(&self, analysis: impl Into<Arc<Analysis>>) {
        self.analysis.store(analysis.into());
    }

    /// Builds a new analysis and swaps it in when the build succeeds; on error the previous
    /// analysis keeps serving and the error is returned.
    ///
    /// # Errors
    /// The build's own error.
    pub fn rebuild<E>(&self, build: impl FnOnce() -> Result<Analysis, E>) -> Result<(), E> {
        let analysis = build()?;
        // Tiles are prepared before the swap, so that no request waits for them.
        analysis.tiles();
        self.swap(analysis);
        Ok(())
    }

    /// Serves the editable inventory's routes with `inventory`.
    pub fn with_inventory(mut self, inventory: Arc<crate::inventory::Inventory>) -> Self {
        self.inventory = Some(inventory);
        self
    }

    /// Serves the project routes with `projects`.
    pub fn with_projects(mut self, projects: Arc<crate::projects::Projects>) -> Self {
        self.projects = Some(projects);
        self
    }

    /// Enables an in-memory cache of encoded tiles of at most `megabytes` (0 disables it).
    pub fn with_tile_cache(mut self, megabytes: usize) -> Self {
        self.tile_cache =
            (megabytes > 0).then(|| Arc::new(TileCache::new(megabytes * 1024 * 1024)));
        self
    }
}
