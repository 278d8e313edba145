//! The PostgreSQL + PostGIS backend, for several `repere serve` replicas sharing one inventory.
//!
//! Tables `repere_actor_edits` (the log) and `repere_actors` (the current inventory, a PostGIS
//! `geometry(Point, 4326)` column, for GIS tools). Appends take a transaction-scoped advisory
//! lock, so sequence numbers are committed in order and a replica polling [`Store::head`] never
//! skips an edit committed late with a smaller number.

use std::sync::Mutex;

use postgres::{Client, NoTls, Row};

use crate::{ActorRecord, Edit, EditKind, NewEdit, Store, StoreError, latest_states};

/// Advisory lock key serialising appends (any constant; "RPRE").
const APPEND_LOCK: i64 = 0x5250_5245;

const SCHEMA: &str = r#"
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS repere_actor_edits (
  seq BIGSERIAL PRIMARY KEY, actor_id TEXT NOT NULL, version INTEGER NOT NULL,
  kind TEXT NOT NULL, author TEXT NOT NULL, time_ms BIGINT NOT NULL, reason TEXT, state TEXT,
  UNIQUE (actor_id, version));
CREATE TABLE IF NOT EXISTS repere_actors (
  actor_id TEXT PRIMARY KEY, geom geometry(Point, 4326), source TEXT NOT NULL, name TEXT NOT NULL,
  kind TEXT NOT NULL, address TEXT, commune TEXT, opening_hours TEXT, status TEXT NOT NULL,
  retired_reason TEXT, version INTEGER NOT NULL, updated_by TEXT, updated_at TIMESTAMPTZ);
"#;

/// A PostGIS store.
pub struct PostgisStore {
    label: String,
    /// `None` only while dropping.
    client: Mutex<Option<Client>>,
}

impl Drop for PostgisStore {
    /// The synchronous client closes its connection by blocking on its own runtime, which
    /// panics inside an async context: close it on a plain thread.
    fn drop(&mut self) {
        if let Some(c) = self.client.get_mut().ok().and_then(Option::take) {
            let _ = std::thread::spawn(move || drop(c)).join();
        }
    }
}

impl PostgisStore {
    /// Connects and creates the tables (and the `postgis` extension) when missing.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the server is unreachable or refuses.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let label = format!("PostGIS {}", redact(url));
        let mut client = Client::connect(url, NoTls).map_err(|e| StoreError::backend(&label, e))?;
        // Concurrent first starts may race on CREATE EXTENSION / TABLE: serialise them.
        let mut tx = client
            .transaction()
            .map_err(|e| StoreError::backend(&label, e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&(APPEND_LOCK + 1)])
            .map_err(|e| StoreError::backend(&label, e))?;
        tx.batch_execute(SCHEMA)
            .map_err(|e| StoreError::backend(&label, e))?;
        tx.commit().map_err(|e| StoreError::backend(&label, e))?;
        Ok(Self {
            label,
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
            .map_err(|_| StoreError::backend(&self.label, "verrou empoisonné"))?;
        let c = guard
            .as_mut()
            .ok_or_else(|| StoreError::backend(&self.label, "connexion fermée"))?;
        f(c).map_err(|e| StoreError::backend(&self.label, e))
    }
}

/// The URL without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

const EDIT_COLUMNS: &str = "seq, actor_id, version, kind, author, time_ms, reason, state";

fn edit_from_row(row: &Row) -> Result<Edit, String> {
    let kind: String = row.get(3);
    let state: Option<String> = row.get(7);
    Ok(Edit {
        seq: row.get(0),
        actor_id: row.get(1),
        version: u32::try_from(row.get::<_, i32>(2)).map_err(|e| e.to_string())?,
        kind: EditKind::parse(&kind)
            .ok_or_else(|| format!("type de modification inconnu {kind:?}"))?,
        author: row.get(4),
        time_ms: row.get(5),
        reason: row.get(6),
        state: state
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| e.to_string())?,
    })
}

fn upsert_actor(
    tx: &mut postgres::Transaction<'_>,
    id: &str,
    e: Option<&Edit>,
    base: Option<&ActorRecord>,
) -> Result<(), postgres::Error> {
    let (record, version, reason, author, time_ms) = match e {
        Some(e) => (
            e.state.as_ref(),
            i32::try_from(e.version).unwrap_or(i32::MAX),
            e.reason.as_deref(),
            Some(e.author.as_str()),
            Some(e.time_ms as f64 / 1000.0),
        ),
        None => (base, 0, None, None, None),
    };
    match record {
        Some(r) => {
            let status = if r.point().is_some() {
                "actif"
            } else {
                "à localiser"
            };
            let hours = (!r.opening_hours.is_empty())
                .then(|| serde_json::to_string(&r.opening_hours).unwrap_or_default());
            tx.execute(
                "INSERT INTO repere_actors (actor_id, geom, source, name, kind, address, commune, opening_hours, status, retired_reason, version, updated_by, updated_at)
                 VALUES ($1, CASE WHEN $2::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($2, $3), 4326) END,
                         $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12, to_timestamp($13))
                 ON CONFLICT (actor_id) DO UPDATE SET geom = excluded.geom, source = excluded.source,
                   name = excluded.name, kind = excluded.kind, address = excluded.address,
                   commune = excluded.commune, opening_hours = excluded.opening_hours,
                   status = excluded.status, retired_reason = NULL, version = excluded.version,
                   updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                &[&id, &r.lon, &r.lat, &r.source, &r.name, &r.kind, &r.address, &r.commune, &hours, &status, &version, &author, &time_ms],
            )?;
        }
        None => {
            let n = tx.execute(
                "UPDATE repere_actors SET status = 'retiré', retired_reason = $2, version = $3, updated_by = $4, updated_at = to_timestamp($5) WHERE actor_id = $1",
                &[&id, &reason, &version, &author, &time_ms],
            )?;
            if n == 0 {
                tx.execute(
                    "INSERT INTO repere_actors (actor_id, source, name, kind, status, retired_reason, version, updated_by, updated_at)
                     VALUES ($1, 'edits', '', '', 'retiré', $2, $3, $4, to_timestamp($5))",
                    &[&id, &reason, &version, &author, &time_ms],
                )?;
            }
        }
    }
    Ok(())
}

