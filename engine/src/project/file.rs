//! A project file as its owner writes it (JSON), validated at the edge into types.
//!
//! [`ProjectInput`] is the canonical form a store keeps and the API returns; [`Project`] the
//! validated one the coverage and the report read. [`Project::validate`] reads a JSON value
//! field by field, so that every refusal names the field as a path
//! (`sites[1].opening_hours.mardi`, indices from 0) with a French message, and unknown fields
//! are refused (a typo is not silently dropped).

use std::collections::BTreeMap;

use geo::Point;
use serde_json::{Map, Value};

use crate::codes::{CommuneCode, QpvCode};
use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::model::actor::{ActorGroup, ActorKind};
use crate::model::opening_hours;

/// Most sites a project holds.
pub const MAX_SITES: usize = 50;
/// Longest text field, characters.
pub const MAX_TEXT: usize = 2000;
/// Highest budget accepted, euros.
pub const MAX_BUDGET_EUR: f64 = 1e9;

/// A refused project field: its path and why (French).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("champ `{field}` : {message}")]
pub struct ProjectError {
    /// Path of the field (`title`, `organisation.siret`, `sites[1].opening_hours.mardi` …).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> ProjectError {
    ProjectError {
        field: field.into(),
        message: message.into(),
    }
}

/// The organisation carrying a project.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Organisation {
    /// Name.
    pub name: String,
    /// SIRET (14 digits, Luhn-valid), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    /// Contact (person, e-mail, telephone: free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// A site of a project as stored: plain values, already validated.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SiteInput {
    /// Name.
    pub name: String,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// WGS84 longitude (absent until placed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// WGS84 latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Service groups offered (`ML`, `FT` …), at least one.
    pub services: Vec<String>,
    /// Days and hours, in the actors' weekly format (`lundi` → `09:00-12:00, 14:00-17:00`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub opening_hours: BTreeMap<String, String>,
    /// Host structure, when the permanence is hosted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

/// A project in its canonical stored form.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ProjectInput {
    /// Title.
    pub title: String,
    /// Organisation carrying it.
    pub organisation: Organisation,
    /// INSEE codes of the communes targeted.
    #[serde(default)]
    pub communes: Vec<String>,
    /// Codes of the QPV targeted.
    #[serde(default)]
    pub qpv: Vec<String>,
    /// Public aimed at (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<String>,
    /// Number of young people the project aims to reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub youth_target: Option<u32>,
    /// Budget requested, euros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_eur: Option<f64>,
    /// Sites, numbered from 1 in reports.
    #[serde(default)]
    pub sites: Vec<SiteInput>,
}

/// A validated site.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectSite {
    /// Name, not blank.
    pub name: String,
    /// Postal address.
    pub address: Option<String>,
    /// WGS84 point within a member commune, or `None` until placed.
    pub point_wgs84: Option<Point>,
    /// The same point in Lambert-93 metres.
    pub point_l93: Option<Point>,
    /// Services offered, in [`ActorGroup::ALL`] order, without repeats, at least one.
    pub services: Vec<ActorGroup>,
    /// Days and hours in canonical form (weekday → `HH:MM-HH:MM, …`).
    pub opening_hours: BTreeMap<String, String>,
    /// Host structure.
    pub host: Option<String>,
}

impl ProjectSite {
    /// The days and hours in one line, Monday first (`lundi 09:00-12:00 ; mardi 14:00-17:00`),
    /// `None` when none is given.
    pub fn hours_line(&self) -> Option<String> {
        let parts: Vec<String> = opening_hours::WEEKDAYS
            .iter()
            .filter_map(|d| self.opening_hours.get(*d).map(|h| format!("{d} {h}")))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" ; "))
    }
}

