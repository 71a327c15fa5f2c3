import { statSync, readFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
await context.grantPermissions(['clipboard-read', 'clipboard-write']);
const waitPic = async (label) => { const t0 = Date.now(); await page.waitForFunction(() => !document.querySelector('.lineage-page .overlay') && (document.querySelector('.canvas svg g.node') || document.querySelector('.overlay-error')), null, { timeout: 30000 }).catch(() => console.log('TIMEOUT', label)); await page.waitForTimeout(300); console.log(`${label}: ${Date.now() - t0} ms; url=${decodeURIComponent(page.url().split('#')[1])}`); };
try {
  await go(page, '#/lineage?snap=3&select=%2Borders%2B'); await waitPic('initial');
  // exports
  for (const fmt of ['svg', 'png', 'pdf', 'dot', 'mermaid', 'json', 'csv']) {
    const t0 = Date.now();
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), page.click(`button[data-export="${fmt}"]`)]).catch((e) => [null]);
    if (!dl) { console.log('no download for', fmt, await page.evaluate(() => document.querySelector('.toast')?.innerText)); continue; }
    const p = await dl.path(); const sz = statSync(p).size;
    console.log(`export ${fmt}: ${dl.suggestedFilename()} ${sz} bytes ${Date.now() - t0} ms; toast=${await page.evaluate(() => document.querySelector('.toast')?.innerText)}`);
    if (fmt === 'csv' || fmt === 'mermaid') console.log(readFileSync(p, 'utf8').slice(0, 300));
  }
  // copy
  await page.selectOption('select[aria-label="Copy to clipboard"]', 'mermaid'); await page.waitForTimeout(800);
  console.log('copy toast:', await page.evaluate(() => document.querySelector('.toast')?.innerText), 'clip:', (await page.evaluate(() => navigator.clipboard.readText().catch(e => 'ERR ' + e))).slice(0, 80));
  // views: save
  await page.click('summary:has-text("Views")'); await page.waitForTimeout(300);
  await shot(page, 'v-views-open');
  await page.fill('input[name="view-name"]', 'my orders view'); await page.click('.views-popup button[type=submit]'); await page.waitForTimeout(800);
  console.log('views popup:', (await page.evaluate(() => document.querySelector('.views-popup')?.innerText)).replace(/\s+/g, ' '));
  // save again same name
  await page.fill('input[name="view-name"]', 'my orders view'); await page.waitForTimeout(200);
  console.log('save btn title:', await page.getAttribute('.views-popup button[type=submit]', 'title'));
  // view with a very long name
  await page.fill('input[name="view-name"]', 'A very long view name that goes on and on and on to see whether it wraps or overflows the popup ok');
  await page.click('.views-popup button[type=submit]'); await page.waitForTimeout(800);
  await shot(page, 'v-views-saved');
  // open home to check listed
  await go(page, '#/?snap=3'); await page.waitForTimeout(1500);
  const t = await text(page); const i = t.indexOf('Saved views'); console.log('home views:', i >= 0 ? t.slice(i, i + 300).replace(/\s+/g, ' ') : 'NOT ON HOME');
  // paths
  await go(page, '#/lineage?snap=3&select=%2Borders%2B'); await waitPic('back');
  await page.click('button:has-text("Paths…")');
  await page.fill('input[placeholder^="upstream"]', 'raw_orders'); await page.fill('input[placeholder^="downstream"]', 'Pulse queries');
  await page.click('button:has-text("Find paths")'); await page.waitForTimeout(1000);
  console.log('paths result:', (await page.evaluate(() => document.querySelector('.lineage-page form:not(.lineage-bar)')?.parentElement?.innerText)).replace(/\s+/g, ' ').slice(0, 400));
  await shot(page, 'v-paths-result');
  await page.fill('input[placeholder^="upstream"]', 'orders'); await page.fill('input[placeholder^="downstream"]', 'raw_orders');
  await page.click('button:has-text("Find paths")'); await page.waitForTimeout(1000);
  await shot(page, 'v-paths-reverse');
  await page.fill('input[placeholder^="upstream"]', 'nonexistent'); await page.click('button:has-text("Find paths")'); await page.waitForTimeout(1000);
  await shot(page, 'v-paths-bad');
} catch (e) { console.log('ERR', e.message); await shot(page, 'v-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
