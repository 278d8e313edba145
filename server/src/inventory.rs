//! The editable actor inventory of a running server: the store of edits, the editors' tokens,
//! and which edits are applied. What is served is decided by [`ServedAnalysis`]: the inventory
//! only persists edits and hands their latest states over.
//!
//! A write validates the actor with the engine, asks the served analysis for the analysis of the
//! base plus every edit (the candidate one included: one engine call), and only then appends the
//! edit to the store and swaps the analysis in: a build that fails leaves the store and the
//! served analysis as they were, and the edit is reported as not applied. Edits made by other
//! replicas on the same store are picked up by [`Inventory::catch_up`], which `repere serve`
//! calls every 500 ms.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwapOption;

use repere_engine::inventory::{ActorFields, ActorInput, EditedActor};
use repere_engine::load_report::LoadReport;
use repere_engine::{Analysis, Dataset};
use repere_store::{ActorRecord, Edit, EditKind, NewEdit, Store, StoreError};

use crate::AppError;
use crate::reload::{ReloadFailure, ReloadOutcome, ReloadStatus};
use crate::served::ServedAnalysis;

pub use crate::auth::{EditTokens, TokenFileError};

/// What the server applied from the store.
#[derive(Debug, Default)]
struct Applied {
    /// Highest store sequence number applied.
    seq: i64,
    /// Latest edit of each edited actor.
    latest: BTreeMap<String, Edit>,
}

/// The inventory service of a server.
pub struct Inventory {
    store: Option<Box<dyn Store>>,
    /// The editors; replaced when the token file is re-read (SIGHUP).
    tokens: ArcSwapOption<EditTokens>,
    /// The token file, re-read on reload.
    token_file: Option<PathBuf>,
    /// Wrong tokens per client address.
    failures: crate::auth::FailedTokens,
    applied: std::sync::Mutex<Applied>,
    /// One write or catch-up at a time in this process.
    write: tokio::sync::Mutex<()>,
    /// Analyses built from the base plus edits since startup.
    rebuilds: std::sync::atomic::AtomicU64,
    /// The one thread that builds analyses (writes, catch-ups, reloads).
    rebuilder: Rebuilder,
}

type Job = Box<dyn FnOnce() + Send>;

/// One thread for every rebuild of the analysis, instead of whichever thread of the blocking
/// pool is free. Rebuilds run one at a time anyway (the write lock); on one thread their
/// allocations stay in one malloc arena. Spread over the pool's threads, each thread's glibc
/// arena kept its own high-water mark: 8 editors for 60 s left resident memory at 237 MB
/// (78 MB at start) instead of about 100 MB (issue 26).
struct Rebuilder {
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
}

impl Rebuilder {
    fn start() -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        // The thread ends when the inventory (the sender) is dropped.
        let spawned = std::thread::Builder::new()
            .name("repere-rebuild".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    job();
                }
            });
        if let Err(e) = spawned {
            eprintln!("Repère : fil de reconstruction non démarré ({e})");
        }
        Self {
            jobs: std::sync::Mutex::new(tx),
        }
    }

    /// Runs `f` on the rebuild thread and waits for it without blocking the async workers.
    async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
                    Err(AppError::Internal(
                        "reconstruction interrompue par une panique".into(),
                    ))
                });
            let _ = tx.send(out);
        });
        let sent = self
            .jobs
            .lock()
            .map_err(|_| AppError::Internal("fil de reconstruction empoisonné".into()))?
            .send(job);
        if let Err(std::sync::mpsc::SendError(job)) = sent {
            // The thread could not start: the blocking pool runs the job instead.
            tokio::task::spawn_blocking(job);
        }
        rx.await
            .map_err(|_| AppError::Internal("reconstruction annulée".into()))?
    }
}

/// An actor as the API lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ActorView {
    /// Id.
    pub id: String,
    /// Source.
    pub source: String,
    /// Fields (name, kind, address, commune, opening_hours, lon, lat).
    #[serde(flatten)]
    pub fields: ActorInput,
    /// Diagnostic group code.
    pub group: &'static str,
    /// Commune name.
    pub commune_name: Option<String>,
    /// `placed`, `to_place` or `retired`.
    pub status: &'static str,
    /// Version (0: as loaded, never edited); send it back in `If-Match`.
    pub version: u32,
    /// Reason of the retirement.
    pub retired_reason: Option<String>,
}

