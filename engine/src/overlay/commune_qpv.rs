//! Commune × QPV overlay: the area of each QPV in each commune (planar Lambert-93 m²) and which
//! communes each QPV counts for.
//!
//! Which communes a QPV belongs to: where the QPV source lists its communes (the official files
//! do), that list is authoritative and the overlap only measures area. Otherwise a
//! [`SliverRule`] decides, so that simplified commune borders neither invent nor drop QPV.
//! Where the list and the geometry disagree (a listed commune the polygon barely touches, an
//! unlisted commune the polygon substantially covers), an [`OverlayWarning`] says so.

use geo::{Area, BooleanOps};
use rayon::prelude::*;

use crate::codes::{CommuneCode, QpvCode};
use crate::dataset::Dataset;
use crate::model::qpv::Qpv;
use crate::overlay::planar::envelope;
use crate::overlay::uncrossed::uncrossed_overlap_m2;

/// When a QPV counts for a commune without an authoritative list: the overlap is at least
/// `min_area_m2` **or** at least `min_share_of_qpv_pct` of the QPV's area.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SliverRule {
    /// Minimum overlap, m² (default 10 000 m² = 1 ha).
    pub min_area_m2: f64,
    /// Minimum overlap as a share of the QPV's area, percent (default 5 %).
    pub min_share_of_qpv_pct: f64,
}

impl Default for SliverRule {
    fn default() -> Self {
        Self {
            min_area_m2: 10_000.0,
            min_share_of_qpv_pct: 5.0,
        }
    }
}

impl SliverRule {
    /// Whether an overlap is more than a sliver.
    ///
    /// # Examples
    /// ```
    /// let rule = repere_engine::overlay::commune_qpv::SliverRule::default();
    /// assert!(rule.keeps(12_000.0, 1.0));
    /// assert!(rule.keeps(5_000.0, 6.0));
    /// assert!(!rule.keeps(5_000.0, 1.0));
    /// ```
    pub fn keeps(&self, area_m2: f64, share_of_qpv_pct: f64) -> bool {
        area_m2 >= self.min_area_m2 || share_of_qpv_pct >= self.min_share_of_qpv_pct
    }
}

/// How a piece's membership was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// The QPV source lists the commune: it counts, whatever the overlap.
    Listed,
    /// The source lists other communes, not this one: it does not count (the overlap is a
    /// border artefact or a disagreement, see the warnings).
    NotListed,
    /// No list: the sliver rule kept the overlap.
    SliverRuleKept,
    /// No list: the sliver rule dropped the overlap.
    SliverRuleDropped,
}

impl Membership {
    /// Whether the QPV counts for the commune.
    pub fn counts(self) -> bool {
        matches!(self, Self::Listed | Self::SliverRuleKept)
    }
}

/// The part of one QPV lying in one member commune.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QpvPiece {
    /// Index into [`Dataset::qpv`].
    #[serde(skip)]
    pub qpv: usize,
    /// Index into [`Dataset::communes`].
    #[serde(skip)]
    pub commune: usize,
    /// QPV code.
    pub qpv_code: QpvCode,
    /// Commune code.
    pub commune_code: CommuneCode,
    /// Overlap area, planar Lambert-93 m².
    pub area_m2: f64,
    /// Overlap as a share of the QPV's area, percent.
    pub share_of_qpv_pct: f64,
    /// Overlap as a share of the commune's area, percent.
    pub share_of_commune_pct: f64,
    /// How membership was decided.
    pub membership: Membership,
    /// Whether the QPV counts for the commune ([`Membership::counts`]).
    pub counts: bool,
}

/// A disagreement between a QPV's list of communes and its geometry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OverlayWarning {
    /// QPV code.
    pub qpv_code: QpvCode,
    /// Commune code.
    pub commune_code: CommuneCode,
    /// What disagrees, with the figures.
    pub message: String,
}

