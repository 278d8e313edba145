//! Errors of tile addressing and encoding.

/// What can go wrong with a tile request or its encoding.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TileError {
    /// A tile address field out of range or not a number.
    #[error("coordonnée de tuile `{field}` refusée : {message}")]
    Coord {
        /// `z`, `x` or `y`.
        field: &'static str,
        /// What is wrong, with the value.
        message: String,
    },
    /// A layer name the tile set does not hold.
    #[error("couche de tuiles « {name} » inconnue (disponibles : {available})")]
    UnknownLayer {
        /// The requested name.
        name: String,
        /// The available names, comma-separated.
        available: String,
    },
    /// The MVT writer refused a geometry (a defect: prepared geometry is always encodable).
    #[error("échec de l'encodage MVT de la couche {layer} : {message}")]
    Encode {
        /// Layer being encoded.
        layer: String,
        /// The writer's message.
        message: String,
    },
}
