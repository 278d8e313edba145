// Vector tiles from a static PMTiles archive (`repere serve --tiles-url <URL>`, an archive written
// by `repere tiles export` and hosted on any server or CDN that answers range requests), instead
// of the server's `/tiles/…` routes. The npm `pmtiles` reader (served from web/node_modules at
// /vendor/pmtiles/) is loaded only in that case, registers MapLibre's `pmtiles://` protocol, and
// the archive's header and metadata stand in for the TileJSON documents: no request goes to
// `/tiles/` then. The API (`/api/…`) stays on `repere serve`.

const READER_URL = '/vendor/pmtiles/pmtiles.js';

/** Loads the pmtiles reader (a classic script defining `globalThis.pmtiles`) once. */
function loadReader() {
  if (globalThis.pmtiles) return Promise.resolve(globalThis.pmtiles);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = READER_URL;
    script.onload = () => (globalThis.pmtiles ? resolve(globalThis.pmtiles) : reject(new Error('lecteur PMTiles absent')));
    script.onerror = () => reject(new Error(`lecteur PMTiles introuvable (${READER_URL}) : lancer scripts/setup-web.sh`));
    document.head.append(script);
  });
}

/**
 * Registers the `pmtiles://` protocol with MapLibre and opens the archive at `url`; resolves to a
 * TileJSON-like document `{tiles, minzoom, maxzoom, bounds, attribution, vector_layers,
 * bounds_by_layer}` whose tile template is `pmtiles://{url}/{z}/{x}/{y}`.
 */
export async function openArchive(maplibregl, url) {
  const reader = await loadReader();
  const protocol = new reader.Protocol();
  maplibregl.addProtocol('pmtiles', protocol.tile);
  const archive = new reader.PMTiles(url);
  protocol.add(archive);
  let header;
  let metadata;
  try {
    [header, metadata] = await Promise.all([archive.getHeader(), archive.getMetadata()]);
  } catch (e) {
    throw new Error(`archive de tuiles ${url} illisible (${e.message})`);
  }
  return {
    tiles: [`pmtiles://${url}/{z}/{x}/{y}`],
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
    attribution: metadata.attribution,
    vector_layers: metadata.vector_layers || [],
    bounds_by_layer: metadata.bounds_by_layer || {},
  };
}

/**
 * The part of an archive's TileJSON-like document for some of its layers (the gap tileset is
 * in the same archive): the same tile template, the layers' zooms and bounds.
 */
export function selectLayers(archiveTj, ids) {
  const layers = archiveTj.vector_layers.filter((l) => ids.includes(l.id));
  const bounds = layers.map((l) => archiveTj.bounds_by_layer[l.id]).filter(Array.isArray);
  return {
    ...archiveTj,
    vector_layers: layers,
    minzoom: layers.length ? Math.max(archiveTj.minzoom, Math.min(...layers.map((l) => l.minzoom))) : archiveTj.minzoom,
    maxzoom: layers.length ? Math.min(archiveTj.maxzoom, Math.max(...layers.map((l) => l.maxzoom))) : archiveTj.maxzoom,
    bounds: bounds.length
      ? [Math.min(...bounds.map((b) => b[0])), Math.min(...bounds.map((b) => b[1])), Math.max(...bounds.map((b) => b[2])), Math.max(...bounds.map((b) => b[3]))]
      : archiveTj.bounds,
  };
}
