//! One router per resource. Each module exports a [`Resource`]: its router together with its
//! OpenAPI operations ([`doc::Op`]). [`ALL`] is the one list of them: [`crate::app_with`] folds it
//! into both the router and the OpenAPI document, so a route cannot be served undocumented or
//! documented unserved. No route module imports [`openapi`], and [`openapi`] imports no route
//! module: both depend only on [`doc`].
//!
//! - [`actors`]: the actor inventory, `/api/actors…` (list, history, edits, exports);
//! - [`projects`]: projects answering a call, `/api/projects…` (create, read, edit with
//!   the edit key, duplicate, exports, coverage per service, report HTML and PDF);
//! - [`portfolio`]: the Métropole's portfolio of projects, `/api/portfolio…` (coverage,
//!   overlaps, exact selection under a budget, decision note HTML and PDF);
//! - [`health`]: `GET /health`;
//! - [`communes`]: `/api/communes`, `/api/communes/{code}`, `/api/communes.csv`, `.geojson`;
//! - [`fields`]: `GET /api/fields`, the French label and unit of each indicator field;
//! - [`qpv`]: `/api/qpv`, `/api/qpv/{code}`;
//! - [`lookup`]: `GET` and `POST /api/lookup`;
//! - [`ranking`]: the priority ranking, `/api/ranking`;
//! - [`tiles`]: `/tiles/{layers}.json` (TileJSON) and the MVT tiles;
//! - [`coverage`]: `POST /api/coverage` and the printable `GET /coverage/report`;
//! - [`coverage_html`]: the French HTML page of a coverage check, with its SVG map;
//! - [`suggest`]: `POST /api/suggest` and `GET /api/suggest/candidates`, where to open the next
//!   permanence;
//! - [`gaps`]: `GET /api/gaps`, young people in gap cells per commune and QPV;
//! - [`isochrone`]: `GET /api/isochrone`, the area reached within a time, depart-at or arrive-by;
//! - [`transport`]: `GET /api/transport`, timetable availability and departures per hour;
//! - [`geocode`]: `GET /api/geocode/search` and `/reverse`, addresses through the geocoder;
//! - [`fonts`]: `/fonts/{fontstack}/{range}.pbf`, SDF glyphs for the map's labels;
//! - [`openapi`]: the OpenAPI document, `/api/openapi.json`;
//! - [`doc`]: what a module says of its operations ([`doc::Op`], [`doc::Param`]);
//! - [`web`]: the web map, `/`, `/app/…`, `/vendor/…`, `/web-config.json`.

/// The name a request body carries in messages about its lines or features (point files read
/// by [`repere_engine::point_file`]: lookups, coverage sites).
pub const BODY: &str = "corps de la requête";

pub mod actors;
pub mod communes;
pub mod coverage;
pub mod coverage_html;
pub mod doc;
pub mod fields;
pub mod fonts;
pub mod gaps;
pub mod geocode;
pub mod health;
pub mod isochrone;
pub mod json_body;
pub mod lookup;
pub mod openapi;
pub mod portfolio;
pub mod projects;
pub mod qpv;
pub mod ranking;
pub mod suggest;
pub mod tiles;
pub mod transport;
pub mod web;

use axum::Router;
use serde_json::{Map, Value};

use crate::AppState;

/// A route module's router together with what the OpenAPI document says of it.
#[derive(Clone, Copy)]
pub struct Resource {
    /// Builds the module's router.
    pub router: fn() -> Router<AppState>,
    /// Its documented operations.
    pub ops: &'static [doc::Op],
    /// The named schemas its operations refer to (`components.schemas`).
    pub schemas: fn() -> Map<String, Value>,
}

impl Resource {
    /// A module's routes and operations, with no named schema.
    pub const fn new(router: fn() -> Router<AppState>, ops: &'static [doc::Op]) -> Self {
        Self {
            router,
            ops,
            schemas: Map::new,
        }
    }

    /// With the named schemas its operations refer to.
    pub const fn with_schemas(self, schemas: fn() -> Map<String, Value>) -> Self {
        Self { schemas, ..self }
    }
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resource").field("ops", &self.ops).finish()
    }
}

/// Every route module with its operations, in the order the OpenAPI document lists them (the
/// web page's routes, [`web`], are not part of the API: [`crate::app_with`] adds them).
pub const ALL: &[Resource] = &[
    health::RESOURCE,
    communes::RESOURCE,
    fields::RESOURCE,
    qpv::RESOURCE,
    lookup::RESOURCE,
    ranking::RESOURCE,
    tiles::RESOURCE,
    coverage::RESOURCE,
    gaps::RESOURCE,
    suggest::RESOURCE,
    transport::RESOURCE,
    isochrone::RESOURCE,
    fonts::RESOURCE,
    actors::RESOURCE,
    projects::RESOURCE,
    portfolio::RESOURCE,
    geocode::RESOURCE,
    openapi::RESOURCE,
];

/// Every documented operation of [`ALL`].
pub fn operations() -> Vec<doc::Op> {
    openapi::ApiDoc::of(ALL).operations
}

/// A printable server-rendered page (the reports and the decision note): one inline stylesheet
/// and at most an inline SVG, no script, link or image, never framed.
pub(crate) fn print_page(html: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    let csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
    (
        [(axum::http::header::CONTENT_SECURITY_POLICY, csp)],
        axum::response::Html(html),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_lists_each_operation_of_the_route_list_once() {
        let ops = operations();
        let total: usize = ALL.iter().map(|r| r.ops.len()).sum();
        assert_eq!(ops.len(), total);
        let mut keys: Vec<(&str, &str)> = ops.iter().map(|o| (o.method, o.path)).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "an operation is listed twice");
        let doc = openapi::document(&openapi::ApiDoc::of(ALL), "test");
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(documented, total);
        assert!(doc["components"]["schemas"]["Error"].is_object());
        assert!(
            doc["components"]["schemas"].as_object().unwrap().len() > 1,
            "the actors' schemas are folded in"
        );
    }
}
