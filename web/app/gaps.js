// "Zones blanches" tab: where young people live far from the actors of a group. The gap cells come
// from their own tileset (`/tiles/gaps_1600m,gaps_800m,gaps.json`), added to the map only when the
// layer is first shown (MapLibre requests no tile for a hidden layer); the threshold, the group and
// the colouring are applied here, on the minutes the tiles carry. The per-commune and per-QPV
// table (`GET /api/gaps`) is the text alternative of the layer.
import * as api from './api.js';
import { ACTOR_GROUPS } from './symbols.js';
import { el, fmt, fmtDistance, toCsv, download } from './util.js';
import { selectLayers } from './pmtiles.js';

/** The gap tileset: coarse cells at zooms 9-11, 200 m cells from 12. */
export const GAP_SELECTION = 'gaps_1600m,gaps_800m,gaps';
export const GAP_SOURCE = 'gaps';
/** One fill layer per zoom band; the side of its cells (densities, the hint) comes from the
 * TileJSON's `vector_layers[].cell_m`, written by the engine. */
export const GAP_LAYERS = [
  { id: 'gaps-fill-1600m', sourceLayer: 'gaps_1600m' },
  { id: 'gaps-fill-800m', sourceLayer: 'gaps_800m' },
  { id: 'gaps-fill-200m', sourceLayer: 'gaps' },
];

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
  return `${s.charAt(0).toUpperCase()}${s.slice(1)} (les plus grands : temps moyen pondéré par les jeunes). Jeunes estimés par répartition uniforme des effectifs du recensement.`;
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

const $ = (id) => document.getElementById(id);

/** The class index (in MINUTE_CLASSES) of `minutes` at threshold `t`. */
export function minuteClass(minutes, t) {
  return MINUTE_CLASSES.findIndex((c) => minutes < c.upTo * t || c.upTo === Infinity);
}

/** Parses `FT,15,walk,min,1` (group, threshold, mode, colour, shown) from the permalink. */
function parseState(text) {
  const [group, minutes, mode, colour, shown] = String(text || '').split(',');
  return {
    shown: shown === '1',
    group: GAP_GROUPS.some((g) => g.code === group) ? group : 'FT',
    minutes: Math.min(60, Math.max(5, Number(minutes) || 15)),
    mode: mode === 'transit' ? 'transit' : 'walk',
    colour: colour === 'youth' ? 'youth' : 'min',
  };
}

export async function initGaps(app) {
  const gs = parseState(app.state.gap);
  const view = { ...gs, tj: null, transit: false, transitNote: '', summary: null, sort: { table: 'communes', key: 'youth_in_gaps', dir: -1 } };
  app.gaps = view;

  // Controls.
  $('gap-group').replaceChildren(...GAP_GROUPS.map((g) => el('option', { value: g.code }, `${g.label} (${g.code})`)));
  $('gap-group').value = view.group;
  $('gap-minutes').value = String(view.minutes);
  $('gap-minutes-out').textContent = `${view.minutes} min`;
  $('gap-colour').value = view.colour;
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
  if (!view.transit) view.mode = 'walk';
  $('gap-mode').value = view.mode;
  // How the engine measures access for the gap map (with or without the feed's timetable).
  $('gap-mode-note').textContent = view.transitNote;
  $('gap-show').checked = view.shown;

  const changed = () => {
    view.group = $('gap-group').value;
    view.minutes = Number($('gap-minutes').value);
    view.mode = $('gap-mode').value;
    view.colour = $('gap-colour').value;
    $('gap-minutes-out').textContent = `${view.minutes} min`;
    apply(app);
  };
  for (const id of ['gap-group', 'gap-mode', 'gap-colour']) $(id).addEventListener('change', changed);
  $('gap-minutes').addEventListener('input', changed);
  $('gap-show').addEventListener('change', () => { view.shown = $('gap-show').checked; apply(app); });
  $('gap-export').addEventListener('click', () => exportCsv(view));
  // Opening the tab the first time shows the layer (the tiles are requested from then on).
  $('tab-gaps').addEventListener('click', () => {
    if (view.shown || view.opened) return;
    view.opened = true;
    view.shown = true;
    $('gap-show').checked = true;
    apply(app);
  });
  await apply(app);
}

/** Whether the loaded data hold an actor of `group` (the gap tiles carry its minutes). */
function groupPresent(view, group) {
  const layer = view.tj.vector_layers.find((l) => l.id === 'gaps');
  return Boolean(layer && `walk_min_${group}` in layer.fields);
}

async function ensureSource(app) {
  const view = app.gaps;
  if (view.tj) return;
  // From the PMTiles archive when the page reads its tiles there (it holds the gap layers too).
  view.tj = app.pmtiles ? selectLayers(app.pmtiles, GAP_SELECTION.split(',')) : await api.tileJson(GAP_SELECTION);
  const map = app.map;
  map.addSource(GAP_SOURCE, { type: 'vector', tiles: view.tj.tiles, minzoom: view.tj.minzoom, maxzoom: view.tj.maxzoom, bounds: view.tj.bounds });
  // Under the QPV outlines so the quarters stay readable over the cells.
  const before = map.getLayer('qpv-2024-fill') ? 'qpv-2024-fill' : undefined;
  for (const l of GAP_LAYERS) {
    map.addLayer({ id: l.id, type: 'fill', source: GAP_SOURCE, 'source-layer': l.sourceLayer, layout: { visibility: 'none' },
      paint: { 'fill-color': '#000000', 'fill-opacity': 0.7, 'fill-outline-color': 'rgba(0, 0, 0, 0)' } }, before);
  }
}

function minutesField(view) {
  return `${view.mode === 'transit' ? 'transit_min' : 'walk_min'}_${view.group}`;
}

