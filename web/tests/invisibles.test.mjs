// The invisibles in the page (issue 31, JOURNEYS.md "Métropole" step 3): `repere serve` runs on a
// second territory written by this test — the default data copied into a temporary folder, with
// SYNTHETIC follow-up counts (made up here, named so) added to its manifest. A person opens
// Rouen's card and reads the invisibles line with its sources and dates, then moves the
// invisibles weight of the ranking and sees the order change; every value is read back against
// the API. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, cpSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root, shots, CHROMIUM_FLAGS, repereBinary, freePort } from './harness.mjs';

const ROUEN = '76540';

/** Synthetic counts (made up for this test): a mission locale and France Travail per commune. */
const FILES = {
  'suivis/ml_synthetique.csv': 'code_commune;jeunes_suivis\n76540;1 800\n76157;300\n76231;7\n76108;150\n',
  'suivis/ft_synthetique.csv': 'commune,demandeurs\n76540,1200\n76157,500\n76108,185\n',
  'suivis/qpv_synthetique.csv': 'qpv;suivis\nQN07620M;40\n',
};
const FOLLOWUP = `
[[followup.counts]]
file = "suivis/ml_synthetique.csv"
source = "ML"
label = "Mission locale synthétique (test)"
age_band = "16-25"
date = "2024-12-31"
level = "commune"
code = "code_commune"
count = "jeunes_suivis"

[[followup.counts]]
file = "suivis/ft_synthetique.csv"
source = "FT"
label = "France Travail synthétique (test)"
age_band = "16-24"
date = "2024-09"
level = "commune"
code = "commune"
count = "demandeurs"

[[followup.counts]]
file = "suivis/qpv_synthetique.csv"
source = "PREV"
age_band = "16-21"
date = "2024"
level = "qpv"
code = "qpv"
count = "suivis"
`;

