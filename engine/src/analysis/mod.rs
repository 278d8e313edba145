//! One prepared analysis of a loaded territory: everything the server and the command line
//! compute from a [`Dataset`], built once by a pure function and queried read-only.
//!
//! - [`params`]: the parameters of a build (diagnostics, default weights, access and gaps),
//!   validated by [`AnalysisParams::validate`];
//! - [`error`]: why a build was refused ([`AnalysisError`]);
//! - [`find`]: one commune or one QPV, with a typed reason when it is not found ([`NotFound`]);
//! - [`lookup`](mod@lookup): one or many WGS84 points;
//! - [`summary`]: the QPV list rows and the public transport summary.
//!
//! [`Analysis::build`] takes the dataset and its load report by value and returns either a
//! complete analysis or an error: there is no half-built state. A server keeps serving its
//! previous analysis when a rebuild fails and swaps the new one in whole when it succeeds.

pub mod error;
pub mod find;
pub mod lookup;
pub mod params;
pub mod summary;

pub use error::AnalysisError;
pub use find::{CommuneDetail, NotFound};
pub use lookup::PointLookupError;
pub use params::AnalysisParams;
pub use summary::{QpvSummary, TransportSummary};

use crate::codes::{CommuneCode, QpvCode};
use crate::coverage::check::CoverageError;
use crate::coverage::{CoverageParams, CoverageReport, Site, TravelContext};
use crate::dataset::Dataset;
use crate::diagnostic::Diagnostics;
use crate::gaps::layer::gaps_layers;
use crate::gaps::summary::{GapSummaries, summarise};
use crate::load_report::LoadReport;
use crate::model::actor::ActorGroup;
use crate::ranking::{Ranking, Weights, rank};
use crate::suggest::{Candidate, SuggestError, SuggestParams, Suggestion, host_candidates};
use crate::tiles::attributes::commune_extras;
use crate::tiles::layers::{CommuneExtras, communes, dataset_layers};
use crate::tiles::{SourceLayer, TileSet};

/// A loaded territory with everything computed from it: diagnostics, default ranking, commune
/// tile attributes, access network and gap grid, and the prepared tiles (on first use: a
/// command that draws no map, such as `check` on France, does not prepare them).
#[derive(Debug)]
pub struct Analysis {
    dataset: Dataset,
    report: LoadReport,
    params: AnalysisParams,
    diagnostics: Diagnostics,
    ranking: Ranking,
    commune_extras: CommuneExtras,
    access: TravelContext,
    tiles: std::sync::OnceLock<TileSet>,
}

impl Analysis {
    /// Builds the analysis of a loaded dataset: diagnostics with `params.diagnostic`, ranking
    /// with `params.weights`, access network and gap grid with `params.access` and
    /// `params.gap`. The tiles (dataset layers with the commune attributes, and `gaps`) are
    /// prepared on the first call of [`Analysis::tiles`] (a server calls it before listening).
    ///
    /// # Errors
    /// [`AnalysisError::Param`] when a parameter is out of range (nothing is computed then).
    pub fn build(
        dataset: Dataset,
        report: LoadReport,
        params: &AnalysisParams,
    ) -> Result<Self, AnalysisError> {
        Self::build_reusing(dataset, report, params, None)
    }

    /// The analysis of `dataset` after an edit (e.g. from [`Dataset::with_actor_states`]):
    /// what [`Analysis::build`] returns with `self`'s parameters, faster, because the parts
    /// that do not depend on what changed are taken from `self` (the gap grid's cells when the
    /// communes, QPV and young people are the same; the prepared tile geometry of every layer
    /// whose features kept their geometry).
    ///
    /// # Errors
    /// As [`Analysis::build`].
    pub fn rebuild(&self, dataset: Dataset, report: LoadReport) -> Result<Self, AnalysisError> {
        Self::build_reusing(dataset, report, &self.params, Some(self))
    }

    fn build_reusing(
        dataset: Dataset,
        report: LoadReport,
        params: &AnalysisParams,
        previous: Option<&Analysis>,
    ) -> Result<Self, AnalysisError> {
        params.validate()?;
        let diagnostics = Diagnostics::compute(&dataset, &params.diagnostic);
        let ranking = rank(&diagnostics, &params.weights);
        let commune_extras = commune_extras(&diagnostics, &ranking);
        let access = TravelContext::build_reusing(
            &dataset,
            params.access.clone(),
            params.gap,
            previous.map(|p| &p.access),
        );
        // Tiles the previous analysis had prepared are rebuilt from them now; otherwise they
        // are prepared on first use.
        let tiles = std::sync::OnceLock::new();
        if let Some(prepared) = previous.and_then(|p| p.tiles.get()) {
            let gaps = gaps_layers(&dataset, &access.gaps);
            let _ = tiles.set(prepared.rebuild(&dataset, &commune_extras, gaps));
        }
        Ok(Self {
            dataset,
            report,
            params: params.clone(),
            diagnostics,
            ranking,
            commune_extras,
            access,
            tiles,
        })
    }

    /// Builds with [`AnalysisParams::default`].
    ///
    /// # Errors
    /// Never with the defaults (they are in range); the signature is [`Analysis::build`]'s.
    pub fn build_default(dataset: Dataset, report: LoadReport) -> Result<Self, AnalysisError> {
        Self::build(dataset, report, &AnalysisParams::default())
    }

    /// The loaded territory.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Its load report.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// The parameters the analysis was built with.
    pub fn params(&self) -> &AnalysisParams {
        &self.params
    }

