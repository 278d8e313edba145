//! Reloading the territory while serving (`repere serve` on SIGHUP): the new analysis is built
//! aside and swapped in whole only when it succeeded; on failure the previous one keeps serving.
//! The outcome of the last reload is kept for `GET /health`.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use repere_engine::Analysis;
use serde::Serialize;

use crate::AppState;

/// The outcome of one reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadOutcome {
    /// Whether the new analysis is serving.
    pub ok: bool,
    /// When the reload ended, seconds since 1970-01-01 UTC.
    pub at_unix_s: u64,
    /// The dataset version serving after the reload.
    pub version: String,
    /// Why the reload failed (the previous analysis is still serving).
    pub error: Option<String>,
}

/// The last reload's outcome, shared by the signal handler and `/health`.
#[derive(Debug, Default)]
pub struct ReloadStatus {
    last: Mutex<Option<ReloadOutcome>>,
    succeeded: Mutex<u64>,
}

impl ReloadStatus {
    /// The last reload, if any.
    pub fn last(&self) -> Option<ReloadOutcome> {
        self.last.lock().map(|g| g.clone()).unwrap_or(None)
    }

    /// Reloads that succeeded since start.
    pub fn succeeded(&self) -> u64 {
        self.succeeded.lock().map(|g| *g).unwrap_or(0)
    }

    fn record(&self, outcome: ReloadOutcome) {
        if outcome.ok
            && let Ok(mut n) = self.succeeded.lock()
        {
            *n += 1;
        }
        if let Ok(mut last) = self.last.lock() {
            *last = Some(outcome);
        }
    }
}

/// Builds a new analysis with `build` and swaps it in on success; records the outcome in
/// `status` either way and returns it. Runs on the calling thread (CPU-bound: call it from a
/// blocking task).
pub fn reload<E: std::fmt::Display>(
    state: &AppState,
    status: &ReloadStatus,
    build: impl FnOnce() -> Result<Analysis, E>,
) -> ReloadOutcome {
    let result = state.rebuild(build);
    finish(state, status, result)
}

/// Records the outcome of a reload that swapped in a new analysis (`Ok`) or kept the previous
/// one serving (`Err`), and returns it.
pub fn finish<E: std::fmt::Display>(
    state: &AppState,
    status: &ReloadStatus,
    result: Result<(), E>,
) -> ReloadOutcome {
    let at_unix_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let outcome = ReloadOutcome {
        ok: result.is_ok(),
        at_unix_s,
        version: state.analysis().version().to_owned(),
        error: result.err().map(|e| e.to_string()),
    };
    status.record(outcome.clone());
    outcome
}
