// The "Acteurs" tab: the actor inventory (`/api/actors`), by group name, filtered by commune,
// group and status, with the counts per commune and per source (so an inventory that leans on one
// list says so). An actor chosen in the list shows on the map (the map flies to it and rings it);
// a click on an actor of the map chooses it in the list. An editor (token kept for the session
// only) places an actor known by address only (click, typed coordinates or keyboard, see
// placing.js, or by dragging its marker), adds one, edits name, kind, address and the hours of
// each weekday, retires one with a reason, undoes the last edit from an actor's history, or
// imports a CSV, GeoJSON or data·inclusion file after a line-by-line preview. Every committed
// edit changes the dataset version: version.js then refreshes the tiles and every open panel.
import * as api from './api.js';
import { maplibregl } from './map.js';
import { store } from './store.js';
import { checkVersion, tilesRefreshed } from './version.js';
import { startPlacing, stopPlacing } from './placing.js';
import { geocodeActor, geocoderOn, resultText } from './address.js';
import { loadCard } from './card.js';
import { showActorName } from './maplabels.js';
import { GROUP_LABELS } from './labels.js';
import { ACTOR_GROUPS } from './symbols.js';
import { el, fmt } from './util.js';

let ctx = null;
let marker = null;
let popup = null;

const STATUS_LABELS = { placed: 'placé', to_place: 'à localiser', retired: 'retiré' };
const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const groupLabel = (code) => GROUP_LABELS[code] || code;

function $(id) { return document.getElementById(id); }

function say(text, isError = false) {
  const box = $('actors-status');
  box.textContent = text;
  box.classList.toggle('error', isError);
}

const inventory = () => store.get().inventory;
const counters = () => window.repere.counters;

/** The label of an actor source (what list, from when: the territory file's), else its id. */
export function sourceLabel(id) {
  return (inventory()?.sources || []).find((x) => x.source === id)?.label || id;
}

/** The labels of every actor source, for the texts that count actors. */
export const sourceLabels = () => (inventory()?.sources || []).map((x) => x.label || x.source);

/** Actors known by address only, per group, over the territory (from the inventory). */
export function toPlaceByGroup() {
  const out = {};
  for (const a of inventory()?.actors || []) if (a.status === 'to_place') out[a.group] = (out[a.group] || 0) + 1;
  return out;
}

let loading = null;
/** Loads the inventory of the current version (once per version, unless `force`). */
function load({ force = false } = {}) {
  const version = store.get().version;
  if (!force && loading && loading.version === version) return loading.promise;
  const promise = api.actors().then((inv) => { store.set({ inventory: inv }); });
  loading = { version, promise };
  return promise;
}

/** After a committed edit: the new version (tiles and panels follow), then this tab and the card. */
async function afterEdit() {
  const before = store.get().version;
  await checkVersion();
  // An edit of an actor that is in no analysis (one still to place) leaves the version as it
  // was: the inventory and the card are read again all the same.
  const same = store.get().version === before;
  await Promise.all([tilesRefreshed(), load({ force: same }), loadCard({ force: same })]);
  counters().actorsEdited += 1;
}

/** Sends an edit; `true` when committed, else the error (`field`, `message`). */
async function commit(method, url, body, version, done) {
  try {
    const c = await api.editActor(method, url, body, version);
    say(`${done} (version ${c.edit.version}, analyse recalculée en ${c.rebuild_ms} ms).`);
    await afterEdit();
    return true;
  } catch (e) {
    say(`Modification refusée${e.parameter ? ` (champ ${e.parameter})` : ''} : ${e.message}`, true);
    return { field: e.parameter, message: e.message };
  }
}

const placeBody = (p, how) => ({ lon: Number(p.lon.toFixed(6)), lat: Number(p.lat.toFixed(6)), reason: `placé sur la carte (${how})` });

/** The reason of an edit that places an actor at the geocoder's point: where the point came from, with its score. */
export const geocodedReason = (r) => `placé à l'adresse connue, point du géocodeur : « ${r.label} », score ${fmt(r.score, 2)}${r.approximate ? ', adresse approximative' : ''}`;

/**
 * Places an actor known by address: a click, typed coordinates, the keyboard, or its marker
 * dragged; with `proposal` (a geocoder result), the map and the marker start at the proposed
 * point, which the editor confirms ("Confirmer ce point", or "Placer au viseur" without moving
 * the map) or moves.
 */
