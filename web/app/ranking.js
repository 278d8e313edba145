// The ranking panel: weight sliders re-rank live through `GET /api/ranking?weights=`, the table of
// communes (score and its components: the text alternative to the map), highlight on the map, CSV.
// The weights and the highlight count are the store's; a new dataset version ranks again.
import * as api from './api.js';
import { store } from './store.js';
import { el, fmt, toCsv, download, debounce } from './util.js';
import { sourceOf } from './labels.js';

/** Short column headings of the score components (the full label and unit are the API's). */
const SHORT = { neet: 'NEET %', neet_count: 'NEET nb', youth_qpv: 'En QPV', access: 'Accès', distance: 'Dist.', invisibles: 'Invisibles' };

export async function initRanking(ctx) {
  const selectCommune = (code) => window.repere.selectCommune(code, { fly: true });
  const weightsBox = document.getElementById('weights');
  const statusBox = document.getElementById('ranking-status');
  const table = document.getElementById('ranking-table');
  const highlightSelect = document.getElementById('highlight-count');
  let defaults = {};
  let components = [];
  let current = null;
  let seq = 0;

  const renderTable = (ranking) => {
    const rows = ranking.entries;
    const comps = components.filter((c) => c.available);
    table.tHead.replaceChildren(el('tr', {},
      el('th', { scope: 'col', class: 'num' }, 'Rang'),
      el('th', { scope: 'col' }, 'Commune'),
      el('th', { scope: 'col', class: 'num' }, 'Score'),
      comps.map((c) => el('th', { scope: 'col', class: 'num' }, el('abbr', { title: `${c.label} (points du score ; ${sourceOf(c.field)})` }, SHORT[c.key] || c.label)))));
    // What each column is and where its figures come from, with their vintage.
    const sources = document.getElementById('ranking-sources');
    if (sources) {
      sources.replaceChildren(el('span', {}, 'Colonnes et sources : '), ...comps.map((c, i) => el('span', { 'data-key': c.key },
        `${i ? ' ; ' : ''}${SHORT[c.key] || c.label} : ${c.label} (${sourceOf(c.field) || 'source non précisée'})`)), '.');
    }
    const hl = Number(highlightSelect.value);
    table.tBodies[0].replaceChildren(...rows.map((r) => {
      const byKey = new Map(r.components.map((c) => [c.key, c]));
      const open = el('button', { type: 'button', class: 'link' }, r.name);
      open.addEventListener('click', () => selectCommune(r.code));
      const tr = el('tr', { 'data-code': r.code, class: [r.rank <= hl ? 'is-highlighted' : '', r.code === store.get().commune ? 'is-selected' : ''].join(' ').trim() || undefined },
        el('td', { class: 'num' }, r.rank),
        el('td', {}, open, el('span', { class: 'sr-only' }, ` (${r.code})`)),
        el('td', { class: 'num' }, el('strong', {}, fmt(r.score, 1))),
        comps.map((c) => {
          const x = byKey.get(c.key);
          // A value under statistical secrecy is "< 11", never "absent".
          const raw = x.secret ? `< 11 ${c.unit}` : x.value !== null ? `${fmt(x.value, c.key === 'neet' ? 1 : 0)} ${c.unit}` : 'donnée absente';
          return el('td', { class: 'num', title: `${c.label} : ${raw} (${sourceOf(c.field)})` }, fmt(x.points, 1));
        }));
      return tr;
    }));
  };

  const highlight = () => {
    const n = Number(highlightSelect.value);
    store.set({ highlight: n });
    const codes = current ? current.entries.filter((r) => r.rank <= n).map((r) => r.code) : [];
    if (ctx.map.getLayer('communes-highlight')) ctx.map.setFilter('communes-highlight', ['in', ['get', 'code'], ['literal', codes]]);
    table.querySelectorAll('tbody tr').forEach((tr) => {
      const r = current.entries.find((x) => x.code === tr.dataset.code);
      tr.classList.toggle('is-highlighted', Boolean(r && r.rank <= n));
    });
  };

  const apply = (ranking) => {
    current = ranking;
    store.set({ ranking });
    renderTable(ranking);
    highlight();
    const top = ranking.entries.slice(0, 3).map((r) => r.name).join(', ');
    statusBox.textContent = `${ranking.entries.length} communes classées (données version ${String(store.get().version).slice(0, 12)}). En tête : ${top}.`;
    statusBox.dataset.version = store.get().version || '';
    statusBox.classList.remove('error');
  };

  const differing = () => {
    const w = {};
    for (const input of weightsBox.querySelectorAll('input[type="range"]')) {
      const v = Number(input.value);
      if (v !== defaults[input.dataset.key]) w[input.dataset.key] = v;
    }
    return w;
  };

  const refresh = async () => {
    const mine = ++seq;
    store.set({ weights: differing() });
    try {
      const r = await api.ranking(store.get().weights);
      if (mine === seq) apply(r);
    } catch (e) {
      if (mine === seq) {
        statusBox.textContent = `Classement impossible : ${e.message}`;
        statusBox.classList.add('error');
      }
    }
  };
  const refreshSoon = debounce(refresh, 200);

  // The defaults and the component list come from the unweighted ranking.
  const base = await api.ranking({});
  defaults = { ...base.weights };
  components = base.components;
  for (const c of components) {
    const id = `weight-${c.key}`;
    const asked = store.get().weights;
    const start = asked && Number.isFinite(asked[c.key]) ? asked[c.key] : defaults[c.key];
    const out = el('output', { for: id, id: `${id}-value` }, fmt(start, 1));
    const input = el('input', { type: 'range', id, min: 0, max: 5, step: 0.5, value: start, 'data-key': c.key,
      'aria-describedby': `${id}-value`, disabled: !c.available });
    input.addEventListener('input', () => {
      out.textContent = fmt(Number(input.value), 1);
      refreshSoon();
    });
    const text = c.available ? c.label : `${c.label} (donnée absente)`;
    weightsBox.append(el('div', { class: 'weight-item' }, el('label', { for: id }, text), out, input));
  }
  document.getElementById('weights-reset').addEventListener('click', () => {
    for (const input of weightsBox.querySelectorAll('input[type="range"]')) {
      input.value = defaults[input.dataset.key];
      input.dispatchEvent(new Event('input'));
    }
  });
  if (Number.isFinite(store.get().highlight)) highlightSelect.value = String(store.get().highlight);
  highlightSelect.addEventListener('change', () => highlight());

  document.getElementById('ranking-export').addEventListener('click', () => {
    if (!current) return;
    const comps = components;
    const header = ['rang', 'code', 'commune', 'score', ...comps.flatMap((c) => [`${c.key}_valeur`, `${c.key}_normalise`, `${c.key}_points`])];
    const rows = current.entries.map((r) => {
      const byKey = new Map(r.components.map((c) => [c.key, c]));
      return [r.rank, r.code, r.name, r.score, ...comps.flatMap((c) => {
        const x = byKey.get(c.key);
        return [x.secret ? '< 11' : x.value, x.normalised, x.points];
      })];
    });
    const w = Object.entries({ ...defaults, ...store.get().weights }).map(([k, v]) => `${k}-${v}`).join('_');
    download(`classement-communes_${w}.csv`, toCsv(header, rows));
  });

  if (Object.keys(store.get().weights || {}).length) await refresh(); else apply(base);
  // A new dataset version: the same weights, ranked again.
  store.subscribe('version', () => refresh());
}
