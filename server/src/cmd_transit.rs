//! `repere transit matrix`: travel-time matrices on any complete GTFS feed, independent of a
//! territory, and the walking options shared with `repere coverage`.

use repere_engine::csv_cell::csv_field;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use repere_engine::date::iso;
use repere_engine::load::gtfs::read_feed;
use repere_engine::transit::calendar::parse_date;
use repere_engine::transit::matrix::{
    Direction, Matrix, MatrixPoint, MatrixQuery, TransitNetwork, parse_points_csv,
    travel_time_matrix,
};
use repere_engine::walking::{WalkModel, WalkParams};

/// The walking model's parameters (defaults 4.5 km/h, × 1.3, 400 m, 1 000 m).
#[derive(Debug, Clone, Copy, Args)]
pub struct WalkArgs {
    /// Vitesse de marche, en km/h.
    #[arg(long, default_value_t = 4.5)]
    pub walk_kmh: f64,
    /// Distance marchée rapportée à la distance à vol d'oiseau.
    #[arg(long, default_value_t = 1.3)]
    pub detour: f64,
    /// Plus longue correspondance à pied entre deux arrêts, à vol d'oiseau, en mètres.
    #[arg(long, default_value_t = 400.0)]
    pub max_transfer_m: f64,
    /// Plus longue marche entre un point et un arrêt, à vol d'oiseau, en mètres.
    #[arg(long, default_value_t = 1000.0)]
    pub max_access_m: f64,
}

impl WalkArgs {
    /// The validated walking model.
    ///
    /// # Errors
    /// A parameter out of range, named.
    pub fn model(&self) -> anyhow::Result<WalkModel> {
        let p = WalkParams {
            speed_kmh: self.walk_kmh,
            detour_factor: self.detour,
            max_transfer_m: self.max_transfer_m,
            max_access_m: self.max_access_m,
        }
        .validated()?;
        Ok(WalkModel::StraightLine(p))
    }
}

/// Output formats of a matrix.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MatrixFormat {
    /// CSV, une ligne par couple.
    Csv,
    /// JSON.
    Json,
}

/// `repere transit …`.
#[derive(Debug, Subcommand)]
pub enum TransitCommand {
    /// Matrice de temps de trajet entre des points (CSV `id,lon,lat`) sur un flux GTFS.
    Matrix(MatrixArgs),
}

/// Arguments of `repere transit matrix`.
#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Flux GTFS : un zip ou un dossier, avec stop_times.txt.
    #[arg(long)]
    pub gtfs: PathBuf,
    /// Date de service, AAAA-MM-JJ.
    #[arg(long)]
    pub date: String,
    /// Heure de départ HH:MM (l'heure limite d'arrivée avec --arrive-by).
    #[arg(long)]
    pub depart: String,
    /// Fenêtre en minutes : un départ par minute à partir de --depart ; donne la médiane.
    #[arg(long)]
    pub window: Option<u32>,
    /// Centile donné en plus de la médiane sur la fenêtre (par exemple 80).
    #[arg(long)]
    pub percentile: Option<f64>,
    /// --depart est l'heure limite d'arrivée : départs les plus tardifs (RAPTOR inversé).
    #[arg(long)]
    pub arrive_by: bool,
    /// Origines : CSV avec id, lon, lat.
    #[arg(long)]
    pub origins: PathBuf,
    /// Destinations : CSV avec id, lon, lat.
    #[arg(long)]
    pub destinations: PathBuf,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Csv)]
    pub format: MatrixFormat,
    /// Nombre maximal de véhicules par trajet.
    #[arg(long, default_value_t = 5)]
    pub max_rides: usize,
    /// Modèle de marche.
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// Runs a transit subcommand; returns the text to print.
///
/// # Errors
/// Unreadable or invalid feed or points (file, line, field), a date outside the feed's
/// service (with its range), bad parameters.
pub fn run(command: &TransitCommand) -> anyhow::Result<(String, ExitCode)> {
    match command {
        TransitCommand::Matrix(args) => Ok((matrix(args)?, ExitCode::SUCCESS)),
    }
}

fn hhmm(text: &str) -> anyhow::Result<u32> {
    let bad = || anyhow::anyhow!("heure invalide : {text:?} (attendu HH:MM, jusqu'à 47:59)");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 47 || m > 59 {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

fn points(path: &PathBuf) -> anyhow::Result<Vec<MatrixPoint>> {
    let bytes =
        std::fs::read(path).with_context(|| format!("lecture impossible de {}", path.display()))?;
    parse_points_csv(&path.display().to_string(), &bytes).map_err(|p| anyhow::anyhow!("{p}"))
}

fn matrix(args: &MatrixArgs) -> anyhow::Result<String> {
    let walk = args.walk.model()?;
    let date = parse_date(&args.date)?;
    let query = MatrixQuery {
        time_s: hhmm(&args.depart)?,
        direction: if args.arrive_by {
            Direction::ArriveBy
        } else {
            Direction::DepartAt
        },
        window_min: args.window,
        percentile: args.percentile,
        max_rounds: args.max_rides.clamp(1, 16),
    };
    let (origins, destinations) = (points(&args.origins)?, points(&args.destinations)?);
    let (feed, warnings) = read_feed(&args.gtfs)
        .with_context(|| format!("le GTFS {} n'a pas pu être lu", args.gtfs.display()))?;
    for w in &warnings {
        eprintln!("avertissement : {w}");
    }
    let net = TransitNetwork::new(&feed, date, walk)?;
    let m = travel_time_matrix(&net, &origins, &destinations, &query)?;
    eprintln!(
        "{} paires, horaires du {} ({} courses), fuseau {} ; {}",
        m.pairs.len(),
        iso(m.date),
        net.timetable.active_trips,
        feed.timezone.as_deref().unwrap_or("non précisé"),
        m.walk
    );
    Ok(match args.format {
        MatrixFormat::Json => format!("{}\n", serde_json::to_string_pretty(&m)?),
        MatrixFormat::Csv => to_csv(&m),
    })
}

/// One row per pair; `minutes` is empty and `reachable` false for an unreachable pair.
fn to_csv(m: &Matrix) -> String {
    let p = m.query.percentile;
    let mut out = String::from("origin,destination,minutes");
    if let Some(p) = p {
        out.push_str(&format!(",p{p}_minutes"));
    }
    out.push_str(",reachable\n");
    let cell = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
    for pair in &m.pairs {
        out.push_str(&csv_field(&pair.origin));
        out.push(',');
        out.push_str(&csv_field(&pair.destination));
        out.push(',');
        out.push_str(&cell(pair.minutes));
        if p.is_some() {
            out.push(',');
            out.push_str(&cell(pair.percentile_minutes));
        }
        out.push_str(if pair.minutes.is_some() {
            ",true\n"
        } else {
            ",false\n"
        });
    }
    out
}
