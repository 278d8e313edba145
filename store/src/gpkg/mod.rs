//! The GeoPackage backend: one OGC GeoPackage 1.3 file (SQLite) holding
//! - `actors`, a point feature table in WGS84 (EPSG:4326): the current inventory, one row per
//!   actor with its status (`actif`, `à localiser` without geometry, `retiré`), version and last
//!   editor, so that a GIS officer opens it in QGIS as it is;
//! - `actor_edits`, an attribute table: the edit log (the truth; `actors` is derived from it).
//!
//! Writes run in `BEGIN IMMEDIATE` transactions in WAL mode with `synchronous = FULL`: an
//! acknowledged edit survives a crash of the process or of the machine. Several processes may
//! share the file (busy timeout).

pub mod binary;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, TransactionBehavior, params};

use crate::{ActorRecord, Edit, EditKind, NewEdit, Store, StoreError, latest_states};

/// `GPKG` as a big-endian 32-bit integer (GeoPackage § 1.1.1.1.1).
const APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.3.0.
const USER_VERSION: i32 = 10_300;
const SRS_WGS84: i32 = 4326;

const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS actors (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT,
  actor_id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  address TEXT, commune TEXT, opening_hours TEXT, status TEXT NOT NULL, retired_reason TEXT,
  version INTEGER NOT NULL, updated_by TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS actor_edits (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, actor_id TEXT NOT NULL, version INTEGER NOT NULL,
  kind TEXT NOT NULL, author TEXT NOT NULL, time_ms INTEGER NOT NULL, time_utc TEXT NOT NULL,
  reason TEXT, state TEXT, UNIQUE (actor_id, version));
"#;

/// How long a write waits for another program's write lock on the file (QGIS editing the
/// layer, another replica) before it is refused with [`StoreError::Unavailable`].
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A SQLite error as a store error: locked past [`BUSY_WAIT`] is unavailable (503), a full disk
/// is [`StoreError::DiskFull`] (507), anything else a backend failure.
fn classify(name: &str, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::unavailable(
            name,
            format!(
                "le GeoPackage est verrouillé en écriture par un autre programme (QGIS en édition, un autre serveur) depuis plus de {} s",
                BUSY_WAIT.as_secs()
            ),
        ),
        Some(C::DiskFull) => StoreError::DiskFull {
            store: name.to_owned(),
        },
        Some(C::CannotOpen | C::ReadOnly | C::PermissionDenied) => StoreError::unavailable(
            name,
            "le GeoPackage ne peut plus être ouvert en écriture (fichier déplacé, en lecture seule ou droits insuffisants)",
        ),
        _ => StoreError::backend(name, e),
    }
}

/// A GeoPackage file store.
pub struct GpkgStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl GpkgStore {
    /// Opens (creating when missing) a GeoPackage at `path`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the file is not a SQLite database or cannot be initialised.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let name = path.display().to_string();
        let err = |e: rusqlite::Error| classify(&name, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(err)?;
        conn.pragma_update(None, "user_version", USER_VERSION)
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        let tx_sql = format!(
            "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
               ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
               ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
               ('WGS 84 geodetic', {SRS_WGS84}, 'EPSG', 4326, '{WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
             INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
               VALUES ('actors', 'features', 'actors', 'Inventaire des acteurs (Repère)', {SRS_WGS84}),
                      ('actor_edits', 'attributes', 'actor_edits', 'Journal des modifications des acteurs (Repère)', NULL);
             INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('actors', 'geom', 'POINT', {SRS_WGS84}, 0, 0);"
        );
        conn.execute_batch(&tx_sql).map_err(err)?;
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
        f(&mut conn).map_err(|e| classify(&self.name(), e))
    }
}

fn edit_from_row(row: &rusqlite::Row<'_>) -> Result<Edit, rusqlite::Error> {
    let kind: String = row.get(3)?;
    let state: Option<String> = row.get(7)?;
    let bad = |m: String| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, m.into())
    };
    Ok(Edit {
        seq: row.get(0)?,
        actor_id: row.get(1)?,
        version: row.get(2)?,
        kind: EditKind::parse(&kind)
            .ok_or_else(|| bad(format!("type de modification inconnu {kind:?}")))?,
        author: row.get(4)?,
        time_ms: row.get(5)?,
        reason: row.get(6)?,
        state: match state {
            None => None,
            Some(s) => Some(serde_json::from_str(&s).map_err(|e| bad(e.to_string()))?),
        },
    })
}

const EDIT_COLUMNS: &str = "seq, actor_id, version, kind, author, time_ms, reason, state";

