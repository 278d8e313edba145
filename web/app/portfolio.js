// The Métropole's portfolio of projects (in the Classement tab, for editors): every stored
// project with its coverage per service, what it newly reaches, what it alone reaches among all
// projects and the projects it overlaps; then, with a budget and a weighting, the best selection
// (`POST /api/portfolio/select`: exact, HiGHS) with its figures and certificate, what each
// project left out would have added, and the decision note (A4 page, PDF). The editor's token
// is the page's one (api.js); field errors of the API are shown beside their input.
import * as api from './api.js';
import { GAP_GROUPS } from './gaps.js';
import { el, fmt } from './util.js';

const $ = (id) => document.getElementById(id);

/** What the portfolio view holds, for the browser tests. */
const pv = { overview: null, decision: null, links: null };
export const portfolioView = () => pv;

const euros = (x) => (x === null || x === undefined ? 'non renseigné' : `${fmt(x, 2)} €`);
const FIELDS = { budget_eur: 'portfolio-budget', weighting: 'portfolio-weighting', service: 'portfolio-service' };

function showError(e) {
  const status = $('portfolio-status');
  status.classList.add('error');
  const input = e.parameter && FIELDS[e.parameter] ? $(FIELDS[e.parameter]) : null;
  status.textContent = input ? `${e.message}` : e.message;
  for (const id of Object.values(FIELDS)) $(id).removeAttribute('aria-invalid');
  if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
}

function status(text) {
  const s = $('portfolio-status');
  s.classList.remove('error');
  s.textContent = text;
  for (const id of Object.values(FIELDS)) $(id).removeAttribute('aria-invalid');
}

const asked = () => ({ service: $('portfolio-service').value, weighting: $('portfolio-weighting').value });

function renderTable() {
  const o = pv.overview;
  const d = pv.decision;
  const byId = new Map((o?.projects || []).map((p) => [p.id, p]));
  const state = (id) => {
    if (!d) return '—';
    if (d.selected.some((x) => x.id === id)) return 'retenu';
    if (d.rejected.some((x) => x.id === id)) return 'non retenu';
    return 'non considéré';
  };
  $('portfolio-table').tBodies[0].replaceChildren(...(o?.projects || []).map((p) => {
    const overlaps = o.overlaps.filter((x) => x.a === p.id || x.b === p.id)
      .map((x) => `${byId.get(x.a === p.id ? x.b : x.a)?.title} : ${fmt(x.shared_youth, 0)}`);
    return el('tr', { 'data-id': p.id },
      el('th', { scope: 'row' }, p.title),
      el('td', { class: 'num' }, euros(p.budget_eur)),
      el('td', {}, p.services.length
        ? p.services.map((s) => `${s.group} : ${fmt(s.youth_reached, 0)} atteints, dont ${fmt(s.youth_newly_covered, 0)} nouvellement`).join(' ; ')
        : 'aucun site placé'),
      el('td', { class: 'num', 'data-col': 'newly' }, fmt(p.youth_newly, 0)),
      el('td', { class: 'num', 'data-col': 'marginal' }, fmt(p.marginal_youth, 0)),
      el('td', {}, overlaps.length ? overlaps.join(' ; ') : 'aucun'),
      el('td', { 'data-col': 'state' }, p.not_selectable ? `${state(p.id)} (${p.not_selectable})` : state(p.id)));
  }));
  if (o) {
    $('portfolio-summary').textContent = `${o.projects.length} projet(s) ; ensemble : ${fmt(o.union_youth, 0)} jeunes nouvellement atteints, chacun compté une fois (la somme des projets pris seuls en compte ${fmt(o.sum_youth, 0)}) ; ${fmt(o.youth_reached_by_several, 0)} atteints par plusieurs projets.`;
  }
}

