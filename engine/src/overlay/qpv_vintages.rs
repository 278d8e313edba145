//! QPV 2015 ↔ 2024 matching by polygon overlap, and the change between the two lists.

use geo::{Area, BooleanOps};

use crate::codes::QpvCode;
use crate::dataset::Dataset;
use crate::overlay::commune_qpv::pct;
use crate::overlay::planar::envelope;

/// Thresholds of the 2015 → 2024 comparison.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct VintageRule {
    /// An overlap counts as a match when it is at least this share of the smaller of the two
    /// polygons, percent (default 5 %: below, it is a border artefact).
    pub min_match_pct: f64,
    /// A matched 2024 QPV whose intersection-over-union with its 2015 matches is at least this,
    /// percent, keeps its perimeter (default 95 %).
    pub unchanged_iou_pct: f64,
}

impl Default for VintageRule {
    fn default() -> Self {
        Self {
            min_match_pct: 5.0,
            unchanged_iou_pct: 95.0,
        }
    }
}

/// An overlap between a 2024 QPV and a 2015 quartier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VintageMatch {
    /// Index of the 2024 QPV in [`Dataset::qpv`].
    #[serde(skip)]
    pub qpv_2024: usize,
    /// Index of the 2015 QPV in [`Dataset::qpv`].
    #[serde(skip)]
    pub qpv_2015: usize,
    /// 2024 code.
    pub code_2024: QpvCode,
    /// 2015 code.
    pub code_2015: QpvCode,
    /// Overlap area, planar Lambert-93 m².
    pub overlap_m2: f64,
    /// Overlap as a share of the 2024 polygon, percent.
    pub share_of_2024_pct: f64,
    /// Overlap as a share of the 2015 polygon, percent.
    pub share_of_2015_pct: f64,
}

/// What happened to a quartier between the 2015 and 2024 lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VintageChange {
    /// A 2024 QPV with no matching 2015 quartier.
    Entered,
    /// A 2015 quartier with no matching 2024 QPV.
    Left,
    /// Matched, but the perimeter changed (IoU below the rule's threshold).
    PerimeterChanged,
    /// Matched with (nearly) the same perimeter.
    Unchanged,
}

/// The 2015 ↔ 2024 comparison.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct VintageComparison {
    /// Overlaps that count as matches, sorted by (2024 code, 2015 code).
    pub matches: Vec<VintageMatch>,
    /// Status of each 2024 QPV by index into [`Dataset::qpv`], with its IoU in percent.
    #[serde(skip)]
    pub status_2024: Vec<(usize, VintageChange, f64)>,
    /// Indices of the 2015 QPV that left the list.
    #[serde(skip)]
    pub left_2015: Vec<usize>,
}

impl VintageComparison {
    /// Compares the 2015 and 2024 QPV of the dataset (empty when either vintage is absent).
    pub fn compute(ds: &Dataset, rule: VintageRule) -> Self {
        let mut out = Self::default();
        let idx = |v: u16| -> Vec<usize> {
            (0..ds.qpv.len())
                .filter(|&i| ds.qpv[i].vintage == v)
                .collect()
        };
        let (new, old) = (idx(2024), idx(2015));
        if new.is_empty() || old.is_empty() {
            return out;
        }
        let mut matched_2015 = vec![false; ds.qpv.len()];
        for &n in &new {
            let q = &ds.qpv[n];
            let candidates: Vec<usize> = envelope(&q.boundary_l93, 0.0)
                .map(|env| {
                    ds.index
                        .qpv
                        .locate_in_envelope_intersecting(&env)
                        .map(|e| e.data)
                        .collect()
                })
                .unwrap_or_default();
            let mut mine: Vec<VintageMatch> = Vec::new();
            for o in candidates
                .into_iter()
                .filter(|o| ds.qpv[*o].vintage == 2015)
            {
                let p = &ds.qpv[o];
                let overlap_m2 = q.boundary_l93.intersection(&p.boundary_l93).unsigned_area();
                let (s24, s15) = (pct(overlap_m2, q.area_m2), pct(overlap_m2, p.area_m2));
                if s24.max(s15) >= rule.min_match_pct {
                    matched_2015[o] = true;
                    mine.push(VintageMatch {
                        qpv_2024: n,
                        qpv_2015: o,
                        code_2024: q.code.clone(),
                        code_2015: p.code.clone(),
                        overlap_m2,
                        share_of_2024_pct: s24,
                        share_of_2015_pct: s15,
                    });
                }
            }
            mine.sort_by(|a, b| a.code_2015.cmp(&b.code_2015));
            let status = if mine.is_empty() {
                (VintageChange::Entered, 0.0)
            } else {
                let inter: f64 = mine.iter().map(|m| m.overlap_m2).sum();
                let old_area: f64 = mine.iter().map(|m| ds.qpv[m.qpv_2015].area_m2).sum();
                let iou = pct(inter, q.area_m2 + old_area - inter);
                let change = if iou >= rule.unchanged_iou_pct {
                    VintageChange::Unchanged
                } else {
                    VintageChange::PerimeterChanged
                };
                (change, iou)
            };
            out.status_2024.push((n, status.0, status.1));
            out.matches.extend(mine);
        }
        out.left_2015 = old.into_iter().filter(|o| !matched_2015[*o]).collect();
        out
    }

    /// The matches of one 2024 QPV, sorted by 2015 code.
    pub fn matches_of(&self, qpv_2024: usize) -> impl Iterator<Item = &VintageMatch> {
        self.matches.iter().filter(move |m| m.qpv_2024 == qpv_2024)
    }

    /// The status and IoU (percent) of one 2024 QPV.
    pub fn status_of(&self, qpv_2024: usize) -> Option<(VintageChange, f64)> {
        self.status_2024
            .iter()
            .find(|s| s.0 == qpv_2024)
            .map(|s| (s.1, s.2))
    }
}