/// The commune × QPV overlay of every QPV vintage.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CommuneQpvOverlay {
    /// The rule used where a QPV lists no commune.
    pub rule: SliverRule,
    /// Pieces with a positive overlap or a listed commune, sorted by (QPV index, commune index),
    /// i.e. by (vintage, QPV code, commune code).
    pub pieces: Vec<QpvPiece>,
    /// List/geometry disagreements, in the order of the pieces.
    pub warnings: Vec<OverlayWarning>,
    /// Indices into `pieces` sorted by (commune, piece): the pieces of a commune without a scan
    /// of them all (35 000 communes for France).
    #[serde(skip)]
    by_commune: Vec<usize>,
}

impl CommuneQpvOverlay {
    /// Computes the overlay of every QPV of the dataset with every member commune.
    pub fn compute(ds: &Dataset, rule: SliverRule) -> Self {
        Self::compute_vintage(ds, rule, None)
    }

    /// Computes the overlay of the QPV of one vintage (every vintage with `None`).
    pub fn compute_vintage(ds: &Dataset, rule: SliverRule, vintage: Option<u16>) -> Self {
        let mut out = Self {
            rule,
            ..Self::default()
        };
        // QPV by QPV in parallel (rayon), concatenated in QPV order: the same pieces, in the
        // same order, as a sequential loop.
        let selected: Vec<(usize, &Qpv)> = ds
            .qpv
            .iter()
            .enumerate()
            .filter(|(_, q)| vintage.is_none_or(|v| q.vintage == v))
            .collect();
        let per_qpv: Vec<(Vec<QpvPiece>, Vec<OverlayWarning>)> = selected
            .par_iter()
            .map(|&(qi, q)| qpv_pieces(ds, rule, qi, q))
            .collect();
        for (pieces, warnings) in per_qpv {
            out.pieces.extend(pieces);
            out.warnings.extend(warnings);
        }
        out.by_commune = (0..out.pieces.len()).collect();
        out.by_commune.sort_by_key(|&k| (out.pieces[k].commune, k));
        out
    }

    /// The pieces of one QPV (by index into [`Dataset::qpv`]).
    pub fn of_qpv(&self, qpv: usize) -> impl Iterator<Item = &QpvPiece> {
        let start = self.pieces.partition_point(|p| p.qpv < qpv);
        self.pieces[start..]
            .iter()
            .take_while(move |p| p.qpv == qpv)
    }

    /// The pieces in one commune (by index into [`Dataset::communes`]), all vintages.
    pub fn of_commune(&self, commune: usize) -> impl Iterator<Item = &QpvPiece> {
        // The index is that of `pieces` as computed; pieces changed since fall back to a scan.
        let indexed = self.by_commune.len() == self.pieces.len();
        let order: &[usize] = if indexed { &self.by_commune } else { &[] };
        let start = order.partition_point(|&k| self.pieces[k].commune < commune);
        let from_index = order[start..]
            .iter()
            .map(|&k| &self.pieces[k])
            .take_while(move |p| p.commune == commune);
        let scanned = self
            .pieces
            .iter()
            .filter(move |p| !indexed && p.commune == commune);
        from_index.chain(scanned)
    }

    /// The QPV of `vintage` that count for a commune, as pieces sorted by QPV code.
    pub fn counted_in_commune<'a>(
        &'a self,
        ds: &'a Dataset,
        commune: usize,
        vintage: u16,
    ) -> impl Iterator<Item = &'a QpvPiece> {
        self.of_commune(commune)
            .filter(move |p| p.counts && ds.qpv[p.qpv].vintage == vintage)
    }
}

