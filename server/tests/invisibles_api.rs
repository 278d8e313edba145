//! The invisibles through HTTP on a second territory written by the test: the default data
//! copied into a temporary folder with **synthetic** follow-up counts (made up here, named so).
//! No value under 11 passes through the JSON of the commune and QPV diagnostics, the ranking or
//! the communes CSV; `repere check` lists the follow-up sources and their dates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use repere_engine::{Analysis, Territory};
use repere_server::AppState;

const FOLLOWUP: &str = r#"
[[followup.counts]]
file = "suivis/ml_synthetique.csv"
source = "ML"
label = "Mission locale synthétique (test)"
age_band = "16-25"
date = "2024-12-31"
level = "commune"
code = "code_commune"
count = "jeunes_suivis"

[[followup.counts]]
file = "suivis/ft_synthetique.csv"
source = "FT"
label = "France Travail synthétique (test)"
age_band = "16-24"
date = "2024-09"
level = "commune"
code = "commune"
count = "demandeurs"

[[followup.counts]]
file = "suivis/qpv_synthetique.csv"
source = "PREV"
age_band = "16-21"
date = "2024"
level = "qpv"
code = "qpv"
count = "suivis"
"#;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn synthetic_territory() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../data"),
        dir.path(),
    );
    let manifest = dir.path().join("territory.toml");
    let text = std::fs::read_to_string(&manifest).unwrap() + FOLLOWUP;
    std::fs::write(&manifest, text).unwrap();
    std::fs::create_dir(dir.path().join("suivis")).unwrap();
    for (name, content) in [
        (
            "suivis/ml_synthetique.csv",
            "code_commune;jeunes_suivis\n76540;1 800\n76157;300\n76231;7\n76108;150\n",
        ),
        (
            "suivis/ft_synthetique.csv",
            "commune,demandeurs\n76540,1200\n76157,500\n76108,185\n",
        ),
        ("suivis/qpv_synthetique.csv", "qpv;suivis\nQN07610M;9\n"),
    ] {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

async fn get(state: &AppState, url: &str) -> (StatusCode, String) {
    let (status, _, body) = common::send(
        repere_server::app(state.clone()),
        Request::get(url).body(Body::empty()).unwrap(),
    )
    .await;
    (status, String::from_utf8(body.to_vec()).unwrap())
}

/// Every number inside an `invisibles…` key or a `secret` ranking component.
fn numbers_under_invisibles(v: &serde_json::Value, inside: bool, out: &mut Vec<f64>) {
    match v {
        serde_json::Value::Number(n) if inside => out.extend(n.as_f64()),
        serde_json::Value::Array(a) => a
            .iter()
            .for_each(|x| numbers_under_invisibles(x, inside, out)),
        serde_json::Value::Object(o) => {
            // A ranking component of key `invisibles`: its raw value.
            if o.get("key").and_then(|k| k.as_str()) == Some("invisibles") {
                out.extend(o.get("value").and_then(serde_json::Value::as_f64));
            }
            o.iter().for_each(|(k, x)| {
                numbers_under_invisibles(x, inside || k.starts_with("invisibles"), out)
            });
        }
        _ => {}
    }
}

#[tokio::test]
async fn no_value_under_eleven_leaves_through_the_api_the_ranking_or_the_csv() {
    let dir = synthetic_territory();
    let t = Territory::from_path(&dir.path().join("territory.toml")).unwrap();
    let (ds, report) = repere_engine::load::load(&t).unwrap();
    let state = AppState::new(Arc::new(Analysis::build_default(ds, report).unwrap()));
    let mut numbers = Vec::new();
    let mut secrets = 0;
    for url in [
        "/api/communes/76540",
        "/api/communes/76108",
        "/api/communes/76231",
        "/api/communes/76157",
        "/api/qpv/QN07610M",
        "/api/communes",
        "/api/ranking?weights=invisibles%3D5",
    ] {
        let (status, body) = get(&state, url).await;
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
        // The ranking's weights (`weights.invisibles = 5`) are parameters, not figures.
        if let Some(o) = v.as_object_mut() {
            o.remove("weights");
        }
        numbers_under_invisibles(&v, false, &mut numbers);
        secrets += body.matches("\"< 11\"").count();
    }
    assert!(numbers.len() > 20, "{numbers:?}");
    assert!(numbers.iter().all(|v| *v >= 11.0), "{numbers:?}");
    // Bois-Guillaume's bounds, Elbeuf's 7 and the QPV's 9 followed are all written "< 11".
    assert!(secrets >= 4, "{secrets} secrets");
    let (_, qpv) = get(&state, "/api/qpv/QN07610M").await;
    let qpv: serde_json::Value = serde_json::from_str(&qpv).unwrap();
    assert_eq!(qpv["invisibles"]["followed"][0]["count"], "< 11");
    assert_eq!(
        qpv["invisibles"]["followed"][0]["label"],
        "Prévention spécialisée"
    );
    let (_, ranking) = get(&state, "/api/ranking?weights=invisibles%3D5").await;
    let ranking: serde_json::Value = serde_json::from_str(&ranking).unwrap();
    assert_eq!(ranking["weights"]["invisibles"], 5.0);
    let bg = ranking["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "76108")
        .unwrap();
    let c = bg["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "invisibles")
        .unwrap();
    assert_eq!(
        (c["secret"].as_bool(), c["value"].is_null()),
        (Some(true), true)
    );

    // The CSV: every invisibles number column ≥ 11, the range column says "< 11".
    let (status, csv) = get(&state, "/api/communes.csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let cols: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("invisibles") && *h != "invisibles_range")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(cols.len(), 3, "{headers:?}");
    let range = headers
        .iter()
        .position(|h| h == "invisibles_range")
        .unwrap();
    let mut seen = 0;
    for row in reader.records() {
        let row = row.unwrap();
        for &c in &cols {
            if !row[c].is_empty() {
                let v: f64 = row[c].parse().unwrap();
                assert!(v >= 11.0 && v % 10.0 == 0.0, "{} = {v}", &headers[c]);
                seen += 1;
            }
        }
        if &row[0] == "76108" {
            assert_eq!(&row[range], "< 11");
        }
    }
    assert!(seen >= 6);
}

#[test]
fn repere_check_lists_the_follow_up_sources_and_their_dates() {
    let dir = synthetic_territory();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_repere"))
        .arg("--territory")
        .arg(dir.path().join("territory.toml"))
        .arg("check")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Jeunes suivis : 3 fichier(s), 4 communes et 1 QPV comptés"),
        "{text}"
    );
    assert!(
        text.contains(
            "source ML : Mission locale synthétique (test) ; 16-25 ans ; date 2024-12-31 ; par commune, 4 lieux"
        ),
        "{text}"
    );
    assert!(
        text.contains("source FT : France Travail synthétique (test) ; 16-24 ans ; date 2024-09"),
        "{text}"
    );
    assert!(
        text.contains(
            "source PREV : Prévention spécialisée ; 16-21 ans ; date 2024 ; par QPV, 1 lieux"
        ),
        "{text}"
    );
}

/// The coverage check of a site in Rouen on the synthetic territory: the invisibles within reach
/// are each reached commune's range (its unrounded NEET estimate minus the synthetic counts
/// written above) × the share of its young people in reached cells (the gap table's youth per
/// commune), added up and disclosed once; the printable report writes the same figure.
#[tokio::test]
async fn the_coverage_check_counts_the_invisibles_within_reach_with_secrecy() {
    let dir = synthetic_territory();
    let t = Territory::from_path(&dir.path().join("territory.toml")).unwrap();
    let (ds, report) = repere_engine::load::load(&t).unwrap();
    let state = AppState::new(Arc::new(Analysis::build_default(ds, report).unwrap()));
    let (status, _, body) = common::send(
        repere_server::app(state.clone()),
        Request::post("/api/coverage?minutes=15&group=ML")
            .header("content-type", "text/csv")
            .body(Body::from("lon,lat\n1.0993,49.4431\n"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let r: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let inv = &r["invisibles"];
    assert_eq!(inv["basis"], "local", "{inv}");
    // The synthetic counts per commune (the files written by `synthetic_territory`).
    let counts = |code: &str| -> Vec<f64> {
        match code {
            "76540" => vec![1800.0, 1200.0],
            "76157" => vec![300.0, 500.0],
            "76231" => vec![7.0],
            "76108" => vec![150.0, 185.0],
            _ => vec![],
        }
    };
    let (_, gaps) = get(&state, "/api/gaps?group=ML&minutes=15").await;
    let gaps: serde_json::Value = serde_json::from_str(&gaps).unwrap();
    let (mut low, mut high, mut counted) = (0.0, 0.0, Vec::new());
    for c in r["communes"].as_array().unwrap() {
        let code = c["code"].as_str().unwrap();
        let cs = counts(code);
        if cs.is_empty() {
            continue;
        }
        let (_, d) = get(&state, &format!("/api/communes/{code}")).await;
        let d: serde_json::Value = serde_json::from_str(&d).unwrap();
        let neet = d["estimated_neet_count"]["value"].as_f64().unwrap();
        let total = gaps["communes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["code"] == code)
            .unwrap()["youth_15_29"]
            .as_f64()
            .unwrap();
        let share = c["youth_reached"].as_f64().unwrap() / total;
        let sum: f64 = cs.iter().sum();
        let max = cs.iter().copied().fold(0.0, f64::max);
        low += (neet - sum).max(0.0) * share;
        high += (neet - max).max(0.0) * share;
        counted.push(code.to_owned());
    }
    assert!(counted.contains(&"76540".to_owned()), "{counted:?}");
    assert_eq!(inv["communes_counted"], serde_json::json!(counted));
    let disclose = |x: f64| {
        let v = (x / 10.0).round() * 10.0;
        if v < 11.0 {
            serde_json::json!("< 11")
        } else {
            serde_json::json!(v as u32)
        }
    };
    assert_eq!(inv["low_est"], disclose(low), "{inv}");
    assert_eq!(inv["high_est"], disclose(high), "{inv}");
    assert!(high > 20.0, "a real figure is checked: {low}..{high}");
    // Communes reached without counts are named, not filled in with another figure.
    assert_eq!(inv["national_order_est"], serde_json::Value::Null);

    // The printable report: the same figure, its sources and dates.
    let (status, html) = get(
        &state,
        "/coverage/report?sites=1.0993,49.4431&minutes=15&group=ML",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let line = html
        .split("<li id=\"invisibles\">")
        .nth(1)
        .and_then(|s| s.split("</li>").next())
        .unwrap_or_else(|| panic!("no invisibles line in {html}"));
    let amount = |d: &serde_json::Value| match d.as_u64() {
        Some(v) => repere_engine::indicator::secrecy::Disclosed::Value(v as u32).to_string(),
        None => "&lt; 11".to_owned(),
    };
    let (lo, hi) = (amount(&inv["low_est"]), amount(&inv["high_est"]));
    let expected = if lo == hi {
        format!("à portée, tous sites : {lo} jeunes NEET")
    } else {
        format!("à portée, tous sites : de {lo} à {hi} jeunes NEET")
    };
    assert!(line.contains(&expected), "{expected} not in {line}");
    for needle in [
        "Mission locale synthétique (test) (16-25 ans, 2024-12-31)",
        "France Travail synthétique (test) (16-24 ans, 2024-09)",
        "recensement 2013",
        "secret statistique",
    ] {
        assert!(line.contains(needle), "{needle} not in {line}");
    }
}

/// A saved project's report (HTML and PDF read back with `pdftotext`) on the synthetic
/// territory: its summary gives the invisibles within reach of all sites, the figure its
/// coverage (`GET /api/projects/{id}/coverage`) gives, with the follow-up sources and dates.
#[tokio::test]
async fn the_project_report_gives_the_invisibles_within_reach_as_its_coverage_says() {
    let dir = synthetic_territory();
    let t = Territory::from_path(&dir.path().join("territory.toml")).unwrap();
    let (ds, report) = repere_engine::load::load(&t).unwrap();
    let gpkg = dir.path().join("projets.gpkg");
    let loc = gpkg.to_str().unwrap().to_owned();
    let store = std::thread::spawn(move || repere_store::projects::open(&loc).unwrap())
        .join()
        .unwrap();
    let state = AppState::new(Arc::new(Analysis::build_default(ds, report).unwrap()))
        .with_projects(Arc::new(repere_server::projects::Projects::new(store)));
    let project = serde_json::json!({
        "title": "Aller vers les invisibles (essai)",
        "organisation": {"name": "Association Essai"},
        "sites": [{"name": "Rouen centre", "lon": 1.0993, "lat": 49.4431, "services": ["ML"]}]
    });
    let (status, _, body) = common::send(
        repere_server::app(state.clone()),
        Request::post("/api/projects")
            .header("content-type", "application/json")
            .body(Body::from(project.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, cov) = get(&state, &format!("/api/projects/{id}/coverage?minutes=15")).await;
    let cov: serde_json::Value = serde_json::from_str(&cov).unwrap();
    let inv = &cov["report"]["invisibles"];
    assert_eq!(inv["basis"], "local", "{inv}");
    let amount = |d: &serde_json::Value| match d.as_u64() {
        Some(v) => repere_engine::indicator::secrecy::Disclosed::Value(v as u32).to_string(),
        None => "< 11".to_owned(),
    };
    let (lo, hi) = (amount(&inv["low_est"]), amount(&inv["high_est"]));
    let expected = if lo == hi {
        format!(
            "Invisibles (jeunes NEET estimés sans suivi) à portée, tous sites : {lo} jeunes NEET estimés sans suivi à portée"
        )
    } else {
        format!(
            "Invisibles (jeunes NEET estimés sans suivi) à portée, tous sites : de {lo} à {hi} jeunes NEET estimés sans suivi à portée"
        )
    };
    let (status, html) = get(&state, &format!("/api/projects/{id}/report?minutes=15")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&repere_engine::text::escape_xml(&expected)),
        "{expected} not in the HTML"
    );
    let (status, _, pdf) = common::send(
        repere_server::app(state.clone()),
        Request::get(format!("/api/projects/{id}/report.pdf?minutes=15"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let path = dir.path().join("rapport.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // pdftotext writes the narrow no-break space of thousands as a space.
    let flat = |s: &str| s.replace('\u{202f}', " ");
    assert!(
        flat(&text).contains(&flat(&expected)),
        "{expected} not in the PDF: {text}"
    );
    assert!(
        text.contains("Mission locale synthétique (test) (16-25 ans, 2024-12-31)"),
        "{text}"
    );
}
