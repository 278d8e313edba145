// Placing a point on the map (an actor known by address, a new actor, a project site), in three
// ways that give the same result: a click on the map; typed coordinates (WGS84 longitude and
// latitude, or Lambert-93 x and y, converted by coords.js); the keyboard (the map moves under a
// crosshair at its centre with the arrow keys, Enter places the point there). The bar over the
// map says what is being placed; Escape or "Annuler" stops. The store's `placing` key says who
// receives the point (other map clicks are ignored meanwhile).
import { store } from './store.js';
import { readPoint, toLambert93 } from './coords.js';
import { fmt } from './util.js';

let map = null;
let current = null; // { onPlace, multiple }
const $ = (id) => document.getElementById(id);

/**
 * Starts placing: `text` says what (French), `onPlace({lon, lat}, how)` receives each point
 * (how: 'clic', 'coordonnées', 'clavier'); `multiple`: stay in placing mode after a point.
 */
export function startPlacing({ kind, text, onPlace, multiple = false, stopLabel = 'Annuler' }) {
  current = { onPlace, multiple };
  store.set({ placing: { kind, text } });
  $('placing-text').textContent = `${text} Cliquez sur la carte, tapez ses coordonnées, ou déplacez la carte au clavier (flèches) sous le viseur et appuyez sur Entrée.`;
  $('placing-stop').textContent = stopLabel;
  $('placing').hidden = false;
  $('placing-crosshair').hidden = false;
  map.getCanvas().style.cursor = 'crosshair';
  $('placing-error').textContent = '';
}

/** Stops placing (the bar and the crosshair go). */
export function stopPlacing() {
  current = null;
  store.set({ placing: null });
  $('placing').hidden = true;
  $('placing-crosshair').hidden = true;
  map.getCanvas().style.cursor = '';
}

function place(lngLat, how) {
  if (!current) return;
  const point = { lon: Number(lngLat.lon.toFixed(6)), lat: Number(lngLat.lat.toFixed(6)) };
  const { onPlace, multiple } = current;
  if (!multiple) stopPlacing();
  const [x, y] = toLambert93(point.lon, point.lat);
  $('placing-last').textContent = `Point placé (${how}) : ${fmt(point.lon, 6)} E, ${fmt(point.lat, 6)} N (Lambert-93 x ${fmt(x, 1)}, y ${fmt(y, 1)}).`;
  onPlace(point, how);
}

/** Labels of the two coordinate fields for the chosen system. */
function renderSystem() {
  const l93 = $('placing-system').value === 'l93';
  $('placing-a-label').textContent = l93 ? 'X (Lambert-93, m)' : 'Longitude (WGS84, degrés)';
  $('placing-b-label').textContent = l93 ? 'Y (Lambert-93, m)' : 'Latitude (WGS84, degrés)';
  $('placing-a').placeholder = l93 ? '562122,09' : '1,0993';
  $('placing-b').placeholder = l93 ? '6928734,09' : '49,4431';
}

export function initPlacing(theMap) {
  map = theMap;
  map.on('click', (e) => { if (current) place({ lon: e.lngLat.lng, lat: e.lngLat.lat }, 'clic'); });
  map.getCanvas().addEventListener('keydown', (e) => {
    if (!current || e.key !== 'Enter') return;
    e.preventDefault();
    const c = map.getCenter();
    place({ lon: c.lng, lat: c.lat }, 'clavier');
  });
  document.addEventListener('keydown', (e) => { if (current && e.key === 'Escape') stopPlacing(); });
  $('placing-system').addEventListener('change', renderSystem);
  renderSystem();
  $('placing-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const r = readPoint($('placing-system').value, $('placing-a').value, $('placing-b').value);
    for (const f of ['a', 'b']) $(`placing-${f}`).removeAttribute('aria-invalid');
    if (r.error) {
      $('placing-error').textContent = r.error;
      $(`placing-${r.field}`).setAttribute('aria-invalid', 'true');
      $(`placing-${r.field}`).focus();
      return;
    }
    $('placing-error').textContent = '';
    map.jumpTo({ center: [r.lon, r.lat] });
    place(r, 'coordonnées');
  });
  $('placing-center').addEventListener('click', () => {
    const c = map.getCenter();
    place({ lon: c.lng, lat: c.lat }, 'viseur');
  });
  $('placing-keyboard').addEventListener('click', () => map.getCanvas().focus());
  $('placing-stop').addEventListener('click', stopPlacing);
}
