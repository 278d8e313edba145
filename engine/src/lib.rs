//! Repère engine: loads a territory's real data (communes, QPV, actors, transport, youth) into
//! typed, validated, indexed layers, and computes territorial diagnostics for the repérage of
//! young people neither in employment, education nor training.
//!
//! No HTTP, no async: the server crate maps requests onto these functions.
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod analysis;
pub mod codes;
pub mod coverage;
pub mod crs;
pub mod csv_cell;
pub mod data_root;
pub mod dataset;
pub mod date;
pub mod diagnostic;
pub mod error;
pub mod gaps;
pub mod geometry;
pub mod grid;
pub mod indicator;
pub mod inventory;
pub mod load;
pub mod load_report;
pub mod manifest;
pub mod minutes;
pub mod model;
pub mod national;
pub mod number;
pub mod overlay;
pub mod parallel;
pub mod point;
pub mod point_file;
pub mod point_lookup;
pub mod portfolio;
pub mod problem;
pub mod project;
pub mod ranking;
pub mod reproject;
pub mod suggest;
pub mod tabular;
pub mod text;
pub mod tiles;
pub mod transit;
pub mod walking;

pub use analysis::{Analysis, AnalysisParams};
pub use codes::{CommuneCode, IrisCode, QpvCode};
pub use dataset::Dataset;
pub use error::Error;
pub use load_report::LoadReport;
pub use manifest::Territory;
pub use point::Wgs84Point;
pub use problem::{LoadError, Location, Problem};
