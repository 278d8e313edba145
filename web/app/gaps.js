// "Zones blanches" tab: where young people live far from the actors of a group. The gap cells come
// from their own tileset (`/tiles/gaps_1600m,gaps_800m,gaps.json`), added to the map only when the
// layer is first shown (MapLibre requests no tile for a hidden layer); the threshold, the group and
// the colouring are applied here, on the minutes the tiles carry. The per-commune and per-QPV
// table (`GET /api/gaps`) is the text alternative of the layer.
//
// The gap state (group, threshold, mode, colour, shown) is the store's `gap`; a new dataset
// version reloads the table (the tile source itself is refreshed by version.js). While cells
// are shown the commune fill steps back and the cells are opaque: the colour seen is the
// legend's. A group whose actors are all known by address only is not called absent: the
// notice says how many wait to be placed and opens them in the Acteurs tab.
import * as api from './api.js';
import { censusText } from './labels.js';
import { ACTOR_GROUPS } from './symbols.js';
import { store } from './store.js';
import { GAP_SELECTION, GAP_SOURCE, GAP_LAYERS, GAP_FILL_OPACITY, GAP_INVISIBLES_LAYER } from './layers.js';
import { setCellsShown } from './map.js';
import { showToPlace, toPlaceByGroup } from './actors.js';
import { el, fmt, fmtDistance, toCsv, download } from './util.js';
import { selectLayers } from './pmtiles.js';

export { GAP_SELECTION, GAP_SOURCE, GAP_LAYERS };

/** The TileJSON entry of a gap layer (`cell_m`: side of its cells, metres). */
function layerInfo(view, sourceLayer) {
  return view.tj.vector_layers.find((l) => l.id === sourceLayer);
}