/// A validated project.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Title, not blank.
    pub title: String,
    /// Organisation (name not blank, SIRET checked).
    pub organisation: Organisation,
    /// Member communes targeted.
    pub communes: Vec<CommuneCode>,
    /// QPV of the territory targeted.
    pub qpv: Vec<QpvCode>,
    /// Public aimed at.
    pub public: Option<String>,
    /// Young people aimed at.
    pub youth_target: Option<u32>,
    /// Budget requested, euros (at most two decimals).
    pub budget_eur: Option<f64>,
    /// Sites.
    pub sites: Vec<ProjectSite>,
}

/// Reads the fields of one JSON object, refusing unknown ones.
struct Fields<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn of(path: &str, v: &'a Value, known: &[&str]) -> Result<Self, ProjectError> {
        let shown = if path.is_empty() { "body" } else { path };
        let map = v
            .as_object()
            .ok_or_else(|| err(shown, "objet JSON attendu"))?;
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(err(
                Self::join(path, k),
                format!("champ inconnu (champs reconnus : {})", known.join(", ")),
            ));
        }
        Ok(Self {
            path: path.to_owned(),
            map,
        })
    }

    fn join(path: &str, key: &str) -> String {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    }

    fn at(&self, key: &str) -> String {
        Self::join(&self.path, key)
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Optional text: trimmed, blank is absent, at most [`MAX_TEXT`] characters.
    fn text(&self, key: &str) -> Result<Option<String>, ProjectError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                let t = s.trim();
                if t.chars().count() > MAX_TEXT {
                    return Err(err(
                        self.at(key),
                        format!("texte trop long (au plus {MAX_TEXT} caractères)"),
                    ));
                }
                Ok((!t.is_empty()).then(|| t.to_owned()))
            }
            Some(_) => Err(err(self.at(key), "texte attendu")),
        }
    }

    fn required_text(&self, key: &str, what: &str) -> Result<String, ProjectError> {
        self.text(key)?
            .ok_or_else(|| err(self.at(key), format!("{what} est obligatoire")))
    }

    fn number(&self, key: &str) -> Result<Option<f64>, ProjectError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| err(self.at(key), "nombre fini attendu")),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .replace([' ', '\u{202f}', '\u{a0}'], "")
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| err(self.at(key), format!("nombre attendu, reçu « {s} »"))),
            Some(_) => Err(err(self.at(key), "nombre attendu")),
        }
    }

    fn list(&self, key: &str) -> Result<&'a [Value], ProjectError> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(err(self.at(key), "liste attendue")),
        }
    }

    fn codes(&self, key: &str) -> Result<Vec<(String, String)>, ProjectError> {
        self.list(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let p = format!("{}[{i}]", self.at(key));
                match v {
                    Value::String(s) if !s.trim().is_empty() => Ok((p, s.trim().to_owned())),
                    _ => Err(err(p, "code (texte) attendu")),
                }
            })
            .collect()
    }
}

/// A service group from its code (`ML`, `FT` …) or a data·inclusion typology (`PIJ_BIJ`).
fn parse_service(text: &str) -> Option<ActorGroup> {
    ActorGroup::parse(text)
        .ok()
        .or_else(|| ActorKind::parse(text).ok().map(|k| k.group()))
}

