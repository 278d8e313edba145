//! An actor file to import into the inventory, read into one validated actor or one error per
//! line (CSV) or feature (GeoJSON, data·inclusion JSON), so that a user sees every problem
//! before anything is committed.
//!
//! The file is read by the actor loader's own reader ([`crate::load::actors`]: `;` or `,`
//! separators, a BOM, decimal commas, GeoJSON points, data·inclusion structures arrays) and each
//! actor is checked by [`ActorFields::validate`], as an actor edited from the page: name not
//! blank, kind a data·inclusion typology, point in WGS84 range and within the territory's
//! margin, or else an address and a member commune (the actor is then to place).
//!
//! Columns (properties, keys), the names of Repère's CSV and data·inclusion exports first:
//! - `nom` or `name`; `typologie` or `kind` (a data·inclusion typology code);
//! - `longitude` / `latitude` (or `lon` / `lat`; a GeoJSON point's geometry instead), both
//!   empty for an actor known by address only;
//! - `adresse` or `address` (data·inclusion: with `code_postal` and `commune`);
//! - `code_insee` (or `insee_com`, and `commune` outside data·inclusion files);
//! - hours: `horaires` (a JSON object per weekday, as the CSV export writes it, or a weekly
//!   text), `horaires_accueil` (weekly text: `Mo-Fr 09:00-12:00; Sa 09:00-12:00` or
//!   `lundi : 09:00-12:00 ; …`), or one column per weekday (`lundi`, or `h_lundi` …).

use std::collections::BTreeMap;

use crate::codes::CommuneCode;
use crate::crs::Lambert93;
use crate::dataset::Dataset;
use crate::inventory::{ActorFields, ActorInput, FieldError};
use crate::load::actors::{Record, records};
use crate::manifest::{ActorFormat, ActorSource};
use crate::model::actor::Placement;
use crate::model::opening_hours::{self, WEEKDAYS};
use crate::problem::{Location, Problem, Problems};
use crate::tabular::parse_number;

/// Per-weekday hour columns as France services names them.
const H_DAYS: [&str; 7] = [
    "h_lundi",
    "h_mardi",
    "h_mercredi",
    "h_jeudi",
    "h_vendredi",
    "h_samedi",
    "h_dimanche",
];

/// Most lines (features) one import takes.
pub const MAX_IMPORT_LINES: usize = 5_000;

/// The formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportFormat {
    /// A table with a header line (`;`, `,` or tab separated).
    Csv,
    /// A GeoJSON `FeatureCollection` of points (or of features without geometry, to place).
    Geojson,
    /// A data·inclusion `structures` JSON array.
    DataInclusion,
}

impl ImportFormat {
    /// Parses `csv`, `geojson` or `data-inclusion` (`datainclusion`, `json` accepted).
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "geojson" => Some(Self::Geojson),
            "data-inclusion" | "datainclusion" | "data_inclusion" | "json" => {
                Some(Self::DataInclusion)
            }
            _ => None,
        }
    }

    /// The format of a file's content: a JSON array is data·inclusion, a JSON object GeoJSON,
    /// anything else a table.
    pub fn sniff(bytes: &[u8]) -> Self {
        let first = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(bytes)
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        match first {
            Some(b'[') => Self::DataInclusion,
            Some(b'{') => Self::Geojson,
            _ => Self::Csv,
        }
    }
}

/// What is wrong with one line: the field as the file names it, and the French message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    /// The column, property or key (`typologie`, `longitude`, `geometry`, `lundi` …).
    pub field: String,
    /// `ligne 3, champ `typologie` : …`.
    pub message: String,
}

/// One line (feature) of an import: what was read, and the validated actor or the error.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportLine {
    /// Where it is in the file (a CSV line counts the header as line 1; features from 0).
    pub location: Location,
    /// `ligne 3`, `objet 1` (1-based), as messages name it.
    pub label: String,
    /// The actor's fields as read from the file.
    pub input: ActorInput,
    /// The commune: the member commune containing the point, else the one given.
    pub commune: Option<CommuneCode>,
    /// The commune's name.
    pub commune_name: Option<String>,
    /// The validated actor, when the line is valid.
    #[serde(skip)]
    pub fields: Option<ActorFields>,
    /// Why the line is refused.
    pub error: Option<LineError>,
}

