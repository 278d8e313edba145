// Browser test of the "Acteurs" tab: `repere serve` with a GeoPackage store and an editor token;
// the Rouen mission locale (known by address only) is placed by dropping its marker on the map;
// the Rouen card then gives a distance to the nearest mission locale; after a restart of the
// server on the same store, the card still does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'target', 'screenshots');
const ROUEN_ML = 'missions_locales:mission_locale-76540-01';

function repereBinary() {
  if (process.env.REPERE_BIN) return process.env.REPERE_BIN;
  const found = ['release', 'debug'].map((p) => join(root, 'target', p, 'repere')).filter((p) => existsSync(p));
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function start(dir) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(repereBinary(), ['serve', '--addr', `127.0.0.1:${port}`, '--tile-cache-mb', '0',
    '--store', join(dir, 'repere.gpkg'), '--edit-token-file', join(dir, 'tokens')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const t0 = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`repere serve exited with ${server.exitCode}`);
    if (Date.now() - t0 > 120_000) throw new Error('repere serve did not start');
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { server, base };
}

function stop(server) {
  return new Promise((res) => { if (server.exitCode !== null) return res(); server.once('exit', res); server.kill('SIGINT'); });
}

async function rouenMlDistance(page) {
  await page.evaluate(() => window.repere.selectCommune('76540'));
  await page.waitForSelector('#card tr[data-group="ML"]', { timeout: 60_000 });
  return page.textContent('#card tr[data-group="ML"] td.distance');
}

let browser;
after(async () => { if (browser) await browser.close(); });

test('placing the Rouen mission locale by dropping its marker gives Rouen a distance, kept after a restart', { timeout: 600_000 }, async () => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'repere-actors-'));
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-123\n');
  let { server, base } = await start(dir);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  assert.equal((await rouenMlDistance(page)).trim(), '—', 'not placed yet: no distance');

  await page.click('#tab-actors');
  await page.fill('#actors-token', 'jeton-alice-123');
  await page.dispatchEvent('#actors-token', 'change');
  await page.selectOption('#actors-filter-status', 'to_place');
  const item = `#actors-list li[data-actor="${ROUEN_ML}"]`;
  await page.waitForSelector(item);
  await page.click(`${item} .place-actor`);
  const m = await page.waitForSelector(`.maplibregl-marker[data-actor="${ROUEN_ML}"]`);
  const box = await m.boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height - 4;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 20, y + 15, { steps: 5 });
  await page.mouse.move(x + 40, y + 30, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => window.repere.actorsEdited === 1, null, { timeout: 180_000 });
  const status = await page.textContent('#actors-status');
  assert.match(status, /placé \(version 1/, status);
  const d = (await rouenMlDistance(page)).trim();
  assert.match(d, /\d/, `a distance to the nearest ML: ${d}`);
  await page.screenshot({ path: join(shots, 'actors-placed.png') });

  await stop(server);
  ({ server, base } = await start(dir));
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  assert.equal((await rouenMlDistance(page)).trim(), d, 'the edit survives a restart');
  const h = await (await fetch(`${base}/api/actors/${encodeURIComponent(ROUEN_ML)}/history`)).json();
  assert.equal(h.length, 1);
  assert.equal(h[0].author, 'alice');
  await stop(server);
});
