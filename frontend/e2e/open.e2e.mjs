// serve --open: the browser is handed a private page that forwards to the
// URL with the secret (which is on no command line), and the app opens from
// it; an address with a wrong secret, which any local page can send the
// browser to, does not replace the right one.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  } catch (err) {
    if (page) await failureReport(page, 'open');
    throw err;
  } finally {
    await browser.close();
    await server.stop();
  }
  assert(!existsSync(readFileSync(opened, 'utf8')), 'the forwarding page outlives serve');
}
