// The "Acteurs" tab: the actor inventory (`/api/actors`), filtered by commune, group and status;
// an editor (token sent in the `Authorization` header, kept for the session only) places an
// actor known by address only by dropping its marker on the map, adds one by clicking on the
// map, edits name, kind, address and hours, or retires one with a reason. Every committed edit
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

async function commit(method, url, body, version, done) {
  try {
    const c = await send(method, url, body, version);
    say(`${done} (version ${c.edit.version}, analyse recalculée en ${c.rebuild_ms} ms).`);
    await refresh();
    app.actorsEdited = (app.actorsEdited || 0) + 1;
  } catch (e) {
    say(`Modification refusée${e.field ? ` (champ ${e.field})` : ''} : ${e.message}`, true);
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

function editForm(actor) {
  const form = el('form', { class: 'actor-form', 'aria-label': `Modifier ${actor.name || 'un acteur'}` });
  const field = (name, text, value) => {
    const id = `actor-${name}-${Math.random().toString(36).slice(2, 8)}`;
    return el('div', {}, el('label', { for: id }, text), el('input', { id, name, value: value || '' }));
  };
  form.append(field('name', 'Nom', actor.name), field('kind', 'Type (typologie data·inclusion, ex. ML)', actor.kind),
    field('address', 'Adresse', actor.address), field('hours', 'Horaires (lundi)', (actor.opening_hours || {}).lundi),
    el('button', { type: 'submit', class: 'btn' }, 'Enregistrer'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const body = { name: f.get('name'), kind: f.get('kind'), address: f.get('address'), reason: 'modifié depuis la page' };
    if (f.get('hours')) body.opening_hours = { ...(actor.opening_hours || {}), lundi: f.get('hours') };
    if (actor.id) commit('PATCH', `/api/actors/${encodeURIComponent(actor.id)}`, body, actor.version, `${body.name} modifié`);
    else commit('POST', '/api/actors', { ...body, lon: actor.lon, lat: actor.lat }, undefined, `${body.name} ajouté`);
  });
  return form;
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
    actor.address ? el('p', { class: 'hint' }, actor.address) : null);
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

/** Sets up the tab; `app.selectCommune` reopens the card after an edit. */
export async function initActors(appRef) {
  app = appRef;
  for (const id of ['actors-commune', 'actors-group', 'actors-filter-status']) $(id).addEventListener('change', render);
  const token = $('actors-token');
  token.value = sessionStorage.getItem(TOKEN_KEY) || '';
  token.addEventListener('change', () => sessionStorage.setItem(TOKEN_KEY, token.value.trim()));
  $('actors-add').addEventListener('click', () => { addMode = true; say('Cliquez sur la carte à l\'emplacement du nouvel acteur.'); });
  app.map.on('click', (e) => {
    if (!addMode) return;
    addMode = false;
    const box = $('actors-new');
    box.replaceChildren(editForm({ name: '', kind: '', lon: Number(e.lngLat.lng.toFixed(6)), lat: Number(e.lngLat.lat.toFixed(6)) }));
  });
  await load();
}
