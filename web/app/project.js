// "Projet" tab: a project owner places planned sites (click on the map, CSV/GeoJSON upload parsed
// by the engine through `POST /api/sites`, or an existing host structure), each with a name, the
// service it offers (actor group) and optional days and hours; "Calculer" runs `POST /api/coverage`
// and shows the cells each site reaches on the map and the figures, per group and threshold, in
// the panel. "Rapport" opens the printable A4 report; the scenario lives in the permalink.
// "Où ouvrir la prochaine permanence ?" runs `POST /api/suggest` and adds a pick in one click.
//
// The scenario (threshold, mode, sites) is the store's `project` (the permalink keeps it); sites
// are placed like actors (placing.js: click, typed coordinates, keyboard). A new dataset version
// computes the shown result again (the existing actors changed).
import * as api from './api.js';
import { censusText } from './labels.js';
import { GAP_GROUPS, gapCellsShown } from './gaps.js';
import { store } from './store.js';
import { SITE_COLORS, PROJECT_LAYERS } from './layers.js';
import { setCellsShown } from './map.js';
import { startPlacing, stopPlacing } from './placing.js';
import { showToPlace, toPlaceByGroup } from './actors.js';
import { encodeScenario, decodeScenario } from './permalink.js';
import { el, fmt, toCsv, download } from './util.js';
import { projectFileView } from './projectfile.js';

export { SITE_COLORS, encodeScenario, decodeScenario };
const $ = (id) => document.getElementById(id);
const groupLabel = (code) => GAP_GROUPS.find((g) => g.code === code)?.label || code;

/** A GeoJSON FeatureCollection of the sites (the body of `POST /api/coverage` and the export). */
export function sitesGeoJson(sites) {
  return {
    type: 'FeatureCollection',
    features: sites.map((s, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { id: `site-${i + 1}`, name: s.name || `Site ${i + 1}`, group: s.group, ...(s.days ? { days: s.days } : {}), ...(s.hours ? { hours: s.hours } : {}) },
    })),
  };
}

/** The working scenario (mirrored into the store's `project` at each change) and the last results. */
const p = { minutes: 15, mode: 'walk', sites: [], report: null, candidates: [], suggestion: null, lastMs: null };
let ctx = null;
/** The scenario and its last result (for the browser tests: `lastMs`, the time to show it). */
export const projectView = () => p;

