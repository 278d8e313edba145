//! Per cell access to the nearest actor of each group, and the gap score.
//!
//! Walking minutes come from the walking model: the straight-line nearest actor, or with the
//! pedestrian network the network-nearest (one multi-source search per group on the contracted
//! graph, every cell snapped once; the access stops of all cells from one reverse search per
//! stop bounded by the access budget, see [`TravelNetwork::access_stops_many`]). With a
//! timetable, transit minutes answer "arrive at the nearest actor of the group by a deadline":
//! one reverse RAPTOR run per group and deadline ([`latest_departure`] from the egress stops
//! of every actor of the group) gives the latest departure from every stop; a cell leaves at
//! the latest departure over its access stops minus the walk to the stop, and its time is the
//! deadline minus that departure (the direct walk stays a candidate). The deadlines are the
//! network's [`TravelParams::arrivals`](crate::transit::TravelParams::arrivals) (8:30-10:00
//! every 10 minutes by default); the reported time is the lower median over them. The walk to
//! the stop shifts the departure exactly (no per-stop shortcut).
//!
//! A cell is a *gap* for a group when it holds at least [`GapParams::min_youth`] young people and
//! its access time (transit when available, walking otherwise) exceeds the threshold. Its gap
//! score is young people × the excess over the threshold in thresholds, capped at 2:
//! `youth × min((t − threshold) / threshold, 2)`.

use crate::grid::Grid;
use crate::model::actor::ActorGroup;
use crate::transit::access::lower_median;
use crate::transit::raptor::{StopLabels, latest_departure};
use crate::transit::{Destinations, TravelNetwork};
use crate::walking::Snapped;

/// Gap parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GapParams {
    /// Access threshold, minutes (default 20).
    pub threshold_min: f64,
    /// Fewest young people for a cell to count as a gap (default 1).
    pub min_youth: f64,
}

impl Default for GapParams {
    fn default() -> Self {
        Self {
            threshold_min: 20.0,
            min_youth: 1.0,
        }
    }
}

/// Access of a cell to one group.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CellAccess {
    /// Walking minutes to the nearest actor.
    pub walk_min: f32,
    /// Minutes on foot + public transport, when a timetable exists.
    pub transit_min: Option<f32>,
}

impl CellAccess {
    /// The access time used for gaps: transit when available, walking otherwise.
    pub fn best_min(&self) -> f64 {
        f64::from(self.transit_min.unwrap_or(self.walk_min).min(self.walk_min))
    }
}

/// The grid with access times.
#[derive(Debug, Clone)]
pub struct GapGrid {
    /// The grid.
    pub grid: Grid,
    /// Groups with actors, in order; `access[cell][k]` is for `groups[k]`.
    pub groups: Vec<ActorGroup>,
    /// Per cell, per group.
    pub access: Vec<Vec<CellAccess>>,
    /// Per cell, metres to the nearest stop: straight line, or walked on the pedestrian network
    /// when the model is the network (see [`TravelNetwork::nearest_stop_m`]).
    pub nearest_stop_m: Vec<Option<f32>>,
    /// Whether transit times were computed.
    pub transit: bool,
    /// How access was measured (French, for reports and the API).
    pub note: String,
    /// Parameters used.
    pub params: GapParams,
}

