// The Projet tab's saved file: the project a funder receives (title, organisation, sites with
// their address, position, services and hours per weekday), stored by the server
// (`POST /api/projects`, no token). Saving gives a read link and a private edit link whose key is
// shown once; the page's URL then carries `projet=<id>&cle=<key>` (permalink.js), so reopening
// the edit link opens the file to edit, the read link (no key) opens it read-only. Saving again
// sends the key and the version read (`If-Match`: refused if someone saved in between). The
// coverage of the saved sites and the report links (A4 page, PDF) follow the saved version.
// Field errors of the API (`parameter`: `sites[1].opening_hours.mardi`) are shown beside the
// input of that path.
import * as api from './api.js';
import { GAP_GROUPS } from './gaps.js';
import { store } from './store.js';
import { startPlacing } from './placing.js';
import { geocoderOn } from './address.js';
import { el, fmt } from './util.js';

const $ = (id) => document.getElementById(id);
export const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** The file being edited: the form's content, and what the server holds. */
const f = {
  project: emptyProject(),
  id: null, key: null, version: null, links: null, readOnly: false,
  coverage: null, saves: 0,
};
/** For the browser tests: the file as the page holds it. */
export const projectFileView = () => f;

function emptyProject() {
  return { title: '', budget: '', organisation: { name: '', siret: '', contact: '' }, sites: [] };
}
const emptySite = () => ({ name: '', address: '', lon: null, lat: null, services: ['ML'], opening_hours: {} });

/** The JSON body sent to the server (blank optional fields left out). */
export function projectBody(p) {
  const opt = (v) => (v && String(v).trim() ? String(v).trim() : undefined);
  return {
    // Fields the form does not show (communes, QPV, public, a site's host…) are sent
    // back as stored: a save through the page never drops what the API holds.
    ...(p.extra || {}),
    title: p.title.trim(),
    // The budget requested (euros; the server reads « 48 500,50 »): what the portfolio weighs.
    budget_eur: opt(p.budget),
    organisation: { ...(p.organisation.extra || {}), name: p.organisation.name.trim(), siret: opt(p.organisation.siret), contact: opt(p.organisation.contact) },
    sites: p.sites.map((s) => {
      const hours = {};
      for (const d of WEEKDAYS) if (opt(s.opening_hours[d])) hours[d] = s.opening_hours[d].trim();
      const site = { ...(s.extra || {}), name: s.name.trim(), address: opt(s.address), services: s.services.slice(), opening_hours: hours };
      if (s.lon !== null && s.lat !== null) Object.assign(site, { lon: s.lon, lat: s.lat });
      return site;
    }),
  };
}

/** `obj` without the `keys` the form edits. */
function others(obj, keys) {
  return Object.fromEntries(Object.entries(obj || {}).filter(([k]) => !keys.includes(k)));
}

/** The form's content from a stored project (`GET /api/projects/{id}` → `project`). */
function fromStored(p) {
  return {
    title: p.title || '',
    budget: p.budget_eur === undefined || p.budget_eur === null ? '' : String(p.budget_eur),
    extra: others(p, ['title', 'budget_eur', 'organisation', 'sites']),
    organisation: { name: p.organisation?.name || '', siret: p.organisation?.siret || '', contact: p.organisation?.contact || '',
      extra: others(p.organisation, ['name', 'siret', 'contact']) },
    sites: (p.sites || []).map((s) => ({
      name: s.name || '', address: s.address || '', lon: s.lon ?? null, lat: s.lat ?? null,
      services: (s.services || []).slice(), opening_hours: { ...(s.opening_hours || {}) },
      extra: others(s, ['name', 'address', 'lon', 'lat', 'services', 'opening_hours']),
    })),
  };
}

let map = null;
/** The file's placed sites on the map (its own source: the check scenario keeps `project-sites`). */
const SITES_SOURCE = 'project-file-sites';
export const PROJECT_FILE_LAYERS = [
  { id: 'project-file-sites-circle', type: 'circle', source: SITES_SOURCE,
    paint: { 'circle-radius': 8, 'circle-color': '#0b4f6c', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } },
];

