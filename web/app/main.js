// Entry point: loads the configuration and the layer descriptions, builds the map and the panels.
// The state lives in the store (store.js): this module renders the tabs, the indicator, the layer
// toggles and the commune selection from it; the permalink (permalink.js) and the dataset version
// (version.js) follow it. `window.repere` exposes the map and the state to the browser tests.
import * as api from './api.js';
import { createMap, addDataLayers, FIT_PADDING, setGroupVisible, classBreaks, setChoropleth, maplibregl } from './map.js';
import { SOURCE, LAYER_GROUPS, CLASS_COLORS, NO_DATA_COLOR } from './layers.js';
import { store } from './store.js';
import { readHash, writeHash, bindPermalink, shareHref } from './permalink.js';
import { checkVersion, watchVersion } from './version.js';
import { resolveStyle, chosenStyleUrl, saveStyleSetting, savedStyleSetting, watchBasemapErrors, UNAVAILABLE } from './basemap.js';
import { renderLegend, swatch } from './legend.js';
import { initActorHover } from './maplabels.js';
import { renderCommunesTable, renderQpvTable } from './tables.js';
import { label, isCount, setFieldDocs, sourceOf } from './labels.js';
import { el, fmt, fold, debounce } from './util.js';
import { initCard, loadCard, snapshotMap } from './card.js';
import { initRanking } from './ranking.js';
import { initPortfolio, portfolioView } from './portfolio.js';
import { initLookup, lookupAt } from './lookup.js';
import { initGaps } from './gaps.js';
import { initProject, projectView } from './project.js';
import { initProjectFile, projectFileView } from './projectfile.js';
import { initActors, selectActorOnMap } from './actors.js';
import { initPlacing } from './placing.js';
import { initAddress } from './address.js';
import { initPhone } from './phone.js';
import { openArchive, selectLayers } from './pmtiles.js';

/** What does not change after start-up: the map, the territory, the tile layers present. */
const ctx = { map: null, territory: null, tileJson: null, layers: new Set(), bounds: null, pmtiles: null, basemap: false };
let ready = false;

/** For the browser tests (and the curious): the map, the state, and a few actions. */
const counters = { actorsEdited: 0, importPreviewed: 0 };
window.repere = {
  get map() { return ctx.map; },
  get ready() { return ready; },
  get state() { return store.get(); },
  get basemap() { return ctx.basemap; },
  get project() { return projectView(); },
  get projectFile() { return projectFileView(); },
  get portfolio() { return portfolioView(); },
  get actorsEdited() { return counters.actorsEdited; },
  get importPreviewed() { return counters.importPreviewed; },
  store,
  counters,
  persist: () => { syncView(); writeHash(store.get()); },
  selectCommune: (code, options) => selectCommune(code, options),
  selectTab: (name) => selectTab(name),
  checkVersion,
  snapshotMap: () => snapshotMap(),
};

const $ = (id) => document.getElementById(id);
const status = (text) => { $('map-status').textContent = text; };

/** The commune row of `code` (`GET /api/communes`). */
export const communeOf = (code) => store.get().communes.find((c) => c.code === code);

// ---- Tabs (WAI-ARIA tabs: arrows move between tabs, Enter/Space or click selects) ----
function selectTab(name, { focus = false } = {}) {
  store.set({ tab: name });
  if (focus) $(`tab-${name}`)?.focus();
}

function renderTabs(name) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.id === `tab-${name}`;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !on;
  }
}

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
  store.subscribe('tab', (s) => renderTabs(s.tab));
}

// ---- Indicator (choropleth) ----
function numericFields() {
  const layer = ctx.tileJson.vector_layers.find((l) => l.id === 'communes');
  if (!layer) return [];
  return Object.entries(layer.fields)
    .filter(([, type]) => type === 'Number')
    .map(([name]) => name)
    .filter((name) => !/rank$/.test(name));
}

/** The values of `field` over the communes (`GET /api/communes` rows carry the tile fields). */
function indicatorValues(field) {
  return store.get().communes.map((c) => c[field]).filter((v) => typeof v === 'number');
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
  const source = sourceOf(field);
  box.append(el('p', { class: 'legend-title' }, name + (unit ? ` (${unit})` : '')),
    source ? el('p', { class: 'legend-source', id: 'choropleth-source' }, `Source : ${source}`) : null, el('ul', {}, items));
  $('indicator-hint').textContent = 'Classes par quantiles : chaque classe regroupe à peu près le même nombre de communes.';
}

function renderIndicator(field) {
  const values = field ? indicatorValues(field) : [];
  const breaks = classBreaks(values);
  setChoropleth(ctx.map, field, breaks.breaks);
  renderChoroplethLegend(field, breaks);
  renderCommunesTable(store.get().communes, field, (code) => selectCommune(code, { fly: true }));
  $('indicator-select').value = field;
}

