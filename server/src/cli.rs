//! Command-line parsing and the subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd_diag::DiagFormat;

/// Repère: territorial diagnostics for the repérage of young people (16-29) neither in
/// employment, education nor training, around the quartiers prioritaires (QPV).
#[derive(Debug, Parser)]
#[command(name = "repere", version)]
pub struct Cli {
    /// Territory manifest (TOML); the embedded Métropole Rouen Normandie when absent.
    #[arg(long, global = true)]
    pub territory: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the territory and print the load report.
    Check {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Serve the HTTP API, vector tiles and the web map.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Memory for encoded tiles, MiB (0 disables the tile cache).
        #[arg(long, default_value_t = 64)]
        tile_cache_mb: usize,
    },
    /// Export the vector tile layers (PMTiles, GeoJSON).
    Tiles {
        /// What to export.
        #[command(subcommand)]
        command: crate::cmd_tiles::TilesCommand,
    },
    /// Diagnostic of one commune or one QPV.
    Diagnose {
        /// INSEE code of a member commune (e.g. 76540).
        #[arg(long, conflicts_with = "qpv", required_unless_present = "qpv")]
        commune: Option<String>,
        /// Code of a 2024 QPV (e.g. QN07620M).
        #[arg(long)]
        qpv: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Priority ranking of the communes for repérage.
    Rank {
        /// Component weights over the defaults, e.g. `neet=2,access=1` (keys: neet, neet_count,
        /// youth_qpv, access, distance).
        #[arg(long)]
        weights: Option<String>,
        /// Show only the first N communes.
        #[arg(long)]
        top: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Commune and QPV at a WGS84 point (or the nearest QPV and its distance).
    Lookup {
        /// Longitude, WGS84 degrees.
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
        /// Latitude, WGS84 degrees.
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Check what planned sites would reach (QPV, young people, communes, overlap, gaps).
    Coverage(crate::cmd_coverage::CoverageArgs),
    /// Describe a territory from national files (any EPCI, département or communes of France).
    Territory {
        /// What to do.
        #[command(subcommand)]
        command: crate::cmd_territory::TerritoryCommand,
    },
}

/// Entry point.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Territory { command } = cli.command {
        print!("{}", crate::cmd_territory::run(command)?);
        return Ok(ExitCode::SUCCESS);
    }
    let analysis = crate::territory::analysis(cli.territory.as_deref())?;
    match cli.command {
        Command::Check { format } => {
            let report = analysis.report();
            match format {
                Format::Text => print!("{report}"),
                Format::Json => println!("{}", serde_json::to_string_pretty(report)?),
            }
        }
        Command::Coverage(args) => print!("{}", crate::cmd_coverage::run(&analysis, &args)?),
        // Handled above: it loads no territory.
        Command::Territory { .. } => {}
        Command::Serve {
            addr,
            tile_cache_mb,
        } => {
            let state = repere_server::AppState::new(analysis).with_tile_cache(tile_cache_mb);
            crate::serve::serve(state, addr)?;
        }
        Command::Diagnose {
            commune,
            qpv,
            format,
        } => print!(
            "{}",
            crate::cmd_diag::diagnose(&analysis, commune.as_deref(), qpv.as_deref(), format)?
        ),
        Command::Rank {
            weights,
            top,
            format,
        } => print!(
            "{}",
            crate::cmd_diag::rank(&analysis, weights.as_deref(), top, format)?
        ),
        Command::Tiles { command } => print!("{}", crate::cmd_tiles::run(&analysis, command)?),
        Command::Lookup { lon, lat, format } => {
            print!("{}", crate::cmd_diag::lookup(&analysis, lon, lat, format)?)
        }
    }
    Ok(ExitCode::SUCCESS)
}
