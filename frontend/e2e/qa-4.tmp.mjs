import { writeFileSync } from 'node:fs';
import { open, shot, go, settle, text } from './qa-lib.tmp.mjs';
const W = Number(process.env.W || 1280), H = Number(process.env.H || 800);
const { browser, page, problems } = await open({ width: W, height: H });
async function draw(label, hash) {
  const t0 = Date.now();
  await go(page, hash);
  await page.waitForFunction(() => document.querySelector('.lineage-page') && !document.querySelector('.lineage-page .overlay') && (document.querySelector('.canvas svg') || document.querySelector('.overlay-error')), null, { timeout: 30000 }).catch(() => console.log('TIMEOUT', label));
  await page.waitForTimeout(400);
  const ms = Date.now() - t0;
  const info = await page.evaluate(() => ({ nodes: document.querySelectorAll('.canvas svg g.node').length, err: document.querySelector('.overlay-error')?.innerText, warn: document.querySelector('.warnings')?.innerText, meta: document.querySelector('.lineage-meta')?.innerText.replace(/\s+/g, ' ').slice(0, 300) }));
  console.log(`${label}: ${ms} ms`, JSON.stringify(info));
  await shot(page, `lin-${W}-${label}`);
}
try {
  await draw('default-jaffle', '#/lineage');
  await draw('hub2-default', '#/lineage?snap=2');
  await draw('bouncer3-orders', '#/lineage?snap=3&select=%2Borders%2B');
  await draw('bouncer3-runtime', '#/lineage?snap=3&select=%2Borders%2B&runtime=1');
  for (const lens of ['runs', 'docs', 'trend', 'health', 'none']) await draw(`bouncer3-lens-${lens}`, `#/lineage?snap=3&select=%2Borders%2B&lens=${lens}`);
  for (const g of ['package', 'folder', 'schema', 'layer', 'group']) await draw(`bouncer3-group-${g}`, `#/lineage?snap=3&select=*&group=${g}`);
  await draw('bouncer3-tests', '#/lineage?snap=3&select=%2Borders%2B&tests=eager');
  await draw('hub2-diff', '#/lineage?snap=2&select=state:modified%2B&diff=1');
  await draw('bouncer8-across', '#/lineage?snap=8&select=%2Bfct_revenue%2B&across=1');
  await draw('hub2-all', '#/lineage?snap=2&select=*');
  await draw('bad-selector', '#/lineage?snap=3&select=%2B%2Borders((');
  await draw('nomatch', '#/lineage?snap=3&select=does_not_exist');
  await draw('tag-nomatch', '#/lineage?snap=3&select=tag:nope');
} finally { console.log('PROBLEMS\n' + problems.join('\n')); await browser.close(); }
