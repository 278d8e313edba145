// The "Acteurs" tab: the actor inventory (`/api/actors`), filtered by commune, group and status;
// an editor (token sent in the `Authorization` header, kept for the session only) places an
// actor known by address only by dropping its marker on the map, adds one by clicking on the
// map, edits name, kind, address and the hours of each weekday, retires one with a reason,
// undoes the last edit from an actor's history, or imports a CSV, GeoJSON or data·inclusion file
// after a line-by-line preview (the import is committed only when no line has an error). Every committed edit
// rebuilds the analysis on the server: the page then reloads the tiles (new versioned URLs) and
// the open commune card.
import { maplibregl, SOURCE } from './map.js';
import { el } from './util.js';

const TOKEN_KEY = 'repere.editToken';
let app = null;
let inventory = null;
let marker = null;
let addMode = false;

const STATUS_LABELS = { placed: 'placé', to_place: 'à localiser', retired: 'retiré' };
const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

function $(id) { return document.getElementById(id); }

function say(text, isError = false) {
  const box = $('actors-status');
  box.textContent = text;
  box.classList.toggle('error', isError);
}

async function send(method, url, body, version) {
  const headers = { accept: 'application/json', authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}` };
  if (body) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"v${version}"`;
  const r = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = new Error(data.error || `${r.status}`);
    e.field = data.parameter;
    throw e;
  }
  return data;
}

/** After a committed edit: new tiles (versioned URLs), inventory and the open card. */
async function refresh() {
  // Tiles from a static PMTiles archive (`--tiles-url`) follow edits only once re-exported.
  if (!app.pmtiles) {
    const tj = await (await fetch('/tiles/all.json')).json();
    const source = app.map.getSource(SOURCE);
    if (source && source.setTiles) source.setTiles(tj.tiles);
  }
  await load();
  if (app.state.commune && app.selectCommune) await app.selectCommune(app.state.commune, { openTab: false });
}

/** Sends an edit; `true` when committed, else the error (`field`, `message`). */
async function commit(method, url, body, version, done) {
  try {
    const c = await send(method, url, body, version);
    say(`${done} (version ${c.edit.version}, analyse recalculée en ${c.rebuild_ms} ms).`);
    await refresh();
    app.actorsEdited = (app.actorsEdited || 0) + 1;
    return true;
  } catch (e) {
    say(`Modification refusée${e.field ? ` (champ ${e.field})` : ''} : ${e.message}`, true);
    return { field: e.field, message: e.message };
  }
}