/// The result of a committed batch of edits (an import).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CommittedBatch {
    /// The edits, in order.
    pub edits: Vec<Edit>,
    /// The dataset version now served.
    pub dataset_version: String,
    /// Milliseconds from the request to the new analysis serving.
    pub rebuild_ms: u128,
}

/// The result of a committed edit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Committed {
    /// The edit.
    pub edit: Edit,
    /// The dataset version now served.
    pub dataset_version: String,
    /// Milliseconds from the request to the new analysis serving.
    pub rebuild_ms: u128,
}

fn to_record(id: &str, source: &str, f: &ActorFields) -> ActorRecord {
    let i = f.to_input();
    ActorRecord {
        id: id.to_owned(),
        source: source.to_owned(),
        name: i.name,
        kind: i.kind,
        address: i.address,
        commune: i.commune,
        opening_hours: i.opening_hours,
        lon: i.lon,
        lat: i.lat,
    }
}

fn to_input(r: &ActorRecord) -> ActorInput {
    ActorInput {
        name: r.name.clone(),
        kind: r.kind.clone(),
        address: r.address.clone(),
        commune: r.commune.clone(),
        opening_hours: r.opening_hours.clone(),
        lon: r.lon,
        lat: r.lat,
    }
}

impl From<StoreError> for AppError {
    /// A store failure: 409 for a conflict, 503 while the database is unreachable or locked by
    /// another writer, 507 when the disk is full, 400 naming the field for text the store
    /// cannot keep, 500 otherwise. The store (path or address) goes to the log only.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { current, .. } => AppError::Conflict {
                message: e.to_string(),
                current_version: current,
            },
            // Not logged here: the store poll logs when the store goes away and comes back.
            StoreError::Unavailable { .. } => AppError::Unavailable(e.to_string()),
            StoreError::DiskFull { ref store } => {
                eprintln!("Repère : {store} : {e}");
                AppError::InsufficientStorage(e.to_string())
            }
            StoreError::InvalidText { ref field, .. } => AppError::bad(field, e.to_string()),
            StoreError::Backend { .. } => AppError::Internal(e.to_string()),
        }
    }
}

impl Inventory {
    /// An inventory with an optional store and editors.
    pub fn new(store: Option<Box<dyn Store>>, tokens: Option<EditTokens>) -> Self {
        Self {
            store,
            tokens: ArcSwapOption::from(tokens.map(Arc::new)),
            token_file: None,
            failures: Default::default(),
            applied: Default::default(),
            write: tokio::sync::Mutex::new(()),
            rebuilds: Default::default(),
            rebuilder: Rebuilder::start(),
        }
    }

    /// Re-reads `path` on each reload (SIGHUP): `repere serve --edit-token-file`.
    pub fn with_token_file(mut self, path: PathBuf) -> Self {
        self.token_file = Some(path);
        self
    }

    /// Reads the token file again (reload): the editors it lists now are the only ones. When
    /// it cannot be read the server stops taking edits until a reload reads it (a removed
    /// editor never keeps writing because the file was being rewritten).
    ///
    /// # Errors
    /// The token file's error; the server is then read-only.
    pub fn reload_tokens(&self) -> Result<(), TokenFileError> {
        let Some(path) = &self.token_file else {
            return Ok(());
        };
        match EditTokens::read(path) {
            Ok(t) => {
                self.tokens.store(Some(Arc::new(t)));
                if let Some(warning) = crate::auth::permission_warning(path) {
                    eprintln!("Repère : {warning}");
                }
                Ok(())
            }
            Err(e) => {
                self.tokens.store(None);
                Err(e)
            }
        }
    }

    /// Why the store cannot be reached now, `None` when it answers or there is none.
    pub fn store_health(&self) -> Option<String> {
        self.store.as_ref().and_then(|s| s.health())
    }

