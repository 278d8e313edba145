//! The load report: what was loaded, what is missing, and every warning.

use std::collections::BTreeMap;
use std::fmt;

use crate::dataset::Dataset;
use crate::model::actor::ActorGroup;
use crate::problem::Problem;

/// Counts of actors of one typology.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KindCount {
    /// Typology code.
    pub kind: String,
    /// Typology label.
    pub label: String,
    /// Diagnostic group code.
    pub group: &'static str,
    /// Number of actors.
    pub count: usize,
}

/// A diagnostic group with no placed actor in the dataset.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AbsentGroup {
    /// Group code.
    pub group: &'static str,
    /// French label.
    pub label: &'static str,
    /// Actors of the group known by address only (to place): 0 when the data have none at all.
    pub to_place: usize,
}

/// An actor known by address only, listed "à localiser".
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActorToPlaceEntry {
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Typology code.
    pub kind: String,
    /// Diagnostic group code.
    pub group: &'static str,
    /// Postal address.
    pub address: String,
    /// INSEE code of its commune.
    pub commune: String,
    /// Name of its commune.
    pub commune_name: String,
}

/// Per-source actor counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceCount {
    /// Source id.
    pub source: String,
    /// The source's label from the territory file (what it is and from when, e.g. "France
    /// services de Seine-Maritime (ANCT, liste du 2024-08-01)"), if it has one.
    pub label: Option<String>,
    /// File.
    pub file: String,
    /// Actors kept.
    pub kept: usize,
    /// Actors skipped because they lie beyond the territory's margin.
    pub skipped_outside: usize,
    /// Records left out by the source's `keep_only` (kept out of every measure).
    pub excluded: usize,
    /// Why (French), when the source has a `keep_only`.
    pub excluded_reason: Option<String>,
}

/// The CRS of a geometry layer and what was done to bring it to WGS84.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerCrs {
    /// File.
    pub file: String,
    /// Format read (`geojson`, `shapefile`, `gpkg`, …).
    pub format: &'static str,
    /// The CRS found, and where it was found (manifest, `.prj`, GeoPackage, GeoJSON, default).
    pub crs_found: String,
    /// The transformation applied to WGS84 (library and operation), or none.
    pub transformation: String,
    /// How text attributes were decoded (shapefile DBF code page), when it matters.
    pub encoding: Option<String>,
}

/// Transport summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TransportSummary {
    /// Stops and stations.
    pub stops: usize,
    /// Routes.
    pub routes: usize,
    /// Trips.
    pub trips: usize,
    /// Stop times.
    pub stop_times: usize,
    /// Transfers.
    pub transfers: usize,
    /// Whether travel times by public transport can be computed.
    pub timetable_available: bool,
    /// What the product does with this feed.
    pub note: String,
}

/// Pedestrian network summary (`[walking]`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct WalkingSummary {
    /// The extract.
    pub file: String,
    /// What the build read and kept.
    pub stats: crate::walking::BuildStats,
    /// Snapping distance, metres.
    pub max_snap_m: f64,
    /// Actors farther than the snapping distance from the network (straight-line fallback).
    pub actors_unsnapped: usize,
    /// Stops farther than the snapping distance from the network (straight-line fallback).
    pub stops_unsnapped: usize,
}

/// Youth data summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct YouthSummary {
    /// Census vintage.
    pub census_vintage: Option<u16>,
    /// IRIS with census population in member communes.
    pub iris: usize,
    /// Of which with contours.
    pub iris_with_contours: usize,
    /// Member communes with population by age.
    pub communes_with_population: usize,
    /// Member communes with NEET shares.
    pub communes_with_neet_share: usize,
    /// QPV (any vintage code) with INSEE figures.
    pub qpv_with_figures: usize,
}

/// Follow-up counts summary (`[followup]`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct FollowupSummary {
    /// The files loaded: source, label, age band, date, level, areas counted.
    pub files: Vec<crate::model::followup::FollowupFile>,
    /// Member communes with at least one count (commune or IRIS rows).
    pub communes_counted: usize,
    /// QPV of the latest vintage with at least one count.
    pub qpv_counted: usize,
    /// The national order of magnitude given in the manifest, if any.
    pub national: Option<crate::manifest::NationalShare>,
}

