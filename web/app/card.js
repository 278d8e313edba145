// The commune card: the diagnostic with every value against the Métropole and its source year,
// the QPV list, the nearest actors (and those known by address only, with a way to place them),
// and a print view (print CSS keeps only the card). It follows the store: the open commune and
// the dataset version (a new version reloads the open card).
import * as api from './api.js';
import { store } from './store.js';
import { el, fmt, fmtDistance } from './util.js';
import { label, isCount, sourceOf, GROUP_LABELS } from './labels.js';
import { ACTOR_GROUPS, symbolImg } from './symbols.js';
import { showToPlace, toPlaceByGroup, sourceLabels } from './actors.js';
import { showQpvCard } from './qpvcard.js';

/** Indicators shown first, in this order; any other compared value follows. */
const ORDER = [
  'youth_15_29', 'youth_15_29_share_pct', 'neet_share_2018_pct', 'neet_share_2013_pct', 'neet_share_2008_pct',
  'neet_trend_2008_2018_pts', 'neet_trend_2013_2018_pts', 'estimated_neet_count', 'youth_15_29_in_qpv_est',
  'qpv_area_share_pct', 'qpv_area_m2', 'accessibility_index_per_1000', 'distance_to_nearest_ml_ft_m',
];
/** Indicators where a higher value means more need (for the comparison wording). */
const HIGHER_IS_WORSE = /neet|in_qpv|qpv_area|distance/;
const LOWER_IS_WORSE = /accessibility/;

/**
 * The source and year of a compared indicator, as the card says it beside the value: the
 * engine's (`GET /api/fields`), or worked out from the diagnostic's vintages.
 */
export function vintageOf(field, diag) {
  if (sourceOf(field)) return sourceOf(field);
  const census = diag.census_vintage ? `RP ${diag.census_vintage}` : 'RP';
  let m = /^neet_share_(\d{4})_pct$/.exec(field);
  if (m) return `RP ${m[1]}`;
  m = /^neet_trend_(\d{4})_(\d{4})_pts$/.exec(field);
  if (m) return `RP ${m[1]} et ${m[2]}`;
  if (field === 'estimated_neet_count') return `RP 2018 × ${census}`;
  if (/^youth_15_29/.test(field)) return field === 'youth_15_29_in_qpv_est' ? `${census}, QPV 2024` : census;
  if (/^qpv_area/.test(field)) return 'QPV 2024';
  if (/distance|accessibility/.test(field)) return 'acteurs placés (listes ci-dessous)';
  return '';
}

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

/** The button opening a QPV's card (its figures against the commune and the territory). */
function qpvButton(q, diag) {
  const b = el('button', { type: 'button', class: 'link qpv-open', 'data-qpv': q.code }, `fiche du quartier ${q.name}`);
  b.addEventListener('click', () => {
    const box = document.getElementById('card');
    showQpvCard(box, q.code, {
      territory: ctx.territory,
      invisiblesSection,
      back: () => { delete box.dataset.qpv; renderCard(box, diag, ctx); box.querySelector(`.qpv-open[data-qpv="${q.code}"]`)?.focus(); },
    }).then(() => document.getElementById('qpv-card-back')?.focus());
  });
  return b;
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
      ` (${fmt(q.share_of_qpv_pct, 0)} % du quartier) `, qpvButton(q, diag)))),
    stops,
  ];
}

/** A count or estimate under statistical secrecy: a number, or the engine's "< 11". */
const disclosed = (d) => (typeof d === 'number' ? fmt(d, 0) : String(d));

/**
 * The invisibles line: NEET young people estimated to be followed by no one, as a range with
 * its sources and dates; or the national order of magnitude said as such; or what is missing
 * and which files would make it local (the engine's `invisibles`, every number already under
 * secrecy: no value under 11, estimates rounded to 10).
 */
