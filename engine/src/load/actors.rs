//! Actors from every source format (GeoJSON points, CSV with lon/lat, data·inclusion structures),
//! mapped onto data·inclusion typologies through the manifest.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Point, Rect};

use crate::codes::CommuneCode;
use crate::crs::Lambert93;
use crate::geometry::{ExtentError, GeomSite, check_lon_lat, extent_check, point_from_geojson};
use crate::load::features::{property_text, read_features};
use crate::manifest::{ActorFormat, ActorSource, Territory};
use crate::model::actor::{Actor, ActorKind, ActorToPlace, OpeningHours};
use crate::problem::{Location, Problem, Problems};
use crate::tabular::parse_number;
use crate::text::fold_name;

/// One source record, whatever the format: named fields and where it sits in the file.
#[derive(Clone)]
pub(crate) struct Record {
    pub(crate) location: Location,
    pub(crate) fields: BTreeMap<String, String>,
    /// A point from a GeoJSON geometry, already checked.
    pub(crate) point: Option<Point>,
}

impl Record {
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// Actors kept and actors skipped because they lie far outside the territory, per source.
#[derive(Debug, Default)]
pub struct LoadedActors {
    /// Actors within the territory's extent (communes plus margin).
    pub actors: Vec<Actor>,
    /// Actors known by address only, in a member commune.
    pub to_place: Vec<ActorToPlace>,
    /// `(source, file, skipped outside, left out by the source's `keep_only`)`.
    pub skipped_outside: Vec<(String, String, usize, usize)>,
}

/// Loads every `[[actors]]` source.
pub fn load(
    t: &Territory,
    extent: &Rect,
    l93: &Lambert93,
    known: &BTreeSet<CommuneCode>,
    members: &BTreeSet<CommuneCode>,
    problems: &mut Problems,
) -> LoadedActors {
    let mut out = LoadedActors::default();
    let mut sources = BTreeSet::new();
    for source in &t.manifest.actors {
        let file = t.root.display(&source.file);
        if !sources.insert(source.source.clone()) {
            problems.error(Problem::file(
                &t.manifest_name,
                format!("deux sources d'acteurs s'appellent « {} »", source.source),
            ));
            continue;
        }
        let Some(kinds) = KindResolver::new(source, &t.manifest_name, problems) else {
            continue;
        };
        let mut count = 0usize;
        let mut skipped = 0;
        let mut excluded = 0;
        let mut ids = BTreeSet::new();
        // Each record is turned into an actor as it is read (a CSV is streamed line by line).
        let mut handle = |record: &Record, problems: &mut Problems| {
            count += 1;
            if let Some(only) = &source.keep_only {
                let value = record.get(&only.field).unwrap_or("");
                if !only.values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                    excluded += 1;
                    return;
                }
            }
            let loaded = if source.address_only {
                actor_to_place(&file, source, record, &kinds, members)
                    .map(|a| a.map(Loaded::ToPlace))
            } else {
                actor(&file, source, record, &kinds, extent, l93, known, problems)
                    .map(|a| a.map(Loaded::Placed))
            };
            match loaded {
                Ok(Some(a)) => {
                    let id = match &a {
                        Loaded::Placed(a) => &a.id,
                        Loaded::ToPlace(a) => &a.id,
                    };
                    if ids.insert(id.clone()) {
                        match a {
                            Loaded::Placed(a) => out.actors.push(a),
                            Loaded::ToPlace(a) => out.to_place.push(a),
                        }
                    } else {
                        problems.error(Problem::at(
                            &file,
                            record.location.clone(),
                            source.id.as_deref(),
                            format!("identifiant d'acteur {id} en double"),
                        ));
                    }
                }
                Ok(None) => skipped += 1,
                Err(p) => problems.error(p),
            }
        };
        if let Err(p) = for_each_record(&t.root, &file, source, problems, &mut handle) {
            problems.error(p);
            continue;
        }
        if count == 0 {
            problems.warn(Problem::file(
                &file,
                format!(
                    "aucun acteur dans ce fichier (en-tête seul ou fichier vide) : la source {:?} \
                     n'apporte rien",
                    source.source
                ),
            ));
        }
        out.skipped_outside
            .push((source.source.clone(), file, skipped, excluded));
    }
    out.actors.sort_by(|a, b| a.id.cmp(&b.id));
    out.to_place.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

enum Loaded {
    Placed(Actor),
    ToPlace(ActorToPlace),
}

/// An actor of an `address_only` source: name, kind, address and a member commune, no point.
/// `Ok(None)` when its commune is not a member (outside the territory).
fn actor_to_place(
    file: &str,
    source: &ActorSource,
    record: &Record,
    kinds: &KindResolver,
    members: &BTreeSet<CommuneCode>,
) -> Result<Option<ActorToPlace>, Problem> {
    let at = |field: &str, m: String| Problem::at(file, record.location.clone(), Some(field), m);
    let name_f = source.name.as_deref().unwrap_or("name");
    let name = record
        .get(name_f)
        .ok_or_else(|| at(name_f, "nom absent".into()))?
        .to_owned();
    let commune_f = source.commune.as_deref().unwrap_or("code_insee");
    let commune = CommuneCode::parse(record.get(commune_f).ok_or_else(|| {
        at(
            commune_f,
            "code de commune absent (l'acteur n'a pas de point)".into(),
        )
    })?)
    .map_err(|m| at(commune_f, m.into()))?;
    if !members.contains(&commune) {
        return Ok(None);
    }
    let address: Vec<&str> = source
        .address
        .iter()
        .filter_map(|f| record.get(f))
        .collect();
    if address.is_empty() {
        return Err(at(
            source.address.first().map_or("address", String::as_str),
            "adresse absente (l'acteur n'a pas de point)".into(),
        ));
    }
    let kind = kinds.resolve(file, record, &name)?;
    let local_id = record
        .get(source.id.as_deref().unwrap_or(""))
        .map(str::to_owned)
        .unwrap_or_else(|| record.location.to_string().replace(' ', ""));
    let hours: BTreeMap<String, String> = source
        .hours
        .iter()
        .filter_map(|(day, f)| Some((day.clone(), record.get(f)?.to_owned())))
        .collect();
    Ok(Some(ActorToPlace {
        id: format!("{}:{local_id}", source.source),
        name,
        kind,
        address: address.join(", "),
        commune,
        source: source.source.clone(),
        opening_hours: (!hours.is_empty()).then_some(OpeningHours(hours)),
    }))
}

/// Whether a file's first significant byte opens a JSON document.
fn json_like(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        .is_some_and(|b| *b == b'[' || *b == b'{')
}

/// Hands every record of a source to `each`, in file order. A CSV (and a data·inclusion
/// CSV) is streamed line by line, one record in memory at a time; JSON formats are parsed whole
/// (they are small: GeoJSON points, data·inclusion arrays).
fn for_each_record(
    root: &crate::data_root::DataRoot,
    file: &str,
    source: &ActorSource,
    problems: &mut Problems,
    each: &mut dyn FnMut(&Record, &mut Problems),
) -> Result<(), Problem> {
    let reader = root.open(&source.file)?;
    records_from(file, reader, source, problems, each)
}

/// The records of an actor file already in memory (read by [`crate::inventory::import`]). A
/// GeoJSON feature without geometry is an error unless the source is `address_only`.
pub(crate) fn records(
    file: &str,
    source: &ActorSource,
    bytes: &[u8],
    problems: &mut Problems,
) -> Result<Vec<Record>, Problem> {
    let mut out = Vec::new();
    records_from(file, bytes, source, problems, &mut |r, _| {
        out.push(r.clone())
    })?;
    Ok(out)
}

/// Hands every record read from `reader` to `each`, in file order (see [`for_each_record`]).
fn records_from(
    file: &str,
    mut reader: impl std::io::BufRead,
    source: &ActorSource,
    problems: &mut Problems,
    each: &mut dyn FnMut(&Record, &mut Problems),
) -> Result<(), Problem> {
    let head = reader.fill_buf().map_err(|e| {
        Problem::file(
            file,
            format!("lecture impossible : {}", crate::text::io_error_fr(&e)),
        )
    })?;
    let csv = match source.format {
        ActorFormat::Csv => true,
        ActorFormat::DataInclusion => !json_like(head),
        ActorFormat::Geojson => false,
    };
    if !csv {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| {
            Problem::file(
                file,
                format!("lecture impossible : {}", crate::text::io_error_fr(&e)),
            )
        })?;
        for record in json_records(file, source, &bytes, problems)? {
            each(&record, problems);
        }
        return Ok(());
    }
    // Check required columns up front: a missing column is one clear error, not one per row.
    let coordinates = if source.address_only {
        Vec::new()
    } else {
        vec![
            source.lon.as_deref().unwrap_or("longitude"),
            source.lat.as_deref().unwrap_or("latitude"),
        ]
    };
    crate::tabular::stream(
        file,
        reader,
        |h| coordinates.iter().try_for_each(|c| h.column(c).map(|_| ())),
        |h, row| {
            let record = Record {
                location: Location::Line(row.line),
                fields: h
                    .names()
                    .iter()
                    .enumerate()
                    .map(|(i, name)| (name.clone(), row.text(i).to_owned()))
                    .collect(),
                point: None,
            };
            each(&record, problems);
            Ok(())
        },
    )
    .map(|_| ())
}

