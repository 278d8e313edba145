//! `[followup]`: counts of young people followed per commune, IRIS or QPV, one CSV per source,
//! read with the same table reader and French, line-numbered errors as every other table; and
//! the national order of magnitude given in the manifest.

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::{CommuneCode, IrisCode, QpvCode};
use crate::manifest::{FollowupCounts, FollowupLevel, Territory};
use crate::model::followup::{FollowedBySource, Followup, FollowupFile, source_name};
use crate::problem::{Location, Problem, Problems};
use crate::tabular::Table;

/// Loads the follow-up counts for the member communes and the QPV of the latest vintage.
pub fn load(
    t: &Territory,
    members: &BTreeSet<CommuneCode>,
    qpv_latest: &BTreeSet<QpvCode>,
    problems: &mut Problems,
) -> Followup {
    let section = &t.manifest.followup;
    let mut out = Followup::default();
    if let Some(n) = &section.national {
        if !(n.share_pct.is_finite() && (0.0..=100.0).contains(&n.share_pct)) {
            problems.error(Problem::at(
                &t.manifest_name,
                Location::File,
                Some("followup.national.share_pct"),
                format!("part {} hors de 0-100 %", crate::number::Shown(n.share_pct)),
            ));
        } else if n.source.trim().is_empty() {
            problems.error(Problem::at(
                &t.manifest_name,
                Location::File,
                Some("followup.national.source"),
                "la source de l'ordre de grandeur national est obligatoire (qui, quoi, année)",
            ));
        } else {
            out.national = Some(n.clone());
        }
    }
    // Commune rows and IRIS rows are kept apart, then commune rows win for a commune that a
    // source counts both ways (the IRIS rows would count the same young people again).
    let mut from_iris: BTreeMap<CommuneCode, FollowedBySource> = BTreeMap::new();
    for spec in &section.counts {
        if let Some(file) = load_file(
            t,
            spec,
            members,
            qpv_latest,
            &mut out,
            &mut from_iris,
            problems,
        ) {
            out.files.push(file);
        }
    }
    for (commune, sources) in from_iris {
        let entry = out.by_commune.entry(commune).or_default();
        for (source, count) in sources {
            entry.entry(source).or_insert(count);
        }
    }
    out
}

fn manifest_problem(t: &Territory, field: &str, message: String) -> Problem {
    Problem::at(
        &t.manifest_name,
        Location::File,
        Some(&format!("followup.counts.{field}")),
        message,
    )
}

/// Checks `16-25`: two ages, the first not above the second, both within 10-40.
fn valid_age_band(text: &str) -> bool {
    let Some((a, b)) = text.split_once('-') else {
        return false;
    };
    match (a.trim().parse::<u8>(), b.trim().parse::<u8>()) {
        (Ok(a), Ok(b)) => (10..=40).contains(&a) && (10..=40).contains(&b) && a <= b,
        _ => false,
    }
}

/// Checks `AAAA`, `AAAA-MM` or `AAAA-MM-JJ`.
fn valid_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let num = |s: &str, len: usize, lo: u32, hi: u32| {
        s.len() == len
            && s.chars().all(|c| c.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v))
    };
    match parts.as_slice() {
        [y] => num(y, 4, 1990, 2100),
        [y, m] => num(y, 4, 1990, 2100) && num(m, 2, 1, 12),
        [y, m, d] => num(y, 4, 1990, 2100) && num(m, 2, 1, 12) && num(d, 2, 1, 31),
        _ => false,
    }
}

