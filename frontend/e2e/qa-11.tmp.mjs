import { writeFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const dark = process.env.DARK === '1'; const W = Number(process.env.W || 1280), H = Number(process.env.H || 800);
const tag = `${dark ? 'dark' : 'light'}-${W}`;
const { browser, context, page, problems } = await open({ dark, width: W, height: H });
try {
  const pages = [['home9', '#/?snap=9'], ['home10', '#/?snap=10'], ['node-orders7', '#/node/model.dbt_bouncer_test_project.orders?snap=7'], ['node-orders7-col', '#/node/model.dbt_bouncer_test_project.orders?snap=7&column=amount&direction=both'],
    ['lin-across9', '#/lineage?snap=9&select=%2Brpt_top_customers%2B&across=1'], ['lin-pa', '#/lineage?snap=10&select=*&across=1'], ['lin-pkg-across', '#/lineage?snap=8&select=*&across=1&group=package'],
    ['lin-health', '#/lineage?snap=3&select=*&lens=health'], ['connections', '#/connections'], ['import', '#/import'], ['browse-hub', '#/browse?snap=2&type=model'], ['lin-trend7', '#/lineage?snap=7&select=*&lens=trend']];
  for (const [name, h] of pages) {
    const t0 = Date.now();
    await go(page, h); await settle(page, 15000); await page.waitForTimeout(1200);
    console.log(name, Date.now() - t0, 'ms');
    writeFileSync(`/tmp/qa2/p-${tag}-${name}.txt`, await text(page));
    await shot(page, `${tag}-${name}`);
  }
  if (dark) { await go(page, '#/?snap=2'); await page.fill('#global-search', 'deal'); await page.waitForTimeout(900); await shot(page, `${tag}-search`); }
} catch (e) { console.log('ERR', e.message); await shot(page, `${tag}-error`); }
finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
