//! The `gaps` tile layer on the default data, decoded with an independent MVT decoder.

use mvt_reader::Reader;
use mvt_reader::feature::Value;
use repere_engine::Territory;
use repere_engine::coverage::AccessContext;
use repere_engine::gaps::layer::gaps_layer;
use repere_engine::tiles::layers::CommuneExtras;
use repere_engine::tiles::{TileCoord, TileSet};

fn tile_of(lon: f64, lat: f64, z: u8) -> TileCoord {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let r = lat.to_radians();
    let y =
        ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32;
    TileCoord::new(z, x, y).unwrap()
}

#[test]
fn the_gaps_layer_decodes_with_youth_access_and_gap_properties() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = AccessContext::build_default(&ds);
    let tiles = TileSet::from_dataset(&ds, &CommuneExtras::new(), vec![gaps_layer(&ds, &ctx.gaps)]);
    assert!(tiles.layer_names().contains(&"gaps"));
    let sel = tiles.select("gaps").unwrap();
    // Les Hauts de Rouen at zoom 13 (a tile ≈ 2.9 km wide at this latitude: ~200 cells).
    let bytes = tiles
        .encode(&sel, tile_of(1.1300, 49.4580, 13))
        .unwrap()
        .expect("tile has cells");
    eprintln!(
        "gaps tile z13 over Les Hauts de Rouen: {} bytes",
        bytes.len()
    );
    let z12 = tiles
        .encode(&sel, tile_of(1.0993, 49.4431, 12))
        .unwrap()
        .unwrap();
    eprintln!("gaps tile z12 over Rouen: {} bytes", z12.len());
    // Below zoom 12 cells would be a few pixels: the layer starts at 12.
    assert!(
        tiles
            .encode(&sel, tile_of(1.0993, 49.4431, 11))
            .unwrap()
            .is_none()
    );
    let reader = Reader::new(bytes).unwrap();
    let meta = reader.get_layer_metadata().unwrap();
    assert_eq!(meta.len(), 1);
    assert_eq!(meta[0].name, "gaps");
    let features = reader.get_features_as::<f64>(meta[0].layer_index).unwrap();
    assert!(features.len() > 100, "{}", features.len());
    let mut youth = 0.0;
    for f in &features {
        let p = f.properties.as_ref().unwrap();
        match p.get("youth_15_29") {
            Some(Value::Double(y)) => youth += y,
            Some(Value::Float(y)) => youth += f64::from(*y),
            other => panic!("youth_15_29: {other:?}"),
        }
        assert!(matches!(p.get("transit"), Some(Value::Bool(false))));
        // No mission locale in the default data: every cell is a gap for that group.
        assert!(matches!(p.get("gap_ML"), Some(Value::Bool(_))));
        assert!(p.get("walk_min_ML").is_none());
        assert!(matches!(
            p.get("walk_min_RFS"),
            Some(Value::Double(_) | Value::Float(_))
        ));
        assert!(matches!(p.get("gap_RFS"), Some(Value::Bool(_))));
    }
    assert!(youth > 1000.0, "{youth}");
}
