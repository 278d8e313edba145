//! The served analysis: the one place that decides what the server answers from.
//!
//! It holds the base territory (the dataset as loaded, its load report and the analysis
//! parameters) and the analysis served now, behind an atomic swap. Every change goes through
//! it: at start-up [`ServedAnalysis::new`] serves the loaded analysis; after edits the
//! inventory asks [`ServedAnalysis::with_edits`] for the analysis of the base plus the edits
//! (one engine call, [`repere_engine::inventory::apply_edits`], reusing what the served one
//! holds) and [`ServedAnalysis::swap`]s it in once the edits are stored; on SIGHUP
//! [`ServedAnalysis::reload`] lays the edits over a newly loaded base and swaps base and
//! analysis together. A request loads the current analysis once ([`ServedAnalysis::analysis`])
//! and answers from it, so a swap in the middle of a request never mixes two analyses. A build
//! that fails swaps nothing: the previous analysis keeps serving.

use std::sync::Arc;

use arc_swap::ArcSwap;
use repere_engine::inventory::{ApplyError, EditedActor, apply_edits};
use repere_engine::load_report::LoadReport;
use repere_engine::{Analysis, AnalysisParams, Dataset};

/// The territory edits are laid over.
struct Base {
    dataset: Arc<Dataset>,
    report: LoadReport,
    params: AnalysisParams,
}

/// The base territory and the analysis served now.
pub struct ServedAnalysis {
    base: ArcSwap<Base>,
    current: ArcSwap<Analysis>,
}

impl ServedAnalysis {
    /// Serves `analysis`, whose dataset is also the base edits will be laid over. Its tiles
    /// are prepared on first use (`repere serve` prepares them before it listens).
    pub fn new(analysis: impl Into<Arc<Analysis>>) -> Self {
        let analysis = analysis.into();
        let base = Base {
            dataset: Arc::new(analysis.dataset().clone()),
            report: analysis.report().clone(),
            params: analysis.params().clone(),
        };
        Self {
            base: ArcSwap::from_pointee(base),
            current: ArcSwap::new(analysis),
        }
    }

    /// The analysis served now: load it once per request and answer from it.
    pub fn analysis(&self) -> Arc<Analysis> {
        self.current.load_full()
    }

    /// The base dataset (what edits are validated against); a reload replaces it.
    pub fn base(&self) -> Arc<Dataset> {
        self.base.load().dataset.clone()
    }

    /// The analysis of the base with `edits` (the latest state of every edited actor), built
    /// aside: nothing is swapped.
    ///
    /// # Errors
    /// [`ApplyError`] when a state does not validate or the build is refused.
    pub fn with_edits(&self, edits: &[EditedActor]) -> Result<Analysis, ApplyError> {
        let base = self.base.load();
        apply_edits(
            &base.dataset,
            &base.report,
            edits,
            &base.params,
            Some(&self.analysis()),
        )
    }

    /// Serves `analysis` from now on, its tiles prepared first so that no request waits for
    /// them; requests already running finish on the previous one.
    pub fn swap(&self, analysis: impl Into<Arc<Analysis>>) {
        let analysis = analysis.into();
        analysis.tiles();
        self.current.store(analysis);
    }

    /// Lays `edits` over a newly loaded base (`dataset`, `report`, with the served parameters)
    /// and, when that succeeds, serves the new base and its analysis together; on error both
    /// stay as they were.
    ///
    /// # Errors
    /// As [`ServedAnalysis::with_edits`].
    pub fn reload(
        &self,
        dataset: Dataset,
        report: LoadReport,
        edits: &[EditedActor],
    ) -> Result<(), ApplyError> {
        let params = self.base.load().params.clone();
        let analysis = apply_edits(&dataset, &report, edits, &params, Some(&self.analysis()))?;
        self.swap(analysis);
        self.base.store(Arc::new(Base {
            dataset: Arc::new(dataset),
            report,
            params,
        }));
        Ok(())
    }

    /// Serves the analysis `build` makes (a territory loaded without an actor store), base
    /// included, when it succeeds; on error the previous one keeps serving and the error is
    /// returned.
    ///
    /// # Errors
    /// The build's own error.
    pub fn replace<E>(&self, build: impl FnOnce() -> Result<Analysis, E>) -> Result<(), E> {
        let analysis = Arc::new(build()?);
        let base = Base {
            dataset: Arc::new(analysis.dataset().clone()),
            report: analysis.report().clone(),
            params: analysis.params().clone(),
        };
        self.swap(analysis);
        self.base.store(Arc::new(base));
        Ok(())
    }
}
