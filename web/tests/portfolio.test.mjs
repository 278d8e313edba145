// Browser test of the Métropole's portfolio (Classement tab): `repere serve` with a GeoPackage
// store and an editor's token in a temp dir. Two projects are stored: one through the API (the
// Elbeuf permanence, 40 000 €), one through the Projet tab with its budget typed in the new
// budget input (« 30 000 », the Hauts de Rouen site placed by typed coordinates). The editor
// opens the Classement tab, types the token and a budget that fits one project (45 000 €), shows
// the portfolio (each project's young people newly reached and marginal contribution, read back
// against `GET /api/portfolio`) and chooses: the project the page shows as retained is the one
// `POST /api/portfolio/select` retains, and the rejected project's « aurait ajouté » is the
// API's. The decision note opened from the page (A4 page) and its PDF (downloaded, read with
// pdftotext) name the selection and the rejected project's added young people. axe-core checks
// the panel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { root, shots, repereBinary, freePort } from './harness.mjs';

const TOKEN = 'jeton-metropole-portefeuille-0123456789';

async function start(dir) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--addr', `127.0.0.1:${port}`, '--tile-cache-mb', '0', '--basemap', 'none',
    '--store', join(dir, 'repere.gpkg'), '--edit-token-file', join(dir, 'tokens')];
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

/** Digits of a French number as shown (spaces of any kind removed, decimal comma). */
const num = (text) => Number(text.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));
/** A number as the page writes it (fr-FR, no decimals). */
const fr0 = (x) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(x);
const spaces = (s) => s.replace(/[\u202f\u00a0]/g, ' ');

let browser;
let server;
after(async () => {
  if (browser) await browser.close();
  if (server) await stop(server);
});