function renderMapSites() {
  if (!map) return;
  map.getSource(SITES_SOURCE)?.setData({
    type: 'FeatureCollection',
    features: f.project.sites.flatMap((s, i) => (s.lon === null || s.lat === null ? [] : [{
      type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { site: i + 1, name: s.name },
    }])),
  });
}

export async function initProjectFile(ctx) {
  map = ctx.map;
  map.addSource(SITES_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  for (const layer of PROJECT_FILE_LAYERS) map.addLayer(layer);
  for (const [id, set] of [
    ['pf-title', (v) => { f.project.title = v; }],
    ['pf-budget', (v) => { f.project.budget = v; }],
    ['pf-org-name', (v) => { f.project.organisation.name = v; }],
    ['pf-org-siret', (v) => { f.project.organisation.siret = v; }],
    ['pf-org-contact', (v) => { f.project.organisation.contact = v; }],
  ]) {
    $(id).addEventListener('input', () => set($(id).value));
  }
  $('pf-add-site').addEventListener('click', () => {
    f.project.sites.push(emptySite());
    render();
    $(`pf-s${f.project.sites.length - 1}-name`).focus();
  });
  $('pf-save').addEventListener('click', save);
  $('pf-duplicate').addEventListener('click', duplicate);
  $('pf-new').addEventListener('click', () => {
    Object.assign(f, { project: emptyProject(), id: null, key: null, version: null, links: null, readOnly: false, coverage: null });
    store.set({ projectFile: null });
    $('pf-links').replaceChildren();
    $('pf-status').textContent = 'Nouveau projet : rien n\'est enregistré tant que vous n\'avez pas cliqué « Enregistrer ».';
    render();
  });
  const opened = store.get().projectFile;
  if (opened) await open(opened.id, opened.key);
  else render();
}

/** Opens a saved project: with its key to edit, without it read-only. */
async function open(id, key) {
  const status = $('pf-status');
  try {
    const v = await api.getProject(id);
    Object.assign(f, { project: fromStored(v.project), id: v.id, key, version: v.version, links: v.links, readOnly: !key });
    status.textContent = key
      ? `Projet ouvert par son lien de modification (version ${v.version}).`
      : `Projet ouvert par son lien de lecture : lecture seule (version ${v.version}).`;
    status.classList.remove('error');
    render();
    renderLinks(null);
    await loadCoverage();
  } catch (e) {
    status.textContent = `Projet introuvable ou illisible : ${e.message}`;
    status.classList.add('error');
    render();
  }
}

const origin = () => `${location.origin}${location.pathname}`;
const readLink = () => `${origin()}#tab=project&projet=${encodeURIComponent(f.id)}`;
const editLink = (key) => `${origin()}#tab=project&projet=${encodeURIComponent(f.id)}&cle=${encodeURIComponent(key)}`;

/** The links of the saved file; `newKey`: the edit key just created, shown this once. */
function renderLinks(newKey) {
  const box = $('pf-links');
  if (!f.id) { box.replaceChildren(); return; }
  const linkRow = (label, href, id) => el('p', {}, el('strong', {}, `${label} : `), el('br'),
    el('a', { href, id, style: 'overflow-wrap:anywhere;word-break:break-all' }, href));
  const parts = [el('h3', {}, 'Liens du projet'), linkRow('Lien de lecture (à transmettre)', readLink(), 'pf-read-link')];
  if (newKey) {
    parts.push(linkRow('Lien de modification (privé)', editLink(newKey), 'pf-edit-link'));
    parts.push(el('p', { class: 'warning', role: 'alert', id: 'pf-key-warning', style: 'border-left:4px solid #b00020;padding:.3rem .6rem;font-weight:600' },
      'Attention : conservez ce lien de modification maintenant (copiez-le ou ajoutez-le à vos favoris). ',
      'Sa clé n\'est affichée qu\'une seule fois et le serveur n\'en garde qu\'une empreinte : ',
      'sans elle, personne ne pourra plus modifier ce projet. Ne la transmettez qu\'aux personnes qui doivent le modifier.'));
  } else if (f.key) {
    parts.push(el('p', { class: 'hint' }, 'Vous modifiez ce projet grâce à la clé contenue dans l\'adresse de cette page.'));
  }
  parts.push(el('p', { class: 'actions' },
    el('a', { class: 'btn btn-secondary', id: 'pf-report', href: f.links.report, target: '_blank', rel: 'noopener' }, 'Rapport (A4, à imprimer)'),
    el('a', { class: 'btn btn-secondary', id: 'pf-report-pdf', href: f.links.report_pdf, download: `rapport-${f.id}.pdf` }, 'Rapport (PDF)')));
  box.replaceChildren(...parts);
}

async function loadCoverage() {
  const box = $('pf-coverage');
  if (!f.id) { box.replaceChildren(); return; }
  box.replaceChildren(el('p', { class: 'hint' }, 'Calcul de la couverture des sites enregistrés…'));
  try {
    const c = await api.projectCoverage(f.id);
    f.coverage = c;
    const parts = [el('h3', {}, `Couverture des sites enregistrés (version ${f.version})`)];
    if (!c.report) {
      parts.push(el('p', { id: 'pf-coverage-total' }, 'Aucun site placé : placez au moins un site pour calculer sa couverture.'));
    } else {
      const r = c.report;
      const thr = fmt(r.threshold_min, 0);
      parts.push(el('p', { id: 'pf-coverage-total' }, `Tous sites : ${fmt(r.youth_reached, 0)} jeunes de 15-29 ans atteints en ${thr} min à pied (estimation à partir du recensement), ${r.cells_reached} carreaux de 200 m.`));
      parts.push(el('ul', { class: 'figures' }, r.groups.map((g) => el('li', { 'data-group': g.group },
        el('strong', {}, `« ${g.group_label} » : `),
        `${fmt(g.youth_reached, 0)} jeunes atteints, dont ${fmt(g.youth_newly_covered, 0)} nouvellement couverts.`))));
    }
    if (c.unplaced.length) parts.push(el('p', { class: 'hint' }, `Sites sans position, non comptés : ${c.unplaced.map((i) => i + 1).join(', ')}.`));
    box.replaceChildren(...parts);
  } catch (e) {
    f.coverage = null;
    box.replaceChildren(el('p', { class: 'error' }, `Couverture non calculée : ${e.message}`));
  }
}

function clearErrors() {
  for (const e of document.querySelectorAll('#pf-form .field-error')) e.remove();
  for (const e of document.querySelectorAll('#pf-form [aria-invalid]')) { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); }
}

