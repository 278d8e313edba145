//! `repere tiles export` (PMTiles v3) and `repere tiles geojson` (one GeoJSON file per layer).

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use repere_engine::Analysis;
use repere_server::export::{write_geojson, write_pmtiles};

/// `repere tiles …`.
#[derive(Debug, Subcommand)]
pub enum TilesCommand {
    /// Écrit les couches de tuiles dans une archive PMTiles v3, à héberger en statique.
    Export {
        /// Fichier de sortie (`.pmtiles`).
        #[arg(long)]
        out: PathBuf,
        /// Zoom le plus faible (relevé au minimum propre des couches).
        #[arg(long, default_value_t = 0)]
        minzoom: u8,
        /// Zoom le plus fort (au plus 14).
        #[arg(long, default_value_t = 14)]
        maxzoom: u8,
        /// Couches : `all` (couches de base), couches de zones blanches (`gaps_1600m`,
        /// `gaps_800m`, `gaps`) ou noms séparés par des virgules (communes, qpv, actors, stops,
        /// iris).
        #[arg(long, default_value = "all,gaps_1600m,gaps_800m,gaps")]
        layers: String,
    },
    /// Écrit chaque couche de tuiles dans un fichier GeoJSON (WGS84, mêmes propriétés que les tuiles).
    Geojson {
        /// Dossier de sortie.
        #[arg(long)]
        out_dir: PathBuf,
        /// Couches : `all` (couches de base), couches de zones blanches ou noms séparés par des virgules.
        #[arg(long, default_value = "all,gaps_1600m,gaps_800m,gaps")]
        layers: String,
    },
}

/// Runs a `tiles` subcommand over the analysis's prepared tiles and source layers.
pub fn run(analysis: &Analysis, command: TilesCommand) -> anyhow::Result<String> {
    let tiles = analysis.tiles();
    match command {
        TilesCommand::Export {
            out,
            minzoom,
            maxzoom,
            layers,
        } => {
            let max = repere_engine::tiles::MAX_ZOOM;
            if maxzoom > max {
                anyhow::bail!("--maxzoom {maxzoom} refusé : au plus {max}");
            }
            if minzoom > maxzoom {
                anyhow::bail!(
                    "--minzoom {minzoom} supérieur à --maxzoom {maxzoom} : aucune tuile à écrire"
                );
            }
            let selected = tiles
                .select(&layers)
                .map_err(anyhow::Error::msg)
                .context("--layers")?;
            let file = std::fs::File::create(&out)
                .with_context(|| format!("création impossible de {}", out.display()))?;
            let s = write_pmtiles(
                tiles,
                &selected,
                minzoom,
                maxzoom,
                std::io::BufWriter::new(file),
            )?;
            Ok(format!(
                "{} : {} tuiles ({} vides omises), {} octets avant compression\n",
                out.display(),
                s.tiles,
                s.empty,
                s.raw_bytes
            ))
        }
        TilesCommand::Geojson { out_dir, layers } => {
            let selected = tiles
                .select(&layers)
                .map_err(anyhow::Error::msg)
                .context("--layers")?;
            let names = tiles.layer_names();
            let wanted: Vec<&str> = selected
                .iter()
                .filter_map(|&i| names.get(i).copied())
                .collect();
            // The same source layers as the served tiles: the dataset's, then the gap layers.
            let sources: Vec<_> = analysis
                .source_layers()
                .into_iter()
                .filter(|l| wanted.contains(&l.name.as_str()))
                .collect();
            let written = write_geojson(&sources, &out_dir)?;
            Ok(written
                .iter()
                .map(|p| format!("{}\n", p.display()))
                .collect())
        }
    }
}