    /// The content hash of the dataset: tiles, caches and ETags are keyed by it.
    pub fn version(&self) -> &str {
        &self.dataset.version
    }

    /// Every diagnostic.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diagnostics
    }

    /// The ranking with the default weights of the build.
    pub fn default_ranking(&self) -> &Ranking {
        &self.ranking
    }

    /// The ranking with `weights`: the prepared one when they are the build's, computed
    /// otherwise.
    pub fn ranking(&self, weights: &Weights) -> Ranking {
        if *weights == self.params.weights {
            self.ranking.clone()
        } else {
            rank(&self.diagnostics, weights)
        }
    }

    /// The diagnostic fields of each commune, as carried by the `communes` tiles and exports.
    pub fn commune_extras(&self) -> &CommuneExtras {
        &self.commune_extras
    }

    /// The access network, the actors as destinations and the gap grid.
    pub fn access(&self) -> &TravelContext {
        &self.access
    }

    /// The prepared tile layers.
    pub fn tiles(&self) -> &TileSet {
        self.tiles.get_or_init(|| {
            let gaps = gaps_layers(&self.dataset, &self.access.gaps);
            TileSet::from_dataset(&self.dataset, &self.commune_extras, gaps)
        })
    }

    /// The `communes` layer with its diagnostic fields (communes list, CSV and GeoJSON exports).
    pub fn communes_layer(&self) -> SourceLayer {
        communes(&self.dataset, &self.commune_extras)
    }

    /// Every source layer of the tiles, in tile order (the dataset's, then the gap layers).
    pub fn source_layers(&self) -> Vec<SourceLayer> {
        let mut layers = dataset_layers(&self.dataset, &self.commune_extras);
        layers.extend(gaps_layers(&self.dataset, &self.access.gaps));
        layers
    }

    /// Coverage check of planned sites over the prepared access network and gap grid.
    ///
    /// # Errors
    /// [`CoverageError`] for a threshold out of range, no site, more than 1 000 sites or a site
    /// outside the territory.
    pub fn coverage(
        &self,
        sites: &[Site],
        params: &CoverageParams,
    ) -> Result<CoverageReport, CoverageError> {
        self.coverage_within(sites, params, &|| false)
    }

    /// [`Analysis::coverage`] that gives up when `stop` answers true (asked before each site):
    /// the caller's compute budget.
    ///
    /// # Errors
    /// As [`Analysis::coverage`], and [`CoverageError::Budget`] when stopped.
    pub fn coverage_within(
        &self,
        sites: &[Site],
        params: &CoverageParams,
        stop: &dyn Fn() -> bool,
    ) -> Result<CoverageReport, CoverageError> {
        crate::coverage::check::check_within(
            &self.dataset,
            &self.access.gaps,
            &self.access.network,
            sites,
            params,
            stop,
        )
    }

    /// The existing structures of host kinds (centres sociaux, maisons de quartier, MJC, PIJ,
    /// mairies, France services), candidates for a permanence.
    pub fn host_candidates(&self) -> Vec<Candidate> {
        host_candidates(&self.dataset)
    }

    /// Where to open the next permanence: `params.k` structures among `candidates` (the host
    /// structures when `None`) by greedy maximal covering of the group's gap cells on foot.
    ///
    /// # Errors
    /// [`SuggestError`] for a threshold out of range, no or too many candidates, `k` out of
    /// range, a candidate outside the territory.
    pub fn suggest(
        &self,
        candidates: Option<&[Candidate]>,
        params: &SuggestParams,
    ) -> Result<Suggestion, SuggestError> {
        let hosts;
        let cands = match candidates {
            Some(c) => c,
            None => {
                hosts = self.host_candidates();
                &hosts
            }
        };
        crate::suggest::suggest(
            &self.dataset,
            &self.access.gaps,
            &self.access.network.params.walk,
            cands,
            params,
        )
    }

    /// Young people in gap cells per commune and per QPV, for `group` and `threshold_min`.
    /// With local follow-up counts, each area also carries its invisibles estimated beyond the
    /// threshold ([`crate::indicator::invisibles::outside_threshold_est`]).
    pub fn gap_summaries(&self, group: ActorGroup, threshold_min: f64) -> GapSummaries {
        use crate::indicator::invisibles::outside_threshold_est;
        let mut s = summarise(&self.dataset, &self.access.gaps, group, threshold_min);
        let f = &self.dataset.followup;
        if f.has_local_counts() {
            for c in &mut s.communes {
                let Some(d) = CommuneCode::parse(&c.code)
                    .ok()
                    .and_then(|code| self.diagnostics.commune(&code))
                else {
                    continue;
                };
                c.invisibles_outside_est = outside_threshold_est(
                    d.estimated_neet_count.value,
                    f.by_commune.get(&d.code),
                    c.share_in_gaps_pct,
                );
            }
            for q in &mut s.qpv {
                let Some(d) = QpvCode::parse(&q.code)
                    .ok()
                    .and_then(|code| self.diagnostics.qpv(&code))
                else {
                    continue;
                };
                let neet = crate::indicator::neet::estimated_neet_count(
                    d.neet_share_2018_pct_communes.value,
                    d.youth_15_29_est,
                );
                q.invisibles_outside_est =
                    outside_threshold_est(neet, f.by_qpv.get(&d.code), q.share_in_gaps_pct);
            }
        }
        s
    }
}
