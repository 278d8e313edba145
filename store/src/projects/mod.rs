//! Projects kept beside the actors, in the same database: a project's file (JSON, validated by
//! the server with the engine before it reaches a store), its title and organisation as columns,
//! its version, times, the hash of its edit secret, and its sites as a point table for GIS tools.
//!
//! - [`secret`]: the random edit secret, its SHA-256, the constant-time check;
//! - [`gpkg`]: GeoPackage tables `projects` (attributes) and `project_sites` (points);
//! - [`postgis`]: PostgreSQL tables `repere_projects` and `repere_project_sites`.
//!
//! Each backend opens its own connection to the store the actors use, with the same durability:
//! a project saved is on disk when the call returns.

pub mod gpkg;
pub mod postgis;
pub mod secret;

use crate::StoreError;

/// A site as the point table publishes it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProjectSiteRow {
    /// Number of the site in the project, from 1.
    pub number: u32,
    /// Name.
    pub name: String,
    /// Postal address.
    pub address: Option<String>,
    /// WGS84 longitude (`None` until placed).
    pub lon: Option<f64>,
    /// WGS84 latitude.
    pub lat: Option<f64>,
    /// Service groups, `,`-separated (`ML,FT`).
    pub services: String,
    /// Days and hours as JSON (weekday → ranges), when given.
    pub opening_hours: Option<String>,
    /// Host structure.
    pub host: Option<String>,
}

/// What a save writes: the file and the columns drawn from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectContent {
    /// Title.
    pub title: String,
    /// Organisation name.
    pub organisation: String,
    /// The whole file (canonical JSON).
    pub data: serde_json::Value,
    /// Its sites, for the point table.
    pub sites: Vec<ProjectSiteRow>,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredProject {
    /// Public read id.
    pub id: String,
    /// Version (1 when created, +1 per save).
    pub version: u32,
    /// Creation time, ms since the Unix epoch (UTC).
    pub created_ms: i64,
    /// Last save, ms since the Unix epoch (UTC).
    pub updated_ms: i64,
    /// SHA-256 of the edit secret (hex).
    pub secret_sha256: String,
    /// Title.
    pub title: String,
    /// Organisation name.
    pub organisation: String,
    /// The file.
    pub data: serde_json::Value,
}

/// The outcome of a save over an existing project.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Saved as the returned version.
    Saved(StoredProject),
    /// No project has this id.
    NotFound,
    /// Another save came first: the current version.
    Conflict(u32),
}

/// A store of projects.
pub trait ProjectStore: Send + Sync {
    /// Creates a project with a given id and secret hash, version 1; durable when this returns.
    ///
    /// # Errors
    /// [`StoreError::Backend`] (an id already taken included).
    fn create(
        &self,
        id: &str,
        secret_sha256: &str,
        content: &ProjectContent,
    ) -> Result<StoredProject, StoreError>;
    /// Replaces a project's content when its version is `expected_version` (any when `None`).
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn save(
        &self,
        id: &str,
        expected_version: Option<u32>,
        content: &ProjectContent,
    ) -> Result<Saved, StoreError>;
    /// One project.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn get(&self, id: &str) -> Result<Option<StoredProject>, StoreError>;
    /// Every project, most recently saved first.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn list(&self) -> Result<Vec<StoredProject>, StoreError>;
    /// What the store is, for logs, without secrets.
    fn describe(&self) -> String;
}

/// Opens the project store at a location, as [`crate::open`] reads it: `postgresql://…` or
/// `postgres://…` for PostGIS, anything else a GeoPackage path (created when missing).
///
/// # Errors
/// [`StoreError`] when the database cannot be opened or initialised.
pub fn open(location: &str) -> Result<Box<dyn ProjectStore>, StoreError> {
    open_with(location, &crate::pg_password::Credentials::from_env(None))
}

/// [`open`] with the PostGIS password looked up in `creds` (`repere serve
/// --store-password-file`, then the environment), as for the actors' store.
///
/// # Errors
/// As [`open`]; an unreadable password file.
pub fn open_with(
    location: &str,
    creds: &crate::pg_password::Credentials,
) -> Result<Box<dyn ProjectStore>, StoreError> {
    if location.starts_with("postgresql://") || location.starts_with("postgres://") {
        Ok(Box::new(postgis::PostgisProjects::connect_with(
            location, creds,
        )?))
    } else {
        Ok(Box::new(gpkg::GpkgProjects::open(std::path::Path::new(
            location,
        ))?))
    }
}

pub(crate) fn parse_data(store: &str, text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::backend(store, e))
}