/// The pieces of one QPV (index `qi`) and the list/geometry disagreements they raise.
fn qpv_pieces(
    ds: &Dataset,
    rule: SliverRule,
    qi: usize,
    q: &Qpv,
) -> (Vec<QpvPiece>, Vec<OverlayWarning>) {
    let (mut pieces, mut warnings) = (Vec::new(), Vec::new());
    let listed: Option<&Vec<CommuneCode>> = q.listed_communes.as_ref().filter(|l| !l.is_empty());
    let mut candidates: Vec<usize> = envelope(&q.boundary_l93, 0.0)
        .map(|env| {
            ds.index
                .communes
                .locate_in_envelope_intersecting(&env)
                .map(|e| e.data)
                .collect()
        })
        .unwrap_or_default();
    // Listed member communes count even when the simplified borders miss them.
    if let Some(list) = listed {
        candidates.extend(
            list.iter()
                .filter_map(|c| ds.communes.binary_search_by(|m| m.code.cmp(c)).ok()),
        );
    }
    candidates.sort_unstable();
    candidates.dedup();
    for ci in candidates {
        let c = &ds.communes[ci];
        // Most pairs: the QPV wholly inside or outside the commune, no overlay needed.
        let area_m2 = uncrossed_overlap_m2(&c.boundary_l93, &q.boundary_l93)
            .unwrap_or_else(|| c.boundary_l93.intersection(&q.boundary_l93).unsigned_area());
        let is_listed = listed.is_some_and(|l| l.contains(&c.code));
        if area_m2 <= 0.0 && !is_listed {
            continue;
        }
        let share_of_qpv_pct = pct(area_m2, q.area_m2);
        let substantial = rule.keeps(area_m2, share_of_qpv_pct);
        let membership = match (listed.is_some(), is_listed, substantial) {
            (true, true, _) => Membership::Listed,
            (true, false, _) => Membership::NotListed,
            (false, _, true) => Membership::SliverRuleKept,
            (false, _, false) => Membership::SliverRuleDropped,
        };
        if is_listed && !substantial {
            warnings.push(OverlayWarning {
                qpv_code: q.code.clone(),
                commune_code: c.code.clone(),
                message: format!(
                    "le QPV {} liste la commune {} ({}) mais son contour n'en couvre que {:.0} m² ({} % du QPV) ; la liste est conservée",
                    q.code, c.code, c.name, area_m2, crate::text::fr_decimal(share_of_qpv_pct, 2)
                ),
            });
        } else if listed.is_some() && !is_listed && substantial {
            warnings.push(OverlayWarning {
                qpv_code: q.code.clone(),
                commune_code: c.code.clone(),
                message: format!(
                    "le QPV {} ne liste pas la commune {} ({}) mais son contour en couvre {:.0} m² ({} % du QPV) ; la liste est conservée",
                    q.code, c.code, c.name, area_m2, crate::text::fr_decimal(share_of_qpv_pct, 2)
                ),
            });
        }
        pieces.push(QpvPiece {
            qpv: qi,
            commune: ci,
            qpv_code: q.code.clone(),
            commune_code: c.code.clone(),
            area_m2,
            share_of_qpv_pct,
            share_of_commune_pct: pct(area_m2, c.area_m2),
            membership,
            counts: membership.counts(),
        });
    }
    if let Some(list) = listed {
        for code in list.iter().filter(|c| ds.commune(c).is_none()) {
            warnings.push(OverlayWarning {
                qpv_code: q.code.clone(),
                commune_code: code.clone(),
                message: format!(
                    "le QPV {} liste la commune {code}, qui n'est pas membre du territoire",
                    q.code
                ),
            });
        }
    }
    (pieces, warnings)
}

