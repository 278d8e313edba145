//! Communes: boundaries, members of the territory, EPCI, population, density and centrality.

use std::collections::BTreeMap;

use geo::Area;

use crate::codes::CommuneCode;
use crate::crs::Lambert93;
use crate::geometry::{BoundaryPair, GeomSite, boundary_from_geojson};
use crate::load::extent::MisplacedPolygons;
use crate::load::features::required_text;
use crate::load::formats::{LayerSpec, for_each_feature};
use crate::manifest::{CommunesSection, FieldMap, Territory};
use crate::model::commune::Commune;
use crate::problem::{Location, Problem, Problems};
use crate::tabular::Table;

/// Member communes, and every commune code the sources know (to tell a typo from a neighbour).
#[derive(Debug, Default)]
pub struct LoadedCommunes {
    /// Members, sorted by code.
    pub members: Vec<Commune>,
    /// Every known commune code → name (boundaries and records files).
    pub known: BTreeMap<CommuneCode, String>,
    /// CRS found and transformation applied to the boundaries.
    pub boundaries_crs: Option<crate::load_report::LayerCrs>,
    /// Former commune code → the current commune it was merged into (records' `anciensCodes`).
    pub merged_into: BTreeMap<CommuneCode, CommuneCode>,
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
            format!("le manifeste n'indique pas de champ `{role}` pour ce fichier"),
        ));
    }
    f
}

