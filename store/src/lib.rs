//! Repère's actor store: the log of edits users make to the actor inventory (create, update,
//! place, retire, undo), each with author, time, reason and the actor's version, and the current
//! inventory published beside it for GIS tools.
//!
//! - [`record`]: an actor's fields as stored, an edit, a new edit to append;
//! - [`gpkg`]: the default backend, an OGC GeoPackage 1.3 file (SQLite) that QGIS opens as is;
//! - [`postgis`]: PostgreSQL + PostGIS, for replicas sharing one inventory (reconnecting after
//!   the database restarted);
//! - [`pg_password`]: where the PostGIS password comes from (file, `PGPASSWORD`, `~/.pgpass`);
//! - [`export`]: the current inventory as GeoPackage, CSV or data·inclusion structures JSON;
//! - [`time`]: RFC 3339 rendering of edit times;
//! - [`projects`]: projects answering a call, beside the actors (both backends);
//! - [`testing`]: a throwaway PostgreSQL cluster for tests and benchmarks;
//! - [`error`]: the store's error type.
//!
//! The engine knows nothing of this crate: the server validates an edit with the engine, appends
//! it here, then rebuilds the analysis from the loaded dataset plus [`latest_states`].
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod error;
pub mod export;
pub mod gpkg;
pub mod pg_password;
pub mod postgis;
pub mod projects;
pub mod record;
pub mod testing;
pub mod time;

use std::collections::BTreeMap;

pub use error::StoreError;
pub use record::{ActorRecord, Edit, EditKind, NewEdit};

/// An edit log with optimistic concurrency on each actor's version.
pub trait Store: Send + Sync {
    /// Appends an edit when the actor's current version is `edit.expected_version` (0 for an
    /// actor never edited), as version `expected_version + 1`; the edit is durable when this
    /// returns.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] with the current version when another edit came first;
    /// [`StoreError::Backend`] when the database fails.
    fn append(&self, edit: NewEdit) -> Result<Edit, StoreError>;
    /// Appends several edits in one transaction, each checked as by [`Store::append`] in order:
    /// every edit is durable when this returns, or none is (a conflict on one refuses all).
    ///
    /// # Errors
    /// As [`Store::append`], for the first edit that fails.
    fn append_batch(&self, edits: Vec<NewEdit>) -> Result<Vec<Edit>, StoreError>;
    /// Edits with a sequence number above `seq`, in order.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn edits_since(&self, seq: i64) -> Result<Vec<Edit>, StoreError>;
    /// The highest sequence number (0 for an empty log): replicas poll it to see others' edits.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn head(&self) -> Result<i64, StoreError>;
    /// Every edit of one actor, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn history(&self, actor_id: &str) -> Result<Vec<Edit>, StoreError>;
    /// Rewrites the published inventory table: `base` (the loaded actors) with every edit laid
    /// over it.
    ///
    /// # Errors
    /// [`StoreError::Backend`].
    fn publish_inventory(&self, base: &[ActorRecord]) -> Result<(), StoreError>;
    /// What the store is, for logs (`GeoPackage repere.gpkg`, `PostGIS host/db`), without secrets.
    fn describe(&self) -> String;
    /// Why the store cannot be reached now (French), `None` when it answers. Never waits for
    /// the database: it tells what the last call found.
    fn health(&self) -> Option<String> {
        None
    }
    /// Warnings for the operator at startup (a password visible in `ps`, a password file
    /// others can read).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The latest edit of each actor, by id: its state (`None` when retired) and version.
pub fn latest_states(edits: &[Edit]) -> BTreeMap<String, &Edit> {
    let mut out: BTreeMap<String, &Edit> = BTreeMap::new();
    for e in edits {
        match out.get(&e.actor_id) {
            Some(prev) if prev.version >= e.version => {}
            _ => {
                out.insert(e.actor_id.clone(), e);
            }
        }
    }
    out
}

/// Opens a store from a location: `postgresql://…` or `postgres://…` for PostGIS, anything else
/// is a GeoPackage path (created when missing). A PostGIS password missing from the URL is
/// looked up in `PGPASSWORD`, then `~/.pgpass`.
///
/// # Errors
/// [`StoreError`] when the database cannot be opened or initialised.
pub fn open(location: &str) -> Result<Box<dyn Store>, StoreError> {
    open_with(location, &pg_password::Credentials::from_env(None))
}

/// [`open`] with the PostGIS password looked up in `creds` (`repere serve
/// --store-password-file`, then the environment).
///
/// # Errors
/// As [`open`]; an unreadable password file.
pub fn open_with(
    location: &str,
    creds: &pg_password::Credentials,
) -> Result<Box<dyn Store>, StoreError> {
    if location.starts_with("postgresql://") || location.starts_with("postgres://") {
        Ok(Box::new(postgis::PostgisStore::connect_with(
            location, creds,
        )?))
    } else {
        Ok(Box::new(gpkg::GpkgStore::open(std::path::Path::new(
            location,
        ))?))
    }
}
