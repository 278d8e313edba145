//! Static exports of the tile layers: a PMTiles v3 archive (hostable as a single static file,
//! read by the pmtiles JS library) and one GeoJSON file per layer.

use std::io::{Seek, Write};
use std::path::Path;

use anyhow::Context;
use pmtiles::{PmTilesWriter, TileId, TileType};
use repere_engine::tiles::geojson::layer_to_geojson;
use repere_engine::tiles::{SourceLayer, TileSet};

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportSummary {
    /// Non-empty tiles written.
    pub tiles: usize,
    /// Empty tiles skipped.
    pub empty: usize,
    /// Sum of the uncompressed tile sizes, bytes.
    pub raw_bytes: usize,
}

/// Writes the selected layers, zooms `minzoom..=maxzoom` over the layers' bounds, as a PMTiles v3
/// archive (MVT, gzip-compressed tiles, identical tiles stored once, TileJSON-like metadata with
/// `vector_layers`). Empty tiles are left out (readers then answer "no tile").
///
/// # Errors
/// When a tile fails to encode or the writer fails.
pub fn write_pmtiles<W: Write + Seek>(
    tiles: &TileSet,
    selected: &[usize],
    minzoom: u8,
    maxzoom: u8,
    out: W,
) -> anyhow::Result<ExportSummary> {
    let zooms = tiles.zooms(selected);
    let minzoom = minzoom.max(zooms.min);
    let maxzoom = maxzoom.min(zooms.max);
    let bounds = tiles
        .bounds_wgs84(selected)
        .context("the selected layers have no feature")?;
    let mut coords: Vec<_> = (minzoom..=maxzoom)
        .flat_map(|z| tiles.tiles_covering(selected, z))
        .collect();
    coords.sort_by_key(|c| {
        pmtiles::TileCoord::new(c.z(), c.x(), c.y())
            .map(|t| TileId::from(t).value())
            .unwrap_or(u64::MAX)
    });
    let metadata = serde_json::json!({
        "name": "repere",
        "description": "Repère: couches du diagnostic territorial",
        "version": tiles.version,
        "attribution": "Repère — données IGN, INSEE, ANCT, data·inclusion, GTFS",
        "vector_layers": tiles.layer_infos(selected),
    });
    let center_zoom = minzoom.max(10).min(maxzoom);
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(minzoom)
        .max_zoom(maxzoom)
        .bounds(bounds[0], bounds[1], bounds[2], bounds[3])
        .center((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0)
        .center_zoom(center_zoom)
        .metadata(metadata.to_string())
        .create(out)?;
    let mut summary = ExportSummary::default();
    for coord in coords {
        match tiles.encode(selected, coord)? {
            Some(bytes) => {
                writer.add_tile(
                    pmtiles::TileCoord::new(coord.z(), coord.x(), coord.y())?,
                    &bytes,
                )?;
                summary.tiles += 1;
                summary.raw_bytes += bytes.len();
            }
            None => summary.empty += 1,
        }
    }
    writer.finalize()?;
    Ok(summary)
}

/// Writes each source layer as `DIR/{name}.geojson` (WGS84, same properties as the tiles).
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn write_geojson(
    layers: &[SourceLayer],
    dir: &Path,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for layer in layers {
        let path = dir.join(format!("{}.geojson", layer.name));
        std::fs::write(&path, layer_to_geojson(layer).to_string())
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
