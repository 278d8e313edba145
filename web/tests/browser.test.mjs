// Browser test of the web map: starts `repere serve` on a free 127.0.0.1 port, drives Debian's
// headless Chromium through playwright-core, and saves screenshots under target/screenshots/.
//
// Run: `node --test web/tests/` after building the server (`cargo build -p repere-server`).
// The binary is REPERE_BIN, else the newest of target/release/repere and target/debug/repere;
// the browser is CHROMIUM_PATH, else /usr/bin/chromium (scripts/install-browser.sh installs it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root, shots, CHROMIUM_FLAGS, repereBinary, freePort } from './harness.mjs';
import AxeBuilder from '@axe-core/playwright';

async function waitForHealth(base, server, deadlineMs) {
  const start = Date.now();
  while (Date.now() - start < deadlineMs) {
    if (server.exitCode !== null) throw new Error(`repere serve exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return;
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('repere serve did not answer /health in time');
}

let server;
let browser;
let base;
const consoleErrors = [];

/** Whether a URL leaves this machine (the basemap): the test cuts the network to it. */
const isExternal = (url) => { try { return !['127.0.0.1', 'localhost'].includes(new URL(url).hostname); } catch { return false; } };

async function openPage(url) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  // No network, as on a machine offline: every request off 127.0.0.1 fails (the Plan IGN basemap
  // of `--basemap ign`). Its one failed request is the test of the basemap below, not an error here.
  await page.route((u) => isExternal(u.href), (route) => route.abort('internetdisconnected'));
  page.on('console', (m) => { if (m.type() === 'error' && !isExternal(m.location().url)) consoleErrors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  // MapLibre cancels the tile requests a camera move makes useless (net::ERR_ABORTED): not errors.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    if (!why.includes('ERR_ABORTED') && !isExternal(r.url())) consoleErrors.push(`request failed: ${r.url()} ${why}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 60_000 });
  await mapIdle(page);
  return page;
}

/** Resolves when the map has rendered every tile it needs and nothing moves. */
function mapIdle(page) {
  return page.evaluate(() => new Promise((res) => {
    const map = window.repere.map;
    const check = () => (map.loaded() && map.areTilesLoaded() && !map.isMoving() ? res(true) : map.once('idle', () => res(true)));
    check();
  }));
}

const renderedCodes = (page, layer) => page.evaluate((l) => {
  const codes = window.repere.map.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties.code);
  return [...new Set(codes)].sort();
}, layer);

const rankingOrder = (page) => page.$$eval('#ranking-table tbody tr', (rows) => rows.map((r) => r.dataset.code));

