// Journey tests (docs JOURNEYS.md): the page played by each of its users, in French, from the
// first view; at each step what the page shows is read back against the API (a value, a year, a
// name, a count, a position, a pixel colour), not "the element exists". `repere serve` runs on the
// default data (the editor's journey on a GeoPackage store of its own, with a token); Debian's
// Chromium drives the page through playwright-core. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { root, shots, CHROMIUM_FLAGS, repereBinary, freePort } from './harness.mjs';

const ROUEN = '76540';
const CANTELEU = '76157';
const ROUEN_ML = 'missions_locales:mission_locale-76540-01';
const ELBEUF_ML = 'missions_locales:mission_locale-76231-01';
const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** `repere serve` on a free port (`store`: a folder for a GeoPackage store and a token file). */
async function start({ store = null } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--tile-cache-mb', '0', '--basemap', 'none'];
  if (store) args.push('--store', join(store, 'repere.gpkg'), '--edit-token-file', join(store, 'tokens'));
  const server = spawn(repereBinary(), args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const t0 = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`repere serve exited with ${server.exitCode}`);
    if (Date.now() - t0 > 120_000) throw new Error('repere serve did not start');
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { server, base };
}

const stop = (server) => new Promise((res) => { if (server.exitCode !== null) return res(); server.once('exit', res); server.kill('SIGINT'); });
const json = async (url, options) => { const r = await fetch(url, options); assert.ok(r.ok, `${url}: ${r.status}`); return r.json(); };

let browser;
const servers = [];
/** The default data's server, shared by the journeys that do not edit. */
let shared;
before(async () => {
  mkdirSync(shots, { recursive: true });
  shared = await start();
  servers.push(shared.server);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
});
after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await stop(s);
});