fn json_records(
    file: &str,
    source: &ActorSource,
    bytes: &[u8],
    problems: &mut Problems,
) -> Result<Vec<Record>, Problem> {
    let json_like = json_like(bytes);
    match source.format {
        ActorFormat::Geojson => {
            let features = read_features(file, bytes)?;
            Ok(features
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let location = Location::Feature(i);
                    let site = GeomSite {
                        file,
                        location: &location,
                        field: "geometry",
                    };
                    let point = match &f.geometry {
                        None if source.address_only => None,
                        g => point_from_geojson(&site, g.as_ref(), problems),
                    };
                    let fields = f
                        .properties
                        .iter()
                        .flatten()
                        .filter_map(|(k, _)| Some((k.clone(), property_text(f, k)?)))
                        .collect();
                    Record {
                        location,
                        fields,
                        point,
                    }
                })
                .collect())
        }
        ActorFormat::DataInclusion if json_like => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> =
                serde_json::from_slice(bytes).map_err(|e| {
                    Problem::file(
                        file,
                        format!(
                            "pas un tableau JSON de structures data·inclusion : {}",
                            crate::text::json_error_fr(&e)
                        ),
                    )
                })?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, obj)| Record {
                    location: Location::Feature(i),
                    fields: obj
                        .into_iter()
                        .filter_map(|(k, v)| {
                            let text = match v {
                                serde_json::Value::String(s) => s,
                                serde_json::Value::Number(n) => n.to_string(),
                                _ => return None,
                            };
                            Some((k, text))
                        })
                        .collect(),
                    point: None,
                })
                .collect())
        }
        ActorFormat::Csv | ActorFormat::DataInclusion => Ok(Vec::new()),
    }
}