before(async () => {
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // `--basemap ign` is the default; written out because the basemap test below relies on it.
  server = spawn(repereBinary(), ['serve', '--addr', `127.0.0.1:${port}`, '--basemap', 'ign'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHealth(base, server, 120_000);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
});

test('the web map covers the Métropole, opens a card, re-ranks and restores a permalink without console errors', { timeout: 240_000 }, async (t) => {
  const page = await openPage(`${base}/`);

  await t.test('the page is in French and the map reaches idle on the project tiles', async () => {
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await page.evaluate(() => window.repere.map.loaded()), true);
  });

  await t.test('the header names the territory that GET /health gives', async () => {
    const health = await page.evaluate(() => fetch('/health').then((r) => r.json()));
    assert.equal(health.territory, 'Métropole Rouen Normandie');
    assert.equal(await page.textContent('#territory-name'), ` : ${health.territory}`);
    assert.match(await page.textContent('.site-header'), /Métropole Rouen Normandie/);
  });

  await t.test('the indicator labels are the ones GET /api/fields gives', async () => {
    const { fields } = await page.evaluate(() => fetch('/api/fields').then((r) => r.json()));
    const field = await page.inputValue('#indicator-select');
    assert.ok(fields[field], `no label for ${field}`);
    const { label: name, unit } = fields[field];
    assert.equal(await page.textContent('#choropleth-legend .legend-title'), unit ? `${name} (${unit})` : name);
    // Every numeric field of the communes tiles has the engine's label in the select.
    const options = await page.$$eval('#indicator-select option', (os) => os.filter((o) => o.value).map((o) => [o.value, o.textContent]));
    assert.ok(options.length >= 10, `indicator options: ${options.length}`);
    for (const [value, text] of options) assert.equal(text, fields[value]?.label, `label of ${value}`);
  });

  await t.test('queryRenderedFeatures finds the 71 communes at the Métropole view and QPV QN07620M', async () => {
    const communes = await renderedCodes(page, 'communes-fill');
    assert.equal(communes.length, 71, `rendered communes: ${communes.length}`);
    assert.ok(communes.includes('76540'));
    const qpv = await renderedCodes(page, 'qpv-2024-line');
    assert.ok(qpv.includes('QN07620M'), `rendered QPV: ${qpv.join(' ')}`);
    await page.screenshot({ path: join(shots, 'map.png') });
  });

  await t.test('clicking Rouen on the map opens a card listing QN07619M and QN07620M', async () => {
    // A pixel inside Rouen with no actor symbol on it (a click on an actor opens its popup instead).
    const point = await page.evaluate(() => {
      const map = window.repere.map;
      const canvas = map.getCanvas().getBoundingClientRect();
      for (let y = 0; y < canvas.height; y += 6) {
        for (let x = 0; x < canvas.width; x += 6) {
          const hits = map.queryRenderedFeatures([x, y]);
          const inRouen = hits.some((f) => f.layer.id === 'communes-fill' && f.properties.code === '76540');
          const onSymbol = hits.some((f) => f.layer.id === 'actors-symbol');
          const near = map.queryRenderedFeatures([[x - 12, y - 12], [x + 12, y + 12]], { layers: ['actors-symbol'] }).length;
          if (inRouen && !onSymbol && near === 0) return { x: canvas.left + x, y: canvas.top + y };
        }
      }
      return null;
    });
    assert.ok(point, 'no free pixel inside Rouen');
    await page.mouse.click(point.x, point.y);
    await page.waitForSelector('#card-qpv-list', { timeout: 20_000 });
    assert.equal(await page.textContent('#card-title'), 'Rouen');
    const qpv = await page.$$eval('#card-qpv-list li', (li) => li.map((x) => x.dataset.qpv).sort());
    assert.ok(qpv.includes('QN07619M') && qpv.includes('QN07620M'), `card QPV: ${qpv.join(' ')}`);
    assert.equal(await page.isVisible('#panel-card'), true);
    // The stops line names the stop catchment the engine used, as the API says it.
    const [diag, { fields }] = await page.evaluate(() => Promise.all(['/api/communes/76540', '/api/fields'].map((u) => fetch(u).then((r) => r.json()))));
    assert.ok(Number.isFinite(diag.stop_catchment_m) && Number.isInteger(diag.stops_near_qpv), 'the default data have a GTFS');
    const stops = await page.textContent('#card-stops');
    assert.ok(stops.includes(`à moins de ${diag.stop_catchment_m} m des QPV`), `stops line: ${stops}`);
    assert.equal(stops, `${fields.stops_near_qpv.label} : ${diag.stops_near_qpv}`);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'card.png') });
  });

  await t.test('the print view keeps the card and drops the map', async () => {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#card-indicators'), true);
    assert.equal(await page.isVisible('#map'), false);
    assert.equal(await page.isVisible('.site-header'), false);
    await page.screenshot({ path: join(shots, 'card-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  await t.test('searching Bihorel by name opens its card with QN07620M', async () => {
    await page.fill('#search-input', 'bihorel');
    await page.press('#search-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Bihorel', null, { timeout: 20_000 });
    const qpv = await page.$$eval('#card-qpv-list li', (li) => li.map((x) => x.dataset.qpv));
    assert.deepEqual(qpv, ['QN07620M']);
    await page.fill('#search-input', '76540');
    await page.press('#search-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Rouen', null, { timeout: 20_000 });
    await mapIdle(page);
  });

  await t.test('a CSV of points is located through POST /api/lookup into a table and markers', async () => {
    await page.keyboard.press('Escape');
    await page.focus('#tab-card');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#tab-lookup', 'aria-selected'), 'true', 'arrow keys move between tabs');
    // Synthetic points: one in central Rouen, one in Grand-Quevilly, one outside the Métropole.
    const csv = 'id,lon,lat\nsynthetic-1,1.0993,49.4431\nsynthetic-2,1.0400,49.4100\nsynthetic-3,2.3500,48.8500\n';
    await page.setInputFiles('#lookup-file', { name: 'synthetic-points.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => document.querySelectorAll('#lookup-table tbody tr').length === 3, null, { timeout: 20_000 });
    const rows = await page.$$eval('#lookup-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows[0][1], 'synthetic-1');
    assert.match(rows[0][2], /76540/);
    assert.match(rows[1][2], /76322/);
    assert.match(rows[2][2], /hors territoire/);
    const markers = await page.evaluate(() => window.repere.map.getSource('points').serialize().data.features.length);
    assert.equal(markers, 3);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'lookup.png') });
  });

  await t.test('moving a weight with the keyboard changes the ranking order', async () => {
    await page.click('#tab-ranking');
    await page.waitForSelector('#ranking-table tbody tr');
    const before = await rankingOrder(page);
    assert.equal(before.length, 71);
    const slider = (await page.$$('#weights input[type="range"]:not([disabled])')).at(-1);
    assert.ok(slider, 'no weight slider');
    await slider.focus();
    await page.keyboard.press('End');
    await page.waitForFunction((b) => {
      const now = [...document.querySelectorAll('#ranking-table tbody tr')].map((r) => r.dataset.code);
      return now.length === b.length && now.some((c, i) => c !== b[i]);
    }, before, { timeout: 20_000 });
    const after = await rankingOrder(page);
    assert.notDeepEqual(after, before);
    const highlighted = await page.evaluate(() => window.repere.map.getFilter('communes-highlight')[2][1]);
    assert.deepEqual([...highlighted].sort(), after.slice(0, 10).sort(), 'the map highlights the new top 10');
    assert.match(page.url(), /[#&]w=/);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'ranking.png') });
  });

  await t.test('the ranking table exports as CSV in the displayed order', async () => {
    const order = await rankingOrder(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#ranking-export')]);
    assert.match(download.suggestedFilename(), /^classement-communes_.*\.csv$/);
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    const lines = Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    assert.match(lines[0], /^rang;code;commune;score;/);
    assert.equal(lines.length, 72);
    assert.deepEqual(lines.slice(1).map((l) => l.split(';')[1]), order);
  });

  await t.test('the permalink restores the same state in a new page', async () => {
    await page.click('#tab-layers');
    await page.selectOption('#indicator-select', { index: 2 });
    await page.check('#layer-qpv2015');
    await page.uncheck('#layer-actors');
    await page.evaluate(() => window.repere.map.jumpTo({ center: [1.08, 49.43], zoom: 12.5 }));
    await mapIdle(page);
    await page.evaluate(() => window.repere.persist());
    const url = page.url();
    const snapshot = (p) => p.evaluate(() => {
      const { map, state } = window.repere;
      const c = map.getCenter();
      return {
        zoom: Math.round(map.getZoom() * 100) / 100,
        center: [Math.round(c.lng * 1e4) / 1e4, Math.round(c.lat * 1e4) / 1e4],
        indicator: document.getElementById('indicator-select').value,
        layers: [...document.querySelectorAll('#layer-list input')].filter((i) => i.checked).map((i) => i.id),
        visible: ['qpv-2015-line', 'actors-symbol'].map((id) => map.getLayoutProperty(id, 'visibility')),
        commune: state.commune,
        card: document.getElementById('card-title')?.textContent,
        weights: [...document.querySelectorAll('#weights input')].map((i) => `${i.dataset.key}=${i.value}`),
        order: [...document.querySelectorAll('#ranking-table tbody tr')].map((r) => r.dataset.code),
      };
    });
    const original = await snapshot(page);
    const copy = await openPage(url);
    await copy.waitForSelector('#card-qpv-list', { state: 'attached', timeout: 20_000 });
    const restored = await snapshot(copy);
    assert.deepEqual(restored, original);
    assert.equal(restored.commune, '76540');
    assert.deepEqual(restored.visible, ['visible', 'none']);
    await copy.close();
  });

  await t.test('no console errors', () => {
    assert.deepEqual(consoleErrors, []);
  });
});

test('Zones blanches and Projet: gap classes per group, absent group, sites by click reach QN07620M, report, suggestions', { timeout: 300_000 }, async (t) => {
  const gapTileRequests = [];
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  // Offline like the other pages: the basemap's failed request is tested apart, not an error here.
  await page.route((u) => isExternal(u.href), (route) => route.abort('internetdisconnected'));
  page.on('console', (m) => { if (m.type() === 'error' && !isExternal(m.location().url)) consoleErrors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (/\/tiles\/.*gaps/.test(r.url())) gapTileRequests.push(r.url()); });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 60_000 });
  await mapIdle(page);

  await t.test('no gap tile is requested before the layer is shown', async () => {
    assert.deepEqual(gapTileRequests, []);
  });

  await t.test('the gap layer for France Travail at 15 min colours cells in at least two classes', async () => {
    await page.click('#tab-gaps');
    await page.selectOption('#gap-group', 'FT');
    await page.$eval('#gap-minutes', (e) => { e.value = '15'; e.dispatchEvent(new Event('input', { bubbles: true })); });
    await page.evaluate(() => window.repere.map.jumpTo({ center: [1.1250, 49.4560], zoom: 12.6 }));
    await mapIdle(page);
    assert.ok(gapTileRequests.some((u) => /gaps_1600m,gaps_800m,gaps/.test(u)), 'gap tiles from their own source');
    const classes = await page.evaluate(() => {
      const map = window.repere.map;
      const feats = map.queryRenderedFeatures({ layers: ['gaps-fill-1600m', 'gaps-fill-800m', 'gaps-fill-200m'] });
      const colours = new Set(feats.map((f) => JSON.stringify(f.layer.paint['fill-color'])));
      const bounds = [7.5, 15, 22.5, 30];
      const cls = new Set(feats.map((f) => bounds.filter((b) => Number(f.properties.walk_min_FT) >= b).length));
      return { n: feats.length, classes: [...cls].sort(), colours: [...colours] };
    });
    assert.ok(classes.n > 50, `rendered gap cells: ${classes.n}`);
    assert.ok(classes.classes.length >= 2, `classes present: ${classes.classes}`);
    assert.ok(classes.colours.length >= 2, `rendered colours: ${classes.colours}`);
    const legend = await page.textContent('#gaps-legend');
    assert.match(legend, /France Travail/);
    assert.match(legend, /seuil 15 min/);
    // The cell sizes the hint gives are the engine's (TileJSON `cell_m`), not page constants.
    const tj = await page.evaluate(async () => (await fetch('/tiles/gaps_1600m,gaps_800m,gaps.json')).json());
    const sides = Object.fromEntries(tj.vector_layers.map((l) => [l.id, l.cell_m]));
    assert.deepEqual(sides, { gaps_1600m: 1600, gaps_800m: 800, gaps: 200 });
    const hint = await page.textContent('#gap-cells-hint');
    assert.match(hint, /carreaux de 1,6 km/);
    assert.match(hint, /carreaux de 800 m/);
    assert.match(hint, new RegExp(`à partir du zoom ${tj.vector_layers.find((l) => l.id === 'gaps').minzoom} : carreaux de 200 m`));
    await page.waitForSelector('#gap-communes tbody tr');
    assert.equal(await page.$$eval('#gap-communes tbody tr', (r) => r.length), 71);
    assert.ok(await page.$$eval('#gap-qpv tbody tr', (r) => r.length) >= 16);
    // Sorting by name puts the table in alphabetical order.
    await page.click('#gap-communes thead th:first-child button');
    const names = await page.$$eval('#gap-communes tbody tr td:first-child', (td) => td.map((x) => x.textContent));
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'fr')));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#gap-export')]);
    assert.match(dl.suggestedFilename(), /^zones-blanches_FT_15min\.csv$/);
    assert.match(await page.textContent('#gap-mode-note'), /pas d'horaires/);
    await page.screenshot({ path: join(shots, 'gaps-ft-15.png') });
  });

  await t.test('the mission locale group, known by address only in the default data, says how many wait to be placed and nothing is painted', async () => {
    await page.selectOption('#gap-group', 'ML');
    await page.waitForSelector('#gap-absent:not([hidden])');
    const waiting = (await page.evaluate(() => fetch('/api/actors?group=ML&status=to_place').then((r) => r.json()))).actors.length;
    assert.equal(waiting, 2);
    const notice = await page.textContent('#gap-absent');
    assert.match(notice, new RegExp(`${waiting} à localiser`));
    assert.doesNotMatch(notice, /absent/);
    const vis = await page.evaluate(() => ['gaps-fill-1600m', 'gaps-fill-800m', 'gaps-fill-200m'].map((id) => window.repere.map.getLayoutProperty(id, 'visibility')));
    assert.deepEqual(vis, ['none', 'none', 'none']);
    assert.equal(await page.isVisible('#gap-tables'), false);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'gaps-ml-to-place.png') });
    await page.selectOption('#gap-group', 'FT');
    await page.uncheck('#gap-show');
  });

  let report;
  await t.test('two sites placed by clicking reach QN07620M', async () => {
    await page.click('#tab-project');
    await page.selectOption('#project-new-group', 'FT');
    await page.click('#project-place');
    for (const ll of [[1.1300, 49.4580], [1.1180, 49.4620]]) {
      const pt = await page.evaluate((p) => {
        const r = window.repere.map.getCanvas().getBoundingClientRect();
        const q = window.repere.map.project(p);
        return { x: r.left + q.x, y: r.top + q.y };
      }, ll);
      await page.mouse.click(pt.x, pt.y);
    }
    await page.click('#project-place');
    assert.equal(await page.$$eval('#project-sites li', (li) => li.length), 2);
    await page.fill('#site-0-name', 'Permanence Grammont');
    await page.press('#site-0-name', 'Tab');
    const t0 = Date.now();
    await page.click('#project-run');
    await page.waitForFunction(() => (document.getElementById('project-result').dataset.qpv || '').includes('QN07620M'), null, { timeout: 30_000 });
    const wall = Date.now() - t0;
    const ms = await page.evaluate(() => window.repere.project.lastMs);
    console.log(`Projet: result shown ${Math.round(ms)} ms after "Calculer" (page clock), ${wall} ms (test clock)`);
    const groups = await page.textContent('#project-groups');
    assert.match(groups, /déjà à moins de 15 min d'un acteur « France Travail » existant/);
    const cells = await page.evaluate(() => window.repere.map.getSource('project-cells').serialize().data.features.length);
    assert.ok(cells > 50, `${cells}`);
    assert.match(page.url(), /[#&]prj=/);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'project.png') });
    report = await page.getAttribute('#project-report', 'href');
    assert.ok(report && report.startsWith('/coverage/report?'), report);
  });

  await t.test('the report holds the server-drawn SVG map and QN07620M, and prints to an A4 PDF', async () => {
    const rp = await browser.newPage({ viewport: { width: 1000, height: 1400 }, locale: 'fr-FR' });
    await rp.goto(`${base}${report}`);
    assert.equal(await rp.getAttribute('html', 'lang'), 'fr');
    assert.equal(await rp.$$eval('svg#report-map', (s) => s.length), 1);
    assert.ok(await rp.$$eval('svg#report-map rect', (r) => r.length) > 50);
    const text = await rp.textContent('body');
    assert.match(text, /QN07620M/);
    assert.match(text, /Permanence Grammont/);
    assert.match(text, /rapport du \d+(er)? \S+ \d{4}/);
    await rp.screenshot({ path: join(shots, 'report.png'), fullPage: true });
    await rp.emulateMedia({ media: 'print' });
    assert.equal(await rp.isVisible('.print'), false, 'the print button is not printed');
    const pdf = await rp.pdf({ path: join(shots, 'report.pdf'), format: 'A4', printBackground: true });
    assert.ok(pdf.length > 20_000, `${pdf.length} bytes`);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    await rp.close();
  });

  await t.test('a suggestion for France Travail with k = 3 lists 3 places with non-increasing gains, addable in one click; its certificate, curve and method note are the API\'s', async () => {
    await page.selectOption('#suggest-group', 'FT');
    await page.selectOption('#suggest-k', '3');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/suggest' && r.request().method() === 'POST', { timeout: 60_000 }),
      page.click('#suggest-run'),
    ]);
    const sent = JSON.parse(response.request().postData());
    const s = await response.json();
    await page.waitForFunction(() => document.querySelectorAll('#suggest-list li').length === 3, null, { timeout: 30_000 });
    const gains = await page.$$eval('#suggest-list li', (li) => li.map((x) => Number(x.dataset.gain)));
    assert.ok(gains[0] > 0 && gains[0] >= gains[1] && gains[1] >= gains[2], `${gains}`);
    assert.deepEqual(gains, s.picks.map((p) => p.marginal_gain_youth));
    const onMap = await page.evaluate(() => window.repere.map.getSource('suggest-sites').serialize().data.features.length);
    assert.equal(onMap, 3);
    // The scenario's planned sites were sent as fixed: none is proposed again, their reach is no gain.
    const planned = await page.evaluate(() => window.repere.project.sites.map((x) => [x.lon, x.lat]));
    assert.equal(sent.planned.features.length, planned.length);
    assert.equal(s.fixed.planned, planned.length);
    for (const pk of s.picks) {
      for (const [lon, lat] of planned) {
        const d = Math.hypot((pk.candidate.lon - lon) * 72_800, (pk.candidate.lat - lat) * 111_200);
        assert.ok(d > 140, `${pk.candidate.name} proposed ${Math.round(d)} m from a planned site`);
      }
    }
    // Each place says what it is: a host structure of a suitable kind or a QPV cell.
    const kinds = await page.$$eval('#suggest-list li', (li) => li.map((x) => x.textContent));
    s.picks.forEach((pk, i) => assert.ok(kinds[i].includes(pk.candidate.kind_fr), `${kinds[i]} / ${pk.candidate.kind_fr}`));
    assert.ok(s.picks.every((pk) => /^(structure d'accueil : |cellule de QPV : une salle à trouver ici$)/.test(pk.candidate.kind_fr)));
    // The method note, read back against the API: exact model, what is proven, gap, solve time.
    const cert = await page.textContent('#suggest-certificate');
    const nf = (v, d) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: d }).format(v);
    assert.equal(s.certificate.model, 'exact');
    assert.ok(['optimal', 'gap_within_tolerance'].includes(s.certificate.proof), s.certificate.proof);
    const proof = s.certificate.proof === 'optimal' ? 'optimum prouvé' : 'limite de temps atteinte, écart au plus 0,5 %';
    assert.equal(cert, `Modèle : exact (programme en nombres entiers, solveur HiGHS) ; ${proof} ; écart d'optimalité : ${nf(s.certificate.gap_pct, 2)} % ; temps de résolution : ${nf(s.certificate.solve_ms, 0)} ms.`);
    assert.equal(await page.textContent('#suggest-method'), `Méthode : ${s.method}.`);
    assert.ok(s.method.includes('modèle exact') && s.method.includes('écart d\'optimalité') && s.method.includes(`temps de résolution : ${s.certificate.solve_ms} ms`), s.method);
    // The curve: one row per number of places, the API's young people and model.
    const rows = await page.$$eval('#suggest-curve tbody tr', (tr) => tr.map((r) => [...r.children].slice(0, 3).map((td) => td.textContent)));
    assert.equal(rows.length, s.curve.length);
    assert.equal(rows.length, 10);
    s.curve.forEach((c, i) => {
      assert.equal(rows[i][0], String(c.k));
      assert.equal(rows[i][1], nf(c.youth_reached, 0));
      assert.equal(c.model, 'exact');
      assert.equal(rows[i][2], c.proof === 'optimal' ? 'exact, optimum prouvé' : `exact, écart ${nf(c.gap_pct ?? 0, 2)} %`);
    });
    assert.ok(Math.abs(s.curve[2].youth_reached - s.certificate.objective) < 1e-6);
    // The same question asked again of the API: the same places (the answer is deterministic).
    const again = await page.evaluate((b) => fetch('/api/suggest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }).then((r) => r.json()), sent);
    assert.deepEqual(again.picks.map((p) => p.candidate.id), s.picks.map((p) => p.candidate.id));
    await page.click('#suggest-list li:first-child button');
    assert.equal(await page.$$eval('#project-sites li', (li) => li.length), 3);
    await mapIdle(page);
    await page.screenshot({ path: join(shots, 'suggest.png') });
  });

  await t.test('the scenario comes back from the permalink', async () => {
    const copy = await openPage(page.url());
    assert.equal(await copy.$$eval('#project-sites li', (li) => li.length), 3);
    assert.equal(await copy.inputValue('#site-0-name'), 'Permanence Grammont');
    await copy.waitForFunction(() => (document.getElementById('project-result').dataset.qpv || '').includes('QN07620M'), null, { timeout: 30_000 });
    await copy.close();
  });

  await t.test('no console errors on the gap and project tabs', () => {
    assert.deepEqual(consoleErrors, []);
  });
  await page.close();
});

// ---- Labels, glyphs, basemap, accessibility (issue 13) ----

/** Reads a protobuf varint at `pos` of `buf`: [value, next position]. */
function varint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}

/** The fields of one protobuf message: [{ field, wire, value (number) or bytes (Buffer) }]. */
function fields(buf) {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = varint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) { let v; [v, pos] = varint(buf, pos); out.push({ field, wire, value: v }); }
    else if (wire === 2) { let len; [len, pos] = varint(buf, pos); out.push({ field, wire, bytes: buf.subarray(pos, pos + len) }); pos += len; }
    else if (wire === 5) { pos += 4; } else if (wire === 1) { pos += 8; } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

/** Decodes MapLibre's glyphs PBF (glyphs.stacks[1] → fontstack{name[1], range[2], glyphs[3] → glyph{id[1], bitmap[2], width[3], height[4]}}). */
function decodeGlyphs(buf) {
  return fields(buf).filter((f) => f.field === 1).map(({ bytes }) => {
    const stack = fields(bytes);
    const text = (n) => stack.find((f) => f.field === n)?.bytes.toString('utf8');
    const glyphs = stack.filter((f) => f.field === 3).map(({ bytes: g }) => {
      const gf = fields(g);
      const num = (n) => gf.find((f) => f.field === n)?.value ?? 0;
      return { id: num(1), bitmap: gf.find((f) => f.field === 2)?.bytes, width: num(3), height: num(4) };
    });
    return { name: text(1), range: text(2), glyphs };
  });
}

test('the glyph endpoint serves a valid 0-255 PBF of DejaVu Sans and a JSON 404 for an unknown stack', async () => {
  const r = await fetch(`${base}/fonts/DejaVu%20Sans%20Bold/0-255.pbf`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/x-protobuf');
  const [stack, ...more] = decodeGlyphs(Buffer.from(await r.arrayBuffer()));
  assert.equal(more.length, 0);
  assert.equal(stack.name, 'DejaVu Sans Bold');
  assert.equal(stack.range, '0-255');
  assert.ok(stack.glyphs.length > 180, `${stack.glyphs.length} glyphs`);
  const e = stack.glyphs.find((g) => g.id === 'é'.codePointAt(0));
  assert.ok(e, 'no é');
  assert.equal(e.bitmap.length, (e.width + 6) * (e.height + 6), 'SDF bitmap = (w + 2·3) × (h + 2·3)');
  const unknown = await fetch(`${base}/fonts/Comic%20Sans/0-255.pbf`);
  assert.equal(unknown.status, 404);
  assert.match((await unknown.json()).error, /Comic Sans/);
});

/** Names drawn by a text layer in the current view. */
const renderedNames = (page, layer) => page.evaluate((l) => [...new Set(window.repere.map.queryRenderedFeatures({ layers: [l] }).map((f) => f.properties.name))].sort(), layer);

test('labels, basemap fallback, legend, keyboard and axe audit of every tab', { timeout: 300_000 }, async (t) => {
  const messages = [];
  // axe-core's playwright runner needs a page of an explicit context.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.route((u) => isExternal(u.href), (route) => route.abort('internetdisconnected'));
  // Chromium's software GL reports driver performance notes: not the page's.
  page.on('console', (m) => { if (['error', 'warning'].includes(m.type()) && !m.text().includes('GL Driver Message')) messages.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => messages.push(`uncaught: ${e.message}`));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 60_000 });
  await mapIdle(page);

  await t.test('with --basemap ign and no network the page says "fond de carte indisponible" once, with at most one console message and no uncaught error', async () => {
    assert.match(await page.textContent('#map-status'), /^Fond de carte indisponible/);
    assert.equal(await page.evaluate(() => window.repere.basemap), false);
    assert.ok(!messages.some((m) => m.startsWith('uncaught')), messages.join('\n'));
    assert.ok(messages.length <= 1, messages.join('\n'));
    assert.equal(await page.evaluate(() => window.repere.map.getMaxZoom()), 18);
    assert.equal(await page.evaluate(() => window.repere.map.getSource('repere').maxzoom), 14);
    assert.equal(await page.locator('.maplibregl-ctrl-scale').count(), 1, 'scale bar');
  });

  await t.test('at zoom 10 over the Métropole the commune names Rouen and Elbeuf are rendered', async () => {
    await page.evaluate(() => window.repere.map.jumpTo({ center: [1.06, 49.38], zoom: 10 }));
    await mapIdle(page);
    const names = await renderedNames(page, 'communes-label');
    assert.ok(names.includes('Rouen') && names.includes('Elbeuf'), names.join(', '));
    assert.ok(names.length >= 20, `${names.length} commune names`);
    const layers = await page.evaluate(() => window.repere.map.getStyle().layers.map((l) => l.id));
    const lastThematic = Math.max(...['communes-fill', 'qpv-2024-line', 'actors-symbol', 'points-circle'].map((id) => layers.indexOf(id)));
    assert.ok(layers.indexOf('communes-label') > lastThematic && layers.indexOf('qpv-2024-label') > lastThematic, 'labels above thematic layers');
  });

  await t.test('at zoom 13 over Les Hauts de Rouen the name of QN07620M is rendered', async () => {
    const point = await page.evaluate(() => {
      const f = window.repere.map.querySourceFeatures('repere', { sourceLayer: 'qpv_labels', filter: ['==', ['get', 'code'], 'QN07620M'] })[0];
      return f && { coords: f.geometry.coordinates, name: f.properties.name };
    });
    assert.ok(point, 'no label point of QN07620M in the loaded tiles');
    assert.equal(point.name, 'Les Hauts de Rouen');
    await page.evaluate((c) => window.repere.map.jumpTo({ center: c, zoom: 13 }), point.coords);
    await mapIdle(page);
    assert.ok((await renderedNames(page, 'qpv-2024-label')).includes('Les Hauts de Rouen'));
    await page.screenshot({ path: join(shots, 'labels-z13.png') });
  });

  await t.test('the legend lists every visible layer and each actor group', async () => {
    const legend = await page.textContent('#map-legend');
    for (const text of ['Communes', 'Quartiers prioritaires 2024', 'Mission locale', 'France Travail', 'Centre social']) assert.ok(legend.includes(text), text);
    assert.ok(!legend.includes('IRIS'), 'IRIS is hidden');
    await page.check('#layer-iris');
    await page.check('#layer-stops');
    await page.check('#layer-qpv2015');
    const after = await page.textContent('#map-legend');
    for (const text of ['IRIS', 'Transport en commun', 'Quartiers prioritaires 2015']) assert.ok(after.includes(text), text);
    for (const id of ['#layer-iris', '#layer-stops', '#layer-qpv2015']) await page.uncheck(id);
  });

  await t.test('the map information is available as tables of communes and QPV', async () => {
    await page.click('#map-tables summary');
    await page.waitForFunction(() => document.querySelectorAll('#qpv-table tbody tr').length > 0);
    assert.equal(await page.locator('#communes-table tbody tr').count(), 71);
    const qpv = await page.$$eval('#qpv-table tbody tr', (rows) => rows.map((r) => r.dataset.qpv));
    assert.ok(qpv.includes('QN07620M'), qpv.join(' '));
    await page.click('#map-tables summary');
  });

  await t.test('keyboard: the controls are reached with Tab, the focus is visible, a layer toggles with Space and the map zooms with +', async () => {
    await page.evaluate(() => { window.repere.map.jumpTo({ center: [1.06, 49.38], zoom: 10 }); document.activeElement?.blur(); window.scrollTo(0, 0); });
    await mapIdle(page);
    const reached = new Set();
    let outlined = 0;
    await page.focus('.skip-link');
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const a = document.activeElement;
        const s = getComputedStyle(a);
        return { key: a.id || a.getAttribute('aria-label') || a.className || a.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
      });
      reached.add(f.key);
      if (f.outline) outlined++;
    }
    for (const key of ['search-input', 'tab-layers', 'indicator-select', 'layer-communes', 'layer-actors']) assert.ok(reached.has(key), `${key} not reached: ${[...reached].join(', ')}`);
    assert.ok(outlined >= 10, `visible focus on ${outlined} of 60 stops`);
    await page.focus('#layer-qpv2015');
    await page.keyboard.press('Space');
    assert.equal(await page.evaluate(() => window.repere.map.getLayoutProperty('qpv-2015-line', 'visibility')), 'visible');
    await page.keyboard.press('Space');
    const z = await page.evaluate(() => window.repere.map.getZoom());
    await page.focus('.maplibregl-canvas');
    await page.keyboard.press('Equal');
    await page.waitForFunction((z0) => window.repere.map.getZoom() > z0 + 0.5, z, { timeout: 10_000 });
  });

  await t.test('axe-core finds no serious or critical WCAG 2.1 A/AA violation on any tab', async () => {
    await page.evaluate(() => window.repere.selectCommune('76540', { openTab: false }));
    const tabs = await page.$$eval('[role="tab"]', (els) => els.map((e) => e.id));
    assert.ok(tabs.length >= 4, tabs.join(' '));
    const report = [];
    for (const id of tabs) {
      await page.click(`#${id}`);
      await page.waitForTimeout(300);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      t.diagnostic(`${id}: ${result.passes.length} rules passed; minor/moderate: ${result.violations.filter((x) => !['serious', 'critical'].includes(x.impact)).map((v) => v.id).join(', ') || 'none'}`);
      for (const v of result.violations.filter((x) => ['serious', 'critical'].includes(x.impact))) {
        report.push(`${id}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      }
    }
    assert.deepEqual(report, []);
  });

  await t.test('the accessibility statement is linked from the page and served in French', async () => {
    const href = await page.getAttribute('a[href="/accessibilite"]', 'href');
    assert.equal(href, '/accessibilite');
    const statement = await context.newPage();
    await statement.goto(`${base}/accessibilite`);
    assert.equal(await statement.getAttribute('html', 'lang'), 'fr');
    assert.match(await statement.textContent('h1'), /Déclaration d'accessibilité/);
    const result = await new AxeBuilder({ page: statement }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(result.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => v.id), []);
    await statement.close();
  });

  await context.close();
});

test('the README screenshot: the default view with the place names', { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  await page.route((u) => isExternal(u.href), (route) => route.abort('internetdisconnected'));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 60_000 });
  await mapIdle(page);
  assert.ok((await renderedNames(page, 'communes-label')).includes('Rouen'));
  await page.screenshot({ path: join(shots, 'web-map.png') });
  if (process.env.REPERE_UPDATE_SCREENSHOT) await page.screenshot({ path: join(root, 'docs', 'web-map.png') });
  await page.close();
});
