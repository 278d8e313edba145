// The basemap under the product's layers (`repere serve --basemap none|ign|<style URL>`, or a
// style URL set in the page). The style JSON is fetched here, not by MapLibre, so that an
// unreachable basemap (offline) is detected once: the page says "fond de carte indisponible" and
// draws its own layers on a plain background, with no stream of console errors.
//
// A reachable style is composed with the product's: its glyphs come from the product's own
// `/fonts/…` endpoint (DejaVu Sans, so every label renders offline-first with the same font), and
// the product's thematic layers go between the basemap's land/water and its labels (before the
// basemap's first symbol layer).

/** The product's glyph endpoint (MapLibre needs an absolute URL). */
export const GLYPHS_URL = `${location.origin}/fonts/{fontstack}/{range}.pbf`;
/** Font stacks the product serves. */
export const FONT_REGULAR = ['DejaVu Sans'];
export const FONT_BOLD = ['DejaVu Sans Bold'];

const FETCH_TIMEOUT_MS = 8000;
const STORAGE_KEY = 'repere.basemap';
export const UNAVAILABLE = 'Fond de carte indisponible : la carte affiche les couches de Repère sur un fond neutre.';

/** The plain style of the product alone. */
export function plainStyle() {
  return {
    version: 8,
    glyphs: GLYPHS_URL,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e3e6ea' } }],
  };
}

/** The style URL to use: the page setting (if any) wins over the server's `--basemap`. */
export function chosenStyleUrl(config) {
  const local = localStorage.getItem(STORAGE_KEY);
  if (local === 'none') return null;
  if (local) return local;
  return config.basemap.style_url;
}

/** Saves the page setting: a URL, 'none', or '' to go back to the server's choice. */
export function saveStyleSetting(value) {
  if (value) localStorage.setItem(STORAGE_KEY, value); else localStorage.removeItem(STORAGE_KEY);
}
export const savedStyleSetting = () => localStorage.getItem(STORAGE_KEY) || '';

/** Replaces every symbol layer's font by the product's (bold stays bold). */
function withProductFonts(layer) {
  if (layer.type !== 'symbol' || !layer.layout || !layer.layout['text-font']) return layer;
  const text = JSON.stringify(layer.layout['text-font']);
  const font = /bold|black|heavy|semibold/i.test(text) ? FONT_BOLD : FONT_REGULAR;
  return { ...layer, layout: { ...layer.layout, 'text-font': font } };
}

/**
 * Resolves to `{ style, beforeId, basemap }`: the composed style and the id of the basemap layer
 * the thematic layers go before (null: on top); `basemap` is false when the style could not be
 * fetched (then `style` is the plain style).
 */
export async function resolveStyle(url) {
  if (!url) return { style: plainStyle(), beforeId: null, basemap: false };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const base = await response.json();
    if (!base || base.version !== 8 || !Array.isArray(base.layers)) throw new Error('style MapLibre invalide');
    const layers = base.layers.map(withProductFonts);
    const firstSymbol = layers.find((l) => l.type === 'symbol');
    return { style: { ...base, glyphs: GLYPHS_URL, layers }, beforeId: firstSymbol ? firstSymbol.id : null, basemap: true };
  } catch {
    // The browser has already logged the failed request; the page says it once (status line).
    return { style: plainStyle(), beforeId: null, basemap: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reports the basemap's own tile or sprite failures once (a reachable style whose tiles are not)
 * instead of MapLibre's console error per tile; other errors go to the console as usual.
 */
export function watchBasemapErrors(map, productSources, onUnavailable) {
  let told = false;
  map.on('error', (e) => {
    const source = e.sourceId || (e.source && e.source.id);
    if (source && productSources.includes(source)) {
      console.error(e.error || e);
      return;
    }
    if (!told) {
      told = true;
      onUnavailable();
    }
  });
}