function startPlace(actor, proposal = null) {
  if (marker) marker.remove();
  const map = ctx.map;
  if (proposal) map.jumpTo({ center: [proposal.lon, proposal.lat], zoom: Math.max(map.getZoom(), 16) });
  marker = new maplibregl.Marker({ draggable: true, color: '#b3261e' }).setLngLat(map.getCenter()).addTo(map);
  marker.getElement().setAttribute('aria-label', `Position de ${actor.name} : faites glisser le repère`);
  marker.getElement().dataset.actor = actor.id;
  const done = (p, how) => {
    if (marker) { marker.remove(); marker = null; }
    const same = proposal && Math.abs(p.lon - proposal.lon) < 2e-6 && Math.abs(p.lat - proposal.lat) < 2e-6;
    const body = same ? { ...placeBody(proposal, how), reason: geocodedReason(proposal) } : placeBody(p, how);
    return commit('PATCH', `/api/actors/${encodeURIComponent(actor.id)}`, body, actor.version, `${actor.name} placé`);
  };
  if (proposal) {
    const confirm = el('button', { type: 'button', class: 'btn confirm-geocoded' }, 'Confirmer ce point');
    confirm.addEventListener('click', () => { stopPlacing(); confirm.remove(); done(proposal, 'géocodeur'); });
    document.querySelector(`#actors-list li[data-actor="${CSS.escape(actor.id)}"] .row-actions`)?.append(confirm);
    startPlacing({ kind: 'actor-place', text: `Placer « ${actor.name} » : le géocodeur propose ${resultText(proposal)}. Confirmez ce point (bouton « Confirmer ce point » ou « Placer au viseur »), ou déplacez le repère rouge.`, onPlace: done });
    say(`Point proposé pour ${actor.name} : ${resultText(proposal)}. Confirmez-le ou déplacez-le.`);
    return;
  }
  marker.on('dragend', () => {
    const p = marker.getLngLat();
    stopPlacing();
    done({ lon: p.lng, lat: p.lat }, 'repère glissé');
  });
  startPlacing({ kind: 'actor-place', text: `Placer « ${actor.name} » (${actor.address || 'adresse inconnue'}) : le repère rouge se fait aussi glisser.`, onPlace: done });
  say(`Placez ${actor.name} à l'adresse : ${actor.address || ''}.`);
}

/** Opening hours in week order: "lundi 09:00-12:00 ; mardi …". */
function hoursText(hours) {
  return DAYS.filter((d) => hours && hours[d]).map((d) => `${d} ${hours[d]}`).join(' ; ');
}

/** One range `HH:MM-HH:MM`, several separated by commas (the server checks again). */
const TIME = '(?:[01]?\\d|2[0-4])(?::[0-5]\\d|h(?:[0-5]\\d)?)';
const RANGE = `${TIME}\\s*[-–]\\s*${TIME}`;
const HOURS_PATTERN = new RegExp(`^\\s*${RANGE}(?:\\s*(?:,|/|;|\\set\\s)\\s*${RANGE})*\\s*$`, 'i');