impl GapGrid {
    /// Computes access for every cell.
    pub fn compute(
        grid: Grid,
        net: &TravelNetwork,
        dests: &Destinations,
        params: GapParams,
    ) -> Self {
        let groups: Vec<ActorGroup> = dests.groups().collect();
        let walk = &net.params.walk;
        let deadlines = net.params.arrivals.times();
        // Per group, per deadline: the latest departure from every stop.
        let backward: Option<Vec<Vec<StopLabels>>> = net.timetable.as_ref().map(|tt| {
            groups
                .iter()
                .map(|&g| {
                    let egress = dests.group_egress(g);
                    deadlines
                        .iter()
                        .map(|&t| latest_departure(tt, &egress, t, net.params.max_rounds))
                        .collect()
                })
                .collect()
        });
        let centres: Vec<geo::Point> = (0..grid.cells.len()).map(|k| grid.centre(k)).collect();
        // With the network: every cell snapped once, for every group and the stops.
        let snaps: Vec<Option<Snapped>> = match walk.network() {
            Some(n) => n.network.snap_many(&centres),
            None => Vec::new(),
        };
        let snap_of = |k: usize| {
            walk.network()
                .map(|_| snaps.get(k).and_then(Option::as_ref))
        };
        let cell_stops = if backward.is_some() {
            net.access_stops_many(&centres, &snaps)
        } else {
            Vec::new()
        };
        // Walking times group by group (one field read at a time).
        let walks: Vec<Vec<f64>> = groups
            .iter()
            .map(|&g| dests.walk_seconds_from_points(g, &centres, &snaps, walk))
            .collect();
        let mut access = Vec::with_capacity(grid.cells.len());
        let mut nearest_stop_m = Vec::with_capacity(grid.cells.len());
        for (k, &c) in centres.iter().enumerate() {
            let stops: &[(u32, u32)] = cell_stops.get(k).map_or(&[], Vec::as_slice);
            access.push(
                groups
                    .iter()
                    .enumerate()
                    .map(|(gi, _)| {
                        let walk_s = walks[gi][k];
                        let transit_min = backward.as_ref().map(|b| {
                            let per_deadline: Vec<f64> = deadlines
                                .iter()
                                .zip(&b[gi])
                                .map(|(&t, labels)| {
                                    arrive_by_seconds(labels, stops, t).fold(walk_s, f64::min)
                                })
                                .collect();
                            (lower_median(per_deadline) / 60.0) as f32
                        });
                        CellAccess {
                            walk_min: (walk_s / 60.0) as f32,
                            transit_min,
                        }
                    })
                    .collect(),
            );
            nearest_stop_m.push(net.nearest_stop_m_snapped(c, snap_of(k)).map(|d| d as f32));
        }
        let note = match (backward.is_some(), deadlines.first(), deadlines.last()) {
            (true, Some(&first), Some(&last)) => format!(
                "{} ; temps en transport en commun pour arriver à l'acteur le plus proche entre {} et {} (médiane)",
                net.note,
                hhmm(first),
                hhmm(last)
            ),
            _ => net.note.clone(),
        };
        let off_network = snaps.iter().filter(|s| s.is_none()).count();
        let note = match walk.network() {
            Some(n) => format!(
                "{note} ; {off_network} carreaux sur {} à plus de {} m du réseau piéton : ligne droite",
                snaps.len(),
                n.network.max_snap_m.round()
            ),
            None => note,
        };
        Self {
            transit: backward.is_some(),
            grid,
            groups,
            access,
            nearest_stop_m,
            note,
            params,
        }
    }

    /// Index of a group in [`GapGrid::groups`].
    pub fn group_index(&self, g: ActorGroup) -> Option<usize> {
        self.groups.iter().position(|x| *x == g)
    }

    /// Whether a cell is a gap for group index `gi` at a threshold (minutes).
    pub fn is_gap(&self, cell: usize, gi: usize, threshold_min: f64) -> bool {
        self.grid.cells[cell].youth_15_29 >= self.params.min_youth
            && self.access[cell][gi].best_min() > threshold_min
    }

    /// The gap score of a cell (see the module docs); 0 when not a gap.
    pub fn gap_score(&self, cell: usize, gi: usize, threshold_min: f64) -> f64 {
        if !self.is_gap(cell, gi, threshold_min) || threshold_min <= 0.0 {
            return 0.0;
        }
        let excess = ((self.access[cell][gi].best_min() - threshold_min) / threshold_min).min(2.0);
        self.grid.cells[cell].youth_15_29 * excess
    }
}

/// Seconds needed to arrive by `deadline_s` through each access stop `(stop, walk s)` whose
/// latest departure (by vehicle) leaves time for the walk: `deadline − (departure − walk)`.
pub(crate) fn arrive_by_seconds<'a>(
    labels: &'a StopLabels,
    stops: &'a [(u32, u32)],
    deadline_s: u32,
) -> impl Iterator<Item = f64> + 'a {
    stops.iter().filter_map(move |&(s, w)| {
        let leave = labels.by_vehicle(s as usize)?.checked_sub(w)?;
        Some(f64::from(deadline_s.saturating_sub(leave)))
    })
}

/// `HH:MM` of seconds after midnight.
pub fn hhmm(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}
