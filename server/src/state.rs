//! Application state: the loaded dataset and its load report, immutable and shared by `Arc`.

use std::sync::Arc;

use repere_engine::{Dataset, LoadReport};

/// Cheap to clone; a reload would build a new state and swap it whole.
#[derive(Clone)]
pub struct AppState {
    /// The loaded territory.
    pub dataset: Arc<Dataset>,
    /// Its load report.
    pub report: Arc<LoadReport>,
}

impl AppState {
    /// Wraps a loaded dataset.
    pub fn new(dataset: Dataset, report: LoadReport) -> Self {
        Self {
            dataset: Arc::new(dataset),
            report: Arc::new(report),
        }
    }
}
