//! `repere diagnose`, `repere rank` and `repere lookup`: the diagnostics on the command line.

use repere_engine::csv_cell::csv_field;
use std::fmt::Write as _;

use anyhow::{Context, bail};
use clap::ValueEnum;
use repere_engine::diagnostic::{CommuneDiagnostic, Compared, Diagnostics, QpvDiagnostic};
use repere_engine::ranking::{Ranking, Weights};
use repere_engine::{Analysis, CommuneCode, QpvCode};
use serde_json::Value;

/// Output formats of the diagnostic commands.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiagFormat {
    /// Texte lisible.
    Text,
    /// JSON (noms de champs stables, voir la documentation `diagnostic` du moteur). `diagnose`
    /// écrit le même document compact que `GET /api/communes/{code}` et `GET /api/qpv/{code}`.
    Json,
    /// CSV : des lignes `champ,valeur` pour un diagnostic, une ligne par commune pour un classement.
    Csv,
}

/// `repere diagnose --commune CODE | --qpv CODE`.
pub fn diagnose(
    analysis: &Analysis,
    commune: Option<&str>,
    qpv: Option<&str>,
    format: DiagFormat,
) -> anyhow::Result<String> {
    match (commune, qpv) {
        (Some(code), None) => {
            let parsed = CommuneCode::parse(code)
                .map_err(anyhow::Error::msg)
                .context("--commune")?;
            let c = analysis.find_commune(&parsed)?;
            render(&c, format, |c| {
                commune_text(c.diagnostic, analysis.diagnostics())
            })
        }
        (None, Some(code)) => {
            let parsed = QpvCode::parse(code)
                .map_err(anyhow::Error::msg)
                .context("--qpv")?;
            render(analysis.find_qpv(&parsed)?, format, qpv_text)
        }
        _ => bail!("indiquez soit --commune CODE, soit --qpv CODE (un seul des deux)"),
    }
}

/// `repere rank [--weights …] [--top N]`.
pub fn rank(
    analysis: &Analysis,
    weights: Option<&str>,
    top: Option<usize>,
    format: DiagFormat,
) -> anyhow::Result<String> {
    let weights = Weights::parse(weights.unwrap_or("")).context("--weights")?;
    let mut ranking = analysis.ranking(&weights);
    if let Some(n) = top {
        ranking.entries.truncate(n);
    }
    match format {
        DiagFormat::Json => Ok(serde_json::to_string_pretty(&ranking)? + "\n"),
        DiagFormat::Csv => Ok(ranking_csv(&ranking)),
        DiagFormat::Text => Ok(ranking_text(&ranking)),
    }
}

/// `repere lookup --lon X --lat Y`.
pub fn lookup(
    analysis: &Analysis,
    lon: f64,
    lat: f64,
    format: DiagFormat,
) -> anyhow::Result<String> {
    let hit = analysis.lookup(lon, lat)?;
    match format {
        DiagFormat::Json => Ok(serde_json::to_string_pretty(&hit)? + "\n"),
        DiagFormat::Csv => Ok(flat_csv(&serde_json::to_value(&hit)?)),
        DiagFormat::Text => {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "Point ({lon}, {lat}) → Lambert-93 ({:.1}, {:.1})",
                hit.x_l93, hit.y_l93
            );
            match &hit.commune {
                Some(c) => _ = writeln!(s, "Commune : {} ({})", c.name, c.code),
                None => {
                    _ = writeln!(
                        s,
                        "Commune : hors du territoire {}",
                        analysis.dataset().name
                    )
                }
            }
            match (&hit.qpv, &hit.nearest_qpv) {
                (Some(q), _) => {
                    _ = writeln!(s, "Dans le QPV {} ({}, {})", q.code, q.name, q.vintage)
                }
                (None, Some(q)) => {
                    _ = writeln!(
                        s,
                        "Hors QPV ; QPV le plus proche : {} ({}) à {:.0} m",
                        q.code, q.name, q.distance_m
                    )
                }
                (None, None) => _ = writeln!(s, "Aucun QPV chargé"),
            }
            Ok(s)
        }
    }
}

