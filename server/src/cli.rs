//! Command-line parsing and the subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use repere_engine::{Dataset, LoadReport, Territory};

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
    },
    /// Check what planned sites would reach (QPV, young people, communes, overlap, gaps).
    Coverage(crate::cmd_coverage::CoverageArgs),
}

/// Loads the territory named on the command line (or the default).
pub fn load(territory: Option<&PathBuf>) -> anyhow::Result<(Dataset, LoadReport)> {
    let t = match territory {
        Some(p) => Territory::from_path(p)?,
        None => Territory::default_rouen()?,
    };
    Ok(repere_engine::load::load(&t)?)
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
    match cli.command {
        Command::Check { format } => {
            let (_, report) = load(cli.territory.as_ref()).context("the territory did not load")?;
            match format {
                Format::Text => print!("{report}"),
                Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Coverage(args) => crate::cmd_coverage::run(cli.territory.as_ref(), &args),
        Command::Serve { addr } => {
            let (dataset, report) =
                load(cli.territory.as_ref()).context("the territory did not load")?;
            crate::serve::serve(repere_server::AppState::new(dataset, report), addr)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
