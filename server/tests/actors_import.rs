//! Importing actors over HTTP on a real GeoPackage store: a preview names each bad line and
//! field and stores nothing; a commit stores every line as one batch with one rebuild, or
//! refuses the whole file; the inventory's own exports read back; opening hours of the whole
//! week are checked and kept; every `/api/actors` route is in the OpenAPI document.
//!
//! The import files are synthetic fixtures built here: their points are positions chosen by the
//! test inside Rouen and Elbeuf (as a user would put them), not coordinates of real actors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use repere_server::AppState;
use serde_json::{Value, json};

const AUTH: (&str, &str) = ("authorization", "Bearer jeton-alice-123-0123456789");

fn serve(dir: &std::path::Path, tokens: bool) -> AppState {
    let tokens = tokens.then(|| common::edit_tokens(dir, "alice:jeton-alice-123-0123456789\n"));
    common::editable_state(Some(&dir.join("repere.gpkg").display().to_string()), tokens)
}

async fn call(
    state: &AppState,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    common::request(state, method, url, headers, body).await
}

async fn actor_count(state: &AppState) -> usize {
    let (_, _, list) = call(state, "GET", "/api/actors", &[], Body::empty()).await;
    list["actors"].as_array().unwrap().len()
}

/// A French spreadsheet's CSV: BOM, `;`, decimal commas; two valid lines (one without a point)
/// and one error of each kind.
fn csv_with_errors() -> Vec<u8> {
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(
        "nom;typologie;longitude;latitude;adresse;code_insee;lundi;mardi\n\
         Permanence test A;CS;1,0938;49,4300;;;09:00-12:00, 14:00-17:00;\n\
         Permanence test B;ASSO;;;12 rue de test;76231;;9h-12h\n\
         Permanence test C;XYZ;1,0938;49,4300;;;;\n\
         ;CS;1,0938;49,4300;;;;\n\
         Permanence test E;CS;2,35;48,85;;;;\n\
         Permanence test F;CS;1,09x;49,43;;;;\n\
         Permanence test G;CS;1,0938;49,4300;;;12:00-09:00;\n\
         Permanence test H;ML;;;;76540;;\n"
            .as_bytes(),
    );
    b
}

