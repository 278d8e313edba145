//! Communes: boundaries, members of the territory, EPCI, population, density and centrality.

use std::collections::BTreeMap;

use geo::Area;

use crate::codes::CommuneCode;
use crate::crs::Lambert93;
use crate::error::{Location, Problem, Problems};
use crate::geometry::{GeomSite, boundary_from_geojson};
use crate::load::features::required_text;
use crate::load::formats::{LayerSpec, read_layer};
use crate::manifest::{CommunesSection, FieldMap, Territory};
use crate::model::commune::Commune;
use crate::tabular::Table;

/// Member communes, and every commune code the sources know (to tell a typo from a neighbour).
#[derive(Debug, Default)]
pub struct LoadedCommunes {
    /// Members, sorted by code.
    pub members: Vec<Commune>,
    /// Every known commune code → name (boundaries and records files).
    pub known: BTreeMap<CommuneCode, String>,
    /// CRS found and transformation applied to the boundaries.
    pub boundaries_crs: Option<crate::report::LayerCrs>,
}

fn field<'a>(
    map: &'a FieldMap,
    role: &str,
    file: &str,
    problems: &mut Problems,
) -> Option<&'a str> {
    let f = map.field(role);
    if f.is_none() {
        problems.error(Problem::file(
            file,
            format!("the manifest gives no `{role}` field for this file"),
        ));
    }
    f
}

