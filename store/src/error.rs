//! Errors of the store.

/// What went wrong with the store. Messages are French: the server shows them as they are.
/// The variants a client may act on ([`StoreError::Unavailable`], [`StoreError::DiskFull`],
/// [`StoreError::InvalidText`]) say nothing of where the store is (no path, no address): the
/// server logs [`StoreError::store`] beside them.
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
    /// The database cannot be reached now (PostgreSQL stopped or restarting, a GeoPackage
    /// locked by another writer past the wait): nothing was written, retry later.
    #[error(
        "magasin d'acteurs indisponible : {cause} ; rien n'a été enregistré, réessayez plus tard"
    )]
    Unavailable {
        /// Which store.
        store: String,
        /// Why, in French.
        cause: String,
    },
    /// The disk (or the database's tablespace) is full: nothing was written.
    #[error(
        "magasin d'acteurs plein : plus de place sur le disque, rien n'a été enregistré ; libérez de la place puis réessayez"
    )]
    DiskFull {
        /// Which store.
        store: String,
    },
    /// A text field holds what the store cannot keep (a NUL character): nothing was written.
    #[error("champ `{field}` de l'acteur {actor_id} : {problem}")]
    InvalidText {
        /// Actor id.
        actor_id: String,
        /// The field (`name`, `reason`, `opening_hours.lundi`…).
        field: String,
        /// What is wrong.
        problem: String,
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

    pub(crate) fn unavailable(store: &str, cause: impl Into<String>) -> Self {
        Self::Unavailable {
            store: store.to_owned(),
            cause: cause.into(),
        }
    }

    /// The store the error comes from (for logs), when it names one.
    pub fn store(&self) -> Option<&str> {
        match self {
            Self::Unavailable { store, .. }
            | Self::DiskFull { store }
            | Self::Backend { store, .. } => Some(store),
            Self::Conflict { .. } | Self::InvalidText { .. } => None,
        }
    }
}
