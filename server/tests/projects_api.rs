//! Projects over HTTP on real stores (GeoPackage and a real PostgreSQL/PostGIS cluster):
//! creating needs no token and gives a read link and an edit key; a wrong key or the read link
//! alone cannot edit (403, French); the key edits; editors list every project; bad fields are
//! refused naming their path; the coverage counts a site once per service; the report (HTML
//! and PDF, read back with poppler's `pdftotext` and `pdfinfo`) carries the project's identity,
//! the sites' days and hours, the census vintage and the caveat of the Elbeuf mission locale
//! known by address only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use repere_server::AppState;
use serde_json::{Value, json};

const EDITOR: (&str, &str) = ("authorization", "Bearer jeton-alice-projets-0123456789");

/// A state with actors and projects over the store at `location`.
fn serve(location: &str, dir: &std::path::Path) -> AppState {
    let tokens = common::edit_tokens(dir, "alice:jeton-alice-projets-0123456789\n");
    let state = common::editable_state(Some(location), Some(tokens));
    let loc = location.to_owned();
    let store = std::thread::spawn(move || repere_store::projects::open(&loc).unwrap())
        .join()
        .unwrap();
    state.with_projects(Arc::new(repere_server::projects::Projects::new(store)))
}

/// Two sites chosen by the test in Elbeuf and in the Hauts de Rouen (positions on the map, as a
/// user's click would give; not addresses of real structures).
fn project() -> Value {
    json!({
        "title": "Aller vers les jeunes de la boucle d'Elbeuf",
        "organisation": {"name": "Association Essai Jeunesse", "siret": "120 027 016 00019", "contact": "Camille Martin, 02 00 00 00 00"},
        "communes": ["76231", "76540"],
        "qpv": ["QN07613M"],
        "public": "Jeunes de 16 à 25 ans sans emploi ni formation",
        "youth_target": 120,
        "budget_eur": 48500,
        "sites": [
            {"name": "Permanence Elbeuf centre", "address": "place de la mairie, Elbeuf", "lon": 1.0092, "lat": 49.2868,
             "services": ["ML", "FT"], "opening_hours": {"mardi": "09:00-12:00", "jeudi": "14:00-17:30"}, "host": "Centre social"},
            {"name": "Antenne des Hauts de Rouen", "lon": 1.113, "lat": 49.4608, "services": ["ML"],
             "opening_hours": {"lundi": "9h-12h"}}
        ]
    })
}

async fn json_req(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (s, _, v) = common::request_json(state, method, url, headers, body).await;
    (s, v)
}

async fn raw(state: &AppState, url: &str) -> (StatusCode, Vec<u8>) {
    let (s, _, b) = common::send(
        repere_server::app(state.clone()),
        Request::get(url).body(Body::empty()).unwrap(),
    )
    .await;
    (s, b.to_vec())
}