impl ImportLine {
    /// `placed`, `to_place` (known by address only) or `error`.
    pub fn status(&self) -> &'static str {
        match &self.fields {
            None => "error",
            Some(f) if f.placement == Placement::AddressOnly => "to_place",
            Some(_) => "placed",
        }
    }
}

/// A file the import cannot read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// Not a table, not GeoJSON, not a JSON array (with the reader's location).
    #[error("fichier illisible : {0}")]
    Unreadable(Problem),
    /// More lines than [`MAX_IMPORT_LINES`].
    #[error("{lines} lignes : un import en prend au plus {max}")]
    TooMany {
        /// Lines (features) in the file.
        lines: usize,
        /// [`MAX_IMPORT_LINES`].
        max: usize,
    },
    /// A file without any line.
    #[error("aucun acteur dans le fichier {0} (en-tête seul ou fichier vide)")]
    Empty(String),
}

/// The import's reading rules as an actor source of the loader: no coordinate column required
/// (a line without a point is to place), features without geometry accepted.
fn import_source(file: &str, format: ImportFormat) -> ActorSource {
    ActorSource {
        source: "import".to_owned(),
        label: None,
        file: file.to_owned(),
        format: match format {
            ImportFormat::Csv => ActorFormat::Csv,
            ImportFormat::Geojson => ActorFormat::Geojson,
            ImportFormat::DataInclusion => ActorFormat::DataInclusion,
        },
        id: None,
        name: None,
        kind: None,
        kind_map: BTreeMap::new(),
        kind_rules: Vec::new(),
        address: Vec::new(),
        commune: None,
        lon: None,
        lat: None,
        hours: BTreeMap::new(),
        address_only: true,
        keep_only: None,
    }
}

/// Reads an import file into one [`ImportLine`] per line or feature, in file order.
///
/// # Errors
/// [`ImportError`] when the file as a whole cannot be read, is empty or too long; a line's
/// problem is in its [`ImportLine::error`], never here.
pub fn read_import(
    ds: &Dataset,
    file: &str,
    bytes: &[u8],
    format: ImportFormat,
) -> Result<Vec<ImportLine>, ImportError> {
    let source = import_source(file, format);
    let mut problems = Problems::default();
    let records = records(file, &source, bytes, &mut problems).map_err(ImportError::Unreadable)?;
    if records.is_empty() {
        return Err(ImportError::Empty(file.to_owned()));
    }
    if records.len() > MAX_IMPORT_LINES {
        return Err(ImportError::TooMany {
            lines: records.len(),
            max: MAX_IMPORT_LINES,
        });
    }
    // Geometry problems of GeoJSON features, by feature.
    let (geometry_errors, _) = problems.into_parts();
    let geometry_error = |location: &Location| {
        geometry_errors
            .iter()
            .find(|p| &p.location == location)
            .map(|p| p.message.clone())
    };
    let l93 = Lambert93::new();
    Ok(records
        .iter()
        .map(|r| {
            let label = match r.location {
                Location::Line(n) => format!("ligne {n}"),
                Location::Feature(i) => format!("objet {}", i + 1),
                ref other => other.to_string(),
            };
            let read = read_line(r, format);
            let mut line = ImportLine {
                location: r.location.clone(),
                input: read.input.clone(),
                commune: None,
                commune_name: None,
                fields: None,
                error: None,
                label,
            };
            let result = match geometry_error(&r.location) {
                Some(m) => Err(("geometry".to_owned(), m)),
                None => match &read.error {
                    Some(e) => Err(e.clone()),
                    None => ActorFields::validate(ds, &read.input)
                        .map_err(|e: FieldError| (read.column(e.field), e.message)),
                },
            };
            match result {
                Ok(f) => {
                    line.commune = match f.placement {
                        Placement::Placed(p) => l93
                            .point_from_wgs84(p)
                            .ok()
                            .and_then(|p| ds.commune_at_l93(p))
                            .map(|i| ds.communes[i].code.clone()),
                        Placement::AddressOnly => None,
                    }
                    .or_else(|| f.commune.clone());
                    line.commune_name = line
                        .commune
                        .as_ref()
                        .and_then(|c| ds.commune(c))
                        .map(|c| c.name.clone());
                    line.fields = Some(f);
                }
                Err((field, message)) => {
                    line.error = Some(LineError {
                        message: format!("{}, champ `{field}` : {message}", line.label),
                        field,
                    });
                }
            }
            line
        })
        .collect())
}

