//! The actor inventory as users edit it: validated actor fields, and the dataset rebuilt from the
//! loaded actors with edited states laid over them.
//!
//! An edit (made through the API or the page and kept by a store) ends in the full state of one
//! actor, or in its retirement. [`Dataset::with_actor_states`] lays those states over the actors
//! of the loaded dataset and rebuilds what depends on actors (commune of each point, spatial
//! index, version), so every diagnostic computed from the result sees the edits.
//!
//! - [`import`]: a CSV, GeoJSON or data·inclusion file read into one validated actor (or one
//!   error) per line or feature, for an import previewed before it is committed;
//! - [`apply`]: the one call that lays a list of edited states over a base territory and returns
//!   the analysis to serve ([`apply_edits`]).

pub mod apply;
pub mod import;

pub use apply::{ApplyError, EditedActor, apply_edits};

use std::collections::BTreeMap;

use geo::Point;

use crate::codes::CommuneCode;
use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::geometry::check_lon_lat;
use crate::model::actor::{Actor, ActorKind, ActorToPlace, OpeningHours, Placement};
use crate::model::opening_hours;

/// A rejected actor field: which field and why, in French (the API sends it as is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("champ `{field}` : {message}")]
pub struct FieldError {
    /// The field (`name`, `kind`, `lon`, `lat`, `commune`, `address`, `opening_hours.lundi` …).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn field_error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

/// The fields of an actor as a user gives them, before validation.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActorInput {
    /// Name (required, not blank).
    pub name: String,
    /// data·inclusion typology code.
    pub kind: String,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// INSEE code of the commune (required without a point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// Opening hours per weekday (`lundi` … `dimanche`): `HH:MM-HH:MM` ranges separated by `, `.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub opening_hours: BTreeMap<String, String>,
    /// WGS84 longitude, degrees (with `lat`; both absent for an actor known by address only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// WGS84 latitude, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
}

/// Validated fields of an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorFields {
    /// Name, trimmed, not empty.
    pub name: String,
    /// A known data·inclusion typology.
    pub kind: ActorKind,
    /// Postal address.
    pub address: Option<String>,
    /// Commune given by the user (for a placed actor, the commune containing its point wins).
    pub commune: Option<CommuneCode>,
    /// Opening hours.
    pub opening_hours: Option<OpeningHours>,
    /// A WGS84 point within the territory's margin, or known by address only.
    pub placement: Placement,
}

impl ActorFields {
    /// Validates user input as the loader validates files: name not blank, kind a data·inclusion
    /// typology, point finite, in WGS84 range and within the territory's extent (communes plus
    /// margin); without a point, a member commune and an address; opening hours a weekday each,
    /// with `HH:MM-HH:MM` ranges in order (written back as `09:00-12:00, 14:00-17:00`).
    ///
    /// # Errors
    /// The first [`FieldError`] found, naming the field.
    pub fn validate(ds: &Dataset, input: &ActorInput) -> Result<Self, FieldError> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(field_error("name", "le nom est vide"));
        }
        check_text("name", name, MAX_NAME_CHARS)?;
        if let Some(a) = &input.address {
            check_text("address", a, MAX_ADDRESS_CHARS)?;
        }
        for (day, hours) in &input.opening_hours {
            if day.chars().count() > 20 || hours.chars().count() > 200 {
                return Err(field_error(
                    "opening_hours",
                    "horaires trop longs : au plus 200 caractères par jour",
                ));
            }
        }
        let kind = ActorKind::parse(&input.kind).map_err(|_| {
            field_error(
                "kind",
                format!(
                    "type {:?} inconnu : attendu un code de typologie data·inclusion (ML, FT, RFS, CS, PIJ_BIJ, ASSO…)",
                    input.kind.trim()
                ),
            )
        })?;
        let commune = match input.commune.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(CommuneCode::parse(c).map_err(|_| {
                field_error("commune", format!("code commune INSEE invalide : {c:?}"))
            })?),
        };
        let address = input
            .address
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned);
        let placement = match (input.lon, input.lat) {
            (Some(lon), Some(lat)) => {
                let c = check_lon_lat(lon, lat).map_err(|_| {
                    field_error(
                        "lon",
                        format!(
                            "point ({lon}, {lat}) hors des bornes WGS84 (longitude dans [-180, 180], latitude dans [-90, 90])"
                        ),
                    )
                })?;
                if let Some(e) = &ds.extent_wgs84 {
                    let inside = |x: f64, y: f64| {
                        x >= e.min().x && x <= e.max().x && y >= e.min().y && y <= e.max().y
                    };
                    if !inside(c.x, c.y) {
                        let hint = if inside(c.y, c.x) {
                            " (longitude et latitude semblent inversées)"
                        } else {
                            ""
                        };
                        return Err(field_error(
                            "lon",
                            format!("point ({lon}, {lat}) hors du territoire et de sa marge{hint}"),
                        ));
                    }
                }
                Placement::Placed(Point::from(c))
            }
            (None, None) => Placement::AddressOnly,
            (Some(_), None) => return Err(field_error("lat", "latitude manquante")),
            (None, Some(_)) => return Err(field_error("lon", "longitude manquante")),
        };
        if placement == Placement::AddressOnly {
            match &commune {
                None => {
                    return Err(field_error(
                        "commune",
                        "sans point, la commune (code INSEE) est obligatoire",
                    ));
                }
                Some(c) if ds.commune(c).is_none() => {
                    return Err(field_error(
                        "commune",
                        format!("la commune {c} n'est pas membre du territoire"),
                    ));
                }
                Some(_) => {}
            }
            if address.is_none() {
                return Err(field_error(
                    "address",
                    "sans point, l'adresse est obligatoire",
                ));
            }
        }
        let hours = validate_hours(&input.opening_hours)?;
        Ok(Self {
            name: name.to_owned(),
            kind,
            address,
            commune,
            opening_hours: (!hours.is_empty()).then_some(OpeningHours(hours)),
            placement,
        })
    }

    /// The fields of a loaded actor.
    pub fn of_actor(a: &Actor) -> Self {
        Self {
            name: a.name.clone(),
            kind: a.kind.clone(),
            address: a.address.clone(),
            commune: a.commune.clone(),
            opening_hours: a.opening_hours.clone(),
            placement: Placement::Placed(a.point_wgs84),
        }
    }

    /// The fields of a loaded actor to place.
    pub fn of_actor_to_place(a: &ActorToPlace) -> Self {
        Self {
            name: a.name.clone(),
            kind: a.kind.clone(),
            address: Some(a.address.clone()),
            commune: Some(a.commune.clone()),
            opening_hours: a.opening_hours.clone(),
            placement: Placement::AddressOnly,
        }
    }

    /// Back to input form (what a store keeps and the API returns).
    pub fn to_input(&self) -> ActorInput {
        let (lon, lat) = match self.placement {
            Placement::Placed(p) => (Some(p.x()), Some(p.y())),
            Placement::AddressOnly => (None, None),
        };
        ActorInput {
            name: self.name.clone(),
            kind: self.kind.code().to_owned(),
            address: self.address.clone(),
            commune: self.commune.as_ref().map(ToString::to_string),
            opening_hours: self
                .opening_hours
                .as_ref()
                .map(|h| h.0.clone())
                .unwrap_or_default(),
            lon,
            lat,
        }
    }
}

