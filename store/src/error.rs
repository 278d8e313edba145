//! Errors of the store.

/// What went wrong with the store. Messages are French: the server shows them as they are.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another edit of the same actor was committed first.
    #[error(
        "modification concurrente de l'acteur {actor_id} : sa version est maintenant {current}"
    )]
    Conflict {
        /// Actor id.
        actor_id: String,
        /// Its version now.
        current: u32,
    },
    /// The database failed or holds something this store did not write.
    #[error("magasin d'acteurs {store} : {message}")]
    Backend {
        /// Which store.
        store: String,
        /// What failed.
        message: String,
    },
}

impl StoreError {
    pub(crate) fn backend(store: &str, e: impl std::fmt::Display) -> Self {
        Self::Backend {
            store: store.to_owned(),
            message: e.to_string(),
        }
    }
}
