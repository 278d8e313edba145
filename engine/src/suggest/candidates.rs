//! Candidate host structures for a permanence.
//!
//! Field practice (Elbeuf, Saint-Aubin-lès-Elbeuf, Montreuil) is to hold permanences of a mission
//! locale or of France Travail inside places young people already go to. The host kinds are the
//! data·inclusion typologies [`HOST_KINDS`]: centres sociaux (`CS`, `CSC`), espaces de vie sociale
//! (`EVS`), maisons de quartier (`MQ`), MJC (`MJC`), information jeunesse (`PIJ_BIJ`), mairies
//! (`MUNI`) and France services (`RFS`, `MSAP`).

use geo::Point;

use crate::coverage::Site;
use crate::dataset::Dataset;

/// Typology codes of the structures that may host a permanence.
pub const HOST_KINDS: [&str; 9] = [
    "CS", "CSC", "EVS", "MQ", "MJC", "PIJ_BIJ", "MUNI", "RFS", "MSAP",
];

/// A candidate host structure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    /// Identifier (actor id, or the user's id).
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology code, for existing actors.
    pub kind: Option<String>,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Location, Lambert-93 metres.
    #[serde(skip)]
    pub point_l93: Point,
}

/// The existing actors of host kinds lying in a member commune, in dataset order.
pub fn host_candidates(ds: &Dataset) -> Vec<Candidate> {
    ds.actors
        .iter()
        .filter(|a| HOST_KINDS.contains(&a.kind.code()))
        .filter(|a| ds.commune_at_l93(a.point_l93).is_some())
        .map(|a| Candidate {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: Some(a.kind.code().to_owned()),
            lon: a.point_wgs84.x(),
            lat: a.point_wgs84.y(),
            point_l93: a.point_l93,
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
            lon: s.lon,
            lat: s.lat,
            point_l93: s.point_l93,
        })
        .collect()
}