function initIndicatorSelect() {
  const select = $('indicator-select');
  const fields = numericFields();
  select.replaceChildren(el('option', { value: '' }, 'Aucun (contours seuls)'), ...fields.map((f) => el('option', { value: f }, label(f)[0])));
  const preferred = ['neet_share_2018_pct', 'priority_score'].find((f) => fields.includes(f)) || fields[0] || '';
  const asked = store.get().indicator;
  const chosen = asked !== null && (asked === '' || fields.includes(asked)) ? asked : preferred;
  select.addEventListener('change', () => store.set({ indicator: select.value }));
  store.subscribe(['indicator', 'communes'], (s) => renderIndicator(s.indicator));
  store.set({ indicator: chosen });
  renderIndicator(chosen);
}

// ---- Layer toggles and legends ----
function initLayerToggles() {
  const list = $('layer-list');
  const available = LAYER_GROUPS.filter((g) => ctx.layers.has(g.source));
  const asked = store.get().layers;
  const on = new Set(asked || available.filter((g) => g.on).map((g) => g.key));
  for (const g of available) {
    const id = `layer-${g.key}`;
    const input = el('input', { type: 'checkbox', id, checked: on.has(g.key) });
    input.addEventListener('change', () => store.set({ layers: available.filter((x) => $(`layer-${x.key}`).checked).map((x) => x.key) }));
    list.append(el('div', { class: 'layer-item' }, input, swatch(g.key), el('label', { for: id }, g.label)));
  }
  const render = (keys) => {
    for (const g of available) {
      setGroupVisible(ctx.map, g, keys.includes(g.key));
      $(`layer-${g.key}`).checked = keys.includes(g.key);
    }
    renderLegend($('map-legend'), keys);
  };
  store.subscribe('layers', (s) => render(s.layers));
  store.set({ layers: available.filter((g) => on.has(g.key)).map((g) => g.key) });
  render(store.get().layers);
}

// ---- Commune selection and search ----
/** Opens the card of `code` (null closes it); resolves once the card shows it. */
async function selectCommune(code, { fly = false, openTab = true } = {}) {
  store.set({ commune: code || null, ...(code && openTab ? { tab: 'card' } : {}) });
  if (!code) return;
  if (fly) flyToCommune(code);
  await loadCard();
}

function renderSelection(code) {
  if (ctx.map.getLayer('communes-selected')) ctx.map.setFilter('communes-selected', ['==', ['get', 'code'], code || '']);
  document.querySelectorAll('#ranking-table tr[data-code]').forEach((tr) => tr.classList.toggle('is-selected', tr.dataset.code === code));
}

function flyToCommune(code) {
  // The extent of the commune's pieces in the loaded tiles (clipped at tile edges, so their
  // union covers the commune when its tiles are loaded).
  const b = new maplibregl.LngLatBounds();
  const walk = (coords) => (typeof coords[0] === 'number' ? b.extend(coords) : coords.forEach(walk));
  for (const f of ctx.map.querySourceFeatures(SOURCE, { sourceLayer: 'communes', filter: ['==', ['get', 'code'], code] })) walk(f.geometry.coordinates);
  if (!b.isEmpty()) ctx.map.fitBounds(b, { padding: 40, maxZoom: 13 });
}

function findCommune(query) {
  const communes = store.get().communes;
  const q = fold(query);
  if (!q) return null;
  const exact = communes.find((c) => c.code === query.trim() || fold(c.name) === q || fold(`${c.name} (${c.code})`) === q);
  if (exact) return exact;
  const starts = communes.filter((c) => fold(c.name).startsWith(q));
  if (starts.length) return starts.sort((a, b) => a.name.length - b.name.length)[0];
  return communes.find((c) => fold(c.name).includes(q)) || null;
}