/** Which cells each zoom shows, from the TileJSON. */
function cellsHint(view) {
  const parts = GAP_LAYERS.map((g) => layerInfo(view, g.sourceLayer))
    .filter((l) => l && l.cell_m)
    .sort((a, b) => a.minzoom - b.minzoom)
    .map((l, i, all) => {
      const zooms = i === all.length - 1 ? `à partir du zoom ${l.minzoom}`
        : l.minzoom === l.maxzoom ? `zoom ${l.minzoom}` : `zooms ${l.minzoom} à ${l.maxzoom}`;
      return `${zooms} : carreaux de ${fmtDistance(l.cell_m)}`;
    });
  const s = parts.join(' ; ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)} (les plus grands : temps moyen pondéré par les jeunes). Jeunes estimés par répartition uniforme des effectifs du ${censusText()}.`;
}
/** The groups offered (the engine's expected groups). */
export const GAP_GROUPS = ACTOR_GROUPS.filter((g) => g.code !== 'AUTRE');

/** Minutes classes, as multiples of the threshold T: two within (blues), three beyond (oranges to dark red). */
export const MINUTE_CLASSES = [
  { upTo: 0.5, color: '#2c7bb6', text: (t) => `moins de ${fmt(t / 2, 1)} min` },
  { upTo: 1, color: '#abd9e9', text: (t) => `de ${fmt(t / 2, 1)} à ${fmt(t, 0)} min (dans le seuil)` },
  { upTo: 1.5, color: '#fdae61', text: (t) => `de ${fmt(t, 0)} à ${fmt(t * 1.5, 1)} min (au-delà du seuil)` },
  { upTo: 2, color: '#f46d43', text: (t) => `de ${fmt(t * 1.5, 1)} à ${fmt(t * 2, 0)} min` },
  { upTo: Infinity, color: '#a50026', text: (t) => `plus de ${fmt(t * 2, 0)} min` },
];
/** Densities of young people 15-29 in cells beyond the threshold (per km²). */
export const YOUTH_CLASSES = [
  { upTo: 250, color: '#fee8c8', text: 'moins de 250 jeunes par km²' },
  { upTo: 1000, color: '#fdbb84', text: 'de 250 à 1 000 jeunes par km²' },
  { upTo: 3000, color: '#e34a33', text: 'de 1 000 à 3 000 jeunes par km²' },
  { upTo: Infinity, color: '#7f0000', text: 'plus de 3 000 jeunes par km²' },
];

/**
 * Invisibles estimated beyond the threshold per commune (the gap table's column, disclosed by the
 * server: multiples of 10 from 20, or "< 11"): four classes, and the secret ones apart.
 */
export const INVISIBLES_CLASSES = [
  { upTo: 50, color: '#dadaeb', text: 'de 20 à 50 jeunes' },
  { upTo: 100, color: '#9e9ac8', text: 'de 60 à 100 jeunes' },
  { upTo: 250, color: '#6a51a3', text: 'de 110 à 250 jeunes' },
  { upTo: Infinity, color: '#3f007d', text: 'plus de 250 jeunes' },
];
/** A commune whose estimate is under 11 ("< 11", statistical secrecy). */
export const INVISIBLES_SECRET_COLOR = '#bdbdbd';

/** The colour of a disclosed estimate (`undefined`: no local count, not coloured). */
export function invisiblesColor(v) {
  if (v === undefined || v === null) return null;
  if (v === '< 11') return INVISIBLES_SECRET_COLOR;
  return INVISIBLES_CLASSES.find((c) => v <= c.upTo).color;
}

const $ = (id) => document.getElementById(id);

/** The class index (in MINUTE_CLASSES) of `minutes` at threshold `t`. */
export function minuteClass(minutes, t) {
  return MINUTE_CLASSES.findIndex((c) => minutes < c.upTo * t || c.upTo === Infinity);
}

let ctx = null;
/** What the gap tab keeps besides the store's `gap`: the TileJSON, the transit state, the table. */
const view = { tj: null, transit: false, transitNote: '', summary: null, sort: { table: 'communes', key: 'youth_in_gaps', dir: -1 }, opened: false };
const gapState = () => store.get().gap;
const setGap = (patch) => store.set({ gap: { ...gapState(), ...patch } });

export async function initGaps(context) {
  ctx = context;
  const gs = gapState();
  // Controls.
  $('gap-group').replaceChildren(...GAP_GROUPS.map((g) => el('option', { value: g.code }, g.label)));
  $('gap-group').value = gs.group;
  $('gap-minutes').value = String(gs.minutes);
  $('gap-minutes-out').textContent = `${gs.minutes} min`;
  $('gap-colour').value = gs.colour;
  try {
    const t = await api.transport();
    view.transit = t.timetable;
    // The engine's method note, a clause: written as a sentence here.
    view.transitNote = `${t.gaps_method.charAt(0).toUpperCase()}${t.gaps_method.slice(1)}.`;
  } catch (e) {
    view.transit = false;
    view.transitNote = `État du réseau de transport indisponible (${e.message}) : l'accès est mesuré à pied.`;
  }
  const transitOpt = $('gap-mode').querySelector('option[value="transit"]');
  transitOpt.disabled = !view.transit;
  if (!view.transit && gs.mode !== 'walk') setGap({ mode: 'walk' });
  $('gap-mode').value = gapState().mode;
  // How the engine measures access for the gap map (with or without the feed's timetable).
  $('gap-mode-note').textContent = view.transitNote;
  $('gap-show').checked = gs.shown;

  const changed = () => {
    $('gap-minutes-out').textContent = `${$('gap-minutes').value} min`;
    setGap({ group: $('gap-group').value, minutes: Number($('gap-minutes').value), mode: $('gap-mode').value, colour: $('gap-colour').value });
  };
  for (const id of ['gap-group', 'gap-mode', 'gap-colour']) $(id).addEventListener('change', changed);
  $('gap-minutes').addEventListener('input', changed);
  $('gap-show').addEventListener('change', () => setGap({ shown: $('gap-show').checked }));
  $('gap-export').addEventListener('click', () => exportCsv());
  // Opening the tab the first time shows the layer (the tiles are requested from then on).
  $('tab-gaps').addEventListener('click', () => {
    if (gapState().shown || view.opened) return;
    view.opened = true;
    $('gap-show').checked = true;
    setGap({ shown: true });
  });
  store.subscribe('gap', () => apply());
  // A new version: the TileJSON again (the groups present may have changed), then the table.
  store.subscribe('version', () => { if (!ctx.pmtiles) view.tj = null; apply(); });
  store.subscribe('inventory', () => apply());
  await apply();
}

/** Whether the loaded data hold an actor of `group` (the gap tiles carry its minutes). */
function groupPresent(group) {
  const layer = view.tj.vector_layers.find((l) => l.id === 'gaps');
  return Boolean(layer && `walk_min_${group}` in layer.fields);
}

async function ensureSource() {
  if (view.tj) return;
  // From the PMTiles archive when the page reads its tiles there (it holds the gap layers too).
  view.tj = ctx.pmtiles ? selectLayers(ctx.pmtiles, GAP_SELECTION.split(',')) : await api.tileJson(GAP_SELECTION);
  const map = ctx.map;
  if (map.getSource(GAP_SOURCE)) return;
  map.addSource(GAP_SOURCE, { type: 'vector', tiles: view.tj.tiles, minzoom: view.tj.minzoom, maxzoom: view.tj.maxzoom, bounds: view.tj.bounds });
  // Under the commune and QPV outlines, so limits and quarters stay readable over the cells.
  const before = ['communes-line', 'qpv-2024-fill'].find((id) => map.getLayer(id));
  for (const l of GAP_LAYERS) {
    map.addLayer({ id: l.id, type: 'fill', source: GAP_SOURCE, 'source-layer': l.sourceLayer, layout: { visibility: 'none' },
      paint: { 'fill-color': '#000000', 'fill-opacity': GAP_FILL_OPACITY, 'fill-outline-color': 'rgba(0, 0, 0, 0)' } }, before);
  }
}

function minutesField(view) {
  return `${view.mode === 'transit' ? 'transit_min' : 'walk_min'}_${view.group}`;
}

function paint() {
  const map = ctx.map;
  const gs = gapState();
  const field = minutesField(gs);
  const t = gs.minutes;
  for (const l of GAP_LAYERS) {
    let color;
    let filter = ['has', field];
    if (gs.colour === 'min') {
      color = ['step', ['to-number', ['get', field]], MINUTE_CLASSES[0].color];
      MINUTE_CLASSES.slice(1).forEach((c, i) => color.push(MINUTE_CLASSES[i].upTo * t, c.color));
    } else {
      const cellM = layerInfo(view, l.sourceLayer).cell_m;
      const density = ['/', ['to-number', ['get', 'youth_15_29']], (cellM * cellM) / 1e6];
      color = ['step', density, YOUTH_CLASSES[0].color];
      YOUTH_CLASSES.slice(1).forEach((c, i) => color.push(YOUTH_CLASSES[i].upTo, c.color));
      filter = ['all', ['has', field], ['>', ['to-number', ['get', field]], t]];
    }
    map.setPaintProperty(l.id, 'fill-color', color);
    map.setFilter(l.id, filter);
  }
}

let cellsShown = false;
function setVisible(on) {
  for (const l of GAP_LAYERS) if (ctx.map.getLayer(l.id)) ctx.map.setLayoutProperty(l.id, 'visibility', on ? 'visible' : 'none');
  cellsShown = on;
  const project = projectCellsShown();
  setCellsShown(ctx.map, on || project, on && !project ? view.tj.minzoom : 0);
}
/** Whether the coverage cells of the Projet tab are on the map (they step the fill back too). */
const projectCellsShown = () => Boolean(ctx.map.getSource('project-cells') && ctx.map.getSource('project-cells').serialize().data.features.length);
/** Whether the gap cells are shown (for project.js, which shares the stepped-back fill). */
export const gapCellsShown = () => cellsShown;

function groupLabel(code) {
  return GAP_GROUPS.find((g) => g.code === code)?.label || code;
}

/** The notice for a group with no placed actor: waiting to be placed, or absent. */
function absentNotice(group, label) {
  const waiting = toPlaceByGroup()[group] || 0;
  if (waiting > 0) {
    const link = el('button', { type: 'button', class: 'link to-place-link', 'data-group': group }, `voir les ${fmt(waiting, 0)} à localiser dans l'onglet Acteurs`);
    link.addEventListener('click', () => showToPlace(group));
    return [`Aucun acteur « ${label} » n'est encore placé sur la carte : ${fmt(waiting, 0)} à localiser, connu${waiting > 1 ? 's' : ''} par leur adresse seulement (`, link,
      "). Rien n'est peint comme zone blanche tant qu'aucun n'est placé : l'accès ne peut pas être mesuré."];
  }
  return [`Aucun acteur « ${label} » dans les données chargées : ce groupe est absent des données. Rien n'est peint comme zone blanche, faute de pouvoir mesurer l'accès ; ajoutez une source d'acteurs au territoire pour ce groupe.`];
}

let applying = Promise.resolve();
/** Applies the state: layer, legend, message, table (one at a time, in order). */
function apply() {
  applying = applying.then(applyNow, applyNow);
  return applying;
}

async function applyNow() {
  const gs = gapState();
  if (gs.shown || view.tj) await ensureSource();
  const present = view.tj ? groupPresent(gs.group) : true;
  const label = groupLabel(gs.group);
  const absent = $('gap-absent');
  absent.hidden = present;
  absent.replaceChildren(...(present ? [] : absentNotice(gs.group, label)));
  const invisibles = gs.colour === 'invisibles';
  if (view.tj) {
    if (present && !invisibles) paint();
    setVisible(gs.shown && present && !invisibles);
  }
  if (!invisibles) { paintInvisibles(false); renderLegend(present); }
  await loadTable(present);
  if (invisibles) {
    paintInvisibles(gs.shown && present);
    renderLegend(present);
  }
  // The invisibles colouring needs local follow-up counts (the table's column).
  const option = $('gap-colour').querySelector('option[value="invisibles"]');
  if (view.summary) option.disabled = !hasInvisibles(view.summary);
}

/** Whether the gap table carries invisibles (the territory has local follow-up counts). */
const hasInvisibles = (summary) => summary.communes.some((r) => r.invisibles_outside_est !== undefined);

/** The communes coloured by their invisibles beyond the threshold, from the table's values. */
function paintInvisibles(on) {
  const map = ctx.map;
  const l = GAP_INVISIBLES_LAYER;
  if (!map.getLayer(l.id)) {
    if (!on || !map.getSource(l.source)) return;
    const before = ['communes-line', 'qpv-2024-fill'].find((id) => map.getLayer(id));
    map.addLayer({ id: l.id, type: 'fill', source: l.source, 'source-layer': l.sourceLayer, layout: { visibility: 'none' },
      paint: { 'fill-color': 'rgba(0, 0, 0, 0)', 'fill-opacity': 1 } }, before);
  }
  const pairs = (view.summary ? view.summary.communes : [])
    .map((r) => [r.code, invisiblesColor(r.invisibles_outside_est)])
    .filter(([, c]) => c);
  const shown = on && pairs.length > 0;
  if (pairs.length) {
    map.setPaintProperty(l.id, 'fill-color', ['match', ['get', 'code'], ...pairs.flat(), 'rgba(0, 0, 0, 0)']);
    // Communes without a local count are not drawn at all (only outlined, as the legend says).
    map.setFilter(l.id, ['in', ['get', 'code'], ['literal', pairs.map(([code]) => code)]]);
  }
  map.setLayoutProperty(l.id, 'visibility', shown ? 'visible' : 'none');
  // The commune choropleth steps back under this colouring, as under the cells (whose own
  // stepping, by zoom, setVisible keeps when they are the ones shown).
  if (shown) setCellsShown(map, true, 0);
  else if (!cellsShown) setCellsShown(map, projectCellsShown(), 0);
}

/** The legend of the gap layer: its own container, so other legends can live beside it. */
function renderLegend(present) {
  const box = $('gaps-legend');
  box.replaceChildren();
  if (!present) return;
  const gs = gapState();
  const label = groupLabel(gs.group);
  const mode = gs.mode === 'transit' ? 'à pied et en transport en commun' : 'à pied';
  if (gs.colour === 'invisibles') {
    const mode = gs.mode === 'transit' ? 'à pied et en transport en commun' : 'à pied';
    if (!view.summary || !hasInvisibles(view.summary)) {
      box.append(el('p', { class: 'hint', id: 'gap-invisibles-none' }, 'Invisibles estimés hors seuil : aucun comptage local de jeunes suivis n\'est chargé ; ajoutez au manifeste des fichiers [[followup.counts]] (mission locale, France Travail…) pour colorer les communes.'));
      return;
    }
    const sw = (color, extra = '') => el('span', { class: 'swatch', style: `background:${color}${extra}`, 'aria-hidden': 'true', 'data-color': color });
    box.append(
      el('p', { class: 'legend-title' }, `Invisibles estimés hors seuil : jeunes NEET estimés sans suivi à plus de ${gs.minutes} min ${mode} d'un acteur « ${label} », par commune`),
      el('ul', { id: 'gap-invisibles-legend' },
        INVISIBLES_CLASSES.map((c) => el('li', {}, sw(c.color), c.text)),
        el('li', {}, sw(INVISIBLES_SECRET_COLOR), '< 11 (secret statistique)'),
        el('li', {}, el('span', { class: 'swatch', style: 'background:transparent;border:1px solid #777', 'aria-hidden': 'true' }), 'pas de comptage local de jeunes suivis : non colorée')),
      el('p', { class: 'hint' }, 'Milieu de la fourchette des invisibles de la commune × part de ses jeunes au-delà du seuil, arrondi à la dizaine ; sources et dates des comptages sur la fiche de la commune. Les valeurs sont celles du tableau ci-dessous.'),
    );
    return;
  }
  if (gs.colour === 'min') {
    box.append(
      el('p', { class: 'legend-title' }, `Minutes ${mode} jusqu'à l'acteur « ${label} » le plus proche (seuil ${gs.minutes} min)`),
      el('ul', {}, MINUTE_CLASSES.map((c) => el('li', {}, el('span', { class: 'swatch', style: `background:${c.color}`, 'aria-hidden': 'true', 'data-color': c.color }), c.text(gs.minutes)))),
    );
  } else {
    box.append(
      el('p', { class: 'legend-title' }, `Jeunes de 15 à 29 ans dans les carreaux à plus de ${gs.minutes} min ${mode} d'un acteur « ${label} »`),
      el('ul', {}, YOUTH_CLASSES.map((c) => el('li', {}, el('span', { class: 'swatch', style: `background:${c.color}`, 'aria-hidden': 'true' }), c.text))),
      el('p', { class: 'hint' }, 'Carreaux dans le seuil : non colorés.'),
    );
  }
  if (view.tj) box.append(el('p', { class: 'hint', id: 'gap-cells-hint' }, cellsHint(view)));
  box.append(el('p', { class: 'hint' }, "Tant que les carreaux sont affichés, les communes ne sont plus colorées (contours seuls) : la couleur d'un carreau est celle de la légende."));
}

async function loadTable(present) {
  const gs = gapState();
  const status = $('gap-status');
  const tables = $('gap-tables');
  if (!present) {
    view.summary = null;
    tables.hidden = true;
    status.textContent = '';
    $('gap-export').disabled = true;
    return;
  }
  status.textContent = 'Calcul du tableau…';
  try {
    const key = `${gs.group},${gs.minutes}`;
    const s = await api.gaps(gs.group, gs.minutes);
    if (`${gapState().group},${gapState().minutes}` !== key) return;
    view.summary = s;
    tables.hidden = false;
    $('gap-export').disabled = false;
    const youth = s.communes.reduce((a, c) => a + c.youth_in_gaps, 0);
    const waiting = toPlaceByGroup()[gs.group] || 0;
    status.textContent = `Zones blanches « ${groupLabel(gs.group)} » à ${gs.minutes} min : ${fmt(youth, 0)} jeunes de 15-29 ans estimés au total (${s.transit ? 'transport en commun' : 'à pied'}), données version ${String(store.get().version).slice(0, 12)}.${waiting ? ` ${fmt(waiting, 0)} acteur(s) de ce groupe à localiser ne comptent pas encore.` : ''}`;
    status.dataset.version = store.get().version || '';
    renderTables(view);
  } catch (e) {
    status.textContent = `Tableau indisponible : ${e.message}`;
  }
}

const BASE_COLUMNS = [
  { key: 'name', label: 'Nom', num: false },
  { key: 'youth_in_gaps', label: 'Jeunes en zone blanche', num: true, digits: 0 },
  { key: 'share_in_gaps_pct', label: 'Part des jeunes (%)', num: true, digits: 1 },
  { key: 'gap_cells', label: 'Carreaux', num: true, digits: 0 },
];

/** The "invisibles estimés hors seuil" column, when the territory has follow-up counts. */
const INVISIBLES_COLUMN = { key: 'invisibles_outside_est', label: 'Invisibles estimés hors seuil', num: true, digits: 0 };
/** A sortable number: a value under statistical secrecy ("< 11") sorts below every shown one. */
const sortable = (x) => (x === '< 11' ? 0 : x === undefined ? -1 : x);

function renderTables(view) {
  const withInvisibles = [...view.summary.communes, ...view.summary.qpv].some((r) => r.invisibles_outside_est !== undefined);
  const COLUMNS = withInvisibles ? [...BASE_COLUMNS, INVISIBLES_COLUMN] : BASE_COLUMNS;
  for (const [table, rowsKey, caption] of [['gap-communes', 'communes', 'Par commune'], ['gap-qpv', 'qpv', 'Par quartier prioritaire (QPV 2024)']]) {
    const t = $(table);
    const sort = view.sort.table === rowsKey ? view.sort : { key: 'youth_in_gaps', dir: -1 };
    const rows = [...view.summary[rowsKey]].sort((a, b) => {
      const x = sort.key === 'name' ? a[sort.key] : sortable(a[sort.key]);
      const y = sort.key === 'name' ? b[sort.key] : sortable(b[sort.key]);
      return (typeof x === 'string' ? x.localeCompare(y, 'fr') : x - y) * sort.dir;
    });
    const head = el('tr', {}, COLUMNS.map((c) => {
      const ariaSort = sort.key === c.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none';
      const btn = el('button', { type: 'button', class: 'link', onclick: () => {
        view.sort = { table: rowsKey, key: c.key, dir: sort.key === c.key ? -sort.dir : (c.num ? -1 : 1) };
        renderTables(view);
      } }, c.label);
      return el('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': ariaSort }, btn);
    }));
    const body = rows.map((r) => el('tr', { 'data-code': r.code }, COLUMNS.map((c) => (c.num
      ? el('td', { class: 'num', 'data-key': c.key }, fmt(r[c.key], c.digits))
      : el('td', {}, `${r.name} (${r.code})`)))));
    t.replaceChildren(
      el('caption', {}, `${caption} : jeunes de 15-29 ans (${censusText()}) à plus de ${gapState().minutes} min d'un acteur « ${groupLabel(gapState().group)} » (cliquez un en-tête pour trier)`),
      el('thead', {}, head), el('tbody', {}, body));
  }
}

function exportCsv() {
  if (!view.summary) return;
  const gs = gapState();
  const header = ['niveau', 'code', 'nom', 'groupe', 'seuil_min', 'jeunes_15_29', 'jeunes_en_zone_blanche', 'part_pct', 'carreaux', 'invisibles_hors_seuil_est'];
  const rows = [];
  for (const [level, list] of [['commune', view.summary.communes], ['qpv', view.summary.qpv]]) {
    for (const r of list) rows.push([level, r.code, r.name, gs.group, gs.minutes, Math.round(r.youth_15_29 * 10) / 10, Math.round(r.youth_in_gaps * 10) / 10, Math.round(r.share_in_gaps_pct * 10) / 10, r.gap_cells, r.invisibles_outside_est ?? '']);
  }
  download(`zones-blanches_${gs.group}_${gs.minutes}min.csv`, toCsv(header, rows));
}
