//! Loading the `[walking]` section: the OpenStreetMap extract's pedestrian network, clipped to
//! the territory's extent plus its margin (see [`crate::walking`]).

use std::sync::Arc;

use geo::Rect;

use crate::crs::Lambert93;
use crate::manifest::{Territory, WalkingSection};
use crate::problem::{Problem, Problems};
use crate::walking::WalkNetwork;

/// Largest accepted snapping distance, metres.
const MAX_SNAP_LIMIT_M: f64 = 2_000.0;

/// Reads and builds the network; errors go to `problems` (French, naming the file).
pub fn load(
    territory: &Territory,
    section: &WalkingSection,
    extent_wgs84: &Rect,
    l93: &Lambert93,
    problems: &mut Problems,
) -> Option<Arc<WalkNetwork>> {
    let file = territory.root.display(&section.osm);
    let max_snap_m = section
        .max_snap_m
        .unwrap_or(crate::walking::snap::DEFAULT_MAX_SNAP_M);
    if !(max_snap_m.is_finite() && max_snap_m > 0.0 && max_snap_m <= MAX_SNAP_LIMIT_M) {
        problems.error(Problem::at(
            territory.manifest_name.clone(),
            crate::problem::Location::Record("[walking]".into()),
            Some("max_snap_m"),
            format!(
                "distance de rattachement au réseau invalide : {max_snap_m} (attendu entre 0 et {MAX_SNAP_LIMIT_M} m)"
            ),
        ));
        return None;
    }
    let bytes = match territory.root.read(&section.osm) {
        Ok(b) => b,
        Err(p) => {
            problems.error(p);
            return None;
        }
    };
    match WalkNetwork::from_osm(&file, bytes, Some(extent_wgs84), l93) {
        Ok(mut net) => {
            net.max_snap_m = max_snap_m;
            Some(Arc::new(net))
        }
        Err(e) => {
            problems.error(e.to_problem());
            None
        }
    }
}
