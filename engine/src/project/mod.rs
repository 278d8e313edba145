//! Projects answering a call for projects: a title, the organisation carrying it, the communes
//! and QPV it targets, its public, target and budget, and its sites (permanences) with their
//! services and days and hours.
//!
//! - [`file`](mod@file): the project as its owner writes it (JSON), validated into types with errors
//!   naming the field by its path (`sites[1].opening_hours.mardi`);
//! - [`siret`]: SIRET numbers (14 digits, Luhn key);
//! - [`coverage`](mod@coverage): the coverage of the placed sites, once per service each offers, and the
//!   actors known by address only in the communes reached;
//! - [`map`]: the report's map as a drawing in page units, for the HTML and PDF renderers.

pub mod coverage;
pub mod file;
pub mod map;
pub mod siret;

pub use coverage::{AddressOnlyActor, AddressOnlyCaveat, ProjectCoverage, project_coverage};
pub use file::{Organisation, Project, ProjectError, ProjectInput, ProjectSite, SiteInput};