export async function initProject(context) {
  ctx = context;
  const app = context;
  Object.assign(p, store.get().project || decodeScenario(''));
  const map = ctx.map;

  for (const id of ['project-cells', 'project-sites', 'suggest-sites']) map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  // The cells under the commune outlines and the actors (so both stay visible), the sites on top.
  const under = ['communes-line'].find((id) => map.getLayer(id));
  for (const layer of PROJECT_LAYERS) map.addLayer(layer, layer.id.startsWith('project-cells') ? under : undefined);

  // Parameters.
  $('project-minutes').value = String(p.minutes);
  $('project-minutes-out').textContent = `${p.minutes} min`;
  $('project-minutes').addEventListener('input', () => {
    p.minutes = Number($('project-minutes').value);
    $('project-minutes-out').textContent = `${p.minutes} min`;
    changed(app);
  });
  const transit = !$('gap-mode').querySelector('option[value="transit"]').disabled;
  $('project-mode').querySelector('option[value="transit"]').disabled = !transit;
  if (!transit) p.mode = 'walk';
  $('project-mode').value = p.mode;
  $('project-mode-note').textContent = transit ? '' : "Sans horaires dans le réseau chargé, la vérification se fait à pied.";
  $('project-mode').addEventListener('change', () => { p.mode = $('project-mode').value; changed(app); });
  const groupOptions = () => GAP_GROUPS.map((g) => el('option', { value: g.code }, `${g.label} (${g.code})`));
  $('project-new-group').replaceChildren(...groupOptions());
  $('project-new-group').value = 'ML';
  $('suggest-group').replaceChildren(...groupOptions());
  $('suggest-group').value = 'FT';

  // Placing sites: a click, typed coordinates or the keyboard (placing.js), one site each.
  const place = $('project-place');
  const placingSites = () => store.get().placing?.kind === 'site';
  store.subscribe('placing', () => {
    const on = placingSites();
    place.setAttribute('aria-pressed', String(on));
    place.textContent = on ? 'Terminer le placement' : 'Placer des sites sur la carte';
    $('project-status').textContent = on ? 'Placez chaque site : un clic sur la carte, ses coordonnées, ou le clavier (barre au-dessus de la carte) ; « Terminer le placement » pour arrêter.' : '';
  });
  place.addEventListener('click', () => {
    if (placingSites()) { stopPlacing(); return; }
    startPlacing({
      kind: 'site', multiple: true, stopLabel: 'Terminer le placement',
      text: `Placer les sites du projet (service : ${$('project-new-group').selectedOptions[0]?.textContent || ''}).`,
      onPlace: (pt) => addSite(app, { lon: pt.lon, lat: pt.lat, group: $('project-new-group').value, name: '', days: '', hours: '' }),
    });
  });

  // Upload.
  $('project-file').addEventListener('change', async () => {
    const file = $('project-file').files[0];
    if (!file) return;
    $('project-file-name').textContent = file.name;
    const text = await file.text();
    const status = $('project-status');
    try {
      const isJson = /^\s*\{/.test(text.replace(/^\ufeff/, ''));
      const sites = await api.parseSites(text, isJson);
      for (const s of sites) {
        p.sites.push({ lon: s.lon, lat: s.lat, group: s.group || $('project-new-group').value, name: s.name || '', days: (s.days || []).map(dayFr).join(','), hours: s.hours ? hoursText(s.hours) : '' });
      }
      status.textContent = `${sites.length} site(s) ajouté(s) depuis ${file.name}.`;
      changed(app);
    } catch (e) {
      status.textContent = `Fichier ${file.name} refusé, rien n'a été ajouté : ${e.message}`;
      status.classList.add('error');
      setTimeout(() => status.classList.remove('error'), 8000);
    }
    $('project-file').value = '';
  });

  // Existing host structures.
  try {
    p.candidates = await api.suggestCandidates();
  } catch { p.candidates = []; }
  $('project-host').replaceChildren(el('option', { value: '' }, '— choisir une structure —'),
    ...p.candidates.map((c, i) => el('option', { value: String(i) }, c.kind === null ? c.name : `${c.name} (${c.kind})`)));
  $('project-host-add').addEventListener('click', () => {
    const c = p.candidates[Number($('project-host').value)];
    if (!$('project-host').value || !c) return;
    addSite(app, { lon: c.lon, lat: c.lat, group: $('project-new-group').value, name: c.name, days: '', hours: '' });
  });

  $('project-run').addEventListener('click', () => run(app));
  $('project-clear').addEventListener('click', () => {
    p.sites = [];
    p.report = null;
    app.map.getSource('project-cells').setData({ type: 'FeatureCollection', features: [] });
    setCellsShown(app.map, gapCellsShown());
    $('project-result').replaceChildren();
    changed(app);
  });
  $('project-export-csv').addEventListener('click', () => {
    const rows = p.sites.map((s, i) => [`site-${i + 1}`, s.name, s.group, s.lon.toFixed(6), s.lat.toFixed(6), s.days, s.hours]);
    download('sites-projet.csv', toCsv(['id', 'nom', 'group', 'lon', 'lat', 'jours', 'horaires'], rows));
  });
  $('project-export-geojson').addEventListener('click', () => {
    download('sites-projet.geojson', JSON.stringify(sitesGeoJson(p.sites), null, 1), 'application/geo+json');
  });
  $('suggest-run').addEventListener('click', () => runSuggest(app));

  // A new dataset version: the shown result is computed again (existing actors changed).
  store.subscribe('version', () => { if (p.report) run(app); });
  store.subscribe('inventory', () => { if (p.report) renderResult(app, p.report); });
  renderSites(app);
  if (p.sites.length) await run(app);
}

function dayFr(d) {
  return { Monday: 'lun', Tuesday: 'mar', Wednesday: 'mer', Thursday: 'jeu', Friday: 'ven', Saturday: 'sam', Sunday: 'dim' }[d] || d;
}
function hoursText([a, b]) {
  const hm = (s) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}`;
  return `${hm(a)}-${hm(b)}`;
}

function addSite(app, site) {
  p.sites.push(site);
  changed(app);
}

/** The scenario changed: permalink, list, markers; results are stale until "Calculer". */
function changed(app) {
  store.set({ project: { minutes: p.minutes, mode: p.mode, sites: p.sites.map((s) => ({ ...s })) } });
  renderSites(app);
  if (p.report) $('project-stale').hidden = false;
}

function renderSites(app) {
  app.map.getSource('project-sites').setData({
    type: 'FeatureCollection',
    features: p.sites.map((s, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { site: i % SITE_COLORS.length, name: s.name } })),
  });
  const list = $('project-sites');
  list.replaceChildren(...p.sites.map((s, i) => {
    const id = (k) => `site-${i}-${k}`;
    const input = (k, label, attrs = {}) => {
      const e = el('input', { type: 'text', id: id(k), value: s[k] || '', ...attrs });
      e.addEventListener('change', () => { s[k] = e.value.trim(); changed(app); });
      return [el('label', { for: id(k) }, label), e];
    };
    const group = el('select', { id: id('group') }, GAP_GROUPS.map((g) => el('option', { value: g.code, selected: g.code === s.group }, g.label)));
    group.addEventListener('change', () => { s.group = group.value; changed(app); });
    const remove = el('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Retirer le site ${i + 1}` }, 'Retirer');
    remove.addEventListener('click', () => { p.sites.splice(i, 1); changed(app); });
    return el('li', { class: 'site-item', 'data-index': String(i) },
      el('p', { class: 'site-head' }, el('span', { class: 'swatch site-dot', style: `background:${SITE_COLORS[i % SITE_COLORS.length]}`, 'aria-hidden': 'true' }),
        el('strong', {}, `Site ${i + 1}`), el('span', { class: 'hint' }, `${s.lon.toFixed(5)}, ${s.lat.toFixed(5)}`), remove),
      el('div', { class: 'site-fields' },
        ...input('name', 'Nom', { placeholder: `Site ${i + 1}` }),
        el('label', { for: id('group') }, 'Service (groupe)'), group,
        ...input('days', 'Jours (facultatif)', { placeholder: 'lun,mer' }),
        ...input('hours', 'Horaires (facultatif)', { placeholder: '09:00-12:00' })));
  }));
  $('project-count').textContent = p.sites.length ? `${p.sites.length} site(s) prévu(s).` : 'Aucun site prévu pour l\'instant.';
  for (const b of ['project-run', 'project-clear', 'project-export-csv', 'project-export-geojson']) $(b).disabled = p.sites.length === 0;
  const report = $('project-report');
  if (p.sites.length) {
    const q = p.sites.map((s, i) => [s.lon.toFixed(5), s.lat.toFixed(5), s.group, (s.name || `Site ${i + 1}`).replace(/[;,"]/g, ' ')].join(',')).join(';');
    report.href = `/coverage/report?sites=${encodeURIComponent(q)}&minutes=${p.minutes}&mode=${p.mode}`;
    report.removeAttribute('aria-disabled');
  } else {
    report.removeAttribute('href');
    report.setAttribute('aria-disabled', 'true');
  }
}

async function run(app) {
  const status = $('project-status');
  status.classList.remove('error');
  status.textContent = 'Calcul en cours…';
  const t0 = performance.now();
  try {
    const r = await api.coverage({ sites: sitesGeoJson(p.sites), minutes: p.minutes, mode: p.mode });
    p.report = r;
    app.map.getSource('project-cells').setData({
      type: 'FeatureCollection',
      features: r.cells.map((c) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [c.ring_wgs84] }, properties: { site: c.site % SITE_COLORS.length, id: c.id, minutes: c.minutes } })),
    });
    setCellsShown(app.map, r.cells.length > 0 || gapCellsShown());
    renderResult(app, r);
    $('project-stale').hidden = true;
    await new Promise((res) => requestAnimationFrame(() => res()));
    p.lastMs = performance.now() - t0;
    status.textContent = `Résultat calculé et affiché en ${fmt(p.lastMs, 0)} ms.`;
  } catch (e) {
    p.report = null;
    status.textContent = `Calcul refusé : ${e.message}`;
    status.classList.add('error');
  }
}

