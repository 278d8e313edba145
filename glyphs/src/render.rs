//! [`render_range`]: one 256-code-point range of one font as SDF glyphs in a PBF message.

use pbf_font_tools::prost::Message;
use pbf_font_tools::{Glyphs, freetype};

use crate::{Font, GlyphError, GlyphRange};

/// Glyph size in pixels, SDF radius in pixels and cutoff: MapLibre's conventions (24 px glyphs
/// with a 3 px buffer, radius 8, cutoff 0.25, as node-fontnik and martin).
const SIZE_PX: usize = 24;
const RADIUS_PX: usize = 8;
const CUTOFF: f64 = 0.25;

/// Renders the code points of `range` that `font` has as one PBF `glyphs` message whose
/// single font stack is named after the font. Code points the font lacks are left out (an
/// empty range is still a valid message).
///
/// # Errors
/// [`GlyphError::Render`] when FreeType cannot open the font or render a glyph.
pub fn render_range(font: &Font, range: GlyphRange) -> Result<Vec<u8>, GlyphError> {
    let fail = |message: String| GlyphError::Render {
        font: font.name.to_owned(),
        range: range.to_string(),
        message,
    };
    let library = freetype::Library::init().map_err(|e| fail(e.to_string()))?;
    let face = library
        .new_memory_face(font.ttf.to_vec(), 0)
        .map_err(|e| fail(e.to_string()))?;
    let mut stack = pbf_font_tools::glyph_range_for_face(
        &face,
        range.start(),
        range.end(),
        SIZE_PX,
        RADIUS_PX,
        CUTOFF,
    )
    .map_err(|e| fail(e.to_string()))?;
    // FreeType's name is "family style" (e.g. "DejaVu Sans Book"): the message carries the
    // stack name the style asked for instead.
    font.name.clone_into(&mut stack.name);
    Ok(Glyphs {
        stacks: vec![stack],
    }
    .encode_to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FontCatalog;

    fn decode(bytes: &[u8]) -> Glyphs {
        Glyphs::decode(bytes).unwrap()
    }

    #[test]
    fn the_latin_range_has_every_printable_ascii_glyph_with_a_bitmap() {
        let fonts = FontCatalog::default();
        let font = fonts.fonts()[0];
        let glyphs = decode(&render_range(&font, GlyphRange::parse("0-255").unwrap()).unwrap());
        assert_eq!(glyphs.stacks.len(), 1);
        let stack = &glyphs.stacks[0];
        assert_eq!(stack.name, "DejaVu Sans");
        assert_eq!(stack.range, "0-255");
        let ids: Vec<u32> = stack.glyphs.iter().map(|g| g.id).collect();
        for c in ('!'..='~').chain("éèàçÉ".chars()) {
            assert!(ids.contains(&u32::from(c)), "missing {c}");
        }
        let e = stack
            .glyphs
            .iter()
            .find(|g| g.id == u32::from('e'))
            .unwrap();
        // An SDF bitmap is (width + 2·3) × (height + 2·3) bytes.
        let bitmap = e.bitmap.as_ref().unwrap();
        assert_eq!(bitmap.len() as u32, (e.width + 6) * (e.height + 6));
        assert!(e.advance > 5 && e.advance < 24, "advance {}", e.advance);
    }

    #[test]
    fn a_range_beyond_the_font_is_an_empty_but_valid_message() {
        let font = FontCatalog::default().fonts()[1];
        let glyphs =
            decode(&render_range(&font, GlyphRange::parse("60416-60671").unwrap()).unwrap());
        assert_eq!(glyphs.stacks[0].name, "DejaVu Sans Bold");
        assert!(glyphs.stacks[0].glyphs.is_empty());
    }
}
