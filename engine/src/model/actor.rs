//! Employment and insertion actors, typed by the data·inclusion structure typologies.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use geo::Point;

use crate::codes::CommuneCode;

const TYPOLOGIES_CSV: &str =
    include_str!("../../../data/actors/data_inclusion_schema/typologies_de_structures.csv");

/// The data·inclusion typology list: code → label.
pub fn typologies() -> &'static BTreeMap<String, String> {
    static LIST: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(TYPOLOGIES_CSV.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| Some((r.get(0)?.to_owned(), r.get(1)?.to_owned())))
            .collect()
    })
}

/// A data·inclusion structure typology code (`FT`, `ML`, `RFS`, `ACI`, `CS`, `PIJ_BIJ`, …).
///
/// # Examples
/// ```
/// use repere_engine::model::actor::ActorKind;
/// assert_eq!(ActorKind::parse("ml").unwrap().label(), "Mission Locale");
/// assert!(ActorKind::parse("XYZ").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ActorKind(String);

impl ActorKind {
    /// Validates a typology code against the data·inclusion list (case-insensitive).
    ///
    /// # Errors
    /// A message naming the unknown code.
    pub fn parse(code: &str) -> Result<Self, crate::problem::ValueError> {
        let t = code.trim();
        typologies()
            .keys()
            .find(|k| k.eq_ignore_ascii_case(t))
            .map(|k| Self(k.clone()))
            .ok_or_else(|| {
                crate::problem::ValueError::new(
                    t,
                    "typologie de structure data·inclusion connue attendue",
                )
            })
    }
    /// The code.
    pub fn code(&self) -> &str {
        &self.0
    }
    /// The French label of the typology.
    pub fn label(&self) -> &'static str {
        typologies().get(&self.0).map_or("", String::as_str)
    }
    /// The diagnostic group of this kind.
    pub fn group(&self) -> ActorGroup {
        ActorGroup::of(self)
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The groups of actors a repérage diagnostic looks for. A closed set: each typology code falls
/// in exactly one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum ActorGroup {
    /// Missions locales (`ML`).
    #[serde(rename = "ML")]
    MissionLocale,
    /// France Travail agencies (`FT`).
    #[serde(rename = "FT")]
    FranceTravail,
    /// France services (`RFS`, `MSAP`).
    #[serde(rename = "RFS")]
    FranceServices,
    /// Structures d'insertion par l'activité économique (`ACI`, `ACIPHC`, `AI`, `EI`, `ETTI`,
    /// `EITI`, `GEIQ`).
    #[serde(rename = "SIAE")]
    Siae,
    /// Centres sociaux and social life spaces (`CS`, `CSC`, `EVS`, `MQ`).
    #[serde(rename = "CS")]
    CentreSocial,
    /// Information jeunesse (`PIJ_BIJ`, `MJC`).
    #[serde(rename = "PIJ_BIJ")]
    InformationJeunesse,
    /// Second-chance schools and EPIDE (`E2C`, `EPIDE`).
    #[serde(rename = "E2C_EPIDE")]
    SecondeChance,
    /// Associations (`ASSO`, `ASSO_CHOMEUR`).
    #[serde(rename = "ASSO")]
    Association,
    /// Everything else (municipal services, libraries, …).
    #[serde(rename = "AUTRE")]
    Other,
}

impl ActorGroup {
    /// All groups, in display order.
    pub const ALL: [ActorGroup; 9] = [
        ActorGroup::MissionLocale,
        ActorGroup::FranceTravail,
        ActorGroup::FranceServices,
        ActorGroup::Siae,
        ActorGroup::CentreSocial,
        ActorGroup::InformationJeunesse,
        ActorGroup::SecondeChance,
        ActorGroup::Association,
        ActorGroup::Other,
    ];

    /// The groups a diagnostic expects to find in a territory (all but `Other`).
    pub const EXPECTED: [ActorGroup; 8] = [
        ActorGroup::MissionLocale,
        ActorGroup::FranceTravail,
        ActorGroup::FranceServices,
        ActorGroup::Siae,
        ActorGroup::CentreSocial,
        ActorGroup::InformationJeunesse,
        ActorGroup::SecondeChance,
        ActorGroup::Association,
    ];

