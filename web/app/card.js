// The commune card: the diagnostic with every value against the Métropole, the QPV list, the nearest
// actors, and a print view (print CSS keeps only the card).
import { el, fmt, fmtDistance } from './util.js';
import { label, isCount, GROUP_LABELS } from './labels.js';
import { ACTOR_GROUPS, symbolImg } from './symbols.js';

/** Indicators shown first, in this order; any other compared value follows. */
const ORDER = [
  'youth_15_29', 'youth_15_29_share_pct', 'neet_share_2018_pct', 'neet_share_2013_pct', 'neet_share_2008_pct',
  'neet_trend_2008_2018_pts', 'neet_trend_2013_2018_pts', 'estimated_neet_count', 'youth_15_29_in_qpv_est',
  'qpv_area_share_pct', 'qpv_area_m2', 'accessibility_index_per_1000', 'distance_to_nearest_ml_ft_m',
];
/** Indicators where a higher value means more need (for the comparison wording). */
const HIGHER_IS_WORSE = /neet|in_qpv|qpv_area|distance/;
const LOWER_IS_WORSE = /accessibility/;

/** Whether a diagnostic field is a `Compared` indicator (`{value, metropole, …}`, see api.js). */
const isCompared = (v) => v !== null && typeof v === 'object' && 'ratio_to_metropole' in v;

function value(field, v) {
  if (v === null || v === undefined) return '—';
  const [, unit] = label(field);
  if (unit === 'm') return fmtDistance(v);
  if (unit === 'm²') return `${fmt(v / 10000, 1)} ha`;
  const s = fmt(v, isCount(field) ? 0 : 1);
  return unit ? `${s} ${unit === 'pts' ? 'pts' : unit}` : s;
}

/** Totals (counts, areas) compare as a share of the Métropole's total, not as a ratio of rates. */
const TOTAL = /^(population|youth_15_29|estimated_neet_count|youth_15_29_in_qpv_est|qpv_area_m2)$/;

function comparison(field, c) {
  if (c.value === null || c.value === undefined || c.metropole === null || c.metropole === undefined) return el('td', {}, '—');
  if (TOTAL.test(field)) return el('td', {}, c.metropole > 0 ? `${fmt((100 * c.value) / c.metropole, 1)} % du total` : '—');
  const diff = c.value - c.metropole;
  if (label(field)[1] === 'pts') {
    // Changes in points compare by difference (a ratio of two changes of any sign means little).
    const cls = Math.abs(diff) < 0.05 ? '' : diff > 0 ? 'compare-higher' : 'compare-lower';
    return el('td', { class: cls }, Math.abs(diff) < 0.05 ? 'proche' : `${diff > 0 ? '+' : '−'}${fmt(Math.abs(diff), 1)} pts`);
  }
  const rel = Math.abs(c.metropole) > 1e-9 ? diff / Math.abs(c.metropole) : null;
  if (rel !== null && Math.abs(rel) < 0.05) return el('td', {}, 'proche');
  const higher = diff > 0;
  let cls = '';
  if (HIGHER_IS_WORSE.test(field)) cls = higher ? 'compare-higher' : 'compare-lower';
  else if (LOWER_IS_WORSE.test(field)) cls = higher ? 'compare-lower' : 'compare-higher';
  const ratio = c.ratio_to_metropole;
  const text = `${higher ? 'supérieur' : 'inférieur'}${ratio !== null && ratio > 0 ? ` (× ${fmt(ratio, 2)})` : ''}`;
  return el('td', { class: cls }, text);
}

/** Shows a placeholder while the diagnostic loads. */
export function showCardLoading(box, commune) {
  box.replaceChildren(el('p', { class: 'hint' }, `Chargement de la fiche${commune ? ` de ${commune.name}` : ''}…`));
}

function qpvSection(diag) {
  const list = diag.qpv;
  if (!list.length) return [el('h3', {}, 'Quartiers prioritaires (QPV 2024)'), el('p', {}, 'Aucun QPV dans cette commune.')];
  // The label names the engine's stop catchment (`GET /api/fields`); no GTFS, no count.
  const stops = diag.stops_near_qpv === null ? null
    : el('p', { id: 'card-stops' }, `${label('stops_near_qpv')[0]} : ${fmt(diag.stops_near_qpv, 0)}`);
  return [
    el('h3', {}, `Quartiers prioritaires (QPV 2024) : ${list.length}`),
    el('ul', { class: 'qpv-list', id: 'card-qpv-list' }, list.map((q) => el('li', { 'data-qpv': q.code },
      el('code', {}, q.code), ' ', el('strong', {}, q.name),
      ` : ${fmt(q.area_in_commune_m2 / 10000, 1)} ha dans la commune`,
      ` (${fmt(q.share_of_qpv_pct, 0)} % du quartier)`))),
    stops,
  ];
}

