//! `repere coverage --sites FILE [--minutes 20] [--mode walk|transit] [--group ML]`.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use repere_engine::Analysis;
use repere_engine::coverage::{
    CoverageParams, CoverageReport, Mode, parse_sites_csv, parse_sites_geojson,
};
use repere_engine::model::actor::ActorGroup;

/// Output formats of the coverage check.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CoverageFormat {
    /// Texte lisible.
    Text,
    /// JSON, comme `POST /api/coverage`.
    Json,
    /// La page HTML imprimable.
    Html,
}

/// Arguments of `repere coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Sites prévus : points GeoJSON (`.geojson`, `.json`) ou CSV avec des colonnes lon,lat.
    #[arg(long)]
    pub sites: PathBuf,
    /// Seuil, en minutes.
    #[arg(long, default_value_t = 20.0)]
    pub minutes: f64,
    /// `walk` (à pied) ou `transit` (marche et transports en commun).
    #[arg(long, default_value = "walk")]
    pub mode: String,
    /// Groupe des sites prévus (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO).
    #[arg(long)]
    pub group: Option<String>,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
    pub format: CoverageFormat,
}

/// Runs the check over `analysis` and renders the report.
///
/// # Errors
/// Unreadable or invalid sites file (naming the feature or line), bad parameters.
pub fn run(analysis: &Analysis, args: &CoverageArgs) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(&args.sites)
        .with_context(|| format!("lecture impossible de {}", args.sites.display()))?;
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
    let mode = Mode::parse(&args.mode).map_err(|e| anyhow::anyhow!("--mode : {e}"))?;
    let group = args
        .group
        .as_deref()
        .map(ActorGroup::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--group : {e}"))?;
    let params = CoverageParams {
        threshold_min: args.minutes,
        mode,
        group,
    };
    let r = analysis
        .coverage(&sites, &params)
        .map_err(|e| anyhow::anyhow!("{} : {e}", args.sites.display()))?;
    Ok(match args.format {
        CoverageFormat::Json => serde_json::to_string_pretty(&r)? + "\n",
        CoverageFormat::Html => {
            repere_server::routes::coverage_html::render(
                analysis.dataset(),
                analysis.report(),
                &r,
                &[],
                &repere_server::french::today_fr(),
            ) + "\n"
        }
        CoverageFormat::Text => text_report(&r),
    })
}

fn text_report(r: &CoverageReport) -> String {
    let mut s = String::new();
    _ = writeln!(
        s,
        "Couverture de {} site(s), seuil {} min ({:?})",
        r.sites.len(),
        r.threshold_min,
        r.mode
    );
    for w in &r.warnings {
        _ = writeln!(s, "  attention : {w}");
    }
    _ = writeln!(
        s,
        "Jeunes 15-29 ans atteints (estimation) : {:.0}",
        r.youth_reached
    );
    _ = writeln!(s, "Carreaux de 200 m atteints : {}", r.cells_reached);
    _ = writeln!(s, "QPV atteints :");
    for q in &r.qpv {
        _ = writeln!(
            s,
            "  {} {} : {:.0} % de la surface, {:.0} jeunes",
            q.code, q.name, q.share_reached_pct, q.youth_reached
        );
    }
    _ = writeln!(s, "Communes concernées :");
    for c in &r.communes {
        _ = writeln!(
            s,
            "  {} {} : {} carreaux, {:.0} jeunes",
            c.code, c.name, c.cells, c.youth_reached
        );
    }
    let thr = r.threshold_min;
    for g in &r.groups {
        let l = g.group_label;
        _ = writeln!(
            s,
            "Sites « {l} » ({}) : {:.0} jeunes atteints en {thr} min, dont {:.0} déjà à moins de {thr} min d'un acteur « {l} » existant et {:.0} en zone blanche « {l} » à {thr} min nouvellement couverts ({} carreaux)",
            g.site_ids.len(),
            g.youth_reached,
            g.youth_already_covered,
            g.youth_newly_covered,
            g.gap_cells_newly_covered
        );
        if !g.group_in_data {
            _ = writeln!(s, "  aucun acteur « {l} » placé dans les données");
        }
        _ = writeln!(
            s,
            "  acteurs « {l} » existants en recouvrement : {}",
            g.overlapping_actors.len()
        );
        for a in &g.overlapping_actors {
            _ = writeln!(s, "    {} ({}) : {} carreaux", a.name, a.kind, a.cells);
        }
    }
    _ = writeln!(s, "Méthode : {}", r.method);
    s
}
