import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, context, page, problems } = await open();
const panel = async () => (await page.evaluate(() => document.querySelector('.search-panel')?.innerText || 'NO PANEL')).replace(/\s+/g, ' ');
try {
  await go(page, '#/?snap=2'); await page.waitForTimeout(1000);
  for (const q of ['hu', 'hubspot__deals', 'deal_id', 'owner email', '"quoted', 'a*', 'select', '(', 'OR', 'NEAR', '-', 'zzzzqqq', 'engagement_calls owner_id', 'ü', 'stg_hubspot__engagement_call']) {
    await page.click('#global-search'); await page.fill('#global-search', ''); 
    const t0 = Date.now();
    await page.type('#global-search', q, { delay: 30 });
    await page.waitForTimeout(700);
    const p = await panel();
    console.log(`Q ${JSON.stringify(q)} (${Date.now() - t0} ms): ${p.slice(0, 260)}`);
    if (q === 'deal_id' || q === '(' || q === 'zzzzqqq' || q === 'owner email') await shot(page, `s-${q.replace(/\W/g, '_')}`);
  }
  // Enter on column hit
  await page.fill('#global-search', 'owner_id'); await page.waitForTimeout(700);
  await page.keyboard.press('Enter'); await page.waitForTimeout(1500);
  console.log('after enter url', decodeURIComponent(page.url().split('#')[1]));
  await shot(page, 's-enter-column-hit');
  // search on different snapshot type filter?
} catch (e) { console.log('ERR', e.message); await shot(page, 's-error'); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
