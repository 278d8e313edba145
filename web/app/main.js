// Entry point: loads the configuration and the layer descriptions, builds the map and the panels,
// and keeps the URL (permalink) in step with what the planner sees.
import * as api from './api.js';
import { createMap, addDataLayers, SOURCE, FIT_PADDING, setGroupVisible, classBreaks, setChoropleth, LAYER_GROUPS, CLASS_COLORS, NO_DATA_COLOR, maplibregl } from './map.js';
import { readHash, writeHash } from './permalink.js';
import { resolveStyle, chosenStyleUrl, saveStyleSetting, savedStyleSetting, watchBasemapErrors, UNAVAILABLE } from './basemap.js';
import { renderLegend, swatch } from './legend.js';
import { initActorHover, showActorName } from './maplabels.js';
import { renderCommunesTable, renderQpvTable } from './tables.js';
import { label, isCount, setFieldDocs } from './labels.js';
import { el, fmt, fold, debounce } from './util.js';
import { renderCard, showCardLoading } from './card.js';
import { initRanking } from './ranking.js';
import { initLookup, lookupAt } from './lookup.js';
import { initGaps } from './gaps.js';
import { initProject } from './project.js';
import { initActors } from './actors.js';
import { openArchive, selectLayers } from './pmtiles.js';

const state = {
  indicator: null,
  layers: null,
  commune: null,
  weights: {},
  highlight: 10,
  tab: 'layers',
};
const app = { map: null, state, territory: null, communes: [], byCode: new Map(), tileJson: null, layers: new Set(), bounds: null, ready: false };
window.repere = app;

const $ = (id) => document.getElementById(id);
const status = (text) => { $('map-status').textContent = text; };

function persist() {
  if (!app.map) return;
  const c = app.map.getCenter();
  writeHash({ ...state, view: { zoom: app.map.getZoom(), center: [c.lng, c.lat] } });
}
app.persist = persist;

// ---- Tabs (WAI-ARIA tabs: arrows move between tabs, Enter/Space or click selects) ----
function selectTab(name, { focus = false } = {}) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) tab.focus();
  }
  state.tab = name;
  persist();
}
app.selectTab = selectTab;

function initTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab.id.slice(4)));
    tab.addEventListener('keydown', (e) => {
      let j = null;
      if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
      if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
      if (e.key === 'Home') j = 0;
      if (e.key === 'End') j = tabs.length - 1;
      if (j !== null) { e.preventDefault(); selectTab(tabs[j].id.slice(4), { focus: true }); }
    });
  });
}

// ---- Indicator (choropleth) ----
function numericFields() {
  const layer = app.tileJson.vector_layers.find((l) => l.id === 'communes');
  if (!layer) return [];
  return Object.entries(layer.fields)
    .filter(([, type]) => type === 'Number')
    .map(([name]) => name)
    .filter((name) => !/rank$/.test(name));
}

/** The values of `field` over the communes (`GET /api/communes` rows carry the tile fields). */
function indicatorValues(field) {
  return app.communes.map((c) => c[field]).filter((v) => typeof v === 'number');
}

function renderChoroplethLegend(field, { min, max, breaks }) {
  const box = $('choropleth-legend');
  box.replaceChildren();
  if (!field) return;
  const [name, unit] = label(field);
  const digits = isCount(field) ? 0 : 1;
  const u = unit ? ` ${unit}` : '';
  const colors = CLASS_COLORS.slice(CLASS_COLORS.length - (breaks.length + 1));
  const bounds = [min, ...breaks, max];
  const items = colors.map((color, i) => {
    const lo = bounds[i];
    const hi = bounds[i + 1];
    const text = i === colors.length - 1 ? `de ${fmt(lo, digits)} à ${fmt(hi, digits)}${u}` : `de ${fmt(lo, digits)} à moins de ${fmt(hi, digits)}${u}`;
    return el('li', {}, el('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' }), text);
  });
  items.push(el('li', {}, el('span', { class: 'swatch', style: `background:${NO_DATA_COLOR}`, 'aria-hidden': 'true' }), 'donnée absente'));
  box.append(el('p', { class: 'legend-title' }, name + (unit ? ` (${unit})` : '')), el('ul', {}, items));
  $('indicator-hint').textContent = 'Classes par quantiles : chaque classe regroupe à peu près le même nombre de communes.';
}

