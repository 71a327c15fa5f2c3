import { writeFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
const sect = async (sel) => (await page.evaluate((s) => document.querySelector(s)?.innerText || 'NONE', sel)).replace(/\s+/g, ' ');
try {
  let t0 = Date.now();
  await go(page, '#/node/model.hubspot.hubspot__engagement_calls?snap=2'); await page.waitForSelector('.node-page'); await settle(page, 15000); console.log('node load', Date.now() - t0);
  await page.waitForTimeout(1500);
  writeFileSync('/tmp/qa2/n-calls.txt', await text(page));
  // history section
  console.log('HISTORY:', (await page.evaluate(() => [...document.querySelectorAll('.node-page .section, .node-page section')].find((s) => /^History/.test(s.innerText))?.innerText || 'NONE')).replace(/\s+/g, ' ').slice(0, 1200));
  // SQL diff tab
  const tabs = await page.$$eval('.node-page button, .node-page [role=tab]', (b) => b.map((x) => x.textContent.trim()).filter((t) => /SQL|Changes|diff/i.test(t)));
  console.log('tabs', tabs);
  const diffTab = page.locator('.node-page button:has-text("Changes since"), .node-page [role=tab]:has-text("Changes since")');
  if (await diffTab.count()) { t0 = Date.now(); await diffTab.first().click(); await page.waitForTimeout(1200); console.log('diff tab', Date.now() - t0); await page.locator('.node-page :text("Changes since")').first().scrollIntoViewIfNeeded(); await shot(page, 'n-sqldiff'); }
  // impact list
  await page.click('[data-testid="impact-list-open"]'); t0 = Date.now();
  await page.waitForSelector('[data-testid="impact-list"] tbody tr, .node-page .section:has(select[aria-label="Direction"]) p.muted', { timeout: 10000 });
  console.log('impact list', Date.now() - t0, 'ms');
  await page.locator('[data-testid="impact-list"]').scrollIntoViewIfNeeded().catch(() => {});
  await shot(page, 'n-impact-down');
  console.log('IMPACT:', (await page.evaluate(() => document.querySelector('[data-testid="impact-list"]')?.closest('.section, section')?.innerText || 'NONE')).replace(/\s+/g, ' ').slice(0, 800));
  await page.selectOption('select[aria-label="Direction"]', 'upstream'); await page.waitForTimeout(1000);
  console.log('IMPACT UP:', (await page.evaluate(() => document.querySelector('[data-testid="impact-list"]')?.closest('.section, section')?.innerText || 'NONE')).replace(/\s+/g, ' ').slice(0, 800));
  await shot(page, 'n-impact-up');
  // column trace
  await go(page, '#/node/model.hubspot.hubspot__engagement_calls?snap=2&column=owner_id&direction=both'); 
  t0 = Date.now();
  await page.waitForSelector('#column-lineage [data-testid="column-picture"] svg g.node', { timeout: 20000 }).catch(() => console.log('no column picture'));
  console.log('column trace', Date.now() - t0);
  await page.waitForTimeout(500);
  await page.locator('#column-lineage').scrollIntoViewIfNeeded();
  await shot(page, 'n-coltrace');
  console.log('COLTRACE:', (await sect('#column-lineage')).slice(0, 800));
} catch (e) { console.log('ERR', e.message); await shot(page, 'n-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
