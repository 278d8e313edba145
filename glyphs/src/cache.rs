//! [`GlyphCache`]: each (font, range) rendered on first request and kept (at most
//! 2 fonts × 256 ranges; a Latin range is about 70 kB).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::{FontCatalog, GlyphError, GlyphRange, render_range};

/// Rendered ranges by (font index in the catalogue, range).
type Rendered = HashMap<(usize, GlyphRange), Arc<Vec<u8>>>;

/// The font catalogue with the ranges already rendered. Cheap to share behind an `Arc`.
#[derive(Debug, Default)]
pub struct GlyphCache {
    fonts: FontCatalog,
    rendered: Mutex<Rendered>,
}

impl GlyphCache {
    /// An empty cache over `fonts`.
    pub fn new(fonts: FontCatalog) -> Self {
        Self {
            fonts,
            rendered: Mutex::default(),
        }
    }

    /// The fonts served.
    pub fn fonts(&self) -> &FontCatalog {
        &self.fonts
    }

    /// The PBF bytes of `range` for the font `stack` resolves to, rendered now if needed.
    /// Rendering runs outside the lock (two first requests of one range may both render it;
    /// the bytes are identical).
    ///
    /// # Errors
    /// [`GlyphError::UnknownFontStack`] for a stack with no served font; [`GlyphError::Render`]
    /// if rendering fails.
    pub fn get(&self, stack: &str, range: GlyphRange) -> Result<Arc<Vec<u8>>, GlyphError> {
        let index = self.fonts.resolve(stack)?;
        let key = (index, range);
        if let Some(hit) = self.lock().get(&key) {
            return Ok(Arc::clone(hit));
        }
        let bytes = Arc::new(render_range(&self.fonts.fonts()[index], range)?);
        self.lock().insert(key, Arc::clone(&bytes));
        Ok(bytes)
    }

    /// How many ranges are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no range is kept yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Rendered> {
        // The map holds only finished values: a panic elsewhere cannot leave it half-written.
        self.rendered.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_rendered_once_and_then_served_from_memory() {
        let cache = GlyphCache::default();
        let range = GlyphRange::parse("0-255").unwrap();
        let first = cache.get("DejaVu Sans", range).unwrap();
        let second = cache.get("Noto Sans Regular, DejaVu Sans", range).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(cache.len(), 1);
        assert!(matches!(
            cache.get("Comic Sans", range),
            Err(GlyphError::UnknownFontStack { .. })
        ));
    }
}
