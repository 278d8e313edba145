//! One router per resource.

pub mod health;