/** The input of an API field path: the exact one, else the nearest enclosing path. */
function inputOf(path) {
  let p = path || '';
  for (;;) {
    const e = document.querySelector(`#pf-form [data-path="${CSS.escape(p)}"]`);
    if (e) return e;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return null;
    p = p.slice(0, cut);
  }
}

/** Where a field path is, in words: `sites[1].opening_hours.mardi` → `site 2, mardi`. */
export function pathLabel(path) {
  const site = /^sites\[(\d+)\]\.?(.*)$/.exec(path || '');
  const words = { title: 'titre', 'organisation.name': 'organisation', 'organisation.siret': 'SIRET', 'organisation.contact': 'contact', name: 'nom', address: 'adresse', lon: 'position', lat: 'position', services: 'services', opening_hours: 'horaires' };
  const word = (p) => words[p] || words[p.replace(/\[\d+\]$/, '')] || p.replace(/^opening_hours\./, '');
  if (site) return site[2] ? `site ${Number(site[1]) + 1}, ${word(site[2])}` : `site ${Number(site[1]) + 1}`;
  return word(path || '');
}

function showFieldError(path, text) {
  const input = inputOf(path);
  if (!input) return false;
  // The API's message without its "paramètre `…` invalide :" head: the place is the input itself.
  const message = text.replace(/^paramètre `[^`]*` invalide : /, '');
  const id = `${input.id}-error`;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', id);
  // Under the input, in its row (the rows wrap): beside it, not at the top of the form.
  input.after(el('span', { class: 'field-error error', id, role: 'alert', style: 'flex:1 1 100%;display:block' }, message));
  input.focus();
  return true;
}

async function save() {
  const status = $('pf-status');
  clearErrors();
  status.classList.remove('error');
  status.textContent = 'Enregistrement…';
  const body = projectBody(f.project);
  try {
    let v;
    let newKey = null;
    if (f.id && f.key) {
      v = await api.saveProject(f.id, f.key, body, f.version);
    } else {
      v = await api.createProject(body);
      newKey = v.edit_key;
    }
    Object.assign(f, { id: v.id, version: v.version, links: v.links, project: fromStored(v.project), readOnly: false });
    if (newKey) f.key = newKey;
    f.saves += 1;
    store.set({ projectFile: { id: f.id, key: f.key } });
    status.textContent = newKey
      ? `Projet enregistré (version ${v.version}). Conservez le lien de modification ci-dessous.`
      : `Modifications enregistrées (version ${v.version}).`;
    render();
    renderLinks(newKey);
    await loadCoverage();
  } catch (e) {
    const where = e.parameter && showFieldError(e.parameter, e.message);
    status.textContent = e.status === 409
      ? `Non enregistré : quelqu'un a enregistré ce projet entre-temps (${e.message}). Rechargez la page pour voir sa version.`
      : where ? `Non enregistré : corrigez le champ signalé (${pathLabel(e.parameter)}).` : `Non enregistré : ${e.message}`;
    status.classList.add('error');
  }
}