/// Appends one edit inside an open transaction that holds the append lock.
fn append_in(
    tx: &mut postgres::Transaction<'_>,
    label: &str,
    edit: NewEdit,
) -> Result<Edit, StoreError> {
    let err = |e: postgres::Error| StoreError::backend(label, e);
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM repere_actor_edits WHERE actor_id = $1",
            &[&edit.actor_id],
        )
        .map_err(err)?
        .get(0);
    let current = u32::try_from(current).unwrap_or(0);
    let (version, time_ms, state) = edit.prepare(current, label)?;
    let v32 = i32::try_from(version).unwrap_or(i32::MAX);
    let seq: i64 = tx
        .query_one(
            "INSERT INTO repere_actor_edits (actor_id, version, kind, author, time_ms, reason, state)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
            &[&edit.actor_id, &v32, &edit.kind.code(), &edit.author, &time_ms, &edit.reason, &state],
        )
        .map_err(err)?
        .get(0);
    let committed = Edit {
        seq,
        actor_id: edit.actor_id,
        version,
        kind: edit.kind,
        author: edit.author,
        time_ms,
        reason: edit.reason,
        state: edit.state,
    };
    upsert_actor(tx, &committed.actor_id, Some(&committed), None).map_err(err)?;
    Ok(committed)
}

impl Store for PostgisStore {
    fn append(&self, edit: NewEdit) -> Result<Edit, StoreError> {
        self.append_batch(vec![edit])?
            .pop()
            .ok_or_else(|| StoreError::backend(&self.label, "aucune modification écrite"))
    }

    fn append_batch(&self, edits: Vec<NewEdit>) -> Result<Vec<Edit>, StoreError> {
        let label = self.label.clone();
        let err = |e: postgres::Error| StoreError::backend(&label, e);
        let mut guard = self
            .client
            .lock()
            .map_err(|_| StoreError::backend(&label, "verrou empoisonné"))?;
        let c = guard
            .as_mut()
            .ok_or_else(|| StoreError::backend(&label, "connexion fermée"))?;
        let mut tx = c.transaction().map_err(err)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])
            .map_err(err)?;
        let mut out = Vec::with_capacity(edits.len());
        for edit in edits {
            // An error drops `tx` uncommitted: the batch is rolled back whole.
            out.push(append_in(&mut tx, &label, edit)?);
        }
        tx.commit().map_err(err)?;
        Ok(out)
    }

    fn edits_since(&self, seq: i64) -> Result<Vec<Edit>, StoreError> {
        let rows = self.with(|c| {
            c.query(
                &format!(
                    "SELECT {EDIT_COLUMNS} FROM repere_actor_edits WHERE seq > $1 ORDER BY seq"
                ),
                &[&seq],
            )
        })?;
        rows.iter()
            .map(|r| edit_from_row(r).map_err(|m| StoreError::backend(&self.label, m)))
            .collect()
    }

    fn head(&self) -> Result<i64, StoreError> {
        self.with(|c| {
            Ok(c.query_one(
                "SELECT COALESCE(MAX(seq), 0)::bigint FROM repere_actor_edits",
                &[],
            )?
            .get(0))
        })
    }

    fn history(&self, actor_id: &str) -> Result<Vec<Edit>, StoreError> {
        let rows = self.with(|c| {
            c.query(
                &format!("SELECT {EDIT_COLUMNS} FROM repere_actor_edits WHERE actor_id = $1 ORDER BY version"),
                &[&actor_id],
            )
        })?;
        rows.iter()
            .map(|r| edit_from_row(r).map_err(|m| StoreError::backend(&self.label, m)))
            .collect()
    }

    fn publish_inventory(&self, base: &[ActorRecord]) -> Result<(), StoreError> {
        let edits = self.edits_since(0)?;
        let latest = latest_states(&edits);
        self.with(|c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
            tx.execute("DELETE FROM repere_actors", &[])?;
            for r in base.iter().filter(|r| !latest.contains_key(&r.id)) {
                upsert_actor(&mut tx, &r.id, None, Some(r))?;
            }
            for (id, e) in &latest {
                upsert_actor(&mut tx, id, Some(e), None)?;
            }
            tx.commit()
        })
    }

    fn describe(&self) -> String {
        self.label.clone()
    }
}
