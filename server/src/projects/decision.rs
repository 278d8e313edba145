//! The Métropole's decision note on its portfolio of projects, as a [`ReportDoc`] rendered by
//! the same machinery as a project's report ([`super::report_html`], [`super::report_pdf`]):
//! the selection under the budget, its figures (young people newly reached, each once; cost;
//! budget left), the certificate (optimum proven, or the gap) and the model that ran, what each
//! project left out would have added, and the projects not considered, with their reason.

use repere_engine::coverage::Mode;
use repere_engine::portfolio::{Certificate, Decision, DecisionLine, Model, Weighting};
use repere_engine::{Dataset, LoadReport};

use super::report::{Block, ReportDoc, Table, census_label};
use crate::french::{fr, mode_fr};

/// What the note says beside the decision.
#[derive(Debug, Clone)]
pub struct Context {
    /// Threshold, minutes.
    pub minutes: f64,
    /// Mode of the coverage.
    pub mode: Mode,
    /// Projects in the portfolio.
    pub projects: usize,
    /// Warnings met (projects left out because they no longer validate, fall-backs).
    pub warnings: Vec<String>,
}

/// Euros in French (`48 500 €`, `50 000,50 €`).
pub fn euros(x: f64) -> String {
    let decimals = if x.fract() == 0.0 { 0 } else { 2 };
    format!("{} €", fr(x, decimals))
}

fn budget(b: Option<f64>) -> String {
    b.map_or_else(|| "non renseigné".to_owned(), euros)
}

fn value_columns(w: Weighting) -> bool {
    w != Weighting::Youth
}

