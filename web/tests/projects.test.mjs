// Browser test of the Projet tab's saved file: `repere serve` with a GeoPackage store in a temp
// dir. A project owner types a title and an organisation, adds two sites placed by typed
// coordinates (one offering two services), their hours on two weekdays; a bad hours value is
// refused beside its input; the project is saved (read link, edit link with the key shown once).
// The server is stopped and started again on the same store; the edit link reopens the project:
// title, site names, positions and hours are read back from the page and against
// `GET /api/projects/{id}`; « Copier le lien de cette vue » leaves the key out; an edit is saved
// again (version 2, If-Match) and a save over someone else's newer version is refused. The PDF the page links to is
// checked with pdfinfo/pdftotext (title, sites, hours, census vintage, no empty page); the A4
// HTML report is printed by chromium and checked the same way, with as many pages as the PDF and
// the same first section heading on each page; the read link opens read-only;
// duplicate gives a copy under a new link. axe-core checks each state of the tab.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { root, shots, repereBinary, freePort } from './harness.mjs';

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

async function axeSerious(page, what) {
  const r = await new AxeBuilder({ page }).include('#panel-project').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = r.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], what);
}

/** Pages of a PDF file (pdfinfo) and the text of each page (pdftotext -f n -l n). */
function pdfPages(path) {
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const texts = [];
  for (let i = 1; i <= pages; i += 1) texts.push(execFileSync('pdftotext', ['-layout', '-f', String(i), '-l', String(i), path, '-'], { encoding: 'utf8' }));
  return { pages, texts, all: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }) };
}

const TITLE = 'Permanences jeunesse Rouen et Elbeuf';
const SITES = [
  { name: 'Permanence Rouen gauche', a: '1,0930', b: '49,4330', lon: 1.093, lat: 49.433, day: 'mardi', hours: '09:00-12:00', services: ['ML', 'FT'] },
  { name: 'Antenne Elbeuf centre', a: '1,0092', b: '49,2868', lon: 1.0092, lat: 49.2868, day: 'jeudi', hours: '14:00-17:30', services: ['ML'] },
];

async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'fr-FR', acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.repere && window.repere.ready, null, { timeout: 120_000 });
  return { context, page, errors };
}

let browser;
const servers = [];
after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await stop(s);
});

