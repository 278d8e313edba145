//! One router per resource, merged by [`crate::app`]; each module also lists its operations
//! for [`openapi`].
//!
//! - [`actors`]: the actor inventory, `/api/actors…` (list, history, edits, exports);
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
//! - [`fonts`]: `/fonts/{fontstack}/{range}.pbf`, SDF glyphs for the map's labels;
//! - [`openapi`]: the OpenAPI document, `/api/openapi.json`;
//! - [`web`]: the web map, `/`, `/app/…`, `/vendor/…`, `/web-config.json`.

/// The name a request body carries in messages about its lines or features (point files read
/// by [`repere_engine::points`]: lookups, coverage sites).
pub const BODY: &str = "corps de la requête";

pub mod actors;
pub mod communes;
pub mod coverage;
pub mod coverage_html;
pub mod fields;
pub mod fonts;
pub mod gaps;
pub mod health;
pub mod isochrone;
pub mod lookup;
pub mod openapi;
pub mod qpv;
pub mod ranking;
pub mod suggest;
pub mod tiles;
pub mod transport;
pub mod web;
