//! `repere suggest --group FT [--minutes 15] [--k 3] [--candidates FILE]`: where to open the
//! next permanence (greedy maximal covering of the group's gap cells).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use repere_engine::Analysis;
use repere_engine::coverage::{parse_sites_csv, parse_sites_geojson};
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::{SuggestParams, candidates_from_sites};

use crate::output::Format;

/// Arguments of `repere suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Groupe dont il faut couvrir les zones blanches (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO).
    #[arg(long)]
    pub group: String,
    /// Seuil à pied, en minutes.
    #[arg(long, default_value_t = 15.0)]
    pub minutes: f64,
    /// Nombre de structures à suggérer.
    #[arg(long, default_value_t = 3)]
    pub k: usize,
    /// Candidats propres (points GeoJSON ou CSV lon,lat) ; par défaut, les structures d'accueil existantes.
    #[arg(long)]
    pub candidates: Option<PathBuf>,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs the suggestion over the analysis and returns what to print.
///
/// # Errors
/// Unreadable or invalid candidates (naming the line or feature), bad parameters.
pub fn run(analysis: &Analysis, args: &SuggestArgs) -> anyhow::Result<String> {
    let group = ActorGroup::parse(&args.group).map_err(|_| {
        anyhow::anyhow!(
            "--group : groupe d'acteurs inconnu {:?} (ML, FT, RFS, SIAE, CS, PIJ_BIJ, E2C_EPIDE, ASSO)",
            args.group
        )
    })?;
    let user = match &args.candidates {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("lecture impossible de {}", path.display()))?;
            let json = text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{');
            let sites = if json {
                parse_sites_geojson(&text)
            } else {
                parse_sites_csv(&text)
            }
            .with_context(|| format!("{}", path.display()))?;
            Some(candidates_from_sites(&sites))
        }
        None => None,
    };
    let s = analysis
        .suggest(
            user.as_deref(),
            &SuggestParams {
                group,
                threshold_min: args.minutes,
                k: args.k,
            },
        )
        .map_err(|e| match &args.candidates {
            Some(p) => anyhow::anyhow!("{} : {e}", p.display()),
            None => anyhow::anyhow!("{e}"),
        })?;
    let mut out = String::new();
    match args.format {
        Format::Json => return Ok(serde_json::to_string_pretty(&s)? + "\n"),
        Format::Text => {
            _ = writeln!(
                out,
                "Où ouvrir une permanence « {} » : {} structure(s) parmi {} candidates, seuil {} min à pied",
                s.group_label, s.k, s.candidates, s.threshold_min
            );
            if !s.group_in_data {
                _ = writeln!(
                    out,
                    "  aucun acteur « {} » placé dans les données : tous les jeunes sont hors seuil",
                    s.group_label
                );
            }
            _ = writeln!(
                out,
                "Zones blanches « {} » à {} min : {} carreaux, {:.0} jeunes de 15-29 ans",
                s.group_label, s.threshold_min, s.gap_cells, s.gap_youth
            );
            for p in &s.picks {
                _ = writeln!(
                    out,
                    "  {}. {} ({}) : +{:.0} jeunes nouvellement à moins de {} min ({} carreaux), cumul {:.0}",
                    p.rank,
                    p.candidate.name,
                    p.candidate.kind.as_deref().unwrap_or("candidate"),
                    p.marginal_gain_youth,
                    s.threshold_min,
                    p.marginal_gap_cells,
                    p.cumulative_youth
                );
            }
            _ = writeln!(out, "Méthode : {}", s.method);
        }
    }
    Ok(out)
}
