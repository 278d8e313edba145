//! The shared problem and location types every module reports with: a value that did not parse
//! ([`ValueError`]), a coordinate that could not be projected ([`ProjectionError`]), a problem at a
//! place in a file ([`Problem`], [`Location`]), the problems of one load ([`Problems`]) and a
//! territory that failed to load ([`LoadError`]).
//!
//! This module sits at the bottom of the engine: it imports only [`crate::text`]. The umbrella
//! [`crate::error::Error`] sits at the top.

use std::fmt;

/// A text value that is not what was expected (a code, a time, a day, a number…).
///
/// # Examples
/// ```
/// let e = repere_engine::problem::ValueError::new("12a", "nombre attendu");
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
}
