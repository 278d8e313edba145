//! Youth data: census population by age per IRIS (summed per commune), IRIS contours, NEET
//! shares per commune and EPCI, INSEE figures per QPV.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::{CommuneCode, IrisCode};
use crate::crs::Lambert93;
use crate::geometry::{GeomSite, boundary_from_geojson};
use crate::load::extent::MisplacedPolygons;
use crate::load::features::required_text;
use crate::load::formats::{LayerSpec, read_layer};
use crate::load_report::LayerCrs;
use crate::manifest::{FieldMap, Territory};
use crate::model::youth::{AgeBands, Iris, NeetShares, Youth};
use crate::problem::{Location, Problem, Problems};
use crate::tabular::Table;

fn table(t: &Territory, map: &FieldMap, problems: &mut Problems) -> Option<Table> {
    let file = t.root.display(&map.file);
    match t.root.read(&map.file).and_then(|b| Table::parse(&file, &b)) {
        Ok(t) => Some(t),
        Err(p) => {
            problems.error(p);
            None
        }
    }
}

fn col(table: &Table, map: &FieldMap, role: &str, problems: &mut Problems) -> Option<usize> {
    let Some(name) = map.field(role) else {
        problems.error(Problem::file(
            &table.file,
            format!("le manifeste n'indique pas de colonne `{role}` pour ce fichier"),
        ));
        return None;
    };
    table.column(name).map_err(|p| problems.error(p)).ok()
}

/// Loads the youth section for the member communes.
pub fn load(
    t: &Territory,
    members: &BTreeSet<CommuneCode>,
    l93: &Lambert93,
    layers_crs: &mut Vec<LayerCrs>,
    problems: &mut Problems,
) -> Youth {
    let y = &t.manifest.youth;
    let mut youth = Youth::default();
    if let Some(map) = &y.population_by_age {
        load_population(t, map, members, &mut youth, problems);
    }
    if let Some(map) = &y.iris_contours {
        load_contours(t, map, l93, &mut youth, layers_crs, problems);
    }
    if let Some(map) = &y.neet_communes {
        youth.neet_by_commune = load_neet(t, map, problems)
            .into_iter()
            .filter_map(|(code, shares)| {
                Some((
                    CommuneCode::parse(&code)
                        .ok()
                        .filter(|c| members.contains(c))?,
                    shares,
                ))
            })
            .collect();
        for code in members
            .iter()
            .filter(|c| !youth.neet_by_commune.contains_key(*c))
        {
            problems.warn(Problem::at(
                t.root.display(&map.file),
                Location::Record(code.to_string()),
                None,
                format!("la commune {code} n'a pas de part de NEET"),
            ));
        }
    }
    if let Some(map) = &y.neet_epci {
        let epci = t.manifest.territory.epci.clone();
        youth.neet_by_epci = load_neet(t, map, problems)
            .into_iter()
            .filter(|(code, _)| Some(code) == epci.as_ref())
            .collect();
    }
    for map in &y.qpv_figures {
        load_qpv_figures(t, map, &mut youth, problems);
    }
    youth
}

