//! The one analysis every command works on: the territory named on the command line (or the
//! embedded default), loaded and analysed with the default parameters.

use std::path::Path;

use anyhow::Context;
use repere_engine::load_report::LoadReport;
use repere_engine::{Analysis, Dataset, Territory};

/// Loads the territory (the embedded Métropole Rouen Normandie when `territory` is `None`) and
/// builds its analysis.
///
/// # Errors
/// An unreadable manifest, a load error naming file, feature and field, or a refused build.
pub fn analysis(territory: Option<&Path>) -> anyhow::Result<Analysis> {
    let (dataset, report) = load(territory)?;
    Ok(Analysis::build_default(dataset, report)?)
}

/// Loads the territory (the embedded Métropole Rouen Normandie when `territory` is `None`).
///
/// # Errors
/// An unreadable manifest, or a load error naming file, feature and field.
pub fn load(territory: Option<&Path>) -> anyhow::Result<(Dataset, LoadReport)> {
    let t = match territory {
        Some(p) => Territory::from_path(p)?,
        None => Territory::default_rouen()?,
    };
    repere_engine::load::load(&t).context("le territoire ne s'est pas chargé")
}

/// The geocoder the territory's manifest names (`[geocoder] url`), if any.
///
/// # Errors
/// An unreadable manifest.
pub fn geocoder_url(territory: Option<&Path>) -> anyhow::Result<Option<String>> {
    let t = match territory {
        Some(p) => Territory::from_path(p)?,
        None => Territory::default_rouen()?,
    };
    Ok(t.manifest.geocoder.map(|g| g.url))
}
