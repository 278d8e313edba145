//! The PostgreSQL + PostGIS backend, for several `repere serve` replicas sharing one inventory.
//!
//! Tables `repere_actor_edits` (the log) and `repere_actors` (the current inventory, a PostGIS
//! `geometry(Point, 4326)` column, for GIS tools). Appends take a transaction-scoped advisory
//! lock, so sequence numbers are committed in order and a replica polling [`Store::head`] never
//! skips an edit committed late with a smaller number.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, NoTls, Row};

use crate::pg_password::{Credentials, PasswordSource};
use crate::{ActorRecord, Edit, EditKind, NewEdit, Store, StoreError, latest_states};

/// Advisory lock key serialising appends (any constant; "RPRE").
const APPEND_LOCK: i64 = 0x5250_5245;

/// First wait before reconnecting after the database went away; doubled on each failure.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// Longest wait between two connection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(4);
/// Connection timeout when the URL sets none.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

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

/// The connection and the reconnection schedule.
struct Conn {
    /// `None` while the database is unreachable (and while dropping).
    client: Option<Client>,
    /// No connection attempt before this instant.
    retry_at: Option<Instant>,
    /// The wait after the next failed attempt.
    backoff: Duration,
}

/// A PostGIS store. One connection, reopened with a growing wait (250 ms to 4 s) after the
/// database went away: meanwhile every call fails at once with [`StoreError::Unavailable`]
/// and [`Store::health`] says why; the first call that reaches the database again clears it.
pub struct PostgisStore {
    label: String,
    config: postgres::Config,
    source: PasswordSource,
    warnings: Vec<String>,
    conn: Mutex<Conn>,
    /// Why the database is unreachable (French), `None` when it answers. A lock of its own:
    /// `/health` never waits for a query or a connection attempt.
    down: Mutex<Option<String>>,
}

/// Drops a client on a plain thread: the synchronous client closes its connection by blocking
/// on its own runtime, which panics inside an async context.
fn drop_client(c: Client) {
    let _ = std::thread::spawn(move || drop(c)).join();
}

impl Drop for PostgisStore {
    fn drop(&mut self) {
        if let Some(c) = self.conn.get_mut().ok().and_then(|c| c.client.take()) {
            drop_client(c);
        }
    }
}

/// What an operation on the connection may fail with.
enum OpError {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for OpError {
    fn from(e: postgres::Error) -> Self {
        Self::Pg(e)
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// Whether the error means the connection is gone (server stopped, restarted, unreachable),
/// as opposed to a query the server refused.
fn is_connection_error(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        return code.code().starts_with("08")
            || [
                SqlState::ADMIN_SHUTDOWN,
                SqlState::CRASH_SHUTDOWN,
                SqlState::CANNOT_CONNECT_NOW,
            ]
            .contains(code);
    }
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>().is_some() {
            return true;
        }
        cause = c.source();
    }
    // "timeout waiting for server" and friends carry no cause: told apart by their text.
    let text = e.to_string();
    [
        "error communicating",
        "error connecting",
        "timeout",
        "connection closed",
        "unexpected message",
        "error parsing response",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

impl PostgisStore {
    /// Connects and creates the tables (and the `postgis` extension) when missing; the
    /// password, when the URL has none, from `PGPASSWORD` or `~/.pgpass`.
    ///
    /// # Errors
    /// [`StoreError::Backend`] when the server is unreachable or refuses, saying why in French.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, &Credentials::from_env(None))
    }

    /// [`PostgisStore::connect`] with the password looked up in `creds`
    /// ([`crate::pg_password`]).
    ///
    /// # Errors
    /// As [`PostgisStore::connect`]; an unreadable password file.
    pub fn connect_with(url: &str, creds: &Credentials) -> Result<Self, StoreError> {
        let PgTarget {
            label,
            config,
            source,
            warnings,
        } = PgTarget::resolve(url, creds)?;
        let store = Self {
            label,
            config,
            source,
            warnings,
            conn: Mutex::new(Conn {
                client: None,
                retry_at: None,
                backoff: FIRST_BACKOFF,
            }),
            down: Mutex::new(None),
        };
        let mut client = store
            .config
            .connect(NoTls)
            .map_err(|e| StoreError::backend(&store.label, store.connect_error_fr(&e)))?;
        // Concurrent first starts may race on CREATE EXTENSION / TABLE: serialise them.
        let init = |c: &mut Client| -> Result<(), postgres::Error> {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&(APPEND_LOCK + 1)])?;
            tx.batch_execute(SCHEMA)?;
            tx.commit()
        };
        if let Err(e) = init(&mut client) {
            drop_client(client);
            return Err(StoreError::backend(&store.label, db_error_fr(&e)));
        }
        if let Ok(mut c) = store.conn.lock() {
            c.client = Some(client);
        }
        Ok(store)
    }