fn load_population(
    t: &Territory,
    map: &FieldMap,
    members: &BTreeSet<CommuneCode>,
    youth: &mut Youth,
    problems: &mut Problems,
) {
    let Some(table) = table(t, map, problems) else {
        return;
    };
    youth.census_vintage = map.number("vintage").map(|v| v as u16);
    let cols = ["iris", "commune", "total", "age_15_29", "age_18_24"]
        .map(|r| col(&table, map, r, problems));
    let [
        Some(iris_c),
        Some(com_c),
        Some(total_c),
        Some(a1529_c),
        Some(a1824_c),
    ] = cols
    else {
        return;
    };
    let optional = |role: &str, problems: &mut Problems| {
        map.field(role)
            .and_then(|n| table.column(n).map_err(|p| problems.error(p)).ok())
    };
    let (a1117_c, a2539_c, name_c) = (
        optional("age_11_17", problems),
        optional("age_25_39", problems),
        optional("name", problems),
    );
    let mut seen = BTreeSet::new();
    for row in table.rows() {
        let commune = match CommuneCode::parse(row.text(com_c)) {
            Ok(c) => c,
            Err(m) => {
                problems.error(row.problem(com_c, m));
                continue;
            }
        };
        if !members.contains(&commune) {
            continue;
        }
        let code = match IrisCode::parse(row.text(iris_c)) {
            Ok(c) if c.commune() == commune => c,
            Ok(c) => {
                problems.error(row.problem(
                    iris_c,
                    format!("l'IRIS {c} n'appartient pas à la commune {commune}"),
                ));
                continue;
            }
            Err(m) => {
                problems.error(row.problem(iris_c, m));
                continue;
            }
        };
        if !seen.insert(code.clone()) {
            problems.error(row.problem(iris_c, format!("code IRIS {code} en double")));
            continue;
        }
        let numbers = (|| -> Result<AgeBands, Problem> {
            Ok(AgeBands {
                total: row.required_population(total_c)?,
                age_15_29: row.required_population(a1529_c)?,
                age_18_24: row.required_population(a1824_c)?,
                age_11_17: a1117_c.map(|c| row.population(c)).transpose()?.flatten(),
                age_25_39: a2539_c.map(|c| row.population(c)).transpose()?.flatten(),
            })
        })();
        let population = match numbers {
            Ok(p) => p,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        youth
            .by_commune
            .entry(commune.clone())
            .or_default()
            .add(&population);
        youth.iris.push(Iris {
            code,
            commune,
            name: name_c.map(|c| row.text(c).to_owned()).unwrap_or_default(),
            population,
            boundary_wgs84: None,
            boundary_l93: None,
        });
    }
    for code in members
        .iter()
        .filter(|c| !youth.by_commune.contains_key(*c))
    {
        problems.warn(Problem::at(
            &table.file,
            Location::Record(code.to_string()),
            None,
            format!("la commune {code} n'a pas de population par âge au recensement"),
        ));
    }
    youth.iris.sort_by(|a, b| a.code.cmp(&b.code));
}

fn load_contours(
    t: &Territory,
    map: &FieldMap,
    l93: &Lambert93,
    youth: &mut Youth,
    layers_crs: &mut Vec<LayerCrs>,
    problems: &mut Problems,
) {
    let file = t.root.display(&map.file);
    let Some(code_f) = map.field("code") else {
        problems.error(Problem::file(
            &file,
            "le manifeste n'indique pas de champ `code` pour ce fichier",
        ));
        return;
    };
    let (features, crs_found) = match read_layer(&t.root, LayerSpec::from(map)) {
        Ok(layer) => {
            let found = layer.crs.crs_found.clone();
            layers_crs.push(layer.crs);
            (layer.features, found)
        }
        Err(p) => return problems.error(p),
    };
    let mut misplaced =
        MisplacedPolygons::new(&file, "IRIS", t.manifest.territory.departement.as_deref());
    for (i, feature) in features.iter().enumerate() {
        let location = Location::Feature(i);
        let code = match required_text(&file, i, feature, code_f).and_then(|c| {
            IrisCode::parse(&c).map_err(|m| Problem::at(&file, location.clone(), Some(code_f), m))
        }) {
            Ok(c) => c,
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        let site = GeomSite {
            file: &file,
            location: &location,
            field: "geometry",
        };
        let Some((wgs84, projected)) =
            boundary_from_geojson(&site, feature.geometry.as_ref(), l93, problems)
        else {
            continue;
        };
        if !misplaced.check(&location, code.commune().departement(), &wgs84) {
            continue;
        }
        let Some(iris) = youth.iris.iter_mut().find(|i| i.code == code) else {
            problems.warn(Problem::at(
                &file,
                location,
                Some(code_f),
                format!(
                    "l'IRIS {code} a un contour mais pas de population au recensement : ignoré"
                ),
            ));
            continue;
        };
        iris.boundary_l93 = Some(projected);
        iris.boundary_wgs84 = Some(wgs84);
    }
    misplaced.report(Some(&crs_found), problems);
}

fn load_neet(
    t: &Territory,
    map: &FieldMap,
    problems: &mut Problems,
) -> BTreeMap<String, NeetShares> {
    let mut out: BTreeMap<String, NeetShares> = BTreeMap::new();
    let Some(table) = table(t, map, problems) else {
        return out;
    };
    let cols = ["code", "year", "share_pct"].map(|r| col(&table, map, r, problems));
    let [Some(code_c), Some(year_c), Some(share_c)] = cols else {
        return out;
    };
    for row in table.rows() {
        let year = match row.text(year_c).parse::<u16>() {
            Ok(y) if (1950..=2100).contains(&y) => y,
            _ => {
                problems.error(row.problem(
                    year_c,
                    format!("année attendue, trouvé « {} »", row.text(year_c)),
                ));
                continue;
            }
        };
        match row.number(share_c) {
            Ok(Some(v)) if (0.0..=100.0).contains(&v) => {
                out.entry(row.text(code_c).to_owned())
                    .or_default()
                    .0
                    .insert(year, v);
            }
            Ok(Some(v)) => {
                problems.error(row.problem(share_c, format!("part {v} hors de 0-100 %")))
            }
            Ok(None) => {}
            Err(p) => problems.error(p),
        }
    }
    out
}

fn load_qpv_figures(t: &Territory, map: &FieldMap, youth: &mut Youth, problems: &mut Problems) {
    let Some(table) = table(t, map, problems) else {
        return;
    };
    let Some(code_c) = col(&table, map, "code", problems) else {
        return;
    };
    let name_c = map.field("name").and_then(|n| table.optional_column(n));
    // A column is numeric when every non-empty cell parses as a number.
    let numeric: Vec<usize> = (0..table.headers().len())
        .filter(|c| *c != code_c && Some(*c) != name_c && !table.headers()[*c].is_empty())
        .filter(|c| table.rows().all(|r| r.number(*c).is_ok()))
        .collect();
    for row in table.rows() {
        let code = row.text(code_c).to_owned();
        let entry = youth.qpv_figures.entry(code).or_default();
        if let Some(c) = name_c {
            entry.name = row.text(c).to_owned();
        }
        for c in &numeric {
            entry
                .values
                .insert(table.headers()[*c].clone(), row.number(*c).ok().flatten());
        }
    }
}
