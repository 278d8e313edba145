//! Projects of a running server: validated with the engine ([`repere_engine::project`]), kept
//! in the project store beside the actors ([`repere_store::projects`]), opened by a read link
//! (the project's random id) and changed only with its edit key (a random secret given once at
//! creation, stored as its SHA-256) — no editor token is needed to create one; editors (the
//! actors' tokens) list every project.
//!
//! - [`decision`]: the portfolio's decision note, as the same kind of document;
//! - [`export`]: a project's sites as GeoJSON and CSV (cells neutralised against formulas);
//! - [`report`]: the report as a document (identity, sites, figures, map, method), rendered by
//!   [`report_html`] (printable A4 page) and [`report_pdf`] (a PDF file made here).

pub mod decision;
pub mod export;
pub mod report;
pub mod report_html;
pub mod report_pdf;

use repere_engine::Dataset;
use repere_engine::project::{Project, ProjectError, ProjectInput};
use repere_store::projects::secret::{new_project_id, new_secret, verify_secret};
use repere_store::projects::{ProjectContent, ProjectSiteRow, ProjectStore, Saved, StoredProject};

use crate::AppError;

/// The projects of a server.
pub struct Projects {
    store: Box<dyn ProjectStore>,
}

/// A project created (or duplicated): the stored project and its edit key, shown once.
#[derive(Debug, Clone)]
pub struct Created {
    /// The stored project.
    pub stored: StoredProject,
    /// The edit key (the secret); only its hash is kept.
    pub edit_key: String,
}

impl From<ProjectError> for AppError {
    fn from(e: ProjectError) -> Self {
        AppError::bad(&e.field, e.message)
    }
}

/// What the store keeps of a validated project.
pub fn content(project: &Project) -> ProjectContent {
    let input = project.to_input();
    let sites = input
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| ProjectSiteRow {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            name: s.name.clone(),
            address: s.address.clone(),
            lon: s.lon,
            lat: s.lat,
            services: s.services.join(","),
            opening_hours: (!s.opening_hours.is_empty())
                .then(|| serde_json::to_string(&s.opening_hours).unwrap_or_default()),
            host: s.host.clone(),
        })
        .collect();
    ProjectContent {
        title: project.title.clone(),
        organisation: project.organisation.name.clone(),
        data: serde_json::to_value(&input).unwrap_or_default(),
        sites,
    }
}

/// Where the edit key was given: the `X-Edit-Key` header or the `key` query parameter.
pub const KEY_HEADER: &str = "x-edit-key";

impl Projects {
    /// Projects kept in `store`.
    pub fn new(store: Box<dyn ProjectStore>) -> Self {
        Self { store }
    }

    /// The store, described for logs.
    pub fn describe(&self) -> String {
        self.store.describe()
    }

    /// Validates and stores a new project; returns it with its edit key.
    ///
    /// # Errors
    /// 400 naming the field; 500 on a store failure.
    pub fn create(&self, ds: &Dataset, body: &serde_json::Value) -> Result<Created, AppError> {
        let project = Project::validate(ds, body)?;
        self.create_validated(&project)
    }

    fn create_validated(&self, project: &Project) -> Result<Created, AppError> {
        let (edit_key, hash) = new_secret()?;
        let id = new_project_id()?;
        let stored = self.store.create(&id, &hash, &content(project))?;
        Ok(Created { stored, edit_key })
    }

    /// One project by its read id.
    ///
    /// # Errors
    /// 404 for an unknown id; 500 on a store failure.
    pub fn get(&self, id: &str) -> Result<StoredProject, AppError> {
        self.store
            .get(id)?
            .ok_or_else(|| AppError::NotFound(format!("projet inconnu : {id}")))
    }

    /// The stored file of a project.
    ///
    /// # Errors
    /// 500 when the stored file does not read (written by another program).
    pub fn input(stored: &StoredProject) -> Result<ProjectInput, AppError> {
        serde_json::from_value(stored.data.clone()).map_err(|e| {
            AppError::Internal(format!(
                "projet {} illisible dans le magasin : {e}",
                stored.id
            ))
        })
    }

    /// The stored project validated against the served territory.
    ///
    /// # Errors
    /// 422 when the territory changed under it (a commune or a site no longer in it).
    pub fn validated(ds: &Dataset, stored: &StoredProject) -> Result<Project, AppError> {
        Project::of_input(ds, &Self::input(stored)?).map_err(|e| {
            AppError::NotApplied(format!(
                "le projet {} ne se valide plus sur le territoire servi : {e}",
                stored.id
            ))
        })
    }

    /// Checks the edit key of a project.
    ///
    /// # Errors
    /// 403 with a French message when the key is missing or wrong.
    pub fn authorise(stored: &StoredProject, key: Option<&str>) -> Result<(), AppError> {
        match key.map(str::trim).filter(|k| !k.is_empty()) {
            None => Err(AppError::Forbidden(
                "lien de lecture seule : la clé d'édition du projet (lien privé, en-tête X-Edit-Key ou paramètre key) est requise pour le modifier"
                    .into(),
            )),
            Some(k) if verify_secret(k, &stored.secret_sha256) => Ok(()),
            Some(_) => Err(AppError::Forbidden(
                "clé d'édition incorrecte : ce lien ne permet pas de modifier ce projet".into(),
            )),
        }
    }

    /// Replaces (`merge` false) or merges into (`merge` true: the body's top-level fields
    /// replace the stored ones) a project, with its edit key and, when given, the version the
    /// owner saw.
    ///
    /// # Errors
    /// 404, 403 (key), 400 naming the field, 409 on a stale version.
    pub fn save(
        &self,
        ds: &Dataset,
        id: &str,
        key: Option<&str>,
        expected_version: Option<u32>,
        body: &serde_json::Value,
        merge: bool,
    ) -> Result<StoredProject, AppError> {
        let stored = self.get(id)?;
        Self::authorise(&stored, key)?;
        let body = if merge {
            let patch = body
                .as_object()
                .ok_or_else(|| AppError::bad("body", "objet JSON attendu"))?;
            let mut merged = stored.data.clone();
            if let Some(m) = merged.as_object_mut() {
                for (k, v) in patch {
                    m.insert(k.clone(), v.clone());
                }
            }
            merged
        } else {
            body.clone()
        };
        let project = Project::validate(ds, &body)?;
        match self.store.save(id, expected_version, &content(&project))? {
            Saved::Saved(p) => Ok(p),
            Saved::NotFound => Err(AppError::NotFound(format!("projet inconnu : {id}"))),
            Saved::Conflict(current) => Err(AppError::Conflict {
                message: format!(
                    "modification concurrente du projet {id} : version {} attendue, la version actuelle est {current}",
                    expected_version.unwrap_or(0)
                ),
                current_version: current,
            }),
        }
    }

    /// A copy of a project (anyone with its read link), titled « … (copie) », with a new read
    /// link and a new edit key.
    ///
    /// # Errors
    /// 404; 422 when the project no longer validates; 500 on a store failure.
    pub fn duplicate(&self, ds: &Dataset, id: &str) -> Result<Created, AppError> {
        let stored = self.get(id)?;
        let mut project = Self::validated(ds, &stored)?;
        project.title = format!("{} (copie)", project.title);
        self.create_validated(&project)
    }

    /// Every project, most recently saved first.
    ///
    /// # Errors
    /// 500 on a store failure.
    pub fn list(&self) -> Result<Vec<StoredProject>, AppError> {
        Ok(self.store.list()?)
    }
}
