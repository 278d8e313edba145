// Coordinates typed by a person: WGS84 longitude/latitude (decimal degrees, comma or point) or
// Lambert-93 x/y (metres, EPSG:2154), converted here with the IGN formulas of the Lambert
// conformal conic projection on GRS80 (IGN notes NTG_71, ALG0001-ALG0004). Lambert-93 is tied to
// RGF93, which coincides with WGS84 at the metre: no datum shift. Pure functions, no DOM.

const A = 6378137; // GRS80 semi-major axis, m
const E = 0.0818191910428158; // GRS80 first eccentricity
const LON0 = (3 * Math.PI) / 180;
const PHI0 = (46.5 * Math.PI) / 180;
const PHI1 = (44 * Math.PI) / 180;
const PHI2 = (49 * Math.PI) / 180;
const X0 = 700000;
const Y0 = 6600000;

/** Isometric latitude (ALG0001). */
const isoLat = (phi) => Math.log(Math.tan(Math.PI / 4 + phi / 2) * ((1 - E * Math.sin(phi)) / (1 + E * Math.sin(phi))) ** (E / 2));
/** Latitude from isometric latitude (ALG0002). */
function latFromIso(l) {
  let phi = 2 * Math.atan(Math.exp(l)) - Math.PI / 2;
  for (let i = 0; i < 20; i++) {
    const next = 2 * Math.atan(((1 + E * Math.sin(phi)) / (1 - E * Math.sin(phi))) ** (E / 2) * Math.exp(l)) - Math.PI / 2;
    if (Math.abs(next - phi) < 1e-12) return next;
    phi = next;
  }
  return phi;
}
const gN = (phi) => A / Math.sqrt(1 - E * E * Math.sin(phi) ** 2);
// Projection constants (secant cone, ALG0054).
const N = Math.log((gN(PHI2) * Math.cos(PHI2)) / (gN(PHI1) * Math.cos(PHI1))) / (isoLat(PHI1) - isoLat(PHI2));
const C = ((gN(PHI1) * Math.cos(PHI1)) / N) * Math.exp(N * isoLat(PHI1));
const YS = Y0 + C * Math.exp(-N * isoLat(PHI0));

/** WGS84 degrees → Lambert-93 metres `[x, y]`. */
export function toLambert93(lon, lat) {
  const phi = (lat * Math.PI) / 180;
  const r = C * Math.exp(-N * isoLat(phi));
  const g = N * ((lon * Math.PI) / 180 - LON0);
  return [X0 + r * Math.sin(g), YS - r * Math.cos(g)];
}

/** Lambert-93 metres → WGS84 degrees `[lon, lat]`. */
export function fromLambert93(x, y) {
  const dx = x - X0;
  const dy = y - YS;
  const r = Math.hypot(dx, dy);
  const g = Math.atan(dx / -dy);
  const lon = LON0 + g / N;
  const phi = latFromIso(-Math.log(r / C) / N);
  return [(lon * 180) / Math.PI, (phi * 180) / Math.PI];
}

/** A number typed in French or English form ("49,4431", "562 122.09"); NaN if not one. */
export function parseNumber(text) {
  const t = String(text ?? '').trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^[-+]?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/**
 * Reads a typed point: `system` 'wgs84' (a = longitude, b = latitude) or 'l93' (a = x, b = y).
 * Returns `{lon, lat}` or `{error}` (French, naming the field).
 */
export function readPoint(system, a, b) {
  const u = parseNumber(a);
  const v = parseNumber(b);
  if (system === 'l93') {
    if (!Number.isFinite(u)) return { error: `X (Lambert-93) illisible : « ${a} ». Attendu un nombre de mètres, ex. 562122,09.`, field: 'a' };
    if (!Number.isFinite(v)) return { error: `Y (Lambert-93) illisible : « ${b} ». Attendu un nombre de mètres, ex. 6928734,09.`, field: 'b' };
    if (u < 0 || u > 1_300_000) return { error: `X (Lambert-93) hors de la France métropolitaine : ${a} (attendu entre 0 et 1 300 000 m).`, field: 'a' };
    if (v < 6_000_000 || v > 7_200_000) return { error: `Y (Lambert-93) hors de la France métropolitaine : ${b} (attendu entre 6 000 000 et 7 200 000 m).`, field: 'b' };
    const [lon, lat] = fromLambert93(u, v);
    return { lon, lat };
  }
  if (!Number.isFinite(u) || Math.abs(u) > 180) return { error: `Longitude illisible : « ${a} ». Attendu des degrés décimaux entre -180 et 180, ex. 1,0993.`, field: 'a' };
  if (!Number.isFinite(v) || Math.abs(v) > 90) return { error: `Latitude illisible : « ${b} ». Attendu des degrés décimaux entre -90 et 90, ex. 49,4431.`, field: 'b' };
  return { lon: u, lat: v };
}
