//! Projects in the PostgreSQL + PostGIS database of the actors: `repere_projects` (one row per
//! project) and `repere_project_sites` (a `geometry(Point, 4326)` per site, for GIS tools).
//! Each save is one transaction, committed (durable) when the call returns. A connection found
//! closed (the server restarted) is opened again before the next statement.

use std::sync::Mutex;

use postgres::{Client, NoTls, Row};

use super::{ProjectContent, ProjectStore, Saved, StoredProject};
use crate::StoreError;
use crate::postgis::PgTarget;

/// Advisory lock key serialising the creation of the tables ("RPRJ").
const SCHEMA_LOCK: i64 = 0x5250_524A;

const SCHEMA: &str = "
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS repere_projects (
  project_id TEXT PRIMARY KEY, title TEXT NOT NULL, organisation TEXT NOT NULL,
  version INTEGER NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,
  secret_sha256 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS repere_project_sites (
  project_id TEXT NOT NULL REFERENCES repere_projects (project_id), site_number INTEGER NOT NULL,
  geom geometry(Point, 4326), name TEXT NOT NULL, address TEXT, services TEXT NOT NULL,
  opening_hours TEXT, host TEXT, PRIMARY KEY (project_id, site_number));
";

const COLUMNS: &str =
    "project_id, version, created_ms, updated_ms, secret_sha256, title, organisation, data";

/// The project tables of a PostGIS database.
pub struct PostgisProjects {
    target: PgTarget,
    /// `None` only while dropping.
    client: Mutex<Option<Client>>,
}

impl Drop for PostgisProjects {
    /// The synchronous client closes its connection by blocking on its own runtime, which
    /// panics inside an async context: close it on a plain thread.
    fn drop(&mut self) {
        if let Some(c) = self.client.get_mut().ok().and_then(Option::take) {
            let _ = std::thread::spawn(move || drop(c)).join();
        }
    }
}

fn connect(target: &PgTarget) -> Result<Client, StoreError> {
    let label = &target.label;
    let mut client = target
        .config
        .connect(NoTls)
        .map_err(|e| StoreError::backend(label, target.connect_error_fr(&e)))?;
    let mut tx = client
        .transaction()
        .map_err(|e| StoreError::backend(label, e))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
        .map_err(|e| StoreError::backend(label, e))?;
    tx.batch_execute(SCHEMA)
        .map_err(|e| StoreError::backend(label, e))?;
    tx.commit().map_err(|e| StoreError::backend(label, e))?;
    Ok(client)
}

fn stored(row: &Row) -> Result<StoredProject, String> {
    let data: String = row.get(7);
    Ok(StoredProject {
        id: row.get(0),
        version: u32::try_from(row.get::<_, i32>(1)).map_err(|e| e.to_string())?,
        created_ms: row.get(2),
        updated_ms: row.get(3),
        secret_sha256: row.get(4),
        title: row.get(5),
        organisation: row.get(6),
        data: serde_json::from_str(&data).map_err(|e| e.to_string())?,
    })
}

fn write_sites(
    tx: &mut postgres::Transaction<'_>,
    id: &str,
    content: &ProjectContent,
) -> Result<(), postgres::Error> {
    tx.execute(
        "DELETE FROM repere_project_sites WHERE project_id = $1",
        &[&id],
    )?;
    for s in &content.sites {
        let number = i32::try_from(s.number).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO repere_project_sites (project_id, site_number, geom, name, address, services, opening_hours, host)
             VALUES ($1, $2, CASE WHEN $3::float8 IS NULL OR $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($3, $4), 4326) END,
                     $5, $6, $7, $8, $9)",
            &[&id, &number, &s.lon, &s.lat, &s.name, &s.address, &s.services, &s.opening_hours, &s.host],
        )?;
    }
    Ok(())
}

impl PostgisProjects {
    /// Connects and creates the tables when missing.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the server is unreachable or refuses.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, &crate::pg_password::Credentials::from_env(None))
    }

    /// [`PostgisProjects::connect`] with the password looked up in `creds`, as the actors'
    /// store does ([`crate::pg_password`]).
    ///
    /// # Errors
    /// As [`PostgisProjects::connect`]; an unreadable password file.
    pub fn connect_with(
        url: &str,
        creds: &crate::pg_password::Credentials,
    ) -> Result<Self, StoreError> {
        let target = PgTarget::resolve(url, creds)?;
        let client = connect(&target)?;
        Ok(Self {
            target,
            client: Mutex::new(Some(client)),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut guard = self
            .client
            .lock()
            .map_err(|_| StoreError::backend(&self.target.label, "verrou empoisonné"))?;
        if guard.as_ref().is_none_or(Client::is_closed) {
            // The server closed the connection (restart, idle timeout): open a new one.
            *guard = Some(connect(&self.target)?);
        }
        let c = guard
            .as_mut()
            .ok_or_else(|| StoreError::backend(&self.target.label, "connexion fermée"))?;
        f(c).map_err(|e| StoreError::backend(&self.target.label, e))
    }
}

impl ProjectStore for PostgisProjects {
    fn create(
        &self,
        id: &str,
        secret_sha256: &str,
        content: &ProjectContent,
    ) -> Result<StoredProject, StoreError> {
        let now = crate::record::now_ms();
        let data = content.data.to_string();
        self.with(|c| {
            let mut tx = c.transaction()?;
            tx.execute(
                "INSERT INTO repere_projects (project_id, title, organisation, version, created_ms, updated_ms, secret_sha256, data)
                 VALUES ($1, $2, $3, 1, $4, $4, $5, $6)",
                &[&id, &content.title, &content.organisation, &now, &secret_sha256, &data],
            )?;
            write_sites(&mut tx, id, content)?;
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
        let data = content.data.to_string();
        let found = self.with(|c| {
            let mut tx = c.transaction()?;
            let current = tx.query_opt(
                "SELECT version, created_ms, secret_sha256 FROM repere_projects WHERE project_id = $1 FOR UPDATE",
                &[&id],
            )?;
            let Some(row) = current else {
                return Ok(Err(None));
            };
            let (version, created_ms, hash): (i32, i64, String) = (row.get(0), row.get(1), row.get(2));
            let version = u32::try_from(version).unwrap_or(0);
            if expected_version.is_some_and(|v| v != version) {
                return Ok(Err(Some(version)));
            }
            let next = i32::try_from(version + 1).unwrap_or(i32::MAX);
            tx.execute(
                "UPDATE repere_projects SET title = $2, organisation = $3, version = $4, updated_ms = $5, data = $6 WHERE project_id = $1",
                &[&id, &content.title, &content.organisation, &next, &now, &data],
            )?;
            write_sites(&mut tx, id, content)?;
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
            c.query_opt(
                &format!("SELECT {COLUMNS} FROM repere_projects WHERE project_id = $1"),
                &[&id],
            )
        })?;
        row.map(|r| stored(&r).map_err(|m| StoreError::backend(&self.target.label, m)))
            .transpose()
    }

    fn list(&self) -> Result<Vec<StoredProject>, StoreError> {
        let rows = self.with(|c| {
            c.query(
                &format!(
                    "SELECT {COLUMNS} FROM repere_projects ORDER BY updated_ms DESC, project_id"
                ),
                &[],
            )
        })?;
        rows.iter()
            .map(|r| stored(r).map_err(|m| StoreError::backend(&self.target.label, m)))
            .collect()
    }

    fn describe(&self) -> String {
        self.target.label.clone()
    }
}