fn load_file(
    t: &Territory,
    spec: &FollowupCounts,
    members: &BTreeSet<CommuneCode>,
    qpv_latest: &BTreeSet<QpvCode>,
    out: &mut Followup,
    from_iris: &mut BTreeMap<CommuneCode, FollowedBySource>,
    problems: &mut Problems,
) -> Option<FollowupFile> {
    let file = t.root.display(&spec.file);
    let source = spec.source.trim().to_ascii_uppercase();
    let mut ok = true;
    if source.is_empty()
        || !source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        problems.error(manifest_problem(
            t,
            "source",
            format!(
                "source « {} » pour {file} : un code court attendu (ML, FT, E2C, EPIDE, PLIE, PREV ou un autre code en lettres et chiffres)",
                spec.source
            ),
        ));
        ok = false;
    }
    if !valid_age_band(&spec.age_band) {
        problems.error(manifest_problem(
            t,
            "age_band",
            format!(
                "tranche d'âge « {} » pour {file} : attendu « 16-25 » (deux âges de 10 à 40 ans, le premier au plus égal au second)",
                spec.age_band
            ),
        ));
        ok = false;
    }
    if !valid_date(spec.date.trim()) {
        problems.error(manifest_problem(
            t,
            "date",
            format!(
                "date « {} » pour {file} : attendu AAAA, AAAA-MM ou AAAA-MM-JJ",
                spec.date
            ),
        ));
        ok = false;
    }
    if source_name(&source).is_none() && spec.label.as_deref().is_none_or(|l| l.trim().is_empty()) {
        problems.error(manifest_problem(
            t,
            "label",
            format!("la source « {source} » de {file} n'est pas un code connu : donnez son nom dans `label`"),
        ));
        ok = false;
    }
    let table = match t
        .root
        .read(&spec.file)
        .and_then(|b| Table::parse(&file, &b))
    {
        Ok(table) => table,
        Err(p) => {
            problems.error(p);
            return None;
        }
    };
    let (code_c, count_c) = match (table.column(&spec.code), table.column(&spec.count)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for p in [a.err(), b.err()].into_iter().flatten() {
                problems.error(p);
            }
            return None;
        }
    };
    let index = out.files.len();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut areas = 0;
    for row in table.rows() {
        let count = match row.number(count_c) {
            Ok(Some(v)) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => v as u32,
            Ok(Some(v)) => {
                problems.error(row.problem(
                    count_c,
                    format!(
                        "nombre de jeunes suivis {} : un entier positif ou nul attendu",
                        crate::number::Shown(v)
                    ),
                ));
                continue;
            }
            Ok(None) => {
                problems.error(row.problem(
                    count_c,
                    "nombre de jeunes suivis absent (une valeur sous le secret statistique ne peut pas être soustraite : laissez la ligne de côté)",
                ));
                continue;
            }
            Err(p) => {
                problems.error(p);
                continue;
            }
        };
        let text = row.text(code_c);
        if !seen.insert(text.to_owned()) {
            problems.error(row.problem(code_c, format!("code {text} en double dans ce fichier")));
            continue;
        }
        let target = match spec.level {
            FollowupLevel::Commune => match CommuneCode::parse(text) {
                Ok(c) if members.contains(&c) => Some(&mut *out.by_commune.entry(c).or_default()),
                Ok(_) => None,
                Err(m) => {
                    problems.error(row.problem(code_c, m));
                    continue;
                }
            },
            FollowupLevel::Iris => match IrisCode::parse(text) {
                Ok(i) if members.contains(&i.commune()) => {
                    Some(&mut *from_iris.entry(i.commune()).or_default())
                }
                Ok(_) => None,
                Err(m) => {
                    problems.error(row.problem(code_c, m));
                    continue;
                }
            },
            FollowupLevel::Qpv => match QpvCode::parse(text) {
                Ok(q) if qpv_latest.contains(&q) => Some(&mut *out.by_qpv.entry(q).or_default()),
                Ok(q) => {
                    problems.warn(row.problem(
                        code_c,
                        format!("le QPV {q} n'est pas un quartier du dernier millésime chargé : ligne laissée de côté"),
                    ));
                    None
                }
                Err(m) => {
                    problems.error(row.problem(code_c, m));
                    continue;
                }
            },
        };
        // Rows outside the territory are left out silently, as in every table of the manifest.
        if let Some(by_source) = target {
            let entry = by_source.entry(source.clone()).or_default();
            entry.count = entry.count.saturating_add(count);
            if !entry.files.contains(&index) {
                entry.files.push(index);
            }
            areas += 1;
        }
    }
    if areas == 0 {
        problems.warn(Problem::file(
            &file,
            "aucune ligne de ce fichier de suivi ne concerne le territoire",
        ));
    }
    ok.then(|| FollowupFile {
        label: spec
            .label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| source_name(&source).map(str::to_owned))
            .unwrap_or_else(|| source.clone()),
        source,
        age_band: spec.age_band.trim().to_owned(),
        date: spec.date.trim().to_owned(),
        level: spec.level,
        file,
        areas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_and_dates_are_checked() {
        assert!(valid_age_band("16-25") && valid_age_band(" 16 - 29 "));
        assert!(!valid_age_band("25-16") && !valid_age_band("16") && !valid_age_band("5-25"));
        assert!(valid_date("2024") && valid_date("2024-12") && valid_date("2024-12-31"));
        assert!(!valid_date("31/12/2024") && !valid_date("2024-13") && !valid_date("24-12-31"));
    }
}
