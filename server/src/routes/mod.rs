//! One router per resource.

pub mod coverage;
pub mod coverage_html;
pub mod gaps;
pub mod health;
