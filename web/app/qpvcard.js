// The QPV card: one quartier prioritaire's figures (`GET /api/qpv/{code}`) beside those of the
// commune it lies in most (`GET /api/communes/{code}`) and of the whole territory, each with its
// source and vintage, the invisibles included (the same line as the commune card's, from the
// QPV's own follow-up counts). Opened from the commune card's QPV list; "Retour à la commune"
// goes back to the commune card.
import * as api from './api.js';
import { el, fmt, fmtDistance } from './util.js';
import { sourceOf } from './labels.js';

/** A count or estimate under statistical secrecy: a number, or the engine's "< 11". */
const disclosed = (d) => (d === null || d === undefined ? '—' : typeof d === 'number' ? fmt(d, 0) : String(d));

/** The invisibles of an area as one cell: the range, the national order, or why there is none. */
function invisiblesCell(inv) {
  if (!inv) return '—';
  if (inv.basis === 'local') return inv.low_est === inv.high_est ? disclosed(inv.low_est) : `de ${disclosed(inv.low_est)} à ${disclosed(inv.high_est)}`;
  if (inv.basis === 'national_order' && inv.national_order_est !== null) return `environ ${disclosed(inv.national_order_est)} (ordre de grandeur national)`;
  return 'non estimé (pas de comptage local)';
}

/** The sources and dates of an area's follow-up counts. */
const followedSources = (inv) => (inv && inv.followed.length
  ? inv.followed.map((f) => `${f.label} (${f.age_bands.join(', ')} ans, ${f.dates.join(', ')})`).join(' ; ')
  : 'aucun comptage local de jeunes suivis');

/** The rows of the comparison: label, quartier, commune, territory, source. */
function rows(q, c, census) {
  const pct = (a, b) => (a === null || b === null || !(b > 0) ? null : (100 * a) / b);
  const num = (x, digits) => (x === null || x === undefined ? '—' : fmt(x, digits));
  const dist = (x) => (x === null || x === undefined ? '—' : fmtDistance(x));
  const round10 = (x) => (x === null || x === undefined ? null : Math.round(x / 10) * 10);
  return [
    ['population', 'Population (estimation)', num(q.population_est, 0), num(c.population, 0), '—',
      `INSEE, quartiers 2015 ; commune : ${sourceOf('population') || 'population légale'}`],
    ['youth_15_29', 'Jeunes de 15 à 29 ans (estimation)', num(q.youth_15_29_est, 0), num(c.youth_15_29.value, 0), num(c.youth_15_29.metropole, 0), census],
    ['youth_15_29_share_pct', 'Part des 15-29 ans (%)', num(pct(q.youth_15_29_est, q.population_est), 1), num(c.youth_15_29_share_pct.value, 1), num(c.youth_15_29_share_pct.metropole, 1), census],
    ['neet_share_2018_pct', 'Part de jeunes NEET 2018 (%)', num(q.neet_share_2018_pct_communes.value, 1), num(c.neet_share_2018_pct.value, 1), num(q.neet_share_2018_pct_communes.metropole, 1), 'RP 2018'],
    ['estimated_neet_count', 'Jeunes NEET (estimation, à la dizaine)', disclosed(q.invisibles.neet_est), disclosed(c.invisibles.neet_est), num(round10(c.estimated_neet_count.metropole), 0),
      `RP 2018 × ${census}`],
    ['invisibles', 'Jeunes NEET sans suivi (invisibles)', invisiblesCell(q.invisibles), invisiblesCell(c.invisibles), '—',
      `quartier : ${followedSources(q.invisibles)} ; commune : ${followedSources(c.invisibles)}`],
    ['distance_to_nearest_ml_ft_m', 'Distance à la mission locale ou à France Travail la plus proche', dist(q.distance_to_nearest_ml_ft_m.value), dist(c.distance_to_nearest_ml_ft_m.value), dist(c.distance_to_nearest_ml_ft_m.metropole),
      'acteurs placés'],
    ['accessibility_index_per_1000', 'Accessibilité (indice pour 1 000 jeunes)', num(q.accessibility_index_per_1000.value, 1), num(c.accessibility_index_per_1000.value, 1), num(c.accessibility_index_per_1000.metropole, 1),
      `acteurs placés, ${census}`],
  ];
}

