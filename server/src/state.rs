//! Application state: the loaded dataset and its load report, immutable and shared by `Arc`.

use std::sync::{Arc, OnceLock};

use repere_engine::coverage::AccessContext;
use repere_engine::{Dataset, LoadReport};

/// Cheap to clone; a reload would build a new state and swap it whole.
#[derive(Clone)]
pub struct AppState {
    /// The loaded territory.
    pub dataset: Arc<Dataset>,
    /// Its load report.
    pub report: Arc<LoadReport>,
    /// Access network and gap grid, built on first use (coverage checks, gap maps).
    pub access: Arc<OnceLock<AccessContext>>,
}

impl AppState {
    /// Wraps a loaded dataset.
    pub fn new(dataset: Dataset, report: LoadReport) -> Self {
        Self {
            dataset: Arc::new(dataset),
            report: Arc::new(report),
            access: Arc::new(OnceLock::new()),
        }
    }

    /// The access context, built on first call (CPU-bound: call from a blocking task).
    pub fn access_context(&self) -> &AccessContext {
        self.access
            .get_or_init(|| AccessContext::build_default(&self.dataset))
    }
}
