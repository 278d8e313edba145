//! Errors of `territory new`, each naming the file or the code at fault (French, shown as is).

use std::path::PathBuf;

/// Why a territory could not be described from the national files.
#[derive(Debug, thiserror::Error)]
pub enum NationalError {
    /// A national file is missing.
    #[error("fichier national manquant : {path} ({what})")]
    MissingFile {
        /// Expected path.
        path: PathBuf,
        /// What the file holds.
        what: &'static str,
    },
    /// A national file cannot be read or parsed.
    #[error("fichier national illisible : {path} : {message}")]
    Unreadable {
        /// Path.
        path: PathBuf,
        /// The reader's message.
        message: String,
    },
    /// No EPCI has this SIREN.
    #[error("EPCI inconnu : aucun EPCI n'a le SIREN {siren} dans {path}")]
    UnknownEpci {
        /// SIREN asked for.
        siren: String,
        /// EPCI file.
        path: PathBuf,
    },
    /// No current commune belongs to this département.
    #[error("département inconnu : aucune commune du département {code} dans {path}")]
    UnknownDepartement {
        /// Code asked for.
        code: String,
        /// Records file.
        path: PathBuf,
    },
    /// A commune code of `--communes` is not a current commune.
    #[error("commune inconnue : {code} n'est pas une commune actuelle de {path}")]
    UnknownCommune {
        /// Code asked for.
        code: String,
        /// Records file.
        path: PathBuf,
    },
    /// None of the selected communes has a polygon.
    #[error(
        "aucune des {count} communes de {selection} n'a de contour dans {path} (ni sous son code, ni sous un ancien code)"
    )]
    NoPolygon {
        /// The selection, as written.
        selection: String,
        /// Communes selected.
        count: usize,
        /// Boundaries file.
        path: PathBuf,
    },
    /// The selection is empty.
    #[error("sélection vide : donnez --epci, --departement ou --communes")]
    EmptySelection,
    /// The output folder cannot be written.
    #[error("impossible d'écrire {path} : {message}")]
    Write {
        /// Path.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
}