async function openPage(base, { viewport = { width: 1440, height: 900 }, hash = '', mobile = false } = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  page.on('requestfailed', (r) => { const why = r.failure()?.errorText || ''; if (!why.includes('ERR_ABORTED')) errors.push(`request failed: ${r.url()} ${why}`); });
  page.on('response', (r) => { if (r.status() >= 400 && /\/tiles\//.test(r.url())) errors.push(`tile ${r.status()}: ${r.url()}`); });
  await page.goto(`${base}/${hash}`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  await mapIdle(page);
  return { page, context, errors };
}

/** Resolves when the map has rendered every tile it needs and nothing moves. */
function mapIdle(page) {
  return page.evaluate(() => new Promise((res) => {
    const map = window.repere.map;
    const check = () => (map.loaded() && map.areTilesLoaded() && !map.isMoving() ? res(true) : map.once('idle', () => res(true)));
    check();
  }));
}

/**
 * The map's pixels at CSS points `points` ([[x, y]…] in canvas coordinates), read from the canvas
 * in the frame just drawn: [[r, g, b]…].
 */
function pixels(page, points) {
  return page.evaluate((pts) => new Promise((res) => {
    const map = window.repere.map;
    map.once('render', () => {
      const canvas = map.getCanvas();
      const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
      const ratio = canvas.width / canvas.clientWidth;
      res(pts.map(([x, y]) => {
        const px = new Uint8Array(4);
        gl.readPixels(Math.round(x * ratio), Math.round(canvas.height - 1 - y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
        return [px[0], px[1], px[2]];
      }));
    });
    map.triggerRepaint();
  }), points);
}

/** A grid of canvas points, `step` px apart. */
async function grid(page, step) {
  const { w, h } = await page.evaluate(() => ({ w: window.repere.map.getCanvas().clientWidth, h: window.repere.map.getCanvas().clientHeight }));
  const pts = [];
  for (let y = step / 2; y < h; y += step) for (let x = step / 2; x < w; x += step) pts.push([x, y]);
  return pts;
}

/** Whether the map draws something: the share of the most common colour over a grid of pixels. */
async function dominantShare(page) {
  const px = await pixels(page, await grid(page, 23));
  const counts = new Map();
  for (const p of px) counts.set(p.join(','), (counts.get(p.join(',')) || 0) + 1);
  return { share: Math.max(...counts.values()) / px.length, colours: counts.size };
}

/** A French number read back ("1 234,5" → 1234.5). */
const num = (text) => Number(String(text).replace(/[\s\u00a0\u202f]/g, '').replace('−', '-').replace(',', '.').replace(/[^\d.-]/g, ''));

/** The value a card cell shows, in the API's unit (m, m², plain). */
function shown(text, unit) {
  const t = text.trim();
  if (t === '—') return null;
  if (unit === 'm') return /km$/.test(t) ? num(t) * 1000 : num(t);
  if (unit === 'm²') return num(t) * 10000; // shown in ha
  return num(t);
}

/** Rounding tolerance of a shown value: the last digit shown. */
function tolerance(text, unit) {
  const t = text.trim();
  const decimals = (t.split(',')[1] || '').replace(/\D/g, '').length;
  let tol = 0.5 * 10 ** -decimals;
  if (unit === 'm' && /km$/.test(t)) tol *= 1000;
  if (unit === 'm²') tol *= 10000;
  return tol + 1e-9;
}

/** Checks the open card against `GET /api/communes/{code}`, every shown value. */
async function assertCardMatches(page, base, code) {
  const [diag, { fields }, inventory] = await Promise.all([json(`${base}/api/communes/${code}`), json(`${base}/api/fields`), json(`${base}/api/actors`)]);
  await page.waitForFunction((c) => document.getElementById('card')?.dataset.code === c && document.getElementById('card-actors'), code, { timeout: 60_000 });
  assert.equal(await page.textContent('#card-title'), diag.name);
  const subtitle = await page.textContent('#card .subtitle');
  assert.ok(subtitle.includes(`population légale ${diag.population_vintage}`), subtitle);
  assert.equal(num(subtitle.split('habitants')[0].split('·').pop()), diag.population, subtitle);
  // Every compared indicator: the commune's value, the territory's, and the source year.
  const rows = await page.$$eval('#card-indicators tbody tr', (trs) => trs.map((tr) => ({
    field: tr.dataset.field, label: tr.querySelector('th').textContent, value: tr.querySelector('.value').textContent,
    reference: tr.querySelector('.reference').textContent, vintage: tr.querySelector('.vintage').textContent,
  })));
  assert.ok(rows.length >= 10, `${rows.length} indicators`);
  for (const r of rows) {
    const c = diag[r.field];
    const unit = fields[r.field]?.unit || '';
    assert.equal(r.label, fields[r.field]?.label ?? r.label, r.field);
    for (const [text, expected] of [[r.value, c.value], [r.reference, c.metropole]]) {
      const got = shown(text, unit);
      if (expected === null || expected === undefined) { assert.equal(got, null, `${r.field}: ${text}`); continue; }
      assert.ok(Math.abs(got - expected) <= tolerance(text, unit), `${r.field}: shown ${text}, API ${expected}`);
    }
    if (/^youth_15_29(_share_pct)?$/.test(r.field)) assert.equal(r.vintage, `RP ${diag.census_vintage}`, r.field);
    const y = /^neet_share_(\d{4})_pct$/.exec(r.field);
    if (y) assert.equal(r.vintage, `RP ${y[1]}`, r.field);
    assert.notEqual(r.vintage, '', `${r.field} says no source`);
  }
  // The actors: nearest from the centre, inside, within reach, to place: the API's, one by one.
  const lists = await page.textContent('#card-actor-sources');
  for (const src of inventory.sources) assert.ok(lists.includes(src.label || src.source), `${src.source} not named: ${lists}`);
  const origin = await page.textContent('#card-distance-origin');
  const reachText = diag.reach_m === 1000 ? '1 km' : `${diag.reach_m} m`;
  assert.match(origin, /« Le plus proche » et « à portée » se mesurent de la même façon : à vol d'oiseau, depuis la limite de la commune/);
  assert.ok(origin.includes(`à moins de ${reachText} de la limite de la commune`), origin);
  const actors = await page.$$eval('#card-actors tbody tr', (trs) => trs.map((tr) => ({
    group: tr.dataset.group, nearest: tr.querySelector('.nearest').textContent, distance: tr.querySelector('.distance').textContent,
    inside: tr.querySelector('.inside').textContent, reach: tr.querySelector('.reach').textContent, toPlace: tr.querySelector('.to-place-count').textContent,
  })));
  const waiting = {};
  for (const a of inventory.actors) if (a.status === 'to_place') waiting[a.group] = (waiting[a.group] || 0) + 1;
  const hasActor = new Set(inventory.actors.filter((a) => a.status !== 'retired').map((a) => a.group));
  for (const a of actors) {
    const n = diag.nearest_actor_by_group[a.group];
    assert.equal(num(a.inside), diag.actors_inside_by_group[a.group] ?? 0, `${a.group} inside`);
    assert.equal(num(a.reach), diag.actors_within_reach_by_group[a.group] ?? 0, `${a.group} within reach`);
    assert.equal(num(a.toPlace), diag.actors_to_place_by_group[a.group] ?? 0, `${a.group} to place`);
    // The nearest actor and the counts agree (same origin, same rule): one within reach exactly
    // when the nearest is within reach, one inside exactly when it is "dans la commune".
    // (The engine names no nearest "Autre" actor: that row has counts only.)
    if (a.group in diag.nearest_actor_by_group) {
      assert.equal(num(a.reach) > 0, Boolean(n) && n.distance_m <= diag.reach_m, `${a.group}: nearest ${a.distance}, ${a.reach} à portée`);
      assert.equal(num(a.inside) > 0, a.distance === 'dans la commune', `${a.group}: nearest ${a.distance}, ${a.inside} inside`);
    }
    if (n) {
      assert.equal(a.nearest, n.actor_name, a.group);
      if (n.distance_m === 0) assert.equal(a.distance, 'dans la commune', a.group);
      else assert.ok(Math.abs(shown(a.distance, 'm') - n.distance_m) <= tolerance(a.distance, 'm'), `${a.group}: ${a.distance} vs ${n.distance_m}`);
    } else if (a.group in diag.nearest_actor_by_group) {
      assert.equal(a.distance, '—');
      if (waiting[a.group]) {
        // Known by address, not placed: never "absent".
        assert.ok(a.nearest.includes(`${waiting[a.group]} à localiser`), `${a.group}: ${a.nearest}`);
        assert.ok(!/aucun dans les données/.test(a.nearest), a.nearest);
      } else {
        assert.ok(!hasActor.has(a.group), `${a.group} has actors but says ${a.nearest}`);
        assert.equal(a.nearest, 'aucun dans les données');
      }
    }
  }
  return { diag, actors, waiting };
}

/** The number of pages of a PDF (its page objects). */
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;

test('planner: the Canteleu and Rouen cards equal the API, say their years and origins, missions locales "à localiser", one A4 page, gap colours equal the legend', { timeout: 400_000 }, async (t) => {
  const { base } = shared;
  const { page, context, errors } = await openPage(base);

  await t.test('the map draws (not one colour) and its controls speak French', async () => {
    const d = await dominantShare(page);
    assert.ok(d.share < 0.8 && d.colours > 5, JSON.stringify(d));
    assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'title'), 'Zoomer');
    assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-out', 'title'), 'Dézoomer');
    assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label'), 'Zoomer');
    await page.screenshot({ path: join(shots, 'journey-planner-1-first-view.png') });
  });

  await t.test('the legend and the map\'s tables say the source and vintage of their figures (the API\'s)', async () => {
    const { fields, vintages } = await json(`${base}/api/fields`);
    assert.ok(vintages.census > 2000 && vintages.population > 2000 && vintages.qpv === 2024, JSON.stringify(vintages));
    const field = await page.inputValue('#indicator-select');
    assert.ok(field, 'an indicator colours the map');
    assert.match(fields[field].source, /\d{4}/, `${field}: ${fields[field].source}`);
    assert.equal(await page.textContent('#choropleth-source'), `Source : ${fields[field].source}`);
    const heads = await page.$$eval('#communes-table thead th', (th) => th.map((x) => x.textContent));
    assert.ok(heads.includes(`Population — population légale ${vintages.population}`), heads.join(' | '));
    assert.ok(heads.some((h) => h.endsWith(`— ${fields[field].source}`)), heads.join(' | '));
    // Another indicator: the legend follows.
    await page.selectOption('#indicator-select', 'youth_15_29_share_pct');
    assert.equal(await page.textContent('#choropleth-source'), `Source : RP ${vintages.census}`);
    await page.selectOption('#indicator-select', field);
    const qpvHeads = await page.$$eval('#qpv-table thead th', (th) => th.map((x) => x.textContent));
    assert.ok(qpvHeads.includes(`Jeunes 15-29 ans (estimation, ${fields.youth_15_29_in_qpv_est.source})`), qpvHeads.join(' | '));
    assert.ok(fields.youth_15_29_in_qpv_est.source.startsWith(`RP ${vintages.census}, `) && fields.youth_15_29_in_qpv_est.source.endsWith(`QPV ${vintages.qpv}`), fields.youth_15_29_in_qpv_est.source);
  });

  await t.test('Canteleu, searched by name: every shown value is the API\'s', async () => {
    await page.fill('#search-input', 'Canteleu');
    await page.press('#search-input', 'Enter');
    await assertCardMatches(page, base, CANTELEU);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'journey-planner-2-canteleu.png') });
  });

  let rouen;
  await t.test('Rouen: every shown value is the API\'s; the mission locale line says "2 à localiser" and opens them in Acteurs', async () => {
    await page.fill('#search-input', 'Rouen');
    await page.press('#search-input', 'Enter');
    rouen = await assertCardMatches(page, base, ROUEN);
    assert.equal(rouen.waiting.ML, 2, 'the default data: the Rouen and Elbeuf missions locales known by address');
    // Rouen's associations: inside, so the nearest is "dans la commune" beside the count within reach.
    const asso = rouen.actors.find((a) => a.group === 'ASSO');
    assert.equal(asso.distance, 'dans la commune');
    assert.equal(num(asso.reach), rouen.diag.actors_within_reach_by_group.ASSO);
    const ml = rouen.actors.find((a) => a.group === 'ML');
    assert.match(ml.nearest, /aucun placé : 2 à localiser sur le territoire, dont 1 dans la commune/);
    await page.$eval('#card-actors', (e) => e.scrollIntoView());
    // Every column shows in the panel (none cut off at its right edge).
    const fits = (sel) => page.$eval(sel, (t) => {
      const box = t.parentElement.getBoundingClientRect();
      return [...t.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().right <= box.right + 1);
    });
    assert.ok((await fits('#card-actors')).every(Boolean), `card columns shown: ${await fits('#card-actors')}`);
    await page.screenshot({ path: join(shots, 'journey-planner-3-rouen-actors.png') });
    await page.click('#card-actors tr[data-group="ML"] .to-place-link');
    assert.equal(await page.getAttribute('#tab-actors', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('#actors-group'), 'ML');
    assert.equal(await page.inputValue('#actors-filter-status'), 'to_place');
    const listed = await page.$$eval('#actors-list li', (li) => li.map((x) => x.dataset.actor).sort());
    assert.deepEqual(listed, [ELBEUF_ML, ROUEN_ML]);
  });

  await t.test('Acteurs: groups by name, counts per commune and source (the imbalance said), list and map linked', async () => {
    const inventory = await json(`${base}/api/actors`);
    await page.selectOption('#actors-group', '');
    await page.selectOption('#actors-filter-status', '');
    await page.dispatchEvent('#actors-filter-status', 'change');
    const groups = await page.$$eval('#actors-group option', (o) => o.map((x) => x.textContent));
    for (const code of ['ASSO', 'AUTRE', 'PIJ_BIJ', 'RFS']) assert.ok(!groups.includes(code), `raw code ${code} in ${groups}`);
    assert.ok(groups.includes('Association') && groups.includes('France services'), groups.join(', '));
    const live = inventory.actors.filter((a) => a.status !== 'retired');
    const inRouen = live.filter((a) => a.commune === ROUEN);
    const bySource = {};
    for (const a of inRouen) bySource[a.source] = (bySource[a.source] || 0) + 1;
    const [topSource, topCount] = Object.entries(bySource).sort((a, b) => b[1] - a[1])[0];
    const imbalance = await page.textContent('#actors-imbalance');
    assert.ok(imbalance.startsWith(`${inRouen.length} des ${live.length} acteurs`), imbalance);
    const label = inventory.sources.find((x) => x.source === topSource).label;
    assert.match(label, /\S/, 'the source has a label');
    assert.ok(imbalance.includes(`dont ${topCount} de la seule source « ${label} »`), imbalance);
    // Each list with its date, as the territory file describes it.
    const listed = await page.$$eval('#actors-source-list li', (li) => li.map((x) => x.textContent));
    assert.deepEqual(listed, inventory.sources.map((x) => `${x.source} : ${x.label || 'sans description'} (${x.kept} acteurs au chargement)`));
    assert.ok(listed.some((x) => x.includes('liste du 2024-08-01')), listed.join('\n'));
    const row = await page.textContent('#actors-by-source tr[data-commune="Rouen"]');
    assert.ok(row.includes(`${topSource} : ${topCount}`), row);
    // The list → the map: the map flies to the actor and rings it.
    const ft = live.find((a) => a.group === 'FT' && a.status === 'placed' && a.commune === ROUEN);
    await page.selectOption('#actors-commune', ROUEN);
    await page.click(`#actors-list li[data-actor="${ft.id}"] .show-on-map`);
    await page.waitForFunction(() => !window.repere.map.isMoving(), null, { timeout: 20_000 });
    await mapIdle(page);
    const ringed = await page.evaluate((id) => {
      const map = window.repere.map;
      const c = map.getCenter();
      return { filter: map.getFilter('actors-selected'), center: [c.lng, c.lat], rendered: map.queryRenderedFeatures({ layers: ['actors-selected'] }).map((f) => f.properties.id) };
    }, ft.id);
    assert.deepEqual(ringed.filter, ['==', ['get', 'id'], ft.id]);
    assert.ok(Math.abs(ringed.center[0] - ft.lon) < 1e-4 && Math.abs(ringed.center[1] - ft.lat) < 1e-4, JSON.stringify(ringed.center));
    assert.ok(ringed.rendered.includes(ft.id), 'the ring is drawn');
    await page.screenshot({ path: join(shots, 'journey-planner-4-actor-on-map.png') });
    // The map → the list: a click on another actor chooses it in the list.
    const other = await page.evaluate((id) => {
      const map = window.repere.map;
      const r = map.getCanvas().getBoundingClientRect();
      const f = map.queryRenderedFeatures({ layers: ['actors-symbol'] }).find((x) => x.properties.id !== id);
      const p = map.project(f.geometry.coordinates);
      return { id: f.properties.id, x: r.left + p.x, y: r.top + p.y };
    }, ft.id);
    await page.selectOption('#actors-commune', '');
    await page.dispatchEvent('#actors-commune', 'change');
    await page.click('#tab-card');
    await page.mouse.click(other.x, other.y);
    await page.waitForSelector(`#actors-list li[data-actor="${other.id}"][aria-current="true"]`, { timeout: 10_000 });
    assert.equal(await page.getAttribute('#tab-actors', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => window.repere.state.actor), other.id);
  });

  await t.test('print: the card fits one A4 page, with a small map', async () => {
    await page.evaluate((c) => window.repere.selectCommune(c, { fly: true }), ROUEN);
    await mapIdle(page);
    await page.evaluate(() => window.repere.snapshotMap());
    await page.emulateMedia({ media: 'print' });
    const img = await page.$eval('#card-print-map', (i) => ({ w: i.naturalWidth, shown: i.getBoundingClientRect().height, src: i.src.length }));
    assert.ok(img.w > 300 && img.shown > 100 && img.src > 10_000, JSON.stringify(img));
    await page.screenshot({ path: join(shots, 'journey-planner-6-print.png'), fullPage: true });
    const pdf = await page.pdf({ path: join(shots, 'journey-planner-card.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    assert.equal(pdfPages(pdf), 1, `${pdfPages(pdf)} pages`);
  });

  await t.test('gap map: the mission locale group says "2 à localiser", not "absent"', async () => {
    await page.click('#tab-gaps');
    await page.selectOption('#gap-group', 'ML');
    await page.waitForSelector('#gap-absent:not([hidden])');
    const notice = await page.textContent('#gap-absent');
    assert.match(notice, /2 à localiser/);
    assert.ok(!/absent/.test(notice), notice);
  });

  await t.test('gap map: the France Travail cells show their legend colours (the commune fill steps back)', async () => {
    await page.click('#tab-gaps');
    if (!(await page.isChecked('#gap-show'))) await page.check('#gap-show');
    await page.selectOption('#gap-group', 'FT');
    await page.evaluate(() => window.repere.map.jumpTo({ center: [1.05, 49.43], zoom: 11.2 }));
    await mapIdle(page);
    await page.waitForSelector('#gaps-legend .swatch');
    const legend = await page.$$eval('#gaps-legend .swatch', (s) => s.map((x) => getComputedStyle(x).backgroundColor));
    const hex = (rgb) => rgb.match(/\d+/g).slice(0, 3).map(Number);
    // Points whose only coloured feature is a gap cell (no line, symbol or label near): the colour
    // seen must be the legend colour of the cell's class.
    const pts = await page.evaluate(() => {
      const map = window.repere.map;
      const w = map.getCanvas().clientWidth;
      const h = map.getCanvas().clientHeight;
      const out = [];
      const gapLayers = ['gaps-fill-1600m', 'gaps-fill-800m', 'gaps-fill-200m'];
      for (let y = 10; y < h; y += 17) {
        for (let x = 10; x < w; x += 17) {
          const near = map.queryRenderedFeatures([[x - 4, y - 4], [x + 4, y + 4]]).filter((f) => !gapLayers.includes(f.layer.id) && !['communes-fill', 'qpv-2024-fill'].includes(f.layer.id));
          if (near.length) continue;
          const cells = map.queryRenderedFeatures([[x - 3, y - 3], [x + 3, y + 3]], { layers: gapLayers });
          const minutes = new Set(cells.map((f) => Number(f.properties.walk_min_FT)));
          if (cells.length && minutes.size === 1) out.push({ x, y, minutes: [...minutes][0] });
        }
      }
      return out;
    });
    assert.ok(pts.length > 100, `${pts.length} sample points`);
    const seen = await pixels(page, pts.map((p) => [p.x, p.y]));
    const t15 = 15;
    const bounds = [0.5, 1, 1.5, 2].map((k) => k * t15);
    let ok = 0;
    const misses = [];
    pts.forEach((p, i) => {
      const cls = bounds.filter((b) => p.minutes >= b).length;
      const want = hex(legend[cls]);
      const d = Math.max(...want.map((v, k) => Math.abs(v - seen[i][k])));
      if (d <= 12) ok++; else if (misses.length < 5) misses.push({ want: legend[cls], seen: seen[i], minutes: p.minutes });
    });
    assert.ok(ok / pts.length >= 0.9, `${ok} of ${pts.length} cells show their legend colour; ${JSON.stringify(misses)}`);
    await page.screenshot({ path: join(shots, 'journey-planner-5-gaps-ft.png') });
    // The gap table's young people say their census.
    const { vintages } = await json(`${base}/api/fields`);
    await page.waitForSelector('#gap-communes caption');
    const caption = await page.textContent('#gap-communes caption');
    assert.ok(caption.includes(`jeunes de 15-29 ans (recensement ${vintages.census})`), caption);
  });

  await t.test('axe-core: no serious or critical violation on each tab of the planner\'s journey', async () => {
    const report = [];
    for (const id of ['tab-card', 'tab-gaps', 'tab-actors']) {
      await page.click(`#${id}`);
      const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of r.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) report.push(`${id}: ${v.id} ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    }
    assert.deepEqual(report, []);
  });

  await t.test('no console error, no refused tile', () => assert.deepEqual(errors, []));
  await context.close();
});

test('editor: an edit through the form reaches the next tiles, every panel and the map; hours stay on their weekday; actors placed by typed coordinates and by keyboard land there', { timeout: 600_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'repere-journey-'));
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-123-0123456789\nbob:jeton-bob-456-0123456789\n');
  const { server, base } = await start({ store: dir });
  servers.push(server);
  const { page, context, errors } = await openPage(base);
  const edited = () => page.evaluate(() => window.repere.actorsEdited);
  const waitEdit = (n) => page.waitForFunction((k) => window.repere.actorsEdited === k, n, { timeout: 180_000 });

  /** Every vector tile source's URL: absolute, of `version`. */
  const tileUrls = () => page.evaluate(() => {
    const map = window.repere.map;
    return Object.entries(map.getStyle().sources).filter(([, s]) => s.type === 'vector').map(([id]) => [id, map.getSource(id).tiles]);
  });

  // Open what a planner keeps open while the editor works: Rouen's card, the gap table, the ranking.
  await page.evaluate((c) => window.repere.selectCommune(c, { openTab: false }), ROUEN);
  await page.click('#tab-gaps');
  await page.waitForSelector('#gap-communes tbody tr');
  await page.click('#tab-actors');
  const actor = (await json(`${base}/api/actors`)).actors.find((a) => a.status === 'placed' && a.commune === ROUEN && a.group === 'FT');

  await t.test('a wrong token is refused with a French message; nothing is stored', async () => {
    const v0 = (await json(`${base}/health`)).version;
    await page.fill('#actors-token', 'pas-le-bon-jeton');
    await page.dispatchEvent('#actors-token', 'change');
    await page.selectOption('#actors-commune', ROUEN);
    await page.dispatchEvent('#actors-commune', 'change');
    const item = `#actors-list li[data-actor="${actor.id}"]`;
    await page.click(`${item} button:has-text("Modifier")`);
    await page.fill(`${item} form input[name="name"]`, 'Nom refusé');
    await page.click(`${item} form button[type="submit"]`);
    await page.waitForFunction(() => document.getElementById('actors-status').classList.contains('error'), null, { timeout: 30_000 });
    assert.equal(await page.textContent('#actors-status'), 'Modification refusée : jeton d\'édition inconnu');
    assert.equal((await json(`${base}/health`)).version, v0);
    assert.equal((await json(`${base}/api/actors/${encodeURIComponent(actor.id)}`)).name, actor.name);
    await page.$eval(`${item} form`, (f) => f.remove());
    // The browser logs the refused request itself: that one is expected, not a page error.
    const refused = errors.findIndex((e) => /status of 401 \(Unauthorized\)/.test(e) && e.includes(encodeURIComponent(actor.id)));
    assert.ok(refused >= 0, errors.join('\n'));
    errors.splice(refused, 1);
  });
  await page.fill('#actors-token', 'jeton-alice-123-0123456789');
  await page.dispatchEvent('#actors-token', 'change');

  await t.test('a renamed actor: the next tiles carry the new name, every source and panel shows the new version, the map draws', async () => {
    const v0 = (await json(`${base}/health`)).version;
    await page.selectOption('#actors-commune', ROUEN);
    await page.dispatchEvent('#actors-commune', 'change');
    const item = `#actors-list li[data-actor="${actor.id}"]`;
    await page.click(`${item} button:has-text("Modifier")`);
    const newName = 'France Travail Rouen (nom modifié pour le test)';
    await page.fill(`${item} form input[name="name"]`, newName);
    const n = await edited();
    await page.click(`${item} form button[type="submit"]`);
    await waitEdit(n + 1);
    const v1 = (await json(`${base}/health`)).version;
    assert.notEqual(v1, v0);
    for (const [id, tiles] of await tileUrls()) {
      for (const url of tiles) {
        assert.ok(url.startsWith(`${base}/tiles/`), `${id}: ${url} is not absolute`);
        assert.ok(url.includes(`/${v1}/`), `${id}: ${url} is not of version ${v1}`);
      }
    }
    await page.evaluate((a) => window.repere.map.jumpTo({ center: [a.lon, a.lat], zoom: 15 }), actor);
    await mapIdle(page);
    const names = await page.evaluate((id) => window.repere.map.querySourceFeatures('repere', { sourceLayer: 'actors', filter: ['==', ['get', 'id'], id] }).map((f) => f.properties.name), actor.id);
    assert.ok(names.length > 0 && names.every((x) => x === newName), JSON.stringify(names));
    const rendered = await page.evaluate((id) => window.repere.map.queryRenderedFeatures({ layers: ['actors-symbol'] }).filter((f) => f.properties.id === id).map((f) => f.properties.name), actor.id);
    assert.deepEqual([...new Set(rendered)], [newName]);
    const d = await dominantShare(page);
    assert.ok(d.share < 0.8 && d.colours > 5, `the map is blank: ${JSON.stringify(d)}`);
    // Every open panel: the version line, the card, the ranking, the gap table, the inventory.
    assert.equal(await page.getAttribute('#data-version', 'data-version'), v1);
    await page.waitForFunction((v) => document.getElementById('card').dataset.version === v, v1, { timeout: 30_000 });
    await page.waitForFunction((v) => document.getElementById('ranking-status').dataset.version === v, v1, { timeout: 30_000 });
    await page.waitForFunction((v) => document.getElementById('gap-status').dataset.version === v, v1, { timeout: 30_000 });
    assert.ok((await page.textContent(`${item}`)).includes(newName));
    await page.screenshot({ path: join(shots, 'journey-editor-1-renamed.png') });
  });

  await t.test('the hours typed beside each weekday\'s label are stored on that weekday', async () => {
    const item = `#actors-list li[data-actor="${actor.id}"]`;
    await page.click(`${item} button:has-text("Modifier")`);
    const form = `${item} form.actor-form`;
    await page.waitForSelector(form);
    const typed = {};
    for (const [i, day] of DAYS.entries()) {
      const label = day[0].toUpperCase() + day.slice(1);
      // The box a person types into: the text input on the label's row, right of it.
      const lb = await page.locator(`${form} label`, { hasText: new RegExp(`^${label}$`) }).boundingBox();
      const inputs = await page.$$(`${form} .actor-hours input`);
      let target = null;
      for (const input of inputs) {
        const b = await input.boundingBox();
        if (b && Math.abs((b.y + b.height / 2) - (lb.y + lb.height / 2)) < Math.max(b.height, lb.height) / 2 && b.x > lb.x) target = input;
      }
      assert.ok(target, `no box beside ${label}`);
      const value = `${String(8 + i).padStart(2, '0')}:00-${String(9 + i).padStart(2, '0')}:30`;
      await target.fill(value);
      typed[day] = value;
    }
    await page.$eval(form, (f) => f.scrollIntoView());
    await page.screenshot({ path: join(shots, 'journey-editor-2-hours.png') });
    const n = await edited();
    await page.click(`${form} button[type="submit"]`);
    await waitEdit(n + 1);
    const stored = await json(`${base}/api/actors/${encodeURIComponent(actor.id)}`);
    assert.deepEqual(stored.opening_hours, typed);
  });

  await t.test('the Rouen mission locale placed by typed Lambert-93 coordinates lands there; the card then names it', async () => {
    await page.selectOption('#actors-commune', '');
    await page.selectOption('#actors-filter-status', 'to_place');
    await page.dispatchEvent('#actors-filter-status', 'change');
    await page.click(`#actors-list li[data-actor="${ROUEN_ML}"] .place-actor`);
    await page.waitForSelector('#placing:not([hidden])');
    const axe = await new AxeBuilder({ page }).include('#placing').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(axe.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => v.id), []);
    await page.selectOption('#placing-system', 'l93');
    assert.equal(await page.textContent('#placing-a-label'), 'X (Lambert-93, m)');
    await page.fill('#placing-a', '562122,093');
    await page.fill('#placing-b', '6928734,087');
    await page.screenshot({ path: join(shots, 'journey-editor-3-coordinates.png') });
    const n = await edited();
    await page.click('#placing-submit');
    await waitEdit(n + 1);
    const a = await json(`${base}/api/actors/${encodeURIComponent(ROUEN_ML)}`);
    assert.equal(a.status, 'placed');
    assert.ok(Math.abs(a.lon - 1.0993) < 2e-6 && Math.abs(a.lat - 49.4431) < 2e-6, `${a.lon}, ${a.lat}`);
    await page.evaluate((c) => window.repere.selectCommune(c), ROUEN);
    const { diag } = await assertCardMatches(page, base, ROUEN);
    assert.equal(diag.nearest_actor_by_group.ML.actor_id, ROUEN_ML);
  });

  await t.test('the Elbeuf mission locale placed from the keyboard lands at the crosshair', async () => {
    await page.click('#tab-actors');
    await page.selectOption('#actors-filter-status', 'to_place');
    await page.dispatchEvent('#actors-filter-status', 'change');
    await page.focus(`#actors-list li[data-actor="${ELBEUF_ML}"] .place-actor`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#placing:not([hidden])');
    await page.evaluate(() => window.repere.map.jumpTo({ center: [1.0100, 49.2900], zoom: 14 }));
    await page.focus('#placing-keyboard');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement === window.repere.map.getCanvas()), true, 'the map has the focus');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown']) {
      await page.keyboard.press(key);
      await page.waitForFunction(() => !window.repere.map.isMoving());
    }
    const center = await page.evaluate(() => { const c = window.repere.map.getCenter(); return [c.lng, c.lat]; });
    assert.ok(center[0] > 1.0100 && center[1] < 49.2900, `the arrows moved the map: ${center}`);
    await page.screenshot({ path: join(shots, 'journey-editor-4-keyboard.png') });
    const n = await edited();
    await page.keyboard.press('Enter');
    await waitEdit(n + 1);
    const a = await json(`${base}/api/actors/${encodeURIComponent(ELBEUF_ML)}`);
    assert.ok(Math.abs(a.lon - center[0]) < 2e-6 && Math.abs(a.lat - center[1]) < 2e-6, `${a.lon}, ${a.lat} vs ${center}`);
  });

  await t.test('another editor\'s edit shows up: new tiles, new version line', async () => {
    const other = (await json(`${base}/api/actors`)).actors.find((a) => a.status === 'placed' && a.group === 'CS');
    const r = await fetch(`${base}/api/actors/${encodeURIComponent(other.id)}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', authorization: 'Bearer jeton-bob-456-0123456789', 'if-match': `"v${other.version}"` },
      body: JSON.stringify({ name: `${other.name} (modifié par Bob)`, reason: 'test' }),
    });
    assert.ok(r.ok, `${r.status}`);
    const v = (await json(`${base}/health`)).version;
    await page.waitForFunction((x) => document.getElementById('data-version').dataset.version === x, v, { timeout: 40_000 });
    for (const [id, tiles] of await tileUrls()) for (const url of tiles) assert.ok(url.startsWith(`${base}/tiles/`) && url.includes(`/${v}/`), `${id}: ${url}`);
    await page.evaluate((a) => window.repere.map.jumpTo({ center: [a.lon, a.lat], zoom: 15 }), other);
    await mapIdle(page);
    const names = await page.evaluate((id) => window.repere.map.querySourceFeatures('repere', { sourceLayer: 'actors', filter: ['==', ['get', 'id'], id] }).map((f) => f.properties.name), other.id);
    assert.ok(names.length && names.every((x) => x.endsWith('(modifié par Bob)')), JSON.stringify(names));
    await page.screenshot({ path: join(shots, 'journey-editor-5-other-editor.png') });
  });

  await t.test('no console error, no refused tile', () => assert.deepEqual(errors, []));
  await context.close();
});

test('project owner: sites placed by typed coordinates and by keyboard; the figures are the API\'s', { timeout: 300_000 }, async (t) => {
  const { base } = shared;
  const { page, context, errors } = await openPage(base);
  await page.click('#tab-project');
  await page.selectOption('#project-new-group', 'ML');
  await page.click('#project-place');
  await page.waitForSelector('#placing:not([hidden])');
  // Site 1 by WGS84 coordinates, site 2 from the keyboard at the crosshair.
  await page.fill('#placing-a', '1,1300');
  await page.fill('#placing-b', '49,4580');
  await page.click('#placing-submit');
  await page.evaluate(() => window.repere.map.jumpTo({ center: [1.1180, 49.4620], zoom: 14 }));
  await page.focus('.maplibregl-canvas');
  await page.keyboard.press('Enter');
  await page.click('#placing-stop');
  const sites = await page.evaluate(() => window.repere.project.sites.map((s) => [s.lon, s.lat, s.group]));
  assert.deepEqual(sites, [[1.13, 49.458, 'ML'], [1.118, 49.462, 'ML']]);
  await page.click('#project-run');
  await page.waitForFunction(() => (document.getElementById('project-result').dataset.qpv || '').length > 0, null, { timeout: 60_000 });
  const api = await json(`${base}/api/coverage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
    sites: { type: 'FeatureCollection', features: sites.map(([lon, lat, group], i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id: `site-${i + 1}`, name: `Site ${i + 1}`, group } })) },
    minutes: 15, mode: 'walk' }) });
  await t.test('the total and the group line are the API\'s figures', async () => {
    const total = await page.textContent('#project-total');
    assert.equal(num(total.split('jeunes')[0]), Math.round(api.youth_reached), total);
    const { vintages } = await json(`${base}/api/fields`);
    assert.ok(total.includes(`(estimation à partir du recensement ${vintages.census})`), total);
    assert.ok(total.includes(`${api.cells_reached} carreaux`), total);
    const g = api.groups.find((x) => x.group === 'ML');
    const line = await page.textContent('#project-groups li[data-group="ML"]');
    assert.equal(num(line.split(':')[1].split('jeunes')[0]), Math.round(g.youth_reached), line);
    assert.equal(await page.textContent('#project-result').then((x) => x.includes('QN07620M')), api.qpv.some((q) => q.code === 'QN07620M'));
    // The missions locales known by address change the reading: said, with their number.
    assert.equal(g.group_in_data, false);
    assert.match(line, /Aucun acteur « Mission locale » n'est encore placé : 2 à localiser/);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'journey-project-1-result.png') });
  });
  await t.test('the coverage cells show their site colours (the commune fill steps back)', async () => {
    assert.equal(await page.evaluate(() => window.repere.map.getPaintProperty('communes-fill', 'fill-opacity')), 0);
  });
  await t.test('no console error', () => assert.deepEqual(errors, []));
  await context.close();
});

test('Métropole: the ranking the page shows is the API\'s for the weights chosen', { timeout: 200_000 }, async () => {
  const { base } = shared;
  const { page, context } = await openPage(base);
  await page.click('#tab-ranking');
  await page.waitForSelector('#ranking-table tbody tr');
  await page.$eval('#weight-neet', (e) => { e.value = '5'; e.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => /w=neet:5/.test(location.hash), null, { timeout: 20_000 });
  const api = await json(`${base}/api/ranking?weights=${encodeURIComponent('neet=5')}`);
  await page.waitForFunction((first) => document.querySelector('#ranking-table tbody tr')?.dataset.code === first, api.entries[0].code, { timeout: 20_000 });
  const rows = await page.$$eval('#ranking-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.code, tr.cells[2].textContent]));
  assert.deepEqual(rows.map((r) => r[0]), api.entries.map((e) => e.code));
  rows.forEach(([code, score], i) => assert.ok(Math.abs(num(score) - api.entries[i].score) <= 0.05 + 1e-9, `${code}: ${score} vs ${api.entries[i].score}`));
  // Each column says what it is and its source, with the vintage (the API's).
  const { fields } = await json(`${base}/api/fields`);
  const sources = await page.textContent('#ranking-sources');
  for (const c of api.components.filter((x) => x.available)) {
    assert.match(fields[c.field].source, /\S/, c.field);
    assert.ok(sources.includes(`${c.label} (${fields[c.field].source})`), `${c.key}: ${sources}`);
  }
  assert.ok(sources.includes('(RP 2018)'), sources);
  // The page itself never scrolls on a desktop screen (the panel does): on every tab.
  for (const id of ['tab-layers', 'tab-card', 'tab-ranking', 'tab-lookup', 'tab-gaps', 'tab-project', 'tab-actors']) {
    await page.click(`#${id}`);
    const doc = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollHeight, height: innerHeight }));
    assert.ok(doc.scroll <= doc.height, `${id}: the page is ${doc.scroll} px high in a ${doc.height} px window`);
  }
  await page.click('#tab-ranking');
  const shownColumns = await page.$eval('#ranking-table', (t) => {
    const box = t.parentElement.getBoundingClientRect();
    return [...t.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect().right <= box.right + 1);
  });
  assert.ok(shownColumns.every(Boolean), `ranking columns shown: ${shownColumns}`);
  await page.$eval('#ranking-sources', (e) => e.scrollIntoView());
  await page.screenshot({ path: join(shots, 'journey-metropole-ranking.png') });
  await context.close();
});

test('phone (390 × 844): no sideways scrolling, the map at least half the screen, a tap opens the commune', { timeout: 200_000 }, async (t) => {
  const { base } = shared;
  const { page, context, errors } = await openPage(base, { viewport: { width: 390, height: 844 }, mobile: true });
  const layout = () => page.evaluate(() => {
    const map = document.getElementById('map').getBoundingClientRect();
    const panel = document.getElementById('panel').getBoundingClientRect();
    const zoom = document.querySelector('.maplibregl-ctrl-zoom-in').getBoundingClientRect();
    const header = document.querySelector('.site-header').getBoundingClientRect();
    return { scrollWidth: document.documentElement.scrollWidth, bodyWidth: document.body.scrollWidth, width: innerWidth, height: innerHeight,
      mapVisible: Math.min(map.bottom, panel.top) - map.top, zoomTop: zoom.top, headerBottom: header.bottom };
  });
  await t.test('first view', async () => {
    const l = await layout();
    assert.ok(l.scrollWidth <= l.width && l.bodyWidth <= l.width, JSON.stringify(l));
    assert.ok(l.mapVisible >= l.height / 2, `map ${l.mapVisible} of ${l.height} px`);
    assert.ok(l.zoomTop >= l.headerBottom, 'the zoom buttons are below the header');
    await page.screenshot({ path: join(shots, 'journey-phone-1.png') });
  });
  await t.test('a tap on Rouen opens its card; no tab overflows sideways', async () => {
    const pt = await page.evaluate(() => {
      const map = window.repere.map;
      const r = map.getCanvas().getBoundingClientRect();
      const panel = document.getElementById('panel').getBoundingClientRect();
      for (let y = 20; y < panel.top - r.top; y += 5) {
        for (let x = 10; x < r.width - 10; x += 5) {
          const hits = map.queryRenderedFeatures([[x - 10, y - 10], [x + 10, y + 10]]);
          if (hits.some((f) => f.layer.id === 'actors-symbol')) continue;
          const at = map.queryRenderedFeatures([x, y], { layers: ['communes-fill'] });
          if (at.length && at[0].properties.code === '76540') return { x: r.left + x, y: r.top + y };
        }
      }
      return null;
    });
    assert.ok(pt, 'no free point of Rouen above the sheet');
    await page.touchscreen.tap(pt.x, pt.y);
    await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Rouen', null, { timeout: 30_000 });
    assert.equal(await page.isVisible('#card-title'), true);
    await page.screenshot({ path: join(shots, 'journey-phone-2-card.png') });
    for (const id of ['tab-layers', 'tab-card', 'tab-ranking', 'tab-gaps', 'tab-project', 'tab-actors']) {
      await page.click(`#${id}`);
      const l = await layout();
      assert.ok(l.scrollWidth <= l.width, `${id}: ${JSON.stringify(l)}`);
      assert.ok(l.mapVisible >= l.height / 2, `${id}: map ${l.mapVisible} px`);
    }
    await page.screenshot({ path: join(shots, 'journey-phone-3-actors.png') });
  });
  await t.test('the header folds: the search opens with its button', async () => {
    assert.equal(await page.isVisible('#search-input'), false);
    await page.click('#header-toggle');
    assert.equal(await page.isVisible('#search-input'), true);
    const l = await layout();
    assert.ok(l.scrollWidth <= l.width, JSON.stringify(l));
  });
  await t.test('axe-core on the phone layout', async () => {
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(r.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), []);
  });
  await t.test('no console error', () => assert.deepEqual(errors, []));
  await context.close();
});