function editForm(actor) {
  const form = el('form', { class: 'actor-form', 'aria-label': `Modifier ${actor.name || 'un acteur'}`, novalidate: true });
  const uid = Math.random().toString(36).slice(2, 8);
  const field = (name, text, value, attrs = {}) => {
    const id = `actor-${name.replace('.', '-')}-${uid}`;
    return [el('label', { for: id }, text), el('input', { id, name, value: value || '', ...attrs })];
  };
  const hoursHelp = `actor-hours-help-${uid}`;
  const hours = el('fieldset', { class: 'actor-hours', 'aria-describedby': hoursHelp },
    el('legend', {}, "Horaires d'ouverture"),
    el('p', { class: 'hint', id: hoursHelp }, 'Une ou plusieurs plages HH:MM-HH:MM par jour, séparées par des virgules (ex. 09:00-12:00, 14:00-17:00) ; vide : fermé.'),
    // One row per weekday: its label and its box side by side, whatever the layout.
    ...DAYS.map((d) => el('div', { class: 'hours-row', 'data-day': d }, ...field(`opening_hours.${d}`, d[0].toUpperCase() + d.slice(1), (actor.opening_hours || {})[d],
      { placeholder: '09:00-12:00, 14:00-17:00', inputmode: 'text', autocomplete: 'off' }))));
  const error = el('p', { class: 'error', role: 'alert' });
  form.append(el('div', {}, ...field('name', 'Nom', actor.name)), el('div', {}, ...field('kind', 'Type (typologie data·inclusion, ex. ML)', actor.kind)),
    el('div', {}, ...field('address', 'Adresse', actor.address)), hours, error,
    el('button', { type: 'submit', class: 'btn' }, 'Enregistrer'));
  const input = (name) => form.querySelector(`[name="${name}"]`);
  const invalid = (name, message) => {
    for (const i of form.querySelectorAll('input')) i.removeAttribute('aria-invalid');
    const target = input(name);
    if (target) { target.setAttribute('aria-invalid', 'true'); target.focus(); }
    error.textContent = message;
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const opening = {};
    for (const d of DAYS) {
      const v = String(f.get(`opening_hours.${d}`) || '').trim();
      if (v && !HOURS_PATTERN.test(v)) return invalid(`opening_hours.${d}`, `Horaires du ${d} illisibles : « ${v} ». Attendu HH:MM-HH:MM, plusieurs plages séparées par des virgules.`);
      opening[d] = v;
    }
    const body = { name: f.get('name'), kind: f.get('kind'), address: f.get('address'), opening_hours: opening, reason: 'modifié depuis la page' };
    const ok = actor.id
      ? await commit('PATCH', `/api/actors/${encodeURIComponent(actor.id)}`, body, actor.version, `${body.name} modifié`)
      : await commit('POST', '/api/actors', { ...body, lon: actor.lon, lat: actor.lat }, undefined, `${body.name} ajouté`);
    if (ok !== true) invalid(ok && ok.field, ok ? ok.message : '');
  });
  return form;
}

const KIND_LABELS = { create: 'création', update: 'modification', place: 'placement sur la carte', retire: 'retrait', undo: 'annulation', import: 'import' };

function editFields(state) {
  if (!state) return 'acteur retiré';
  const parts = [`nom « ${state.name} »`, `type ${state.kind}`];
  if (state.address) parts.push(`adresse « ${state.address} »`);
  if (state.commune) parts.push(`commune ${state.commune}`);
  parts.push(state.lon != null ? `point (${state.lon.toFixed(5)}, ${state.lat.toFixed(5)})` : 'à localiser');
  const h = hoursText(state.opening_hours);
  if (h) parts.push(`horaires : ${h}`);
  return parts.join(', ');
}

async function showHistory(actor, box) {
  const edits = await api.actorHistory(actor.id);
  const time = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
  const title = el('h3', { class: 'hint' }, `Historique de ${actor.name} : ${edits.length} modification(s)`);
  if (!edits.length) return box.replaceChildren(title, el('p', { class: 'hint' }, 'Aucune modification : tel que chargé depuis les fichiers du territoire.'));
  const last = edits[edits.length - 1];
  const items = edits.slice().reverse().map((e) => {
    const li = el('li', { 'data-seq': e.seq, 'data-version': e.version },
      el('strong', {}, `Version ${e.version} : ${KIND_LABELS[e.kind] || e.kind}`),
      ` par ${e.author}, le `, el('time', { datetime: e.time }, time.format(new Date(e.time))),
      e.reason ? el('p', {}, `Motif : ${e.reason}`) : null,
      el('p', { class: 'hint' }, editFields(e.state)));
    if (inventory().editable && e === last) {
      const b = el('button', { type: 'button', class: 'btn btn-secondary undo-edit' }, 'Annuler cette modification');
      b.addEventListener('click', () => commit('POST', `/api/actors/${encodeURIComponent(actor.id)}/undo`, null, e.version,
        `Modification ${e.version} de ${actor.name} annulée (l'annulation est une nouvelle modification)`));
      li.append(b);
    }
    return li;
  });
  box.replaceChildren(title, el('ol', { class: 'actor-history', reversed: true }, ...items),
    edits.length > 1 ? el('p', { class: 'hint' }, 'Seule la dernière modification s\'annule ; annulez-les une à une pour remonter plus loin.') : null);
}

function retireForm(actor) {
  const id = `retire-${Math.random().toString(36).slice(2, 8)}`;
  const form = el('form', { class: 'actor-form', 'aria-label': `Retirer ${actor.name}` },
    el('label', { for: id }, 'Motif du retrait'), el('input', { id, name: 'reason', required: 'required' }),
    el('button', { type: 'submit', class: 'btn btn-secondary' }, 'Retirer'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    commit('DELETE', `/api/actors/${encodeURIComponent(actor.id)}`, { reason: new FormData(form).get('reason') }, actor.version, `${actor.name} retiré`);
  });
  return form;
}