/// Loads the communes section.
pub fn load(t: &Territory, l93: &Lambert93, problems: &mut Problems) -> LoadedCommunes {
    let section: &CommunesSection = &t.manifest.communes;
    let mut out = LoadedCommunes::default();
    let file = t.root.display(&section.boundaries.file);
    let (Some(code_f), Some(name_f)) = (
        field(&section.boundaries, "code", &file, problems),
        field(&section.boundaries, "name", &file, problems),
    ) else {
        return out;
    };
    let features = match read_layer(&t.root, LayerSpec::from(&section.boundaries)) {
        Ok(layer) => {
            out.boundaries_crs = Some(layer.crs);
            layer.features
        }
        Err(p) => {
            problems.error(p);
            return out;
        }
    };

    // Members first, so that only their polygons are checked and projected.
    let mut members: BTreeMap<CommuneCode, (usize, Option<u32>)> = BTreeMap::new();
    if let Some(m) = &section.members {
        read_members(t, m, &mut members, problems);
    }

    let mut boundary_features = BTreeMap::new();
    for (i, feature) in features.iter().enumerate() {
        let code = match required_text(&file, i, feature, code_f).and_then(|c| {
            CommuneCode::parse(&c)
                .map_err(|m| Problem::at(&file, Location::Feature(i), Some(code_f), m))
        }) {
            Ok(c) => c,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        let name = match required_text(&file, i, feature, name_f) {
            Ok(n) => n,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        if out.known.insert(code.clone(), name.clone()).is_some() {
            problems.error(Problem::at(
                &file,
                Location::Feature(i),
                Some(code_f),
                format!("duplicate commune code {code}"),
            ));
            continue;
        }
        boundary_features.insert(code, (i, name));
    }
    if section.members.is_none() {
        for code in boundary_features.keys() {
            members.insert(code.clone(), (0, None));
        }
    }

    let records = section
        .records
        .as_ref()
        .map(|r| read_records(t, r, &mut out.known, problems))
        .unwrap_or_default();
    let density = section
        .density
        .as_ref()
        .map(|m| read_value_table(t, m, problems))
        .unwrap_or_default();
    let centrality = section
        .centrality
        .as_ref()
        .map(|m| read_value_table(t, m, problems))
        .unwrap_or_default();

    let members_file = section
        .members
        .as_ref()
        .map(|m| t.root.display(&m.file))
        .unwrap_or_default();
    for (code, (line, population)) in members {
        let Some((index, name)) = boundary_features.get(&code) else {
            problems.error(Problem::at(
                &members_file,
                Location::Line(line),
                section.members.as_ref().and_then(|m| m.field("code")),
                format!("unknown commune code {code}: it has no boundary in {file}"),
            ));
            continue;
        };
        let location = Location::Feature(*index);
        let site = GeomSite {
            file: &file,
            location: &location,
            field: "geometry",
        };
        let Some((boundary_wgs84, boundary_l93)) =
            boundary_from_geojson(&site, features[*index].geometry.as_ref(), l93, problems)
        else {
            continue;
        };
        let record = records.get(&code);
        let commune = Commune {
            area_m2: boundary_l93.unsigned_area(),
            // The official record's name has the article the boundary file drops ("Le Trait",
            // not "Trait"): it is the name written on the map and in the cards.
            name: record.map_or_else(|| name.clone(), |r| r.name.clone()),
            epci_siren: record.and_then(|r| r.epci_siren.clone()),
            epci_name: record.and_then(|r| r.epci_name.clone()),
            population: population.or(record.and_then(|r| r.population)),
            density_class: density.get(&code).cloned(),
            centrality: centrality.get(&code).cloned(),
            code,
            boundary_wgs84,
            boundary_l93,
        };
        for (what, missing) in [
            ("population", commune.population.is_none()),
            (
                "density class",
                section.density.is_some() && commune.density_class.is_none(),
            ),
            (
                "centrality level",
                section.centrality.is_some() && commune.centrality.is_none(),
            ),
        ] {
            if missing {
                problems.warn(Problem::at(
                    &file,
                    Location::Record(commune.code.to_string()),
                    None,
                    format!("commune {} has no {what}", commune.code),
                ));
            }
        }
        out.members.push(commune);
    }
    out
}

fn read_members(
    t: &Territory,
    map: &FieldMap,
    members: &mut BTreeMap<CommuneCode, (usize, Option<u32>)>,
    problems: &mut Problems,
) {
    let file = t.root.display(&map.file);
    let Some(code_f) = field(map, "code", &file, problems) else {
        return;
    };
    let table = match t.root.read(&map.file).and_then(|b| Table::parse(&file, &b)) {
        Ok(t) => t,
        Err(p) => return problems.error(p),
    };
    let code_col = match table.column(code_f) {
        Ok(c) => c,
        Err(p) => return problems.error(p),
    };
    let pop_col = match map.field("population").map(|f| table.column(f)).transpose() {
        Ok(c) => c,
        Err(p) => return problems.error(p),
    };
    for row in table.rows() {
        let code = match CommuneCode::parse(row.text(code_col)) {
            Ok(c) => c,
            Err(m) => {
                problems.error(row.problem(code_col, m));
                continue;
            }
        };
        let population = match pop_col.map(|c| row.number(c)).transpose() {
            Ok(p) => p.flatten().map(|p| p.round() as u32),
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        if members
            .insert(code.clone(), (row.line, population))
            .is_some()
        {
            problems.error(row.problem(code_col, format!("duplicate commune code {code}")));
        }
    }
}

#[derive(Debug, Default)]
struct Record {
    name: String,
    epci_siren: Option<String>,
    epci_name: Option<String>,
    population: Option<u32>,
}

#[derive(serde::Deserialize)]
struct DecoupageRecord {
    code: String,
    nom: String,
    #[serde(default)]
    population: Option<u32>,
    #[serde(default)]
    epci_siren: Option<String>,
    #[serde(default)]
    epci_nom: Option<String>,
}

/// Commune records in the `@etalab/decoupage-administratif` format.
fn read_records(
    t: &Territory,
    path: &str,
    known: &mut BTreeMap<CommuneCode, String>,
    problems: &mut Problems,
) -> BTreeMap<CommuneCode, Record> {
    let file = t.root.display(path);
    let parsed: Result<Vec<DecoupageRecord>, Problem> = t.root.read(path).and_then(|b| {
        serde_json::from_slice(&b).map_err(|e| {
            Problem::file(
                &file,
                format!("not a decoupage-administratif commune list: {e}"),
            )
        })
    });
    let mut out = BTreeMap::new();
    match parsed {
        Err(p) => problems.error(p),
        Ok(list) => {
            for (i, r) in list.into_iter().enumerate() {
                match CommuneCode::parse(&r.code) {
                    Ok(code) => {
                        known.entry(code.clone()).or_insert_with(|| r.nom.clone());
                        out.insert(
                            code,
                            Record {
                                name: r.nom,
                                epci_siren: r.epci_siren,
                                epci_name: r.epci_nom,
                                population: r.population,
                            },
                        );
                    }
                    Err(m) => {
                        problems.error(Problem::at(&file, Location::Feature(i), Some("code"), m))
                    }
                }
            }
        }
    }
    out
}

/// A CSV of one text value per commune (`code`, `value` fields).
fn read_value_table(
    t: &Territory,
    map: &FieldMap,
    problems: &mut Problems,
) -> BTreeMap<CommuneCode, String> {
    let file = t.root.display(&map.file);
    let mut out = BTreeMap::new();
    let (Some(code_f), Some(value_f)) = (
        field(map, "code", &file, problems),
        field(map, "value", &file, problems),
    ) else {
        return out;
    };
    let table = match t.root.read(&map.file).and_then(|b| Table::parse(&file, &b)) {
        Ok(t) => t,
        Err(p) => {
            problems.error(p);
            return out;
        }
    };
    let (code_col, value_col) = match (table.column(code_f), table.column(value_f)) {
        (Ok(c), Ok(v)) => (c, v),
        (Err(p), _) | (_, Err(p)) => {
            problems.error(p);
            return out;
        }
    };
    for row in table.rows() {
        match CommuneCode::parse(row.text(code_col)) {
            Ok(code) => {
                out.insert(code, row.text(value_col).to_owned());
            }
            Err(m) => problems.error(row.problem(code_col, m)),
        }
    }
    out
}