function applyIndicator(field) {
  state.indicator = field;
  const values = field ? indicatorValues(field) : [];
  const breaks = classBreaks(values);
  setChoropleth(app.map, field, breaks.breaks);
  renderChoroplethLegend(field, breaks);
  renderCommunesTable(app, field);
  persist();
}

function initIndicatorSelect() {
  const select = $('indicator-select');
  const fields = numericFields();
  select.replaceChildren(el('option', { value: '' }, 'Aucun (contours seuls)'), ...fields.map((f) => el('option', { value: f }, label(f)[0])));
  const preferred = ['neet_share_2018_pct', 'priority_score'].find((f) => fields.includes(f)) || fields[0] || '';
  const chosen = state.indicator !== null && (state.indicator === '' || fields.includes(state.indicator)) ? state.indicator : preferred;
  select.value = chosen;
  select.addEventListener('change', () => applyIndicator(select.value));
  applyIndicator(chosen);
}

// ---- Layer toggles and legends ----
function initLayerToggles() {
  const list = $('layer-list');
  const available = LAYER_GROUPS.filter((g) => app.layers.has(g.source));
  const on = new Set(state.layers || available.filter((g) => g.on).map((g) => g.key));
  state.layers = available.filter((g) => on.has(g.key)).map((g) => g.key);
  for (const g of available) {
    const id = `layer-${g.key}`;
    const input = el('input', { type: 'checkbox', id, checked: on.has(g.key) });
    input.addEventListener('change', () => {
      setGroupVisible(app.map, g, input.checked);
      state.layers = available.filter((x) => $(`layer-${x.key}`).checked).map((x) => x.key);
      renderLegend($('map-legend'), state.layers);
      persist();
    });
    list.append(el('div', { class: 'layer-item' }, input, swatch(g.key), el('label', { for: id }, g.label)));
    setGroupVisible(app.map, g, on.has(g.key));
  }
  renderLegend($('map-legend'), state.layers);
}

// ---- Commune selection and search ----
async function selectCommune(code, { fly = false, openTab = true } = {}) {
  state.commune = code || null;
  if (app.map.getLayer('communes-selected')) app.map.setFilter('communes-selected', ['==', ['get', 'code'], code || '']);
  document.querySelectorAll('#ranking-table tr[data-code]').forEach((tr) => tr.classList.toggle('is-selected', tr.dataset.code === code));
  persist();
  if (!code) return;
  if (openTab) selectTab('card');
  showCardLoading($('card'), app.byCode.get(code));
  try {
    const diag = await api.commune(code);
    if (state.commune !== code) return;
    renderCard($('card'), diag, { app });
    if (fly && diag) flyToCommune(code);
  } catch (e) {
    $('card').replaceChildren(el('p', { class: 'error' }, `Fiche indisponible : ${e.message}`));
  }
}
app.selectCommune = selectCommune;

function flyToCommune(code) {
  // The extent of the commune's pieces in the loaded tiles (clipped at tile edges, so their
  // union covers the commune when its tiles are loaded).
  const b = new maplibregl.LngLatBounds();
  const walk = (coords) => (typeof coords[0] === 'number' ? b.extend(coords) : coords.forEach(walk));
  for (const f of app.map.querySourceFeatures(SOURCE, { sourceLayer: 'communes', filter: ['==', ['get', 'code'], code] })) walk(f.geometry.coordinates);
  if (!b.isEmpty()) app.map.fitBounds(b, { padding: 40, maxZoom: 13 });
}

function findCommune(query) {
  const q = fold(query);
  if (!q) return null;
  const exact = app.communes.find((c) => c.code === query.trim() || fold(c.name) === q || fold(`${c.name} (${c.code})`) === q);
  if (exact) return exact;
  const starts = app.communes.filter((c) => fold(c.name).startsWith(q));
  if (starts.length) return starts.sort((a, b) => a.name.length - b.name.length)[0];
  return app.communes.find((c) => fold(c.name).includes(q)) || null;
}

function initSearch() {
  $('commune-list').replaceChildren(...app.communes.map((c) => el('option', { value: `${c.name} (${c.code})` })));
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('search-input');
    const c = findCommune(input.value);
    input.setCustomValidity(c ? '' : 'Aucune commune du territoire ne correspond.');
    input.reportValidity();
    if (c) selectCommune(c.code, { fly: true });
  });
  $('search-input').addEventListener('input', () => $('search-input').setCustomValidity(''));
}