function row(actor) {
  const selected = store.get().actor === actor.id;
  const li = el('li', { class: `actor-item${selected ? ' is-selected' : ''}`, 'data-actor': actor.id, 'data-status': actor.status, 'data-group': actor.group, 'aria-current': selected ? 'true' : null },
    el('strong', {}, actor.name), ` (${groupLabel(actor.group)}, type ${actor.kind}) : ${STATUS_LABELS[actor.status] || actor.status}`,
    actor.commune_name ? `, ${actor.commune_name}` : '',
    el('span', { class: 'hint' }, ` · source : ${sourceLabel(actor.source)}`),
    actor.address ? el('p', { class: 'hint' }, actor.address) : null,
    hoursText(actor.opening_hours) ? el('p', { class: 'hint actor-hours-text' }, `Horaires : ${hoursText(actor.opening_hours)}`) : null);
  const history = el('div', { class: 'actor-history-box' });
  const actions = el('div', { class: 'row-actions' });
  if (actor.status === 'placed' && actor.lon !== null && actor.lon !== undefined) {
    const show = el('button', { type: 'button', class: 'btn btn-secondary show-on-map', 'aria-pressed': String(selected) }, 'Voir sur la carte');
    show.addEventListener('click', () => chooseActor(actor.id, { fly: true }));
    actions.append(show);
  }
  const hist = el('button', { type: 'button', class: 'btn btn-secondary show-history', 'aria-expanded': 'false' }, 'Historique');
  hist.addEventListener('click', async () => {
    const open = hist.getAttribute('aria-expanded') === 'true';
    hist.setAttribute('aria-expanded', String(!open));
    if (open) history.replaceChildren();
    else await showHistory(actor, history);
  });
  actions.append(hist);
  li.append(actions, history);
  if (inventory().editable && actor.status !== 'retired') {
    const tools = el('div', { class: 'row-actions' });
    if (actor.status === 'to_place') {
      const b = el('button', { type: 'button', class: 'btn place-actor' }, 'Placer sur la carte');
      b.addEventListener('click', () => startPlace(actor));
      tools.append(b);
      if (geocoderOn) {
        const g = el('button', { type: 'button', class: 'btn btn-secondary place-by-address' }, 'Placer à l\'adresse connue');
        g.addEventListener('click', async () => {
          say(`Recherche de l'adresse de ${actor.name}…`);
          const { result, message } = await geocodeActor(actor);
          if (!result) say(`${actor.name} : ${message}`, true);
          else startPlace(actor, result);
        });
        tools.append(g);
      }
    }
    const edit = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Modifier');
    edit.addEventListener('click', () => li.append(editForm(actor)));
    const retire = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Retirer');
    retire.addEventListener('click', () => li.append(retireForm(actor)));
    tools.append(edit, retire);
    li.append(tools);
  }
  return li;
}

/** Per commune, the actors by source: where the inventory comes from, and how unevenly. */
function renderSources(actors) {
  const box = $('actors-sources');
  const live = actors.filter((a) => a.status !== 'retired');
  if (!live.length) { box.replaceChildren(); return; }
  const byCommune = new Map();
  for (const a of live) {
    const key = a.commune_name || 'commune inconnue';
    if (!byCommune.has(key)) byCommune.set(key, new Map());
    const m = byCommune.get(key);
    m.set(a.source, (m.get(a.source) || 0) + 1);
  }
  const total = live.length;
  const rows = [...byCommune.entries()].map(([name, m]) => [name, [...m.values()].reduce((x, y) => x + y, 0), m])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'fr'));
  const [topName, topCount, topSources] = rows[0];
  const [topSource, topSourceCount] = [...topSources.entries()].sort((a, b) => b[1] - a[1])[0];
  const summary = rows.length > 1
    ? `${fmt(topCount, 0)} des ${fmt(total, 0)} acteurs (${fmt((100 * topCount) / total, 0)} %) sont à ${topName}, dont ${fmt(topSourceCount, 0)} de la seule source « ${sourceLabel(topSource)} » : l'inventaire est inégal d'une commune à l'autre, une commune avec peu d'acteurs peut manquer de sources.`
    : `${fmt(total, 0)} acteur(s) à ${topName}.`;
  box.replaceChildren(
    el('p', { id: 'actors-imbalance' }, summary),
    el('details', { class: 'settings' }, el('summary', {}, 'Acteurs par commune et par source'),
      el('div', { class: 'table-wrap' }, el('table', { class: 'data-table', id: 'actors-by-source' },
        el('caption', {}, 'Acteurs (placés et à localiser) par commune et par source de données'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Commune'), el('th', { scope: 'col', class: 'num' }, 'Acteurs'), el('th', { scope: 'col' }, 'Par source'))),
        el('tbody', {}, rows.map(([name, n, m]) => el('tr', { 'data-commune': name },
          el('th', { scope: 'row' }, name), el('td', { class: 'num' }, fmt(n, 0)),
          el('td', {}, [...m.entries()].sort((a, b) => b[1] - a[1]).map(([src, k]) => `${src} : ${k}`).join(' ; '))))))),
      el('ul', { class: 'hint', id: 'actors-source-list' }, (inventory().sources || []).map((x) => el('li', { 'data-source': x.source },
        `${x.source} : ${x.label || 'sans description'} (${fmt(x.kept, 0)} acteurs au chargement)`)))));
}

