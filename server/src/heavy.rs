//! Heavy requests (coverage checks) run on a bounded pool with a compute budget, so that tiles
//! and `/health` keep answering while they run.
//!
//! - at most [`HeavyPool::slots`] checks compute at once (by default one core fewer than the
//!   machine has, at least one); a request waits for a slot at most the budget, then gets 503;
//! - a check that runs past the budget stops at the next site and answers 503 with a French
//!   message (the engine asks a `stop` closure before each site; it reads no clock itself).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppError;

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
}

impl Slot {
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
                "serveur occupé : {} vérifications de couverture déjà en cours ; réessayer dans \
                 quelques secondes",
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
        })
    }
}
