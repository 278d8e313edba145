//! The territory manifest: a TOML file naming a territory's files and how their fields map onto
//! Repère's model. The default territory is described by `data/territory.toml`; any other
//! territory is loaded from its own manifest, with paths relative to the manifest's folder.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::data_root::DataRoot;
use crate::problem::LoadError;

/// A parsed manifest and the root its relative paths resolve against.
#[derive(Debug, Clone)]
pub struct Territory {
    /// The manifest's content.
    pub manifest: Manifest,
    /// Where its files are read from.
    pub root: DataRoot,
    /// The manifest's own name, for messages.
    pub manifest_name: String,
}

/// A French message for serde's `missing field `x`` and `unknown field `x``, naming the key
/// or section (a TOML table is a field of its parent); `None` for other errors.
fn missing_or_unknown(message: &str) -> Option<String> {
    let quoted = |m: &str| -> Option<String> {
        let start = m.find('`')? + 1;
        let end = m[start..].find('`')? + start;
        Some(m[start..end].to_owned())
    };
    if message.starts_with("missing field") {
        let key = quoted(message)?;
        Some(format!(
            "clé ou section obligatoire `{key}` absente (par exemple `{key} = …` ou `[{key}]`)"
        ))
    } else if message.starts_with("unknown field") {
        let key = quoted(message)?;
        Some(format!("clé ou section inconnue `{key}`"))
    } else {
        None
    }
}

impl Territory {
    /// The embedded default territory: Métropole Rouen Normandie.
    ///
    /// # Errors
    /// A [`LoadError::Manifest`] if the embedded manifest does not parse (a build defect).
    pub fn default_rouen() -> Result<Self, LoadError> {
        let root = DataRoot::Embedded;
        let text = root
            .read("territory.toml")
            .map_err(|p| LoadError::Manifest {
                path: p.file.clone(),
                message: p.message,
            })?;
        Self::from_toml("data/territory.toml", &String::from_utf8_lossy(&text), root)
    }

