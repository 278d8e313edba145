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
    assert!(body.contains("line 3") && body.contains("lat"), "{body}");
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

    let get = Request::get("/coverage/report?sites=1.1300,49.4580&minutes=15")
        .body(Body::empty())
        .unwrap();
    let (status, html) = send(&st, get).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<html lang=\"fr\"")
            && html.contains("QN07620M")
            && html.contains("Les Hauts de Rouen"),
        "{html}"
    );
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
