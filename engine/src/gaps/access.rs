//! Per cell access to the nearest actor of each group, and the gap score.
//!
//! Walking minutes come from the walking model to the straight-line nearest actor. With a
//! timetable, transit minutes use one RAPTOR run per stop (leaving the stop at the
//! [`GapParams::departure_s`], 08:00 by default) giving the minutes from each stop to the nearest
//! actor of each group; a cell's transit time is the best of its direct walk and, over the
//! stops within the access radius, walk to the stop + the stop's time. Per-stop runs make the
//! grid affordable (one run per stop instead of per cell); the price is that the walk to the
//! stop does not shift the departure time.
//!
//! A cell is a *gap* for a group when it holds at least [`GapParams::min_youth`] young people and
//! its access time (transit when available, walking otherwise) exceeds the threshold. Its gap
//! score is young people × the excess over the threshold in thresholds, capped at 2:
//! `youth × min((t − threshold) / threshold, 2)`.

use crate::gaps::grid::Grid;
use crate::model::actor::ActorGroup;
use crate::transit::access::{AccessNetwork, Destinations};
use crate::transit::raptor::earliest_arrival;

/// Gap parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GapParams {
    /// Access threshold, minutes (default 20).
    pub threshold_min: f64,
    /// Fewest young people for a cell to count as a gap (default 1).
    pub min_youth: f64,
    /// Departure used for per-stop transit times, seconds after midnight (default 08:00).
    pub departure_s: u32,
}

impl Default for GapParams {
    fn default() -> Self {
        Self {
            threshold_min: 20.0,
            min_youth: 1.0,
            departure_s: 8 * 3600,
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
    /// Per cell, straight-line metres to the nearest stop.
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
        net: &AccessNetwork,
        dests: &Destinations,
        params: GapParams,
    ) -> Self {
        let groups: Vec<ActorGroup> = dests.groups().collect();
        let walk = &net.walk;
        let per_stop = net.timetable.as_ref().map(|tt| {
            // Minutes from each stop to the nearest actor of each group (seconds, f64).
            (0..tt.stop_count)
                .map(|s| {
                    if tt.patterns_at(s).is_empty() && tt.footpaths_from(s).is_empty() {
                        return vec![f64::INFINITY; groups.len()];
                    }
                    let arr = earliest_arrival(
                        tt,
                        &[(s as u32, 0)],
                        params.departure_s,
                        net.params.max_rounds,
                    );
                    dests.seconds_from_arrivals(
                        &groups,
                        &arr,
                        params.departure_s,
                        walk,
                        net.stop_point(s),
                    )
                })
                .collect::<Vec<_>>()
        });
        let mut access = Vec::with_capacity(grid.cells.len());
        let mut nearest_stop_m = Vec::with_capacity(grid.cells.len());
        for k in 0..grid.cells.len() {
            let c = grid.centre(k);
            let stops = if per_stop.is_some() {
                net.access_stops(c)
            } else {
                Vec::new()
            };
            let walks = dests.walk_seconds_all(&groups, c, walk);
            access.push(
                groups
                    .iter()
                    .enumerate()
                    .map(|(gi, _)| {
                        let walk_s = walks[gi];
                        let transit_min = per_stop.as_ref().map(|ps| {
                            let t = stops
                                .iter()
                                .map(|&(s, w)| f64::from(w) + ps[s as usize][gi])
                                .fold(walk_s, f64::min);
                            (t / 60.0) as f32
                        });
                        CellAccess {
                            walk_min: (walk_s / 60.0) as f32,
                            transit_min,
                        }
                    })
                    .collect(),
            );
            nearest_stop_m.push(net.nearest_stop_m(c).map(|d| d as f32));
        }
        let note = if per_stop.is_some() {
            format!(
                "{} ; temps en transport en commun par arrêt, départ à {}",
                net.note,
                hhmm(params.departure_s)
            )
        } else {
            net.note.clone()
        };
        Self {
            transit: per_stop.is_some(),
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

/// `HH:MM` of seconds after midnight.
pub fn hhmm(s: u32) -> String {
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}