    /// Reads a manifest from disk; its relative paths resolve against its folder.
    ///
    /// # Errors
    /// A [`LoadError::Manifest`] naming the path when the file is unreadable or malformed.
    pub fn from_path(path: &Path) -> Result<Self, LoadError> {
        let bytes =
            crate::data_root::read_data_file(path).map_err(|message| LoadError::Manifest {
                path: path.display().to_string(),
                message,
            })?;
        let text = String::from_utf8(bytes).map_err(|_| LoadError::Manifest {
            path: path.display().to_string(),
            message: format!(
                "lecture impossible : {}",
                crate::text::io_error_fr(&std::io::ErrorKind::InvalidData.into())
            ),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_toml(&path.display().to_string(), &text, DataRoot::Disk(base))
    }

    /// Reads a manifest that arrived from elsewhere (an upload through the server): its files
    /// are read only from inside its folder ([`DataRoot::Confined`]), and messages name them
    /// relative to that folder.
    ///
    /// # Errors
    /// As [`Territory::from_path`]; a path leaving the folder fails the load, naming the path.
    pub fn from_path_confined(path: &Path) -> Result<Self, LoadError> {
        let mut t = Self::from_path(path)?;
        if let DataRoot::Disk(base) = t.root {
            t.root = DataRoot::Confined(base);
        }
        t.manifest_name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Ok(t)
    }

    /// Parses manifest text.
    ///
    /// # Errors
    /// A [`LoadError::Manifest`] with TOML's message (line and key) when malformed.
    pub fn from_toml(name: &str, text: &str, root: DataRoot) -> Result<Self, LoadError> {
        // TOML's own `Display` quotes the offending source lines and its message is English:
        // give the line and the offending key when it is one (never other file content, so that
        // a file that is not a manifest is not printed).
        let manifest: Manifest = toml::from_str(text).map_err(|e| LoadError::Manifest {
            path: name.to_owned(),
            message: match (e.span(), missing_or_unknown(e.message())) {
                // The key or section at fault, named (serde's English message is not shown).
                (span, Some(what)) => {
                    let at = span
                        .map(|span| {
                            let line = text.as_bytes()[..span.start.min(text.len())]
                                .iter()
                                .filter(|b| **b == b'\n')
                                .count()
                                + 1;
                            format!("ligne {line} : ")
                        })
                        .unwrap_or_default();
                    format!("{at}{what}")
                }
                (Some(span), None) => {
                    let line = text.as_bytes()[..span.start.min(text.len())]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        + 1;
                    let key = text
                        .get(span)
                        .map(str::trim)
                        .filter(|k| {
                            !k.is_empty()
                                && k.chars().count() <= crate::text::EXCERPT_CHARS
                                && k.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
                        });
                    match key {
                        Some(k) => format!(
                            "ligne {line} : « {k} » refusé (clé inconnue, valeur de mauvais type ou syntaxe TOML non valide)"
                        ),
                        None => format!(
                            "ligne {line} : syntaxe TOML non valide, clé inconnue ou valeur de mauvais type"
                        ),
                    }
                }
                (None, None) => "manifeste non valide : une clé obligatoire manque, ou une valeur est de mauvais type"
                    .to_owned(),
            },
        })?;
        let margin_m = manifest.territory.margin_m;
        if !(margin_m.is_finite() && margin_m >= 0.0) {
            return Err(LoadError::Manifest {
                path: name.to_owned(),
                message: format!(
                    "[territory] margin_m = {} : la marge doit être un nombre de mètres positif ou \
                     nul (elle garde les acteurs et arrêts proches de la frontière)",
                    crate::number::Shown(margin_m)
                ),
            });
        }
        if let Some(bad) = manifest
            .siting
            .host_kinds
            .iter()
            .find(|k| crate::model::actor::ActorKind::parse(k).is_err())
        {
            return Err(LoadError::Manifest {
                path: name.to_owned(),
                message: format!(
                    "[siting] host_kinds : « {bad} » n'est pas une typologie de structure \
                     data·inclusion connue (par exemple RFS, MUNI, CS, MJC, PIJ_BIJ, BIB)"
                ),
            });
        }
        Ok(Self {
            manifest,
            root,
            manifest_name: name.to_owned(),
        })
    }
}

/// The whole manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Name and identifiers of the territory.
    pub territory: TerritorySection,
    /// Commune boundaries and attributes.
    pub communes: CommunesSection,
    /// QPV layers (one per vintage or source).
    #[serde(default)]
    pub qpv: Vec<QpvSource>,
    /// Actor sources.
    #[serde(default)]
    pub actors: Vec<ActorSource>,
    /// Public transport.
    #[serde(default)]
    pub transport: Option<TransportSection>,
    /// Youth presence and situation.
    #[serde(default)]
    pub youth: YouthSection,
    /// Walking on an OpenStreetMap pedestrian network.
    #[serde(default)]
    pub walking: Option<WalkingSection>,
    /// Counts of young people followed (missions locales, France Travail, …) and the national
    /// order of magnitude of those followed by no one (see [`crate::indicator::invisibles`]).
    #[serde(default)]
    pub followup: FollowupSection,
    /// The address search's geocoder (`repere serve` proxies it; its `--geocoder` wins).
    #[serde(default)]
    pub geocoder: Option<GeocoderSection>,
    /// Which structures may host a permanence (the suggestions' candidates).
    #[serde(default)]
    pub siting: SitingSection,
}

/// The data·inclusion typology codes of the structures that may host a permanence when the
/// manifest says nothing: France services (`RFS`, `MSAP`), mairies (`MUNI`), centres sociaux
/// (`CS`, `CSC`), espaces de vie sociale (`EVS`), maisons de quartier (`MQ`), MJC (`MJC`),
/// information jeunesse (`PIJ_BIJ`) and médiathèques (`BIB`).
pub const DEFAULT_HOST_KINDS: [&str; 10] = [
    "RFS", "MSAP", "MUNI", "CS", "CSC", "EVS", "MQ", "MJC", "PIJ_BIJ", "BIB",
];

/// Name fragments that rule a structure out as a host whatever its kind, when the manifest says
/// nothing: places for young children (a city service typed `MUNI` may be a crèche) and sports
/// grounds (a municipal stadium or gymnasium is no office for a permanence).
pub const DEFAULT_HOST_EXCLUDED_NAMES: [&str; 8] = [
    "multi-accueil",
    "crèche",
    "halte-garderie",
    "stade",
    "gymnase",
    "salle de boxe",
    "piscine",
    "maison de santé",
];

/// `[siting]`: the structures a territory declares suitable to host a permanence.
///
/// ```toml
/// [siting]
/// host_kinds = ["RFS", "MUNI", "CS", "MJC", "PIJ_BIJ", "BIB"]
/// exclude_names = ["multi-accueil", "stade"]
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitingSection {
    /// Typology codes of the structures that may host a permanence ([`DEFAULT_HOST_KINDS`]).
    #[serde(default = "default_host_kinds")]
    pub host_kinds: Vec<String>,
    /// A structure whose name contains one of these (case and accents ignored) is not a host,
    /// whatever its kind ([`DEFAULT_HOST_EXCLUDED_NAMES`]).
    #[serde(default = "default_host_excluded_names")]
    pub exclude_names: Vec<String>,
}

fn default_host_kinds() -> Vec<String> {
    DEFAULT_HOST_KINDS.iter().map(|s| (*s).to_owned()).collect()
}

fn default_host_excluded_names() -> Vec<String> {
    DEFAULT_HOST_EXCLUDED_NAMES
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

impl Default for SitingSection {
    fn default() -> Self {
        Self {
            host_kinds: default_host_kinds(),
            exclude_names: default_host_excluded_names(),
        }
    }
}

impl SitingSection {
    /// Whether a structure of typology `kind` named `name` may host a permanence.
    pub fn is_suitable_host(&self, kind: &str, name: &str) -> bool {
        if !self.host_kinds.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
            return false;
        }
        let folded = crate::text::fold_name(name);
        !self
            .exclude_names
            .iter()
            .any(|x| folded.contains(crate::text::fold_name(x).as_str()))
    }
}

/// `[geocoder]`: an addok-compatible geocoder (`/search`, `/reverse`) for the address search of
/// `repere serve`. The engine only keeps the address; the server checks and calls it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeocoderSection {
    /// Base address, `http(s)://host[:port][/path]`.
    pub url: String,
}