function initSearch() {
  $('commune-list').replaceChildren(...store.get().communes.map((c) => el('option', { value: `${c.name} (${c.code})` })));
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
  const map = ctx.map;
  const clickable = ['actors-symbol', 'communes-fill'].filter((id) => map.getLayer(id));
  for (const id of clickable) {
    map.on('mouseenter', id, () => { if (!store.get().placing) map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', id, () => { if (!store.get().placing) map.getCanvas().style.cursor = ''; });
  }
  map.on('click', (e) => {
    // While something is being placed (placing.js), a click places it: no popup, no lookup.
    if (store.get().placing) return;
    // A finger is less precise than a pointer: a few pixels around the tap find the actor.
    const pad = 6;
    const box = [[e.point.x - pad, e.point.y - pad], [e.point.x + pad, e.point.y + pad]];
    const actor = map.getLayer('actors-symbol') && map.getLayoutProperty('actors-symbol', 'visibility') !== 'none'
      ? map.queryRenderedFeatures(box, { layers: ['actors-symbol'] })[0] : null;
    if (actor) {
      selectActorOnMap(actor);
      return;
    }
    const commune = map.getLayer('communes-fill') ? map.queryRenderedFeatures(e.point, { layers: ['communes-fill'] })[0] : null;
    lookupAt(map, e.lngLat);
    if (commune) selectCommune(commune.properties.code);
  });
  map.on('moveend', debounce(syncView, 150));
  $('view-reset').addEventListener('click', () => map.fitBounds(ctx.bounds, { padding: FIT_PADDING }));
  $('permalink-copy').addEventListener('click', async () => {
    writeHash(store.get());
    // Without the saved project's edit key (`cle`): a shared view opens the project read-only.
    const href = shareHref(store.get());
    try {
      await navigator.clipboard.writeText(href);
      status('Lien copié dans le presse-papiers.');
    } catch {
      status(`Lien de cette vue : ${href}`);
    }
  });
  store.subscribe('commune', (s) => renderSelection(s.commune));
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

/** The version line under the map: which dataset the page shows, and since when. */
function renderVersion(version) {
  const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short' }).format(new Date());
  $('data-version').textContent = `Données : version ${String(version).slice(0, 12)} (vérifiée à ${time})`;
  $('data-version').dataset.version = version;
}

/** The store's view from the map's camera. */
function syncView() {
  if (!ctx.map) return;
  const c = ctx.map.getCenter();
  store.set({ view: { zoom: ctx.map.getZoom(), center: [c.lng, c.lat] } });
}

async function loadCommunes() {
  const communes = await api.communes();
  store.set({ communes: communes.slice().sort((a, b) => a.name.localeCompare(b.name, 'fr')) });
}

async function main() {
  initTabs();
  store.set(readHash());
  const config = await api.webConfig();
  initBasemapSetting(config);
  const basemapUrl = chosenStyleUrl(config);
  const styleReady = resolveStyle(basemapUrl);

  // The tiles: this server's `/tiles/…` (default) or a static PMTiles archive (`--tiles-url`).
  const archiveUrl = config.tiles.kind === 'pmtiles' ? config.tiles.url : null;
  const tileJsons = archiveUrl
    ? openArchive(maplibregl, archiveUrl).then((tj) => {
      ctx.pmtiles = tj;
      return [tj, selectLayers(tj, ['communes'])];
    })
    : Promise.all([api.tileJson('all'), api.tileJson('communes')]);
  const [[tileJson, communesTj], health, fields] = await Promise.all([tileJsons, api.health(), api.fields(), loadCommunes()]);
  setFieldDocs(fields.fields, fields.vintages);
  store.set({ version: health.version });
  ctx.tileJson = tileJson;
  ctx.layers = new Set(tileJson.vector_layers.map((l) => l.id));
  const b = communesTj.bounds;
  ctx.bounds = [[b[0], b[1]], [b[2], b[3]]];
  ctx.territory = health.territory;
  $('territory-name').textContent = ` : ${health.territory}`;

  const { style, beforeId, basemap } = await styleReady;
  ctx.basemap = basemap;
  ctx.map = await createMap('map', { view: store.get().view, bounds: ctx.bounds, style });
  if (basemapUrl && !basemap) status(UNAVAILABLE);
  if (basemap) watchBasemapErrors(ctx.map, [SOURCE, 'points'], () => status(UNAVAILABLE));
  addDataLayers(ctx.map, tileJson, beforeId);
  initActorHover(ctx.map, () => store.get().actor || '');
  initLayerToggles();
  initIndicatorSelect();
  initSearch();
  initMapEvents();
  initCard(ctx);
  await initRanking(ctx);
  initPortfolio();
  initLookup(ctx.map);
  initPlacing(ctx.map);
  initAddress(ctx.map, config);
  await initGaps(ctx);
  await initProject(ctx);
  await initProjectFile(ctx);
  renderQpvTable((code) => communeOf(code)?.name ?? code);
  await initActors(ctx);
  initPhone(ctx.map, { bounds: ctx.bounds, keepView: Boolean(readHash().view) });
  renderTabs($(`tab-${store.get().tab}`) ? store.get().tab : 'layers');
  if (!$(`tab-${store.get().tab}`)) store.set({ tab: 'layers' });
  renderSelection(store.get().commune);
  if (store.get().commune) await loadCard();
  // One event for a new dataset version: tiles (version.js), communes and every open panel
  // (each module subscribes to `version`), the version line and the permalink.
  // The version line changes once the map has the new tiles.
  watchVersion(ctx.map, { pmtiles: Boolean(ctx.pmtiles), onTiles: renderVersion });
  store.subscribe('version', () => loadCommunes());
  renderVersion(health.version);
  bindPermalink(store);
  syncView();
  ready = true;
  writeHash(store.get());
}

main().catch((e) => {
  status(`La carte n'a pas pu se charger : ${e.message}`);
  throw e;
});