#[tokio::test]
async fn a_preview_names_each_bad_line_and_field_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(dir.path(), true);
    let before = (
        state.analysis().version().to_owned(),
        actor_count(&state).await,
    );
    let (s, _, p) = call(
        &state,
        "POST",
        "/api/actors/import?mode=preview&name=acteurs.csv",
        &[("content-type", "text/csv")],
        csv_with_errors(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        (p["format"].as_str(), p["lines"].as_u64()),
        (Some("csv"), Some(8))
    );
    assert_eq!(
        (p["valid"].as_u64(), p["errors"].as_u64()),
        (Some(2), Some(6)),
        "{p}"
    );
    assert_eq!(p["committable"], false);
    assert!(
        p["summary"].as_str().unwrap().contains("6 en erreur"),
        "{p}"
    );
    let items = p["items"].as_array().unwrap();
    let line = |label: &str| items.iter().find(|i| i["label"] == label).unwrap();
    // Decimal commas read, the point's commune found; hours kept in the canonical form.
    let a = line("ligne 2");
    assert_eq!(
        (a["status"].as_str(), a["commune_name"].as_str()),
        (Some("placed"), Some("Rouen")),
        "{a}"
    );
    assert!((a["lon"].as_f64().unwrap() - 1.0938).abs() < 1e-9);
    assert_eq!(a["opening_hours"]["lundi"], "09:00-12:00, 14:00-17:00");
    let b = line("ligne 3");
    assert_eq!(
        (b["status"].as_str(), b["commune_name"].as_str()),
        (Some("to_place"), Some("Elbeuf")),
        "{b}"
    );
    assert_eq!(b["opening_hours"]["mardi"], "09:00-12:00");
    for (label, field, words) in [
        ("ligne 4", "typologie", "inconnu"),
        ("ligne 5", "nom", "vide"),
        ("ligne 6", "longitude", "hors du territoire"),
        ("ligne 7", "longitude", "illisible"),
        ("ligne 8", "lundi", "fin doit suivre"),
        ("ligne 9", "adresse", "adresse est obligatoire"),
    ] {
        let e = &line(label)["error"];
        assert_eq!(e["field"], field, "{label}: {e}");
        let m = e["message"].as_str().unwrap();
        assert!(
            m.starts_with(&format!("{label}, champ `{field}` : ")) && m.contains(words),
            "{label}: {m}"
        );
    }
    // Nothing stored, nothing rebuilt.
    let after = (
        state.analysis().version().to_owned(),
        actor_count(&state).await,
    );
    assert_eq!(before, after);

    // A commit of this file: 401 without a token, then refused whole (400 naming the body).
    let url = "/api/actors/import?mode=commit&name=acteurs.csv";
    let (s, _, _) = call(&state, "POST", url, &[], csv_with_errors()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, e) = call(&state, "POST", url, &[AUTH], csv_with_errors()).await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{e}"
    );
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("6 lignes en erreur ; la première : ligne 4"),
        "{e}"
    );
    assert_eq!(actor_count(&state).await, before.1);
    assert_eq!(state.inventory.clone().unwrap().rebuild_count(), 0);

    // A read-only server previews but never commits.
    let ro_dir = tempfile::tempdir().unwrap();
    let ro = serve(ro_dir.path(), false);
    let (s, _, _) = call(&ro, "POST", "/api/actors/import", &[], csv_with_errors()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = call(&ro, "POST", url, &[AUTH], csv_with_errors()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_valid_geojson_is_committed_as_one_batch_with_one_rebuild_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(dir.path(), true);
    let before = actor_count(&state).await;
    let version = state.analysis().version().to_owned();
    let geojson = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.0938, 49.4300]},
         "properties": {"nom": "Point test 1", "typologie": "PIJ_BIJ", "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.0100, 49.2900]},
         "properties": {"name": "Point test 2", "kind": "asso"}},
        {"type": "Feature", "geometry": null,
         "properties": {"nom": "Point test 3", "typologie": "CS", "adresse": "1 place de test", "code_insee": "76540"}},
    ]});
    let (s, _, p) = call(
        &state,
        "POST",
        "/api/actors/import?name=points.geojson",
        &[],
        geojson.to_string(),
    )
    .await;
    assert_eq!(
        (s, p["format"].as_str()),
        (StatusCode::OK, Some("geojson")),
        "{p}"
    );
    assert_eq!(
        (p["committable"].as_bool(), p["to_place"].as_u64()),
        (Some(true), Some(1)),
        "{p}"
    );
    assert_eq!(p["items"][0]["opening_hours"]["samedi"], "10:00-12:00");
    assert_eq!(
        p["items"][0]["opening_hours"]["vendredi"],
        "09:00-12:00, 14:00-17:00"
    );
    assert_eq!(p["items"][1]["kind"], "asso");
    assert_eq!(p["items"][1]["commune_name"], "Elbeuf");
    assert_eq!(p["items"][2]["label"], "objet 3");

    let (s, _, c) = call(
        &state,
        "POST",
        "/api/actors/import?mode=commit&name=points.geojson&reason=inventaire%20de%20terrain",
        &[AUTH],
        geojson.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (c["imported"].as_u64(), c["to_place"].as_u64()),
        (Some(3), Some(1))
    );
    assert_ne!(c["dataset_version"], version.as_str());
    assert_eq!(
        state.inventory.clone().unwrap().rebuild_count(),
        1,
        "one rebuild for the file"
    );
    assert_eq!(actor_count(&state).await, before + 3);
    let ids: Vec<String> = c["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_owned())
        .collect();
    // Each line is an edit of kind `import`, with the author and the reason; one batch: seq follow.
    let mut seqs = Vec::new();
    for id in &ids {
        let (_, _, h) = call(
            &state,
            "GET",
            &format!("/api/actors/{id}/history"),
            &[],
            Body::empty(),
        )
        .await;
        assert_eq!(
            (h[0]["kind"].as_str(), h[0]["author"].as_str()),
            (Some("import"), Some("alice"))
        );
        assert_eq!(
            h[0]["reason"],
            "import du fichier points.geojson : inventaire de terrain"
        );
        seqs.push(h[0]["seq"].as_i64().unwrap());
    }
    assert_eq!(seqs[2] - seqs[0], 2);
    let (_, _, a) = call(
        &state,
        "GET",
        &format!("/api/actors/{}", ids[2]),
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(
        (a["status"].as_str(), a["source"].as_str()),
        (Some("to_place"), Some("import"))
    );

    // A restart on the same store serves the import.
    drop(state);
    let restarted = serve(dir.path(), true);
    restarted
        .inventory
        .clone()
        .unwrap()
        .catch_up(&restarted)
        .await
        .unwrap();
    assert_eq!(actor_count(&restarted).await, before + 3);
    let (_, _, a) = call(
        &restarted,
        "GET",
        &format!("/api/actors/{}", ids[0]),
        &[],
        Body::empty(),
    )
    .await;
    assert_eq!(a["opening_hours"]["samedi"], "10:00-12:00", "{a}");
}

#[tokio::test]
async fn the_inventory_exports_read_back_as_valid_imports() {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(dir.path(), true);
    let count = actor_count(&state).await;
    let app = || repere_server::app(state.clone());
    for (export, format) in [("export.json", "data-inclusion"), ("export.csv", "csv")] {
        let (s, _, body) = common::call(app(), &format!("/api/actors/{export}"), &[]).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _, p) = call(&state, "POST", "/api/actors/import", &[], body).await;
        assert_eq!(
            (s, p["format"].as_str()),
            (StatusCode::OK, Some(format)),
            "{export}"
        );
        assert_eq!(p["lines"].as_u64(), Some(count as u64), "{export}");
        let errors: Vec<&Value> = p["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| !i["error"].is_null())
            .collect();
        assert!(errors.is_empty(), "{export}: {errors:?}");
        // The two missions locales known by address only stay to place.
        assert_eq!(p["to_place"].as_u64(), Some(2), "{export}");
    }
    // France services' published hours come back in the canonical form.
    let (_, _, body) = common::call(app(), "/api/actors/export.json", &[]).await;
    let (_, _, p) = call(&state, "POST", "/api/actors/import", &[], body).await;
    let with_hours = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["opening_hours"]
                .as_object()
                .is_some_and(|h| !h.is_empty())
        })
        .count();
    let (_, _, list) = call(&state, "GET", "/api/actors", &[], Body::empty()).await;
    let loaded_with_hours = list["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["opening_hours"]
                .as_object()
                .is_some_and(|h| !h.is_empty())
        })
        .count();
    assert_eq!(with_hours, loaded_with_hours);
    assert!(with_hours >= 10, "{with_hours}");
}

