//! [`GlyphRange`]: one block of 256 Unicode code points, as MapLibre requests them.

use crate::GlyphError;

/// A validated glyph range: `start` is a multiple of 256 and `end = start + 255` (≤ 65535).
///
/// # Examples
/// ```
/// use repere_glyphs::GlyphRange;
/// let r = GlyphRange::parse("256-511").unwrap();
/// assert_eq!((r.start(), r.end()), (256, 511));
/// assert!(GlyphRange::parse("0-300").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlyphRange {
    start: u32,
}

impl GlyphRange {
    /// The highest code point a range can reach (MapLibre's glyph ranges stop at the BMP).
    pub const MAX_END: u32 = 0xFFFF;

    /// Parses `start-end` (a `.pbf` suffix, if any, is the caller's to strip).
    ///
    /// # Errors
    /// [`GlyphError::Range`] when the text is not two integers or the bounds are not a block.
    pub fn parse(value: &str) -> Result<Self, GlyphError> {
        let bad = |reason| GlyphError::Range {
            value: value.to_owned(),
            reason,
        };
        let (start, end) = value
            .split_once('-')
            .ok_or_else(|| bad("attendu « début-fin », par exemple 0-255"))?;
        let start: u32 = start
            .parse()
            .map_err(|_| bad("le début n'est pas un entier positif"))?;
        let end: u32 = end
            .parse()
            .map_err(|_| bad("la fin n'est pas un entier positif"))?;
        if !start.is_multiple_of(256) {
            return Err(bad("le début doit être un multiple de 256"));
        }
        if end != start + 255 {
            return Err(bad("la fin doit valoir début + 255"));
        }
        if end > Self::MAX_END {
            return Err(bad("la fin dépasse 65535"));
        }
        Ok(Self { start })
    }

    /// First code point.
    pub fn start(self) -> u32 {
        self.start
    }

    /// Last code point (inclusive).
    pub fn end(self) -> u32 {
        self.start + 255
    }
}

impl std::fmt::Display for GlyphRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start(), self.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_256_parse_and_everything_else_is_refused() {
        assert_eq!(GlyphRange::parse("0-255").unwrap().to_string(), "0-255");
        assert_eq!(GlyphRange::parse("65280-65535").unwrap().end(), 65535);
        for bad in [
            "0-256",
            "1-256",
            "abc",
            "0_255",
            "-1-254",
            "65536-65791",
            "",
        ] {
            assert!(
                matches!(GlyphRange::parse(bad), Err(GlyphError::Range { .. })),
                "{bad}"
            );
        }
    }
}