test('keyboard only: the planner\'s and the project owner\'s steps without a mouse, the focus always visible', { timeout: 300_000 }, async (t) => {
  const { base } = shared;
  const { page, context, errors } = await openPage(base);
  const hidden = [];
  /** The focused element: a key to find it again, and whether its focus ring is visible. */
  const focused = () => page.evaluate(() => {
    const a = document.activeElement;
    const s = getComputedStyle(a);
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || /rgb/.test(s.boxShadow);
    return { key: a.id || a.className || a.tagName, ring };
  });
  /** Presses Tab (Shift+Tab when `back`) until `selector` has the focus; every stop shows its focus. */
  async function tabTo(selector, { back = false, max = 120 } = {}) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const f = await focused();
      if (!f.ring) hidden.push(`${f.key} (on the way to ${selector})`);
      if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    }
    throw new Error(`${selector} not reached with Tab`);
  }
  /** Moves along the tab list with the arrows (the tabs' keyboard pattern) to `id`. */
  async function openTab(id, { back = true } = {}) {
    await tabTo('[role="tab"][aria-selected="true"]', { back });
    for (let i = 0; i < 8 && !(await page.evaluate((x) => document.activeElement?.id === x, id)); i++) await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute(`#${id}`, 'aria-selected'), 'true', id);
  }

  await t.test('search a commune and open its card', async () => {
    await page.focus('.skip-link');
    await tabTo('#search-input');
    await page.keyboard.type('Rouen');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Rouen', null, { timeout: 30_000 });
    assert.equal(await page.getAttribute('#tab-card', 'aria-selected'), 'true');
  });

  await t.test('from the card to the missions locales to place, in Acteurs', async () => {
    await openTab('tab-card', { back: false });
    await tabTo('#card-actors tr[data-group="ML"] .to-place-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#tab-actors', 'aria-selected'), 'true');
    const listed = await page.$$eval('#actors-list li', (li) => li.map((x) => x.dataset.actor).sort());
    assert.deepEqual(listed, [ELBEUF_ML, ROUEN_ML]);
  });

  await t.test('Acteurs: an actor chosen in the list shows on the map (ringed, centred)', async () => {
    const inventory = await json(`${base}/api/actors`);
    const ft = inventory.actors.find((a) => a.group === 'FT' && a.status === 'placed' && a.commune === ROUEN);
    // Native selects change with the keyboard: every status, every group, then Rouen.
    await tabTo('#actors-filter-status', { back: true });
    await page.keyboard.press('Home');
    await tabTo('#actors-group', { back: true });
    await page.keyboard.press('Home');
    await tabTo('#actors-commune', { back: true });
    await page.keyboard.type('Rouen');
    assert.equal(await page.inputValue('#actors-commune'), ROUEN);
    await page.waitForFunction((id) => document.querySelector(`#actors-list li[data-actor="${id}"]`), ft.id, { timeout: 10_000 });
    await tabTo(`#actors-list li[data-actor="${ft.id}"] .show-on-map`, { max: 600 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !window.repere.map.isMoving(), null, { timeout: 20_000 });
    await mapIdle(page);
    const ringed = await page.evaluate(() => {
      const map = window.repere.map;
      const c = map.getCenter();
      return { state: window.repere.state.actor, center: [c.lng, c.lat], rendered: map.queryRenderedFeatures({ layers: ['actors-selected'] }).map((f) => f.properties.id) };
    });
    assert.equal(ringed.state, ft.id);
    assert.ok(Math.abs(ringed.center[0] - ft.lon) < 1e-4 && Math.abs(ringed.center[1] - ft.lat) < 1e-4, JSON.stringify(ringed.center));
    assert.ok(ringed.rendered.includes(ft.id), 'the ring is drawn');
    assert.equal(await page.getAttribute(`#actors-list li[data-actor="${ft.id}"]`, 'aria-current'), 'true');
  });

  await t.test('gap map: group, threshold and display from the keyboard', async () => {
    await openTab('tab-gaps');
    await tabTo('#gap-group');
    const g0 = await page.inputValue('#gap-group');
    await page.keyboard.press('ArrowDown');
    const g1 = await page.inputValue('#gap-group');
    assert.notEqual(g1, g0, 'the arrow chose another group');
    await tabTo('#gap-minutes');
    const m0 = Number(await page.inputValue('#gap-minutes'));
    await page.keyboard.press('ArrowRight');
    assert.equal(Number(await page.inputValue('#gap-minutes')), m0 + 5);
    await tabTo('#gap-show');
    const shown = await page.isChecked('#gap-show');
    await page.keyboard.press('Space');
    assert.equal(await page.isChecked('#gap-show'), !shown);
    await page.waitForFunction(() => /Par commune/.test(document.querySelector('#gap-communes caption')?.textContent || ''), null, { timeout: 60_000 });
    const caption = await page.textContent('#gap-communes caption');
    assert.ok(caption.includes(`à plus de ${m0 + 5} min`), caption);
    await page.screenshot({ path: join(shots, 'journey-keyboard-1-gaps.png') });
  });

  await t.test('project: a site placed from the keyboard lands at the crosshair', async () => {
    await openTab('tab-project');
    await tabTo('#project-place');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#placing:not([hidden])');
    await tabTo('#placing-keyboard');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement === window.repere.map.getCanvas()), true, 'the map has the focus');
    const ring = await focused();
    assert.ok(ring.ring, 'the map shows its focus');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => !window.repere.map.isMoving());
    const center = await page.evaluate(() => { const c = window.repere.map.getCenter(); return [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))]; });
    await page.keyboard.press('Enter');
    const sites = await page.evaluate(() => window.repere.project.sites.map((s) => [s.lon, s.lat]));
    assert.deepEqual(sites, [center]);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(shots, 'journey-keyboard-2-site.png') });
  });

  await t.test('the focus was visible at every stop', () => assert.deepEqual(hidden, []));
  await t.test('no console error', () => assert.deepEqual(errors, []));
  await context.close();
});
