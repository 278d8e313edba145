//! Projects in the GeoPackage of the actors: `projects`, an attribute table (one row per
//! project: title, organisation, version, times, secret hash, file as JSON), and
//! `project_sites`, a point feature table in WGS84 (one row per site, rewritten with its
//! project), registered in `gpkg_contents` so that QGIS lists both.
//!
//! Writes run in `BEGIN IMMEDIATE` transactions in WAL mode with `synchronous = FULL`, as the
//! actors' edits: a saved project survives a crash of the process or of the machine.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{ProjectContent, ProjectStore, Saved, StoredProject};
use crate::StoreError;
use crate::gpkg::{GpkgStore, binary};

const SRS_WGS84: i32 = 4326;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS projects (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
  organisation TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS project_sites (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, project_id TEXT NOT NULL,
  site_number INTEGER NOT NULL, name TEXT NOT NULL, address TEXT, services TEXT NOT NULL,
  opening_hours TEXT, host TEXT, UNIQUE (project_id, site_number));
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
  VALUES ('projects', 'attributes', 'projects', 'Projets déposés (Repère)', NULL),
         ('project_sites', 'features', 'project_sites', 'Sites des projets déposés (Repère)', 4326);
INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('project_sites', 'geom', 'POINT', 4326, 0, 0);
";

const COLUMNS: &str =
    "project_id, version, created_ms, updated_ms, secret_sha256, title, organisation, data";

/// The project tables of a GeoPackage.
pub struct GpkgProjects {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl GpkgProjects {
    /// Opens (creating when missing) the GeoPackage at `path` and its project tables.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the file is not a GeoPackage or cannot be initialised.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // The GeoPackage's own tables (spatial reference systems, contents) first.
        drop(GpkgStore::open(path)?);
        let name = path.display().to_string();
        let err = |e: rusqlite::Error| StoreError::backend(&name, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        Ok(Self {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        })
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, rusqlite::Error>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StoreError::backend(&self.name(), "verrou empoisonné"))?;
        f(&mut conn).map_err(|e| StoreError::backend(&self.name(), e))
    }

    fn row(&self, r: &rusqlite::Row<'_>) -> Result<(StoredProject, String), rusqlite::Error> {
        let data: String = r.get(7)?;
        Ok((
            StoredProject {
                id: r.get(0)?,
                version: r.get(1)?,
                created_ms: r.get(2)?,
                updated_ms: r.get(3)?,
                secret_sha256: r.get(4)?,
                title: r.get(5)?,
                organisation: r.get(6)?,
                data: serde_json::Value::Null,
            },
            data,
        ))
    }

    fn finish(&self, (mut p, data): (StoredProject, String)) -> Result<StoredProject, StoreError> {
        p.data = super::parse_data(&self.name(), &data)?;
        Ok(p)
    }
}

fn write_sites(tx: &Connection, id: &str, content: &ProjectContent) -> Result<(), rusqlite::Error> {
    tx.execute("DELETE FROM project_sites WHERE project_id = ?1", [id])?;
    for s in &content.sites {
        let geom = match (s.lon, s.lat) {
            (Some(x), Some(y)) => Some(binary::point_blob(SRS_WGS84, x, y)),
            _ => None,
        };
        tx.execute(
            "INSERT INTO project_sites (geom, project_id, site_number, name, address, services, opening_hours, host)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![geom, id, s.number, s.name, s.address, s.services, s.opening_hours, s.host],
        )?;
    }
    Ok(())
}

impl ProjectStore for GpkgProjects {
    fn create(
        &self,
        id: &str,
        secret_sha256: &str,
        content: &ProjectContent,
    ) -> Result<StoredProject, StoreError> {
        let now = crate::record::now_ms();
        let at = crate::time::rfc3339_utc(now);
        let data = content.data.to_string();
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO projects (project_id, title, organisation, version, created_ms, updated_ms, created_at, updated_at, secret_sha256, data)
                 VALUES (?1, ?2, ?3, 1, ?4, ?4, ?5, ?5, ?6, ?7)",
                params![id, content.title, content.organisation, now, at, secret_sha256, data],
            )?;
            write_sites(&tx, id, content)?;
            tx.commit()
        })?;
        Ok(StoredProject {
            id: id.to_owned(),
            version: 1,
            created_ms: now,
            updated_ms: now,
            secret_sha256: secret_sha256.to_owned(),
            title: content.title.clone(),
            organisation: content.organisation.clone(),
            data: content.data.clone(),
        })
    }

    fn save(
        &self,
        id: &str,
        expected_version: Option<u32>,
        content: &ProjectContent,
    ) -> Result<Saved, StoreError> {
        let now = crate::record::now_ms();
        let at = crate::time::rfc3339_utc(now);
        let data = content.data.to_string();
        let found =
            self.with(|c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let current: Option<(u32, i64, String)> = tx
                .query_row(
                    "SELECT version, created_ms, secret_sha256 FROM projects WHERE project_id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
                let Some((version, created_ms, hash)) = current else {
                    return Ok(Err(None));
                };
                if expected_version.is_some_and(|v| v != version) {
                    return Ok(Err(Some(version)));
                }
                tx.execute(
                "UPDATE projects SET title = ?2, organisation = ?3, version = ?4, updated_ms = ?5,
                   updated_at = ?6, data = ?7 WHERE project_id = ?1",
                params![id, content.title, content.organisation, version + 1, now, at, data],
            )?;
                write_sites(&tx, id, content)?;
                tx.commit()?;
                Ok(Ok((version + 1, created_ms, hash)))
            })?;
        Ok(match found {
            Err(None) => Saved::NotFound,
            Err(Some(v)) => Saved::Conflict(v),
            Ok((version, created_ms, secret_sha256)) => Saved::Saved(StoredProject {
                id: id.to_owned(),
                version,
                created_ms,
                updated_ms: now,
                secret_sha256,
                title: content.title.clone(),
                organisation: content.organisation.clone(),
                data: content.data.clone(),
            }),
        })
    }

    fn get(&self, id: &str) -> Result<Option<StoredProject>, StoreError> {
        let row = self.with(|c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM projects WHERE project_id = ?1"),
                [id],
                |r| self.row(r),
            )
            .optional()
        })?;
        row.map(|r| self.finish(r)).transpose()
    }

    fn list(&self) -> Result<Vec<StoredProject>, StoreError> {
        let rows = self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM projects ORDER BY updated_ms DESC, project_id"
            ))?;
            stmt.query_map([], |r| self.row(r))?
                .collect::<Result<Vec<_>, _>>()
        })?;
        rows.into_iter().map(|r| self.finish(r)).collect()
    }

    fn describe(&self) -> String {
        format!("GeoPackage {}", self.name())
    }
}
