// dbt Cloud end to end against a fake dbt Cloud server (LINEAGEDESK_FAKE_CLOUD_URL):
// add a connection, Test Connection, Save, Sync now with progress, history.
import { assert, launchBrowser, log, newPage, shot, startServer } from './lib.mjs';

export const requiresEnv = ['LINEAGEDESK_FAKE_CLOUD_URL'];

export default async function run() {
  const cloudURL = process.env.LINEAGEDESK_FAKE_CLOUD_URL;
  const account = process.env.LINEAGEDESK_FAKE_CLOUD_ACCOUNT || '1';
  const token = process.env.LINEAGEDESK_FAKE_CLOUD_TOKEN || 'fake-dbtc-token-7f3a9c'; // fakecloud.DefaultToken
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { context, page, problems } = await newPage(browser);
    await page.goto(server.url);
    await page.waitForSelector('.topbar');
    const snapsBefore = await page.$$eval('.snap-switch option', (o) => o.length).catch(() => 0);

    await page.goto(`${server.origin}/#/connections/new`);
    await page.fill('input[name=name]', 'fake-cloud');
    await page.fill('input[name=account_id]', account);
    await page.fill('input[name=access_url]', cloudURL);
    await page.fill('input[name=token]', token);
    await page.click('button:has-text("Test connection")');
    await page.waitForSelector('[data-testid="connection-report"]', { timeout: 30_000 });
    await page.locator('[data-testid="connection-report"]').scrollIntoViewIfNeeded();
    await shot(page, 'connection-report', { publish: true });

    await page.click('button[type=submit]:has-text("Save")');
    await page.waitForSelector('.notice.ok:has-text("Saved")', { timeout: 15_000 });
    assert((await page.inputValue('input[name=token]')) === '', 'the token field is cleared after saving');
    const html = await page.content();
    assert(!html.includes(token), 'the token is never shown in the page');

    await page.click('button:has-text("Sync now")');
    await page.waitForSelector('[data-testid="sync-panel"] .progress', { timeout: 10_000 });
    await page.waitForSelector('.history tbody tr', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="sync-panel"] button:has(+ button)'), null, { timeout: 120_000 }).catch(() => {});
    await page.waitForSelector('.history td:has-text("succeeded"), .history td:has-text("skipped")', { timeout: 120_000 });
    await page.locator('[data-testid="sync-panel"]').scrollIntoViewIfNeeded();
    await shot(page, 'connections-sync', { publish: true });
    const snapsAfter = await page.$$eval('.snap-switch option', (o) => o.length);
    assert(snapsAfter > snapsBefore, `a snapshot was added (${snapsBefore} -> ${snapsAfter} options)`);
    log('sync finished and a snapshot was added');

    // A new connection under the saved one's name is refused (the 409 is
    // expected); the saved one stays.
    const beforeRefusal = problems.length;
    await page.goto(`${server.origin}/#/connections/new`);
    await page.fill('input[name=name]', 'fake-cloud');
    await page.fill('input[name=account_id]', '999');
    await page.fill('input[name=access_url]', cloudURL);
    await page.fill('input[name=token]', 'another-token');
    await page.click('button[type=submit]:has-text("Save")');
    await page.waitForSelector(`.error-box:has-text('a connection named "fake-cloud" is already saved')`, { timeout: 15_000 });
    await page.goto(`${server.origin}/#/connections/fake-cloud`);
    await page.waitForFunction((acct) => document.querySelector('input[name=account_id]')?.value === acct, account, { timeout: 15_000 });
    problems.splice(beforeRefusal, problems.length, ...problems.slice(beforeRefusal).filter((p) => !/409|SaveConnection answered 409/.test(p)));
    log('a new connection named like the saved one was refused');

    // The synced project's YAML selector (selectors.yml) is offered in the
    // lineage view and draws what it selects.
    await page.goto(`${server.origin}/#/lineage?select=orders`);
    await page.waitForSelector('select[name=yaml-selector] option[value="nodes_to_exclude"]', { state: 'attached', timeout: 30_000 });
    await page.selectOption('select[name=yaml-selector]', 'nodes_to_exclude');
    await page.waitForFunction(() => document.querySelector('input[name=select]')?.value === 'selector:nodes_to_exclude');
    await page.waitForFunction(() => /\d+ nodes/.test(document.querySelector('[data-testid="lineage-counts"]')?.textContent ?? '') &&
      document.querySelectorAll('[data-testid="lineage-canvas"] svg [data-uid^="model.dbt_bouncer_test_project."]').length > 0, null, { timeout: 30_000 });
    assert(!(await page.$('[data-testid="lineage-canvas"] svg [data-uid^="model.tiktok_ads."]')), 'only the package the selector names is drawn');
    assert(problems.length === 0, `no page errors: ${problems.join('; ')}`);
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}
