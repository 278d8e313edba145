//! Everything a coverage check or a gap map needs, built once per dataset.

use crate::dataset::Dataset;
use crate::gaps::{GapGrid, GapParams, Grid};
use crate::transit::access::{AccessNetwork, AccessParams, Destinations};

/// The access network, the actors as destinations and the gap grid of a dataset.
#[derive(Debug)]
pub struct AccessContext {
    /// Stops and the day's timetable.
    pub network: AccessNetwork,
    /// Actors by group.
    pub destinations: Destinations,
    /// The 200 m grid with access times.
    pub gaps: GapGrid,
}

impl AccessContext {
    /// Builds the context with the given parameters (200 m cells).
    pub fn build(ds: &Dataset, access: AccessParams, gap: GapParams) -> Self {
        let walk = ds.walk_model(*access.walk());
        let network = AccessNetwork::with_walk(ds.transport.as_ref(), access, walk);
        let destinations = Destinations::of_actors(&ds.actors, &network);
        let gaps = GapGrid::compute(Grid::build(ds, 200.0), &network, &destinations, gap);
        Self {
            network,
            destinations,
            gaps,
        }
    }

    /// Builds the context with default parameters.
    pub fn build_default(ds: &Dataset) -> Self {
        Self::build(ds, AccessParams::default(), GapParams::default())
    }
}
