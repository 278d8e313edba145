//! `POST /api/suggest` (issue 30, siting that respects what exists) through the router on the
//! default data, with a real GeoPackage project store: the exact answer and its certificate, the
//! curve, suitable hosts and QPV cells as candidates; the page's planned sites and the stored
//! projects' sites held fixed (never proposed, their reach never a gain); bad input named.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use repere_server::AppState;
use serde_json::{Value, json};

const EDITOR: (&str, &str) = ("authorization", "Bearer jeton-alice-siting-0123456789");

fn serve(dir: &std::path::Path) -> AppState {
    let gpkg = dir.join("projets.gpkg");
    let location = gpkg.to_str().unwrap().to_owned();
    let tokens = common::edit_tokens(dir, "alice:jeton-alice-siting-0123456789\n");
    let state = common::editable_state(Some(&location), Some(tokens));
    let store = std::thread::spawn(move || repere_store::projects::open(&location).unwrap())
        .join()
        .unwrap();
    state.with_projects(Arc::new(repere_server::projects::Projects::new(store)))
}

async fn suggest(state: &AppState, body: Value, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let (s, _, v) = common::request_json(state, "POST", "/api/suggest", headers, Some(body)).await;
    (s, v)
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[tokio::test]
async fn suggest_api_is_exact_and_holds_planned_and_stored_sites_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let st = serve(dir.path());
    // The longest time limit: the proof must not depend on the machine's load.
    let ask = json!({"group": "ML", "minutes": 20, "k": 5, "time_limit_s": 60});
    let (s, free) = suggest(&st, ask.clone(), &[]).await;
    assert_eq!(s, StatusCode::OK, "{free}");
    let c = &free["certificate"];
    assert_eq!(c["model"], "exact", "{c}");
    assert_eq!(c["proof"], "optimal", "{c}");
    assert_eq!(f(&c["gap_pct"]), 0.0);
    assert!(f(&c["objective"]) >= f(&c["greedy_objective"]));
    let method = free["method"].as_str().unwrap();
    for part in [
        "modèle exact",
        "optimum prouvé, écart d'optimalité 0 %",
        &format!("temps de résolution : {} ms", c["solve_ms"]),
    ] {
        assert!(method.contains(part), "{part} not in {method}");
    }
    assert_eq!(free["curve"].as_array().unwrap().len(), 10);
    assert!((f(&free["curve"][4]["youth_reached"]) - f(&c["objective"])).abs() < 1e-6);
    assert!(f(&free["candidates_by_source"]["qpv_cell"]) > 100.0);
    assert!(f(&free["candidates_by_source"]["host"]) > 10.0);
    let picks = free["picks"].as_array().unwrap();
    assert_eq!(picks.len(), 5);
    for p in picks {
        let name = p["candidate"]["name"].as_str().unwrap();
        assert!(
            !name.contains("Multi-accueil") && !name.contains("Stade"),
            "{name}"
        );
        let kind = p["candidate"]["kind_fr"].as_str().unwrap();
        assert!(
            kind.starts_with("structure d'accueil : ")
                || kind == "cellule de QPV : une salle à trouver ici",
            "{kind}"
        );
    }
    let first = &picks[0]["candidate"];
    let (lon, lat) = (f(&first["lon"]), f(&first["lat"]));

    // The owner stores a project with a mission locale site at the first pick.
    let project = json!({
        "title": "Permanence au premier lieu proposé",
        "organisation": {"name": "Association Essai Jeunesse"},
        "sites": [{"name": "Permanence", "lon": lon, "lat": lat, "services": ["ML"]}]
    });
    let (s, _, created) =
        common::request_json(&st, "POST", "/api/projects", &[], Some(project)).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let mut with_project = ask.clone();
    with_project["projects"] = json!([id]);
    let (s, fixed) = suggest(&st, with_project, &[]).await;
    assert_eq!(s, StatusCode::OK, "{fixed}");
    assert_eq!(fixed["fixed"]["planned"], 1);
    assert_eq!(fixed["fixed"]["planned_for_group"], 1);
    let planned_youth = f(&fixed["fixed"]["planned_youth"]);
    assert!(planned_youth > 0.0);
    // Its reach is out of the gap young people: never a gain.
    assert!(
        (f(&fixed["gap_youth"]) + planned_youth - f(&free["gap_youth"])).abs() < 1e-6,
        "{} + {planned_youth} vs {}",
        fixed["gap_youth"],
        free["gap_youth"]
    );
    for p in fixed["picks"].as_array().unwrap() {
        assert_ne!(p["candidate"]["id"], first["id"]);
        let (dx, dy) = (
            (f(&p["candidate"]["lon"]) - lon) * 72_800.0,
            (f(&p["candidate"]["lat"]) - lat) * 111_200.0,
        );
        assert!((dx * dx + dy * dy).sqrt() > 140.0, "{p}");
    }
    assert_eq!(fixed["certificate"]["proof"], "optimal");
    // The same site as the page's planned scenario: the same answer.
    let mut with_planned = ask.clone();
    with_planned["planned"] = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"name": "Permanence", "group": "ML"}}]});
    let (s, page) = suggest(&st, with_planned, &[]).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["picks"], fixed["picks"]);
    assert_eq!(page["gap_youth"], fixed["gap_youth"]);

    // Every stored project: editors only.
    let mut all = ask.clone();
    all["projects"] = json!("all");
    let (s, v) = suggest(&st, all.clone(), &[]).await;
    assert!(
        s == StatusCode::UNAUTHORIZED || s == StatusCode::FORBIDDEN,
        "{s} {v}"
    );
    let (s, v) = suggest(&st, all, &[EDITOR]).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["fixed"]["planned"], 1);

    // Bad input, named.
    let mut unknown = ask.clone();
    unknown["projects"] = json!(["pas-un-projet"]);
    let (s, v) = suggest(&st, unknown, &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["parameter"], "projects[0]", "{v}");
    let mut slow = ask.clone();
    slow["time_limit_s"] = json!(0);
    let (s, v) = suggest(&st, slow, &[]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["parameter"], "time_limit_s", "{v}");
}
