// The project's HTTP API, as the page uses it. Every request is same-origin; errors become
// exceptions whose message is the server's JSON `error` text.

async function request(url, options = {}) {
  const response = await fetch(url, options);
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const err = new Error(message);
    err.status = response.status;
    throw err;
  }
  return body;
}

/** GET a JSON document. */
export const getJson = (url) => request(url, { headers: { accept: 'application/json' } });

/** `GET /web-config.json`: `{basemap_style_url}` (null: no external basemap). */
export const webConfig = () => getJson('/web-config.json');

/**
 * A tile URL template as absolute, resolved against the TileJSON's own URL (the server writes
 * relative templates unless it knows its public address). Plain string work: `new URL` would
 * percent-encode the `{z}/{x}/{y}` placeholders.
 */
export function absoluteTemplate(template, tileJsonUrl) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(template)) return template;
  const base = new URL(tileJsonUrl, window.location.href);
  if (template.startsWith('/')) return base.origin + template;
  return base.origin + base.pathname.replace(/[^/]*$/, '') + template;
}

/** `GET /tiles/{layer}.json`: the TileJSON of one tile layer, its tile URLs made absolute. */
export async function tileJson(layer) {
  const url = `/tiles/${encodeURIComponent(layer)}.json`;
  const tj = await getJson(url);
  return { ...tj, tiles: (tj.tiles || []).map((t) => absoluteTemplate(t, url)) };
}

/** `GET /api/communes`: every member commune with its key indicators. */
export const communes = () => getJson('/api/communes');

/** `GET /api/communes/{code}`: one commune's diagnostic. */
export const commune = (code) => getJson(`/api/communes/${encodeURIComponent(code)}`);

/** `GET /api/qpv/{code}`: one QPV's diagnostic. */
export const qpv = (code) => getJson(`/api/qpv/${encodeURIComponent(code)}`);

/** `GET /api/ranking?weights=name=w,…`. */
export function ranking(weights) {
  const q = weights && Object.keys(weights).length
    ? `?weights=${encodeURIComponent(Object.entries(weights).map(([k, w]) => `${k}=${w}`).join(','))}`
    : '';
  return getJson(`/api/ranking${q}`);
}

/** `GET /api/lookup?lon=&lat=`. */
export const lookupPoint = (lon, lat) => getJson(`/api/lookup?lon=${lon}&lat=${lat}`);

/** `POST /api/lookup` with a CSV body (columns lon, lat). */
export const lookupCsv = (csvText) => request('/api/lookup', {
  method: 'POST',
  headers: { 'content-type': 'text/csv', accept: 'application/json' },
  body: csvText,
});
