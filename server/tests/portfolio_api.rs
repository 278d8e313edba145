//! The portfolio over HTTP on a real GeoPackage store and the default Métropole data: three
//! stored projects (two with a budget, in Elbeuf and in the Hauts de Rouen, one without); the
//! portfolio answers editors only, with each project's coverage per service and what it alone
//! reaches; the selection under a budget that fits one project picks the one reaching more
//! young people (read back against the portfolio), never exceeds the budget, says it is proven
//! optimal by HiGHS, lists the project without a budget apart with its reason, and says what
//! the rejected project would have added; the decision note (HTML, and PDF read back with
//! poppler's `pdftotext`) holds the selection and that figure; bad fields are refused naming
//! them, in French.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use repere_server::AppState;
use serde_json::{Value, json};

const TOKEN: &str = "jeton-alice-portefeuille-0123456789";

fn serve(location: &str, dir: &std::path::Path) -> AppState {
    let tokens = common::edit_tokens(dir, &format!("alice:{TOKEN}\n"));
    let state = common::editable_state(Some(location), Some(tokens));
    let loc = location.to_owned();
    let store = std::thread::spawn(move || repere_store::projects::open(&loc).unwrap())
        .join()
        .unwrap();
    state.with_projects(Arc::new(repere_server::projects::Projects::new(store)))
}

/// Sites placed by the test (positions on the map, as a click would give).
fn project(title: &str, lon: f64, lat: f64, budget: Option<f64>) -> Value {
    let mut p = json!({
        "title": title,
        "organisation": {"name": "Association Essai Jeunesse"},
        "sites": [{"name": format!("Permanence {title}"), "lon": lon, "lat": lat, "services": ["ML"],
                   "opening_hours": {"mardi": "09:00-12:00"}}]
    });
    if let Some(b) = budget {
        p["budget_eur"] = b.into();
    }
    p
}

async fn req(
    state: &AppState,
    method: &str,
    url: &str,
    auth: bool,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let bearer = format!("Bearer {TOKEN}");
    let headers: Vec<(&str, &str)> = if auth {
        vec![("authorization", bearer.as_str())]
    } else {
        vec![]
    };
    let (s, _, v) = common::request_json(state, method, url, &headers, body).await;
    (s, v)
}