/// Resolves a record's kind: name rules, then a fixed kind, then the kind field through the map.
struct KindResolver {
    rules: Vec<(String, ActorKind)>,
    fixed: Option<ActorKind>,
    field: Option<String>,
    map: BTreeMap<String, ActorKind>,
}

impl KindResolver {
    fn new(source: &ActorSource, manifest: &str, problems: &mut Problems) -> Option<Self> {
        let mut ok = true;
        let mut parse = |code: &str, what: &str| match ActorKind::parse(code) {
            Ok(k) => Some(k),
            Err(m) => {
                problems.error(Problem::file(
                    manifest,
                    format!("source d'acteurs « {} », {what} : {m}", source.source),
                ));
                ok = false;
                None
            }
        };
        let rules = source
            .kind_rules
            .iter()
            .filter_map(|r| Some((fold_name(&r.name_contains), parse(&r.kind, "kind_rules")?)))
            .collect();
        let map = source
            .kind_map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), parse(v, "kind_map")?)))
            .collect();
        let spec = source.kind.clone().unwrap_or_default_for(source.format);
        let fixed = spec.fixed.as_deref().and_then(|f| parse(f, "kind.fixed"));
        if spec.fixed.is_none() && spec.field.is_none() {
            problems.error(Problem::file(
                manifest,
                format!(
                    "la source d'acteurs « {} » ne donne ni kind.field ni kind.fixed",
                    source.source
                ),
            ));
            return None;
        }
        ok.then_some(Self {
            rules,
            fixed,
            field: spec.field,
            map,
        })
    }

    fn resolve(&self, file: &str, record: &Record, name: &str) -> Result<ActorKind, Problem> {
        let folded = fold_name(name);
        if let Some((_, k)) = self
            .rules
            .iter()
            .find(|(pat, _)| folded.contains(pat.as_str()))
        {
            return Ok(k.clone());
        }
        if let Some(k) = &self.fixed {
            return Ok(k.clone());
        }
        let field = self.field.as_deref().unwrap_or("typologie");
        let value = record.get(field).ok_or_else(|| {
            Problem::at(
                file,
                record.location.clone(),
                Some(field),
                "type d'acteur absent",
            )
        })?;
        if let Some(k) = self.map.get(value).or_else(|| {
            self.map
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(value))
                .map(|(_, k)| k)
        }) {
            return Ok(k.clone());
        }
        ActorKind::parse(value).map_err(|_| {
            Problem::at(file, record.location.clone(), Some(field), format!(
                "type d'acteur « {value} » absent du kind_map de la source et des codes de typologie data·inclusion"
            ))
        })
    }
}