function renderDecision() {
  const box = $('portfolio-selection');
  const d = pv.decision;
  if (!d) { box.replaceChildren(); return; }
  const cert = d.certificate === 'optimal' ? 'optimum prouvé (écart 0 %)'
    : d.certificate === 'none' ? 'sans preuve d\'optimalité' : `écart à l'optimum d'au plus ${fmt(d.gap_pct, 2)} %`;
  const model = d.model === 'exact' ? 'exacte (solveur HiGHS)' : 'gloutonne';
  const line = (x, what) => el('li', { 'data-id': x.id }, `${x.title} (${euros(x.budget_eur)}) : ${what} `, el('strong', { 'data-col': 'added' }, fmt(x.marginal_youth, 0)), ' jeunes');
  const noteBtn = el('button', { type: 'button', class: 'btn', id: 'portfolio-note' }, 'Ouvrir la note de décision (page A4)');
  const pdfBtn = el('button', { type: 'button', class: 'btn btn-secondary', id: 'portfolio-note-pdf' }, 'Télécharger la note de décision (PDF)');
  noteBtn.addEventListener('click', openNote);
  pdfBtn.addEventListener('click', downloadPdf);
  box.replaceChildren(
    el('h3', { id: 'portfolio-selection-heading' }, 'Sélection sous le budget'),
    el('p', { id: 'portfolio-figures' },
      `Retenus : ${d.selected.length ? d.selected.map((x) => x.title).join(', ') : 'aucun'} — `,
      el('strong', { id: 'portfolio-youth' }, fmt(d.youth, 0)),
      ` jeunes nouvellement atteints, coût ${euros(d.cost_eur)}, budget restant ${euros(d.budget_left_eur)}. Méthode ${model}, ${cert}, résolu en ${fmt(d.solve_ms, 1)} ms.`),
    el('h4', {}, 'Projets retenus (apport à la sélection)'),
    el('ul', { id: 'portfolio-selected' }, d.selected.map((x) => line(x, 'apporte'))),
    el('h4', {}, 'Projets non retenus (ce que chacun aurait ajouté)'),
    d.rejected.length ? el('ul', { id: 'portfolio-rejected' }, d.rejected.map((x) => line(x, 'aurait ajouté'))) : el('p', {}, 'Aucun.'),
    d.not_considered.length ? el('p', { id: 'portfolio-not-considered' }, `Non considérés : ${d.not_considered.map((x) => `${x.title} (${x.reason})`).join(' ; ')}`) : null,
    el('p', { class: 'actions' }, noteBtn, ' ', pdfBtn),
  );
}

async function load() {
  api.setEditToken($('portfolio-token').value.trim());
  status('Calcul du portefeuille…');
  try {
    const r = await api.portfolio(asked());
    pv.overview = r.overview;
    pv.decision = null;
    renderTable();
    renderDecision();
    status(`Portefeuille chargé : ${r.overview.projects.length} projet(s), ${r.unit}.`);
  } catch (e) { showError(e); }
}

async function choose(ev) {
  ev?.preventDefault();
  api.setEditToken($('portfolio-token').value.trim());
  status('Recherche de la meilleure sélection…');
  try {
    if (!pv.overview) pv.overview = (await api.portfolio(asked())).overview;
    const budget = $('portfolio-budget').value.trim();
    const r = await api.portfolioSelect({ budget_eur: budget === '' ? null : budget, ...asked(), service: asked().service || null });
    pv.decision = r.decision;
    pv.links = r.links;
    renderTable();
    renderDecision();
    status(`Sélection calculée : ${r.decision.selected.length} projet(s) retenu(s).`);
  } catch (e) { showError(e); }
}

/**
 * Opens the note in a new window: a form posted to `/api/portfolio/note` with the token in its
 * body (a navigation cannot carry the `Authorization` header), so that the note is the server's
 * own page, with its own print style.
 */
function openNote() {
  const q = new URL(pv.links.note, window.location.href).searchParams;
  const form = el('form', { method: 'post', action: '/api/portfolio/note', target: '_blank', hidden: true },
    el('input', { type: 'hidden', name: 'token', value: api.editToken() }),
    [...q.entries()].map(([k, v]) => el('input', { type: 'hidden', name: k, value: v })));
  document.body.append(form);
  form.submit();
  form.remove();
}

async function downloadPdf() {
  try {
    const blob = await api.portfolioNotePdf(pv.links.note_pdf);
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: 'note-de-decision.pdf' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) { showError(e); }
}

export function initPortfolio() {
  $('portfolio-service').replaceChildren(el('option', { value: '' }, 'Tous les services'),
    ...GAP_GROUPS.map((g) => el('option', { value: g.code }, g.label)));
  $('portfolio-token').value = api.editToken();
  $('portfolio-load').addEventListener('click', load);
  $('portfolio-form').addEventListener('submit', choose);
}