async fn scenario(state: &AppState) {
    // Created without any token: read link and edit key.
    let (s, c) = json_req(state, "POST", "/api/projects", &[], Some(project())).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_str().unwrap().to_owned();
    let key = c["edit_key"].as_str().unwrap().to_owned();
    assert!(key.len() >= 32, "at least 128 bits: {key}");
    assert_eq!(c["project"]["organisation"]["siret"], "12002701600019");
    assert_eq!(
        c["project"]["sites"][1]["opening_hours"]["lundi"],
        "09:00-12:00"
    );
    let url = format!("/api/projects/{id}");
    let (s, read) = json_req(state, "GET", &url, &[], None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(read["project"]["title"], project()["title"]);
    assert!(read.get("edit_key").is_none() && !read.to_string().contains(&key));

    // The read link alone, or a wrong key, cannot edit: 403 in French; nothing changes.
    let mut changed = project();
    changed["title"] = "Titre modifié".into();
    let (s, e) = json_req(state, "PUT", &url, &[], Some(changed.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("lecture seule"),
        "{e}"
    );
    let wrong = format!("{}0", &key[..key.len() - 1]);
    let wrong = if wrong == key {
        format!("{}1", &key[..key.len() - 1])
    } else {
        wrong
    };
    let (s, e) = json_req(
        state,
        "PUT",
        &format!("{url}?key={wrong}"),
        &[],
        Some(changed.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("clé d'édition incorrecte"),
        "{e}"
    );
    let (s, e) = json_req(
        state,
        "PATCH",
        &url,
        &[("x-edit-key", "pas-la-bonne-cle")],
        Some(json!({"title": "x"})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (_, read) = json_req(state, "GET", &url, &[], None).await;
    assert_eq!(read["project"]["title"], project()["title"]);
    assert_eq!(read["version"], 1);

    // The key edits (header or query); a stale If-Match is a conflict.
    let (s, v) = json_req(
        state,
        "PUT",
        &format!("{url}?key={key}"),
        &[],
        Some(changed),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 2);
    let (s, v) = json_req(
        state,
        "PATCH",
        &url,
        &[("x-edit-key", &key), ("if-match", "\"v2\"")],
        Some(json!({"budget_eur": 50000.5})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["version"].as_u64(), v["project"]["title"].as_str()),
        (Some(3), Some("Titre modifié"))
    );
    let (s, _) = json_req(
        state,
        "PATCH",
        &url,
        &[("x-edit-key", &key), ("if-match", "\"v2\"")],
        Some(json!({"budget_eur": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Bad fields are refused naming their path; nothing is stored.
    for (body, field) in [
        (
            json!({"sites": [project()["sites"][0], {"name": "B", "lon": 1.113, "lat": 49.4608, "services": ["ML"], "opening_hours": {"mardi": "9h-midi"}}]}),
            "sites[1].opening_hours.mardi",
        ),
        (
            json!({"organisation": {"name": "A", "siret": "12002701600018"}}),
            "organisation.siret",
        ),
        (json!({"communes": ["75056"]}), "communes[0]"),
        (json!({"qpv": ["QN07699X"]}), "qpv[0]"),
        (
            json!({"sites": [{"name": "Loin", "lon": 2.35, "lat": 48.85, "services": ["ML"]}]}),
            "sites[0].lon",
        ),
        (
            json!({"sites": [{"name": "Sans service", "services": []}]}),
            "sites[0].services",
        ),
        (json!({"budget_eur": -3}), "budget_eur"),
        (json!({"titre": "faute de frappe"}), "titre"),
    ] {
        let (s, e) = json_req(state, "PATCH", &url, &[("x-edit-key", &key)], Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {e}");
        assert_eq!(e["parameter"], field, "{e}");
        assert!(e["error"].as_str().unwrap().contains(field), "{e}");
    }
    let (_, read) = json_req(state, "GET", &url, &[], None).await;
    assert_eq!(read["version"], 3);

    // Duplicate: a new link and key; the original unchanged.
    let (s, d) = json_req(state, "POST", &format!("{url}/duplicate"), &[], None).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_ne!(d["id"], read["id"]);
    assert_ne!(d["edit_key"].as_str(), Some(key.as_str()));
    assert_eq!(d["project"]["title"], "Titre modifié (copie)");

    // Editors list every project; others cannot.
    let (s, _) = json_req(state, "GET", "/api/projects", &[], None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, l) = json_req(state, "GET", "/api/projects", &[EDITOR], None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["projects"].as_array().unwrap().len(), 2);

    // Exports.
    let (s, g) = json_req(state, "GET", &format!("{url}/sites.geojson"), &[], None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(g["features"][0]["geometry"]["coordinates"][0], 1.0092);
    assert_eq!(
        g["features"][0]["properties"]["services"],
        json!(["ML", "FT"])
    );
    let (s, body) = raw(state, &format!("{url}/sites.csv")).await;
    assert_eq!(s, StatusCode::OK);
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains("mardi 09:00-12:00 ; jeudi 14:00-17:30"),
        "{text}"
    );

    // Every documented GET path of the projects answers (an editor's token where needed).
    let ops = repere_server::routes::operations();
    let gets: Vec<_> = ops
        .iter()
        .filter(|o| o.method == "get" && o.path.starts_with("/api/projects"))
        .collect();
    assert!(gets.len() >= 8, "{gets:?}");
    for op in gets {
        let path = op.path.replace("{id}", &id);
        let (s, _, _) = common::send(
            repere_server::app(state.clone()),
            Request::get(&path)
                .header(EDITOR.0, EDITOR.1)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(s.is_success(), "GET {path}: {s}");
    }
}

/// A project whose text starts like a formula exports as text, not as a formula; numbers stay
/// numbers.
async fn csv_is_neutralised(state: &AppState) {
    let mut p = project();
    p["title"] = "=HYPERLINK(\"http://exemple.invalid\")".into();
    p["organisation"]["name"] = "+33 Association".into();
    p["sites"][0]["name"] = "@Site".into();
    p["sites"][0]["lon"] = 1.0092.into();
    let (s, c) = json_req(state, "POST", "/api/projects", &[], Some(p)).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (_, body) = raw(
        state,
        &format!("/api/projects/{}/sites.csv", c["id"].as_str().unwrap()),
    )
    .await;
    let text = String::from_utf8(body).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let row = r.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://exemple.invalid\")");
    assert_eq!(&row[2], "'+33 Association");
    assert_eq!(&row[11], "'@Site");
    assert_eq!(&row[16], "1.0092");
}

#[tokio::test]
async fn projects_on_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("projets.gpkg");
    let state = serve(gpkg.to_str().unwrap(), dir.path());
    scenario(&state).await;
    csv_is_neutralised(&state).await;
    // GDAL reads the project sites as a point layer.
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", gpkg.to_str().unwrap(), "project_sites"])
        .output()
        .expect("ogrinfo (gdal-bin, installed by scripts/install-store-deps.sh)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Geometry: Point"), "{text}");
    assert!(text.contains("Feature Count: 6"), "{text}");
    // A new server over the same file serves the projects.
    drop(state);
    let state = serve(gpkg.to_str().unwrap(), dir.path());
    let (s, l) = json_req(&state, "GET", "/api/projects", &[EDITOR], None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["projects"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn projects_on_postgis() {
    let pg = std::thread::spawn(|| {
        let pg = repere_store::testing::TempPostgres::start().unwrap();
        let url = pg.database("projets").unwrap();
        (pg, url)
    })
    .join()
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = serve(&pg.1, dir.path());
    scenario(&state).await;
    csv_is_neutralised(&state).await;
}

#[tokio::test]
async fn coverage_counts_each_service_of_a_site_and_the_report_says_what_it_rests_on() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("rapport.gpkg");
    let state = serve(gpkg.to_str().unwrap(), dir.path());
    let (s, c) = json_req(&state, "POST", "/api/projects", &[], Some(project())).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_str().unwrap();

    // Coverage: three (site, service) pairs; ML counts both sites, FT the Elbeuf one.
    let (s, cov) = json_req(
        &state,
        "GET",
        &format!("/api/projects/{id}/coverage?minutes=15"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{cov}");
    let r = &cov["report"];
    assert_eq!(r["sites"].as_array().unwrap().len(), 3);
    assert_eq!(cov["site_of"], json!([0, 0, 1]));
    let group = |g: &str| {
        r["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["group"] == g)
            .unwrap()
            .clone()
    };
    let (ml, ft) = (group("ML"), group("FT"));
    assert_eq!(ml["site_ids"].as_array().unwrap().len(), 2);
    assert_eq!(ft["site_ids"], json!(["site-1-FT"]));
    // The Elbeuf site reaches the same young people for both services.
    assert_eq!(
        r["sites"][0]["youth_reached"],
        r["sites"][1]["youth_reached"]
    );
    assert!(ft["youth_reached"].as_f64().unwrap() > 100.0, "{ft}");
    // The Elbeuf mission locale, known by address, is named for the ML group only.
    let caveats = cov["address_only"].as_array().unwrap();
    assert_eq!(caveats.len(), 1, "{caveats:?}");
    assert_eq!(caveats[0]["group"], "ML");
    assert!(caveats[0]["actors"].to_string().contains("Elbeuf"));
    // On its own line: the Elbeuf site's ML figures name the Elbeuf mission locale, not the
    // Rouen one; its FT figures name none.
    let per_site = cov["site_address_only"].as_array().unwrap();
    let names = |k: usize| per_site[k].to_string();
    assert!(
        names(0).contains("Elbeuf") && !names(0).contains("Rouen"),
        "{}",
        names(0)
    );
    assert_eq!(per_site[1], json!([]));
    assert!(
        r["sites"][1]["youth_newly_covered"].as_f64().unwrap()
            < r["sites"][1]["youth_reached"].as_f64().unwrap()
    );
    assert_eq!(
        r["sites"][0]["youth_newly_covered"], r["sites"][0]["youth_reached"],
        "no ML is placed"
    );

    // The HTML report.
    let (s, html) = raw(&state, &format!("/api/projects/{id}/report?minutes=15")).await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    if let Ok(out) = std::env::var("REPERE_REPORT_OUT") {
        std::fs::write(format!("{out}.html"), &html).unwrap();
    }
    for needle in [
        "Aller vers les jeunes de la boucle d",
        "Association Essai Jeunesse",
        "12002701600019",
        "Camille Martin",
        "Date du dossier",
        "mardi 09:00-12:00 ; jeudi 14:00-17:30",
        "lundi 09:00-12:00",
        "recensement INSEE 2013",
        "25 rue Camille-Randoing",
        "mais non placée",
        "Elbeuf",
        "@page",
        "break-inside:avoid",
        "table-header-group",
    ] {
        assert!(html.contains(needle), "{needle} missing");
    }
    assert!(
        !html.contains("Jours et horaires</th><td>—"),
        "hours dropped"
    );

    // The PDF: the same document, read back with poppler.
    let (s, pdf) = raw(&state, &format!("/api/projects/{id}/report.pdf?minutes=15")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    let path = dir.path().join("rapport.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = std::env::var("REPERE_REPORT_OUT") {
        std::fs::write(format!("{out}.pdf"), &pdf).unwrap();
    }
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils, installed by scripts/install-store-deps.sh)");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=8).contains(&pages), "{info}");
    assert!(info.contains("A4"), "{info}");
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Aller vers les jeunes de la boucle d'Elbeuf",
        "Association Essai Jeunesse",
        "Permanence Elbeuf centre",
        "Antenne des Hauts de Rouen",
        "mardi 09:00-12:00 ; jeudi 14:00-17:30",
        "recensement INSEE 2013",
        "25 rue Camille-Randoing",
        "mais non placée",
        // The sources with their vintages, from the manifest.
        "annuaire de l'administration DILA, vers 2019",
        "liste du 2024-08-01",
        // Names written on the map only (communes and QPV not reached, so in no table).
        "Oissel-sur-Seine",
        "Canteleu",
        "Parc du Robec",
        "Quartier prioritaire (QPV 2024)",
    ] {
        assert!(
            flat.contains(needle),
            "{needle} missing from the PDF:\n{text}"
        );
    }
    // No page without content: every page has text beyond its footer.
    let per_page: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(per_page.len(), pages, "a page is empty");
    for (i, p) in per_page.iter().enumerate() {
        let body = p.replace(&format!("page {} / {pages}", i + 1), "");
        assert!(
            body.split_whitespace().count() > 20,
            "page {} nearly empty: {p}",
            i + 1
        );
    }
}

/// A project whose only site is not placed yet: the coverage says so, the report and its PDF
/// still hold the identity and the site with its hours, on one page with content.
#[tokio::test]
async fn a_project_without_a_placed_site_has_a_report_without_map() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("sans_site.gpkg");
    let state = serve(gpkg.to_str().unwrap(), dir.path());
    let mut p = project();
    p["sites"] = json!([{"name": "Lieu à trouver", "address": "Elbeuf", "services": ["ML"],
                         "opening_hours": {"mercredi": "13:30-17:00"}}]);
    let (s, c) = json_req(&state, "POST", "/api/projects", &[], Some(p)).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_str().unwrap();
    let (s, cov) = json_req(
        &state,
        "GET",
        &format!("/api/projects/{id}/coverage"),
        &[],
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{cov}");
    assert!(cov["report"].is_null());
    assert_eq!(cov["unplaced"], json!([0]));
    let (s, pdf) = raw(&state, &format!("/api/projects/{id}/report.pdf")).await;
    assert_eq!(s, StatusCode::OK);
    let path = dir.path().join("sans_site.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(
        info.lines()
            .any(|l| l.starts_with("Pages:") && l.ends_with(" 1")),
        "{info}"
    );
    let text = std::process::Command::new("pdftotext")
        .args(["-raw", path.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let flat = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "Lieu à trouver",
        "mercredi 13:30-17:00",
        "non placé",
        "Aucun site du projet n'est encore placé",
    ] {
        assert!(flat.contains(needle), "{needle}: {flat}");
    }
}