/// What a load produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoadReport {
    /// Territory name.
    pub territory: String,
    /// Manifest read.
    pub manifest: String,
    /// Dataset version (content hash).
    pub version: String,
    /// Member communes.
    pub communes: usize,
    /// QPV per vintage.
    pub qpv: BTreeMap<u16, usize>,
    /// QPV of the files skipped because outside the territory, per file.
    pub qpv_skipped_outside: Vec<(String, usize)>,
    /// Placed actors.
    pub actors: usize,
    /// Actors known by address only, to place (counted in their commune, in no distance).
    pub actors_to_place: Vec<ActorToPlaceEntry>,
    /// Actors per typology.
    pub actors_by_kind: Vec<KindCount>,
    /// Actors per diagnostic group.
    pub actors_by_group: BTreeMap<&'static str, usize>,
    /// Groups a diagnostic expects that have no actor.
    pub absent_groups: Vec<AbsentGroup>,
    /// Per-source counts.
    pub actor_sources: Vec<SourceCount>,
    /// Transport.
    pub transport: Option<TransportSummary>,
    /// Pedestrian network; `None`: walking is the straight line.
    pub walking: Option<WalkingSummary>,
    /// Youth data.
    pub youth: YouthSummary,
    /// Follow-up counts (young people followed) and the national order of magnitude.
    pub followup: FollowupSummary,
    /// Warnings (repairs, gaps, disagreements), each naming file, place and field.
    pub warnings: Vec<Problem>,
    /// CRS found and transformation applied, per geometry layer (communes, QPV, IRIS contours).
    pub layers_crs: Vec<LayerCrs>,
}