/// `part / whole` in percent, 0 when `whole` is not positive.
pub fn pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use geo::{MultiPolygon, Rect};

    use super::*;
    use crate::model::commune::Commune;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon {
        MultiPolygon(vec![
            Rect::new(geo::coord! { x: x0, y: y0 }, geo::coord! { x: x1, y: y1 }).to_polygon(),
        ])
    }

    fn commune(code: &str, mp: MultiPolygon) -> Commune {
        Commune {
            code: CommuneCode::parse(code).unwrap(),
            name: format!("synthetic {code}"),
            epci_siren: None,
            epci_name: None,
            population: None,
            density_class: None,
            centrality: None,
            area_m2: mp.unsigned_area(),
            boundary_wgs84: mp.clone(),
            boundary_l93: mp,
        }
    }

    fn qpv(code: &str, listed: Option<&[&str]>, mp: MultiPolygon) -> Qpv {
        Qpv {
            code: QpvCode::parse(code).unwrap(),
            name: format!("synthetic {code}"),
            vintage: 2024,
            listed_communes: listed
                .map(|l| l.iter().map(|c| CommuneCode::parse(c).unwrap()).collect()),
            area_m2: mp.unsigned_area(),
            boundary_wgs84: mp.clone(),
            boundary_l93: mp,
        }
    }

    /// Two synthetic communes side by side, 1 km × 1 km each, split at x = 1000 m.
    fn synthetic(qpv_list: Vec<Qpv>) -> Dataset {
        let mut ds = Dataset {
            communes: vec![
                commune("99001", square(0.0, 0.0, 1000.0, 1000.0)),
                commune("99002", square(1000.0, 0.0, 2000.0, 1000.0)),
            ],
            qpv: qpv_list,
            ..Dataset::default()
        };
        ds.build_index();
        ds
    }

    #[test]
    fn an_unlisted_sliver_is_dropped_by_the_rule_and_a_large_overlap_kept() {
        // 400 m × 500 m = 20 ha, a 10 m strip of it (5 000 m², 2.5 %) across the border.
        let ds = synthetic(vec![qpv(
            "QN99001M",
            None,
            square(610.0, 100.0, 1010.0, 600.0),
        )]);
        let o = CommuneQpvOverlay::compute(&ds, SliverRule::default());
        assert_eq!(o.pieces.len(), 2);
        assert_eq!(o.pieces[0].membership, Membership::SliverRuleKept);
        assert_eq!(o.pieces[1].membership, Membership::SliverRuleDropped);
        assert!((o.pieces[1].area_m2 - 5_000.0).abs() < 1e-6);
        assert!((o.pieces[1].share_of_qpv_pct - 2.5).abs() < 1e-9);
        assert!((o.pieces[0].area_m2 + o.pieces[1].area_m2 - 200_000.0).abs() < 1e-6);
        assert!(o.warnings.is_empty());
    }

    #[test]
    fn the_list_wins_over_the_geometry_and_disagreements_are_warned() {
        // Listed in 99001 only, but half of it lies in 99002.
        let ds = synthetic(vec![qpv(
            "QN99002M",
            Some(&["99001"]),
            square(800.0, 0.0, 1200.0, 500.0),
        )]);
        let o = CommuneQpvOverlay::compute(&ds, SliverRule::default());
        assert_eq!(o.pieces[0].membership, Membership::Listed);
        assert_eq!(o.pieces[1].membership, Membership::NotListed);
        assert!(!o.pieces[1].counts);
        assert_eq!(o.warnings.len(), 1);
        assert!(
            o.warnings[0]
                .message
                .contains("ne liste pas la commune 99002"),
            "{}",
            o.warnings[0].message
        );
    }

    #[test]
    fn a_listed_commune_the_polygon_misses_still_counts_with_a_warning() {
        let ds = synthetic(vec![qpv(
            "QN99003M",
            Some(&["99001", "99002"]),
            square(100.0, 100.0, 300.0, 300.0),
        )]);
        let o = CommuneQpvOverlay::compute(&ds, SliverRule::default());
        let missed = o
            .pieces
            .iter()
            .find(|p| p.commune_code.as_str() == "99002")
            .unwrap();
        assert!(missed.counts && missed.area_m2 == 0.0);
        assert!(
            o.warnings[0].message.contains("n'en couvre que 0 m²"),
            "{}",
            o.warnings[0].message
        );
    }
}
