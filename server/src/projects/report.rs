//! A project's coverage report as a document: a list of blocks (headings, paragraphs, lists,
//! tables, the map with its legend) built once from the saved project and its coverage, then
//! rendered as a printable HTML page ([`super::report_html`]) or a PDF file
//! ([`super::report_pdf`]), so both say the same thing.
//!
//! Every figure carries the vintage of its source beside it (young people: the census year the
//! territory's youth file is from, read from the loaded data); the missions locales (and other
//! actors) known by address only are named on the lines whose "newly covered" they may
//! affect.

use repere_engine::model::actor::ActorGroup;
use repere_engine::project::map::{MapDrawing, SITE_COLORS, draw};
use repere_engine::project::{Project, ProjectCoverage};
use repere_engine::{Dataset, LoadReport};
use repere_store::projects::StoredProject;

use crate::french::{date_fr, fr, mode_fr};

/// A table: header, rows of text, which columns are numbers, relative column widths.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
    /// Whether each column is numeric (right-aligned).
    pub numeric: Vec<bool>,
    /// Relative widths.
    pub widths: Vec<f64>,
}

/// What a legend item shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Swatch {
    /// A filled square (reached cells of a site).
    Fill(&'static str),
    /// An outline (`color`, line width in px).
    Outline(&'static str, f64),
}

/// The map with its caption and legend.
#[derive(Debug, Clone, PartialEq)]
pub struct MapBlock {
    /// The drawing.
    pub drawing: MapDrawing,
    /// Legend: swatch and label.
    pub legend: Vec<(Swatch, String)>,
    /// Caption.
    pub caption: String,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph.
    Para(String),
    /// A warning paragraph (caveats), set apart.
    Caveat(String),
    /// A smaller, grey paragraph.
    Note(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table.
    Table(Table),
    /// The map.
    Map(Box<MapBlock>),
    /// The next block starts a new page (in the PDF and in the printed HTML alike), so that
    /// both paginate the same way: the same sections start on the same page.
    PageBreak,
}

/// The report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDoc {
    /// The project's title.
    pub title: String,
    /// What the document is.
    pub subtitle: String,
    /// Identity lines (label, value).
    pub identity: Vec<(String, String)>,
    /// The body.
    pub blocks: Vec<Block>,
}

/// Map width in page units (CSS px at 96 dpi; the PDF scales it to its column).
pub const MAP_WIDTH: f64 = 680.0;
/// Highest map height, same units (fits an A4 page with its legend).
pub const MAP_MAX_HEIGHT: f64 = 700.0;
/// The colour of QPV outlines.
pub const QPV_COLOR: &str = "#c2185b";
/// The colour of commune outlines.
pub const COMMUNE_COLOR: &str = "#777777";

fn group_name(g: ActorGroup) -> String {
    format!("{} ({})", g.label(), g.code())
}

/// The census vintage of the youth counts, as the report writes it beside each figure.
pub fn census_label(load: &LoadReport) -> String {
    match load.youth.census_vintage {
        Some(v) => format!("recensement INSEE {v}"),
        None => "recensement INSEE (millésime non déclaré)".to_owned(),
    }
}

/// Where a site is, as the report writes it: the nearest address the geocoder knows (reverse
/// geocoding of the placed point), or the coordinates only, saying why.
#[derive(Debug, Clone, PartialEq)]
pub enum SitePlace {
    /// Not placed.
    Unplaced,
    /// The nearest address to the placed point.
    Address {
        /// WGS84 longitude of the placed point.
        lon: f64,
        /// WGS84 latitude of the placed point.
        lat: f64,
        /// The address as the geocoder writes it.
        label: String,
        /// Distance from the point to the address's position, metres.
        distance_m: f64,
    },
    /// The coordinates only.
    Coordinates {
        /// WGS84 longitude.
        lon: f64,
        /// WGS84 latitude.
        lat: f64,
        /// Why no address is given (French).
        why: String,
    },
}

/// Why the report gives coordinates only when no geocoder is configured.
pub const NO_GEOCODER: &str = "aucun géocodeur configuré";

/// Great-circle distance in metres between two WGS84 points (haversine, mean Earth radius).
pub fn distance_wgs84_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R_M: f64 = 6_371_008.8;
    let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
    let dla = la2 - la1;
    let dlo = (b.0 - a.0).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R_M * h.sqrt().min(1.0).asin()
}

