import { readFileSync, cpSync } from 'node:fs';
import { launchBrowser } from './lib.mjs';
const URL0 = readFileSync('/tmp/qa2/serve2.out', 'utf8').match(/http:\/\/\S+/)[0];
const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(`console.${m.type()} ${m.text().slice(0, 200)}`); });
page.on('response', async (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${new URL(r.url()).pathname} ${(await r.text().catch(() => '')).slice(0, 200)}`); });
const shot = async (n) => { await page.screenshot({ path: `/tmp/qa2/shots/w-${n}.png` }); };
const opts = async () => page.evaluate(() => [...document.querySelectorAll('header select option, .topbar select option, select option')].map((o) => o.textContent).filter((t) => /^#\d|Latest/.test(t)).slice(0, 4).join(' | '));
try {
  await page.goto(URL0); await page.waitForSelector('.stat-grid');
  await page.locator('input[placeholder="/path/to/project/target"]').first().fill('/tmp/qa2/watchdir/target');
  await page.check('input[type=checkbox]:near(:text("Keep watching"))');
  await page.click('button:has-text("Import")'); await page.waitForTimeout(3000);
  console.log('after import+watch:', await opts());
  const w = await page.evaluate(() => document.body.innerText.match(/Watch.{0,400}/s)?.[0]);
  console.log('watch section:', w?.replace(/\s+/g, ' '));
  await shot('watching');
  // new dbt run
  cpSync('/work/shared/fixtures/bouncer-v12-dbt1.10-duckdb/manifest.json', '/tmp/qa2/watchdir/target/manifest.json');
  cpSync('/work/shared/fixtures/bouncer-v12-dbt1.10-duckdb/catalog.json', '/tmp/qa2/watchdir/target/catalog.json');
  cpSync('/work/shared/fixtures/bouncer-v12-dbt1.10-duckdb/run_results.json', '/tmp/qa2/watchdir/target/run_results.json');
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) { await page.waitForTimeout(1000); const o = await opts(); if (/dbt_bouncer.*1\.10|#15/.test(o)) { console.log('new snapshot seen after', Date.now() - t0, 'ms:', o); break; } if (i == 19) console.log('NO new snapshot after 20 s', o); }
  await shot('after-run');
  const w2 = await page.evaluate(() => document.body.innerText.match(/Watch.{0,400}/s)?.[0]);
  console.log('watch section 2:', w2?.replace(/\s+/g, ' '));
  const stop = page.locator('button:has-text("Stop")');
  console.log('stop buttons', await stop.count());
  if (await stop.count()) { await stop.first().click(); await page.waitForTimeout(1500); console.log('after stop:', (await page.evaluate(() => document.body.innerText.match(/Watch.{0,200}/s)?.[0] || 'no watch section'))?.replace(/\s+/g, ' ')); }
} catch (e) { console.log('ERR', e.message); await shot('error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
