//! Errors of the engine, each naming the file, the place in it and the field at fault.
//!
//! [`Error`] is the one error type of the engine's public API: every fallible entry point returns
//! one of its variants' types, which converts into it with `?`. Callers match on variants and
//! fields, never on message text. Messages are French (users read them).

use crate::problem::{LoadError, Problem, ProjectionError, ValueError};

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
    Lookup(#[from] crate::point_lookup::LookupError),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Location;

    /// One value of every variant of [`Error`] (and of the other user-facing error types),
    /// with realistic fields. The `match` makes a new variant of [`Error`] fail to compile
    /// until it is added here.
    fn one_of_each() -> Vec<String> {
        use crate::analysis::{AnalysisError, NotFound, PointLookupError};
        use crate::coverage::CoverageError;
        use crate::geometry::ExtentError;
        use crate::point::PointError;
        use crate::point_lookup::LookupError;
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
            crate::walking::params::WalkError::Invalid {
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