async fn raw(state: &AppState, url: &str) -> (StatusCode, Vec<u8>) {
    let (s, _, b) = common::send(
        repere_server::app(state.clone()),
        Request::get(url)
            .header("authorization", format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    (s, b.to_vec())
}

#[tokio::test]
async fn the_portfolio_selects_under_a_budget_and_the_note_says_what_the_rejected_project_would_add()
 {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("portefeuille.gpkg");
    let state = serve(gpkg.to_str().unwrap(), dir.path());
    let mut ids = Vec::new();
    for p in [
        project("Boucle d'Elbeuf", 1.0092, 49.2868, Some(40_000.0)),
        project("Hauts de Rouen", 1.113, 49.4608, Some(30_000.0)),
        project("Sans budget", 1.093, 49.433, None),
    ] {
        let (s, c) = req(&state, "POST", "/api/projects", false, Some(p)).await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        ids.push(c["id"].as_str().unwrap().to_owned());
    }

    // Editors only.
    let (s, e) = req(&state, "GET", "/api/portfolio", false, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    let (s, e) = req(
        &state,
        "POST",
        "/api/portfolio/select",
        false,
        Some(json!({"budget_eur": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");

    // The portfolio: every project, its coverage per service, what it newly reaches.
    let (s, v) = req(&state, "GET", "/api/portfolio?service=ML", true, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let lines = v["overview"]["projects"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    let newly = |id: &str| {
        let l = lines.iter().find(|l| l["id"] == id).unwrap();
        assert_eq!(l["services"][0]["group"], "ML");
        // No mission locale is placed in the default data: every young person reached is new.
        assert_eq!(
            l["services"][0]["youth_newly_covered"],
            l["services"][0]["youth_reached"]
        );
        l["youth_newly"].as_f64().unwrap()
    };
    let (elbeuf, rouen) = (newly(&ids[0]), newly(&ids[1]));
    assert!(elbeuf > 100.0 && rouen > 100.0, "{elbeuf} {rouen}");
    assert!(
        lines[2]["not_selectable"]
            .as_str()
            .unwrap()
            .contains("budget non renseigné")
    );
    // The union counts each young person once: at most the sum, at least each project.
    let o = &v["overview"];
    let sum: f64 = lines
        .iter()
        .map(|l| l["youth_newly"].as_f64().unwrap())
        .sum();
    let union = o["union_youth"].as_f64().unwrap();
    assert!((o["sum_youth"].as_f64().unwrap() - sum).abs() < 1e-6);
    assert!(
        union <= sum + 1e-6 && union >= elbeuf.max(rouen) - 1e-6,
        "{union} {sum}"
    );

    // A budget that fits one of the two: the one reaching more.
    let (s, v) = req(
        &state,
        "POST",
        "/api/portfolio/select",
        true,
        Some(json!({"budget_eur": 45000, "service": "ML"})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let d = &v["decision"];
    let (win, lose, win_y, lose_y) = if elbeuf >= rouen {
        (&ids[0], &ids[1], elbeuf, rouen)
    } else {
        (&ids[1], &ids[0], rouen, elbeuf)
    };
    assert_eq!(d["selected"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(&d["selected"][0]["id"], win);
    assert!((d["youth"].as_f64().unwrap() - win_y).abs() < 1e-6);
    assert!(d["cost_eur"].as_f64().unwrap() <= 45000.0);
    assert_eq!(
        d["budget_left_eur"].as_f64().unwrap(),
        45000.0 - d["cost_eur"].as_f64().unwrap()
    );
    assert_eq!(d["model"], "exact");
    assert_eq!(d["certificate"], "optimal");
    assert_eq!(d["gap_pct"], 0.0);
    assert!(d["solve_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(&d["rejected"][0]["id"], lose);
    let added = d["rejected"][0]["marginal_youth"].as_f64().unwrap();
    assert!((added - lose_y).abs() < 1e-6, "{added} vs {lose_y}");
    assert_eq!(d["not_considered"][0]["id"], ids[2]);

    // The decision note, HTML and PDF.
    let note = v["links"]["note"].as_str().unwrap().to_owned();
    let (s, html) = raw(&state, &note).await;
    assert_eq!(s, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    let added_fr = repere_server::french::fr(added, 0);
    let win_title = if win == &ids[0] {
        "Boucle d"
    } else {
        "Hauts de Rouen"
    };
    for needle in [
        "Note de décision",
        "Projets retenus",
        win_title,
        "ce que chacun aurait ajouté",
        added_fr.as_str(),
        "optimum prouvé",
        "HiGHS",
        "Sans budget",
        "budget non renseigné",
        "45\u{202f}000 €",
    ] {
        assert!(html.contains(needle), "{needle} missing from the note");
    }
    // The same page from the form the web page posts (token in the body), and refused without it.
    let query = note.split_once('?').unwrap().1.to_owned();
    for (token, status) in [
        (format!("token={TOKEN}&"), StatusCode::OK),
        (String::new(), StatusCode::UNAUTHORIZED),
    ] {
        let (s, _, b) = common::send(
            repere_server::app(state.clone()),
            Request::post("/api/portfolio/note")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("{token}{query}")))
                .unwrap(),
        )
        .await;
        assert_eq!(s, status);
        if s == StatusCode::OK {
            let page = String::from_utf8(b.to_vec()).unwrap();
            assert!(
                page.contains("Note de décision")
                    && page.contains(win_title)
                    && page.contains(added_fr.as_str())
            );
        }
    }
    let (s, pdf) = raw(&state, v["links"]["note_pdf"].as_str().unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
    let path = dir.path().join("note.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    // The PDF's text may give the narrow no-break space of French numbers as a space.
    let text = String::from_utf8_lossy(&out.stdout).replace(['\u{202f}', '\u{a0}'], " ");
    let added_pdf = added_fr.replace('\u{202f}', " ");
    for needle in [
        "Note de décision",
        "Projets retenus",
        "optimum prouvé",
        "Sans budget",
        added_pdf.as_str(),
    ] {
        assert!(
            text.contains(needle),
            "{needle} missing from the PDF: {text}"
        );
    }

    // Bad fields, refused naming them.
    for (body, field) in [
        (json!({}), "budget_eur"),
        (json!({"budget_eur": -5}), "budget_eur"),
        (json!({"budget_eur": 10.001}), "budget_eur"),
        (
            json!({"budget_eur": 1000, "weighting": "au hasard"}),
            "weighting",
        ),
        (
            json!({"budget_eur": 1000, "weighting": "invisibles"}),
            "weighting",
        ),
        (json!({"budget_eur": 1000, "service": "XYZ"}), "service"),
        (json!({"budget_eur": 1000, "minutes": "500"}), "minutes"),
        (json!({"budget": 1000}), "budget"),
    ] {
        let (s, e) = req(&state, "POST", "/api/portfolio/select", true, Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {e}");
        assert_eq!(e["parameter"], field, "{e}");
    }
    let (s, e) = req(&state, "GET", "/api/portfolio/note", true, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["parameter"], "budget_eur");
}
