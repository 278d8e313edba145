// The MapLibre map: the project's vector tiles over an optional basemap (basemap.js), the layer
// toggles and the choropleth of the communes; the text layers are in maplabels.js.
import * as maplibregl from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { addActorImages } from './symbols.js';
import {
  SOURCE, BASE_LAYERS, LABEL_LAYERS, POINT_LAYERS, CLASS_COLORS, NO_DATA_COLOR, COMMUNE_FILL_OPACITY,
  COMMUNE_FILL_OPACITY_BEHIND_CELLS,
} from './layers.js';

export { maplibregl };
export { SOURCE, LAYER_GROUPS, CLASS_COLORS, NO_DATA_COLOR } from './layers.js';

/** MapLibre's own texts (buttons, tooltips) in French (the `locale` option of the Map). */
export const MAP_LOCALE = {
  'AttributionControl.ToggleAttribution': "Afficher ou masquer l'attribution",
  'AttributionControl.MapFeedback': 'Signaler une erreur de carte',
  'FullscreenControl.Enter': 'Plein écran',
  'FullscreenControl.Exit': 'Quitter le plein écran',
  'GeolocateControl.FindMyLocation': 'Me localiser',
  'GeolocateControl.LocationNotAvailable': 'Position indisponible',
  'LogoControl.Title': 'Logo MapLibre',
  'Map.Title': 'Carte',
  'Marker.Title': 'Repère sur la carte',
  'NavigationControl.ResetBearing': 'Remettre le nord en haut',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'Popup.Close': 'Fermer',
  'ScaleControl.Feet': 'pi',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'GlobeControl.Enable': 'Activer le globe',
  'GlobeControl.Disable': 'Désactiver le globe',
  'TerrainControl.Enable': 'Activer le relief',
  'TerrainControl.Disable': 'Désactiver le relief',
  'CooperativeGesturesHandler.WindowsHelpText': 'Utilisez Ctrl + molette pour zoomer',
  'CooperativeGesturesHandler.MacHelpText': 'Utilisez ⌘ + molette pour zoomer',
  'CooperativeGesturesHandler.MobileHelpText': 'Utilisez deux doigts pour déplacer la carte',
};

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
    locale: MAP_LOCALE,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.enable();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.getCanvas().setAttribute('aria-label', 'Carte interactive : flèches pour se déplacer, + et - pour zoomer');
  return new Promise((resolve) => map.once('load', () => resolve(map)));
}

/**
 * Adds the base tile source (from its TileJSON) and the layers of layers.js whose source layer
 * it has, in drawing order: the thematic layers before `beforeId` (the basemap's first label
 * layer, null: on top), then the text layers above everything.
 */
export function addDataLayers(map, tileJson, beforeId = null) {
  addActorImages(map);
  const tj = tileJson;
  map.addSource(SOURCE, { type: 'vector', tiles: tj.tiles, minzoom: tj.minzoom ?? 0, maxzoom: Math.min(tj.maxzoom ?? TILE_MAX_ZOOM, TILE_MAX_ZOOM), bounds: tj.bounds, attribution: tj.attribution });
  const present = new Set((tj.vector_layers || []).map((l) => l.id));
  const before = beforeId && map.getLayer(beforeId) ? beforeId : undefined;
  const add = ({ sourceLayer, ...layer }, at) => {
    if (!present.has(sourceLayer)) return;
    map.addLayer({ ...layer, source: SOURCE, 'source-layer': sourceLayer }, at);
  };
  for (const layer of BASE_LAYERS) add(layer, before);
  map.addSource('points', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  for (const layer of POINT_LAYERS) map.addLayer(layer, before);
  for (const layer of LABEL_LAYERS) add(layer);
}

/**
 * While gap or coverage cells are shown the commune fill and the QPV tint step back (outlines
 * stay), so the colour seen on a cell is its legend colour; `fromZoom`: the zoom the cells start at.
 */
export function setCellsShown(map, shown, fromZoom = 0) {
  // Below `fromZoom` no cell is drawn (the gap tiles start there): the communes keep their colour.
  const behind = fromZoom > 0 ? ['step', ['zoom'], 0.85, fromZoom, COMMUNE_FILL_OPACITY_BEHIND_CELLS] : COMMUNE_FILL_OPACITY_BEHIND_CELLS;
  if (map.getLayer('communes-fill')) map.setPaintProperty('communes-fill', 'fill-opacity', shown ? behind : COMMUNE_FILL_OPACITY);
  if (map.getLayer('qpv-2024-fill')) map.setPaintProperty('qpv-2024-fill', 'fill-opacity', shown ? (fromZoom > 0 ? ['step', ['zoom'], 0.18, fromZoom, 0] : 0) : 0.18);
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
