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
/// `vector_layers` and `bounds_by_layer`, each layer's WGS84 bounds). Empty tiles are left out (readers then answer "no tile").
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
        .context("les couches choisies n'ont aucune entité")?;
    let mut coords: Vec<_> = (minzoom..=maxzoom)
        .flat_map(|z| tiles.tiles_touched(selected, z))
        .collect();
    coords.sort_by_key(|c| {
        pmtiles::TileCoord::new(c.z(), c.x(), c.y())
            .map(|t| TileId::from(t).value())
            .unwrap_or(u64::MAX)
    });
    // Each layer's own bounds as well (the page fits its view to the communes' bounds, as
    // it does with `/tiles/communes.json`).
    let bounds_by_layer: serde_json::Map<String, serde_json::Value> = selected
        .iter()
        .filter_map(|&i| {
            let name = tiles.layer_names().get(i)?.to_string();
            Some((name, serde_json::json!(tiles.bounds_wgs84(&[i])?)))
        })
        .collect();
    let metadata = serde_json::json!({
        "name": "repere",
        "description": "Repère: couches du diagnostic territorial",
        "version": tiles.version,
        "attribution": "Repère — données IGN, INSEE, ANCT, data·inclusion, GTFS",
        "vector_layers": tiles.layer_infos(selected),
        "bounds_by_layer": bounds_by_layer,
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
    // Tiles are encoded on every core, a batch at a time, and written in tile-id order.
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    for batch in coords.chunks(EXPORT_BATCH) {
        for (coord, encoded) in batch
            .iter()
            .zip(encode_batch(tiles, selected, batch, workers))
        {
            match encoded? {
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
    }
    writer.finalize()?;
    Ok(summary)
}

/// Tiles encoded at once by [`write_pmtiles`] before they are written.
const EXPORT_BATCH: usize = 4096;

type Encoded = Result<Option<Vec<u8>>, repere_engine::tiles::TileError>;

/// Encodes `batch` on `workers` threads; results in the order of `batch`.
fn encode_batch(
    tiles: &TileSet,
    selected: &[usize],
    batch: &[repere_engine::tiles::TileCoord],
    workers: usize,
) -> Vec<Encoded> {
    let per_worker = batch.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(per_worker)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&c| tiles.encode(selected, c))
                        .collect::<Vec<Encoded>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(batch.chunks(per_worker))
            .flat_map(|(h, part)| {
                h.join().unwrap_or_else(|_| {
                    // A panicking encoder is a defect of the tiler: report it per tile.
                    part.iter()
                        .map(|_| {
                            Err(repere_engine::tiles::TileError::Encode {
                                layer: "*".into(),
                                message: "une tâche d'encodage s'est interrompue (panique)".into(),
                            })
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// Writes each source layer as `DIR/{name}.geojson` (WGS84, same properties as the tiles).
///
/// # Errors
/// When the directory or a file cannot be written.
pub fn write_geojson(
    layers: &[SourceLayer],
    dir: &Path,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("création impossible de {}", dir.display()))?;
    let mut written = Vec::new();
    for layer in layers {
        let path = dir.join(format!("{}.geojson", layer.name));
        std::fs::write(&path, layer_to_geojson(layer).to_string())
            .with_context(|| format!("écriture impossible de {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