/// Longest actor name accepted, characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest address accepted, characters.
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest edit reason accepted, characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// Whether a character is a control character or a bidirectional formatting one (U+202A–U+202E,
/// U+2066–U+2069, the marks U+200E, U+200F, U+061C): invisible, they hide or reorder what a
/// reader sees (a name shown right to left in the list, an export line split in two).
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Checks a free text an editor gives (name, address, reason): at most `max_chars`
/// characters, no control nor bidirectional formatting character.
///
/// # Errors
/// A [`FieldError`] naming `field`, the length or the first hidden character (as `U+XXXX`).
pub fn check_text(field: &'static str, text: &str, max_chars: usize) -> Result<(), FieldError> {
    let n = text.chars().count();
    if n > max_chars {
        return Err(field_error(
            field,
            format!("texte de {n} caractères : au plus {max_chars}"),
        ));
    }
    if let Some(c) = text.chars().find(|c| is_hidden_control(*c)) {
        return Err(field_error(
            field,
            format!(
                "caractère de contrôle ou de mise en forme bidirectionnelle U+{:04X} refusé",
                u32::from(c)
            ),
        ));
    }
    Ok(())
}

/// The field name of one day's hours (`opening_hours.lundi` …), as errors name it.
const HOURS_FIELDS: [&str; 7] = [
    "opening_hours.lundi",
    "opening_hours.mardi",
    "opening_hours.mercredi",
    "opening_hours.jeudi",
    "opening_hours.vendredi",
    "opening_hours.samedi",
    "opening_hours.dimanche",
];

/// Opening hours checked day by day ([`opening_hours::parse_day`]) and written in the canonical
/// form; blank days are left out.
fn validate_hours(
    input: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, FieldError> {
    let mut out = BTreeMap::new();
    for (day, text) in input.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let index = opening_hours::WEEKDAYS
            .iter()
            .position(|w| Some(*w) == opening_hours::weekday(day))
            .ok_or_else(|| {
                field_error(
                    "opening_hours",
                    opening_hours::HoursError::UnknownDay(day.clone()).to_string(),
                )
            })?;
        let hours = opening_hours::normalize_day(text).map_err(|e| {
            field_error(
                HOURS_FIELDS[index],
                format!("{} : {e}", opening_hours::WEEKDAYS[index]),
            )
        })?;
        out.insert(opening_hours::WEEKDAYS[index].to_owned(), hours);
    }
    Ok(out)
}