/// A record read into actor input, with the column each field came from.
struct ReadLine {
    input: ActorInput,
    columns: BTreeMap<&'static str, String>,
    /// A value that could not be read (a coordinate that is no number, unreadable hours).
    error: Option<(String, String)>,
}

impl ReadLine {
    /// The file's name of an [`ActorInput`] field, for messages.
    fn column(&self, field: &str) -> String {
        self.columns
            .get(field)
            .cloned()
            .unwrap_or_else(|| field.to_owned())
    }
}

fn first<'a>(r: &'a Record, names: &[&'static str]) -> (Option<&'a str>, &'static str) {
    names
        .iter()
        .find_map(|n| r.get(n).map(|v| (Some(v), *n)))
        .unwrap_or((None, names[0]))
}

fn read_line(r: &Record, format: ImportFormat) -> ReadLine {
    let di = format == ImportFormat::DataInclusion;
    let mut columns = BTreeMap::new();
    let mut error = None;
    let (name, c) = first(r, &["nom", "name"]);
    columns.insert("name", c.to_owned());
    let (kind, c) = first(r, &["typologie", "kind"]);
    columns.insert("kind", c.to_owned());
    let (address, c) = first(r, &["adresse", "address"]);
    columns.insert("address", c.to_owned());
    let address = if di {
        let parts: Vec<&str> = [address, r.get("code_postal"), r.get("commune")]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    } else {
        address.map(str::to_owned)
    };
    let commune_columns: &[&'static str] = if di {
        &["code_insee", "insee_com"]
    } else {
        &["code_insee", "insee_com", "commune"]
    };
    let (commune, c) = first(r, commune_columns);
    columns.insert("commune", c.to_owned());
    let (mut lon, mut lat) = (None, None);
    if let Some(p) = r.point {
        (lon, lat) = (Some(p.x()), Some(p.y()));
        columns.insert("lon", "geometry".to_owned());
        columns.insert("lat", "geometry".to_owned());
    } else {
        for (field, names, slot) in [
            ("lon", ["longitude", "lon"], &mut lon),
            ("lat", ["latitude", "lat"], &mut lat),
        ] {
            let (text, c) = first(r, &names);
            columns.insert(field, c.to_owned());
            match text.map(parse_number) {
                None | Some(Ok(None)) => {}
                Some(Ok(Some(v))) => *slot = Some(v),
                Some(Err(_)) => {
                    error.get_or_insert((
                        c.to_owned(),
                        format!(
                            "coordonnée illisible {:?} : attendu un nombre en degrés WGS84",
                            text.unwrap_or("")
                        ),
                    ));
                }
            }
        }
    }
    let mut opening_hours = BTreeMap::new();
    for ((day, h_day), field) in WEEKDAYS.iter().zip(H_DAYS).zip(super::HOURS_FIELDS) {
        let (text, c) = first(r, &[day, h_day]);
        columns.insert(field, c.to_owned());
        if let Some(t) = text {
            opening_hours.insert((*day).to_owned(), t.to_owned());
        }
    }
    for column in ["horaires", "horaires_accueil"] {
        let Some(text) = r.get(column) else { continue };
        let week = if text.trim_start().starts_with('{') {
            serde_json::from_str::<BTreeMap<String, String>>(text).map_err(|_| {
                "objet JSON illisible : attendu {\"lundi\": \"09:00-12:00\", …}".to_owned()
            })
        } else {
            opening_hours::parse_week(text).map_err(|e| e.to_string())
        };
        match week {
            Ok(w) => {
                for field in super::HOURS_FIELDS {
                    columns.insert(field, column.to_owned());
                }
                columns.insert("opening_hours", column.to_owned());
                opening_hours.extend(w);
            }
            Err(m) => {
                error.get_or_insert((column.to_owned(), m));
            }
        }
    }
    ReadLine {
        input: ActorInput {
            name: name.unwrap_or("").to_owned(),
            kind: kind.unwrap_or("").to_owned(),
            address,
            commune: commune.map(str::to_owned),
            opening_hours,
            lon,
            lat,
        },
        columns,
        error,
    }
}
