//! Errors of the pedestrian network, in French (users read them), naming the file and element.

use crate::problem::{Location, Problem};

/// Reading an OpenStreetMap extract or building its pedestrian network failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OsmError {
    /// The file could not be opened or decoded at all.
    #[error("{file} : lecture impossible : {message}")]
    Read {
        /// File as shown to the user.
        file: String,
        /// What failed.
        message: String,
    },
    /// The file's name says neither PBF nor XML.
    #[error(
        "{file} : format OpenStreetMap inconnu : le nom doit finir par .osm.pbf (ou .pbf), .osm ou .osm.gz"
    )]
    UnknownFormat {
        /// File as shown to the user.
        file: String,
    },
    /// One element is malformed.
    #[error("{file} : {element}, champ « {field} » : {message}")]
    Element {
        /// File as shown to the user.
        file: String,
        /// The element, e.g. `nœud 123`, `voie 456`, `octet 7890`.
        element: String,
        /// The attribute or tag at fault.
        field: String,
        /// What is wrong, with the value.
        message: String,
    },
    /// Nothing walkable is left.
    #[error(
        "{file} : aucune voie praticable à pied dans le territoire ({highways} voies highway=* lues, {walkable} praticables, aucune dans l'emprise du territoire et sa marge)"
    )]
    NoUsableWay {
        /// File as shown to the user.
        file: String,
        /// `highway=*` ways read.
        highways: usize,
        /// Walkable ways among them (before clipping).
        walkable: usize,
    },
}

impl OsmError {
    /// The error as a load problem (file, element, field, message).
    pub fn to_problem(&self) -> Problem {
        match self {
            OsmError::Element {
                file,
                element,
                field,
                message,
            } => Problem::at(
                file.clone(),
                Location::Record(element.clone()),
                Some(field),
                message.clone(),
            ),
            OsmError::Read { file, .. }
            | OsmError::UnknownFormat { file }
            | OsmError::NoUsableWay { file, .. } => {
                let text = self.to_string();
                let message = text
                    .strip_prefix(&format!("{file} : "))
                    .unwrap_or(&text)
                    .to_owned();
                Problem::file(file.clone(), message)
            }
        }
    }
}