function table(caption, header, rows) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'data-table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, header.map((h) => el('th', { scope: 'col', class: h.num ? 'num' : null }, h.label)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((v, i) => el('td', { class: header[i].num ? 'num' : null }, v)))))));
}

/** A group with no placed actor: waiting to be placed (with a link), or absent. */
function notPlaced(group, label) {
  const waiting = toPlaceByGroup()[group] || 0;
  if (!waiting) return ` Aucun acteur « ${label} » dans les données : personne n'est compté comme déjà couvert.`;
  const link = el('button', { type: 'button', class: 'link to-place-link', 'data-group': group }, `${fmt(waiting, 0)} à localiser`);
  link.addEventListener('click', () => showToPlace(group));
  return el('span', { class: 'to-place' }, ` Aucun acteur « ${label} » n'est encore placé : `, link,
    `, connu${waiting > 1 ? 's' : ''} par adresse seulement, ne compte${waiting > 1 ? 'nt' : ''} pas ; personne n'est compté comme déjà couvert tant qu'ils ne sont pas placés.`);
}

function renderResult(app, r) {
  const box = $('project-result');
  const thr = fmt(r.threshold_min, 0);
  const mode = r.mode === 'transit' ? 'à pied et en transport en commun' : 'à pied';
  const parts = [el('h3', {}, `Résultat (seuil ${thr} min ${mode})`)];
  for (const w of r.warnings) parts.push(el('p', { class: 'hint' }, `Attention : ${w}`));
  parts.push(el('p', { id: 'project-total' }, `Tous sites : ${fmt(r.youth_reached, 0)} jeunes de 15-29 ans atteints en ${thr} min (estimation à partir du ${censusText()}), ${r.cells_reached} carreaux de 200 m.`));
  const figures = el('ul', { class: 'figures', id: 'project-groups' });
  for (const g of r.groups) {
    const label = g.group_label;
    figures.append(el('li', { 'data-group': g.group },
      el('strong', {}, `Sites « ${label} » (${g.site_ids.length}) : `),
      `${fmt(g.youth_reached, 0)} jeunes atteints en ${thr} min, dont ${fmt(g.youth_already_covered, 0)} déjà à moins de ${thr} min d'un acteur « ${label} » existant et ${fmt(g.youth_newly_covered, 0)} en zone blanche « ${label} » à ${thr} min, nouvellement couverts (${g.gap_cells_newly_covered} carreaux).`,
      g.group_in_data ? '' : notPlaced(g.group, label),
      g.overlapping_actors.length ? ` Acteurs « ${label} » existants dans le même périmètre : ${g.overlapping_actors.map((a) => a.name).join(', ')}.` : ` Aucun acteur « ${label} » existant dans le même périmètre.`));
  }
  parts.push(figures);
  parts.push(table(`QPV atteints en ${thr} min, tous sites`, [{ label: 'QPV' }, { label: 'Nom' }, { label: 'Part de la surface', num: true }, { label: 'Jeunes atteints', num: true }],
    r.qpv.map((q) => [q.code, q.name, `${fmt(q.share_reached_pct, 0)} %`, fmt(q.youth_reached, 0)])));
  parts.push(table(`Communes concernées en ${thr} min, tous sites`, [{ label: 'Commune' }, { label: 'Carreaux', num: true }, { label: 'Jeunes atteints', num: true }],
    r.communes.map((c) => [`${c.name} (${c.code})`, String(c.cells), fmt(c.youth_reached, 0)])));
  parts.push(table(`Par site, en ${thr} min`, [{ label: 'Site' }, { label: 'Service' }, { label: 'QPV' }, { label: 'Carreaux', num: true }, { label: 'Jeunes atteints', num: true }],
    r.sites.map((s, i) => [s.site.name || `Site ${i + 1}`, groupLabel(s.group), s.qpv || '—', String(s.cells), fmt(s.youth_reached, 0)])));
  box.replaceChildren(...parts);
  box.dataset.qpv = r.qpv.map((q) => q.code).join(' ');
}

