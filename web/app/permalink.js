// The permalink: the one module that reads and writes the URL hash. What the planner sees lives
// in the store (store.js); every change of a kept key rewrites the hash (no history entry):
// #v=<zoom>/<lat>/<lon>&ind=<indicator>&l=<layer,…>&c=<commune code>&w=<name:weight,…>&hl=<n>
// &tab=<tab>&gap=<group,minutes,mode,colour,shown>&prj=<minutes|mode|lon,lat,GROUP,name,days,hours;…>
// &projet=<saved project id>&cle=<its edit key> (the edit link; without `cle`: the read link)
import { ACTOR_GROUPS } from './symbols.js';

/** The keys of the store the permalink keeps. */
export const KEPT = ['view', 'indicator', 'layers', 'commune', 'weights', 'highlight', 'tab', 'gap', 'project', 'projectFile'];

const GAP_GROUP_CODES = ACTOR_GROUPS.filter((g) => g.code !== 'AUTRE').map((g) => g.code);
const clampMinutes = (m) => Math.min(60, Math.max(5, Number(m) || 15));

/** The gap map state from `FT,15,walk,min,1` (group, threshold, mode, colour, shown). */
export function decodeGap(text) {
  const [group, minutes, mode, colour, shown] = String(text || '').split(',');
  return {
    shown: shown === '1',
    group: GAP_GROUP_CODES.includes(group) ? group : 'FT',
    minutes: clampMinutes(minutes),
    mode: mode === 'transit' ? 'transit' : 'walk',
    colour: ['youth', 'invisibles'].includes(colour) ? colour : 'min',
  };
}

export function encodeGap(g) {
  return [g.group, g.minutes, g.mode, g.colour, g.shown ? 1 : 0].join(',');
}

/** The project scenario as `minutes|mode|lon,lat,GROUP,name,days,hours;…`. */
export function encodeScenario(p) {
  const clean = (s) => String(s || '').replace(/[;,|]/g, ' ').trim();
  const sites = p.sites.map((s) => [s.lon.toFixed(5), s.lat.toFixed(5), s.group, clean(s.name), clean(s.days).replace(/ +/g, '-'), clean(s.hours)].join(',')).join(';');
  return `${p.minutes}|${p.mode}|${sites}`;
}

export function decodeScenario(text) {
  const [minutes, mode, sites] = String(text || '').split('|');
  const out = { minutes: clampMinutes(minutes), mode: mode === 'transit' ? 'transit' : 'walk', sites: [] };
  for (const item of String(sites || '').split(';').filter(Boolean)) {
    const [lon, lat, group, name, days, hours] = item.split(',');
    if (!Number.isFinite(Number(lon)) || !Number.isFinite(Number(lat))) continue;
    out.sites.push({ lon: Number(lon), lat: Number(lat), group: GAP_GROUP_CODES.includes(group) ? group : 'ML', name: name || '', days: (days || '').replace(/-/g, ','), hours: hours || '' });
  }
  return out;
}

/** Parses the hash into a partial state (unknown or malformed parts are ignored). */
export function readHash(hash = location.hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  const v = p.get('v');
  if (v) {
    const [z, lat, lon] = v.split('/').map(Number);
    if ([z, lat, lon].every(Number.isFinite) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      state.view = { zoom: z, center: [lon, lat] };
    }
  }
  if (p.get('ind') !== null) state.indicator = p.get('ind');
  if (p.has('l')) state.layers = p.get('l').split(',').filter(Boolean);
  if (p.get('c')) state.commune = p.get('c');
  if (p.get('w')) {
    state.weights = {};
    for (const part of p.get('w').split(',')) {
      const [k, x] = part.split(':');
      const n = Number(x);
      if (k && Number.isFinite(n)) state.weights[k] = n;
    }
  }
  if (p.get('hl') && Number.isFinite(Number(p.get('hl')))) state.highlight = Number(p.get('hl'));
  if (p.get('tab')) state.tab = p.get('tab');
  state.gap = decodeGap(p.get('gap'));
  if (p.get('prj')) state.project = decodeScenario(p.get('prj'));
  if (p.get('projet')) state.projectFile = { id: p.get('projet'), key: p.get('cle') || null };
  return state;
}

/** The hash of a state. */
export function hashOf(state) {
  const parts = [];
  if (state.view) {
    const [lon, lat] = state.view.center;
    parts.push(`v=${state.view.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.indicator !== null && state.indicator !== undefined) parts.push(`ind=${encodeURIComponent(state.indicator)}`);
  if (state.layers) parts.push(`l=${state.layers.map(encodeURIComponent).join(',')}`);
  if (state.commune) parts.push(`c=${encodeURIComponent(state.commune)}`);
  if (state.weights && Object.keys(state.weights).length) {
    parts.push(`w=${Object.entries(state.weights).map(([k, x]) => `${encodeURIComponent(k)}:${x}`).join(',')}`);
  }
  if (state.highlight !== undefined && state.highlight !== null) parts.push(`hl=${state.highlight}`);
  if (state.tab) parts.push(`tab=${state.tab}`);
  if (state.gap) parts.push(`gap=${encodeURIComponent(encodeGap(state.gap))}`);
  if (state.project && state.project.sites.length) parts.push(`prj=${encodeURIComponent(encodeScenario(state.project))}`);
  if (state.projectFile) {
    parts.push(`projet=${encodeURIComponent(state.projectFile.id)}`);
    if (state.projectFile.key) parts.push(`cle=${encodeURIComponent(state.projectFile.key)}`);
  }
  return '#' + parts.join('&');
}

/** The link of a view to share: the saved project by its read link, never its edit key. */
export function shareHref(state, where = location) {
  const shared = state.projectFile ? { ...state, projectFile: { id: state.projectFile.id, key: null } } : state;
  return `${where.origin}${where.pathname}${hashOf(shared)}`;
}

/** Writes the state into the hash without adding a history entry. */
export function writeHash(state) {
  const hash = hashOf(state);
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

/** Keeps the hash in step with the store (from now on; `enabled()` false: not yet). */
export function bindPermalink(store, enabled = () => true) {
  store.subscribe([...KEPT, 'version'], (s) => { if (enabled()) writeHash(s); });
}
