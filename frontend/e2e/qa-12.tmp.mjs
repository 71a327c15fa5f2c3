import { readFileSync, writeFileSync } from 'node:fs';
import { launchBrowser } from './lib.mjs';
const URL0 = readFileSync('/tmp/qa2/serve2.out', 'utf8').match(/http:\/\/\S+/)[0];
const browser = await launchBrowser();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) problems.push(`[${page.url()}] console.${m.type()} ${m.text().slice(0, 200)}`); });
page.on('response', async (r) => { if (r.status() >= 400) problems.push(`[${page.url()}] HTTP ${r.status()} ${new URL(r.url()).pathname} ${(await r.text().catch(() => '')).slice(0, 200)}`); });
const shot = async (n) => { await page.screenshot({ path: `/tmp/qa2/shots/d-${n}.png` }); };
const go = async (h) => { await page.evaluate((h) => (location.hash = h), h); await page.waitForTimeout(1200); };
try {
  await page.goto(URL0); await page.waitForSelector('.stat-grid');
  await go('#/?snap=5');
  // delete the snapshot currently shown
  await go('#/?snap=4');
  const row4 = page.locator('tr:has(td:first-child:text-is("4"))'); await row4.scrollIntoViewIfNeeded();
  console.log('row4 buttons:', await row4.locator('button').allTextContents());
  await row4.locator('button:has-text("Delete")').click(); await page.waitForTimeout(200); await row4.locator('button:has-text("Click again")').click(); await page.waitForTimeout(2000);
  console.log('after deleting shown snapshot: url', decodeURIComponent(page.url().split('#')[1]), 'h1', await page.evaluate(() => document.querySelector('main h1')?.innerText));
  await shot('deleted-shown');
  // Keep latest 1
  await page.selectOption('select[name=keep]', '1'); await page.waitForTimeout(800);
  const pr = page.locator('[data-testid=prune]'); await pr.scrollIntoViewIfNeeded();
  console.log('prune:', await pr.innerText());
  await shot('prune');
  await pr.locator('button').click(); await page.waitForTimeout(200); await pr.locator('button').click(); await page.waitForTimeout(3000);
  console.log('snapshots left:', await page.evaluate(() => [...document.querySelectorAll('select option')].map((o) => o.textContent).filter((t) => /#\d/.test(t)).join(' | ')));
  const compact = page.locator('button:has-text("Compact")');
  console.log('compact button count', await compact.count());
  if (await compact.count()) { await compact.scrollIntoViewIfNeeded(); await compact.click(); await page.waitForTimeout(3000); console.log('compact:', (await page.evaluate(() => document.body.innerText.match(/Compacted.{0,80}/)?.[0]))); }
  await shot('after-prune');
} catch (e) { console.log('ERR', e.message); await shot('error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