// ---- Map interactions ----
function initMapEvents() {
  const map = app.map;
  const clickable = ['actors-symbol', 'communes-fill'].filter((id) => map.getLayer(id));
  for (const id of clickable) {
    map.on('mouseenter', id, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { map.getCanvas().style.cursor = ''; });
  }
  map.on('click', (e) => {
    // The Projet tab places sites by clicking: no popup, no lookup then.
    if (app.placing) return;
    const actor = map.getLayer('actors-symbol') ? map.queryRenderedFeatures(e.point, { layers: ['actors-symbol'] })[0] : null;
    if (actor) {
      const p = actor.properties;
      const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '280px' })
        .setLngLat(actor.geometry.coordinates)
        .setDOMContent(el('div', {}, el('h3', {}, p.name), el('p', {}, p.kind_label), el('p', { class: 'hint' }, `Source : ${p.source}`)))
        .addTo(map);
      app.focusedActor = p.id;
      showActorName(map, p.id);
      popup.on('close', () => { if (app.focusedActor === p.id) { app.focusedActor = null; showActorName(map, ''); } });
      return;
    }
    const commune = map.getLayer('communes-fill') ? map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0] : null;
    lookupAt(app, e.lngLat);
    if (commune) selectCommune(commune.properties.code);
  });
  map.on('moveend', debounce(persist, 150));
  $('view-reset').addEventListener('click', () => app.map.fitBounds(app.bounds, { padding: FIT_PADDING }));
  $('permalink-copy').addEventListener('click', async () => {
    persist();
    try {
      await navigator.clipboard.writeText(location.href);
      status('Lien copié dans le presse-papiers.');
    } catch {
      status(`Lien de cette vue : ${location.href}`);
    }
  });
}

function initBasemapSetting(config) {
  const input = $('basemap-input');
  const server = config.basemap;
  $('basemap-server').textContent = server.kind === 'none'
    ? 'Fond choisi au lancement du serveur : aucun.'
    : `Fond choisi au lancement du serveur : ${server.label} (${server.style_url}).`;
  input.value = savedStyleSetting();
  $('basemap-apply').addEventListener('click', () => {
    saveStyleSetting(input.value.trim());
    location.reload();
  });
}


async function main() {
  initTabs();
  Object.assign(state, readHash());
  if (!state.layers) state.layers = null;
  const config = await api.webConfig();
  initBasemapSetting(config);
  const basemapUrl = chosenStyleUrl(config);
  const styleReady = resolveStyle(basemapUrl);

  // The tiles: this server's `/tiles/…` (default) or a static PMTiles archive (`--tiles-url`).
  const archiveUrl = config.tiles.kind === 'pmtiles' ? config.tiles.url : null;
  const tileJsons = archiveUrl
    ? openArchive(maplibregl, archiveUrl).then((tj) => {
      app.pmtiles = tj;
      return [tj, selectLayers(tj, ['communes'])];
    })
    : Promise.all([api.tileJson('all'), api.tileJson('communes')]);
  const [[tileJson, communesTj], communes, health, fields] = await Promise.all([tileJsons, api.communes(), api.health(), api.fields()]);
  setFieldDocs(fields.fields);
  app.tileJson = tileJson;
  app.layers = new Set(tileJson.vector_layers.map((l) => l.id));
  app.communes = communes.slice().sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  app.byCode = new Map(app.communes.map((c) => [c.code, c]));
  const b = communesTj.bounds;
  app.bounds = [[b[0], b[1]], [b[2], b[3]]];
  app.territory = health.territory;
  $('territory-name').textContent = ` : ${health.territory}`;

  const { style, beforeId, basemap } = await styleReady;
  app.basemap = basemap;
  app.map = await createMap('map', { view: state.view, bounds: app.bounds, style });
  if (basemapUrl && !basemap) status(UNAVAILABLE);
  if (basemap) watchBasemapErrors(app.map, [SOURCE, 'points'], () => status(UNAVAILABLE));
  addDataLayers(app.map, tileJson, beforeId);
  initActorHover(app.map);
  initLayerToggles();
  initIndicatorSelect();
  initSearch();
  initMapEvents();
  await initRanking(app);
  initLookup(app);
  await initGaps(app);
  await initProject(app);
  renderQpvTable(app);
  app.selectCommune = selectCommune;
  await initActors(app);
  selectTab(state.tab && $(`tab-${state.tab}`) ? state.tab : 'layers');
  if (state.commune) await selectCommune(state.commune, { openTab: false });
  app.ready = true;
  persist();
}

main().catch((e) => {
  status(`La carte n'a pas pu se charger : ${e.message}`);
  throw e;
});
