//! Exports of projects: their sites as GeoJSON (WGS84 points; a site not yet placed has a null
//! geometry) and as CSV, one row per site with the project's identity. CSV text cells that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) are prefixed with `'`; numbers are written as numbers.

use repere_engine::csv_cell::neutralised;
use repere_engine::model::opening_hours::WEEKDAYS;
use repere_engine::project::ProjectInput;
use repere_store::projects::StoredProject;
use serde_json::{Value, json};

use crate::AppError;

/// A text cell made safe for spreadsheets (the engine's one rule, [`neutralised`]).
fn neutralise(text: &str) -> String {
    neutralised(text).into_owned()
}

/// Days and hours on one line, Monday first (`lundi 09:00-12:00 ; mardi 14:00-17:00`).
pub fn hours_line(hours: &std::collections::BTreeMap<String, String>) -> String {
    WEEKDAYS
        .iter()
        .filter_map(|d| hours.get(*d).map(|h| format!("{d} {h}")))
        .collect::<Vec<_>>()
        .join(" ; ")
}

/// The sites of projects as one GeoJSON FeatureCollection.
///
/// # Errors
/// 500 when a stored file does not read.
pub fn geojson(projects: &[StoredProject]) -> Result<Value, AppError> {
    let mut features = Vec::new();
    for p in projects {
        let input: ProjectInput = super::Projects::input(p)?;
        for (i, s) in input.sites.iter().enumerate() {
            let geometry = match (s.lon, s.lat) {
                (Some(x), Some(y)) => json!({"type": "Point", "coordinates": [x, y]}),
                _ => Value::Null,
            };
            features.push(json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "project_id": p.id,
                    "project_title": input.title,
                    "organisation": input.organisation.name,
                    "site_number": i + 1,
                    "name": s.name,
                    "address": s.address,
                    "services": s.services,
                    "opening_hours": s.opening_hours,
                    "host": s.host,
                    "placed": geometry.is_object(),
                },
            }));
        }
    }
    Ok(json!({"type": "FeatureCollection", "features": features}))
}

/// The sites of projects as CSV (`,`-separated, UTF-8), one row per site.
///
/// # Errors
/// 500 when a stored file does not read or writing fails.
pub fn csv(projects: &[StoredProject]) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::Internal(format!("export CSV des projets : {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "projet_id",
        "titre",
        "organisation",
        "siret",
        "contact",
        "public",
        "jeunes_vises",
        "budget_euros",
        "communes",
        "qpv",
        "site_numero",
        "site_nom",
        "adresse",
        "services",
        "horaires",
        "structure_hote",
        "longitude",
        "latitude",
    ])
    .map_err(err)?;
    for p in projects {
        let input: ProjectInput = super::Projects::input(p)?;
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let text = |v: &Option<String>| neutralise(v.as_deref().unwrap_or(""));
        let project_cells = [
            neutralise(&p.id),
            neutralise(&input.title),
            neutralise(&input.organisation.name),
            text(&input.organisation.siret),
            text(&input.organisation.contact),
            text(&input.public),
            input
                .youth_target
                .map(|n| n.to_string())
                .unwrap_or_default(),
            num(input.budget_eur),
            neutralise(&input.communes.join(" ")),
            neutralise(&input.qpv.join(" ")),
        ];
        let rows: Vec<Vec<String>> = if input.sites.is_empty() {
            vec![vec![String::new(); 8]]
        } else {
            input
                .sites
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    vec![
                        (i + 1).to_string(),
                        neutralise(&s.name),
                        text(&s.address),
                        neutralise(&s.services.join(" ")),
                        neutralise(&hours_line(&s.opening_hours)),
                        text(&s.host),
                        num(s.lon),
                        num(s.lat),
                    ]
                })
                .collect()
        };
        for site in rows {
            w.write_record(project_cells.iter().chain(site.iter()))
                .map_err(err)?;
        }
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("export CSV des projets : {e}")))
}
