// Lookup: a click anywhere gives the commune and the QPV containing the point or the nearest QPV
// (`GET /api/lookup`); a CSV of points goes through `POST /api/lookup` into a table and markers.
import * as api from './api.js';
import { maplibregl } from './map.js';
import { el, fmt, fmtDistance, toCsv, download } from './util.js';
import { isPhone } from './phone.js';

let clickMarker = null;
let lastResults = null;

function describe(r) {
  const parts = [];
  parts.push(r.commune ? `${r.commune.name} (${r.commune.code})` : 'hors du territoire');
  if (r.qpv) parts.push(`dans le QPV ${r.qpv.name} (${r.qpv.code})`);
  else if (r.nearest_qpv) parts.push(`QPV le plus proche : ${r.nearest_qpv.name} (${r.nearest_qpv.code}) à ${fmtDistance(r.nearest_qpv.distance_m)}`);
  return parts;
}

/** Looks up the clicked point and shows the answer in a popup and in the Localiser tab. */
export async function lookupAt(map, lngLat) {
  const lon = Number(lngLat.lng.toFixed(6));
  const lat = Number(lngLat.lat.toFixed(6));
  const box = document.getElementById('lookup-point');
  try {
    const r = await api.lookupPoint(lon, lat);
    const [where, ...qpv] = describe(r);
    const content = el('div', {}, el('h3', {}, where), ...qpv.map((t) => el('p', {}, t)), el('p', { class: 'hint' }, `${fmt(lat, 5)} N, ${fmt(lon, 5)} E`));
    if (clickMarker) clickMarker.remove();
    // On a phone the tap opens the commune's card in the sheet: no popup over the small map.
    if (!isPhone()) clickMarker = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '300px', className: 'lookup-popup' })
      .setLngLat([lon, lat]).setDOMContent(content).addTo(map);
    box.replaceChildren(el('p', {}, el('strong', {}, where)), ...qpv.map((t) => el('p', {}, t)), el('p', { class: 'hint' }, `Point : ${fmt(lat, 5)} N, ${fmt(lon, 5)} E`));
  } catch (e) {
    box.replaceChildren(el('p', { class: 'error' }, `Localisation impossible : ${e.message}`));
  }
}

/** Splits a CSV line on `,` or `;` (the separator found in the header), honouring double quotes. */
function splitLine(line, sep) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parseCsv(text) {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) return { header: [], rows: [] };
  const sep = lines[0].includes(';') && !lines[0].includes(',') ? ';' : ',';
  return { header: splitLine(lines[0], sep).map((h) => h.trim()), rows: lines.slice(1).map((l) => splitLine(l, sep)) };
}

export function initLookup(map) {
  const input = document.getElementById('lookup-file');
  const statusBox = document.getElementById('lookup-status');
  const table = document.getElementById('lookup-table');
  const exportButton = document.getElementById('lookup-export');
  const clearButton = document.getElementById('lookup-clear');

  const clear = () => {
    lastResults = null;
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    map.getSource('points').setData({ type: 'FeatureCollection', features: [] });
    exportButton.disabled = true;
    clearButton.disabled = true;
    statusBox.textContent = '';
    input.value = '';
    document.getElementById('lookup-file-name').textContent = '';
  };
  clearButton.addEventListener('click', clear);

  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    statusBox.classList.remove('error');
    document.getElementById('lookup-file-name').textContent = file.name;
    statusBox.textContent = `Localisation de ${file.name}…`;
    try {
      const text = await file.text();
      const parsed = parseCsv(text);
      const results = await api.lookupCsv(text);
      const extra = parsed.header.map((h, i) => [h, i]).filter(([h]) => !/^(lon|lng|longitude|lat|latitude|x|y)$/i.test(h));
      lastResults = { parsed, results, extra };
      table.tHead.replaceChildren(el('tr', {}, el('th', { scope: 'col', class: 'num' }, 'n°'),
        extra.map(([h]) => el('th', { scope: 'col' }, h)),
        el('th', { scope: 'col' }, 'Commune'), el('th', { scope: 'col' }, 'QPV'), el('th', { scope: 'col', class: 'num' }, 'Distance au QPV')));
      const shown = results.slice(0, 500);
      table.tBodies[0].replaceChildren(...shown.map((r, i) => {
        const q = r.nearest_qpv;
        return el('tr', {}, el('td', { class: 'num' }, i + 1),
          extra.map(([, j]) => el('td', {}, (parsed.rows[i] || [])[j] ?? '')),
          el('td', {}, r.commune ? `${r.commune.name} (${r.commune.code})` : 'hors territoire'),
          el('td', {}, q ? `${q.name} (${q.code})${r.qpv ? '' : ', le plus proche'}` : '—'),
          el('td', { class: 'num' }, q ? fmtDistance(q.distance_m) : '—'));
      }));
      const features = results.map((r, i) => ({
        type: 'Feature', geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
        properties: { n: i + 1, in_qpv: Boolean(r.qpv) },
      }));
      map.getSource('points').setData({ type: 'FeatureCollection', features });
      const inside = results.filter((r) => r.commune);
      if (inside.length) {
        const b = new maplibregl.LngLatBounds();
        inside.forEach((r) => b.extend([r.lon, r.lat]));
        map.fitBounds(b, { padding: 80, maxZoom: 14 });
      }
      const inQpv = results.filter((r) => r.qpv).length;
      statusBox.textContent = `${results.length} points localisés, dont ${inQpv} dans un QPV (points roses sur la carte)${results.length > shown.length ? ` ; le tableau montre les ${shown.length} premiers, l'export les contient tous` : ''}.`;
      exportButton.disabled = false;
      clearButton.disabled = false;
    } catch (e) {
      statusBox.textContent = `Fichier refusé : ${e.message}`;
      statusBox.classList.add('error');
    }
  });

  exportButton.addEventListener('click', () => {
    if (!lastResults) return;
    const { parsed, results, extra } = lastResults;
    const header = ['n', ...extra.map(([h]) => h), 'lon', 'lat', 'commune_code', 'commune', 'qpv_code', 'qpv', 'qpv_contient_le_point', 'distance_qpv_m'];
    const rows = results.map((r, i) => {
      const q = r.nearest_qpv;
      return [i + 1, ...extra.map(([, j]) => (parsed.rows[i] || [])[j] ?? ''), r.lon, r.lat, r.commune?.code, r.commune?.name, q?.code, q?.name, r.qpv ? 'oui' : 'non', q ? Math.round(q.distance_m) : null];
    });
    download('localisation-points.csv', toCsv(header, rows));
  });
}
