//! The national files and what `territory new` reads of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::national::error::NationalError;

/// Paths of the national files (absolute once located).
#[derive(Debug, Clone)]
pub struct NationalFiles {
    /// Commune polygons of France, IGN Admin Express COG 2018 (GeoJSON, `code`, `nom`).
    pub communes_geojson: PathBuf,
    /// Every commune, 2026 (`@etalab/decoupage-administratif` JSON).
    pub communes_records: PathBuf,
    /// Every EPCI with its member communes, 2026 (same package).
    pub epci_records: PathBuf,
    /// France Travail sites, 2019 (CSV, `TYPE_SITE`, `DN_LATITUDE`, `DN_LONGITUDE`).
    pub france_travail: PathBuf,
    /// Official QPV 2015 of metropolitan France (shapefile, Lambert-93).
    pub qpv2015: PathBuf,
}

impl NationalFiles {
    /// The files of a national folder; the QPV 2015 shapefile is `qpv` when given, else
    /// `<folder>/../qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp` (the `shared/data` layout).
    ///
    /// # Errors
    /// [`NationalError::MissingFile`] naming the first file not found.
    pub fn locate(folder: &Path, qpv: Option<&Path>) -> Result<Self, NationalError> {
        let folder = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        let qpv2015 = match qpv {
            Some(q) => std::path::absolute(q).unwrap_or_else(|_| q.to_path_buf()),
            None => folder
                .parent()
                .unwrap_or(&folder)
                .join("qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp"),
        };
        let files = Self {
            communes_geojson: folder.join("communes_france_2018.geojson"),
            communes_records: folder.join("communes_france_decoupage_2026.json"),
            epci_records: folder.join("epci_france_2026.json"),
            france_travail: folder.join("france_travail_agences_2019.csv"),
            qpv2015,
        };
        for (path, what) in [
            (
                &files.communes_geojson,
                "contours des communes, IGN Admin Express 2018",
            ),
            (
                &files.communes_records,
                "communes 2026, @etalab/decoupage-administratif",
            ),
            (
                &files.epci_records,
                "EPCI 2026, @etalab/decoupage-administratif",
            ),
            (&files.france_travail, "sites France Travail 2019"),
            (&files.qpv2015, "shapefile officiel des QPV 2015"),
        ] {
            if !path.is_file() {
                return Err(NationalError::MissingFile {
                    path: path.clone(),
                    what,
                });
            }
        }
        Ok(files)
    }

    /// Current communes (`commune-actuelle`), by code.
    ///
    /// # Errors
    /// [`NationalError::Unreadable`] when the records file does not parse.
    pub fn communes(&self) -> Result<BTreeMap<String, CommuneRecord>, NationalError> {
        let list: Vec<CommuneRecord> = read_json(&self.communes_records)?;
        Ok(list
            .into_iter()
            .filter(|r| r.kind.as_deref().is_none_or(|k| k == "commune-actuelle"))
            .map(|r| (r.code.clone(), r))
            .collect())
    }

    /// Every EPCI.
    ///
    /// # Errors
    /// [`NationalError::Unreadable`] when the EPCI file does not parse.
    pub fn epcis(&self) -> Result<Vec<EpciRecord>, NationalError> {
        read_json(&self.epci_records)
    }

    /// The commune codes that have a polygon (geometry skipped, not built).
    ///
    /// # Errors
    /// [`NationalError::Unreadable`] when the GeoJSON does not parse.
    pub fn polygon_codes(&self) -> Result<BTreeSet<String>, NationalError> {
        #[derive(Deserialize)]
        struct Props {
            code: String,
        }
        #[derive(Deserialize)]
        struct Feature {
            properties: Props,
        }
        #[derive(Deserialize)]
        struct Collection {
            features: Vec<Feature>,
        }
        let fc: Collection = read_json(&self.communes_geojson)?;
        Ok(fc.features.into_iter().map(|f| f.properties.code).collect())
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, NationalError> {
    let bytes = std::fs::read(path).map_err(|e| NationalError::Unreadable {
        path: path.to_path_buf(),
        message: crate::text::io_error_fr(&e),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| NationalError::Unreadable {
        path: path.to_path_buf(),
        message: format!("JSON invalide : {}", crate::text::json_error_fr(&e)),
    })
}

/// A commune of the records.
#[derive(Debug, Clone, Deserialize)]
pub struct CommuneRecord {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub nom: String,
    /// `commune-actuelle`, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Département code.
    #[serde(default)]
    pub departement: Option<String>,
    /// Legal municipal population.
    #[serde(default)]
    pub population: Option<u64>,
    /// Codes of the communes merged into this one.
    #[serde(default, rename = "anciensCodes")]
    pub anciens_codes: Vec<String>,
}

/// An EPCI of the records.
#[derive(Debug, Clone, Deserialize)]
pub struct EpciRecord {
    /// SIREN.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Member communes.
    pub membres: Vec<EpciMember>,
}

/// A member of an EPCI.
#[derive(Debug, Clone, Deserialize)]
pub struct EpciMember {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub nom: String,
    /// Legal municipal population.
    #[serde(default, rename = "populationMunicipale")]
    pub population: Option<u64>,
}
