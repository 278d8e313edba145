//! Young people in gap cells, per commune and per QPV.
//!
//! Every young person in a cell beyond the threshold counts (the same figure as the coverage
//! check's "newly covered" and the suggestion's gap young people); `gap_cells` counts the cells
//! holding at least [`super::GapParams::min_youth`] young people.
//!
//! A cell's young people are split between its QPV in proportion to the QPV's share of the
//! cell's land (uniform density inside a cell).

use std::collections::BTreeMap;

use crate::codes::{CommuneCode, QpvCode};
use crate::dataset::Dataset;
use crate::gaps::gap_grid::GapGrid;
use crate::model::actor::ActorGroup;

/// Gap figures of one area.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GapSummary {
    /// Commune or QPV code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Estimated young people aged 15-29.
    pub youth_15_29: f64,
    /// Of whom in gap cells.
    pub youth_in_gaps: f64,
    /// Share in gap cells, percent (0 when no young people).
    pub share_in_gaps_pct: f64,
    /// Gap cells.
    pub gap_cells: usize,
    /// Invisibles estimated beyond the threshold: the middle of the area's invisibles range ×
    /// `share_in_gaps_pct` (invisibles spread like the young people), rounded to 10, "< 11"
    /// under 11; absent without local follow-up counts (filled by
    /// [`crate::Analysis::gap_summaries`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invisibles_outside_est: Option<crate::indicator::secrecy::Disclosed>,
}

/// Per commune and per QPV summaries for one group and threshold, sorted by code.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GapSummaries {
    /// Group.
    pub group: ActorGroup,
    /// Threshold, minutes.
    pub threshold_min: f64,
    /// Whether transit times were used.
    pub transit: bool,
    /// How access was measured.
    pub note: String,
    /// Per member commune.
    pub communes: Vec<GapSummary>,
    /// Per QPV of the latest vintage.
    pub qpv: Vec<GapSummary>,
}

/// Summarises gaps. A group with no actor in the data leaves every cell with young people in a
/// gap (the load report lists the group as absent).
pub fn summarise(
    ds: &Dataset,
    gg: &GapGrid,
    group: ActorGroup,
    threshold_min: f64,
) -> GapSummaries {
    let gi = gg.group_index(group);
    let mut communes: BTreeMap<CommuneCode, GapSummary> = ds
        .communes
        .iter()
        .map(|c| {
            (
                c.code.clone(),
                GapSummary {
                    code: c.code.to_string(),
                    name: c.name.clone(),
                    youth_15_29: 0.0,
                    youth_in_gaps: 0.0,
                    share_in_gaps_pct: 0.0,
                    gap_cells: 0,
                    invisibles_outside_est: None,
                },
            )
        })
        .collect();
    let mut qpv: BTreeMap<QpvCode, GapSummary> = BTreeMap::new();
    if let Some(v) = gg.grid.qpv_vintage {
        for q in ds.qpv_of_vintage(v) {
            qpv.insert(
                q.code.clone(),
                GapSummary {
                    code: q.code.to_string(),
                    name: q.name.clone(),
                    youth_15_29: 0.0,
                    youth_in_gaps: 0.0,
                    share_in_gaps_pct: 0.0,
                    gap_cells: 0,
                    invisibles_outside_est: None,
                },
            );
        }
    }
    for (k, cell) in gg.grid.cells.iter().enumerate() {
        // Young people beyond the threshold all count (as in the coverage check and the
        // suggestion); cells count as gap cells from `min_youth` young people.
        let gap = match gi {
            Some(gi) => gg.access[k][gi].best_min() > threshold_min,
            None => true,
        } && cell.youth_15_29 > 0.0;
        let counted = gap && cell.youth_15_29 >= gg.params.min_youth;
        if let Some(s) = ds
            .communes
            .get(cell.commune)
            .and_then(|c| communes.get_mut(&c.code))
        {
            s.youth_15_29 += cell.youth_15_29;
            if gap {
                s.youth_in_gaps += cell.youth_15_29;
                s.gap_cells += usize::from(counted);
            }
        }
        for &(q, share) in &cell.qpv {
            let youth = if cell.land_share > 0.0 {
                cell.youth_15_29 * share / cell.land_share
            } else {
                0.0
            };
            if let Some(s) = ds.qpv.get(q).and_then(|q| qpv.get_mut(&q.code)) {
                s.youth_15_29 += youth;
                if gap {
                    s.youth_in_gaps += youth;
                    s.gap_cells += usize::from(counted);
                }
            }
        }
    }
    let finish = |mut s: GapSummary| {
        s.share_in_gaps_pct = if s.youth_15_29 > 0.0 {
            100.0 * s.youth_in_gaps / s.youth_15_29
        } else {
            0.0
        };
        s
    };
    GapSummaries {
        group,
        threshold_min,
        transit: gg.transit,
        note: {
            let to_place = ds
                .actors_to_place
                .iter()
                .filter(|a| a.kind.group() == group)
                .count();
            if to_place > 0 {
                format!(
                    "{} ; {to_place} acteur(s) de ce groupe connu(s) par adresse seulement, non placé(s), ne comptent pas",
                    gg.note
                )
            } else {
                gg.note.clone()
            }
        },
        communes: communes.into_values().map(finish).collect(),
        qpv: qpv.into_values().map(finish).collect(),
    }
}