fn validate_site(
    ds: &Dataset,
    l93: &Lambert93,
    i: usize,
    v: &Value,
) -> Result<ProjectSite, ProjectError> {
    let path = format!("sites[{i}]");
    let f = Fields::of(
        &path,
        v,
        &[
            "name",
            "address",
            "lon",
            "lat",
            "services",
            "opening_hours",
            "host",
        ],
    )?;
    let name = f.required_text("name", &format!("le nom du site n° {}", i + 1))?;
    let address = f.text("address")?;
    let host = f.text("host")?;
    let (point_wgs84, point_l93) = match (f.number("lon")?, f.number("lat")?) {
        (None, None) => (None, None),
        (Some(_), None) => return Err(err(f.at("lat"), "latitude manquante")),
        (None, Some(_)) => return Err(err(f.at("lon"), "longitude manquante")),
        (Some(lon), Some(lat)) => {
            let c = crate::geometry::check_lon_lat(lon, lat).map_err(|_| {
                err(
                    f.at("lon"),
                    format!("point ({lon}, {lat}) hors des bornes WGS84"),
                )
            })?;
            let p = Point::from(c);
            let q = l93
                .point_from_wgs84(p)
                .map_err(|e| err(f.at("lon"), format!("projection impossible : {e}")))?;
            if ds.commune_at_l93(q).is_none() {
                let hint = if ds
                    .commune_at_l93(l93.point_from_wgs84(Point::new(lat, lon)).unwrap_or(q))
                    .is_some()
                {
                    " (longitude et latitude semblent inversées)"
                } else {
                    ""
                };
                return Err(err(
                    f.at("lon"),
                    format!(
                        "site n° {} : le point ({lon}, {lat}) est hors du territoire (aucune commune membre ne le contient){hint}",
                        i + 1
                    ),
                ));
            }
            (Some(p), Some(q))
        }
    };
    let mut services = Vec::new();
    for (p, code) in f.codes("services")? {
        let g = parse_service(&code).ok_or_else(|| {
            err(
                p,
                format!(
                    "service {code:?} inconnu : attendu un groupe d'acteurs (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO) ou une typologie data·inclusion"
                ),
            )
        })?;
        services.push(g);
    }
    if services.is_empty() {
        return Err(err(
            f.at("services"),
            "au moins un service attendu (par exemple [\"ML\", \"FT\"] pour une permanence mission locale et France Travail)",
        ));
    }
    services.sort();
    services.dedup();
    let mut hours = BTreeMap::new();
    if let Some(h) = f.get("opening_hours") {
        let hp = f.at("opening_hours");
        let map = h.as_object().ok_or_else(|| {
            err(
                &hp,
                "objet jour → horaires attendu (ex. {\"mardi\": \"09:00-12:00\"})",
            )
        })?;
        for (day, text) in map {
            let key = opening_hours::weekday(day).ok_or_else(|| {
                err(
                    format!("{hp}.{day}"),
                    opening_hours::HoursError::UnknownDay(day.clone()).to_string(),
                )
            })?;
            let dp = format!("{hp}.{key}");
            let text = match text {
                Value::String(s) => s,
                Value::Null => continue,
                _ => return Err(err(dp, "horaires (texte HH:MM-HH:MM) attendus")),
            };
            if text.trim().is_empty() {
                continue;
            }
            let canon =
                opening_hours::normalize_day(text).map_err(|e| err(&dp, format!("{key} : {e}")))?;
            if hours.insert(key.to_owned(), canon).is_some() {
                return Err(err(dp, format!("{key} est donné deux fois")));
            }
        }
    }
    Ok(ProjectSite {
        name,
        address,
        point_wgs84,
        point_l93,
        services,
        opening_hours: hours,
        host,
    })
}