/// `[territory]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerritorySection {
    /// Display name.
    pub name: String,
    /// SIREN of the EPCI when the territory is one (reference for NEET comparisons).
    #[serde(default)]
    pub epci: Option<String>,
    /// Département code (reference for comparisons).
    #[serde(default)]
    pub departement: Option<String>,
    /// How far outside the communes actors and stops are still kept (they serve border areas).
    #[serde(default = "default_margin_m")]
    pub margin_m: f64,
}

fn default_margin_m() -> f64 {
    10_000.0
}

/// A GeoJSON layer with the property names to read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunesSection {
    /// Commune polygons (GeoJSON, WGS84).
    pub boundaries: FieldMap,
    /// The member communes of the territory (CSV); without it every boundary is a member.
    #[serde(default)]
    pub members: Option<FieldMap>,
    /// Vintage of the population given in `members` (legal population year).
    #[serde(default)]
    pub population_vintage: Option<u16>,
    /// Commune records in the `@etalab/decoupage-administratif` JSON format (EPCI, population).
    #[serde(default)]
    pub records: Option<String>,
    /// INSEE density grid class per commune (CSV).
    #[serde(default)]
    pub density: Option<FieldMap>,
    /// ANCT centrality level per commune (CSV).
    #[serde(default)]
    pub centrality: Option<FieldMap>,
}

/// A file and the names of its fields (GeoJSON properties or CSV columns); which keys are read
/// depends on the layer: `code`, `name`, `population`, `value`, `communes`, …
#[derive(Debug, Clone, Deserialize)]
pub struct FieldMap {
    /// Path relative to the manifest.
    pub file: String,
    /// Format of a geometry layer (`geojson` when absent); ignored for CSV tables.
    #[serde(default)]
    pub format: LayerFormat,
    /// CRS of a geometry layer (`EPSG:2154`, …); when absent, the `.prj`, the GeoPackage's or
    /// the GeoJSON's own declaration, else WGS84.
    #[serde(default)]
    pub crs: Option<String>,
    /// Layer to read in a multi-layer file (GeoPackage); the only layer when absent.
    #[serde(default)]
    pub layer: Option<String>,
    /// Field names, by role.
    #[serde(flatten)]
    pub fields: BTreeMap<String, toml::Value>,
}

