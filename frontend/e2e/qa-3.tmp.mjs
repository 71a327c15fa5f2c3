import { writeFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const { browser, page, problems } = await open();
const snaps = { 3: ['model.dbt_bouncer_test_project.orders', 'seed.dbt_bouncer_test_project.raw_orders', 'snapshot.dbt_bouncer_test_project.snapshot_orders', 'exposure', 'semantic_model', 'unit_test', 'test', 'source', 'macro', 'doc', 'model.dbt_bouncer_test_project.py_order_stats', 'model.dbt_bouncer_test_project.customers.v2'],
  5: ['metric', 'saved_query', 'semantic_model', 'analysis'], 12: ['model', 'seed', 'test'], 8: ['model', 'exposure', 'source'] };
try {
  for (const [snap, items] of Object.entries(snaps)) {
    await go(page, `#/?snap=${snap}`); await settle(page);
    for (const it of items) {
      let uid = it;
      if (!it.includes('.')) {
        await go(page, `#/browse?type=${it}&snap=${snap}`); await settle(page); await page.waitForTimeout(500);
        const rows = await page.$$eval('.res-row', (r) => r.map((x) => x.getAttribute('data-uid')));
        console.log(`snap ${snap} browse ${it}: ${rows.length} rows`);
        await shot(page, `browse-${snap}-${it}`);
        if (!rows.length) continue;
        uid = rows[0];
      }
      const t0 = Date.now();
      await go(page, `#/node/${encodeURIComponent(uid)}?snap=${snap}`);
      await page.waitForSelector('.node-page', { timeout: 15000 }).catch(() => console.log('NO node-page for', uid));
      const t = await settle(page, 15000);
      console.log(`node ${uid}: ${Date.now() - t0} ms`);
      await page.waitForTimeout(700);
      const safe = uid.replace(/[^a-z0-9_.]/gi, '_');
      writeFileSync(`/tmp/qa2/node-${snap}-${safe}.txt`, await text(page));
      await shot(page, `node-${snap}-${safe}`);
    }
  }
} finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
