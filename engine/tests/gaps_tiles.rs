//! The gap tile layers on the default data, decoded with an independent MVT decoder: their own
//! tileset (not in `all`), coarse cells from zoom 9, 200 m cells from zoom 12, minutes per group,
//! and the base z14 tile over Les Hauts de Rouen back to ≤ 10 KB.

use mvt_reader::Reader;
use mvt_reader::feature::Value;
use repere_engine::Territory;
use repere_engine::coverage::TravelContext;
use repere_engine::gaps::layer::{GAPS_SELECTION, gaps_layers};
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

fn num(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Double(y)) => Some(*y),
        Some(Value::Float(y)) => Some(f64::from(*y)),
        Some(Value::Int(y)) | Some(Value::SInt(y)) => Some(*y as f64),
        Some(Value::UInt(y)) => Some(*y as f64),
        _ => None,
    }
}

#[test]
fn gap_tiles_are_their_own_tileset_with_coarse_cells_at_low_zoom() {
    let (ds, _) = repere_engine::load::load(&Territory::default_rouen().unwrap()).unwrap();
    let ctx = TravelContext::build_default(&ds);
    let tiles = TileSet::from_dataset(&ds, &CommuneExtras::new(), gaps_layers(&ds, &ctx.gaps));
    let all = tiles.select("all").unwrap();
    let gaps = tiles.select(GAPS_SELECTION).unwrap();
    assert_eq!(gaps.len(), 3);
    assert!(
        gaps.iter().all(|g| !all.contains(g)),
        "gap layers are not in `all`"
    );
    let names = tiles.layer_names();
    assert!(all.iter().all(|&i| !names[i].starts_with("gaps")));
    assert_eq!(tiles.zooms(&gaps).min, 9);

    // The base tile at z14 over Les Hauts de Rouen: no gap layer, at most 10 KB.
    let hdr = tile_of(1.1300, 49.4580, 14);
    let base = tiles.encode(&all, hdr).unwrap().expect("base tile");
    eprintln!(
        "base z14 tile over Les Hauts de Rouen: {} bytes",
        base.len()
    );
    let reader = Reader::new(base.clone()).unwrap();
    let meta = reader.get_layer_metadata().unwrap();
    assert!(meta.iter().all(|m| !m.name.starts_with("gaps")));
    assert!(meta.iter().any(|m| m.name == "communes"));
    assert!(base.len() <= 10 * 1024, "{} bytes", base.len());

    // Zoom 9-11: coarse cells; from 12: 200 m cells.
    let mut per_zoom = Vec::new();
    for z in 9..=14u8 {
        let bytes = tiles
            .encode(&gaps, tile_of(1.1300, 49.4580, z))
            .unwrap()
            .expect("gap tile");
        let reader = Reader::new(bytes.clone()).unwrap();
        let meta = reader.get_layer_metadata().unwrap();
        assert_eq!(meta.len(), 1, "one gap layer per zoom");
        let want = match z {
            9 | 10 => "gaps_1600m",
            11 => "gaps_800m",
            _ => "gaps",
        };
        assert_eq!(meta[0].name, want);
        let features = reader.get_features_as::<f64>(meta[0].layer_index).unwrap();
        let mut youth = 0.0;
        let mut minutes = std::collections::BTreeSet::new();
        for f in &features {
            let p = f.properties.as_ref().unwrap();
            youth += num(p.get("youth_15_29")).expect("youth_15_29");
            // No mission locale in the default data: no minutes for that group.
            assert!(p.get("walk_min_ML").is_none());
            assert!(
                p.get("gap_ML").is_none(),
                "the threshold is applied by the page"
            );
            minutes.insert(num(p.get("walk_min_FT")).expect("walk_min_FT") as i64);
            assert!(num(p.get("walk_min_RFS")).is_some());
        }
        assert!(youth > 500.0, "z{z}: {youth}");
        assert!(minutes.len() >= 3, "z{z}: minutes vary: {minutes:?}");
        per_zoom.push((z, features.len(), bytes.len()));
    }
    eprintln!("gap tiles over Les Hauts de Rouen (zoom, cells, bytes): {per_zoom:?}");
    // Coarse cells are fewer per tile than the 200 m ones at the next zoom band.
    assert!(per_zoom[2].1 < per_zoom[3].1 * 4);
}