function invisiblesSection(diag) {
  const inv = diag.invisibles;
  if (!inv) return [];
  const head = el('h3', {}, 'Jeunes NEET sans suivi (invisibles)');
  if (inv.basis !== 'local') {
    const lead = inv.basis === 'national_order' ? 'Ordre de grandeur national, pas une estimation locale : ' : 'Pas d\'estimation locale : ';
    return [head, el('p', { id: 'card-invisibles', 'data-basis': inv.basis }, lead + inv.text + '.')];
  }
  const range = inv.low_est === inv.high_est ? disclosed(inv.low_est) : `de ${disclosed(inv.low_est)} à ${disclosed(inv.high_est)}`;
  return [
    head,
    el('p', { id: 'card-invisibles', 'data-basis': inv.basis },
      el('strong', { class: 'invisibles-range' }, `${range} jeunes`),
      ` NEET estimés sans suivi${inv.low_est === inv.high_est ? '' : ` (milieu ${disclosed(inv.central_est)})`}, sur ${disclosed(inv.neet_est)} jeunes NEET estimés, moins les jeunes suivis :`),
    el('ul', { id: 'card-invisibles-sources' }, inv.followed.map((f) => el('li', { 'data-source': f.source },
      el('strong', {}, f.label), ` : ${disclosed(f.count)} jeunes suivis (${f.age_bands.join(', ')} ans, au ${f.dates.join(', ')})`))),
    el('p', { class: 'hint' }, 'Bas de la fourchette : aucun jeune compté deux fois et tous les jeunes suivis NEET ; haut : le plus grand chevauchement entre sources. '
      + 'Secret statistique : aucune valeur sous 11 (« < 11 »), estimations arrondies à la dizaine.'),
  ];
}

/** The text of a group's "nearest" cell: the actor, or why there is none. */
function nearestText(g, diag) {
  if (!(g.code in diag.nearest_actor_by_group)) return 'non calculé pour ce type';
  const n = diag.nearest_actor_by_group[g.code];
  if (n) return n.actor_name;
  const total = toPlaceByGroup()[g.code] || 0;
  const here = diag.actors_to_place_by_group[g.code] || 0;
  if (total > 0) {
    // Known by address only: the group is not absent, its actors wait to be placed.
    const button = el('button', { type: 'button', class: 'link to-place-link', 'data-group': g.code },
      `${fmt(total, 0)} à localiser`);
    button.addEventListener('click', () => showToPlace(g.code));
    // (What "à localiser" means is said once, in the sentence above the table.)
    return el('span', { class: 'to-place' }, 'aucun placé : ', button,
      ` sur le territoire${here ? `, dont ${fmt(here, 0)} dans la commune` : ''}`);
  }
  return 'aucun dans les données';
}

function nearestSection(diag) {
  const nearest = diag.nearest_actor_by_group;
  const reach = diag.actors_within_reach_by_group;
  const inside = diag.actors_inside_by_group;
  const toPlace = diag.actors_to_place_by_group || {};
  const rows = ACTOR_GROUPS.filter((g) => g.code in nearest || g.code in inside || g.code in reach).map((g) => {
    const n = nearest[g.code];
    return el('tr', { 'data-group': g.code },
      el('td', {}, el('span', { class: 'group-cell' }, symbolImg(g), GROUP_LABELS[g.code])),
      el('td', { class: 'nearest' }, nearestText(g, diag)),
      el('td', { class: 'num distance' }, n ? (n.distance_m === 0 ? 'dans la commune' : fmtDistance(n.distance_m)) : '—'),
      el('td', { class: 'num inside' }, fmt(inside[g.code], 0)),
      el('td', { class: 'num reach' }, fmt(reach[g.code], 0)),
      el('td', { class: 'num to-place-count' }, fmt(toPlace[g.code] || 0, 0)));
  });
  if (!rows.length) return [];
  const reachText = fmtDistance(diag.reach_m);
  return [
    el('h3', {}, 'Acteurs les plus proches'),
    el('p', { class: 'hint', id: 'card-distance-origin' },
      `« Le plus proche » et « à portée » se mesurent de la même façon : à vol d'oiseau, depuis la limite de la commune (0 m pour un acteur à l'intérieur). `
      + `« Distance » : jusqu'à l'acteur placé le plus proche de chaque type (« dans la commune » s'il y en a un à l'intérieur). `
      + `« À portée » : acteurs placés à moins de ${reachText} de la limite de la commune, intérieur compris ; il y en a dès que le plus proche est à moins de ${reachText}. `
      + `« À localiser » : acteurs de la commune connus par leur adresse seulement, comptés dans aucune distance. `
      + `La distance à la mission locale ou à France Travail du diagnostic ci-dessus, composante du classement, se mesure depuis le centre de la commune.`),
    sourceLabels().length ? el('p', { class: 'hint', id: 'card-actor-sources' }, `Listes d'acteurs : ${sourceLabels().join(' ; ')}, et les modifications de l'inventaire.`) : null,
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Acteurs les plus proches (tableau défilant)' }, el('table', { class: 'data-table', id: 'card-actors' },
      el('caption', {}, `Acteur le plus proche de la commune (depuis sa limite), acteurs dans la commune, à moins de ${reachText} de sa limite, et à localiser`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Type'), el('th', { scope: 'col' }, 'Le plus proche de la commune'),
        el('th', { scope: 'col', class: 'num' }, 'Distance'), el('th', { scope: 'col', class: 'num' }, 'Dans la commune'),
        el('th', { scope: 'col', class: 'num' }, `À portée (${reachText})`), el('th', { scope: 'col', class: 'num' }, 'À localiser'))),
      el('tbody', {}, rows))),
  ];
}