/// Loads the communes section. The boundaries file is streamed feature by feature, and only the
/// polygons of member communes are checked and projected.
///
/// With `records`, 2018 polygons of communes merged since (codes in a record's `anciensCodes`)
/// are unioned into their current commune; boundary codes matching no record, and record codes
/// with no polygon, are listed in the load report.
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

    // Members and records first, so that only the polygons needed are checked and projected.
    let mut members: BTreeMap<CommuneCode, (usize, Option<u32>)> = BTreeMap::new();
    if let Some(m) = &section.members {
        read_members(t, m, &mut members, problems);
    }
    let mut record_names = BTreeMap::new();
    let records = section
        .records
        .as_ref()
        .map(|r| read_records(t, r, &mut record_names, problems))
        .unwrap_or_default();
    // An old code → the current commune it was merged into.
    let merged_into: BTreeMap<CommuneCode, CommuneCode> = records
        .iter()
        .flat_map(|(code, r)| {
            r.former_codes
                .iter()
                .filter(move |old| *old != code)
                .map(move |old| (old.clone(), code.clone()))
        })
        .collect();
    let wanted = |code: &CommuneCode| {
        section.members.is_none()
            || members.contains_key(code)
            || merged_into
                .get(code)
                .is_some_and(|c| members.contains_key(c))
    };

    // Polygons by code as found in the file: (feature index, name, WGS84, Lambert-93).
    let mut polygons: BTreeMap<CommuneCode, (usize, String, Option<BoundaryPair>)> =
        BTreeMap::new();
    let mut misplaced = MisplacedPolygons::new(
        &file,
        "communes",
        t.manifest.territory.departement.as_deref(),
    );
    let streamed = for_each_feature(&t.root, LayerSpec::from(&section.boundaries), |i, f| {
        let feature = match f {
            Ok(f) => f,
            Err(p) => return problems.error(p),
        };
        let code = match required_text(&file, i, &feature, code_f).and_then(|c| {
            CommuneCode::parse(&c)
                .map_err(|m| Problem::at(&file, Location::Feature(i), Some(code_f), m))
        }) {
            Ok(c) => c,
            Err(p) => return problems.error(p),
        };
        let name = match required_text(&file, i, &feature, name_f) {
            Ok(n) => n,
            Err(p) => return problems.error(p),
        };
        if polygons.contains_key(&code) {
            return problems.error(Problem::at(
                &file,
                Location::Feature(i),
                Some(code_f),
                format!("code de commune {code} en double"),
            ));
        }
        let boundary = if wanted(&code) {
            let location = Location::Feature(i);
            let site = GeomSite {
                file: &file,
                location: &location,
                field: "geometry",
            };
            boundary_from_geojson(&site, feature.geometry.as_ref(), l93, problems)
                .filter(|(wgs84, _)| misplaced.check(&location, code.departement(), wgs84))
        } else {
            None
        };
        polygons.insert(code, (i, name, boundary));
    });
    match streamed {
        Ok(crs) => {
            misplaced.report(Some(&crs.crs_found), problems);
            out.boundaries_crs = Some(crs);
        }
        Err(p) => {
            problems.error(p);
            return out;
        }
    }
    for (code, (_, name, _)) in &polygons {
        out.known.insert(code.clone(), name.clone());
    }
    for (code, name) in record_names {
        out.known.entry(code).or_insert(name);
    }
    out.merged_into = merged_into.clone();

    // Old polygons go into their current commune when that one is not in the file itself or
    // is (the chef-lieu keeps its code): both are unioned.
    let mut parts: BTreeMap<CommuneCode, Vec<CommuneCode>> = BTreeMap::new();
    for code in polygons.keys() {
        let current = match merged_into.get(code) {
            Some(c) if !records.contains_key(code) => c.clone(),
            _ => code.clone(),
        };
        parts.entry(current).or_default().push(code.clone());
    }
    if !records.is_empty() {
        // With a members list, only codes that concern the members are worth listing.
        let relevant = |c: &CommuneCode| {
            section.members.is_none()
                || members.contains_key(c)
                || merged_into.get(c).is_some_and(|m| members.contains_key(m))
        };
        report_unmatched(
            &file, section, &records, &parts, &polygons, &relevant, problems,
        );
    }
    if section.members.is_none() {
        for code in parts.keys() {
            if records.is_empty() || records.contains_key(code) {
                members.insert(code.clone(), (0, None));
            }
        }
    }
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
        let Some(codes) = parts.get(&code) else {
            problems.error(Problem::at(
                &members_file,
                Location::Line(line),
                section.members.as_ref().and_then(|m| m.field("code")),
                format!("code de commune {code} inconnu : aucun contour dans {file}"),
            ));
            continue;
        };
        let mut pieces: Vec<BoundaryPair> = Vec::with_capacity(codes.len());
        for c in codes {
            if let Some((_, _, b @ Some(_))) = polygons.get_mut(c) {
                pieces.extend(b.take());
            }
        }
        // A polygon that failed its checks has its error recorded already.
        if pieces.len() < codes.len() || pieces.is_empty() {
            continue;
        }
        let (boundary_wgs84, boundary_l93) = union_pieces(pieces);
        let record = records.get(&code);
        let name = record
            .map(|r| r.name.clone())
            .or_else(|| polygons.get(&code).map(|p| p.1.clone()))
            .unwrap_or_default();
        if codes.len() > 1 {
            problems.warn(Problem::at(
                &file,
                Location::Record(code.to_string()),
                Some(code_f),
                format!(
                    "la commune {code} ({name}) est l'union des contours {} (communes fusionnées depuis le millésime des contours, d'après les anciensCodes des enregistrements)",
                    codes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let commune = Commune {
            area_m2: boundary_l93.unsigned_area(),
            name,
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
            ("de population", commune.population.is_none()),
            (
                "de classe de densité",
                section.density.is_some() && commune.density_class.is_none(),
            ),
            (
                "de niveau de centralité",
                section.centrality.is_some() && commune.centrality.is_none(),
            ),
        ] {
            if missing {
                problems.warn(Problem::at(
                    &file,
                    Location::Record(commune.code.to_string()),
                    None,
                    format!("la commune {} n'a pas {what}", commune.code),
                ));
            }
        }
        out.members.push(commune);
    }
    out
}

/// Unions polygons of one commune (WGS84 and Lambert-93 alike).
fn union_pieces(pieces: Vec<BoundaryPair>) -> BoundaryPair {
    use geo::BooleanOps;
    let mut it = pieces.into_iter();
    let Some((mut wgs, mut l93)) = it.next() else {
        return (geo::MultiPolygon(Vec::new()), geo::MultiPolygon(Vec::new()));
    };
    for (w, l) in it {
        wgs = wgs.union(&w);
        l93 = l93.union(&l);
    }
    (wgs, l93)
}

/// Codes left unmatched between the boundaries and the records, one warning per side.
fn report_unmatched(
    file: &str,
    section: &CommunesSection,
    records: &BTreeMap<CommuneCode, Record>,
    parts: &BTreeMap<CommuneCode, Vec<CommuneCode>>,
    polygons: &BTreeMap<CommuneCode, (usize, String, Option<BoundaryPair>)>,
    relevant: &dyn Fn(&CommuneCode) -> bool,
    problems: &mut Problems,
) {
    let records_file = section.records.as_deref().unwrap_or_default();
    let no_record: Vec<String> = parts
        .keys()
        .filter(|c| !records.contains_key(*c) && relevant(c))
        .map(|c| format!("{c} ({})", polygons.get(c).map_or("", |p| p.1.as_str())))
        .collect();
    if !no_record.is_empty() {
        problems.warn(Problem::at(
            file,
            Location::File,
            section.boundaries.field("code"),
            format!(
                "{} contour(s) ne correspondent à aucune commune des enregistrements ({records_file}) ni à leurs anciensCodes, et sont laissés de côté : {}",
                no_record.len(),
                no_record.join(", ")
            ),
        ));
    }
    let no_polygon: Vec<String> = records
        .iter()
        .filter(|(c, _)| !parts.contains_key(*c) && relevant(c))
        .map(|(c, r)| format!("{c} ({})", r.name))
        .collect();
    if !no_polygon.is_empty() {
        problems.warn(Problem::at(
            file,
            Location::File,
            section.boundaries.field("code"),
            format!(
                "{} commune(s) des enregistrements ({records_file}) sans contour ici : {}",
                no_polygon.len(),
                no_polygon.join(", ")
            ),
        ));
    }
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
        let population = match pop_col.map(|c| row.population(c)).transpose() {
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
            problems.error(row.problem(code_col, format!("code de commune {code} en double")));
        }
    }
}

#[derive(Debug, Default)]
struct Record {
    name: String,
    /// Codes of the communes merged into this one (`anciensCodes`).
    former_codes: Vec<CommuneCode>,
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
    /// `commune-actuelle`, `commune-deleguee`, `commune-associee`, `arrondissement-municipal`.
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, rename = "anciensCodes")]
    former_codes: Vec<String>,
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
                format!(
                    "pas une liste de communes decoupage-administratif : {}",
                    crate::text::json_error_fr(&e)
                ),
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
                        // Delegated and associated communes, and municipal arrondissements,
                        // are parts of a current commune, not communes.
                        if r.kind.as_deref().is_some_and(|k| k != "commune-actuelle") {
                            continue;
                        }
                        if let Some(p) = r.population
                            && f64::from(p) > crate::tabular::MAX_POPULATION
                        {
                            problems.error(Problem::at(
                                &file,
                                Location::Feature(i),
                                Some("population"),
                                format!("population invraisemblable ({p}) : au plus 3 000 000 d'habitants par commune"),
                            ));
                            continue;
                        }
                        let former_codes = r
                            .former_codes
                            .iter()
                            .filter_map(|c| CommuneCode::parse(c).ok())
                            .collect();
                        out.insert(
                            code,
                            Record {
                                name: r.nom,
                                former_codes,
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
