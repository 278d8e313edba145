//! Command-line parsing and the subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd_diag::DiagFormat;
use crate::output::Format;

/// Repère : diagnostics territoriaux pour le repérage des jeunes de 16 à 29 ans ni en emploi, ni
/// en études, ni en formation, autour des quartiers prioritaires de la politique de la ville (QPV).
// The doc comments of this command line are its `--help` text: French, as every text a user
// reads ([`crate::help_fr`] makes clap's own headings and errors French too).
#[derive(Debug, Parser)]
#[command(
    name = "repere",
    version,
    disable_help_flag = true,
    disable_version_flag = true
)]
pub struct Cli {
    /// Manifeste du territoire (TOML) ; sans lui, la Métropole Rouen Normandie embarquée.
    #[arg(long, global = true)]
    pub territory: Option<PathBuf>,
    /// Affiche cette aide.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Charge le territoire et affiche le rapport de chargement.
    Check {
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Sert l'API HTTP, les tuiles vectorielles et la carte web.
    Serve {
        /// Adresse d'écoute.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Mémoire des tuiles encodées, en Mio (0 : pas de cache de tuiles).
        #[arg(long, default_value_t = 64)]
        tile_cache_mb: usize,
        /// Fond de carte sous les couches : `none` (aucun), `ign` (Plan IGN de la Géoplateforme
        /// de l'IGN) ou l'adresse http(s) d'un style MapLibre. Par défaut : la variable
        /// REPERE_BASEMAP_STYLE, sinon `ign`.
        #[arg(long)]
        basemap: Option<repere_server::basemap::Basemap>,
        /// La page lit ses tuiles vectorielles dans cette archive PMTiles (`repere tiles
        /// export`, hébergée en statique ou sur un CDN qui répond aux requêtes partielles) au
        /// lieu de `/tiles/…` ; l'API reste ici. Les tuiles ne suivent alors les modifications
        /// d'acteurs qu'après une nouvelle exportation.
        #[arg(long)]
        tiles_url: Option<repere_server::static_tiles::PmtilesUrl>,
        /// Connexions servies à la fois (les clients suivants attendent).
        #[arg(long, default_value_t = 512)]
        max_connections: usize,
        /// Connexions qu'une même adresse peut tenir à la fois (au-delà : 503 immédiat) ; par
        /// défaut un huitième de --max-connections, sans limite avec --trust-forwarded (derrière
        /// un mandataire inverse, tous les clients ont son adresse).
        #[arg(long)]
        max_connections_per_address: Option<usize>,
        /// Secondes accordées à un client pour envoyer les en-têtes d'une requête, puis son corps.
        #[arg(long, default_value_t = 10)]
        read_timeout_s: u64,
        /// Adresse publique du serveur (`https://carte.example.org`), écrite dans les adresses
        /// de tuiles du TileJSON ; sans elle, ces adresses sont relatives.
        #[arg(long)]
        public_url: Option<String>,
        /// Construit les adresses de tuiles à partir de `X-Forwarded-Proto` et
        /// `X-Forwarded-Host` (seulement derrière un mandataire inverse qui les pose).
        #[arg(long)]
        trust_forwarded: bool,
        /// Où les modifications d'acteurs sont gardées : un fichier GeoPackage (créé s'il
        /// manque ; `repere.gpkg` par défaut quand la modification est permise) ou
        /// `postgresql://…` pour des réplicas qui partagent un même inventaire.
        #[arg(long)]
        store: Option<String>,
        /// Fichier dont la première ligne est le mot de passe PostgreSQL de `--store` (plutôt
        /// que dans l'adresse, visible dans `ps`). Sans lui : la variable PGPASSWORD, puis
        /// ~/.pgpass (ou PGPASSFILE), comme psql.
        #[arg(long)]
        store_password_file: Option<PathBuf>,
        /// Éditeurs autorisés à écrire : un fichier avec un `nom:jeton` par ligne (jeton d'au
        /// moins 24 caractères, un par éditeur), relu à chaque `kill -HUP`. Sans lui, le
        /// serveur est en lecture seule.
        #[arg(long)]
        edit_token_file: Option<PathBuf>,
        /// Géocodeur compatible addok (`/search`, `/reverse`) de la recherche d'adresse, par
        /// exemple `http://127.0.0.1:7878` (un addok local) ou `https://api-adresse.data.gouv.fr`.
        /// Le serveur lui transmet le texte tapé et le centre du territoire, rien d'autre. Sans
        /// lui (ni `[geocoder] url` dans le manifeste), la recherche d'adresse est désactivée.
        #[arg(long)]
        geocoder: Option<repere_server::geocoder::GeocoderUrl>,
    },
    /// Exporte les couches de tuiles vectorielles (PMTiles, GeoJSON).
    Tiles {
        /// Ce qu'il faut exporter.
        #[command(subcommand)]
        command: crate::cmd_tiles::TilesCommand,
    },
    /// Diagnostic d'une commune ou d'un QPV.
    Diagnose {
        /// Code INSEE d'une commune membre (par exemple 76540).
        #[arg(long, conflicts_with = "qpv", required_unless_present = "qpv")]
        commune: Option<String>,
        /// Code d'un QPV 2024 (par exemple QN07620M).
        #[arg(long)]
        qpv: Option<String>,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Classement des communes par priorité de repérage.
    Rank {
        /// Poids des composantes, au-dessus des valeurs par défaut, par exemple
        /// `neet=2,access=1` (clés : neet, neet_count, youth_qpv, access, distance, invisibles).
        #[arg(long)]
        weights: Option<String>,
        /// N'affiche que les N premières communes.
        #[arg(long)]
        top: Option<usize>,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Commune et QPV en un point WGS84 (ou le QPV le plus proche et sa distance).
    Lookup {
        /// Longitude, en degrés WGS84.
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
        /// Latitude, en degrés WGS84.
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        /// Format de sortie.
        #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
        format: DiagFormat,
    },
    /// Vérifie ce que des sites prévus atteindraient (QPV, jeunes, communes, recouvrements, zones blanches).
    Coverage(crate::cmd_coverage::CoverageArgs),
    /// Décrit un territoire à partir des fichiers nationaux (tout EPCI, département ou liste de communes de France).
    Territory {
        /// Ce qu'il faut faire.
        #[command(subcommand)]
        command: crate::cmd_territory::TerritoryCommand,
    },
    /// Transports en commun sur tout flux GTFS, indépendamment du territoire (matrices de temps de trajet).
    Transit {
        /// Ce qu'il faut calculer.
        #[command(subcommand)]
        command: crate::cmd_transit::TransitCommand,
    },
    /// Suggère où ouvrir la prochaine permanence d'un groupe (couverture maximale exacte, sites existants et prévus tenus fixes).
    Suggest(crate::cmd_suggest::SuggestArgs),
    /// Place les lignes d'un CSV d'acteurs ou de sites d'après leur adresse (géocodeur addok).
    Geocode(crate::cmd_geocode::GeocodeArgs),
}

/// Entry point.
pub fn main() -> ExitCode {
    let parsed = crate::help_fr::french(<Cli as clap::CommandFactory>::command())
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => match crate::help_fr::error_message(&e) {
            Some(message) => {
                eprint!("{message}");
                return ExitCode::from(2);
            }
            None => {
                // Help or version, already in French.
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
        },
    };
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
        Command::Geocode(args) => print!("{}", crate::cmd_geocode::run(&analysis, &args)?),
        Command::Serve {
            addr,
            tile_cache_mb,
            basemap,
            tiles_url,
            max_connections,
            max_connections_per_address,
            read_timeout_s,
            public_url,
            trust_forwarded,
            store,
            store_password_file,
            edit_token_file,
            geocoder,
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
                geocoder: match geocoder {
                    Some(url) => Some(url),
                    None => crate::territory::geocoder_url(cli.territory.as_deref())?
                        .map(|u| {
                            u.parse::<repere_server::geocoder::GeocoderUrl>()
                                .map_err(|e| {
                                    anyhow::anyhow!("manifeste du territoire, [geocoder] url : {e}")
                                })
                        })
                        .transpose()?,
                }
                .map(|url| {
                    std::sync::Arc::new(repere_server::geocoder::Geocoder::new(
                        url,
                        repere_server::geocoder::TIMEOUT,
                    ))
                }),
                ..Default::default()
            };
            let tokens = edit_token_file
                .as_deref()
                .map(repere_server::inventory::EditTokens::read)
                .transpose()?;
            if let Some(warning) = edit_token_file
                .as_deref()
                .and_then(repere_server::auth::permission_warning)
            {
                eprintln!("Repère : {warning}");
            }
            let store = match (store, &tokens) {
                (Some(s), _) => Some(s),
                (None, Some(_)) => Some("repere.gpkg".to_owned()),
                (None, None) => None,
            };
            let creds =
                repere_store::pg_password::Credentials::from_env(store_password_file.as_deref());
            let store_location = store.clone();
            let store = store
                .map(|s| repere_store::open_with(&s, &creds))
                .transpose()
                .map_err(|e| anyhow::anyhow!("le magasin d'acteurs ne s'ouvre pas : {e}"))?;
            let projects = store_location
                .as_deref()
                .map(|s| repere_store::projects::open_with(s, &creds))
                .transpose()
                .map_err(|e| anyhow::anyhow!("le magasin des projets ne s'ouvre pas : {e}"))?;
            for warning in store.iter().flat_map(|s| s.warnings()) {
                eprintln!("Repère : attention : {warning}");
            }
            let mut inventory = repere_server::inventory::Inventory::new(store, tokens);
            if let Some(path) = edit_token_file {
                inventory = inventory.with_token_file(path);
            }
            let state = repere_server::AppState::new(analysis)
                .with_tile_cache(tile_cache_mb)
                .with_inventory(std::sync::Arc::new(inventory));
            let state = match projects {
                Some(p) => state.with_projects(std::sync::Arc::new(
                    repere_server::projects::Projects::new(p),
                )),
                None => state,
            };
            let read_timeout = std::time::Duration::from_secs(read_timeout_s.max(1));
            let limits = repere_server::listen::ConnLimits {
                header_read_timeout: read_timeout,
                body_read_timeout: read_timeout,
                max_connections,
                // Behind a reverse proxy every client has the proxy's address: no per-address
                // limit unless asked (the proxy limits its clients).
                max_connections_per_address: max_connections_per_address
                    .or(trust_forwarded.then_some(max_connections)),
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
