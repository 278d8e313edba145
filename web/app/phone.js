// Narrow screens (phones, under 700 px): the header folds to one line (the search opens with
// "Rechercher"), the panel is a sheet over the bottom of the map that folds down to its tabs.
// A tap on the map that opens a card unfolds the sheet. Wide screens ignore all of this (the
// buttons are hidden by app.css).
import { store } from './store.js';

const $ = (id) => document.getElementById(id);

/** Whether the phone layout applies (the same width as app.css's). */
export const isPhone = () => window.matchMedia('(max-width: 700px)').matches;

/** `bounds`: the territory's extent, fitted above the sheet unless the permalink gave a view. */
export function initPhone(map, { bounds = null, keepView = false } = {}) {
  const header = $('header-toggle');
  const sheet = $('panel-toggle');
  const setHeader = (open) => {
    document.body.classList.toggle('header-open', open);
    header.setAttribute('aria-expanded', String(open));
    header.textContent = open ? 'Fermer la recherche' : 'Rechercher';
  };
  const setSheet = (open) => {
    document.body.classList.toggle('sheet-folded', !open);
    sheet.setAttribute('aria-expanded', String(open));
    sheet.textContent = open ? 'Réduire le panneau' : 'Ouvrir le panneau';
  };
  header.addEventListener('click', () => {
    const open = !document.body.classList.contains('header-open');
    setHeader(open);
    if (open) $('search-input').focus();
  });
  sheet.addEventListener('click', () => setSheet(document.body.classList.contains('sheet-folded')));
  // Choosing a tab or opening a commune unfolds the sheet; a search closes the header.
  store.subscribe(['tab', 'commune'], () => setSheet(true));
  $('search-form').addEventListener('submit', () => setHeader(false));
  setHeader(false);
  setSheet(true);
  // The map keeps its size in step with the layout changes above; on a phone its centre is the
  // middle of the part the sheet leaves visible.
  const pad = () => {
    map.resize();
    const covered = isPhone() ? Math.max(0, $('map').getBoundingClientRect().bottom - $('panel').getBoundingClientRect().top) : 0;
    map.setPadding({ top: 0, left: 0, right: 0, bottom: covered });
  };
  new ResizeObserver(pad).observe($('map'));
  new ResizeObserver(pad).observe($('panel'));
  pad();
  if (isPhone() && bounds && !keepView) map.fitBounds(bounds, { padding: 16, animate: false });
}
