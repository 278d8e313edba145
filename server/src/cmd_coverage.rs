//! `repere coverage --sites FILE [--minutes 20] [--mode walk|transit] [--group ML]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use repere_engine::coverage::{
    AccessContext, CoverageParams, Mode, check, parse_sites_csv, parse_sites_geojson,
};
use repere_engine::model::actor::ActorGroup;

/// Output formats of the coverage check.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CoverageFormat {
    /// Human-readable text (French).
    Text,
    /// JSON, as `POST /api/coverage`.
    Json,
    /// The printable HTML page.
    Html,
}

/// Arguments of `repere coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Planned sites: GeoJSON points (`.geojson`, `.json`) or CSV with lon,lat columns.
    #[arg(long)]
    pub sites: PathBuf,
    /// Threshold in minutes.
    #[arg(long, default_value_t = 20.0)]
    pub minutes: f64,
    /// `walk` or `transit` (walk + public transport).
    #[arg(long, default_value = "walk")]
    pub mode: String,
    /// Group of the planned sites (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO).
    #[arg(long)]
    pub group: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
    pub format: CoverageFormat,
}

/// Runs the check and prints the report.
///
/// # Errors
/// Unreadable or invalid sites file (naming the feature or line), bad parameters, load errors.
pub fn run(territory: Option<&PathBuf>, args: &CoverageArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.sites)
        .with_context(|| format!("cannot read {}", args.sites.display()))?;
    let is_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    let sites = if is_json {
        parse_sites_geojson(&text)
    } else {
        parse_sites_csv(&text)
    }
    .with_context(|| format!("{}", args.sites.display()))?;
    let mode = Mode::parse(&args.mode).map_err(|e| anyhow::anyhow!("--mode: {e}"))?;
    let group = args
        .group
        .as_deref()
        .map(ActorGroup::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--group: {e}"))?;
    let (ds, load_report) = crate::cli::load(territory)?;
    let ctx = AccessContext::build_default(&ds);
    let params = CoverageParams {
        threshold_min: args.minutes,
        mode,
        group,
    };
    let r = check(&ds, &ctx.gaps, &ctx.network, &sites, &params)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.sites.display()))?;
    match args.format {
        CoverageFormat::Json => println!("{}", serde_json::to_string_pretty(&r)?),
        CoverageFormat::Html => {
            println!(
                "{}",
                repere_server::routes::coverage_html::render(
                    &ds,
                    &load_report,
                    &r,
                    &repere_server::routes::coverage_html::today_fr()
                )
            )
        }
        CoverageFormat::Text => {
            println!(
                "Couverture de {} site(s), seuil {} min ({:?})",
                r.sites.len(),
                r.threshold_min,
                r.mode
            );
            for w in &r.warnings {
                println!("  attention : {w}");
            }
            println!(
                "Jeunes 15-29 ans atteints (estimation) : {:.0}",
                r.youth_reached
            );
            println!("Carreaux de 200 m atteints : {}", r.cells_reached);
            println!("QPV atteints :");
            for q in &r.qpv {
                println!(
                    "  {} {} : {:.0} % de la surface, {:.0} jeunes",
                    q.code, q.name, q.share_reached_pct, q.youth_reached
                );
            }
            println!("Communes concernées :");
            for c in &r.communes {
                println!(
                    "  {} {} : {} carreaux, {:.0} jeunes",
                    c.code, c.name, c.cells, c.youth_reached
                );
            }
            for g in &r.groups {
                let thr = r.threshold_min;
                println!(
                    "Sites « {} » ({}) : {:.0} jeunes atteints en {thr} min, dont {:.0} déjà à moins de {thr} min d'un acteur « {} » existant et {:.0} en zone blanche « {} » à {thr} min nouvellement couverts ({} carreaux)",
                    g.group_label,
                    g.site_ids.len(),
                    g.youth_reached,
                    g.youth_already_covered,
                    g.group_label,
                    g.youth_newly_covered,
                    g.group_label,
                    g.gap_cells_newly_covered
                );
                if !g.group_in_data {
                    println!(
                        "  aucun acteur « {} » placé dans les données",
                        g.group_label
                    );
                }
                println!(
                    "  acteurs « {} » existants en recouvrement : {}",
                    g.group_label,
                    g.overlapping_actors.len()
                );
                for a in &g.overlapping_actors {
                    println!("    {} ({}) : {} carreaux", a.name, a.kind, a.cells);
                }
            }
            println!("Méthode : {}", r.method);
        }
    }
    Ok(ExitCode::SUCCESS)
}
