//! Errors of the engine, each naming the file, the place in it and the field at fault.
//!
//! [`Error`] is the one error type of the engine's public API: every fallible entry point returns
//! one of its variants' types, which converts into it with `?`. Callers match on variants and
//! fields, never on message text. Messages are French (users read them).

use std::fmt;

/// Every error of the engine.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A territory failed to load (manifest or data files).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A user-supplied file or body (point file, upload) is invalid at a location and field.
    #[error(transparent)]
    Input(#[from] Problem),
    /// A lon/lat pair is not a WGS84 point.
    #[error(transparent)]
    Point(#[from] crate::point::PointError),
    /// A point is outside the territory's extent.
    #[error(transparent)]
    Extent(#[from] crate::geometry::ExtentError),
    /// A point lookup failed.
    #[error(transparent)]
    Lookup(#[from] crate::lookup::LookupError),
    /// A point of a batch lookup is invalid.
    #[error(transparent)]
    PointLookup(#[from] crate::analysis::PointLookupError),
    /// An analysis parameter is out of range.
    #[error(transparent)]
    Param(#[from] crate::analysis::AnalysisError),
    /// A commune or QPV asked for has no diagnostic.
    #[error(transparent)]
    NotFound(#[from] crate::analysis::NotFound),
    /// A tile address or layer is invalid, or encoding failed.
    #[error(transparent)]
    Tile(#[from] crate::tiles::TileError),
    /// Coverage check parameters or sites are invalid.
    #[error(transparent)]
    Coverage(#[from] crate::coverage::CoverageError),
    /// Ranking weights did not parse.
    #[error(transparent)]
    Weights(#[from] crate::ranking::WeightsError),
    /// An isochrone cannot be computed.
    #[error(transparent)]
    Isochrone(#[from] crate::transit::isochrone::IsochroneError),
    /// A travel-time matrix cannot be computed.
    #[error(transparent)]
    Matrix(#[from] crate::transit::matrix::MatrixError),
    /// A service day cannot be resolved.
    #[error(transparent)]
    Calendar(#[from] crate::transit::calendar::CalendarError),
    /// Site suggestions cannot be computed.
    #[error(transparent)]
    Suggest(#[from] crate::suggest::run::SuggestError),
    /// A value (code, time, day, number, mode) did not parse.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A coordinate could not be projected.
    #[error(transparent)]
    Projection(#[from] ProjectionError),
}

/// A text value that is not what was expected (a code, a time, a day, a number…).
///
/// # Examples
/// ```
/// let e = repere_engine::error::ValueError::new("12a", "nombre attendu");
/// assert_eq!(e.to_string(), "valeur \"12a\" invalide : nombre attendu");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("valeur {text:?} invalide : {expected}")]
pub struct ValueError {
    /// The text as given (an excerpt when long).
    pub text: String,
    /// What was expected, French (e.g. `heure d'ouverture HH:MM-HH:MM attendue`).
    pub expected: String,
}

impl ValueError {
    /// A value error.
    pub fn new(text: &str, expected: impl Into<String>) -> Self {
        Self {
            text: crate::text::excerpt(text, crate::text::EXCERPT_CHARS),
            expected: expected.into(),
        }
    }
}

/// A coordinate outside a projection's domain, or a projection that could not be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProjectionError {
    /// What went wrong (French, with the projection library's own message).
    pub message: String,
}

impl ProjectionError {
    /// A projection error with a message.
    pub fn new(message: impl fmt::Display) -> Self {
        Self {
            message: message.to_string(),
        }
    }
}

/// Why proj4rs failed, in French (its own messages are English).
pub(crate) fn proj4rs_fr(e: &proj4rs::errors::Error) -> &'static str {
    use proj4rs::errors::Error as P;
    match e {
        P::ProjectionNotFound => "projection introuvable",
        P::LatitudeOutOfRange => "latitude hors limites",
        P::LatOrLongExceedLimit => "latitude ou longitude hors limites",
        P::NanCoordinateValue => "coordonnée NaN",
        P::CoordinateOutOfRange | P::CoordTransOutsideProjectionDomain => {
            "coordonnée hors du domaine de la projection"
        }
        P::InvalidDatum => "datum non reconnu",
        P::InvalidEllipsoid | P::EllipsoidRequired => "ellipsoïde absent ou non reconnu",
        P::NoForwardProjectionDefined | P::ForwardProjectionFailure => {
            "projection directe impossible"
        }
        P::NoInverseProjectionDefined | P::InverseProjectionFailure => {
            "projection inverse impossible"
        }
        P::NadGridNotAvailable | P::GridFileNotFound(_) | P::NadGridParentNotFound => {
            "grille de transformation de datum non disponible"
        }
        P::ToleranceConditionError
        | P::NonInvPhi2Convergence
        | P::InvMeridDistConvError
        | P::InverseGridShiftConvError => "calcul de projection non convergent",
        _ => "définition ou calcul refusé par proj4rs",
    }
}

// A problem's message is text: these put a typed error into a [`Problem`] (its `Display`).
impl From<ValueError> for String {
    fn from(e: ValueError) -> Self {
        e.to_string()
    }
}
impl From<ProjectionError> for String {
    fn from(e: ProjectionError) -> Self {
        e.to_string()
    }
}
impl From<crate::point::PointError> for String {
    fn from(e: crate::point::PointError) -> Self {
        e.to_string()
    }
}

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Location {
    /// The file as a whole (unreadable, missing column, …).
    File,
    /// A 1-based line of a text file (the header is line 1).
    Line(usize),
    /// A 0-based feature index of a GeoJSON `FeatureCollection` (as `jq .features[i]` counts).
    Feature(usize),
    /// A named record (a code, an id) when the position is not meaningful.
    Record(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(n) => write!(f, "ligne {n}"),
            Location::Feature(i) => write!(f, "entité {i}"),
            Location::Record(id) => write!(f, "enregistrement {id}"),
        }
    }
}

/// One loading problem: which file, where, which field and what is wrong.
///
/// Its `Display` reads ``file : ligne 12, champ `lat` : valeur "49,x" invalide : nombre attendu``.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    /// The file as named in the territory manifest (or the embedded default data path).
    pub file: String,
    /// Position inside the file.
    pub location: Location,
    /// The field, column or property concerned, when one is.
    pub field: Option<String>,
    /// What is wrong, lowercase, with the offending value.
    pub message: String,
}

impl Problem {
    /// A problem about a file as a whole. The message is bounded
    /// ([`crate::text::bounded_message`]): it never quotes more than an excerpt of the file.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            location: Location::File,
            field: None,
            message: crate::text::bounded_message(&message.into()),
        }
    }

    /// A problem at a location and field (message bounded as in [`Problem::file`]).
    pub fn at(
        file: impl Into<String>,
        location: Location,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            location,
            field: field.map(|f| crate::text::excerpt(f, crate::text::EXCERPT_CHARS)),
            message: crate::text::bounded_message(&message.into()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        let loc = self.location.to_string();
        match (loc.is_empty(), &self.field) {
            (true, None) => write!(f, " : ")?,
            (true, Some(field)) => write!(f, " : champ `{field}` : ")?,
            (false, None) => write!(f, " : {loc} : ")?,
            (false, Some(field)) => write!(f, " : {loc}, champ `{field}` : ")?,
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Problem {}

/// A territory failed to load. Nothing of it is kept: the engine never hands out a half-loaded
/// dataset.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The manifest itself is unreadable or inconsistent.
    #[error("manifeste du territoire {path} : {message}")]
    Manifest {
        /// Manifest path.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// One or more data files are invalid; every problem found is listed.
    #[error("{} erreur(s) au chargement du territoire :\n{}", .0.len(), ProblemList(.0))]
    Invalid(Vec<Problem>),
}

impl LoadError {
    /// The problems found, empty for a manifest error.
    pub fn problems(&self) -> &[Problem] {
        match self {
            LoadError::Manifest { .. } => &[],
            LoadError::Invalid(p) => p,
        }
    }
}

struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  - {p}")?;
        }
        Ok(())
    }
}

/// How many errors, and how many warnings, a load keeps in full; beyond that they are counted
/// per file, kind and field (a 742 016-feature file with one fault per feature would otherwise
/// print 742 016 lines).
pub const MAX_DETAILED_PROBLEMS: usize = 100;

/// Problems beyond [`MAX_DETAILED_PROBLEMS`], counted per (file, kind, field).
#[derive(Debug, Default)]
struct Overflow(std::collections::BTreeMap<(String, String, Option<String>), usize>);

impl Overflow {
    fn add(&mut self, p: Problem) {
        *self
            .0
            .entry((p.file, problem_kind(&p.message), p.field))
            .or_insert(0) += 1;
    }

    /// One problem per (file, kind, field) saying how many more there were.
    fn into_summaries(self, what: &str) -> impl Iterator<Item = Problem> {
        let what = what.to_owned();
        self.0.into_iter().map(move |((file, kind, field), n)| Problem {
            file,
            location: Location::File,
            field,
            message: format!(
                "{n} autre(s) {what}(s) de ce type, non détaillé(e)s une à une (les {MAX_DETAILED_PROBLEMS} premières le sont) : {kind}"
            ),
        })
    }
}

/// The kind of a problem: its message up to the first `:` (where values start), with digits
/// folded, so that "feature 12: ring with 3 positions" and "... 2 positions" count together.
fn problem_kind(message: &str) -> String {
    let head = message.split(':').next().unwrap_or(message);
    let mut out = String::with_capacity(head.len());
    let mut in_number = false;
    for ch in head.chars() {
        if ch.is_ascii_digit() || (in_number && (ch == '.' || ch == '-')) {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(ch);
        }
    }
    out.trim().to_owned()
}

/// Collects errors while loading goes on, so that a user sees every problem of a file at once
/// (the first [`MAX_DETAILED_PROBLEMS`] in full, then counts per kind and field).
#[derive(Debug, Default)]
pub struct Problems {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
    more_errors: Overflow,
    more_warnings: Overflow,
}

impl Problems {
    /// Records an error (the load will fail).
    pub fn error(&mut self, p: Problem) {
        if self.errors.len() < MAX_DETAILED_PROBLEMS {
            self.errors.push(p);
        } else {
            self.more_errors.add(p);
        }
    }
    /// Records a warning (kept in the load report).
    pub fn warn(&mut self, p: Problem) {
        if self.warnings.len() < MAX_DETAILED_PROBLEMS {
            self.warnings.push(p);
        } else {
            self.more_warnings.add(p);
        }
    }
    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
    /// Splits into errors and warnings: the detailed ones, then one summary per kind of those
    /// beyond the cap.
    pub fn into_parts(self) -> (Vec<Problem>, Vec<Problem>) {
        let mut errors = self.errors;
        errors.extend(self.more_errors.into_summaries("erreur"));
        let mut warnings = self.warnings;
        warnings.extend(self.more_warnings.into_summaries("avertissement"));
        (errors, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_beyond_the_cap_are_counted_per_kind_and_field() {
        let mut p = Problems::default();
        for i in 0..1000 {
            p.error(Problem::at(
                "f.geojson",
                Location::Feature(i),
                Some("geometry"),
                format!(
                    "ring with {} positions: a closed ring needs at least 4",
                    i % 3
                ),
            ));
            p.error(Problem::at(
                "f.geojson",
                Location::Feature(i),
                Some("code"),
                "missing or empty property",
            ));
        }
        let (errors, warnings) = p.into_parts();
        assert!(warnings.is_empty());
        assert_eq!(errors.len(), MAX_DETAILED_PROBLEMS + 2);
        assert!(
            errors[..MAX_DETAILED_PROBLEMS]
                .iter()
                .all(|e| matches!(e.location, Location::Feature(_)))
        );
        let summaries = &errors[MAX_DETAILED_PROBLEMS..];
        let count = |field: &str| {
            summaries
                .iter()
                .find(|s| s.field.as_deref() == Some(field))
                .map(|s| s.message.clone())
                .unwrap_or_default()
        };
        assert!(
            count("geometry").starts_with("950 autre(s) erreur(s)"),
            "{}",
            count("geometry")
        );
        assert!(count("geometry").ends_with("ring with N positions"));
        assert!(count("code").starts_with("950 autre(s) erreur(s)"));
    }

    /// One value of every variant of [`Error`] (and of the other user-facing error types),
    /// with realistic fields. The `match` makes a new variant of [`Error`] fail to compile
    /// until it is added here.
    fn one_of_each() -> Vec<String> {
        use crate::analysis::{AnalysisError, NotFound, PointLookupError};
        use crate::coverage::CoverageError;
        use crate::geometry::ExtentError;
        use crate::lookup::LookupError;
        use crate::point::PointError;
        use crate::ranking::WeightsError;
        use crate::suggest::run::SuggestError;
        use crate::tiles::TileError;
        use crate::transit::calendar::CalendarError;
        use crate::transit::isochrone::IsochroneError;
        use crate::transit::matrix::MatrixError;
        use crate::{CommuneCode, QpvCode};
        let problem = Problem::at(
            "data/actors.csv",
            Location::Line(12),
            Some("lat"),
            ValueError::new("49,x", "nombre attendu").to_string(),
        );
        let point = PointError::Latitude { lat: 91.0 };
        let coord = geo::Coord { x: 48.05, y: 2.05 };
        let errors: Vec<Error> = vec![
            LoadError::Manifest {
                path: "territory.toml".into(),
                message: "ligne 3 : clé inconnue".into(),
            }
            .into(),
            LoadError::Invalid(vec![
                problem.clone(),
                Problem::file("qpv.geojson", "anneau vide"),
            ])
            .into(),
            problem.clone().into(),
            PointError::NotFinite {
                lon: f64::NAN,
                lat: 49.0,
            }
            .into(),
            PointError::Longitude { lon: 212.0 }.into(),
            point.into(),
            ExtentError::Swapped(coord).into(),
            ExtentError::Outside(coord).into(),
            LookupError::Point(point).into(),
            LookupError::Projection {
                lon: 1.0,
                lat: 49.0,
                message: "coordonnée NaN".into(),
            }
            .into(),
            PointLookupError {
                index: 3,
                source: LookupError::Point(point),
            }
            .into(),
            AnalysisError::Param {
                field: "minutes",
                value: 200.0,
                expected: "attendu un nombre de minutes dans ]0, 120]",
            }
            .into(),
            NotFound::CommuneNotMember {
                code: CommuneCode::parse("76999").unwrap(),
                territory: "Métropole Rouen Normandie".into(),
                communes: 71,
            }
            .into(),
            NotFound::QpvOtherVintage {
                code: QpvCode::parse("QP076020").unwrap(),
                vintage: 2015,
                diagnosed: 2024,
            }
            .into(),
            NotFound::QpvNotInTerritory {
                code: QpvCode::parse("QN07699M").unwrap(),
                territory: "Métropole Rouen Normandie".into(),
                known: vec![QpvCode::parse("QN07620M").unwrap()],
            }
            .into(),
            crate::tiles::TileCoord::new(25, 0, 0).unwrap_err().into(),
            crate::tiles::TileCoord::new(2, 9, 0).unwrap_err().into(),
            crate::tiles::TileCoord::parse("3", "x", "1")
                .unwrap_err()
                .into(),
            TileError::UnknownLayer {
                name: "routes".into(),
                available: "communes, qpv".into(),
            }
            .into(),
            TileError::Encode {
                layer: "qpv".into(),
                message: "étiquette 3/4 hors des tables".into(),
            }
            .into(),
            CoverageError::Threshold(crate::minutes::MinutesError(200.0)).into(),
            CoverageError::NoSite.into(),
            CoverageError::TooManySites(1001).into(),
            CoverageError::Budget { done: 3, total: 10 }.into(),
            CoverageError::OutsideTerritory {
                position: 2,
                id: "s2".into(),
                lon: 0.1,
                lat: 45.0,
            }
            .into(),
            crate::ranking::Weights::parse("speed=1")
                .unwrap_err()
                .into(),
            crate::ranking::Weights::parse("neet").unwrap_err().into(),
            crate::ranking::Weights::parse("neet=-1")
                .unwrap_err()
                .into(),
            WeightsError::AllZero.into(),
            IsochroneError::NoTimetable {
                note: "le GTFS n'a pas de stop_times.txt".into(),
            }
            .into(),
            IsochroneError::Point(point).into(),
            IsochroneError::Minutes(crate::minutes::MinutesError(0.0)).into(),
            MatrixError::NoTimetable.into(),
            MatrixError::Percentile(0.0).into(),
            MatrixError::Window(0).into(),
            MatrixError::Projection {
                id: "p1".into(),
                message: "coordonnée NaN".into(),
            }
            .into(),
            CalendarError::OutsideService {
                date: 20270101,
                first: 20260901,
                last: 20261231,
            }
            .into(),
            CalendarError::NotADate {
                text: "demain".into(),
            }
            .into(),
            CalendarError::NoService.into(),
            CalendarError::NoServiceOnWeekday {
                first: 20260901,
                last: 20261231,
            }
            .into(),
            SuggestError::Threshold(crate::minutes::MinutesError(0.0)).into(),
            SuggestError::NoCandidate.into(),
            SuggestError::TooManyCandidates(1001).into(),
            SuggestError::TooManyInAll(20_001).into(),
            SuggestError::TimeLimit(0.0).into(),
            SuggestError::CurveK(31).into(),
            SuggestError::K {
                k: 9,
                candidates: 3,
            }
            .into(),
            SuggestError::OutsideTerritory {
                position: 1,
                name: "MJC".into(),
                lon: 0.1,
                lat: 45.0,
            }
            .into(),
            ValueError::new("12a", "nombre attendu").into(),
            ProjectionError::new(
                "projection impossible : coordonnée hors du domaine de la projection",
            )
            .into(),
        ];
        for e in &errors {
            match e {
                Error::Load(_)
                | Error::Input(_)
                | Error::Point(_)
                | Error::Extent(_)
                | Error::Lookup(_)
                | Error::PointLookup(_)
                | Error::Param(_)
                | Error::NotFound(_)
                | Error::Tile(_)
                | Error::Coverage(_)
                | Error::Weights(_)
                | Error::Isochrone(_)
                | Error::Matrix(_)
                | Error::Calendar(_)
                | Error::Suggest(_)
                | Error::Value(_)
                | Error::Projection(_) => {}
            }
        }
        let mut texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
        // User-facing errors outside [`Error`]: GTFS times, opening hours, walking parameters,
        // OpenStreetMap extracts, national files, imports.
        texts.push(crate::load::gtfs::parse_time("8h").unwrap_err().to_string());
        texts.push(
            crate::load::gtfs::parse_time("49:00:00")
                .unwrap_err()
                .to_string(),
        );
        use crate::model::opening_hours::{parse_day, parse_week};
        for bad in ["9h", "18:00-09:00", "09:00-12:00, 11:00-13:00"] {
            texts.push(parse_day(bad).unwrap_err().to_string());
        }
        texts.push(parse_week("jourdi 09:00-12:00").unwrap_err().to_string());
        texts.push(
            crate::transit::walk::WalkError::Invalid {
                field: "speed_kmh",
                value: -1.0,
                expected: "un nombre > 0",
            }
            .to_string(),
        );
        use crate::walking::error::OsmError;
        texts.extend(
            [
                OsmError::Read {
                    file: "a.osm.pbf".into(),
                    message: "PBF illisible".into(),
                },
                OsmError::UnknownFormat {
                    file: "a.txt".into(),
                },
                OsmError::Element {
                    file: "a.osm".into(),
                    element: "way 12".into(),
                    field: "nd ref".into(),
                    message: "attribut absent".into(),
                },
                OsmError::NoUsableWay {
                    file: "a.osm".into(),
                    highways: 10,
                    walkable: 0,
                },
            ]
            .iter()
            .map(ToString::to_string),
        );
        use crate::national::error::NationalError;
        let path = std::path::PathBuf::from("communes.json");
        texts.extend(
            [
                NationalError::MissingFile {
                    path: path.clone(),
                    what: "contours des communes",
                },
                NationalError::Unreadable {
                    path: path.clone(),
                    message: "JSON tronqué".into(),
                },
                NationalError::UnknownEpci {
                    siren: "200023414".into(),
                    path: path.clone(),
                },
                NationalError::UnknownDepartement {
                    code: "99".into(),
                    path: path.clone(),
                },
                NationalError::UnknownCommune {
                    code: "76999".into(),
                    path: path.clone(),
                },
                NationalError::NoPolygon {
                    selection: "--epci 200023414".into(),
                    count: 3,
                    path: path.clone(),
                },
                NationalError::EmptySelection,
                NationalError::Write {
                    path,
                    message: "disque plein".into(),
                },
            ]
            .iter()
            .map(ToString::to_string),
        );
        use crate::inventory::import::ImportError;
        texts.extend(
            [
                ImportError::Unreadable(problem),
                ImportError::TooMany {
                    lines: 20_000,
                    max: 10_000,
                },
                ImportError::Empty("import.csv".into()),
            ]
            .iter()
            .map(ToString::to_string),
        );
        texts
    }

    #[test]
    fn every_error_message_is_french() {
        let texts = one_of_each();
        assert!(texts.len() > 60, "{}", texts.len());
        for t in &texts {
            let english = crate::text::english_words(t);
            assert!(english.is_empty(), "English {english:?} in: {t}");
        }
    }

    #[test]
    fn the_english_word_check_catches_the_old_messages() {
        for old in [
            "QPV QN07620M does not list commune 76540 (Rouen); the list is kept",
            "missing column (columns found: id, nom)",
            "worker failed: task 3 panicked",
            "unknown weight key \"foo\" (expected one of neet, access)",
            "EPSG:2154 (none declared: WGS84 assumed)",
        ] {
            assert!(!crate::text::english_words(old).is_empty(), "{old}");
        }
    }
}
