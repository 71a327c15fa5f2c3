// serve --open: the browser is handed a private page that forwards to the
// URL with the secret (which is on no command line), and the app opens from
// it; an address with a wrong secret, which any local page can send the
// browser to, does not replace the right one.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { assert, binary, failureReport, launchBrowser, newPage, startServer } from './lib.mjs';

export default async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'lineagedesk-open-e2e-'));
  mkdirSync(join(dir, 'bin'));
  const opened = join(dir, 'opened');
  // Stands in for the desktop's xdg-open: notes what it was asked to open.
  writeFileSync(join(dir, 'bin', 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  chmodSync(join(dir, 'bin', 'xdg-open'), 0o755);
  const server = await startServer({ args: ['--open'], env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
  const browser = await launchBrowser();
  let page;
  try {
    for (let i = 0; i < 100 && !existsSync(opened); i++) await new Promise((r) => setTimeout(r, 100));
    const handed = readFileSync(opened, 'utf8');
    const secret = new URL(server.url).searchParams.get('token');
    assert(!handed.includes(secret), `xdg-open was given ${handed}, which carries the secret`);
    assert((statSync(handed).mode & 0o777) === 0o600, `the page handed to the browser is mode ${(statSync(handed).mode & 0o777).toString(8)}, want 600`);

    const session = await newPage(browser);
    page = session.page;
    await page.goto(`file://${handed}`);
    await page.waitForSelector('.topbar', { timeout: 20_000 });
    assert(page.url().startsWith(server.origin) && !page.url().includes('token='), `the app opened at ${page.url()}`);
    const kept = await page.evaluate(() => localStorage.getItem('lineagedesk.session'));
    assert(kept === secret, 'the page keeps the secret the forwarding page passed on');

    // Another local page sends the browser to the app with its own "secret".
    const refused = await page.goto(`${server.origin}/?token=attacker-chosen`);
    assert(refused.status() === 401, `an address with a wrong secret is answered ${refused.status()}, want 401`);
    const still = await page.evaluate(() => localStorage.getItem('lineagedesk.session'));
    assert(still === secret, 'a wrong secret in the address does not replace the kept one');
    await page.goto(server.origin);
    await page.waitForSelector('.topbar', { timeout: 20_000 });

    // Another process imports into the store (a scheduled sync, import
    // --watch): the open page shows it without a reload.
    const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '../../testdata/fixtures/bouncer-build-v12-dbt1.11-duckdb');
    execFileSync(binary, ['import', fixture, '--db', server.db]);
    await page.waitForFunction(() => document.body.textContent.includes('dbt_bouncer_test_project'), null, { timeout: 15_000 });

    // Import a target/ folder and keep watching it: the next dbt run
    // written there (its results newer than before) is imported by itself.
    const target = join(dir, 'target');
    mkdirSync(target);
    for (const f of ['manifest.json.gz', 'run_results.json.gz']) copyFileSync(join(fixture, f), join(target, f));
    const snapshotRows = () => page.$$eval('.table.snapshots tbody tr', (trs) => trs.length);
    await page.waitForSelector('.table.snapshots tbody tr');
    const before = await snapshotRows();
    await page.fill('input[name=import-path]', target);
    await page.check('input[name=watch]');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid="watches"] li');
    assert((await page.textContent('[data-testid="watches"] li')).includes(`Watching ${target}`) && (await page.textContent('[data-testid="watches"] li')).includes('0 runs imported'), 'the folder is watched');
    await page.waitForFunction((n) => document.querySelectorAll('.table.snapshots tbody tr').length === n + 1, before, { timeout: 15_000 });
    // The next run: a new invocation's manifest, then its results (files
    // merely touched hold the same run, which the watch leaves out).
    for (const [f, at] of [['manifest.json.gz', 4_000], ['run_results.json.gz', 5_000]]) {
      const path = join(target, f);
      const text = gunzipSync(readFileSync(path)).toString('utf8').replace(/"invocation_id": "[0-9a-f]{8}/, '"invocation_id": "11111111');
      writeFileSync(path, gzipSync(text));
      const later = new Date(Date.now() + at);
      utimesSync(path, later, later);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="watches"] li')?.textContent.includes('1 run imported'), null, { timeout: 20_000 });
    await page.waitForFunction((n) => document.querySelectorAll('.table.snapshots tbody tr').length === n + 2, before, { timeout: 15_000 });
    await page.click('[data-testid="watches"] li button');
    await page.waitForSelector('[data-testid="watches"]', { state: 'detached' });
  } catch (err) {
    if (page) await failureReport(page, 'open');
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
  assert(!existsSync(readFileSync(opened, 'utf8')), 'the forwarding page outlives serve');
}