impl FieldMap {
    /// The field name given for a role, if any.
    pub fn field(&self, role: &str) -> Option<&str> {
        self.fields.get(role).and_then(toml::Value::as_str)
    }
    /// A numeric setting for a role, if any.
    pub fn number(&self, role: &str) -> Option<f64> {
        self.fields
            .get(role)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
    }
}

/// `[[qpv]]`: one QPV layer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QpvSource {
    /// GeoJSON file.
    pub file: String,
    /// 2015 or 2024.
    pub vintage: u16,
    /// Property holding the QPV code.
    pub code: String,
    /// Property holding the name.
    pub name: String,
    /// Property listing the communes (names or INSEE codes, comma-separated), when the source
    /// has one: that list is authoritative for membership.
    #[serde(default)]
    pub communes: Option<String>,
    /// File format (`geojson` when absent).
    #[serde(default)]
    pub format: LayerFormat,
    /// CRS of the file (`EPSG:2154`, …); when absent, the `.prj`, the GeoPackage's or the
    /// GeoJSON's own declaration, else WGS84.
    #[serde(default)]
    pub crs: Option<String>,
    /// Layer to read in a multi-layer file (GeoPackage); the only layer when absent.
    #[serde(default)]
    pub layer: Option<String>,
}

/// Format of a geometry layer file.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum LayerFormat {
    /// GeoJSON `FeatureCollection` (pure Rust).
    #[default]
    Geojson,
    /// ESRI shapefile: `.shp` with its `.shx`, `.dbf` and `.prj` (pure Rust).
    Shapefile,
    /// GeoPackage (feature `gdal`).
    Gpkg,
    /// FlatGeobuf (feature `gdal`).
    Flatgeobuf,
    /// KML (feature `gdal`).
    Kml,
    /// CSV with a WKT geometry column or lon/lat columns (feature `gdal`).
    Csv,
}

impl LayerFormat {
    /// The name used in manifests.
    pub fn name(self) -> &'static str {
        match self {
            LayerFormat::Geojson => "geojson",
            LayerFormat::Shapefile => "shapefile",
            LayerFormat::Gpkg => "gpkg",
            LayerFormat::Flatgeobuf => "flatgeobuf",
            LayerFormat::Kml => "kml",
            LayerFormat::Csv => "csv",
        }
    }
}

/// `[[actors]]`: one actor source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSource {
    /// Short identifier of the source (prefix of actor ids).
    pub source: String,
    /// Human description of the source.
    #[serde(default)]
    pub label: Option<String>,
    /// The file.
    pub file: String,
    /// `geojson` (points), `csv` (lon/lat columns) or `data-inclusion` (structures, JSON or CSV).
    pub format: ActorFormat,
    /// Field holding a stable identifier (else the feature index or line is used).
    #[serde(default)]
    pub id: Option<String>,
    /// Field holding the name.
    #[serde(default)]
    pub name: Option<String>,
    /// How the actor kind is found.
    #[serde(default)]
    pub kind: Option<KindSpec>,
    /// Source type → data·inclusion typology code.
    #[serde(default)]
    pub kind_map: BTreeMap<String, String>,
    /// Rules on names, tried in order before `kind_map` (e.g. "Centre social" → CS).
    #[serde(default)]
    pub kind_rules: Vec<KindRule>,
    /// Fields joined (with ", ") into the address.
    #[serde(default)]
    pub address: Vec<String>,
    /// Field holding the INSEE commune code.
    #[serde(default)]
    pub commune: Option<String>,
    /// Longitude column (CSV).
    #[serde(default)]
    pub lon: Option<String>,
    /// Latitude column (CSV).
    #[serde(default)]
    pub lat: Option<String>,
    /// Opening hours, weekday (lundi … dimanche) → field.
    #[serde(default)]
    pub hours: BTreeMap<String, String>,
    /// The source has no coordinates: its actors are known by address and `commune` only, kept
    /// when the commune is a member, and listed "à localiser" (never placed at an invented point).
    #[serde(default)]
    pub address_only: bool,
    /// Keep only the records whose field has one of these values (France Travail: `TYPE_SITE`
    /// `ALE`, the agencies open to the public); the others stay out of every measure and the
    /// load report counts them.
    #[serde(default)]
    pub keep_only: Option<KeepOnly>,
}

