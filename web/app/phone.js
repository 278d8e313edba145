// Narrow screens (phones, under 700 px): the header folds to one line (the search opens with
// "Rechercher"), the panel is a sheet over the bottom of the map that folds down to its tabs.
// A tap on the map that opens a card unfolds the sheet. Wide screens ignore all of this (the
// buttons are hidden by app.css).
import { store } from './store.js';

const $ = (id) => document.getElementById(id);

export function initPhone(map) {
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
  // The map keeps its size in step with the layout changes above.
  new ResizeObserver(() => map.resize()).observe($('map'));
}