trait KindDefault {
    fn unwrap_or_default_for(self, format: ActorFormat) -> crate::manifest::KindSpec;
}

impl KindDefault for Option<crate::manifest::KindSpec> {
    fn unwrap_or_default_for(self, format: ActorFormat) -> crate::manifest::KindSpec {
        self.unwrap_or_else(|| crate::manifest::KindSpec {
            field: (format == ActorFormat::DataInclusion).then(|| "typologie".to_owned()),
            fixed: None,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn actor(
    file: &str,
    source: &ActorSource,
    record: &Record,
    kinds: &KindResolver,
    extent: &Rect,
    l93: &Lambert93,
    known: &BTreeSet<CommuneCode>,
    problems: &mut Problems,
) -> Result<Option<Actor>, Problem> {
    let di = source.format == ActorFormat::DataInclusion;
    let at = |field: &str, m: String| Problem::at(file, record.location.clone(), Some(field), m);
    let name_f = source
        .name
        .as_deref()
        .unwrap_or(if di { "nom" } else { "name" });
    let name = record
        .get(name_f)
        .ok_or_else(|| at(name_f, "nom absent".into()))?
        .to_owned();
    let point = match record.point {
        Some(p) => p,
        None if source.format == ActorFormat::Geojson => return Ok(None), // geometry error already recorded
        None => {
            let lon_f = source.lon.as_deref().unwrap_or("longitude");
            let lat_f = source.lat.as_deref().unwrap_or("latitude");
            let num = |f: &str| -> Result<f64, Problem> {
                parse_number(record.get(f).unwrap_or(""))
                    .map_err(|m| at(f, m.into()))?
                    .ok_or_else(|| at(f, "coordonnée absente".into()))
            };
            let (lon, lat) = (num(lon_f)?, num(lat_f)?);
            Point(check_lon_lat(lon, lat).map_err(|m| at(lon_f, m.into()))?)
        }
    };
    if let Err(e) = extent_check(point.0, extent) {
        if let ExtentError::Swapped(_) = e {
            return Err(at(
                source
                    .lat
                    .as_deref()
                    .unwrap_or(if source.format == ActorFormat::Geojson {
                        "geometry"
                    } else {
                        "latitude"
                    }),
                e.to_string(),
            ));
        }
        return Ok(None);
    }
    let kind = kinds.resolve(file, record, &name)?;
    let id_f = source.id.as_deref().unwrap_or(if di { "id" } else { "" });
    let local_id = record
        .get(id_f)
        .map(str::to_owned)
        .unwrap_or_else(|| match &record.location {
            Location::Line(l) => format!("line{l}"),
            Location::Feature(i) => format!("f{i}"),
            other => other.to_string(),
        });
    let address_fields: Vec<&str> = if source.address.is_empty() && di {
        vec!["adresse", "code_postal", "commune"]
    } else {
        source.address.iter().map(String::as_str).collect()
    };
    let address_parts: Vec<&str> = address_fields
        .iter()
        .filter_map(|f| record.get(f))
        .collect();
    let commune_f = source.commune.as_deref().or(di.then_some("code_insee"));
    let commune = match commune_f.and_then(|f| record.get(f).map(|v| (f, v))) {
        None => None,
        Some((f, v)) => match CommuneCode::parse(v) {
            Ok(c) if known.is_empty() || known.contains(&c) => Some(c),
            Ok(c) => {
                problems.warn(at(
                    f,
                    format!("code de commune {c} inconnu : la commune est déduite de la position"),
                ));
                None
            }
            Err(m) => return Err(at(f, m.into())),
        },
    };
    let hours: BTreeMap<String, String> = source
        .hours
        .iter()
        .filter_map(|(day, f)| Some((day.clone(), record.get(f)?.to_owned())))
        .collect();
    let point_l93 = l93.point_from_wgs84(point).map_err(|m| {
        at(
            "geometry",
            format!("projection en Lambert-93 impossible : {m}"),
        )
    })?;
    Ok(Some(Actor {
        id: format!("{}:{local_id}", source.source),
        name,
        kind,
        address: (!address_parts.is_empty()).then(|| address_parts.join(", ")),
        commune,
        point_wgs84: point,
        point_l93,
        source: source.source.clone(),
        opening_hours: (!hours.is_empty()).then_some(OpeningHours(hours)),
    }))
}
