// Every map source and layer of the page, as data: ids, source layers, paints, drawing order.
// map.js, gaps.js, project.js and actors.js add them from here; the version refresh (version.js)
// walks TILE_SOURCES to give every vector source the tiles of the new dataset version.
import { ACTOR_GROUPS } from './symbols.js';
import { FONT_BOLD, FONT_REGULAR } from './basemap.js';

/** The 5 sequential classes of the choropleth, light to dark (readable under the QPV outlines). */
export const CLASS_COLORS = ['#f7fbff', '#c6dbef', '#7fa9cf', '#3f7bb5', '#0f4c81'];
export const NO_DATA_COLOR = '#d9d9d9';
export const QPV_COLOR = '#c2185b';
export const HIGHLIGHT_COLOR = '#e65100';
/** QPV names: a darker shade of the QPV outline colour (contrast ≥ 7:1 on white). */
export const QPV_LABEL_COLOR = '#880e4f';
/** Colours of the project sites (same order as the server's report map). */
export const SITE_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
export const SUGGEST_COLOR = '#ffb300';
/** The actor chosen in the Acteurs list: a ring drawn around its symbol. */
export const SELECTED_ACTOR_COLOR = '#ff6f00';

/** Source ids. */
export const SOURCE = 'repere';
export const GAP_SOURCE = 'gaps';
/** The gap tileset: coarse cells at zooms 9-11, 200 m cells from 12. */
export const GAP_SELECTION = 'gaps_1600m,gaps_800m,gaps';

/**
 * The vector tile sources that follow the dataset version: id and tile selection
 * (`/tiles/{selection}.json`). When the version changes each one present on the map gets the
 * new TileJSON's (absolute) tile URLs.
 */
export const TILE_SOURCES = [
  { id: SOURCE, selection: 'all' },
  { id: GAP_SOURCE, selection: GAP_SELECTION },
];

/** Toggleable layer groups: key (in the permalink) → label, the map layers, default visibility. */
export const LAYER_GROUPS = [
  { key: 'communes', label: 'Communes (indicateur choisi)', layers: ['communes-fill'], on: true, source: 'communes' },
  { key: 'qpv2024', label: 'QPV 2024 (contours)', layers: ['qpv-2024-fill', 'qpv-2024-line', 'qpv-2024-label'], on: true, source: 'qpv' },
  { key: 'qpv2015', label: 'QPV 2015 (contours, pour comparer)', layers: ['qpv-2015-line'], on: false, source: 'qpv' },
  { key: 'iris', label: 'IRIS (contours)', layers: ['iris-line'], on: false, source: 'iris' },
  { key: 'stops', label: 'Arrêts de transport en commun', layers: ['stops-circle', 'stops-label'], on: false, source: 'stops' },
  { key: 'actors', label: "Acteurs de l'insertion", layers: ['actors-symbol', 'actors-label', 'actors-label-hover'], on: true, source: 'actors' },
];

/** Opacity of the commune fill: normal, and stepped back while gap or coverage cells are shown. */
export const COMMUNE_FILL_OPACITY = ['interpolate', ['linear'], ['zoom'], 10, 0.85, 14, 0.5];
export const COMMUNE_FILL_OPACITY_BEHIND_CELLS = 0;

