//! Errors of glyph requests and rendering.

/// Why a glyph range could not be served.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GlyphError {
    /// No font of the requested stack is served.
    #[error("pile de polices inconnue « {stack} » (disponibles : {available})")]
    UnknownFontStack {
        /// The requested stack, as sent.
        stack: String,
        /// The stacks served, comma-separated.
        available: String,
    },
    /// The range is not `{start}-{end}` with `start` a multiple of 256, `end = start + 255`,
    /// `end` ≤ 65535.
    #[error("plage de glyphes invalide « {value} » : {reason}")]
    Range {
        /// The requested range, as sent.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// FreeType or the SDF renderer failed on this font (a defect: the fonts are built in).
    #[error("rendu des glyphes {range} de « {font} » impossible : {message}")]
    Render {
        /// The font's stack name.
        font: String,
        /// The range.
        range: String,
        /// The renderer's message.
        message: String,
    },
}
