// Address search and "Placer à l'adresse connue", played by an editor against a REAL addok
// (scripts/addok-fixture.py: real France services and France Travail addresses of data/, never the
// missions locales) behind `repere serve --geocoder`; every value the page shows is read back
// against the API. And the page without a geocoder: it says address search needs one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { root, shots, CHROMIUM_FLAGS, repereBinary, freePort } from './harness.mjs';

const ROUEN = '76540';
const ROUEN_ML = 'missions_locales:mission_locale-76540-01';

/** The real addok of the tests, on a free port; stops when its standard input closes. */
async function startAddok() {
  const venv = process.env.REPERE_ADDOK_VENV || join(root, 'target', 'addok-venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) throw new Error(`addok is not installed in ${venv}: run scripts/install-geocoder-deps.sh`);
  const child = spawn(python, [join(root, 'scripts', 'addok-fixture.py'), join(root, 'data')], { stdio: ['pipe', 'pipe', 'ignore'] });
  const line = await new Promise((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res);
    child.once('exit', (code) => rej(new Error(`addok fixture exited with ${code}`)));
  });
  return { child, ...JSON.parse(line) };
}

async function start({ geocoder = null, store = null } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--tile-cache-mb', '0', '--basemap', 'none'];
  if (geocoder) args.push('--geocoder', geocoder);
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
const fr2 = (x) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(x);

/** Straight-line distance in metres (haversine). */
function distanceM([lon1, lat1], [lon2, lat2]) {
  const r = 6_371_000; const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

/** The France services row of Rouen, 8 bis rue de l'Industrie, as data/ has it. */
function franceServicesIndustrie() {
  const [header, ...lines] = readFileSync(join(root, 'data/actors/france_services_76_2024.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  const cols = header.split(',');
  // The fields used come before any quoted field of the row: a plain split is enough for them.
  const row = lines.map((l) => l.split(',')).find((f) => f[cols.indexOf('adresse')] === "8 bis Rue de l'Industrie" && f[cols.indexOf('lib_com')] === 'Rouen');
  const get = (name) => row[cols.indexOf(name)];
  return { name: get('lib_fs'), address: get('adresse'), postcode: get('code_postal'), city: get('lib_com'), lon: Number(get('longitude')), lat: Number(get('latitude')) };
}

let browser;
let addok;
const servers = [];
before(async () => {
  mkdirSync(shots, { recursive: true });
  addok = await startAddok();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
});
after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await stop(s);
  if (addok) { addok.child.stdin.end(); await new Promise((r) => (addok.child.exitCode !== null ? r() : addok.child.once('exit', r))); }
});

async function openPage(base) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  return { page, context, errors };
}

test('editor with a geocoder: an indexed address found from the keyboard, an actor placed at its known address, the card counts it; an address not in the index stays to place', { timeout: 400_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'repere-address-'));
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-123-0123456789\n');
  const { server, base } = await start({ geocoder: addok.url, store: dir });
  servers.push(server);
  const { page, context, errors } = await openPage(base);
  const fs = franceServicesIndustrie();
  const edited = () => page.evaluate(() => window.repere.actorsEdited);
  const waitEdit = (n) => page.waitForFunction((k) => window.repere.actorsEdited === k, n, { timeout: 180_000 });

  await t.test('the address box lists the API\'s addresses; arrows and Enter centre the map on the chosen one, at the known position', async () => {
    assert.equal((await json(`${base}/web-config.json`)).geocoder, true);
    const typed = "8 bis rue de l'Industrie Rouen";
    await page.fill('#address-input', typed);
    await page.waitForSelector('#address-list:not([hidden]) [role="option"]');
    const api = await json(`${base}/api/geocode/search?q=${encodeURIComponent(typed)}&limit=5`);
    const options = await page.$$eval('#address-list [role="option"]', (lis) => lis.map((li) => li.textContent));
    assert.deepEqual(options, api.results.map((r) => r.label + (r.approximate ? ' — adresse approximative' : '')));
    assert.equal(await page.getAttribute('#address-input', 'aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('#address-input', 'aria-activedescendant'), 'address-option-0');
    assert.equal(await page.getAttribute('#address-option-0', 'aria-selected'), 'true');
    const axe = await new AxeBuilder({ page }).include('#address-form').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    assert.deepEqual(axe.violations.filter((x) => ['serious', 'critical'].includes(x.impact)).map((v) => v.id), []);
    await page.screenshot({ path: join(shots, 'address-1-list.png') });
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#address-input', 'aria-expanded'), 'false');
    const best = api.results[0];
    const center = await page.evaluate(() => { const c = window.repere.map.getCenter(); return [c.lng, c.lat]; });
    assert.ok(Math.abs(center[0] - best.lon) < 1e-6 && Math.abs(center[1] - best.lat) < 1e-6, `${center} vs ${best.lon}, ${best.lat}`);
    assert.ok(distanceM(center, [fs.lon, fs.lat]) < 50, `${center} is ${distanceM(center, [fs.lon, fs.lat])} m from the France services`);
    assert.equal(await page.textContent('#address-status'), `Carte centrée sur ${best.label} (score ${fr2(best.score)}).`);
    assert.equal(await page.isVisible('.address-marker'), true);
  });

  await page.click('#tab-actors');
  await page.fill('#actors-token', 'jeton-alice-123-0123456789');
  await page.dispatchEvent('#actors-token', 'change');
  const name = `${fs.name} (liste reçue sans coordonnées)`;

  await t.test('an actor known by address placed at the geocoder\'s point: the edit says so with the score; the card of Rouen counts it', async () => {
    // The editor receives a list with the antenna's address and no coordinates: it is "à localiser".
    const csv = `nom;typologie;adresse;code_insee\n${name};RFS;${fs.address}, ${fs.postcode} ${fs.city};${ROUEN}\n`;
    await page.setInputFiles('#actors-import', { name: 'recue.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForFunction(() => !document.getElementById('actors-import-commit').disabled, null, { timeout: 60_000 });
    let n = await edited();
    await page.click('#actors-import-commit');
    await waitEdit(n + 1);
    const actor = (await json(`${base}/api/actors`)).actors.find((a) => a.name === name);
    assert.equal(actor.status, 'to_place');
    const before = await json(`${base}/api/communes/${ROUEN}`);

    await page.selectOption('#actors-filter-status', 'to_place');
    await page.dispatchEvent('#actors-filter-status', 'change');
    const item = `#actors-list li[data-actor="${actor.id}"]`;
    await page.click(`${item} .place-by-address`);
    await page.waitForSelector(`${item} .confirm-geocoded`);
    const api = await json(`${base}/api/geocode/search?q=${encodeURIComponent(actor.address)}&limit=1`);
    const best = api.results[0];
    assert.equal(await page.textContent('#actors-status'), `Point proposé pour ${name} : ${best.label} (score ${fr2(best.score)}). Confirmez-le ou déplacez-le.`);
    assert.ok(distanceM([best.lon, best.lat], [fs.lon, fs.lat]) < 50);
    const marker = await page.evaluate((id) => {
      const m = document.querySelector(`.maplibregl-marker[data-actor="${CSS.escape(id)}"]`);
      const r = m.getBoundingClientRect(); const c = window.repere.map.getContainer().getBoundingClientRect();
      const p = window.repere.map.unproject([r.left + r.width / 2 - c.left, r.bottom - c.top]);
      return [p.lng, p.lat];
    }, actor.id);
    assert.ok(distanceM(marker, [best.lon, best.lat]) < 10, `the proposal's marker is at ${marker}`);
    await page.screenshot({ path: join(shots, 'address-2-proposal.png') });
    n = await edited();
    await page.click(`${item} .confirm-geocoded`);
    await waitEdit(n + 1);
    const placed = await json(`${base}/api/actors/${encodeURIComponent(actor.id)}`);
    assert.equal(placed.status, 'placed');
    assert.ok(Math.abs(placed.lon - best.lon) < 1e-6 && Math.abs(placed.lat - best.lat) < 1e-6, `${placed.lon}, ${placed.lat}`);
    const history = await json(`${base}/api/actors/${encodeURIComponent(actor.id)}/history`);
    assert.equal(history.at(-1).reason, `placé à l'adresse connue, point du géocodeur : « ${best.label} », score ${fr2(best.score)}`);
    // The card of Rouen: one more France services inside, as the API says.
    const after = await json(`${base}/api/communes/${ROUEN}`);
    assert.equal(after.actors_inside_by_group.RFS, (before.actors_inside_by_group.RFS ?? 0) + 1);
    await page.evaluate((c) => window.repere.selectCommune(c), ROUEN);
    await page.waitForFunction((v) => document.getElementById('card')?.dataset.code === '76540' && document.getElementById('card').dataset.version === v, (await json(`${base}/health`)).version, { timeout: 60_000 });
    const inside = await page.textContent('#card-actors tr[data-group="RFS"] .inside');
    assert.equal(Number(inside.replace(/\s/g, '')), after.actors_inside_by_group.RFS);
    await page.$eval('#card-actors', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(shots, 'address-3-card.png') });
  });

  await t.test('the Rouen mission locale, whose address is not in the index, stays to place with a clear message', async () => {
    const v0 = (await json(`${base}/health`)).version;
    await page.click('#tab-actors');
    await page.selectOption('#actors-filter-status', 'to_place');
    await page.dispatchEvent('#actors-filter-status', 'change');
    const item = `#actors-list li[data-actor="${ROUEN_ML}"]`;
    await page.click(`${item} .place-by-address`);
    await page.waitForFunction(() => document.getElementById('actors-status').classList.contains('error'), null, { timeout: 30_000 });
    const text = await page.textContent('#actors-status');
    assert.match(text, /introuvable sur le territoire par le géocodeur : l'acteur reste à localiser ; placez-le par clic, coordonnées ou clavier\.$/);
    assert.ok(text.includes('33 avenue Champlain'), text);
    assert.equal(await page.isVisible('#placing'), false, 'nothing to confirm: no point proposed');
    assert.equal((await json(`${base}/api/actors/${encodeURIComponent(ROUEN_ML)}`)).status, 'to_place');
    assert.equal((await json(`${base}/health`)).version, v0);
    await page.screenshot({ path: join(shots, 'address-4-not-found.png') });
  });

  await t.test('a project site placed at a searched address: the address box, then "Placer au viseur"', async () => {
    await page.click('#tab-project');
    await page.click('#project-place');
    await page.waitForSelector('#placing:not([hidden])');
    const typed = `${fs.address} ${fs.postcode} ${fs.city}`;
    await page.fill('#address-input', typed);
    await page.waitForSelector('#address-list:not([hidden]) [role="option"]');
    const best = (await json(`${base}/api/geocode/search?q=${encodeURIComponent(typed)}&limit=5`)).results[0];
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#address-status'), `Carte centrée sur ${best.label} (score ${fr2(best.score)}) : « Placer au viseur » place le point à cette adresse.`);
    await page.click('#placing-center');
    await page.click('#placing-stop');
    const sites = await page.evaluate(() => window.repere.project.sites.map((s) => [s.lon, s.lat]));
    assert.equal(sites.length, 1);
    assert.ok(Math.abs(sites[0][0] - best.lon) < 2e-6 && Math.abs(sites[0][1] - best.lat) < 2e-6, `${sites[0]} vs ${best.lon}, ${best.lat}`);
    assert.ok(distanceM(sites[0], [fs.lon, fs.lat]) < 50);
  });

  await t.test('a saved project\'s site placed by typed coordinates shows its nearest address, the one the API\'s reverse geocoding gives (and the report prints)', async () => {
    await page.click('#tab-project');
    await page.click('#pf-add-site');
    await page.fill('#pf-s0-name', 'Site près des France services');
    await page.click('#pf-s0-place');
    await page.waitForSelector('#placing:not([hidden])');
    await page.fill('#placing-a', String(fs.lon).replace('.', ','));
    await page.fill('#placing-b', String(fs.lat).replace('.', ','));
    await page.click('#placing-submit');
    await page.waitForSelector('#placing', { state: 'hidden' });
    const site = await page.evaluate(() => window.repere.projectFile.project.sites[0]);
    const reverse = await json(`${base}/api/geocode/reverse?lon=${site.lon}&lat=${site.lat}`);
    assert.ok(reverse.results[0].label.toLowerCase().includes('industrie'), JSON.stringify(reverse));
    await page.waitForFunction(() => /^«/.test(document.getElementById('pf-s0-nearest')?.textContent || ''), null, { timeout: 20_000 });
    assert.equal(await page.textContent('#pf-s0-nearest'), `« ${reverse.results[0].label} »`);
    await page.locator('#pf-sites li').first().screenshot({ path: join(shots, 'address-5-project-site-nearest.png') });
  });

  await t.test('no console error', () => assert.deepEqual(errors, []));
  await context.close();
});

test('without a geocoder the page says address search needs one, and offers no address placing', { timeout: 200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'repere-address-'));
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-123-0123456789\n');
  const { server, base } = await start({ store: dir });
  servers.push(server);
  const { page, context, errors } = await openPage(base);
  assert.equal((await json(`${base}/web-config.json`)).geocoder, false);
  assert.equal(await page.isDisabled('#address-input'), true);
  assert.equal(await page.textContent('#address-status'), 'La recherche d\'adresse demande un géocodeur (repere serve --geocoder) ; les points se placent par clic, coordonnées ou clavier.');
  await page.click('#tab-actors');
  await page.fill('#actors-token', 'jeton-alice-123-0123456789');
  await page.dispatchEvent('#actors-token', 'change');
  await page.selectOption('#actors-filter-status', 'to_place');
  await page.dispatchEvent('#actors-filter-status', 'change');
  const item = `#actors-list li[data-actor="${ROUEN_ML}"]`;
  await page.waitForSelector(`${item} .place-actor`);
  assert.equal(await page.$$eval(`${item} .place-by-address`, (b) => b.length), 0);
  // A project site placed without a geocoder: the page says the report gives the coordinates only.
  await page.click('#tab-project');
  await page.click('#pf-add-site');
  await page.click('#pf-s0-place');
  await page.waitForSelector('#placing:not([hidden])');
  await page.fill('#placing-a', '1,0993');
  await page.fill('#placing-b', '49,4431');
  await page.click('#placing-submit');
  await page.waitForSelector('#pf-s0-nearest');
  assert.equal(await page.textContent('#pf-s0-nearest'), 'aucun géocodeur configuré (repere serve --geocoder) : le rapport donne les coordonnées seules.');
  assert.deepEqual(errors, []);
  await context.close();
});