    /// Why a connection attempt failed, in French, saying what to check.
    fn connect_error_fr(&self, e: &postgres::Error) -> String {
        connect_error_fr(&self.config, &self.source, e)
    }
}

/// A PostgreSQL server named by a `--store` URL, its password resolved (file, environment,
/// `~/.pgpass`) and its timeouts set: what the actors' and the projects' stores connect to.
pub(crate) struct PgTarget {
    /// `PostGIS <URL without its password>`, for messages.
    pub(crate) label: String,
    pub(crate) config: postgres::Config,
    pub(crate) source: PasswordSource,
    pub(crate) warnings: Vec<String>,
}

impl PgTarget {
    /// Parses `url` and resolves its password in `creds`.
    ///
    /// # Errors
    /// A URL that does not parse; an unreadable password file.
    pub(crate) fn resolve(url: &str, creds: &Credentials) -> Result<Self, StoreError> {
        let label = format!("PostGIS {}", redact(url));
        let mut config: postgres::Config = url.parse().map_err(|_| {
            StoreError::backend(
                &label,
                "adresse PostgreSQL non valide (attendu postgresql://utilisateur@hôte:port/base)",
            )
        })?;
        let resolved = crate::pg_password::resolve(&label, &config, creds)?;
        if let Some(p) = &resolved.password {
            config.password(p);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        // A peer that vanished (network cut) is noticed within about a minute.
        config
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        Ok(Self {
            label,
            config,
            source: resolved.source,
            warnings: resolved.warnings,
        })
    }

    /// Why a connection attempt failed, in French, saying what to check.
    pub(crate) fn connect_error_fr(&self, e: &postgres::Error) -> String {
        connect_error_fr(&self.config, &self.source, e)
    }
}

/// Why a connection attempt to `config` failed, in French, saying what to check.
fn connect_error_fr(
    config: &postgres::Config,
    source: &PasswordSource,
    e: &postgres::Error,
) -> String {
    let host = crate::pg_password::host_of(config);
    let port = crate::pg_password::port_of(config);
    let user = config.get_user().unwrap_or("?");
    let db = config.get_dbname().unwrap_or(user);
    if let Some(code) = e.code() {
        let c = code.clone();
        return if c == SqlState::INVALID_PASSWORD {
            match source {
                PasswordSource::None => format!(
                    "authentification refusée pour l'utilisateur « {user} » : le serveur demande un mot de passe (--store-password-file, variable PGPASSWORD ou ~/.pgpass)"
                ),
                source => format!(
                    "authentification refusée pour l'utilisateur « {user} » : mot de passe incorrect (lu dans {source})"
                ),
            }
        } else if c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            format!(
                "connexion refusée par le serveur pour l'utilisateur « {user} » sur la base « {db} » (utilisateur inconnu ou règles pg_hba.conf)"
            )
        } else if c == SqlState::INVALID_CATALOG_NAME {
            format!("la base « {db} » n'existe pas sur le serveur {host}:{port}")
        } else if c == SqlState::CANNOT_CONNECT_NOW || c == SqlState::ADMIN_SHUTDOWN {
            format!(
                "le serveur PostgreSQL {host}:{port} démarre ou s'arrête et n'accepte pas encore de connexion"
            )
        } else if c == SqlState::TOO_MANY_CONNECTIONS {
            format!("le serveur PostgreSQL {host}:{port} refuse : trop de connexions ouvertes")
        } else {
            format!(
                "connexion à PostgreSQL {host}:{port} refusée (code SQLSTATE {})",
                c.code()
            )
        };
    }
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            return match io.kind() {
                K::ConnectionRefused => format!(
                    "aucun serveur PostgreSQL n'écoute à {host}:{port} (arrêté, ou adresse ou port erronés)"
                ),
                K::TimedOut => format!(
                    "le serveur PostgreSQL {host}:{port} ne répond pas (délai de connexion dépassé)"
                ),
                K::ConnectionReset | K::ConnectionAborted | K::UnexpectedEof => format!(
                    "connexion coupée par le serveur PostgreSQL {host}:{port} (redémarrage en cours ?)"
                ),
                _ if io.raw_os_error().is_none() => {
                    format!("hôte PostgreSQL « {host} » introuvable ou injoignable")
                }
                _ => format!(
                    "serveur PostgreSQL {host}:{port} injoignable ({})",
                    crate::pg_password::io_error_fr(io)
                ),
            };
        }
        cause = c.source();
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(" : ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    if text.contains("password missing") {
        format!(
            "le serveur PostgreSQL demande un mot de passe pour « {user} » et aucun n'est fourni : --store-password-file, variable PGPASSWORD ou ligne de ~/.pgpass"
        )
    } else if text.contains("timeout") {
        format!("le serveur PostgreSQL {host}:{port} ne répond pas (délai dépassé)")
    } else if e.is_closed() {
        format!("connexion fermée par le serveur PostgreSQL {host}:{port}")
    } else {
        format!("connexion à PostgreSQL {host}:{port} impossible")
    }
}

