//! Candidate places for a permanence.
//!
//! Field practice (Elbeuf, Saint-Aubin-lès-Elbeuf, Montreuil) is to hold permanences of a mission
//! locale or of France Travail inside places young people already go to. Two kinds of candidates:
//!
//! - **host structures**: the existing actors of the kinds the territory declares suitable
//!   (`[siting]` of the manifest, [`crate::manifest::SitingSection`]; by default France
//!   services, mairies, centres sociaux, espaces de vie sociale, maisons de quartier, MJC,
//!   information jeunesse and médiathèques), without those whose name rules them out
//!   (multi-accueil, crèche, stade, gymnase…);
//! - **QPV cells**: every 200 m cell of the grid at least half inside a QPV (the QPV's best
//!   cell when none is), at its centre: "une salle à trouver ici".

use geo::Point;

use crate::coverage::Site;
use crate::dataset::Dataset;
use crate::grid::Grid;

/// The default typology codes of the structures that may host a permanence (the manifest's
/// `[siting] host_kinds` replaces them).
pub const HOST_KINDS: [&str; 10] = crate::manifest::DEFAULT_HOST_KINDS;

/// Least share of a cell inside QPV for the cell to be a candidate.
pub const QPV_CELL_MIN_SHARE: f64 = 0.5;

/// Where a candidate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateSource {
    /// An existing structure of a suitable host kind.
    Host,
    /// A 200 m cell of a QPV: a room to find there.
    QpvCell,
    /// A place given by the user.
    User,
}

/// A candidate place for a permanence.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// Identifier (actor id, `qpv-cell-<x>-<y>` with the cell's Lambert-93 corner, or the
    /// user's id).
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology code, for existing actors.
    pub kind: Option<String>,
    /// Where the candidate comes from.
    pub source: CandidateSource,
    /// What the candidate is, in French ("structure d'accueil : Centre social", "cellule de
    /// QPV : une salle à trouver ici", "lieu proposé").
    pub kind_fr: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Location, Lambert-93 metres.
    #[serde(skip)]
    pub point_l93: Point,
}

/// The existing actors of suitable host kinds (the dataset's `[siting]`) lying in a member
/// commune, in dataset order.
pub fn host_candidates(ds: &Dataset) -> Vec<Candidate> {
    ds.actors
        .iter()
        .filter(|a| ds.siting.is_suitable_host(a.kind.code(), &a.name))
        .filter(|a| ds.commune_at_l93(a.point_l93).is_some())
        .map(|a| Candidate {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: Some(a.kind.code().to_owned()),
            source: CandidateSource::Host,
            kind_fr: format!("structure d'accueil : {}", a.kind.label()),
            lon: a.point_wgs84.x(),
            lat: a.point_wgs84.y(),
            point_l93: a.point_l93,
        })
        .collect()
}

/// The cells of QPV (latest vintage) as candidates, at their centre: every cell at least
/// [`QPV_CELL_MIN_SHARE`] inside QPV, and for a QPV with no such cell its cell of largest share;
/// cells whose centre lies in no member commune are left out. In grid order.
pub fn qpv_cell_candidates(ds: &Dataset, grid: &Grid) -> Vec<Candidate> {
    let mut keep = vec![false; grid.cells.len()];
    let mut best: std::collections::BTreeMap<usize, (f64, usize)> = Default::default();
    for (k, c) in grid.cells.iter().enumerate() {
        let share: f64 = c.qpv.iter().map(|(_, s)| s).sum();
        if share >= QPV_CELL_MIN_SHARE {
            keep[k] = true;
        }
        for &(q, s) in &c.qpv {
            let e = best.entry(q).or_insert((s, k));
            if s > e.0 {
                *e = (s, k);
            }
        }
    }
    for (q, (_, k)) in &best {
        let has_own = grid.cells.iter().enumerate().any(|(i, c)| {
            keep[i]
                && c.qpv
                    .iter()
                    .any(|(qq, s)| qq == q && *s >= QPV_CELL_MIN_SHARE)
        });
        if !has_own && let Some(x) = keep.get_mut(*k) {
            *x = true;
        }
    }
    let l93 = crate::crs::Lambert93::new();
    let half = grid.cell_m / 2.0;
    grid.cells
        .iter()
        .enumerate()
        .filter(|(k, _)| keep[*k])
        .filter_map(|(_, c)| {
            let centre = Point::new(c.x_l93 + half, c.y_l93 + half);
            ds.commune_at_l93(centre)?;
            let w = l93.to_wgs84(centre.0).ok()?;
            let (q, _) =
                c.qpv
                    .iter()
                    .copied()
                    .fold(None::<(usize, f64)>, |acc, (q, s)| match acc {
                        Some((_, b)) if b >= s => acc,
                        _ => Some((q, s)),
                    })?;
            let qpv = ds.qpv.get(q)?;
            Some(Candidate {
                id: format!("qpv-cell-{:.0}-{:.0}", c.x_l93, c.y_l93),
                name: format!(
                    "Carreau de {:.0} m du QPV {} ({})",
                    grid.cell_m, qpv.name, qpv.code
                ),
                kind: None,
                source: CandidateSource::QpvCell,
                kind_fr: "cellule de QPV : une salle à trouver ici".to_owned(),
                lon: w.x,
                lat: w.y,
                point_l93: centre,
            })
        })
        .collect()
}

/// A user's candidate list (parsed as sites) as candidates.
pub fn candidates_from_sites(sites: &[Site]) -> Vec<Candidate> {
    sites
        .iter()
        .map(|s| Candidate {
            id: s.id.clone(),
            name: s.name.clone().unwrap_or_else(|| s.id.clone()),
            kind: None,
            source: CandidateSource::User,
            kind_fr: "lieu proposé".to_owned(),
            lon: s.lon,
            lat: s.lat,
            point_l93: s.point_l93,
        })
        .collect()
}
