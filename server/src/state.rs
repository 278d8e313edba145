//! Application state: the served analysis ([`ServedAnalysis`]), the optional cache of encoded
//! tiles, and the optional actor inventory and projects.
//!
//! A request loads the current analysis once ([`AppState::analysis`]) and answers from it, so a
//! swap in the middle of a request never mixes two analyses. [`AppState::rebuild`] swaps in a new
//! analysis only when its build succeeded: a failed rebuild leaves the previous one serving.

use std::sync::Arc;

use repere_engine::Analysis;

use crate::served::ServedAnalysis;
use crate::tile_cache::TileCache;

/// Cheap to clone: clones share the same served analysis and tile cache.
#[derive(Clone)]
pub struct AppState {
    served: Arc<ServedAnalysis>,
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
            served: Arc::new(ServedAnalysis::new(analysis)),
            tile_cache: None,
            inventory: None,
            projects: None,
        }
    }

    /// The current analysis: load it once per request and answer from it.
    pub fn analysis(&self) -> Arc<Analysis> {
        self.served.analysis()
    }

    /// The served analysis, which every change of what is served goes through.
    pub fn served(&self) -> &Arc<ServedAnalysis> {
        &self.served
    }

    /// Builds a new territory's analysis and serves it when the build succeeds (see
    /// [`ServedAnalysis::replace`]); on error the previous analysis keeps serving and the error
    /// is returned.
    ///
    /// # Errors
    /// The build's own error.
    pub fn rebuild<E>(&self, build: impl FnOnce() -> Result<Analysis, E>) -> Result<(), E> {
        self.served.replace(build)
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

impl AsRef<Arc<ServedAnalysis>> for AppState {
    fn as_ref(&self) -> &Arc<ServedAnalysis> {
        &self.served
    }
}
