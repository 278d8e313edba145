//! The output format every command takes (`--format text|json`), shared by the command line
//! ([`crate::cli`]) and the command modules, so that none of them imports the other.

use clap::ValueEnum;

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Texte lisible.
    Text,
    /// JSON.
    Json,
}
