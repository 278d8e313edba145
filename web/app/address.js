// Address search beside the commune search, through the server's geocoder proxy
// (`GET /api/geocode/search`, server/src/routes/geocode.rs: results inside the territory only,
// flagged `approximate` under the documented score). A WAI-ARIA combobox: typing lists the
// addresses found (a listbox), the arrow keys move in the list, Enter or a click chooses, Escape
// closes. A chosen address centres the map on it under a marker; while a point is being placed
// (placing.js), "Placer au viseur" then places it there. Without a geocoder (`/web-config.json`
// says `geocoder: false`) the box is off and says so: placing by click, coordinates and keyboard
// still works. `geocodeActor` serves the Acteurs tab's "Placer à l'adresse connue".
import * as api from './api.js';
import { maplibregl } from './map.js';
import { store } from './store.js';
import { el, fmt } from './util.js';

const $ = (id) => document.getElementById(id);
let map = null;
let marker = null;
let results = [];
let active = -1;
let pending = null;
let timer = null;

/** Whether the server has a geocoder (set from `/web-config.json`). */
export let geocoderOn = false;

/** "8 bis Rue de l'Industrie 76000 Rouen (score 0,95)", with "adresse approximative" when low. */
export const resultText = (r) => `${r.label} (score ${fmt(r.score, 2)}${r.approximate ? ', adresse approximative' : ''})`;

function say(text) { $('address-status').textContent = text; }

function close() {
  $('address-list').hidden = true;
  $('address-input').setAttribute('aria-expanded', 'false');
  $('address-input').removeAttribute('aria-activedescendant');
  active = -1;
}

function highlight(i) {
  const items = $('address-list').querySelectorAll('[role="option"]');
  active = Math.max(-1, Math.min(items.length - 1, i));
  items.forEach((li, k) => li.setAttribute('aria-selected', String(k === active)));
  if (active >= 0) {
    $('address-input').setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  } else $('address-input').removeAttribute('aria-activedescendant');
}

function render() {
  const list = $('address-list');
  list.replaceChildren(...results.map((r, i) => {
    const li = el('li', { role: 'option', id: `address-option-${i}`, 'aria-selected': 'false', class: r.approximate ? 'is-approximate' : '', 'data-lon': r.lon, 'data-lat': r.lat },
      r.label, r.approximate ? el('span', { class: 'hint' }, ' — adresse approximative') : null);
    // mousedown, not click: the input keeps the focus (no blur closing the list first).
    li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
    return li;
  }));
  const open = results.length > 0;
  list.hidden = !open;
  $('address-input').setAttribute('aria-expanded', String(open));
  active = -1;
}

async function search(text) {
  if (pending) pending.abort();
  if (text.trim().length < 3) { results = []; render(); say(''); return; }
  const controller = new AbortController();
  pending = controller;
  try {
    const answer = await api.geocodeSearch(text, controller.signal);
    if (controller.signal.aborted) return;
    results = answer.results;
    render();
    say(results.length
      ? `${results.length} adresse(s) du territoire : flèches pour choisir, Entrée pour aller à l'adresse.`
      : 'Aucune adresse du territoire ne correspond (le géocodeur ne place rien au hasard).');
  } catch (e) {
    if (e.name === 'AbortError') return;
    results = [];
    render();
    say(`Recherche d'adresse impossible : ${e.message}`);
  } finally {
    if (pending === controller) pending = null;
  }
}

/** Centres the map on a geocoder result, under a marker; says what it is. */
export function showResult(r) {
  if (marker) marker.remove();
  marker = new maplibregl.Marker({ color: '#1d4ed8' }).setLngLat([r.lon, r.lat]).addTo(map);
  marker.getElement().setAttribute('aria-label', `Adresse trouvée : ${r.label}`);
  marker.getElement().classList.add('address-marker');
  map.jumpTo({ center: [r.lon, r.lat], zoom: Math.max(map.getZoom(), 16) });
}

function choose(i) {
  const r = results[i];
  if (!r) return;
  $('address-input').value = r.label;
  close();
  showResult(r);
  // While a point is being placed (an actor, a project site), the crosshair is on the address.
  say(store.get().placing
    ? `Carte centrée sur ${resultText(r)} : « Placer au viseur » place le point à cette adresse.`
    : `Carte centrée sur ${resultText(r)}.`);
}

/**
 * The geocoder's best answer for an actor known by address (`address`, then its commune's name
 * when the address has no postcode): `{result}`, or `{message}` saying why there is none.
 */
export async function geocodeActor(actor) {
  if (!geocoderOn) return { message: 'la recherche d\'adresse demande un géocodeur (repere serve --geocoder) : placez l\'acteur par clic, coordonnées ou clavier.' };
  const address = (actor.address || '').trim();
  if (!address) return { message: 'cet acteur n\'a pas d\'adresse : placez-le par clic, coordonnées ou clavier.' };
  const text = /\b\d{5}\b/.test(address) || !actor.commune_name ? address : `${address} ${actor.commune_name}`;
  try {
    const answer = await api.geocodeSearch(text.slice(0, 200), undefined, 1);
    if (!answer.results.length) return { message: `adresse « ${text} » introuvable sur le territoire par le géocodeur : l'acteur reste à localiser ; placez-le par clic, coordonnées ou clavier.` };
    return { result: answer.results[0] };
  } catch (e) {
    return { message: `recherche d'adresse impossible (${e.message}) : placez l'acteur par clic, coordonnées ou clavier.` };
  }
}

/** Sets up the address box from the page configuration. */
export function initAddress(theMap, config) {
  map = theMap;
  geocoderOn = config.geocoder === true;
  const input = $('address-input');
  if (!geocoderOn) {
    input.disabled = true;
    input.placeholder = 'Recherche d\'adresse indisponible';
    say('La recherche d\'adresse demande un géocodeur (repere serve --geocoder) ; les points se placent par clic, coordonnées ou clavier.');
    $('address-form').classList.add('is-off');
    return;
  }
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => search(input.value), 250);
  });
  input.addEventListener('keydown', (e) => {
    const open = !$('address-list').hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open && results.length) render();
      highlight(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(active - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && active >= 0) choose(active);
      else if (open && results.length === 1) choose(0);
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); e.stopPropagation(); close(); }
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  $('address-form').addEventListener('submit', (e) => e.preventDefault());
}