/** The certificate of a suggestion in French: model, what is proven, gap, solve time. */
export function certificateText(c) {
  const model = c.model === 'exact' ? 'exact (programme en nombres entiers, solveur HiGHS)' : 'glouton (secours : le solveur exact n\'a pas répondu)';
  const proof = {
    optimal: 'optimum prouvé',
    gap_within_tolerance: 'limite de temps atteinte, écart au plus 0,5 %',
    time_limit_gap_above: 'limite de temps atteinte, écart au-delà de 0,5 % (non prouvé)',
    greedy_bound: 'garantie : au moins 1 − 1/e ≈ 63 % du meilleur choix',
  }[c.proof] || c.proof;
  const gap = c.gap_pct === null ? 'inconnu' : `${fmt(c.gap_pct, 2)} %`;
  return `Modèle : ${model} ; ${proof} ; écart d'optimalité : ${gap} ; temps de résolution : ${fmt(c.solve_ms, 0)} ms.`;
}

async function runSuggest(app) {
  const group = $('suggest-group').value;
  const k = Number($('suggest-k').value);
  const status = $('suggest-status');
  status.textContent = 'Recherche en cours…';
  // Fixed sites: the scenario's planned sites and the open saved project (read by the server).
  const body = { group, minutes: p.minutes, k };
  if (p.sites.length) body.planned = sitesGeoJson(p.sites);
  const saved = projectFileView().id;
  if (saved) body.projects = [saved];
  try {
    const s = await api.suggest(body);
    p.suggestion = s;
    app.map.getSource('suggest-sites').setData({
      type: 'FeatureCollection',
      features: s.picks.map((pk) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [pk.candidate.lon, pk.candidate.lat] }, properties: { rank: pk.rank, name: pk.candidate.name } })),
    });
    const src = s.candidates_by_source;
    const fx = s.fixed;
    status.textContent = `${s.group_in_data ? '' : `Aucun acteur « ${s.group_label} » dans les données : tous les jeunes sont hors seuil. `}Zones blanches « ${s.group_label} » à ${fmt(s.threshold_min, 0)} min à pied : ${fmt(s.gap_youth, 0)} jeunes de 15-29 ans ; ${fmt(s.candidates, 0)} lieux candidats (${fmt(src.host, 0)} structures d'accueil de types adaptés, ${fmt(src.qpv_cell, 0)} carreaux de QPV${src.user ? `, ${fmt(src.user, 0)} lieux proposés` : ''}) ; sites fixés : ${fmt(fx.actors, 0)} acteurs « ${s.group_label} » et ${fmt(fx.planned, 0)} sites prévus (${fmt(fx.planned_youth, 0)} jeunes déjà atteints par eux, jamais comptés comme gain).`;
    const list = $('suggest-list');
    list.replaceChildren(...s.picks.map((pk) => {
      const add = el('button', { type: 'button', class: 'btn btn-secondary btn-small' }, 'Ajouter au projet');
      add.addEventListener('click', () => addSite(app, { lon: pk.candidate.lon, lat: pk.candidate.lat, group: s.group, name: pk.candidate.name, days: '', hours: '' }));
      return el('li', { 'data-gain': String(pk.marginal_gain_youth), 'data-source': pk.candidate.source },
        el('strong', {}, `${pk.rank}. ${pk.candidate.name}`), ` (${pk.candidate.kind_fr}${pk.qpv ? `, dans ${pk.qpv}` : ''}) : `,
        `+${fmt(pk.marginal_gain_youth, 0)} jeunes de zone blanche « ${s.group_label} » à moins de ${fmt(s.threshold_min, 0)} min (cumul ${fmt(pk.cumulative_youth, 0)}) `, add);
    }));
    $('suggest-certificate').textContent = certificateText(s.certificate);
    const top = Math.max(...s.curve.map((c) => c.youth_reached), 1);
    $('suggest-curve').replaceChildren(table('Jeunes nouvellement atteints selon le nombre de lieux (meilleur choix pour chaque nombre)',
      [{ label: 'Lieux', num: true }, { label: 'Jeunes atteints', num: true }, { label: 'Modèle' }, { label: '' }],
      s.curve.map((c) => [String(c.k), fmt(c.youth_reached, 0), c.model === 'exact' ? (c.proof === 'optimal' ? 'exact, optimum prouvé' : `exact, écart ${fmt(c.gap_pct ?? 0, 2)} %`) : 'glouton',
        el('span', { class: 'curve-bar', style: `width:${Math.round((100 * c.youth_reached) / top)}%`, 'aria-hidden': 'true' })])));
    $('suggest-method').textContent = `Méthode : ${s.method}.`;
  } catch (e) {
    status.textContent = `Suggestion impossible : ${e.message}`;
  }
}
