//! Coverage check of planned sites: what would a project's sites reach within N minutes?
//!
//! - [`site`]: planned sites parsed from GeoJSON points or CSV lon/lat text, with optional
//!   group, opening days and hours; errors name the feature or line and the field;
//! - [`map_svg`]: the report's map as SVG, from the same geometry;
//! - [`travel_context`]: the access network, destinations and gap grid, built once per dataset;
//! - [`check`](mod@check): QPV reached, young people reached, communes concerned, overlap with existing
//!   actors of the same group, young people already covered and newly covered per group;
//! - [`invisibles`]: the NEET young people followed by no one within reach.

pub mod check;
pub mod invisibles;
pub mod map_svg;
pub mod site;
pub mod travel_context;

pub use check::{
    CoverageError, CoverageParams, CoverageReport, GroupCoverage, MAX_SITES, Mode, ReachedCell,
    check, check_within, validate_sites,
};
pub use site::{Site, SiteError, parse_sites, parse_sites_csv, parse_sites_geojson};
pub use travel_context::TravelContext;
