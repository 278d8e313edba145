// The project's HTTP API, as the page uses it: every request of the page goes through here.
// Errors are one shape, `ApiError` (status, French message from the server's JSON `error`, and
// the `parameter` the server names, if any).

/** A refused request: `status` (HTTP, 0 when the server is unreachable), `message`, `parameter`. */
export class ApiError extends Error {
  constructor(status, message, parameter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.parameter = parameter;
  }
}

const TOKEN_KEY = 'repere.editToken';
/** The editor's token, kept for the browser session only. */
export const editToken = () => sessionStorage.getItem(TOKEN_KEY) || '';
export const setEditToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);

/**
 * Sends one request; resolves to the JSON (or text) body. `json`: a body sent as JSON; `auth`:
 * send the editor's token; `version`: the actor version sent as `If-Match`.
 */
export async function request(url, { method = 'GET', json, body, type, auth = false, version, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (type) headers['content-type'] = type;
  if (auth) headers.authorization = `Bearer ${editToken()}`;
  if (version !== undefined) headers['if-match'] = `"v${version}"`;
  let response;
  try {
    response = await fetch(url, { method, headers, body, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `serveur injoignable (${e.message})`);
  }
  const ctype = response.headers.get('content-type') || '';
  const data = ctype.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const message = data && data.error ? data.error : `erreur ${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, (data && data.parameter) || null);
  }
  return data;
}

/** GET a JSON document. */
export const getJson = (url) => request(url);

// ---- Response shapes (exactly what the server sends; the page reads these fields only) ----

/**
 * @typedef {object} WebConfig `GET /web-config.json` (server/src/routes/web.rs).
 * @property {{kind: 'none'|'ign'|'style', style_url: string|null, label: string}} basemap
 *   The basemap chosen at server start.
 * @property {string} glyphs Glyph URL template of the map's labels.
 * @property {{kind: 'server'}|{kind: 'pmtiles', url: string}} tiles Where the page reads its tiles.
 * @property {boolean} geocoder Whether address search is on (`repere serve --geocoder`).
 */

/**
 * @typedef {object} Health `GET /health` (server/src/routes/health.rs).
 * @property {'ok'|'reload_failed'} status
 * @property {string} territory The territory's name, e.g. "Métropole Rouen Normandie".
 * @property {string} version The dataset version (content hash).
 * @property {number} reloads_succeeded
 * @property {object|null} last_reload Outcome of the last reload, `null` before any.
 */

/**
 * @typedef {object} VectorLayer One entry of a TileJSON's `vector_layers` (engine tiles/set.rs).
 * @property {string} id
 * @property {string} description French.
 * @property {number} minzoom
 * @property {number} maxzoom
 * @property {Object<string, 'String'|'Number'|'Boolean'>} fields Property name → MVT value type.
 */

/**
 * @typedef {object} TileJson `GET /tiles/{layers}.json`, TileJSON 3.0.0 (engine tiles/set.rs).
 * @property {string[]} tiles Tile URL templates, made absolute by {@link tileJson}.
 * @property {number} minzoom
 * @property {number} maxzoom
 * @property {[number, number, number, number]} bounds WGS84 west, south, east, north.
 * @property {[number, number, number]} center
 * @property {string} attribution
 * @property {VectorLayer[]} vector_layers
 */

/**
 * @typedef {object} FieldDoc The French label and unit of an indicator field.
 * @property {string} label e.g. "Arrêts à moins de 500 m des QPV" (the engine's catchment).
 * @property {string} unit `%`, `m`, `m²`, `km²`, `pts`, or `""` for counts, scores, ranks.
 */

/**
 * @typedef {object} Fields `GET /api/fields` (server/src/routes/fields.rs, engine
 *   diagnostic/fields.rs).
 * @property {Object<string, FieldDoc>} fields Field name → label and unit.
 */

/**
 * @typedef {Object<string, string|number|boolean>} CommuneRow One element of `GET /api/communes`:
 *   the properties of the commune's feature in the `communes` tiles (engine tiles/layers.rs and
 *   tiles/attributes.rs): always `code`, `name`, `area_km2`, `qpv_count`, `qpv_codes`; and, when
 *   the data have them, `population`, `density_class` and the numbers `youth_15_29`,
 *   `youth_15_29_share_pct`, `neet_share_2018_pct`, `neet_trend_2008_2018_pts`,
 *   `estimated_neet_count`, `qpv_area_share_pct`, `youth_15_29_in_qpv_est`,
 *   `accessibility_index_per_1000`, `distance_to_nearest_ml_ft_m`, `priority_score`,
 *   `priority_rank`. An absent value is a missing key (never `null`).
 */

/**
 * @typedef {object} Compared An indicator with its references (engine diagnostic/mod.rs).
 * @property {number|null} value
 * @property {number|null} metropole
 * @property {number|null} epci
 * @property {number|null} departement
 * @property {number|null} ratio_to_metropole
 */

/**
 * @typedef {object} CommuneDetail `GET /api/communes/{code}`: the engine's `CommuneDiagnostic`
 *   (diagnostic/commune.rs) with `priority` (analysis/find.rs). Every indicator is a
 *   {@link Compared}: `youth_15_29`, `youth_15_29_share_pct`, `neet_share_{2008,2013,2018}_pct`,
 *   `neet_trend_2008_2018_pts`, `neet_trend_2013_2018_pts`, `estimated_neet_count`,
 *   `qpv_area_m2`, `qpv_area_share_pct`, `youth_15_29_in_qpv_est`,
 *   `distance_to_nearest_ml_ft_m`, `accessibility_index_per_1000`.
 * @property {string} code
 * @property {string} name
 * @property {string|null} epci_siren
 * @property {string|null} epci_name
 * @property {number} area_m2
 * @property {number|null} population
 * @property {number|null} population_vintage
 * @property {number|null} census_vintage
 * @property {number|null} population_census
 * @property {{code: string, name: string, area_in_commune_m2: number, share_of_qpv_pct: number, membership: string}[]} qpv
 * @property {object} invisibles NEET young people estimated to be followed by no one (engine
 *   indicator/invisibles.rs): `basis` (`local`, `national_order`, `unavailable`), `low_est`,
 *   `high_est`, `central_est`, `neet_est`, `national_order_est` (each a number, or "< 11" under
 *   statistical secrecy, or null), `followed` ({source, label, count, age_bands, dates}[]),
 *   `national`, `text`.
 * @property {Object<string, number>} actors_inside_by_group Group code → count.
 * @property {Object<string, number>} actors_to_place_by_group
 * @property {{id: string, name: string, kind: string, group: string, address: string}[]} actors_to_place
 * @property {Object<string, number>} actors_within_reach_by_group
 * @property {number} reach_m
 * @property {Object<string, {actor_id: string, actor_name: string, distance_m: number}|null>} nearest_actor_by_group
 *   Every expected group; `null` when the data hold no actor of it.
 * @property {number|null} stops_near_qpv Boarding stops within `stop_catchment_m` of the QPV
 *   (`null` without a GTFS).
 * @property {number} stop_catchment_m
 * @property {RankEntry} [priority] Absent when the commune is not ranked.
 */

/**
 * @typedef {object} QpvSummary One element of `GET /api/qpv` (engine analysis/summary.rs).
 * @property {string} code
 * @property {string} name
 * @property {number} vintage
 * @property {number} area_m2
 * @property {string[]} communes INSEE codes of the communes the QPV spans.
 * @property {number|null} population_est
 * @property {number|null} youth_15_29_est
 * @property {number|null} distance_to_nearest_ml_ft_m
 */

/**
 * @typedef {object} ComponentScore (engine ranking/score.rs)
 * @property {string} key
 * @property {number|null} value Raw value, in its component's `unit`.
 * @property {number|null} normalised
 * @property {number} weight_share
 * @property {number} points
 */

/**
 * @typedef {object} RankEntry (engine ranking/score.rs)
 * @property {number} rank 1-based.
 * @property {string} code
 * @property {string} name
 * @property {number} score 0-100.
 * @property {ComponentScore[]} components In the order of `Ranking.components`.
 */

/**
 * @typedef {object} Ranking `GET /api/ranking` (engine ranking/score.rs).
 * @property {{neet: number, neet_count: number, youth_qpv: number, access: number, distance: number, invisibles: number}} weights
 * @property {{key: string, label: string, unit: string, weight: number, available: boolean, min: number|null, max: number|null, note: string|null}[]} components
 * @property {RankEntry[]} entries By decreasing score.
 */

/**
 * @typedef {object} QpvHit (engine lookup.rs)
 * @property {string} code
 * @property {string} name
 * @property {number} vintage
 * @property {number} distance_m 0 inside.
 */

/**
 * @typedef {object} Lookup `GET /api/lookup`, and each element of `POST /api/lookup` (engine
 *   lookup.rs).
 * @property {number} lon
 * @property {number} lat
 * @property {number} x_l93
 * @property {number} y_l93
 * @property {{code: string, name: string}|null} commune `null` outside the territory.
 * @property {QpvHit|null} qpv The QPV containing the point.
 * @property {QpvHit|null} nearest_qpv The nearest QPV (the containing one, at 0 m, when inside).
 */

/**
 * @typedef {object} GapSummary (engine gaps/summary.rs)
 * @property {string} code
 * @property {string} name
 * @property {number} youth_15_29
 * @property {number} youth_in_gaps
 * @property {number} share_in_gaps_pct
 * @property {number} gap_cells
 * @property {number|string} [invisibles_outside_est] With follow-up counts: invisibles estimated
 *   beyond the threshold (a number, or "< 11").
 */

/**
 * @typedef {object} GapSummaries `GET /api/gaps` (engine gaps/summary.rs).
 * @property {string} group
 * @property {number} threshold_min
 * @property {boolean} transit Whether transit times were used.
 * @property {string} note How access was measured (French).
 * @property {GapSummary[]} communes
 * @property {GapSummary[]} qpv
 */

/**
 * @typedef {object} TransportSummary `GET /api/transport` (engine analysis/summary.rs).
 * @property {boolean} feed Whether a GTFS feed is loaded.
 * @property {boolean} timetable Whether travel times by public transport are computed.
 * @property {string} note How access is measured (French).
 * @property {string} gaps_method How the gap map measures access (French).
 * @property {string} coverage_method How the coverage check measures transit (French).
 * @property {string|null} timezone
 * @property {[string, string]|null} service_range
 * @property {object|null} frequencies
 */

// ---- Requests ----

/** @returns {Promise<WebConfig>} */
export const webConfig = () => getJson('/web-config.json');

/** @returns {Promise<Health>} */
export const health = () => getJson('/health');

/** @returns {Promise<Fields>} */
export const fields = () => getJson('/api/fields');

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

/**
 * `GET /tiles/{layer}.json`: the TileJSON of one tile layer, its tile URLs made absolute.
 * @returns {Promise<TileJson>}
 */
export async function tileJson(layer) {
  const url = `/tiles/${encodeURIComponent(layer)}.json`;
  const tj = await getJson(url);
  return { ...tj, tiles: tj.tiles.map((t) => absoluteTemplate(t, url)) };
}

/** @returns {Promise<CommuneRow[]>} every member commune, sorted by code. */
export const communes = () => getJson('/api/communes');

/** @returns {Promise<CommuneDetail>} one commune's diagnostic. */
export const commune = (code) => getJson(`/api/communes/${encodeURIComponent(code)}`);

/** @returns {Promise<QpvSummary[]>} the QPV of the latest vintage, sorted by code. */
export const qpvList = () => getJson('/api/qpv');

/** `GET /api/qpv/{code}`: one QPV's diagnostic (engine diagnostic/qpv.rs). */
export const qpv = (code) => getJson(`/api/qpv/${encodeURIComponent(code)}`);

/**
 * `GET /api/ranking?weights=name=w,…`.
 * @returns {Promise<Ranking>}
 */
export function ranking(weights) {
  const q = weights && Object.keys(weights).length
    ? `?weights=${encodeURIComponent(Object.entries(weights).map(([k, w]) => `${k}=${w}`).join(','))}`
    : '';
  return getJson(`/api/ranking${q}`);
}

/** @returns {Promise<Lookup>} */
export const lookupPoint = (lon, lat) => getJson(`/api/lookup?lon=${lon}&lat=${lat}`);

/**
 * `POST /api/lookup` with a CSV body (columns lon, lat): one {@link Lookup} per row, in order.
 * @returns {Promise<Lookup[]>}
 */
export const lookupCsv = (csvText) => request('/api/lookup', { method: 'POST', type: 'text/csv', body: csvText });

/** @returns {Promise<GapSummaries>} */
export const gaps = (group, minutes) => getJson(`/api/gaps?group=${encodeURIComponent(group)}&minutes=${minutes}`);

/** @returns {Promise<TransportSummary>} */
export const transport = () => getJson('/api/transport');

// ---- Actors (the Acteurs tab) ----

/** `GET /api/actors`: `{editable, read_only_reason, actors: [...]}`. */
export const actors = () => getJson('/api/actors');

/** `GET /api/actors/{id}/history`: every edit, oldest first. */
export const actorHistory = (id) => getJson(`/api/actors/${encodeURIComponent(id)}/history`);

/** An edit (POST/PATCH/DELETE, undo) with the editor's token: the committed edit and rebuild time. */
export const editActor = (method, url, body, version) => request(url, { method, json: body ?? undefined, auth: true, version });

/** `POST /api/actors/import?mode=preview|commit&name=…` with the file's text. */
export function importActors(mode, fileName, text) {
  const q = new URLSearchParams({ mode, name: fileName });
  return request(`/api/actors/import?${q}`, { method: 'POST', type: /\.csv$/i.test(fileName) ? 'text/csv' : 'application/json', body: text, auth: mode === 'commit' });
}

// ---- Project (the Projet tab) ----

/** `POST /api/sites`: sites parsed from a CSV or GeoJSON file. */
/**
 * @typedef {object} GeocodeResult One address of `GET /api/geocode/search` (server geocoder.rs).
 * @property {string} label
 * @property {number} lon
 * @property {number} lat
 * @property {number} score addok's score, 0 to 1.
 * @property {string} type `housenumber`, `street`, `locality`, `municipality`.
 * @property {boolean} approximate Under the server's threshold ("adresse approximative").
 */

/** Addresses of the territory matching `q` (`{results: GeocodeResult[], …}`; 503 without geocoder). */
export const geocodeSearch = (q, signal, limit = 5) => request(`/api/geocode/search?q=${encodeURIComponent(q)}&limit=${limit}`, { signal });

/** The address nearest to a point of the territory (`{results: GeocodeResult[]}`, at most one; 503 without geocoder). */
export const geocodeReverse = (lon, lat) => request(`/api/geocode/reverse?lon=${encodeURIComponent(lon)}&lat=${encodeURIComponent(lat)}`);

export const parseSites = (text, isJson) => request('/api/sites', { method: 'POST', type: isJson ? 'application/geo+json' : 'text/csv', body: text });

/** `POST /api/coverage`: the coverage report of planned sites. */
export const coverage = (body) => request('/api/coverage', { method: 'POST', json: body });

/** `GET /api/suggest/candidates`: host structures. */
export const suggestCandidates = () => getJson('/api/suggest/candidates');

/** `POST /api/suggest` with a JSON body: `{ group, minutes, k, planned?, projects? }` (fixed sites). */
export const suggest = (body) => request('/api/suggest', { method: 'POST', json: body });

// ---- Saved projects (the Projet tab's file: `POST/GET/PUT /api/projects…`) ----

const projectUrl = (id, suffix = '') => `/api/projects/${encodeURIComponent(id)}${suffix}`;

/** `POST /api/projects` (no token): the stored project with its `edit_key`, shown once, and its `links`. */
export const createProject = (body) => request('/api/projects', { method: 'POST', json: body });

/** `GET /api/projects/{id}`: `{id, version, created, updated, project, links}`. */
export const getProject = (id) => request(projectUrl(id));

/** `PUT /api/projects/{id}?key=` with `If-Match: "v<version>"` (409 when someone saved in between). */
export const saveProject = (id, key, body, version) => request(`${projectUrl(id)}?key=${encodeURIComponent(key)}`, { method: 'PUT', json: body, version });

/** `POST /api/projects/{id}/duplicate`: a copy under a new read link and edit key. */
export const duplicateProject = (id) => request(projectUrl(id, '/duplicate'), { method: 'POST', body: '' });

/** `GET /api/projects/{id}/coverage`: the coverage of its placed sites, once per service. */
export const projectCoverage = (id) => request(projectUrl(id, '/coverage'));

// ---- The Métropole's portfolio (the Classement tab: `GET/POST /api/portfolio…`, editors) ----

/**
 * @typedef {object} PortfolioLine One project of `GET /api/portfolio` → `overview.projects`
 *   (engine portfolio/overview.rs).
 * @property {string} id
 * @property {string} title
 * @property {string} organisation
 * @property {number|null} budget_eur
 * @property {{group: string, group_label: string, sites: number[], youth_reached: number, youth_already_covered: number, youth_newly_covered: number}[]} services
 * @property {number[]} unplaced
 * @property {number} value Weighted value it newly reaches alone.
 * @property {number} youth_newly Young people it newly reaches alone.
 * @property {number} marginal_value What only it reaches among all projects (weighted).
 * @property {number} marginal_youth The same in young people.
 * @property {string|null} not_selectable Why it cannot enter a budgeted selection (French).
 */

/**
 * `GET /api/portfolio?service=&weighting=`: `{service, weighting, unit, minutes, mode, warnings,
 * overview: {projects: PortfolioLine[], union_youth, union_value, sum_youth,
 * youth_reached_by_several, overlaps: {a, b, shared_youth, shared_value}[]}}`.
 */
export function portfolio({ service = '', weighting = 'youth' } = {}) {
  const q = new URLSearchParams({ weighting });
  if (service) q.set('service', service);
  return request(`/api/portfolio?${q}`, { auth: true });
}

/**
 * `POST /api/portfolio/select` `{budget_eur, weighting, service}`: `{decision, unit, links: {note,
 * note_pdf}, warnings}`; `decision` (engine portfolio/decision.rs): `selected`, `rejected`,
 * `not_considered` (lines with `id`, `title`, `budget_eur`, `youth_alone`, `marginal_youth`,
 * `marginal_value`, `reason`), `youth`, `value`, `cost_eur`, `budget_left_eur`, `model`
 * (`exact`|`greedy`), `certificate` (`optimal`|`time_limit`|`stopped`|`none`), `gap_pct`,
 * `solve_ms`, `method`.
 */
export const portfolioSelect = (body) => request('/api/portfolio/select', { method: 'POST', json: body, auth: true });

/** The decision note as a PDF `Blob` (`…/note.pdf`). */
export async function portfolioNotePdf(url) {
  let response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${editToken()}` } });
  } catch (e) {
    throw new ApiError(0, `serveur injoignable (${e.message})`);
  }
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    throw new ApiError(response.status, data?.error || `erreur ${response.status}`, data?.parameter || null);
  }
  return response.blob();
}