function render() {
  const inv = inventory();
  if (!inv) return;
  $('actors-readonly').hidden = inv.editable;
  $('actors-readonly').textContent = inv.read_only_reason || '';
  $('actors-editor').hidden = !inv.editable;
  const commune = $('actors-commune').value;
  const group = $('actors-group').value;
  const status = $('actors-filter-status').value;
  const list = inv.actors.filter((a) => (!commune || a.commune === commune) && (!group || a.group === group) && (!status || a.status === status));
  const placed = list.filter((a) => a.status === 'placed').length;
  const toPlace = list.filter((a) => a.status === 'to_place').length;
  $('actors-count').textContent = `${list.length} acteur(s) : ${placed} placé(s), ${toPlace} à localiser.`;
  const shown = list.slice(0, 300);
  const chosen = store.get().actor;
  if (chosen && !shown.some((a) => a.id === chosen)) {
    const a = list.find((x) => x.id === chosen);
    if (a) shown.push(a);
  }
  $('actors-list').replaceChildren(...shown.map(row));
  // The whole territory's balance, whatever the filters (the imbalance is the territory's).
  renderSources(inv.actors);
}

function fillSelects(inv) {
  const gsel = $('actors-group');
  const present = new Set(inv.actors.map((a) => a.group));
  const value = gsel.value;
  gsel.replaceChildren(el('option', { value: '' }, 'Tous'), ...ACTOR_GROUPS.filter((g) => present.has(g.code)).map((g) => el('option', { value: g.code }, groupLabel(g.code))));
  gsel.value = value;
  const csel = $('actors-commune');
  if (csel.options.length <= 1) csel.append(...store.get().communes.map((c) => el('option', { value: c.code }, c.name)));
}

/** Opens the Acteurs tab on the actors of `group` known by address only (in `commune`, if given). */
export function showToPlace(group, commune = '') {
  $('actors-group').value = group;
  $('actors-filter-status').value = 'to_place';
  $('actors-commune').value = commune;
  store.set({ tab: 'actors' });
  render();
  $('actors-list').querySelector('li')?.scrollIntoView({ block: 'nearest' });
  $('actors-count').focus();
}

/** Chooses an actor: ringed on the map (flown to with `fly`), marked in the list. */
export function chooseActor(id, { fly = false } = {}) {
  store.set({ actor: id });
  const a = inventory()?.actors.find((x) => x.id === id);
  if (fly && a && a.lon !== null && a.lon !== undefined) ctx.map.flyTo({ center: [a.lon, a.lat], zoom: Math.max(ctx.map.getZoom(), 14) });
}

function renderChosen(id) {
  const map = ctx.map;
  if (map.getLayer('actors-selected')) map.setFilter('actors-selected', ['==', ['get', 'id'], id || '']);
  showActorName(map, id || '');
  for (const li of document.querySelectorAll('#actors-list li.actor-item')) {
    const on = li.dataset.actor === id;
    li.classList.toggle('is-selected', on);
    if (on) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    li.querySelector('.show-on-map')?.setAttribute('aria-pressed', String(on));
  }
}

