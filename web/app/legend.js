// The legend of every visible layer: one block per layer group shown on the map (what its
// symbol, line or colour means and from which zoom its names appear), plus the outlines of the
// selection. Other modules add the legend of their own layers with `registerLegend(key, fn)`
// (e.g. the gap classes of the "Zones blanches" layer).
import { ACTOR_GROUPS, symbolImg } from './symbols.js';
import { CLASS_COLORS, QPV_COLOR, HIGHLIGHT_COLOR } from './layers.js';
import { el } from './util.js';

const extra = new Map();

/**
 * Registers the legend of layer group `key`: `render()` returns `{ title, items }` where items
 * are `[swatchElement, text]` pairs; it replaces the built-in one for that key, if any.
 */
export function registerLegend(key, render) {
  extra.set(key, render);
}

/** The small swatch of a layer group (decorative: a text always follows it). */
export function swatch(key) {
  const s = (style, cls = 'swatch') => el('span', { class: cls, style, 'aria-hidden': 'true' });
  switch (key) {
    case 'communes': return s(`background:linear-gradient(90deg,${CLASS_COLORS.join(',')})`);
    case 'qpv2024': return s(`border:2px solid ${QPV_COLOR};background:${QPV_COLOR}2e`);
    case 'qpv2015': return s('border-top-color:#4a148c', 'swatch swatch-dash');
    case 'iris': return s('border-top-color:#263238;border-top-width:2px', 'swatch swatch-dash');
    case 'stops': return s('width:10px;height:10px;border-radius:50%;background:#263238;border:1px solid #fff');
    case 'actors': { const img = symbolImg(ACTOR_GROUPS[0]); img.setAttribute('aria-hidden', 'true'); return img; }
    default: return s('background:#999');
  }
}

const text = (t) => el('span', { class: 'legend-name' }, t);

const BUILT_IN = {
  communes: () => ({ title: 'Communes', items: [
    [el('span', { class: 'legend-label legend-label-bold', 'aria-hidden': 'true' }, 'Aa'), 'nom de la commune (à partir du zoom 9 ; en cas de chevauchement, la plus peuplée)'],
    [el('span', { class: 'swatch', style: 'background:linear-gradient(90deg,#7fa9cf 42%,#ffffff 42% 58%,#7fa9cf 58%)', 'aria-hidden': 'true' }), 'limite communale (trait blanc)'],
    [swatch('communes'), "couleur : classe de l'indicateur choisi (voir ci-dessus)"],
  ] }),
  qpv2024: () => ({ title: 'Quartiers prioritaires 2024', items: [
    [swatch('qpv2024'), 'contour et surface du QPV 2024'],
    [el('span', { class: 'legend-label legend-label-qpv', 'aria-hidden': 'true' }, 'Aa'), 'nom du QPV (à partir du zoom 12)'],
  ] }),
  qpv2015: () => ({ title: 'Quartiers prioritaires 2015', items: [[swatch('qpv2015'), 'contour tireté du QPV 2015 (pour comparer)']] }),
  iris: () => ({ title: 'IRIS', items: [[swatch('iris'), "contour tireté d'un IRIS (îlot statistique de l'Insee)"]] }),
  stops: () => ({ title: 'Transport en commun', items: [[swatch('stops'), 'arrêt ou station (nom à partir du zoom 15)']] }),
  actors: () => ({ title: 'Acteurs : une forme et une couleur par type', items: [
    ...ACTOR_GROUPS.map((g) => { const img = symbolImg(g); return [img, g.label]; }),
    [el('span', { class: 'legend-label', 'aria-hidden': 'true' }, 'Aa'), 'nom (à partir du zoom 15, ou au survol et au clic)'],
  ] }),
};

/** Renders the legend of the visible groups (`visible`: keys, in the order of the layer list). */
export function renderLegend(container, visible) {
  const blocks = [];
  for (const key of visible) {
    const render = extra.get(key) || BUILT_IN[key];
    if (!render) continue;
    const { title, items } = render();
    blocks.push(el('p', { class: 'legend-title' }, title),
      el('ul', {}, items.map(([sw, label]) => el('li', {}, sw, text(label)))));
  }
  blocks.push(el('p', { class: 'legend-title' }, 'Surlignage'),
    el('ul', {},
      el('li', {}, el('span', { class: 'swatch swatch-line', style: `border-top-color:${HIGHLIGHT_COLOR}`, 'aria-hidden': 'true' }), text('communes prioritaires (onglet Classement)')),
      el('li', {}, el('span', { class: 'swatch swatch-line', style: 'border-top-color:#111', 'aria-hidden': 'true' }), text('commune sélectionnée'))));
  container.replaceChildren(...blocks);
}
