//! Errors of the engine, each naming the file, the place in it and the field at fault.

use std::fmt;

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
            Location::Line(n) => write!(f, "line {n}"),
            Location::Feature(i) => write!(f, "feature {i}"),
            Location::Record(id) => write!(f, "record {id}"),
        }
    }
}

/// One loading problem: which file, where, which field and what is wrong.
///
/// Its `Display` reads `file: line 12, field `lat`: not a number: "49,x"`.
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
            (true, None) => write!(f, ": ")?,
            (true, Some(field)) => write!(f, ": field `{field}`: ")?,
            (false, None) => write!(f, ": {loc}: ")?,
            (false, Some(field)) => write!(f, ": {loc}, field `{field}`: ")?,
        }
        write!(f, "{}", self.message)
    }
}

/// A territory failed to load. Nothing of it is kept: the engine never hands out a half-loaded
/// dataset.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    /// The manifest itself is unreadable or inconsistent.
    #[error("territory manifest {path}: {message}")]
    Manifest {
        /// Manifest path.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// One or more data files are invalid; every problem found is listed.
    #[error("{} error(s) while loading the territory:\n{}", .0.len(), ProblemList(.0))]
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

/// Collects errors while loading goes on, so that a user sees every problem of a file at once.
#[derive(Debug, Default)]
pub struct Problems {
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Problems {
    /// Records an error (the load will fail).
    pub fn error(&mut self, p: Problem) {
        self.errors.push(p);
    }
    /// Records a warning (kept in the load report).
    pub fn warn(&mut self, p: Problem) {
        self.warnings.push(p);
    }
    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
    /// Splits into errors and warnings.
    pub fn into_parts(self) -> (Vec<Problem>, Vec<Problem>) {
        (self.errors, self.warnings)
    }
}
