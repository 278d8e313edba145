//! SDF glyph ranges for the map's labels, in the format MapLibre requests
//! (`/fonts/{fontstack}/{start}-{end}.pbf`: a protobuf `glyphs` message of 256 code points).
//!
//! Pure: font bytes in, PBF bytes out; no HTTP, no file system. The fonts are DejaVu Sans
//! (regular and bold), shipped by the `dejavu` crate under the Bitstream Vera licence, so the
//! repository holds no font file. Rendering uses `pbf_font_tools` and `sdf_glyph_renderer`
//! (FreeType, built from source), the crates martin uses for the same job.
//!
//! - [`range`]: [`GlyphRange`], a validated 256-code-point range (`0-255`, `256-511`, …);
//! - [`font`]: [`Font`] and [`FontCatalog`], the font stacks served and how a requested stack
//!   resolves to one of them;
//! - [`render`]: [`render_range`], one range of one font as PBF bytes;
//! - [`cache`]: [`GlyphCache`], each range rendered once and kept;
//! - [`error`]: the error type, [`GlyphError`].
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cache;
pub mod error;
pub mod font;
pub mod range;
pub mod render;

pub use cache::GlyphCache;
pub use error::GlyphError;
pub use font::{Font, FontCatalog};
pub use range::GlyphRange;
pub use render::render_range;
