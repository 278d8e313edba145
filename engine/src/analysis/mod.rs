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
use crate::gaps::layer::{gaps_layers, gaps_layers_properties};
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
    /// The version of the base dataset edits were laid over to make this one (see
    /// [`Analysis::with_edited_actors`]); `None` for a dataset built otherwise.
    base_version: Option<String>,
}

/// What a build knows of how its dataset differs from the previous analysis's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reuse {
    /// Only the actors differ (edits laid over the same base).
    ActorsOnly,
    /// Anything may differ: each part checks its own inputs.
    Unknown,
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
        Self::build_reusing(dataset, report, params, None, Reuse::Unknown)
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
        Self::build_reusing(dataset, report, &self.params, Some(self), Reuse::Unknown)
    }

    /// The analysis of `dataset`, made by laying edited actors over the base dataset of version
    /// `base_version` (see [`crate::inventory::apply_edits`]), with `params`: what
    /// [`Analysis::build`] returns. When `previous` was made the same way over the same base
    /// with the same parameters, only the actors differ between the two datasets: what reads no
    /// actor is taken from `previous` (the gap grid's cells, the tile layers of QPV, stops,
    /// IRIS and labels, the geometry of the communes and gap layers) and the rest computed
    /// again. Otherwise `previous` is reused as [`Analysis::rebuild`] does, when its parameters
    /// are these, and not at all when they differ.
    ///
    /// # Errors
    /// As [`Analysis::build`].
    pub fn with_edited_actors(
        dataset: Dataset,
        report: LoadReport,
        params: &AnalysisParams,
        base_version: &str,
        previous: Option<&Analysis>,
    ) -> Result<Self, AnalysisError> {
        let previous = previous.filter(|p| p.params == *params);
        let reuse = match previous {
            // Made over this base, or the base itself as loaded.
            Some(p) if p.base_version.as_deref().unwrap_or(p.version()) == base_version => {
                Reuse::ActorsOnly
            }
            _ => Reuse::Unknown,
        };
        let mut analysis = Self::build_reusing(dataset, report, params, previous, reuse)?;
        analysis.base_version = Some(base_version.to_owned());
        Ok(analysis)
    }

    fn build_reusing(
        dataset: Dataset,
        report: LoadReport,
        params: &AnalysisParams,
        previous: Option<&Analysis>,
        reuse: Reuse,
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
            let _ = tiles.set(match reuse {
                // The same grid cells: the gap layers' squares are those prepared.
                Reuse::ActorsOnly => prepared.rebuild_edited_actors(
                    &dataset,
                    &commune_extras,
                    gaps_layers_properties(&dataset, &access.gaps),
                    || gaps_layers(&dataset, &access.gaps),
                ),
                Reuse::Unknown => prepared.rebuild(
                    &dataset,
                    &commune_extras,
                    gaps_layers(&dataset, &access.gaps),
                ),
            });
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
            base_version: None,
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
        let mut r = crate::coverage::check::check_within(
            &self.dataset,
            &self.access.gaps,
            &self.access.network,
            sites,
            params,
            stop,
        )?;
        r.invisibles = Some(self.invisibles_within_reach(&r));
        Ok(r)
    }

    /// The invisibles within reach of a check: per commune reached, its diagnostic's unrounded
    /// NEET estimate and follow-up counts, and the share of its grid young people in reached
    /// cells ([`crate::coverage::invisibles`]).
    fn invisibles_within_reach(
        &self,
        r: &CoverageReport,
    ) -> crate::coverage::invisibles::InvisiblesReached {
        use crate::coverage::invisibles::{ReachedArea, within_reach};
        let grid = &self.access.gaps.grid;
        let mut youth_by_commune: std::collections::HashMap<usize, f64> =
            std::collections::HashMap::new();
        for cell in &grid.cells {
            *youth_by_commune.entry(cell.commune).or_insert(0.0) += cell.youth_15_29;
        }
        let f = &self.dataset.followup;
        let areas: Vec<ReachedArea> = r
            .communes
            .iter()
            .filter_map(|c| {
                let code = CommuneCode::parse(&c.code).ok()?;
                let d = self.diagnostics.commune(&code)?;
                let index = self.dataset.communes.iter().position(|x| x.code == code)?;
                let total = youth_by_commune.get(&index).copied().unwrap_or(0.0);
                Some(ReachedArea {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    neet_est: d.estimated_neet_count.value,
                    counts: f
                        .by_commune
                        .get(&code)
                        .map(|b| b.values().map(|x| x.count).collect())
                        .unwrap_or_default(),
                    share_reached: if total > 0.0 {
                        c.youth_reached / total
                    } else {
                        0.0
                    },
                })
            })
            .collect();
        within_reach(&areas, f)
    }

    /// The existing structures of the host kinds the territory declares suitable (its
    /// `[siting]`), candidates for a permanence.
    pub fn host_candidates(&self) -> Vec<Candidate> {
        host_candidates(&self.dataset)
    }

    /// Where to open the next permanence: `params.k` places among `candidates` (when `None`,
    /// the host structures of suitable kinds and every QPV cell) by exact maximal covering of
    /// the group's gap cells on foot, the existing actors of the group and the `planned` sites
    /// held fixed.
    ///
    /// # Errors
    /// [`SuggestError`] for a parameter out of range, no or too many candidates, `k` out of
    /// range, a candidate outside the territory.
    pub fn suggest(
        &self,
        candidates: Option<&[Candidate]>,
        planned: &[Site],
        params: &SuggestParams,
    ) -> Result<Suggestion, SuggestError> {
        let defaults;
        let cands = match candidates {
            Some(c) => c,
            None => {
                defaults =
                    crate::suggest::default_candidates(&self.dataset, &self.access.gaps.grid);
                &defaults
            }
        };
        crate::suggest::suggest(
            &self.dataset,
            &self.access.gaps,
            &self.access.network.params.walk,
            cands,
            planned,
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
