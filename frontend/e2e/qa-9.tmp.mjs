import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
const panel = async () => (await page.evaluate(() => document.querySelector('.search-panel')?.innerText || 'NO PANEL')).replace(/\s+/g, ' ');
try {
  await go(page, '#/?snap=2'); await page.waitForTimeout(1000);
  for (const q of ['"quoted', 'a*', 'macro']) {
    await page.fill('#global-search', q); await page.waitForTimeout(900);
    console.log(q, '=>', (await panel()).slice(0, 300));
    await shot(page, `s2-${q.replace(/\W/g, '_')}`);
    const chip = page.locator('.search-panel button:has-text("Macros")');
    if (await chip.count()) { await chip.first().click(); await page.waitForTimeout(800); console.log(' after Macros chip:', (await panel()).slice(0, 300)); await shot(page, `s2-${q.replace(/\W/g, '_')}-macros`); }
  }
  const m = await page.evaluate(() => (window.__ldMetrics || []).filter((x) => x.metric === 'search_latency'));
  console.log('latencies', m.map((x) => `${x.query}:${x.ms}`).join(' '));
} catch (e) { console.log('ERR', e.message); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
