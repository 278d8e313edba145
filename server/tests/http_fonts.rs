//! `GET /fonts/{fontstack}/{range}.pbf` through the router: a real PBF decoded with
//! `pbf_font_tools`' own protobuf types, 404 for an unknown stack, 400 for a bad range.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pbf_font_tools::Glyphs;
use pbf_font_tools::prost::Message;

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_latin_range_of_dejavu_sans_is_a_pbf_with_the_letters_of_rouen_and_elbeuf() {
    let (status, headers, body) =
        common::send(common::app(), get("/fonts/DejaVu%20Sans/0-255.pbf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-protobuf");
    let glyphs = Glyphs::decode(body.as_ref()).unwrap();
    assert_eq!(glyphs.stacks.len(), 1);
    let stack = &glyphs.stacks[0];
    assert_eq!(stack.name, "DejaVu Sans");
    assert_eq!(stack.range, "0-255");
    // 95 printable ASCII + the Latin-1 supplement DejaVu has.
    assert!(stack.glyphs.len() > 180, "{} glyphs", stack.glyphs.len());
    for c in "Rouen Elbeuf Hauts-de-Rouen Sotteville-lès-Rouen".chars() {
        assert!(stack.glyphs.iter().any(|g| g.id == u32::from(c)), "{c}");
    }
}

#[tokio::test]
async fn a_stack_whose_first_name_is_unknown_falls_back_to_a_served_font() {
    let (status, _, body) = common::send(
        common::app(),
        get("/fonts/Open%20Sans%20Bold,DejaVu%20Sans%20Bold/0-255.pbf"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        Glyphs::decode(body.as_ref()).unwrap().stacks[0].name,
        "DejaVu Sans Bold"
    );
}

#[tokio::test]
async fn an_unknown_stack_is_a_json_404_and_a_bad_range_a_400_naming_range() {
    let (status, headers, body) =
        common::send(common::app(), get("/fonts/Comic%20Sans/0-255.pbf")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("Comic Sans"), "{v}");

    let (status, _, body) =
        common::send(common::app(), get("/fonts/DejaVu%20Sans/0-300.pbf")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["parameter"], "range");
}
