// The MapLibre map: the project's vector tiles over an optional basemap (basemap.js), the layer
// toggles and the choropleth of the communes; the text layers are in maplabels.js.
import * as maplibregl from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { addActorImages, ACTOR_GROUPS } from './symbols.js';
import { addLabelLayers } from './maplabels.js';

export { maplibregl };

/** The 5 sequential classes of the choropleth, light to dark (readable under the QPV outlines). */
export const CLASS_COLORS = ['#f7fbff', '#c6dbef', '#7fa9cf', '#3f7bb5', '#0f4c81'];
export const NO_DATA_COLOR = '#d9d9d9';
export const QPV_COLOR = '#c2185b';
export const HIGHLIGHT_COLOR = '#e65100';

/** Toggleable layer groups: key (in the permalink) → label, the map layers, default visibility. */
export const LAYER_GROUPS = [
  { key: 'communes', label: 'Communes (indicateur choisi)', layers: ['communes-fill'], on: true, source: 'communes' },
  { key: 'qpv2024', label: 'QPV 2024 (contours)', layers: ['qpv-2024-fill', 'qpv-2024-line', 'qpv-2024-label'], on: true, source: 'qpv' },
  { key: 'qpv2015', label: 'QPV 2015 (contours, pour comparer)', layers: ['qpv-2015-line'], on: false, source: 'qpv' },
  { key: 'iris', label: 'IRIS (contours)', layers: ['iris-line'], on: false, source: 'iris' },
  { key: 'stops', label: 'Arrêts de transport en commun', layers: ['stops-circle', 'stops-label'], on: false, source: 'stops' },
  { key: 'actors', label: "Acteurs de l'insertion", layers: ['actors-symbol', 'actors-label', 'actors-label-hover'], on: true, source: 'actors' },
];

/** Room around the Métropole when fitting it (the toolbar sits top-left). */
export const FIT_PADDING = { top: 56, bottom: 44, left: 20, right: 20 };

/** Tiles stop at zoom 14 (the z14 grid is 0.6 m at 49°N); the map overzooms them to 18. */
export const TILE_MAX_ZOOM = 14;
export const MAP_MAX_ZOOM = 18;