/** Renders one commune's diagnostic into `box`. */
function renderCard(box, diag, ctx) {
  const compared = Object.entries(diag).filter(([, v]) => isCompared(v));
  compared.sort(([a], [b]) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const ranking = store.get().ranking;
  const ranked = ranking ? ranking.entries.find((r) => r.code === diag.code) : null;
  const total = ranking ? ranking.entries.length : null;
  const subtitle = [`Code INSEE ${diag.code}`, diag.population ? `${fmt(diag.population, 0)} habitants${diag.population_vintage ? ` (population légale ${diag.population_vintage})` : ''}` : null,
    diag.area_m2 ? `${fmt(diag.area_m2 / 1e6, 1)} km²` : null, diag.epci_name].filter(Boolean).join(' · ');
  const printButton = el('button', { type: 'button', class: 'btn' }, 'Imprimer la fiche');
  printButton.addEventListener('click', async () => { await snapshotMap(); window.print(); });
  const tableButton = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Voir dans le classement');
  tableButton.addEventListener('click', () => {
    store.set({ tab: 'ranking' });
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
    el('h3', {}, `Diagnostic comparé au territoire (${ctx.territory})`),
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Diagnostic comparé (tableau défilant)' }, el('table', { class: 'data-table', id: 'card-indicators' },
      el('caption', {}, `Valeur de la commune, valeur de l'ensemble du territoire (${ctx.territory}), écart et source (RP : recensement de la population de l'Insee, année du millésime)`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Indicateur'), el('th', { scope: 'col', class: 'num' }, 'Commune'),
        el('th', { scope: 'col', class: 'num' }, 'Territoire'), el('th', { scope: 'col' }, 'Écart'), el('th', { scope: 'col' }, 'Source'))),
      el('tbody', {}, compared.map(([field, c]) => el('tr', { 'data-field': field },
        el('th', { scope: 'row' }, label(field)[0]),
        el('td', { class: 'num value' }, value(field, c.value)),
        el('td', { class: 'num reference' }, value(field, c.metropole)),
        comparison(field, c),
        el('td', { class: 'vintage' }, vintageOf(field, diag))))))),
    ...invisiblesSection(diag),
    ...nearestSection(diag),
    el('img', { id: 'card-print-map', class: 'print-map', alt: `Carte de ${diag.name} et de ses environs (vue au moment de l'impression)` }),
    el('p', { class: 'print-footer' }, `Repère · fiche imprimée le ${new Date().toLocaleDateString('fr-FR')} · ${location.href}`),
  );
  box.dataset.code = diag.code;
  box.dataset.version = store.get().version || '';
}

let ctx = null;
let inflight = null;

/** The map as drawn now, into the card's print image (the printed card carries a small map). */
export function snapshotMap() {
  const map = ctx && ctx.map;
  const img = document.getElementById('card-print-map');
  if (!map || !img) return Promise.resolve();
  return new Promise((resolve) => {
    map.once('render', () => {
      img.src = map.getCanvas().toDataURL('image/png');
      img.decode().then(resolve, resolve);
    });
    map.triggerRepaint();
  });
}

/**
 * Loads and renders the card of the open commune at the current version (once: a second call
 * for the same commune and version returns the same promise, unless `force`: an edit that leaves
 * the dataset version as it was, such as an unplaced actor's hours); resolves when it is shown.
 */
export function loadCard({ force = false } = {}) {
  const { commune: code, version } = store.get();
  const box = document.getElementById('card');
  if (!code) return Promise.resolve();
  if (!force && inflight && inflight.code === code && inflight.version === version) return inflight.promise;
  const shown = box.dataset.code === code;
  if (!shown) showCardLoading(box, store.get().communes.find((c) => c.code === code));
  const promise = api.commune(code).then((diag) => {
    if (store.get().commune !== code) return;
    renderCard(box, diag, ctx);
  }).catch((e) => {
    if (store.get().commune === code) box.replaceChildren(el('p', { class: 'error' }, `Fiche indisponible : ${e.message}`));
  });
  inflight = { code, version, promise };
  return promise;
}

/** Follows the store: the open commune, the dataset version, the ranking and the inventory. */
export function initCard(context) {
  ctx = context;
  store.subscribe(['commune', 'version', 'ranking', 'inventory'], (s, prev, changed) => {
    if (!s.commune) return;
    if (changed.includes('ranking') || changed.includes('inventory')) inflight = null;
    loadCard();
  });
}
