//! Everything a coverage check or a gap map needs, built once per dataset.

use crate::dataset::Dataset;
use crate::gaps::{GapGrid, GapParams};
use crate::grid::Grid;
use crate::transit::{Destinations, TravelNetwork, TravelParams};

/// The access network, the actors as destinations and the gap grid of a dataset.
#[derive(Debug)]
pub struct TravelContext {
    /// Stops and the day's timetable.
    pub network: TravelNetwork,
    /// Actors by group.
    pub destinations: Destinations,
    /// The 200 m grid with access times.
    pub gaps: GapGrid,
}

impl TravelContext {
    /// Builds the context with the given parameters (200 m cells).
    pub fn build(ds: &Dataset, access: TravelParams, gap: GapParams) -> Self {
        Self::build_reusing(ds, access, gap, None)
    }

    /// [`TravelContext::build`], reusing the grid of `previous` when its inputs are unchanged
    /// (see [`Grid::build_reusing`]).
    pub fn build_reusing(
        ds: &Dataset,
        access: TravelParams,
        gap: GapParams,
        previous: Option<&TravelContext>,
    ) -> Self {
        let walk = ds.walk_model(*access.walk());
        let network = TravelNetwork::with_walk(ds.transport.as_ref(), access, walk);
        let destinations = Destinations::of_actors(&ds.actors, &network);
        let grid = Grid::build_reusing(ds, 200.0, previous.map(|p| &p.gaps.grid));
        let gaps = GapGrid::compute(grid, &network, &destinations, gap);
        Self {
            network,
            destinations,
            gaps,
        }
    }

    /// Builds the context with default parameters.
    pub fn build_default(ds: &Dataset) -> Self {
        Self::build(ds, TravelParams::default(), GapParams::default())
    }
}
