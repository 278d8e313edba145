//! `repere territory new`: a manifest for any EPCI, département or list of communes of France
//! from the national files.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use repere_engine::national::{NationalFiles, Selection, new_territory};

/// `repere territory …`.
#[derive(Debug, Subcommand)]
pub enum TerritoryCommand {
    /// Écrit un manifeste (et son CSV de membres) pour un territoire décrit par les fichiers nationaux.
    New(NewArgs),
}

/// `repere territory new`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("selection").required(true).args(["epci", "departement", "communes"]))]
pub struct NewArgs {
    /// SIREN d'un EPCI (par exemple 200023414, Métropole Rouen Normandie).
    #[arg(long)]
    pub epci: Option<String>,
    /// Code d'un département (par exemple 76, 2A, 974).
    #[arg(long)]
    pub departement: Option<String>,
    /// Codes INSEE de communes, séparés par des virgules.
    #[arg(long, value_delimiter = ',')]
    pub communes: Option<Vec<String>>,
    /// Dossier des fichiers nationaux (communes_france_2018.geojson, …).
    #[arg(long)]
    pub national: PathBuf,
    /// Shapefile des QPV 2015 (par défaut : `<national>/../qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp`).
    #[arg(long)]
    pub qpv2015: Option<PathBuf>,
    /// Dossier de sortie (créé) : territory.toml et membres.csv.
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `territory new`, returning what to print.
pub fn run(command: TerritoryCommand) -> anyhow::Result<String> {
    let TerritoryCommand::New(args) = command;
    let selection = match (args.epci, args.departement, args.communes) {
        (Some(e), _, _) => Selection::Epci(e),
        (_, Some(d), _) => Selection::Departement(d),
        (_, _, Some(c)) => Selection::Communes(c),
        _ => Selection::Communes(Vec::new()),
    };
    let files = NationalFiles::locate(&args.national, args.qpv2015.as_deref())?;
    let t = new_territory(&files, &selection, &args.out)?;
    let mut out = format!(
        "Territoire « {} » : {} communes ; manifeste écrit dans {}\n",
        t.name,
        t.members,
        t.manifest.display()
    );
    if !t.merged.is_empty() {
        out.push_str(&format!(
            "  {} commune(s) réunissent les contours 2018 de communes fusionnées depuis : {}\n",
            t.merged.len(),
            t.merged.join(", ")
        ));
    }
    if !t.without_polygon.is_empty() {
        out.push_str(&format!(
            "  {} commune(s) sans contour, laissées de côté : {}\n",
            t.without_polygon.len(),
            t.without_polygon.join(", ")
        ));
    }
    out.push_str(&format!(
        "Vérifiez-le avec : repere --territory {} check\n",
        t.manifest.display()
    ));
    Ok(out)
}
