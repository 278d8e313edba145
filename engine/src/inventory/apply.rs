//! The one call that decides what a server serves after edits: [`apply_edits`] lays the latest
//! state of each edited actor over a base territory (the loaded dataset and its load report)
//! and returns the analysis to serve, or refuses the whole list.
//!
//! It validates every state as an editor's input is validated ([`ActorFields::validate`]),
//! builds the edited dataset ([`Dataset::with_actor_states`]) and its load report (counts of the
//! edited actors, the base's manifest, warnings and layer CRS), then the analysis. When the
//! analysis serving before (`previous`) was built by this call over the same base with the same
//! parameters, only what reads the actors is computed again (see
//! [`Analysis::with_edited_actors`]); the result is the one a full build gives either way.

use std::collections::BTreeMap;

use super::{ActorFields, ActorInput, FieldError};
use crate::analysis::{Analysis, AnalysisError, AnalysisParams};
use crate::dataset::Dataset;
use crate::load_report::LoadReport;

/// The state an edited actor is left in by its latest edit.
#[derive(Debug, Clone, PartialEq)]
pub struct EditedActor {
    /// Actor id (`source:id`).
    pub id: String,
    /// Source of the actor (`edits` for one created by users).
    pub source: String,
    /// Number of the edit that left this state (a store's sequence number), named in errors.
    pub edit: i64,
    /// The actor's fields as an editor gave them; `None`: retired.
    pub state: Option<ActorInput>,
}

/// Why a list of edits was not applied (nothing of it is).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    /// A state does not validate against the base (a store edited by hand, or a base reloaded
    /// without the commune an actor without a point names).
    #[error("modification {edit} de {actor_id} : {error}")]
    Invalid {
        /// The actor.
        actor_id: String,
        /// The edit.
        edit: i64,
        /// The field at fault.
        error: FieldError,
    },
    /// The edited dataset could not be built.
    #[error("{0}")]
    Dataset(FieldError),
    /// The analysis of the edited dataset was refused.
    #[error("analyse non reconstruite : {0}")]
    Analysis(#[from] AnalysisError),
}

/// The analysis of `base` (loaded with `base_report`) with every actor of `edits` in its
/// edited state, built with `params`, reusing what `previous` (the analysis serving) holds
/// that the edits do not change.
///
/// # Errors
/// [`ApplyError`] for the first state that does not validate, a dataset that cannot be built
/// or parameters out of range: nothing is applied then.
pub fn apply_edits(
    base: &Dataset,
    base_report: &LoadReport,
    edits: &[EditedActor],
    params: &AnalysisParams,
    previous: Option<&Analysis>,
) -> Result<Analysis, ApplyError> {
    let mut states = BTreeMap::new();
    for e in edits {
        let fields =
            match &e.state {
                None => None,
                Some(input) => Some(ActorFields::validate(base, input).map_err(|error| {
                    ApplyError::Invalid {
                        actor_id: e.id.clone(),
                        edit: e.edit,
                        error,
                    }
                })?),
            };
        states.insert(e.id.clone(), (e.source.clone(), fields));
    }
    let dataset = base
        .with_actor_states(&states)
        .map_err(ApplyError::Dataset)?;
    let report = edited_report(base_report, &dataset);
    Ok(Analysis::with_edited_actors(
        dataset,
        report,
        params,
        &base.version,
        previous,
    )?)
}

/// The load report of an edited dataset: its own counts, the base's manifest, warnings, QPV
/// left out, actor sources and layer CRS.
fn edited_report(base: &LoadReport, dataset: &Dataset) -> LoadReport {
    let mut report = LoadReport::new(
        dataset,
        &base.manifest,
        base.warnings.clone(),
        base.qpv_skipped_outside.clone(),
        base.actor_sources.clone(),
    );
    report.layers_crs = base.layers_crs.clone();
    report
}
