// Text layers of the map, above every thematic layer, in the product's own font (DejaVu, served
// by `/fonts/…`): commune names from zoom 9 (bold, the larger commune wins a collision), QPV 2024
// names from zoom 12, actor and stop names from zoom 15, and an actor's name on hover or when its
// popup is open. Dark text with a white halo reads on every choropleth class, light to dark.
import { FONT_BOLD, FONT_REGULAR } from './basemap.js';

/** QPV names: a darker shade of the QPV outline colour (contrast ≥ 7:1 on white). */
export const QPV_LABEL_COLOR = '#880e4f';

const HALO = { 'text-halo-color': '#ffffff', 'text-halo-width': 2, 'text-halo-blur': 0.5 };

/** Text layer ids in drawing order (the last one is drawn on top and placed first). */
export const LABEL_LAYERS = ['stops-label', 'actors-label', 'qpv-2024-label', 'communes-label', 'actors-label-hover'];

/** Adds the text layers on top of the map; `present` is the set of source layers the tiles have. */
export function addLabelLayers(map, source, present) {
  const add = (layer, sourceLayer) => {
    if (!present.has(sourceLayer)) return;
    map.addLayer({ ...layer, source, 'source-layer': sourceLayer });
  };
  add({ id: 'stops-label', type: 'symbol', minzoom: 15, layout: {
    visibility: 'none',
    'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11,
    'text-anchor': 'top', 'text-offset': [0, 0.6], 'text-optional': true, 'text-max-width': 9,
  }, paint: { 'text-color': '#263238', ...HALO } }, 'stops');
  add({ id: 'actors-label', type: 'symbol', minzoom: 15, layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11.5,
    'text-anchor': 'top', 'text-offset': [0, 1.1], 'text-max-width': 10, 'text-optional': true,
  }, paint: { 'text-color': '#1e1e1e', ...HALO } }, 'actors');
  add({ id: 'qpv-2024-label', type: 'symbol', minzoom: 12, filter: ['==', ['get', 'vintage'], 2024], layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD,
    'text-size': ['interpolate', ['linear'], ['zoom'], 12, 11.5, 16, 14],
    'text-max-width': 8, 'text-padding': 3,
  }, paint: { 'text-color': QPV_LABEL_COLOR, ...HALO } }, 'qpv_labels');
  add({ id: 'communes-label', type: 'symbol', minzoom: 9, layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD,
    'text-size': ['interpolate', ['linear'], ['zoom'], 9, 11, 12, 14, 15, 17],
    'text-max-width': 8, 'text-padding': 4, 'text-letter-spacing': 0.02,
    'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
    'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.4,
  }, paint: { 'text-color': '#111111', ...HALO, 'text-halo-width': 2.2 } }, 'commune_labels');
  add({ id: 'actors-label-hover', type: 'symbol', filter: ['==', ['get', 'id'], ''], layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD, 'text-size': 12.5,
    'text-anchor': 'top', 'text-offset': [0, 1.1], 'text-max-width': 12,
    'text-allow-overlap': true, 'text-ignore-placement': true,
  }, paint: { 'text-color': '#000000', ...HALO, 'text-halo-width': 2.5 } }, 'actors');
}

/** Shows the name of actor `id` whatever the zoom ('' hides it). */
export function showActorName(map, id) {
  if (map.getLayer('actors-label-hover')) map.setFilter('actors-label-hover', ['==', ['get', 'id'], id || '']);
}

/** Actor names on hover (mouse) over their symbols. */
export function initActorHover(map) {
  if (!map.getLayer('actors-symbol')) return;
  map.on('mousemove', 'actors-symbol', (e) => { if (e.features && e.features[0]) showActorName(map, e.features[0].properties.id); });
  map.on('mouseleave', 'actors-symbol', () => showActorName(map, ''));
}
