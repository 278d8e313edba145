//! Exports of the current inventory: GeoPackage, CSV and data·inclusion structures JSON.

use std::path::Path;

use crate::gpkg::GpkgStore;
use crate::{ActorRecord, Store, StoreError};

/// Writes the inventory into a new GeoPackage at `path` (its `actors` table; the edit log empty).
///
/// # Errors
/// [`StoreError::Backend`] when the file exists or cannot be written.
pub fn geopackage(path: &Path, actors: &[ActorRecord]) -> Result<(), StoreError> {
    if path.exists() {
        return Err(StoreError::backend(
            &path.display().to_string(),
            "le fichier existe déjà",
        ));
    }
    GpkgStore::open(path)?.publish_inventory(actors)
}

/// The inventory as CSV: `id, source, nom, typologie, adresse, code_insee, longitude, latitude,
/// horaires` (hours as JSON), `,`-separated, UTF-8.
///
/// # Errors
/// [`StoreError::Backend`] when writing fails.
pub fn csv(actors: &[ActorRecord]) -> Result<Vec<u8>, StoreError> {
    let err = |e: csv::Error| StoreError::backend("export CSV", e);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "source",
        "nom",
        "typologie",
        "adresse",
        "code_insee",
        "longitude",
        "latitude",
        "horaires",
    ])
    .map_err(err)?;
    for a in actors {
        let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let hours = if a.opening_hours.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&a.opening_hours).unwrap_or_default()
        };
        w.write_record([
            a.id.as_str(),
            &a.source,
            &a.name,
            &a.kind,
            a.address.as_deref().unwrap_or(""),
            a.commune.as_deref().unwrap_or(""),
            &num(a.lon),
            &num(a.lat),
            &hours,
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| StoreError::backend("export CSV", e))
}

/// The inventory as a data·inclusion `structures` JSON array (`id`, `source`, `nom`,
/// `typologie`, `adresse`, `code_insee`, `longitude`, `latitude`, `horaires_accueil`), which
/// `format = "data-inclusion"` reads back.
pub fn data_inclusion(actors: &[ActorRecord]) -> serde_json::Value {
    serde_json::Value::Array(
        actors
            .iter()
            .map(|a| {
                let hours = (!a.opening_hours.is_empty()).then(|| {
                    a.opening_hours
                        .iter()
                        .map(|(d, h)| format!("{d} : {h}"))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                });
                serde_json::json!({
                    "id": a.id,
                    "source": a.source,
                    "nom": a.name,
                    "typologie": a.kind,
                    "adresse": a.address,
                    "code_insee": a.commune,
                    "longitude": a.lon,
                    "latitude": a.lat,
                    "horaires_accueil": hours,
                })
            })
            .collect(),
    )
}
