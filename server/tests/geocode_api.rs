//! Address search through a REAL addok (scripts/addok-fixture.py: real France services and France
//! Travail addresses of `data/`, never the missions locales), proxied by `/api/geocode/…`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/addok.rs"]
mod addok;
mod common;

use std::sync::Arc;

use addok::{Addok, distance_m, france_services};
use axum::http::StatusCode;
use repere_server::geocoder::{Geocoder, GeocoderUrl};

fn app_with_geocoder(url: &str) -> axum::Router {
    let geocoder = Geocoder::new(
        url.parse::<GeocoderUrl>().unwrap(),
        repere_server::geocoder::TIMEOUT,
    );
    repere_server::app_with(
        common::state().clone(),
        repere_server::AppOptions {
            geocoder: Some(Arc::new(geocoder)),
            ..Default::default()
        },
    )
}

async fn get_json(app: axum::Router, url: &str) -> (StatusCode, serde_json::Value) {
    let (status, _, body) = common::call(app, url, &[]).await;
    (status, serde_json::from_slice(&body).unwrap())
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn addresses_through_a_real_addok() {
    let addok = Addok::start();
    eprintln!(
        "addok: {} documents indexed, ready in {} ms",
        addok.documents, addok.setup_ms
    );
    assert!(addok.documents > 20, "{} documents", addok.documents);
    let app = app_with_geocoder(&addok.url);

    // A France services address of Rouen, as the source writes it: found at its known position.
    let (address, postcode, city, lon, lat) = france_services()
        .into_iter()
        .find(|r| r.0 == "8 bis Rue de l'Industrie" && r.2 == "Rouen")
        .expect("the France services row of Rouen, 8 bis rue de l'Industrie");
    let q = format!("{address} {postcode} {city}");
    let (status, body) = get_json(
        app.clone(),
        &format!("/api/geocode/search?q={}", encode(&q)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let best = &body["results"][0];
    let found = (best["lon"].as_f64().unwrap(), best["lat"].as_f64().unwrap());
    let d = distance_m(found, (lon, lat));
    assert!(
        d < 50.0,
        "{q}: placed {d:.0} m from the known position ({body})"
    );
    assert_eq!(best["type"], "housenumber", "{body}");
    assert_eq!(best["approximate"], false, "{body}");
    assert!(best["score"].as_f64().unwrap() >= 0.7, "{body}");

    // The missions locales are known by address only and are not in the index: not found,
    // never placed at the nearest-looking street (addok's best guess scores under 0.5).
    for ml in [
        "33 avenue Champlain 76100 Rouen",
        "25 rue Camille-Randoing 76500 Elbeuf",
    ] {
        let (status, body) = get_json(
            app.clone(),
            &format!("/api/geocode/search?q={}", encode(ml)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["results"], serde_json::json!([]), "{ml}: {body}");
    }

    // Results outside the territory's extent are dropped (Forges-les-Eaux has a rue de
    // Neufchâtel in the index; it is 40 km out of the Métropole).
    let (_, body) = get_json(
        app.clone(),
        &format!(
            "/api/geocode/search?q={}",
            encode("rue de Neufchatel Forges-les-Eaux")
        ),
    )
    .await;
    assert!(
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["label"].as_str().unwrap().contains("FORGES")),
        "{body}"
    );
    assert!(body["outside_territory"].as_u64().unwrap() >= 1, "{body}");

    // A house number the index does not have, on a street it has: at best the street, flagged.
    let (_, body) = get_json(
        app.clone(),
        &format!(
            "/api/geocode/search?q={}",
            encode("97 rue de l'Industrie 76000 Rouen")
        ),
    )
    .await;
    for r in body["results"].as_array().unwrap() {
        assert!(
            r["type"] == "housenumber" || r["approximate"] == true,
            "a street answering a house number is approximate: {body}"
        );
    }

    // Reverse: the clicked point of the France services gets its address back.
    let (status, body) = get_json(
        app.clone(),
        &format!("/api/geocode/reverse?lon={lon}&lat={lat}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let label = body["results"][0]["label"].as_str().unwrap().to_lowercase();
    assert!(label.contains("industrie"), "{body}");

    // Bad input is refused in French, naming the parameter; nothing is sent.
    let (status, body) = get_json(app.clone(), "/api/geocode/search?q=ab").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "q");
    let (status, body) = get_json(app.clone(), "/api/geocode/reverse?lon=5.0&lat=45.0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("hors de l'emprise")
    );

    // The geocoder goes down: 503 with the French cause.
    drop(addok);
    let (status, body) = get_json(
        app.clone(),
        &format!(
            "/api/geocode/search?q={}",
            encode("8 rue Jeanne d'Arc Rouen")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("ne répond pas"), "{message}");
}

#[tokio::test]
async fn without_a_geocoder_address_search_says_so_and_the_page_knows() {
    let (status, body) =
        get_json(common::app(), "/api/geocode/search?q=8+rue+Jeanne+d%27Arc").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("la recherche d'adresse demande un géocodeur"),
        "{body}"
    );
    let (_, config) = get_json(common::app(), "/web-config.json").await;
    assert_eq!(config["geocoder"], false);
    let (_, config) = get_json(app_with_geocoder("http://127.0.0.1:9"), "/web-config.json").await;
    assert_eq!(config["geocoder"], true);
}

#[tokio::test]
async fn a_client_past_its_rate_is_told_to_wait() {
    // A geocoder nobody listens on: the limiter answers before any call (429), the calls that
    // pass get 503.
    let app = app_with_geocoder("http://127.0.0.1:9");
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let (status, _) = get_json(app.clone(), "/api/geocode/search?q=rue+de+Rouen").await;
        statuses.push(status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let (status, body) = get_json(app, "/api/geocode/search?q=rue+de+Rouen").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["error"].as_str().unwrap().contains("réessayer"));
}

/// The PDF text of a report, whitespace folded (poppler's `pdftotext`).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-raw", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install-store-deps.sh)");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Creates a project (one site at the Rouen France services' known position, one not placed)
/// through `app`, and gives its report as HTML and as PDF text.
async fn project_report(app: &axum::Router, lon: f64, lat: f64) -> (String, String) {
    let project = serde_json::json!({
        "title": "Permanence d'essai près de la gare",
        "organisation": {"name": "Association Essai Adresses"},
        "sites": [
            {"name": "Site placé", "lon": lon, "lat": lat, "services": ["ML"]},
            {"name": "Site à trouver", "address": "Elbeuf", "services": ["ML"]}
        ]
    });
    let (status, _, body) = common::send(
        app.clone(),
        axum::http::Request::post("/api/projects")
            .header("content-type", "application/json")
            .body(axum::body::Body::from(project.to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let created: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let id = created["id"].as_str().unwrap();
    let (status, _, html) =
        common::call(app.clone(), &format!("/api/projects/{id}/report"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, pdf) =
        common::call(app.clone(), &format!("/api/projects/{id}/report.pdf"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    (String::from_utf8(html.to_vec()).unwrap(), pdf_text(&pdf))
}

/// The project's sites carry their nearest address in the report (HTML and PDF), read back
/// against the proxy's `/api/geocode/reverse` on the same real addok; without a geocoder the
/// report gives the coordinates only and says why, in French.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_project_report_names_the_nearest_address_of_each_placed_site() {
    let addok = Addok::start();
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("projets.gpkg");
    let loc = gpkg.to_str().unwrap().to_owned();
    let store = std::thread::spawn(move || repere_store::projects::open(&loc).unwrap())
        .join()
        .unwrap();
    let state = common::state()
        .clone()
        .with_projects(Arc::new(repere_server::projects::Projects::new(store)));
    let geocoder = Geocoder::new(
        addok.url.parse::<GeocoderUrl>().unwrap(),
        repere_server::geocoder::TIMEOUT,
    );
    let app = repere_server::app_with(
        state.clone(),
        repere_server::AppOptions {
            geocoder: Some(Arc::new(geocoder)),
            ..Default::default()
        },
    );
    let (_, _, _, lon, lat) = france_services()
        .into_iter()
        .find(|r| r.0 == "8 bis Rue de l'Industrie" && r.2 == "Rouen")
        .unwrap();
    let (status, reverse) = get_json(
        app.clone(),
        &format!("/api/geocode/reverse?lon={lon}&lat={lat}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reverse}");
    let best = &reverse["results"][0];
    let label = best["label"].as_str().unwrap();
    assert!(label.to_lowercase().contains("industrie"), "{reverse}");
    let d = distance_m(
        (lon, lat),
        (best["lon"].as_f64().unwrap(), best["lat"].as_f64().unwrap()),
    );
    let (html, pdf) = project_report(&app, lon, lat).await;
    let line = format!(
        "adresse la plus proche : « {label} », à {} m (géocodage inverse, Base Adresse Nationale)",
        repere_server::french::fr(d, 0)
    );
    assert!(
        html.contains(&repere_engine::text::escape_xml(&line)),
        "{line} not in the HTML"
    );
    assert!(pdf.contains(&line), "{line} not in the PDF: {pdf}");
    assert!(pdf.contains("Site 1 — Site placé : "), "{pdf}");
    assert!(
        pdf.contains("Site 2 — Site à trouver : non placé."),
        "{pdf}"
    );
    // The coverage check's printable report (sites clicked in the check scenario): the same.
    let (status, _, page) = common::call(
        app.clone(),
        &format!("/coverage/report?sites={lon},{lat},ML,Site%20clique&minutes=15"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page.to_vec()).unwrap();
    assert!(
        page.contains(&repere_engine::text::escape_xml(&line)),
        "{line} not in the coverage report"
    );

    // Without a geocoder: the coordinates only, and why.
    let plain = repere_server::app(state);
    let (html, pdf) = project_report(&plain, lon, lat).await;
    let coords = format!(
        "Site 1 — Site placé : {}° N, {}° E (coordonnées seules : aucun géocodeur configuré).",
        repere_server::french::fr(lat, 5),
        repere_server::french::fr(lon, 5)
    );
    assert!(pdf.contains(&coords), "{coords} not in the PDF: {pdf}");
    assert!(
        html.contains(&repere_engine::text::escape_xml(&coords)),
        "{coords} not in the HTML"
    );
    assert!(!pdf.contains("adresse la plus proche :"), "{pdf}");
    drop(addok);
}

/// A geocoder that does not answer: every site of the report is given by its coordinates with
/// the French cause (after the first failure the others reuse it without calling again).
#[test]
fn a_geocoder_that_is_down_leaves_every_site_with_its_coordinates_and_the_cause() {
    let g = Geocoder::new(
        "http://127.0.0.1:9".parse::<GeocoderUrl>().unwrap(),
        repere_server::geocoder::TIMEOUT,
    );
    let points = [Some((1.0993, 49.4431)), None, Some((1.0092, 49.2868))];
    let places = repere_server::projects::report::site_places(Some(&g), &points);
    let texts: Vec<String> = places
        .iter()
        .map(repere_server::projects::report::place_fr)
        .collect();
    assert_eq!(texts[1], "non placé");
    for t in [&texts[0], &texts[2]] {
        assert!(
            t.contains("coordonnées seules : adresse non obtenue, le géocodeur (http://127.0.0.1:9) ne répond pas"),
            "{t}"
        );
    }
    assert!(
        texts[2].starts_with("49,28680° N, 1,00920° E"),
        "{}",
        texts[2]
    );
}