impl Project {
    /// Validates a project given as JSON against the territory: title and organisation name not
    /// blank, SIRET of 14 digits with a valid Luhn key, communes members of the territory, QPV
    /// of the territory, youth target a whole number ≥ 0, budget ≥ 0 euros with at most two
    /// decimals, 0 to [`MAX_SITES`] sites each with a name, at least one service, a point within
    /// a member commune (or none until placed) and days and hours as actors have them.
    ///
    /// # Errors
    /// The first [`ProjectError`] found, naming the field by its path.
    pub fn validate(ds: &Dataset, v: &Value) -> Result<Self, ProjectError> {
        let f = Fields::of(
            "",
            v,
            &[
                "title",
                "organisation",
                "communes",
                "qpv",
                "public",
                "youth_target",
                "budget_eur",
                "sites",
            ],
        )?;
        let title = f.required_text("title", "le titre du projet")?;
        let org_value = f
            .get("organisation")
            .ok_or_else(|| err("organisation", "l'organisation porteuse est obligatoire"))?;
        let o = Fields::of("organisation", org_value, &["name", "siret", "contact"])?;
        let organisation = Organisation {
            name: o.required_text("name", "le nom de l'organisation")?,
            siret: o
                .text("siret")?
                .map(|s| super::siret::parse_siret(&s))
                .transpose()
                .map_err(|m| err("organisation.siret", m))?,
            contact: o.text("contact")?,
        };
        let mut communes = Vec::new();
        for (p, c) in f.codes("communes")? {
            let code = CommuneCode::parse(&c)
                .map_err(|_| err(&p, format!("code commune INSEE invalide : {c:?}")))?;
            if ds.commune(&code).is_none() {
                return Err(err(
                    p,
                    format!(
                        "la commune {code} n'est pas membre du territoire ({})",
                        ds.name
                    ),
                ));
            }
            if !communes.contains(&code) {
                communes.push(code);
            }
        }
        let mut qpv = Vec::new();
        for (p, c) in f.codes("qpv")? {
            let code =
                QpvCode::parse(&c).map_err(|_| err(&p, format!("code QPV invalide : {c:?}")))?;
            if ds.qpv(&code).is_none() {
                return Err(err(
                    p,
                    format!(
                        "le QPV {code} n'est pas un quartier prioritaire du territoire ({})",
                        ds.name
                    ),
                ));
            }
            if !qpv.contains(&code) {
                qpv.push(code);
            }
        }
        let public = f.text("public")?;
        let youth_target = match f.number("youth_target")? {
            None => None,
            Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => Some(x as u32),
            Some(x) => {
                return Err(err(
                    "youth_target",
                    format!(
                        "nombre entier de jeunes ≥ 0 attendu, reçu {}",
                        crate::number::Shown(x)
                    ),
                ));
            }
        };
        let budget_eur = match f.number("budget_eur")? {
            None => None,
            Some(x) if !(0.0..=MAX_BUDGET_EUR).contains(&x) => {
                return Err(err(
                    "budget_eur",
                    format!(
                        "montant en euros entre 0 et 1 000 000 000 attendu, reçu {}",
                        crate::number::Shown(x)
                    ),
                ));
            }
            Some(x) if ((x * 100.0).round() - x * 100.0).abs() > 1e-6 => {
                return Err(err(
                    "budget_eur",
                    format!(
                        "montant en euros avec au plus deux décimales attendu, reçu {}",
                        crate::number::Shown(x)
                    ),
                ));
            }
            Some(x) => Some(x),
        };
        let sites_v = f.list("sites")?;
        if sites_v.len() > MAX_SITES {
            return Err(err(
                "sites",
                format!("{} sites, au plus {MAX_SITES} acceptés", sites_v.len()),
            ));
        }
        let l93 = Lambert93::new();
        let sites = sites_v
            .iter()
            .enumerate()
            .map(|(i, s)| validate_site(ds, &l93, i, s))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            title,
            organisation,
            communes,
            qpv,
            public,
            youth_target,
            budget_eur,
            sites,
        })
    }

    /// Back to the canonical stored form.
    pub fn to_input(&self) -> ProjectInput {
        ProjectInput {
            title: self.title.clone(),
            organisation: self.organisation.clone(),
            communes: self.communes.iter().map(ToString::to_string).collect(),
            qpv: self.qpv.iter().map(ToString::to_string).collect(),
            public: self.public.clone(),
            youth_target: self.youth_target,
            budget_eur: self.budget_eur,
            sites: self
                .sites
                .iter()
                .map(|s| SiteInput {
                    name: s.name.clone(),
                    address: s.address.clone(),
                    lon: s.point_wgs84.map(|p| p.x()),
                    lat: s.point_wgs84.map(|p| p.y()),
                    services: s.services.iter().map(|g| g.code().to_owned()).collect(),
                    opening_hours: s.opening_hours.clone(),
                    host: s.host.clone(),
                })
                .collect(),
        }
    }

    /// Validates a stored project again (as a reload of the territory would need).
    ///
    /// # Errors
    /// As [`Project::validate`].
    pub fn of_input(ds: &Dataset, input: &ProjectInput) -> Result<Self, ProjectError> {
        let v = serde_json::to_value(input).map_err(|e| err("body", e.to_string()))?;
        Self::validate(ds, &v)
    }
}