test('a saved project: created in the Projet tab, reopened by its edit link after a restart, its PDF and A4 report hold it', { timeout: 600_000 }, async (t) => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'repere-projects-'));
  writeFileSync(join(dir, 'tokens'), 'alice:jeton-alice-projets-0123456789\n');
  let { server, base } = await start(dir);
  servers.push(server);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let { page, errors } = await openPage(browser, base);
  await page.click('#tab-project');

  // The form: title, organisation, two sites placed by typed coordinates, services and hours.
  await page.fill('#pf-title', TITLE);
  await page.fill('#pf-org-name', 'Association Essai Jeunesse');
  await page.fill('#pf-org-contact', 'Camille Martin');
  for (const [i, s] of SITES.entries()) {
    await page.click('#pf-add-site');
    await page.fill(`#pf-s${i}-name`, s.name);
    await page.click(`#pf-s${i}-place`);
    await page.waitForSelector('#placing:not([hidden])');
    await page.fill('#placing-a', s.a);
    await page.fill('#placing-b', s.b);
    await page.click('#placing-submit');
    await page.waitForSelector('#placing', { state: 'hidden' });
    for (const code of s.services) await page.check(`#pf-s${i}-svc-${code}`);
    await page.fill(`#pf-s${i}-h-${s.day}`, s.hours);
  }
  await t.test('each hours input sits on the row of its weekday label', async () => {
    for (const d of ['lundi', 'mardi', 'dimanche']) {
      const label = await page.locator(`label[for="pf-s0-h-${d}"]`).boundingBox();
      const input = await page.locator(`#pf-s0-h-${d}`).boundingBox();
      const mid = (b) => b.y + b.height / 2;
      assert.ok(Math.abs(mid(label) - mid(input)) < 6 && input.x > label.x, `${d}: ${JSON.stringify([label, input])}`);
    }
  });
  await t.test('the placed sites are drawn on the map where they were typed', async () => {
    for (const s of SITES) {
      await page.evaluate(([lon, lat]) => window.repere.map.jumpTo({ center: [lon, lat], zoom: 13 }), [s.lon, s.lat]);
      await page.evaluate(() => new Promise((res) => { const m = window.repere.map; m.once('idle', res); m.triggerRepaint(); }));
      const hit = await page.evaluate(([lon, lat]) => {
        const m = window.repere.map;
        const pt = m.project([lon, lat]);
        return m.queryRenderedFeatures([[pt.x - 3, pt.y - 3], [pt.x + 3, pt.y + 3]], { layers: ['project-file-sites-circle'] }).map((x) => x.properties.name);
      }, [s.lon, s.lat]);
      assert.deepEqual(hit, [s.name]);
    }
  });
  const placed = await page.evaluate(() => window.repere.projectFile.project.sites.map((s) => [s.lon, s.lat, s.services]));
  assert.deepEqual(placed, SITES.map((s) => [s.lon, s.lat, s.services]));
  await page.screenshot({ path: join(shots, 'projects-1-form.png'), fullPage: true });
  await page.locator('#pf-sites li').first().screenshot({ path: join(shots, 'projects-1-site.png') });
  await t.test('axe-core: the filled form', () => axeSerious(page, 'form'));

  await t.test('a bad hours value is refused beside its input, nothing is stored', async () => {
    await page.fill('#pf-s1-h-mardi', '25h-99h');
    await page.click('#pf-save');
    const err = await page.waitForSelector('#pf-s1-h-mardi-error');
    const msg = await err.textContent();
    assert.match(msg, /^mardi : plage horaire illisible "25h-99h"/, msg);
    assert.equal(await page.getAttribute('#pf-s1-h-mardi', 'aria-invalid'), 'true');
    // Beside it: just under the input, in its weekday's row.
    const input = await page.locator('#pf-s1-h-mardi').boundingBox();
    const box = await err.boundingBox();
    assert.ok(box.y >= input.y + input.height - 1 && box.y - (input.y + input.height) < 12, JSON.stringify([input, box]));
    assert.equal(await err.evaluate((e) => e.closest('[data-day]').dataset.day), 'mardi');
    assert.equal(await page.textContent('#pf-status'), 'Non enregistré : corrigez le champ signalé (site 2, mardi).');
    assert.equal(await page.evaluate(() => window.repere.projectFile.id), null);
    await err.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'projects-2-field-error.png'), fullPage: true });
    await axeSerious(page, 'field error');
    await page.fill('#pf-s1-h-mardi', '');
  });

  await page.click('#pf-save');
  await page.waitForFunction(() => document.getElementById('pf-edit-link') || /Non enregistré/.test(document.getElementById('pf-status').textContent), null, { timeout: 30_000 });
  assert.ok(await page.$('#pf-edit-link'), await page.textContent('#pf-status'));
  const editHref = await page.getAttribute('#pf-edit-link', 'href');
  const readHref = await page.getAttribute('#pf-read-link', 'href');
  const id = await page.evaluate(() => window.repere.projectFile.id);
  assert.match(editHref, new RegExp(`projet=${id}&cle=[^&]{24,}`));
  assert.ok(!readHref.includes('cle='), readHref);
  assert.match(await page.textContent('#pf-key-warning'), /n'est affichée qu'une seule fois/);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`projet=${id}&cle=`));
  await page.waitForSelector('#pf-coverage-total');
  await page.locator('#pf-links').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'projects-3-saved.png'), fullPage: true });
  await t.test('axe-core: saved, links and key warning shown', () => axeSerious(page, 'saved'));
  assert.deepEqual(errors, []);
  await page.context().close();

  // Restart on the same store; reopen by the edit link (the new server's address, same hash).
  await stop(server);
  ({ server, base } = await start(dir));
  servers.push(server);
  ({ page, errors } = await openPage(browser, `${base}/${new URL(editHref).hash}`));
  await page.waitForFunction((t) => document.getElementById('pf-title').value === t, TITLE, { timeout: 30_000 });
  const api = await (await fetch(`${base}/api/projects/${id}`)).json();

  await t.test('reopened by its edit link: title, sites, positions and hours are the API\'s', async () => {
    assert.equal(await page.inputValue('#pf-title'), TITLE);
    assert.equal(api.project.title, TITLE);
    for (const [i, s] of SITES.entries()) {
      assert.equal(await page.inputValue(`#pf-s${i}-name`), s.name);
      assert.equal(api.project.sites[i].name, s.name);
      assert.equal(await page.inputValue(`#pf-s${i}-h-${s.day}`), s.hours);
      assert.equal(api.project.sites[i].opening_hours[s.day], s.hours);
      assert.deepEqual(Object.keys(api.project.sites[i].opening_hours), [s.day]);
      const shown = (await page.textContent(`#pf-s${i}-position`)).replace(/\s/g, ' ');
      const [lon, lat] = shown.match(/-?\d+,\d+/g).map((x) => Number(x.replace(',', '.')));
      assert.deepEqual([lon, lat], [s.lon, s.lat], shown);
      assert.deepEqual([api.project.sites[i].lon, api.project.sites[i].lat], [s.lon, s.lat]);
      assert.deepEqual(api.project.sites[i].services, s.services);
      for (const code of ['ML', 'FT']) assert.equal(await page.isChecked(`#pf-s${i}-svc-${code}`), s.services.includes(code));
    }
    assert.equal(await page.isDisabled('#pf-title'), false);
  });

  await t.test('"Copier le lien de cette vue" gives the read link: never the edit key', async () => {
    await page.click('#permalink-copy');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, new RegExp(`projet=${id}`), copied);
    assert.ok(!copied.includes('cle='), copied);
    assert.match(await page.evaluate(() => location.hash), /cle=/, 'the page itself keeps editing');
  });

  await t.test('edited and saved again: version 2 (If-Match), the coverage follows', async () => {
    await page.fill('#pf-org-siret', '120 027 016 00019');
    await page.click('#pf-save');
    await page.waitForFunction(() => window.repere.projectFile.version === 2, null, { timeout: 30_000 });
    const v2 = await (await fetch(`${base}/api/projects/${id}`)).json();
    assert.equal(v2.version, 2);
    assert.equal(v2.project.organisation.siret, '12002701600019');
    assert.equal(v2.project.title, TITLE);
    await page.waitForFunction(() => /version 2/.test(document.getElementById('pf-coverage').textContent), null, { timeout: 60_000 });
    const cov = await (await fetch(`${base}/api/projects/${id}/coverage`)).json();
    const total = await page.textContent('#pf-coverage-total');
    const shownYouth = Number(/([\d\s ]+) jeunes/.exec(total)[1].replace(/\D/g, ''));
    assert.equal(shownYouth, Math.round(cov.report.youth_reached), total);
  });

  await t.test('a save over a version someone else saved meanwhile is refused (409), nothing is overwritten', async () => {
    const key = new URLSearchParams(new URL(editHref).hash.slice(1)).get('cle');
    const other = await fetch(`${base}/api/projects/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-edit-key': key }, body: JSON.stringify({ title: `${TITLE} bis` }) });
    assert.equal(other.status, 200);
    await page.fill('#pf-org-contact', 'Quelqu\'un d\'autre');
    await page.click('#pf-save');
    await page.waitForFunction(() => /Non enregistré/.test(document.getElementById('pf-status').textContent), null, { timeout: 30_000 });
    assert.match(await page.textContent('#pf-status'), /quelqu'un a enregistré ce projet entre-temps/);
    const v = await (await fetch(`${base}/api/projects/${id}`)).json();
    assert.deepEqual([v.version, v.project.title, v.project.organisation.contact], [3, `${TITLE} bis`, 'Camille Martin']);
    // Put back as it was, by the API, for what follows.
    const back = await fetch(`${base}/api/projects/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-edit-key': key }, body: JSON.stringify({ title: TITLE }) });
    assert.equal(back.status, 200);
  });

  const pdfHref = await page.getAttribute('#pf-report-pdf', 'href');
  const htmlHref = await page.getAttribute('#pf-report', 'href');
  await t.test('the PDF the page links to holds the title, the sites, their hours and the census vintage, no empty page', async () => {
    const res = await fetch(new URL(pdfHref, base));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const path = join(dir, 'rapport.pdf');
    writeFileSync(path, Buffer.from(await res.arrayBuffer()));
    const pdf = pdfPages(path);
    const flat = pdf.all.replace(/\s+/g, ' ');
    assert.ok(flat.includes(TITLE), flat.slice(0, 400));
    for (const s of SITES) {
      assert.ok(flat.includes(s.name), s.name);
      assert.ok(flat.includes(`${s.day} ${s.hours}`), `${s.day} ${s.hours}`);
    }
    assert.match(flat, /recensement[^.]{0,80}20\d\d|20\d\d[^.]{0,80}recensement/i);
    assert.ok(pdf.pages >= 1);
    pdf.texts.forEach((text, i) => assert.ok(text.replace(/\s/g, '').length > 40, `page ${i + 1} of ${pdf.pages} is empty`));
  });

  await t.test('the A4 HTML report printed by chromium: no blank page, the same pages as the PDF', async () => {
    const report = await page.context().newPage();
    await report.goto(new URL(htmlHref, base).href);
    const path = join(shots, 'projects-report.pdf');
    await report.pdf({ path, format: 'A4', printBackground: true });
    await report.screenshot({ path: join(shots, 'projects-4-report.png'), fullPage: true });
    const headings = await report.$$eval('h2', (hs) => hs.map((h) => h.textContent.trim()));
    await report.close();
    const pdf = pdfPages(path);
    const flat = pdf.all.replace(/\s+/g, ' ');
    assert.ok(flat.includes(TITLE));
    for (const s of SITES) assert.ok(flat.includes(s.name), s.name);
    assert.ok(pdf.pages >= 1 && pdf.pages <= 6, `${pdf.pages} pages`);
    pdf.texts.forEach((text, i) => assert.ok(text.replace(/\s/g, '').length > 40, `page ${i + 1} of ${pdf.pages} is blank`));
    // The server's PDF and the printed HTML: as many pages, and each page's first section
    // heading the same in both (the title on page 1, then the heading nearest the top).
    const server = pdfPages(join(dir, 'rapport.pdf'));
    const first = (text) => {
      const flatPage = text.replace(/\s+/g, ' ');
      const found = [TITLE, ...headings].map((h) => [flatPage.indexOf(h), h]).filter(([at]) => at >= 0);
      found.sort((a, b) => a[0] - b[0]);
      return found.length ? found[0][1] : null;
    };
    const printed = pdf.texts.map(first);
    const served = server.texts.map(first);
    assert.equal(pdf.pages, server.pages, `printed HTML ${JSON.stringify(printed)} / PDF ${JSON.stringify(served)}`);
    assert.deepEqual(printed, served);
    assert.equal(printed[0], TITLE);
    // Sections that start a page on purpose, in both.
    for (const h of ['Carte', 'Données et millésimes', 'Quartiers prioritaires atteints (20 min, tous sites)']) assert.ok(printed.includes(h), `${h}: ${JSON.stringify(printed)}`);
    assert.ok(printed.some((h) => h && h.startsWith('Chiffres par service')), JSON.stringify(printed));
  });

  await t.test('duplicate: a copy under a new link and key', async () => {
    await page.click('#pf-duplicate');
    await page.waitForFunction((old) => window.repere.projectFile.id !== old, id, { timeout: 30_000 });
    const copy = await page.evaluate(() => window.repere.projectFile.id);
    const v = await (await fetch(`${base}/api/projects/${copy}`)).json();
    assert.equal(v.project.title, `${TITLE} (copie)`);
    assert.equal(await page.inputValue('#pf-title'), `${TITLE} (copie)`);
    assert.match(await page.getAttribute('#pf-edit-link', 'href'), new RegExp(`projet=${copy}&cle=`));
  });
  assert.deepEqual(errors, []);
  await page.context().close();

  await t.test('the read link opens it read-only', async () => {
    const r = await openPage(browser, `${base}/${new URL(readHref).hash}`);
    await r.page.waitForFunction((t) => document.getElementById('pf-title').value === t, TITLE, { timeout: 30_000 });
    assert.equal(await r.page.isDisabled('#pf-title'), true);
    assert.equal(await r.page.isDisabled('#pf-s0-h-mardi'), true);
    assert.equal(await r.page.isHidden('#pf-save'), true);
    assert.match(await r.page.textContent('#pf-mode'), /Lecture seule/);
    assert.equal(await r.page.inputValue('#pf-s0-h-mardi'), '09:00-12:00');
    await r.page.screenshot({ path: join(shots, 'projects-5-read-only.png'), fullPage: true });
    await axeSerious(r.page, 'read-only');
    assert.deepEqual(r.errors, []);
    await r.context.close();
  });
});
