//! Heavy anonymous requests (coverage checks, sites, suggestions, batch lookups, isochrones)
//! run on one bounded pool with a compute budget, so that tiles and `/health` keep answering
//! while they run.
//!
//! - at most [`HeavyPool::slots`] requests compute at once (by default one core fewer than the
//!   machine has, at least one); a request waits for a slot at most the budget, then gets 503;
//! - a request's body is read only once it holds a slot ([`read_body`]): bodies waiting for a
//!   slot are not buffered, so many large uploads cannot fill the memory;
//! - a check that runs past the budget stops at the next site and answers 503 with a French
//!   message (the engine asks a `stop` closure before each site; it reads no clock itself).

use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppError;

/// Largest body of a heavy request without a limit of its own (axum's default), bytes.
pub const DEFAULT_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The pool and its budget.
#[derive(Debug)]
pub struct HeavyPool {
    permits: Arc<Semaphore>,
    slots: usize,
    /// Compute time allowed to one request (waiting for a slot included).
    pub budget: Duration,
}

impl Default for HeavyPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.saturating_sub(1).max(1), Duration::from_secs(20))
    }
}

/// A slot taken, and the deadline of the request that holds it.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    deadline: Instant,
    budget: Duration,
}

impl Slot {
    /// The budget of the request holding the slot.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// Whether the budget has run out (the `stop` closure given to the engine).
    pub fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }
}

impl HeavyPool {
    /// A pool of `slots` (at least one) with `budget` per request.
    pub fn new(slots: usize, budget: Duration) -> Self {
        let slots = slots.max(1);
        Self {
            permits: Arc::new(Semaphore::new(slots)),
            slots,
            budget,
        }
    }

    /// Checks computed at once.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Waits for a slot, at most the budget.
    ///
    /// # Errors
    /// [`AppError::Unavailable`] when no slot freed in time.
    pub async fn slot(&self) -> Result<Slot, AppError> {
        let started = Instant::now();
        let busy = || {
            AppError::Unavailable(format!(
                "serveur occupé : {} calculs lourds déjà en cours ; réessayer dans quelques \
                 secondes",
                self.slots
            ))
        };
        let permit = tokio::time::timeout(self.budget, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| busy())?
            .map_err(|_| busy())?;
        Ok(Slot {
            _permit: permit,
            deadline: started + self.budget,
            budget: self.budget,
        })
    }
}

/// Reads a request body of at most `limit` bytes (413 beyond, as soon as the declared
/// `Content-Length` or the bytes received pass it).
///
/// # Errors
/// [`AppError::TooLarge`] past the limit, [`AppError::BadRequest`] naming `body` when the
/// transfer breaks off.
pub async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, AppError> {
    let too_large = || AppError::TooLarge(format!("corps de la requête au-delà de {limit} octets"));
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    let mut buf: Vec<u8> = Vec::new();
    while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame
            .map_err(|_| AppError::bad("body", "lecture du corps de la requête interrompue"))?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Err(too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Bytes::from(buf))
}