/** What the quartier's figures rest on, said once under the table. */
function notes(q) {
  return [
    `Population du quartier : chiffres INSEE des quartiers 2015 appariés au QPV ${q.vintage}, sur ${fmt(q.population_est_coverage_pct, 0)} % de sa surface (un plancher en dessous de 100 %).`,
    'Part de NEET du quartier : celle de ses communes, pondérée par la surface (aucune part n\'est publiée par QPV) ; jeunes NEET = cette part × jeunes de 15 à 29 ans.',
    'Distance : depuis la limite du quartier, depuis le centre pour la commune et le territoire ; accessibilité : au centre du quartier. Le territoire n\'a pas d\'estimation d\'invisibles d\'ensemble.',
  ].join(' ');
}

/**
 * Shows the card of QPV `code` in `box`: its figures against the commune holding most of it and
 * the territory (`territory`: its name), its invisibles line (`invisiblesSection`, the commune
 * card's), and a way back (`back()`).
 */
export async function showQpvCard(box, code, { territory, back, invisiblesSection }) {
  box.replaceChildren(el('p', { class: 'hint' }, 'Chargement de la fiche du quartier…'));
  let q;
  let c;
  try {
    q = await api.qpv(code);
    const main = [...q.communes].sort((a, b) => b.share_of_qpv_pct - a.share_of_qpv_pct)[0];
    c = await api.commune(main.code);
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, `Fiche du quartier indisponible : ${e.message}`));
    return;
  }
  const census = c.census_vintage ? `RP ${c.census_vintage}` : 'RP';
  const backButton = el('button', { type: 'button', class: 'btn btn-secondary', id: 'qpv-card-back' }, `Retour à la commune`);
  backButton.addEventListener('click', () => back());
  const communes = q.communes.map((x) => `${x.name} (${fmt(x.share_of_qpv_pct, 0)} %)`).join(', ');
  box.replaceChildren(
    el('h2', { id: 'card-title', 'data-qpv': q.code }, `${q.name} (QPV ${q.vintage})`),
    el('p', { class: 'subtitle' }, `Code ${q.code} · ${fmt(q.area_m2 / 10000, 1)} ha · communes : ${communes}`),
    el('div', { class: 'card-actions' }, backButton),
    el('h3', {}, `Le quartier comparé à ${c.name} et au territoire (${territory})`),
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Quartier comparé (tableau défilant)' }, el('table', { class: 'data-table', id: 'qpv-card-indicators' },
      el('caption', {}, `Valeur du quartier, de la commune où il est le plus étendu (${c.name}), de l'ensemble du territoire, et leur source (RP : recensement de la population de l'Insee, année du millésime)`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Indicateur'), el('th', { scope: 'col', class: 'num' }, 'Quartier'),
        el('th', { scope: 'col', class: 'num' }, c.name), el('th', { scope: 'col', class: 'num' }, 'Territoire'), el('th', { scope: 'col' }, 'Source'))),
      el('tbody', {}, rows(q, c, census).map(([field, name, qv, cv, tv, src]) => el('tr', { 'data-field': field },
        el('th', { scope: 'row' }, name), el('td', { class: 'num qpv' }, qv), el('td', { class: 'num commune' }, cv),
        el('td', { class: 'num reference' }, tv), el('td', { class: 'source', style: 'font-size:.78rem;color:var(--muted)' }, src)))))),
    el('p', { class: 'hint', id: 'qpv-card-notes' }, notes(q)),
    ...invisiblesSection(q),
    ...(q.warnings.length ? [el('p', { class: 'hint' }, `Remarques : ${q.warnings.join(' ; ')}`)] : []),
  );
  box.dataset.qpv = q.code;
}