/** Creates the map in `container` over `style` (see basemap.js); resolves once it is loaded. */
export function createMap(container, { view, bounds, style }) {
  const map = new maplibregl.Map({
    container,
    style,
    center: view ? view.center : undefined,
    zoom: view ? view.zoom : undefined,
    bounds: view ? undefined : bounds,
    fitBoundsOptions: { padding: FIT_PADDING },
    attributionControl: { compact: false },
    maxZoom: MAP_MAX_ZOOM,
    dragRotate: false,
    pitchWithRotate: false,
    cooperativeGestures: false,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.enable();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.getCanvas().setAttribute('aria-label', 'Carte interactive : flèches pour se déplacer, + et - pour zoomer');
  return new Promise((resolve) => map.once('load', () => resolve(map)));
}

/** The tile source id of the base layers (`GET /tiles/all.json`); the gap layers have their own
 * source, added by gaps.js only when shown. */
export const SOURCE = 'repere';

/**
 * Adds the tile source (from its TileJSON) and the layers of the source layers it has, in drawing
 * order: the thematic layers before `beforeId` (the basemap's first label layer, null: on top),
 * then the text layers above everything.
 */
export function addDataLayers(map, tileJson, beforeId = null) {
  addActorImages(map);
  const tj = tileJson;
  map.addSource(SOURCE, { type: 'vector', tiles: tj.tiles, minzoom: tj.minzoom ?? 0, maxzoom: Math.min(tj.maxzoom ?? TILE_MAX_ZOOM, TILE_MAX_ZOOM), bounds: tj.bounds, attribution: tj.attribution });
  const present = new Set((tj.vector_layers || []).map((l) => l.id));
  const before = beforeId && map.getLayer(beforeId) ? beforeId : undefined;
  const add = (layer) => {
    if (!present.has(layer.source)) return;
    map.addLayer({ ...layer, source: SOURCE, 'source-layer': layer.source }, before);
  };

  add({ id: 'communes-fill', type: 'fill', source: 'communes',
    paint: { 'fill-color': NO_DATA_COLOR, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.85, 14, 0.5] } });
  add({ id: 'communes-line', type: 'line', source: 'communes',
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 2] } });
  add({ id: 'iris-line', type: 'line', source: 'iris', layout: { visibility: 'none' },
    paint: { 'line-color': '#263238', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 1.6], 'line-dasharray': [3, 2] } });
  add({ id: 'qpv-2024-fill', type: 'fill', source: 'qpv', filter: ['==', ['get', 'vintage'], 2024],
    paint: { 'fill-color': QPV_COLOR, 'fill-opacity': 0.18 } });
  add({ id: 'qpv-2024-line', type: 'line', source: 'qpv', filter: ['==', ['get', 'vintage'], 2024],
    paint: { 'line-color': QPV_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 14, 3] } });
  add({ id: 'qpv-2015-line', type: 'line', source: 'qpv', filter: ['==', ['get', 'vintage'], 2015],
    layout: { visibility: 'none' },
    paint: { 'line-color': '#4a148c', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 14, 2.5], 'line-dasharray': [3, 2] } });
  add({ id: 'communes-highlight', type: 'line', source: 'communes', filter: ['in', ['get', 'code'], ['literal', []]],
    paint: { 'line-color': HIGHLIGHT_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 14, 5] } });
  add({ id: 'communes-selected', type: 'line', source: 'communes', filter: ['==', ['get', 'code'], ''],
    paint: { 'line-color': '#111111', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 6] } });
  add({ id: 'stops-circle', type: 'circle', source: 'stops', layout: { visibility: 'none' },
    paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2, 15, 4.5], 'circle-color': '#263238',
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
  add({ id: 'actors-symbol', type: 'symbol', source: 'actors',
    layout: {
      'icon-image': ['match', ['get', 'group'], ...ACTOR_GROUPS.flatMap((g) => [g.code, `actor-${g.code}`]), 'actor-AUTRE'],
      'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 13, 0.9, 16, 1.1],
      'icon-allow-overlap': true,
      'symbol-sort-key': ['match', ['get', 'group'], ...ACTOR_GROUPS.flatMap((g, i) => [g.code, ACTOR_GROUPS.length - i]), 0],
    } });

  map.addSource('points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({ id: 'points-circle', type: 'circle', source: 'points',
    paint: { 'circle-radius': 7, 'circle-color': ['case', ['get', 'in_qpv'], QPV_COLOR, '#ffffff'],
      'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 } }, before);

  addLabelLayers(map, SOURCE, present);
}

/** Shows or hides one layer group. */
export function setGroupVisible(map, group, visible) {
  for (const id of group.layers) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

/**
 * Quantile class breaks (at most 5 classes) of the finite values; the breaks are the lower bounds
 * of classes 2…n, so class i holds breaks[i-1] <= v < breaks[i].
 */
export function classBreaks(values, n = 5) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { min: null, max: null, breaks: [] };
  const distinct = [...new Set(v)];
  const k = Math.min(n, distinct.length);
  const breaks = [];
  for (let i = 1; i < k; i++) {
    const q = v[Math.floor((i * v.length) / k)];
    if (q > v[0] && !breaks.includes(q)) breaks.push(q);
  }
  return { min: v[0], max: v[v.length - 1], breaks };
}

/** Paints the communes by `field` with the given breaks. */
export function setChoropleth(map, field, breaks) {
  if (!map.getLayer('communes-fill')) return;
  if (!field) {
    map.setPaintProperty('communes-fill', 'fill-color', NO_DATA_COLOR);
    return;
  }
  const colors = CLASS_COLORS.slice(CLASS_COLORS.length - (breaks.length + 1));
  let color = colors[0];
  if (breaks.length) {
    color = ['step', ['to-number', ['get', field]], colors[0]];
    breaks.forEach((b, i) => color.push(b, colors[i + 1]));
  }
  map.setPaintProperty('communes-fill', 'fill-color', ['case', ['has', field], color, NO_DATA_COLOR]);
}
