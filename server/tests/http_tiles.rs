//! HTTP tests of the tile routes, through the router with `oneshot` (no socket).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{StatusCode, header};
use common::{analysis, get, get_with};

#[tokio::test]
async fn tilejson_has_versioned_relative_tile_urls_and_vector_layers() {
    let (status, headers, body) = get_with(
        "/tiles/communes,qpv.json",
        &[
            ("host", "evil.example"),
            ("x-forwarded-proto", "javascript"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(j["tilejson"], "3.0.0");
    let version = analysis().tiles().version.clone();
    assert_eq!(
        j["tiles"][0],
        format!("{version}/communes,qpv/{{z}}/{{x}}/{{y}}.mvt")
    );
    let ids: Vec<&str> = j["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["communes", "qpv"]);
    assert_eq!(j["vector_layers"][1]["fields"]["vintage"], "Number");
    assert_eq!(j["minzoom"], 5);
    assert_eq!(j["maxzoom"], 14);
}

#[tokio::test]
async fn a_tile_is_mvt_with_etag_and_cache_control() {
    let (status, headers, body) = get("/tiles/all/14/8243/5594.mvt").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.mapbox-vector-tile"
    );
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(headers[header::ETAG].to_str().unwrap().starts_with('"'));
    let reader = mvt_reader::Reader::new(body.to_vec()).unwrap();
    let names = reader.get_layer_names().unwrap();
    assert!(
        names.contains(&"qpv".to_owned()) && names.contains(&"communes".to_owned()),
        "{names:?}"
    );
}

#[tokio::test]
async fn the_versioned_tile_is_immutable_and_a_stale_version_is_not_found() {
    let version = analysis().tiles().version.clone();
    let (status, headers, _) = get(&format!("/tiles/{version}/qpv/14/8243/5594.mvt")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let (status, _, body) = get("/tiles/0000stale000/qpv/14/8243/5594.mvt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("0000stale000"));
}

#[tokio::test]
async fn if_none_match_with_the_etag_gives_304() {
    let (_, headers, _) = get("/tiles/communes/12/2060/1398.mvt").await;
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, headers2, body) = get_with(
        "/tiles/communes/12/2060/1398.mvt",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(headers2[header::ETAG], etag.as_str());
    assert!(body.is_empty());
}

#[tokio::test]
async fn tiles_are_gzipped_when_accepted() {
    let (status, headers, body) = get_with(
        "/tiles/all/12/2060/1398.mvt",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut raw).unwrap();
    assert!(mvt_reader::Reader::new(raw).is_ok());
}

#[tokio::test]
async fn an_empty_tile_is_204_with_caching_headers() {
    let (status, headers, body) = get("/tiles/all/14/0/0.mvt").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers.contains_key(header::ETAG));
    assert!(body.is_empty());
}

#[tokio::test]
async fn bad_tile_addresses_are_400_naming_the_parameter() {
    for (url, param) in [
        ("/tiles/all/15/0/0.mvt", "z"),
        ("/tiles/all/abc/0/0.mvt", "z"),
        ("/tiles/all/3/8/0.mvt", "x"),
        ("/tiles/all/3/0/-1.mvt", "y"),
        ("/tiles/all/3/0/99999999999999999999.mvt", "y"),
    ] {
        let (status, _, body) = get(url).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(j["parameter"], param, "{url}");
    }
}

#[tokio::test]
async fn unknown_layers_and_resources_are_404() {
    for url in [
        "/tiles/roads/10/0/0.mvt",
        "/tiles/roads.json",
        "/tiles/all.xml",
        "/tiles/all/10/0/0.png",
    ] {
        let (status, _, _) = get(url).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{url}");
    }
}

#[tokio::test]
async fn the_tile_cache_serves_the_same_bytes() {
    let cached = common::app_with_cache();
    let first = common::call(cached.clone(), "/tiles/all/13/4121/2797.mvt", &[]).await;
    let second = common::call(cached, "/tiles/all/13/4121/2797.mvt", &[]).await;
    let uncached = get("/tiles/all/13/4121/2797.mvt").await;
    assert_eq!(first.0, StatusCode::OK);
    assert_eq!(first.2, second.2);
    assert_eq!(first.2, uncached.2);
}

#[tokio::test]
async fn the_public_url_and_trusted_forwarded_headers_make_absolute_tile_urls() {
    use repere_server::public_url::TileUrls;
    let version = &common::analysis().tiles().version.clone();
    let forged = [
        ("host", "evil.example"),
        ("x-forwarded-proto", "javascript"),
    ];
    let public = repere_server::AppOptions {
        tile_urls: TileUrls::from_options(Some("https://carte.example.org"), false).unwrap(),
        ..Default::default()
    };
    let app = repere_server::app_with(common::state().clone(), public);
    let (_, _, body) = common::call(app, "/tiles/qpv.json", &forged).await;
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        j["tiles"][0],
        format!("https://carte.example.org/tiles/{version}/qpv/{{z}}/{{x}}/{{y}}.mvt")
    );
    let trusted = repere_server::AppOptions {
        tile_urls: TileUrls::Forwarded,
        ..Default::default()
    };
    let app = repere_server::app_with(common::state().clone(), trusted);
    let (_, _, body) = common::call(app, "/tiles/qpv.json", &forged).await;
    let j: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        j["tiles"][0],
        format!("http://evil.example/tiles/{version}/qpv/{{z}}/{{x}}/{{y}}.mvt"),
        "only http or https is taken from X-Forwarded-Proto"
    );
}

/// Decompresses a tile body sent with `Content-Encoding` `encoding`.
fn decompress(encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut raw = Vec::new();
    match encoding {
        "gzip" => {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut raw).unwrap();
        }
        "br" => {
            std::io::Read::read_to_end(&mut brotli::Decompressor::new(body, 4096), &mut raw)
                .unwrap();
        }
        other => panic!("unexpected encoding {other}"),
    }
    raw
}

#[tokio::test]
async fn the_compressed_cache_serves_each_form_compressed_once_equal_to_compressing_the_tile() {
    use repere_server::tile_encoding::{Encoding, compress};
    let url = "/tiles/all/12/2060/1398.mvt";
    // The raw tile, straight from the engine.
    let a = analysis();
    let tiles = a.tiles();
    let coord = repere_engine::tiles::TileCoord::parse("12", "2060", "1398").unwrap();
    let raw = tiles
        .encode(&tiles.select("all").unwrap(), coord)
        .unwrap()
        .unwrap();

    let state = common::state().clone().with_tile_cache(8);
    let cache = state.tile_cache.clone().unwrap();
    let app = repere_server::app(state);
    let (status, headers, identity) = common::call(app.clone(), url, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key(header::CONTENT_ENCODING));
    assert_eq!(identity.as_ref(), raw.as_slice());
    for (accept, encoding, name) in [
        ("gzip", Encoding::Gzip, "gzip"),
        ("gzip, deflate, br", Encoding::Brotli, "br"),
    ] {
        let (status, headers, first) =
            common::call(app.clone(), url, &[("accept-encoding", accept)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], name);
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(
            headers[header::CONTENT_LENGTH],
            first.len().to_string().as_str()
        );
        assert!(first.len() < raw.len(), "{name}: {} bytes", first.len());
        assert_eq!(
            decompress(name, &first),
            raw,
            "{name} decompresses to the tile"
        );
        assert_eq!(
            first.as_ref(),
            compress(encoding, &raw).as_slice(),
            "{name}"
        );
        let used = cache.used_bytes();
        // From the cache now: the same bytes, and nothing compressed again (nothing counted).
        let (_, headers2, second) =
            common::call(app.clone(), url, &[("accept-encoding", accept)]).await;
        assert_eq!(second, first, "{name}");
        assert_eq!(headers2[header::ETAG], headers[header::ETAG]);
        assert_eq!(cache.used_bytes(), used, "{name} compressed again");
    }
    // The same tile without the cache: the same bytes in each form.
    let (_, _, uncached) = get_with(url, &[("accept-encoding", "br")]).await;
    assert_eq!(
        uncached.as_ref(),
        compress(Encoding::Brotli, &raw).as_slice()
    );
}

#[tokio::test]
async fn the_encoding_follows_accept_encoding_with_q_values() {
    let url = "/tiles/all/12/2060/1398.mvt";
    for app in [common::app(), common::app_with_cache()] {
        for (accept, expected) in [
            (None, None),
            (Some("identity"), None),
            (Some("gzip"), Some("gzip")),
            (Some("br"), Some("br")),
            (Some("gzip, deflate, br, zstd"), Some("br")),
            (Some("br;q=0.4, gzip;q=0.9"), Some("gzip")),
            (Some("gzip;q=0.5, identity"), None),
            (Some("br;q=0, gzip;q=0"), None),
            (Some("*"), Some("br")),
            (Some("deflate"), None),
        ] {
            let headers: Vec<(&str, &str)> =
                accept.map(|a| ("accept-encoding", a)).into_iter().collect();
            let (status, h, body) = common::call(app.clone(), url, &headers).await;
            assert_eq!(status, StatusCode::OK, "{accept:?}");
            assert_eq!(
                h.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
                expected,
                "{accept:?}"
            );
            let raw = match expected {
                None => body.to_vec(),
                Some(e) => decompress(e, &body),
            };
            assert!(mvt_reader::Reader::new(raw).is_ok(), "{accept:?}");
        }
    }
}

#[tokio::test]
async fn cached_tiles_answer_304_and_empty_tiles_204() {
    let app = common::app_with_cache();
    let url = "/tiles/qpv/13/4121/2797.mvt";
    let (status, headers, _) = common::call(app.clone(), url, &[("accept-encoding", "gzip")]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    for accept in ["gzip", "br", "identity"] {
        let (status, h, body) = common::call(
            app.clone(),
            url,
            &[("accept-encoding", accept), ("if-none-match", &etag)],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{accept}");
        assert_eq!(h[header::ETAG], etag.as_str());
        assert!(body.is_empty());
    }
    let (status, _, _) = common::call(app.clone(), url, &[("if-none-match", "\"another\"")]).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..2 {
        let (status, h, body) = common::call(
            app.clone(),
            "/tiles/all/14/0/0.mvt",
            &[("accept-encoding", "br")],
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        assert!(h.contains_key(header::ETAG));
        assert!(!h.contains_key(header::CONTENT_ENCODING));
        assert!(body.is_empty());
    }
}