function placeMarker(actor, lngLat) {
  if (marker) marker.remove();
  marker = new maplibregl.Marker({ draggable: true, color: '#b3261e' }).setLngLat(lngLat).addTo(app.map);
  marker.getElement().setAttribute('aria-label', `Position de ${actor.name} : faites glisser le repère`);
  marker.getElement().dataset.actor = actor.id;
  say(`Faites glisser le repère rouge à l'adresse : ${actor.address || ''}.`);
  marker.on('dragend', () => {
    const p = marker.getLngLat();
    marker.remove();
    marker = null;
    commit('PATCH', `/api/actors/${encodeURIComponent(actor.id)}`,
      { lon: Number(p.lng.toFixed(6)), lat: Number(p.lat.toFixed(6)), reason: 'placé sur la carte' }, actor.version, `${actor.name} placé`);
  });
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
    ...DAYS.map((d) => field(`opening_hours.${d}`, d[0].toUpperCase() + d.slice(1), (actor.opening_hours || {})[d],
      { placeholder: '09:00-12:00, 14:00-17:00', inputmode: 'text', autocomplete: 'off' })).flat());
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
  const edits = await (await fetch(`/api/actors/${encodeURIComponent(actor.id)}/history`, { headers: { accept: 'application/json' } })).json();
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
    if (inventory.editable && e === last) {
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
  const li = el('li', { class: 'actor-item', 'data-actor': actor.id, 'data-status': actor.status },
    el('strong', {}, actor.name), ` (${actor.kind}) : ${STATUS_LABELS[actor.status] || actor.status}`,
    actor.commune_name ? `, ${actor.commune_name}` : '',
    actor.address ? el('p', { class: 'hint' }, actor.address) : null,
    hoursText(actor.opening_hours) ? el('p', { class: 'hint actor-hours-text' }, `Horaires : ${hoursText(actor.opening_hours)}`) : null);
  const history = el('div', { class: 'actor-history-box' });
  const hist = el('button', { type: 'button', class: 'btn btn-secondary show-history', 'aria-expanded': 'false' }, 'Historique');
  hist.addEventListener('click', async () => {
    const open = hist.getAttribute('aria-expanded') === 'true';
    hist.setAttribute('aria-expanded', String(!open));
    if (open) history.replaceChildren();
    else await showHistory(actor, history);
  });
  li.append(el('div', { class: 'row-actions' }, hist), history);
  if (inventory.editable && actor.status !== 'retired') {
    const tools = el('div', { class: 'row-actions' });
    if (actor.status === 'to_place') {
      const b = el('button', { type: 'button', class: 'btn place-actor' }, 'Placer sur la carte');
      b.addEventListener('click', () => placeMarker(actor, app.map.getCenter()));
      tools.append(b);
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

function render() {
  const commune = $('actors-commune').value;
  const group = $('actors-group').value;
  const status = $('actors-filter-status').value;
  const list = inventory.actors.filter((a) => (!commune || a.commune === commune) && (!group || a.group === group) && (!status || a.status === status));
  $('actors-count').textContent = `${list.length} acteur(s)`;
  $('actors-list').replaceChildren(...list.slice(0, 300).map(row));
}

async function load() {
  inventory = await (await fetch('/api/actors', { headers: { accept: 'application/json' } })).json();
  $('actors-readonly').hidden = inventory.editable;
  $('actors-readonly').textContent = inventory.read_only_reason || '';
  $('actors-editor').hidden = !inventory.editable;
  const groups = [...new Set(inventory.actors.map((a) => a.group))].sort();
  const gsel = $('actors-group');
  if (gsel.options.length <= 1) gsel.append(...groups.map((g) => el('option', { value: g }, g)));
  const csel = $('actors-commune');
  if (csel.options.length <= 1) csel.append(...app.communes.map((c) => el('option', { value: c.code }, c.name)));
  render();
}

const IMPORT_STATUS = { placed: 'valide, placé', to_place: 'valide, à localiser' };
let pendingImport = null;

/** `POST /api/actors/import?mode=…` with the file as the body. */
async function importRequest(mode, file, text) {
  const q = new URLSearchParams({ mode, name: file.name });
  const headers = { accept: 'application/json', 'content-type': /\.csv$/i.test(file.name) ? 'text/csv' : 'application/json' };
  if (mode === 'commit') headers.authorization = `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}`;
  const r = await fetch(`/api/actors/import?${q}`, { method: 'POST', headers, body: text });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error || `${r.status}`);
  return data;
}

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
    app.importPreviewed = (app.importPreviewed || 0) + 1;
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
    await refresh();
    app.actorsEdited = (app.actorsEdited || 0) + 1;
  } catch (e) {
    $('actors-import-summary').textContent = `Import refusé : ${e.message}`;
    $('actors-import-summary').classList.add('error');
    button.disabled = false;
  }
}

/** Sets up the tab; `app.selectCommune` reopens the card after an edit. */
export async function initActors(appRef) {
  app = appRef;
  for (const id of ['actors-commune', 'actors-group', 'actors-filter-status']) $(id).addEventListener('change', render);
  const token = $('actors-token');
  token.value = sessionStorage.getItem(TOKEN_KEY) || '';
  token.addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, token.value.trim()));
  $('actors-import').addEventListener('change', previewImport);
  $('actors-import-commit').addEventListener('click', commitImport);
  $('actors-add').addEventListener('click', () => { addMode = true; say('Cliquez sur la carte à l\'emplacement du nouvel acteur.'); });
  app.map.on('click', (e) => {
    if (!addMode) return;
    addMode = false;
    const box = $('actors-new');
    box.replaceChildren(editForm({ name: '', kind: '', lon: Number(e.lngLat.lng.toFixed(6)), lat: Number(e.lngLat.lat.toFixed(6)) }));
  });
  await load();
}
