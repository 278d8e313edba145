//! HTTP tests of the JSON API, through the router with `oneshot` (no socket).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{analysis, app, get, send};
use serde_json::Value;

async fn json(url: &str) -> (StatusCode, Value) {
    let (status, _, body) = get(url).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

async fn post(content_type: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let req = Request::post("/api/lookup")
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    let (status, _, body) = send(app(), req).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn assert_bad(r: &(StatusCode, Value), param: &str) {
    assert_eq!(r.0, StatusCode::BAD_REQUEST, "{:?}", r.1);
    assert_eq!(r.1["parameter"], param, "{:?}", r.1);
    let message = r.1["error"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "{:?}", r.1);
    let english = repere_engine::text::english_words(message);
    assert!(english.is_empty(), "English {english:?} in: {message}");
}

#[tokio::test]
async fn health_reports_the_dataset_version() {
    let (status, v) = json("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["version"], analysis().version());
    // The page's header reads the territory here (GET /api/communes is a bare array).
    assert_eq!(v["territory"], "Métropole Rouen Normandie");
}

#[tokio::test]
async fn fields_label_every_numeric_communes_tile_field_and_name_the_stop_catchment() {
    let (status, v) = json("/api/fields").await;
    assert_eq!(status, StatusCode::OK);
    let fields = v["fields"].as_object().unwrap();
    let (_, tj) = json("/tiles/communes.json").await;
    let tile_fields = tj["vector_layers"][0]["fields"].as_object().unwrap();
    let numeric: Vec<&String> = tile_fields
        .iter()
        .filter(|(_, t)| *t == "Number")
        .map(|(k, _)| k)
        .collect();
    assert!(numeric.len() >= 10, "{numeric:?}");
    for f in numeric {
        let doc = &fields[f.as_str()];
        assert!(
            doc["label"].as_str().is_some_and(|l| !l.is_empty()) && doc["unit"].is_string(),
            "{f}: {doc:?}"
        );
    }
    // The stops label says the catchment the diagnostics used.
    let (_, rouen) = json("/api/communes/76540").await;
    let catchment = rouen["stop_catchment_m"].as_f64().unwrap();
    assert_eq!(
        fields["stops_near_qpv"]["label"],
        format!("Arrêts à moins de {catchment} m des QPV")
    );
    assert_eq!(fields["neet_share_2018_pct"]["unit"], "%");
    // Sources say the vintages of the loaded data, the ones the diagnostics carry.
    assert_eq!(v["vintages"]["census"], rouen["census_vintage"]);
    assert_eq!(v["vintages"]["population"], rouen["population_vintage"]);
    assert_eq!(v["vintages"]["qpv"], 2024);
    assert_eq!(
        fields["youth_15_29"]["source"],
        format!("RP {}", rouen["census_vintage"])
    );
}

#[tokio::test]
async fn communes_list_every_member_with_priority() {
    let (status, v) = json("/api/communes").await;
    assert_eq!(status, StatusCode::OK);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 71);
    let rouen = rows.iter().find(|r| r["code"] == "76540").unwrap();
    assert_eq!(rouen["name"], "Rouen");
    assert!(rouen["priority_rank"].as_i64().unwrap() >= 1);
    assert_eq!(rouen["qpv_codes"], "QN07619M,QN07620M");
}

#[tokio::test]
async fn a_commune_diagnostic_lists_its_qpv_and_priority() {
    let (status, v) = json("/api/communes/76095").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["name"], "Bihorel");
    let qpv: Vec<&str> = v["qpv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    assert_eq!(qpv, ["QN07620M"]);
    assert!(v["priority"]["score"].as_f64().unwrap() >= 0.0);
}

#[tokio::test]
async fn bad_and_unknown_commune_codes_are_400_and_404() {
    assert_bad(&json("/api/communes/7654").await, "code");
    let (status, v) = json("/api/communes/75056").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("75056"));
}

#[tokio::test]
async fn qpv_list_and_diagnostic() {
    let (status, v) = json("/api/qpv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v.as_array().unwrap().len(), 16);
    let (status, v) = json("/api/qpv/QN07620M").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["name"], "Les Hauts de Rouen");
    assert_bad(&json("/api/qpv/XY").await, "code");
    assert_eq!(json("/api/qpv/QN07699Z").await.0, StatusCode::NOT_FOUND);
    let old = analysis()
        .dataset()
        .qpv
        .iter()
        .find(|q| q.vintage == 2015)
        .unwrap()
        .code
        .to_string();
    let (status, v) = json(&format!("/api/qpv/{old}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("2015"), "{v}");
}

#[tokio::test]
async fn lookup_finds_rouen_and_names_bad_parameters() {
    let (status, v) = json("/api/lookup?lon=1.0993&lat=49.4431").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["commune"]["code"], "76540");
    assert!(v["nearest_qpv"]["distance_m"].as_f64().unwrap() >= 0.0);
    assert_bad(&json("/api/lookup?lon=1.0993").await, "lat");
    assert_bad(&json("/api/lookup?lon=abc&lat=49").await, "lon");
    assert_bad(&json("/api/lookup?lon=1&lat=95").await, "lat");
    assert_bad(&json("/api/lookup?lon=NaN&lat=49").await, "lon");
}

#[tokio::test]
async fn batch_lookup_takes_json_and_csv_in_input_order() {
    let (status, v) = post(
        "application/json",
        r#"[{"lon":1.0993,"lat":49.4431},{"lon":1.05,"lat":49.40}]"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(v[0]["commune"]["code"], "76540");
    assert!((v[1]["lon"].as_f64().unwrap() - 1.05).abs() < 1e-12);

    let (status, v) = post("text/csv", "id;lat;lon\na;49,4431;1,0993\nb;49.40;1.05\n").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v[0]["commune"]["code"], "76540");
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn batch_lookup_errors_name_the_point_the_column_or_the_body() {
    assert_bad(
        &post(
            "application/json",
            r#"[{"lon":1.0,"lat":49.0},{"lon":1.0,"lat":91.0}]"#,
        )
        .await,
        "points[1].lat",
    );
    assert_bad(&post("application/json", r#"{"lon":1}"#).await, "body");
    assert_bad(&post("text/csv", "x,y\n1,49\n").await, "lon");
    assert_bad(&post("text/csv", "lon,lat\n1,abc\n").await, "lat");
    assert_bad(&post("application/xml", "<p/>").await, "content-type");
}

#[tokio::test]
async fn batch_lookup_over_the_limits_is_413() {
    let many: Vec<String> = (0..100_001)
        .map(|_| r#"{"lon":1,"lat":49}"#.to_owned())
        .collect();
    let (status, _) = post("application/json", format!("[{}]", many.join(","))).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, v) = post("text/csv", vec![b'1'; 9 * 1024 * 1024]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(v["error"].is_string());
}

#[tokio::test]
async fn ranking_uses_weights_and_top() {
    let (status, v) = json("/api/ranking").await;
    assert_eq!(status, StatusCode::OK);
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 71);
    assert_eq!(entries[0]["rank"], 1);
    let (status, v) = json("/api/ranking?weights=neet=2,access=1&top=5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["entries"].as_array().unwrap().len(), 5);
    assert!((v["weights"]["access"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert_bad(&json("/api/ranking?weights=speed=1").await, "weights");
    assert_bad(&json("/api/ranking?top=x").await, "top");
}

#[tokio::test]
async fn communes_export_as_csv_and_geojson() {
    let (status, headers, body) = get("/api/communes.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.starts_with("code,name,"), "{}", &text[..80]);
    assert_eq!(text.lines().count(), 72);
    assert!(text.lines().any(|l| l.starts_with("76540,Rouen,")));

    let (status, headers, body) = get("/api/communes.geojson").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/geo+json");
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["features"].as_array().unwrap().len(), 71);
    assert!(v["features"][0]["properties"]["priority_score"].is_number());
}

#[tokio::test]
async fn openapi_documents_every_route_and_every_documented_path_answers() {
    let (status, doc) = json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/health",
        "/api/communes",
        "/api/communes/{code}",
        "/api/communes.csv",
        "/api/communes.geojson",
        "/api/qpv",
        "/api/qpv/{code}",
        "/api/lookup",
        "/api/ranking",
        "/api/fields",
        "/api/openapi.json",
        "/tiles/{layers}.json",
        "/tiles/{layers}/{z}/{x}/{y}.mvt",
        "/tiles/{version}/{layers}/{z}/{x}/{y}.mvt",
    ] {
        assert!(paths.contains_key(expected), "{expected} missing");
    }
    assert!(paths["/api/lookup"]["post"]["requestBody"].is_object());
    let version = analysis().version().to_owned();
    for (path, ops) in paths {
        let url = path
            .replace(
                "{code}",
                if path.contains("qpv") {
                    "QN07620M"
                } else {
                    "76540"
                },
            )
            .replace("{version}", &version)
            .replace("{layers}", "all")
            .replace("{z}", "12")
            .replace("{x}", "2060")
            .replace("{y}", "1398")
            .replace("{fontstack}", "DejaVu Sans")
            .replace("{range}", "0-255")
            .replace("{id}", "missions_locales%3Amission_locale-76540-01");
        let url = url.replace(' ', "%20");
        let url = if path == "/api/lookup" || path == "/api/isochrone" {
            format!("{url}?lon=1.0993&lat=49.4431")
        } else {
            url
        };
        if path.starts_with("/api/geocode/") {
            // Address search answers through a geocoder (tests/geocode_api.rs); without one it
            // says so: 503.
            let (status, _, body) =
                get(&format!("{url}?q=rue+du+Renard&lon=1.0993&lat=49.4431")).await;
            assert_eq!(status.as_u16(), 503, "GET {url}");
            assert!(String::from_utf8_lossy(&body).contains("demande un géocodeur"));
            continue;
        }
        if path.starts_with("/api/portfolio") && ops.get("get").is_some() {
            // The portfolio is the Métropole's, behind an editor token and a project store
            // (portfolio_api.rs walks it): without them it is refused, never served.
            let (status, _, _) = get(&url).await;
            assert!(
                status.as_u16() == 401 || status.as_u16() == 403,
                "GET {url}: {status}"
            );
            continue;
        }
        // Projects need a store and a saved project: projects_api.rs walks their GET paths.
        if ops.get("get").is_some() && !path.starts_with("/api/projects") {
            let (status, _, _) = get(&url).await;
            assert!(status.is_success(), "GET {url}: {status}");
        }
    }
}