async function duplicate() {
  const status = $('pf-status');
  try {
    const v = await api.duplicateProject(f.id);
    Object.assign(f, { id: v.id, key: v.edit_key, version: v.version, links: v.links, project: fromStored(v.project), readOnly: false });
    store.set({ projectFile: { id: f.id, key: f.key } });
    status.classList.remove('error');
    status.textContent = `Copie enregistrée (« ${v.project.title} ») sous un nouveau lien : conservez son lien de modification.`;
    render();
    renderLinks(v.edit_key);
    await loadCoverage();
  } catch (e) {
    status.textContent = `Copie refusée : ${e.message}`;
    status.classList.add('error');
  }
}

function render() {
  const ro = f.readOnly;
  const p = f.project;
  $('pf-title').value = p.title;
  $('pf-budget').value = p.budget || '';
  $('pf-org-name').value = p.organisation.name;
  $('pf-org-siret').value = p.organisation.siret;
  $('pf-org-contact').value = p.organisation.contact;
  $('pf-fields').disabled = ro;
  $('pf-save').hidden = ro;
  $('pf-add-site').hidden = ro;
  $('pf-duplicate').hidden = !f.id;
  $('pf-save').textContent = f.id ? 'Enregistrer les modifications' : 'Enregistrer le projet';
  $('pf-mode').textContent = ro ? 'Lecture seule : ouvert par le lien de lecture, sans clé de modification.' : '';
  $('pf-sites').replaceChildren(...p.sites.map((s, i) => siteItem(s, i, ro)));
  renderMapSites();
}

/** Nearest addresses already asked for, by `lon,lat`: the text shown. */
const nearest = new Map();

/**
 * The nearest address of a placed site (reverse geocoding through the server's
 * `/api/geocode/reverse`, the same the report prints); without a geocoder, says the report
 * gives the coordinates only.
 */
function nearestRow(s, i) {
  if (s.lon === null || s.lat === null) return null;
  const span = el('span', { id: `pf-s${i}-nearest`, class: 'pf-nearest', 'aria-live': 'polite' });
  const key = `${s.lon},${s.lat}`;
  const show = (t) => { span.textContent = t; };
  if (!geocoderOn) {
    show('aucun géocodeur configuré (repere serve --geocoder) : le rapport donne les coordonnées seules.');
  } else if (nearest.has(key)) {
    show(nearest.get(key));
  } else {
    show('recherche de l\'adresse la plus proche…');
    api.geocodeReverse(s.lon, s.lat).then((a) => {
      const r = a.results && a.results[0];
      const t = r ? `« ${r.label} »` : 'aucune adresse connue près de ce point.';
      nearest.set(key, t);
      show(t);
    }).catch((e) => show(`non obtenue : ${e.message}`));
  }
  return el('div', { class: 'pf-row', style: 'display:flex;align-items:baseline;gap:.5rem;margin:.2rem 0;flex-wrap:wrap' },
    el('span', {}, 'Adresse la plus proche du point : '), span);
}

