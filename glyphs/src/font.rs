//! The fonts served and how a requested font stack resolves to one of them.

use crate::GlyphError;

/// One font served: its stack name (what a style writes in `text-font`) and its TrueType bytes.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    /// The stack name, e.g. `DejaVu Sans`.
    pub name: &'static str,
    /// The TrueType file.
    pub ttf: &'static [u8],
}

/// The fonts served, in a fixed order (the first is the default of the page's labels).
#[derive(Debug, Clone)]
pub struct FontCatalog {
    fonts: Vec<Font>,
}

impl Default for FontCatalog {
    /// DejaVu Sans and DejaVu Sans Bold (from the `dejavu` crate, Bitstream Vera licence).
    fn default() -> Self {
        Self {
            fonts: vec![
                Font {
                    name: "DejaVu Sans",
                    ttf: dejavu::sans::regular(),
                },
                Font {
                    name: "DejaVu Sans Bold",
                    ttf: dejavu::sans::bold(),
                },
            ],
        }
    }
}

impl FontCatalog {
    /// The fonts served.
    pub fn fonts(&self) -> &[Font] {
        &self.fonts
    }

    /// The index of the font a requested stack resolves to: the stack is a comma-separated
    /// list of font names (MapLibre joins `text-font` with commas) and the first name served
    /// wins, so `DejaVu Sans Bold,Arial` is DejaVu Sans Bold.
    ///
    /// # Errors
    /// [`GlyphError::UnknownFontStack`] when no name of the stack is served.
    ///
    /// # Examples
    /// ```
    /// use repere_glyphs::FontCatalog;
    /// let fonts = FontCatalog::default();
    /// assert_eq!(fonts.resolve("Open Sans,DejaVu Sans Bold").unwrap(), 1);
    /// assert!(fonts.resolve("Comic Sans").is_err());
    /// ```
    pub fn resolve(&self, stack: &str) -> Result<usize, GlyphError> {
        stack
            .split(',')
            .map(str::trim)
            .find_map(|name| self.fonts.iter().position(|f| f.name == name))
            .ok_or_else(|| GlyphError::UnknownFontStack {
                stack: stack.to_owned(),
                available: self
                    .fonts
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}
