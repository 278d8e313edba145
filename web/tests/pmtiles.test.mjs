// Browser test of the page on a static PMTiles archive: `repere tiles export` writes the default
// territory's archive, a plain static HTTP server of this test (node:http, range requests, CORS,
// on its own port: another origin) hosts it, and `repere serve --tiles-url <its URL>` makes the
// page read its vector tiles there through the npm `pmtiles` reader while the API stays on
// `repere serve`. The map must render the 71 communes and QPV QN07620M from the archive, with
// range requests to the static server and no request at all to `/tiles/…`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { root, shots, CHROMIUM_FLAGS, repereBinary, freePort } from './harness.mjs';

/**
 * A static file server as a CDN would be: GET and HEAD of the files of `dir`, single byte ranges
 * (206 with Content-Range, 416 beyond the end), CORS for any origin. Every request is recorded.
 */
function staticServer(dir, log) {
  return createHttpServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'etag, content-range, content-length' };
    log.push({ method: req.method, url: req.url, range: req.headers.range || null });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'range, if-match' });
      return res.end();
    }
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\.\.+/g, ''));
    let size;
    try { size = (await stat(path)).size; } catch { res.writeHead(404, cors); return res.end(); }
    const etag = `"${size}"`;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    let [start, end, status] = [0, size - 1, 200];
    if (m) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      status = 206;
      if (start >= size) { res.writeHead(416, { ...cors, 'content-range': `bytes */${size}` }); return res.end(); }
    }
    const headers = { ...cors, etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', 'content-length': end - start + 1 };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return res.end();
    const fh = await open(path);
    try {
      const buf = Buffer.alloc(end - start + 1);
      await fh.read(buf, 0, buf.length, start);
      res.end(buf);
    } finally {
      await fh.close();
    }
  });
}

let work;
let cdn;
let cdnBase;
const cdnLog = [];
let server;
let base;
let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'repere-pmtiles-'));
  // The default territory's archive, as a planner would publish it.
  await promisify(execFile)(repereBinary(), ['tiles', 'export', '--out', join(work, 'repere.pmtiles')], { cwd: root });
  cdn = staticServer(work, cdnLog);
  const cdnPort = await freePort();
  await new Promise((r) => cdn.listen(cdnPort, '127.0.0.1', r));
  cdnBase = `http://127.0.0.1:${cdnPort}`;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(repereBinary(), ['serve', '--addr', `127.0.0.1:${port}`, '--basemap', 'none',
    '--tiles-url', `${cdnBase}/repere.pmtiles`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const t0 = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`repere serve exited with ${server.exitCode}`);
    if (Date.now() - t0 > 120_000) throw new Error('repere serve did not answer /health in time');
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (cdn) cdn.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the page reads its vector tiles from a static PMTiles archive on another origin, none from /tiles/', { timeout: 240_000 }, async (t) => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const errors = [];
  const repereRequests = [];
  const local = (u) => { try { return ['127.0.0.1', 'localhost'].includes(new URL(u).hostname); } catch { return false; } };
  await page.route((u) => !local(u.href), (route) => route.abort('internetdisconnected'));
  page.on('request', (r) => { if (r.url().startsWith(base)) repereRequests.push(new URL(r.url()).pathname); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    if (!why.includes('ERR_ABORTED')) errors.push(`request failed: ${r.url()} ${why}`);
  });
  const response = await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 60_000 });
  await page.evaluate(() => new Promise((res) => {
    const map = window.repere.map;
    const check = () => (map.loaded() && map.areTilesLoaded() && !map.isMoving() ? res(true) : map.once('idle', () => res(true)));
    check();
  }));

  await t.test('the policy of the page allows the archive origin for fetches', async () => {
    const csp = response.headers()['content-security-policy'];
    assert.ok(csp.includes(`connect-src 'self' ${cdnBase};`), csp);
    assert.ok(csp.includes("script-src 'self';"), csp);
  });

  await t.test('the map source reads pmtiles:// and renders the 71 communes and QN07620M', async () => {
    const tiles = await page.evaluate(() => window.repere.map.getSource('repere').tiles);
    assert.deepEqual(tiles, [`pmtiles://${cdnBase}/repere.pmtiles/{z}/{x}/{y}`]);
    const codes = (layer) => page.evaluate((l) => [...new Set(window.repere.map.queryRenderedFeatures({ layers: [l] })
      .map((f) => f.properties.code))].sort(), layer);
    const communes = await codes('communes-fill');
    assert.equal(communes.length, 71, `rendered communes: ${communes.length}`);
    assert.ok(communes.includes('76540'));
    const qpv = await codes('qpv-2024-line');
    assert.ok(qpv.includes('QN07620M'), `rendered QPV: ${qpv.join(' ')}`);
    // The choropleth fields come from the archive's metadata (vector_layers).
    const options = await page.$$eval('#indicator-select option', (os) => os.length);
    assert.ok(options > 1, `indicator options: ${options}`);
    await page.screenshot({ path: join(shots, 'map-pmtiles.png') });
  });

  await t.test('the archive was read by range requests and /tiles/ was never asked', async () => {
    const ranged = cdnLog.filter((r) => r.url === '/repere.pmtiles' && r.method === 'GET' && r.range);
    assert.ok(ranged.length >= 3, `range requests: ${JSON.stringify(cdnLog)}`);
    assert.ok(cdnLog.every((r) => r.method !== 'GET' || r.range), 'the whole file is never downloaded');
    const tileRequests = repereRequests.filter((p) => p.startsWith('/tiles/'));
    assert.deepEqual(tileRequests, [], 'requests to /tiles/');
    assert.ok(repereRequests.includes('/api/communes'), 'the API stays on repere serve');
    assert.ok(repereRequests.includes('/vendor/pmtiles/pmtiles.js'), 'the reader comes from node_modules');
  });

  await t.test('a click on Rouen opens its card from the API', async () => {
    await page.evaluate(() => window.repere.selectCommune('76540'));
    await page.waitForSelector('#card-qpv-list', { timeout: 30_000 });
    assert.equal(await page.textContent('#card-title'), 'Rouen');
    const qpv = await page.$$eval('#card-qpv-list li', (li) => li.map((x) => x.dataset.qpv).sort());
    assert.ok(qpv.includes('QN07620M'), qpv.join(' '));
  });

  await t.test('no console error', () => {
    assert.deepEqual(errors, []);
  });
  await page.close();
});
