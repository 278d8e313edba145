//! Overlays of the territory's layers, all planar in Lambert-93 metres (EPSG:2154).
//!
//! Areas are planar Lambert-93 areas in m² (scale error below 0.1 % over metropolitan France),
//! distances straight-line Lambert-93 metres. Every function is pure over the loaded
//! [`crate::Dataset`] and returns results in a deterministic order (by code or layer index).

pub mod catchment;
pub mod commune_qpv;
pub mod nearest;
pub mod planar;
pub mod point_in_polygon;
pub mod qpv_vintages;
pub mod uncrossed;