/** A click on an actor of the map: its popup, and the actor chosen in the Acteurs list. */
export function selectActorOnMap(feature) {
  const p = feature.properties;
  if (popup) popup.remove();
  popup = new maplibregl.Popup({ closeButton: true, maxWidth: '280px' })
    .setLngLat(feature.geometry.coordinates)
    .setDOMContent(el('div', {}, el('h3', {}, p.name), el('p', {}, p.kind_label), el('p', { class: 'hint' }, `Source : ${p.source}`)))
    .addTo(ctx.map);
  popup.on('close', () => { if (store.get().actor === p.id) store.set({ actor: null }); });
  // The list shows it: filters that would hide it are lifted.
  const a = inventory()?.actors.find((x) => x.id === p.id);
  if (a) {
    if ($('actors-commune').value && $('actors-commune').value !== a.commune) $('actors-commune').value = '';
    if ($('actors-group').value && $('actors-group').value !== a.group) $('actors-group').value = '';
    if ($('actors-filter-status').value && $('actors-filter-status').value !== a.status) $('actors-filter-status').value = '';
  }
  store.set({ actor: p.id, tab: 'actors' });
  render();
  const li = document.querySelector(`#actors-list li[data-actor="${CSS.escape(p.id)}"]`);
  if (li) li.scrollIntoView({ block: 'nearest' });
}

const IMPORT_STATUS = { placed: 'valide, placé', to_place: 'valide, à localiser' };
let pendingImport = null;

const importRequest = (mode, file, text) => api.importActors(mode, file.name, text);

function renderPreview(p) {
  const rows = p.items.map((it) => el('tr', { class: it.error ? 'import-error' : '', 'data-status': it.status },
    el('th', { scope: 'row' }, it.label), el('td', {}, it.name || '—'), el('td', {}, it.kind || '—'),
    el('td', {}, it.commune_name || it.commune || '—'),
    el('td', { class: it.error ? 'import-error-text' : '' }, it.error ? `Erreur : ${it.error.message}` : IMPORT_STATUS[it.status] || it.status)));
  $('actors-import-table').tBodies[0].replaceChildren(...rows);
  $('actors-import-preview').hidden = false;
  $('actors-import-summary').textContent = p.summary;
  $('actors-import-summary').classList.toggle('error', !p.committable);
  $('actors-import-commit').disabled = !p.committable;
}

async function previewImport() {
  const file = $('actors-import').files[0];
  pendingImport = null;
  $('actors-import-commit').disabled = true;
  if (!file) return;
  const text = await file.text();
  try {
    const p = await importRequest('preview', file, text);
    pendingImport = { file, text };
    renderPreview(p);
    counters().importPreviewed += 1;
  } catch (e) {
    $('actors-import-preview').hidden = true;
    $('actors-import-summary').textContent = `Fichier refusé : ${e.message}`;
    $('actors-import-summary').classList.add('error');
  }
}

async function commitImport() {
  if (!pendingImport) return;
  const button = $('actors-import-commit');
  button.disabled = true;
  try {
    const c = await importRequest('commit', pendingImport.file, pendingImport.text);
    $('actors-import-summary').textContent = `${c.summary} Analyse recalculée en ${c.rebuild_ms} ms.`;
    $('actors-import-summary').classList.remove('error');
    pendingImport = null;
    $('actors-import').value = '';
    await afterEdit();
  } catch (e) {
    $('actors-import-summary').textContent = `Import refusé : ${e.message}`;
    $('actors-import-summary').classList.add('error');
    button.disabled = false;
  }
}

/** Sets up the tab; it follows the store (version: reload; inventory, chosen actor: render). */
export async function initActors(context) {
  ctx = context;
  for (const id of ['actors-commune', 'actors-group', 'actors-filter-status']) $(id).addEventListener('change', render);
  const token = $('actors-token');
  token.value = api.editToken();
  token.addEventListener('change', () => api.setEditToken(token.value.trim()));
  $('actors-import').addEventListener('change', previewImport);
  $('actors-import-commit').addEventListener('click', commitImport);
  $('actors-add').addEventListener('click', () => startPlacing({
    kind: 'actor-new',
    text: 'Placer le nouvel acteur.',
    onPlace: (p) => $('actors-new').replaceChildren(editForm({ name: '', kind: '', lon: p.lon, lat: p.lat })),
  }));
  store.subscribe('version', () => load());
  store.subscribe('inventory', (s) => { fillSelects(s.inventory); render(); });
  store.subscribe('actor', (s) => renderChosen(s.actor));
  await load();
}
