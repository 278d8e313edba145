//! Counts of young people already followed, per source and area, as a territory brings them
//! (`[[followup.counts]]`: missions locales, France Travail, E2C, EPIDE, PLIE, prévention
//! spécialisée), and the national order of magnitude of those followed by no one.

use std::collections::BTreeMap;

use crate::codes::{CommuneCode, QpvCode};
use serde::Deserialize;

/// The areas of a follow-up file.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowupLevel {
    /// INSEE commune codes.
    Commune,
    /// IRIS codes (summed per commune).
    Iris,
    /// QPV codes (latest vintage).
    Qpv,
}

/// `[followup.national]`: the share of NEET young people in contact with no public employment
/// service, as published nationally, with its source text.
#[derive(Debug, Clone, Deserialize, PartialEq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NationalShare {
    /// The share, percent (0-100).
    pub share_pct: f64,
    /// The publication, quoted (who, what, year).
    pub source: String,
}

/// One loaded follow-up file: what it counts, from when.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FollowupFile {
    /// Source code as given (`ML`, `FT`, `E2C`, …).
    pub source: String,
    /// French name of the source: the manifest's label, else the known name of the code.
    pub label: String,
    /// Age band of the counts (`16-25`).
    pub age_band: String,
    /// Date of the counts (`2024-12-31`, `2024-12`, `2024`).
    pub date: String,
    /// What its rows are.
    pub level: FollowupLevel,
    /// The file, as messages name it.
    pub file: String,
    /// Areas (member communes, IRIS of member communes, QPV of the latest vintage) it counts.
    pub areas: usize,
}

/// The young people one source follows in one area, and the files the count comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FollowedCount {
    /// Young people followed (sum over the source's files: two missions locales of a territory
    /// follow different young people).
    pub count: u32,
    /// Indices into [`Followup::files`].
    pub files: Vec<usize>,
}

/// Source code → count, for one area.
pub type FollowedBySource = BTreeMap<String, FollowedCount>;

/// Everything loaded from `[followup]`.
#[derive(Debug, Clone, Default)]
pub struct Followup {
    /// The files, in manifest order.
    pub files: Vec<FollowupFile>,
    /// Per member commune: commune rows, else the sum of the commune's IRIS rows, per source.
    pub by_commune: BTreeMap<CommuneCode, FollowedBySource>,
    /// Per QPV of the latest vintage: QPV rows, per source.
    pub by_qpv: BTreeMap<QpvCode, FollowedBySource>,
    /// The national order of magnitude given in the manifest, if any.
    pub national: Option<NationalShare>,
}

impl Followup {
    /// Whether any local count is loaded.
    pub fn has_local_counts(&self) -> bool {
        !self.files.is_empty()
    }
}

/// The French name of a known source code, `None` for another code.
///
/// # Examples
/// ```
/// use repere_engine::model::followup::source_name;
/// assert_eq!(source_name("ml"), Some("Mission locale"));
/// assert_eq!(source_name("XYZ"), None);
/// ```
pub fn source_name(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_uppercase().as_str() {
        "ML" => "Mission locale",
        "FT" => "France Travail",
        "E2C" => "École de la deuxième chance",
        "EPIDE" => "EPIDE",
        "PLIE" => "PLIE",
        "PREV" => "Prévention spécialisée",
        _ => return None,
    })
}