    /// Why the server is read-only, or `None` when it takes edits.
    pub fn read_only_reason(&self) -> Option<&'static str> {
        let tokens = self.tokens.load();
        match (&self.store, tokens.as_deref()) {
            (_, None) if self.token_file.is_some() => Some(
                "serveur en lecture seule : le fichier de jetons d'édition n'a pas pu être relu (voir le journal du serveur)",
            ),
            (_, None) => Some(
                "serveur en lecture seule : aucun jeton d'édition configuré (repere serve --edit-token-file)",
            ),
            (None, Some(_)) => Some(
                "serveur en lecture seule : aucun magasin d'acteurs (repere serve --store repere.gpkg)",
            ),
            _ => None,
        }
    }

    /// The store, described for the page.
    pub fn store_description(&self) -> Option<String> {
        self.store.as_ref().map(|s| s.describe())
    }

    /// The author of a write, from the `Authorization: Bearer <token>` header value, for a
    /// client at `peer`: wrong tokens are counted and logged per address, and an address that
    /// sent too many gets 429 without its token being looked at (see [`crate::auth`]).
    ///
    /// # Errors
    /// 403 when the server is read-only, 429 for a blocked address, 401 without a known token.
    pub fn author(
        &self,
        bearer: Option<&str>,
        peer: crate::auth::PeerAddr,
    ) -> Result<String, AppError> {
        if let Some(reason) = self.read_only_reason() {
            return Err(AppError::Forbidden(reason.to_owned()));
        }
        let tokens = self.tokens.load_full().ok_or_else(|| {
            AppError::Forbidden("serveur en lecture seule : aucun jeton d'édition".to_owned())
        })?;
        let ip = crate::auth::peer_or_unknown(peer);
        if let Some(left) = self.failures.blocked(ip) {
            return Err(AppError::TooManyRequests {
                message: format!(
                    "trop de jetons d'édition refusés depuis cette adresse : réessayez dans {} s",
                    left.as_secs().max(1)
                ),
                retry_after_s: left.as_secs().max(1),
            });
        }
        let token = bearer.ok_or_else(|| {
            AppError::Unauthorized(
                "jeton d'édition manquant : en-tête `Authorization: Bearer <jeton>`".to_owned(),
            )
        })?;
        if let Some(name) = tokens.author(token) {
            return Ok(name.to_owned());
        }
        match self.failures.fail(ip) {
            crate::auth::Failure::Counted(n) => eprintln!(
                "Repère : jeton d'édition refusé pour {ip} ({n} échec(s) en {} s)",
                crate::auth::FAILURE_WINDOW.as_secs()
            ),
            crate::auth::Failure::NowBlocked => eprintln!(
                "Repère : jeton d'édition refusé pour {ip} : {} échecs en {} s, adresse bloquée jusqu'à la fin de la période",
                crate::auth::MAX_FAILURES,
                crate::auth::FAILURE_WINDOW.as_secs()
            ),
        }
        Err(AppError::Unauthorized("jeton d'édition inconnu".to_owned()))
    }

    /// How many analyses were built from the base plus edits since startup (one per committed
    /// edit or import, one per catch-up that found edits).
    pub fn rebuild_count(&self) -> u64 {
        self.rebuilds.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The analysis of the served base plus `latest` edits, built aside (nothing swapped).
    fn build(
        &self,
        served: &ServedAnalysis,
        latest: &BTreeMap<String, Edit>,
    ) -> Result<Analysis, AppError> {
        self.rebuilds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        served
            .with_edits(&edited_actors(latest))
            .map_err(|e| AppError::NotApplied(e.to_string()))
    }

    /// Reads edits the store has beyond those applied (from any replica), rebuilds and swaps.
    /// Returns whether the analysis changed.
    ///
    /// # Errors
    /// A store failure or a rebuild that failed (the previous analysis keeps serving).
    pub async fn catch_up(
        self: &Arc<Self>,
        served: &impl AsRef<Arc<ServedAnalysis>>,
    ) -> Result<bool, AppError> {
        if self.store.is_none() {
            return Ok(false);
        }
        let _guard = self.write.lock().await;
        let this = self.clone();
        let served = served.as_ref().clone();
        self.rebuilder
            .run(move || this.catch_up_locked(&served))
            .await
    }

    fn catch_up_locked(&self, served: &ServedAnalysis) -> Result<bool, AppError> {
        let Some(store) = &self.store else {
            return Ok(false);
        };
        let from = self.applied_seq();
        if store.head()? <= from {
            return Ok(false);
        }
        let edits = store.edits_since(from)?;
        let mut latest = self.latest();
        let mut seq = from;
        for e in edits {
            seq = seq.max(e.seq);
            latest.insert(e.actor_id.clone(), e);
        }
        let analysis = self.build(served, &latest)?;
        served.swap(analysis);
        self.set_applied(seq, latest);
        Ok(true)
    }

    fn applied_seq(&self) -> i64 {
        self.applied.lock().map(|a| a.seq).unwrap_or(0)
    }

    fn latest(&self) -> BTreeMap<String, Edit> {
        self.applied
            .lock()
            .map(|a| a.latest.clone())
            .unwrap_or_default()
    }

    fn set_applied(&self, seq: i64, latest: BTreeMap<String, Edit>) {
        if let Ok(mut a) = self.applied.lock() {
            a.seq = seq;
            a.latest = latest;
        }
    }

    /// Publishes the inventory table of the store (base plus edits), for GIS tools.
    ///
    /// # Errors
    /// A store failure.
    pub fn publish(&self, base: &Dataset) -> Result<(), AppError> {
        if let Some(store) = &self.store {
            let base: Vec<ActorRecord> = base
                .inventory()
                .iter()
                .map(|a| to_record(&a.id, &a.source, &a.fields))
                .collect();
            store.publish_inventory(&base)?;
        }
        Ok(())
    }

    /// Every actor: the served dataset's (placed and to place) and the retired ones (as they
    /// were in `base` before their retirement).
    pub fn list(&self, analysis: &Analysis, base: &Dataset) -> Vec<ActorView> {
        let latest = self.latest();
        let ds = analysis.dataset();
        let version = |id: &str| latest.get(id).map_or(0, |e| e.version);
        let mut out: Vec<ActorView> = ds
            .inventory()
            .into_iter()
            .map(|a| {
                let placed = matches!(
                    a.fields.placement,
                    repere_engine::model::actor::Placement::Placed(_)
                );
                ActorView {
                    group: a.fields.kind.group().code(),
                    commune_name: a
                        .fields
                        .commune
                        .as_ref()
                        .and_then(|c| ds.known_communes.get(c).cloned()),
                    status: if placed { "placed" } else { "to_place" },
                    version: version(&a.id),
                    retired_reason: None,
                    fields: a.fields.to_input(),
                    source: a.source,
                    id: a.id,
                }
            })
            .collect();
        for (id, e) in latest.iter().filter(|(_, e)| e.state.is_none()) {
            let before = base.inventory().into_iter().find(|a| &a.id == id);
            out.push(ActorView {
                id: id.clone(),
                source: before.as_ref().map_or("edits".into(), |a| a.source.clone()),
                group: before
                    .as_ref()
                    .map_or("AUTRE", |a| a.fields.kind.group().code()),
                fields: before.map(|a| a.fields.to_input()).unwrap_or_default(),
                commune_name: None,
                status: "retired",
                version: e.version,
                retired_reason: e.reason.clone(),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// One actor.
    ///
    /// # Errors
    /// 404 for an unknown id.
    pub fn get(
        &self,
        analysis: &Analysis,
        base: &Dataset,
        id: &str,
    ) -> Result<ActorView, AppError> {
        self.list(analysis, base)
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::NotFound(format!("acteur inconnu : {id}")))
    }

    /// The edit history of an actor, oldest first.
    ///
    /// # Errors
    /// A store failure.
    pub fn history(&self, id: &str) -> Result<Vec<Edit>, AppError> {
        match &self.store {
            Some(s) => Ok(s.history(id)?),
            None => Ok(Vec::new()),
        }
    }

    /// Commits one edit: catch up, validate, rebuild with it, append to the store, swap.
    ///
    /// # Errors
    /// 409 on a stale version, 400 naming a field, 422 when the rebuild failed (nothing
    /// applied), 500 on a store failure.
    pub async fn commit(
        self: &Arc<Self>,
        served: &impl AsRef<Arc<ServedAnalysis>>,
        edit: PendingEdit,
    ) -> Result<Committed, AppError> {
        let batch = self.commit_all(served, vec![edit]).await?;
        let edit = batch
            .edits
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Internal("aucune modification écrite".into()))?;
        Ok(Committed {
            edit,
            dataset_version: batch.dataset_version,
            rebuild_ms: batch.rebuild_ms,
        })
    }

    /// Commits several edits (an import) as one batch: one rebuild with all of them, one
    /// transaction in the store, one swap. Either every edit is applied or none is.
    ///
    /// # Errors
    /// As [`Inventory::commit`], for the first edit that fails; nothing is applied then.
    pub async fn commit_all(
        self: &Arc<Self>,
        served: &impl AsRef<Arc<ServedAnalysis>>,
        edits: Vec<PendingEdit>,
    ) -> Result<CommittedBatch, AppError> {
        let started = std::time::Instant::now();
        let _guard = self.write.lock().await;
        let this = self.clone();
        let served = served.as_ref().clone();
        self.rebuilder.run(move || {
            this.catch_up_locked(&served)?;
            let store = this
                .store
                .as_ref()
                .ok_or_else(|| AppError::Forbidden("aucun magasin d'acteurs".into()))?;
            let mut latest = this.latest();
            let mut new_edits = Vec::with_capacity(edits.len());
            for edit in edits {
                let current = latest.get(&edit.actor_id).map_or(0, |e| e.version);
                if current != edit.expected_version {
                    return Err(AppError::Conflict {
                        message: format!(
                            "modification concurrente de l'acteur {} : version {} attendue, la version actuelle est {current}",
                            edit.actor_id, edit.expected_version
                        ),
                        current_version: current,
                    });
                }
                let record = edit
                    .fields
                    .as_ref()
                    .map(|f| to_record(&edit.actor_id, &edit.source, f));
                // Build first with the candidate edits: a failed rebuild applies nothing.
                let candidate = Edit {
                    seq: i64::MAX,
                    actor_id: edit.actor_id.clone(),
                    version: current + 1,
                    kind: edit.kind,
                    author: edit.author.clone(),
                    time_ms: 0,
                    reason: edit.reason.clone(),
                    state: record.clone(),
                };
                latest.insert(edit.actor_id.clone(), candidate);
                new_edits.push(NewEdit {
                    actor_id: edit.actor_id,
                    expected_version: current,
                    kind: edit.kind,
                    author: edit.author,
                    reason: edit.reason,
                    state: record,
                });
            }
            let analysis = this.build(&served, &latest)?;
            let committed = store.append_batch(new_edits)?;
            let dataset_version = analysis.version().to_owned();
            // Another replica may have appended in between: only then is a catch-up needed.
            let first = committed.first().map_or(0, |e| e.seq);
            let last = committed.last().map_or(0, |e| e.seq);
            let contiguous = first == this.applied_seq() + 1
                && last - first + 1 == committed.len() as i64;
            for e in &committed {
                latest.insert(e.actor_id.clone(), e.clone());
            }
            served.swap(analysis);
            this.set_applied(
                if contiguous { last } else { this.applied_seq() },
                latest,
            );
            if !contiguous {
                this.catch_up_locked(&served)?;
            }
            Ok(CommittedBatch {
                edits: committed,
                dataset_version,
                rebuild_ms: started.elapsed().as_millis(),
            })
        })
        .await
    }

    /// The current fields and source of an actor of the served analysis (`None` when unknown or
    /// retired), and its version.
    pub fn current(&self, analysis: &Analysis, id: &str) -> (Option<(String, ActorFields)>, u32) {
        let version = self.latest().get(id).map_or(0, |e| e.version);
        let found = analysis
            .dataset()
            .inventory()
            .into_iter()
            .find(|a| a.id == id)
            .map(|a| (a.source, a.fields));
        (found, version)
    }

    /// The state before the latest edit of an actor (for undo): `Some(None)` when the actor
    /// did not exist before, `None` when it has no edit.
    ///
    /// # Errors
    /// A store failure.
    pub fn state_before_last_edit(
        &self,
        base: &Dataset,
        id: &str,
    ) -> Result<Option<Option<(String, ActorFields)>>, AppError> {
        let history = self.history(id)?;
        if history.is_empty() {
            return Ok(None);
        }
        let previous = if history.len() >= 2 {
            history[history.len() - 2].state.clone()
        } else {
            base.inventory()
                .into_iter()
                .find(|a| a.id == id)
                .map(|a| to_record(&a.id, &a.source, &a.fields))
        };
        match previous {
            None => Ok(Some(None)),
            Some(r) => {
                let f = ActorFields::validate(base, &to_input(&r))
                    .map_err(|e| AppError::NotApplied(e.to_string()))?;
                Ok(Some(Some((r.source, f))))
            }
        }
    }

    /// Reloads the token file (see [`Inventory::reload_tokens`]) and the territory, and lays
    /// every edit of the store over it: `load` reads the
    /// territory's files again, the analysis of the new base plus all the store's edits is
    /// built aside, and only when both succeeded are the analysis and the base swapped in
    /// (writes wait meanwhile). On failure the previous analysis and base keep serving. The
    /// outcome is recorded in `status` for `/health`.
    pub async fn reload<E, L>(
        self: &Arc<Self>,
        served: &impl AsRef<Arc<ServedAnalysis>>,
        status: &Arc<ReloadStatus>,
        load: L,
    ) -> ReloadOutcome
    where
        E: Into<ReloadFailure>,
        L: FnOnce() -> Result<(Dataset, LoadReport), E> + Send + 'static,
    {
        let _guard = self.write.lock().await;
        let served = served.as_ref();
        let (this, served2, status2) = (self.clone(), served.clone(), status.clone());
        let outcome = self
            .rebuilder
            .run(move || {
                let result = this.reload_locked(&served2, load);
                Ok(crate::reload::finish(&served2, &status2, result))
            })
            .await;
        outcome.unwrap_or_else(|e| {
            crate::reload::finish(
                served,
                status,
                Err(ReloadFailure::new(e.to_string(), Vec::new())),
            )
        })
    }

    fn reload_locked<E: Into<ReloadFailure>>(
        &self,
        served: &ServedAnalysis,
        load: impl FnOnce() -> Result<(Dataset, LoadReport), E>,
    ) -> Result<(), ReloadFailure> {
        // The editors first, whatever becomes of the territory.
        let tokens = self.reload_tokens().map_err(|e| {
            let file = self
                .token_file
                .as_deref()
                .and_then(Path::file_name)
                .map(|f| f.to_string_lossy().into_owned());
            ReloadFailure::new(e.to_string(), file.into_iter().collect())
        });
        let territory = self.reload_territory(served, load);
        match (tokens, territory) {
            (Ok(()), r) => r,
            (Err(t), Ok(())) => Err(t),
            (Err(t), Err(l)) => Err(t.and(l)),
        }
    }

    fn reload_territory<E: Into<ReloadFailure>>(
        &self,
        served: &ServedAnalysis,
        load: impl FnOnce() -> Result<(Dataset, LoadReport), E>,
    ) -> Result<(), ReloadFailure> {
        let (dataset, report) = load().map_err(Into::into)?;
        // The whole log again: the new base may hold actors the edits refer to.
        let (seq, latest) = match &self.store {
            None => (0, BTreeMap::new()),
            Some(store) => {
                let edits = store
                    .edits_since(0)
                    .map_err(|e| ReloadFailure::new(e.to_string(), Vec::new()))?;
                let seq = edits.iter().map(|e| e.seq).max().unwrap_or(0);
                let latest = repere_store::latest_states(&edits)
                    .into_iter()
                    .map(|(id, e)| (id, e.clone()))
                    .collect();
                (seq, latest)
            }
        };
        self.rebuilds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        served
            .reload(dataset, report, &edited_actors(&latest))
            .map_err(|e| ReloadFailure::new(e.to_string(), Vec::new()))?;
        self.set_applied(seq, latest);
        Ok(())
    }

    /// The served inventory as store records (exports).
    pub fn records(&self, analysis: &Analysis) -> Vec<ActorRecord> {
        analysis
            .dataset()
            .inventory()
            .iter()
            .map(|a| to_record(&a.id, &a.source, &a.fields))
            .collect()
    }
}

/// The latest state of every edited actor, as the engine takes them.
fn edited_actors(latest: &BTreeMap<String, Edit>) -> Vec<EditedActor> {
    latest
        .iter()
        .map(|(id, e)| EditedActor {
            id: id.clone(),
            source: e
                .state
                .as_ref()
                .map_or_else(|| "edits".to_owned(), |r| r.source.clone()),
            edit: e.seq,
            state: e.state.as_ref().map(to_input),
        })
        .collect()
}

/// An edit validated by a route, not yet committed.
#[derive(Debug, Clone)]
pub struct PendingEdit {
    /// Actor id.
    pub actor_id: String,
    /// Source of the actor (`edits` for a new one).
    pub source: String,
    /// Version the editor saw.
    pub expected_version: u32,
    /// What it does.
    pub kind: EditKind,
    /// Editor.
    pub author: String,
    /// Why.
    pub reason: Option<String>,
    /// The actor after the edit (`None`: retired).
    pub fields: Option<ActorFields>,
}
