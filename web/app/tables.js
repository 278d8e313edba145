// The map's information as tables (the text alternative to the map): every commune with the
// indicator the map is coloured by, and every QPV 2024 with its communes. Each row's button opens
// the commune's card or shows the QPV on the map.
import * as api from './api.js';
import { label, isCount, sourceOf } from './labels.js';
import { el, fmt } from './util.js';

const th = (text, cls) => el('th', { scope: 'col', class: cls }, text);

/** Fills the communes table with `field` (the choropleth's indicator, '' for none). */
export function renderCommunesTable(communes, field, open) {
  const table = document.getElementById('communes-table');
  if (!table) return;
  const [name, unit] = field ? label(field) : ['', ''];
  const digits = field && isCount(field) ? 0 : 1;
  // Each figure with its source and vintage (the engine's, `GET /api/fields`).
  const src = (f) => (sourceOf(f) ? ` — ${sourceOf(f)}` : '');
  const head = field ? `${name}${unit ? ` (${unit})` : ''}${src(field)}` : '';
  table.tHead.replaceChildren(el('tr', {}, th('Commune'), th('Code INSEE'), th(`Population${src('population')}`, 'num'),
    field ? th(head, 'num') : null));
  table.tBodies[0].replaceChildren(...communes.map((c) => {
    const value = field ? c[field] : undefined;
    return el('tr', { 'data-code': c.code },
      el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', onclick: () => open(c.code) }, c.name)),
      el('td', {}, c.code),
      el('td', { class: 'num' }, fmt(c.population, 0)),
      field ? el('td', { class: 'num' }, fmt(value, digits)) : null);
  }));
}

/** Loads and fills the QPV table (2024 QPV of the diagnostics). */
export async function renderQpvTable(communeName) {
  const table = document.getElementById('qpv-table');
  if (!table) return;
  let rows = [];
  try {
    rows = await api.qpvList();
  } catch (e) {
    table.caption.textContent = `Tableau des QPV indisponible : ${e.message}`;
    return;
  }
  table.tHead.replaceChildren(el('tr', {}, th('QPV'), th('Code'), th('Communes'), th('Surface (ha)', 'num'), th(`Jeunes 15-29 ans (estimation${sourceOf('youth_15_29_in_qpv_est') ? `, ${sourceOf('youth_15_29_in_qpv_est')}` : ''})`, 'num')));
  table.tBodies[0].replaceChildren(...rows.map((q) => el('tr', { 'data-qpv': q.code },
    el('th', { scope: 'row' }, q.name),
    el('td', {}, q.code),
    el('td', {}, q.communes.map(communeName).join(', ')),
    el('td', { class: 'num' }, fmt(q.area_m2 / 1e4, 1)),
    el('td', { class: 'num' }, fmt(q.youth_15_29_est, 0)))));
}