function siteItem(s, i, ro) {
  const id = (k) => `pf-s${i}-${k}`;
  const path = (k) => `sites[${i}].${k}`;
  const text = (k, label, attrs = {}) => {
    const input = el('input', { type: 'text', id: id(k), 'data-path': path(k), value: s[k] || '', style: 'flex:1 1 12rem;min-width:0', ...attrs });
    input.addEventListener('input', () => { s[k] = input.value; });
    return el('div', { class: 'pf-row', style: 'display:flex;align-items:center;gap:.5rem;margin:.2rem 0;flex-wrap:wrap' }, el('label', { for: id(k) }, label), input);
  };
  const pos = s.lon !== null && s.lat !== null ? `${fmt(s.lon, 6)} E, ${fmt(s.lat, 6)} N` : 'pas encore placé';
  const placeBtn = el('button', { type: 'button', class: 'btn btn-secondary btn-small', id: id('place'), 'data-path': path('lon') },
    s.lon === null ? 'Placer ce site' : 'Déplacer ce site');
  placeBtn.addEventListener('click', () => startPlacing({
    kind: 'project-file-site',
    text: `Placer le site ${i + 1}${s.name ? ` « ${s.name} »` : ''} du projet.`,
    onPlace: (pt) => { s.lon = pt.lon; s.lat = pt.lat; render(); $(id('place'))?.focus(); },
  }));
  const remove = el('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Retirer le site ${i + 1}` }, 'Retirer');
  remove.addEventListener('click', () => { f.project.sites.splice(i, 1); render(); });
  const services = el('fieldset', { class: 'pf-services', id: id('services'), 'data-path': path('services'), tabindex: '-1' },
    el('legend', {}, 'Services proposés'),
    ...GAP_GROUPS.map((g) => {
      const box = el('input', { type: 'checkbox', id: id(`svc-${g.code}`), value: g.code, checked: s.services.includes(g.code) });
      box.addEventListener('change', () => {
        s.services = GAP_GROUPS.map((x) => x.code).filter((c) => (c === g.code ? box.checked : s.services.includes(c)));
      });
      return el('span', { class: 'pf-check', style: 'display:flex;align-items:center;gap:.35rem;margin:.1rem 0' }, box, el('label', { for: id(`svc-${g.code}`) }, `${g.label} (${g.code})`));
    }));
  const hours = el('fieldset', { class: 'pf-hours', id: id('hours'), 'data-path': path('opening_hours'), tabindex: '-1' },
    el('legend', {}, 'Jours et horaires (ex. 09:00-12:00, 14:00-17:00)'),
    ...WEEKDAYS.map((d) => {
      const input = el('input', { type: 'text', id: id(`h-${d}`), 'data-path': path(`opening_hours.${d}`), value: s.opening_hours[d] || '', placeholder: 'fermé' });
      input.addEventListener('input', () => { s.opening_hours[d] = input.value; });
      // Each input on the row of its weekday's label.
      return el('div', { class: 'pf-day', 'data-day': d, style: 'display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .5rem;margin:.15rem 0' },
        el('label', { for: id(`h-${d}`), style: 'flex:0 0 6rem' }, d), input);
    }));
  return el('li', { class: 'site-item', 'data-index': String(i) },
    el('p', { class: 'site-head' }, el('strong', {}, `Site ${i + 1}`), ro ? null : remove),
    text('name', 'Nom du site'),
    text('address', 'Adresse (facultatif)'),
    el('div', { class: 'pf-row', style: 'display:flex;align-items:center;gap:.5rem;margin:.2rem 0;flex-wrap:wrap' }, el('span', {}, 'Position : '), el('span', { id: id('position'), class: 'pf-position' }, pos), ro ? null : placeBtn),
    nearestRow(s, i),
    services, hours);
}
