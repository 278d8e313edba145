//! Territories described from national files: `repere territory new --epci <SIREN> |
//! --departement <code> | --communes <codes> --national <folder> --out <dir>` writes an ordinary
//! manifest (and a members CSV) for any EPCI, département or list of communes of France.
//!
//! The national folder holds the files of `shared/data/national/` ([`NationalFiles`]): commune
//! polygons (IGN Admin Express COG 2018), commune and EPCI records (2026,
//! `@etalab/decoupage-administratif`), France Travail sites (2019), and the official QPV 2015
//! shapefile of metropolitan France. The manifest references them by absolute path; the
//! loader streams the polygons and projects only the members'. 2018 polygons of communes merged
//! since are unioned into their 2026 commune by the loader (records' `anciensCodes`).
//!
//! - [`files`]: where each national file is and what it holds.
//! - [`generate`]: selection → members CSV and manifest.
//! - [`error`]: what can go wrong, in French, naming the file or the code.

pub mod error;
pub mod files;
pub mod generate;

pub use error::NationalError;
pub use files::NationalFiles;
pub use generate::{NewTerritory, Selection, new_territory};