/// Builds the note. `today` is its date (French).
pub fn build(
    ds: &Dataset,
    load: &LoadReport,
    cx: &Context,
    d: &Decision,
    today: &str,
) -> ReportDoc {
    let census = census_label(load);
    let thr = fr(cx.minutes, 0);
    let mode = mode_fr(cx.mode);
    let service = d.service.as_deref().map_or_else(
        || "tous les services offerts par les sites".to_owned(),
        |c| {
            repere_engine::model::actor::ActorGroup::parse(c)
                .map_or_else(|_| c.to_owned(), |g| format!("{} ({c})", g.label()))
        },
    );
    let model = match d.model {
        Model::Exact => "exacte (programme linéaire en nombres entiers, solveur HiGHS)",
        Model::Greedy => "gloutonne (le solveur exact n'a pas pu être utilisé)",
    };
    let certificate = match d.certificate {
        Certificate::Optimal => "optimum prouvé (écart 0 %)".to_owned(),
        Certificate::TimeLimit | Certificate::Stopped => format!(
            "écart à l'optimum d'au plus {} % (limite du solveur atteinte)",
            fr(d.gap_pct, 2)
        ),
        Certificate::None => "sans preuve d'optimalité".to_owned(),
    };
    let identity = vec![
        ("Territoire".to_owned(), ds.name.clone()),
        ("Date de la note".to_owned(), today.to_owned()),
        ("Budget disponible".to_owned(), euros(d.budget_eur)),
        (
            "Projets du portefeuille".to_owned(),
            cx.projects.to_string(),
        ),
        ("Service compté".to_owned(), service),
        (
            "Couverture".to_owned(),
            format!("{thr} min {mode} (carreaux de 200 m)"),
        ),
        ("Pondération".to_owned(), d.weighting.method_fr().to_owned()),
        ("Méthode".to_owned(), model.to_owned()),
    ];

    let names = |lines: &[DecisionLine]| {
        if lines.is_empty() {
            "aucun".to_owned()
        } else {
            lines
                .iter()
                .map(|l| format!("« {} »", l.title))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut blocks = vec![Block::Heading("Décision".into())];
    let mut bullets = vec![
        format!("Projets retenus : {}.", names(&d.selected)),
        format!(
            "Jeunes de 15 à 29 ans nouvellement atteints par la sélection : {} (chacun compté une fois ; estimation, {census}).",
            fr(d.youth, 0)
        ),
    ];
    if value_columns(d.weighting) {
        bullets.push(format!(
            "Valeur maximisée : {} {}.",
            fr(d.value, 1),
            d.weighting.unit_fr()
        ));
    }
    bullets.push(format!(
        "Coût : {} ; budget restant : {} (sur {}).",
        euros(d.cost_eur),
        euros(d.budget_left_eur),
        euros(d.budget_eur)
    ));
    if d.youth_reached_by_several > 0.0 {
        bullets.push(format!(
            "Dont {} jeunes atteints par plusieurs projets retenus, comptés une seule fois.",
            fr(d.youth_reached_by_several, 0)
        ));
    }
    bullets.push(format!(
        "Certificat : {certificate} ; borne supérieure {} ; méthode {model} ; temps de résolution {} ms.",
        fr(d.bound, 1),
        fr(d.solve_ms, 1)
    ));
    bullets.push(format!(
        "Point de départ glouton (meilleur rapport jeunes nouvellement atteints / coût) : {} ; la sélection retenue atteint {}.",
        fr(d.greedy_value, 1),
        fr(d.value, 1)
    ));
    blocks.push(Block::Bullets(bullets));
    for w in &cx.warnings {
        blocks.push(Block::Note(format!("Attention : {w}")));
    }

    let weighted = value_columns(d.weighting);
    let table = |lines: &[DecisionLine], last: &str, reason: bool| {
        let mut header = vec![
            "Projet".to_owned(),
            "Organisation".to_owned(),
            "Budget demandé".to_owned(),
            "Jeunes nouvellement atteints (projet seul)".to_owned(),
            last.to_owned(),
        ];
        let mut numeric = vec![false, false, true, true, true];
        let mut widths = vec![2.2, 1.6, 1.1, 1.2, 1.2];
        if weighted {
            header.push("Valeur pondérée ajoutée".into());
            numeric.push(true);
            widths.push(1.1);
        }
        if reason {
            header.push("Raison".into());
            numeric.push(false);
            widths.push(2.2);
        }
        let rows = lines
            .iter()
            .map(|l| {
                let mut r = vec![
                    l.title.clone(),
                    l.organisation.clone(),
                    budget(l.budget_eur),
                    fr(l.youth_alone, 0),
                    fr(l.marginal_youth, 0),
                ];
                if weighted {
                    r.push(fr(l.marginal_value, 1));
                }
                if reason {
                    r.push(l.reason.clone().unwrap_or_default());
                }
                r
            })
            .collect();
        Block::Table(Table {
            header,
            rows,
            numeric,
            widths,
        })
    };
    blocks.push(Block::Heading("Projets retenus".into()));
    if d.selected.is_empty() {
        blocks.push(Block::Para(
            "Aucun projet n'entre dans le budget en atteignant de nouveaux jeunes.".into(),
        ));
    } else {
        blocks.push(table(
            &d.selected,
            "Apport à la sélection (jeunes que lui seul atteint)",
            false,
        ));
    }
    blocks.push(Block::Heading(
        "Projets non retenus : ce que chacun aurait ajouté".into(),
    ));
    if d.rejected.is_empty() {
        blocks.push(Block::Para(
            "Aucun : tous les projets considérés sont retenus.".into(),
        ));
    } else {
        blocks.push(table(
            &d.rejected,
            "Aurait ajouté à la sélection (jeunes)",
            true,
        ));
    }
    if !d.not_considered.is_empty() {
        blocks.push(Block::Heading("Projets non considérés".into()));
        blocks.push(Block::Bullets(
            d.not_considered
                .iter()
                .map(|l| {
                    format!(
                        "« {} » ({}) : {}.",
                        l.title,
                        l.organisation,
                        l.reason.as_deref().unwrap_or("")
                    )
                })
                .collect(),
        ));
    }
    blocks.push(Block::Heading("Méthode".into()));
    blocks.push(Block::Para(d.method.clone()));
    blocks.push(Block::Note(format!(
        "Jeunes de 15 à 29 ans : {census}, répartis en carreaux de 200 m. « Nouvellement atteints » : au-delà de {thr} min {mode} de tout acteur placé du même service ; un jeune atteint par plusieurs projets retenus compte une fois."
    )));
    ReportDoc {
        title: "Note de décision — portefeuille de projets".to_owned(),
        subtitle: format!(
            "Sélection des projets à financer sous un budget de {} — {}",
            euros(d.budget_eur),
            ds.name
        ),
        identity,
        blocks,
    }
}
