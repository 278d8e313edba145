//! Layers applied to every response or request by [`crate::app`], independent of the routes.
//!
//! - [`json_errors`]: every error answer is JSON `{error, parameter}` in French, including the
//!   rejections of axum's extractors (413, 415, 422, 400) and the 404/405 of the router;
//! - [`repeated_params`]: a query parameter given twice is a 400 naming it;
//! - [`request_limits`]: an announced body past the route's limit is a 413 at once, oversized
//!   headers a 431;
//! - [`security_headers`]: `Content-Security-Policy`, `X-Content-Type-Options`,
//!   `Referrer-Policy`, `X-Frame-Options`;
//! - [`confined_dir`]: static files served only from inside their folder (no symlink out).

pub mod confined_dir;
pub mod json_errors;
pub mod repeated_params;
pub mod request_limits;
pub mod security_headers;