let dir;
let server;
let base;
let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'repere-invisibles-'));
  cpSync(join(root, 'data'), dir, { recursive: true });
  writeFileSync(join(dir, 'territory.toml'), readFileSync(join(dir, 'territory.toml'), 'utf8') + FOLLOWUP);
  mkdirSync(join(dir, 'suivis'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(repereBinary(), ['--territory', join(dir, 'territory.toml'), 'serve', '--addr', `127.0.0.1:${port}`,
    '--tile-cache-mb', '0', '--basemap', 'none'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const t0 = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`repere serve exited with ${server.exitCode}`);
    if (Date.now() - t0 > 120_000) throw new Error('repere serve did not start');
    try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS, headless: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) await new Promise((res) => { server.once('exit', res); server.kill('SIGINT'); });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = async (url) => { const r = await fetch(url); assert.ok(r.ok, `${url}: ${r.status}`); return r.json(); };
/** What the page writes for a disclosed value: a French number, or "< 11" as the API says. */
const fr = (d) => (typeof d === 'number' ? new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(d) : d);

async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/`);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  return { page, context, errors };
}

test('Métropole: the card\'s invisibles line shows the range with its sources and dates, as the API says', { timeout: 200_000 }, async () => {
  const { page, context, errors } = await openPage();
  const diag = await json(`${base}/api/communes/${ROUEN}`);
  const inv = diag.invisibles;
  assert.equal(inv.basis, 'local');
  await page.evaluate((c) => window.repere.selectCommune(c, { fly: true }), ROUEN);
  await page.waitForSelector('#card-invisibles');
  assert.equal(await page.getAttribute('#card-invisibles', 'data-basis'), 'local');
  const range = await page.textContent('#card-invisibles .invisibles-range');
  assert.equal(range, `de ${fr(inv.low_est)} à ${fr(inv.high_est)} jeunes`);
  // The range is the unrounded NEET estimate minus the synthetic counts, rounded once to 10.
  const neet = diag.estimated_neet_count.value;
  const round10 = (x) => Math.round(x / 10) * 10;
  assert.equal(inv.low_est, round10(neet - 3000));
  assert.equal(inv.high_est, round10(neet - 1800));
  const sources = await page.$$eval('#card-invisibles-sources li', (lis) => lis.map((li) => [li.dataset.source, li.textContent]));
  assert.deepEqual(sources.map((s) => s[0]), inv.followed.map((f) => f.source));
  for (const [i, [, text]] of sources.entries()) {
    const f = inv.followed[i];
    assert.ok(text.includes(f.label) && text.includes(fr(f.count)) && text.includes(f.dates[0]) && text.includes(`${f.age_bands[0]} ans`), text);
  }
  assert.ok(sources.some(([s, text]) => s === 'ML' && text.includes('Mission locale synthétique (test)') && text.includes('2024-12-31')));
  // Elbeuf's 7 followed young people are under the secrecy threshold: "< 11", never 7.
  await page.evaluate(() => window.repere.selectCommune('76231', { fly: false }));
  await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Elbeuf', null, { timeout: 30_000 });
  await page.waitForSelector('#card-invisibles-sources li');
  const elbeuf = await page.textContent('#card-invisibles-sources li[data-source="ML"]');
  assert.ok(elbeuf.includes('< 11 jeunes suivis') && !/\b7\b/.test(elbeuf), elbeuf);
  await page.locator('#card-invisibles').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'invisibles-card.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Métropole: the ranking reacts to the invisibles weight, in the API\'s order', { timeout: 200_000 }, async () => {
  const { page, context, errors } = await openPage();
  await page.click('#tab-ranking');
  await page.waitForSelector('#ranking-table tbody tr');
  assert.equal(await page.isDisabled('#weight-invisibles'), false);
  const order = () => page.$$eval('#ranking-table tbody tr', (trs) => trs.map((tr) => tr.dataset.code));
  const before = await order();
  const defaults = await json(`${base}/api/ranking`);
  assert.deepEqual(before, defaults.entries.map((e) => e.code));
  // Invisibles only: every other weight to 0, invisibles to 5.
  for (const key of ['neet', 'neet_count', 'youth_qpv', 'access', 'distance']) {
    await page.$eval(`#weight-${key}`, (e) => { e.value = '0'; e.dispatchEvent(new Event('input', { bubbles: true })); });
  }
  await page.$eval('#weight-invisibles', (e) => { e.value = '5'; e.dispatchEvent(new Event('input', { bubbles: true })); });
  const api = await json(`${base}/api/ranking?weights=${encodeURIComponent('neet=0,neet_count=0,youth_qpv=0,access=0,distance=0,invisibles=5')}`);
  // The whole order, once the last request (all six weights) has answered.
  const want = api.entries.map((e) => e.code);
  await page.waitForFunction((codes) => /invisibles:5/.test(location.hash)
    && [...document.querySelectorAll('#ranking-table tbody tr')].map((tr) => tr.dataset.code).join() === codes.join(),
  want, { timeout: 20_000 }).catch(() => {});
  const after = await order();
  assert.deepEqual(after, api.entries.map((e) => e.code));
  assert.notDeepEqual(after, before);
  // The leader has the largest middle of the range among the communes with counts.
  const lead = api.entries[0].components.find((c) => c.key === 'invisibles');
  const rouen = await json(`${base}/api/communes/${after[0]}`);
  assert.equal(lead.value, rouen.invisibles.central_est);
  await page.screenshot({ path: join(shots, 'invisibles-ranking.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('Métropole: the gap table says the invisibles estimated beyond the threshold, as the API says', { timeout: 200_000 }, async () => {
  const { page, context, errors } = await openPage();
  await page.click('#tab-gaps');
  await page.selectOption('#gap-group', 'FT');
  const minutes = await page.inputValue('#gap-minutes');
  await page.waitForSelector('#gap-communes tbody tr td[data-key="invisibles_outside_est"]', { timeout: 60_000 });
  const api = await json(`${base}/api/gaps?group=FT&minutes=${minutes}`);
  const head = await page.$$eval('#gap-communes thead th', (ths) => ths.map((th) => th.textContent));
  assert.ok(head.includes('Invisibles estimés hors seuil'), head.join(' | '));
  const shownRows = await page.$$eval('#gap-communes tbody tr', (trs) => trs.map((tr) => [tr.dataset.code, tr.querySelector('td[data-key="invisibles_outside_est"]').textContent]));
  const byCode = new Map(api.communes.map((c) => [c.code, c]));
  let compared = 0;
  for (const [code, text] of shownRows) {
    const want = byCode.get(code).invisibles_outside_est;
    if (want === undefined) { assert.equal(text, '—'); continue; }
    assert.equal(text, fr(want), code);
    if (typeof want === 'number') assert.ok(want >= 11 && want % 10 === 0, `${code}: ${want}`);
    compared += 1;
  }
  assert.ok(compared >= 4, `${compared} communes with counts`);
  // Rouen's figure is the middle of its range × its share of young people beyond the threshold.
  const rouen = byCode.get(ROUEN);
  const diag = await json(`${base}/api/communes/${ROUEN}`);
  const neet = diag.estimated_neet_count.value;
  const central = (Math.max(0, neet - 3000) + Math.max(0, neet - 1800)) / 2;
  const expected = Math.round((central * rouen.share_in_gaps_pct) / 100 / 10) * 10;
  assert.equal(rouen.invisibles_outside_est, expected >= 11 ? expected : '< 11');
  await page.locator('#gap-communes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'invisibles-gaps.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

/** Resolves once the map has drawn every tile of its view. */
function mapIdle(page) {
  return page.evaluate(() => new Promise((res) => {
    const map = window.repere.map;
    const check = () => (map.loaded() && map.areTilesLoaded() && !map.isMoving() ? res(true) : map.once('idle', () => res(true)));
    check();
  }));
}

/** The map's pixels at CSS points of the canvas, read in the frame just drawn: [[r, g, b]…]. */
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

test('Métropole: the gap map option "invisibles estimés hors seuil" colours the communes in the legend\'s colours, as the API says', { timeout: 200_000 }, async () => {
  const { page, context, errors } = await openPage();
  await page.click('#tab-gaps');
  await page.selectOption('#gap-group', 'FT');
  if (!(await page.isChecked('#gap-show'))) await page.check('#gap-show');
  await page.waitForSelector('#gap-communes tbody tr td[data-key="invisibles_outside_est"]', { timeout: 60_000 });
  assert.equal(await page.isDisabled('#gap-colour option[value="invisibles"]'), false);
  await page.selectOption('#gap-colour', 'invisibles');
  await page.waitForSelector('#gap-invisibles-legend .swatch', { timeout: 60_000 });
  assert.match(location_hash(await page.evaluate(() => location.hash)), /gap=FT,\d+,walk,invisibles,1/);
  const minutes = await page.inputValue('#gap-minutes');
  const api = await json(`${base}/api/gaps?group=FT&minutes=${minutes}`);
  const legend = await page.$$eval('#gap-invisibles-legend li', (lis) => lis.map((li) => [li.querySelector('.swatch').dataset.color, li.textContent]));
  assert.deepEqual(legend.map((l) => l[1]), ['de 20 à 50 jeunes', 'de 60 à 100 jeunes', 'de 110 à 250 jeunes', 'plus de 250 jeunes', '< 11 (secret statistique)', 'pas de comptage local de jeunes suivis : non colorée']);
  // The class of a disclosed value, as the legend's texts say.
  const colourOf = (v) => (v === '< 11' ? legend[4][0] : legend[[50, 100, 250, Infinity].findIndex((b) => v <= b)][0]);
  const byCode = new Map(api.communes.map((c) => [c.code, c.invisibles_outside_est]));
  await page.evaluate(() => window.repere.map.jumpTo({ center: [1.05, 49.39], zoom: 10.6 }));
  await mapIdle(page);
  const pts = await page.evaluate(() => {
    const map = window.repere.map;
    const w = map.getCanvas().clientWidth;
    const h = map.getCanvas().clientHeight;
    const out = [];
    for (let y = 5; y < h; y += 7) {
      for (let x = 5; x < w; x += 7) {
        const near = map.queryRenderedFeatures([[x - 3, y - 3], [x + 3, y + 3]])
          .filter((f) => !['gaps-invisibles-fill', 'communes-fill', 'qpv-2024-fill'].includes(f.layer.id));
        if (near.length) continue;
        const f = map.queryRenderedFeatures([[x - 2, y - 2], [x + 2, y + 2]], { layers: ['gaps-invisibles-fill'] });
        const codes = new Set(f.map((x) => x.properties.code));
        if (codes.size === 1) out.push({ x, y, code: [...codes][0] });
      }
    }
    return out;
  });
  await page.screenshot({ path: join(shots, 'invisibles-gap-map.png') });
  const codes = new Set(pts.map((p) => p.code));
  assert.ok(pts.length > 60 && codes.size >= 3, `${pts.length} points in ${[...codes]}`);
  for (const c of codes) assert.notEqual(byCode.get(c), undefined, `${c} is coloured without a local count`);
  const seen = await pixels(page, pts.map((p) => [p.x, p.y]));
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let ok = 0;
  const misses = [];
  pts.forEach((p, i) => {
    const want = rgb(colourOf(byCode.get(p.code)));
    if (Math.max(...want.map((v, k) => Math.abs(v - seen[i][k]))) <= 12) ok += 1;
    else if (misses.length < 5) misses.push({ code: p.code, value: byCode.get(p.code), seen: seen[i] });
  });
  assert.ok(ok / pts.length >= 0.9, `${ok} of ${pts.length} points show their legend colour; ${JSON.stringify(misses)}`);
  await page.screenshot({ path: join(shots, 'invisibles-gap-map.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

const location_hash = (h) => decodeURIComponent(h);

test('Métropole: the QPV card, opened from Rouen\'s card, shows the quartier against Rouen and the territory, its invisibles with their source, as the API says', { timeout: 200_000 }, async () => {
  const { page, context, errors } = await openPage();
  const QPV = 'QN07620M';
  const q = await json(`${base}/api/qpv/${QPV}`);
  const c = await json(`${base}/api/communes/${ROUEN}`);
  await page.evaluate((code) => window.repere.selectCommune(code, { fly: true }), ROUEN);
  await page.waitForSelector(`#card-qpv-list .qpv-open[data-qpv="${QPV}"]`);
  await page.click(`#card-qpv-list .qpv-open[data-qpv="${QPV}"]`);
  await page.waitForSelector('#qpv-card-indicators');
  assert.equal(await page.textContent('#card-title'), `${q.name} (QPV ${q.vintage})`);
  const cell = (field, col) => page.textContent(`#qpv-card-indicators tr[data-field="${field}"] td.${col}`);
  const num = (x) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(x);
  assert.equal(await cell('population', 'qpv'), num(q.population_est));
  assert.equal(await cell('youth_15_29', 'qpv'), num(q.youth_15_29_est));
  assert.equal(await cell('youth_15_29', 'commune'), num(c.youth_15_29.value));
  assert.equal(await cell('youth_15_29', 'reference'), num(c.youth_15_29.metropole));
  // The invisibles: the quartier's own counts (synthetic PREV 40), Rouen's range beside them.
  assert.equal(q.invisibles.basis, 'local');
  const range = (inv) => (inv.low_est === inv.high_est ? fr(inv.low_est) : `de ${fr(inv.low_est)} à ${fr(inv.high_est)}`);
  assert.equal(await cell('invisibles', 'qpv'), range(q.invisibles));
  assert.equal(await cell('invisibles', 'commune'), range(c.invisibles));
  const neet = q.neet_share_2018_pct_communes.value / 100 * q.youth_15_29_est;
  assert.equal(q.invisibles.low_est, Math.round((neet - 40) / 10) * 10 >= 11 ? Math.round((neet - 40) / 10) * 10 : '< 11');
  const source = await page.textContent('#qpv-card-indicators tr[data-field="invisibles"] td.source');
  assert.ok(source.includes('Prévention spécialisée (16-21 ans, 2024)') && source.includes('Mission locale synthétique (test) (16-25 ans, 2024-12-31)'), source);
  const line = await page.textContent('#card-invisibles-sources li[data-source="PREV"]');
  assert.ok(line.includes('Prévention spécialisée') && line.includes(`${fr(q.invisibles.followed[0].count)} jeunes suivis`) && line.includes('au 2024'), line);
  assert.ok((await cell('youth_15_29', 'source')).startsWith(`RP ${c.census_vintage}`));
  // No column cut off: the table fits its panel.
  const fit = await page.$eval('#qpv-card-indicators', (t) => [t.scrollWidth, t.parentElement.clientWidth]);
  assert.ok(fit[0] <= fit[1] + 1, `table ${fit[0]} px in ${fit[1]} px`);
  await page.locator('#qpv-card-indicators').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'invisibles-qpv-card.png') });
  await page.click('#qpv-card-back');
  await page.waitForFunction(() => document.getElementById('card-title')?.textContent === 'Rouen');
  assert.deepEqual(errors, []);
  await context.close();
});
