//! Reloading the territory while serving (`repere serve` on SIGHUP): the new analysis is built
//! aside and swapped in whole only when it succeeded; on failure the previous one keeps serving.
//! The outcome of the last reload is kept for `GET /health`, which is public: it names the
//! files at fault relative to the manifest's folder, never their paths or contents; the whole
//! error goes to the server's log.

use std::path::Path;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::served::ServedAnalysis;

/// The outcome of one reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadOutcome {
    /// Whether the new analysis is serving.
    pub ok: bool,
    /// When the reload ended, seconds since 1970-01-01 UTC.
    pub at_unix_s: u64,
    /// The dataset version serving after the reload.
    pub version: String,
    /// The files at fault when the reload failed, relative to the manifest's folder (or their
    /// bare names when elsewhere, such as the token file).
    pub files: Vec<String>,
    /// Why the reload failed (the previous analysis is still serving): for the log only, as it
    /// may hold paths and file contents.
    #[serde(skip)]
    pub error: Option<String>,
}

/// Why a reload failed: the whole error (for the log) and the files at fault (public).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadFailure {
    /// The error, in full.
    pub detail: String,
    /// The files at fault, relative to the manifest's folder.
    pub files: Vec<String>,
}

impl ReloadFailure {
    /// A failure with its detail and files.
    pub fn new(detail: String, files: Vec<String>) -> Self {
        Self { detail, files }
    }

    /// Both failures (details joined, files of both).
    pub fn and(mut self, other: Self) -> Self {
        self.detail = format!("{} ; {}", self.detail, other.detail);
        for f in other.files {
            if !self.files.contains(&f) {
                self.files.push(f);
            }
        }
        self
    }

    /// A territory that did not load: the files its load errors name, relative to
    /// `manifest_dir` (the folder of `--territory`).
    pub fn from_load(e: &anyhow::Error, manifest_dir: Option<&Path>) -> Self {
        let mut files: Vec<String> = Vec::new();
        for cause in e.chain() {
            if let Some(l) = cause.downcast_ref::<repere_engine::problem::LoadError>() {
                let named: Vec<&str> = match l {
                    repere_engine::problem::LoadError::Manifest { path, .. } => vec![path],
                    repere_engine::problem::LoadError::Invalid(problems) => {
                        problems.iter().map(|p| p.file.as_str()).collect()
                    }
                };
                for f in named {
                    let shown = relative_name(f, manifest_dir);
                    if !shown.is_empty() && !files.contains(&shown) {
                        files.push(shown);
                    }
                }
            }
        }
        Self::new(format!("{e:#}"), files)
    }
}

impl From<String> for ReloadFailure {
    fn from(detail: String) -> Self {
        Self::new(detail, Vec::new())
    }
}

/// `file` relative to `dir` when inside it, else its bare name.
fn relative_name(file: &str, dir: Option<&Path>) -> String {
    let path = Path::new(file);
    if let Some(dir) = dir
        && let Ok(rel) = path.strip_prefix(dir)
    {
        return rel.display().to_string();
    }
    if path.is_relative() && !file.contains("..") {
        return file.to_owned();
    }
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
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

/// Records the outcome of a reload that swapped in a new analysis (`Ok`) or kept the previous
/// one serving (`Err`), and returns it.
pub fn finish(
    served: &ServedAnalysis,
    status: &ReloadStatus,
    result: Result<(), ReloadFailure>,
) -> ReloadOutcome {
    let at_unix_s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (files, error) = match result {
        Ok(()) => (Vec::new(), None),
        Err(f) => (f.files, Some(f.detail)),
    };
    let outcome = ReloadOutcome {
        ok: error.is_none(),
        at_unix_s,
        version: served.analysis().version().to_owned(),
        files,
        error,
    };
    status.record(outcome.clone());
    outcome
}