    /// The group of a typology code.
    pub fn of(kind: &ActorKind) -> Self {
        match kind.code() {
            "ML" => Self::MissionLocale,
            "FT" => Self::FranceTravail,
            "RFS" | "MSAP" => Self::FranceServices,
            "ACI" | "ACIPHC" | "AI" | "EI" | "ETTI" | "EITI" | "GEIQ" => Self::Siae,
            "CS" | "CSC" | "EVS" | "MQ" => Self::CentreSocial,
            "PIJ_BIJ" | "MJC" => Self::InformationJeunesse,
            "E2C" | "EPIDE" => Self::SecondeChance,
            "ASSO" | "ASSO_CHOMEUR" => Self::Association,
            _ => Self::Other,
        }
    }

    /// Stable short code used in JSON, CSV and tiles.
    pub fn code(self) -> &'static str {
        match self {
            Self::MissionLocale => "ML",
            Self::FranceTravail => "FT",
            Self::FranceServices => "RFS",
            Self::Siae => "SIAE",
            Self::CentreSocial => "CS",
            Self::InformationJeunesse => "PIJ_BIJ",
            Self::SecondeChance => "E2C_EPIDE",
            Self::Association => "ASSO",
            Self::Other => "AUTRE",
        }
    }

    /// Parses a group code (as given by [`ActorGroup::code`], case-insensitive).
    ///
    /// # Errors
    /// A message listing the valid codes.
    pub fn parse(code: &str) -> Result<Self, crate::problem::ValueError> {
        Self::ALL
            .into_iter()
            .find(|g| g.code().eq_ignore_ascii_case(code.trim()))
            .ok_or_else(|| {
                let codes: Vec<_> = Self::ALL.iter().map(|g| g.code()).collect();
                crate::problem::ValueError::new(
                    code,
                    format!("groupe d'acteurs attendu parmi {}", codes.join(", ")),
                )
            })
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::MissionLocale => "Mission locale",
            Self::FranceTravail => "France Travail",
            Self::FranceServices => "France services",
            Self::Siae => "Structure d'insertion par l'activité économique (SIAE)",
            Self::CentreSocial => "Centre social",
            Self::InformationJeunesse => "Information jeunesse",
            Self::SecondeChance => "École de la 2e chance / EPIDE",
            Self::Association => "Association",
            Self::Other => "Autre structure",
        }
    }
}

/// Opening hours as published, per weekday (lundi = 0 … dimanche = 6).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct OpeningHours(pub BTreeMap<String, String>);

/// One placed actor, whatever its source: it has a point, so distances, the accessibility
/// index, gaps and coverage use it.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `source:id`, unique in the dataset.
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology.
    pub kind: ActorKind,
    /// Postal address when given.
    pub address: Option<String>,
    /// Commune containing the point (from geometry), or given by the source.
    pub commune: Option<CommuneCode>,
    /// Location in WGS84 lon/lat degrees.
    pub point_wgs84: Point,
    /// Location in Lambert-93 metres.
    pub point_l93: Point,
    /// Source identifier from the manifest.
    pub source: String,
    /// Opening hours when the source gives them.
    pub opening_hours: Option<OpeningHours>,
}

/// An actor known by its address and commune but not yet placed (e.g. the missions locales of the
/// DILA annuaire, which has no coordinates).
///
/// It is counted in its commune's inventory and listed "à localiser"; it takes no part in
/// distances, the accessibility index, gaps or coverage until someone places it. It is never given
/// a commune centroid or any other invented point.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorToPlace {
    /// `source:id`, unique in the dataset (shared with placed actors).
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology.
    pub kind: ActorKind,
    /// Postal address (required: it is how the actor can be placed).
    pub address: String,
    /// Commune given by the source (a member commune).
    pub commune: CommuneCode,
    /// Source identifier from the manifest.
    pub source: String,
    /// Opening hours when the source gives them.
    pub opening_hours: Option<OpeningHours>,
}

/// Where an actor of the inventory is: placed at a point, or known by its address only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// At a WGS84 lon/lat point.
    Placed(Point),
    /// Known by address and commune only: to place.
    AddressOnly,
}