function paint(app) {
  const { map, gaps: view } = app;
  const field = minutesField(view);
  const t = view.minutes;
  for (const l of GAP_LAYERS) {
    let color;
    let filter = ['has', field];
    if (view.colour === 'min') {
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

function setVisible(app, on) {
  for (const l of GAP_LAYERS) if (app.map.getLayer(l.id)) app.map.setLayoutProperty(l.id, 'visibility', on ? 'visible' : 'none');
}

function groupLabel(code) {
  return GAP_GROUPS.find((g) => g.code === code)?.label || code;
}

/** Applies the controls: layer, legend, message, table, permalink. */
async function apply(app) {
  const view = app.gaps;
  app.state.gap = [view.group, view.minutes, view.mode, view.colour, view.shown ? 1 : 0].join(',');
  if (view.shown || view.tj) await ensureSource(app);
  const present = view.tj ? groupPresent(view, view.group) : true;
  const label = groupLabel(view.group);
  const absent = $('gap-absent');
  absent.hidden = present;
  absent.textContent = present ? '' : `Aucun acteur « ${label} » (${view.group}) n'est placé dans les données chargées : ce groupe est absent des données. Rien n'est peint comme zone blanche, faute de pouvoir mesurer l'accès ; ajoutez une source d'acteurs au territoire pour ce groupe.`;
  if (view.tj) {
    if (present) paint(app);
    setVisible(app, view.shown && present);
  }
  renderLegend(view, present);
  app.persist();
  await loadTable(app, present);
}

/** The legend of the gap layer: its own container, so other legends can live beside it. */
function renderLegend(view, present) {
  const box = $('gaps-legend');
  box.replaceChildren();
  if (!present) return;
  const label = groupLabel(view.group);
  const mode = view.mode === 'transit' ? 'à pied et en transport en commun' : 'à pied';
  if (view.colour === 'min') {
    box.append(
      el('p', { class: 'legend-title' }, `Minutes ${mode} jusqu'à l'acteur « ${label} » le plus proche (seuil ${view.minutes} min)`),
      el('ul', {}, MINUTE_CLASSES.map((c) => el('li', {}, el('span', { class: 'swatch', style: `background:${c.color}`, 'aria-hidden': 'true' }), c.text(view.minutes)))),
    );
  } else {
    box.append(
      el('p', { class: 'legend-title' }, `Jeunes de 15 à 29 ans dans les carreaux à plus de ${view.minutes} min ${mode} d'un acteur « ${label} »`),
      el('ul', {}, YOUTH_CLASSES.map((c) => el('li', {}, el('span', { class: 'swatch', style: `background:${c.color}`, 'aria-hidden': 'true' }), c.text))),
      el('p', { class: 'hint' }, 'Carreaux dans le seuil : non colorés.'),
    );
  }
  if (view.tj) box.append(el('p', { class: 'hint', id: 'gap-cells-hint' }, cellsHint(view)));
}

async function loadTable(app, present) {
  const view = app.gaps;
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
    const key = `${view.group},${view.minutes}`;
    const s = await api.gaps(view.group, view.minutes);
    if (`${view.group},${view.minutes}` !== key) return;
    view.summary = s;
    tables.hidden = false;
    $('gap-export').disabled = false;
    const youth = s.communes.reduce((a, c) => a + c.youth_in_gaps, 0);
    status.textContent = `Zones blanches « ${groupLabel(view.group)} » à ${view.minutes} min : ${fmt(youth, 0)} jeunes de 15-29 ans estimés au total (${s.transit ? 'transport en commun' : 'à pied'}).`;
    renderTables(view);
  } catch (e) {
    status.textContent = `Tableau indisponible : ${e.message}`;
  }
}

const COLUMNS = [
  { key: 'name', label: 'Nom', num: false },
  { key: 'youth_in_gaps', label: 'Jeunes en zone blanche', num: true, digits: 0 },
  { key: 'share_in_gaps_pct', label: 'Part des jeunes (%)', num: true, digits: 1 },
  { key: 'gap_cells', label: 'Carreaux', num: true, digits: 0 },
];

function renderTables(view) {
  for (const [table, rowsKey, caption] of [['gap-communes', 'communes', 'Par commune'], ['gap-qpv', 'qpv', 'Par quartier prioritaire (QPV 2024)']]) {
    const t = $(table);
    const sort = view.sort.table === rowsKey ? view.sort : { key: 'youth_in_gaps', dir: -1 };
    const rows = [...view.summary[rowsKey]].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
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
      ? el('td', { class: 'num' }, fmt(r[c.key], c.digits))
      : el('td', {}, `${r.name} (${r.code})`)))));
    t.replaceChildren(
      el('caption', {}, `${caption} : jeunes de 15-29 ans à plus de ${view.minutes} min d'un acteur « ${groupLabel(view.group)} » (cliquez un en-tête pour trier)`),
      el('thead', {}, head), el('tbody', {}, body));
  }
}

function exportCsv(view) {
  if (!view.summary) return;
  const header = ['niveau', 'code', 'nom', 'groupe', 'seuil_min', 'jeunes_15_29', 'jeunes_en_zone_blanche', 'part_pct', 'carreaux'];
  const rows = [];
  for (const [level, list] of [['commune', view.summary.communes], ['qpv', view.summary.qpv]]) {
    for (const r of list) rows.push([level, r.code, r.name, view.group, view.minutes, Math.round(r.youth_15_29 * 10) / 10, Math.round(r.youth_in_gaps * 10) / 10, Math.round(r.share_in_gaps_pct * 10) / 10, r.gap_cells]);
  }
  download(`zones-blanches_${view.group}_${view.minutes}min.csv`, toCsv(header, rows));
}