test('the portfolio with a budget that fits one project: the chosen project and the decision note', { timeout: 600_000 }, async (t) => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'repere-portfolio-'));
  writeFileSync(join(dir, 'tokens'), `metropole:${TOKEN}\n`);
  let base;
  ({ server, base } = await start(dir));
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  // Project 1 through the API.
  const r1 = await fetch(`${base}/api/projects`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
    title: 'Boucle d\'Elbeuf', organisation: { name: 'Association Essai Jeunesse' }, budget_eur: 40000,
    sites: [{ name: 'Permanence Elbeuf', lon: 1.0092, lat: 49.2868, services: ['ML'], opening_hours: { mardi: '09:00-12:00' } }],
  }) });
  assert.equal(r1.status, 201);
  const p1 = await r1.json();

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });

  // Project 2 through the Projet tab, its budget typed in the budget input.
  await page.click('#tab-project');
  await page.fill('#pf-title', 'Hauts de Rouen');
  await page.fill('#pf-org-name', 'Association Essai Jeunesse');
  await page.fill('#pf-budget', '30 000');
  await page.click('#pf-add-site');
  await page.fill('#pf-s0-name', 'Antenne des Hauts de Rouen');
  await page.click('#pf-s0-place');
  await page.waitForSelector('#placing:not([hidden])');
  await page.fill('#placing-a', '1,113');
  await page.fill('#placing-b', '49,4608');
  await page.click('#placing-submit');
  await page.waitForSelector('#placing', { state: 'hidden' });
  await page.click('#pf-save');
  await page.waitForSelector('#pf-edit-link', { timeout: 60_000 });
  const p2id = await page.evaluate(() => window.repere.projectFile.id);
  const stored2 = await (await fetch(`${base}/api/projects/${p2id}`)).json();
  assert.equal(stored2.project.budget_eur, 30000, 'the budget typed in the Projet tab is stored');

  // The portfolio in the Classement tab.
  await page.click('#tab-ranking');
  await page.fill('#portfolio-token', TOKEN);
  await page.selectOption('#portfolio-service', 'ML');
  await page.fill('#portfolio-budget', '45 000');
  await page.click('#portfolio-load');
  await page.waitForFunction(() => document.querySelectorAll('#portfolio-table tbody tr').length === 2, null, { timeout: 120_000 });
  const apiView = await (await fetch(`${base}/api/portfolio?service=ML`, { headers: auth })).json();

  await t.test('each project\'s young people newly reached and marginal contribution are the API\'s', async () => {
    for (const line of apiView.overview.projects) {
      const row = page.locator(`#portfolio-table tr[data-id="${line.id}"]`);
      assert.equal(await row.locator('th').textContent(), line.title);
      assert.equal(num(await row.locator('[data-col="newly"]').textContent()), Math.round(line.youth_newly));
      assert.equal(num(await row.locator('[data-col="marginal"]').textContent()), Math.round(line.marginal_youth));
      assert.ok(line.youth_newly > 100, `${line.title}: ${line.youth_newly}`);
    }
  });

  await page.click('#portfolio-select');
  await page.waitForSelector('#portfolio-selected li', { timeout: 120_000 });
  const apiSel = await (await fetch(`${base}/api/portfolio/select`, { method: 'POST', headers: auth, body: JSON.stringify({ budget_eur: 45000, service: 'ML' }) })).json();
  const d = apiSel.decision;
  assert.equal(d.selected.length, 1, JSON.stringify(d));
  assert.equal(d.rejected.length, 1);
  const chosen = d.selected[0];
  const rejected = d.rejected[0];
  assert.deepEqual([chosen.id, rejected.id].sort(), [p1.id, p2id].sort());

  await t.test('the chosen project shown is the API\'s, within the budget; the rejected one says what it would add', async () => {
    const shownChosen = await page.$$eval('#portfolio-selected li', (lis) => lis.map((li) => li.dataset.id));
    assert.deepEqual(shownChosen, [chosen.id]);
    assert.equal(await page.textContent(`#portfolio-table tr[data-id="${chosen.id}"] [data-col="state"]`), 'retenu');
    assert.equal(await page.textContent(`#portfolio-table tr[data-id="${rejected.id}"] [data-col="state"]`), 'non retenu');
    assert.equal(num(await page.textContent('#portfolio-youth')), Math.round(d.youth));
    assert.ok(d.cost_eur <= 45000 && d.model === 'exact' && d.certificate === 'optimal', JSON.stringify(d));
    const added = await page.textContent(`#portfolio-rejected li[data-id="${rejected.id}"] [data-col="added"]`);
    assert.equal(num(added), Math.round(rejected.marginal_youth));
    assert.match(spaces(await page.textContent('#portfolio-figures')), /optimum prouvé/);
  });
  await page.locator('#portfolio').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'portfolio-1-selection.png'), fullPage: true });
  await page.locator('#portfolio').screenshot({ path: join(shots, 'portfolio-1-panel.png') });

  await t.test('axe-core: the portfolio with its selection', async () => {
    const r = await new AxeBuilder({ page }).include('#portfolio').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = r.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
  });

  await t.test('the decision note opened from the page names the selection and what the rejected project would add', async () => {
    const [note] = await Promise.all([context.waitForEvent('page'), page.click('#portfolio-note')]);
    await note.waitForLoadState();
    const text = spaces(await note.textContent('body'));
    assert.match(text, /Note de décision/);
    const retained = text.slice(text.indexOf('Projets retenus'), text.indexOf('Projets non retenus'));
    assert.ok(retained.includes(chosen.title), retained);
    assert.ok(!retained.includes(rejected.title), retained);
    const after = text.slice(text.indexOf('Projets non retenus'));
    assert.ok(after.includes(rejected.title), after);
    assert.ok(after.includes(fr0(rejected.marginal_youth).replace(/[\u202f\u00a0]/g, ' ')), after);
    assert.match(text, /optimum prouvé/);
    await note.screenshot({ path: join(shots, 'portfolio-2-note.png'), fullPage: true });
    await note.close();
  });

  await t.test('the PDF of the note holds the same', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#portfolio-note-pdf')]);
    const path = join(dir, 'note.pdf');
    await download.saveAs(path);
    const text = spaces(execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }));
    assert.match(text, /Note de décision/);
    assert.ok(text.includes(chosen.title.replace(/'/g, '’')) || text.includes(chosen.title), text);
    assert.ok(text.includes(fr0(rejected.marginal_youth).replace(/[\u202f\u00a0]/g, ' ')), text);
  });
  assert.deepEqual(errors, []);
});