/// A site's place as a French line: the point's coordinates, then its nearest address or why
/// there is none.
pub fn place_fr(place: &SitePlace) -> String {
    let coords = |lon: f64, lat: f64| format!("{}° N, {}° E", fr(lat, 5), fr(lon, 5));
    match place {
        SitePlace::Unplaced => "non placé".into(),
        SitePlace::Address {
            lon,
            lat,
            label,
            distance_m,
        } => format!(
            "{} ; adresse la plus proche : « {label} », à {} m (géocodage inverse, Base Adresse Nationale)",
            coords(*lon, *lat),
            fr(*distance_m, 0)
        ),
        SitePlace::Coordinates { lon, lat, why } => {
            format!("{} (coordonnées seules : {why})", coords(*lon, *lat))
        }
    }
}

/// Builds the report of a saved project. `today` is the date of the report (French); `places`
/// gives each site's place ([`SitePlace`]), in the project's order.
pub fn build(
    ds: &Dataset,
    load: &LoadReport,
    stored: &StoredProject,
    project: &Project,
    cov: &ProjectCoverage,
    places: &[SitePlace],
    today: &str,
) -> ReportDoc {
    let census = census_label(load);
    let mut identity = vec![(
        "Organisation porteuse".to_owned(),
        project.organisation.name.clone(),
    )];
    if let Some(s) = &project.organisation.siret {
        identity.push(("SIRET".into(), s.clone()));
    }
    if let Some(c) = &project.organisation.contact {
        identity.push(("Contact".into(), c.clone()));
    }
    if let Some(p) = &project.public {
        identity.push(("Public visé".into(), p.clone()));
    }
    if let Some(n) = project.youth_target {
        identity.push(("Jeunes visés".into(), fr(f64::from(n), 0)));
    }
    if let Some(b) = project.budget_eur {
        let decimals = if b.fract() == 0.0 { 0 } else { 2 };
        identity.push(("Budget demandé".into(), format!("{} €", fr(b, decimals))));
    }
    if !project.communes.is_empty() {
        let names: Vec<String> = project
            .communes
            .iter()
            .map(|c| {
                ds.commune(c)
                    .map_or_else(|| c.to_string(), |x| format!("{} ({c})", x.name))
            })
            .collect();
        identity.push(("Communes ciblées".into(), names.join(", ")));
    }
    if !project.qpv.is_empty() {
        let names: Vec<String> = project
            .qpv
            .iter()
            .map(|q| {
                ds.qpv(q).map_or_else(
                    || q.to_string(),
                    |x| format!("{} ({q}, QPV {})", x.name, x.vintage),
                )
            })
            .collect();
        identity.push(("QPV ciblés".into(), names.join(", ")));
    }
    identity.push((
        "Date du dossier".into(),
        format!(
            "{} (version {}, enregistrée le {})",
            date_fr(stored.created_ms),
            stored.version,
            date_fr(stored.updated_ms)
        ),
    ));
    identity.push(("Date du rapport".into(), today.to_owned()));
    identity.push(("Territoire".into(), ds.name.clone()));
    identity.push(("Référence".into(), stored.id.clone()));

    let mut blocks = Vec::new();
    let Some(r) = cov.report.as_ref() else {
        blocks.push(Block::Heading("En résumé".into()));
        blocks.push(Block::Para(
            "Aucun site du projet n'est encore placé sur la carte : la couverture ne peut pas être calculée. Placez au moins un site (longitude et latitude) pour obtenir le diagnostic."
                .into(),
        ));
        blocks.push(sites_table(ds, project, cov));
        blocks.push(places_block(project, places));
        return ReportDoc {
            title: project.title.clone(),
            subtitle: format!(
                "Diagnostic de couverture des permanences prévues — {}",
                ds.name
            ),
            identity,
            blocks,
        };
    };
    let thr = fr(r.threshold_min, 0);
    let mode = mode_fr(r.mode);

    // Summary.
    blocks.push(Block::Heading("En résumé".into()));
    let mut bullets = vec![format!(
        "Jeunes de 15 à 29 ans atteints en {thr} min {mode}, tous sites et tous services : {} (estimation, {census}), sur {} carreaux de 200 m.",
        fr(r.youth_reached, 0),
        r.cells_reached
    )];
    for g in &r.groups {
        let numbers = site_numbers(cov, r, g.group);
        let mut line = format!(
            "{} — site(s) n° {numbers} : {} jeunes atteints en {thr} min ({census}), dont {} déjà à moins de {thr} min d'un acteur « {} » placé et {} nouvellement couverts ({} carreaux en zone blanche).",
            group_name(g.group),
            fr(g.youth_reached, 0),
            fr(g.youth_already_covered, 0),
            g.group_label,
            fr(g.youth_newly_covered, 0),
            g.gap_cells_newly_covered,
        );
        if !g.group_in_data {
            line.push_str(&format!(
                " Aucun acteur « {} » n'est placé dans les données : personne n'est compté comme déjà couvert.",
                g.group_label
            ));
        }
        if let Some(c) = cov.caveat(g.group) {
            line.push_str(&format!(
                " {}",
                caveat_text(c, &fr(g.youth_newly_covered, 0))
            ));
        }
        bullets.push(line);
    }
    if !cov.unplaced.is_empty() {
        bullets.push(format!(
            "Site(s) n° {} non placé(s) : pas comptés dans ces chiffres.",
            cov.unplaced
                .iter()
                .map(|i| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    bullets.extend(invisibles_fr(ds, r));
    blocks.push(Block::Bullets(bullets));
    for w in &r.warnings {
        blocks.push(Block::Note(format!("Attention : {w}")));
    }

    // Sites, on the first page with the identity and the summary.
    blocks.push(Block::Heading("Sites".into()));
    blocks.push(sites_table(ds, project, cov));
    blocks.push(places_block(project, places));

    // Map, on a page of its own.
    if let Some(drawing) = draw(ds, cov, MAP_WIDTH, MAP_MAX_HEIGHT) {
        let mut legend: Vec<(Swatch, String)> = project
            .sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.point_wgs84.is_some())
            .map(|(i, s)| {
                (
                    Swatch::Fill(SITE_COLORS[i % SITE_COLORS.len()]),
                    format!(
                        "Site {} — {} : carreaux de 200 m atteints en {thr} min, dont ce site est le plus proche",
                        i + 1,
                        s.name
                    ),
                )
            })
            .collect();
        legend.push((
            Swatch::Outline(QPV_COLOR, 2.0),
            format!(
                "Quartier prioritaire (QPV {}), nom en rose",
                drawing.qpv_vintage
            ),
        ));
        legend.push((
            Swatch::Outline(COMMUNE_COLOR, 1.0),
            "Limite de commune, nom en gris".into(),
        ));
        blocks.push(Block::PageBreak);
        blocks.push(Block::Heading("Carte".into()));
        blocks.push(Block::Map(Box::new(MapBlock {
            drawing,
            legend,
            caption: format!(
                "Sites numérotés comme dans les tableaux ; un carreau est atteint quand son centre est à moins de {thr} min {mode} d'un site. Nord en haut, Lambert-93, barre d'échelle de 1 km."
            ),
        })));
    }

    // Figures per service, from a new page.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading(format!(
        "Chiffres par service (seuil {thr} min {mode})"
    )));
    let rows = r
        .groups
        .iter()
        .map(|g| {
            vec![
                group_name(g.group),
                site_numbers(cov, r, g.group),
                fr(g.youth_reached, 0),
                fr(g.youth_already_covered, 0),
                fr(g.youth_newly_covered, 0),
                g.gap_cells_newly_covered.to_string(),
                census.clone(),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        header: [
            "Service",
            "Sites n°",
            "Jeunes 15-29 ans atteints",
            "dont déjà couverts",
            "dont nouvellement couverts",
            "Carreaux en zone blanche",
            "Source des jeunes",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        numeric: vec![false, false, true, true, true, true, false],
        widths: vec![2.2, 1.0, 1.3, 1.2, 1.4, 1.2, 1.6],
    }));
    for g in &r.groups {
        if let Some(c) = cov.caveat(g.group) {
            blocks.push(Block::Caveat(format!(
                "{} : {}",
                group_name(g.group),
                caveat_text(c, &fr(g.youth_newly_covered, 0))
            )));
        }
    }

    // Per site and service: the lines a caveat belongs to.
    blocks.push(Block::Heading(format!(
        "Chiffres par site et par service (seuil {thr} min {mode})"
    )));
    let rows = r
        .sites
        .iter()
        .enumerate()
        .map(|(k, x)| {
            let i = cov.site_of.get(k).copied().unwrap_or(k);
            let name = project.sites.get(i).map_or("", |s| s.name.as_str());
            let caveat = cov
                .site_address_only
                .get(k)
                .filter(|a| !a.is_empty())
                .map_or_else(
                    || "—".to_owned(),
                    |actors| {
                        actors
                            .iter()
                            .map(|a| {
                                format!(
                                    "« {} » ({}) existe, connue par son adresse, non placée : une partie de ces jeunes en est peut-être proche",
                                    a.name, a.commune_name
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" ; ")
                    },
                );
            vec![
                (i + 1).to_string(),
                name.to_owned(),
                group_name(x.group),
                fr(x.youth_reached, 0),
                fr(x.youth_newly_covered, 0),
                caveat,
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        header: [
            "N°",
            "Site",
            "Service",
            "Jeunes atteints",
            "dont nouvellement couverts",
            "Réserve : acteur du même service connu par adresse",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        numeric: vec![false, false, false, true, true, false],
        widths: vec![0.4, 1.8, 1.5, 1.0, 1.2, 3.0],
    }));
    blocks.push(Block::Note(format!(
        "Jeunes de 15 à 29 ans : {census}. « Nouvellement couverts » : au-delà de {thr} min {mode} de tout acteur placé du même service."
    )));

    // QPV and communes.
    let qv = r.qpv.first().and_then(|q| {
        ds.qpv
            .iter()
            .find(|x| x.code.as_str() == q.code)
            .map(|x| x.vintage)
    });
    // Territory reached (QPV, communes, actors already there), from a new page.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading(format!(
        "Quartiers prioritaires atteints ({thr} min, tous sites)"
    )));
    if r.qpv.is_empty() {
        blocks.push(Block::Para("Aucun QPV n'est atteint dans le seuil.".into()));
    } else {
        blocks.push(Block::Table(Table {
            header: [
                "Code",
                "Nom",
                "Part de la surface atteinte",
                "Jeunes 15-29 ans atteints",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: r
                .qpv
                .iter()
                .map(|q| {
                    vec![
                        q.code.clone(),
                        q.name.clone(),
                        format!("{} %", fr(q.share_reached_pct, 0)),
                        fr(q.youth_reached, 0),
                    ]
                })
                .collect(),
            numeric: vec![false, false, true, true],
            widths: vec![1.2, 3.0, 1.4, 1.4],
        }));
        blocks.push(Block::Note(format!(
            "Contours des QPV {} ; jeunes : {census}.",
            qv.map_or_else(|| "(millésime inconnu)".to_owned(), |v| v.to_string())
        )));
    }
    blocks.push(Block::Heading(format!(
        "Communes concernées ({thr} min, tous sites)"
    )));
    blocks.push(Block::Table(Table {
        header: [
            "Code",
            "Commune",
            "Carreaux atteints",
            "Jeunes 15-29 ans atteints",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: r
            .communes
            .iter()
            .map(|c| {
                vec![
                    c.code.clone(),
                    c.name.clone(),
                    c.cells.to_string(),
                    fr(c.youth_reached, 0),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, true],
        widths: vec![1.0, 3.0, 1.3, 1.6],
    }));

    // Existing actors per service.
    blocks.push(Block::Heading(format!(
        "Acteurs existants du même service dans le périmètre ({thr} min)"
    )));
    let mut rows = Vec::new();
    for g in &r.groups {
        for a in &g.overlapping_actors {
            rows.push(vec![
                group_name(g.group),
                a.name.clone(),
                a.kind.clone(),
                a.cells.to_string(),
            ]);
        }
    }
    if rows.is_empty() {
        blocks.push(Block::Para(
            "Aucun acteur placé des services offerts ne couvre déjà les carreaux atteints.".into(),
        ));
    } else {
        blocks.push(Block::Table(Table {
            header: ["Service", "Acteur", "Type", "Carreaux en commun"]
                .map(str::to_owned)
                .to_vec(),
            rows,
            numeric: vec![false, false, false, true],
            widths: vec![1.8, 3.2, 0.9, 1.2],
        }));
    }
    let to_place: Vec<String> = cov
        .address_only
        .iter()
        .flat_map(|c| {
            c.actors.iter().map(move |a| {
                format!(
                    "{} — {} ({}, {}) : connu par son adresse, non placé",
                    group_name(c.group),
                    a.name,
                    a.address,
                    a.commune_name
                )
            })
        })
        .collect();
    if !to_place.is_empty() {
        blocks.push(Block::Para(
            "Acteurs des mêmes services connus par leur adresse seulement, dans les communes atteintes (ils ne comptent pas dans « déjà couverts ») :".into(),
        ));
        blocks.push(Block::Bullets(to_place));
    }

    // Sources, method and limits, from a new page.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading("Données et millésimes".into()));
    blocks.push(Block::Bullets(sources(load)));
    blocks.push(Block::Heading("Méthode et limites".into()));
    for p in method(r, &census, &thr) {
        blocks.push(Block::Para(p));
    }
    ReportDoc {
        title: project.title.clone(),
        subtitle: format!(
            "Diagnostic de couverture des permanences prévues — {}",
            ds.name
        ),
        identity,
        blocks,
    }
}

/// The project's site numbers offering a group's service (`1, 3`).
fn site_numbers(
    cov: &ProjectCoverage,
    r: &repere_engine::coverage::CoverageReport,
    group: ActorGroup,
) -> String {
    let mut n: Vec<usize> = r
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.group == group)
        .map(|(i, _)| cov.site_of.get(i).copied().unwrap_or(i) + 1)
        .collect();
    n.dedup();
    n.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The caveat of a group's line: its actors known by address in the communes reached.
fn caveat_text(c: &repere_engine::project::AddressOnlyCaveat, newly: &str) -> String {
    let names: Vec<String> = c
        .actors
        .iter()
        .map(|a| format!("« {} » ({}, {})", a.name, a.address, a.commune_name))
        .collect();
    format!(
        "Réserve : {} existe{} dans les communes atteintes, connue{} par {} adresse{} mais non placée{} sur la carte ; elle{} ne compte{} donc pas parmi les acteurs existants, et une partie des {newly} jeunes dits nouvellement couverts en est peut-être proche.",
        names.join(", "),
        if names.len() > 1 { "nt" } else { "" },
        if names.len() > 1 { "s" } else { "" },
        if names.len() > 1 { "leurs" } else { "son" },
        if names.len() > 1 { "s" } else { "" },
        if names.len() > 1 { "s" } else { "" },
        if names.len() > 1 { "s" } else { "" },
        if names.len() > 1 { "nt" } else { "" },
    )
}

/// Each site's place: its point and the nearest address, or the coordinates only.
fn places_block(project: &Project, places: &[SitePlace]) -> Block {
    Block::Bullets(
        project
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let place = places.get(i).cloned().unwrap_or_else(|| {
                    s.point_wgs84
                        .map_or(SitePlace::Unplaced, |p| SitePlace::Coordinates {
                            lon: p.x(),
                            lat: p.y(),
                            why: NO_GEOCODER.to_owned(),
                        })
                });
                format!("Site {} — {} : {}.", i + 1, s.name, place_fr(&place))
            })
            .collect(),
    )
}

fn sites_table(ds: &Dataset, project: &Project, cov: &ProjectCoverage) -> Block {
    let r = cov.report.as_ref();
    let rows = project
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut name = s.name.clone();
            if let Some(a) = &s.address {
                name.push_str(&format!(" — {a}"));
            }
            if let Some(h) = &s.host {
                name.push_str(&format!(" (accueilli par {h})"));
            }
            let services = s
                .services
                .iter()
                .map(|g| g.code())
                .collect::<Vec<_>>()
                .join(", ");
            let reach = r.map(|r| {
                r.sites
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| cov.site_of.get(*k) == Some(&i))
                    .map(|(_, x)| format!("{} : {}", x.group.code(), fr(x.youth_reached, 0)))
                    .collect::<Vec<_>>()
            });
            let (commune, qpv) = r
                .and_then(|r| {
                    r.sites
                        .iter()
                        .enumerate()
                        .find(|(k, _)| cov.site_of.get(*k) == Some(&i))
                        .map(|(_, x)| (x.commune.clone(), x.qpv.clone()))
                })
                .unwrap_or((None, None));
            let commune = commune
                .map(|c| {
                    ds.communes
                        .iter()
                        .find(|x| x.code.as_str() == c)
                        .map_or(c.clone(), |x| x.name.clone())
                })
                .unwrap_or_else(|| "—".into());
            vec![
                (i + 1).to_string(),
                name,
                services,
                s.hours_line().unwrap_or_else(|| "non renseignés".into()),
                if s.point_wgs84.is_some() {
                    commune
                } else {
                    "non placé".into()
                },
                qpv.unwrap_or_else(|| "—".into()),
                match reach {
                    Some(v) if !v.is_empty() => v.join(" ; "),
                    _ => "—".into(),
                },
            ]
        })
        .collect();
    Block::Table(Table {
        header: [
            "N°",
            "Site",
            "Services",
            "Jours et horaires",
            "Commune",
            "QPV",
            "Jeunes atteints par service",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        numeric: vec![false; 7],
        widths: vec![0.4, 2.4, 0.8, 2.2, 1.1, 0.9, 1.3],
    })
}

fn sources(load: &LoadReport) -> Vec<String> {
    let mut out = vec![format!(
        "Communes : {} communes membres (contours IGN Admin Express COG 2018 simplifiés ; liste des membres 2026, découpage administratif Etalab).",
        load.communes
    )];
    for (v, n) in &load.qpv {
        let decree = if *v == 2024 {
            " (décret 2023-1314)"
        } else {
            ""
        };
        out.push(format!(
            "Quartiers prioritaires {v}{decree} : {n} QPV (ANCT, data.gouv.fr)."
        ));
    }
    out.push(format!(
        "Jeunes de 15 à 29 ans : {} par IRIS ({} IRIS dont {} avec contours) ou par commune ; plus ancien que les populations légales récentes.",
        census_label(load),
        load.youth.iris,
        load.youth.iris_with_contours
    ));
    let sources: Vec<String> = load
        .actor_sources
        .iter()
        .map(|s| match &s.label {
            Some(l) => format!("{l} : {} retenues (fichier {})", s.kept, s.file),
            None => format!(
                "« {} » : {} retenues (fichier {})",
                s.source, s.kept, s.file
            ),
        })
        .collect();
    out.push(format!(
        "Acteurs existants : {} structures placées, {} connues par adresse seulement{}.",
        load.actors,
        load.actors_to_place.len(),
        if sources.is_empty() {
            String::new()
        } else {
            format!(" — {}", sources.join(" ; "))
        }
    ));
    if let Some(t) = &load.transport {
        out.push(format!(
            "Transport : {} arrêts, {} lignes (GTFS) ; {}.",
            t.stops,
            t.routes,
            if t.timetable_available {
                "horaires disponibles"
            } else {
                "sans horaires : accès mesuré à pied"
            }
        ));
    }
    out.push(format!(
        "Version des données : {} ; origine, millésime et licence de chaque fichier dans les SOURCE.md du dossier data/.",
        load.version
    ));
    out
}

fn method(r: &repere_engine::coverage::CoverageReport, census: &str, thr: &str) -> Vec<String> {
    vec![
        format!("Comment l'accès est mesuré : {}.", r.method),
        format!(
            "Un site compte pour chacun des services qu'il offre : une permanence qui accueille un conseiller mission locale et un conseiller France Travail est comptée une fois pour chaque service. Pour chaque service, les jeunes « déjà couverts » sont à moins de {thr} min d'un acteur existant placé du même service ; les autres, en zone blanche de ce service, sont « nouvellement couverts ». Les deux s'additionnent."
        ),
        format!(
            "Les jeunes de 15 à 29 ans viennent du {census}, par IRIS (contours) ou par commune, répartis uniformément sur la surface des carreaux de 200 m : c'est une estimation, pas un décompte, qui ignore où les jeunes habitent réellement (bois, zones d'activité et Seine en reçoivent aussi) et l'évolution de la population depuis."
        ),
        "Un acteur connu seulement par son adresse (non placé) ne compte pas parmi les acteurs existants : les lignes concernées le nomment. Les distances à pied ne tiennent compte ni du relief ni des horaires réels d'ouverture des acteurs existants. Les QPV sont atteints pour la part de leur surface située dans des carreaux atteints.".to_owned(),
    ]
}

/// Most sites of one report whose nearest address is asked for (the others are given by their
/// coordinates, saying so): a report of 1 000 sites never makes 1 000 calls.
pub const MAX_REVERSE_PER_REPORT: usize = 50;

/// Each site's place for the report: the nearest address of its point by reverse geocoding
/// when a geocoder is configured, else (or when it fails or knows none) the coordinates only,
/// saying why in French. At most [`MAX_REVERSE_PER_REPORT`] calls; after a failure (geocoder
/// down or slow) no further call is made and the other sites say the same cause.
pub fn site_places(
    geocoder: Option<&crate::geocoder::Geocoder>,
    points: &[Option<(f64, f64)>],
) -> Vec<SitePlace> {
    let mut calls = 0;
    let mut failed: Option<String> = None;
    points
        .iter()
        .map(|p| {
            let Some((lon, lat)) = *p else {
                return SitePlace::Unplaced;
            };
            let coordinates = |why: String| SitePlace::Coordinates { lon, lat, why };
            let Some(g) = geocoder else {
                return coordinates(NO_GEOCODER.to_owned());
            };
            if let Some(cause) = &failed {
                return coordinates(cause.clone());
            }
            if calls == MAX_REVERSE_PER_REPORT {
                return coordinates(format!(
                    "adresse la plus proche donnée pour les {MAX_REVERSE_PER_REPORT} premiers sites seulement"
                ));
            }
            calls += 1;
            match g.reverse(lon, lat) {
                Ok(found) => match found.into_iter().next() {
                    Some(c) => SitePlace::Address {
                        lon,
                        lat,
                        distance_m: distance_wgs84_m((lon, lat), (c.lon, c.lat)),
                        label: c.label,
                    },
                    None => coordinates(
                        "aucune adresse connue du géocodeur près de ce point".to_owned(),
                    ),
                },
                Err(e) => {
                    let cause = format!("adresse non obtenue, {e}");
                    failed = Some(cause.clone());
                    coordinates(cause)
                }
            }
        })
        .collect()
}

/// The invisibles within reach of a check as the reports write them (French): the figure with
/// the secrecy rule applied, then the follow-up files it rests on with their age bands and
/// dates, and the NEET estimate's sources; `None` when the check carries no invisibles.
pub fn invisibles_fr(ds: &Dataset, r: &repere_engine::coverage::CoverageReport) -> Option<String> {
    let inv = r.invisibles.as_ref()?;
    let mut line = format!(
        "Invisibles (jeunes NEET estimés sans suivi) à portée, tous sites : {}",
        inv.text
    );
    if !inv.communes_counted.is_empty() {
        let files: Vec<String> = ds
            .followup
            .files
            .iter()
            .map(|f| format!("{} ({} ans, {})", f.label, f.age_band, f.date))
            .collect();
        let census = ds
            .youth
            .census_vintage
            .map_or_else(|| "millésime non déclaré".to_owned(), |v| v.to_string());
        line.push_str(&format!(
            ". Sources : jeunes suivis, {} ; NEET estimés, part de NEET du recensement 2018 × jeunes de 15 à 29 ans du recensement {census} ; secret statistique : « < 11 » sous 11, arrondi à la dizaine",
            files.join(" ; ")
        ));
    }
    if !line.ends_with('.') {
        line.push('.');
    }
    Some(line)
}
