//! The PMTiles export read back with the pmtiles crate's reader, tiles decoded with mvt-reader;
//! and the GeoJSON export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;

use pmtiles::{AsyncPmTilesReader, TileCoord};
use repere_server::export::{write_geojson, write_pmtiles};

#[tokio::test]
async fn the_pmtiles_archive_reads_back_with_the_hauts_de_rouen_tile() {
    let analysis = common::analysis();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repere.pmtiles");
    let selected = analysis.tiles().select("all").unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let summary = write_pmtiles(analysis.tiles(), &selected, 0, 14, file).unwrap();
    assert!(summary.tiles > 500, "{summary:?}");

    let reader = AsyncPmTilesReader::new_with_path(&path).await.unwrap();
    let header = reader.get_header();
    assert_eq!((header.min_zoom, header.max_zoom), (5, 14));
    let metadata: serde_json::Value =
        serde_json::from_str(&reader.get_metadata().await.unwrap()).unwrap();
    assert_eq!(metadata["vector_layers"][0]["id"], "communes");
    // Each layer's own bounds: the page on the archive fits its view to the communes'.
    let b = metadata["bounds_by_layer"]["communes"].as_array().unwrap();
    let (west, north) = (b[0].as_f64().unwrap(), b[3].as_f64().unwrap());
    assert!(
        (0.7..1.0).contains(&west) && (49.5..49.7).contains(&north),
        "{b:?}"
    );
    // Only tiles some feature touches are walked: few empty ones.
    assert!(summary.empty < summary.tiles, "{summary:?}");

    let gz = reader
        .get_tile(TileCoord::new(14, 8243, 5594).unwrap())
        .await
        .unwrap()
        .expect("tile present");
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut raw)
        .unwrap();
    let mvt = mvt_reader::Reader::new(raw).unwrap();
    let names = mvt.get_layer_names().unwrap();
    let qpv = names.iter().position(|n| n == "qpv").unwrap();
    let codes: Vec<String> = mvt
        .get_features(qpv)
        .unwrap()
        .into_iter()
        .filter_map(|f| match f.properties?.get("code")? {
            mvt_reader::feature::Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(codes.contains(&"QN07620M".to_owned()), "{codes:?}");
    // A tile far away was never written.
    assert!(
        reader
            .get_tile(TileCoord::new(14, 0, 0).unwrap())
            .await
            .unwrap()
            .is_none()
    );
}

#[test]
fn the_geojson_export_writes_one_file_per_layer() {
    let dir = tempfile::tempdir().unwrap();
    let layers = common::analysis().source_layers();
    let written = write_geojson(&layers, dir.path()).unwrap();
    assert_eq!(written.len(), layers.len());
    let qpv: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("qpv.geojson")).unwrap()).unwrap();
    assert!(
        qpv["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["code"] == "QN07620M")
    );
}

#[test]
fn tiles_export_refuses_inverted_or_out_of_range_zooms_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.pmtiles");
    for (min, max, expected) in [
        ("10", "5", "supérieur à --maxzoom 5"),
        ("0", "40", "--maxzoom 40 refusé : au plus 14"),
    ] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_repere"))
            .args(["tiles", "export", "--out"])
            .arg(&out)
            .args(["--minzoom", min, "--maxzoom", max, "--layers", "communes"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{min}..{max} accepted: {stderr}");
        assert!(stderr.contains(expected), "{min}..{max}: {stderr}");
        assert!(!out.exists(), "{min}..{max}: an archive was written");
    }
}