/// `keep_only = { field = "TYPE_SITE", values = ["ALE"], reason = "…" }` on an actor source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeepOnly {
    /// The field tested.
    pub field: String,
    /// Values kept (exact, case-insensitive).
    pub values: Vec<String>,
    /// Why the others are left out, for the load report.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Actor file formats.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ActorFormat {
    /// GeoJSON points.
    Geojson,
    /// CSV with longitude and latitude columns.
    Csv,
    /// data·inclusion `structures` (JSON array or CSV) with `typologie`, `longitude`, `latitude`.
    DataInclusion,
}

/// Where an actor's kind comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    /// A field whose value goes through `kind_map` (or is a typology code itself).
    #[serde(default)]
    pub field: Option<String>,
    /// One typology code for the whole source.
    #[serde(default)]
    pub fixed: Option<String>,
}

/// A name rule: when the actor's name contains `name_contains` (case and accents ignored), its
/// kind is `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    /// Substring to look for.
    pub name_contains: String,
    /// Typology code.
    pub kind: String,
}

/// `[transport]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportSection {
    /// GTFS folder or zip.
    pub gtfs: String,
}

/// `[walking]`: an OpenStreetMap extract whose pedestrian network replaces the straight line
/// (see [`crate::walking`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkingSection {
    /// The extract: `.osm.pbf`, `.osm` or `.osm.gz`.
    pub osm: String,
    /// Largest distance from a point to the network for it to be snapped, metres (default 200).
    #[serde(default)]
    pub max_snap_m: Option<f64>,
}

/// `[youth]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YouthSection {
    /// INSEE population by age band per IRIS (CSV).
    #[serde(default)]
    pub population_by_age: Option<FieldMap>,
    /// IRIS polygons (GeoJSON).
    #[serde(default)]
    pub iris_contours: Option<FieldMap>,
    /// Share of young people neither in employment nor education, per commune and year (CSV).
    #[serde(default)]
    pub neet_communes: Option<FieldMap>,
    /// The same per EPCI (reference).
    #[serde(default)]
    pub neet_epci: Option<FieldMap>,
    /// INSEE figures per QPV (CSV, one row per QPV code; every numeric column is kept).
    #[serde(default)]
    pub qpv_figures: Vec<FieldMap>,
}

/// `[followup]`: what tells how many young people are already followed, all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupSection {
    /// `[[followup.counts]]`: one file of counts per source (CSV).
    #[serde(default)]
    pub counts: Vec<FollowupCounts>,
    /// `[followup.national]`: a published national share, shown only as an order of magnitude.
    #[serde(default)]
    pub national: Option<NationalShare>,
}

/// `[[followup.counts]]`: a CSV of young people followed by one source, one row per area.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupCounts {
    /// Path relative to the manifest.
    pub file: String,
    /// The source: `ML` (mission locale), `FT` (France Travail), `E2C`, `EPIDE`, `PLIE`,
    /// `PREV` (prévention spécialisée) or another short code.
    pub source: String,
    /// What the file is (e.g. "Mission locale de Rouen, jeunes accompagnés, extraction I-Milo").
    #[serde(default)]
    pub label: Option<String>,
    /// Age band of the counts, `16-25` style.
    pub age_band: String,
    /// Date of the counts: `AAAA`, `AAAA-MM` or `AAAA-MM-JJ`.
    pub date: String,
    /// What a row is: `commune`, `iris` or `qpv`.
    pub level: FollowupLevel,
    /// Column holding the commune, IRIS or QPV code.
    pub code: String,
    /// Column holding the number of young people followed.
    pub count: String,
}

pub use crate::model::followup::{FollowupLevel, NationalShare};
