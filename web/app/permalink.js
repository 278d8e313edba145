// Permalink: the view, layers, indicator, selected commune, weights and open tab live in the URL hash:
// #v=<zoom>/<lat>/<lon>&ind=<indicator>&l=<layer,…>&c=<commune code>&w=<name:weight,…>&hl=<n>&tab=<tab>
// &gap=<gap map state, gaps.js>&prj=<project scenario, project.js>

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
  if (p.get('ind')) state.indicator = p.get('ind');
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
  // Gap map (gaps.js) and project (project.js): opaque strings they parse themselves.
  if (p.get('gap')) state.gap = p.get('gap');
  if (p.get('prj')) state.project = p.get('prj');
  return state;
}

/** Writes the state into the hash without adding a history entry. */
export function writeHash(state) {
  const parts = [];
  if (state.view) {
    const [lon, lat] = state.view.center;
    parts.push(`v=${state.view.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`);
  }
  if (state.indicator) parts.push(`ind=${encodeURIComponent(state.indicator)}`);
  if (state.layers) parts.push(`l=${state.layers.map(encodeURIComponent).join(',')}`);
  if (state.commune) parts.push(`c=${encodeURIComponent(state.commune)}`);
  if (state.weights && Object.keys(state.weights).length) {
    parts.push(`w=${Object.entries(state.weights).map(([k, x]) => `${encodeURIComponent(k)}:${x}`).join(',')}`);
  }
  if (state.highlight !== undefined) parts.push(`hl=${state.highlight}`);
  if (state.tab) parts.push(`tab=${state.tab}`);
  if (state.gap) parts.push(`gap=${encodeURIComponent(state.gap)}`);
  if (state.project) parts.push(`prj=${encodeURIComponent(state.project)}`);
  const hash = '#' + parts.join('&');
  if (hash !== location.hash) history.replaceState(null, '', hash);
}