impl LoadReport {
    /// Summarises a dataset.
    pub fn new(
        ds: &Dataset,
        manifest: &str,
        warnings: Vec<Problem>,
        qpv_skipped: Vec<(String, usize)>,
        actor_sources: Vec<SourceCount>,
    ) -> Self {
        let mut qpv = BTreeMap::new();
        for q in &ds.qpv {
            *qpv.entry(q.vintage).or_insert(0) += 1;
        }
        let mut by_kind: BTreeMap<&str, KindCount> = BTreeMap::new();
        let mut by_group: BTreeMap<&'static str, usize> =
            ActorGroup::ALL.iter().map(|g| (g.code(), 0)).collect();
        for a in &ds.actors {
            let group = a.kind.group();
            by_kind
                .entry(a.kind.code())
                .or_insert_with(|| KindCount {
                    kind: a.kind.code().to_owned(),
                    label: a.kind.label().to_owned(),
                    group: group.code(),
                    count: 0,
                })
                .count += 1;
            *by_group.entry(group.code()).or_insert(0) += 1;
        }
        let actors_to_place: Vec<ActorToPlaceEntry> = ds
            .actors_to_place
            .iter()
            .map(|a| ActorToPlaceEntry {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind.code().to_owned(),
                group: a.kind.group().code(),
                address: a.address.clone(),
                commune: a.commune.to_string(),
                commune_name: ds
                    .commune(&a.commune)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let absent_groups = ActorGroup::EXPECTED
            .iter()
            .filter(|g| by_group.get(g.code()).copied().unwrap_or(0) == 0)
            .map(|g| AbsentGroup {
                group: g.code(),
                label: g.label(),
                to_place: actors_to_place
                    .iter()
                    .filter(|a| a.group == g.code())
                    .count(),
            })
            .collect();
        let transport = ds.transport.as_ref().map(|t| TransportSummary {
            stops: t.stops.len(),
            routes: t.routes.len(),
            trips: t.trips.len(),
            stop_times: t.stop_times.len(),
            transfers: t.transfers.len(),
            timetable_available: t.has_timetable,
            note: if t.has_timetable {
                "horaires complets : les temps de trajet en transport en commun sont disponibles"
                    .into()
            } else {
                "le GTFS n'a pas d'horaires (stop_times.txt absent ou vide) : pas d'accès calculé sur les horaires ; \
                 l'accès est mesuré à pied et par proximité des arrêts seulement"
                    .into()
            },
        });
        let walking = ds.walk_network.as_ref().map(|net| WalkingSummary {
            file: net.file.clone(),
            stats: net.stats.clone(),
            max_snap_m: net.max_snap_m,
            actors_unsnapped: ds
                .actors
                .iter()
                .filter(|a| net.snap(a.point_l93).is_none())
                .count(),
            stops_unsnapped: ds.transport.as_ref().map_or(0, |t| {
                t.stops
                    .iter()
                    .filter(|s| net.snap(s.point_m).is_none())
                    .count()
            }),
        });
        let y = &ds.youth;
        Self {
            territory: ds.name.clone(),
            manifest: manifest.to_owned(),
            version: ds.version.clone(),
            communes: ds.communes.len(),
            qpv,
            qpv_skipped_outside: qpv_skipped,
            actors: ds.actors.len(),
            actors_to_place,
            actors_by_kind: by_kind.into_values().collect(),
            actors_by_group: by_group,
            absent_groups,
            actor_sources,
            transport,
            walking,
            youth: YouthSummary {
                census_vintage: y.census_vintage,
                iris: y.iris.len(),
                iris_with_contours: y.iris.iter().filter(|i| i.boundary_wgs84.is_some()).count(),
                communes_with_population: y.by_commune.len(),
                communes_with_neet_share: y.neet_by_commune.len(),
                qpv_with_figures: y.qpv_figures.len(),
            },
            followup: FollowupSummary {
                files: ds.followup.files.clone(),
                communes_counted: ds.followup.by_commune.len(),
                qpv_counted: ds.followup.by_qpv.len(),
                national: ds.followup.national.clone(),
            },
            warnings,
            layers_crs: Vec::new(),
        }
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Territoire : {} (manifeste {}, version {})",
            self.territory, self.manifest, self.version
        )?;
        writeln!(f, "Communes : {}", self.communes)?;
        for (vintage, n) in &self.qpv {
            writeln!(f, "QPV {vintage} : {n}")?;
        }
        for (file, n) in self.qpv_skipped_outside.iter().filter(|(_, n)| *n > 0) {
            writeln!(
                f,
                "  ({n} QPV de {file} hors du territoire, laissés de côté)"
            )?;
        }
        writeln!(f, "Acteurs : {}", self.actors)?;
        for k in &self.actors_by_kind {
            writeln!(
                f,
                "  {:<8} {:>4}  {} [{}]",
                k.kind, k.count, k.label, k.group
            )?;
        }
        for s in &self.actor_sources {
            writeln!(
                f,
                "  source {} : {} retenus, {} au-delà de la marge du territoire ({})",
                s.source, s.kept, s.skipped_outside, s.file
            )?;
            if let Some(reason) = &s.excluded_reason {
                writeln!(
                    f,
                    "    {} site(s) exclus des mesures d'accès : {reason}",
                    s.excluded
                )?;
            }
        }
        if self.absent_groups.is_empty() {
            writeln!(f, "Types d'acteurs attendus : tous présents")?;
        } else {
            writeln!(f, "Types d'acteurs attendus mais absents des données :")?;
            for g in &self.absent_groups {
                if g.to_place > 0 {
                    writeln!(
                        f,
                        "  {} ({}) : connue par adresse seulement : {} à localiser",
                        g.group, g.label, g.to_place
                    )?;
                } else {
                    writeln!(
                        f,
                        "  {} ({}) : aucun acteur ; ajoutez une source d'acteurs au manifeste",
                        g.group, g.label
                    )?;
                }
            }
        }
        if !self.actors_to_place.is_empty() {
            writeln!(
                f,
                "Acteurs à localiser (connus par adresse seulement ; comptés dans leur commune, \
                 exclus des distances, de l'indice d'accessibilité, des zones blanches et de la \
                 couverture tant qu'ils ne sont pas placés) : {}",
                self.actors_to_place.len()
            )?;
            for a in &self.actors_to_place {
                writeln!(
                    f,
                    "  {:<8} {} ; {} ; commune {} {} [{}]",
                    a.kind, a.name, a.address, a.commune, a.commune_name, a.id
                )?;
            }
        }
        match &self.transport {
            None => writeln!(f, "Transport : aucun GTFS")?,
            Some(t) => {
                writeln!(
                    f,
                    "Transport : {} arrêts, {} lignes, {} courses, {} horaires, {} correspondances",
                    t.stops, t.routes, t.trips, t.stop_times, t.transfers
                )?;
                writeln!(f, "  {}", t.note)?;
            }
        }
        match &self.walking {
            None => writeln!(f, "Marche : à vol d'oiseau (aucun extrait OpenStreetMap)")?,
            Some(w) => {
                writeln!(
                    f,
                    "Marche : à pied sur le réseau OpenStreetMap ({}) : {} voies praticables sur {} voies highway=*, {} retenues dans l'emprise, {} nœuds, {} tronçons, {:.1} km",
                    w.file,
                    w.stats.walkable_ways,
                    w.stats.highway_ways,
                    w.stats.ways_kept,
                    w.stats.nodes,
                    w.stats.edges,
                    w.stats.length_m / 1000.0
                )?;
                writeln!(
                    f,
                    "  rattachement au réseau jusqu'à {} m : {} acteurs et {} arrêts au-delà, comptés en ligne droite × facteur de détour",
                    w.max_snap_m, w.actors_unsnapped, w.stops_unsnapped
                )?;
                if w.stats.missing_nodes > 0 {
                    writeln!(
                        f,
                        "  {} sommets de voies absents de l'extrait : tronçons ignorés",
                        w.stats.missing_nodes
                    )?;
                }
            }
        }
        let y = &self.youth;
        writeln!(
            f,
            "Jeunesse : recensement {} ; {} IRIS ({} avec contours), {} communes avec population par âge, {} avec part de NEET, {} QPV avec chiffres INSEE",
            y.census_vintage.map_or("?".into(), |v| v.to_string()),
            y.iris,
            y.iris_with_contours,
            y.communes_with_population,
            y.communes_with_neet_share,
            y.qpv_with_figures
        )?;
        let fu = &self.followup;
        if fu.files.is_empty() {
            writeln!(f, "Jeunes suivis : aucun comptage local chargé")?;
        } else {
            writeln!(
                f,
                "Jeunes suivis : {} fichier(s), {} communes et {} QPV comptés",
                fu.files.len(),
                fu.communes_counted,
                fu.qpv_counted
            )?;
            for file in &fu.files {
                let level = match file.level {
                    crate::manifest::FollowupLevel::Commune => "par commune",
                    crate::manifest::FollowupLevel::Iris => "par IRIS",
                    crate::manifest::FollowupLevel::Qpv => "par QPV",
                };
                writeln!(
                    f,
                    "  source {} : {} ; {} ans ; date {} ; {level}, {} lieux ({})",
                    file.source, file.label, file.age_band, file.date, file.areas, file.file
                )?;
            }
        }
        match &fu.national {
            Some(n) => writeln!(
                f,
                "  ordre de grandeur national : {} % des jeunes NEET sans contact avec le service public de l'emploi ({})",
                crate::text::fr_decimal(n.share_pct, 1),
                n.source
            )?,
            None if fu.files.is_empty() => writeln!(
                f,
                "  aucun ordre de grandeur national non plus ; {}",
                crate::indicator::invisibles::MAKE_IT_LOCAL
            )?,
            None => {}
        }
        if !self.layers_crs.is_empty() {
            writeln!(f, "Systèmes de coordonnées des couches :")?;
            for l in &self.layers_crs {
                writeln!(
                    f,
                    "  {} ({}) : {} ; transformation : {}",
                    l.file, l.format, l.crs_found, l.transformation
                )?;
                if let Some(e) = &l.encoding {
                    writeln!(f, "    attributs décodés en {e}")?;
                }
            }
        }
        writeln!(f, "Avertissements : {}", self.warnings.len())?;
        for w in &self.warnings {
            writeln!(f, "  - {w}")?;
        }
        Ok(())
    }
}
