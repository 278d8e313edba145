// Browser test of the "Acteurs" tab: `repere serve` with a GeoPackage store and an editor token;
// the Rouen mission locale (known by address only) is placed by dropping its marker on the map;
// the Rouen card then gives a distance to the nearest mission locale; after a restart of the
// server on the same store, the card still does. Then, from the page: the edit is undone from
// the actor's history; the hours of the week are edited (a bad range is refused beside its day);
// a CSV is imported after a line-by-line preview (commit disabled while a line has an error);
// without a token file the tab says the server is read-only. axe-core checks the tab.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root, shots, repereBinary, freePort } from './harness.mjs';
import AxeBuilder from '@axe-core/playwright';

const ROUEN_ML = 'missions_locales:mission_locale-76540-01';

async function start(dir, { tokens = true } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--tile-cache-mb', '0', '--basemap', 'none', '--store', join(dir, 'repere.gpkg')];
  if (tokens) args.push('--edit-token-file', join(dir, 'tokens'));
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
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-123-0123456789\n');
  let { server, base } = await start(dir);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  // A context of its own: axe-core's playwright builder needs one.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  assert.equal((await rouenMlDistance(page)).trim(), '—', 'not placed yet: no distance');

  await page.click('#tab-actors');
  await page.fill('#actors-token', 'jeton-alice-123-0123456789');
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
  // From the commune's boundary: "dans la commune" when dropped inside Rouen, else metres.
  const api = await (await fetch(`${base}/api/communes/76540`)).json();
  const distanceM = api.nearest_actor_by_group.ML.distance_m;
  if (distanceM === 0) assert.equal(d, 'dans la commune');
  else assert.match(d, /\d/, `a distance to the nearest ML: ${d}`);
  await page.screenshot({ path: join(shots, 'actors-placed.png') });

  await stop(server);
  ({ server, base } = await start(dir));
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  assert.equal((await rouenMlDistance(page)).trim(), d, 'the edit survives a restart');
  const h = await (await fetch(`${base}/api/actors/${encodeURIComponent(ROUEN_ML)}/history`)).json();
  assert.equal(h.length, 1);
  assert.equal(h[0].author, 'alice');

  // Undo from the page: the history shows the edit (author, reason, fields) and its button.
  await page.click('#tab-actors');
  await page.fill('#actors-token', 'jeton-alice-123-0123456789');
  await page.dispatchEvent('#actors-token', 'change');
  await page.selectOption('#actors-filter-status', 'placed');
  await page.waitForSelector(item);
  await page.click(`${item} .show-history`);
  const entry = `${item} .actor-history li[data-version="1"]`;
  await page.waitForSelector(entry);
  const text = await page.textContent(entry);
  assert.match(text, /Version 1 : placement sur la carte par alice/, text);
  assert.match(text, /Motif : placé sur la carte/, text);
  assert.match(text, /point \(1\.\d+, 49\.\d+\)/, text);
  const axeHistory = await new AxeBuilder({ page }).include('#panel-actors').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(axeHistory.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
  const edited = await page.evaluate(() => window.repere.actorsEdited || 0);
  await page.click(`${entry} .undo-edit`);
  await page.waitForFunction((n) => window.repere.actorsEdited === n + 1, edited, { timeout: 180_000 });
  assert.match(await page.textContent('#actors-status'), /Modification 1 de .* annulée/);
  assert.equal((await rouenMlDistance(page)).trim(), '—', 'undone: the mission locale is to place again');
  const h2 = await (await fetch(`${base}/api/actors/${encodeURIComponent(ROUEN_ML)}/history`)).json();
  assert.deepEqual(h2.map((e) => [e.version, e.kind, e.state && e.state.lon !== undefined && e.state.lon !== null]), [[1, 'place', true], [2, 'undo', false]]);

  // The hours of the whole week: a bad range is refused beside its day, good ones are kept.
  await page.click('#tab-actors');
  await page.selectOption('#actors-filter-status', 'to_place');
  await page.waitForSelector(item);
  await page.click(`${item} button:has-text("Modifier")`);
  const form = `${item} form.actor-form`;
  await page.fill(`${form} input[name="opening_hours.mardi"]`, 'matin');
  await page.click(`${form} button[type="submit"]`);
  assert.equal(await page.getAttribute(`${form} input[name="opening_hours.mardi"]`, 'aria-invalid'), 'true');
  assert.match(await page.textContent(`${form} .error`), /mardi illisibles/);
  await page.fill(`${form} input[name="opening_hours.lundi"]`, '09:00-12:00, 13:30-17:00');
  await page.fill(`${form} input[name="opening_hours.mardi"]`, '9h-12h');
  await page.fill(`${form} input[name="opening_hours.samedi"]`, '10:00-12:00');
  const before = await page.evaluate(() => window.repere.actorsEdited || 0);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForFunction((n) => window.repere.actorsEdited === n + 1, before, { timeout: 180_000 });
  await page.waitForSelector(`${item} .actor-hours-text`);
  assert.equal(await page.textContent(`${item} .actor-hours-text`), 'Horaires : lundi 09:00-12:00, 13:30-17:00 ; mardi 09:00-12:00 ; samedi 10:00-12:00');

  // Import: the preview names each bad line; "Valider l'import" stays disabled until the file is clean.
  const bad = 'nom;typologie;longitude;latitude;adresse;code_insee\nAntenne test 1;PIJ_BIJ;1,0938;49,4300;;\nAntenne test 2;XYZ;1,0938;49,4300;;\nAntenne test 3;CS;;;3 rue de test;76231\n';
  await page.setInputFiles('#actors-import', { name: 'acteurs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.waitForSelector('#actors-import-table tbody tr:nth-child(3)');
  assert.match(await page.textContent('#actors-import-summary'), /3 lignes lues : 2 valides \(dont 1 à localiser\), 1 en erreur/);
  assert.equal(await page.isDisabled('#actors-import-commit'), true);
  const cells = await page.$$eval('#actors-import-table tbody tr', (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.deepEqual(cells[0], ['ligne 2', 'Antenne test 1', 'PIJ_BIJ', 'Rouen', 'valide, placé']);
  assert.equal(cells[1][0], 'ligne 3');
  assert.match(cells[1][4], /Erreur : ligne 3, champ `typologie` : type "XYZ" inconnu/);
  assert.deepEqual(cells[2].slice(3), ['Elbeuf', 'valide, à localiser']);
  const axeImport = await new AxeBuilder({ page }).include('#panel-actors').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(axeImport.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
  await page.$eval('.actors-import', (e) => e.scrollIntoView());
  await page.screenshot({ path: join(shots, 'actors-import-preview.png') });
  const count = async () => (await (await fetch(`${base}/api/actors`)).json()).actors.length;
  const n0 = await count();
  await page.setInputFiles('#actors-import', { name: 'acteurs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.replace('XYZ', 'ASSO')) });
  await page.waitForFunction(() => !document.getElementById('actors-import-commit').disabled);
  const imported = await page.evaluate(() => window.repere.actorsEdited || 0);
  await page.click('#actors-import-commit');
  await page.waitForFunction((n) => window.repere.actorsEdited === n + 1, imported, { timeout: 180_000 });
  assert.match(await page.textContent('#actors-import-summary'), /3 acteurs importés, dont 1 à localiser/);
  assert.equal(await count(), n0 + 3);
  await page.selectOption('#actors-filter-status', '');
  await page.waitForSelector('#actors-list li:has-text("Antenne test 3")');
  await stop(server);

  // Without a token file: the tab says the server is read-only, and offers no editing.
  ({ server, base } = await start(dir, { tokens: false }));
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  await page.click('#tab-actors');
  assert.equal(await page.isVisible('#actors-readonly'), true);
  assert.match(await page.textContent('#actors-readonly'), /lecture seule : aucun jeton d'édition configuré/);
  assert.equal(await page.isVisible('#actors-editor'), false);
  assert.equal(await page.$$eval('#actors-list .place-actor, #actors-list .undo-edit', (b) => b.length), 0);
  // The exports of the current inventory: the three formats, with the import in them.
  for (const [href, type] of [['/api/actors/export.gpkg', 'geopackage'], ['/api/actors/export.csv', 'text/csv'], ['/api/actors/export.json', 'application/json']]) {
    assert.equal(await page.getAttribute(`#actors-exports a[href="${href}"]`, 'href'), href);
    const r = await fetch(`${base}${href}`);
    assert.ok(r.ok && r.headers.get('content-type').includes(type), href);
    const body = Buffer.from(await r.arrayBuffer());
    if (type === 'geopackage') assert.equal(body.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    else assert.ok(body.toString('utf8').includes('Antenne test 3'), href);
  }
  await stop(server);
});