fn render<T: serde::Serialize>(
    item: &T,
    format: DiagFormat,
    text: impl Fn(&T) -> String,
) -> anyhow::Result<String> {
    Ok(match format {
        DiagFormat::Json => serde_json::to_string(item)? + "\n",
        DiagFormat::Csv => flat_csv(&serde_json::to_value(item)?),
        DiagFormat::Text => text(item),
    })
}

fn num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "n.d.".to_owned(), |v| format!("{v:.decimals$}"))
}

fn cmp(c: &Compared, decimals: usize) -> String {
    let mut s = format!(
        "{} (Métropole {}",
        num(c.value, decimals),
        num(c.metropole, decimals)
    );
    if let Some(e) = c.epci {
        let _ = write!(s, ", EPCI {e:.decimals$}");
    }
    s + ")"
}

fn commune_text(c: &CommuneDiagnostic, d: &Diagnostics) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} ({}) — {}", c.name, c.code, d.territory);
    let _ = writeln!(
        s,
        "  superficie : {:.2} km² ; population {} : {}",
        c.area_m2 / 1e6,
        c.population_vintage.unwrap_or(0),
        c.population.map_or("n.d.".into(), |p| p.to_string())
    );
    let _ = writeln!(
        s,
        "  jeunes 15-29 ans (RP {}) : {} ; part {} %",
        c.census_vintage.unwrap_or(0),
        num(c.youth_15_29.value, 0),
        cmp(&c.youth_15_29_share_pct, 1)
    );
    let _ = writeln!(
        s,
        "  part de NEET 2008 / 2013 / 2018 : {} / {} / {} %",
        num(c.neet_share_2008_pct.value, 1),
        num(c.neet_share_2013_pct.value, 1),
        cmp(&c.neet_share_2018_pct, 1)
    );
    let _ = writeln!(
        s,
        "  évolution 2013→2018 : {} points ; NEET estimés : {}",
        cmp(&c.neet_trend_2013_2018_pts, 1),
        num(c.estimated_neet_count.value, 0)
    );
    let _ = writeln!(s, "  invisibles : {}", c.invisibles.text);
    if c.qpv.is_empty() {
        let _ = writeln!(s, "  QPV : aucun");
    }
    for q in &c.qpv {
        let _ = writeln!(
            s,
            "  QPV {} {} : {:.1} ha dans la commune ({:.1} % du QPV)",
            q.code,
            q.name,
            q.area_in_commune_m2 / 1e4,
            q.share_of_qpv_pct
        );
    }
    let _ = writeln!(
        s,
        "  part de la surface en QPV : {} % ; jeunes 15-29 estimés en QPV : {}",
        cmp(&c.qpv_area_share_pct, 2),
        num(c.youth_15_29_in_qpv_est.value, 0)
    );
    let inside: Vec<String> = c
        .actors_inside_by_group
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "  acteurs dans la commune : {}",
        if inside.is_empty() {
            "aucun".into()
        } else {
            inside.join(", ")
        }
    );
    write_nearest(
        &mut s,
        &c.nearest_actor_by_group,
        "le plus proche de la commune (0 m à l'intérieur)",
    );
    let within: Vec<String> = c
        .actors_within_reach_by_group
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "  acteurs à moins de {:.0} m de la commune (intérieur compris) : {}",
        c.reach_m,
        if within.is_empty() {
            "aucun".into()
        } else {
            within.join(", ")
        }
    );
    let _ = writeln!(
        s,
        "  arrêts à moins de {:.0} m des QPV : {}",
        c.stop_catchment_m,
        c.stops_near_qpv.map_or("n.d.".into(), |n| n.to_string())
    );
    let _ = writeln!(
        s,
        "  accessibilité (2SFCA, pour 1000 jeunes) : {}",
        cmp(&c.accessibility_index_per_1000, 2)
    );
    s
}

