// The one "dataset version changed" event. The version is the server's (`GET /health`); it
// changes after an edit made here, an edit by another editor or a reload of the data. The page
// learns it right after its own edits (`checkVersion()`), every POLL_MS otherwise, and when a
// tile of its sources is refused (a versioned tile URL of an older version is a 404). The store's
// `version` key then changes once, and its subscribers refresh: here every vector tile source
// of TILE_SOURCES (absolute URLs of the new TileJSON), elsewhere each open panel.
import * as api from './api.js';
import { TILE_SOURCES } from './layers.js';
import { store } from './store.js';

/** How often the page asks the server for its dataset version (another editor's edits). */
export const POLL_MS = 12_000;

let checking = null;
let refreshing = Promise.resolve();

/** Resolves once every tile source has the tiles of the latest version seen. */
export const tilesRefreshed = () => refreshing;

/** Asks the server for its version; sets the store's `version` when it changed. */
export function checkVersion() {
  if (!checking) {
    checking = api.health()
      .then((h) => { store.set({ version: h.version }); return h.version; })
      .catch(() => store.get().version)
      .finally(() => { checking = null; });
  }
  return checking;
}

/** Gives every tile source on the map the tiles of the current version (absolute URLs). */
export async function refreshTileSources(map) {
  await Promise.all(TILE_SOURCES.map(async ({ id, selection }) => {
    const source = map.getSource(id);
    if (!source || !source.setTiles) return;
    const tj = await api.tileJson(selection);
    source.setTiles(tj.tiles);
  }));
}

/**
 * Starts following the version: `map` gets new tiles at each change (not when the tiles come from
 * a static PMTiles archive, which follows edits only once re-exported); `onTiles(version)` is
 * called once they are set.
 */
export function watchVersion(map, { pmtiles = false, onTiles = () => {} } = {}) {
  store.subscribe('version', (s, previous) => {
    if (previous.version === null) return;
    refreshing = (pmtiles ? Promise.resolve() : refreshTileSources(map)).then(() => onTiles(s.version));
  });
  setInterval(checkVersion, POLL_MS);
  map.on('error', (e) => {
    const id = e.sourceId || (e.source && e.source.id);
    if (TILE_SOURCES.some((t) => t.id === id) && e.error && e.error.status === 404) checkVersion();
  });
}
