//! Application state: the loaded dataset, its load report, the prepared tiles and the access
//! context (gap grid), immutable and shared by `Arc`.

use std::sync::Arc;

use repere_engine::coverage::AccessContext;
use repere_engine::diagnostic::{DiagnosticParams, Diagnostics};
use repere_engine::ranking::{Ranking, Weights, rank};
use repere_engine::tiles::TileSet;
use repere_engine::tiles::attributes::commune_extras;
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
    /// Every diagnostic, computed once at startup with the default parameters.
    pub diagnostics: Arc<Diagnostics>,
    /// The ranking with the default weights.
    pub ranking: Arc<Ranking>,
    /// The diagnostic fields of each commune, as in the `communes` tiles and exports.
    pub commune_extras: Arc<CommuneExtras>,
    /// Every tile layer, prepared once at startup: the base layers (`all`) and the gap layers
    /// (their own tileset, [`repere_engine::gaps::layer::GAPS_SELECTION`]).
    pub tiles: Arc<TileSet>,
    /// Encoded tiles kept in memory, when enabled (`repere serve --tile-cache-mb`).
    pub tile_cache: Option<Arc<TileCache>>,
    /// Access network, actors as destinations and the gap grid (coverage checks, `gaps` layer).
    pub access: Arc<AccessContext>,
}

impl AppState {
    /// Wraps a loaded dataset: computes its diagnostics and default ranking and prepares its
    /// tiles (no tile cache).
    pub fn new(dataset: Dataset, report: LoadReport) -> Self {
        let diagnostics = Diagnostics::compute(&dataset, &DiagnosticParams::default());
        let ranking = rank(&diagnostics, &Weights::default());
        let extras = commune_extras(&diagnostics, &ranking);
        let access = AccessContext::build_default(&dataset);
        let gaps = repere_engine::gaps::layer::gaps_layers(&dataset, &access.gaps);
        let tiles = TileSet::from_dataset(&dataset, &extras, gaps);
        Self {
            dataset: Arc::new(dataset),
            report: Arc::new(report),
            diagnostics: Arc::new(diagnostics),
            ranking: Arc::new(ranking),
            commune_extras: Arc::new(extras),
            tiles: Arc::new(tiles),
            tile_cache: None,
            access: Arc::new(access),
        }
    }

    /// The access context (network, destinations, gap grid).
    pub fn access_context(&self) -> &AccessContext {
        &self.access
    }

    /// Enables an in-memory cache of encoded tiles of at most `megabytes` (0 disables it).
    pub fn with_tile_cache(mut self, megabytes: usize) -> Self {
        self.tile_cache =
            (megabytes > 0).then(|| Arc::new(TileCache::new(megabytes * 1024 * 1024)));
        self
    }
}