impl PostgisStore {
    fn set_down(&self, cause: Option<String>) {
        if let Ok(mut d) = self.down.lock() {
            *d = cause;
        }
    }

    fn down_cause(&self) -> String {
        self.down
            .lock()
            .ok()
            .and_then(|d| d.clone())
            .unwrap_or_else(|| "base PostgreSQL injoignable".to_owned())
    }

    /// The open connection, or a new one when the backoff allows an attempt.
    fn client<'a>(&self, conn: &'a mut Conn) -> Result<&'a mut Client, StoreError> {
        if conn.client.is_none() {
            if conn.retry_at.is_some_and(|t| Instant::now() < t) {
                return Err(StoreError::unavailable(&self.label, self.down_cause()));
            }
            match self.config.connect(NoTls) {
                Ok(c) => {
                    conn.client = Some(c);
                    conn.retry_at = None;
                    conn.backoff = FIRST_BACKOFF;
                }
                Err(e) => {
                    let cause = self.connect_error_fr(&e);
                    conn.retry_at = Some(Instant::now() + conn.backoff);
                    conn.backoff = (conn.backoff * 2).min(MAX_BACKOFF);
                    self.set_down(Some(cause.clone()));
                    return Err(StoreError::unavailable(&self.label, cause));
                }
            }
        }
        conn.client
            .as_mut()
            .ok_or_else(|| StoreError::unavailable(&self.label, self.down_cause()))
    }

    /// Runs `f` on the connection. A connection found dead is reopened once at once (the
    /// database restarted while idle); `f` runs again only when `retry` (nothing was written:
    /// reads, or a write whose connection failed before its transaction began).
    fn run<T>(
        &self,
        write: bool,
        mut f: impl FnMut(&mut Client) -> Result<T, OpError>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| StoreError::backend(&self.label, "verrou empoisonné"))?;
        for attempt in 0..2 {
            let c = self.client(&mut conn)?;
            // A write checks the connection first: a failure then has written nothing.
            let checked = if write {
                c.is_valid(Duration::from_secs(2)).map_err(OpError::Pg)
            } else {
                Ok(())
            };
            let stale_before_write = checked.is_err();
            match checked.and_then(|()| f(c)) {
                Ok(v) => {
                    self.set_down(None);
                    return Ok(v);
                }
                Err(OpError::Store(e)) => return Err(e),
                Err(OpError::Pg(e)) if is_connection_error(&e) => {
                    if let Some(old) = conn.client.take() {
                        drop_client(old);
                    }
                    let cause = format!(
                        "connexion à PostgreSQL perdue ({})",
                        self.connect_error_fr(&e)
                    );
                    self.set_down(Some(cause.clone()));
                    if attempt == 0 && (!write || stale_before_write) {
                        conn.retry_at = None;
                        continue;
                    }
                    conn.retry_at = Some(Instant::now() + conn.backoff);
                    return Err(StoreError::unavailable(&self.label, cause));
                }
                Err(OpError::Pg(e)) => return Err(self.refused(&e)),
            }
        }
        Err(StoreError::unavailable(&self.label, self.down_cause()))
    }

    /// A query the server refused.
    fn refused(&self, e: &postgres::Error) -> StoreError {
        match e.code() {
            Some(c) if *c == SqlState::DISK_FULL => StoreError::DiskFull {
                store: self.label.clone(),
            },
            _ => StoreError::backend(&self.label, db_error_fr(e)),
        }
    }
}