function nearestSection(diag) {
  const nearest = diag.nearest_actor_by_group;
  const reach = diag.actors_within_reach_by_group;
  const inside = diag.actors_inside_by_group;
  const rows = ACTOR_GROUPS.filter((g) => g.code in nearest || g.code in inside || g.code in reach).map((g) => {
    const n = nearest[g.code];
    return el('tr', { 'data-group': g.code },
      el('td', {}, el('span', { style: 'display:inline-flex;align-items:center;gap:.35rem' }, symbolImg(g), GROUP_LABELS[g.code])),
      el('td', {}, n ? n.actor_name : g.code in nearest ? 'aucun dans les données' : '—'),
      el('td', { class: 'num distance' }, n ? fmtDistance(n.distance_m) : '—'),
      el('td', { class: 'num' }, fmt(inside[g.code], 0)),
      el('td', { class: 'num' }, fmt(reach[g.code], 0)));
  });
  if (!rows.length) return [];
  const reachText = ` à moins de ${fmtDistance(diag.reach_m)}`;
  return [
    el('h3', {}, 'Acteurs les plus proches'),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data-table' },
      el('caption', {}, "Distance au plus proche acteur de chaque type (depuis la commune), nombre d'acteurs dans la commune et" + reachText),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Type'), el('th', { scope: 'col' }, 'Le plus proche'),
        el('th', { scope: 'col', class: 'num' }, 'Distance'), el('th', { scope: 'col', class: 'num' }, 'Dans la commune'),
        el('th', { scope: 'col', class: 'num' }, 'À portée'))),
      el('tbody', {}, rows))),
  ];
}

/** Renders one commune's diagnostic into `box`. */
export function renderCard(box, diag, { app }) {
  const compared = Object.entries(diag).filter(([, v]) => isCompared(v));
  compared.sort(([a], [b]) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const ranked = app.rankingByCode ? app.rankingByCode.get(diag.code) : null;
  const total = app.rankingRows ? app.rankingRows.length : null;
  const subtitle = [`Code INSEE ${diag.code}`, diag.population ? `${fmt(diag.population, 0)} habitants${diag.population_vintage ? ` (${diag.population_vintage})` : ''}` : null,
    diag.area_m2 ? `${fmt(diag.area_m2 / 1e6, 1)} km²` : null, diag.epci_name].filter(Boolean).join(' · ');
  const printButton = el('button', { type: 'button', class: 'btn' }, 'Imprimer la fiche');
  printButton.addEventListener('click', () => window.print());
  const tableButton = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Voir dans le classement');
  tableButton.addEventListener('click', () => {
    app.selectTab('ranking');
    const row = document.querySelector(`#ranking-table tr[data-code="${diag.code}"]`);
    if (row) { row.scrollIntoView({ block: 'center' }); row.querySelector('button')?.focus(); }
  });

  box.replaceChildren(
    el('h2', { id: 'card-title' }, diag.name),
    el('p', { class: 'subtitle' }, subtitle),
    el('div', { class: 'card-actions' }, printButton, tableButton),
    ranked ? el('div', { class: 'score-box' }, el('span', {}, 'Priorité de repérage'),
      el('strong', {}, `${ranked.rank}${total ? ` / ${total}` : ''}`), el('span', {}, `score ${fmt(ranked.score, 2)}`)) : null,
    ...qpvSection(diag),
    el('h3', {}, `Diagnostic comparé au territoire (${app.territory})`),
    el('div', { class: 'table-wrap' }, el('table', { class: 'data-table', id: 'card-indicators' },
      el('caption', {}, `Valeur de la commune, valeur de l'ensemble du territoire (${app.territory}) et écart`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Indicateur'), el('th', { scope: 'col', class: 'num' }, 'Commune'),
        el('th', { scope: 'col', class: 'num' }, 'Territoire'), el('th', { scope: 'col' }, 'Écart'))),
      el('tbody', {}, compared.map(([field, c]) => el('tr', {},
        el('th', { scope: 'row' }, label(field)[0]),
        el('td', { class: 'num' }, value(field, c.value)),
        el('td', { class: 'num' }, value(field, c.metropole)),
        comparison(field, c)))))),
    ...nearestSection(diag),
    el('p', { class: 'print-footer' }, `Repère · fiche imprimée le ${new Date().toLocaleDateString('fr-FR')} · ${location.href}`),
  );
  box.dataset.code = diag.code;
}