/// Writes one actor's published row (insert or replace).
#[allow(clippy::too_many_arguments)]
fn upsert_actor(
    conn: &Connection,
    id: &str,
    record: Option<&ActorRecord>,
    source_if_retired: &str,
    version: u32,
    reason: Option<&str>,
    author: Option<&str>,
    time_ms: Option<i64>,
) -> Result<(), rusqlite::Error> {
    let updated_at = time_ms.map(crate::time::rfc3339_utc);
    match record {
        Some(r) => {
            let geom = r.point().map(|(x, y)| binary::point_blob(SRS_WGS84, x, y));
            let status = if geom.is_some() {
                "actif"
            } else {
                "à localiser"
            };
            let hours = (!r.opening_hours.is_empty())
                .then(|| serde_json::to_string(&r.opening_hours).unwrap_or_default());
            conn.execute(
                "INSERT INTO actors (geom, actor_id, source, name, kind, address, commune, opening_hours, status, retired_reason, version, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?11, ?12)
                 ON CONFLICT(actor_id) DO UPDATE SET geom = excluded.geom, source = excluded.source,
                   name = excluded.name, kind = excluded.kind, address = excluded.address,
                   commune = excluded.commune, opening_hours = excluded.opening_hours,
                   status = excluded.status, retired_reason = NULL, version = excluded.version,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                params![geom, id, r.source, r.name, r.kind, r.address, r.commune, hours, status, version, author, updated_at],
            )?;
        }
        None => {
            let n = conn.execute(
                "UPDATE actors SET status = 'retiré', retired_reason = ?2, version = ?3, updated_by = ?4, updated_at = ?5 WHERE actor_id = ?1",
                params![id, reason, version, author, updated_at],
            )?;
            if n == 0 {
                conn.execute(
                    "INSERT INTO actors (actor_id, source, name, kind, status, retired_reason, version, updated_by, updated_at)
                     VALUES (?1, ?2, '', '', 'retiré', ?3, ?4, ?5, ?6)",
                    params![id, source_if_retired, reason, version, author, updated_at],
                )?;
            }
        }
    }
    Ok(())
}

fn update_extent(conn: &Connection) -> Result<(), rusqlite::Error> {
    // The extent of `gpkg_contents` is informative; GIS tools zoom to it.
    let mut stmt = conn.prepare("SELECT geom FROM actors WHERE geom IS NOT NULL")?;
    let mut rect: Option<(f64, f64, f64, f64)> = None;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    for blob in rows {
        if let Some((x, y)) = binary::read_point(&blob?) {
            rect = Some(match rect {
                None => (x, y, x, y),
                Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x), d.max(y)),
            });
        }
    }
    if let Some((a, b, c, d)) = rect {
        conn.execute(
            "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4,
               last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = 'actors'",
            params![a, b, c, d],
        )?;
    }
    Ok(())
}

/// Appends one edit inside an open transaction (its version checked against the log).
fn append_in(tx: &Connection, name: &str, edit: NewEdit) -> Result<Edit, StoreError> {
    let err = |e: rusqlite::Error| classify(name, e);
    let current: u32 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM actor_edits WHERE actor_id = ?1",
            [&edit.actor_id],
            |r| r.get(0),
        )
        .map_err(err)?;
    let (version, time_ms, state) = edit.prepare(current, name)?;
    tx.execute(
        "INSERT INTO actor_edits (actor_id, version, kind, author, time_ms, time_utc, reason, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![edit.actor_id, version, edit.kind.code(), edit.author, time_ms, crate::time::rfc3339_utc(time_ms), edit.reason, state],
    )
    .map_err(err)?;
    let seq = tx.last_insert_rowid();
    let source = edit.state.as_ref().map_or("edits", |s| s.source.as_str());
    upsert_actor(
        tx,
        &edit.actor_id,
        edit.state.as_ref(),
        source,
        version,
        edit.reason.as_deref(),
        Some(&edit.author),
        Some(time_ms),
    )
    .map_err(err)?;
    Ok(Edit {
        seq,
        actor_id: edit.actor_id,
        version,
        kind: edit.kind,
        author: edit.author,
        time_ms,
        reason: edit.reason,
        state: edit.state,
    })
}

impl Store for GpkgStore {
    fn append(&self, edit: NewEdit) -> Result<Edit, StoreError> {
        self.append_batch(vec![edit])?
            .pop()
            .ok_or_else(|| StoreError::backend(&self.name(), "aucune modification écrite"))
    }

    fn append_batch(&self, edits: Vec<NewEdit>) -> Result<Vec<Edit>, StoreError> {
        let name = self.name();
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StoreError::backend(&name, "verrou empoisonné"))?;
        let err = |e: rusqlite::Error| classify(&name, e);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut out = Vec::with_capacity(edits.len());
        for edit in edits {
            // An error drops `tx` uncommitted: the batch is rolled back whole.
            out.push(append_in(&tx, &name, edit)?);
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    fn edits_since(&self, seq: i64) -> Result<Vec<Edit>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {EDIT_COLUMNS} FROM actor_edits WHERE seq > ?1 ORDER BY seq"
            ))?;
            stmt.query_map([seq], edit_from_row)?.collect()
        })
    }

    fn head(&self) -> Result<i64, StoreError> {
        self.with(|c| {
            c.query_row("SELECT COALESCE(MAX(seq), 0) FROM actor_edits", [], |r| {
                r.get(0)
            })
        })
    }

    fn history(&self, actor_id: &str) -> Result<Vec<Edit>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {EDIT_COLUMNS} FROM actor_edits WHERE actor_id = ?1 ORDER BY version"
            ))?;
            stmt.query_map([actor_id], edit_from_row)?.collect()
        })
    }

    fn publish_inventory(&self, base: &[ActorRecord]) -> Result<(), StoreError> {
        let edits = self.edits_since(0)?;
        let latest = latest_states(&edits);
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM actors", [])?;
            for r in base.iter().filter(|r| !latest.contains_key(&r.id)) {
                upsert_actor(&tx, &r.id, Some(r), &r.source, 0, None, None, None)?;
            }
            for (id, e) in &latest {
                let source = e.state.as_ref().map_or("edits", |s| s.source.as_str());
                upsert_actor(
                    &tx,
                    id,
                    e.state.as_ref(),
                    source,
                    e.version,
                    e.reason.as_deref(),
                    Some(&e.author),
                    Some(e.time_ms),
                )?;
            }
            update_extent(&tx)?;
            tx.commit()
        })
    }

    fn describe(&self) -> String {
        format!("GeoPackage {}", self.name())
    }
}

impl GpkgStore {}