fn qpv_text(q: &QpvDiagnostic) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} (QPV {}) : {:.1} ha",
        q.code,
        q.name,
        q.vintage,
        q.area_m2 / 1e4
    );
    for c in &q.communes {
        let _ = writeln!(
            s,
            "  commune {} {} : {:.1} ha ({:.2} %) [{:?}]",
            c.code,
            c.name,
            c.area_m2 / 1e4,
            c.share_of_qpv_pct,
            c.membership
        );
    }
    let _ = writeln!(
        s,
        "  population estimée : {} ; jeunes 15-29 estimés : {} (surface couverte par les quartiers 2015 : {:.0} %)",
        num(q.population_est, 0),
        num(q.youth_15_29_est, 0),
        q.population_est_coverage_pct
    );
    let _ = writeln!(s, "  invisibles : {}", q.invisibles.text);
    let _ = writeln!(
        s,
        "  évolution 2015→2024 : {:?} (IoU {} %) ; quartiers 2015 : {}",
        q.change_2015_2024,
        num(q.iou_2015_pct, 1),
        q.matches_2015
            .iter()
            .map(|m| m.code_2015.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    write_nearest(
        &mut s,
        &q.nearest_actor_by_group_boundary,
        "le plus proche (bord)",
    );
    let _ = writeln!(
        s,
        "  acteurs à moins de {:.0} m : {} ; arrêts : {} (à moins de {:.0} m : {})",
        q.catchment_m,
        q.actors_within_catchment.len(),
        q.stops_within_catchment
            .map_or("n.d.".into(), |n| n.to_string()),
        q.stop_catchment_m,
        q.stops_near.map_or("n.d.".into(), |n| n.to_string())
    );
    let _ = writeln!(
        s,
        "  accessibilité (2SFCA, pour 1000 jeunes) : {}",
        cmp(&q.accessibility_index_per_1000, 2)
    );
    for w in &q.warnings {
        let _ = writeln!(s, "  avertissement : {w}");
    }
    s
}

fn ranking_text(r: &Ranking) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Poids : {}", r.weights);
    for c in &r.components {
        let _ = writeln!(
            s,
            "  {} ({}) : poids {}{}{}",
            c.key,
            c.label,
            c.weight,
            if c.available { "" } else { ", indisponible" },
            c.note.as_ref().map_or(String::new(), |n| format!(" — {n}"))
        );
    }
    for e in &r.entries {
        let parts: Vec<String> = e
            .components
            .iter()
            .map(|c| format!("{} {:.1}", c.key, c.points))
            .collect();
        let _ = writeln!(
            s,
            "{:>3}. {:<32} {} score {:>5.1}  [{}]",
            e.rank,
            e.name,
            e.code,
            e.score,
            parts.join(", ")
        );
    }
    s
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| flatten(&key(k), v, out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| flatten(&key(&i.to_string()), v, out)),
        other => out.push((prefix.to_owned(), scalar(other))),
    }
}

/// `field,value` rows of a JSON value flattened with dotted paths.
fn flat_csv(v: &Value) -> String {
    let mut rows = Vec::new();
    flatten("", v, &mut rows);
    let mut s = String::from("field,value\n");
    for (k, v) in rows {
        let _ = writeln!(s, "{},{}", csv_field(&k), csv_field(&v));
    }
    s
}

fn ranking_csv(r: &Ranking) -> String {
    let mut s = String::from("rank,code,name,score");
    for c in &r.components {
        let _ = write!(s, ",{0}_value,{0}_normalised,{0}_points", c.key);
    }
    s.push('\n');
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v}"));
    for e in &r.entries {
        let _ = write!(
            s,
            "{},{},{},{}",
            e.rank,
            e.code,
            csv_field(&e.name),
            e.score
        );
        for c in &e.components {
            let value = if c.secret {
                repere_engine::indicator::secrecy::SECRET_TEXT.to_owned()
            } else {
                opt(c.value)
            };
            let _ = write!(s, ",{},{},{}", value, opt(c.normalised), c.points);
        }
        s.push('\n');
    }
    s
}

/// One line per actor group: the nearest actor and its distance, or that the data have none.
fn write_nearest(s: &mut String, nearest: &repere_engine::diagnostic::NearestByGroup, label: &str) {
    for (g, n) in nearest {
        match n {
            Some(n) => {
                _ = writeln!(
                    s,
                    "  {g:<9} {label} : {} à {:.0} m",
                    n.actor_name, n.distance_m
                )
            }
            None => _ = writeln!(s, "  {g:<9} aucun acteur de ce type dans les données"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_json_flattens_to_dotted_csv_rows() {
        let v = serde_json::json!({"a": {"b": 1, "c": [true, null]}, "d": "x,y"});
        assert_eq!(
            flat_csv(&v),
            "field,value\na.b,1\na.c.0,true\na.c.1,\nd,\"x,y\"\n"
        );
    }
}