#[tokio::test]
async fn bad_files_and_parameters_get_french_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(dir.path(), true);
    for (url, body, status, param) in [
        (
            "/api/actors/import?mode=envoyer",
            "nom\nx\n".to_owned(),
            StatusCode::BAD_REQUEST,
            Some("mode"),
        ),
        (
            "/api/actors/import?format=xls",
            "nom\nx\n".to_owned(),
            StatusCode::BAD_REQUEST,
            Some("format"),
        ),
        (
            "/api/actors/import",
            "nom;typologie\n".to_owned(),
            StatusCode::BAD_REQUEST,
            Some("body"),
        ),
        (
            "/api/actors/import",
            "{\"type\": \"FeatureCollection\", \"features\": [".to_owned(),
            StatusCode::BAD_REQUEST,
            Some("body"),
        ),
        (
            "/api/actors/import",
            "x".repeat(5 * 1024 * 1024),
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("body"),
        ),
    ] {
        let (s, _, e) = call(&state, "POST", url, &[], body).await;
        assert_eq!((s, e["parameter"].as_str()), (status, param), "{url}: {e}");
        assert!(!e["error"].as_str().unwrap().is_empty());
    }
    let (_, _, e) = call(&state, "POST", "/api/actors/import", &[], "nom;typologie\n").await;
    assert!(e["error"].as_str().unwrap().contains("aucun acteur"), "{e}");
}