/** Thematic layers of the base source (`sourceLayer`: the tile layer; skipped when absent). */
export const BASE_LAYERS = [
  { id: 'communes-fill', type: 'fill', sourceLayer: 'communes',
    paint: { 'fill-color': NO_DATA_COLOR, 'fill-opacity': COMMUNE_FILL_OPACITY } },
  { id: 'communes-line', type: 'line', sourceLayer: 'communes',
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 14, 2] } },
  { id: 'iris-line', type: 'line', sourceLayer: 'iris', layout: { visibility: 'none' },
    paint: { 'line-color': '#263238', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 1.6], 'line-dasharray': [3, 2] } },
  { id: 'qpv-2024-fill', type: 'fill', sourceLayer: 'qpv', filter: ['==', ['get', 'vintage'], 2024],
    paint: { 'fill-color': QPV_COLOR, 'fill-opacity': 0.18 } },
  { id: 'qpv-2024-line', type: 'line', sourceLayer: 'qpv', filter: ['==', ['get', 'vintage'], 2024],
    paint: { 'line-color': QPV_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 14, 3] } },
  { id: 'qpv-2015-line', type: 'line', sourceLayer: 'qpv', filter: ['==', ['get', 'vintage'], 2015],
    layout: { visibility: 'none' },
    paint: { 'line-color': '#4a148c', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 14, 2.5], 'line-dasharray': [3, 2] } },
  { id: 'communes-highlight', type: 'line', sourceLayer: 'communes', filter: ['in', ['get', 'code'], ['literal', []]],
    paint: { 'line-color': HIGHLIGHT_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.5, 14, 5] } },
  { id: 'communes-selected', type: 'line', sourceLayer: 'communes', filter: ['==', ['get', 'code'], ''],
    paint: { 'line-color': '#111111', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 3, 14, 6] } },
  { id: 'stops-circle', type: 'circle', sourceLayer: 'stops', layout: { visibility: 'none' },
    paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 2, 15, 4.5], 'circle-color': '#263238',
      'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } },
  { id: 'actors-selected', type: 'circle', sourceLayer: 'actors', filter: ['==', ['get', 'id'], ''],
    paint: { 'circle-radius': 15, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': SELECTED_ACTOR_COLOR, 'circle-stroke-width': 4 } },
  { id: 'actors-symbol', type: 'symbol', sourceLayer: 'actors',
    layout: {
      'icon-image': ['match', ['get', 'group'], ...ACTOR_GROUPS.flatMap((g) => [g.code, `actor-${g.code}`]), 'actor-AUTRE'],
      'icon-size': ['interpolate', ['linear'], ['zoom'], 9, 0.6, 13, 0.9, 16, 1.1],
      'icon-allow-overlap': true,
      'symbol-sort-key': ['match', ['get', 'group'], ...ACTOR_GROUPS.flatMap((g, i) => [g.code, ACTOR_GROUPS.length - i]), 0],
    } },
];

const HALO = { 'text-halo-color': '#ffffff', 'text-halo-width': 2, 'text-halo-blur': 0.5 };

/** Text layers of the base source, on top of everything, in drawing order. */
export const LABEL_LAYERS = [
  { id: 'stops-label', type: 'symbol', sourceLayer: 'stops', minzoom: 15, layout: {
    visibility: 'none',
    'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11,
    'text-anchor': 'top', 'text-offset': [0, 0.6], 'text-optional': true, 'text-max-width': 9,
  }, paint: { 'text-color': '#263238', ...HALO } },
  { id: 'actors-label', type: 'symbol', sourceLayer: 'actors', minzoom: 15, layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_REGULAR, 'text-size': 11.5,
    'text-anchor': 'top', 'text-offset': [0, 1.1], 'text-max-width': 10, 'text-optional': true,
  }, paint: { 'text-color': '#1e1e1e', ...HALO } },
  { id: 'qpv-2024-label', type: 'symbol', sourceLayer: 'qpv_labels', minzoom: 12, filter: ['==', ['get', 'vintage'], 2024], layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD,
    'text-size': ['interpolate', ['linear'], ['zoom'], 12, 11.5, 16, 14],
    'text-max-width': 8, 'text-padding': 3,
  }, paint: { 'text-color': QPV_LABEL_COLOR, ...HALO } },
  { id: 'communes-label', type: 'symbol', sourceLayer: 'commune_labels', minzoom: 9, layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD,
    'text-size': ['interpolate', ['linear'], ['zoom'], 9, 11, 12, 14, 15, 17],
    'text-max-width': 8, 'text-padding': 4, 'text-letter-spacing': 0.02,
    'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
    'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'], 'text-radial-offset': 0.4,
  }, paint: { 'text-color': '#111111', ...HALO, 'text-halo-width': 2.2 } },
  { id: 'actors-label-hover', type: 'symbol', sourceLayer: 'actors', filter: ['==', ['get', 'id'], ''], layout: {
    'text-field': ['get', 'name'], 'text-font': FONT_BOLD, 'text-size': 12.5,
    'text-anchor': 'top', 'text-offset': [0, 1.1], 'text-max-width': 12,
    'text-allow-overlap': true, 'text-ignore-placement': true,
  }, paint: { 'text-color': '#000000', ...HALO, 'text-halo-width': 2.5 } },
];

/** The gap cells: one fill layer per zoom band, drawn opaque (the colour seen is the legend's). */
export const GAP_LAYERS = [
  { id: 'gaps-fill-1600m', sourceLayer: 'gaps_1600m' },
  { id: 'gaps-fill-800m', sourceLayer: 'gaps_800m' },
  { id: 'gaps-fill-200m', sourceLayer: 'gaps' },
];
export const GAP_FILL_OPACITY = 1;
/**
 * The gap map's "invisibles estimés hors seuil" colouring: the communes (base source) filled by
 * the gap table's estimate per commune (`GET /api/gaps`, disclosed by the server), opaque.
 */
export const GAP_INVISIBLES_LAYER = { id: 'gaps-invisibles-fill', source: SOURCE, sourceLayer: 'communes' };

const colorBySite = ['match', ['get', 'site'], ...SITE_COLORS.flatMap((c, i) => [i, c]), '#555555'];

/** GeoJSON sources of the page (lookup points, project cells and sites, suggestions). */
export const GEOJSON_SOURCES = ['points', 'project-cells', 'project-sites', 'suggest-sites'];

/** Layers of the GeoJSON sources. */
export const POINT_LAYERS = [
  { id: 'points-circle', type: 'circle', source: 'points',
    paint: { 'circle-radius': 7, 'circle-color': ['case', ['get', 'in_qpv'], QPV_COLOR, '#ffffff'],
      'circle-stroke-color': '#111111', 'circle-stroke-width': 2.5 } },
];
export const PROJECT_LAYERS = [
  { id: 'project-cells-fill', type: 'fill', source: 'project-cells', paint: { 'fill-color': colorBySite, 'fill-opacity': 0.85 } },
  { id: 'project-cells-line', type: 'line', source: 'project-cells', paint: { 'line-color': '#ffffff', 'line-width': 0.4 } },
  { id: 'suggest-circle', type: 'circle', source: 'suggest-sites',
    paint: { 'circle-radius': 10, 'circle-color': SUGGEST_COLOR, 'circle-stroke-color': '#3e2723', 'circle-stroke-width': 3 } },
  { id: 'project-sites-circle', type: 'circle', source: 'project-sites',
    paint: { 'circle-radius': 9, 'circle-color': '#ffffff', 'circle-stroke-color': colorBySite, 'circle-stroke-width': 4 } },
];
