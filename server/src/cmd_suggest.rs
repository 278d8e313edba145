//! `repere suggest --group FT [--minutes 15] [--k 3] [--candidates FILE] [--planned FILE]
//! [--export-matrix FILE.json]`: where to open the next permanence (exact maximal covering of
//! the group's gap cells, existing actors and planned sites fixed), with its certificate and
//! the curve of young people reached for 1 … 10 places. `--export-matrix` also writes the
//! coverage matrix solved (weights, each candidate's elements, k, the objective) for an outside
//! solver to check (benches/compare_spopt.sh).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use repere_engine::Analysis;
use repere_engine::coverage::{parse_sites_csv, parse_sites_geojson};
use repere_engine::model::actor::ActorGroup;
use repere_engine::suggest::run::suggest_instance;
use repere_engine::suggest::{
    CurveModel, Proof, SolveModel, SuggestParams, candidates_from_sites, default_candidates,
};

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
    /// Candidats propres (points GeoJSON ou CSV lon,lat) ; par défaut, les structures d'accueil de types adaptés et les carreaux de QPV.
    #[arg(long)]
    pub candidates: Option<PathBuf>,
    /// Sites prévus tenus fixes (points GeoJSON ou CSV lon,lat avec une colonne group facultative) : jamais proposés, leur couverture compte comme déjà atteinte.
    #[arg(long)]
    pub planned: Option<PathBuf>,
    /// La courbe des jeunes atteints va de 1 à ce nombre de lieux (exacte jusqu'à 10).
    #[arg(long, default_value_t = 10)]
    pub curve_k: usize,
    /// Limite de temps de chaque résolution exacte, en secondes.
    #[arg(long, default_value_t = 10.0)]
    pub time_limit_s: f64,
    /// Écrit aussi la matrice de couverture résolue (JSON : poids, éléments de chaque candidat, k, objectif).
    #[arg(long)]
    pub export_matrix: Option<PathBuf>,
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
    let read_sites = |path: &PathBuf| -> anyhow::Result<Vec<repere_engine::coverage::Site>> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("lecture impossible de {}", path.display()))?;
        let json = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{');
        if json {
            parse_sites_geojson(&text)
        } else {
            parse_sites_csv(&text)
        }
        .with_context(|| format!("{}", path.display()))
    };
    let user = match &args.candidates {
        Some(path) => Some(candidates_from_sites(&read_sites(path)?)),
        None => None,
    };
    let planned = match &args.planned {
        Some(path) => read_sites(path)?,
        None => Vec::new(),
    };
    let mut params = SuggestParams::new(group, args.minutes, args.k);
    params.curve_k = args.curve_k;
    params.time_limit_s = args.time_limit_s;
    let s = analysis
        .suggest(user.as_deref(), &planned, &params)
        .map_err(|e| match &args.candidates {
            Some(p) => anyhow::anyhow!("{} : {e}", p.display()),
            None => anyhow::anyhow!("{e}"),
        })?;
    if let Some(path) = &args.export_matrix {
        let ctx = analysis.access();
        let defaults;
        let cands = match &user {
            Some(c) => c.as_slice(),
            None => {
                defaults = default_candidates(analysis.dataset(), &ctx.gaps.grid);
                defaults.as_slice()
            }
        };
        let (inst, kept) = suggest_instance(
            analysis.dataset(),
            &ctx.gaps,
            &ctx.network.params.walk,
            cands,
            &planned,
            group,
            args.minutes,
        );
        let v = serde_json::json!({
            "k": params.k,
            "weights": inst.weights,
            "covers": inst.covers,
            "candidate_ids": kept.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            "objective": s.certificate.objective,
            "solve_ms": s.certificate.solve_ms,
        });
        std::fs::write(path, serde_json::to_vec(&v)?)
            .with_context(|| format!("écriture impossible de {}", path.display()))?;
    }
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
                    p.candidate.kind_fr,
                    p.marginal_gain_youth,
                    s.threshold_min,
                    p.marginal_gap_cells,
                    p.cumulative_youth
                );
            }
            let c = &s.certificate;
            _ = writeln!(
                out,
                "Certificat : modèle {}, {}, écart d'optimalité {}, temps de résolution {} ms",
                match c.model {
                    SolveModel::Exact => "exact",
                    SolveModel::GreedyFallback => "glouton (secours)",
                },
                match c.proof {
                    Proof::Optimal => "optimum prouvé",
                    Proof::GapWithinTolerance => "limite de temps atteinte, écart au plus 0,5 %",
                    Proof::TimeLimitGapAbove => "limite de temps atteinte, écart au-delà de 0,5 %",
                    Proof::GreedyBound => "garantie 1 − 1/e",
                },
                c.gap_pct.map_or_else(
                    || "inconnu".to_owned(),
                    |g| format!("{} %", repere_engine::text::fr_decimal(g, 2))
                ),
                c.solve_ms
            );
            _ = writeln!(
                out,
                "Courbe (jeunes nouvellement atteints selon le nombre de lieux) :"
            );
            for p in &s.curve {
                _ = writeln!(
                    out,
                    "  {} : {:.0} ({})",
                    p.k,
                    p.youth_reached,
                    match p.model {
                        CurveModel::Exact => "exact",
                        CurveModel::Greedy => "glouton",
                    }
                );
            }
            _ = writeln!(out, "Méthode : {}", s.method);
        }
    }
    Ok(out)
}