#[tokio::test]
async fn opening_hours_of_every_weekday_are_checked_kept_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let state = serve(dir.path(), true);
    let id = "missions_locales:mission_locale-76540-01";
    let week = json!({"opening_hours": {
        "lundi": "09:00-12:00, 13:30-17:00", "mardi": "9h-12h", "mercredi": "",
        "jeudi": "13:30 - 17:30", "vendredi": "09:00-12:00 / 14:00-16:00", "samedi": "10:00-12:00", "dimanche": ""
    }});
    let url = format!("/api/actors/{id}");
    let patch = |body: Value, version: &'static str| {
        let state = state.clone();
        let url = url.clone();
        async move {
            call(
                &state,
                "PATCH",
                &url,
                &[
                    AUTH,
                    ("if-match", version),
                    ("content-type", "application/json"),
                ],
                body.to_string(),
            )
            .await
        }
    };
    let (s, _, e) = patch(
        json!({"opening_hours": {"lundi": "09:00-12:00", "mardi": "matin"}}),
        "\"v0\"",
    )
    .await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("opening_hours.mardi")),
        "{e}"
    );
    assert!(e["error"].as_str().unwrap().contains("illisible"), "{e}");
    let (s, _, e) = patch(
        json!({"opening_hours": {"lundi": "09:00-12:00, 11:00-13:00"}}),
        "\"v0\"",
    )
    .await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("opening_hours.lundi")),
        "{e}"
    );
    let (s, _, e) = patch(json!({"opening_hours": {"férié": "09:00-12:00"}}), "\"v0\"").await;
    assert_eq!(
        (s, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("opening_hours")),
        "{e}"
    );
    let (s, _, c) = patch(week, "\"v0\"").await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (_, _, a) = call(&state, "GET", &url, &[], Body::empty()).await;
    assert_eq!(
        a["opening_hours"],
        json!({"lundi": "09:00-12:00, 13:30-17:00", "mardi": "09:00-12:00", "jeudi": "13:30-17:30",
               "vendredi": "09:00-12:00, 14:00-16:00", "samedi": "10:00-12:00"})
    );
}

#[tokio::test]
async fn every_actor_route_is_in_the_openapi_document_with_its_auth_and_errors() {
    let (s, _, body) = common::get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).unwrap();
    let paths = &doc["paths"];
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let writes = [
        ("/api/actors", "post"),
        ("/api/actors/{id}", "patch"),
        ("/api/actors/{id}", "delete"),
        ("/api/actors/{id}/undo", "post"),
        ("/api/actors/import", "post"),
    ];
    for (path, method) in writes {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert_eq!(op["security"][0]["editToken"], json!([]), "{method} {path}");
        for code in ["400", "401", "403", "422"] {
            assert!(
                op["responses"][code].is_object(),
                "{method} {path}: no {code}"
            );
        }
        // 409 for a conflict without If-Match, 412 for a stale If-Match.
        assert!(
            op["responses"]["409"].is_object() || op["responses"]["412"].is_object(),
            "{method} {path}: no 409 nor 412"
        );
        let ok = op["responses"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(c, _)| c.starts_with('2'))
            .unwrap()
            .1;
        let reference = ok["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap();
        assert!(
            schemas.contains_key(reference.trim_start_matches("#/components/schemas/")),
            "{reference}"
        );
    }
    for (path, method) in [
        ("/api/actors/{id}", "patch"),
        ("/api/actors/{id}", "delete"),
        ("/api/actors/{id}/undo", "post"),
    ] {
        let params = paths[path][method]["parameters"].as_array().unwrap();
        assert!(
            params
                .iter()
                .any(|p| p["name"] == "If-Match" && p["in"] == "header"),
            "{method} {path}"
        );
        assert!(paths[path][method]["responses"]["428"].is_object());
    }
    for (path, method, schema) in [
        ("/api/actors", "post", "ActorCreate"),
        ("/api/actors/{id}", "patch", "ActorPatch"),
        ("/api/actors/{id}", "delete", "Retire"),
    ] {
        assert_eq!(
            paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{schema}")
        );
    }
    assert!(paths["/api/actors/import"]["post"]["requestBody"]["content"]["text/csv"].is_object());
    assert_eq!(
        paths["/api/actors"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Committed"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["editToken"]["scheme"],
        "bearer"
    );
    // Reads are public: no security on them.
    for path in [
        "/api/actors",
        "/api/actors/{id}",
        "/api/actors/{id}/history",
        "/api/actors/export.csv",
        "/api/actors/export.json",
        "/api/actors/export.gpkg",
    ] {
        assert!(
            paths[path]["get"].is_object() && paths[path]["get"]["security"].is_null(),
            "{path}"
        );
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(schemas.contains_key(name), "unresolved {name}");
    }
}
