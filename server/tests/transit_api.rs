//! `GET /api/isochrone` and `GET /api/transport` through the router (no socket): the default
//! territory (its feed has no timetable) and the same territory with a *synthetic* line added.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use geo::Point;
use http_body_util::BodyExt;
use repere_engine::Territory;
use repere_engine::transit::synthetic::FeedBuilder;
use repere_server::{AppState, app};
use tower::ServiceExt;

async fn get(state: &AppState, uri: &str) -> (StatusCode, serde_json::Value) {
    let res = app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap())
}

fn load() -> (repere_engine::Dataset, repere_engine::LoadReport) {
    repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap()
}

#[tokio::test]
async fn the_default_territory_answers_walking_isochrones_and_refuses_transit_in_french() {
    let (ds, report) = load();
    let st = AppState::new(repere_engine::Analysis::build_default(ds, report).unwrap());
    let (status, body) = get(&st, "/api/isochrone?lon=1.1300&lat=49.4580&minutes=15").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["type"], "Feature");
    assert_eq!(body["geometry"]["type"], "MultiPolygon");
    // 15 min at 4.5 km/h over 1.3 × the straight line: 865 m, π·865²/200² ≈ 59 cells.
    let cells = body["properties"]["cells"].as_u64().unwrap();
    assert!((45..=70).contains(&cells), "{cells}");
    // Dissolved: one polygon, not one square per cell.
    assert_eq!(body["geometry"]["coordinates"].as_array().unwrap().len(), 1);

    let (status, body) = get(
        &st,
        "/api/isochrone?lon=1.13&lat=49.458&minutes=15&mode=transit",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "mode");
    let msg = body["error"].as_str().unwrap();
    assert!(
        msg.contains("stop_times.txt") && msg.contains("mode=walk"),
        "{msg}"
    );

    let (status, body) = get(
        &st,
        "/api/isochrone?lon=1.13&lat=49.458&depart=08:00&arrive_by=09:00",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "arrive_by");

    let (_, t) = get(&st, "/api/transport").await;
    assert_eq!(t["timetable"], false);
    assert!(
        t["coverage_method"]
            .as_str()
            .unwrap()
            .starts_with("à pied uniquement")
    );
}

#[tokio::test]
async fn with_a_timetable_arrive_by_and_depart_at_isochrones_differ_as_the_line_runs_one_way() {
    let (mut ds, report) = load();
    let l93 = repere_engine::crs::Lambert93::new();
    let here = l93.point_from_wgs84(Point::new(1.1300, 49.4580)).unwrap();
    let far = Point::new(here.x() - 4000.0, here.y() - 3000.0);
    // Synthetic line towards `here` only, every 5 minutes from 06:00, 8 minutes long.
    let mut b = FeedBuilder::new();
    let h = b.stop("H", here.x(), here.y());
    let f = b.stop("F", far.x(), far.y());
    for k in 0..48 {
        let t = 6 * 3600 + k * 300;
        b.trip("S1", "ALL", &[(f, t, t), (h, t + 480, t + 480)]);
    }
    b.calendar("ALL", [true; 7], 20240101, 20241231);
    ds.set_transport(Some(b.build()));
    let st = AppState::new(repere_engine::Analysis::build_default(ds, report).unwrap());
    let base = "/api/isochrone?lon=1.1300&lat=49.4580&minutes=20&mode=transit";
    let (status, to_here) = get(&st, &format!("{base}&arrive_by=09:00")).await;
    assert_eq!(status, StatusCode::OK, "{to_here}");
    let (_, from_here) = get(&st, &format!("{base}&depart=08:00")).await;
    let (_, walk) = get(&st, "/api/isochrone?lon=1.1300&lat=49.4580&minutes=20").await;
    let n = |v: &serde_json::Value| v["properties"]["cells"].as_u64().unwrap();
    // Arriving by 09:00: the 08:50 trip from F reaches H at 08:58, 10 min from leaving F to
    // the deadline, leaving 10 min on foot around F (577 m, ≈ 26 cells); leaving H at 08:00
    // the line does not help (it only runs towards H).
    assert_eq!(to_here["properties"]["by_transit"], true);
    let extra = n(&to_here) - n(&walk);
    assert!((18..=36).contains(&extra), "{extra}");
    assert_eq!(from_here["properties"]["by_transit"], false);
    assert_eq!(n(&from_here), n(&walk));
    assert_eq!(to_here["properties"]["date"], "2024-01-02");

    let (_, t) = get(&st, "/api/transport").await;
    assert_eq!(t["timetable"], true);
    assert!(
        t["coverage_method"]
            .as_str()
            .unwrap()
            .contains("heures d'ouverture")
    );
    assert!(t["gaps_method"].as_str().unwrap().contains("pour arriver"));
}