/// One actor of the inventory: its id, source and fields, placed or not.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryActor {
    /// Actor id (`source:id`).
    pub id: String,
    /// Source (`edits` for actors created by users).
    pub source: String,
    /// Fields.
    pub fields: ActorFields,
}

impl Dataset {
    /// Every actor of the dataset, placed or to place, sorted by id.
    pub fn inventory(&self) -> Vec<InventoryActor> {
        let mut out: Vec<InventoryActor> = self
            .actors
            .iter()
            .map(|a| InventoryActor {
                id: a.id.clone(),
                source: a.source.clone(),
                fields: ActorFields::of_actor(a),
            })
            .chain(self.actors_to_place.iter().map(|a| InventoryActor {
                id: a.id.clone(),
                source: a.source.clone(),
                fields: ActorFields::of_actor_to_place(a),
            }))
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// A copy of this dataset whose actors are this dataset's with `states` laid over them:
    /// `Some` replaces (or adds) the actor of that id, `None` retires it. The commune of each
    /// placed actor is recomputed from its point, the spatial index rebuilt and the version
    /// changed whenever the actors change.
    ///
    /// # Errors
    /// A [`FieldError`] when a point cannot be projected to Lambert-93 or an actor without a
    /// point has no commune (states are validated by [`ActorFields::validate`] before, so this
    /// only guards against a store edited by hand).
    pub fn with_actor_states(
        &self,
        states: &BTreeMap<String, (String, Option<ActorFields>)>,
    ) -> Result<Dataset, FieldError> {
        let l93 = Lambert93::new();
        let mut inventory: BTreeMap<String, (String, ActorFields)> = self
            .inventory()
            .into_iter()
            .map(|a| (a.id, (a.source, a.fields)))
            .collect();
        for (id, (source, state)) in states {
            match state {
                Some(f) => {
                    inventory.insert(id.clone(), (source.clone(), f.clone()));
                }
                None => {
                    inventory.remove(id);
                }
            }
        }
        let mut ds = Dataset {
            actors: Vec::new(),
            actors_to_place: Vec::new(),
            index: Default::default(),
            ..self.clone()
        };
        for (id, (source, f)) in inventory {
            match f.placement {
                Placement::Placed(p) => {
                    let point_l93 = l93.point_from_wgs84(p).map_err(|m| {
                        field_error("lon", format!("projection en Lambert-93 impossible : {m}"))
                    })?;
                    ds.actors.push(Actor {
                        id,
                        name: f.name,
                        kind: f.kind,
                        address: f.address,
                        commune: f.commune,
                        point_wgs84: p,
                        point_l93,
                        source,
                        opening_hours: f.opening_hours,
                    });
                }
                Placement::AddressOnly => {
                    let (Some(commune), Some(address)) = (f.commune, f.address) else {
                        return Err(field_error(
                            "commune",
                            format!("l'acteur {id} sans point n'a pas de commune ou d'adresse"),
                        ));
                    };
                    ds.actors_to_place.push(ActorToPlace {
                        id,
                        name: f.name,
                        kind: f.kind,
                        address,
                        commune,
                        source,
                        opening_hours: f.opening_hours,
                    });
                }
            }
        }
        ds.build_index();
        for i in 0..ds.actors.len() {
            if let Some(c) = ds.commune_at_l93(ds.actors[i].point_l93) {
                ds.actors[i].commune = Some(ds.communes[c].code.clone());
            }
        }
        ds.version = crate::load::content_hash(&ds);
        Ok(ds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_name_an_unknown_kind_and_a_point_without_latitude_name_their_field() {
        let ds = Dataset::default();
        let ok = ActorInput {
            name: "Mission locale".into(),
            kind: "ml".into(),
            lon: Some(1.09),
            lat: Some(49.44),
            ..Default::default()
        };
        let f = ActorFields::validate(&ds, &ok).unwrap();
        assert_eq!(f.kind.code(), "ML");
        let blank = ActorInput {
            name: "  ".into(),
            ..ok.clone()
        };
        assert_eq!(
            ActorFields::validate(&ds, &blank).unwrap_err().field,
            "name"
        );
        let kind = ActorInput {
            kind: "XYZ".into(),
            ..ok.clone()
        };
        assert_eq!(ActorFields::validate(&ds, &kind).unwrap_err().field, "kind");
        let lat = ActorInput {
            lat: None,
            ..ok.clone()
        };
        assert_eq!(ActorFields::validate(&ds, &lat).unwrap_err().field, "lat");
        let range = ActorInput {
            lon: Some(200.0),
            ..ok.clone()
        };
        assert_eq!(ActorFields::validate(&ds, &range).unwrap_err().field, "lon");
        let unplaced = ActorInput {
            lon: None,
            lat: None,
            ..ok
        };
        assert_eq!(
            ActorFields::validate(&ds, &unplaced).unwrap_err().field,
            "commune"
        );
    }
}
