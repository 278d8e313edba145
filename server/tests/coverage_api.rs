//! `POST /api/coverage` and `GET /coverage/report` through the router (no socket), default data.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use repere_server::{AppState, app};
use tower::ServiceExt;

fn state() -> AppState {
    let (ds, report) =
        repere_engine::load::load(&repere_engine::Territory::default_rouen().unwrap()).unwrap();
    AppState::new(repere_engine::Analysis::build_default(ds, report).unwrap())
}

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, String) {
    let res = app(state.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

const HAUTS_DE_ROUEN: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1.1300,49.4580]},"properties":{"name":"Antenne"}}]}"#;

#[tokio::test]
async fn coverage_api_answers_geojson_csv_and_the_html_report_and_names_bad_input() {
    let st = state();
    let post = |uri: &str, ctype: &str, body: &str| {
        Request::post(uri)
            .header("content-type", ctype)
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let (status, body) = send(
        &st,
        post(
            "/api/coverage?minutes=15&mode=walk",
            "application/geo+json",
            HAUTS_DE_ROUEN,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let qpv = v["qpv"].as_array().unwrap();
    let hdr = qpv.iter().find(|q| q["code"] == "QN07620M").unwrap();
    assert!(hdr["share_reached_pct"].as_f64().unwrap() > 30.0);
    assert_eq!(v["mode"], "walk");

    // CSV body, transit asked: falls back to walking and says why.
    let (status, body) = send(
        &st,
        post(
            "/api/coverage?mode=transit",
            "text/csv",
            "lon,lat\n1.1300,49.4580\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["mode"], "walk");
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("stop_times.txt")
    );

    // JSON envelope with parameters.
    let env = format!(r#"{{"sites":{HAUTS_DE_ROUEN},"minutes":10,"group":"RFS"}}"#);
    let (status, body) = send(&st, post("/api/coverage", "application/json", &env)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#""threshold_min":10.0"#), "{body}");

    let (status, body) = send(
        &st,
        post(
            "/api/coverage",
            "text/csv",
            "lon,lat\n1.13,49.45\n1.13,nord\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("ligne 3") && body.contains("champ `lat`"),
        "{body}"
    );
    let (status, body) = send(
        &st,
        post(
            "/api/coverage?minutes=abc",
            "text/csv",
            "lon,lat\n1.13,49.45\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""parameter":"minutes""#), "{body}");
    let (status, body) = send(
        &st,
        post(
            "/api/coverage?mode=car",
            "text/csv",
            "lon,lat\n1.13,49.45\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""parameter":"mode""#), "{body}");

    let get = Request::get(
        "/coverage/report?sites=1.1300,49.4580,FT,Antenne%20Grammont;1.1180,49.4620,FT&minutes=15",
    )
    .body(Body::empty())
    .unwrap();
    let (status, html) = send(&st, get).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<html lang=\"fr\"")
            && html.contains("QN07620M")
            && html.contains("Les Hauts de Rouen")
            && html.contains("Antenne Grammont"),
        "{html}"
    );
    // The server-drawn map, the date, sources, and figures naming their group and threshold.
    assert!(
        html.contains("<svg") && html.contains("id=\"report-map\""),
        "{html}"
    );
    assert!(html.matches("<rect x=").count() > 50, "reached cells drawn");
    assert!(html.contains("rapport du ") && html.contains("Données et millésimes"));
    assert!(
        html.contains("déjà à moins de 15 min d'un acteur existant « France Travail »"),
        "{html}"
    );
    assert!(
        html.contains("en zone blanche « France Travail » à 15 min"),
        "{html}"
    );
    assert!(html.contains("@page{size:A4"));
    let get = Request::get("/coverage/report?sites=1.13")
        .body(Body::empty())
        .unwrap();
    let (status, body) = send(&st, get).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""parameter":"sites""#), "{body}");
}

#[tokio::test]
async fn gaps_api_summarises_per_commune_and_qpv_and_says_access_is_on_foot() {
    let st = state();
    let (status, body) = send(
        &st,
        Request::get("/api/gaps?group=RFS&minutes=15")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["transit"], false);
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("stop_times.txt absent")
    );
    assert_eq!(v["communes"].as_array().unwrap().len(), 71);
    assert_eq!(v["qpv"].as_array().unwrap().len(), 16);
    let (status, body) = send(
        &st,
        Request::get("/api/gaps?group=XX")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""parameter":"group""#), "{body}");
}

#[tokio::test]
async fn transport_api_says_the_default_feed_has_no_timetable() {
    let st = state();
    let (status, body) = send(
        &st,
        Request::get("/api/transport").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["feed"], true);
    assert_eq!(v["timetable"], false);
    assert!(v["frequencies"].is_null());
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("stop_times.txt absent"),
        "{body}"
    );
}

#[tokio::test]
async fn suggest_api_picks_hosts_with_non_increasing_gains_and_names_bad_input() {
    let st = state();
    let (status, body) = send(
        &st,
        post("/api/suggest?group=FT&minutes=15&k=3", "text/plain", ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let picks = v["picks"].as_array().unwrap();
    assert_eq!(picks.len(), 3);
    let gains: Vec<f64> = picks
        .iter()
        .map(|p| p["marginal_gain_youth"].as_f64().unwrap())
        .collect();
    assert!(
        gains[0] > 0.0 && gains[0] >= gains[1] && gains[1] >= gains[2],
        "{gains:?}"
    );
    assert_eq!(v["group"], "FT");
    assert!(v["method"].as_str().unwrap().contains("modèle exact"));
    assert_eq!(v["certificate"]["model"], "exact");

    let (status, body) = send(&st, get_req("/api/suggest/candidates")).await;
    assert_eq!(status, StatusCode::OK);
    let cands: serde_json::Value = serde_json::from_str(&body).unwrap();
    let n = cands.as_array().unwrap().len();
    assert!(n >= 20, "{n}");

    // k above the number of candidates (host structures and QPV cells).
    let (status, body) = send(
        &st,
        post(
            &format!("/api/suggest?group=FT&k={}", 100 * n),
            "text/plain",
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains(r#""parameter":"k""#) && body.contains("structures demandées"),
        "{body}"
    );
    // User list: one outside the territory.
    let (status, body) = send(
        &st,
        post(
            "/api/suggest?group=ML&k=1",
            "text/csv",
            "nom,lon,lat\nA,1.13,49.458\nLe Havre,0.1079,49.4944\n",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("candidate n° 2 (Le Havre)") && body.contains("hors du territoire"),
        "{body}"
    );
    // A file with no usable point.
    let (status, body) = send(
        &st,
        post("/api/suggest?group=ML&k=1", "text/csv", "nom,lon,lat\n"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""parameter":"body""#), "{body}");
    // More than 1 000 candidates.
    let mut csv = String::from("lon,lat\n");
    for _ in 0..1001 {
        csv.push_str("1.13,49.458\n");
    }
    let (status, body) = send(&st, post("/api/suggest?group=ML&k=1", "text/csv", &csv)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("au plus 1000"), "{body}");
    // JSON envelope with the user's candidates.
    let env = format!(r#"{{"group":"ML","minutes":10,"k":1,"candidates":{HAUTS_DE_ROUEN}}}"#);
    let (status, body) = send(&st, post("/api/suggest", "application/json", &env)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(r#""group_in_data":false"#), "{body}");
    // Coverage refuses a site outside the territory and more than 1 000 sites.
    let (status, body) = send(
        &st,
        post("/api/coverage", "text/csv", "lon,lat\n0.1079,49.4944\n"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("site n° 1") && body.contains(r#""parameter":"sites""#),
        "{body}"
    );
    let (status, body) = send(&st, post("/api/coverage", "text/csv", &csv)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("au plus 1000"), "{body}");
}

fn get_req(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, ctype: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header("content-type", ctype)
        .body(Body::from(body.to_owned()))
        .unwrap()
}