/// A refused query in French: the SQLSTATE code and the server's own message (in the server's
/// language), for the log.
fn db_error_fr(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) if *db.code() == SqlState::INSUFFICIENT_PRIVILEGE => format!(
            "droits insuffisants sur la base (SQLSTATE 42501) : l'utilisateur doit pouvoir créer les tables, et l'extension postgis doit exister ou être créée par un superutilisateur (CREATE EXTENSION postgis) ; message du serveur : « {} »",
            db.message()
        ),
        Some(db)
            if *db.code() == SqlState::UNDEFINED_FILE
                || (*db.code() == SqlState::FEATURE_NOT_SUPPORTED
                    && db.message().contains("postgis")) =>
        {
            format!(
                "l'extension PostGIS n'est pas installée sur le serveur PostgreSQL (paquet postgresql-NN-postgis-3) ; message du serveur : « {} »",
                db.message()
            )
        }
        Some(db) => format!(
            "requête refusée par PostgreSQL (SQLSTATE {}) ; message du serveur : « {} »",
            db.code().code(),
            db.message()
        ),
        None => format!("échange avec PostgreSQL interrompu ({e})"),
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
) -> Result<Edit, OpError> {
    let current: i32 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM repere_actor_edits WHERE actor_id = $1",
            &[&edit.actor_id],
        )?
        .get(0);
    let current = u32::try_from(current).unwrap_or(0);
    let (version, time_ms, state) = edit.prepare(current, label)?;
    let v32 = i32::try_from(version).unwrap_or(i32::MAX);
    let seq: i64 = tx
        .query_one(
            "INSERT INTO repere_actor_edits (actor_id, version, kind, author, time_ms, reason, state)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
            &[&edit.actor_id, &v32, &edit.kind.code(), &edit.author, &time_ms, &edit.reason, &state],
        )?
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
    upsert_actor(tx, &committed.actor_id, Some(&committed), None)?;
    Ok(committed)
}

impl Store for PostgisStore {
    fn append(&self, edit: NewEdit) -> Result<Edit, StoreError> {
        self.append_batch(vec![edit])?
            .pop()
            .ok_or_else(|| StoreError::backend(&self.label, "aucune modification écrite"))
    }

    fn append_batch(&self, edits: Vec<NewEdit>) -> Result<Vec<Edit>, StoreError> {
        // Refused before anything is sent (PostgreSQL would refuse the whole statement).
        for e in &edits {
            e.check_text()?;
        }
        let label = self.label.clone();
        let mut edits = Some(edits);
        self.run(true, |c| {
            let edits = edits.take().unwrap_or_default();
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
            let mut out = Vec::with_capacity(edits.len());
            for edit in edits {
                // An error drops `tx` uncommitted: the batch is rolled back whole.
                out.push(append_in(&mut tx, &label, edit)?);
            }
            tx.commit()?;
            Ok(out)
        })
    }

    fn edits_since(&self, seq: i64) -> Result<Vec<Edit>, StoreError> {
        let rows = self.run(false, |c| {
            Ok(c.query(
                &format!(
                    "SELECT {EDIT_COLUMNS} FROM repere_actor_edits WHERE seq > $1 ORDER BY seq"
                ),
                &[&seq],
            )?)
        })?;
        rows.iter()
            .map(|r| edit_from_row(r).map_err(|m| StoreError::backend(&self.label, m)))
            .collect()
    }

    fn head(&self) -> Result<i64, StoreError> {
        self.run(false, |c| {
            Ok(c.query_one(
                "SELECT COALESCE(MAX(seq), 0)::bigint FROM repere_actor_edits",
                &[],
            )?
            .get(0))
        })
    }

    fn history(&self, actor_id: &str) -> Result<Vec<Edit>, StoreError> {
        let rows = self.run(false, |c| {
            Ok(c.query(
                &format!("SELECT {EDIT_COLUMNS} FROM repere_actor_edits WHERE actor_id = $1 ORDER BY version"),
                &[&actor_id],
            )?)
        })?;
        rows.iter()
            .map(|r| edit_from_row(r).map_err(|m| StoreError::backend(&self.label, m)))
            .collect()
    }

    fn publish_inventory(&self, base: &[ActorRecord]) -> Result<(), StoreError> {
        let edits = self.edits_since(0)?;
        let latest = latest_states(&edits);
        // Rewriting the published table whole is idempotent: safe to run again.
        self.run(false, |c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
            tx.execute("DELETE FROM repere_actors", &[])?;
            for r in base.iter().filter(|r| !latest.contains_key(&r.id)) {
                upsert_actor(&mut tx, &r.id, None, Some(r))?;
            }
            for (id, e) in &latest {
                upsert_actor(&mut tx, id, Some(e), None)?;
            }
            Ok(tx.commit()?)
        })
    }

    fn describe(&self) -> String {
        self.label.clone()
    }

    fn health(&self) -> Option<String> {
        self.down.lock().ok().and_then(|d| d.clone())
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}
