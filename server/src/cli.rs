//! Command-line parsing and the subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd_diag::DiagFormat;
use crate::output::Format;

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
        /// Basemap under the map's layers: `none`, `ign` (Plan IGN of the IGN Géoplateforme)
        /// or the http(s) URL of a MapLibre style. Default: REPERE_BASEMAP_STYLE, else `ign`.
        #[arg(long)]
        basemap: Option<repere_server::basemap::Basemap>,
        /// The page reads its vector tiles from this PMTiles archive (`repere tiles export`,
        /// hosted statically or on a CDN that answers range requests) instead of `/tiles/…`;
        /// the API stays here. Tiles then do not follow actor edits until re-exported.
        #[arg(long)]
        tiles_url: Option<repere_server::static_tiles::PmtilesUrl>,
        /// Connections served at once (further clients wait).
        #[arg(long, default_value_t = 512)]
        max_connections: usize,
        /// Seconds a client gets to send a request's headers, and then its body.
        #[arg(long, default_value_t = 10)]
        read_timeout_s: u64,
        /// Public address of the server (`https://carte.example.org`), written in the tile URLs
        /// of the TileJSON; without it they are relative.
        #[arg(long)]
        public_url: Option<String>,
        /// Build tile URLs from `X-Forwarded-Proto` and `X-Forwarded-Host` (only behind a
        /// reverse proxy that sets them).
        #[arg(long)]
        trust_forwarded: bool,
        /// Where actor edits are kept: a GeoPackage file (created when missing; default
        /// `repere.gpkg` when editing is enabled) or `postgresql://…` for replicas sharing one
        /// inventory.
        #[arg(long)]
        store: Option<String>,
        /// Editors allowed to write: a file with one `name:token` per line. Without it the
        /// server is read-only.
        #[arg(long)]
        edit_token_file: Option<PathBuf>,
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
    /// Public transport on any GTFS feed, independent of the territory (travel-time matrices).
    Transit {
        /// What to compute.
        #[command(subcommand)]
        command: crate::cmd_transit::TransitCommand,
    },
    /// Suggest where to open the next permanence of a group (greedy maximal covering).
    Suggest(crate::cmd_suggest::SuggestArgs),
}

/// Entry point.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("erreur : {}", error_chain_fr(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, outermost first, joined by ` : `; I/O and JSON causes in French
/// (their own `Display` is English).
fn error_chain_fr(e: &anyhow::Error) -> String {
    e.chain()
        .map(|cause| {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                repere_engine::text::io_error_fr(io)
            } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
                repere_engine::text::json_error_fr(json)
            } else {
                cause.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" : ")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Transit commands work on any feed, without a territory.
    if let Command::Transit { command } = &cli.command {
        let (text, code) = crate::cmd_transit::run(command)?;
        print!("{text}");
        return Ok(code);
    }
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
        Command::Transit { .. } => {}
        Command::Suggest(args) => print!("{}", crate::cmd_suggest::run(&analysis, &args)?),
        Command::Serve {
            addr,
            tile_cache_mb,
            basemap,
            tiles_url,
            max_connections,
            read_timeout_s,
            public_url,
            trust_forwarded,
            store,
            edit_token_file,
        } => {
            // The tiles are prepared before the server listens: ready means ready to draw.
            analysis.tiles();
            let options = repere_server::AppOptions {
                tile_urls: repere_server::public_url::TileUrls::from_options(
                    public_url.as_deref(),
                    trust_forwarded,
                )?,
                web: repere_server::WebOptions {
                    basemap: crate::serve::resolve_basemap(basemap)?,
                    pmtiles: tiles_url,
                    assets: repere_server::routes::web::WebAssets::locate(
                        std::env::var_os(repere_server::routes::web::WEB_DIR_ENV)
                            .map(std::path::PathBuf::from),
                    ),
                },
                ..Default::default()
            };
            let tokens = edit_token_file
                .as_deref()
                .map(repere_server::inventory::EditTokens::read)
                .transpose()?;
            let store = match (store, &tokens) {
                (Some(s), _) => Some(s),
                (None, Some(_)) => Some("repere.gpkg".to_owned()),
                (None, None) => None,
            };
            let store = store
                .map(|s| repere_store::open(&s))
                .transpose()
                .map_err(|e| anyhow::anyhow!("le magasin d'acteurs ne s'ouvre pas : {e}"))?;
            let inventory = repere_server::inventory::Inventory::new(
                analysis.dataset().clone(),
                analysis.report().clone(),
                analysis.params().clone(),
                store,
                tokens,
            );
            let state = repere_server::AppState::new(analysis)
                .with_tile_cache(tile_cache_mb)
                .with_inventory(std::sync::Arc::new(inventory));
            let read_timeout = std::time::Duration::from_secs(read_timeout_s.max(1));
            let limits = repere_server::listen::ConnLimits {
                header_read_timeout: read_timeout,
                body_read_timeout: read_timeout,
                max_connections,
                ..Default::default()
            };
            crate::serve::serve(state, options, cli.territory.clone(), addr, limits)?;
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
